from lxml import etree

from compacts.iati.export.elements._common import org_element
from compacts.iati.export.model import Activity


def participating_org(activity: Activity) -> list[etree._Element]:
    return [
        org_element("participating-org", org, activity.language, role=org.role)
        for org in activity.participating_orgs
    ]
