from django.core.management.base import BaseCommand

from compacts.core.loading import run_app_hooks


class Command(BaseCommand):
    help = "Load the illustrative demonstration data set (idempotent)."

    def handle(self, *args, **options):
        run_app_hooks("demo", "seed_demo", stdout=self.stdout)
