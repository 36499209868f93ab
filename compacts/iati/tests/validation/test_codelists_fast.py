"""The fast codelist check gives exactly the findings of the exact one (every row applied to
every element), on real files and on documents built to hit every row of mapping.xml with
active, withdrawn, unknown, padded and other lists' codes, under every vocabulary."""

import dataclasses
import random
import re

import pytest
from lxml import etree

from compacts.iati.validation import codelists as module
from compacts.iati.validation.codelists import (
    PURPOSES,
    XML_NS,
    Mapping,
    _active,
    _check,
    _fast_index,
    _suspects,
    _validate_codelists_exact,
    codelists,
    mappings,
    validate_codelists,
)
from compacts.iati.xml import IatiXmlError, data_path, parse

ROOTS = {"iati-activity": "iati-activities", "iati-organisation": "iati-organisations"}


def locate(line: int) -> str:
    return f"activity at line {line}"


def assert_same(tree) -> int:
    """Fast and exact agree for both purposes; return how many findings they gave."""
    found = 0
    for purpose in PURPOSES:
        fast = validate_codelists(tree, purpose=purpose, locate=locate)
        exact = _validate_codelists_exact(tree, purpose=purpose, locate=locate)
        assert fast == exact
        found += len(exact)
    return found


def test_the_schema_suite_and_the_sample_activities_give_the_same_findings():
    files = sorted(data_path("schemas-2.03", "tests").rglob("*.xml"))
    files += sorted(data_path("sample-activities").rglob("*.xml"))
    compared = found = 0
    for path in files:
        try:
            tree = parse(path)
        except IatiXmlError:
            continue
        found += assert_same(tree)
        compared += 1
    assert compared > 600
    assert found > 1000  # the should-fail half of the suite is full of bad codes


def _codes(name: str) -> tuple[list[str], list[str]]:
    """Two active and two non-active codes of a list (fewer if it has fewer)."""
    items = codelists()[name].codes.items()
    active = [code for code, status in items if status == "active"][:2]
    other = [code for code, status in items if status != "active"][:2]
    return active, other


def _values(row: Mapping) -> list[str]:
    """Codes that are good, withdrawn, unknown, padded, empty or from another list."""
    active, withdrawn = _codes(row.codelist)
    values = [*active, *withdrawn, "NOT-A-CODE", "", f" {active[0]} ", active[0].lower()]
    for other in ("Sector", "SectorCategory", "Country", "Currency", "UNSDG-Targets"):
        values += _codes(other)[0][:1]
    return values


def _vocabularies(row: Mapping) -> list[str | None]:
    """Absent, each value a condition names, a list-less one and an empty one."""
    named = re.findall(r"'([^']*)'", row.condition or "")
    return [None, *named, "1", "2", "3", "99", ""]


def _chain(parent: etree._Element, steps: tuple[str, ...]) -> etree._Element:
    for step in steps:
        parent = etree.SubElement(parent, step)
    return parent


def _documents(row: Mapping):
    """Elements for every (vocabulary, value) at the place the row names: all in one document,
    or one document each for a row on the root element."""
    on_root = row.steps[0] not in ROOTS
    root = None
    for vocabulary in _vocabularies(row):
        for value in _values(row):
            if on_root or root is None:
                root = etree.Element(row.steps[0] if on_root else ROOTS[row.steps[0]])
            element = root if on_root else _chain(root, row.steps)
            if row.attribute is None:
                element.text = value
            else:
                element.set(row.attribute, value)
            if vocabulary is not None:
                element.set("vocabulary", vocabulary)
            if on_root:
                yield parse(etree.tostring(root))
    if not on_root:
        # Serialised and parsed again so that the elements have source lines, as uploads do.
        yield parse(etree.tostring(root, pretty_print=True))


def test_every_row_of_mapping_xml_with_good_and_bad_codes():
    found = 0
    for row in mappings():
        if not row.steps:
            continue  # //@xml:lang: see the next test
        for document in _documents(row):
            found += assert_same(document)
    assert found > 2000


