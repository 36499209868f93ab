from lxml import etree

from compacts.iati.export.elements._common import narratives, percentage
from compacts.iati.export.model import Activity


def recipient_region(activity: Activity) -> list[etree._Element]:
    elements = []
    for region in activity.regions:
        element = etree.Element("recipient-region", code=region.code)
        if region.vocabulary:
            element.set("vocabulary", region.vocabulary)
        if region.vocabulary_uri:
            element.set("vocabulary-uri", region.vocabulary_uri)
        if region.percentage is not None:
            element.set("percentage", percentage(region.percentage))
        narratives(element, region.name, activity.language)
        elements.append(element)
    return elements
