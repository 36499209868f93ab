"""Reads of the fund app: balances, exchange rates, commitments and the factsheet.

Every figure is a sum over ledger lines computed by the database; nothing is a stored counter.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from django.db.models import Func, IntegerField, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from compacts.core.exceptions import ApplicationError, NotFoundError
from compacts.core.money import ZERO, round_cents
from compacts.fund.models import (
    Account,
    AccountCode,
    Allocation,
    Commitment,
    Deposit,
    ExchangeRate,
    Fund,
    FundParticipant,
    Posting,
    PostingKind,
    PostingLine,
)

_SUM = Coalesce(Sum("amount"), ZERO)


class _Year(Func):
    """The year of a date, computed by the database's own function: Django's ``ExtractYear``
    calls a Python function per row on SQLite, which dominates the factsheet's time there."""

    output_field = IntegerField()
    template = "CAST(EXTRACT(YEAR FROM %(expressions)s) AS INTEGER)"

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(strftime('%%%%Y', %(expressions)s) AS INTEGER)",
            **extra,
        )


def fund_get(*, code: str) -> Fund:
    """The fund with this code, or ``NotFoundError``."""
    fund = Fund.objects.select_related("administrative_agent").filter(code=code).first()
    if fund is None:
        raise NotFoundError(_("No fund has the code %(code)s.") % {"code": code})
    return fund


def fund_list() -> QuerySet[Fund]:
    return Fund.objects.select_related("administrative_agent").order_by("code")


def fund_participates(*, fund: Fund, organisation_id: int) -> bool:
    return FundParticipant.objects.filter(fund=fund, organisation_id=organisation_id).exists()


def fund_participant_list(*, fund: Fund) -> QuerySet[FundParticipant]:
    return FundParticipant.objects.filter(fund=fund).select_related("organisation")


def account_balance(
    *, fund: Fund | int, code: str, party_id: int | None = None, any_party: bool = False
) -> Decimal:
    """The balance (debits minus credits) of one account, or of all its parties' accounts."""
    fund_id = fund if isinstance(fund, int) else fund.pk
    lines = PostingLine.objects.filter(
        fund_id=fund_id, account__fund_id=fund_id, account__code=code
    )
    if not any_party:
        lines = lines.filter(account__party_id=party_id)
    return round_cents(lines.aggregate(total=_SUM)["total"])


def fund_cash_available(*, fund: Fund | int) -> Decimal:
    """Cash held by the administrative agent: what can still be transferred."""
    return account_balance(fund=fund, code=AccountCode.CASH)


def allocation_transferred(*, allocation: Allocation) -> Decimal:
    """Net amount transferred against an allocation (transfers minus refunds, after reversals)."""
    total = PostingLine.objects.filter(
        posting__allocation=allocation,
        account__code__in=[AccountCode.TRANSFERS, AccountCode.REFUNDS],
    ).aggregate(total=_SUM)["total"]
    return round_cents(total)


def allocation_spent(*, allocation: Allocation) -> Decimal:
    """Expenditure reported against an allocation (after reversals)."""
    total = PostingLine.objects.filter(
        posting__allocation=allocation, account__code=AccountCode.PO_EXPENDITURE
    ).aggregate(total=_SUM)["total"]
    return round_cents(total)


def expenditure_by_allocation(
    *, fund: Fund | None = None, allocation_ids: list[int] | None = None
) -> dict[int, Decimal]:
    """Expenditure reported against each allocation, keyed by allocation id, in one query
    (reversals net out). With the allocations' ``source_type``/``source_id`` this is the
    reported expenditure per programme and participating organisation."""
    lines = PostingLine.objects.filter(
        account__code=AccountCode.PO_EXPENDITURE, posting__allocation__isnull=False
    )
    if fund is not None:
        lines = lines.filter(fund=fund)
    if allocation_ids is not None:
        lines = lines.filter(posting__allocation_id__in=allocation_ids)
    return {
        row["posting__allocation_id"]: round_cents(row["total"])
        for row in lines.values("posting__allocation_id").annotate(total=Sum("amount")).order_by()
    }


