from lxml import etree

from compacts.iati.export.elements._common import iso
from compacts.iati.export.model import Activity


def activity_date(activity: Activity) -> list[etree._Element]:
    return [
        etree.Element("activity-date", {"type": kind, "iso-date": iso(day)})
        for kind, day in activity.dates
    ]
