"""Conformance: the validator reproduces every row of the IATI-Schemas 2.03 test suite.

``data/schemas-2.03/tests/EXPECTATIONS.csv`` lists each of the 694 test documents, the schema
it is validated against and whether it should pass; one test per row, named by its path."""

import csv

import pytest

from compacts.iati.validation import validate
from compacts.iati.validation.findings import Source
from compacts.iati.validation.schema import get_schema, schema_errors
from compacts.iati.xml import data_path, parse

SUITE = data_path("schemas-2.03")
ROWS = list(csv.DictReader((SUITE / "tests" / "EXPECTATIONS.csv").open(encoding="utf-8")))


def test_the_suite_is_complete():
    """694 documents, as upstream: 239 should pass and 455 should fail."""
    assert len(ROWS) == 694
    assert sum(row["expected"] == "pass" for row in ROWS) == 239
    assert sum(row["expected"] == "fail" for row in ROWS) == 455
    assert all((SUITE / row["path"]).is_file() for row in ROWS)


@pytest.mark.parametrize("row", ROWS, ids=[row["path"] for row in ROWS])
def test_schema_suite_row(row):
    tree = parse(SUITE / row["path"])
    errors = schema_errors(tree, kind=row["schema"])
    if row["expected"] == "pass":
        assert errors == [], [f"line {e.line}: {e.message}" for e in errors]
    else:
        assert errors, f"{row['path']} should fail the {row['schema']} schema"
        assert all(e.line for e in errors)


@pytest.mark.parametrize(
    "row",
    [r for r in ROWS if r["schema"] != "registry"],
    ids=[r["path"] for r in ROWS if r["schema"] != "registry"],
)
def test_facade_agrees_on_schema_validity(row):
    """The ``validate`` facade gives the same verdict (schema findings only, with lines)."""
    report = validate(SUITE / row["path"], kind=row["schema"], checks=("schema",))
    assert report.schema_valid is (row["expected"] == "pass")
    for finding in report.by_source(Source.SCHEMA):
        assert finding.rule_id == "0.3.1"
        assert finding.line


def test_compiled_schemas_are_cached():
    assert get_schema("activity") is get_schema("activity")
    with pytest.raises(ValueError, match="unknown IATI schema kind"):
        get_schema("budget")


def test_every_check_runs_on_every_suite_document():
    """Robustness: codelists and rules run on all 694 documents (valid or not) without an
    exception, and every finding has a rule id, a message and, for these files, a line."""
    from compacts.iati.validation import KINDS

    total = 0
    for row in ROWS:
        if row["schema"] not in KINDS:
            continue
        report = validate(SUITE / row["path"], kind=row["schema"], purpose="import")
        for finding in report.findings:
            assert finding.rule_id
            assert finding.message
            assert finding.line or finding.rule_id.startswith("xml:"), finding
        total += len(report.findings)
    assert total > 1000
