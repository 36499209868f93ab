"""The validate() facade: every layer together, on the real IOM activity and crafted files."""

from datetime import date

import pytest

from compacts.iati.validation import activity_locator, validate
from compacts.iati.validation.findings import Severity, Source
from compacts.iati.xml import data_path, iter_records, parse

IOM = data_path("sample-activities", "iom-XM-DAC-47066-DP.2154.wrapped-2.03.xml")
IOM_DPORTAL = data_path("sample-activities", "iom-XM-DAC-47066-DP.2154.dportal.xml")


def test_real_iom_activity_is_clean_against_schema_codelists_and_rules():
    """IOM's published activity: valid 2.03, every code in its list, and IATI's Standard
    ruleset raises neither an error nor a warning on it."""
    report = validate(IOM, kind="activity", purpose="import", today=date(2026, 1, 1))
    assert report.schema_valid
    assert report.findings == []
    assert report.is_valid


def test_real_iom_activity_rules_actually_ran():
    """Clean because it passes, not because nothing ran: most rule cases applied and passed."""
    from compacts.iati.validation.rules import standard_ruleset

    results = list(standard_ruleset().results(parse(IOM)))
    passed = {r.rule_info.get("id") for r in results if r.result is True}
    assert {"1.1.3", "1.1.21", "2.1.4", "6.11.1", "7.8.1", "11.1.2", "12.2.1"} <= passed
    assert not [r for r in results if r.failed]


def test_dportal_copy_is_not_an_activities_file():
    """d-portal's raw output has <iati-activity> as its root: a clear error, not a crash."""
    report = validate(IOM_DPORTAL)
    [finding] = report.findings
    assert finding.rule_id == "xml:not-iati"
    assert not report.schema_valid


def test_broken_activity_findings_from_every_layer_name_the_activity():
    text = IOM.read_text(encoding="utf-8")
    broken = (
        text.replace('<sector code="72010" vocabulary="1">', '<sector code="99999" vocabulary="1">')
        .replace('<activity-status code="2"/>', '<activity-status code="2"/><wrong/>')
        .replace('<capital-spend percentage="0"/>', '<capital-spend percentage="150"/>')
    )
    report = validate(broken.encode(), purpose="export", today=date(2026, 1, 1))
    by_source = {f.source for f in report.errors}
    assert by_source == {Source.SCHEMA, Source.CODELIST, Source.RULE}
    assert {f.activity for f in report.findings} == {"XM-DAC-47066-DP.2154"}
    [codelist] = report.by_source(Source.CODELIST)
    assert (codelist.value, codelist.line) == ("99999", 66)
    assert "12.2.1" in report.rule_ids(severity=Severity.ERROR)
    assert any("wrong" in f.message for f in report.by_source(Source.SCHEMA))
    assert not report.is_valid
    assert not report.schema_valid


def test_two_activities_each_get_their_own_findings():
    doc = (
        b'<iati-activities version="2.03">\n'
        b'<iati-activity><iati-identifier>XM-A</iati-identifier><sector code="1"/>'
        b"</iati-activity>\n"
        b'<iati-activity><iati-identifier>XM-B</iati-identifier><sector code="2"/>'
        b"</iati-activity>\n"
        b"</iati-activities>"
    )
    report = validate(doc, checks=("codelists",))
    assert [(f.activity, f.value) for f in report.findings] == [("XM-A", "1"), ("XM-B", "2")]


def test_duplicate_identifiers_in_one_file_are_errors():
    doc = (
        b'<iati-activities version="2.03">\n'
        b"<iati-activity><iati-identifier>XM-A</iati-identifier></iati-activity>\n"
        b"<iati-activity><iati-identifier>XM-B</iati-identifier></iati-activity>\n"
        b"<iati-activity><iati-identifier> XM-A </iati-identifier></iati-activity>\n"
        b"</iati-activities>"
    )
    report = validate(doc, checks=("rules",), today=date(2026, 1, 1))
    [duplicate] = [f for f in report.findings if f.rule_id == "compacts:duplicate-identifier"]
    assert (duplicate.line, duplicate.activity, duplicate.severity) == (4, "XM-A", Severity.ERROR)
    assert duplicate.message == (
        "the identifier XM-A is used by more than one record in this file (first at line 2)"
    )