def exchange_rate_for(*, currency: str, on: datetime.date) -> ExchangeRate:
    """The rate in force on ``on``: the latest one set in the same month, on or before that day.

    Raises ``ApplicationError`` naming the missing rate when there is none.
    """
    rate = (
        ExchangeRate.objects.filter(
            currency=currency,
            effective_on__lte=on,
            effective_on__gte=on.replace(day=1),
        )
        .order_by("-effective_on")
        .first()
    )
    if rate is None:
        raise ApplicationError(
            _(
                "No exchange rate for %(currency)s on %(date)s: load the UN operational rate of "
                "exchange for %(currency)s for %(month)s first."
            )
            % {"currency": currency, "date": on.isoformat(), "month": on.strftime("%Y-%m")},
            {
                "field": "value_date",
                "missing_rate": {"currency": currency, "month": on.strftime("%Y-%m")},
            },
        )
    return rate


def exchange_rate_list(*, currency: str = "") -> QuerySet[ExchangeRate]:
    rates = ExchangeRate.objects.order_by("currency", "-effective_on")
    return rates.filter(currency=currency) if currency else rates


def commitment_deposited(*, commitment: Commitment) -> tuple[Decimal, Decimal]:
    """Deposited so far against a commitment, not counting reversed deposits.

    Returns (amount in the donor's currency, amount in USD)."""
    totals = Deposit.objects.filter(
        commitment=commitment, posting__reversed_by__isnull=True
    ).aggregate(amount=Coalesce(Sum("amount"), ZERO), usd=Coalesce(Sum("amount_usd"), ZERO))
    return round_cents(totals["amount"]), round_cents(totals["usd"])


def commitment_list(
    *, fund: Fund, donor_ids: set[int] | None = None, with_instalments: bool = False
) -> list[dict]:
    """Each live commitment with what was deposited and the differences, in two queries (a third
    for the instalment schedules when ``with_instalments``)."""
    commitments = (
        Commitment.objects.filter(fund=fund, posting__reversed_by__isnull=True)
        .select_related("donor", "thematic_area")
        .annotate(
            deposited=Coalesce(
                Sum("deposits__amount", filter=Q(deposits__posting__reversed_by__isnull=True)), ZERO
            ),
            deposited_usd=Coalesce(
                Sum("deposits__amount_usd", filter=Q(deposits__posting__reversed_by__isnull=True)),
                ZERO,
            ),
        )
        .order_by("signed_on", "pk")
    )
    if donor_ids is not None:
        commitments = commitments.filter(donor_id__in=donor_ids)
    if with_instalments:
        commitments = commitments.prefetch_related("instalments")
    return [
        {
            "commitment": commitment,
            "deposited": round_cents(commitment.deposited),
            "outstanding": round_cents(commitment.amount - commitment.deposited),
            "deposited_usd": round_cents(commitment.deposited_usd),
            # Committed USD (at the signing date's rate) minus deposited USD (at each value
            # date's rate): outstanding money plus exchange differences, shown, never hidden.
            "difference_usd": round_cents(commitment.amount_usd - commitment.deposited_usd),
        }
        for commitment in commitments
    ]


def posting_rows(*, fund: Fund, kinds: list[str] | None = None, limit: int = 200) -> list[Posting]:
    """The latest postings of ``fund`` (of ``kinds``), newest first, for the books' screens:
    each with ``amount`` (the sum moved: its largest debit), its parties, allocation, reversal
    and original, in one query."""
    postings = (
        Posting.objects.filter(fund=fund)
        .select_related("donor", "organisation", "allocation", "reversal_of", "reversed_by")
        # The amount moved: the largest debit (a transfer debits two accounts by the same sum).
        .annotate(amount=Coalesce(Max("lines__amount", filter=Q(lines__amount__gt=0)), ZERO))
        .order_by("-value_date", "-pk")
    )
    if kinds:
        postings = postings.filter(kind__in=kinds)
    return list(postings[:limit])


