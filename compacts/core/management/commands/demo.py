from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from compacts.core.loading import run_app_hooks


class Command(BaseCommand):
    help = "Load the illustrative demonstration data set (idempotent)."

    def handle(self, *args, **options):
        # The services send the e-mails a real change would; demonstration data sends none.
        with override_settings(
            MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
        ):
            run_app_hooks("demo", "seed_demo", stdout=self.stdout)