def test_locator_maps_lines_to_activities():
    tree = parse(b"<iati-activities>\n<x/>\n<iati-activity><iati-identifier>A</iati-identifier>"
                 b"</iati-activity>\n</iati-activities>")  # fmt: skip
    locate = activity_locator(tree)
    assert locate(1) is None
    assert locate(3) == "A"


def test_streamed_records_validate_on_their_own():
    """The import's path: stream, validate each record standalone, same verdict and lines."""
    reports = [
        validate(record.standalone(), purpose="import", today=date(2026, 1, 1))
        for record in iter_records(IOM)
    ]
    assert [r.findings for r in reports] == [[]]


def test_streamed_record_findings_carry_the_original_lines():
    doc = (
        b'<iati-activities version="2.03">\n'
        b"<iati-activity><iati-identifier>XM-A</iati-identifier></iati-activity>\n"
        b"<iati-activity>\n<iati-identifier>XM-B</iati-identifier>\n"
        b'<sector code="1"/></iati-activity>\n'
        b"</iati-activities>"
    )
    whole = validate(doc, checks=("codelists",))
    streamed = [
        finding
        for record in iter_records(doc)
        for finding in validate(
            record.standalone(), checks=("codelists",), line_offset=record.line_offset
        ).findings
    ]
    assert [(f.line, f.activity, f.value) for f in streamed] == [(5, "XM-B", "1")]
    assert [(f.line, f.activity, f.value) for f in whole.findings] == [(5, "XM-B", "1")]


def test_malformed_input_gives_one_xml_finding():
    report = validate(b"<iati-activities>\n<iati-activity>\n")
    [finding] = report.findings
    assert finding.source == Source.XML
    assert finding.rule_id == "xml:malformed"
    assert finding.line == 3
    assert not report.schema_valid


def test_unsafe_input_gives_one_xml_finding():
    report = validate(b'<!DOCTYPE x [<!ENTITY a "b">]><iati-activities version="2.03"/>')
    [finding] = report.findings
    assert finding.rule_id == "xml:unsafe"


def test_wrong_kind_is_reported():
    report = validate(IOM, kind="organisation")
    [finding] = report.findings
    assert "expected <iati-organisations>" in finding.message


def test_other_version_is_a_warning_and_unknown_version_a_codelist_error():
    text = IOM.read_text(encoding="utf-8")
    older = validate(
        text.replace('version="2.03"', 'version="2.02"').encode(), today=date(2026, 1, 1)
    )
    assert [f.rule_id for f in older.findings] == ["xml:version"]
    assert older.findings[0].severity == Severity.WARNING
    odd = validate(text.replace('version="2.03"', 'version="9.9"').encode(), today=date(2026, 1, 1))
    assert "codelist:Version" in odd.rule_ids(severity=Severity.ERROR)


def test_organisation_file():
    doc = (
        b'<iati-organisations version="2.03"><iati-organisation last-updated-datetime='
        b'"2020-01-01T00:00:00Z" default-currency="USD" xml:lang="en">'
        b"<organisation-identifier>XM-DAC-47066</organisation-identifier>"
        b'<name><narrative>IOM</narrative></name><reporting-org ref="XM-DAC-47066" type="40">'
        b"<narrative>IOM</narrative></reporting-org>"
        b'<total-budget><period-start iso-date="2020-01-01"/><period-end iso-date="2021-06-30"/>'
        b'<value value-date="2020-01-01">10</value></total-budget>'
        b"</iati-organisation></iati-organisations>"
    )
    report = validate(doc, kind="organisation", today=date(2026, 1, 1))
    assert report.schema_valid, report.findings
    # An 18-month total budget breaks IATI's one-year rule.
    [finding] = report.findings
    assert (finding.rule_id, finding.severity) == ("7.5.3", Severity.ERROR)
    assert finding.message == "Budget Period must not be longer than one year."
    assert finding.context == "the period is 546 days long"
    assert finding.activity == "XM-DAC-47066"


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="kind"):
        validate(IOM, kind="budget")
    with pytest.raises(ValueError, match="purpose"):
        validate(IOM, purpose="publish")
    with pytest.raises(ValueError, match="unknown checks"):
        validate(IOM, checks=("spelling",))
