"""Writes of the iati app: export runs, the publication and imports of other publishers' files.

``iati_publication_refresh(*, reason)`` is the one call other apps make when data that the
published files show has changed (a deposit, a transfer, a programme moving state...): it
enqueues the export task after the current transaction commits, so the public URLs
``/iati/activities.xml`` and ``/iati/organisation.xml`` follow the data.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from compacts.core.exceptions import ApplicationError
from compacts.core.permissions import require
from compacts.core.services import audit_record
from compacts.iati.models import IatiExportRun, PublisherSettings, RunStatus

KEEP_RUNS = 5


def publisher_settings_get() -> PublisherSettings:
    """The publisher settings row, created with its defaults the first time."""
    settings, _created = PublisherSettings.objects.get_or_create(key="default")
    return settings


def publication_root() -> Path:
    return Path(default_storage.path("iati"))


def _fund(publisher: PublisherSettings):
    from compacts.fund.selectors import fund_list

    funds = fund_list()
    if publisher.fund_code:
        funds = funds.filter(code=publisher.fund_code)
    fund = funds.first()
    if fund is None:
        raise ApplicationError("There is no fund to publish.", {"fund": publisher.fund_code})
    return fund


def iati_export(
    *, reason: str, actor=None, directory: Path | None = None, publish: bool = True,
    today=None, validate_records: bool = True,
) -> IatiExportRun:  # fmt: skip
    """Write and validate the activity, organisation and registry-record files.

    Into ``directory`` when given (the ``compacts iati export --output DIR`` command), otherwise
    into a new folder of the publication area; when every file is valid (no schema, codelist
    or ruleset error) and ``publish`` is true, the run becomes the published one. A failed run
    leaves the previous publication in place."""
    if actor is not None:
        require(actor, "iati.export.run")
    from compacts.iati.export.source import Source
    from compacts.iati.export.writer import ACTIVITIES, ORGANISATION, REGISTRY, write_files

    with transaction.atomic():
        run = IatiExportRun.objects.create(
            status=RunStatus.RUNNING, reason=reason[:300], started_at=timezone.now()
        )
        audit_record(actor=actor, action="iati.export.start", obj=run, after={"reason": reason})
    target = Path(directory) if directory else publication_root() / f"run-{run.pk}"
    try:
        publisher = publisher_settings_get()
        source = Source(fund=_fund(publisher), publisher=publisher, today=today)
        result = write_files(source=source, directory=target, validate_records=validate_records)
    except ApplicationError as exc:
        return _finish(run, status=RunStatus.FAILED, message=exc.message, actor=actor)
    skipped = [
        {"severity": "warning", "source": "check", "rule_id": "compacts:future-posting",
         "message": f"posting {s['posting']} not published: {s['reason']}", "line": None,
         "activity": None, "file": ACTIVITIES}
        for s in source.skipped
    ]  # fmt: skip
    result.add(skipped)
    findings = result.findings
    run.directory = str(target)
    run.activities_file = str(target / ACTIVITIES)
    run.organisation_file = str(target / ORGANISATION)
    run.registry_file = str(target / REGISTRY)
    run.activity_count = result.activity_count
    run.error_count = result.error_count
    run.warning_count = result.warning_count
    run.findings = [_jsonable(f) for f in findings[:500]]
    if result.error_count:
        message = f"{result.error_count} error(s): the files are not offered."
        return _finish(run, status=RunStatus.FAILED, actor=actor, message=message)
    return _finish(run, status=RunStatus.SUCCEEDED, actor=actor, publish=publish and not directory,
                   message=f"{result.activity_count} activities written and valid.")  # fmt: skip


def _jsonable(finding: dict) -> dict:
    return {key: (value if isinstance(value, int | float | bool | type(None)) else str(value))
            for key, value in finding.items()}  # fmt: skip


@transaction.atomic
def _finish(run, *, status, message, actor, publish: bool = False) -> IatiExportRun:
    run.status = status
    run.message = message
    run.finished_at = timezone.now()
    if publish:
        IatiExportRun.objects.filter(is_published=True).update(is_published=False)
        run.is_published = True
    run.save()
    audit_record(actor=actor, action=f"iati.export.{status}", obj=run,
                 after={"activities": run.activity_count, "errors": run.error_count,
                        "published": run.is_published})  # fmt: skip
    if publish:
        transaction.on_commit(_prune_old_runs)
    return run


def _prune_old_runs() -> None:
    """Keep the files of the last few runs (and always the published one)."""
    root = publication_root()
    keep = set(IatiExportRun.objects.values_list("pk", flat=True)[:KEEP_RUNS])
    keep |= set(IatiExportRun.objects.filter(is_published=True).values_list("pk", flat=True))
    if not root.exists():
        return
    for folder in root.glob("run-*"):
        number = folder.name.removeprefix("run-")
        if number.isdigit() and int(number) not in keep:
            shutil.rmtree(folder, ignore_errors=True)


def iati_publication_refresh(*, reason: str) -> None:
    """Regenerate the published IATI files in the background, once the caller's transaction
    commits (a rolled-back change enqueues nothing). Safe to call often: each task run
    exports the data as it is when the task runs."""
    from compacts.iati.tasks import publication_refresh

    transaction.on_commit(lambda: publication_refresh.enqueue(reason=reason[:300]))
