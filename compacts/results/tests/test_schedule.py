"""The results app's periodic jobs (``schedule.py``, SESSION2 §6): the daily report reminders."""

import datetime

import pytest
from django.utils import timezone

from compacts.core.schedule import jobs, run_due
from compacts.results.schedule import JOBS
from compacts.results.tasks import send_report_reminders


def test_report_reminders_are_declared_daily():
    (job,) = JOBS
    assert job.name == "report-reminders"
    assert job.task is send_report_reminders
    assert job.every == datetime.timedelta(days=1)
    assert jobs()["results:report-reminders"] is job


@pytest.mark.django_db
def test_the_scheduler_runs_the_reminders_once_a_day():
    """Enqueued (and, with the test settings' immediate backend, run) when due, not again until
    a day has passed."""
    now = timezone.now()
    registry = {"results:report-reminders": JOBS[0]}
    assert run_due(now=now, registry=registry) == ["results:report-reminders"]
    assert run_due(now=now + datetime.timedelta(hours=23), registry=registry) == []
    assert run_due(now=now + datetime.timedelta(days=1, minutes=1), registry=registry) == [
        "results:report-reminders"
    ]