def posting_get(*, fund: Fund, posting_id: int) -> Posting:
    """One posting of ``fund`` with its lines, or ``NotFoundError``."""
    posting = (
        Posting.objects.filter(fund=fund, pk=posting_id)
        .select_related("donor", "organisation", "allocation", "reversal_of", "reversed_by")
        .prefetch_related("lines__account__party")
        .first()
    )
    if posting is None:
        raise NotFoundError(_("This fund has no posting %(id)s.") % {"id": posting_id})
    return posting


def exchange_rate_months() -> list[datetime.date]:
    """The months that have rates (first day of each), newest first."""
    dates = ExchangeRate.objects.order_by().values_list("effective_on", flat=True).distinct()
    return sorted({day.replace(day=1) for day in dates}, reverse=True)


def exchange_rate_month_list(*, month: datetime.date) -> QuerySet[ExchangeRate]:
    """The rates set in ``month`` (any day of it), by currency then date."""
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return ExchangeRate.objects.filter(
        effective_on__gte=first, effective_on__lt=following
    ).order_by("currency", "effective_on")


def posting_list(*, fund: Fund) -> QuerySet[Posting]:
    return (
        Posting.objects.filter(fund=fund)
        .select_related("donor", "organisation", "reversal_of")
        .prefetch_related("lines__account__party")
        .order_by("value_date", "pk")
    )


def ledger_lines(*, fund: Fund, donor_ids: set[int] | None = None) -> QuerySet[PostingLine]:
    """The ledger's lines, oldest first, for listing and download (streamed with ``iterator``)."""
    lines = (
        PostingLine.objects.filter(fund=fund)
        .select_related("account__party", "posting")
        .order_by("value_date", "posting_id", "pk")
    )
    if donor_ids is not None:
        lines = lines.filter(posting__donor_id__in=donor_ids)
    return lines


def unbalanced_postings(*, fund: Fund) -> list[dict]:
    """Postings whose lines do not sum to zero in some currency (should always be empty)."""
    rows = (
        PostingLine.objects.filter(fund=fund)
        .values("posting_id", "currency")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .order_by("posting_id")
    )
    return list(rows)


# --- The factsheet ---------------------------------------------------------------------------

FACTSHEET_LINES = [
    "commitments",
    "deposits",
    "interest_fund",
    "interest_po",
    "transfers",
    "refunds",
    "fee",
    "direct_costs",
    "bank_charges",
    "expenditure",
]

# (account code, posting kind, sign): the factsheet line each ledger movement feeds. A reversal
# carries its original's kind and the opposite amounts, so it nets out of the same line.
_FLOW_SOURCES: dict[str, tuple[str, str, int]] = {
    "commitments": (AccountCode.CONTRIBUTIONS, PostingKind.COMMITMENT, -1),
    "deposits": (AccountCode.COMMITMENTS_RECEIVABLE, PostingKind.DEPOSIT, -1),
    "transfers": (AccountCode.TRANSFERS, PostingKind.TRANSFER, 1),
    "refunds": (AccountCode.REFUNDS, PostingKind.REFUND, -1),
    "fee": (AccountCode.AA_FEE, PostingKind.FEE, 1),
    "direct_costs": (AccountCode.DIRECT_COSTS, PostingKind.DIRECT_COST, 1),
    "bank_charges": (AccountCode.BANK_CHARGES, PostingKind.BANK_CHARGE, 1),
    "expenditure": (AccountCode.PO_EXPENDITURE, PostingKind.EXPENDITURE, 1),
}


def _empty() -> dict[str, Decimal]:
    return {name: ZERO for name in FACTSHEET_LINES}


def _classify(
    code: str, kind: str, party_id: int | None, amount: Decimal
) -> tuple[str, Decimal] | None:
    if code == AccountCode.INTEREST and kind == PostingKind.INTEREST:
        return ("interest_fund" if party_id is None else "interest_po"), -amount
    for name, (source_code, source_kind, sign) in _FLOW_SOURCES.items():
        if code == source_code and kind == source_kind:
            return name, sign * amount
    return None


def _delivery_rate(expenditure: Decimal, transfers: Decimal, refunds: Decimal) -> Decimal | None:
    net = transfers - refunds
    if net <= 0:
        return None
    return (expenditure * 100 / net).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


