"""Conformance: the rule engine reproduces every row of the IATI-Rulesets meta tests.

``data/rulesets/meta_tests/EXPECTATIONS.csv`` has the 83 ``(ruleset, document, valid)`` rows of
upstream ``meta_tests.sh``; one test per row."""

import csv

import pytest

from compacts.iati.validation.rules import Ruleset
from compacts.iati.xml import data_path, parse

META = data_path("rulesets", "meta_tests")
ROWS = list(csv.DictReader((META / "EXPECTATIONS.csv").open(encoding="utf-8")))


def test_the_meta_suite_is_complete():
    assert len(ROWS) == 83
    assert {row["expected_valid"] for row in ROWS} == {"True", "False"}


@pytest.mark.parametrize("row", ROWS, ids=[f"{row['ruleset_json']}-{row['xml']}" for row in ROWS])
def test_meta_row(row):
    ruleset = Ruleset.from_file(META / f"{row['ruleset_json']}.json")
    document = parse(META / f"{row['xml']}.xml")
    results = list(ruleset.results(document))
    verdict = ruleset.is_valid(document)
    expected = row["expected_valid"] == "True"
    assert verdict is expected, [(r.rule, r.result, r.detail) for r in results]
    if not expected:
        assert any(r.failed and r.line for r in results)
