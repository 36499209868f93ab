"""`compacts iati validate FILE...`: findings with rule ids, exit codes, clear messages."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from compacts.iati.xml import data_path

IOM = data_path("sample-activities", "iom-XM-DAC-47066-DP.2154.wrapped-2.03.xml")
SCHEMA_FAIL = data_path(
    "schemas-2.03", "tests", "activity-tests", "should-fail", "01-empty-activity.xml"
)


def run(*args):
    out = StringIO()
    call_command("iati", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def rule_error_file(tmp_path):
    """Schema-valid, but the capital-spend percentage breaks IATI rule 12.2.1 (an error)."""
    path = tmp_path / "rule-error.xml"
    text = IOM.read_text(encoding="utf-8")
    path.write_text(text.replace('percentage="0"', 'percentage="150"'), encoding="utf-8")
    return path


def test_clean_file_passes():
    out = run("validate", str(IOM))
    assert f"{IOM}: ok - activity file, 0 error(s), 0 warning(s)" in out


def test_schema_error_fails_and_prints_rule_id_and_line():
    with pytest.raises(CommandError, match="1 of 1 file"):
        run("validate", str(SCHEMA_FAIL))


def test_schema_error_output(capsys):
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("iati", "validate", str(SCHEMA_FAIL), stdout=out)
    text = out.getvalue()
    assert f"{SCHEMA_FAIL}:" in text
    assert " error 0.3.1 (schema)" in text
    assert "FAILED" in text


def test_rule_errors_are_printed_but_do_not_fail_without_strict(rule_error_file):
    out = run("validate", str(rule_error_file))
    assert "error 12.2.1 (rule) [XM-DAC-47066-DP.2154]" in out
    assert "The percentage value must be between 0.0 and 100.0 (inclusive)." in out
    assert ": ok - activity file, 1 error(s)" in out
    with pytest.raises(CommandError, match="have errors"):
        run("validate", "--strict", str(rule_error_file))


def test_several_files_one_bad(rule_error_file):
    with pytest.raises(CommandError, match="1 of 3 file"):
        run("validate", str(IOM), str(rule_error_file), str(SCHEMA_FAIL))


def test_malformed_and_missing_files_have_clear_messages(tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b'<iati-activities version="2.03">\n<iati-activity>\n')
    out = StringIO()
    with pytest.raises(CommandError, match="2 of 2 file"):
        call_command("iati", "validate", str(broken), str(tmp_path / "nope.xml"), stdout=out)
    text = out.getvalue()
    assert f"{broken}:3: error xml:malformed" in text
    assert "truncated" in text
    assert "cannot read the file (No such file or directory)" in text


def test_entity_attack_is_refused(tmp_path):
    attack = tmp_path / "attack.xml"
    attack.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<iati-activities version="2.03"><iati-activity>&x;</iati-activity></iati-activities>'
    )
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("iati", "validate", str(attack), stdout=out)
    assert "error xml:unsafe" in out.getvalue()
    assert "root:" not in out.getvalue()


def test_json_output(rule_error_file):
    payload = json.loads(run("validate", "--json", str(rule_error_file)))
    [entry] = payload
    assert entry["file"] == str(rule_error_file)
    assert entry["schema_valid"] is True
    assert entry["valid"] is False
    assert [f["rule_id"] for f in entry["findings"]] == ["12.2.1"]


def test_kind_is_detected_from_the_root():
    org = data_path(
        "schemas-2.03", "tests", "organisation-tests", "should-pass", "01-minimal-organization.xml"
    )
    out = run("validate", "--checks", "schema", str(org))
    assert f"{org}: ok - organisation file, 0 error(s)" in out


def test_unknown_check_is_refused():
    with pytest.raises(CommandError, match="unknown check"):
        run("validate", "--checks", "spelling", str(IOM))


def test_exit_code_of_the_real_command():
    """The console script itself (one run, it starts Django): exit 1 with the reason on
    stderr when one of the files has a schema error; the clean file is still reported ok.
    (Exit 0 is ``call_command`` returning normally, as in ``test_clean_file_passes``.)"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "compacts.config.settings.test"}
    result = subprocess.run(
        [sys.executable, "-m", "compacts", "iati", "validate", str(IOM), str(SCHEMA_FAIL)],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert f"{IOM}: ok - activity file" in result.stdout
    assert f"{SCHEMA_FAIL}: FAILED" in result.stdout
    assert "1 of 2 file(s) have schema errors or cannot be read" in result.stderr
