"""Write the activity, organisation and registry-record files, streaming, and validate them.

Activities are written one at a time with ``lxml.etree.xmlfile`` (memory stays flat however many
programmes there are); each is validated as a one-activity document (XSD, codelists, IATI
Standard ruleset) before it is written, and identifiers are checked for duplicates across the
file in a temporary on-disk index (:class:`IdentifierIndex`), not in a Python set that would
grow with the file. A file with any error is not offered: the export run fails and the public
URLs keep serving the previous valid files.
"""

from __future__ import annotations

import datetime
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone
from lxml import etree

from compacts.iati.export import checks
from compacts.iati.export.elements import activity_element
from compacts.iati.export.elements.organisation import organisation_element
from compacts.iati.export.source import Source
from compacts.iati.validation import validate
from compacts.iati.validation.schema import schema_errors

ACTIVITIES = "activities.xml"
ORGANISATION = "organisation.xml"
REGISTRY = "registry-record.xml"
REGISTRY_NS = "http://iatiregistry.org/ns/record#"
#: Findings kept in full (the counts cover all of them): an export with a systematic problem
#: must not hold one finding per activity in memory.
KEEP_FINDINGS = 1000


@dataclass
class ExportResult:
    directory: Path
    activity_count: int = 0
    findings: list[dict] = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0
    first_updated: datetime.datetime | None = None
    last_updated: datetime.datetime | None = None
    period: tuple[datetime.date, datetime.date] | None = None

    def add(self, findings: list[dict]) -> None:
        """Count every finding; keep the first :data:`KEEP_FINDINGS` (errors first)."""
        for finding in findings:
            if finding["severity"] == "error":
                self.error_count += 1
            else:
                self.warning_count += 1
            if len(self.findings) < KEEP_FINDINGS:
                self.findings.append(finding)
            elif finding["severity"] == "error":
                for index, kept in enumerate(self.findings):
                    if kept["severity"] != "error":  # an error replaces a kept warning
                        self.findings[index] = finding
                        break

    @property
    def errors(self) -> list[dict]:
        return [f for f in self.findings if f["severity"] == "error"]

    @property
    def warnings(self) -> list[dict]:
        return [f for f in self.findings if f["severity"] == "warning"]


