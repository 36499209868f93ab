"""IATI codelists the actors app validates against: OrganisationType and
OrganisationRegistrationAgency (IATI 2.03, non-embedded).

The framework app loads IATI codelists into ``framework.CodelistItem``; when it holds the list,
that is the source. Otherwise the copy shipped in ``actors/data/iati-codelists`` is read (see its
SOURCE.md), so validation never depends on the load order or on the internet.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from lxml import etree

DATA_DIR = Path(__file__).parent / "data" / "iati-codelists"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# IATI Standard ruleset 1.11.13 / 1.14.13: an organisation identifier has none of these.
FORBIDDEN_IDENTIFIER_CHARACTERS = re.compile(r"[/&|?\s]")


@dataclass(frozen=True)
class CodelistEntry:
    code: str
    name: str
    names: dict[str, str]
    active: bool


@cache
def _from_file(name: str) -> dict[str, CodelistEntry]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.parse(str(DATA_DIR / f"{name}.xml"), parser).getroot()
    entries: dict[str, CodelistEntry] = {}
    for item in root.iter("codelist-item"):
        code = item.findtext("code").strip()
        names: dict[str, str] = {}
        for narrative in item.findall("name/narrative"):
            names[narrative.get(XML_LANG, "en")] = (narrative.text or "").strip()
        entries[code] = CodelistEntry(
            code=code,
            name=names.get("en", code),
            names=names,
            active=item.get("status", "active") != "withdrawn",
        )
    return entries


def _from_framework(name: str) -> dict[str, CodelistEntry] | None:
    try:
        from compacts.framework.models import CodelistItem
    except ImportError:  # pragma: no cover - the framework app always ships the model
        return None
    rows = list(
        CodelistItem.objects.filter(codelist__name=name).values_list(
            "code", "name", "names", "status"
        )
    )
    if not rows:
        return None
    return {
        code: CodelistEntry(code=code, name=label, names=names or {}, active=status != "withdrawn")
        for code, label, names, status in rows
    }


def codelist(name: str) -> dict[str, CodelistEntry]:
    """An IATI codelist's entries by code: the framework's table, else the shipped file."""
    return _from_framework(name) or _from_file(name)


def organisation_types() -> dict[str, CodelistEntry]:
    return codelist("OrganisationType")


def organisation_type_choices() -> list[tuple[str, str]]:
    return [(entry.code, f"{entry.code} {entry.name}") for entry in organisation_types().values()]


def organisation_type_error(code: str) -> str | None:
    """Why ``code`` is not a usable IATI OrganisationType code, or ``None`` when it is."""
    entry = organisation_types().get(code)
    if entry is None:
        return _("%(code)s is not an IATI OrganisationType code.") % {"code": code}
    if not entry.active:
        return _("The IATI OrganisationType code %(code)s is withdrawn.") % {"code": code}
    return None


def identifier_error(identifier: str) -> str | None:
    """Why ``identifier`` is not a well-formed IATI organisation identifier, or ``None``.

    An identifier is a registration agency's code from OrganisationRegistrationAgency (two parts,
    such as ``XM-DAC`` or ``GB-COH``), a hyphen, and the agency's identifier for the organisation
    (IATI guidance on organisation identifiers): ``XM-DAC-47066`` is IOM.
    """
    if FORBIDDEN_IDENTIFIER_CHARACTERS.search(identifier):
        return _("An IATI organisation identifier contains no spaces and none of / & | ?.")
    parts = identifier.split("-", 2)
    if len(parts) < 3 or not parts[2]:
        return _(
            "An IATI organisation identifier is a registration agency's code and the "
            "organisation's identifier, such as XM-DAC-47066."
        )
    prefix = f"{parts[0]}-{parts[1]}"
    agency = codelist("OrganisationRegistrationAgency").get(prefix)
    if agency is None:
        return _("%(prefix)s is not an IATI organisation registration agency.") % {"prefix": prefix}
    if not agency.active:
        return _("The registration agency %(prefix)s is withdrawn from IATI's list.") % {
            "prefix": prefix
        }
    return None
