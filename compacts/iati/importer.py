"""Import other publishers' IATI activity files.

The file is streamed with :func:`compacts.iati.xml.iter_records` (hardened parser, constant
memory) and read in batches of :data:`BATCH` records (:class:`_Batch`): a batch is validated at
once (XSD, codelists, IATI Standard ruleset, ``purpose="import"``) and, if it has an error,
activity by activity, so that only the faulty activities are rejected, with the errors each has
on its own. Valid activities are prepared for storing (:func:`prepare_activity`) and upserted a
batch per transaction, so a rejected activity is never half-imported and an activity already
stored is never changed by a bad one. Upsert key: the ``iati-identifier``; a stored activity is
replaced only by a different version that is not older (``last-updated-datetime``), so
importing the same file twice changes nothing. A file that breaks off (truncated, malformed)
keeps the activities read before the break; the run is marked failed with the line, and can
simply be run again.

Large files are read by forked worker processes (:func:`_parts_from_workers`), each validating
and preparing its share of the batches, while this process stores them in file order: the
same run as in one process, faster on a machine with cores to spare.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
import multiprocessing
import operator
import os
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import DatabaseError, connection, connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from lxml import etree

from compacts.core.changes import announce
from compacts.core.permissions import require
from compacts.core.services import audit_record
from compacts.iati.models import (
    ExternalActivity,
    ExternalBudget,
    ExternalCountry,
    ExternalParticipatingOrg,
    ExternalSector,
    ExternalTag,
    ExternalTransaction,
    ImportRun,
    RunStatus,
)
from compacts.iati.validation import validate
from compacts.iati.xml import IatiXmlError, UnsafeXmlError, iter_records

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SUPPORTED_VERSIONS = ("2.01", "2.02", "2.03")
MIGRATION_SECTOR = "15190"
GCM_URI = "https://undocs.org/A/RES/73/195"
REPORT_LIMIT = 5000
BATCH = 100

IMPORTED, UPDATED, SKIPPED, REJECTED = "imported", "updated", "skipped", "rejected"

# Reasons are stored in English with their parameters and translated when shown
# (ImportRun.localized_report), so each reader sees the report in her language.
UNCHANGED = gettext_noop("unchanged: the same version is already imported")
OLDER = gettext_noop("older than the version already imported (last updated %(when)s)")
NOT_STORED = gettext_noop("the activity could not be stored (%(error)s)")
NO_IDENTIFIER = gettext_noop("the activity has no iati-identifier")
DUPLICATE = gettext_noop(
    "the identifier is used more than once in this file (first at line %(line)s); only the "
    "first is imported"
)
INVALID = gettext_noop("validation errors")


def reason(msgid: str = "", **params) -> dict:
    """A report entry's reason: English text, message id and parameters."""
    text = msgid % params if params else msgid
    return {"reason": text, "reason_id": msgid, "reason_params": params}


class ImportAbort(IatiXmlError):
    """The whole file is refused (wrong kind of file, unsupported version)."""


# -- reading one activity ---------------------------------------------------------------------
def _narrative(element: etree._Element | None, language: str) -> tuple[str, dict[str, str]]:
    """The text in the activity's language (or the first one) and every text by language."""
    if element is None:
        return "", {}
    texts: dict[str, str] = {}
    for narrative in element.iterchildren("narrative"):
        lang = narrative.get(XML_LANG) or language
        text = (narrative.text or "").strip()
        if text and lang not in texts:
            texts[lang] = text
    main = texts.get(language) or next(iter(texts.values()), "")
    return main, texts


def _name(element: etree._Element | None, language: str) -> str:
    """``_narrative(element, language)[0]`` without the dictionary: the first non-empty text
    in ``language``, else the first non-empty text (names of organisations, sectors...)."""
    if element is None:
        return ""
    first = ""
    for narrative in element.iterchildren("narrative"):
        text = narrative.text
        if not text or not (text := text.strip()):
            continue
        if (narrative.get(XML_LANG) or language) == language:
            return text
        first = first or text
    return first


