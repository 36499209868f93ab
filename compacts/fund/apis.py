"""The fund API, mounted at ``/api/v1/``: funds and their factsheets (public), the ledger (the
Management Unit and the fund's administrative agent), and one endpoint per money movement.

Amounts are JSON strings (``"1250.00"``), never numbers, so that no client rounds them through a
binary float. Money movements take an ``idempotency_key``: a retry with the same key is refused
with 409 and posts nothing.
"""

from datetime import date
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from compacts.actors.models import Organisation
from compacts.api.auth import public_auth, signed_in_auth
from compacts.api.pagination import Paginated
from compacts.api.schemas import ErrorOut
from compacts.core.exceptions import ApplicationError, NotFoundError
from compacts.core.permissions import require
from compacts.fund import selectors, services
from compacts.fund.models import Allocation, Commitment, FundParticipant, Posting

router = Router(tags=["fund"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
Amount = Field(
    ..., pattern=r"^\d{1,18}(\.\d{1,3})?$", description='Amount as a string, e.g. "1250.00".'
)
Key = Field(
    ...,
    min_length=1,
    max_length=100,
    description="Idempotency key: a retry with the same key posts nothing.",
)


class FundOut(Schema):
    code: str
    name: str
    currency: str
    administrative_agent: str
    fee_rate: str
    indirect_support_cost_rate: str
    rates_confirmed: bool
    is_illustrative: bool
    is_synthetic: bool

    @staticmethod
    def resolve_administrative_agent(obj) -> str:
        return str(obj.administrative_agent)

    @staticmethod
    def resolve_fee_rate(obj) -> str:
        return str(obj.fee_rate)

    @staticmethod
    def resolve_indirect_support_cost_rate(obj) -> str:
        return str(obj.indirect_support_cost_rate)


class PeriodIn(Schema):
    date_from: date | None = None
    date_to: date | None = None


class PostingOut(Schema):
    id: int
    kind: str
    value_date: date
    description: str
    idempotency_key: str
    reversal_of: int | None = Field(None, alias="reversal_of_id")
    lines: list[dict]

    @staticmethod
    def resolve_lines(obj: Posting) -> list[dict]:
        return [
            {
                "account": line.account.code,
                "party": line.account.party_id,
                "amount": str(line.amount),
                "currency": line.currency,
            }
            for line in obj.lines.all()
        ]


class LineOut(Schema):
    posting: int = Field(..., alias="posting_id")
    kind: str
    value_date: date
    account: str
    party: int | None
    amount: str
    currency: str

    @staticmethod
    def resolve_account(obj) -> str:
        return obj.account.code

    @staticmethod
    def resolve_party(obj) -> int | None:
        return obj.account.party_id

    @staticmethod
    def resolve_amount(obj) -> str:
        return str(obj.amount)


class CommitmentIn(Schema):
    donor_id: int = Field(..., ge=1)
    amount: str = Amount
    currency: str = Field(..., min_length=3, max_length=3)
    signed_on: date
    reference: str = Field("", max_length=100)
    thematic_area_id: int | None = None
    instalments: list[tuple[date, str]] | None = None
    idempotency_key: str = Field("", max_length=100)


class CommitmentOut(Schema):
    id: int
    donor_id: int
    amount: str
    currency: str
    signed_on: date
    rate: str
    rate_source: str
    rate_date: date
    amount_usd: str
    posting_id: int


class DepositIn(Schema):
    amount: str = Amount
    currency: str = Field(..., min_length=3, max_length=3)
    value_date: date
    idempotency_key: str = Key


class DepositOut(Schema):
    id: int
    commitment_id: int
    amount: str
    currency: str
    value_date: date
    rate: str
    rate_source: str
    rate_date: date
    amount_usd: str
    fee_usd: str
    posting_id: int


class AllocationIn(Schema):
    organisation_id: int = Field(..., ge=1)
    amount: str = Amount
    purpose: str = Field(..., min_length=1, max_length=500)
    decided_on: date
    source_type: str = Field("", max_length=100)
    source_id: str = Field("", max_length=64)


class AllocationOut(Schema):
    id: int
    organisation_id: int
    amount: str
    purpose: str
    decided_on: date
    source_type: str
    source_id: str


class MovementIn(Schema):
    amount: str = Amount
    value_date: date
    idempotency_key: str = Key


class InterestIn(MovementIn):
    organisation_id: int | None = Field(
        None, description="Interest reported by a participating organisation."
    )


class ChargeIn(MovementIn):
    kind: Literal["direct-cost", "bank-charge"]
    description: str = Field("", max_length=500)


class ExpenditureIn(MovementIn):
    organisation_id: int = Field(..., ge=1)
    allocation_id: int | None = Field(
        None, ge=1, description="The allocation (programme) the expenditure is reported against."
    )


class ReverseIn(Schema):
    reason: str = Field(..., min_length=1, max_length=400)
    idempotency_key: str = Field("", max_length=100)


class RatesIn(Schema):
    csv: str = Field(..., description="CSV text with columns currency,effective_on,rate[,source].")
    source: str = Field("UN operational rates of exchange", max_length=200)


class RateOut(Schema):
    currency: str
    effective_on: date
    rate: str
    source: str


def _fund(request, code: str, operation: str = "fund.view"):
    return selectors.fund_get_for_user(user=request.user, code=code, operation=operation)


def _organisation(pk: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise NotFoundError(_("No organisation has the id %(id)s.") % {"id": pk})
    return organisation


def _stringify(obj, fields: list[str]) -> dict:
    return {
        name: (
            str(getattr(obj, name))
            if name in {"amount", "rate", "amount_usd", "fee_usd"}
            else getattr(obj, name)
        )
        for name in fields
    }


@router.get("/funds", response=list[FundOut], auth=public_auth, summary="List the funds")
def fund_list_api(request):
    return list(selectors.fund_list())


@router.get("/funds/{code}", response={200: FundOut, **ERRORS}, auth=public_auth)
def fund_get_api(request, code: str):
    return _fund(request, code)


@router.get(
    "/funds/{code}/factsheet",
    response={200: dict, **ERRORS},
    auth=public_auth,
    summary="The fund's figures, as the MPTF Office gateway shows them",
)
def fund_factsheet_api(request, code: str, period: Query[PeriodIn]):
    """Commitments, deposits, interest, transfers, refunds, fee, direct costs, bank charges, the
    balances with the administrative agent and with participating organisations, expenditure and
    the delivery rate; by donor, by participating organisation and by year. Amounts are strings."""
    fund = _fund(request, code, "fund.factsheet.view")
    return selectors.factsheet_get(
        fund=fund, date_from=period.date_from, date_to=period.date_to
    ).as_dict()


@router.get("/funds/{code}/ledger", response={200: list[LineOut], **ERRORS}, auth=signed_in_auth)
@paginate(Paginated)
def fund_ledger_api(request, code: str):
    fund = _fund(request, code, "fund.ledger.view")
    return selectors.ledger_lines(fund=fund)


@router.get("/funds/{code}/commitments", response={200: list[dict], **ERRORS}, auth=signed_in_auth)
def commitment_list_api(request, code: str):
    """Every commitment (Management Unit, agent), or a donor's own, with the differences between
    committed and deposited amounts."""
    from compacts.core.permissions import allowed

    fund = _fund(request, code)
    donor_ids = None
    if not allowed(request.user, "fund.ledger.view", fund):
        from compacts.actors.selectors import user_organisation_ids

        donor_ids = user_organisation_ids(request.user, role_codes=["donor"])
        if not donor_ids:
            require(request.user, "fund.ledger.view", fund)
    rows = selectors.commitment_list(fund=fund, donor_ids=donor_ids)
    return [
        {
            "id": row["commitment"].pk,
            "donor_id": row["commitment"].donor_id,
            "donor": str(row["commitment"].donor),
            "amount": str(row["commitment"].amount),
            "currency": row["commitment"].currency,
            "amount_usd": str(row["commitment"].amount_usd),
            "deposited": str(row["deposited"]),
            "outstanding": str(row["outstanding"]),
            "deposited_usd": str(row["deposited_usd"]),
            "difference_usd": str(row["difference_usd"]),
        }
        for row in rows
    ]


@router.get("/funds/{code}/donors/{donor_id}", response={200: dict, **ERRORS}, auth=signed_in_auth)
def donor_view_api(request, code: str, donor_id: int):
    """A donor's contributions to the fund and where the fund's money went (pooled: by
    participating organisation)."""
    fund = _fund(request, code)
    donor = _organisation(donor_id)
    require(request.user, "fund.donor.view", donor)
    sheet = selectors.factsheet_get(fund=fund).as_dict()
    rows = selectors.commitment_list(fund=fund, donor_ids={donor.pk})
    return {
        "donor": str(donor),
        "commitments": [
            {
                "id": r["commitment"].pk,
                "amount": str(r["commitment"].amount),
                "currency": r["commitment"].currency,
                "deposited": str(r["deposited"]),
                "outstanding": str(r["outstanding"]),
                "difference_usd": str(r["difference_usd"]),
            }
            for r in rows
        ],
        "where_the_money_went": sheet["by_organisation"],
        "fund_totals": sheet["totals"],
    }


@router.post(
    "/funds/{code}/commitments", response={201: CommitmentOut, **ERRORS}, auth=signed_in_auth
)
def commitment_create_api(request, code: str, payload: CommitmentIn):
    fund = _fund(request, code, "fund.commitment.create")
    thematic_area = None
    if payload.thematic_area_id:
        from compacts.framework.models import ThematicArea

        thematic_area = ThematicArea.objects.filter(pk=payload.thematic_area_id).first()
        if thematic_area is None:
            raise ApplicationError(_("Unknown thematic area."), {"field": "thematic_area_id"})
    commitment = services.commitment_create(
        fund=fund,
        donor=_organisation(payload.donor_id),
        amount=payload.amount,
        currency=payload.currency,
        signed_on=payload.signed_on,
        actor=request.user,
        instalments=payload.instalments,
        thematic_area=thematic_area,
        reference=payload.reference,
        idempotency_key=payload.idempotency_key,
    )
    return Status(201, _stringify(commitment, list(CommitmentOut.model_fields)))


@router.post(
    "/funds/{code}/commitments/{commitment_id}/deposits",
    response={201: DepositOut, **ERRORS},
    auth=signed_in_auth,
)
def deposit_create_api(request, code: str, commitment_id: int, payload: DepositIn):
    fund = _fund(request, code, "fund.deposit.create")
    commitment = (
        Commitment.objects.filter(fund=fund, pk=commitment_id).select_related("fund").first()
    )
    if commitment is None:
        raise NotFoundError(_("This fund has no commitment %(id)s.") % {"id": commitment_id})
    deposit = services.deposit_create(
        commitment=commitment,
        amount=payload.amount,
        currency=payload.currency,
        value_date=payload.value_date,
        actor=request.user,
        idempotency_key=payload.idempotency_key,
    )
    return Status(201, _stringify(deposit, list(DepositOut.model_fields)))


@router.post(
    "/funds/{code}/allocations", response={201: AllocationOut, **ERRORS}, auth=signed_in_auth
)
def allocation_create_api(request, code: str, payload: AllocationIn):
    fund = _fund(request, code, "fund.allocation.create")
    allocation = services.allocation_create(
        fund=fund,
        organisation=_organisation(payload.organisation_id),
        amount=payload.amount,
        purpose=payload.purpose,
        decided_on=payload.decided_on,
        actor=request.user,
        source_type=payload.source_type,
        source_id=payload.source_id,
    )
    return Status(201, _stringify(allocation, list(AllocationOut.model_fields)))


def _allocation(fund, allocation_id: int) -> Allocation:
    allocation = (
        Allocation.objects.filter(fund=fund, pk=allocation_id)
        .select_related("fund", "organisation")
        .first()
    )
    if allocation is None:
        raise NotFoundError(_("This fund has no allocation %(id)s.") % {"id": allocation_id})
    return allocation


@router.post(
    "/funds/{code}/allocations/{allocation_id}/transfers",
    response={201: PostingOut, **ERRORS},
    auth=signed_in_auth,
)
def transfer_create_api(request, code: str, allocation_id: int, payload: MovementIn):
    fund = _fund(request, code, "fund.transfer.create")
    return Status(
        201,
        services.transfer_create(
            allocation=_allocation(fund, allocation_id),
            amount=payload.amount,
            value_date=payload.value_date,
            actor=request.user,
            idempotency_key=payload.idempotency_key,
        ),
    )


@router.post(
    "/funds/{code}/allocations/{allocation_id}/refunds",
    response={201: PostingOut, **ERRORS},
    auth=signed_in_auth,
)
def refund_create_api(request, code: str, allocation_id: int, payload: MovementIn):
    fund = _fund(request, code, "fund.refund.record")
    return Status(
        201,
        services.refund_record(
            allocation=_allocation(fund, allocation_id),
            amount=payload.amount,
            value_date=payload.value_date,
            actor=request.user,
            idempotency_key=payload.idempotency_key,
        ),
    )


@router.post("/funds/{code}/interest", response={201: PostingOut, **ERRORS}, auth=signed_in_auth)
def interest_create_api(request, code: str, payload: InterestIn):
    fund = _fund(request, code, "fund.interest.record")
    organisation = _organisation(payload.organisation_id) if payload.organisation_id else None
    return Status(
        201,
        services.interest_record(
            fund=fund,
            organisation=organisation,
            amount=payload.amount,
            value_date=payload.value_date,
            actor=request.user,
            idempotency_key=payload.idempotency_key,
        ),
    )


@router.post("/funds/{code}/charges", response={201: PostingOut, **ERRORS}, auth=signed_in_auth)
def charge_create_api(request, code: str, payload: ChargeIn):
    fund = _fund(request, code, "fund.charge.record")
    record = (
        services.direct_cost_record
        if payload.kind == "direct-cost"
        else services.bank_charge_record
    )
    return Status(
        201,
        record(
            fund=fund,
            amount=payload.amount,
            value_date=payload.value_date,
            actor=request.user,
            description=payload.description,
            idempotency_key=payload.idempotency_key,
        ),
    )


@router.post("/funds/{code}/expenditure", response={201: PostingOut, **ERRORS}, auth=signed_in_auth)
def expenditure_create_api(request, code: str, payload: ExpenditureIn):
    """A participating organisation's focal point reports her own organisation's expenditure."""
    fund = _fund(request, code)
    organisation = _organisation(payload.organisation_id)
    participant = FundParticipant.objects.filter(fund=fund, organisation=organisation).first()
    require(request.user, "fund.expenditure.report", participant)
    allocation = _allocation(fund, payload.allocation_id) if payload.allocation_id else None
    return Status(
        201,
        services.expenditure_report(
            fund=fund,
            organisation=organisation,
            amount=payload.amount,
            value_date=payload.value_date,
            actor=request.user,
            reported_for=organisation,
            idempotency_key=payload.idempotency_key,
            allocation=allocation,
        ),
    )


@router.post(
    "/funds/{code}/postings/{posting_id}/reverse",
    response={201: PostingOut, **ERRORS},
    auth=signed_in_auth,
)
def posting_reverse_api(request, code: str, posting_id: int, payload: ReverseIn):
    fund = _fund(request, code, "fund.posting.reverse")
    posting = Posting.objects.filter(fund=fund, pk=posting_id).first()
    if posting is None:
        raise NotFoundError(_("This fund has no posting %(id)s.") % {"id": posting_id})
    return Status(
        201,
        services.posting_reverse(
            posting=posting,
            actor=request.user,
            reason=payload.reason,
            idempotency_key=payload.idempotency_key,
        ),
    )


@router.get("/exchange-rates", response=list[RateOut], auth=public_auth)
@paginate(Paginated)
def exchange_rate_list_api(request, currency: str = ""):
    return [
        {
            "currency": r.currency,
            "effective_on": r.effective_on,
            "rate": str(r.rate),
            "source": r.source,
        }
        for r in selectors.exchange_rate_list(currency=currency.upper()[:3])
    ]


@router.post("/exchange-rates", response={201: dict, **ERRORS}, auth=signed_in_auth)
def exchange_rates_load_api(request, payload: RatesIn):
    require(request.user, "fund.exchange_rate.load", None)
    count = services.exchange_rates_load_csv(
        text=payload.csv, source=payload.source, actor=request.user
    )
    return Status(201, {"loaded": count})


class ParticipantIn(Schema):
    organisation_id: int = Field(..., ge=1)


class PledgeIn(Schema):
    donor_id: int = Field(..., ge=1)
    amount: str = Amount
    currency: str = Field(..., min_length=3, max_length=3)
    announced_on: date
    note: str = Field("", max_length=500)


class RatesUpdateIn(Schema):
    fee_rate: str = Field(..., pattern=r"^0(\.\d{1,4})?$", description="0.01 is 1%.")
    indirect_support_cost_rate: str = Field(..., pattern=r"^0(\.\d{1,4})?$")
    confirmed: bool


@router.post("/funds/{code}/participants", response={201: dict, **ERRORS}, auth=signed_in_auth)
def participant_add_api(request, code: str, payload: ParticipantIn):
    fund = _fund(request, code, "fund.participant.add")
    participant = services.participant_add(
        fund=fund, organisation=_organisation(payload.organisation_id), actor=request.user
    )
    return Status(201, {"fund": fund.code, "organisation_id": participant.organisation_id})


@router.post("/funds/{code}/pledges", response={201: dict, **ERRORS}, auth=signed_in_auth)
def pledge_create_api(request, code: str, payload: PledgeIn):
    fund = _fund(request, code, "fund.pledge.create")
    pledge = services.pledge_create(
        fund=fund,
        donor=_organisation(payload.donor_id),
        amount=payload.amount,
        currency=payload.currency,
        announced_on=payload.announced_on,
        actor=request.user,
        note=payload.note,
    )
    return Status(201, {"id": pledge.pk, "amount": str(pledge.amount), "currency": pledge.currency})


@router.put("/funds/{code}/rates", response={200: FundOut, **ERRORS}, auth=signed_in_auth)
def fund_rates_update_api(request, code: str, payload: RatesUpdateIn):
    """Administrators change (and confirm) the fee and indirect-support-cost rates."""
    fund = _fund(request, code, "fund.rates.update")
    return services.fund_rates_update(
        fund=fund,
        fee_rate=payload.fee_rate,
        indirect_support_cost_rate=payload.indirect_support_cost_rate,
        confirmed=payload.confirmed,
        actor=request.user,
    )
