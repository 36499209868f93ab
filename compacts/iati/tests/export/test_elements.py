"""The element functions are pure: hand-built activities give schema-ordered, valid XML."""

import datetime
from decimal import Decimal

from lxml import etree

from compacts.iati.export import model as m
from compacts.iati.export.elements import ELEMENTS, activity_element
from compacts.iati.export.source import period_span, safe_id, split_percentages
from compacts.iati.validation import validate
from compacts.iati.xml import data_path

ORG = m.Org(ref="XI-IATI-UNPF", name={"en": "UN Pooled Funds"}, type="40")


def _activity(**extra) -> m.Activity:
    values = dict(
        identifier="XI-IATI-UNPF-T1",
        reporting_org=ORG,
        last_updated=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
        title={"en": "Test programme", "fr": "Programme test"},
        descriptions=[m.Description("1", {"en": "About", "ar": "حول"})],
        participating_orgs=[m.ParticipatingOrg(ref="XM-DAC-47066", name={"en": "IOM"},
                                               type="40", role="4")],  # fmt: skip
        dates=[("1", datetime.date(2024, 1, 1)), ("3", datetime.date(2025, 12, 31))],
        countries=[m.Percentage("SO", Decimal("33.33")), m.Percentage("KE", Decimal("33.33")),
                   m.Percentage("ET", Decimal("33.34"))],  # fmt: skip
        sectors=[m.Percentage("15190", vocabulary="1")],
        tags=[m.Percentage("10.7", vocabulary="3"),
              m.Percentage("GCM-15", vocabulary="99", vocabulary_uri="https://undocs.org/A/RES/73/195",
                           name={"en": "Objective 15"})],  # fmt: skip
        policy_markers=[m.PolicyMarker("1", "1", "2")],
        budgets=[m.Budget(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31),
                          Decimal("1000"), "USD", datetime.date(2024, 1, 1))],  # fmt: skip
        transactions=[m.Transaction("3", datetime.date(2024, 3, 1), Decimal("500.5"), "EUR",
                                    datetime.date(2024, 3, 1), receiver=ORG)],  # fmt: skip
        related=[("1", "XI-IATI-UNPF-MIG00")],
        results=[m.Result("2", {"en": "Outcome 1"}, [m.Indicator(
            {"en": "People reached"}, baseline_year=2023, baseline_value=Decimal(0),
            periods=[m.Period(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31),
                              Decimal(10), Decimal(7))])])],
    )  # fmt: skip
    values.update(extra)
    return m.Activity(**values)


def _document(element) -> etree._ElementTree:
    root = etree.Element("iati-activities", version="2.03")
    root.set("generated-datetime", "2025-01-02T00:00:00+00:00")
    root.append(element)
    return etree.ElementTree(root)


def test_elements_follow_the_schema_order():
    """ELEMENTS lists the element names in the order of iati-activity's xsd:sequence."""
    schema = etree.parse(str(data_path("schemas-2.03", "iati-activities-schema.xsd")))
    xs = "{http://www.w3.org/2001/XMLSchema}"
    activity = schema.find(f"{xs}element[@name='iati-activity']")
    order = [e.get("ref") or e.get("name") for e in activity.iter(f"{xs}element")]
    positions = [order.index(name) for name, _build in ELEMENTS]
    assert positions == sorted(positions)


def test_a_hand_built_activity_is_valid_and_rule_clean():
    element = activity_element(_activity())
    report = validate(_document(element), kind="activity", purpose="export",
                      today=datetime.date(2026, 1, 1))  # fmt: skip
    assert report.findings == [], [(f.rule_id, str(f.message)) for f in report.findings]
    value = element.find("transaction/value")
    assert (value.text, value.get("currency")) == ("500.50", "EUR")
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert [n.get(lang) for n in element.find("title")] == [None, "fr"]


def test_bad_percentages_are_caught_by_the_ruleset():
    """The validator would stop an export whose country percentages do not add up to 100."""
    bad = _activity(countries=[m.Percentage("SO", Decimal(50)), m.Percentage("KE", Decimal(40))])
    report = validate(_document(activity_element(bad)), kind="activity", purpose="export",
                      today=datetime.date(2026, 1, 1))  # fmt: skip
    assert "3.1.2" in report.rule_ids()


def test_percentages_split_to_exactly_100():
    for count in (1, 2, 3, 7, 9):
        shares = split_percentages(count)
        assert len(shares) == count
        assert sum(shares) == 100
    assert split_percentages(0) == []


def test_identifiers_lose_forbidden_symbols_and_periods_parse():
    assert safe_id(" MIG/01 & b|c?d ") == "MIG-01---b-c-d"
    assert period_span("2025") == (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert period_span("2025-Q2") == (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    assert period_span("2024-H1") == (datetime.date(2024, 1, 1), datetime.date(2024, 6, 30))
    assert period_span("2025-Q4")[1] == datetime.date(2025, 12, 31)
    assert period_span("sometime") is None
    assert period_span("2025-Q9") is None
