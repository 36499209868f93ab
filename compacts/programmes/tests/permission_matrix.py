"""Permission matrix rows of the programme cycle, one set per operation and per transition of
``workflows/programme.py`` (format: docs/permissions.md)."""

from itertools import count

from compacts.actors import roles
from compacts.actors.models import Organisation
from compacts.actors.testing import EVERY_ROLE, SUPERUSER, cases
from compacts.fund.models import Fund
from compacts.programmes.models import Programme
from compacts.programmes.workflows.programme import MACHINE, SUBMITTERS, State

_n = count(1)
MU = {roles.MANAGEMENT_UNIT_OFFICER}
OVERSEERS = {
    roles.MANAGEMENT_UNIT_OFFICER,
    roles.STEERING_COMMITTEE_CHAIR,
    roles.STEERING_COMMITTEE_MEMBER,
    roles.ADMINISTRATIVE_AGENT,
}
COMMITTEE = {
    roles.MANAGEMENT_UNIT_OFFICER,
    roles.STEERING_COMMITTEE_CHAIR,
    roles.STEERING_COMMITTEE_MEMBER,
}


def programme_in(state: str):
    """An obj_factory: a programme in ``state`` submitted by (and with) the case's organisation."""

    def make(ctx):
        number = next(_n)
        agent = Organisation.objects.create(name=f"Agent {number}", category="un-entity")
        fund = Fund.objects.create(
            code=f"PM{number:05d}", name="Matrix fund", administrative_agent=agent
        )
        programme = Programme.objects.create(
            fund=fund,
            code=f"PM-{number:05d}",
            title="Matrix programme",
            state=state,
            submitting_organisation=ctx.organisation,
        )
        programme.participating_organisations.set([ctx.organisation])
        return programme

    return make


def own_and_other(operation: str, *, own: set, other: set, factory) -> list:
    return [
        *cases(operation, allow=own | {SUPERUSER}, obj_factory=factory),
        *cases(operation, allow=other | {SUPERUSER}, obj_factory=factory, same_org=False),
    ]


def transition_rows(prefix: str, machine, submitters=SUBMITTERS, factory_for=programme_in) -> list:
    rows = []
    for (source, target), rule in machine.transitions.items():
        rows += own_and_other(
            f"{prefix}.{source}.{target}",
            own=set(rule.roles),
            other=set(rule.roles) - set(submitters),
            factory=factory_for(source),
        )
    return rows


DRAFT = programme_in(State.DRAFT)

MATRIX = [
    *own_and_other(
        "programmes.programme.view", own=set(EVERY_ROLE), other=OVERSEERS, factory=DRAFT
    ),
    # Once endorsed, a programme is public (the pipeline is published).
    *cases(
        "programmes.programme.view",
        allow={"anonymous", "signed-in", SUPERUSER, *EVERY_ROLE},
        obj_factory=programme_in(State.ACTIVE),
        same_org=False,
        label="public",
    ),
    *cases("programmes.programme.view-all", allow=OVERSEERS | {SUPERUSER}),
    *cases("programmes.programme.create", allow=set(SUBMITTERS) | {SUPERUSER}),
    *own_and_other("programmes.programme.edit", own=set(SUBMITTERS), other=set(), factory=DRAFT),
    *own_and_other(
        "programmes.document.edit",
        own=set(SUBMITTERS) | MU,
        other=MU,
        factory=programme_in(State.INVITED),
    ),
    *own_and_other(
        "programmes.attachment.download", own=set(EVERY_ROLE), other=OVERSEERS, factory=DRAFT
    ),
    *transition_rows("programmes.programme", MACHINE),
    *cases(
        "programmes.screening.record",
        allow=MU | {SUPERUSER},
        obj_factory=programme_in(State.SUBMITTED),
    ),
    *cases(
        "programmes.review.submit",
        allow=MU | {SUPERUSER},
        obj_factory=programme_in(State.TECHNICAL_REVIEW),
    ),
    *cases("programmes.committee.manage", allow=MU | {SUPERUSER}),
    *cases("programmes.meeting.view", allow=COMMITTEE | {SUPERUSER}),
    *cases("programmes.conflict.declare", allow=COMMITTEE | {SUPERUSER}),
    *cases(
        "programmes.decision.record",
        allow={roles.MANAGEMENT_UNIT_OFFICER, roles.STEERING_COMMITTEE_CHAIR, SUPERUSER},
    ),
    *cases("programmes.minutes.approve", allow={roles.STEERING_COMMITTEE_CHAIR, SUPERUSER}),
    *cases(
        "programmes.tranche.transfer",
        allow={roles.ADMINISTRATIVE_AGENT, SUPERUSER},
        obj_factory=programme_in(State.APPROVED),
    ),
    *cases(
        "programmes.event.record", allow=MU | {SUPERUSER}, obj_factory=programme_in(State.ACTIVE)
    ),
    *own_and_other(
        "programmes.event.request",
        own=set(SUBMITTERS) | MU,
        other=MU,
        factory=programme_in(State.ACTIVE),
    ),
    *cases("programmes.call.manage", allow=MU | {SUPERUSER}),
]
