from lxml import etree

from compacts.iati.export.model import Activity


def activity_scope(activity: Activity) -> list[etree._Element]:
    return [etree.Element("activity-scope", code=activity.scope)] if activity.scope else []
