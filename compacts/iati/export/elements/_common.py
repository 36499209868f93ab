"""Helpers shared by the element functions: narratives, dates, amounts, organisations."""

from __future__ import annotations

import datetime
from decimal import Decimal

from lxml import etree

from compacts.iati.export.model import Org, Texts

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def narratives(parent: etree._Element, texts: Texts, default_language: str = "en") -> None:
    """One ``narrative`` per language; the default language carries no ``xml:lang``."""
    for language, text in texts.items():
        if not text or not text.strip():
            continue
        narrative = etree.SubElement(parent, "narrative")
        if language != default_language:
            narrative.set(XML_LANG, language)
        narrative.text = text.strip()


def with_narratives(tag: str, texts: Texts, language: str, **attrib: str) -> etree._Element:
    element = etree.Element(tag, {k.replace("_", "-"): v for k, v in attrib.items() if v})
    narratives(element, texts, language)
    return element


def iso(day: datetime.date) -> str:
    return day.isoformat()


def amount(value: Decimal) -> str:
    """A decimal amount as IATI writes it: no exponent, two places."""
    return f"{Decimal(value).quantize(Decimal('0.01')):f}"


def percentage(value: Decimal) -> str:
    text = f"{Decimal(value).normalize():f}"
    return text


def org_element(tag: str, org: Org, language: str, **extra: str) -> etree._Element:
    """``reporting-org``, ``provider-org``, ``receiver-org`` or ``participating-org``."""
    attrib = {}
    for key, value in extra.items():
        if value:
            attrib[key.replace("_", "-")] = value
    if org.ref:
        attrib["ref"] = org.ref
    if org.type and tag != "recipient-org":  # the schema gives recipient-org no @type
        attrib["type"] = org.type
    if org.activity_id:
        name = "provider-activity-id" if tag == "provider-org" else "receiver-activity-id"
        if tag == "participating-org":
            name = "activity-id"
        if tag != "reporting-org":
            attrib[name] = org.activity_id
    # Attribute order as the schema lists them, so files read naturally.
    element = etree.Element(tag, attrib)
    narratives(element, org.name, language)
    return element


def value_element(value: Decimal, currency: str, value_date: datetime.date, default: str):
    element = etree.Element("value")
    if currency and currency != default:
        element.set("currency", currency)
    element.set("value-date", iso(value_date))
    element.text = amount(value)
    return element
