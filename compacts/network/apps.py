from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "compacts.network"
    label = "network"
