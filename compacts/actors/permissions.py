"""Who may change the register of organisations and memberships (docs/permissions.md).

Platform administrators (``is_superuser``) and coordinators (Management Unit officers and the
Network Secretariat, in any organisation) keep the register. Anyone may read organisations; an
organisation's memberships are seen by coordinators and by the organisation's own members.
"""

from compacts.actors.models import Membership, Organisation
from compacts.actors.selectors import user_is_coordinator, user_organisation_ids
from compacts.core.permissions import rule


@rule("actors.organisation.create")
def can_create_organisation(user, obj) -> bool:
    return user_is_coordinator(user)


@rule("actors.organisation.update")
def can_update_organisation(user, organisation: Organisation | None) -> bool:
    return user_is_coordinator(user)


@rule("actors.membership.grant")
def can_grant_membership(user, organisation: Organisation | None) -> bool:
    return user_is_coordinator(user)


@rule("actors.membership.revoke")
def can_revoke_membership(user, membership: Membership | None) -> bool:
    return user_is_coordinator(user)


@rule("actors.membership.view")
def can_view_memberships(user, organisation: Organisation | None) -> bool:
    """Coordinators see every organisation's members; a member sees her own organisation's."""
    if user_is_coordinator(user):
        return True
    if organisation is None or not user.is_authenticated:
        return False
    return organisation.pk in user_organisation_ids(user)
