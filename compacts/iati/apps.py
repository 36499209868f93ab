from django.apps import AppConfig


class IatiConfig(AppConfig):
    name = "compacts.iati"
    label = "iati"

    def ready(self) -> None:
        # Connects the receiver that keeps the published files current (compacts.core.changes).
        from compacts.iati import receivers  # noqa: F401
