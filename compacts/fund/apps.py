from django.apps import AppConfig


class FundConfig(AppConfig):
    name = "compacts.fund"
    label = "fund"
