from lxml import etree

from compacts.iati.export.elements._common import with_narratives
from compacts.iati.export.model import Activity


def title(activity: Activity) -> list[etree._Element]:
    return [with_narratives("title", activity.title, activity.language)]
