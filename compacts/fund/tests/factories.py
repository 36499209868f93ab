"""Builders for the fund's tests: organisations, a fund with participants, rates and money."""

import datetime
from decimal import Decimal
from itertools import count

from compacts.actors.models import Organisation, StakeholderCategory
from compacts.fund import services

_sequence = count(1)
D = Decimal
DAY = datetime.date(2025, 3, 14)


def organisation(name: str = "", *, category=StakeholderCategory.UN_ENTITY) -> Organisation:
    number = next(_sequence)
    return Organisation.objects.create(
        name=name or f"Organisation {number}", short_name=name or f"ORG{number}", category=category
    )


def donor(name: str = "") -> Organisation:
    return organisation(
        name or f"Donor {next(_sequence)}", category=StakeholderCategory.MEMBER_STATE
    )


def fund(*, code: str = "", participants: int = 2, fee_rate: str = "0.01"):
    """A fund with an administrative agent and ``participants`` participating organisations."""
    agent = organisation("Administrative agent")
    created = services.fund_create(
        code=code or f"F{next(_sequence):03d}",
        name="Test fund",
        administrative_agent=agent,
        actor=None,
        fee_rate=D(fee_rate),
    )
    orgs = [organisation() for _ in range(participants)]
    for org in orgs:
        services.participant_add(fund=created, organisation=org, actor=None)
    return created, orgs


FIRST_OF_MONTH = DAY.replace(day=1)


def rate(currency: str, rate: str, on: datetime.date = FIRST_OF_MONTH):
    return services.exchange_rate_set(
        currency=currency, effective_on=on, rate=D(rate), source="test rate", actor=None
    )


def funded(amount: str = "100000.00", *, participants: int = 2):
    """A fund with one USD commitment fully deposited (fee 1%), and one allocation per
    participating organisation of ``amount``."""
    the_fund, orgs = fund(participants=participants)
    the_donor = donor()
    commitment = services.commitment_create(
        fund=the_fund, donor=the_donor, amount=D(amount), currency="USD", signed_on=DAY, actor=None
    )
    services.deposit_create(
        commitment=commitment,
        amount=D(amount),
        currency="USD",
        value_date=DAY,
        actor=None,
        idempotency_key=f"dep-{next(_sequence)}",
    )
    allocations = [
        services.allocation_create(
            fund=the_fund,
            organisation=org,
            amount=D(amount),
            purpose="Joint programme",
            decided_on=DAY,
            actor=None,
        )
        for org in orgs
    ]
    return the_fund, orgs, the_donor, commitment, allocations