@pytest.mark.parametrize("lang", ["en", "fr", "EN", "xx", "", " en", "zz-ZZ"])
def test_xml_lang_anywhere_with_good_and_bad_languages(lang):
    doc = parse(
        (
            f'<iati-activities version="2.03" xml:lang="{lang}">'
            f'<iati-activity xml:lang="{lang}" default-currency="USD">'
            f'<title><narrative xml:lang="{lang}">T</narrative><narrative>U</narrative></title>'
            f'<sector code="99999" xml:lang="{lang}"/>'
            f'<unmapped-extension xml:lang="{lang}"><deeper xml:lang="{lang}"/>'
            "</unmapped-extension>"
            "</iati-activity></iati-activities>"
        ).encode()
    )
    found = assert_same(doc)
    assert found >= 2  # the bad sector, on export and on import
    if lang in ("en", "fr"):
        assert found == 2


def _random_activity(rng: random.Random, n: int) -> str:
    def code(name: str) -> str:
        active, withdrawn = _codes(name)
        pool = active * 6 + withdrawn + ["NOPE", "", f" {active[0]}", _codes("Country")[0][0]]
        return rng.choice(pool)

    def lang() -> str:
        return rng.choice(["", "", "", ' xml:lang="en"', ' xml:lang="fr"', ' xml:lang="EN"'])

    def vocabulary() -> str:
        choice = rng.choice([None, "1", "2", "3", "7", "8", "99", ""])
        return "" if choice is None else f' vocabulary="{choice}"'

    def sector() -> str:
        name = rng.choice(["Sector", "SectorCategory", "UNSDG-Goals", "UNSDG-Targets"])
        return f'<sector{vocabulary()} code="{code(name)}"/>'

    transactions = "".join(
        f'<transaction><transaction-type code="{code("TransactionType")}"/>'
        f'<value currency="{code("Currency")}">1</value>{sector()}'
        f'<aid-type{vocabulary()} code="{code(rng.choice(["AidType", "EarmarkingCategory"]))}"/>'
        f"<description{lang()}><narrative{lang()}>x</narrative></description>"
        f'<recipient-country code="{code("Country")}"/></transaction>'
        for _ in range(rng.randint(0, 4))
    )
    return (
        f'<iati-activity{lang()} default-currency="{code("Currency")}">'
        f"<iati-identifier>X-{n}</iati-identifier>"
        f'<activity-status code="{code("ActivityStatus")}"/>'
        f"{sector()}{sector()}"
        f'<tag{vocabulary()} code="{code(rng.choice(["UNSDG-Goals", "UNSDG-Targets"]))}"/>'
        f'<default-finance-type code="{code("FinanceType")}"/>'
        f'<policy-marker{vocabulary()} code="{code("PolicyMarker")}"'
        f' significance="{code("PolicySignificance")}"/>'
        f'<recipient-region{vocabulary()} code="{code("Region")}"/>'
        f'<location><administrative vocabulary="{rng.choice(["A4", "G1"])}"'
        f' code="{code("Country")}"/></location>'
        f"<crs-add><channel-code>{code('CRSChannelCode')}</channel-code></crs-add>"
        f"{transactions}</iati-activity>"
    )


@pytest.mark.parametrize("one_line", [False, True])
def test_random_documents_with_bad_withdrawn_and_vocabulary_dependent_codes(one_line):
    """On one line every finding shares its line, so the order rests on the paths alone."""
    rng = random.Random(2030 + one_line)
    found = 0
    for n in range(150):
        sep = "" if one_line else "\n"
        activities = sep.join(_random_activity(rng, n * 10 + i) for i in range(3))
        doc = parse(f'<iati-activities version="2.03">{sep}{activities}</iati-activities>'.encode())
        found += assert_same(doc)
    assert found > 1000


def test_an_element_of_the_document_validates_the_whole_document_as_before():
    doc = parse(
        b'<iati-activities version="2.03"><iati-activity default-currency="EURO">'
        b'<sector code="1"/></iati-activity></iati-activities>'
    )
    element = doc.getroot()[0][0]
    assert validate_codelists(element) == _validate_codelists_exact(element)
    assert len(validate_codelists(element)) == 2


