from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "compacts.api"
    label = "api"