def _derived(figures: dict[str, Decimal]) -> dict[str, Decimal | None]:
    """The balances and rates the gateway shows, computed from the flows (docs/fund.md)."""
    balance_aa = (
        figures["deposits"]
        + figures["interest_fund"]
        + figures["refunds"]
        - figures["transfers"]
        - figures["fee"]
        - figures["direct_costs"]
        - figures["bank_charges"]
    )
    balance_po = (
        figures["transfers"] - figures["refunds"] + figures["interest_po"] - figures["expenditure"]
    )
    return {
        "balance_with_aa": balance_aa,
        "balance_with_pos": balance_po,
        "undeposited_commitments": figures["commitments"] - figures["deposits"],
        "delivery_rate": _delivery_rate(
            figures["expenditure"], figures["transfers"], figures["refunds"]
        ),
        "balance_with_aa_pct_of_deposits": (
            (balance_aa * 100 / figures["deposits"]).quantize(Decimal("0.01"), ROUND_HALF_EVEN)
            if figures["deposits"] > 0
            else None
        ),
    }


@dataclass
class Factsheet:
    """The gateway's lines for one fund and period, with their breakdowns."""

    fund: Fund
    date_from: datetime.date | None
    date_to: datetime.date | None
    totals: dict[str, Decimal | None]
    by_donor: list[dict] = field(default_factory=list)
    by_organisation: list[dict] = field(default_factory=list)
    by_year: list[dict] = field(default_factory=list)
    account_balances: dict[tuple[str, int | None], Decimal] = field(default_factory=dict)

    def as_dict(self) -> dict:
        def fmt(value):
            return None if value is None else str(value)

        return {
            "fund": self.fund.code,
            "currency": self.fund.currency,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "is_illustrative": self.fund.is_illustrative,
            "is_synthetic": self.fund.is_synthetic,
            "totals": {key: fmt(value) for key, value in self.totals.items()},
            "by_donor": [
                {**row, **{k: fmt(v) for k, v in row.items() if isinstance(v, Decimal)}}
                for row in self.by_donor
            ],
            "by_organisation": [
                {**row, **{k: fmt(v) for k, v in row.items() if isinstance(v, Decimal)}}
                for row in self.by_organisation
            ],
            "by_year": [
                {**row, **{k: fmt(v) for k, v in row.items() if isinstance(v, Decimal)}}
                for row in self.by_year
            ],
        }


