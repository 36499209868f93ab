"""One pure function per IATI element (Akvo RSR style): ``activity -> [lxml elements]``.

``ELEMENTS`` lists them in the order of the 2.03 activity schema (``iati-activities-schema.xsd``,
``iati-activity``'s sequence), so that :func:`activity_element` builds a schema-ordered record.
Elements the platform has no data for (other-identifier, contact-info, location,
country-budget-items, humanitarian-scope, default-tied-status, planned-disbursement,
capital-spend, legacy-data, conditions, crs-add, fss) are simply absent.
"""

from lxml import etree

from compacts.iati.export.elements.activity_date import activity_date
from compacts.iati.export.elements.activity_scope import activity_scope
from compacts.iati.export.elements.activity_status import activity_status
from compacts.iati.export.elements.budget import budget
from compacts.iati.export.elements.defaults import (
    collaboration_type,
    default_aid_type,
    default_finance_type,
    default_flow_type,
)
from compacts.iati.export.elements.description import description
from compacts.iati.export.elements.document_link import document_link
from compacts.iati.export.elements.iati_identifier import iati_identifier
from compacts.iati.export.elements.participating_org import participating_org
from compacts.iati.export.elements.policy_marker import policy_marker
from compacts.iati.export.elements.recipient_country import recipient_country
from compacts.iati.export.elements.recipient_region import recipient_region
from compacts.iati.export.elements.related_activity import related_activity
from compacts.iati.export.elements.reporting_org import reporting_org
from compacts.iati.export.elements.result import result
from compacts.iati.export.elements.sector import sector
from compacts.iati.export.elements.tag import tag
from compacts.iati.export.elements.title import title
from compacts.iati.export.elements.transaction import transaction
from compacts.iati.export.model import Activity

ELEMENTS = [
    ("iati-identifier", iati_identifier),
    ("reporting-org", reporting_org),
    ("title", title),
    ("description", description),
    ("participating-org", participating_org),
    ("activity-status", activity_status),
    ("activity-date", activity_date),
    ("activity-scope", activity_scope),
    ("recipient-country", recipient_country),
    ("recipient-region", recipient_region),
    ("sector", sector),
    ("tag", tag),
    ("policy-marker", policy_marker),
    ("collaboration-type", collaboration_type),
    ("default-flow-type", default_flow_type),
    ("default-finance-type", default_finance_type),
    ("default-aid-type", default_aid_type),
    ("budget", budget),
    ("transaction", transaction),
    ("document-link", document_link),
    ("related-activity", related_activity),
    ("result", result),
]

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def activity_element(activity: Activity) -> etree._Element:
    """The whole ``iati-activity`` element, children in schema order."""
    root = etree.Element(
        "iati-activity",
        {
            "last-updated-datetime": activity.last_updated.isoformat(timespec="seconds"),
            XML_LANG: activity.language,
            "default-currency": activity.default_currency,
            "hierarchy": activity.hierarchy,
        },
    )
    for _tag, build in ELEMENTS:
        root.extend(build(activity))
    return root
