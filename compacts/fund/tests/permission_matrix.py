"""Permission matrix rows of the fund app (format: docs/permissions.md)."""

from compacts.actors import roles
from compacts.actors.testing import ANONYMOUS, EVERY_ROLE, SIGNED_IN, SUPERUSER, cases
from compacts.fund.models import Fund, FundParticipant
from compacts.fund.permissions import AGENT_OPERATIONS
from compacts.fund.tests.factories import organisation


def _fund(ctx) -> Fund:
    """A fund whose administrative agent is the case's organisation."""
    return Fund.objects.create(
        code=f"M{ctx.organisation.pk}", name="Matrix fund", administrative_agent=ctx.organisation
    )


def _participant(ctx) -> FundParticipant:
    """The case's organisation participating in a fund administered by someone else."""
    fund = Fund.objects.create(
        code=f"P{ctx.organisation.pk}", name="Matrix fund", administrative_agent=organisation()
    )
    return FundParticipant.objects.create(fund=fund, organisation=ctx.organisation)


def _donor(ctx):
    return ctx.organisation


EVERYONE = {ANONYMOUS, SIGNED_IN, SUPERUSER, *EVERY_ROLE}
AGENT = {roles.ADMINISTRATIVE_AGENT, SUPERUSER}

MATRIX = [
    *cases("fund.view", allow=EVERYONE, obj_factory=_fund),
    *cases("fund.factsheet.view", allow=EVERYONE, obj_factory=_fund),
    *cases("fund.exchange_rate.load", allow=AGENT),
    *cases("fund.rates.update", allow={SUPERUSER}, obj_factory=_fund),
    # Opening a fund is a platform decision.
    *cases("fund.fund.create", allow={SUPERUSER}),
    # The agent of this fund, not the agent of another fund.
    *[
        row
        for operation in AGENT_OPERATIONS
        for row in (
            *cases(operation, allow=AGENT, obj_factory=_fund),
            *cases(operation, allow={SUPERUSER}, obj_factory=_fund, same_org=False),
        )
    ],
    # A focal point reports for her own organisation only.
    *cases(
        "fund.expenditure.report",
        allow={roles.PUNO_FOCAL_POINT, SUPERUSER},
        obj_factory=_participant,
    ),
    *cases("fund.expenditure.report", allow={SUPERUSER}, obj_factory=_participant, same_org=False),
    # The Management Unit sees every ledger; an agent sees its own fund's.
    *cases("fund.ledger.view", allow={roles.MANAGEMENT_UNIT_OFFICER, *AGENT}, obj_factory=_fund),
    *cases(
        "fund.ledger.view",
        allow={roles.MANAGEMENT_UNIT_OFFICER, SUPERUSER},
        obj_factory=_fund,
        same_org=False,
    ),
    # A donor sees its own contributions, not another donor's.
    *cases(
        "fund.donor.view",
        allow={roles.DONOR, roles.MANAGEMENT_UNIT_OFFICER, *AGENT},
        obj_factory=_donor,
    ),
    *cases(
        "fund.donor.view",
        allow={roles.MANAGEMENT_UNIT_OFFICER, *AGENT},
        obj_factory=_donor,
        same_org=False,
    ),
]
