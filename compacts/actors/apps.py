from django.apps import AppConfig


class ActorsConfig(AppConfig):
    name = "compacts.actors"
    label = "actors"
