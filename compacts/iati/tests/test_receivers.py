"""Keeping the published files current: changes to the fund, programmes or results enqueue one
refresh of the published files (debounced), other topics none."""

import datetime

import pytest
from django.db import transaction
from django.tasks.signals import task_enqueued
from django.utils import timezone

from compacts.core.changes import announce
from compacts.iati.models import IatiExportRun, PublisherSettings
from compacts.iati.receivers import STALE_AFTER, publication_refresh_started
from compacts.iati.services import publisher_settings_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def enqueued():
    """The names of the tasks enqueued during the test."""
    names: list[str] = []

    def record(sender, task_result, **kwargs):
        names.append(task_result.task.name)

    task_enqueued.connect(record, dispatch_uid="iati-test-enqueued")
    yield names
    task_enqueued.disconnect(dispatch_uid="iati-test-enqueued")


@pytest.fixture
def queued_tasks(settings):
    """Tasks are queued, not run (as with the database worker)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def _refreshes(names: list[str]) -> int:
    return names.count("publication_refresh")


def test_a_burst_of_changes_enqueues_one_refresh(
    queued_tasks, enqueued, django_capture_on_commit_callbacks
):
    """Three fund/programme changes in a row: one refresh is enqueued and marked pending."""
    with django_capture_on_commit_callbacks(execute=True):
        announce("fund", fund_id=1)
        announce("programmes", programme_id=2)
        announce("fund", fund_id=1)
    assert _refreshes(enqueued) == 1
    assert publisher_settings_get().refresh_requested_at is not None
    # Later changes while the refresh waits for the worker add nothing.
    with django_capture_on_commit_callbacks(execute=True):
        announce("results", programme_id=2)
    assert _refreshes(enqueued) == 1


def test_a_change_during_the_refresh_enqueues_the_next(
    queued_tasks, enqueued, django_capture_on_commit_callbacks
):
    """The task clears the mark when it starts: a change made after that is not lost."""
    with django_capture_on_commit_callbacks(execute=True):
        announce("fund", fund_id=1)
    publication_refresh_started()
    assert publisher_settings_get().refresh_requested_at is None
    with django_capture_on_commit_callbacks(execute=True):
        announce("fund", fund_id=1)
    assert _refreshes(enqueued) == 2


def test_other_topics_and_rolled_back_changes_enqueue_nothing(
    queued_tasks, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        announce("network", practice_id=1)
        announce("iati", run_id=1)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                announce("fund", fund_id=1)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert _refreshes(enqueued) == 0
    assert publisher_settings_get().refresh_requested_at is None


def test_a_stale_mark_does_not_block_refreshes(
    queued_tasks, enqueued, django_capture_on_commit_callbacks
):
    """A refresh requested long ago that never started (worker gone) is requested again."""
    publisher_settings_get()
    long_ago = timezone.now() - STALE_AFTER - datetime.timedelta(minutes=1)
    PublisherSettings.objects.update(refresh_requested_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        announce("fund", fund_id=1)
    assert _refreshes(enqueued) == 1
    assert publisher_settings_get().refresh_requested_at > long_ago


def test_inline_tasks_refresh_nothing_unless_asked(enqueued, django_capture_on_commit_callbacks):
    """With the immediate backend (tasks run inside the caller) a change does not block its
    caller with an export, unless IATI_REFRESH_INLINE says so."""
    with django_capture_on_commit_callbacks(execute=True):
        announce("fund", fund_id=1)
    assert _refreshes(enqueued) == 0
    assert not IatiExportRun.objects.exists()


def test_a_deposit_republishes_the_files(
    publication_dir, client, enqueued, django_capture_on_commit_callbacks, settings
):
    """End to end with tasks run at once: recording a deposit publishes a new valid file that
    shows it, and the mark is cleared."""
    from compacts.fund import services
    from compacts.fund.tests import factories

    settings.IATI_REFRESH_INLINE = True

    with django_capture_on_commit_callbacks(execute=True):
        the_fund, _orgs, donor, _commitment, _allocations = factories.funded("1000.00")
    first = IatiExportRun.objects.get(is_published=True)
    assert first.status == "succeeded", first.findings
    assert publisher_settings_get().refresh_requested_at is None
    with django_capture_on_commit_callbacks(execute=True):
        commitment = services.commitment_create(
            fund=the_fund, donor=donor, amount="250.00", currency="USD",
            signed_on=datetime.date(2025, 3, 15), actor=None,
        )  # fmt: skip
        services.deposit_create(
            commitment=commitment, amount="250.00", currency="USD",
            value_date=datetime.date(2025, 3, 15), actor=None, idempotency_key="iati-refresh",
        )  # fmt: skip
    latest = IatiExportRun.objects.get(is_published=True)
    assert latest.pk > first.pk
    served = b"".join(client.get("/iati/activities.xml").streaming_content)
    assert b"250.00" in served
    assert publisher_settings_get().refresh_requested_at is None
