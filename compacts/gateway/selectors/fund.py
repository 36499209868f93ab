"""Reads of the public gateway: summaries that combine the fund and the programme cycle."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from compacts.fund.models import Fund
from compacts.fund.selectors import factsheet_get
from compacts.programmes.models import Programme
from compacts.programmes.workflows.programme import State

PIPELINE_STATES = (State.ENDORSED, State.INVITED, State.DOCUMENT_SUBMITTED, State.TECHNICAL_REVIEW)
FUNDED_STATES = (State.APPROVED, State.ACTIVE)
CLOSED_STATES = (State.OPERATIONALLY_CLOSED, State.FINANCIALLY_CLOSED)


@dataclass(frozen=True)
class HomeSummary:
    fund: Fund | None
    totals: dict[str, Decimal | None]
    pipeline: int
    funded: int
    closed: int


def home_fund() -> Fund | None:
    """The fund the home page presents: the Migration MPTF, else the first real fund."""
    funds = Fund.objects.filter(is_synthetic=False).order_by("code")
    return funds.filter(code="MIG00").first() or funds.first()


def home_summary() -> HomeSummary:
    """The fund in a few figures and the programme cycle in three numbers (public data only:
    concept notes before endorsement are not counted)."""
    fund = home_fund()
    totals = factsheet_get(fund=fund).totals if fund else {}
    by_state = (
        dict(
            Programme.objects.filter(fund=fund)
            .values_list("state")
            .annotate(count=Count("id"))
            .values_list("state", "count")
        )
        if fund
        else {}
    )
    return HomeSummary(
        fund=fund,
        totals=totals,
        pipeline=sum(by_state.get(state, 0) for state in PIPELINE_STATES),
        funded=sum(by_state.get(state, 0) for state in FUNDED_STATES),
        closed=sum(by_state.get(state, 0) for state in CLOSED_STATES),
    )
