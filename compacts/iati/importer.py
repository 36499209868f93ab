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
import mmap
import multiprocessing
import operator
import os
import re
import threading
import time
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
from compacts.iati.xml import PARSER_OPTIONS, IatiXmlError, iter_records

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
    """The fields and child rows of one ``iati-activity`` as plain values. The activity's
    children are read in one pass (the first of each single element counts, as ``find``
    would give); ElementPath's ``find`` costs several times more per call."""
    language = element.get(XML_LANG) or "en"
    currency = element.get("default-currency", "")
    first: dict[str, etree._Element] = {}
    dates: dict[str | None, datetime.date | None] = {}
    orgs, countries, sectors, tags, budgets, transactions = [], [], [], [], [], []
    for child in element.iterchildren(*ACTIVITY_PARTS):
        tag = child.tag
        get = child.get
        if tag == "transaction":
            transactions.append(_transaction(child, language, currency))
        elif tag == "participating-org":
            orgs.append({"role": get("role", ""), "ref": get("ref", ""), "type": get("type", ""),
                         "name": _name(child, language)[:500],
                         "activity_id_ref": get("activity-id", "")})  # fmt: skip
        elif tag == "recipient-country":
            countries.append({"code": get("code", ""), "is_region": False, "vocabulary": "",
                              "percentage": _decimal(get("percentage"))})  # fmt: skip
        elif tag == "recipient-region":
            countries.append({"code": get("code", ""), "is_region": True,
                              "vocabulary": get("vocabulary", "1"),
                              "percentage": _decimal(get("percentage"))})  # fmt: skip
        elif tag == "sector":
            sectors.append({"vocabulary": get("vocabulary", "1"), "code": get("code", ""),
                            "percentage": _decimal(get("percentage")),
                            "name": _name(child, language)[:500]})  # fmt: skip
        elif tag == "tag":
            tags.append({"vocabulary": get("vocabulary", ""),
                         "vocabulary_uri": get("vocabulary-uri", ""), "code": get("code", ""),
                         "name": _name(child, language)[:500]})  # fmt: skip
        elif tag == "budget":
            budgets.append(_budget(child, currency))
        elif tag == "activity-date":
            dates[get("type")] = _date(get("iso-date"))  # the last of a type counts
        else:
            first.setdefault(tag, child)
    # Regions after countries, as the rows were always ordered.
    countries.sort(key=lambda row: row["is_region"])
    reporting, status = first.get("reporting-org"), first.get("activity-status")
    title, titles = _narrative(first.get("title"), language)
    identifier = first.get("iati-identifier")
    data = {
        "iati_identifier": (identifier.text or "").strip() if identifier is not None else "",
        "last_updated_datetime": _datetime(element.get("last-updated-datetime")),
        "reporting_org_ref": reporting.get("ref", "") if reporting is not None else "",
        "reporting_org_name": _name(reporting, language),
        "reporting_org_type": reporting.get("type", "") if reporting is not None else "",
        "title": title,
        "titles": titles,
        "description": _name(first.get("description"), language),
        "status": status.get("code", "") if status is not None else "",
        "default_currency": currency,
        "start_date": dates.get("2") or dates.get("1"),
        "end_date": dates.get("4") or dates.get("3"),
    }
    data["is_migration"] = any(
        s["vocabulary"] in ("1", "") and s["code"] == MIGRATION_SECTOR for s in sectors
    ) or any(t["vocabulary"] == "99" and (t["vocabulary_uri"] == GCM_URI
                                           or t["code"].upper().startswith("GCM"))
             for t in tags)  # fmt: skip
    return {"fields": data, "orgs": orgs, "countries": countries, "sectors": sectors,
            "tags": tags, "budgets": budgets, "transactions": transactions}  # fmt: skip


ACTIVITY_PARTS = (
    "iati-identifier", "reporting-org", "title", "description", "activity-status",
    "activity-date", "participating-org", "recipient-country", "recipient-region", "sector",
    "tag", "budget", "transaction",
)  # fmt: skip


def _first_children(element: etree._Element, tags: tuple[str, ...]) -> dict:
    """The first child of each name in ``tags`` (what ``find`` gives, in one pass)."""
    first: dict[str, etree._Element] = {}
    for child in element.iterchildren(*tags):
        first.setdefault(child.tag, child)
    return first


