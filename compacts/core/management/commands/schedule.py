"""``compacts schedule list | run-due | loop``: the periodic jobs of ``compacts.core.schedule``."""

import time

from django.core.management.base import BaseCommand

from compacts.core import schedule


class Command(BaseCommand):
    help = "List the periodic jobs, enqueue the due ones once, or keep enqueuing them (loop)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "run-due", "loop"])
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Seconds between passes (loop)."
        )

    def handle(self, *args, action, interval, **options):
        if action == "list":
            for name, job, row in schedule.status():
                due = row.next_due_at.isoformat() if row else "at the next pass"
                last = row.last_enqueued_at.isoformat() if row and row.last_enqueued_at else "never"
                self.stdout.write(f"{name}: every {job.every}; last run {last}; next due {due}")
            return
        while True:
            for name in schedule.run_due():
                self.stdout.write(f"Enqueued {name}.")
            if action == "run-due":
                return
            time.sleep(interval)
