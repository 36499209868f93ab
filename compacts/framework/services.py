"""Writes of the framework: confirming and editing the Migration MPTF's provisional data.

Everything else in the framework comes from shipped files through ``reference.load_reference``.
"""

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from compacts.core.exceptions import ApplicationError, ConflictError
from compacts.core.permissions import require
from compacts.core.services import audit_record, model_values
from compacts.framework.models import (
    GcmObjective,
    Marker,
    MarkerLevel,
    ReferenceStatus,
    ThematicArea,
    ThematicAreaObjective,
)

_CONFIRM_FIELDS = ["status", "confirmed_at", "confirmed_by"]


def _thematic_area_values(area: ThematicArea) -> dict:
    values = model_values(area, ["name", "status"])
    values["objectives"] = [
        {"objective": link.objective.number, "uncertain": link.is_uncertain}
        for link in area.objective_links.select_related("objective").order_by("objective__number")
    ]
    return values


def _marker_values(marker: Marker) -> dict:
    values = model_values(marker, ["name", "description", "status"])
    values["levels"] = [
        {"value": level.value, "label": level.label} for level in marker.levels.order_by("value")
    ]
    return values


def _confirm(*, obj, actor, action: str):
    if obj.status == ReferenceStatus.CONFIRMED:
        raise ConflictError(_("This is already confirmed."), {"status": obj.status})
    before = model_values(obj, _CONFIRM_FIELDS)
    obj.status = ReferenceStatus.CONFIRMED
    obj.confirmed_at = timezone.now()
    obj.confirmed_by = actor
    obj.save(update_fields=[*_CONFIRM_FIELDS, "updated_at"])
    audit_record(
        actor=actor, action=action, obj=obj, before=before, after=model_values(obj, _CONFIRM_FIELDS)
    )
    return obj


@transaction.atomic
def thematic_area_confirm(*, thematic_area: ThematicArea, actor) -> ThematicArea:
    """Mark a thematic area and its objective mapping as confirmed (administrators only)."""
    require(actor, "framework.thematic_area.confirm", thematic_area)
    area = ThematicArea.objects.select_for_update().get(pk=thematic_area.pk)
    return _confirm(obj=area, actor=actor, action="framework.thematic_area.confirm")


@transaction.atomic
def marker_confirm(*, marker: Marker, actor) -> Marker:
    """Mark a marker and its scale as confirmed (administrators only)."""
    require(actor, "framework.marker.confirm", marker)
    locked = Marker.objects.select_for_update().get(pk=marker.pk)
    return _confirm(obj=locked, actor=actor, action="framework.marker.confirm")


def _back_to_provisional(obj) -> None:
    obj.status = ReferenceStatus.PROVISIONAL
    obj.confirmed_at = None
    obj.confirmed_by = None


@transaction.atomic
def thematic_area_update(
    *,
    thematic_area: ThematicArea,
    actor,
    name: str | None = None,
    objectives: list[int] | None = None,
    uncertain: list[int] | None = None,
) -> ThematicArea:
    """Edit a thematic area's name and/or its GCM objectives (administrators only).

    A changed area is provisional again until it is confirmed anew; the change is audited.
    """
    require(actor, "framework.thematic_area.update", thematic_area)
    area = ThematicArea.objects.select_for_update().get(pk=thematic_area.pk)
    before = _thematic_area_values(area)
    if name is not None:
        name = name.strip()
        if not name:
            raise ApplicationError(_("A thematic area needs a name."), {"field": "name"})
        area.name = name
    if objectives is not None:
        numbers = sorted(set(objectives))
        found = {o.number: o for o in GcmObjective.objects.filter(number__in=numbers)}
        unknown = [n for n in numbers if n not in found]
        if unknown:
            raise ApplicationError(
                _("These are not GCM objective numbers: %(numbers)s.")
                % {"numbers": ", ".join(str(n) for n in unknown)},
                {"field": "objectives", "unknown": unknown},
            )
        uncertain_set = set(uncertain or [])
        stray = sorted(uncertain_set - set(numbers))
        if stray:
            raise ApplicationError(
                _("Only mapped objectives can be marked uncertain."),
                {"field": "uncertain", "unknown": stray},
            )
        area.objective_links.all().delete()
        ThematicAreaObjective.objects.bulk_create(
            ThematicAreaObjective(
                thematic_area=area, objective=found[n], is_uncertain=n in uncertain_set
            )
            for n in numbers
        )
    after = _thematic_area_values(area)
    if after == before:
        return area
    _back_to_provisional(area)
    area.save(update_fields=["name", *_CONFIRM_FIELDS, "updated_at"])
    audit_record(
        actor=actor,
        action="framework.thematic_area.update",
        obj=area,
        before=before,
        after=_thematic_area_values(area),
    )
    return area


def _replace_levels(*, marker: Marker, levels: dict[int, str]) -> None:
    """Relabel kept values, add new ones and remove dropped ones (refused while in use)."""
    existing = {level.value: level for level in marker.levels.all()}
    for value, label in levels.items():
        level = existing.get(value)
        if level is None:
            MarkerLevel.objects.create(marker=marker, value=value, label=label)
        elif level.label != label:
            level.label = label
            level.save(update_fields=["label", "updated_at"])
    dropped = [level for value, level in existing.items() if value not in levels]
    for level in dropped:
        try:
            level.delete()
        except ProtectedError:
            raise ApplicationError(
                _("The level %(value)s is in use and cannot be removed.") % {"value": level.value},
                {"field": "levels", "value": level.value},
            ) from None


@transaction.atomic
def marker_update(
    *,
    marker: Marker,
    actor,
    name: str | None = None,
    description: str | None = None,
    levels: list[tuple[int, str]] | None = None,
) -> Marker:
    """Edit a marker's name, description and/or scale (administrators only).

    ``levels`` replaces the scale: ``[(0, "Not expected to contribute"), ...]``. A changed marker
    is provisional again until it is confirmed anew; the change is audited.
    """
    require(actor, "framework.marker.update", marker)
    locked = Marker.objects.select_for_update().get(pk=marker.pk)
    before = _marker_values(locked)
    if name is not None:
        if not name.strip():
            raise ApplicationError(_("A marker needs a name."), {"field": "name"})
        locked.name = name.strip()
    if description is not None:
        locked.description = description.strip()
    if levels is not None:
        values = [value for value, _label in levels]
        if not levels or len(set(values)) != len(values) or any(v < 0 for v in values):
            raise ApplicationError(
                _("A scale needs at least one level, each with its own value of 0 or more."),
                {"field": "levels"},
            )
        if any(not label.strip() for _value, label in levels):
            raise ApplicationError(
                _("Every level of the scale needs a label."), {"field": "levels"}
            )
        _replace_levels(marker=locked, levels={value: label.strip() for value, label in levels})
    after = _marker_values(locked)
    if after == before:
        return locked
    _back_to_provisional(locked)
    locked.save(update_fields=["name", "description", *_CONFIRM_FIELDS, "updated_at"])
    audit_record(
        actor=actor,
        action="framework.marker.update",
        obj=locked,
        before=before,
        after=_marker_values(locked),
    )
    return locked
