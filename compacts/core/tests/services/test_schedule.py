"""Periodic jobs are enqueued when due, once per due time, and missed periods are not repeated."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.tasks import task

from compacts.core.models import ScheduledJob
from compacts.core.schedule import Job, _next_due, jobs, run_due

RUNS: list[str] = []


@task()
def remember() -> int:
    RUNS.append("ran")
    return len(RUNS)


@pytest.fixture
def registry():
    RUNS.clear()
    return {"core:remember": Job(name="remember", task=remember, every=timedelta(days=1))}


T0 = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)


@pytest.mark.django_db
class RunDueTests:
    def test_a_new_job_runs_at_once_then_waits_for_its_interval(self, registry):
        assert run_due(now=T0, registry=registry) == ["core:remember"]
        assert RUNS == ["ran"]  # the test settings run tasks immediately
        row = ScheduledJob.objects.get(name="core:remember")
        assert (row.runs, row.last_enqueued_at, row.next_due_at) == (1, T0, T0 + timedelta(days=1))
        assert run_due(now=T0 + timedelta(hours=23), registry=registry) == []
        assert run_due(now=T0 + timedelta(days=1), registry=registry) == ["core:remember"]
        assert len(RUNS) == 2

    def test_after_a_long_stop_a_missed_job_runs_once_and_keeps_its_cadence(self, registry):
        run_due(now=T0, registry=registry)
        later = T0 + timedelta(days=5, hours=3)
        assert run_due(now=later, registry=registry) == ["core:remember"]
        assert run_due(now=later, registry=registry) == []
        assert len(RUNS) == 2
        row = ScheduledJob.objects.get(name="core:remember")
        assert row.next_due_at == T0 + timedelta(days=6)

    def test_the_command_lists_and_runs_the_registered_jobs(self, capsys):
        call_command("schedule", "list")
        listed = capsys.readouterr().out.splitlines()
        assert [line.split(":")[0] + ":" + line.split(":")[1] for line in listed] == sorted(jobs())
        assert all("next due at the next pass" in line for line in listed)
        call_command("schedule", "run-due")
        assert set(ScheduledJob.objects.values_list("name", flat=True)) == set(jobs())
        assert all(row.runs == 1 for row in ScheduledJob.objects.all())


def test_next_due_skips_missed_periods():
    day = timedelta(days=1)
    assert _next_due(T0, day, T0 - timedelta(hours=1)) == T0
    assert _next_due(T0, day, T0) == T0 + day
    assert _next_due(T0, day, T0 + 3 * day + timedelta(seconds=1)) == T0 + 4 * day


def test_a_job_must_repeat():
    with pytest.raises(ValueError, match="positive interval"):
        Job(name="never", task=remember, every=timedelta(0))
