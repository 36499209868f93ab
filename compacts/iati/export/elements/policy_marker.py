from lxml import etree

from compacts.iati.export.elements._common import narratives
from compacts.iati.export.model import Activity


def policy_marker(activity: Activity) -> list[etree._Element]:
    elements = []
    for marker in activity.policy_markers:
        element = etree.Element("policy-marker", vocabulary=marker.vocabulary, code=marker.code)
        if marker.vocabulary_uri:
            element.set("vocabulary-uri", marker.vocabulary_uri)
        if marker.significance:
            element.set("significance", marker.significance)
        narratives(element, marker.name, activity.language)
        elements.append(element)
    return elements