def _value(value: etree._Element | None, currency: str) -> dict:
    """A ``value`` element's amount (0 when missing), currency and value date."""
    if value is None:
        return {"value": Decimal(0), "currency": currency, "value_date": None}
    return {
        "value": _decimal(value.text) or Decimal(0),
        "currency": value.get("currency") or currency,
        "value_date": _date(value.get("value-date")),
    }


def _budget(b: etree._Element, currency: str) -> dict:
    first = _first_children(b, ("value", "period-start", "period-end"))
    start, end = first.get("period-start"), first.get("period-end")
    return {
        "type": b.get("type", ""), "status": b.get("status", ""),
        "period_start": _date(start.get("iso-date")) if start is not None else None,
        "period_end": _date(end.get("iso-date")) if end is not None else None,
        **_value(first.get("value"), currency),
    }  # fmt: skip


def _transaction(t: etree._Element, language: str, currency: str) -> dict:
    """One transaction's row: its children are read in one pass (the first of each kind
    counts, as ``find`` would give)."""
    first = _first_children(t, TRANSACTION_PARTS)
    kind, when = first.get("transaction-type"), first.get("transaction-date")
    row = {
        "ref": t.get("ref", ""),
        "type": kind.get("code", "") if kind is not None else "",
        "date": _date(when.get("iso-date")) if when is not None else None,
        "description": _name(first.get("description"), language),
        **_value(first.get("value"), currency),
    }
    for side in ("provider", "receiver"):
        org = first.get(f"{side}-org")
        row[f"{side}_ref"] = org.get("ref", "") if org is not None else ""
        row[f"{side}_name"] = _name(org, language)[:500]
        row[f"{side}_activity_id"] = org.get(f"{side}-activity-id", "") if org is not None else ""
    return row


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
    # Without the tail: what follows the activity is not part of it (and, streamed, depends
    # on where the parser's buffer ended).
    xml = etree.tostring(element, encoding="unicode", with_tail=False)
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
    *, items: list[Prepared], run: ImportRun | None, announce_change: bool = True
) -> list[tuple[str, dict]]:
    """Store validated activities (with distinct identifiers) in one transaction: each is
    inserted, or replaces the stored one (with its child rows) unless that one is the same or
    newer. Returns ``(outcome, reason)`` per item, in order.

    Batching keeps the number of queries per activity low (one lookup, one insert per table for
    the whole batch); if anything fails, the caller retries activity by activity.
    ``announce_change=False``: the caller says that the data changed itself (a run does, now
    and then: see :class:`_Changes`)."""
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
    if stored and announce_change:
        announce("iati", run_id=run.pk if run else None, stored=len(stored))
    return outcomes


class _Changes:
    """Say that external activities changed (``announce``) at most every
    :data:`ANNOUNCE_EVERY` seconds during a run, and once more at its end: every announcement
    costs a commit of its own, and cached pages only need to hear it now and then."""

    def __init__(self, run: ImportRun) -> None:
        self.run, self.pending, self.next = run, 0, 0.0

    def add(self, stored: int) -> None:
        self.pending += stored
        if self.pending and time.monotonic() >= self.next:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            announce("iati", run_id=self.run.pk, stored=self.pending)
            self.pending, self.next = 0, time.monotonic() + ANNOUNCE_EVERY


ANNOUNCE_EVERY = 2.0


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
    changes = _Changes(run)

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
            parts = _parts(run.path, run.file_name, checks)
        unique = _Unique()
        # Closed however the loop ends: the workers stop at once, even if storing fails.
        with contextlib.closing(parts):
            for records, position in parts:  # what was read before a break is kept
                ordered, valid = unique.split(records)
                with transaction.atomic():  # the batch and the run's progress: one commit
                    stored = _store(valid, run)
                    outcomes = {id(e): done for (e, _p), done in zip(valid, stored, strict=True)}
                    for entry in ordered:  # in file order, however the file was batched
                        note(outcomes.get(id(entry), entry))
                    _progress(run, position, counts)
                    changes.add(sum(1 for e in stored if e["outcome"] in (IMPORTED, UPDATED)))
                if progress is not None:
                    progress(run)
        status, message = RunStatus.SUCCEEDED, ""
    except FileNotFoundError:
        status, message = RunStatus.FAILED, _("The uploaded file is no longer available.")
    except IatiXmlError as exc:
        status, message = RunStatus.FAILED, exc.message
        run.failed_line = exc.line
    finally:
        changes.flush()
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
#: A part: the records of a batch in file order, each ``(entry, prepared)`` (``prepared`` is
#: ``None`` for a rejected record, whose entry says why), and how far into the file reading went.
Part = tuple[list[tuple[dict, "Prepared | None"]], int]


