"""Validate IATI 2.03 documents: the XSD, the codelists and IATI's Standard ruleset.

    from compacts.iati.validation import validate
    report = validate("activities.xml", kind="activity", purpose="export")
    report.is_valid, report.errors, report.warnings

``validate`` takes a path, bytes, a binary stream or an already parsed lxml tree/element (the
export builds a tree and validates it before writing; the import streams records with
:func:`compacts.iati.xml.iter_records` and validates each ``record.standalone()``).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _
from lxml import etree

from compacts.iati.validation.codelists import validate_codelists
from compacts.iati.validation.findings import Finding, Severity, Source, ValidationReport
from compacts.iati.validation.rules import Ruleset, validate_rules
from compacts.iati.validation.schema import validate_schema
from compacts.iati.xml import (
    IatiXmlError,
    UnsafeXmlError,
    as_tree,
    source_name,
)
from compacts.iati.xml import (
    Source as XmlSource,
)

KINDS = ("activity", "organisation")
PURPOSES = ("export", "import")
CHECKS = ("schema", "codelists", "rules")
ROOTS = {"activity": "iati-activities", "organisation": "iati-organisations"}
RECORDS = {"activity": ("iati-activity", "iati-identifier"), "organisation": (
    "iati-organisation", "organisation-identifier")}  # fmt: skip

__all__ = [
    "Finding",
    "Severity",
    "Source",
    "ValidationReport",
    "activity_locator",
    "unreadable_report",
    "validate",
]


MSG_WRONG_ROOT = _("the root element is <%(tag)s>, expected <%(root)s> for an IATI %(kind)s file")
MSG_OTHER_VERSION = _(
    "the file declares IATI version %(version)s; it was checked against version 2.03"
)
MSG_DUPLICATE = _(
    "the identifier %(identifier)s is used by more than one record in this file "
    "(first at line %(first)s)"
)
KIND_LABELS = {"activity": _("activity"), "organisation": _("organisation")}


def activity_locator(tree: etree._ElementTree, *, kind: str = "activity") -> Callable:
    """A function ``line -> identifier`` of the activity (organisation) that spans the line."""
    record, identifier = RECORDS[kind]
    starts: list[int] = []
    names: list[str | None] = []
    for element in tree.getroot().iterchildren(record):
        text = element.findtext(identifier)
        starts.append(element.sourceline or 0)
        names.append(text.strip() if text and text.strip() else None)

    def locate(line: int) -> str | None:
        index = bisect.bisect_right(starts, line) - 1
        return names[index] if index >= 0 else None

    return locate


def _xml_finding(exc: IatiXmlError) -> Finding:
    return Finding(
        severity=Severity.ERROR,
        source=Source.XML,
        rule_id="xml:unsafe" if isinstance(exc, UnsafeXmlError) else "xml:malformed",
        message=exc.reason,
        line=exc.line,
        category="xml",
    )


def _version_findings(root: etree._Element) -> list[Finding]:
    """We validate against 2.03: a file declaring another version gets a warning saying so (an
    unknown version is also a codelist error, and a missing one a schema error)."""
    version = (root.get("version") or "").strip()
    if not version or version == "2.03":
        return []
    return [
        Finding(
            severity=Severity.WARNING,
            source=Source.XML,
            rule_id="xml:version",
            message=str(MSG_OTHER_VERSION % {"version": version}),
            line=root.sourceline,
            category="xml",
        )
    ]


def _duplicate_identifiers(tree: etree._ElementTree, *, kind: str) -> list[Finding]:
    """Each record after the first that repeats an identifier: an error (an identifier must
    name one activity / organisation)."""
    record, identifier_tag = RECORDS[kind]
    first_line: dict[str, int | None] = {}
    findings = []
    for element in tree.getroot().iterchildren(record):
        text = (element.findtext(identifier_tag) or "").strip()
        if not text:
            continue
        if text not in first_line:
            first_line[text] = element.sourceline
            continue
        findings.append(
            Finding(
                severity=Severity.ERROR,
                source=Source.RULE,
                rule_id="compacts:duplicate-identifier",
                message=str(MSG_DUPLICATE % {"identifier": text, "first": first_line[text]}),
                line=element.sourceline,
                activity=text,
                category="identifiers",
            )
        )
    return findings


def unreadable_report(exc: IatiXmlError, *, kind: str, purpose: str) -> ValidationReport:
    """The report of a document that could not be read at all (one ``xml`` error)."""
    report = ValidationReport(kind=kind, purpose=purpose, name=exc.source or "<document>")
    report.extend([_xml_finding(exc)])
    return report


def validate(
    document: XmlSource | etree._ElementTree | etree._Element,
    *,
    kind: str = "activity",
    purpose: str = "export",
    checks: Iterable[str] = CHECKS,
    ruleset: Ruleset | None = None,
    id_sets: dict[str, set[str]] | None = None,
    today: date | datetime | None = None,
    line_offset: int = 0,
) -> ValidationReport:
    """Validate one IATI document and return every finding.

    - ``kind``: ``"activity"`` (iati-activities) or ``"organisation"`` (iati-organisations);
    - ``purpose``: ``"export"`` (our own file: withdrawn codes are errors) or ``"import"``
      (someone else's: withdrawn codes are warnings);
    - ``checks``: any of ``schema``, ``codelists``, ``rules``;
    - ``ruleset`` / ``id_sets`` / ``today``: override IATI's Standard ruleset, the identifier
      sets of its ``idCondition`` and the date "now" used by date rules;
    - ``line_offset``: added to every line (a streamed record validated on its own:
      ``validate(record.standalone(), line_offset=record.line_offset)``).

    Unreadable, malformed or unsafe input (DTD, entities) gives a report with one ``xml``
    error instead of raising; so does a root element of the wrong kind."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    if purpose not in PURPOSES:
        raise ValueError(f"purpose must be one of {PURPOSES}, not {purpose!r}")
    checks = tuple(checks)
    unknown = set(checks) - set(CHECKS)
    if unknown:
        raise ValueError(f"unknown checks {sorted(unknown)}; choose from {CHECKS}")
    name = (
        source_name(document)
        if not isinstance(document, etree._ElementTree | etree._Element)
        else "<document>"
    )
    report = ValidationReport(kind=kind, purpose=purpose, name=name)
    try:
        tree = as_tree(document)
    except IatiXmlError as exc:
        return unreadable_report(exc, kind=kind, purpose=purpose)
    root = tree.getroot()
    if root.tag != ROOTS[kind]:
        report.extend(
            [
                Finding(
                    severity=Severity.ERROR,
                    source=Source.XML,
                    rule_id="xml:not-iati",
                    message=str(
                        MSG_WRONG_ROOT
                        % {"tag": root.tag, "root": ROOTS[kind], "kind": KIND_LABELS[kind]}
                    ),
                    line=root.sourceline,
                    category="xml",
                )
            ]
        )
        return report
    report.extend(_version_findings(root))
    locate = activity_locator(tree, kind=kind)
    if "schema" in checks:
        report.extend(validate_schema(tree, kind=kind, locate=locate))
    if "codelists" in checks:
        report.extend(validate_codelists(tree, purpose=purpose, locate=locate))
    if "rules" in checks:
        report.extend(_duplicate_identifiers(tree, kind=kind))
        report.extend(
            validate_rules(tree, ruleset=ruleset, id_sets=id_sets, now=today, locate=locate)
        )
    if line_offset:
        report.findings = [
            replace(f, line=f.line + line_offset) if f.line else f for f in report.findings
        ]
    return report
