from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "compacts.results"
    label = "results"
