"""The screened rule engine (``Ruleset.failures``) reports exactly the exact engine's failures.

The exact engine tests every case on every context element (``Ruleset.results``); the
screened one only where a screen selects. They must agree on every document: the IATI schema
test suite, the rulesets' meta tests, generated activities with faults put in on purpose, and
edge cases chosen to fool a screen that compared floats or ignored types."""

import csv
from datetime import UTC, date, datetime

import pytest
from lxml import etree

from bench.iati_import import ACTIVITY, TRANSACTION
from compacts.iati.validation.rules import Ruleset, RulesetError, standard_ruleset, validate_rules
from compacts.iati.validation.screens import LOOP_VALUES_LIMIT, compile_context, is_node_set
from compacts.iati.xml import data_path, parse

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
SCHEMA_TESTS = data_path("schemas-2.03", "tests")
META = data_path("rulesets", "meta_tests")
META_ROWS = list(csv.DictReader((META / "EXPECTATIONS.csv").open(encoding="utf-8")))


#: For each value of ``s/@v``, the ``p`` of the ``s`` with that value add up to 100.
SUM_LOOP = {
    "foreach": "s/@v",
    "do": {"strict_sum": {"cases": [{"paths": ["s[@v = '$1']/@p"], "sum": 100}]}},
    "subs": ["paths"],
}


def signature(result) -> tuple:
    element = result.element
    return (
        result.context,
        result.rule,
        element.getroottree().getpath(element),
        result.line,
        result.detail,
        repr(sorted(result.case.items(), key=lambda item: item[0])),
    )


def assert_same(ruleset: Ruleset, document, now=NOW) -> list:
    exact = [signature(r) for r in ruleset.results(document, now=now) if r.failed]
    screened = [signature(r) for r in ruleset.failures(document, now=now)]
    assert screened == exact
    return exact


def schema_suite_documents():
    for path in sorted(SCHEMA_TESTS.rglob("*.xml")):
        try:
            yield path, parse(path)
        except Exception:  # noqa: BLE001 - the suite has deliberately unreadable files
            continue


def generated(count: int = 3) -> bytes:
    """Activities as the import benchmark writes them (the tests put faults in)."""
    transactions = "".join(
        TRANSACTION.format(type="3" if m % 2 else "4", month=m, value=f"{1000 + m}.50")
        for m in range(1, 4)
    )
    body = "".join(
        ACTIVITY.format(
            n=n, country="SO", objective=n + 1, budget="500.00", transactions=transactions
        )
        for n in range(count)
    )
    return f'<iati-activities version="2.03">{body}</iati-activities>'.encode()


def document(text: str | bytes):
    return parse(text.encode() if isinstance(text, str) else text)


