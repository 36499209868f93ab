"""Periodic jobs of the results app (``compacts.core.schedule``; SESSION2 §6): the scheduler that
``compacts up`` runs enqueues each one when it is due."""

from datetime import timedelta

from compacts.core.schedule import Job
from compacts.results.tasks import send_report_reminders

JOBS = [Job(name="report-reminders", task=send_report_reminders, every=timedelta(days=1))]