def factsheet_get(
    *,
    fund: Fund,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> Factsheet:
    """The factsheet of ``fund`` for value dates in [date_from, date_to] (both optional).

    Two aggregate queries whatever the data size (plus one for the parties' names): the lines
    grouped by account, party, kind and year, summed by the database.
    """
    if date_from and date_to and date_from > date_to:
        raise ApplicationError(_("The period starts after it ends."), {"field": "date_from"})
    # ``account__fund`` repeats what ``fund`` implies: without it PostgreSQL hash-joins the
    # lines to every fund's accounts (a sequential scan that grows with the portfolio: 67 ms
    # instead of 12 ms for one fund at scale 10); with it, it reads the fund's few accounts.
    lines = PostingLine.objects.filter(fund=fund, account__fund=fund)
    if date_from:
        lines = lines.filter(value_date__gte=date_from)
    if date_to:
        lines = lines.filter(value_date__lte=date_to)
    rows = list(
        lines.values("account__code", "account__party_id", "kind")
        .annotate(year=_Year("value_date"), total=Sum("amount"))
        .order_by()
    )
    totals = _empty()
    donors: dict[int, dict[str, Decimal]] = defaultdict(_empty)
    organisations: dict[int, dict[str, Decimal]] = defaultdict(_empty)
    years: dict[int, dict[str, Decimal]] = defaultdict(_empty)
    for row in rows:
        classified = _classify(
            row["account__code"], row["kind"], row["account__party_id"], round_cents(row["total"])
        )
        if classified is None:
            continue
        name, value = classified
        totals[name] += value
        years[row["year"]][name] += value
        party = row["account__party_id"]
        if party is None:
            continue
        if name in {"commitments", "deposits"}:
            donors[party][name] += value
        elif name in {"transfers", "refunds", "expenditure", "interest_po"}:
            organisations[party][name] += value

    if date_from is None:
        # The period starts with the fund: the balances are the sums of the rows above.
        balances = defaultdict(lambda: ZERO)
        for row in rows:
            balances[(row["account__code"], row["account__party_id"])] += round_cents(row["total"])
        balances = dict(balances)
    else:
        balances_qs = PostingLine.objects.filter(fund=fund, account__fund=fund)
        if date_to:
            balances_qs = balances_qs.filter(value_date__lte=date_to)
        balances = {
            (row["account__code"], row["account__party_id"]): round_cents(row["total"])
            for row in balances_qs.values("account__code", "account__party_id")
            .annotate(total=Sum("amount"))
            .order_by()
        }

    from compacts.actors.models import Organisation

    names = {
        org.pk: org
        for org in Organisation.objects.filter(pk__in=set(donors) | set(organisations)).only(
            "name", "short_name", "is_illustrative"
        )
    }

    def party_row(party_id: int, figures: dict[str, Decimal], keys: list[str]) -> dict:
        org = names.get(party_id)
        return {
            "id": party_id,
            "name": str(org) if org else "",
            "is_illustrative": bool(org and org.is_illustrative),
            **{key: figures[key] for key in keys},
        }

    donor_keys = ["commitments", "deposits"]
    by_donor = sorted(
        (
            {
                **party_row(pk, figures, donor_keys),
                "undeposited_commitments": figures["commitments"] - figures["deposits"],
            }
            for pk, figures in donors.items()
        ),
        key=lambda row: (-row["deposits"], row["name"]),
    )
    org_keys = ["transfers", "refunds", "interest_po", "expenditure"]
    by_organisation = sorted(
        (
            {
                **party_row(pk, figures, org_keys),
                "balance": figures["transfers"]
                - figures["refunds"]
                + figures["interest_po"]
                - figures["expenditure"],
                "delivery_rate": _delivery_rate(
                    figures["expenditure"], figures["transfers"], figures["refunds"]
                ),
            }
            for pk, figures in organisations.items()
        ),
        key=lambda row: (-row["transfers"], row["name"]),
    )
    by_year = [
        {"year": year, **figures, **_derived(figures)} for year, figures in sorted(years.items())
    ]
    return Factsheet(
        fund=fund,
        date_from=date_from,
        date_to=date_to,
        totals={**totals, **_derived(totals)},
        by_donor=by_donor,
        by_organisation=by_organisation,
        by_year=by_year,
        account_balances=balances,
    )


@dataclass
class ReconcileCheck:
    name: str
    expected: Decimal
    actual: Decimal

    @property
    def ok(self) -> bool:
        return self.expected == self.actual


def fund_reconcile(*, fund: Fund) -> tuple[Factsheet, list[ReconcileCheck], list[dict]]:
    """Check the factsheet's identities and every account balance against the postings.

    Returns the factsheet (whole life of the fund), the checks, and any unbalanced postings.
    Each account balance is recomputed from the lines independently of the factsheet's grouping.
    """
    sheet = factsheet_get(fund=fund)
    t = sheet.totals
    direct = {
        (row["account__code"], row["account__party_id"]): round_cents(row["total"])
        for row in PostingLine.objects.filter(fund=fund)
        .values("account__code", "account__party_id")
        .annotate(total=Sum("amount"))
        .order_by()
    }

    def balance(code: str) -> Decimal:
        return sum((v for (c, _p), v in direct.items() if c == code), ZERO)

    def party_balance(code: str, party: int | None) -> Decimal:
        return direct.get((code, party), ZERO)

    checks = [
        ReconcileCheck("ledger: sum of all lines is zero", ZERO, sum(direct.values(), ZERO)),
        ReconcileCheck(
            "cash = balance with the administrative agent",
            t["balance_with_aa"],
            balance(AccountCode.CASH),
        ),
        ReconcileCheck(
            "commitments receivable = commitments - deposits",
            t["undeposited_commitments"],
            balance(AccountCode.COMMITMENTS_RECEIVABLE),
        ),
        ReconcileCheck(
            "contributions account = -commitments",
            -t["commitments"],
            balance(AccountCode.CONTRIBUTIONS),
        ),
        ReconcileCheck(
            "interest account = -(interest of the fund + interest of organisations)",
            -(t["interest_fund"] + t["interest_po"]),
            balance(AccountCode.INTEREST),
        ),
        ReconcileCheck("fee account = fee", t["fee"], balance(AccountCode.AA_FEE)),
        ReconcileCheck(
            "direct costs account = direct costs",
            t["direct_costs"],
            balance(AccountCode.DIRECT_COSTS),
        ),
        ReconcileCheck(
            "bank charges account = bank charges",
            t["bank_charges"],
            balance(AccountCode.BANK_CHARGES),
        ),
        ReconcileCheck(
            "transfers account = transfers", t["transfers"], balance(AccountCode.TRANSFERS)
        ),
        ReconcileCheck("refunds account = -refunds", -t["refunds"], balance(AccountCode.REFUNDS)),
        ReconcileCheck(
            "balances with organisations = transfers - refunds + their interest - expenditure",
            t["balance_with_pos"],
            balance(AccountCode.PO_BALANCE),
        ),
        ReconcileCheck(
            "funds received by organisations = -(transfers - refunds)",
            -(t["transfers"] - t["refunds"]),
            balance(AccountCode.PO_FUNDING),
        ),
        ReconcileCheck(
            "expenditure account = expenditure",
            t["expenditure"],
            balance(AccountCode.PO_EXPENDITURE),
        ),
    ]
    fee_total = Deposit.objects.filter(fund=fund, posting__reversed_by__isnull=True).aggregate(
        total=Coalesce(Sum("fee_usd"), ZERO)
    )["total"]
    checks.append(ReconcileCheck("fee = sum of the fees of live deposits", fee_total, t["fee"]))
    deposit_total = Deposit.objects.filter(fund=fund, posting__reversed_by__isnull=True).aggregate(
        total=Coalesce(Sum("amount_usd"), ZERO)
    )["total"]
    checks.append(
        ReconcileCheck("deposits = sum of live deposit records", deposit_total, t["deposits"])
    )
    for row in sheet.by_organisation:
        checks.append(
            ReconcileCheck(
                f"balance with {row['name']} (#{row['id']})",
                row["balance"],
                party_balance(AccountCode.PO_BALANCE, row["id"]),
            )
        )
    for (code, party), value in sorted(
        direct.items(), key=lambda item: (item[0][0], item[0][1] or 0)
    ):
        if code in (AccountCode.CASH, AccountCode.PO_BALANCE) and value < 0:
            checks.append(ReconcileCheck(f"{code} #{party} is not negative", ZERO, value))
    return sheet, checks, unbalanced_postings(fund=fund)


def fund_get_for_user(*, user, code: str, operation: str = "fund.view") -> Fund:
    """The fund, after the permission layer allows ``operation`` on it."""
    from compacts.core.permissions import require

    fund = fund_get(code=code)
    require(user, operation, fund)
    return fund


def allocation_get(*, fund: Fund, allocation_id: int) -> Allocation:
    return get_object_or_404(
        Allocation.objects.select_related("fund", "organisation"), fund=fund, pk=allocation_id
    )


def account_get_or_none(*, fund: Fund, code: str, party_id: int | None) -> Account | None:
    return Account.objects.filter(fund=fund, code=code, party_id=party_id).first()


def portfolio_totals() -> dict[int, dict[str, Decimal | None]]:
    """The factsheet's totals for every fund at once, keyed by fund id: one aggregate query."""
    rows = (
        PostingLine.objects.values(
            "fund_id", "account__code", "kind", fund_level=Q(account__party_id__isnull=True)
        )
        .annotate(total=Sum("amount"))
        .order_by()
    )
    funds: dict[int, dict[str, Decimal]] = defaultdict(_empty)
    for row in rows:
        party = None if row["fund_level"] else 0  # only "is there a party" matters here
        classified = _classify(row["account__code"], row["kind"], party, round_cents(row["total"]))
        if classified is not None:
            funds[row["fund_id"]][classified[0]] += classified[1]
    return {fund_id: {**figures, **_derived(figures)} for fund_id, figures in funds.items()}
