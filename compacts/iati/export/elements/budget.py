from lxml import etree

from compacts.iati.export.elements._common import iso, value_element
from compacts.iati.export.model import Activity


def budget(activity: Activity) -> list[etree._Element]:
    elements = []
    for item in activity.budgets:
        element = etree.Element("budget", type=item.type, status=item.status)
        etree.SubElement(element, "period-start", {"iso-date": iso(item.start)})
        etree.SubElement(element, "period-end", {"iso-date": iso(item.end)})
        element.append(
            value_element(item.value, item.currency, item.value_date, activity.default_currency)
        )
        elements.append(element)
    return elements
