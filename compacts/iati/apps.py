from django.apps import AppConfig


class IatiConfig(AppConfig):
    name = "compacts.iati"
    label = "iati"