def test_only_elements_with_a_value_outside_their_safe_set_are_treated_exactly():
    doc = parse(
        b'<iati-activities version="2.03"><iati-activity default-currency="USD" xml:lang="en">'
        b'<sector vocabulary="1" code="15190"/><sector vocabulary="99" code="ANY"/>'
        b'<sector vocabulary="2" code="151"/><tag vocabulary="3" code="10.7"/>'
        b'<recipient-country code="SO"/><title><narrative xml:lang="fr">T</narrative></title>'
        b"</iati-activity></iati-activities>"
    )
    assert _suspects(doc.getroot()) == []
    assert validate_codelists(doc) == []
    bad = parse(
        b'<iati-activities version="2.03"><iati-activity default-currency="USD">'
        b'<sector vocabulary="2" code="15190"/><sector code="15190"/>'
        b'<title><narrative xml:lang="qq">T</narrative></title>'
        b"</iati-activity></iati-activities>"
    )
    suspects = _suspects(bad.getroot())
    assert [(e.tag, e.get("code")) for e in suspects] == [("sector", "15190"), ("narrative", None)]
    assert [f.codelist for f in validate_codelists(bad)] == ["SectorCategory", "Language"]


def test_safe_sets_follow_the_vocabulary():
    checks = {check.attribute: check for check in _fast_index().checks["sector"]}
    code = checks["code"]
    assert code.key == "vocabulary"
    assert code.by_key["1"] == code.by_key[None] == _active("Sector")
    assert code.by_key["2"] == _active("SectorCategory")
    assert code.by_key["8"] == _active("UNSDG-Targets")
    assert code.safe is None  # vocabulary 99 (or any other): no list applies
    assert "15190" in _active("Sector")
    assert "15190" not in _active("SectorCategory")
    vocabulary = checks["vocabulary"]
    assert (vocabulary.key, vocabulary.safe) == (None, _active("SectorVocabulary"))
    [lang] = _fast_index().anywhere_checks
    assert (lang.attribute, lang.safe) == (XML_NS + "lang", _active("Language"))
    assert _fast_index().anywhere is not None


def _row(codelist: str, condition: str | None) -> Mapping:
    return Mapping(
        path="//iati-activity/x/@code",
        codelist=codelist,
        condition=condition,
        steps=("iati-activity", "x"),
        attribute="code",
        condition_xpath=etree.XPath(f"boolean({condition})") if condition else None,
    )


def test_a_condition_of_another_shape_makes_every_row_count():
    """Not ``@a = 'v'`` (or ``... or not(@a)``): the safe set is the intersection of all rows."""
    both = _active("Sector") & _active("SectorCategory")
    opaque = _check("code", [_row("Sector", "count(../x) > 1"), _row("SectorCategory", None)])
    assert (opaque.key, opaque.safe, opaque.by_key) == (None, both, {})
    two_keys = _check("code", [_row("Sector", "@a = '1'"), _row("SectorCategory", "@b = '1'")])
    assert (two_keys.key, two_keys.safe) == (None, both)
    keyed = _check("code", [_row("Sector", "@a = '1' or not(@a)"), _row("Country", None)])
    assert keyed.key == "a"
    assert keyed.by_key == {"1": _active("Sector") & _active("Country"), None: keyed.by_key["1"]}
    assert keyed.safe == _active("Country")


def test_the_walk_of_every_element_gives_the_same_findings(monkeypatch):
    """When the "anywhere" rows cannot be read with one XPath, every element is walked."""
    slow = dataclasses.replace(_fast_index(), anywhere=None)
    monkeypatch.setattr(module, "_fast_index", lambda: slow)
    rng = random.Random(7)
    found = 0
    for n in range(40):
        activity = _random_activity(rng, n)
        found += assert_same(parse(f"<iati-activities>{activity}</iati-activities>".encode()))
    for path in sorted(data_path("schemas-2.03", "tests").rglob("should-fail/**/*.xml"))[:80]:
        found += assert_same(parse(path))
    assert found > 100


def test_extension_elements_in_other_namespaces_on_one_line():
    """Siblings that share a tag in different namespaces, all with a bad language and on the
    same line: the findings still come in the same order."""
    doc = parse(
        b'<iati-activities version="2.03" xmlns:x="urn:x" xmlns:y="urn:y">'
        b'<iati-activity xml:lang="qq" default-currency="USD"><x:sector xml:lang="q1" code="1"/>'
        b'<y:sector xml:lang="q2"/><sector xmlns="urn:z" xml:lang="q3"/>'
        b'<sector xmlns="urn:w" xml:lang="q4"/><sector code="bad" xml:lang="q5"/>'
        b'<!-- a comment --><?pi x?><x:sector xml:lang="q6"/></iati-activity></iati-activities>'
    )
    assert assert_same(doc) == 2 * 8
