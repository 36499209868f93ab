from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "compacts.programmes"
    label = "programmes"
