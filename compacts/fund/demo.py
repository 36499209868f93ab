"""Demonstration data of the fund app: a living MIG00, built through the services.

The fund and its donors are real (facts.md §3.4 names the donors); **every amount, date and
exchange rate here is illustrative**, and says so: the fund is flagged ``is_illustrative``, the
commitments' references start with "Illustrative", and the rates' source reads "Illustrative
rate, not a UN operational rate of exchange".

Idempotent: when MIG00 already has postings, nothing is added. All of it is one transaction.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from compacts.actors.models import Membership, Organisation, StakeholderCategory
from compacts.fund import services
from compacts.fund.models import Fund, Posting
from compacts.fund.selectors import fund_cash_available

CODE = "MIG00"
NAME = "Migration Multi-Partner Trust Fund"
RATE_SOURCE = "Illustrative rate, not a UN operational rate of exchange"
D = Decimal

# Units per US dollar, per month: illustrative values of a plausible order of magnitude.
ILLUSTRATIVE_RATES = {
    "EUR": ["0.9200", "0.9150", "0.9300", "0.9050"],
    "GBP": ["0.7900", "0.7850", "0.8000", "0.7700"],
    "NOK": ["10.6000", "10.4500", "10.9000", "10.2000"],
    "SEK": ["10.4000", "10.3000", "10.8000", "10.1000"],
    "DKK": ["6.8600", "6.8200", "6.9400", "6.7500"],
}
MONTHS = [datetime.date(2025, month, 1) for month in (1, 4, 7, 10)]

# (ISO alpha-2 of the donor country, currency, commitment, [deposits as (month index, amount)])
DONORS = [
    ("DE", "EUR", "3000000", [(0, "1500000"), (2, "1000000")]),
    ("GB", "GBP", "4000000", [(0, "2000000"), (1, "2000000")]),
    ("NO", "NOK", "25000000", [(1, "12500000"), (3, "12500000")]),
    ("SE", "SEK", "15000000", [(2, "15000000")]),
    ("DK", "DKK", "10000000", [(0, "5000000")]),
]


def _member_of(username: str, role: str) -> Organisation | None:
    membership = (
        Membership.objects.filter(user__username=username, role__code=role)
        .select_related("organisation")
        .first()
    )
    return membership.organisation if membership else None


def _organisation(short_name: str, name: str) -> Organisation:
    found = Organisation.objects.filter(short_name=short_name).order_by("is_illustrative").first()
    if found is not None:
        return found
    return Organisation.objects.create(
        name=f"{name} (illustrative)",
        short_name=short_name,
        category=StakeholderCategory.UN_ENTITY,
        is_illustrative=True,
    )


def _donors() -> list[tuple[Organisation, str, str, list]]:
    from compacts.actors.services import member_state_for_country
    from compacts.framework.models import Country

    donors = []
    for iso2, currency, amount, deposits in DONORS:
        country = Country.objects.filter(iso2=iso2).first()
        if country is None:
            continue
        donors.append((member_state_for_country(country=country), currency, amount, deposits))
    illustrative = _member_of("demo-donor", "donor")
    if illustrative is None:
        illustrative = Organisation.objects.create(
            name="Donor Government Development Agency (illustrative)",
            short_name="Donor (illustr.)",
            category=StakeholderCategory.DONOR,
            is_illustrative=True,
        )
    donors.append((illustrative, "USD", "2500000", [(1, "1000000"), (3, "750000")]))
    return donors


@transaction.atomic
def seed_demo(*, stdout) -> None:
    """A living MIG00 with donors, deposits in several currencies, transfers and expenditure."""
    fund = Fund.objects.filter(code=CODE).first()
    if fund is not None and Posting.objects.filter(fund=fund).exists():
        stdout.write(f"  fund: {CODE} already has its illustrative ledger")
        return
    agent = _member_of("demo-aa", "administrative-agent") or _organisation(
        "UNDP", "United Nations Development Programme"
    )
    if fund is None:
        fund = services.fund_create(
            code=CODE, name=NAME, administrative_agent=agent, actor=None, is_illustrative=True
        )
    participants = [
        _member_of("demo-puno-iom", "puno-focal-point")
        or _organisation("IOM", "International Organization for Migration"),
        _member_of("demo-puno-undp", "puno-focal-point") or agent,
    ]
    for short_name, name in (
        ("UNICEF", "United Nations Children's Fund"),
        ("ILO", "International Labour Organization"),
        ("WHO", "World Health Organization"),
    ):
        participants.append(_organisation(short_name, name))
    participants = list(dict.fromkeys(participants))
    for organisation in participants:
        services.participant_add(fund=fund, organisation=organisation, actor=None)

    for currency, values in ILLUSTRATIVE_RATES.items():
        for month, value in zip(MONTHS, values, strict=True):
            services.exchange_rate_set(
                currency=currency,
                effective_on=month,
                rate=D(value),
                source=RATE_SOURCE,
                actor=None,
                is_illustrative=True,
            )

    deposits = 0
    for number, (donor, currency, amount, schedule) in enumerate(_donors(), start=1):
        commitment = services.commitment_create(
            fund=fund,
            donor=donor,
            amount=D(amount),
            currency=currency,
            signed_on=MONTHS[0],
            actor=None,
            reference=f"Illustrative agreement {number}",
            is_illustrative=True,
            instalments=[(MONTHS[i], D(value)) for i, value in schedule]
            + (
                [(MONTHS[3], D(amount) - sum(D(v) for _i, v in schedule))]
                if sum(D(v) for _i, v in schedule) < D(amount)
                else []
            ),
        )
        for index, (month, value) in enumerate(schedule):
            services.deposit_create(
                commitment=commitment,
                amount=D(value),
                currency=currency,
                value_date=MONTHS[month] + datetime.timedelta(days=9),
                actor=None,
                idempotency_key=f"demo-{CODE}-{number}-{index}",
            )
            deposits += 1
    services.interest_record(
        fund=fund,
        amount=D("48210.55"),
        value_date=datetime.date(2025, 12, 31),
        actor=None,
        description="Illustrative interest",
    )

    purposes = [
        "Illustrative joint programme: safe and regular labour migration pathways",
        "Illustrative joint programme: migrants' access to health services (GCM objective 15)",
        "Illustrative joint programme: addressing drivers of migration",
        "Illustrative joint programme: data for evidence-based migration policies",
    ]
    # Allocations share 80% of the cash (which depends on the donors the reference data has).
    share = (fund_cash_available(fund=fund) * D("0.8") / len(participants)).quantize(D("1000"))
    transfers = 0
    for index, organisation in enumerate(participants):
        allocation = services.allocation_create(
            fund=fund,
            organisation=organisation,
            amount=share,
            purpose=purposes[index % len(purposes)],
            decided_on=datetime.date(2025, 5, 15),
            actor=None,
            is_illustrative=True,
        )
        tranches = ((datetime.date(2025, 6, 2), D("0.6")), (datetime.date(2025, 11, 3), D("0.3")))
        for tranche, (month, part) in enumerate(tranches):
            services.transfer_create(
                allocation=allocation,
                amount=(share * part).quantize(D("0.01")),
                value_date=month,
                actor=None,
                idempotency_key=f"demo-{CODE}-transfer-{index}-{tranche}",
            )
            transfers += 1
        spent = share * D("0.6") * (D(60 + index * 7) / 100)
        services.expenditure_report(
            fund=fund,
            organisation=organisation,
            amount=spent.quantize(D("0.01")),
            value_date=datetime.date(2025, 12, 31),
            actor=None,
            description="Illustrative annual report",
        )
    services.refund_record(
        allocation=allocation,
        amount=(share * D("0.01")).quantize(D("0.01")),
        value_date=datetime.date(2025, 12, 15),
        actor=None,
    )
    services.direct_cost_record(
        fund=fund,
        amount=(share * D("0.02")).quantize(D("0.01")),
        value_date=datetime.date(2025, 12, 31),
        actor=None,
        description="Illustrative: Management Unit",
    )
    services.bank_charge_record(
        fund=fund, amount=D("312.40"), value_date=datetime.date(2025, 12, 31), actor=None
    )
    stdout.write(
        f"  fund: {CODE} with {deposits} illustrative deposits in {len(ILLUSTRATIVE_RATES) + 1} "
        f"currencies, {transfers} transfers to {len(participants)} organisations"
    )
