"""Confirming and editing the Migration MPTF's provisional data: administrators only, audited."""

import pytest

from compacts.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from compacts.core.models import AuditRecord
from compacts.framework.models import Marker, ReferenceStatus, ThematicArea
from compacts.framework.services import (
    marker_confirm,
    marker_update,
    thematic_area_confirm,
    thematic_area_update,
)

pytestmark = pytest.mark.usefixtures("reference_data", "db")


def test_superuser_confirms_a_thematic_area_with_an_audit_record(superuser):
    area = ThematicArea.objects.get(code="TA1")
    thematic_area_confirm(thematic_area=area, actor=superuser)
    area.refresh_from_db()
    assert area.status == ReferenceStatus.CONFIRMED
    assert area.confirmed_by == superuser
    assert area.confirmed_at is not None
    record = AuditRecord.objects.get(action="framework.thematic_area.confirm")
    assert record.actor == superuser
    assert record.object_id == str(area.pk)
    assert record.before["status"] == "provisional"
    assert record.after["status"] == "confirmed"


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_others_cannot_confirm_or_edit(who, staff_user):
    from django.contrib.auth.models import AnonymousUser

    actor = AnonymousUser() if who == "anonymous" else staff_user
    area = ThematicArea.objects.get(code="TA1")
    marker = Marker.objects.get(code="gender")
    audits = AuditRecord.objects.count()
    with pytest.raises(PermissionDeniedError):
        thematic_area_confirm(thematic_area=area, actor=actor)
    with pytest.raises(PermissionDeniedError):
        marker_confirm(marker=marker, actor=actor)
    with pytest.raises(PermissionDeniedError):
        thematic_area_update(thematic_area=area, actor=actor, name="Hijacked")
    with pytest.raises(PermissionDeniedError):
        marker_update(marker=marker, actor=actor, levels=[(0, "x")])
    area.refresh_from_db()
    marker.refresh_from_db()
    assert area.status == marker.status == ReferenceStatus.PROVISIONAL
    assert area.name != "Hijacked"
    assert marker.levels.count() == 4
    assert AuditRecord.objects.count() == audits


def test_confirming_twice_is_a_conflict(superuser):
    marker = Marker.objects.get(code="gender")
    marker_confirm(marker=marker, actor=superuser)
    with pytest.raises(ConflictError):
        marker_confirm(marker=marker, actor=superuser)
    assert AuditRecord.objects.filter(action="framework.marker.confirm").count() == 1


def test_editing_the_mapping_is_audited_and_makes_it_provisional_again(superuser):
    area = ThematicArea.objects.get(code="TA2")
    thematic_area_confirm(thematic_area=area, actor=superuser)
    thematic_area_update(
        thematic_area=area, actor=superuser, objectives=[2, 7, 8, 12], uncertain=[7]
    )
    area.refresh_from_db()
    assert area.status == ReferenceStatus.PROVISIONAL
    assert area.confirmed_by is None
    assert [
        (link.objective.number, link.is_uncertain)
        for link in area.objective_links.order_by("objective__number")
    ] == [(2, False), (7, True), (8, False), (12, False)]
    record = AuditRecord.objects.get(action="framework.thematic_area.update")
    assert {"objective": 13, "uncertain": True} in record.before["objectives"]
    assert {"objective": 13, "uncertain": True} not in record.after["objectives"]


def test_an_edit_that_changes_nothing_writes_nothing(superuser):
    area = ThematicArea.objects.get(code="TA1")
    audits = AuditRecord.objects.count()
    thematic_area_update(thematic_area=area, actor=superuser, name=area.name)
    assert AuditRecord.objects.count() == audits


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "  "}, "name"),
        ({"objectives": [1, 24]}, "objectives"),
        ({"objectives": [1], "uncertain": [2]}, "uncertain"),
    ],
)
def test_bad_thematic_area_edits_are_refused_and_change_nothing(superuser, kwargs, field):
    area = ThematicArea.objects.get(code="TA1")
    with pytest.raises(ApplicationError) as caught:
        thematic_area_update(thematic_area=area, actor=superuser, **kwargs)
    assert caught.value.extra["field"] == field
    assert sorted(link.objective.number for link in area.objective_links.all()) == [1, 3, 7, 17, 23]


def test_marker_scale_edit(superuser):
    marker = Marker.objects.get(code="child-sensitivity")
    levels = [
        (0, "None"),
        (1, "Partial"),
        (2, "Significant"),
        (3, "Principal"),
        (4, "Transformative"),
    ]
    marker_update(marker=marker, actor=superuser, levels=levels)
    assert [(lv.value, lv.label) for lv in marker.levels.order_by("value")] == levels
    record = AuditRecord.objects.get(action="framework.marker.update")
    assert len(record.before["levels"]) == 4
    assert len(record.after["levels"]) == 5
    assert record.before["levels"][0] == {"value": 0, "label": "Not expected to contribute"}
    with pytest.raises(ApplicationError):
        marker_update(marker=marker, actor=superuser, levels=[(1, "a"), (1, "b")])
    with pytest.raises(ApplicationError):
        marker_update(marker=marker, actor=superuser, levels=[(0, " ")])
    with pytest.raises(ApplicationError):
        marker_update(marker=marker, actor=superuser, levels=[])
    assert marker.levels.count() == 5
