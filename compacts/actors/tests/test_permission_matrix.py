"""The permission matrix: every protected operation, checked for every role, anonymous and the
platform administrator, including object-level rows (own organisation vs another one).

Rows come from each app's ``tests/permission_matrix.py`` (``MATRIX``); docs/permissions.md
explains the format. Adding a rule without rows makes this test fail.
"""

import importlib
from collections import defaultdict
from importlib.util import find_spec

import pytest
from django.apps import apps

from compacts.actors.testing import (
    SUBJECTS,
    Case,
    MatrixContext,
    matrix_subject,
    organisation_for_tests,
)
from compacts.core.exceptions import PermissionDeniedError
from compacts.core.permissions import allowed, operations, require


def collect_matrix() -> dict[str, list[Case]]:
    """Every app's rows, by the app that declares them."""
    found: dict[str, list[Case]] = {}
    for config in apps.get_app_configs():
        dotted = f"{config.name}.tests.permission_matrix"
        if not config.name.startswith("compacts.") or find_spec(f"{config.name}.tests") is None:
            continue
        if find_spec(dotted) is None:
            continue
        found[config.label] = list(importlib.import_module(dotted).MATRIX)
    return found


MATRIX_BY_APP = collect_matrix()
ALL_CASES = [case for rows in MATRIX_BY_APP.values() for case in rows]


def test_every_registered_operation_has_rows():
    """A rule registered with compacts.core.permissions.rule and no row in any MATRIX fails."""
    covered = {case.operation for case in ALL_CASES}
    missing = sorted(set(operations()) - covered)
    assert not missing, f"Operations without rows in any permission_matrix.py: {missing}"


def test_every_row_names_a_registered_operation():
    """Rows for an operation that has no rule (renamed, removed, misspelt) are stale."""
    stale = sorted({case.operation for case in ALL_CASES} - set(operations()))
    assert not stale, f"Rows for operations that have no rule: {stale}"


def test_every_operation_is_checked_for_every_subject():
    """Each operation has a row for anonymous, signed-in, superuser and every role code."""
    subjects_by_operation: dict[str, set[str]] = defaultdict(set)
    for case in ALL_CASES:
        subjects_by_operation[case.operation].add(case.role)
    gaps = {
        operation: sorted(set(SUBJECTS) - subjects)
        for operation, subjects in subjects_by_operation.items()
        if set(SUBJECTS) - subjects
    }
    assert not gaps, f"Subjects missing from the matrix: {gaps}"


def test_rows_use_known_subjects_and_are_not_contradictory():
    unknown = sorted({case.role for case in ALL_CASES} - set(SUBJECTS))
    assert not unknown, f"Unknown role codes in the matrix: {unknown}"
    answers: dict[tuple, set[bool]] = defaultdict(set)
    for case in ALL_CASES:
        answers[(case.operation, case.role, case.same_org, case.label)].add(case.expected)
    contradictions = sorted(key for key, values in answers.items() if len(values) > 1)
    assert not contradictions, f"Rows that expect both answers: {contradictions}"


def test_the_actors_matrix_is_collected():
    """The collector finds this app's rows (so an empty collection cannot pass silently)."""
    assert "actors" in MATRIX_BY_APP
    assert any(case.obj_factory and not case.same_org for case in MATRIX_BY_APP["actors"])


@pytest.mark.parametrize("case", ALL_CASES, ids=[case.id for case in ALL_CASES])
def test_permission(case: Case, db):
    """A person holding only this role gets exactly the expected answer, and ``require``
    agrees with ``allowed``."""
    home = organisation_for_tests(name="Home organisation")
    other = organisation_for_tests(name="Other organisation")
    user = matrix_subject(case.role, home)
    context = MatrixContext(
        user=user,
        organisation=home if case.same_org else other,
        home=home,
        other=other,
        same_org=case.same_org,
    )
    obj = case.obj_factory(context) if case.obj_factory else None
    assert allowed(user, case.operation, obj) is case.expected
    if case.expected:
        require(user, case.operation, obj)
    else:
        with pytest.raises(PermissionDeniedError):
            require(user, case.operation, obj)