def _parts(path, name: str, checks, *, skip: int = 0) -> Iterator[Part]:
    """Read the file in this process and yield a part for every batch of :data:`BATCH`
    records, after the first ``skip`` records (read, not validated: a run that goes on from
    where the workers stopped). At a break (truncated or malformed file) the part read before
    it is yielded, then the error is raised."""
    batch = _Batch(checks)
    with open(path, "rb") as stream:
        try:
            for index, record in enumerate(iter_records(stream, name=name)):
                if index == 0:
                    _check_file(record)
                if index < skip:
                    continue
                batch.add(record)
                if len(batch) == BATCH:
                    yield batch.check(), stream.tell()
        except IatiXmlError:
            yield batch.check(), stream.tell()
            raise
        yield batch.check(), stream.tell()


class _Unique:
    """The identifiers read so far in the file: the first record with an identifier is the one
    imported, a later one is rejected as a duplicate, whatever its validity."""

    def __init__(self) -> None:
        self.lines: dict[str, int | None] = {}

    def split(self, records: list[tuple[dict, Prepared | None]]):
        """``(every entry in order, [(entry, prepared)] to store)`` of a part's records: a
        rejected record's entry says why; the others' are among those to store."""
        ordered, valid = [], []
        for entry, prepared in records:
            identifier = entry["identifier"]
            if identifier and identifier in self.lines:
                why = reason(DUPLICATE, line=self.lines[identifier])
                ordered.append({**entry, "outcome": REJECTED, "errors": [], **why})
                continue
            if identifier:
                self.lines[identifier] = entry["line"]
            ordered.append(entry)
            if prepared is not None:
                valid.append((entry, prepared))
        return ordered, valid


#: Files from this size up are read by worker processes when the machine has cores to spare.
PARALLEL_FROM_BYTES = 8 * 1024 * 1024
MAX_WORKERS = 4
#: The share of the file one worker reads at a time (one batch, whatever its activities'
#: number): workers take turns, so each is about one share ahead of the storing.
CHUNK_BYTES = 1024 * 1024
#: How far into the file its root element must have started for the file to be shared out.
HEAD_BYTES = 1024 * 1024
_ACTIVITY_START = re.compile(rb"<iati-activity[\s/>]")


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


@dataclass(frozen=True, slots=True)
class _Chunks:
    """How a file is shared out: ``starts`` are byte offsets where an ``<iati-activity``
    starts (the first is 0: the first share holds the XML declaration and the root's start
    tag); the other shares are read behind ``prefix``, a start tag like the file's root."""

    starts: tuple[int, ...]
    size: int
    prefix: bytes

    def stream(self, path, number: int) -> _Slice:
        start = self.starts[number]
        end = self.starts[number + 1] if number + 1 < len(self.starts) else self.size
        last = number + 1 == len(self.starts)
        return _Slice(path, start, end, prefix=self.prefix if number else b"",
                      suffix=b"" if last else b"</iati-activities>")  # fmt: skip


def _chunks(path) -> _Chunks | None:
    """Where to cut the file into shares of about :data:`CHUNK_BYTES`, each starting at an
    ``<iati-activity``; ``None`` when the file cannot be shared out safely and is read in one
    process: not UTF-8, not an activity file of a supported version, a DOCTYPE, a root that
    does not start within :data:`HEAD_BYTES`, or fewer than two shares.

    The cuts are found in the raw bytes, so one may fall inside a comment or a CDATA section;
    the share before it then ends unfinished and fails to parse, and the run goes on from there
    in one process (:func:`_parts_from_workers`)."""
    size = os.path.getsize(path)
    if size < 2 * CHUNK_BYTES:
        return None
    with open(path, "rb") as stream:
        head = stream.read(HEAD_BYTES)
        root = _root_of(head)
        if root is None:
            return None
        starts = [0]
        with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
            while (target := starts[-1] + CHUNK_BYTES) < size - CHUNK_BYTES // 2:
                found = _ACTIVITY_START.search(data, target)
                if found is None:
                    break
                starts.append(found.start())
    if len(starts) < 2:
        return None
    shell = etree.tostring(etree.Element(root.tag, attrib=root.attrib, nsmap=root.nsmap))
    prefix = shell[:-2] + b">" if shell.endswith(b"/>") else shell[: shell.rindex(b"</")]
    return _Chunks(starts=tuple(starts), size=size, prefix=prefix)


