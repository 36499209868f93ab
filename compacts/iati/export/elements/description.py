from lxml import etree

from compacts.iati.export.elements._common import with_narratives
from compacts.iati.export.model import Activity


def description(activity: Activity) -> list[etree._Element]:
    return [
        with_narratives("description", item.text, activity.language, type=item.type)
        for item in activity.descriptions
        if any(text.strip() for text in item.text.values())
    ]
