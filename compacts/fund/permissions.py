"""Who may do what with a fund's money (docs/fund.md, "Permissions"; matrix rows in
``tests/permission_matrix.py``).

- The administrative agent of a fund (the ``administrative-agent`` role in the fund's agent
  organisation) records its commitments, deposits, allocations, transfers, refunds, interest and
  charges, and reverses postings.
- A participating organisation's focal point (``puno-focal-point``) reports expenditure for her
  own organisation only.
- The Management Unit (``management-unit-officer``) sees everything, changes nothing.
- A donor sees its own contributions and where the money went.
- Everyone, signed in or not, sees the funds and their factsheets.
"""

from compacts.actors.selectors import user_has_role
from compacts.core.permissions import rule

AA = "administrative-agent"
MU = "management-unit-officer"
PUNO = "puno-focal-point"
DONOR = "donor"


def _is_admin(user) -> bool:
    return user.is_authenticated and user.is_superuser


def _is_agent_of(user, fund) -> bool:
    return user_has_role(user, AA, organisation=fund.administrative_agent_id)


def _agent_rule(operation: str):
    @rule(operation)
    def check(user, fund) -> bool:
        if _is_admin(user):
            return True
        return fund is not None and _is_agent_of(user, fund)

    check.__name__ = "can_" + operation.replace(".", "_")
    return check


AGENT_OPERATIONS = [
    "fund.participant.add",
    "fund.pledge.create",
    "fund.commitment.create",
    "fund.deposit.create",
    "fund.allocation.create",
    "fund.transfer.create",
    "fund.refund.record",
    "fund.interest.record",
    "fund.charge.record",
    "fund.posting.reverse",
]
for _operation in AGENT_OPERATIONS:
    _agent_rule(_operation)


# Operations of other apps under which their services call the fund's services. A person
# holding one of them may make that fund movement through the calling app (checked by the fund
# service itself, with the object the caller passes as ``services.Authority``, or none: these
# rules are role-level), and only for what comes from that app: allocations and transfers of
# allocations whose source is a programme, expenditure of accepted reports (docs/fund.md).
DELEGATIONS: dict[str, tuple[str, ...]] = {
    # A Steering Committee decision recorded by the Management Unit or the chair creates the
    # programme's allocations (programmes.services.decision_record -> _fund_programme).
    "fund.allocation.create": ("programmes.decision.record",),
    # A tranche of an approved programme is transferred (programmes.services.tranche_transfer).
    "fund.transfer.create": ("programmes.tranche.transfer",),
    # Accepting a financial report posts its expenditure (results.services.report_transition).
    "fund.expenditure.report": ("results.report.submitted.accepted",),
}


@rule("fund.fund.create")
def can_create_fund(user, obj=None) -> bool:
    """Opening a pooled fund is a platform decision: administrators only."""
    return _is_admin(user)


@rule("fund.view")
def can_view_fund(user, fund) -> bool:
    return True


@rule("fund.factsheet.view")
def can_view_factsheet(user, fund) -> bool:
    return True


@rule("fund.exchange_rate.load")
def can_load_exchange_rates(user, obj) -> bool:
    """Any administrative agent loads the UN operational rates (they are not per fund)."""
    if _is_admin(user):
        return True
    return user_has_role(user, AA)


@rule("fund.rates.update")
def can_update_fund_rates(user, fund) -> bool:
    """The fee and indirect-support-cost rates are unconfirmed facts: administrators only."""
    return _is_admin(user)


@rule("fund.expenditure.report")
def can_report_expenditure(user, participant) -> bool:
    """``participant`` is the ``FundParticipant``: the focal point of that organisation only."""
    if _is_admin(user):
        return True
    if participant is None:
        return False
    return user_has_role(user, PUNO, organisation=participant.organisation_id)


@rule("fund.ledger.view")
def can_view_ledger(user, fund) -> bool:
    if _is_admin(user):
        return True
    if user_has_role(user, MU):
        return True
    return fund is not None and _is_agent_of(user, fund)


@rule("fund.donor.view")
def can_view_donor_contributions(user, donor) -> bool:
    """``donor`` is the donor organisation: its own people, the Management Unit, agents."""
    if _is_admin(user):
        return True
    if user_has_role(user, MU) or user_has_role(user, AA):
        return True
    return donor is not None and user_has_role(user, DONOR, organisation=donor.pk)
