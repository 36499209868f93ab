"""The tracking API at ``/api/v1/tracking``: pledges (GCM and GCR), national plans and reviews,
the indicator catalogue and its data (Open SDG CSV in and out), the health lens and the review
cycle. Reads are public where the record is public; writes need a signed-in user and go through
the services, which check permissions and write the audit trail."""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Path, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from compacts.actors.models import Organisation
from compacts.api.auth import public_auth, signed_in_auth
from compacts.api.pagination import Paginated
from compacts.api.schemas import MAX_ID, ErrorOut
from compacts.core.exceptions import ApplicationError, NotFoundError
from compacts.core.permissions import require
from compacts.framework.models import (
    Country,
    GcmAction,
    GcmObjective,
    GcrArea,
    GcrObjective,
    GuidingPrinciple,
)
from compacts.tracking import selectors
from compacts.tracking.models import (
    Commitment,
    GcrPledgeStage,
    ImrfEdition,
    NationalPlan,
    PlanAction,
    Pledge,
    RoundTable,
    StakeholderRegistration,
    WrittenSubmission,
)
from compacts.tracking.permissions import is_secretariat, pledger_organisation_ids
from compacts.tracking.services import cycle, indicators, plans, pledges

router = Router(tags=["tracking"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
Id = Path(..., ge=1, le=MAX_ID)
ATTACHMENT_TITLE_MAX = 300


def _get(model, pk: int, **filters):
    obj = model.objects.filter(pk=pk, **filters).first()
    if obj is None:
        raise NotFoundError(_("Not found."), {"id": pk})
    return obj


def _organisation(pk: int) -> Organisation:
    return _get(Organisation, pk)


def _country(m49: str | None) -> Country | None:
    if not m49:
        return None
    country = Country.objects.filter(m49=m49.zfill(3)).first() if m49.isdigit() else None
    if country is None:
        raise ApplicationError(
            _("%(value)s is not a UN M49 country code.") % {"value": m49}, {"field": "country"}
        )
    return country


def _objectives(numbers: list[int]) -> list[GcmObjective]:
    found = list(GcmObjective.objects.filter(number__in=numbers))
    if len(found) != len(set(numbers)):
        raise ApplicationError(_("The GCM has objectives 1 to 23 only."), {"field": "objectives"})
    return found


# --- Schemas -------------------------------------------------------------------------------


class PledgeOut(Schema):
    id: int
    reference: str
    title: str
    pledge_type: str
    kind: str
    description: str
    organisation: int
    organisation_name: str
    partners: list[int]
    country: str | None = Field(None, description="M49 code.")
    objectives: list[int]
    principles: list[str]
    actions: list[str]
    matching_pledge: str | None
    amount: Decimal | None
    currency: str
    state: str
    is_health: bool
    fund_contribution_id: int | None = Field(
        None, description="Migration MPTF contribution record id."
    )
    is_illustrative: bool

    @staticmethod
    def resolve_organisation_name(obj) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_organisation(obj) -> int:
        return obj.organisation_id

    @staticmethod
    def resolve_partners(obj) -> list[int]:
        return [p.pk for p in obj.partners.all()]

    @staticmethod
    def resolve_country(obj) -> str | None:
        return obj.country.m49 if obj.country_id else None

    @staticmethod
    def resolve_objectives(obj) -> list[int]:
        return [o.number for o in obj.objectives.all()]

    @staticmethod
    def resolve_principles(obj) -> list[str]:
        return [p.letter for p in obj.principles.all()]

    @staticmethod
    def resolve_actions(obj) -> list[str]:
        return [a.code for a in obj.gcm_actions.all()]

    @staticmethod
    def resolve_matching_pledge(obj) -> str | None:
        return obj.matching_pledge.reference if obj.matching_pledge_id else None


class PledgeIn(Schema):
    organisation: int = Field(..., ge=1, le=MAX_ID, description="The pledger's organisation id.")
    title: str = Field(..., min_length=1, max_length=300)
    pledge_type: Literal["financial", "human-resources", "process-oriented", "policy-oriented"]
    kind: Literal["single", "common", "partnership"] = "single"
    description: str = Field(..., description="300 to 3,000 characters.")
    partners: list[int] = []
    objectives: list[int] = []
    principles: list[str] = []
    actions: list[str] = []
    matching_pledge: str = Field("", description="Reference of the pledge this one matches.")
    country: str = Field("", description="M49 code of the country of implementation.")
    amount: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    currency: str = Field("", max_length=3)
    contact_name: str = Field("", max_length=200)
    contact_email: str = Field("", max_length=254)
    imrf_edition: int | None = Field(None, description="IMRF year, e.g. 2026.")


class TransitionIn(Schema):
    to: str = Field(..., max_length=30)
    note: str = Field("", max_length=5000)


class PledgeUpdateIn(Schema):
    progress: Literal["not-started", "in-progress", "completed"]
    narrative: str = Field(..., min_length=1, max_length=10000)
    reported_on: date | None = None


class FundLinkIn(Schema):
    contribution_id: int | None = Field(None, ge=1, le=MAX_ID)


class RowOut(Schema):
    row: int
    accepted: bool
    column: str
    message: str
    reference: str = ""


class UploadOut(Schema):
    accepted: bool
    rows: list[RowOut]


class BucketOut(Schema):
    key: str
    label: str
    count: int
    amounts: dict[str, Decimal]


class DashboardOut(Schema):
    total: list[BucketOut]
    objective: list[BucketOut]
    type: list[BucketOut]
    category: list[BucketOut]
    region: list[BucketOut]
    status: list[BucketOut]


class GcrPledgeOut(Schema):
    id: int
    reference: str
    title: str
    pledge_type: str
    description: str
    forum_year: int
    organisation: int
    gcr_objective: int
    areas: list[str]
    stage: str | None
    stage_is_provisional: bool
    amount: Decimal | None
    currency: str
    resettlement_places: int | None
    state: str
    is_health: bool
    is_illustrative: bool

    @staticmethod
    def resolve_organisation(obj) -> int:
        return obj.organisation_id

    @staticmethod
    def resolve_gcr_objective(obj) -> int:
        return obj.gcr_objective.number

    @staticmethod
    def resolve_areas(obj) -> list[str]:
        return [a.code for a in obj.areas.all()]

    @staticmethod
    def resolve_stage(obj) -> str | None:
        return obj.stage.code if obj.stage_id else None

    @staticmethod
    def resolve_stage_is_provisional(obj) -> bool:
        return bool(obj.stage_id and obj.stage.status == "provisional")


class GcrPledgeIn(Schema):
    organisation: int = Field(..., ge=1, le=MAX_ID)
    title: str = Field(..., min_length=1, max_length=300)
    pledge_type: Literal["financial", "material", "technical", "resettlement", "policy-change"]
    description: str = Field(..., min_length=1)
    forum_year: int = Field(..., ge=2019, le=2100)
    gcr_objective: int = Field(..., ge=1, le=4)
    areas: list[str] = []
    country: str = ""
    amount: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    currency: str = Field("", max_length=3)
    resettlement_places: int | None = Field(None, ge=1)


class GcrUpdateIn(Schema):
    stage: str = Field(..., max_length=40)
    narrative: str = Field(..., min_length=1, max_length=10000)
    reported_on: date | None = None


class StageOut(Schema):
    code: str
    name: str
    sort_order: int
    status: str


class PlanActionOut(Schema):
    id: int
    title: str
    lead_ministry: str
    objectives: list[int]
    principles: list[str]
    actions: list[str]
    amount: Decimal | None
    currency: str
    status: str

    @staticmethod
    def resolve_objectives(obj) -> list[int]:
        return [o.number for o in obj.objectives.all()]

    @staticmethod
    def resolve_principles(obj) -> list[str]:
        return [p.letter for p in obj.principles.all()]

    @staticmethod
    def resolve_actions(obj) -> list[str]:
        return [a.code for a in obj.gcm_actions.all()]


class PlanVersionOut(Schema):
    id: int
    plan: int
    plan_title: str
    country: str
    number: int
    state: str
    period_start: int
    period_end: int
    adopted_on: date | None
    amount: Decimal | None
    currency: str
    includes_migrant_health: bool
    actions: list[PlanActionOut]
    is_illustrative: bool

    @staticmethod
    def resolve_plan(obj) -> int:
        return obj.plan_id

    @staticmethod
    def resolve_plan_title(obj) -> str:
        return obj.plan.title

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.plan.country.m49 or ""

    @staticmethod
    def resolve_actions(obj):
        return list(obj.actions.all())


class PlanIn(Schema):
    country: str = Field(..., description="M49 code.")
    title: str = Field(..., min_length=1, max_length=300)


class PlanOut(Schema):
    id: int
    title: str
    country: str

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.country.m49 or ""


class PlanVersionIn(Schema):
    period_start: int = Field(..., ge=2018, le=2100)
    period_end: int = Field(..., ge=2018, le=2100)
    summary: str = ""
    amount: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    currency: str = Field("", max_length=3)
    includes_migrant_health: bool = False
    adopted_on: date | None = None


class PlanActionIn(Schema):
    title: str = Field(..., min_length=1, max_length=300)
    lead_ministry: str = Field(..., min_length=1, max_length=300)
    objectives: list[int]
    principles: list[str] = []
    actions: list[str] = []
    description: str = ""
    amount: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    currency: str = Field("", max_length=3)


class PlanUpdateIn(Schema):
    status: Literal["planned", "ongoing", "delayed", "completed", "cancelled"]
    narrative: str = Field(..., min_length=1)
    progress_percent: int | None = Field(None, ge=0, le=100)


class NationalReviewOut(Schema):
    id: int
    title: str
    country: str
    state: str
    imrf_edition: int | None
    regional_review: int | None
    submitted_on: date | None
    is_illustrative: bool

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.country.m49 or ""

    @staticmethod
    def resolve_imrf_edition(obj) -> int | None:
        return obj.imrf_edition.year if obj.imrf_edition_id else None

    @staticmethod
    def resolve_regional_review(obj) -> int | None:
        return obj.regional_review_id


class NationalReviewIn(Schema):
    country: str
    title: str = Field(..., min_length=1, max_length=300)
    summary: str = ""
    imrf_edition: int | None = Field(None, description="IMRF year.")
    regional_review: int | None = Field(None, ge=1, le=MAX_ID)


class IndicatorOut(Schema):
    slug: str
    kind: str
    code: str
    title: str
    unit: str
    direction: str
    base_year: int
    target_value: Decimal | None
    target_year: int | None
    objectives: list[int]
    disaggregation_columns: list[str]
    status: str
    source_note: str

    @staticmethod
    def resolve_objectives(obj) -> list[int]:
        return [o.number for o in obj.objectives.all()]


class IndicatorIn(Schema):
    kind: Literal["sdg", "gcr", "national"]
    code: str = Field(..., min_length=1, max_length=30)
    title: str = Field(..., min_length=1)
    unit: str = ""
    direction: Literal["increase", "decrease"] = "increase"
    base_year: int = Field(2015, ge=1900, le=2100)
    target_value: Decimal | None = None
    target_year: int | None = Field(None, ge=1900, le=2100)
    country: str = ""
    objectives: list[int] = []


class SeriesOut(Schema):
    country: str
    disaggregation: dict[str, str]
    points: list[tuple[int, Decimal]]
    progress: str
    cagr: float | None
    ratio: float | None


class SeriesFilters(Schema):
    country: str | None = Field(None, pattern=r"^[0-9]{1,3}$", description="M49 code.")


class InclusionOut(Schema):
    country: str
    assessed_on: date
    health_plan: str
    vaccination_plan: str
    source: str
    is_illustrative: bool

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.country.m49 or ""


class InclusionIn(Schema):
    country: str
    assessed_on: date
    health_plan: Literal["yes", "partial", "no", "unknown"]
    vaccination_plan: Literal["yes", "partial", "no", "unknown"]
    source: str = Field(..., min_length=1, max_length=300)
    note: str = ""


class RoundTableOut(Schema):
    number: int
    objectives: list[int]
    status: str

    @staticmethod
    def resolve_objectives(obj) -> list[int]:
        return [o.number for o in obj.objectives.all()]


class EditionOut(Schema):
    year: int
    title: str
    starts_on: date | None
    ends_on: date | None
    place: str
    status: str
    round_tables: list[RoundTableOut]

    @staticmethod
    def resolve_round_tables(obj):
        return list(obj.round_tables.all())


class RegionalReviewOut(Schema):
    id: int
    commission: str
    round: int
    year: int
    starts_on: date | None
    ends_on: date | None
    place: str
    status: str

    @staticmethod
    def resolve_commission(obj) -> str:
        return obj.commission.code


class RegionalCommissionOut(Schema):
    id: int
    code: str
    name: str
    names: dict[str, str]
    status: str


class CommitmentOut(Schema):
    id: int
    edition: int
    paragraph: str
    title: str
    text: str
    owner: int | None
    owner_label: str
    state: str

    @staticmethod
    def resolve_edition(obj) -> int:
        return obj.edition.year

    @staticmethod
    def resolve_owner(obj) -> int | None:
        return obj.owner_id


class RegistrationIn(Schema):
    organisation: int = Field(..., ge=1, le=MAX_ID)
    participant_name: str = Field(..., min_length=1, max_length=200)
    imrf_edition: int | None = None
    regional_review: int | None = Field(None, ge=1, le=MAX_ID)


class RegistrationOut(Schema):
    id: int
    organisation: int
    participant_name: str
    status: str

    @staticmethod
    def resolve_organisation(obj) -> int:
        return obj.organisation_id


class DecisionIn(Schema):
    accept: bool


class CommitmentIn(Schema):
    edition: int = Field(..., ge=2018, le=2100, description="IMRF year, e.g. 2022.")
    paragraph: str = Field(..., min_length=1, max_length=10, description="e.g. 70.")
    title: str = Field(..., min_length=1, max_length=300)
    text: str = Field(..., min_length=1, description="Paraphrase of the paragraph.")
    owner: int | None = Field(None, ge=1, le=MAX_ID, description="Owner organisation id.")
    owner_label: str = Field("", max_length=300)
    due_on: date | None = None
    source_note: str = Field("", max_length=5000)


class CommitmentUpdateIn(Schema):
    edition: int | None = Field(
        None, ge=2018, le=2100, description="IMRF year, to move it to another IMRF; omit to keep."
    )
    paragraph: str = Field(..., min_length=1, max_length=10, description="e.g. 70.")
    title: str = Field(..., min_length=1, max_length=300)
    text: str = Field(..., min_length=1, description="Paraphrase of the paragraph.")
    owner: int | None = Field(None, ge=1, le=MAX_ID, description="Owner organisation id.")
    owner_label: str = Field("", max_length=300)
    due_on: date | None = None
    source_note: str = Field("", max_length=5000)


class CommitmentAssignIn(Schema):
    owner: int | None = Field(None, ge=1, le=MAX_ID, description="Owner organisation id.")
    owner_label: str = Field("", max_length=300, description="e.g. Secretary-General.")


class TargetIn(Schema):
    target_value: Decimal | None = Field(None, max_digits=20, decimal_places=6)
    target_year: int | None = Field(None, ge=1900, le=2100)


class AttachmentOut(Schema):
    id: int
    title: str
    size: int
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.file.url if obj.file else ""


class SubmissionIn(Schema):
    organisation: int = Field(..., ge=1, le=MAX_ID)
    title: str = Field(..., min_length=1, max_length=300)
    text: str = Field(..., min_length=1)
    objectives: list[int] = []
    imrf_edition: int | None = None
    regional_review: int | None = Field(None, ge=1, le=MAX_ID)


class SubmissionOut(Schema):
    id: int
    organisation: int
    title: str
    text: str
    status: str
    is_illustrative: bool

    @staticmethod
    def resolve_organisation(obj) -> int:
        return obj.organisation_id


class PledgeFilters(Schema):
    objective: int | None = Field(None, ge=1, le=23)
    pledge_type: (
        Literal["financial", "human-resources", "process-oriented", "policy-oriented"] | None
    ) = None
    state: str | None = Field(None, max_length=20)
    category: str | None = Field(None, max_length=20)
    region: str | None = Field(None, pattern=r"^[0-9]{3}$", description="M49 region code.")
    health: bool | None = None


def _edition(year: int | None, field: str = "imrf_edition") -> ImrfEdition | None:
    if year is None:
        return None
    edition = ImrfEdition.objects.filter(year=year).first()
    if edition is None:
        raise NotFoundError(_("There is no IMRF in %(year)s.") % {"year": year}, {"field": field})
    return edition


def _forum(imrf_year, regional_review_id):
    from compacts.tracking.models import RegionalReview

    return (
        _edition(imrf_year),
        _get(RegionalReview, regional_review_id) if regional_review_id else None,
    )


def _principles_and_actions(letters: list[str], codes: list[str]):
    """The guiding principles and GCM actions named; an unknown one is refused, by field."""
    principles = list(GuidingPrinciple.objects.filter(letter__in=letters))
    if len(principles) != len(set(letters)):
        raise ApplicationError(_("Unknown guiding principle."), {"field": "principles"})
    codes = {code.lower() for code in codes}
    actions = list(GcmAction.objects.filter(code__in=codes))
    if len(actions) != len(codes):
        raise ApplicationError(_("Unknown GCM action."), {"field": "actions"})
    return principles, actions


def _pledge_input(payload: PledgeIn) -> pledges.PledgeInput:
    matching = None
    if payload.matching_pledge:
        matching = Pledge.objects.filter(reference=payload.matching_pledge).first()
        if matching is None:
            raise ApplicationError(
                _("The matching pledge %(value)s does not exist.")
                % {"value": payload.matching_pledge},
                {"field": "matching_pledge"},
            )
    principles, actions = _principles_and_actions(payload.principles, payload.actions)
    return pledges.PledgeInput(
        title=payload.title,
        pledge_type=payload.pledge_type,
        kind=payload.kind,
        description=payload.description,
        organisation=_organisation(payload.organisation),
        partners=[_organisation(pk) for pk in payload.partners],
        objectives=_objectives(payload.objectives),
        principles=principles,
        gcm_actions=actions,
        matching_pledge=matching,
        country=_country(payload.country),
        amount=payload.amount,
        currency=payload.currency,
        contact_name=payload.contact_name,
        contact_email=payload.contact_email,
        imrf_edition=_edition(payload.imrf_edition),
    )


# --- Pledges -------------------------------------------------------------------------------


@router.get("/pledges", response={200: list[PledgeOut], **ERRORS}, auth=public_auth)
@paginate(Paginated)
def pledge_list_api(request, filters: Query[PledgeFilters]):
    """GCM pledges: public ones, and your organisation's drafts."""
    return (
        selectors.pledge_list(
            user=request.user,
            objective=filters.objective,
            pledge_type=filters.pledge_type or "",
            state=filters.state or "",
            category=filters.category or "",
            region=filters.region or "",
            health=filters.health,
        )
        .prefetch_related("partners", "principles", "gcm_actions")
        .select_related("matching_pledge")
    )


@router.get("/pledges/dashboard", response={200: DashboardOut, **ERRORS}, auth=public_auth)
def pledge_dashboard_api(request, health: bool | None = None):
    """Published pledges counted and summed by objective, type, pledger category, region, status."""
    return selectors.pledge_dashboard(health=health)


@router.get("/pledges/{int:pledge_id}", response={200: PledgeOut, **ERRORS}, auth=public_auth)
def pledge_get_api(request, pledge_id: int = Id):
    return selectors.pledge_get_for_user(user=request.user, pk=pledge_id)


@router.post("/pledges", response={201: PledgeOut, **ERRORS}, auth=signed_in_auth)
def pledge_create_api(request, payload: PledgeIn):
    """Draft a pledge for your organisation (the Network's pledge form)."""
    return Status(201, pledges.pledge_create(data=_pledge_input(payload), actor=request.auth))


@router.put("/pledges/{int:pledge_id}", response={200: PledgeOut, **ERRORS}, auth=signed_in_auth)
def pledge_update_api(request, payload: PledgeIn, pledge_id: int = Id):
    pledge = selectors.pledge_get_for_user(user=request.auth, pk=pledge_id)
    return pledges.pledge_update(pledge=pledge, data=_pledge_input(payload), actor=request.auth)


@router.post(
    "/pledges/{int:pledge_id}/transition", response={200: PledgeOut, **ERRORS}, auth=signed_in_auth
)
def pledge_transition_api(request, payload: TransitionIn, pledge_id: int = Id):
    """Submit, return, publish, fulfil or withdraw a pledge (``workflows/pledge.py``)."""
    pledge = selectors.pledge_get_for_user(user=request.auth, pk=pledge_id)
    if payload.to == "returned":
        # Returning a pledge says what to change: pledge_return requires the note.
        pledges.pledge_return(pledge=pledge, actor=request.auth, note=payload.note)
    else:
        pledges.pledge_transition(
            pledge=pledge, to=payload.to, actor=request.auth, note=payload.note
        )
    return selectors.pledge_get_for_user(user=request.auth, pk=pledge_id)


@router.post(
    "/pledges/{int:pledge_id}/updates", response={201: dict, **ERRORS}, auth=signed_in_auth
)
def pledge_status_update_api(request, payload: PledgeUpdateIn, pledge_id: int = Id):
    """Report progress on a published pledge."""
    pledge = selectors.pledge_get_for_user(user=request.auth, pk=pledge_id)
    update = pledges.pledge_status_update_create(
        pledge=pledge,
        progress=payload.progress,
        narrative=payload.narrative,
        actor=request.auth,
        reported_on=payload.reported_on,
    )
    return Status(
        201,
        {"id": update.pk, "progress": update.progress, "reported_on": str(update.reported_on)},
    )


@router.post(
    "/pledges/{int:pledge_id}/fund-contribution",
    response={200: PledgeOut, **ERRORS},
    auth=signed_in_auth,
)
def pledge_fund_link_api(request, payload: FundLinkIn, pledge_id: int = Id):
    """Link a financial pledge to its Migration MPTF contribution record (the secretariat)."""
    pledge = selectors.pledge_get_for_user(user=request.auth, pk=pledge_id)
    pledges.pledge_link_fund_contribution(
        pledge=pledge, contribution_id=payload.contribution_id, actor=request.auth
    )
    return selectors.pledge_get_for_user(user=request.auth, pk=pledge_id)


@router.post(
    "/pledges/bulk", response={**ERRORS, 200: UploadOut, 400: UploadOut}, auth=signed_in_auth
)
def pledge_bulk_api(request, file: File[UploadedFile], publish: bool = False):
    """Upload pledges from CSV or XLSX: all or nothing, row-by-row report (400 if refused)."""
    require(request.auth, "tracking.pledge.bulk_upload", None)
    report = pledges.pledges_bulk_upload(
        content=file.read(), filename=file.name or "upload", actor=request.auth, publish=publish
    )
    body = {"accepted": report.accepted, "rows": report.as_json()}
    return Status(200 if report.accepted else 400, body)


# --- GCR pledges ----------------------------------------------------------------------------


@router.get("/gcr-pledges", response={200: list[GcrPledgeOut], **ERRORS}, auth=public_auth)
@paginate(Paginated)
def gcr_pledge_list_api(request):
    """Global Refugee Forum pledges."""
    return selectors.gcr_pledge_visible(user=request.user).prefetch_related("areas").order_by("-id")


@router.get(
    "/gcr-pledges/{int:pledge_id}", response={200: GcrPledgeOut, **ERRORS}, auth=public_auth
)
def gcr_pledge_get_api(request, pledge_id: int = Id):
    return selectors.gcr_pledge_get_for_user(user=request.user, pk=pledge_id)


def _gcr_objective(number: int) -> GcrObjective:
    objective = GcrObjective.objects.filter(number=number).first()
    if objective is None:
        raise NotFoundError(_("Not found."), {"field": "gcr_objective"})
    return objective


def _gcr_input(payload: GcrPledgeIn) -> pledges.GcrPledgeInput:
    areas = list(GcrArea.objects.filter(code__in=payload.areas))
    if len(areas) != len(set(payload.areas)):
        raise ApplicationError(_("Unknown GCR area."), {"field": "areas"})
    return pledges.GcrPledgeInput(
        title=payload.title,
        pledge_type=payload.pledge_type,
        description=payload.description,
        forum_year=payload.forum_year,
        organisation=_organisation(payload.organisation),
        gcr_objective=_gcr_objective(payload.gcr_objective),
        areas=areas,
        country=_country(payload.country),
        amount=payload.amount,
        currency=payload.currency,
        resettlement_places=payload.resettlement_places,
    )


@router.post("/gcr-pledges", response={201: GcrPledgeOut, **ERRORS}, auth=signed_in_auth)
def gcr_pledge_create_api(request, payload: GcrPledgeIn):
    """Record a Global Refugee Forum pledge as a draft: for your organisation, or (the
    secretariat) on a pledger's behalf, as the form page does."""
    data = _gcr_input(payload)
    on_behalf = data.organisation.pk not in pledger_organisation_ids(request.auth)
    check = not (on_behalf and is_secretariat(request.auth))
    return Status(201, pledges.gcr_pledge_create(data=data, actor=request.auth, check=check))


@router.put(
    "/gcr-pledges/{int:pledge_id}", response={200: GcrPledgeOut, **ERRORS}, auth=signed_in_auth
)
def gcr_pledge_edit_api(request, payload: GcrPledgeIn, pledge_id: int = Id):
    """Edit a draft or returned GCR pledge (the whole record; the pledger cannot change)."""
    pledge = selectors.gcr_pledge_get_for_user(user=request.auth, pk=pledge_id)
    return pledges.gcr_pledge_update(pledge=pledge, data=_gcr_input(payload), actor=request.auth)


@router.post(
    "/gcr-pledges/{int:pledge_id}/transition",
    response={200: GcrPledgeOut, **ERRORS},
    auth=signed_in_auth,
)
def gcr_pledge_transition_api(request, payload: TransitionIn, pledge_id: int = Id):
    pledge = selectors.gcr_pledge_get_for_user(user=request.auth, pk=pledge_id)
    return pledges.gcr_pledge_transition(
        pledge=pledge, to=payload.to, actor=request.auth, note=payload.note
    )


@router.post(
    "/gcr-pledges/{int:pledge_id}/updates", response={201: dict, **ERRORS}, auth=signed_in_auth
)
def gcr_pledge_update_api(request, payload: GcrUpdateIn, pledge_id: int = Id):
    """Report a GCR pledge's stage of progress."""
    pledge = selectors.gcr_pledge_get_for_user(user=request.auth, pk=pledge_id)
    stage = GcrPledgeStage.objects.filter(code=payload.stage).first()
    if stage is None:
        raise ApplicationError(_("Unknown stage of progress."), {"field": "stage"})
    update = pledges.gcr_pledge_update_create(
        pledge=pledge,
        stage=stage,
        narrative=payload.narrative,
        actor=request.auth,
        reported_on=payload.reported_on,
    )
    return Status(201, {"id": update.pk, "stage": stage.code})


@router.get("/gcr-pledge-stages", response={200: list[StageOut], **ERRORS}, auth=public_auth)
def gcr_stage_list_api(request):
    """Stages of progress of GCR pledges (provisional: facts.md could not confirm them)."""
    return list(GcrPledgeStage.objects.all())


# --- National plans and reviews ----------------------------------------------------------------


def _version_queryset(user):
    return selectors.plan_version_visible(user=user).prefetch_related(
        Prefetch(
            "actions",
            queryset=PlanAction.objects.prefetch_related("objectives", "principles", "gcm_actions"),
        )
    )


@router.get("/plan-versions", response={200: list[PlanVersionOut], **ERRORS}, auth=public_auth)
@paginate(Paginated)
def plan_version_list_api(request, country: str | None = Query(None, pattern=r"^[0-9]{1,3}$")):
    """Versions of national GCM implementation plans with their actions."""
    queryset = _version_queryset(request.user).order_by("plan__country__name", "plan_id", "-number")
    if country:
        queryset = queryset.filter(plan__country__m49=country.zfill(3))
    return queryset


@router.get(
    "/plan-versions/{int:version_id}", response={200: PlanVersionOut, **ERRORS}, auth=public_auth
)
def plan_version_get_api(request, version_id: int = Id):
    version = _version_queryset(request.user).filter(pk=version_id).first()
    if version is None:
        raise NotFoundError(_("Not found."), {"id": version_id})
    return version


@router.post("/plans", response={201: PlanOut, **ERRORS}, auth=signed_in_auth)
def plan_create_api(request, payload: PlanIn):
    country = _country(payload.country)
    if country is None:
        raise ApplicationError(_("Name the plan's country."), {"field": "country"})
    plan = plans.national_plan_create(country=country, title=payload.title, actor=request.auth)
    return Status(201, plan)


@router.post(
    "/plans/{int:plan_id}/versions", response={201: PlanVersionOut, **ERRORS}, auth=signed_in_auth
)
def plan_version_create_api(request, payload: PlanVersionIn, plan_id: int = Id):
    plan = _get(NationalPlan, plan_id)
    version = plans.plan_version_create(
        plan=plan, data=plans.PlanVersionInput(**payload.dict()), actor=request.auth
    )
    return Status(201, _version_queryset(request.auth).get(pk=version.pk))


@router.post(
    "/plan-versions/{int:version_id}/actions",
    response={201: PlanActionOut, **ERRORS},
    auth=signed_in_auth,
)
def plan_action_create_api(request, payload: PlanActionIn, version_id: int = Id):
    version = selectors.plan_version_get_for_user(user=request.auth, pk=version_id)
    principles, actions = _principles_and_actions(payload.principles, payload.actions)
    data = plans.PlanActionInput(
        title=payload.title,
        lead_ministry=payload.lead_ministry,
        objectives=_objectives(payload.objectives),
        principles=principles,
        gcm_actions=actions,
        description=payload.description,
        amount=payload.amount,
        currency=payload.currency,
    )
    return Status(201, plans.plan_action_create(version=version, data=data, actor=request.auth))


@router.post(
    "/plan-versions/{int:version_id}/transition",
    response={200: PlanVersionOut, **ERRORS},
    auth=signed_in_auth,
)
def plan_version_transition_api(request, payload: TransitionIn, version_id: int = Id):
    version = selectors.plan_version_get_for_user(user=request.auth, pk=version_id)
    plans.plan_version_transition(
        version=version, to=payload.to, actor=request.auth, note=payload.note
    )
    return _version_queryset(request.auth).get(pk=version_id)


@router.post(
    "/plan-actions/{int:action_id}/updates", response={201: dict, **ERRORS}, auth=signed_in_auth
)
def plan_update_api(request, payload: PlanUpdateIn, action_id: int = Id):
    """Report progress on an action of a published plan."""
    action = _get(PlanAction, action_id)
    selectors.plan_version_get_for_user(user=request.auth, pk=action.version_id)
    update = plans.plan_progress_update_create(
        action=action,
        status=payload.status,
        narrative=payload.narrative,
        progress_percent=payload.progress_percent,
        actor=request.auth,
    )
    return Status(201, {"id": update.pk, "status": update.status})


@router.get(
    "/national-reviews", response={200: list[NationalReviewOut], **ERRORS}, auth=public_auth
)
@paginate(Paginated)
def national_review_list_api(request):
    """Voluntary national reviews."""
    return selectors.national_review_visible(user=request.user).order_by("-id")


@router.post("/national-reviews", response={201: NationalReviewOut, **ERRORS}, auth=signed_in_auth)
def national_review_create_api(request, payload: NationalReviewIn):
    edition, regional = _forum(payload.imrf_edition, payload.regional_review)
    country = _country(payload.country)
    if country is None:
        raise ApplicationError(_("Name the review's country."), {"field": "country"})
    return Status(
        201,
        plans.national_review_create(
            country=country,
            title=payload.title,
            summary=payload.summary,
            imrf_edition=edition,
            regional_review=regional,
            actor=request.auth,
        ),
    )


def _review(user, review_id: int):
    review = selectors.national_review_visible(user=user).filter(pk=review_id).first()
    if review is None:
        raise NotFoundError(_("Not found."), {"id": review_id})
    return review


@router.post(
    "/national-reviews/{int:review_id}/attachments",
    response={201: AttachmentOut, **ERRORS},
    auth=signed_in_auth,
)
def national_review_attach_api(
    request,
    file: File[UploadedFile],
    title: Form[str] = "",
    review_id: int = Id,
):
    """Attach a file (multipart: ``file``, optional ``title``) to a draft or returned review:
    one file of at most 25 MB, of the document types the form accepts."""
    review = _review(request.auth, review_id)
    if len(title) > ATTACHMENT_TITLE_MAX:
        raise ApplicationError(
            _("A title has at most %(max)s characters.") % {"max": ATTACHMENT_TITLE_MAX},
            {"field": "title"},
        )
    try:
        attachment = plans.national_review_attach(
            review=review, title=title, upload=file, actor=request.auth
        )
    except ApplicationError as error:
        if error.extra.get("field") == "attachment":
            error.extra["field"] = "file"  # the name of the multipart field here
        raise
    return Status(201, attachment)


@router.post(
    "/national-reviews/{int:review_id}/transition",
    response={200: NationalReviewOut, **ERRORS},
    auth=signed_in_auth,
)
def national_review_transition_api(request, payload: TransitionIn, review_id: int = Id):
    review = _review(request.auth, review_id)
    return plans.national_review_transition(
        review=review, to=payload.to, actor=request.auth, note=payload.note
    )


# --- Indicators -------------------------------------------------------------------------------


@router.get("/indicators", response={200: list[IndicatorOut], **ERRORS}, auth=public_auth)
@paginate(Paginated)
def indicator_list_api(request, kind: Literal["sdg", "gcr", "national"] | None = None):
    """The indicator catalogue."""
    return selectors.indicator_list(kind=kind or "").prefetch_related("objectives")


@router.get("/indicators/{slug}", response={200: IndicatorOut, **ERRORS}, auth=public_auth)
def indicator_get_api(request, slug: str = Path(..., max_length=60)):
    return selectors.indicator_get(slug=slug)


@router.post("/indicators", response={201: IndicatorOut, **ERRORS}, auth=signed_in_auth)
def indicator_create_api(request, payload: IndicatorIn):
    data = indicators.IndicatorInput(
        kind=payload.kind,
        code=payload.code,
        title=payload.title,
        unit=payload.unit,
        direction=payload.direction,
        base_year=payload.base_year,
        target_value=payload.target_value,
        target_year=payload.target_year,
        country=_country(payload.country),
        objectives=_objectives(payload.objectives),
    )
    return Status(201, indicators.indicator_create(data=data, actor=request.auth))


@router.put(
    "/indicators/{slug}/target", response={200: IndicatorOut, **ERRORS}, auth=signed_in_auth
)
def indicator_target_api(request, payload: TargetIn, slug: str = Path(..., max_length=60)):
    """Set (value and year) or clear (both null) the target progress is measured against."""
    indicator = selectors.indicator_get(slug=slug)
    indicators.indicator_set_target(
        indicator=indicator,
        target_value=payload.target_value,
        target_year=payload.target_year,
        actor=request.auth,
    )
    return selectors.indicator_get(slug=slug)


@router.get(
    "/indicators/{slug}/series", response={200: list[SeriesOut], **ERRORS}, auth=public_auth
)
def indicator_series_api(
    request, filters: Query[SeriesFilters], slug: str = Path(..., max_length=60)
):
    """The indicator's series per country and disaggregation, with their progress status."""
    indicator = selectors.indicator_get(slug=slug)
    country = _country(filters.country) if filters.country else None
    return [
        {
            "country": s.country.m49,
            "disaggregation": s.disaggregation,
            "points": [(p.year, p.value) for p in s.points],
            "progress": str(s.progress.status),
            "cagr": s.progress.cagr,
            "ratio": s.progress.ratio,
        }
        for s in selectors.indicator_series(indicator=indicator, country=country)
    ]


@router.get("/indicators/{slug}/data.csv", auth=public_auth, response={200: None, **ERRORS})
def indicator_csv_api(request, slug: str = Path(..., max_length=60)):
    """The indicator's data as one Open SDG CSV."""
    indicator = selectors.indicator_get(slug=slug)
    response = HttpResponse(
        selectors.indicator_export_csv(indicator=indicator), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{indicator.slug}.csv"'
    return response


@router.post(
    "/indicators/{slug}/data",
    response={**ERRORS, 200: UploadOut, 400: UploadOut},
    auth=signed_in_auth,
)
def indicator_import_api(request, file: File[UploadedFile], slug: str = Path(..., max_length=60)):
    """Load the indicator's data from an Open SDG CSV or XLSX: all or nothing, row-by-row report."""
    indicator = selectors.indicator_get(slug=slug)
    report = indicators.indicator_data_import(
        indicator=indicator,
        content=file.read(),
        filename=file.name or "upload.csv",
        actor=request.auth,
    )
    body = {"accepted": report.accepted, "rows": report.as_json()}
    return Status(200 if report.accepted else 400, body)


@router.get("/health/inclusion", response={200: list[InclusionOut], **ERRORS}, auth=public_auth)
def inclusion_list_api(request):
    """Latest assessment per country: migrants in the national health and vaccination plans?"""
    return selectors.health_inclusion_latest()


@router.post("/health/inclusion", response={201: InclusionOut, **ERRORS}, auth=signed_in_auth)
def inclusion_record_api(request, payload: InclusionIn):
    country = _country(payload.country)
    if country is None:
        raise ApplicationError(_("Name the country."), {"field": "country"})
    return Status(
        201,
        indicators.health_inclusion_record(
            country=country,
            assessed_on=payload.assessed_on,
            health_plan=payload.health_plan,
            vaccination_plan=payload.vaccination_plan,
            source=payload.source,
            note=payload.note,
            actor=request.auth,
        ),
    )


# --- Review cycle ---------------------------------------------------------------------------


@router.get("/imrf-editions", response={200: list[EditionOut], **ERRORS}, auth=public_auth)
def edition_list_api(request):
    """IMRF editions with their round tables and objective clusters."""
    return list(
        ImrfEdition.objects.prefetch_related(
            Prefetch("round_tables", queryset=RoundTable.objects.prefetch_related("objectives"))
        )
    )


@router.get(
    "/regional-reviews", response={200: list[RegionalReviewOut], **ERRORS}, auth=public_auth
)
def regional_review_list_api(request):
    return list(selectors.regional_review_list())


@router.get(
    "/regional-commissions",
    response={200: list[RegionalCommissionOut], **ERRORS},
    auth=public_auth,
)
def regional_commission_list_api(request):
    """The UN regional commissions that convene the regional reviews (GCM para 50), with the
    status of each row (confirmed or provisional)."""
    return list(selectors.regional_commission_list())


@router.get("/commitments", response={200: list[CommitmentOut], **ERRORS}, auth=public_auth)
def commitment_list_api(request):
    """Progress Declaration commitments tracked as items with an owner and a status."""
    return list(selectors.commitment_list())


@router.post("/commitments", response={201: CommitmentOut, **ERRORS}, auth=signed_in_auth)
def commitment_create_api(request, payload: CommitmentIn):
    """Track a commitment of an IMRF's Progress Declaration (the secretariat)."""
    edition = _edition(payload.edition, field="edition")
    return Status(
        201,
        cycle.commitment_create(
            edition=edition,
            paragraph=payload.paragraph.strip(),
            title=payload.title.strip(),
            text=payload.text.strip(),
            owner=_organisation(payload.owner) if payload.owner else None,
            owner_label=payload.owner_label.strip(),
            due_on=payload.due_on,
            source_note=payload.source_note,
            actor=request.auth,
        ),
    )


@router.put(
    "/commitments/{int:commitment_id}",
    response={200: CommitmentOut, **ERRORS},
    auth=signed_in_auth,
)
def commitment_update_api(request, payload: CommitmentUpdateIn, commitment_id: int = Id):
    """Correct a commitment's IMRF, paragraph, title, text, owner, due date and source (the
    secretariat); its state does not change here."""
    commitment = _get(Commitment, commitment_id)
    return cycle.commitment_update(
        commitment=commitment,
        edition=_edition(payload.edition, field="edition") if payload.edition else None,
        paragraph=payload.paragraph,
        title=payload.title,
        text=payload.text,
        owner=_organisation(payload.owner) if payload.owner else None,
        owner_label=payload.owner_label,
        due_on=payload.due_on,
        source_note=payload.source_note,
        actor=request.auth,
    )


@router.post(
    "/commitments/{int:commitment_id}/owner",
    response={200: CommitmentOut, **ERRORS},
    auth=signed_in_auth,
)
def commitment_assign_api(request, payload: CommitmentAssignIn, commitment_id: int = Id):
    """Say who owns a commitment: an organisation, a label, or both (the secretariat)."""
    commitment = _get(Commitment, commitment_id)
    return cycle.commitment_assign(
        commitment=commitment,
        owner=_organisation(payload.owner) if payload.owner else None,
        owner_label=payload.owner_label.strip(),
        actor=request.auth,
    )


@router.post(
    "/commitments/{int:commitment_id}/transition",
    response={200: CommitmentOut, **ERRORS},
    auth=signed_in_auth,
)
def commitment_transition_api(request, payload: TransitionIn, commitment_id: int = Id):
    commitment = _get(Commitment, commitment_id)
    return cycle.commitment_transition(
        commitment=commitment, to=payload.to, actor=request.auth, note=payload.note
    )


@router.post("/registrations", response={201: RegistrationOut, **ERRORS}, auth=signed_in_auth)
def registration_create_api(request, payload: RegistrationIn):
    edition, regional = _forum(payload.imrf_edition, payload.regional_review)
    return Status(
        201,
        cycle.registration_create(
            organisation=_organisation(payload.organisation),
            participant_name=payload.participant_name,
            imrf_edition=edition,
            regional_review=regional,
            actor=request.auth,
        ),
    )


@router.post(
    "/registrations/{int:registration_id}/decision",
    response={200: RegistrationOut, **ERRORS},
    auth=signed_in_auth,
)
def registration_decide_api(request, payload: DecisionIn, registration_id: int = Id):
    registration = _get(StakeholderRegistration, registration_id)
    return cycle.registration_decide(
        registration=registration, accept=payload.accept, actor=request.auth
    )


@router.get("/submissions", response={200: list[SubmissionOut], **ERRORS}, auth=public_auth)
@paginate(Paginated)
def submission_list_api(request):
    """Written submissions: published ones, and your organisation's."""
    return selectors.submission_visible(user=request.user).order_by("-id")


@router.post("/submissions", response={201: SubmissionOut, **ERRORS}, auth=signed_in_auth)
def submission_create_api(request, payload: SubmissionIn):
    edition, regional = _forum(payload.imrf_edition, payload.regional_review)
    return Status(
        201,
        cycle.submission_create(
            organisation=_organisation(payload.organisation),
            title=payload.title,
            text=payload.text,
            objectives=_objectives(payload.objectives),
            imrf_edition=edition,
            regional_review=regional,
            actor=request.auth,
        ),
    )


@router.post(
    "/submissions/{int:submission_id}/publish",
    response={200: SubmissionOut, **ERRORS},
    auth=signed_in_auth,
)
def submission_publish_api(request, submission_id: int = Id):
    submission = _get(WrittenSubmission, submission_id)
    return cycle.submission_publish(submission=submission, actor=request.auth)
