"""The IATI reference data ships inside the package, with its SOURCE notes and licences."""

import json

import jsonschema
import pytest

from compacts.iati.xml import data_path

FOLDERS = ["schemas-2.03", "codelists-2.03", "rulesets", "sample-activities"]


@pytest.mark.parametrize("folder", FOLDERS)
def test_each_folder_keeps_its_source_note_with_licence(folder):
    note = data_path(folder, "SOURCE.md").read_text(encoding="utf-8")
    assert "License" in note or "license" in note
    assert "github.com" in note


def test_schemas_and_their_includes_are_side_by_side():
    for name in ("iati-activities-schema.xsd", "iati-organisations-schema.xsd",
                 "iati-registry-record-schema.xsd", "iati-common.xsd", "xml.xsd"):  # fmt: skip
        assert data_path("schemas-2.03", name).is_file()
    assert len(list(data_path("schemas-2.03", "tests").rglob("*.xml"))) == 694


def test_codelists_are_complete():
    assert len(list(data_path("codelists-2.03", "embedded").glob("*.xml"))) == 9
    assert len(list(data_path("codelists-2.03", "non-embedded").glob("*.xml"))) == 61
    assert data_path("codelists-2.03", "mapping.xml").is_file()


def test_ruleset_and_its_spec():
    ruleset = json.loads(data_path("rulesets", "standard.json").read_text(encoding="utf-8"))
    assert len(ruleset) == 25
    assert data_path("rulesets", "SPEC.rst").is_file()
    schema = json.loads(data_path("rulesets", "schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(ruleset, schema)


def test_nothing_points_outside_the_package():
    """Tests and code read the package copy only: a fresh clone has no staging area."""
    staging = "/work/" + "shared"
    package = data_path().parent
    for path in package.rglob("*.py"):
        assert staging not in path.read_text(encoding="utf-8"), path
