"""``collaboration-type``, ``default-flow-type``, ``default-finance-type``, ``default-aid-type``."""

from lxml import etree

from compacts.iati.export.model import Activity


def collaboration_type(activity: Activity) -> list[etree._Element]:
    code = activity.collaboration_type
    return [etree.Element("collaboration-type", code=code)] if code else []


def default_flow_type(activity: Activity) -> list[etree._Element]:
    code = activity.default_flow_type
    return [etree.Element("default-flow-type", code=code)] if code else []


def default_finance_type(activity: Activity) -> list[etree._Element]:
    code = activity.default_finance_type
    return [etree.Element("default-finance-type", code=code)] if code else []


def default_aid_type(activity: Activity) -> list[etree._Element]:
    code = activity.default_aid_type
    return [etree.Element("default-aid-type", code=code, vocabulary="1")] if code else []
