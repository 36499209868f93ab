"""Announcing that public data changed, so caches and derived files follow at once.

Services that change what the public sees call ``announce("fund", ...)`` inside their
transaction. After the transaction commits, the topic's ``DataVersion`` is raised and
``data_changed`` is sent; nothing happens if it rolls back. Readers build cache keys with
``versions_key(...)`` (one query for any number of topics), so a new deposit shows on the next
request in every server process, with no cache entry to find and delete.

Receivers of ``data_changed`` get ``topic`` and ``details`` (a dict, e.g. ``{"fund_id": 1}``);
the IATI app, for instance, refreshes its published files. A receiver that fails is logged and
does not undo the change, which is already committed.
"""

import logging
import time

from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.dispatch import Signal

from compacts.core.models import DataVersion

logger = logging.getLogger(__name__)

data_changed = Signal()

BUMP_ATTEMPTS = 5
TOPICS = ("fund", "programmes", "results", "network", "tracking", "iati", "framework", "actors")


def announce(topic: str, **details) -> None:
    """Say that data under ``topic`` changed; effective when the current transaction commits."""
    if topic not in TOPICS:
        raise ValueError(f"Unknown data topic {topic!r}; known topics: {', '.join(TOPICS)}.")
    transaction.on_commit(lambda: _after_commit(topic, details))


def _after_commit(topic: str, details: dict) -> None:
    """Never raises: the caller's change is committed, and its caller must hear that it was."""
    for attempt in range(BUMP_ATTEMPTS):
        try:
            bump(topic)
            break
        except OperationalError as error:  # SQLite "database table is locked" under contention
            if attempt == BUMP_ATTEMPTS - 1:
                logger.error("Could not raise the version of %s: %r", topic, error)
                return
            time.sleep(0.05 * (attempt + 1))
    for _receiver, result in data_changed.send_robust(sender=None, topic=topic, details=details):
        if isinstance(result, Exception):
            logger.error(
                "A receiver of data_changed failed for %s: %r", topic, result, exc_info=result
            )


def bump(topic: str) -> int:
    """Raise ``topic``'s version now and return the new version."""
    with transaction.atomic():
        updated = DataVersion.objects.filter(topic=topic).update(version=F("version") + 1)
        if not updated:
            _row, created = DataVersion.objects.get_or_create(topic=topic, defaults={"version": 1})
            if not created:  # another process created it first: count this change too
                DataVersion.objects.filter(topic=topic).update(version=F("version") + 1)
    return DataVersion.objects.get(topic=topic).version


def versions(*topics: str) -> dict[str, int]:
    """The current version of each topic (0 for a topic never announced), in one query."""
    if not topics:
        return {}
    # Plain SQL: every cached page and figure asks this, and the ORM would spend longer building
    # the query than the database spends answering it.
    table = connection.ops.quote_name(DataVersion._meta.db_table)
    marks = ", ".join(["%s"] * len(topics))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT topic, version FROM {table} WHERE topic IN ({marks})", topics)  # noqa: S608 - the table name is the model's
        found = dict(cursor.fetchall())
    return {topic: found.get(topic, 0) for topic in topics}


def versions_key(*topics: str) -> str:
    """A cache-key fragment that changes whenever any of ``topics`` changes."""
    current = versions(*topics)
    return "|".join(f"{topic}:{current[topic]}" for topic in sorted(current))
