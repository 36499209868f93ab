"""Writes of the fund app. Every money movement goes through ``posting_create``, the one place
that enforces balanced postings, idempotency keys and non-negative balances (docs/fund.md).

Each service is keyword-only, atomic and audited; bad input raises ``ApplicationError`` before
anything is written, and a refused call leaves the database as it was.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from compacts.core.changes import announce
from compacts.core.exceptions import ApplicationError, ConflictError
from compacts.core.money import (
    ZERO,
    amount_parse,
    convert_to_reporting,
    currency_validate,
    percentage_of,
    rate_parse,
    round_cents,
)
from compacts.core.permissions import allowed, require
from compacts.core.services import ActingFor, audit_record, model_values
from compacts.fund.locks import lock_fund, lock_fund_and_allocation
from compacts.fund.models import (
    NON_NEGATIVE_ACCOUNTS,
    PARTY_ACCOUNTS,
    Account,
    AccountCode,
    Allocation,
    Commitment,
    CommitmentInstalment,
    Deposit,
    ExchangeRate,
    Fund,
    FundParticipant,
    Pledge,
    Posting,
    PostingKind,
    PostingLine,
)
from compacts.fund.permissions import AA, DELEGATIONS
from compacts.fund.selectors import (
    allocation_spent,
    allocation_transferred,
    commitment_deposited,
    exchange_rate_for,
    fund_participates,
)

MAX_KEY_LENGTH = 100
# Allocations the programme cycle makes name this source (programmes.services._fund_programme).
PROGRAMME_SOURCE = "programmes.programme"


@dataclass(frozen=True)
class Authority:
    """The permission of a calling app under which its service calls a fund service, e.g.
    ``Authority("programmes.tranche.transfer", programme)``. Only the operations listed in
    ``compacts.fund.permissions.DELEGATIONS`` for the fund operation are accepted."""

    operation: str
    obj: object = None


def _authorise(
    actor,
    operation: str,
    obj=None,
    *,
    authority: Authority | None = None,
    delegable: bool = False,
) -> str:
    """Refuse (``PermissionDeniedError``) unless ``actor`` may do ``operation`` on ``obj``.

    ``actor=None`` is the system (demonstration data, ``compacts seed``, reference loads) and is
    not checked. A person passes with the fund's own rule, or with one of the operations the
    fund delegates to a calling app (``DELEGATIONS``) when the call is ``delegable`` (it comes
    from that app: an allocation of the programme cycle, a report's expenditure). Returns the
    operation that allowed it (empty for the system), which the audit record keeps.
    """
    if actor is None:
        return ""
    if allowed(actor, operation, obj):
        return operation
    delegated = DELEGATIONS.get(operation, ()) if delegable else ()
    if authority is not None and authority.operation not in delegated:
        raise ValueError(f"{authority.operation} does not authorise {operation} here.")
    candidates = (authority.operation,) if authority is not None else delegated
    for candidate in candidates:
        if allowed(actor, candidate, authority.obj if authority is not None else None):
            return candidate
    require(actor, operation, obj)  # raises PermissionDeniedError
    return operation  # pragma: no cover - require raised


def _acting_for(organisation) -> ActingFor | None:
    """The organisation on whose behalf the record is made (for the audit trail)."""
    if organisation is None:
        return None
    return ActingFor(organisation.pk, str(organisation)[:300])


def _agent_of(fund: Fund) -> ActingFor | None:
    return _acting_for(fund.administrative_agent)


def _authorised(after: dict, operation: str, used: str) -> dict:
    """``after`` of an audit record, naming the delegated permission when one was used."""
    if used and used != operation:
        return {**after, "authorised_by": used}
    return after


def _announce(fund: Fund | None) -> None:
    """The public figures of ``fund`` (or of every fund, for exchange rates) change on commit."""
    announce("fund", fund_id=fund.pk if fund is not None else None)


@dataclass(frozen=True)
class Line:
    """One line to post: positive ``amount`` is a debit, negative a credit."""

    code: str
    amount: Decimal
    party_id: int | None = None


def _account(fund: Fund, code: str, party_id: int | None) -> Account:
    if (code in PARTY_ACCOUNTS) is False and party_id is not None:
        raise ValueError(f"The account {code} is not kept per party.")
    account, _created = Account.objects.get_or_create(fund=fund, code=code, party_id=party_id)
    return account


def _accounts(fund: Fund, keys: set[tuple[str, int | None]]) -> dict:
    """The accounts for ``(code, party_id)`` keys, in one query, creating the missing ones."""
    found = {
        (account.code, account.party_id): account
        for account in Account.objects.filter(fund=fund, code__in={code for code, _p in keys})
        if (account.code, account.party_id) in keys
    }
    for code, party_id in keys - set(found):
        found[(code, party_id)] = _account(fund, code, party_id)
    return found


def _key(idempotency_key: str) -> str:
    key = (idempotency_key or "").strip()
    if len(key) > MAX_KEY_LENGTH:
        raise ApplicationError(
            _("An idempotency key has at most %(max)s characters.") % {"max": MAX_KEY_LENGTH},
            {"field": "idempotency_key"},
        )
    return key


def _refuse_repeat(fund: Fund, key: str) -> None:
    if not key:
        return
    original = Posting.objects.filter(fund=fund, idempotency_key=key).first()
    if original is not None:
        raise ConflictError(
            _(
                "This was already recorded: the idempotency key %(key)s belongs to posting "
                "#%(posting)s of %(date)s. Nothing was posted again."
            )
            % {"key": key, "posting": original.pk, "date": original.value_date.isoformat()},
            {"field": "idempotency_key", "posting": original.pk},
        )


def _value_date(value_date) -> datetime.date:
    if isinstance(value_date, datetime.datetime) or not isinstance(value_date, datetime.date):
        raise ApplicationError(_("A value date is required."), {"field": "value_date"})
    return value_date


def posting_create(
    *,
    fund: Fund,
    kind: str,
    value_date: datetime.date,
    lines: list[Line],
    actor,
    description: str = "",
    donor_id: int | None = None,
    organisation_id: int | None = None,
    allocation: Allocation | None = None,
    idempotency_key: str = "",
    reversal_of: Posting | None = None,
    related_to: Posting | None = None,
    currency: str | None = None,
    is_synthetic: bool = False,
) -> Posting:
    """Write one balanced posting: the only code that creates ledger rows.

    Checks, under the fund's row lock, that the lines are non-zero and balance, that the
    idempotency key is new, and that no cash or organisation balance would go below zero.
    Callers audit the business event; this function writes no audit record of its own.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("posting_create must run inside the caller's transaction.")
    currency = currency or fund.currency
    if kind not in PostingKind.values:
        raise ValueError(f"Unknown posting kind {kind!r}.")
    if not lines:
        raise ApplicationError(_("A posting needs lines."))
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        if not isinstance(line.amount, Decimal) or line.amount == 0:
            raise ApplicationError(_("A posting line cannot be zero."), {"line": line.code})
        if line.amount != line.amount.quantize(Decimal("0.01")):
            raise ApplicationError(_("A posting line must be in whole cents."), {"line": line.code})
        totals[currency] += line.amount
    unbalanced = {cur: str(total) for cur, total in totals.items() if total != 0}
    if unbalanced:
        raise ApplicationError(
            _("The posting does not balance: debits and credits differ."),
            {"difference": unbalanced},
        )
    key = _key(idempotency_key)
    fund = lock_fund(fund)
    _refuse_repeat(fund, key)

    accounts = _accounts(fund, {(line.code, line.party_id) for line in lines})
    # Non-negative balances: checked for every guarded account this posting credits.
    net: dict[tuple[str, int | None], Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        net[(line.code, line.party_id)] += line.amount
    for (code, party_id), change in net.items():
        if code in NON_NEGATIVE_ACCOUNTS and change < 0:
            account = accounts[(code, party_id)]
            current = round_cents(
                PostingLine.objects.filter(account=account).aggregate(
                    total=Coalesce(Sum("amount"), ZERO)
                )["total"]
            )
            if current + change < 0:
                raise ApplicationError(
                    _(
                        "Not enough money: %(account)s holds %(available)s %(currency)s, "
                        "%(needed)s %(currency)s are needed."
                    )
                    % {
                        "account": AccountCode(code).label,
                        "available": current,
                        "needed": -change,
                        "currency": currency,
                    },
                    {"available": str(current), "needed": str(-change), "account": code},
                )
    try:
        with transaction.atomic():
            posting = Posting.objects.create(
                fund=fund,
                kind=kind,
                value_date=value_date,
                description=description[:500],
                donor_id=donor_id,
                organisation_id=organisation_id,
                allocation=allocation,
                idempotency_key=key,
                reversal_of=reversal_of,
                related_to=related_to,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                is_synthetic=is_synthetic,
            )
    except IntegrityError:
        # A concurrent writer used the same key (or reversed the same posting) first.
        _refuse_repeat(fund, key)
        raise ConflictError(_("This posting was already reversed.")) from None
    PostingLine.objects.bulk_create(
        [
            PostingLine(
                posting=posting,
                account=accounts[(line.code, line.party_id)],
                fund=fund,
                kind=kind,
                value_date=value_date,
                amount=line.amount,
                currency=currency,
            )
            for line in lines
        ]
    )
    return posting


def _posting_after(posting: Posting, lines: list[Line]) -> dict:
    return {
        "posting": posting.pk,
        "kind": posting.kind,
        "value_date": posting.value_date,
        "lines": [[line.code, line.party_id, str(line.amount)] for line in lines],
    }


# --- Funds and participants -------------------------------------------------------------------


def _rate_value(value, field: str) -> Decimal:
    try:
        rate = Decimal(str(value))
    except ArithmeticError:
        raise ApplicationError(
            _("%(value)s is not a rate.") % {"value": value}, {"field": field}
        ) from None
    if not rate.is_finite() or rate < 0 or rate >= 1:
        raise ApplicationError(
            _("A rate is a fraction from 0 to below 1 (0.01 is 1%%); got %(value)s.")
            % {"value": value},
            {"field": field},
        )
    if rate != rate.quantize(Decimal("0.0001")):
        raise ApplicationError(_("A rate has at most 4 decimals."), {"field": field})
    return rate


@transaction.atomic
def fund_create(
    *,
    code: str,
    name: str,
    administrative_agent,
    actor,
    currency: str = "USD",
    fee_rate: Decimal | str = Decimal("0.01"),
    indirect_support_cost_rate: Decimal | str = Decimal("0.07"),
    is_illustrative: bool = False,
    is_synthetic: bool = False,
) -> Fund:
    """Create a pooled fund with its administrative agent and its (editable) rates
    (administrators, ``fund.fund.create``)."""
    _authorise(actor, "fund.fund.create")
    code = (code or "").strip()
    if not code:
        raise ApplicationError(_("A fund needs a code."), {"field": "code"})
    if Fund.objects.filter(code=code).exists():
        raise ConflictError(
            _("A fund with the code %(code)s exists.") % {"code": code}, {"field": "code"}
        )
    fund = Fund.objects.create(
        code=code,
        name=name.strip() or code,
        administrative_agent=administrative_agent,
        currency=currency_validate(currency),
        fee_rate=_rate_value(fee_rate, "fee_rate"),
        indirect_support_cost_rate=_rate_value(
            indirect_support_cost_rate, "indirect_support_cost_rate"
        ),
        is_illustrative=is_illustrative,
        is_synthetic=is_synthetic,
    )
    audit_record(
        actor=actor,
        action="fund.fund.create",
        obj=fund,
        after=model_values(
            fund,
            [
                "code",
                "name",
                "administrative_agent",
                "currency",
                "fee_rate",
                "indirect_support_cost_rate",
            ],
        ),
        acting_for=_acting_for(administrative_agent),
    )
    _announce(fund)
    return fund


@transaction.atomic
def fund_rates_update(
    *, fund: Fund, fee_rate, indirect_support_cost_rate, confirmed: bool, actor
) -> Fund:
    """Change the fund's fee and indirect-support-cost rates (future deposits use the new fee);
    administrators only (``fund.rates.update``)."""
    _authorise(actor, "fund.rates.update", fund)
    fund = lock_fund(fund)
    fields = ["fee_rate", "indirect_support_cost_rate", "rates_confirmed"]
    before = model_values(fund, fields)
    fund.fee_rate = _rate_value(fee_rate, "fee_rate")
    fund.indirect_support_cost_rate = _rate_value(
        indirect_support_cost_rate, "indirect_support_cost_rate"
    )
    fund.rates_confirmed = bool(confirmed)
    fund.save(update_fields=[*fields, "updated_at"])
    audit_record(
        actor=actor,
        action="fund.fund.rates_update",
        obj=fund,
        before=before,
        after=model_values(fund, fields),
        acting_for=_agent_of(fund),
    )
    _announce(fund)
    return fund


@transaction.atomic
def participant_add(*, fund: Fund, organisation, actor) -> FundParticipant:
    """Admit an organisation as a participating organisation of the fund (idempotent)."""
    _authorise(actor, "fund.participant.add", fund)
    participant, created = FundParticipant.objects.get_or_create(
        fund=fund, organisation=organisation
    )
    if created:
        audit_record(
            actor=actor,
            action="fund.participant.add",
            obj=participant,
            after={"fund": fund.code, "organisation": organisation.pk},
            acting_for=_agent_of(fund),
        )
        _announce(fund)
    return participant


# --- Exchange rates ---------------------------------------------------------------------------


def _actor_agent(actor) -> ActingFor | None:
    """The administrative agent a person loads rates for (rates are not kept per fund)."""
    from compacts.actors.models import Organisation
    from compacts.actors.selectors import user_organisation_ids

    if actor is None:
        return None
    ids = user_organisation_ids(actor, role_codes=[AA])
    if not ids:
        return None
    return _acting_for(Organisation.objects.filter(pk=min(ids)).first())


def _rate_write(
    *,
    currency: str,
    effective_on: datetime.date,
    rate,
    source: str,
    actor,
    acting_for: ActingFor | None,
    is_illustrative: bool,
) -> ExchangeRate:
    currency = currency_validate(currency)
    rate_value = rate_parse(rate)
    source = (source or "").strip()
    if not source:
        raise ApplicationError(_("Say where the rate comes from."), {"field": "source"})
    _value_date(effective_on)
    existing = ExchangeRate.objects.filter(currency=currency, effective_on=effective_on).first()
    if existing is not None and existing.rate == rate_value and existing.source == source:
        return existing
    before = model_values(existing, ["rate", "source"]) if existing else None
    if existing is None:
        existing = ExchangeRate.objects.create(
            currency=currency,
            effective_on=effective_on,
            rate=rate_value,
            source=source[:200],
            is_illustrative=is_illustrative,
        )
    else:
        existing.rate, existing.source = rate_value, source[:200]
        existing.save(update_fields=["rate", "source", "updated_at"])
    audit_record(
        actor=actor,
        action="fund.exchange_rate.set",
        obj=existing,
        before=before,
        after=model_values(existing, ["currency", "effective_on", "rate", "source"]),
        acting_for=acting_for,
    )
    return existing


@transaction.atomic
def exchange_rate_set(
    *,
    currency: str,
    effective_on: datetime.date,
    rate,
    source: str,
    actor,
    is_illustrative: bool = False,
) -> ExchangeRate:
    """Record a rate (units of ``currency`` per US dollar). Entries already posted keep the rate
    stored on them, so a correction here changes only later postings.

    Administrative agents and administrators (``fund.exchange_rate.load``)."""
    _authorise(actor, "fund.exchange_rate.load")
    rate = _rate_write(
        currency=currency,
        effective_on=effective_on,
        rate=rate,
        source=source,
        actor=actor,
        acting_for=_actor_agent(actor),
        is_illustrative=is_illustrative,
    )
    _announce(None)
    return rate


RATE_CSV_COLUMNS = ("currency", "effective_on", "rate")


@dataclass(frozen=True)
class RateRow:
    """One checked row of a rates file: ``line`` is its line number in the file."""

    line: int
    currency: str
    effective_on: datetime.date
    rate: Decimal
    source: str


def exchange_rates_check_csv(*, text: str, source: str) -> tuple[list[RateRow], list[dict]]:
    """Check every row of a rates file (columns ``currency,effective_on,rate``, optional
    ``source``) without writing anything.

    Returns the good rows and the errors, one ``{"line", "message", "value"}`` per bad row (the
    whole file is read, so that staff fix every row at once). Pure: no query, no write.
    """
    reader = csv.DictReader(io.StringIO((text or "").lstrip("\ufeff")))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [name for name in RATE_CSV_COLUMNS if name not in header]
    if missing:
        return [], [
            {
                "line": 1,
                "message": _("The rates file lacks the column(s): %(columns)s.")
                % {"columns": ", ".join(missing)},
                "value": ",".join(header),
            }
        ]
    rows: list[RateRow] = []
    errors: list[dict] = []
    seen: dict[tuple[str, datetime.date], int] = {}
    for row in reader:
        line = reader.line_num
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}
        if not any(row.values()):
            continue  # a blank line
        raw = ",".join(row.get(name, "") for name in RATE_CSV_COLUMNS)
        try:
            try:
                effective_on = datetime.date.fromisoformat(row["effective_on"])
            except ValueError:
                raise ApplicationError(
                    _("%(value)s is not a date (YYYY-MM-DD).") % {"value": row["effective_on"]},
                    {"field": "effective_on"},
                ) from None
            currency = currency_validate(row["currency"].upper())
            rate = rate_parse(row["rate"])
            row_source = (row.get("source") or source or "").strip()
            if not row_source:
                raise ApplicationError(_("Say where the rate comes from."), {"field": "source"})
            if (currency, effective_on) in seen:
                raise ApplicationError(
                    _("%(currency)s on %(date)s is already on line %(line)s.")
                    % {
                        "currency": currency,
                        "date": effective_on.isoformat(),
                        "line": seen[(currency, effective_on)],
                    },
                    {"field": "effective_on"},
                )
        except ApplicationError as error:
            errors.append({"line": line, "message": error.message, "value": raw})
            continue
        seen[(currency, effective_on)] = line
        rows.append(RateRow(line, currency, effective_on, rate, row_source[:200]))
    if not rows and not errors:
        errors.append({"line": 1, "message": _("The rates file has no rows."), "value": ""})
    return rows, errors


@transaction.atomic
def exchange_rates_load_csv(*, text: str, source: str, actor, is_illustrative: bool = False) -> int:
    """Load a CSV of rates (columns ``currency,effective_on,rate``, optional ``source``).

    All or nothing: every row is checked first; with any bad row nothing is kept and the error
    names the first bad line, with every bad row in ``extra["errors"]``. Returns the number of
    rows loaded. Administrative agents and administrators (``fund.exchange_rate.load``).
    """
    _authorise(actor, "fund.exchange_rate.load")
    rows, errors = exchange_rates_check_csv(text=text, source=source)
    if errors:
        first = errors[0]
        raise ApplicationError(
            _("Line %(line)s: %(message)s") % {"line": first["line"], "message": first["message"]}
            if first["line"] > 1 or rows
            else first["message"],
            {"line": first["line"], "errors": errors},
        )
    acting_for = _actor_agent(actor)
    for row in rows:
        _rate_write(
            currency=row.currency,
            effective_on=row.effective_on,
            rate=row.rate,
            source=row.source,
            actor=actor,
            acting_for=acting_for,
            is_illustrative=is_illustrative,
        )
    _announce(None)
    return len(rows)


def _conversion(currency: str, on: datetime.date, fund: Fund) -> tuple[Decimal, str, datetime.date]:
    if currency == fund.currency:
        return Decimal(1), "same currency", on
    rate = exchange_rate_for(currency=currency, on=on)
    return rate.rate, rate.source, rate.effective_on


# --- Contributions ----------------------------------------------------------------------------


def _donor_check(donor) -> None:
    if donor is None or getattr(donor, "pk", None) is None:
        raise ApplicationError(_("Name the donor."), {"field": "donor"})


@transaction.atomic
def pledge_create(
    *,
    fund: Fund,
    donor,
    amount,
    currency: str,
    announced_on: datetime.date,
    actor,
    note: str = "",
    is_illustrative: bool = False,
) -> Pledge:
    """Record an announced contribution (nothing is posted: no agreement, no money)."""
    _authorise(actor, "fund.pledge.create", fund)
    _donor_check(donor)
    currency = currency_validate(currency)
    pledge = Pledge.objects.create(
        fund=fund,
        donor=donor,
        amount=amount_parse(amount, currency=currency),
        currency=currency,
        announced_on=_value_date(announced_on),
        note=note[:500],
        is_illustrative=is_illustrative,
    )
    audit_record(
        actor=actor,
        action="fund.pledge.create",
        obj=pledge,
        after=model_values(pledge, ["fund", "donor", "amount", "currency", "announced_on"]),
        acting_for=_agent_of(fund),
    )
    _announce(fund)
    return pledge


@transaction.atomic
def commitment_create(
    *,
    fund: Fund,
    donor,
    amount,
    currency: str,
    signed_on: datetime.date,
    actor,
    instalments: list[tuple[datetime.date, object]] | None = None,
    thematic_area=None,
    reference: str = "",
    idempotency_key: str = "",
    is_illustrative: bool = False,
) -> Commitment:
    """Record a signed contribution agreement and post it (receivable against contributions).

    The schedule of instalments must add up to the amount; without one, a single instalment is
    due on the signing date. The USD value uses the rate in force on the signing date.
    """
    _authorise(actor, "fund.commitment.create", fund)
    _donor_check(donor)
    currency = currency_validate(currency)
    amount = amount_parse(amount, currency=currency)
    signed_on = _value_date(signed_on)
    schedule = instalments or [(signed_on, amount)]
    parsed = [
        (_value_date(due), amount_parse(value, currency=currency, field="instalments"))
        for due, value in schedule
    ]
    if sum((value for _due, value in parsed), Decimal(0)) != amount:
        raise ApplicationError(
            _("The instalments add up to %(sum)s, not to the commitment's %(amount)s %(currency)s.")
            % {
                "sum": sum((v for _d, v in parsed), Decimal(0)),
                "amount": amount,
                "currency": currency,
            },
            {"field": "instalments"},
        )
    rate, rate_source, rate_date = _conversion(currency, signed_on, fund)
    amount_usd = convert_to_reporting(amount, rate=rate)
    lines = [
        Line(AccountCode.COMMITMENTS_RECEIVABLE, amount_usd, donor.pk),
        Line(AccountCode.CONTRIBUTIONS, -amount_usd, donor.pk),
    ]
    posting = posting_create(
        fund=fund,
        kind=PostingKind.COMMITMENT,
        value_date=signed_on,
        lines=lines,
        actor=actor,
        description=f"Commitment {reference}".strip(),
        donor_id=donor.pk,
        idempotency_key=idempotency_key,
        is_synthetic=fund.is_synthetic,
    )
    commitment = Commitment.objects.create(
        fund=fund,
        donor=donor,
        amount=amount,
        currency=currency,
        signed_on=signed_on,
        rate=rate,
        rate_source=rate_source,
        rate_date=rate_date,
        amount_usd=amount_usd,
        thematic_area=thematic_area,
        reference=reference[:100],
        posting=posting,
        is_illustrative=is_illustrative,
    )
    CommitmentInstalment.objects.bulk_create(
        [
            CommitmentInstalment(commitment=commitment, due_on=due, amount=value)
            for due, value in parsed
        ]
    )
    audit_record(
        actor=actor,
        action="fund.commitment.create",
        obj=commitment,
        after={
            **model_values(
                commitment,
                [
                    "fund",
                    "donor",
                    "amount",
                    "currency",
                    "signed_on",
                    "rate",
                    "rate_source",
                    "amount_usd",
                    "thematic_area",
                ],
            ),
            **_posting_after(posting, lines),
        },
        acting_for=_agent_of(fund),
    )
    _announce(fund)
    return commitment


@transaction.atomic
def deposit_create(
    *,
    commitment: Commitment,
    amount,
    currency: str,
    value_date: datetime.date,
    actor,
    idempotency_key: str,
) -> Deposit:
    """Record money received against a commitment, converted to USD at the value date's rate,
    and charge the administrative agent's fee on it (a second posting, in the same transaction).

    Refuses: another currency than the commitment's, no rate for the value date, more than the
    commitment still expects, and a repeated idempotency key.
    """
    fund = commitment.fund
    _authorise(actor, "fund.deposit.create", fund)
    currency = currency_validate(currency)
    if currency != commitment.currency:
        raise ApplicationError(
            _("This commitment is in %(expected)s; the deposit is in %(currency)s.")
            % {"expected": commitment.currency, "currency": currency},
            {"field": "currency"},
        )
    amount = amount_parse(amount, currency=currency)
    value_date = _value_date(value_date)
    key = _key(idempotency_key)
    if not key:
        raise ApplicationError(
            _("A deposit needs an idempotency key, so that recording it twice is refused."),
            {"field": "idempotency_key"},
        )
    if hasattr(commitment.posting, "reversed_by"):
        raise ApplicationError(_("This commitment was reversed."), {"field": "commitment"})
    fund = lock_fund(fund)
    _refuse_repeat(fund, key)
    deposited, _usd = commitment_deposited(commitment=commitment)
    outstanding = commitment.amount - deposited
    if amount > outstanding:
        raise ApplicationError(
            _(
                "The deposit of %(amount)s %(currency)s is more than the %(outstanding)s "
                "%(currency)s the commitment still expects."
            )
            % {"amount": amount, "currency": currency, "outstanding": outstanding},
            {"field": "amount", "outstanding": str(outstanding)},
        )
    rate, rate_source, rate_date = _conversion(currency, value_date, fund)
    amount_usd = convert_to_reporting(amount, rate=rate)
    donor_id = commitment.donor_id
    lines = [
        Line(AccountCode.CASH, amount_usd),
        Line(AccountCode.COMMITMENTS_RECEIVABLE, -amount_usd, donor_id),
    ]
    posting = posting_create(
        fund=fund,
        kind=PostingKind.DEPOSIT,
        value_date=value_date,
        lines=lines,
        actor=actor,
        description=f"Deposit {amount} {currency}",
        donor_id=donor_id,
        idempotency_key=key,
        is_synthetic=fund.is_synthetic,
    )
    fee_usd = percentage_of(amount_usd, rate=fund.fee_rate)
    if fee_usd > 0:
        posting_create(
            fund=fund,
            kind=PostingKind.FEE,
            value_date=value_date,
            lines=[Line(AccountCode.AA_FEE, fee_usd), Line(AccountCode.CASH, -fee_usd)],
            actor=actor,
            description=f"Administrative agent fee {fund.fee_rate * 100}%",
            donor_id=donor_id,
            related_to=posting,
            is_synthetic=fund.is_synthetic,
        )
    deposit = Deposit.objects.create(
        fund=fund,
        commitment=commitment,
        donor_id=donor_id,
        amount=amount,
        currency=currency,
        value_date=value_date,
        rate=rate,
        rate_source=rate_source,
        rate_date=rate_date,
        amount_usd=amount_usd,
        fee_usd=fee_usd,
        posting=posting,
    )
    audit_record(
        actor=actor,
        action="fund.deposit.create",
        obj=deposit,
        after={
            **model_values(
                deposit,
                [
                    "commitment",
                    "amount",
                    "currency",
                    "value_date",
                    "rate",
                    "rate_source",
                    "rate_date",
                    "amount_usd",
                    "fee_usd",
                ],
            ),
            **_posting_after(posting, lines),
            "idempotency_key": key,
        },
        acting_for=_agent_of(fund),
    )
    _announce(fund)
    return deposit


# --- Movements of the fund's cash -------------------------------------------------------------


def _simple_movement(
    *,
    fund: Fund,
    kind: str,
    lines_for,
    amount,
    value_date,
    actor,
    idempotency_key: str,
    description: str,
    action: str,
    acting_for: ActingFor | None,
    authorised_by: tuple[str, str] = ("", ""),
    organisation_id: int | None = None,
    allocation: Allocation | None = None,
) -> Posting:
    """One posting of ``lines_for(amount)``, audited as ``action`` for ``acting_for``
    (``authorised_by``: the fund operation and the permission that allowed it)."""
    amount_usd = amount_parse(amount, currency=fund.currency)
    value_date = _value_date(value_date)
    lines = lines_for(amount_usd)
    posting = posting_create(
        fund=fund,
        kind=kind,
        value_date=value_date,
        lines=lines,
        actor=actor,
        description=description,
        organisation_id=organisation_id,
        allocation=allocation,
        idempotency_key=idempotency_key,
        is_synthetic=fund.is_synthetic,
    )
    audit_record(
        actor=actor,
        action=action,
        obj=posting,
        after=_authorised(
            {**_posting_after(posting, lines), "idempotency_key": posting.idempotency_key},
            *authorised_by,
        ),
        acting_for=acting_for,
    )
    _announce(fund)
    return posting


def _participant_check(fund: Fund, organisation) -> None:
    if organisation is None or not fund_participates(fund=fund, organisation_id=organisation.pk):
        raise ApplicationError(
            _("%(organisation)s is not a participating organisation of %(fund)s.")
            % {"organisation": organisation, "fund": fund.code},
            {"field": "organisation"},
        )


@transaction.atomic
def interest_record(
    *,
    fund: Fund,
    amount,
    value_date: datetime.date,
    actor,
    organisation=None,
    idempotency_key: str = "",
    description: str = "",
) -> Posting:
    """Interest earned by the fund (on cash with the administrative agent) or, with
    ``organisation``, reported by a participating organisation on the balance it holds.

    Recorded by the fund's administrative agent (``fund.interest.record``)."""
    _authorise(actor, "fund.interest.record", fund)
    if organisation is None:

        def lines_for(value):
            return [Line(AccountCode.CASH, value), Line(AccountCode.INTEREST, -value)]
    else:
        _participant_check(fund, organisation)

        def lines_for(value):
            return [
                Line(AccountCode.PO_BALANCE, value, organisation.pk),
                Line(AccountCode.INTEREST, -value, organisation.pk),
            ]

    return _simple_movement(
        fund=fund,
        kind=PostingKind.INTEREST,
        lines_for=lines_for,
        amount=amount,
        value_date=value_date,
        actor=actor,
        idempotency_key=idempotency_key,
        description=description or "Interest",
        action="fund.interest.record",
        acting_for=_agent_of(fund),
        organisation_id=organisation.pk if organisation else None,
    )


@transaction.atomic
def direct_cost_record(
    *,
    fund: Fund,
    amount,
    value_date: datetime.date,
    actor,
    description: str = "",
    idempotency_key: str = "",
) -> Posting:
    """A direct cost of the fund (for example its secretariat), paid from the agent's cash
    (the fund's administrative agent, ``fund.charge.record``)."""
    _authorise(actor, "fund.charge.record", fund)
    return _simple_movement(
        fund=fund,
        kind=PostingKind.DIRECT_COST,
        lines_for=lambda v: [Line(AccountCode.DIRECT_COSTS, v), Line(AccountCode.CASH, -v)],
        amount=amount,
        value_date=value_date,
        actor=actor,
        idempotency_key=idempotency_key,
        description=description or "Direct cost",
        action="fund.direct_cost.record",
        acting_for=_agent_of(fund),
    )


@transaction.atomic
def bank_charge_record(
    *,
    fund: Fund,
    amount,
    value_date: datetime.date,
    actor,
    description: str = "",
    idempotency_key: str = "",
) -> Posting:
    """A bank charge paid from the agent's cash (the fund's administrative agent,
    ``fund.charge.record``)."""
    _authorise(actor, "fund.charge.record", fund)
    return _simple_movement(
        fund=fund,
        kind=PostingKind.BANK_CHARGE,
        lines_for=lambda v: [Line(AccountCode.BANK_CHARGES, v), Line(AccountCode.CASH, -v)],
        amount=amount,
        value_date=value_date,
        actor=actor,
        idempotency_key=idempotency_key,
        description=description or "Bank charge",
        action="fund.bank_charge.record",
        acting_for=_agent_of(fund),
    )


# --- Allocations, transfers, refunds, expenditure ---------------------------------------------


@transaction.atomic
def allocation_create(
    *,
    fund: Fund,
    organisation,
    amount,
    purpose: str,
    decided_on: datetime.date,
    actor,
    source_type: str = "",
    source_id: str = "",
    is_illustrative: bool = False,
    is_synthetic: bool = False,
    authority: Authority | None = None,
) -> Allocation:
    """Record an approved allocation to a participating organisation (no money moves yet).

    ``source_type``/``source_id`` name what the allocation comes from (the programme cycle will
    pass its joint programme); transfers against it go through ``transfer_create``.

    The fund's administrative agent (``fund.allocation.create``), or a person recording the
    Steering Committee's decision through the programme cycle (``DELEGATIONS``).
    """
    used = _authorise(
        actor,
        "fund.allocation.create",
        fund,
        authority=authority,
        delegable=source_type == PROGRAMME_SOURCE,
    )
    _participant_check(fund, organisation)
    purpose = (purpose or "").strip()
    if not purpose:
        raise ApplicationError(_("Say what the allocation is for."), {"field": "purpose"})
    allocation = Allocation.objects.create(
        fund=fund,
        organisation=organisation,
        amount=amount_parse(amount, currency=fund.currency),
        purpose=purpose[:500],
        decided_on=_value_date(decided_on),
        source_type=source_type[:100],
        source_id=str(source_id)[:64],
        is_illustrative=is_illustrative,
        is_synthetic=is_synthetic,
    )
    audit_record(
        actor=actor,
        action="fund.allocation.create",
        obj=allocation,
        after=_authorised(
            model_values(
                allocation,
                [
                    "fund",
                    "organisation",
                    "amount",
                    "purpose",
                    "source_type",
                    "source_id",
                    "decided_on",
                ],
            ),
            "fund.allocation.create",
            used,
        ),
        acting_for=_agent_of(fund),
    )
    _announce(fund)
    return allocation


@transaction.atomic
def transfer_create(
    *,
    allocation: Allocation,
    amount,
    value_date: datetime.date,
    actor,
    idempotency_key: str,
    authority: Authority | None = None,
) -> Posting:
    """Transfer money to the allocation's organisation.

    Under the fund's and the allocation's row locks (fund first), refuses a transfer above the
    allocation's remainder or above the cash held by the administrative agent; concurrent
    transfers therefore cannot overdraw the fund.

    The fund's administrative agent (``fund.transfer.create``), also through the programme
    cycle's tranches (``DELEGATIONS``).
    """
    fund = allocation.fund
    used = _authorise(
        actor,
        "fund.transfer.create",
        fund,
        authority=authority,
        delegable=allocation.source_type == PROGRAMME_SOURCE,
    )
    amount_usd = amount_parse(amount, currency=fund.currency)
    value_date = _value_date(value_date)
    key = _key(idempotency_key)
    _participant_check(fund, allocation.organisation)
    fund, allocation = lock_fund_and_allocation(allocation)
    _refuse_repeat(fund, key)
    remaining = allocation.amount - allocation_transferred(allocation=allocation)
    if amount_usd > remaining:
        raise ApplicationError(
            _("The transfer of %(amount)s is more than the %(remaining)s left of the allocation.")
            % {"amount": amount_usd, "remaining": remaining},
            {"field": "amount", "remaining": str(remaining)},
        )
    org_id = allocation.organisation_id
    lines = [
        Line(AccountCode.TRANSFERS, amount_usd, org_id),
        Line(AccountCode.CASH, -amount_usd),
        Line(AccountCode.PO_BALANCE, amount_usd, org_id),
        Line(AccountCode.PO_FUNDING, -amount_usd, org_id),
    ]
    posting = posting_create(
        fund=fund,
        kind=PostingKind.TRANSFER,
        value_date=value_date,
        lines=lines,
        actor=actor,
        description=f"Transfer: {allocation.purpose}"[:500],
        organisation_id=org_id,
        allocation=allocation,
        idempotency_key=key,
        is_synthetic=fund.is_synthetic,
    )
    audit_record(
        actor=actor,
        action="fund.transfer.create",
        obj=posting,
        after=_authorised(
            {**_posting_after(posting, lines), "allocation": allocation.pk, "idempotency_key": key},
            "fund.transfer.create",
            used,
        ),
        acting_for=_agent_of(fund),
    )
    _announce(fund)
    return posting


@transaction.atomic
def refund_record(
    *, allocation: Allocation, amount, value_date: datetime.date, actor, idempotency_key: str = ""
) -> Posting:
    """Money a participating organisation returns to the fund from an allocation's transfers,
    recorded by the fund's administrative agent (``fund.refund.record``)."""
    fund = allocation.fund
    _authorise(actor, "fund.refund.record", fund)
    amount_usd = amount_parse(amount, currency=fund.currency)
    value_date = _value_date(value_date)
    fund, allocation = lock_fund_and_allocation(allocation)
    transferred = allocation_transferred(allocation=allocation)
    if amount_usd > transferred:
        raise ApplicationError(
            _(
                "The refund of %(amount)s is more than the %(transferred)s transferred for this "
                "allocation."
            )
            % {"amount": amount_usd, "transferred": transferred},
            {"field": "amount"},
        )
    org_id = allocation.organisation_id
    lines = [
        Line(AccountCode.CASH, amount_usd),
        Line(AccountCode.REFUNDS, -amount_usd, org_id),
        Line(AccountCode.PO_FUNDING, amount_usd, org_id),
        Line(AccountCode.PO_BALANCE, -amount_usd, org_id),
    ]
    posting = posting_create(
        fund=fund,
        kind=PostingKind.REFUND,
        value_date=value_date,
        lines=lines,
        actor=actor,
        description=f"Refund: {allocation.purpose}"[:500],
        organisation_id=org_id,
        allocation=allocation,
        idempotency_key=idempotency_key,
        is_synthetic=fund.is_synthetic,
    )
    audit_record(
        actor=actor,
        action="fund.refund.record",
        obj=posting,
        after={**_posting_after(posting, lines), "allocation": allocation.pk},
        acting_for=_agent_of(fund),
    )
    _announce(fund)
    return posting


@transaction.atomic
def expenditure_report(
    *,
    fund: Fund,
    organisation,
    amount,
    value_date: datetime.date,
    actor,
    reported_for=None,
    idempotency_key: str = "",
    description: str = "",
    allocation: Allocation | None = None,
    authority: Authority | None = None,
) -> Posting:
    """Expenditure a participating organisation reports on the money it received.

    ``allocation`` (optional, recommended) is the allocation the expenditure is reported
    against: it must be the fund's and the organisation's, and the report may not exceed what
    was transferred for it (net of refunds) minus the expenditure already reported against it;
    ``selectors.expenditure_by_allocation`` then gives the expenditure per programme and
    organisation. ``reported_for`` is the organisation the reporting person acts for (the API
    and the screens pass it); a report for another organisation is refused. The organisation's
    balance cannot go below zero.

    That organisation's focal point (``fund.expenditure.report`` on the ``FundParticipant``), or
    the Management Unit accepting a financial report (``DELEGATIONS``).
    """
    participant = (
        FundParticipant.objects.filter(fund=fund, organisation=organisation).first()
        if organisation is not None
        else None
    )
    used = _authorise(
        actor, "fund.expenditure.report", participant, authority=authority, delegable=True
    )
    _participant_check(fund, organisation)
    if reported_for is not None and reported_for.pk != organisation.pk:
        raise ApplicationError(
            _(
                "%(reporter)s cannot report expenditure for %(organisation)s: each organisation "
                "reports its own."
            )
            % {"reporter": reported_for, "organisation": organisation},
            {"field": "organisation"},
        )
    if allocation is not None:
        if allocation.fund_id != fund.pk or allocation.organisation_id != organisation.pk:
            raise ApplicationError(
                _("This allocation is not one of %(organisation)s in %(fund)s.")
                % {"organisation": organisation, "fund": fund.code},
                {"field": "allocation"},
            )
        _locked, allocation = lock_fund_and_allocation(allocation)
        amount_usd = amount_parse(amount, currency=fund.currency)
        left = allocation_transferred(allocation=allocation) - allocation_spent(
            allocation=allocation
        )
        if amount_usd > left:
            raise ApplicationError(
                _(
                    "The expenditure of %(amount)s is more than the %(left)s transferred for this "
                    "allocation and not yet reported as spent."
                )
                % {"amount": amount_usd, "left": left},
                {"field": "amount", "left": str(left)},
            )
    return _simple_movement(
        fund=fund,
        kind=PostingKind.EXPENDITURE,
        lines_for=lambda v: [
            Line(AccountCode.PO_EXPENDITURE, v, organisation.pk),
            Line(AccountCode.PO_BALANCE, -v, organisation.pk),
        ],
        amount=amount,
        value_date=value_date,
        actor=actor,
        idempotency_key=idempotency_key,
        description=description or "Expenditure",
        action="fund.expenditure.report",
        acting_for=_acting_for(organisation),
        authorised_by=("fund.expenditure.report", used),
        organisation_id=organisation.pk,
        allocation=allocation,
    )


# --- Corrections ------------------------------------------------------------------------------


@transaction.atomic
def posting_reverse(
    *,
    posting: Posting,
    actor,
    reason: str,
    value_date: datetime.date | None = None,
    idempotency_key: str = "",
) -> Posting:
    """Correct a posting with its exact opposite (same kind, negated lines); nothing is changed.

    A deposit's fee is reversed with it. Refused: a posting already reversed, a reversal, a fee
    alone (reverse its deposit), a commitment that has live deposits, and any reversal that would
    take the cash or an organisation's balance below zero.

    The fund's administrative agent (``fund.posting.reverse``).
    """
    _authorise(actor, "fund.posting.reverse", posting.fund)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Say why the posting is reversed."), {"field": "reason"})
    fund = lock_fund(posting.fund)
    posting = Posting.objects.select_related("reversal_of").get(pk=posting.pk)
    if posting.reversal_of_id is not None:
        raise ApplicationError(_("A reversal cannot be reversed: record the event again instead."))
    if Posting.objects.filter(reversal_of=posting).exists():
        raise ConflictError(_("This posting was already reversed."), {"posting": posting.pk})
    if posting.kind == PostingKind.FEE and posting.related_to_id:
        raise ApplicationError(_("A deposit's fee is reversed with its deposit."))
    if posting.kind == PostingKind.COMMITMENT:
        commitment = Commitment.objects.get(posting=posting)
        if commitment_deposited(commitment=commitment)[0] > 0:
            raise ApplicationError(_("Reverse this commitment's deposits first."))
    when = value_date or posting.value_date

    def reverse_one(original: Posting, key: str) -> Posting:
        lines = [
            Line(line.account.code, -line.amount, line.account.party_id)
            for line in original.lines.select_related("account").order_by("pk")
        ]
        return posting_create(
            fund=fund,
            kind=original.kind,
            value_date=when,
            lines=lines,
            actor=actor,
            description=f"Reversal of #{original.pk}: {reason}"[:500],
            donor_id=original.donor_id,
            organisation_id=original.organisation_id,
            allocation=original.allocation,
            idempotency_key=key,
            reversal_of=original,
            currency=original.lines.first().currency,
            is_synthetic=original.is_synthetic,
        )

    # Reverse the fee first: it returns cash, so the deposit's reversal sees it.
    for fee in Posting.objects.filter(
        related_to=posting, kind=PostingKind.FEE, reversed_by__isnull=True
    ):
        reverse_one(fee, "")
    reversal = reverse_one(posting, idempotency_key)
    audit_record(
        actor=actor,
        action="fund.posting.reverse",
        obj=reversal,
        after={"reversal_of": posting.pk, "reason": reason, "value_date": when},
        acting_for=_agent_of(fund),
    )
    _announce(fund)
    return reversal
