"""Who may change the framework's editable reference data: platform administrators only.

Everything else in the framework is public and read-only (loaded from shipped files)."""

from compacts.core.permissions import rule


def _is_administrator(user) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


@rule("framework.thematic_area.confirm")
def can_confirm_thematic_area(user, thematic_area) -> bool:
    return _is_administrator(user)


@rule("framework.thematic_area.update")
def can_update_thematic_area(user, thematic_area) -> bool:
    return _is_administrator(user)


@rule("framework.marker.confirm")
def can_confirm_marker(user, marker) -> bool:
    return _is_administrator(user)


@rule("framework.marker.update")
def can_update_marker(user, marker) -> bool:
    return _is_administrator(user)
