"""A malformed reference file stops the load, names the file and the line, and changes nothing."""

import csv
import io
import shutil

import pytest

from compacts.core.models import AuditRecord
from compacts.framework.loaders.base import DATA_DIR, DataFileError
from compacts.framework.models import Country, GcmAction, GcmObjective, SdgTarget
from compacts.framework.reference import load_reference

pytestmark = pytest.mark.usefixtures("reference_data", "db")


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _replace_line(path, number, new_text):
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[number - 1] = new_text
    path.write_text("".join(lines), encoding="utf-8")


def _break_actions_csv(data):
    _replace_line(data / "gcm/gcm_actions.csv", 5, "1,d,1d\n")
    return "gcm/gcm_actions.csv", 5, "expected 4 cells, found 3"


def _break_action_code(data):
    _replace_line(data / "gcm/gcm_actions.csv", 3, '1,b,1x,"Some text"\n')
    return "gcm/gcm_actions.csv", 3, "the code '1x' should be 1b"


def _break_targets_yaml(data):
    path = data / "sdg-open-sdg/global_targets.en.yml"
    _replace_line(path, 3, "1-3-title: [unclosed\n")
    return "sdg-open-sdg/global_targets.en.yml", None, "malformed YAML"


def _break_target_key(data):
    path = data / "sdg-open-sdg/global_targets.en.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("1-2-title:", "1-two-and-a-bit-title:", 1), encoding="utf-8")
    line = (
        text.splitlines().index(next(x for x in text.splitlines() if x.startswith("1-2-title:")))
        + 1
    )
    return "sdg-open-sdg/global_targets.en.yml", line, "is not a target key"


def _break_sector_xml(data):
    path = data / "iati-codelists-2.03/Sector.xml"
    _replace_line(path, 12, "            <code>11110</cod>\n")
    return "iati-codelists-2.03/Sector.xml", 12, "malformed XML"


def _break_m49_iso(data):
    path = data / "un-m49-country-codes/UNSD-m49-fr.csv"
    cells = next(csv.reader([path.read_text(encoding="utf-8-sig").splitlines()[9]]))
    cells[10] = "D1"  # ISO-alpha2 Code
    _replace_line(path, 10, ",".join(f'"{cell}"' for cell in cells) + "\n")
    return "un-m49-country-codes/UNSD-m49-fr.csv", 10, "ISO codes"


def _break_mptf_mapping(data):
    _replace_line(data / "mptf/thematic_areas.csv", 3, 'TA2,2,"Protecting",2;24\n')
    return "mptf/thematic_areas.csv", 3, "'24' is not a GCM objective number"


def _break_json(data):
    path = data / "gcm/gcm_objectives.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    return "gcm/gcm_objectives.json", None, "malformed JSON"


@pytest.mark.parametrize(
    "breaker",
    [
        _break_actions_csv,
        _break_action_code,
        _break_targets_yaml,
        _break_target_key,
        _break_sector_xml,
        _break_m49_iso,
        _break_mptf_mapping,
        _break_json,
    ],
)
def test_malformed_file_names_file_and_line_and_changes_nothing(data_copy, breaker):
    # A valid change in an earlier source must be rolled back with the rest.
    _replace_line(data_copy / "gcm/hub_labels.csv", 2, "1,Changed label\n")
    relative, line, problem = breaker(data_copy)
    before = (
        GcmObjective.objects.get(number=1).short_label,
        GcmAction.objects.count(),
        SdgTarget.objects.count(),
        Country.objects.count(),
        AuditRecord.objects.count(),
    )

    with pytest.raises(DataFileError) as caught:
        load_reference(stdout=io.StringIO(), data_dir=data_copy, force=True)

    error = caught.value
    assert error.path == data_copy / relative
    assert str(data_copy / relative) in error.message
    assert problem in error.message
    if line is not None:
        assert error.line == line
        assert f"line {line}" in error.message
    else:
        assert error.line is not None
        assert error.line > 0
    after = (
        GcmObjective.objects.get(number=1).short_label,
        GcmAction.objects.count(),
        SdgTarget.objects.count(),
        Country.objects.count(),
        AuditRecord.objects.count(),
    )
    assert after == before
    assert before[0] == "Data"


def test_missing_file_is_named(data_copy):
    (data_copy / "gcr/areas.csv").unlink()
    with pytest.raises(DataFileError, match="areas.csv: the file is missing"):
        load_reference(stdout=io.StringIO(), data_dir=data_copy, force=True)


def test_an_iati_country_outside_m49_must_be_decided(data_copy):
    path = data_copy / "un-m49-country-codes/iati_extra_areas.csv"
    _replace_line(path, 2, "")
    with pytest.raises(DataFileError, match="the IATI country code XK is not in M49") as caught:
        load_reference(stdout=io.StringIO(), data_dir=data_copy, force=True)
    assert caught.value.path.name == "Country.xml"
    assert caught.value.line > 1


def test_a_repeat_with_a_different_title_is_refused(data_copy):
    path = data_copy / "sdg-open-sdg/indicator_reconciliation.csv"
    path.write_text(
        path.read_text(encoding="utf-8") + "3.8.2,repeat,3.8.1,Not really a repeat.\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match="have different titles"):
        load_reference(stdout=io.StringIO(), data_dir=data_copy, force=True)
