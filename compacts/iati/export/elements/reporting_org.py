from lxml import etree

from compacts.iati.export.elements._common import org_element
from compacts.iati.export.model import Activity


def reporting_org(activity: Activity) -> list[etree._Element]:
    return [org_element("reporting-org", activity.reporting_org, activity.language)]
