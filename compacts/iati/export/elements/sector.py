from lxml import etree

from compacts.iati.export.elements._common import narratives, percentage
from compacts.iati.export.model import Activity


def sector(activity: Activity) -> list[etree._Element]:
    elements = []
    for item in activity.sectors:
        element = etree.Element("sector", vocabulary=item.vocabulary or "1", code=item.code)
        if item.vocabulary_uri:
            element.set("vocabulary-uri", item.vocabulary_uri)
        if item.percentage is not None:
            element.set("percentage", percentage(item.percentage))
        narratives(element, item.name, activity.language)
        elements.append(element)
    return elements
