from lxml import etree

from compacts.iati.export.elements._common import iso, percentage, with_narratives
from compacts.iati.export.model import Activity


def _value(parent: etree._Element, tag: str, value) -> None:
    if value is not None:
        etree.SubElement(parent, tag, value=percentage(value))


def result(activity: Activity) -> list[etree._Element]:
    elements = []
    language = activity.language
    for item in activity.results:
        element = etree.Element("result", type=item.type)
        element.append(with_narratives("title", item.title, language))
        for indicator in item.indicators:
            node = etree.SubElement(element, "indicator", measure=indicator.measure)
            node.append(with_narratives("title", indicator.title, language))
            if indicator.baseline_year is not None and indicator.baseline_value is not None:
                etree.SubElement(node, "baseline", year=str(indicator.baseline_year),
                                 value=percentage(indicator.baseline_value))  # fmt: skip
            for period in indicator.periods:
                span = etree.SubElement(node, "period")
                etree.SubElement(span, "period-start", {"iso-date": iso(period.start)})
                etree.SubElement(span, "period-end", {"iso-date": iso(period.end)})
                _value(span, "target", period.target)
                _value(span, "actual", period.actual)
        elements.append(element)
    return elements
