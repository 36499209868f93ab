"""Rules of the iati app. The published files are public (no rule: plain views); importing
other publishers' files and exporting on demand are staff work."""

from compacts.actors.selectors import user_is_coordinator
from compacts.core.permissions import rule


def _staff(user) -> bool:
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser or user.is_staff or user_is_coordinator(user))


@rule("iati.import.run")
def can_import(user, obj=None) -> bool:
    """Platform staff (administrators, the Management Unit, the Network Secretariat)."""
    return _staff(user)


@rule("iati.import.view")
def can_view_import(user, obj=None) -> bool:
    return _staff(user)


@rule("iati.export.run")
def can_export(user, obj=None) -> bool:
    return _staff(user)


@rule("iati.publication.view")
def can_view_publication(user, obj=None) -> bool:
    """The published IATI files are open data: everyone, signed in or not."""
    return True
