from lxml import etree

from compacts.iati.export.model import Activity


def activity_status(activity: Activity) -> list[etree._Element]:
    return [etree.Element("activity-status", code=activity.status)]
