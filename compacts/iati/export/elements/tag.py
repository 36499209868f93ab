from lxml import etree

from compacts.iati.export.elements._common import narratives
from compacts.iati.export.model import Activity


def tag(activity: Activity) -> list[etree._Element]:
    elements = []
    for item in activity.tags:
        element = etree.Element("tag", vocabulary=item.vocabulary, code=item.code)
        if item.vocabulary_uri:
            element.set("vocabulary-uri", item.vocabulary_uri)
        narratives(element, item.name, activity.language)
        elements.append(element)
    return elements
