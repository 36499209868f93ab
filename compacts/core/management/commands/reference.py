from django.core.management.base import BaseCommand

from compacts.core.loading import run_app_hooks


class Command(BaseCommand):
    help = "Load the reference data shipped in the package (idempotent; strict)."

    def handle(self, *args, **options):
        run_app_hooks("reference", "load_reference", stdout=self.stdout)
