"""The programme cycle's API, mounted at ``/api/v1/``: programmes (concept notes and joint
programmes), their transitions, and the Steering Committee's meetings."""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from compacts.api.auth import public_auth, signed_in_auth
from compacts.api.pagination import Paginated
from compacts.api.schemas import MAX_ID, ErrorOut
from compacts.core.permissions import require
from compacts.programmes import selectors, services
from compacts.programmes.models import Meeting, Programme, ProgrammeTransition
from compacts.programmes.workflows.programme import State

router = Router(tags=["programmes"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
ProgrammeId = Path(..., ge=1, le=MAX_ID, description="The programme's id.")


class ProgrammeOut(Schema):
    id: int
    code: str
    title: str
    state: str = Field(..., description="Workflow state (docs/programmes.md).")
    state_label: str
    fund: str
    scope: str
    submitting_organisation: str
    participating_organisations: list[str]
    convening_organisation: str | None
    countries: list[str] = Field(..., description="ISO alpha-2 codes.")
    primary_objective: int | None = Field(None, description="GCM objective number.")
    other_objectives: list[int]
    thematic_area: str | None
    gcr_areas: list[str] = Field(..., description="Codes of Global Compact on Refugees areas.")
    indicative_budget: Decimal | None
    duration_months: int | None
    pipeline_priority: int | None
    starts_on: date | None
    ends_on: date | None
    version: int
    allowed_next_states: list[str] = Field(..., description="Moves the workflow allows from here.")
    is_illustrative: bool

    @staticmethod
    def resolve_state_label(obj: Programme) -> str:
        return str(State(obj.state).label)

    @staticmethod
    def resolve_fund(obj: Programme) -> str:
        return obj.fund.code

    @staticmethod
    def resolve_submitting_organisation(obj: Programme) -> str:
        return str(obj.submitting_organisation)

    @staticmethod
    def resolve_participating_organisations(obj: Programme) -> list[str]:
        return [str(o) for o in obj.participating_organisations.all()]

    @staticmethod
    def resolve_convening_organisation(obj: Programme) -> str | None:
        return str(obj.convening_organisation) if obj.convening_organisation_id else None

    @staticmethod
    def resolve_countries(obj: Programme) -> list[str]:
        return [c.iso2 for c in obj.countries.all()]

    @staticmethod
    def resolve_primary_objective(obj: Programme) -> int | None:
        return obj.primary_objective.number if obj.primary_objective_id else None

    @staticmethod
    def resolve_other_objectives(obj: Programme) -> list[int]:
        return [o.number for o in obj.other_objectives.all()]

    @staticmethod
    def resolve_gcr_areas(obj: Programme) -> list[str]:
        return [a.code for a in obj.gcr_areas.all()]

    @staticmethod
    def resolve_thematic_area(obj: Programme) -> str | None:
        return obj.thematic_area.code if obj.thematic_area_id else None

    @staticmethod
    def resolve_allowed_next_states(obj: Programme) -> list[str]:
        return selectors.allowed_next_states(programme=obj)


class ProgrammeFilters(Schema):
    state: State | None = Field(None, description="Only programmes in this workflow state.")
    search: str | None = Field(
        None, max_length=200, description="Words in the code, title or text."
    )


class TransitionOut(Schema):
    id: int
    from_state: str
    to_state: str
    actor: str
    at: datetime
    note: str

    @staticmethod
    def resolve_actor(obj: ProgrammeTransition) -> str:
        return obj.actor.get_username() if obj.actor_id else "system"


class TransitionIn(Schema):
    to: str = Field(..., max_length=30, description="The state to move to.")
    note: str = Field("", max_length=5000, description="Why (required for refusals).")


class AgendaItemOut(Schema):
    order: int
    kind: str
    title: str
    programme: int | None = Field(None, alias="programme_id")
    decision: str | None

    @staticmethod
    def resolve_decision(obj) -> str | None:
        decision = getattr(obj, "decision", None)
        return decision.outcome if decision else None


class MeetingOut(Schema):
    id: int
    title: str
    held_on: date
    location: str
    minutes_approved: bool
    items: list[AgendaItemOut]
    is_illustrative: bool

    @staticmethod
    def resolve_minutes_approved(obj: Meeting) -> bool:
        return obj.minutes_approved_at is not None

    @staticmethod
    def resolve_items(obj: Meeting) -> list:
        return list(obj.items.all())


def _user(request):
    return request.auth if request.auth is not True else request.user


@router.get("/programmes", response={200: list[ProgrammeOut], **ERRORS}, auth=public_auth)
@paginate(Paginated)
def programme_list_api(request, filters: Query[ProgrammeFilters]):
    """Concept notes and joint programmes the caller may see (the public sees the pipeline and
    funded programmes; drafts only to their organisations and the fund's bodies)."""
    return (
        selectors.programme_list_for_user(
            user=_user(request), state=filters.state or "", search=filters.search or ""
        )
        .select_related("convening_organisation")
        .prefetch_related(
            "participating_organisations", "countries", "other_objectives", "gcr_areas"
        )
    )


@router.get(
    "/programmes/{int:programme_id}", response={200: ProgrammeOut, **ERRORS}, auth=public_auth
)
def programme_get_api(request, programme_id: int = ProgrammeId):
    """One programme."""
    return selectors.programme_get_for_user(user=_user(request), programme_id=programme_id)


@router.get(
    "/programmes/{int:programme_id}/transitions",
    response={200: list[TransitionOut], **ERRORS},
    auth=public_auth,
)
def programme_transition_list_api(request, programme_id: int = ProgrammeId):
    """The programme's moves through its workflow, oldest first."""
    programme = selectors.programme_get_for_user(user=_user(request), programme_id=programme_id)
    return list(selectors.programme_transition_list(programme=programme))


@router.post(
    "/programmes/{int:programme_id}/transitions",
    response={201: ProgrammeOut, **ERRORS},
    auth=signed_in_auth,
)
def programme_transition_api(request, payload: TransitionIn, programme_id: int = ProgrammeId):
    """Move the programme. An illegal move answers 409 with ``extra.allowed``, the states
    allowed from here; a move the caller holds no role for answers 403."""
    programme = selectors.programme_get_for_user(user=request.auth, programme_id=programme_id)
    moved = services.programme_transition(
        programme=programme, to=payload.to, actor=request.auth, note=payload.note
    )
    return Status(201, moved)


@router.get("/committee/meetings", response={200: list[MeetingOut], **ERRORS}, auth=signed_in_auth)
@paginate(Paginated)
def meeting_list_api(request):
    """The Steering Committee's meetings, newest first, with their agenda and decisions
    (Committee members, its chair and the Management Unit)."""
    require(request.auth, "programmes.meeting.view")
    return selectors.meeting_list().annotate(n=Count("items")).prefetch_related("items__decision")
