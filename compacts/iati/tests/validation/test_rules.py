"""Each rule type of the engine, on small crafted documents, plus the ruleset machinery."""

from datetime import UTC, date, datetime

import pytest

from compacts.iati.validation.findings import Severity, Source
from compacts.iati.validation.rules import (
    RULES,
    Ruleset,
    RulesetError,
    default_id_sets,
    parse_datetime,
    standard_ruleset,
    validate_rules,
)
from compacts.iati.xml import parse

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def activity(body: str, attrs: str = "") -> object:
    return parse(
        f'<iati-activities version="2.03"><iati-activity {attrs}>{body}'
        "</iati-activity></iati-activities>".encode()
    )


def outcomes(rule: str, case: dict, document, context="//iati-activity", **kwargs):
    ruleset = Ruleset.from_dict({context: {rule: {"cases": [case]}}})
    return [r.result for r in ruleset.results(document, now=NOW, **kwargs)]


class TestPresenceRules:
    def test_atleast_one(self):
        case = {"paths": ["title", "description"]}
        assert outcomes("atleast_one", case, activity("<title/>")) == [True]
        assert outcomes("atleast_one", case, activity("<sector/>")) == [False]

    def test_no_more_than_one(self):
        case = {"paths": ["title"]}
        assert outcomes("no_more_than_one", case, activity("<title/>")) == [True]
        assert outcomes("no_more_than_one", case, activity("<title/><title/>")) == [False]

    def test_only_one_of(self):
        case = {"excluded": ["recipient-country"], "paths": ["transaction/recipient-country"]}
        both = activity("<recipient-country/><transaction><recipient-country/></transaction>")
        assert outcomes("only_one_of", case, both) == [False]
        assert outcomes("only_one_of", case, activity("<recipient-country/>")) == [True]
        one = activity("<transaction><recipient-country/></transaction>")
        assert outcomes("only_one_of", case, one) == [True]
        assert outcomes("only_one_of", case, activity("")) == [False]

    def test_dependent(self):
        case = {"paths": ["title", "description"]}
        assert outcomes("dependent", case, activity("<title/><description/>")) == [True]
        assert outcomes("dependent", case, activity("")) == [True]
        assert outcomes("dependent", case, activity("<title/>")) == [False]

    def test_condition_makes_a_case_not_applicable(self):
        case = {"paths": ["activity-date[@type='4']"], "condition": "activity-status/@code = 3"}
        assert outcomes("atleast_one", case, activity('<activity-status code="2"/>')) == [None]
        assert outcomes("atleast_one", case, activity('<activity-status code="3"/>')) == [False]


class TestOneOrAll:
    def test_language_on_the_activity_or_every_narrative(self):
        case = {"one": "@xml:lang", "all": "lang"}
        assert outcomes("one_or_all", case, activity("<title><narrative/></title>",
                                                     'xml:lang="en"')) == [True]  # fmt: skip
        assert outcomes(
            "one_or_all", case, activity('<title><narrative xml:lang="fr"/></title>')
        ) == [True]
        assert outcomes("one_or_all", case, activity("<title><narrative/></title>")) == [False]

    def test_many_failures_make_one_finding_with_a_short_context(self):
        doc = activity("\n".join(["<title><narrative/></title>"] * 8))
        [finding] = validate_rules(
            doc,
            ruleset=Ruleset.from_dict(
                {
                    "//iati-activity": {
                        "one_or_all": {"cases": [{"one": "@xml:lang", "all": "lang"}]}
                    }
                }
            ),
        )
        assert finding.context.endswith("; and 3 more")
        assert finding.context.count("lacks @xml:lang") == 5
        assert finding.line == 1

    def test_currency_default_or_on_every_value(self):
        case = {"one": "@default-currency", "all": "currency"}
        good = activity('<budget><value currency="USD">1</value></budget>')
        bad = activity("<budget><value>1</value></budget>")
        assert outcomes("one_or_all", case, good) == [True]
        assert outcomes("one_or_all", case, bad) == [False]

    def test_sector_on_activity_or_every_transaction(self):
        case = {"one": "sector", "all": "sector"}
        bad = activity("<transaction><sector/></transaction><transaction/>")
        assert outcomes("one_or_all", case, bad) == [False]


