from django.apps import AppConfig


class FrameworkConfig(AppConfig):
    name = "compacts.framework"
    label = "framework"
