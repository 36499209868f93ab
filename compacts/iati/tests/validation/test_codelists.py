"""Codelist checks with crafted activities: unknown, withdrawn and vocabulary-dependent codes."""

import pytest

from compacts.iati.validation.codelists import codelists, get_codelist, mappings, validate_codelists
from compacts.iati.validation.findings import Severity, Source
from compacts.iati.xml import parse


def activity(body: str) -> object:
    return parse(
        (
            '<iati-activities version="2.03">\n<iati-activity default-currency="USD">\n'
            f"{body}\n</iati-activity></iati-activities>"
        ).encode()
    )


def test_every_list_mapping_xml_names_is_shipped():
    lists = codelists()
    assert len(lists) == 70
    assert {m.codelist for m in mappings()} <= set(lists)
    assert len(mappings()) == 124


def test_sector_list_has_the_migration_code():
    sector = get_codelist("Sector")
    assert sector.status("15190") == "active"
    assert "migration" in sector.names["15190"].lower()
    with pytest.raises(ValueError, match="unknown IATI codelist"):
        get_codelist("Nope")


def test_a_clean_activity_has_no_codelist_findings():
    doc = activity(
        '<activity-status code="2"/>\n<sector vocabulary="1" code="15190"/>\n'
        '<recipient-country code="SO"/>\n<transaction><transaction-type code="11"/></transaction>'
    )
    assert validate_codelists(doc) == []


def test_unknown_sector_code_is_an_error_with_path_line_value_and_list():
    doc = activity('<sector vocabulary="1" code="99999"/>')
    [finding] = validate_codelists(doc)
    assert finding.severity == Severity.ERROR
    assert finding.source == Source.CODELIST
    assert finding.rule_id == "codelist:Sector"
    assert finding.codelist == "Sector"
    assert finding.value == "99999"
    assert finding.line == 3
    assert finding.path == "/iati-activities/iati-activity/sector/@code"
    assert finding.message == '"99999" is not a code of the Sector codelist.'


def test_sector_without_vocabulary_is_dac():
    """No @vocabulary means vocabulary 1: the DAC 5-digit list applies."""
    [finding] = validate_codelists(activity('<sector code="151"/>'))
    assert finding.codelist == "Sector"


def test_vocabulary_decides_the_list():
    """The condition in mapping.xml: the same code is valid in one vocabulary, not another."""
    doc = activity('<sector vocabulary="2" code="151"/>\n<sector vocabulary="2" code="15190"/>')
    [finding] = validate_codelists(doc)
    assert (finding.codelist, finding.value, finding.line) == ("SectorCategory", "15190", 4)
    # A reporting organisation's own vocabulary (99) has no list: anything goes.
    assert validate_codelists(activity('<sector vocabulary="99" code="DP"/>')) == []
    # SDG tags (vocabulary 3) are checked against the SDG targets.
    assert validate_codelists(activity('<tag vocabulary="3" code="10.7"/>')) == []
    [bad_tag] = validate_codelists(activity('<tag vocabulary="3" code="10.99"/>'))
    assert bad_tag.codelist == "UNSDG-Targets"


def test_withdrawn_code_is_an_error_on_export_and_a_warning_on_import():
    doc = activity('<default-finance-type code="810"/>')
    [on_export] = validate_codelists(doc, purpose="export")
    [on_import] = validate_codelists(doc, purpose="import")
    assert on_export.severity == Severity.ERROR
    assert on_import.severity == Severity.WARNING
    assert "withdrawn" in on_export.message
    assert on_export.codelist == "FinanceType"
    assert get_codelist("FinanceType").status("810") == "withdrawn"


def test_unknown_code_in_an_incomplete_list_is_a_warning():
    """Country is published with complete="0": an unknown code may be new, so warn."""
    [finding] = validate_codelists(activity('<recipient-country code="XX"/>'))
    assert finding.severity == Severity.WARNING
    assert finding.codelist == "Country"


def test_element_text_codes_are_checked():
    [finding] = validate_codelists(activity("<crs-add><channel-code> zz </channel-code></crs-add>"))
    assert finding.codelist == "CRSChannelCode"
    assert finding.value == "zz"
    assert finding.path.endswith("/text()")


def test_embedded_lists_are_checked():
    doc = activity('<transaction><transaction-type code="99"/></transaction>')
    [finding] = validate_codelists(doc)
    assert finding.codelist == "TransactionType"


def test_organisation_files_are_checked():
    doc = parse(
        b'<iati-organisations version="2.03"><iati-organisation default-currency="EURO">'
        b"</iati-organisation></iati-organisations>"
    )
    [finding] = validate_codelists(doc)
    assert (finding.codelist, finding.value) == ("Currency", "EURO")


def test_unknown_purpose_is_refused():
    with pytest.raises(ValueError, match="purpose"):
        validate_codelists(activity(""), purpose="publish")


def test_messages_follow_the_reader_language():
    """What the upload report shows is translated; codes and list names stay as they are."""
    from django.utils import translation

    with translation.override("fr"):
        [finding] = validate_codelists(activity('<sector code="99999"/>'))
    assert finding.message == "« 99999 » n'est pas un code de la liste de codes Sector."
    with translation.override("ar"):
        [finding] = validate_codelists(activity('<default-finance-type code="810"/>'))
    assert finding.message == "«810» رمز مسحوب من قائمة الرموز FinanceType."


def _by_xpath(tree):
    """mapping.xml read the plain way: evaluate each row's XPath and condition."""
    from lxml import etree

    found = set()
    for mapping in mappings():
        for match in tree.xpath(mapping.path):
            element = match.getparent()
            if mapping.condition and not element.xpath(f"boolean({mapping.condition})"):
                continue
            value = str(match) if match.is_attribute else str(match).strip()
            found.add((tree.getpath(element), mapping.codelist, value))
    assert isinstance(tree, etree._ElementTree)
    return found


def test_the_single_walk_finds_exactly_what_the_xpaths_select():
    """Over every should-pass document of the schema suite (rich, real-shaped files), the
    one-pass walk visits the same (element, codelist, value) triples as mapping.xml's XPaths."""
    from compacts.iati.validation.codelists import _coded_values
    from compacts.iati.xml import data_path

    files = sorted(data_path("schemas-2.03", "tests").rglob("should-pass/**/*.xml"))
    assert len(files) > 200
    compared = 0
    for path in files:
        tree = parse(path)
        walked = {
            (tree.getpath(element), mapping.codelist, value)
            for element, mapping, value in _coded_values(tree.getroot())
        }
        assert walked == _by_xpath(tree), path
        compared += len(walked)
    assert compared > 1000
