"""Check every coded value of a document against its IATI 2.03 codelist, as ``mapping.xml`` says.

``mapping.xml`` (IATI-Codelists) lists an XPath per coded attribute (or text), the codelist it
takes its values from and, for vocabulary-dependent codes, a condition evaluated on the element
that carries the value (``@vocabulary = '1' or not(@vocabulary)`` for DAC sectors). The lists
themselves are the embedded and non-embedded 2.03 codelists shipped in the package.

Severities:

- a value that is not in a *complete* list is an error; not in an incomplete list
  (``complete="0"``, such as Country) a warning;
- a withdrawn code is an error when we publish (``purpose="export"``) and a warning when we
  read someone else's file (``purpose="import"``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from django.utils.translation import gettext_lazy as _
from lxml import etree

from compacts.iati.validation.findings import Finding, Severity, Source
from compacts.iati.xml import data_path, parse

CODELIST_DIR = data_path("codelists-2.03")
PURPOSES = ("export", "import")

MSG_UNKNOWN = _('"%(value)s" is not a code of the %(codelist)s codelist.')
MSG_UNKNOWN_INCOMPLETE = _(
    '"%(value)s" is not in the %(codelist)s codelist (the list is not complete: check the code).'
)
MSG_WITHDRAWN = _('"%(value)s" is a withdrawn code of the %(codelist)s codelist.')


@dataclass(frozen=True)
class Codelist:
    name: str
    complete: bool
    embedded: bool
    codes: dict[str, str]  # code -> status ("active" / "withdrawn")
    names: dict[str, str]  # code -> English name

    def status(self, code: str) -> str | None:
        return self.codes.get(code)


XML_NS = "{http://www.w3.org/XML/1998/namespace}"


@dataclass(frozen=True)
class Mapping:
    """One row of mapping.xml. ``steps`` / ``attribute`` are the path split up
    (``//iati-activity/sector/@code`` -> ``("iati-activity", "sector")``, ``"code"``;
    ``attribute`` is ``None`` for ``text()``), so that one walk over the document can apply
    every row instead of evaluating 124 ``//`` XPaths."""

    path: str
    codelist: str
    condition: str | None
    steps: tuple[str, ...]
    attribute: str | None
    condition_xpath: etree.XPath | None

    @property
    def attribute_label(self) -> str:
        if self.attribute is None:
            return "text()"
        return "@" + self.attribute.replace(XML_NS, "xml:")

    def applies_to(self, element: etree._Element) -> bool:
        """Whether ``element`` ends the ancestor chain ``steps`` (any element if empty)."""
        node = element
        for step in reversed(self.steps):
            if node is None or node.tag != step:
                return False
            node = node.getparent()
        return True


@cache
def codelists() -> dict[str, Codelist]:
    """Every 2.03 codelist shipped in the package, by name."""
    lists: dict[str, Codelist] = {}
    for folder in ("embedded", "non-embedded"):
        for path in sorted((CODELIST_DIR / folder).glob("*.xml")):
            root = parse(path).getroot()
            codes, names = {}, {}
            for item in root.iterfind("codelist-items/codelist-item"):
                code = (item.findtext("code") or "").strip()
                codes[code] = item.get("status", "active")
                names[code] = (item.findtext("name/narrative") or "").strip()
            name = root.get("name") or path.stem
            lists[name] = Codelist(
                name=name,
                complete=root.get("complete", "1") == "1",
                embedded=folder == "embedded",
                codes=codes,
                names=names,
            )
    return lists


def get_codelist(name: str) -> Codelist:
    try:
        return codelists()[name]
    except KeyError:
        raise ValueError(f"unknown IATI codelist {name!r}") from None


_PATH = re.compile(r"^//((?:[\w.-]+/)*)(@[\w:.-]+|text\(\))$")


def _split_path(path: str) -> tuple[tuple[str, ...], str | None]:
    match = _PATH.match(path)
    if not match:
        raise ValueError(f"mapping.xml path {path!r} is not of the form //a/b/@attr")
    steps = tuple(step for step in match.group(1).split("/") if step)
    last = match.group(2)
    if last == "text()":
        return steps, None
    name = last[1:]
    return steps, XML_NS + name[4:] if name.startswith("xml:") else name


@cache
def mappings() -> tuple[Mapping, ...]:
    """The rows of ``mapping.xml``, split and with their conditions compiled."""
    rows = []
    for mapping in parse(CODELIST_DIR / "mapping.xml").getroot().iterfind("mapping"):
        path = mapping.findtext("path").strip()
        condition = (mapping.findtext("condition") or "").strip() or None
        steps, attribute = _split_path(path)
        rows.append(
            Mapping(
                path=path,
                codelist=mapping.find("codelist").get("ref"),
                condition=condition,
                steps=steps,
                attribute=attribute,
                condition_xpath=etree.XPath(f"boolean({condition})") if condition else None,
            )
        )
    return tuple(rows)


@cache
def _mappings_by_tag() -> dict[str | None, tuple[Mapping, ...]]:
    """Rows indexed by the tag of the element that carries the value (``None``: any element)."""
    index: dict[str | None, list[Mapping]] = {}
    for mapping in mappings():
        index.setdefault(mapping.steps[-1] if mapping.steps else None, []).append(mapping)
    return {tag: tuple(rows) for tag, rows in index.items()}


def _coded_values(root: etree._Element):
    """``(element, mapping, value)`` for every coded value in the document, in document order."""
    index = _mappings_by_tag()
    anywhere = index.get(None, ())
    for element in root.iter(etree.Element):
        for mapping in index.get(element.tag, ()) + anywhere:
            if mapping.attribute is None:
                value = element.text.strip() if element.text is not None else None
            else:
                value = element.get(mapping.attribute)
            if value is None or not mapping.applies_to(element):
                continue
            if mapping.condition_xpath is not None and not mapping.condition_xpath(element):
                continue
            yield element, mapping, value


def validate_codelists(
    tree: etree._ElementTree | etree._Element, *, purpose: str = "export", locate=None
) -> list[Finding]:
    """Codelist findings for ``tree``: path, line, value and codelist of each bad code."""
    if purpose not in PURPOSES:
        raise ValueError(f"purpose must be one of {PURPOSES}, not {purpose!r}")
    if isinstance(tree, etree._Element):
        tree = tree.getroottree()
    lists = codelists()
    findings: list[Finding] = []
    for element, mapping, value in _coded_values(tree.getroot()):
        codelist = lists[mapping.codelist]
        status = codelist.status(value)
        if status == "active":
            continue
        if status is None:
            severity = Severity.ERROR if codelist.complete else Severity.WARNING
            template = MSG_UNKNOWN if codelist.complete else MSG_UNKNOWN_INCOMPLETE
        else:
            severity = Severity.ERROR if purpose == "export" else Severity.WARNING
            template = MSG_WITHDRAWN
        line = element.sourceline
        findings.append(
            Finding(
                severity=severity,
                source=Source.CODELIST,
                rule_id=f"codelist:{codelist.name}",
                message=str(template % {"value": value, "codelist": codelist.name}),
                line=line,
                activity=locate(line) if locate and line else None,
                path=f"{tree.getpath(element)}/{mapping.attribute_label}",
                value=value,
                codelist=codelist.name,
                category="codelist",
                context=f"{mapping.path} if {mapping.condition}" if mapping.condition else None,
            )
        )
    findings.sort(key=lambda f: (f.line or 0, f.path or ""))
    return findings
