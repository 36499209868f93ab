"""Permission matrix rows of the results app (format: docs/permissions.md)."""

from compacts.actors import roles
from compacts.programmes.tests.permission_matrix import own_and_other, programme_in, transition_rows
from compacts.programmes.workflows.programme import SUBMITTERS, State
from compacts.results.workflows import indicator_update, report

ACTIVE = programme_in(State.ACTIVE)
MU = {roles.MANAGEMENT_UNIT_OFFICER}

MATRIX = [
    *own_and_other(
        "results.framework.edit",
        own=set(SUBMITTERS) | MU,
        other=MU,
        factory=programme_in(State.INVITED),
    ),
    *own_and_other("results.update.create", own=set(SUBMITTERS), other=set(), factory=ACTIVE),
    *transition_rows("results.update", indicator_update.MACHINE, factory_for=lambda _s: ACTIVE),
    *transition_rows("results.report", report.MACHINE, factory_for=lambda _s: ACTIVE),
]
