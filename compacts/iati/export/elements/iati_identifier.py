from lxml import etree

from compacts.iati.export.model import Activity


def iati_identifier(activity: Activity) -> list[etree._Element]:
    element = etree.Element("iati-identifier")
    element.text = activity.identifier
    return [element]
