"""``compacts report_reminders``: enqueue the reminders of reports due soon or overdue (run it
daily, for example from cron or a systemd timer; the database worker sends the e-mails)."""

from django.core.management.base import BaseCommand

from compacts.results.tasks import send_report_reminders


class Command(BaseCommand):
    help = "Enqueue the reminders of programme reports due within two weeks or overdue."

    def handle(self, *args, **options):
        result = send_report_reminders.enqueue()
        self.stdout.write(f"Report reminders enqueued (task {result.id}).")
