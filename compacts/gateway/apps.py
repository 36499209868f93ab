from django.apps import AppConfig


class GatewayConfig(AppConfig):
    name = "compacts.gateway"
    label = "gateway"