class TestAgreesWithTheExactEngine:
    def test_on_the_schema_test_suite(self):
        ruleset = standard_ruleset()
        documents = list(schema_suite_documents())
        assert len(documents) > 600
        failing = sum(bool(assert_same(ruleset, doc)) for _path, doc in documents)
        assert failing > 50  # the suite exercises the ruleset, not only clean files

    @pytest.mark.parametrize(
        "row", META_ROWS, ids=[f"{r['ruleset_json']}-{r['xml']}" for r in META_ROWS]
    )
    def test_on_the_meta_tests(self, row):
        ruleset = Ruleset.from_file(META / f"{row['ruleset_json']}.json")
        failures = assert_same(ruleset, parse(META / f"{row['xml']}.xml"), now=None)
        assert (not failures) is (row["expected_valid"] == "True")

    def test_on_the_real_iom_activity(self):
        for path in data_path("sample-activities").glob("*.xml"):
            assert_same(standard_ruleset(), parse(path))

    @pytest.mark.parametrize(
        ("old", "new"),
        [
            ("", ""),  # clean
            ('percentage="60"', 'percentage="50"'),  # country percentages no longer 100
            ('percentage="60"', 'percentage="60.00000000000000001"'),  # float sum still 100
            ('percentage="60"', 'percentage="6e1"'),
            ('percentage="60"', 'percentage=" 60 "'),
            ('percentage="40"', 'percentage="140"'),  # out of range
            ('ref="XM-DAC-41114"', 'ref="XM-DAC-41114/A"'),  # regex
            ('ref="XM-DAC-41114"', 'ref=" XM-DAC-41114"'),  # spaces
            ('ref="XM-DAC-41114"', 'ref="XM-DAC-41114\u00a0"'),  # a space XPath does not see
            (
                'ref="XM-DAC-47066" type="40"><narrative>International',
                'ref="ZZ-NOPE-1" type="40"><narrative>International',
            ),  # unknown agency prefix
            ("XM-DAC-47066-BENCH", "XX-BENCH"),  # identifier prefix not the reporting org's
            ('iso-date="2024-01-01" type="2"', 'iso-date="2027-01-01" type="2"'),  # future start
            ('iso-date="2026-12-31" type="3"', 'iso-date="2023-12-31" type="3"'),  # end < start
            ('iso-date="2026-12-31" type="3"', 'iso-date="2024-01-01T00:00:00+14:00" type="3"'),
            ("2024-03-15", "2026-06-02"),  # transaction dates after NOW
            ("2024-03-15", "2026-06-01"),  # on the day of NOW: not in the future
            ("2024-03-15", "2026-06-01T13:00:00Z"),  # later on NOW's day
            ('<period-end iso-date="2024-12-31"/>', '<period-end iso-date="2025-01-01"/>'),
            (
                '<period-end iso-date="2024-12-31"/>',
                '<period-end iso-date="2024-12-31T23:59:59-12:00"/>',
            ),
            ('last-updated-datetime="2025-01-01T00:00:00Z"', 'last-updated-datetime="2030-01-01"'),
            ('xml:lang="en" ', ""),  # no activity language: every narrative needs one
            ('<sector code="15190" vocabulary="1"/>', ""),  # no sector anywhere
            (
                '<sector code="15190" vocabulary="1"/>',
                '<sector code="15190" vocabulary="1" percentage="50"/>'
                '<sector code="15110" vocabulary="1" percentage="50"/>',
            ),
            (
                '<sector code="15190" vocabulary="1"/>',
                '<sector code="1" vocabulary="2" percentage="70"/>'
                '<sector code="2" vocabulary="2" percentage="20"/>',
            ),
            (
                '<activity-status code="2"/>',
                '<activity-status code="2"/><default-aid-type code="A01"/>'
                '<default-aid-type code="B01"/>',
            ),
        ],
    )
    def test_on_generated_activities_with_faults(self, old, new):
        text = generated().decode().replace(old, new) if old else generated().decode()
        assert_same(standard_ruleset(), document(text))

    def test_one_faulty_activity_among_many_is_found_in_place(self):
        text = generated(count=5).decode()
        marker = "XM-DAC-47066-BENCH-3</iati-identifier>"
        text = text.replace(marker, marker + '\n  <activity-date iso-date="2099-01-01" type="2"/>')
        failures = assert_same(standard_ruleset(), document(text))
        assert failures
        assert all("iati-activity[4]" in path for _c, _r, path, *_ in failures)


