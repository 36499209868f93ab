from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "compacts.tracking"
    label = "tracking"
