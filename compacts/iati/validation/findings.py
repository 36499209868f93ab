"""What a validation run reports: findings, grouped in a report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Source(StrEnum):
    """Which layer found the problem."""

    XML = "xml"
    SCHEMA = "schema"
    CODELIST = "codelist"
    RULE = "rule"


#: Labels shown to people (the browser upload report). Messages of IATI's own rules are
#: IATI's English text, quoted as published.
SEVERITY_LABELS = {Severity.ERROR: _("Error"), Severity.WARNING: _("Warning")}
SOURCE_LABELS = {
    Source.XML: _("XML"),
    Source.SCHEMA: _("IATI 2.03 schema"),
    Source.CODELIST: _("IATI codelist"),
    Source.RULE: _("IATI Standard ruleset"),
}


@dataclass(frozen=True)
class Finding:
    """One problem in a document.

    ``rule_id`` is IATI's own id for ruleset findings (``"1.1.3"``), ``"0.3.1"`` for schema
    errors (the id IATI's validator gives them), ``"codelist:<Name>"`` for codelist findings
    and ``"xml:<reason>"`` for unreadable input."""

    severity: Severity
    source: Source
    rule_id: str
    message: str
    line: int | None = None
    activity: str | None = None
    path: str | None = None
    value: str | None = None
    codelist: str | None = None
    category: str | None = None
    context: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    def as_dict(self) -> dict:
        """A JSON-ready dictionary (for the API and the CLI's ``--json``)."""
        return {
            "severity": str(self.severity),
            "source": str(self.source),
            "rule_id": self.rule_id,
            "message": self.message,
            "line": self.line,
            "activity": self.activity,
            "path": self.path,
            "value": self.value,
            "codelist": self.codelist,
            "category": self.category,
            "context": self.context,
        }

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "-"
        who = f" [{self.activity}]" if self.activity else ""
        extra = f" ({self.context})" if self.context else ""
        return f"{where}: {self.severity} {self.rule_id}{who}: {self.message}{extra}"


@dataclass
class ValidationReport:
    """Everything found in one document; ``is_valid`` means no error of any source."""

    kind: str
    purpose: str
    name: str = "<document>"
    findings: list[Finding] = field(default_factory=list)

    def extend(self, findings) -> None:
        self.findings.extend(findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.WARNING]

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def schema_valid(self) -> bool:
        """No schema error and the document could be read at all."""
        return not any(
            f.is_error and f.source in (Source.SCHEMA, Source.XML) for f in self.findings
        )

    def by_source(self, source: Source) -> list[Finding]:
        return [f for f in self.findings if f.source == source]

    def rule_ids(self, *, severity: Severity | None = None) -> set[str]:
        return {f.rule_id for f in self.findings if severity is None or f.severity == severity}

    def counts(self) -> Counter:
        """``Counter`` of ``(source, severity)``."""
        return Counter((str(f.source), str(f.severity)) for f in self.findings)

    def for_activity(self, identifier: str) -> list[Finding]:
        return [f for f in self.findings if f.activity == identifier]
