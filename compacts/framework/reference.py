"""Load the framework's reference data: called by ``compacts reference`` and ``compacts up``.

Every source is read and checked in full before anything is written, the whole load runs in one
transaction (a malformed file leaves the database as it was), rows are upserted on their natural
keys, and a source whose files have not changed since its last load is skipped.
"""

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from compacts.core.services import audit_record
from compacts.framework.loaders import codelists, gcm, gcr, m49, mptf, sdg
from compacts.framework.loaders.base import DATA_DIR, SyncResult, checksum
from compacts.framework.models import ReferenceSource


@dataclass(frozen=True)
class Source:
    name: str
    files: Callable[[Path], list[Path]]
    load: Callable[[Path], dict[str, SyncResult]]


def _listed(names: list[str]) -> Callable[[Path], list[Path]]:
    return lambda data_dir: [data_dir / name for name in names]


# In dependency order: SDG links need the GCM objectives, the MPTF mapping too.
SOURCES = [
    Source("iati-codelists", codelists.files, codelists.load),
    Source("un-m49", _listed(m49.FILES), m49.load),
    Source("gcm", _listed(gcm.FILES), gcm.load),
    Source("sdg", _listed(sdg.FILES), sdg.load),
    Source("gcr", _listed(gcr.FILES), gcr.load),
    Source("mptf", _listed(mptf.FILES), mptf.load),
]


@transaction.atomic
def load_reference(
    *, stdout=None, data_dir: Path | None = None, force: bool = False
) -> dict[str, dict]:
    """Load every framework source; returns the counts per source (``{}`` for skipped ones).

    ``force`` reloads sources whose files are unchanged (the upsert still writes nothing when the
    database already matches). Raises ``DataFileError`` naming the file and line of a problem.
    """
    stdout = stdout or sys.stdout
    data_dir = data_dir or DATA_DIR
    report: dict[str, dict] = {}
    for source in SOURCES:
        digest = checksum(source.files(data_dir))
        record, _ = ReferenceSource.objects.get_or_create(name=source.name)
        if record.checksum == digest and not force:
            stdout.write(f"framework: {source.name}: unchanged, skipped\n")
            report[source.name] = {}
            continue
        results = source.load(data_dir)
        counts = {
            label: {"created": r.created, "updated": r.updated, "unchanged": r.unchanged}
            for label, r in results.items()
        }
        changed = any(r.changed for r in results.values())
        before = {"checksum": record.checksum, "counts": record.counts}
        record.checksum, record.counts, record.loaded_at = digest, counts, timezone.now()
        record.save(update_fields=["checksum", "counts", "loaded_at", "updated_at"])
        if changed or before["checksum"] != digest:
            audit_record(
                actor=None,
                action="framework.reference.load",
                obj=record,
                before=before,
                after={"checksum": digest, "counts": counts},
            )
        summary = ", ".join(
            f"{label} {r.created + r.updated + r.unchanged} ({r.created} new, {r.updated} updated)"
            for label, r in results.items()
        )
        stdout.write(f"framework: {source.name}: {summary}\n")
        report[source.name] = counts
    return report
