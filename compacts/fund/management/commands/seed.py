"""``compacts seed --scale N``: a synthetic portfolio for benchmarks and load tests.

Each app that has synthetic data provides ``<app>/seed.py`` with
``seed_scale(*, scale, stdout, small=False, **options)``; this command calls them in app order
(the fund first among them, since programmes and the gateway build on its allocations), passing
each the options its signature accepts. Every app's data is labelled synthetic and the run is
resumable.
"""

import importlib
import inspect
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Build a synthetic portfolio (150 funds, 100 donors, ~300,000 postings at --scale 1)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Size multiplier (1 = MPTF Office size)."
        )
        parser.add_argument(
            "--small",
            action="store_true",
            help="Tiny funds (a few postings each): for tests and a quick look.",
        )
        parser.add_argument(
            "--through-services",
            action="store_true",
            help="Write every fund event through the audited services (slow) instead of in bulk.",
        )

    def handle(self, *args, scale: float, small: bool, through_services: bool, **options):
        if not 0 < scale <= 100:
            raise CommandError("--scale must be greater than 0 and at most 100.")
        self.stdout.write(
            f"Seeding synthetic data at scale {scale}{' (small)' if small else ''}..."
        )
        offered = {"scale": scale, "small": small, "through_services": through_services}
        for config in apps.get_app_configs():
            dotted = f"{config.name}.seed"
            if not config.name.startswith("compacts.") or find_spec(dotted) is None:
                continue
            hook = getattr(importlib.import_module(dotted), "seed_scale", None)
            if hook is None:
                continue
            accepted = inspect.signature(hook).parameters
            hook(stdout=self.stdout, **{k: v for k, v in offered.items() if k in accepted})
        self.stdout.write("Synthetic data ready.")
