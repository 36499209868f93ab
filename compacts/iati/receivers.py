"""Keep the published IATI files current: react to ``compacts.core.changes.data_changed``.

The fund's files show the ledger (topic ``fund``), the programmes (``programmes``) and their
results (``results``). When one of these topics changes, a refresh of the published files is
enqueued (the ``publication_refresh`` task), at most one at a time: the first change of a burst
marks a refresh as requested (``PublisherSettings.refresh_requested_at``) and enqueues the task;
later changes see the mark and enqueue nothing. The task clears the mark when it *starts*, so a
change made while an export runs enqueues the next refresh and is never lost. A mark older than
:data:`STALE_AFTER` (a worker that died before running the task) no longer blocks refreshes.

``data_changed`` is sent after the change is committed (see ``compacts.core.changes``), so the
export reads the new data.

With a task backend that runs tasks inline (``ImmediateBackend``, the test settings) every
change would block its caller for a whole export, so changes then refresh nothing unless the
setting ``IATI_REFRESH_INLINE`` is true (``uv run compacts iati export --publish`` or the
task refresh by hand). The database worker of ``compacts up`` runs them in the background.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone

from compacts.core.changes import data_changed

#: Topics whose data the published activity and organisation files show.
PUBLISHED_TOPICS = frozenset({"fund", "programmes", "results"})
#: After this long a requested refresh that never started is requested again.
STALE_AFTER = datetime.timedelta(minutes=30)


def publication_refresh_request(*, reason: str) -> bool:
    """Enqueue a refresh of the published files unless one is already waiting to run.

    Returns whether a refresh was enqueued. The check and the mark are one conditional
    ``UPDATE``, so two processes announcing at once enqueue one refresh between them."""
    from compacts.iati.models import PublisherSettings
    from compacts.iati.services import iati_publication_refresh, publisher_settings_get

    publisher_settings_get()  # the row exists
    now = timezone.now()
    idle = Q(refresh_requested_at__isnull=True) | Q(refresh_requested_at__lt=now - STALE_AFTER)
    claimed = PublisherSettings.objects.filter(idle, key="default").update(refresh_requested_at=now)
    if not claimed:
        return False
    iati_publication_refresh(reason=reason)
    return True


def publication_refresh_started() -> None:
    """Clear the mark: changes from now on need a new refresh (called when the task starts)."""
    from compacts.iati.models import PublisherSettings

    PublisherSettings.objects.filter(key="default").update(refresh_requested_at=None)


def _runs_inline() -> bool:
    """Whether the refresh task would run inside the caller (``ImmediateBackend``)."""
    from django.tasks import task_backends
    from django.tasks.backends.immediate import ImmediateBackend

    from compacts.iati.tasks import publication_refresh

    return isinstance(task_backends[publication_refresh.backend], ImmediateBackend)


@receiver(data_changed, dispatch_uid="iati.publication_refresh")
def _on_data_changed(sender, *, topic: str, details: dict, **kwargs) -> None:  # noqa: ARG001
    if topic not in PUBLISHED_TOPICS:
        return
    if _runs_inline() and not getattr(settings, "IATI_REFRESH_INLINE", False):
        return
    summary = ", ".join(f"{key}={value}" for key, value in sorted(details.items()))
    publication_refresh_request(reason=f"{topic} changed" + (f" ({summary})" if summary else ""))