class TestEdgeCasesOfTheScreens:
    """Custom rulesets whose cases a careless screen would get wrong."""

    @pytest.mark.parametrize(
        ("rule", "case", "body"),
        [
            ("atleast_one", {"paths": ["count(title)"]}, "<title/>"),  # a number: "no nodes"
            ("atleast_one", {"paths": ["string(title)"]}, "<title>x</title>"),
            ("no_more_than_one", {"paths": ["title", "title"]}, "<title/>"),
            ("dependent", {"paths": ["title", "description"]}, "<title/>"),
            ("only_one_of", {"excluded": ["a", "b"], "paths": ["c"]}, "<a/><c/>"),
            ("only_one_of", {"excluded": ["a"], "paths": ["c"]}, "<c/><c/>"),
            ("unique", {"paths": ["a/@x", "b/@x"]}, '<a x="1"/><b x="1"/>'),
            ("unique", {"paths": ["a/@x", "b/@x"]}, '<a x="1"/><a x="2"/><b x="1"/>'),
            ("unique", {"paths": ["a/@x"]}, '<a x="1"/><a x="1"/>'),
            (
                "startswith",
                {"prefix": ["r/@ref"], "separator": "-", "paths": ["id"]},
                '<r ref="AB"/><r ref="CD"/><id>CD-1</id>',
            ),  # the second prefix matches
            ("startswith", {"start": "r/@ref", "paths": ["id"]}, '<r ref="AB"/><id>AC</id>'),
            (
                "strict_sum",
                {"paths": ["s/@p"], "sum": 100},
                '<s p="99.99999999999999999"/><s p="0.00000000000000002"/>',
            ),
            ("strict_sum", {"paths": ["s/@p"], "sum": 100}, '<s p="1E2"/>'),
            ("strict_sum", {"paths": ["s/@p"], "sum": 100}, '<s p="+100"/>'),
            ("strict_sum", {"paths": ["s/@p"], "sum": 0.5}, '<s p="0.5"/>'),
            ("sum", {"paths": ["s/@p"], "sum": 100}, ""),
            ("range", {"paths": ["s/@p"], "min": 0, "max": 100}, '<s p="100.0000000000000001"/>'),
            (
                "date_order",
                {"less": "a/@d", "more": "b/@d"},
                '<a d="2024-01-02"/><b d="2024-01-01"/>',
            ),
            (
                "date_order",
                {"less": "a/@d", "more": "b/@d"},
                '<a d="2024-01-01T23:00:00-12:00"/><b d="2024-01-02T00:00:00+14:00"/>',
            ),
            (
                "date_order",
                {"less": "a/@d", "more": "b/@d"},
                '<a d="2024-01-0\u0662"/><b d="2024-01-01"/>',
            ),
            ("date_order", {"less": "NOW", "more": "b/@d"}, '<b d="2026-06-01"/>'),
            ("date_order", {"less": "NOW", "more": "b/@d"}, '<b d="2026-06-02"/>'),
            ("date_now", {"date": "a/@d"}, '<a d="2026-06-01T12:00:01Z"/>'),
            (
                "time_limit",
                {"start": "a/@d", "end": "b/@d"},
                '<a d="2024-02-29"/><b d="2025-03-01"/>',
            ),
            (
                "time_limit",
                {"start": "a/@d", "end": "b/@d"},
                '<a d="2023-03-01"/><b d="2024-02-29"/>',
            ),
            (
                "time_limit",
                {"start": "a/@d", "end": "b/@d"},
                '<a d="2023-03-01"/><b d="2024-03-01"/>',
            ),
            ("if_then", {"if": "a", "then": "count(b) = 2"}, "<a/><b/>"),
            ("if_then", {"if": "0", "then": "false()"}, ""),
            ("evaluates_to_true", {"eval": "count(a) = 1"}, "<a/><a/>"),
            ("regex_matches", {"regex": "^[A-Z]+$", "paths": ["a"]}, "<a>AB<b>c</b></a>"),
            ("regex_no_matches", {"regex": "x", "paths": ["a/text()"]}, "<a>axa</a>"),
            ("no_spaces", {"paths": ["a"]}, "<a>\u2003a</a>"),
            ("no_percent", {"paths": ["a/@v"]}, '<a v="5%"/>'),
            (
                "one_or_all",
                {"one": "@default-currency", "all": "currency"},
                "<budget><value>1</value></budget>",
            ),
            ("atleast_one", {"paths": ["a"], "condition": "b"}, "<b/>"),
            ("atleast_one", {"paths": ["a"], "condition": "b"}, ""),
        ],
    )
    def test_case(self, rule, case, body):
        ruleset = Ruleset.from_dict({"//iati-activity": {rule: {"cases": [case]}}})
        for text in (body, ""):
            doc = document(
                f'<iati-activities version="2.03"><iati-activity>{text}</iati-activity>'
                f"<iati-activity>{body}</iati-activity></iati-activities>"
            )
            assert_same(ruleset, doc)

    def test_loops_are_screened_on_their_foreach(self):
        ruleset = Ruleset.from_dict({"//iati-activity": {"loop": {"cases": [SUM_LOOP]}}})
        doc = document(
            '<iati-activities version="2.03"><iati-activity/>'
            '<iati-activity><s v="1" p="100"/><s v="2" p="60"/><s v="2" p="60"/></iati-activity>'
            '<iati-activity><s v="3" p="100"/></iati-activity></iati-activities>'
        )
        failures = assert_same(ruleset, doc)
        assert [(rule, path) for _c, rule, path, *_ in failures] == [
            ("strict_sum", "/iati-activities/iati-activity[2]")
        ]

    def test_a_loop_selects_only_where_its_body_might_fail(self):
        ruleset = Ruleset.from_dict({"//iati-activity": {"loop": {"cases": [SUM_LOOP]}}})
        doc = document(
            '<iati-activities version="2.03">'
            '<iati-activity><s v="1" p="100"/><s v="2" p="40"/><s v="2" p="60"/></iati-activity>'
            '<iati-activity><s v="2" p="30"/><s v="3" p="100"/></iati-activity>'
            '<iati-activity><s v="3" p="50"/><s v="3" p="50"/></iati-activity></iati-activities>'
        )
        plan = compile_context("//iati-activity", ruleset.contexts["//iati-activity"])
        chosen = plan.candidates(doc, id_sets={}, now=NOW)
        # Each activity takes some of the values 1, 2, 3; only the second fails (2 sums to 30).
        assert [e.getroottree().getpath(e) for e in chosen["loop", 0]] == [
            "/iati-activities/iati-activity[2]"
        ]
        failures = assert_same(ruleset, doc)
        assert [path for _c, _r, path, *_ in failures] == ["/iati-activities/iati-activity[2]"]

    def test_a_loop_with_many_values_falls_back_to_its_foreach(self):
        ruleset = Ruleset.from_dict({"//iati-activity": {"loop": {"cases": [SUM_LOOP]}}})
        count = LOOP_VALUES_LIMIT + 5
        body = "".join(f'<iati-activity><s v="{n}" p="100"/></iati-activity>' for n in range(count))
        faulty = '<iati-activity><s v="x" p="99"/></iati-activity>'
        doc = document(f'<iati-activities version="2.03">{body}{faulty}</iati-activities>')
        plan = compile_context("//iati-activity", ruleset.contexts["//iati-activity"])
        assert len(plan.candidates(doc, id_sets={}, now=NOW)["loop", 0]) == count + 1
        failures = assert_same(ruleset, doc)
        assert [path for _c, _r, path, *_ in failures] == [
            f"/iati-activities/iati-activity[{count + 1}]"
        ]

    def test_a_case_is_tested_only_where_its_own_screen_selects(self):
        ruleset = Ruleset.from_dict(
            {"//iati-activity": {"atleast_one": {"cases": [{"paths": ["a"]}, {"paths": ["b"]}]}}}
        )
        doc = document(
            '<iati-activities version="2.03"><iati-activity><b/></iati-activity>'
            "<iati-activity><a/><b/></iati-activity></iati-activities>"
        )
        plan = compile_context("//iati-activity", ruleset.contexts["//iati-activity"])
        chosen = plan.candidates(doc, id_sets={}, now=NOW)
        assert [e.getroottree().getpath(e) for e in chosen["atleast_one", 0]] == [
            "/iati-activities/iati-activity[1]"
        ]
        assert ("atleast_one", 1) not in chosen  # the joined screen selected, b's own did not
        assert len(assert_same(ruleset, doc)) == 1

    @pytest.mark.parametrize(
        ("extra", "rule_ids"),
        [
            # IOM's own vocabularies beside DAC's, named, as in the real IOM activity: clean.
            (
                '<sector code="DP" vocabulary="99" vocabulary-uri="https://data.iom.int/s"><narrative>S</narrative></sector>'
                '<sector code="01" vocabulary="98" vocabulary-uri="https://data.iom.int/s"><narrative>S</narrative></sector>',
                set(),
            ),
            # Two sectors of vocabulary 98, one without a percentage.
            (
                '<sector code="01" vocabulary="98" vocabulary-uri="https://x.org" percentage="50">'
                "<narrative>S</narrative></sector>"
                '<sector code="02" vocabulary="98" vocabulary-uri="https://x.org">'
                "<narrative>S</narrative></sector>",
                {"2.1.1"},
            ),
            # A single sector of its vocabulary at 60%.
            (
                '<sector code="01" vocabulary="98" vocabulary-uri="https://x.org" percentage="60">'
                "<narrative>S</narrative></sector>",
                {"2.1.4"},
            ),
            # Regions of two vocabularies that do not add up (a substituted condition).
            (
                '<recipient-region code="AF" vocabulary="99" vocabulary-uri="https://x.org" '
                'percentage="30"/><recipient-region code="EU" vocabulary="99" '
                'vocabulary-uri="https://x.org" percentage="30"/>',
                None,
            ),
        ],
    )
    def test_the_standard_loops_agree_with_the_exact_engine(self, extra, rule_ids):
        text = generated(count=4).decode()
        marker = "XM-DAC-47066-BENCH-2</iati-identifier>"
        position = text.index("<budget", text.index(marker))
        text = text[:position] + extra + text[position:]
        failures = standard_ruleset().failures(document(text), now=NOW)
        assert_same(standard_ruleset(), document(text))
        found = {r.case["ruleInfo"]["id"] for r in failures}
        if rule_ids is None:
            assert found  # something about the regions' percentages
        else:
            assert found == rule_ids
        assert all("iati-activity[3]" in signature(r)[2] for r in failures)


