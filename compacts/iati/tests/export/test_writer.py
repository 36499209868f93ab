"""The writer: duplicate identifiers are found through an on-disk index (memory does not grow
with the number of activities), and the findings kept are bounded while the counts are exact."""

import datetime
from decimal import Decimal
from pathlib import Path

from compacts.iati.export import model as m
from compacts.iati.export.writer import KEEP_FINDINGS, ExportResult, IdentifierIndex, write_files

ORG = m.Org(ref="XI-IATI-UNPF", name={"en": "UN Pooled Funds"}, type="40")


class _Publisher:
    reporting_org_ref = "XI-IATI-UNPF"
    reporting_org_name = "UN Pooled Funds"
    reporting_org_type = "40"
    prefix = "XI-IATI-UNPF"
    default_language = "en"
    registry_publisher = "unpf"
    contact_email = ""
    public_base_url = "https://example.org"


class _Fund:
    name = "Test fund"
    code = "T"
    currency = "USD"
    administrative_agent = None


class _Source:
    """A source of hand-built activities with the given identifiers."""

    publisher, fund, language = _Publisher(), _Fund(), "en"
    today = datetime.date(2026, 1, 1)
    fund_identifier = "XI-IATI-UNPF-T"
    participants: list = []
    skipped: list = []
    reporting_org = ORG

    def __init__(self, identifiers):
        self.identifiers = identifiers

    def activities(self):
        for identifier in self.identifiers:
            yield m.Activity(
                identifier=identifier, reporting_org=ORG,
                last_updated=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
                title={"en": f"Programme {identifier}"},
                descriptions=[m.Description("1", {"en": "About"})],
                participating_orgs=[m.ParticipatingOrg(ref="XM-DAC-47066", name={"en": "IOM"},
                                                       type="40", role="4")],
                dates=[("1", datetime.date(2024, 1, 1))],
                countries=[m.Percentage("SO")],
                sectors=[m.Percentage("15190", vocabulary="1")],
                transactions=[m.Transaction("3", datetime.date(2024, 1, 2), Decimal(100), "USD",
                                            datetime.date(2024, 1, 2))],
            )  # fmt: skip

    def organisation(self):
        updated = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
        return m.Organisation(identifier="XI-IATI-UNPF", name={"en": "UN Pooled Funds"},
                              reporting_org=ORG, last_updated=updated)  # fmt: skip


def test_identifier_index_reports_the_first_use():
    with IdentifierIndex() as index:
        assert index.add("A", 1) is None
        assert index.add("B", 2) is None
        assert index.add("A", 3) == 1
        assert index.add("a", 4) is None  # identifiers are case-sensitive
        folder = Path(index._folder.name)
        assert folder.exists()
    assert not folder.exists()  # the temporary index is removed


def test_unique_identifiers_write_a_valid_file(tmp_path):
    result = write_files(source=_Source(["XI-IATI-UNPF-T-1", "XI-IATI-UNPF-T-2"]),
                         directory=tmp_path)  # fmt: skip
    assert result.error_count == 0, result.errors
    assert result.activity_count == 2


def test_a_duplicate_identifier_is_an_error_naming_both_activities(tmp_path):
    source = _Source(["XI-IATI-UNPF-T-1", "XI-IATI-UNPF-T-2", "XI-IATI-UNPF-T-1"])
    result = write_files(source=source, directory=tmp_path)
    duplicates = [f for f in result.errors if f["rule_id"] == "compacts:duplicate-identifier"]
    assert len(duplicates) == 1
    assert duplicates[0]["activity"] == "XI-IATI-UNPF-T-1"
    assert "activity 3 repeats the identifier of activity 1" in duplicates[0]["message"]
    assert result.error_count == 1


def test_findings_kept_are_bounded_but_counted_and_errors_are_kept():
    result = ExportResult(directory=Path("."))
    warning = {"severity": "warning", "rule_id": "w"}
    result.add([warning] * (KEEP_FINDINGS + 10))
    assert len(result.findings) == KEEP_FINDINGS
    assert result.warning_count == KEEP_FINDINGS + 10
    result.add([{"severity": "error", "rule_id": "e"}])
    assert len(result.findings) == KEEP_FINDINGS
    assert result.error_count == 1
    assert [f["rule_id"] for f in result.errors] == ["e"]
