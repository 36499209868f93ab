from lxml import etree

from compacts.iati.export.elements._common import iso, with_narratives
from compacts.iati.export.model import DocumentLink


def document_link_element(link: DocumentLink, language: str) -> etree._Element:
    element = etree.Element("document-link", url=link.url, format=link.format)
    element.append(with_narratives("title", link.title, language))
    etree.SubElement(element, "category", code=link.category)
    if link.language:
        etree.SubElement(element, "language", code=link.language)
    if link.date:
        etree.SubElement(element, "document-date", {"iso-date": iso(link.date)})
    return element


def document_link(activity) -> list[etree._Element]:
    return [document_link_element(link, activity.language) for link in activity.document_links]
