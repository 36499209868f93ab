from lxml import etree

from compacts.iati.export.elements._common import narratives, percentage
from compacts.iati.export.model import Activity


def recipient_country(activity: Activity) -> list[etree._Element]:
    elements = []
    for country in activity.countries:
        element = etree.Element("recipient-country", code=country.code)
        if country.percentage is not None:
            element.set("percentage", percentage(country.percentage))
        narratives(element, country.name, activity.language)
        elements.append(element)
    return elements
