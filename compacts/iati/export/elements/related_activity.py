from lxml import etree

from compacts.iati.export.model import Activity


def related_activity(activity: Activity) -> list[etree._Element]:
    return [etree.Element("related-activity", ref=ref, type=kind) for kind, ref in activity.related]
