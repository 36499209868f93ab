"""Permission matrix rows of the framework app (format: docs/permissions.md).

Only platform administrators may confirm or edit the Migration MPTF's provisional reference data;
no role, however senior, may (the Steering Committee's word is recorded by an administrator)."""

from compacts.actors.testing import SUPERUSER, cases
from compacts.framework.models import Marker, ThematicArea


def _thematic_area(ctx) -> ThematicArea:
    number = 100 + ctx.organisation.pk
    return ThematicArea.objects.create(
        code=f"TM{number}", number=number, name="Matrix thematic area"
    )


def _marker(ctx) -> Marker:
    return Marker.objects.create(code=f"matrix-{ctx.organisation.pk}", name="Matrix marker")


MATRIX = [
    *cases("framework.thematic_area.confirm", allow={SUPERUSER}, obj_factory=_thematic_area),
    *cases("framework.thematic_area.update", allow={SUPERUSER}, obj_factory=_thematic_area),
    *cases("framework.marker.confirm", allow={SUPERUSER}, obj_factory=_marker),
    *cases("framework.marker.update", allow={SUPERUSER}, obj_factory=_marker),
]
