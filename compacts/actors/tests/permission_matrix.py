"""Permission matrix rows of the actors app (format: docs/permissions.md)."""

from compacts.actors import roles
from compacts.actors.models import Membership
from compacts.actors.testing import (
    EVERY_ROLE,
    SUPERUSER,
    cases,
    role_get_or_create,
    user_without_role,
)

COORDINATORS = {SUPERUSER, roles.MANAGEMENT_UNIT_OFFICER, roles.NETWORK_SECRETARIAT}


def _organisation(ctx):
    return ctx.organisation


def _membership(ctx):
    return Membership.objects.create(
        user=user_without_role(),
        organisation=ctx.organisation,
        role=role_get_or_create(roles.STAKEHOLDER_CONTRIBUTOR),
    )


MATRIX = [
    *cases("actors.organisation.create", allow=COORDINATORS),
    *cases("actors.organisation.update", allow=COORDINATORS, obj_factory=_organisation),
    *cases(
        "actors.organisation.update", allow=COORDINATORS, obj_factory=_organisation, same_org=False
    ),
    *cases("actors.membership.grant", allow=COORDINATORS, obj_factory=_organisation),
    *cases(
        "actors.membership.grant", allow=COORDINATORS, obj_factory=_organisation, same_org=False
    ),
    *cases("actors.membership.revoke", allow=COORDINATORS, obj_factory=_membership),
    *cases("actors.membership.revoke", allow=COORDINATORS, obj_factory=_membership, same_org=False),
    # Object-level: every member sees her own organisation's memberships, not another's.
    *cases("actors.membership.view", allow=COORDINATORS | EVERY_ROLE, obj_factory=_organisation),
    *cases("actors.membership.view", allow=COORDINATORS, obj_factory=_organisation, same_org=False),
]
