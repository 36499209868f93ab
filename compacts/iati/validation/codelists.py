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

How it runs (the fast path). Applying every row to every element the exact way (the row's
ancestor chain, its condition XPath, the code's status) is what :func:`_validate_codelists_exact`
does; it costs about 0.16 ms per activity, too much for imports. Yet a value that is an *active*
code of every list that could apply to it can never give a finding, whichever row applies. So
the rows are indexed once per process (:func:`_fast_index`): for each tag and each coded
attribute (or text) of it, the set of codes active in the lists of *all* its rows (the
intersection, so a row whose chain or condition does not hold can only make the set smaller).
mapping.xml's conditions all test one attribute (``@vocabulary = '2'``,
``@vocabulary = '1' or not(@vocabulary)``), so for those the set is kept per value of that
attribute: a DAC sector code under vocabulary 1 is checked against Sector only, and a code under
vocabulary 99 (no list) is always safe. A condition of any other shape falls back to the
intersection over every row.

:func:`validate_codelists` then walks only the elements whose tag ends a row (``root.iter``
with those tags, C-filtered by lxml) and reads one attribute per check; the "anywhere" row
(``//@xml:lang``) is read with one XPath that returns plain strings. Only an element with a
value outside its safe set gets the exact treatment, for all its rows, as the exact
implementation would: the findings are the same, in the same order (they are sorted by line
and path, and a path names one element). ``test_codelists_fast.py`` compares the two on the
IATI schema test suite, the sample activities and crafted documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

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


def _value(element: etree._Element, attribute: str | None) -> str | None:
    """The coded value ``element`` carries in ``attribute`` (stripped text if ``None``)."""
    if attribute is None:
        return element.text.strip() if element.text is not None else None
    return element.get(attribute)


def _element_values(element: etree._Element, rows: tuple[Mapping, ...]):
    """``(mapping, value)`` for each row of ``rows`` that applies to ``element``, in order."""
    for mapping in rows:
        value = _value(element, mapping.attribute)
        if value is None or not mapping.applies_to(element):
            continue
        if mapping.condition_xpath is not None and not mapping.condition_xpath(element):
            continue
        yield mapping, value


def _coded_values(root: etree._Element):
    """``(element, mapping, value)`` for every coded value in the document, in document order."""
    index = _mappings_by_tag()
    anywhere = index.get(None, ())
    for element in root.iter(etree.Element):
        for mapping, value in _element_values(element, index.get(element.tag, ()) + anywhere):
            yield element, mapping, value


# --- the fast path --------------------------------------------------------------------------

#: ``@vocabulary = '2'`` and ``@vocabulary = '1' or not(@vocabulary)``: the only two shapes of
#: condition mapping.xml uses. Both depend on one attribute of the element only, so which rows
#: may apply is known from that attribute's value alone.
_EQUALS = re.compile(r"^@([\w-]+) = '([^']*)'$")
_EQUALS_OR_ABSENT = re.compile(r"^@([\w-]+) = '([^']*)' or not\(@([\w-]+)\)$")

#: The condition of a row, understood: ``(key attribute, value it must equal, holds when the
#: attribute is absent)``; ``None`` when the row has no condition.
_Condition = tuple[str, str, bool]


class _Opaque(Exception):
    """A condition that is not of a shape :func:`_parse_condition` understands."""


def _parse_condition(condition: str | None) -> _Condition | None:
    """``condition`` understood, ``None`` if there is none; :class:`_Opaque` if not understood."""
    if condition is None:
        return None
    if match := _EQUALS.match(condition):
        return match.group(1), match.group(2), False
    match = _EQUALS_OR_ABSENT.match(condition)
    if match and match.group(1) == match.group(3):
        return match.group(1), match.group(2), True
    raise _Opaque(condition)


def _active(name: str) -> frozenset[str]:
    """The active codes of the list ``name``."""
    return frozenset(code for code, status in codelists()[name].codes.items() if status == "active")


def _intersection(rows) -> frozenset[str] | None:
    """Codes active in the list of every row of ``rows``; ``None`` (any value) if no rows."""
    safe = None
    for row in rows:
        safe = _active(row.codelist) if safe is None else safe & _active(row.codelist)
    return safe


class _Check(NamedTuple):
    """What the fast path checks for one attribute (``None``: the text) of one tag.

    A value is *safe* when it is an active code of every list that could apply to it, so it
    cannot give a finding. ``key`` is ``None`` when the rows have no condition the fast path
    understands: ``safe`` is then the intersection over every row (a row whose ancestor chain or
    condition may not hold only makes the set smaller, never wrong). Otherwise the rows'
    conditions all test ``key`` (``vocabulary``) and ``by_key`` gives the safe codes for each
    value of it that some condition names (``None``: the attribute is absent), ``safe`` those
    for any other value. A safe set of ``None`` means that no row can apply: any value is safe.
    (A named tuple, not a dataclass: the walk unpacks it for every element.)
    """

    attribute: str | None
    key: str | None
    safe: frozenset[str] | None
    by_key: dict[str | None, frozenset[str] | None]


def _check(attribute: str | None, rows: list[Mapping]) -> _Check:
    """The check of ``attribute`` for ``rows``, the rows of one tag that read it."""
    try:
        conditions = [_parse_condition(row.condition) for row in rows]
    except _Opaque:
        conditions = None
    keys = {c[0] for c in conditions or () if c is not None}
    if conditions is None or len(keys) != 1:
        return _Check(attribute, None, _intersection(rows), {})
    [key] = keys
    # A row without a condition may always apply; the others when ``key`` has their value
    # (or is absent, for ``or not(@key)``).
    always = [row for row, c in zip(rows, conditions, strict=True) if c is None]
    named = sorted({c[1] for c in conditions if c is not None})
    by_key = {}
    for value in (*named, None):
        applying = [
            row
            for row, c in zip(rows, conditions, strict=True)
            if c is not None and (c[2] if value is None else c[1] == value)
        ]
        by_key[value] = _intersection(always + applying)
    return _Check(attribute, key, _intersection(always), by_key)


def _checks(rows: tuple[Mapping, ...]) -> tuple[_Check, ...]:
    """One :class:`_Check` per attribute (or text) that ``rows`` read, in first-row order."""
    by_attribute: dict[str | None, list[Mapping]] = {}
    for row in rows:
        by_attribute.setdefault(row.attribute, []).append(row)
    return tuple(_check(attribute, group) for attribute, group in by_attribute.items())


@dataclass(frozen=True)
class _FastIndex:
    """Everything the fast path needs, computed once per process (:func:`_fast_index`).

    ``checks``: the checks of each tag that ends a row's path. ``walk``: the same, shaped for
    the walk: ``(attribute, safe, rest)`` where ``attribute`` / ``safe`` is the tag's first
    check when it is a plain attribute one (most tags have exactly one), ``rest`` the other
    checks or ``None``. ``anywhere``: for the rows that apply to any element (``//@xml:lang``),
    when each attribute has a plain safe set, an XPath that lists the attribute's values
    (``plain``: as strings, for the check; ``smart``: strings that know their element, to find
    the element at fault) with the safe set. When the "anywhere" rows are not of that shape,
    ``anywhere`` is ``None`` and ``anywhere_checks`` are applied to every element instead."""

    checks: dict[str, tuple[_Check, ...]]
    walk: dict[str, tuple[bytes | None, frozenset[str] | None, tuple[_Check, ...] | None]]
    anywhere: tuple[tuple[etree.XPath, etree.XPath, frozenset[str]], ...] | None
    anywhere_checks: tuple[_Check, ...]


def _walk_entry(checks: tuple[_Check, ...]):
    """A tag's checks as the walk in :func:`_suspects` reads them (see :class:`_FastIndex`)."""
    first = checks[0]
    if first.key is None and first.attribute is not None and first.safe is not None:
        # bytes: lxml's get() takes them a little faster than str (it encodes str every time)
        return first.attribute.encode(), first.safe, checks[1:] or None
    return None, None, checks


#: Attribute names an XPath step can name as they are (no prefix, or the ``xml`` namespace).
_PLAIN_NAME = re.compile(r"^(?:\{http://www\.w3\.org/XML/1998/namespace\})?[A-Za-z_][\w.-]*$")


def _attribute_step(attribute: str) -> str:
    return "xml:" + attribute[len(XML_NS) :] if attribute.startswith(XML_NS) else attribute


@cache
def _fast_index() -> _FastIndex:
    """The checks of every tag and of the "anywhere" rows, built from mapping.xml once."""
    index = _mappings_by_tag()
    checks = {tag: _checks(rows) for tag, rows in index.items() if tag is not None}
    anywhere_checks = _checks(index.get(None, ()))
    anywhere = None
    if all(
        c.key is None and c.attribute and c.safe is not None and _PLAIN_NAME.match(c.attribute)
        for c in anywhere_checks
    ):
        anywhere = tuple(
            (
                # "//*/@a" selects what "//@a" does (every attribute is on an element) and
                # measures faster with libxml2.
                etree.XPath(f"//*/@{_attribute_step(c.attribute)}", smart_strings=False),
                etree.XPath(f"//*/@{_attribute_step(c.attribute)}"),
                c.safe,
            )
            for c in anywhere_checks
        )
    walk = {tag: _walk_entry(tag_checks) for tag, tag_checks in checks.items()}
    return _FastIndex(checks, walk, anywhere, anywhere_checks)


def _is_suspect(element: etree._Element, checks: tuple[_Check, ...]) -> bool:
    """Whether a value of ``element`` that ``checks`` read is not known to be safe."""
    for attribute, key, safe, by_key in checks:
        if attribute is None:
            value = element.text
            if value is None:
                continue
            value = value.strip()
        else:
            value = element.get(attribute)
            if value is None:
                continue
        if key is not None:
            safe = by_key.get(element.get(key), safe)
        if safe is not None and value not in safe:
            return True
    return False


def _suspects(root: etree._Element) -> list[etree._Element]:
    """The elements that may carry a bad code; no other element can.

    Those found by their tag come in document order, then those found by an "anywhere" row
    (``xml:lang``) that were not already there. :func:`validate_codelists` sorts its findings
    by line and path, and two elements never share a path, so this order does not matter."""
    fast = _fast_index()
    suspects = []
    if fast.anywhere is None:
        by_tag, anywhere = fast.checks, fast.anywhere_checks
        for element in root.iter(etree.Element):
            checks = by_tag.get(element.tag)
            if (checks and _is_suspect(element, checks)) or _is_suspect(element, anywhere):
                suspects.append(element)
        return suspects
    # This loop runs for every element with a mapped tag (half of a typical activity): the
    # common case (one plain attribute) is inlined, the rest goes through _is_suspect.
    walk = fast.walk
    for element in root.iter(*walk):
        attribute, safe, rest = walk[element.tag]
        if attribute is not None:
            value = element.get(attribute)
            if value is not None and value not in safe:
                suspects.append(element)
                continue
        if rest is not None and _is_suspect(element, rest):
            suspects.append(element)
    for plain, smart, safe in fast.anywhere:
        if safe.issuperset(plain(root)):
            continue
        seen = set(suspects)
        for value in smart(root):
            if value not in safe:
                element = value.getparent()
                if element not in seen:
                    seen.add(element)
                    suspects.append(element)
    return suspects


def _finding(
    tree: etree._ElementTree,
    element: etree._Element,
    mapping: Mapping,
    value: str,
    purpose: str,
    locate,
    lists: dict[str, Codelist],
) -> Finding | None:
    """The finding for ``value`` of ``element`` under ``mapping``, or ``None`` if it is active."""
    codelist = lists[mapping.codelist]
    status = codelist.status(value)
    if status == "active":
        return None
    if status is None:
        severity = Severity.ERROR if codelist.complete else Severity.WARNING
        template = MSG_UNKNOWN if codelist.complete else MSG_UNKNOWN_INCOMPLETE
    else:
        severity = Severity.ERROR if purpose == "export" else Severity.WARNING
        template = MSG_WITHDRAWN
    line = element.sourceline
    return Finding(
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


def _tree(tree: etree._ElementTree | etree._Element, purpose: str) -> etree._ElementTree:
    """The whole document ``tree`` belongs to, once ``purpose`` is known to be valid."""
    if purpose not in PURPOSES:
        raise ValueError(f"purpose must be one of {PURPOSES}, not {purpose!r}")
    if isinstance(tree, etree._Element):
        tree = tree.getroottree()
    return tree


def validate_codelists(
    tree: etree._ElementTree | etree._Element, *, purpose: str = "export", locate=None
) -> list[Finding]:
    """Codelist findings for ``tree``: path, line, value and codelist of each bad code.

    The exact treatment (:func:`_validate_codelists_exact`) runs only on the elements
    :func:`_suspects` names; the findings are the same, in the same order."""
    tree = _tree(tree, purpose)
    lists = codelists()
    index = _mappings_by_tag()
    anywhere = index.get(None, ())
    findings: list[Finding] = []
    for element in _suspects(tree.getroot()):
        for mapping, value in _element_values(element, index.get(element.tag, ()) + anywhere):
            finding = _finding(tree, element, mapping, value, purpose, locate, lists)
            if finding is not None:
                findings.append(finding)
    findings.sort(key=lambda f: (f.line or 0, f.path or ""))
    return findings


def _validate_codelists_exact(
    tree: etree._ElementTree | etree._Element, *, purpose: str = "export", locate=None
) -> list[Finding]:
    """The reference implementation: every row applied to every element. The fast path must
    give exactly its findings (``test_codelists_fast.py`` compares the two)."""
    tree = _tree(tree, purpose)
    lists = codelists()
    findings: list[Finding] = []
    for element, mapping, value in _coded_values(tree.getroot()):
        finding = _finding(tree, element, mapping, value, purpose, locate, lists)
        if finding is not None:
            findings.append(finding)
    findings.sort(key=lambda f: (f.line or 0, f.path or ""))
    return findings
