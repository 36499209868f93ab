"""Periodic jobs: an app lists them in ``compacts/<app>/schedule.py``::

    from datetime import timedelta
    from compacts.core.schedule import Job
    from compacts.results.tasks import send_report_reminders

    JOBS = [Job(name="report-reminders", task=send_report_reminders, every=timedelta(days=1))]

``compacts up`` runs ``compacts schedule loop`` beside the task worker: every ``interval`` seconds
it enqueues each job that is due (Django's tasks API; the database worker runs it). A job's row
in ``ScheduledJob`` is locked while it is enqueued and then moved on by ``every``, so two
schedulers never both enqueue it, and after a stop a missed run happens once at the next pass,
not once per missed period. A job seen for the first time is due at once.
"""

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib.util import find_spec

from django.apps import apps
from django.db import transaction
from django.tasks import Task
from django.utils import timezone

from compacts.core.models import ScheduledJob


@dataclass(frozen=True)
class Job:
    name: str
    task: Task
    every: timedelta

    def __post_init__(self) -> None:
        if self.every <= timedelta(0):
            raise ValueError(f"Job {self.name!r} must repeat after a positive interval.")


@cache
def jobs() -> dict[str, Job]:
    """Every app's jobs by full name (``app_label:name``)."""
    found: dict[str, Job] = {}
    for config in apps.get_app_configs():
        dotted = f"{config.name}.schedule"
        if not config.name.startswith("compacts.") or find_spec(dotted) is None:
            continue
        for job in getattr(importlib.import_module(dotted), "JOBS", []):
            found[f"{config.label}:{job.name}"] = job
    return found


def _next_due(due: datetime, every: timedelta, now: datetime) -> datetime:
    """The first time after ``now`` on the job's cadence (missed periods are not repeated)."""
    if due > now:
        return due
    missed = (now - due) // every + 1
    return due + missed * every


def run_due(*, now: datetime | None = None, registry: dict[str, Job] | None = None) -> list[str]:
    """Enqueue every job that is due at ``now``; return their names."""
    now = now or timezone.now()
    enqueued = []
    for name, job in sorted((registry if registry is not None else jobs()).items()):
        with transaction.atomic():
            ScheduledJob.objects.get_or_create(name=name, defaults={"next_due_at": now})
            row = ScheduledJob.objects.select_for_update().get(name=name)
            if row.next_due_at > now:
                continue
            result = job.task.enqueue()
            row.last_enqueued_at = now
            row.last_task_id = str(getattr(result, "id", ""))[:64]
            row.next_due_at = _next_due(row.next_due_at, job.every, now)
            row.runs += 1
            row.save()
            enqueued.append(name)
    return enqueued


JobStatus = tuple[str, Job, ScheduledJob | None]


def status(*, registry: dict[str, Job] | None = None) -> Iterator[JobStatus]:
    """Each job with its row (None before its first run)."""
    rows = {row.name: row for row in ScheduledJob.objects.all()}
    for name, job in sorted((registry if registry is not None else jobs()).items()):
        yield name, job, rows.get(name)