def _root_of(head: bytes) -> etree._Element | None:
    """The root element of the file that starts with ``head`` (its start tag, with its
    attributes and namespaces), if the file can be shared out (see :func:`_chunks`)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"<!DOCTYPE" in head:
        return None
    declared = re.match(rb"(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']+)", head)
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
        return None
    parser = etree.XMLPullParser(events=("start",), **PARSER_OPTIONS)
    try:
        parser.feed(head)
        root = next((element for _event, element in parser.read_events()), None)
    except etree.XMLSyntaxError:
        return None
    if root is None or root.tag != "iati-activities":
        return None
    return root if root.get("version") in SUPPORTED_VERSIONS else None


class _Slice:
    """Bytes ``start`` to ``end`` of a file, behind ``prefix`` and before ``suffix``, as one
    stream for the parser. ``tell()`` is the position in the file; ``newlines`` counts the
    file's line breaks read so far (the share's lines start after them)."""

    def __init__(self, path, start: int, end: int, *, prefix: bytes, suffix: bytes) -> None:
        self.file = open(path, "rb")  # noqa: SIM115 - closed by close()
        self.file.seek(start)
        self.remaining = end - start
        self.position = start
        self.pending = [prefix, suffix]
        self.head, self.newlines = prefix, 0

    def read(self, size: int = -1) -> bytes:
        if self.head:
            data, self.head = self.head, b""
            return data
        if self.remaining:
            data = self.file.read(self.remaining if size < 0 else min(size, self.remaining))
            self.remaining -= len(data)
            self.position += len(data)
            self.newlines += data.count(b"\n")
            if data:
                return data
            self.remaining = 0
        data, self.pending[1] = self.pending[1], b""
        return data

    def tell(self) -> int:
        return self.position

    def seek(self, *_args):
        raise OSError("a share of a file cannot be rewound")

    def close(self) -> None:
        self.file.close()


def _chunk_part(path, name: str, checks, chunks: _Chunks, number: int) -> tuple[Part, int]:
    """Read share ``number`` as one batch: its part (lines counted from the share's start)
    and the line breaks in it."""
    batch = _Batch(checks)
    stream = chunks.stream(path, number)
    with contextlib.closing(stream):
        for record in iter_records(stream, name=name):
            batch.add(record)
    return (batch.check(), stream.tell()), stream.newlines


def _parts_from_workers(path, name: str, checks, count: int) -> Iterator[Part]:
    """The parts of :func:`_parts`, read by ``count`` forked processes that take the file's
    shares (:func:`_chunks`) in turn and hand them back in file order, while this process
    stores them. Workers never touch the database; a worker that is ahead waits on its pipe,
    so memory stays bounded. Lines are put back in the file's count here.

    A share that does not parse (a cut inside a comment, or a real break in the file) stops
    the workers; the run goes on in this process after the records already stored, so a break
    ends it as it would in one process, with the same message and line."""
    chunks = _chunks(path)
    if chunks is None:
        yield from _parts(path, name, checks)
        return
    _warm_up(checks)
    context = multiprocessing.get_context("fork")
    readers = []
    done, lines = 0, 0
    try:
        for share in range(count):
            receiving, sending = context.Pipe(duplex=False)
            process = context.Process(
                target=_worker, args=(path, name, checks, chunks, share, count, sending),
                daemon=True,
            )  # fmt: skip
            process.start()
            sending.close()
            readers.append((process, receiving))
        for number in range(len(chunks.starts)):
            _process, receiving = readers[number % count]
            try:
                message = receiving.recv()
            except EOFError:
                raise RuntimeError("an IATI import worker stopped without a word") from None
            if message[0] == "crash":
                raise RuntimeError(f"an IATI import worker failed:\n{message[1]}")
            if message[0] == "error":
                break
            (records, position), newlines = message[1]
            for entry, _prepared in records:
                _shift_lines(entry, lines)
            yield records, position
            done += len(records)
            lines += newlines
        else:
            return
    finally:
        for process, receiving in readers:
            receiving.close()
            if process.is_alive():
                process.terminate()
            process.join()
    yield from _parts(path, name, checks, skip=done)


def _shift_lines(entry: dict, lines: int) -> None:
    if lines:
        entry["line"] = entry["line"] + lines if entry["line"] else entry["line"]
        for error in entry.get("errors", []):
            error["line"] = error["line"] + lines if error["line"] else error["line"]


def _worker(path, name: str, checks, chunks: _Chunks, share: int, shares: int, sending) -> None:
    """A reader process: its shares of the file, in turn; at the first that does not parse,
    "error" (the parent goes on in one process)."""
    try:
        for number in range(share, len(chunks.starts), shares):
            try:
                result = _chunk_part(path, name, checks, chunks, number)
            except IatiXmlError:
                sending.send(("error",))
                return
            sending.send(("part", result))
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
        outcomes = external_activities_upsert(
            items=[item for _e, item in pending], run=run, announce_change=False
        )
    except DatabaseError:
        outcomes = []
        for _entry, item in pending:
            try:
                outcomes.append(
                    external_activities_upsert(items=[item], run=run, announce_change=False)[0]
                )
            except DatabaseError as exc:
                outcomes.append((REJECTED, reason(NOT_STORED, error=str(exc)[:200])))
    return [
        {**entry, "outcome": outcome, **why, "errors": []}
        for (entry, _item), (outcome, why) in zip(pending, outcomes, strict=True)
    ]


class _Batch:
    """Records gathered under one root to be validated together.

    The XSD, the codelists and the ruleset's screens run once over the batch document: each
    activity alone gets exactly the errors it gets within the batch (the 2.03 schema has no
    identity constraint, codelist checks are per value, and the Standard ruleset's contexts
    and paths stay inside one activity), so a batch without errors is a batch of valid
    activities. A batch with an error is validated again activity by activity, for the
    report, and only the faulty ones are rejected. A record without an identifier is rejected
    unread."""

    def __init__(self, checks) -> None:
        self.kwargs = {"checks": checks} if checks else {}
        self.root: etree._Element | None = None
        self.records: list[tuple[dict, etree._Element | None]] = []

    def __len__(self) -> int:
        return len(self.records)

    def add(self, record) -> None:
        identifier = record.identifier
        entry = {"identifier": identifier or "", "line": record.line}
        if not identifier:
            self.records.append(
                ({**entry, "outcome": REJECTED, **reason(NO_IDENTIFIER), "errors": []}, None)
            )
            return
        if self.root is None:
            self.root = record.shell()
        record.detach(self.root)  # moved, not copied: the file's own line numbers
        self.records.append((entry, record.element))

    def check(self) -> list[tuple[dict, Prepared | None]]:
        """Every record in order, as ``(entry, prepared activity)``, or ``(rejection entry,
        None)``; empties the batch."""
        root, records = self.root, self.records
        self.root, self.records = None, []
        if root is None:
            return records
        report = validate(root.getroottree(), kind="activity", purpose="import", **self.kwargs)
        if not report.errors:
            return [(entry, None if e is None else prepare_activity(e)) for entry, e in records]
        return [(entry, e) if e is None else self._alone(root, entry, e) for entry, e in records]

    def _alone(self, root, entry: dict, element) -> tuple[dict, Prepared | None]:
        alone = etree.Element(root.tag, attrib=root.attrib, nsmap=root.nsmap)
        alone.append(element)
        errors = validate(alone.getroottree(), kind="activity", purpose="import", **self.kwargs)
        if not errors.errors:
            return entry, prepare_activity(element)
        listed = [
            {"line": f.line, "rule_id": f.rule_id, "message": str(f.message)[:300]}
            for f in errors.errors[:20]
        ]
        return {**entry, "outcome": REJECTED, **reason(INVALID), "errors": listed}, None
