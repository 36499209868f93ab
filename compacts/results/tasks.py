"""Background tasks of the results app (Django's tasks API; the database worker runs them)."""

from django.tasks import task


@task()
def send_report_reminders() -> int:
    """Daily: remind programmes of reports due within two weeks or overdue."""
    from compacts.results.services import report_reminders_send

    return report_reminders_send()
