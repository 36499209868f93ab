from lxml import etree

from compacts.iati.export.elements._common import iso, narratives, org_element, value_element
from compacts.iati.export.model import Activity


def transaction(activity: Activity) -> list[etree._Element]:
    elements = []
    for item in activity.transactions:
        element = etree.Element("transaction")
        if item.ref:
            element.set("ref", item.ref)
        etree.SubElement(element, "transaction-type", code=item.type)
        etree.SubElement(element, "transaction-date", {"iso-date": iso(item.date)})
        element.append(
            value_element(item.value, item.currency, item.value_date, activity.default_currency)
        )
        if item.description:
            narratives(etree.SubElement(element, "description"), item.description,
                       activity.language)  # fmt: skip
        if item.provider is not None:
            element.append(org_element("provider-org", item.provider, activity.language))
        if item.receiver is not None:
            element.append(org_element("receiver-org", item.receiver, activity.language))
        elements.append(element)
    return elements