class TestCompiledScreens:
    def test_types_are_known_when_compiling(self):
        assert is_node_set("transaction/value/@value-date")
        assert is_node_set("a | b")
        assert not is_node_set("count(a)")
        assert not is_node_set("string(a)")
        assert not is_node_set("a = 1")
        assert not is_node_set("(((")

    def test_every_activity_case_of_the_standard_ruleset_has_a_screen(self):
        # Only between_dates (organisation files) is tested on every element: a regression
        # here is not wrong, but slow.
        ruleset = standard_ruleset()
        unscreened = {
            context: compile_context(context, rules).unscreened
            for context, rules in ruleset.contexts.items()
        }
        assert {c: u for c, u in unscreened.items() if u} == {
            "/iati-organisations/iati-organisation/recipient-country-budget": [("between_dates", 0)]
        }

    def test_a_screen_that_cannot_evaluate_falls_back_to_every_element(self):
        # A variable only a loop binds: the screen fails to evaluate; the exact engine decides.
        ruleset = Ruleset.from_dict(
            {"//iati-activity": {"if_then": {"cases": [{"if": "a", "then": "$iati_loop_value"}]}}}
        )
        doc = document(
            '<iati-activities version="2.03"><iati-activity><a/></iati-activity></iati-activities>'
        )
        with pytest.raises(RulesetError, match="cannot evaluate"):
            ruleset.failures(doc)
        with pytest.raises(RulesetError, match="cannot evaluate"):
            list(ruleset.results(doc))

    def test_validate_rules_uses_the_screens_and_reports_iati_ids(self):
        text = (
            generated()
            .decode()
            .replace('iso-date="2026-12-31" type="3"', 'iso-date="2023-12-31" type="3"')
        )
        findings = validate_rules(document(text), now=date(2026, 6, 1))
        assert {f.rule_id for f in findings} == {"11.1.2"}  # start after end
        assert len(findings) == 3  # one per activity
        assert all(f.line for f in findings)

    def test_a_ruleset_parsed_twice_compiles_its_screens_once_each(self):
        ruleset = Ruleset.from_dict(
            {"//iati-activity": {"atleast_one": {"cases": [{"paths": ["a"]}]}}}
        )
        doc = document('<iati-activities version="2.03"><iati-activity/></iati-activities>')
        assert len(ruleset.failures(doc)) == 1
        first = ruleset._screens["//iati-activity"]
        assert len(ruleset.failures(doc)) == 1
        assert ruleset._screens["//iati-activity"] is first
        assert isinstance(first.predicate, etree.XPath)