class IdentifierIndex:
    """Which identifiers a file already uses, in a temporary SQLite file with a unique key.

    Memory stays bounded (SQLite's page cache, set to 1 MB) however many activities the file
    has, and a lookup costs one indexed insert. ``add`` returns the position of the earlier
    activity with the same identifier, or ``None``."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="compacts-iati-ids-")
        self._db = sqlite3.connect(Path(self._folder.name) / "ids.sqlite3")
        self._db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1024;"
            "CREATE TABLE ids (identifier TEXT PRIMARY KEY, position INTEGER) WITHOUT ROWID;"
        )

    def add(self, identifier: str, position: int) -> int | None:
        try:
            self._db.execute("INSERT INTO ids VALUES (?, ?)", (identifier, position))
        except sqlite3.IntegrityError:
            row = self._db.execute(
                "SELECT position FROM ids WHERE identifier = ?", (identifier,)
            ).fetchone()
            return row[0]
        return None

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()

    def __enter__(self) -> IdentifierIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _finding_dicts(report, file: str) -> list[dict]:
    return [{**f.as_dict(), "file": file} for f in report.findings]


def _standalone(root_tag: str, element: etree._Element, generated: str) -> etree._ElementTree:
    root = etree.Element(root_tag, version="2.03")
    root.set("generated-datetime", generated)
    root.append(element)
    return etree.ElementTree(root)


def write_files(
    *,
    source: Source,
    directory: Path,
    generated: datetime.datetime | None = None,
    validate_records: bool = True,
) -> ExportResult:
    """Write ``activities.xml``, ``organisation.xml`` and ``registry-record.xml`` into
    ``directory`` and return what was written and every validation finding."""
    directory.mkdir(parents=True, exist_ok=True)
    generated_at = (generated or timezone.now()).replace(microsecond=0)
    stamp = generated_at.isoformat()
    result = ExportResult(directory=directory)
    result.add([{**f, "file": ACTIVITIES} for f in checks.pre_export(source)])
    with (
        IdentifierIndex() as identifiers,
        etree.xmlfile(str(directory / ACTIVITIES), encoding="utf-8") as xf,
    ):
        xf.write_declaration()
        with xf.element("iati-activities", {"version": "2.03", "generated-datetime": stamp}):
            for position, activity in enumerate(source.activities(), start=1):
                element = activity_element(activity)
                first = identifiers.add(activity.identifier, position)
                if first is not None:
                    message = (
                        f"duplicate identifier (activity {position} repeats the identifier "
                        f"of activity {first})"
                    )
                    result.add([{
                        "severity": "error", "source": "rule", "message": message,
                        "rule_id": "compacts:duplicate-identifier",
                        "activity": activity.identifier, "line": None, "file": ACTIVITIES,
                    }])  # fmt: skip
                if validate_records:
                    report = validate(
                        _standalone("iati-activities", element, stamp),
                        kind="activity", purpose="export", today=source.today,
                    )  # fmt: skip
                    result.add(_finding_dicts(report, ACTIVITIES))
                _track(result, activity)
                xf.write("\n")
                xf.write(element)
                result.activity_count += 1
            xf.write("\n")

    organisation = organisation_element(source.organisation())
    org_tree = _standalone("iati-organisations", organisation, stamp)
    report = validate(org_tree, kind="organisation", purpose="export", today=source.today)
    result.add(_finding_dicts(report, ORGANISATION))
    org_tree.write(str(directory / ORGANISATION), encoding="utf-8", xml_declaration=True,
                   pretty_print=True)  # fmt: skip

    registry = registry_record(source=source, result=result, generated=stamp)
    result.add([{"severity": "error", "source": "schema", "rule_id": "0.3.1",
                 "message": error.message, "line": error.line, "file": REGISTRY}
                for error in schema_errors(registry, kind="registry")])  # fmt: skip
    registry.write(str(directory / REGISTRY), encoding="utf-8", xml_declaration=True,
                   pretty_print=True)  # fmt: skip
    return result


def _track(result: ExportResult, activity) -> None:
    updated = activity.last_updated
    result.last_updated = max(filter(None, [result.last_updated, updated]))
    days = [day for _kind, day in activity.dates]
    if days:
        low, high = min(days), max(days)
        if result.period:
            low, high = min(low, result.period[0]), max(high, result.period[1])
        result.period = (low, high)


def registry_record(*, source: Source, result: ExportResult, generated: str) -> etree._ElementTree:
    """The IATI Registry's metadata for the activity file (``iati-registry-record-schema.xsd``):
    file id, source URL, publisher, role (accountable), title, period, dates, format, licence."""
    publisher = source.publisher
    base = (publisher.public_base_url or "http://localhost:8000").rstrip("/")
    attrib = {
        "file-id": f"{publisher.registry_publisher}-activities",
        "source-url": f"{base}/iati/activities.xml",
        "publisher-id": publisher.reporting_org_ref,
        "publisher-role": "2",
        "title": f"{source.fund.name} (IATI activities)",
        "last-updated-datetime": (result.last_updated or timezone.now())
        .replace(microsecond=0)
        .isoformat(),
        "generated-datetime": generated,
        "verification-status": "0",
        "format": "application/x-iati+xml",
        "license": "Creative Commons Attribution 4.0 (CC BY 4.0)",
    }
    if publisher.contact_email:
        attrib["contact-email"] = publisher.contact_email
    if result.period:
        attrib["activity-period"] = f"{result.period[0].isoformat()}/{result.period[1].isoformat()}"
    element = etree.Element(f"{{{REGISTRY_NS}}}registry-record", nsmap={"ir": REGISTRY_NS})
    for key, value in attrib.items():
        element.set(key, value)
    element.set("{http://www.w3.org/XML/1998/namespace}lang", source.language)
    return etree.ElementTree(element)