class TestNumbers:
    def test_strict_sum_is_exact_decimal(self):
        case = {"paths": ["sector/@percentage"], "sum": 100}
        good = activity('<sector percentage="33.3"/><sector percentage="66.7"/>')
        bad = activity('<sector percentage="33.3"/><sector percentage="66.6"/>')
        assert outcomes("strict_sum", case, good) == [True]
        assert outcomes("strict_sum", case, bad) == [False]
        assert outcomes("strict_sum", case, activity("")) == [False]

    def test_strict_sum_with_a_non_number_fails(self):
        case = {"paths": ["sector/@percentage"], "sum": 100}
        assert outcomes("strict_sum", case, activity('<sector percentage="all"/>')) == [False]

    def test_sum_passes_when_nothing_matches(self):
        case = {"paths": ["sector/@percentage"], "sum": 100}
        assert outcomes("sum", case, activity("")) == [True]
        assert outcomes("sum", case, activity('<sector percentage="50"/>')) == [False]

    def test_range(self):
        case = {"paths": ["sector/@percentage"], "min": 0.0, "max": 100.0}
        assert outcomes("range", case, activity('<sector percentage="0"/>')) == [True]
        assert outcomes("range", case, activity('<sector percentage="100.5"/>')) == [False]
        assert outcomes("range", case, activity('<sector percentage="-1"/>')) == [False]
        assert outcomes("range", case, activity('<sector percentage="x"/>')) == [False]

    def test_range_with_one_bound(self):
        case = {"paths": ["sector/@percentage"], "min": 10}
        assert outcomes("range", case, activity('<sector percentage="1000"/>')) == [True]
        assert outcomes("range", case, activity('<sector percentage="5"/>')) == [False]


class TestDates:
    def test_date_order(self):
        case = {"less": "activity-date[@type='1']/@iso-date",
                "more": "activity-date[@type='3']/@iso-date"}  # fmt: skip
        good = activity('<activity-date type="1" iso-date="2020-01-01"/>'
                        '<activity-date type="3" iso-date="2020-01-01"/>')  # fmt: skip
        bad = activity('<activity-date type="1" iso-date="2021-01-01"/>'
                       '<activity-date type="3" iso-date="2020-01-01"/>')  # fmt: skip
        assert outcomes("date_order", case, good) == [True]
        assert outcomes("date_order", case, bad) == [False]
        assert outcomes("date_order", case, activity("")) == [None]

    def test_date_order_against_now(self):
        case = {"less": "activity-date[@type='2']/@iso-date", "more": "NOW"}
        past = activity('<activity-date type="2" iso-date="2026-05-31"/>')
        future = activity('<activity-date type="2" iso-date="2026-06-02"/>')
        assert outcomes("date_order", case, past) == [True]
        assert outcomes("date_order", case, future) == [False]

    def test_date_now(self):
        case = {"date": "@last-updated-datetime"}
        assert outcomes(
            "date_now", case, activity("", 'last-updated-datetime="2026-06-01T11:00:00Z"')
        ) == [True]
        assert outcomes(
            "date_now", case, activity("", 'last-updated-datetime="2026-06-01T13:00:00Z"')
        ) == [False]
        # 13:00 in Nairobi is 10:00 UTC: not in the future.
        assert outcomes(
            "date_now", case, activity("", 'last-updated-datetime="2026-06-01T13:00:00+03:00"')
        ) == [True]
        assert outcomes("date_now", case, activity("")) == [None]
        assert outcomes("date_now", case, activity("", 'last-updated-datetime="soon"')) == [None]

    def test_time_limit_is_one_year(self):
        case = {"start": "period-start/@iso-date", "end": "period-end/@iso-date"}

        def budget(start, end):
            return activity(f'<budget><period-start iso-date="{start}"/>'
                            f'<period-end iso-date="{end}"/></budget>')  # fmt: skip

        assert outcomes("time_limit", case, budget("2019-01-01", "2019-12-31"), "//budget") == [
            True
        ]
        assert outcomes("time_limit", case, budget("2020-01-01", "2020-12-31"), "//budget") == [
            True
        ]
        assert outcomes("time_limit", case, budget("2019-01-01", "2020-01-02"), "//budget") == [
            False
        ]

    def test_between_dates_is_inclusive(self):
        case = {"date": "value/@value-date", "start": "period-start/@iso-date",
                "end": "period-end/@iso-date"}  # fmt: skip

        def budget(value_date):
            return activity('<budget><period-start iso-date="2020-01-01"/>'
                            '<period-end iso-date="2020-12-31"/>'
                            f'<value value-date="{value_date}">1</value></budget>')  # fmt: skip

        assert outcomes("between_dates", case, budget("2020-01-01"), "//budget") == [True]
        assert outcomes("between_dates", case, budget("2020-12-31"), "//budget") == [True]
        assert outcomes("between_dates", case, budget("2021-01-01"), "//budget") == [False]

    def test_parse_datetime(self):
        assert parse_datetime("2020-02-29") == datetime(2020, 2, 29, tzinfo=UTC)
        assert parse_datetime("2020-02-30") is None
        assert parse_datetime("2020-01-01T10:00:00.5+01:00") == datetime(
            2020, 1, 1, 9, 0, 0, 500000, tzinfo=UTC
        )
        assert parse_datetime("") is None


