"""The network API (``/api/v1/network``): one endpoint per operation, thin over services and
selectors; permissions are checked by the services and the ``*_get_for_user`` selectors."""

import datetime
from typing import Any, Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from compacts.api.auth import public_auth, signed_in_auth
from compacts.api.pagination import Paginated
from compacts.api.schemas import ErrorOut
from compacts.core.exceptions import ApplicationError, NotFoundError
from compacts.core.permissions import require
from compacts.framework.models import Country
from compacts.network import selectors, services
from compacts.network.models import (
    Achievement,
    Attachment,
    CallForPractices,
    ChampionCountry,
    Comment,
    Deliverable,
    Event,
    FocalPoint,
    NetworkMember,
    Resource,
    Term,
    WorkplanActivity,
)

router = Router(tags=["network"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# --- Schemas -----------------------------------------------------------------------------------


class TransitionIn(Schema):
    to: str
    note: str = ""


class NetworkTransitionIn(TransitionIn):
    established_on: datetime.date | None = Field(
        None, description="The date the network was established, when it becomes established."
    )


class StateOut(Schema):
    id: int
    state: str


class RefOut(Schema):
    id: int
    name: str


class PracticeListOut(Schema):
    id: int
    title: str
    summary: str
    language: str
    state: str
    published_at: datetime.datetime | None
    is_illustrative: bool
    is_synthetic: bool
    rank: float | None = None


class PracticeOut(PracticeListOut):
    description: str
    results: str
    innovation: str
    replicability: str
    resources: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    call_id: int | None
    review_note: str
    countries: list[str]
    objectives: list[int]
    principles: list[str]
    themes: list[str]
    sdg_indicators: list[str]
    organisations: list[int]

    @staticmethod
    def resolve_countries(obj) -> list[str]:
        return [c.iso2 for c in obj.countries.all()]

    @staticmethod
    def resolve_objectives(obj) -> list[int]:
        return [o.number for o in obj.objectives.all()]

    @staticmethod
    def resolve_principles(obj) -> list[str]:
        return [p.letter for p in obj.principles.all()]

    @staticmethod
    def resolve_themes(obj) -> list[str]:
        return [t.code for t in obj.themes.all()]

    @staticmethod
    def resolve_sdg_indicators(obj) -> list[str]:
        return [i.code for i in obj.sdg_indicators.all()]

    @staticmethod
    def resolve_organisations(obj) -> list[int]:
        return [o.pk for o in obj.organisations.all()]


class PracticeIn(Schema):
    """The Hub's template. Lists take ids (``countries``, ``regions``, ``objectives``...)."""

    title: str | None = Field(None, max_length=300)
    summary: str | None = None
    language: str | None = None
    description: str | None = None
    results: str | None = None
    innovation: str | None = None
    replicability: str | None = None
    resources: str | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    call: int | None = None
    countries: list[int] | None = None
    regions: list[int] | None = None
    objectives: list[int] | None = None
    principles: list[int] | None = None
    sdg_indicators: list[int] | None = None
    themes: list[int] | None = None
    organisations: list[int] | None = None


class PracticeQuery(Schema):
    q: str = Field("", max_length=500)
    objective: list[int] = Field(default_factory=list)
    country: list[str] = Field(default_factory=list)
    region: list[str] = Field(default_factory=list)
    principle: list[str] = Field(default_factory=list)
    theme: list[str] = Field(default_factory=list)
    language: str = ""
    call: int | None = None
    lang: str = Field("en", description="The reader's language, for stemming the query.")


class CommentIn(Schema):
    body: str


class CommentOut(Schema):
    id: int
    body: str
    state: str
    author: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_author(obj) -> str:
        return obj.author.get_full_name() or obj.author.username


class AttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int


class CallOut(Schema):
    id: int
    title: str
    theme: str
    description: str
    opens_on: datetime.date
    deadline: datetime.date
    state: str
    is_illustrative: bool


class CallIn(Schema):
    title: str
    theme: str
    opens_on: datetime.date
    deadline: datetime.date
    description: str = ""
    objectives: list[int] = Field(default_factory=list)


class ResourceOut(Schema):
    id: int
    title: str
    description: str
    resource_type: str
    language: str
    publisher: str
    published_on: datetime.date | None
    geographic_scope: str
    keywords: str
    url: str
    status: str
    is_illustrative: bool

    @staticmethod
    def resolve_resource_type(obj) -> str:
        return obj.resource_type.code


class MemberOut(Schema):
    id: int
    organisation: str
    joined_on: datetime.date | None
    joined_note: str
    is_executive_committee: bool
    is_coordinator: bool
    hosts_secretariat: bool
    is_illustrative: bool
    left_on: datetime.date | None = Field(
        None, description="The date it left the Network; null while it is a member."
    )
    left_note: str = ""

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.name


class WorkingGroupOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    description: str
    terms_of_reference: str
    workplan_period: str
    co_leads: list[str]
    co_leads_confirmed: bool
    is_illustrative: bool

    @staticmethod
    def resolve_co_leads(obj) -> list[str]:
        return [str(m.organisation) for m in obj.members.all() if m.role == "co-lead"]


class ActivityIn(Schema):
    title: str
    description: str = ""
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    timeline: str = ""


class ActivityOut(Schema):
    id: int
    title: str
    state: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    timeline: str


class DeliverableIn(Schema):
    title: str
    description: str = ""


class DeliverableOut(Schema):
    id: int
    title: str
    state: str
    published_on: datetime.date | None
    pilot_countries: list[str]

    @staticmethod
    def resolve_pilot_countries(obj) -> list[str]:
        return [c.country.iso2 for c in obj.pilot_countries.all()]


class PilotCountriesIn(Schema):
    champions: list[int]


class FeedbackIn(Schema):
    champion: int
    feedback: str


class ChampionOut(Schema):
    id: int
    country: str
    since: datetime.date | None

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.country.iso2


class NetworkOut(Schema):
    id: int
    kind: str
    name: str
    country: str | None
    state: str
    established_on: datetime.date | None
    coordinating_office: str
    is_illustrative: bool

    @staticmethod
    def resolve_country(obj) -> str | None:
        return obj.country.iso2 if obj.country_id else None


class AchievementIn(Schema):
    kind: str
    title: str
    happened_on: datetime.date
    description: str = ""
    people_trained: int | None = Field(None, ge=0)
    reference: str = ""


class AchievementOut(Schema):
    id: int
    kind: str
    title: str
    happened_on: datetime.date
    people_trained: int | None


class EventOut(Schema):
    id: int
    title: str
    event_type: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    registration_deadline: datetime.datetime
    capacity: int
    state: str
    location: str
    is_illustrative: bool

    @staticmethod
    def resolve_event_type(obj) -> str:
        return obj.event_type.code


class EventFieldsIn(Schema):
    """What creating and updating an event both take."""

    title: str
    event_type: str = Field(description="An event-type term code, such as 'webinar'.")
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    registration_deadline: datetime.datetime
    capacity: int
    description: str = ""
    location: str = ""


class EventIn(EventFieldsIn):
    working_group: str | None = None


class RegistrationIn(Schema):
    organisation_name: str = ""
    needs: str = ""


class RegistrationOut(Schema):
    id: int
    event_id: int
    state: str
    organisation_name: str


class SupportRequestIn(Schema):
    title: str
    country: str = Field(description="ISO alpha-2 code.")
    description: str
    objectives: list[int] = Field(default_factory=list)


class SupportRequestOut(Schema):
    id: int
    title: str
    country: str
    description: str
    state: str
    support_summary: str
    outcome: str
    concept_note_reference: str
    partners: list[int]
    is_illustrative: bool

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.country.iso2

    @staticmethod
    def resolve_partners(obj) -> list[int]:
        return [p.pk for p in obj.partners.all()]


class MatchIn(Schema):
    partners: list[int]
    practices: list[int] = Field(default_factory=list)
    note: str = ""


class SupportIn(Schema):
    summary: str


class ConceptNoteIn(Schema):
    reference: str


def _practice_data(payload: PracticeIn) -> dict[str, Any]:
    return payload.dict(exclude_unset=True)


# --- Practices ---------------------------------------------------------------------------------


@router.get("/practices", response={200: list[PracticeListOut], **ERRORS}, auth=public_auth)
@paginate(Paginated)
def practice_list(request, filters: Query[PracticeQuery]):
    """Published practices, ranked by relevance when ``q`` is given; facets combine with AND."""
    result = selectors.practice_search(
        query=filters.q,
        filters=selectors.PracticeFilters(
            objectives=filters.objective,
            countries=filters.country,
            regions=filters.region,
            principles=filters.principle,
            themes=filters.theme,
            language=filters.language,
            call=filters.call,
        ),
        language=filters.lang,
    )
    if result.message:
        raise ApplicationError(result.message, {"field": "q"})
    return result.practices


@router.get("/practices/{pk}", response={200: PracticeOut, **ERRORS}, auth=public_auth)
def practice_get(request, pk: int):
    return selectors.practice_get_for_user(user=request.user, pk=pk)


@router.post("/practices", response={201: PracticeOut, **ERRORS}, auth=signed_in_auth)
def practice_create(request, payload: PracticeIn):
    """Save a draft (incomplete drafts are kept; submission checks the required fields)."""
    return Status(201, services.practice_create(actor=request.user, data=_practice_data(payload)))


@router.patch("/practices/{pk}", response={200: PracticeOut, **ERRORS}, auth=signed_in_auth)
def practice_update(request, pk: int, payload: PracticeIn):
    practice = selectors.practice_get_for_user(user=request.user, pk=pk)
    return services.practice_update(
        actor=request.user, practice=practice, data=_practice_data(payload)
    )


@router.post("/practices/{pk}/submit", response={200: StateOut, **ERRORS}, auth=signed_in_auth)
def practice_submit(request, pk: int):
    practice = selectors.practice_get_for_user(user=request.user, pk=pk)
    return services.practice_submit(actor=request.user, practice=practice)


@router.post("/practices/{pk}/transitions", response={200: StateOut, **ERRORS}, auth=signed_in_auth)
def practice_transition(request, pk: int, payload: TransitionIn):
    """Review steps: ``in-review``, ``changes-requested`` (note), ``published``, ``rejected``."""
    practice = selectors.practice_get_for_user(user=request.user, pk=pk)
    return services.practice_transition(
        practice=practice, to=payload.to, actor=request.user, note=payload.note
    )


@router.post(
    "/practices/{pk}/attachments", response={201: AttachmentOut, **ERRORS}, auth=signed_in_auth
)
def practice_attach(request, pk: int, file: File[UploadedFile]):
    practice = selectors.practice_get_for_user(user=request.user, pk=pk)
    return Status(201, services.attachment_add(actor=request.user, practice=practice, upload=file))


@router.get(
    "/practices/{pk}/comments", response={200: list[CommentOut], **ERRORS}, auth=public_auth
)
def practice_comments(request, pk: int):
    practice = selectors.practice_get_for_user(user=request.user, pk=pk)
    return list(selectors.practice_comments(practice=practice, user=request.user))


@router.post("/practices/{pk}/comments", response={201: CommentOut, **ERRORS}, auth=signed_in_auth)
def comment_create(request, pk: int, payload: CommentIn):
    practice = selectors.practice_get_for_user(user=request.user, pk=pk)
    return Status(
        201, services.comment_create(actor=request.user, practice=practice, body=payload.body)
    )


@router.post("/comments/{pk}/transitions", response={200: StateOut, **ERRORS}, auth=signed_in_auth)
def comment_transition(request, pk: int, payload: TransitionIn):
    comment = get_object_or_404(Comment, pk=pk)
    return services.comment_transition(
        comment=comment, to=payload.to, actor=request.user, note=payload.note
    )


# --- Calls and the library -----------------------------------------------------------------------


@router.get("/calls", response={200: list[CallOut], **ERRORS}, auth=public_auth)
@paginate(Paginated)
def call_list(request):
    return selectors.call_list(
        public=not request.user.is_authenticated or not request.user.is_superuser
    )


@router.post("/calls", response={201: CallOut, **ERRORS}, auth=signed_in_auth)
def call_create(request, payload: CallIn):
    return Status(
        201,
        services.call_create(
            actor=request.user,
            title=payload.title,
            theme=payload.theme,
            opens_on=payload.opens_on,
            deadline=payload.deadline,
            description=payload.description,
            objective_ids=payload.objectives,
        ),
    )


@router.post("/calls/{pk}/transitions", response={200: StateOut, **ERRORS}, auth=signed_in_auth)
def call_transition(request, pk: int, payload: TransitionIn):
    call = get_object_or_404(CallForPractices, pk=pk)
    return services.call_transition(call=call, to=payload.to, actor=request.user, note=payload.note)


@router.get("/resources", response={200: list[ResourceOut], **ERRORS}, auth=public_auth)
@paginate(Paginated)
def resource_list(request, q: str = "", type: str = "", objective: int | None = None):  # noqa: A002
    return selectors.resource_list(query=q, type_code=type, objective=objective)


# --- Structure -------------------------------------------------------------------------------


@router.get("/members", response={200: list[MemberOut], **ERRORS}, auth=public_auth)
@paginate(Paginated)
def member_list(
    request,
    status: Literal["current", "former", "all"] = "current",
    executive_committee: bool | None = None,
):
    """The members of the Network: by default the current ones (no date they left, or one still
    ahead); ``status=former`` those that left (latest first), ``status=all`` both.
    ``executive_committee=true`` keeps the members of the Executive Committee."""
    return selectors.network_member_list(status=status, executive_committee=executive_committee)


@router.get("/champion-countries", response={200: list[ChampionOut], **ERRORS}, auth=public_auth)
@paginate(Paginated)
def champion_list(request):
    return ChampionCountry.objects.select_related("country")


@router.get("/working-groups", response={200: list[WorkingGroupOut], **ERRORS}, auth=public_auth)
@paginate(Paginated)
def working_group_list(request):
    return selectors.working_group_list()


@router.get("/working-groups/{code}", response={200: WorkingGroupOut, **ERRORS}, auth=public_auth)
def working_group_get(request, code: str):
    return selectors.working_group_get(code=code)


@router.get(
    "/working-groups/{code}/activities",
    response={200: list[ActivityOut], **ERRORS},
    auth=public_auth,
)
def activity_list(request, code: str):
    return list(selectors.working_group_get(code=code).activities.all())


@router.post(
    "/working-groups/{code}/activities", response={201: ActivityOut, **ERRORS}, auth=signed_in_auth
)
def activity_create(request, code: str, payload: ActivityIn):
    group = selectors.working_group_get(code=code)
    return Status(
        201, services.activity_create(actor=request.user, working_group=group, **payload.dict())
    )


@router.post(
    "/activities/{pk}/transitions", response={200: StateOut, **ERRORS}, auth=signed_in_auth
)
def activity_transition(request, pk: int, payload: TransitionIn):
    activity = get_object_or_404(WorkplanActivity, pk=pk)
    return services.activity_transition(
        activity=activity, to=payload.to, actor=request.user, note=payload.note
    )


@router.get(
    "/working-groups/{code}/deliverables",
    response={200: list[DeliverableOut], **ERRORS},
    auth=public_auth,
)
def deliverable_list(request, code: str):
    return list(selectors.working_group_get(code=code).deliverables.all())


@router.post(
    "/working-groups/{code}/deliverables",
    response={201: DeliverableOut, **ERRORS},
    auth=signed_in_auth,
)
def deliverable_create(request, code: str, payload: DeliverableIn):
    group = selectors.working_group_get(code=code)
    return Status(
        201, services.deliverable_create(actor=request.user, working_group=group, **payload.dict())
    )


@router.put(
    "/deliverables/{pk}/pilot-countries",
    response={200: DeliverableOut, **ERRORS},
    auth=signed_in_auth,
)
def deliverable_pilots(request, pk: int, payload: PilotCountriesIn):
    deliverable = get_object_or_404(Deliverable, pk=pk)
    return services.deliverable_pilot_countries_set(
        actor=request.user, deliverable=deliverable, champion_ids=payload.champions
    )


@router.post("/deliverables/{pk}/feedback", response={201: StateOut, **ERRORS}, auth=signed_in_auth)
def deliverable_feedback(request, pk: int, payload: FeedbackIn):
    deliverable = get_object_or_404(Deliverable, pk=pk)
    champion = get_object_or_404(ChampionCountry, pk=payload.champion)
    services.pilot_feedback_add(
        actor=request.user, deliverable=deliverable, champion=champion, feedback=payload.feedback
    )
    return Status(201, {"id": deliverable.pk, "state": deliverable.state})


@router.post(
    "/deliverables/{pk}/transitions", response={200: StateOut, **ERRORS}, auth=signed_in_auth
)
def deliverable_transition(request, pk: int, payload: TransitionIn):
    deliverable = get_object_or_404(Deliverable, pk=pk)
    return services.deliverable_transition(
        deliverable=deliverable, to=payload.to, actor=request.user, note=payload.note
    )


# --- Country and regional networks ---------------------------------------------------------------


@router.get("/country-networks", response={200: list[NetworkOut], **ERRORS}, auth=public_auth)
@paginate(Paginated)
def network_list(request, kind: str = "", region: str = "", state: str = "", q: str = ""):
    return selectors.country_network_list(
        filters=selectors.NetworkFilters(kind=kind, region=region, state=state, query=q)
    )


@router.get("/country-networks/{pk}", response={200: NetworkOut, **ERRORS}, auth=public_auth)
def network_get(request, pk: int):
    return selectors.country_network_get(pk=pk)


@router.get(
    "/country-networks/{pk}/achievements",
    response={200: list[AchievementOut], **ERRORS},
    auth=public_auth,
)
def achievement_list(request, pk: int):
    return list(selectors.country_network_get(pk=pk).achievements.all())


@router.post(
    "/country-networks/{pk}/achievements",
    response={201: AchievementOut, **ERRORS},
    auth=signed_in_auth,
)
def achievement_create(request, pk: int, payload: AchievementIn):
    network = selectors.country_network_get(pk=pk)
    return Status(
        201, services.achievement_record(actor=request.user, network=network, **payload.dict())
    )


@router.post(
    "/country-networks/{pk}/transitions", response={200: StateOut, **ERRORS}, auth=signed_in_auth
)
def network_transition(request, pk: int, payload: NetworkTransitionIn):
    """``established`` (give ``established_on`` if the network has no date yet), ``inactive``
    (with a note); an illegal move is a 409 naming the allowed ones (``extra.allowed``)."""
    network = selectors.country_network_get(pk=pk)
    return services.country_network_transition(
        network=network,
        to=payload.to,
        actor=request.user,
        note=payload.note,
        established_on=payload.established_on,
    )


# --- Events --------------------------------------------------------------------------------------


@router.get("/events", response={200: list[EventOut], **ERRORS}, auth=public_auth)
@paginate(Paginated)
def event_list(request):
    return selectors.event_list()


@router.get("/events/{pk}", response={200: EventOut, **ERRORS}, auth=public_auth)
def event_get(request, pk: int):
    return selectors.event_get(user=request.user, pk=pk)


@router.post("/events", response={201: EventOut, **ERRORS}, auth=signed_in_auth)
def event_create(request, payload: EventIn):
    event_type = Term.objects.filter(vocabulary="event-type", code=payload.event_type).first()
    if event_type is None:
        raise ApplicationError(_("Unknown event type."), {"field": "event_type"})
    group = (
        selectors.working_group_get(code=payload.working_group) if payload.working_group else None
    )
    data = payload.dict(exclude={"event_type", "working_group"})
    return Status(
        201,
        services.event_create(
            actor=request.user, event_type=event_type, working_group=group, **data
        ),
    )


@router.post("/events/{pk}/transitions", response={200: StateOut, **ERRORS}, auth=signed_in_auth)
def event_transition(request, pk: int, payload: TransitionIn):
    event = get_object_or_404(Event, pk=pk)
    return services.event_transition(
        event=event, to=payload.to, actor=request.user, note=payload.note
    )


@router.post(
    "/events/{pk}/registrations", response={201: RegistrationOut, **ERRORS}, auth=signed_in_auth
)
def registration_create(request, pk: int, payload: RegistrationIn):
    event = selectors.event_get(user=request.user, pk=pk)
    return Status(
        201, services.registration_create(actor=request.user, event=event, **payload.dict())
    )


@router.get(
    "/events/{pk}/registrations",
    response={200: list[RegistrationOut], **ERRORS},
    auth=signed_in_auth,
)
def registration_list(request, pk: int):
    event = selectors.event_get(user=request.user, pk=pk)
    require(request.user, "network.event.manage", event)
    return list(event.registrations.all())


@router.post(
    "/registrations/{pk}/transitions", response={200: StateOut, **ERRORS}, auth=signed_in_auth
)
def registration_transition(request, pk: int, payload: TransitionIn):
    registration = selectors.registration_get_for_user(user=request.user, pk=pk)
    return services.registration_transition(
        registration=registration, to=payload.to, actor=request.user, note=payload.note
    )


# --- Requests for technical assistance -----------------------------------------------------------


@router.get(
    "/support-requests", response={200: list[SupportRequestOut], **ERRORS}, auth=signed_in_auth
)
@paginate(Paginated)
def support_request_list(request):
    return selectors.support_request_list(user=request.user)


@router.post("/support-requests", response={201: SupportRequestOut, **ERRORS}, auth=signed_in_auth)
def support_request_create(request, payload: SupportRequestIn):
    country = Country.objects.filter(iso2=payload.country.upper()).first()
    if country is None:
        raise ApplicationError(_("Unknown country code."), {"field": "country"})
    return Status(
        201,
        services.support_request_create(
            actor=request.user,
            title=payload.title,
            country=country,
            description=payload.description,
            objective_ids=payload.objectives,
        ),
    )


@router.get(
    "/support-requests/{pk}", response={200: SupportRequestOut, **ERRORS}, auth=signed_in_auth
)
def support_request_get(request, pk: int):
    return selectors.support_request_get_for_user(user=request.user, pk=pk)


@router.post(
    "/support-requests/{pk}/match", response={200: SupportRequestOut, **ERRORS}, auth=signed_in_auth
)
def support_request_match(request, pk: int, payload: MatchIn):
    item = selectors.support_request_get_for_user(user=request.user, pk=pk)
    return services.support_request_match(
        actor=request.user,
        request=item,
        partner_ids=payload.partners,
        practice_ids=payload.practices,
        note=payload.note,
    )


@router.post(
    "/support-requests/{pk}/support",
    response={200: SupportRequestOut, **ERRORS},
    auth=signed_in_auth,
)
def support_request_support(request, pk: int, payload: SupportIn):
    item = selectors.support_request_get_for_user(user=request.user, pk=pk)
    return services.support_request_support(
        actor=request.user, request=item, summary=payload.summary
    )


@router.post(
    "/support-requests/{pk}/concept-note",
    response={200: SupportRequestOut, **ERRORS},
    auth=signed_in_auth,
)
def support_request_concept_note(request, pk: int, payload: ConceptNoteIn):
    item = selectors.support_request_get_for_user(user=request.user, pk=pk)
    return services.support_request_link_concept_note(
        actor=request.user, request=item, reference=payload.reference
    )


@router.post(
    "/support-requests/{pk}/transitions", response={200: StateOut, **ERRORS}, auth=signed_in_auth
)
def support_request_transition(request, pk: int, payload: TransitionIn):
    item = selectors.support_request_get_for_user(user=request.user, pk=pk)
    return services.support_request_transition(
        request=item, to=payload.to, actor=request.user, note=payload.note
    )


# --- Creating structure and library records (the Secretariat) ------------------------------------


class ResourceIn(Schema):
    title: str
    resource_type: str = Field(description="A resource-type term code, such as 'guidance'.")
    description: str = ""
    language: str = "en"
    publisher: str = ""
    published_on: datetime.date | None = None
    geographic_scope: str = ""
    workstream_output: str | None = Field(None, description="A working group code.")
    regional_review_process: str = ""
    keywords: str = ""
    url: str = ""
    audiences: list[int] = Field(default_factory=list)
    objectives: list[int] = Field(default_factory=list)
    themes: list[int] = Field(default_factory=list)
    sdg_indicators: list[int] = Field(default_factory=list)


class WorkingGroupIn(Schema):
    code: str
    name: str
    kind: str
    parent: str | None = None
    description: str = ""
    terms_of_reference: str = ""
    workplan_period: str = ""
    objectives: list[int] = Field(default_factory=list)


class WorkingGroupMemberIn(Schema):
    organisation: int
    role: str = "member"
    joined_on: datetime.date | None = None


class MemberIn(Schema):
    organisation: int
    joined_on: datetime.date | None = None
    joined_note: str = ""
    is_executive_committee: bool = False


class MemberLeaveIn(Schema):
    left_on: datetime.date = Field(description="The date it left (not in the future).")
    note: str = Field("", description="Why it left, or the source (up to 300 characters).")


class MemberRejoinIn(Schema):
    joined_on: datetime.date | None = Field(
        None,
        description="The date it joined again (not before the date it left); omit it when the "
        "departure was recorded by mistake.",
    )
    joined_note: str = ""


class ChampionIn(Schema):
    country: str = Field(description="ISO alpha-2 code.")
    since: datetime.date | None = None


class NetworkIn(Schema):
    kind: str
    name: str
    country: str | None = Field(None, description="ISO alpha-2 code (country networks).")
    region: str | None = Field(None, description="M49 code (regional networks).")
    established_on: datetime.date | None = None
    coordinating_office: str = ""
    description: str = ""
    member_organisations: list[int] = Field(default_factory=list)


class FollowUpIn(Schema):
    materials: str = ""
    follow_up: str = ""


def _organisation(pk: int):
    from compacts.actors.models import Organisation

    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise ApplicationError(_("Unknown organisation."), {"field": "organisation"})
    return organisation


def _user(pk: int | None):
    if pk is None:
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if user is None:
        raise ApplicationError(_("Unknown user."), {"field": "user"})
    return user


def _country(code: str | None):
    if not code:
        return None
    country = Country.objects.filter(iso2=code.upper()).first()
    if country is None:
        raise ApplicationError(_("Unknown country code."), {"field": "country"})
    return country


@router.post("/resources", response={201: ResourceOut, **ERRORS}, auth=signed_in_auth)
def resource_create(request, payload: ResourceIn):
    resource_type = Term.objects.filter(
        vocabulary="resource-type", code=payload.resource_type
    ).first()
    if resource_type is None:
        raise ApplicationError(_("Unknown resource type."), {"field": "resource_type"})
    group = (
        selectors.working_group_get(code=payload.workstream_output)
        if payload.workstream_output
        else None
    )
    data = payload.dict(
        exclude={
            "resource_type",
            "workstream_output",
            "audiences",
            "objectives",
            "themes",
            "sdg_indicators",
        }
    )
    return Status(
        201,
        services.resource_create(
            actor=request.user,
            resource_type=resource_type,
            workstream_output=group,
            audience_ids=payload.audiences,
            objective_ids=payload.objectives,
            theme_ids=payload.themes,
            sdg_indicator_ids=payload.sdg_indicators,
            **data,
        ),
    )


@router.post("/working-groups", response={201: WorkingGroupOut, **ERRORS}, auth=signed_in_auth)
def working_group_create(request, payload: WorkingGroupIn):
    parent = selectors.working_group_get(code=payload.parent) if payload.parent else None
    data = payload.dict(exclude={"parent", "objectives"})
    return Status(
        201,
        services.working_group_create(
            actor=request.user, parent=parent, objective_ids=payload.objectives, **data
        ),
    )


@router.post(
    "/working-groups/{code}/members", response={200: WorkingGroupOut, **ERRORS}, auth=signed_in_auth
)
def working_group_member_set(request, code: str, payload: WorkingGroupMemberIn):
    group = selectors.working_group_get(code=code)
    services.working_group_member_set(
        actor=request.user,
        working_group=group,
        organisation=_organisation(payload.organisation),
        role=payload.role,
        joined_on=payload.joined_on,
    )
    return selectors.working_group_get(code=code)


@router.post("/members", response={200: MemberOut, **ERRORS}, auth=signed_in_auth)
def member_upsert(request, payload: MemberIn):
    return services.network_member_upsert(
        actor=request.user,
        organisation=_organisation(payload.organisation),
        joined_on=payload.joined_on,
        joined_note=payload.joined_note,
        is_executive_committee=payload.is_executive_committee,
    )


@router.post("/champion-countries", response={201: ChampionOut, **ERRORS}, auth=signed_in_auth)
def champion_add(request, payload: ChampionIn):
    return Status(
        201,
        services.champion_country_add(
            actor=request.user, country=_country(payload.country), since=payload.since
        ),
    )


@router.post("/country-networks", response={201: NetworkOut, **ERRORS}, auth=signed_in_auth)
def network_create(request, payload: NetworkIn):
    from compacts.framework.models import Region

    region = Region.objects.filter(m49=payload.region).first() if payload.region else None
    if payload.region and region is None:
        raise ApplicationError(_("Unknown region."), {"field": "region"})
    data = payload.dict(exclude={"country", "region", "member_organisations"})
    return Status(
        201,
        services.country_network_create(
            actor=request.user,
            country=_country(payload.country),
            region=region,
            member_organisation_ids=payload.member_organisations,
            **data,
        ),
    )


@router.post(
    "/country-networks/{pk}/activities", response={201: ActivityOut, **ERRORS}, auth=signed_in_auth
)
def network_activity_create(request, pk: int, payload: ActivityIn):
    network = selectors.country_network_get(pk=pk)
    return Status(
        201, services.activity_create(actor=request.user, country_network=network, **payload.dict())
    )


@router.patch("/events/{pk}/follow-up", response={200: EventOut, **ERRORS}, auth=signed_in_auth)
def event_follow_up(request, pk: int, payload: FollowUpIn):
    event = get_object_or_404(Event, pk=pk)
    return services.event_follow_up_record(actor=request.user, event=event, **payload.dict())


# --- Changing records (the Secretariat, co-leads, focal points) ----------------------------------


class WorkingGroupUpdateIn(Schema):
    """What is not given stays as it is."""

    description: str | None = None
    terms_of_reference: str | None = None


class ActivityUpdateIn(Schema):
    """What is not given stays as it is (the status moves through ``/transitions``)."""

    title: str | None = None
    description: str | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    timeline: str | None = None
    lead_organisation: int | None = None


class NetworkUpdateIn(Schema):
    """What is not given stays as it is (the kind and the place of a network do not change)."""

    name: str | None = None
    established_on: datetime.date | None = None
    coordinating_office: str | None = None
    description: str | None = None
    member_organisations: list[int] | None = None


class FocalPointIn(Schema):
    organisation: int
    name: str
    email: str = ""
    user: int | None = Field(
        None, description="The person's account, so that she can manage the network's records."
    )


class FocalPointOut(Schema):
    id: int
    name: str
    email: str
    organisation: str

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.name


class EventUpdateIn(EventFieldsIn):
    language: str = "en"
    objectives: list[int] = Field(default_factory=list)


class RescheduleIn(Schema):
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    registration_deadline: datetime.datetime


def _event_type(code: str) -> Term:
    event_type = Term.objects.filter(vocabulary="event-type", code=code).first()
    if event_type is None:
        raise ApplicationError(_("Unknown event type."), {"field": "event_type"})
    return event_type


def _resource_arguments(payload: ResourceIn) -> dict[str, Any]:
    resource_type = Term.objects.filter(
        vocabulary="resource-type", code=payload.resource_type
    ).first()
    if resource_type is None:
        raise ApplicationError(_("Unknown resource type."), {"field": "resource_type"})
    group = (
        selectors.working_group_get(code=payload.workstream_output)
        if payload.workstream_output
        else None
    )
    data = payload.dict(
        exclude={"resource_type", "workstream_output", "audiences", "objectives", "themes"}
        | {"sdg_indicators"}
    )
    return {
        **data,
        "resource_type": resource_type,
        "workstream_output": group,
        "audience_ids": payload.audiences,
        "objective_ids": payload.objectives,
        "theme_ids": payload.themes,
        "sdg_indicator_ids": payload.sdg_indicators,
    }


@router.patch(
    "/working-groups/{code}", response={200: WorkingGroupOut, **ERRORS}, auth=signed_in_auth
)
def working_group_update(request, code: str, payload: WorkingGroupUpdateIn):
    """Change a group's description and terms of reference (the Secretariat or a co-lead)."""
    group = selectors.working_group_get(code=code)
    services.working_group_update(
        actor=request.user,
        working_group=group,
        description=group.description if payload.description is None else payload.description,
        terms_of_reference=group.terms_of_reference
        if payload.terms_of_reference is None
        else payload.terms_of_reference,
    )
    return selectors.working_group_get(code=code)


@router.delete(
    "/working-groups/{code}/members/{organisation}",
    response={204: None, **ERRORS},
    auth=signed_in_auth,
)
def working_group_member_remove(request, code: str, organisation: int):
    """Take an organisation (co-lead or member) out of a working group."""
    group = selectors.working_group_get(code=code)
    member = group.members.filter(organisation_id=organisation).first()
    if member is None:
        raise NotFoundError(_("This organisation is not in the working group."))
    services.working_group_member_remove(actor=request.user, member=member)
    return Status(204, None)


@router.patch("/activities/{pk}", response={200: ActivityOut, **ERRORS}, auth=signed_in_auth)
def activity_update(request, pk: int, payload: ActivityUpdateIn):
    activity = get_object_or_404(WorkplanActivity, pk=pk)
    values: dict[str, Any] = {
        name: getattr(activity, name)
        for name in ("title", "description", "starts_on", "ends_on", "timeline")
    }
    values["lead_organisation"] = activity.lead_organisation
    for name, value in payload.dict(exclude_unset=True).items():
        if name == "lead_organisation":
            value = _organisation(value) if value else None
        elif name in ("title", "description", "timeline"):
            value = value or ""
        values[name] = value
    return services.activity_update(actor=request.user, activity=activity, **values)


@router.patch("/country-networks/{pk}", response={200: NetworkOut, **ERRORS}, auth=signed_in_auth)
def network_update(request, pk: int, payload: NetworkUpdateIn):
    """Change a network's record: name, date established, the Resident Coordinator's office,
    description, member entities."""
    network = selectors.country_network_get(pk=pk)
    data = payload.dict(exclude_unset=True)
    return services.country_network_update(
        actor=request.user,
        network=network,
        name=data.get("name", network.name) or "",
        established_on=data.get("established_on", network.established_on),
        coordinating_office=data.get("coordinating_office", network.coordinating_office) or "",
        description=data.get("description", network.description) or "",
        member_organisation_ids=data["member_organisations"]
        if data.get("member_organisations") is not None
        else [o.pk for o in network.member_organisations.all()],
    )


@router.get(
    "/country-networks/{pk}/focal-points",
    response={200: list[FocalPointOut], **ERRORS},
    auth=public_auth,
)
def focal_point_list(request, pk: int):
    return list(selectors.country_network_get(pk=pk).focal_points.all())


@router.post(
    "/country-networks/{pk}/focal-points",
    response={201: FocalPointOut, **ERRORS},
    auth=signed_in_auth,
)
def focal_point_add(request, pk: int, payload: FocalPointIn):
    network = selectors.country_network_get(pk=pk)
    return Status(
        201,
        services.focal_point_add(
            actor=request.user,
            network=network,
            organisation=_organisation(payload.organisation),
            name=payload.name,
            email=payload.email,
            user=_user(payload.user),
        ),
    )


@router.put("/events/{pk}", response={200: EventOut, **ERRORS}, auth=signed_in_auth)
def event_update(request, pk: int, payload: EventUpdateIn):
    """Change an event's details (its registrations are kept: the capacity cannot fall below
    the places taken)."""
    event = selectors.event_get(user=request.user, pk=pk)
    data = payload.dict(exclude={"event_type", "objectives"})
    return services.event_update(
        actor=request.user,
        event=event,
        event_type=_event_type(payload.event_type),
        objective_ids=payload.objectives,
        **data,
    )


@router.post("/events/{pk}/reschedule", response={200: EventOut, **ERRORS}, auth=signed_in_auth)
def event_reschedule(request, pk: int, payload: RescheduleIn):
    event = selectors.event_get(user=request.user, pk=pk)
    return services.event_reschedule(actor=request.user, event=event, **payload.dict())


@router.get("/calls/{pk}", response={200: CallOut, **ERRORS}, auth=public_auth)
def call_get(request, pk: int):
    return selectors.call_get(user=request.user, pk=pk)


@router.put("/calls/{pk}", response={200: CallOut, **ERRORS}, auth=signed_in_auth)
def call_update(request, pk: int, payload: CallIn):
    call = selectors.call_get(user=request.user, pk=pk)
    data = payload.dict(exclude={"objectives"})
    return services.call_update(
        actor=request.user, call=call, objective_ids=payload.objectives, **data
    )


@router.put("/resources/{pk}", response={200: ResourceOut, **ERRORS}, auth=signed_in_auth)
def resource_update(request, pk: int, payload: ResourceIn):
    """Change a resource's metadata (all of it: what is not given is emptied)."""
    resource = services.get_or_404(Resource, pk)
    return services.resource_update(
        actor=request.user, resource=resource, **_resource_arguments(payload)
    )


@router.post(
    "/resources/{pk}/attachments", response={201: AttachmentOut, **ERRORS}, auth=signed_in_auth
)
def resource_attach(request, pk: int, file: File[UploadedFile]):
    """Attach a file to a library resource (the same types and 10 MB limit as the pages)."""
    resource = services.get_or_404(Resource, pk)
    return Status(201, services.attachment_add(actor=request.user, resource=resource, upload=file))


@router.delete("/attachments/{pk}", response={204: None, **ERRORS}, auth=signed_in_auth)
def attachment_remove(request, pk: int):
    """Remove a file from a practice (those who may edit it) or a resource (the Secretariat). A
    practice the person cannot see is not found; the stored file goes once the change commits."""
    attachment = services.get_or_404(Attachment, pk)
    if attachment.practice_id is not None:
        selectors.practice_get_for_user(user=request.user, pk=attachment.practice_id)
    services.attachment_remove(actor=request.user, attachment=attachment)
    return Status(204, None)


@router.delete("/champion-countries/{pk}", response={204: None, **ERRORS}, auth=signed_in_auth)
def champion_remove(request, pk: int):
    """Take a country off the champion countries (the Secretariat; 409 while it pilots a
    deliverable or gave pilot feedback)."""
    champion = services.get_or_404(ChampionCountry, pk)
    services.champion_country_remove(actor=request.user, champion=champion)
    return Status(204, None)


@router.post("/members/{pk}/leave", response={200: MemberOut, **ERRORS}, auth=signed_in_auth)
def member_leave(request, pk: int, payload: MemberLeaveIn):
    """Record that a member left the Network (the Secretariat): its record is kept as a former
    member. 400 for a date in the future or before it joined, or a note too long; 409 for the
    Coordinator, the host of the Secretariat, or a member that already left."""
    member = services.get_or_404(NetworkMember, pk)
    return services.network_member_leave(
        member=member, left_on=payload.left_on, note=payload.note, actor=request.user
    )


@router.post("/members/{pk}/rejoin", response={200: MemberOut, **ERRORS}, auth=signed_in_auth)
def member_rejoin(request, pk: int, payload: MemberRejoinIn):
    """Make a former member a current one again (the Secretariat; 409 if it has not left)."""
    member = services.get_or_404(NetworkMember, pk)
    return services.network_member_rejoin(
        member=member,
        actor=request.user,
        joined_on=payload.joined_on,
        joined_note=payload.joined_note,
    )


@router.delete("/members/{pk}", response={204: None, **ERRORS}, auth=signed_in_auth)
def member_remove(request, pk: int):
    """Delete a member entered by mistake (the Secretariat; 409 for the Coordinator or the host
    of the Secretariat). A member that really left is recorded with ``POST .../leave``."""
    member = services.get_or_404(NetworkMember, pk)
    services.network_member_remove(actor=request.user, member=member)
    return Status(204, None)


# --- Focal points and what a network did: change and remove --------------------------------------


class FocalPointUpdateIn(Schema):
    """What is not given stays as it is; ``user: null`` unlinks her account."""

    organisation: int | None = None
    name: str | None = None
    email: str | None = None
    user: int | None = Field(
        None, description="The person's account, so that she can manage the network's records."
    )


class AchievementUpdateIn(Schema):
    """What is not given stays as it is."""

    kind: str | None = None
    title: str | None = None
    happened_on: datetime.date | None = None
    description: str | None = None
    people_trained: int | None = Field(None, ge=0)
    reference: str | None = None


@router.patch("/focal-points/{pk}", response={200: FocalPointOut, **ERRORS}, auth=signed_in_auth)
def focal_point_update(request, pk: int, payload: FocalPointUpdateIn):
    """Change a network's focal point (the Secretariat or the network's focal points)."""
    focal_point = services.get_or_404(FocalPoint, pk)
    data = payload.dict(exclude_unset=True)
    return services.focal_point_update(
        actor=request.user,
        focal_point=focal_point,
        organisation=_organisation(data["organisation"])
        if data.get("organisation") is not None
        else focal_point.organisation,
        name=data["name"] if data.get("name") is not None else focal_point.name,
        email=data["email"] if data.get("email") is not None else focal_point.email,
        user=_user(data["user"]) if "user" in data else focal_point.user,
    )


@router.delete("/focal-points/{pk}", response={204: None, **ERRORS}, auth=signed_in_auth)
def focal_point_remove(request, pk: int):
    """Take a focal point off her network (audited)."""
    focal_point = services.get_or_404(FocalPoint, pk)
    services.focal_point_remove(actor=request.user, focal_point=focal_point)
    return Status(204, None)


@router.patch("/achievements/{pk}", response={200: AchievementOut, **ERRORS}, auth=signed_in_auth)
def achievement_update(request, pk: int, payload: AchievementUpdateIn):
    """Change what a network did (the Secretariat or the network's focal points)."""
    achievement = services.get_or_404(Achievement, pk)
    values: dict[str, Any] = {
        name: getattr(achievement, name)
        for name in ("kind", "title", "happened_on", "description", "people_trained", "reference")
    }
    for name, value in payload.dict(exclude_unset=True).items():
        if value is None and name != "people_trained":
            continue
        values[name] = value
    return services.achievement_update(actor=request.user, achievement=achievement, **values)


@router.delete("/achievements/{pk}", response={204: None, **ERRORS}, auth=signed_in_auth)
def achievement_remove(request, pk: int):
    """Remove a record of what a network did (audited)."""
    achievement = services.get_or_404(Achievement, pk)
    services.achievement_remove(actor=request.user, achievement=achievement)
    return Status(204, None)


class ChampionUpdateIn(Schema):
    """What is not given stays as it is (the country does not change)."""

    since: datetime.date | None = None
    source: str | None = Field(None, max_length=300)


@router.patch(
    "/champion-countries/{pk}", response={200: ChampionOut, **ERRORS}, auth=signed_in_auth
)
def champion_update(request, pk: int, payload: ChampionUpdateIn):
    """Change when a champion country joined and the source (the Secretariat)."""
    champion = services.get_or_404(ChampionCountry, pk)
    data = payload.dict(exclude_unset=True)
    return services.champion_country_update(
        actor=request.user,
        champion=champion,
        since=data.get("since", champion.since),
        source=data["source"] if data.get("source") is not None else champion.source,
    )