def _date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return None


def _datetime(text: str | None) -> datetime.datetime | None:
    try:
        value = datetime.datetime.fromisoformat((text or "").strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


def _decimal(text: str | None) -> Decimal | None:
    try:
        value = Decimal((text or "").strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def read_activity(element: etree._Element) -> dict:
    """The fields and child rows of one ``iati-activity`` as plain values."""
    language = element.get(XML_LANG) or "en"
    currency = element.get("default-currency", "")
    reporting = element.find("reporting-org")
    title, titles = _narrative(element.find("title"), language)
    description = _name(element.find("description"), language)
    dates = {d.get("type"): _date(d.get("iso-date")) for d in element.iterchildren("activity-date")}
    status = element.find("activity-status")
    data = {
        "iati_identifier": (element.findtext("iati-identifier") or "").strip(),
        "last_updated_datetime": _datetime(element.get("last-updated-datetime")),
        "reporting_org_ref": reporting.get("ref", "") if reporting is not None else "",
        "reporting_org_name": _name(reporting, language),
        "reporting_org_type": reporting.get("type", "") if reporting is not None else "",
        "title": title,
        "titles": titles,
        "description": description,
        "status": status.get("code", "") if status is not None else "",
        "default_currency": currency,
        "start_date": dates.get("2") or dates.get("1"),
        "end_date": dates.get("4") or dates.get("3"),
    }
    orgs = [
        {"role": o.get("role", ""), "ref": o.get("ref", ""), "type": o.get("type", ""),
         "name": _name(o, language)[:500], "activity_id_ref": o.get("activity-id", "")}
        for o in element.iterchildren("participating-org")
    ]  # fmt: skip
    countries = [
        {"code": c.get("code", ""), "is_region": False, "vocabulary": "",
         "percentage": _decimal(c.get("percentage"))}
        for c in element.iterchildren("recipient-country")
    ] + [
        {"code": r.get("code", ""), "is_region": True, "vocabulary": r.get("vocabulary", "1"),
         "percentage": _decimal(r.get("percentage"))}
        for r in element.iterchildren("recipient-region")
    ]  # fmt: skip
    sectors = [
        {"vocabulary": s.get("vocabulary", "1"), "code": s.get("code", ""),
         "percentage": _decimal(s.get("percentage")), "name": _name(s, language)[:500]}
        for s in element.iterchildren("sector")
    ]  # fmt: skip
    tags = [
        {"vocabulary": t.get("vocabulary", ""), "vocabulary_uri": t.get("vocabulary-uri", ""),
         "code": t.get("code", ""), "name": _name(t, language)[:500]}
        for t in element.iterchildren("tag")
    ]  # fmt: skip
    budgets = []
    for b in element.iterchildren("budget"):
        value = b.find("value")
        budgets.append({
            "type": b.get("type", ""), "status": b.get("status", ""),
            "period_start": _date(b.find("period-start").get("iso-date")
                                  if b.find("period-start") is not None else None),
            "period_end": _date(b.find("period-end").get("iso-date")
                                if b.find("period-end") is not None else None),
            "value": _decimal(value.text if value is not None else None) or Decimal(0),
            "currency": (value.get("currency") if value is not None else "") or currency,
            "value_date": _date(value.get("value-date") if value is not None else None),
        })  # fmt: skip
    transactions = [
        _transaction(t, language, currency) for t in element.iterchildren("transaction")
    ]
    data["is_migration"] = any(
        s["vocabulary"] in ("1", "") and s["code"] == MIGRATION_SECTOR for s in sectors
    ) or any(t["vocabulary"] == "99" and (t["vocabulary_uri"] == GCM_URI
                                           or t["code"].upper().startswith("GCM"))
             for t in tags)  # fmt: skip
    return {"fields": data, "orgs": orgs, "countries": countries, "sectors": sectors,
            "tags": tags, "budgets": budgets, "transactions": transactions}  # fmt: skip


def _transaction(t: etree._Element, language: str, currency: str) -> dict:
    """One transaction's row: its children are read in one pass (the first of each kind
    counts, as ``find`` would give)."""
    first: dict[str, etree._Element] = {}
    for child in t.iterchildren(*TRANSACTION_PARTS):
        first.setdefault(child.tag, child)
    value, kind, when = (
        first.get("value"),
        first.get("transaction-type"),
        first.get("transaction-date"),
    )
    provider, receiver = first.get("provider-org"), first.get("receiver-org")
    return {
        "ref": t.get("ref", ""),
        "type": kind.get("code", "") if kind is not None else "",
        "date": _date(when.get("iso-date")) if when is not None else None,
        "value": (_decimal(value.text) if value is not None else None) or Decimal(0),
        "currency": (value.get("currency") if value is not None else "") or currency,
        "value_date": _date(value.get("value-date")) if value is not None else None,
        "description": _name(first.get("description"), language),
        "provider_ref": provider.get("ref", "") if provider is not None else "",
        "provider_name": _name(provider, language)[:500],
        "provider_activity_id": provider.get("provider-activity-id", "")
        if provider is not None else "",
        "receiver_ref": receiver.get("ref", "") if receiver is not None else "",
        "receiver_name": _name(receiver, language)[:500],
        "receiver_activity_id": receiver.get("receiver-activity-id", "")
        if receiver is not None else "",
    }  # fmt: skip


TRANSACTION_PARTS = (
    "value", "transaction-type", "transaction-date", "description", "provider-org", "receiver-org",
)  # fmt: skip


CHILDREN = (
    ("orgs", ExternalParticipatingOrg),
    ("countries", ExternalCountry),
    ("sectors", ExternalSector),
    ("tags", ExternalTag),
    ("budgets", ExternalBudget),
    ("transactions", ExternalTransaction),
)


def _decide(existing: ExternalActivity | None, fields: dict, digest: str) -> tuple[str, dict]:
    if existing is None:
        return IMPORTED, reason()
    if existing.content_hash == digest:
        return SKIPPED, reason(UNCHANGED)
    new, old = fields["last_updated_datetime"], existing.last_updated_datetime
    if old is not None and (new is None or new < old):
        return SKIPPED, reason(OLDER, when=old.isoformat())
    return UPDATED, reason()


@functools.cache
def _insert_plan(model) -> tuple[str, tuple]:
    """The INSERT statement of ``model`` (every concrete column but the key) and its fields."""
    fields = tuple(f for f in model._meta.concrete_fields if not f.primary_key)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    # Only names from the model's own metadata, quoted by the backend; values are parameters.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    return sql, fields


AS_IS = (models.CharField, models.TextField, models.BooleanField, models.ForeignKey)


def _adapter(field, wrapper) -> Callable | None:
    """What the ORM's ``get_db_prep_save`` does to a value read by :func:`read_activity`,
    without its chain of calls: nothing for text, booleans and keys; the backend's adapter for
    dates and finite decimals; the ORM's own call for anything else (JSON, date-times)."""
    if isinstance(field, AS_IS):
        return None
    if isinstance(field, models.DecimalField):
        return functools.partial(
            wrapper.ops.adapt_decimalfield_value,
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
        )
    if type(field) is models.DateField:
        return wrapper.ops.adapt_datefield_value
    return functools.partial(field.get_db_prep_save, connection=wrapper)


@functools.cache
def _row_plan(model, alias: str) -> tuple:
    """How a row dictionary becomes the INSERT's parameters: the names in column order (one
    C call takes them out), the adapted columns, the position of the activity's key and of the
    ``auto_now`` / ``auto_now_add`` fields (the current time, as ``save()`` would give them,
    adapted once per batch)."""
    _sql, fields = _insert_plan(model)
    wrapper = connections[alias]  # not the per-thread proxy: looked up once
    names = [f.attname for f in fields]
    stamped = tuple(
        index
        for index, f in enumerate(fields)
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    )
    conversions = tuple(
        (index, adapt)
        for index, f in enumerate(fields)
        if index not in stamped and (adapt := _adapter(f, wrapper)) is not None
    )
    stamp = _adapter(fields[stamped[0]], wrapper) if stamped else None
    key = names.index("activity_id") if "activity_id" in names else None
    return operator.itemgetter(*names), conversions, key, stamped, stamp


def _parameters(model, rows: list[dict]) -> list[list]:
    """``rows`` (dictionaries by field ``attname``) as parameters of ``model``'s INSERT; the
    activity's key and the time stamps are left to :func:`_stamp` (``None``)."""
    getter, conversions, key, stamped, _stamp = _row_plan(model, connection.alias)
    empty = {name: None for name in ("activity_id",) if key is not None}
    empty.update((_insert_plan(model)[1][index].attname, None) for index in stamped)
    parameters = []
    for row in rows:
        row.update(empty)
        values = list(getter(row))
        for index, adapt in conversions:
            values[index] = adapt(values[index])
        parameters.append(values)
    return parameters


def _stamp(model, parameters: list[list]) -> list[list]:
    """Put the current time in the ``auto_now`` columns of ``parameters``."""
    _getter, _conversions, _key, stamped, stamp = _row_plan(model, connection.alias)
    if stamped:
        now = stamp(timezone.now())
        for values in parameters:
            for index in stamped:
                values[index] = now
    return parameters


def _insert(model, parameters: list[list]) -> None:
    """Insert the rows: PostgreSQL's ``COPY`` where there is one, else one prepared statement
    for every row (``executemany``). The ORM's ``bulk_create`` compiles SQL per value: for the
    thirty-odd rows of every imported activity that was most of the import's database time."""
    if not parameters:
        return
    wrapper = connections[connection.alias]
    with wrapper.cursor() as cursor:
        if wrapper.vendor == "postgresql":
            # The driver's own cursor: Django's wrapper has no COPY, so its errors are
            # translated here as Django would (a refused value is a DatabaseError).
            with wrapper.wrap_database_errors, cursor.cursor.copy(_copy_statement(model)) as copy:
                for row in parameters:
                    copy.write_row(row)
        else:
            cursor.executemany(_insert_plan(model)[0], parameters)


@functools.cache
def _copy_statement(model) -> str:
    """``COPY table (columns) FROM STDIN`` for the columns of :func:`_insert_plan`."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in _insert_plan(model)[1])
    return f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"


@functools.cache
def _column(model, attname: str) -> int:
    """The position of a field among ``model``'s INSERT parameters."""
    return [f.attname for f in _insert_plan(model)[1]].index(attname)


@dataclass(slots=True)
class Prepared:
    """An activity read and ready to store, made where it is read (in a worker process when
    there are workers): its fields, its child rows as INSERT parameters (the activity's key
    left to fill), its XML and the XML's SHA-256."""

    fields: dict
    row: list  # the activity's own INSERT parameters (run and time stamps left to fill)
    rows: dict[str, list[list]]
    xml: str
    digest: str


def prepare_activity(element: etree._Element) -> Prepared:
    """Read one ``iati-activity`` (:func:`read_activity`) into a :class:`Prepared`."""
    data = read_activity(element)
    xml = etree.tostring(element, encoding="unicode")
    digest = hashlib.sha256(xml.encode()).hexdigest()
    own = {**data["fields"], "xml": xml, "content_hash": digest, "import_run_id": None}
    return Prepared(
        fields=data["fields"],
        row=_parameters(ExternalActivity, [own])[0],
        rows={key: _parameters(model, data[key]) for key, model in CHILDREN},
        xml=xml,
        digest=digest,
    )


@transaction.atomic
def external_activities_upsert(
    *, items: list[Prepared], run: ImportRun | None
) -> list[tuple[str, dict]]:
    """Store validated activities (with distinct identifiers) in one transaction: each is
    inserted, or replaces the stored one (with its child rows) unless that one is the same or
    newer. Returns ``(outcome, reason)`` per item, in order.

    Batching keeps the number of queries per activity low (one lookup, one insert per table for
    the whole batch); if anything fails, the caller retries activity by activity."""
    identifiers = [item.fields["iati_identifier"] for item in items]
    existing = {
        a.iati_identifier: a
        for a in ExternalActivity.objects.select_for_update()
        .filter(iati_identifier__in=identifiers)
        .defer("xml")
    }
    outcomes, stored, added = [], [], []
    for item in items:
        current = existing.get(item.fields["iati_identifier"])
        outcome, why = _decide(current, item.fields, item.digest)
        outcomes.append((outcome, why))
        if outcome == SKIPPED:
            continue
        stored.append((current, item))
        if current is None:
            added.append(item)
    updated = [current for current, _item in stored if current is not None]
    for _key, model in CHILDREN:
        model.objects.filter(activity__in=updated).delete()
    for current, item in stored:
        if current is not None:
            for key, value in item.fields.items():
                setattr(current, key, value)
            current.xml, current.content_hash, current.import_run = item.xml, item.digest, run
            current.save()
    run_column = _column(ExternalActivity, "import_run_id")
    for item in added:
        item.row[run_column] = run.pk if run else None
    _insert(ExternalActivity, _stamp(ExternalActivity, [item.row for item in added]))
    new = [item.fields["iati_identifier"] for item in added]
    keys = dict(
        ExternalActivity.objects.filter(iati_identifier__in=new).values_list(
            "iati_identifier", "pk"
        )
    )
    for key, model in CHILDREN:
        position = _row_plan(model, connection.alias)[2]
        parameters = []
        for current, item in stored:
            pk = current.pk if current is not None else keys[item.fields["iati_identifier"]]
            for row in item.rows[key]:
                row[position] = pk
                parameters.append(row)
        _insert(model, parameters)
    if stored:
        announce("iati", run_id=run.pk if run else None, stored=len(stored))
    return outcomes


# -- runs ---------------------------------------------------------------------------------------
@transaction.atomic
def import_run_create(*, path: str | os.PathLike, file_name: str = "", actor=None) -> ImportRun:
    """Record a queued import of the file at ``path`` (staff only when ``actor`` is a person)."""
    if actor is not None:
        require(actor, "iati.import.run")
    path = Path(path)
    size = path.stat().st_size if path.exists() else 0
    run = ImportRun.objects.create(
        file_name=(file_name or path.name)[:300], path=str(path), size=size,
        started_by=actor if getattr(actor, "is_authenticated", False) else None,
    )  # fmt: skip
    audit_record(actor=actor, action="iati.import.create", obj=run,
                 after={"file": run.file_name, "size": size})  # fmt: skip
    return run


def import_file(
    *,
    path: str | os.PathLike,
    actor=None,
    file_name: str = "",
    checks=None,
    workers=None,
    progress: Callable[[ImportRun], None] | None = None,
) -> ImportRun:
    """Create a run for ``path`` and execute it now (the command line)."""
    run = import_run_create(path=path, file_name=file_name, actor=actor)
    return import_run_execute(run_id=run.pk, checks=checks, workers=workers, progress=progress)


def import_run_execute(
    *,
    run_id: int,
    checks=None,
    workers: int | None = None,
    progress: Callable[[ImportRun], None] | None = None,
) -> ImportRun:
    """Stream the run's file and import it batch by batch (see the module docstring).

    ``workers``: processes that read and validate the file while this one stores (see
    :func:`_worker_count`; 1 reads in this process). ``progress`` is called with the run after
    each batch (its ``bytes_read``, ``size`` and counts are current), as the browser's progress
    bar reads them from the database. Rerunning a finished or failed run imports the file
    again: activities already imported are skipped as unchanged."""
    run = ImportRun.objects.get(pk=run_id)
    run.status = RunStatus.RUNNING
    run.started_at = timezone.now()
    run.finished_at = None
    run.imported = run.updated = run.skipped = run.rejected = run.bytes_read = 0
    run.report, run.message, run.failed_line = [], "", None
    run.save()
    counts = {IMPORTED: 0, UPDATED: 0, SKIPPED: 0, REJECTED: 0}
    report: list[dict] = []

    def note(entry: dict) -> None:
        counts[entry["outcome"]] += 1
        if len(report) < REPORT_LIMIT:
            report.append(entry)

    try:
        size = os.path.getsize(run.path)
        count = _worker_count(workers, size)
        if count > 1:
            parts = _parts_from_workers(run.path, run.file_name, checks, count)
        else:
            parts = (part for _number, part in _parts(run.path, run.file_name, checks))
        # Closed however the loop ends: the workers stop at once, even if storing fails.
        with contextlib.closing(parts):
            for rejected, valid, position in parts:  # what was read before a break is kept
                for entry in rejected:
                    note(entry)
                for entry in _store(valid, run):
                    note(entry)
                _progress(run, position, counts)
                if progress is not None:
                    progress(run)
        status, message = RunStatus.SUCCEEDED, ""
    except FileNotFoundError:
        status, message = RunStatus.FAILED, _("The uploaded file is no longer available.")
    except IatiXmlError as exc:
        status, message = RunStatus.FAILED, exc.message
        run.failed_line = exc.line
    run.status = status
    run.message = message
    run.imported, run.updated = counts[IMPORTED], counts[UPDATED]
    run.skipped, run.rejected = counts[SKIPPED], counts[REJECTED]
    run.report = sorted(report, key=lambda e: e["line"] or 0)
    run.bytes_read = run.size
    run.finished_at = timezone.now()
    with transaction.atomic():
        run.save()
        audit_record(actor=run.started_by, action=f"iati.import.{status}", obj=run,
                     after={**counts, "message": message[:300]})  # fmt: skip
    return run


# -- reading the file: batches, in this process or in workers ---------------------------------
Part = tuple[list[dict], list[tuple[dict, Prepared]], int]  # (rejected, valid, bytes read)


def _parts(path, name: str, checks, share: int = 0, shares: int = 1) -> Iterator[tuple[int, Part]]:
    """Read the file and yield ``(batch number, part)`` for every batch of :data:`BATCH`
    records whose number is ``share`` modulo ``shares`` (all of them by default): its
    rejections (no identifier, duplicate identifier, validation errors), its valid activities
    read into rows, and how far into the file reading went.

    Every reader reads the whole file (to agree on batches and on identifiers already seen)
    but validates and reads only its own batches. At a break (truncated or malformed file) the
    part read before it is yielded, if it is this reader's, then the error is raised."""
    seen: dict[str, int] = {}
    batch, rejected, number = _Batch(checks), [], 0
    with open(path, "rb") as stream:
        try:
            for index, record in enumerate(iter_records(stream, name=name)):
                if index == 0:
                    _check_file(record)
                mine = number % shares == share
                rejection = _screen_record(record, seen)
                if mine and rejection is not None:
                    rejected.append(rejection)
                elif mine:
                    batch.add(record)
                if (index + 1) % BATCH == 0:
                    if mine:
                        yield number, _part(batch, rejected, stream.tell())
                        rejected = []
                    number += 1
        except IatiXmlError:
            if number % shares == share:
                yield number, _part(batch, rejected, stream.tell())
            raise
        if number % shares == share:
            yield number, _part(batch, rejected, stream.tell())


def _part(batch: _Batch, rejected: list[dict], position: int) -> Part:
    invalid, valid = batch.check()
    return rejected + invalid, valid, position


#: Files from this size up are read by worker processes when the machine has cores to spare.
PARALLEL_FROM_BYTES = 8 * 1024 * 1024
MAX_WORKERS = 4


def _worker_count(workers: int | None, size: int) -> int:
    """How many processes read the file: ``workers`` if given; otherwise one per core (at most
    :data:`MAX_WORKERS`) for a file of :data:`PARALLEL_FROM_BYTES` or more, when this process
    can fork safely (no other thread running); else 1, this process."""
    if workers is not None:
        return max(1, workers)
    if size < PARALLEL_FROM_BYTES or threading.active_count() > 1:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def _parts_from_workers(path, name: str, checks, count: int) -> Iterator[Part]:
    """The parts of :func:`_parts`, read by ``count`` forked processes (reader ``k`` takes the
    batches numbered ``k`` modulo ``count``) and handed back in file order, while this process
    stores them. Workers never touch the database; a worker that is ahead waits on its pipe, so
    memory stays bounded. A break in the file ends the run as it would in one process."""
    _warm_up(checks)
    context = multiprocessing.get_context("fork")
    readers = []
    try:
        for share in range(count):
            receiving, sending = context.Pipe(duplex=False)
            process = context.Process(
                target=_worker, args=(path, name, checks, share, count, sending), daemon=True
            )
            process.start()
            sending.close()
            readers.append((process, receiving))
        number = 0
        while True:
            _process, receiving = readers[number % count]
            try:
                message = receiving.recv()
            except EOFError:
                raise RuntimeError("an IATI import worker stopped without a word") from None
            kind = message[0]
            if kind == "part":
                yield message[1]
                number += 1
            elif kind == "end":
                return
            elif kind == "error":
                error_class = {c.__name__: c for c in (IatiXmlError, ImportAbort, UnsafeXmlError)}
                reason_, source, line, column, class_name = message[1]
                raise error_class[class_name](reason_, source=source, line=line, column=column)
            else:
                raise RuntimeError(f"an IATI import worker failed:\n{message[1]}")
    finally:
        for process, receiving in readers:
            receiving.close()
            if process.is_alive():
                process.terminate()
            process.join()


def _worker(path, name: str, checks, share: int, shares: int, sending) -> None:
    """A reader process: its parts, then "end"; or the error that broke the file."""
    try:
        for _number, part in _parts(path, name, checks, share, shares):
            sending.send(("part", part))
        sending.send(("end",))
    except IatiXmlError as exc:
        details = (exc.reason, exc.source, exc.line, exc.column, type(exc).__name__)
        sending.send(("error", details))
    except Exception:  # noqa: BLE001 - reported to the parent, which raises it
        sending.send(("crash", traceback.format_exc()))
    finally:
        sending.close()


def _warm_up(checks) -> None:
    """Load what every validation needs (schema, codelists, ruleset and its screens) before
    forking, so that each worker starts with it instead of loading it again."""
    document = etree.fromstring(
        b'<iati-activities version="2.03"><iati-activity/></iati-activities>'
    ).getroottree()
    validate(document, kind="activity", purpose="import", **({"checks": checks} if checks else {}))


def _progress(run: ImportRun, position: int, counts: dict) -> None:
    """Record how far the run is (the browser's progress bar polls it), on ``run`` too."""
    run.bytes_read = position
    run.imported, run.updated = counts[IMPORTED], counts[UPDATED]
    run.skipped, run.rejected = counts[SKIPPED], counts[REJECTED]
    ImportRun.objects.filter(pk=run.pk).update(
        bytes_read=position, imported=counts[IMPORTED], updated=counts[UPDATED],
        skipped=counts[SKIPPED], rejected=counts[REJECTED])  # fmt: skip


def _check_file(record) -> None:
    if record.root_tag != "iati-activities":
        raise ImportAbort(
            _("This is an IATI organisation file: the import reads activity files."),
            line=record.line)  # fmt: skip
    version = record.root_attrib.get("version", "")
    if version not in SUPPORTED_VERSIONS:
        raise ImportAbort(
            _("IATI version %(version)s is not supported: the import reads versions %(ok)s.")
            % {"version": version or "?", "ok": ", ".join(SUPPORTED_VERSIONS)},
            line=1)  # fmt: skip


def _store(pending: list[tuple[dict, Prepared]], run: ImportRun) -> list[dict]:
    """Store a batch; if the batch fails as a whole (a value the database refuses), store its
    activities one by one so that only the faulty one is rejected."""
    if not pending:
        return []
    try:
        outcomes = external_activities_upsert(items=[item for _e, item in pending], run=run)
    except DatabaseError:
        outcomes = []
        for _entry, item in pending:
            try:
                outcomes.append(external_activities_upsert(items=[item], run=run)[0])
            except DatabaseError as exc:
                outcomes.append((REJECTED, reason(NOT_STORED, error=str(exc)[:200])))
    return [
        {**entry, "outcome": outcome, **why, "errors": []}
        for (entry, _item), (outcome, why) in zip(pending, outcomes, strict=True)
    ]


def _screen_record(record, seen: dict[str, int]) -> dict | None:
    """The rejection entry of a record without an identifier or with one already read in the
    file; ``None`` for a record to validate."""
    identifier = record.identifier
    entry = {"identifier": identifier or "", "line": record.line}
    if not identifier:
        return {**entry, "outcome": REJECTED, **reason(NO_IDENTIFIER), "errors": []}
    if identifier in seen:
        why = reason(DUPLICATE, line=seen[identifier])
        return {**entry, "outcome": REJECTED, "errors": [], **why}
    seen[identifier] = record.line
    return None


class _Batch:
    """Records gathered under one root to be validated together.

    The XSD, the codelists and the ruleset's screens run once over the batch document: each
    activity alone gets exactly the errors it gets within the batch (the 2.03 schema has no
    identity constraint, codelist checks are per value, and the Standard ruleset's contexts
    and paths stay inside one activity), so a batch without errors is a batch of valid
    activities. A batch with an error is validated again activity by activity, for the
    report, and only the faulty ones are rejected."""

    def __init__(self, checks) -> None:
        self.kwargs = {"checks": checks} if checks else {}
        self.root: etree._Element | None = None
        self.entries: list[dict] = []

    def __len__(self) -> int:
        return len(self.entries)

    def add(self, record) -> None:
        if self.root is None:
            self.root = record.shell()
        record.detach(self.root)  # moved, not copied: the file's own line numbers
        self.entries.append({"identifier": record.identifier, "line": record.line})

    def check(self) -> tuple[list[dict], list[tuple[dict, Prepared]]]:
        """``(rejection entries, [(entry, prepared activity)] of the valid ones)``; empties the
        batch."""
        if not self.entries:
            return [], []
        root, entries = self.root, self.entries
        self.root, self.entries = None, []
        elements = list(root)
        report = validate(root.getroottree(), kind="activity", purpose="import", **self.kwargs)
        if not report.errors:
            return [], [
                (entry, prepare_activity(e)) for entry, e in zip(entries, elements, strict=True)
            ]
        rejected, valid = [], []
        for entry, element in zip(entries, elements, strict=True):
            alone = etree.Element(root.tag, attrib=root.attrib, nsmap=root.nsmap)
            alone.append(element)
            errors = validate(
                alone.getroottree(), kind="activity", purpose="import", **self.kwargs
            ).errors
            if errors:
                listed = [
                    {"line": f.line, "rule_id": f.rule_id, "message": str(f.message)[:300]}
                    for f in errors[:20]
                ]
                rejected.append({**entry, "outcome": REJECTED, **reason(INVALID), "errors": listed})
            else:
                valid.append((entry, prepare_activity(element)))
        return rejected, valid
