"""Checks run before the export writes anything (Akvo RSR's pre-export checks): problems in the
platform's data that would make the files wrong, reported as findings with our own rule ids.

Errors stop the export; warnings are recorded on the run."""

from __future__ import annotations

from django.utils.translation import gettext as _

from compacts.iati.export.source import Source


def _finding(severity: str, rule_id: str, message: str, activity: str = "") -> dict:
    return {"severity": severity, "source": "check", "rule_id": rule_id, "message": message,
            "activity": activity or None, "line": None}  # fmt: skip


def pre_export(source: Source) -> list[dict]:
    findings = []
    ref = source.publisher.reporting_org_ref.strip()
    if not ref:
        message = _("The reporting organisation has no IATI identifier.")
        findings.append(_finding("error", "compacts:reporting-org", message))
    if source.fund.administrative_agent and not source.fund.administrative_agent.iati_identifier:
        findings.append(_finding(
            "warning", "compacts:org-identifier",
            _("The administrative agent %(name)s has no IATI organisation identifier: it is "
              "published by name only.") % {"name": source.fund.administrative_agent.name},
            source.fund_identifier))  # fmt: skip
    for organisation in source.participants:
        if not organisation.iati_identifier:
            findings.append(_finding(
                "warning", "compacts:org-identifier",
                _("The participating organisation %(name)s has no IATI organisation identifier: "
                  "it is published by name only.") % {"name": organisation.name},
                source.fund_identifier))  # fmt: skip
    return findings
