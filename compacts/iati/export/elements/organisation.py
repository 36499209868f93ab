"""The ``iati-organisation`` record, children in the 2.03 organisation schema's order:
organisation-identifier, name, reporting-org, total-budget, recipient-org-budget,
total-expenditure, document-link."""

from lxml import etree

from compacts.iati.export.elements._common import (
    XML_LANG,
    iso,
    org_element,
    value_element,
    with_narratives,
)
from compacts.iati.export.elements.document_link import document_link_element
from compacts.iati.export.model import Organisation, OrgBudget


def _period(parent: etree._Element, item: OrgBudget) -> None:
    etree.SubElement(parent, "period-start", {"iso-date": iso(item.start)})
    etree.SubElement(parent, "period-end", {"iso-date": iso(item.end)})


def organisation_element(org: Organisation) -> etree._Element:
    language, currency = org.language, org.default_currency
    root = etree.Element(
        "iati-organisation",
        {
            "last-updated-datetime": org.last_updated.isoformat(timespec="seconds"),
            XML_LANG: language,
            "default-currency": currency,
        },
    )
    etree.SubElement(root, "organisation-identifier").text = org.identifier
    root.append(with_narratives("name", org.name, language))
    root.append(org_element("reporting-org", org.reporting_org, language))
    for item in org.total_budgets:
        node = etree.SubElement(root, "total-budget", status="2")
        _period(node, item)
        node.append(value_element(item.value, item.currency, item.value_date, currency))
    for item in org.recipient_org_budgets:
        node = etree.SubElement(root, "recipient-org-budget", status="2")
        node.append(org_element("recipient-org", item.recipient, language))
        _period(node, item)
        node.append(value_element(item.value, item.currency, item.value_date, currency))
    for item in org.total_expenditure:
        node = etree.SubElement(root, "total-expenditure")
        _period(node, item)
        node.append(value_element(item.value, item.currency, item.value_date, currency))
    for link in org.document_links:
        root.append(document_link_element(link, language))
    return root
