from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "compacts.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Each app declares the rules of its protected operations in <app>/permissions.py.
        autodiscover_modules("permissions")
