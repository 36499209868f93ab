"""Synthetic portfolio for ``compacts seed --scale N``: funds built through the same services as
real data, so every invariant of the ledger holds (``compacts fund reconcile SYN0001`` passes).

At N=1 it is about the size of the MPTF Office: 150 funds, 100 donors, 3,000 allocations and
about 300,000 postings; every count grows linearly with N. The programmes app's seed, which runs
next, makes one synthetic programme per allocation and links them (``programmes/seed.py``).
Everything is labelled synthetic: fund codes ``SYN0001``..., names starting with
"Synthetic", ``is_synthetic`` on funds, allocations and postings, organisations flagged
``is_illustrative`` and named "Synthetic ...", rates whose source says "Synthetic rate".

Rerunnable: each fund is built in its own transaction, and a fund that exists is skipped, so an
interrupted run resumes where it stopped. The random generator is seeded per fund, so a run
gives the same data every time.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.db import transaction

from compacts.actors.models import Organisation, StakeholderCategory
from compacts.core.exceptions import ApplicationError
from compacts.core.money import convert_to_reporting, percentage_of
from compacts.core.services import audit_record
from compacts.fund import services
from compacts.fund.models import (
    AccountCode,
    Commitment,
    CommitmentInstalment,
    Deposit,
    ExchangeRate,
    Fund,
    Posting,
    PostingKind,
    PostingLine,
)
from compacts.fund.selectors import fund_cash_available, fund_reconcile
from compacts.fund.services import Line

D = Decimal
RATE_SOURCE = "Synthetic rate (compacts seed), not a UN operational rate of exchange"
CURRENCIES = {
    "EUR": D("0.92"),
    "GBP": D("0.79"),
    "NOK": D("10.6"),
    "SEK": D("10.4"),
    "JPY": D("145"),
}
FIRST_YEAR, LAST_YEAR = 2018, 2025


@dataclass(frozen=True)
class Profile:
    """Sizes per fund; funds and donors scale with N."""

    funds_per_unit: int = 150
    donors_per_unit: int = 100
    agencies: int = 30
    donors_per_fund: int = 10
    deposits_per_commitment: int = 15
    allocations_per_fund: int = 20
    transfers_per_allocation: int = 10
    reports_per_allocation: int = 70
    interest_per_fund: int = 36
    charges_per_fund: int = 24

    def postings_per_fund(self) -> int:
        return (
            self.donors_per_fund * (1 + 2 * self.deposits_per_commitment)
            + self.allocations_per_fund
            * (self.transfers_per_allocation + self.reports_per_allocation)
            + self.interest_per_fund
            + self.charges_per_fund
        )


FULL = Profile()
SMALL = Profile(
    funds_per_unit=150,
    donors_per_unit=300,
    agencies=4,
    donors_per_fund=3,
    deposits_per_commitment=2,
    allocations_per_fund=3,
    transfers_per_allocation=2,
    reports_per_allocation=2,
    interest_per_fund=2,
    charges_per_fund=2,
)


def _organisations(prefix: str, count: int, category: str) -> list[Organisation]:
    existing = {
        org.name: org
        for org in Organisation.objects.filter(
            name__startswith=f"Synthetic {prefix} ", is_illustrative=True
        )
    }
    missing = [
        Organisation(
            name=f"Synthetic {prefix} {number:03d}",
            short_name=f"SYN-{prefix[:3].upper()}{number:03d}",
            category=category,
            is_illustrative=True,
        )
        for number in range(1, count + 1)
        if f"Synthetic {prefix} {number:03d}" not in existing
    ]
    Organisation.objects.bulk_create(missing)
    return list(
        Organisation.objects.filter(
            name__startswith=f"Synthetic {prefix} ", is_illustrative=True
        ).order_by("name")[:count]
    )


@transaction.atomic
def _rates() -> None:
    """Monthly synthetic rates for every month that has none yet, whatever its source: a rate
    already there (the demonstration data's, or one staff loaded) is kept, never duplicated."""
    existing = set(ExchangeRate.objects.values_list("currency", "effective_on"))
    rows = []
    generator = random.Random(7)
    for currency, base in CURRENCIES.items():
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            for month in range(1, 13):
                day = datetime.date(year, month, 1)
                if (currency, day) in existing:
                    continue
                drift = D(generator.randint(-800, 800)) / D(10000)
                rows.append(
                    ExchangeRate(
                        currency=currency,
                        effective_on=day,
                        rate=(base * (1 + drift)).quantize(D("0.0001")),
                        source=RATE_SOURCE,
                        is_illustrative=True,
                    )
                )
    ExchangeRate.objects.bulk_create(rows)


def _day(generator: random.Random, year: int | None = None) -> datetime.date:
    year = year or generator.randint(FIRST_YEAR, LAST_YEAR)
    return datetime.date(year, generator.randint(1, 12), generator.randint(1, 28))


def _cents(value: Decimal) -> Decimal:
    return value.quantize(D("0.01"))


class ServiceWriter:
    """Writes a synthetic fund's history through the services, one audited call per event."""

    def __init__(self, fund: Fund):
        self.fund = fund

    def commitment(self, *, donor, amount, currency, signed_on):
        return services.commitment_create(
            fund=self.fund,
            donor=donor,
            amount=amount,
            currency=currency,
            signed_on=signed_on,
            actor=None,
            reference="Synthetic",
        )

    def deposit(self, *, commitment, amount, value_date, key):
        services.deposit_create(
            commitment=commitment,
            amount=amount,
            currency=commitment.currency,
            value_date=value_date,
            actor=None,
            idempotency_key=key,
        )

    def interest(self, *, amount, value_date):
        services.interest_record(fund=self.fund, amount=amount, value_date=value_date, actor=None)

    def transfer(self, *, allocation, amount, value_date, key):
        services.transfer_create(
            allocation=allocation,
            amount=amount,
            value_date=value_date,
            actor=None,
            idempotency_key=key,
        )

    def expenditure(self, *, organisation, amount, value_date):
        services.expenditure_report(
            fund=self.fund,
            organisation=organisation,
            amount=amount,
            value_date=value_date,
            actor=None,
        )

    def charge(self, *, bank: bool, amount, value_date):
        record = services.bank_charge_record if bank else services.direct_cost_record
        record(fund=self.fund, amount=amount, value_date=value_date, actor=None)

    @property
    def cash(self) -> Decimal:
        return fund_cash_available(fund=self.fund)

    def flush(self) -> int:
        return Posting.objects.filter(fund=self.fund).count()


class BulkWriter:
    """Writes a synthetic fund's history with ``bulk_create``: the same balanced postings the
    services would write (same accounts, lines, conversions and fees, computed by the same money
    functions), without a row lock and an audit record per posting. ``seed_scale`` runs
    ``fund reconcile``'s checks on every fund it writes this way and refuses a fund that fails.
    One audit record per fund says what was written.
    """

    def __init__(self, fund: Fund):
        self.fund = fund
        self.postings: list[Posting] = []
        self.lines: list[tuple[Posting, list[Line]]] = []
        self.fees: list[tuple[Posting, Posting, list[Line]]] = []
        self.commitments: list[Commitment] = []
        self.deposits: list[Deposit] = []
        self.cash = D("0")

    def _posting(
        self,
        kind,
        value_date,
        lines,
        *,
        donor_id=None,
        organisation_id=None,
        allocation=None,
        key="",
    ) -> Posting:
        posting = Posting(
            fund=self.fund,
            kind=kind,
            value_date=value_date,
            donor_id=donor_id,
            organisation_id=organisation_id,
            allocation=allocation,
            idempotency_key=key,
            description="Synthetic",
            is_synthetic=True,
        )
        self.postings.append(posting)
        self.lines.append((posting, lines))
        self.cash += sum((line.amount for line in lines if line.code == AccountCode.CASH), D("0"))
        return posting

    def commitment(self, *, donor, amount, currency, signed_on):
        rate, source, rate_date = services._conversion(currency, signed_on, self.fund)
        usd = convert_to_reporting(amount, rate=rate)
        posting = self._posting(
            PostingKind.COMMITMENT,
            signed_on,
            [
                Line(AccountCode.COMMITMENTS_RECEIVABLE, usd, donor.pk),
                Line(AccountCode.CONTRIBUTIONS, -usd, donor.pk),
            ],
            donor_id=donor.pk,
        )
        commitment = Commitment(
            fund=self.fund,
            donor=donor,
            amount=amount,
            currency=currency,
            signed_on=signed_on,
            rate=rate,
            rate_source=source,
            rate_date=rate_date,
            amount_usd=usd,
            reference="Synthetic",
            posting=posting,
        )
        self.commitments.append(commitment)
        return commitment

    def deposit(self, *, commitment, amount, value_date, key):
        rate, source, rate_date = services._conversion(commitment.currency, value_date, self.fund)
        usd = convert_to_reporting(amount, rate=rate)
        donor_id = commitment.donor.pk
        posting = self._posting(
            PostingKind.DEPOSIT,
            value_date,
            [Line(AccountCode.CASH, usd), Line(AccountCode.COMMITMENTS_RECEIVABLE, -usd, donor_id)],
            donor_id=donor_id,
            key=key,
        )
        fee = percentage_of(usd, rate=self.fund.fee_rate)
        if fee > 0:
            fee_posting = Posting(
                fund=self.fund,
                kind=PostingKind.FEE,
                value_date=value_date,
                donor_id=donor_id,
                description="Synthetic fee",
                is_synthetic=True,
            )
            self.fees.append(
                (
                    fee_posting,
                    posting,
                    [Line(AccountCode.AA_FEE, fee), Line(AccountCode.CASH, -fee)],
                )
            )
            self.cash -= fee
        self.deposits.append(
            Deposit(
                fund=self.fund,
                commitment=commitment,
                donor_id=donor_id,
                amount=amount,
                currency=commitment.currency,
                value_date=value_date,
                rate=rate,
                rate_source=source,
                rate_date=rate_date,
                amount_usd=usd,
                fee_usd=fee,
                posting=posting,
            )
        )

    def interest(self, *, amount, value_date):
        self._posting(
            PostingKind.INTEREST,
            value_date,
            [Line(AccountCode.CASH, amount), Line(AccountCode.INTEREST, -amount)],
        )

    def transfer(self, *, allocation, amount, value_date, key):
        org = allocation.organisation_id
        self._posting(
            PostingKind.TRANSFER,
            value_date,
            [
                Line(AccountCode.TRANSFERS, amount, org),
                Line(AccountCode.CASH, -amount),
                Line(AccountCode.PO_BALANCE, amount, org),
                Line(AccountCode.PO_FUNDING, -amount, org),
            ],
            organisation_id=org,
            allocation=allocation,
            key=key,
        )

    def expenditure(self, *, organisation, amount, value_date):
        self._posting(
            PostingKind.EXPENDITURE,
            value_date,
            [
                Line(AccountCode.PO_EXPENDITURE, amount, organisation.pk),
                Line(AccountCode.PO_BALANCE, -amount, organisation.pk),
            ],
            organisation_id=organisation.pk,
        )

    def charge(self, *, bank: bool, amount, value_date):
        code = AccountCode.BANK_CHARGES if bank else AccountCode.DIRECT_COSTS
        kind = PostingKind.BANK_CHARGE if bank else PostingKind.DIRECT_COST
        self._posting(kind, value_date, [Line(code, amount), Line(AccountCode.CASH, -amount)])

    def flush(self) -> int:
        """Write everything, checking each posting balances first; returns the postings count."""
        for _posting, lines in [
            *self.lines,
            *[(fee, fee_lines) for fee, _d, fee_lines in self.fees],
        ]:
            if sum((line.amount for line in lines), D("0")) != 0:
                raise ApplicationError("A synthetic posting does not balance.")
        keys = {(line.code, line.party_id) for _p, lines in self.lines for line in lines}
        keys |= {(line.code, line.party_id) for _f, _d, lines in self.fees for line in lines}
        accounts = services._accounts(self.fund, keys)
        Posting.objects.bulk_create(self.postings, batch_size=2000)
        for fee, deposit, _lines in self.fees:
            fee.related_to = deposit
        Posting.objects.bulk_create([fee for fee, _d, _l in self.fees], batch_size=2000)
        PostingLine.objects.bulk_create(
            [
                PostingLine(
                    posting=posting,
                    account=accounts[(line.code, line.party_id)],
                    fund=self.fund,
                    kind=posting.kind,
                    value_date=posting.value_date,
                    amount=line.amount,
                    currency=self.fund.currency,
                )
                for posting, lines in [
                    *self.lines,
                    *[(fee, fee_lines) for fee, _d, fee_lines in self.fees],
                ]
                for line in lines
            ],
            batch_size=5000,
        )
        Commitment.objects.bulk_create(self.commitments, batch_size=2000)
        CommitmentInstalment.objects.bulk_create(
            [
                CommitmentInstalment(commitment=c, due_on=c.signed_on, amount=c.amount)
                for c in self.commitments
            ]
        )
        Deposit.objects.bulk_create(self.deposits, batch_size=2000)
        return len(self.postings) + len(self.fees)


@transaction.atomic
def fund_build(
    *, number: int, agent, donors, agencies, profile: Profile, bulk: bool = False
) -> tuple[Fund, int]:
    """One synthetic fund with its whole history; returns it and its number of postings."""
    generator = random.Random(number)
    code = f"SYN{number:04d}"
    fund = services.fund_create(
        code=code,
        name=f"Synthetic fund {number:04d}",
        administrative_agent=agent,
        actor=None,
        is_synthetic=True,
    )
    participants = generator.sample(
        agencies, k=min(len(agencies), max(2, profile.allocations_per_fund // 3))
    )
    for organisation in participants:
        services.participant_add(fund=fund, organisation=organisation, actor=None)
    writer = BulkWriter(fund) if bulk else ServiceWriter(fund)
    key = 0
    for donor in generator.sample(donors, k=min(len(donors), profile.donors_per_fund)):
        currency = generator.choice([*CURRENCIES, "USD", "USD"])
        amount = D(generator.randint(50, 500) * 10_000 * profile.deposits_per_commitment)
        commitment = writer.commitment(
            donor=donor,
            amount=amount,
            currency=currency,
            signed_on=datetime.date(FIRST_YEAR, 1, 15),
        )
        part = (amount / profile.deposits_per_commitment).quantize(D("1"))
        for index in range(profile.deposits_per_commitment):
            key += 1
            value = part if index < profile.deposits_per_commitment - 1 else amount - part * index
            year = FIRST_YEAR + index * (LAST_YEAR - FIRST_YEAR) // profile.deposits_per_commitment
            writer.deposit(
                commitment=commitment,
                amount=value,
                value_date=_day(generator, year),
                key=f"{code}-d{key}",
            )
    for _ in range(profile.interest_per_fund):
        writer.interest(
            amount=_cents(D(generator.randint(100, 90_000))), value_date=_day(generator)
        )
    share = _cents(writer.cash * D("0.85") / profile.allocations_per_fund)
    for index in range(profile.allocations_per_fund):
        organisation = participants[index % len(participants)]
        allocation = services.allocation_create(
            fund=fund,
            organisation=organisation,
            amount=share,
            purpose=f"Synthetic programme {code}-{index + 1:03d}",
            decided_on=datetime.date(FIRST_YEAR + index % 4, 3, 1),
            actor=None,
            source_type="synthetic",
            source_id=f"{code}-{index + 1:03d}",
            is_synthetic=True,
        )
        tranche = (share / profile.transfers_per_allocation).quantize(
            D("0.01"), rounding=ROUND_DOWN
        )
        for t in range(profile.transfers_per_allocation):
            key += 1
            writer.transfer(
                allocation=allocation,
                amount=tranche,
                value_date=_day(generator, FIRST_YEAR + 1 + t % 6),
                key=f"{code}-t{key}",
            )
        report = (
            tranche * profile.transfers_per_allocation * D("0.9") / profile.reports_per_allocation
        ).quantize(D("0.01"), rounding=ROUND_DOWN)
        for _ in range(profile.reports_per_allocation):
            writer.expenditure(
                organisation=organisation, amount=report, value_date=_day(generator, LAST_YEAR)
            )
    for index in range(profile.charges_per_fund):
        writer.charge(
            bank=bool(index % 2),
            amount=_cents(D(generator.randint(50, 5000))),
            value_date=_day(generator, LAST_YEAR),
        )
    postings = writer.flush()
    if bulk:
        _sheet, checks, unbalanced = fund_reconcile(fund=fund)
        failed = [check.name for check in checks if not check.ok]
        if failed or unbalanced:
            raise ApplicationError(f"Synthetic fund {code} does not reconcile: {failed}")
        audit_record(
            actor=None,
            action="fund.seed.bulk_write",
            obj=fund,
            after={"postings": postings, "checked": len(checks), "synthetic": True},
        )
    return fund, postings


def seed_scale(
    *, scale: float, stdout, small: bool = False, through_services: bool = False
) -> dict:
    """Build (or finish building) the synthetic portfolio of ``scale``; returns counts.

    By default each fund's postings are written in bulk (``BulkWriter``) and the fund is checked
    with ``fund reconcile``'s checks before its transaction commits; ``through_services`` writes
    every event through the audited services instead (slower: about 20 queries a posting)."""
    profile = SMALL if small else FULL
    funds = max(1, round(profile.funds_per_unit * scale))
    donor_count = max(profile.donors_per_fund, round(profile.donors_per_unit * scale))
    with transaction.atomic():
        agent = _organisations("administrative agent", 1, StakeholderCategory.UN_ENTITY)[0]
        donors = _organisations("donor", donor_count, StakeholderCategory.MEMBER_STATE)
        agencies = _organisations("agency", profile.agencies, StakeholderCategory.UN_ENTITY)
    _rates()
    stdout.write(
        f"  fund: synthetic portfolio at scale {scale}: {funds} funds, {donor_count} donors, "
        f"{funds * profile.allocations_per_fund} allocations, about "
        f"{funds * profile.postings_per_fund():,} postings"
    )
    existing = set(Fund.objects.filter(is_synthetic=True).values_list("code", flat=True))
    built = skipped = postings = 0
    for number in range(1, funds + 1):
        if f"SYN{number:04d}" in existing:
            skipped += 1
            continue
        _fund, count = fund_build(
            number=number,
            agent=agent,
            donors=donors,
            agencies=agencies,
            profile=profile,
            bulk=not through_services,
        )
        postings += count
        built += 1
        if built % 5 == 0 or number == funds:
            stdout.write(
                f"  fund: {number}/{funds} synthetic funds ({skipped} already there, "
                f"{postings:,} postings written)"
            )
    return {"funds": funds, "built": built, "skipped": skipped, "postings": postings}