class TestText:
    def test_regex_matches_and_no_matches(self):
        case = {"paths": ["iati-identifier"], "regex": r"^[^\/\&\|\?]+$"}
        good = activity("<iati-identifier>XM-DAC-47066-1</iati-identifier>")
        bad = activity("<iati-identifier>XM/1?</iati-identifier>")
        empty = activity("<iati-identifier/>")
        assert outcomes("regex_matches", case, good) == [True]
        assert outcomes("regex_matches", case, bad) == [False]
        assert outcomes("regex_matches", case, empty) == [True]
        assert outcomes("regex_no_matches", case, good) == [False]
        assert outcomes("regex_no_matches", case, bad) == [True]

    def test_startswith_with_prefixes_and_separator(self):
        case = {"prefix": ["reporting-org/@ref", "other-identifier[@type='B1']/@ref"],
                "separator": "-", "paths": ["iati-identifier"]}  # fmt: skip
        own = activity('<iati-identifier>XM-DAC-47066-7</iati-identifier>'
                       '<reporting-org ref="XM-DAC-47066"/>')  # fmt: skip
        previous = activity('<iati-identifier>OLD-1-7</iati-identifier>'
                            '<reporting-org ref="XM-DAC-47066"/>'
                            '<other-identifier type="B1" ref="OLD-1"/>')  # fmt: skip
        glued = activity('<iati-identifier>XM-DAC-470667</iati-identifier>'
                         '<reporting-org ref="XM-DAC-47066"/>')  # fmt: skip
        assert outcomes("startswith", case, own) == [True]
        assert outcomes("startswith", case, previous) == [True]
        assert outcomes("startswith", case, glued) == [False]

    def test_startswith_python_edition_start_key(self):
        case = {"start": "reporting-org/@ref", "paths": ["iati-identifier"]}
        doc = activity('<reporting-org ref="A-B"/><iati-identifier>A-C</iati-identifier>')
        assert outcomes("startswith", case, doc) == [False]

    def test_startswith_org_id_prefix_uses_the_agency_list(self):
        case = {"prefix": ["ORG-ID-PREFIX"], "paths": ["reporting-org/@ref"]}
        assert outcomes("startswith", case, activity('<reporting-org ref="XM-DAC-47066"/>')) == [
            True
        ]
        assert outcomes("startswith", case, activity('<reporting-org ref="ZZ-NOPE-1"/>')) == [False]
        assert "XM-DAC" in default_id_sets()["ORG-ID-PREFIX"]

    def test_id_condition_skips_known_organisations(self):
        case = {"idCondition": "NOT_EXISTING_ORG_ID", "prefix": ["ORG-ID-PREFIX"],
                "paths": ["reporting-org/@ref"]}  # fmt: skip
        doc = activity('<reporting-org ref="ZZ-NOPE-1"/>')
        assert outcomes("startswith", case, doc) == [False]
        known = {"ORG-ID": {"ZZ-NOPE-1"}, "ORG-ID-PREFIX": set()}
        assert outcomes("startswith", case, doc, id_sets=known) == [None]

    def test_unique(self):
        case = {"paths": ["reporting-org/@ref", "iati-identifier"]}
        same = activity('<reporting-org ref="XM-1"/><iati-identifier>XM-1</iati-identifier>')
        different = activity('<reporting-org ref="XM"/><iati-identifier>XM-1</iati-identifier>')
        assert outcomes("unique", case, same) == [False]
        assert outcomes("unique", case, different) == [True]

    def test_no_spaces(self):
        case = {"paths": ["iati-identifier"]}
        assert outcomes("no_spaces", case, activity("<iati-identifier>X-1</iati-identifier>")) == [
            True
        ]
        assert outcomes("no_spaces", case, activity("<iati-identifier> X-1</iati-identifier>")) == [
            False
        ]
        assert outcomes(
            "no_spaces", case, activity("<iati-identifier>X-1\n</iati-identifier>")
        ) == [False]

    def test_no_percent_and_evaluates_to_true(self):
        assert outcomes("no_percent", {"paths": ["sector/@percentage"]},
                        activity('<sector percentage="50%"/>')) == [False]  # fmt: skip
        assert outcomes("evaluates_to_true", {"eval": "count(sector) = 1"},
                        activity("<sector/>")) == [True]  # fmt: skip


class TestLogic:
    def test_if_then(self):
        case = {
            "if": "count(sector[@vocabulary=98]) > 0",
            "then": "count(sector[@vocabulary=98]/narrative) >= count(sector[@vocabulary=98])",
        }
        assert outcomes(
            "if_then", case, activity('<sector vocabulary="98"><narrative/></sector>')
        ) == [True]
        assert outcomes("if_then", case, activity('<sector vocabulary="98"/>')) == [False]
        assert outcomes("if_then", case, activity('<sector vocabulary="1"/>')) == [True]

    def test_loop_substitutes_each_value_in_the_listed_keys(self):
        case = {
            "foreach": "sector[@vocabulary != '1']/@vocabulary",
            "do": {"strict_sum": {"cases": [
                {"paths": ["sector[@vocabulary = '$1']/@percentage"], "sum": 100}
            ]}},
            "subs": ["paths"],
        }  # fmt: skip
        doc = activity('<sector vocabulary="2" percentage="50"/>'
                       '<sector vocabulary="2" percentage="50"/>'
                       '<sector vocabulary="99" percentage="40"/>'
                       '<sector vocabulary="1" percentage="10"/>')  # fmt: skip
        assert outcomes("loop", case, doc) == [True, False]

    def test_loop_values_from_the_document_cannot_change_the_xpath(self):
        """A hostile vocabulary (quotes, brackets) is bound as a value, never spliced in."""
        case = {
            "foreach": "sector/@vocabulary",
            "do": {"strict_sum": {"cases": [
                {"paths": ["sector[@vocabulary = '$1']/@percentage"], "sum": 100}
            ]}},
            "subs": ["paths"],
        }  # fmt: skip
        hostile = "x' or '1'='1"
        doc = activity(f'<sector vocabulary="{hostile}" percentage="100"/>'
                       '<sector vocabulary="2" percentage="40"/>')  # fmt: skip
        assert outcomes("loop", case, doc) == [True, False]

    def test_loop_leaves_keys_not_in_subs_alone(self):
        """As IATI's validator: ``$1`` in an unlisted key (here the condition) stays literal."""
        case = {
            "foreach": "sector/@vocabulary",
            "do": {"atleast_one": {"cases": [
                {"condition": "sector[@vocabulary = '$1']", "paths": ["title"]}
            ]}},
            "subs": ["paths"],
        }  # fmt: skip
        assert outcomes("loop", case, activity('<sector vocabulary="2"/>')) == [None]


class TestRulesetMachinery:
    def test_camel_case_names_are_aliases(self):
        ruleset = Ruleset.from_dict(
            {"//iati-activity": {"atLeastOne": {"cases": [{"paths": ["title"]}]}}}
        )
        assert ruleset.rule_types() == {"atleast_one"}

    def test_unknown_rule_type_is_refused(self):
        with pytest.raises(RulesetError, match="unknown rule type 'at_most_seven'"):
            Ruleset.from_dict({"//iati-activity": {"at_most_seven": {"cases": []}}})

    def test_bad_xpath_is_refused(self):
        with pytest.raises(RulesetError, match="invalid XPath"):
            Ruleset.from_dict({"//iati-activity[": {"atleast_one": {"cases": []}}})

    def test_case_missing_a_key_is_a_ruleset_error(self):
        ruleset = Ruleset.from_dict({"//iati-activity": {"if_then": {"cases": [{"if": "true()"}]}}})
        with pytest.raises(RulesetError, match="lacks the key 'then'"):
            list(ruleset.results(activity("")))

    def test_unreadable_ruleset_file(self, tmp_path):
        path = tmp_path / "bad.json"
        path.write_text("{not json")
        with pytest.raises(RulesetError, match="cannot read the ruleset"):
            Ruleset.from_file(path)

    def test_every_rule_type_of_the_standard_ruleset_is_implemented(self):
        used = standard_ruleset().rule_types()
        assert used == {
            "atleast_one", "between_dates", "date_now", "date_order", "if_then", "loop",
            "no_more_than_one", "no_spaces", "one_or_all", "range", "regex_matches",
            "startswith", "strict_sum", "time_limit", "unique",
        }  # fmt: skip
        assert used - {"loop"} <= set(RULES)


class TestFindings:
    def test_a_failure_carries_iati_rule_info(self):
        doc = activity('<reporting-org ref="XM-1"/>\n<iati-identifier>XM-1</iati-identifier>')
        findings = validate_rules(doc, now=date(2026, 1, 1))
        [unique] = [f for f in findings if f.rule_id == "1.1.3"]
        assert unique.severity == Severity.ERROR
        assert unique.source == Source.RULE
        assert unique.category == "identifiers"
        assert unique.message.startswith("The activity identifier must be different")
        assert "'XM-1' appears more than once" in unique.context
        assert unique.line == 2

    def test_warning_severity_is_kept(self):
        doc = activity(
            '<iati-identifier>XM-DAC-2-1</iati-identifier><reporting-org ref="XM-DAC-1"/>'
        )
        findings = validate_rules(doc, now=date(2026, 1, 1))
        [prefix] = [f for f in findings if f.rule_id == "1.1.21"]
        assert prefix.severity == Severity.WARNING

    def test_future_last_updated_is_rule_11_1_1(self):
        doc = activity("", 'last-updated-datetime="2030-01-01T00:00:00Z"')
        ids = {f.rule_id for f in validate_rules(doc, now=date(2026, 1, 1))}
        assert "11.1.1" in ids
        ids = {f.rule_id for f in validate_rules(doc, now=date(2031, 1, 1))}
        assert "11.1.1" not in ids
