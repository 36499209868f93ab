"""Reads of the network app: the one practice search, facets, lists, queues and permission-checked
fetches (``<entity>_get_for_user``)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from compacts.actors.selectors import user_organisation_ids
from compacts.core.exceptions import ApplicationError, NotFoundError
from compacts.core.models import AuditRecord
from compacts.core.permissions import allowed, require
from compacts.framework.models import GcmObjective
from compacts.network import search
from compacts.network.models import (
    CallForPractices,
    Comment,
    CountryNetwork,
    Event,
    NetworkMember,
    Practice,
    Registration,
    Resource,
    SupportRequest,
    Term,
    WorkingGroup,
    WorkplanActivity,
)
from compacts.network.permissions import is_secretariat
from compacts.network.workflows import practice as practice_flow

QUERY_NEEDS_WORDS = gettext_noop(
    "Type at least one word to search for (operators alone match nothing)."
)


@dataclass
class PracticeFilters:
    """Facets of the repository; filters combine with AND, values within one facet with OR."""

    objectives: list[int] = field(default_factory=list)  # objective numbers
    countries: list[str] = field(default_factory=list)  # ISO alpha-2 codes
    regions: list[str] = field(default_factory=list)  # M49 codes
    principles: list[str] = field(default_factory=list)  # letters a..j
    themes: list[str] = field(default_factory=list)  # term codes
    language: str = ""
    call: int | None = None
    year_from: int | None = None
    year_to: int | None = None


@dataclass
class SearchResult:
    practices: QuerySet
    query: str
    parsed: search.ParsedQuery
    ranked: bool
    message: str = ""


def _filtered(queryset: QuerySet, filters: PracticeFilters) -> QuerySet:
    """Apply facets with EXISTS subqueries, so that many-to-many filters never duplicate rows."""
    through = Practice
    if filters.objectives:
        queryset = queryset.filter(
            Exists(
                through.objectives.through.objects.filter(
                    practice_id=OuterRef("pk"), gcmobjective__number__in=filters.objectives
                )
            )
        )
    if filters.countries:
        queryset = queryset.filter(
            Exists(
                through.countries.through.objects.filter(
                    practice_id=OuterRef("pk"),
                    country__iso2__in=[c.upper() for c in filters.countries],
                )
            )
        )
    if filters.regions:
        queryset = queryset.filter(
            Q(
                Exists(
                    through.regions.through.objects.filter(
                        practice_id=OuterRef("pk"), region__m49__in=filters.regions
                    )
                )
            )
            | Q(
                Exists(
                    through.countries.through.objects.filter(
                        practice_id=OuterRef("pk"), country__region__m49__in=filters.regions
                    )
                )
            )
        )
    if filters.principles:
        queryset = queryset.filter(
            Exists(
                through.principles.through.objects.filter(
                    practice_id=OuterRef("pk"), guidingprinciple__letter__in=filters.principles
                )
            )
        )
    if filters.themes:
        queryset = queryset.filter(
            Exists(
                through.themes.through.objects.filter(
                    practice_id=OuterRef("pk"), term__code__in=filters.themes
                )
            )
        )
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    if filters.call:
        queryset = queryset.filter(call_id=filters.call)
    if filters.year_from:
        queryset = queryset.filter(
            Q(ends_on__isnull=True) | Q(ends_on__year__gte=filters.year_from)
        )
    if filters.year_to:
        queryset = queryset.filter(starts_on__year__lte=filters.year_to)
    return queryset


def practice_search(
    *,
    query: str = "",
    filters: PracticeFilters | None = None,
    language: str = "en",
    states: tuple[str, ...] = (practice_flow.State.PUBLISHED,),
) -> SearchResult:
    """Published practices matching ``query`` and ``filters``, best match first.

    The one entry point of practice search on both databases (``network/search.py``): a title
    match ranks above a body match. A query with no words (only operators or punctuation) returns
    nothing and a message rather than an error; an empty query lists the newest practices.
    """
    filters = filters or PracticeFilters()
    base = _filtered(Practice.objects.filter(state__in=states), filters)
    parsed = search.parse_query(query)
    if not (query or "").strip():
        return SearchResult(
            practices=base.order_by("-published_at", "-id"), query="", parsed=parsed, ranked=False
        )
    if parsed.is_empty:
        return SearchResult(
            practices=base.none(),
            query=query,
            parsed=parsed,
            ranked=False,
            message=_(QUERY_NEEDS_WORDS),
        )
    return SearchResult(
        practices=search.rank(base, parsed, language=language),
        query=query,
        parsed=parsed,
        ranked=True,
    )


def practice_facets(*, result: SearchResult, filters: PracticeFilters, language: str) -> dict:
    """Counts of the current results by objective and by theme, for the facet sidebar."""
    if result.practices.query.is_empty():
        return {"objectives": [], "themes": []}
    base = _filtered(Practice.objects.filter(state=practice_flow.State.PUBLISHED), filters)
    if result.ranked:
        base = search.match(base, result.parsed, language=language)
    ids = base.values("pk")
    objectives = (
        GcmObjective.objects.annotate(
            hits=Count("network_practices", filter=Q(network_practices__in=ids))
        )
        .filter(hits__gt=0)
        .order_by("number")
    )
    themes = (
        Term.objects.filter(vocabulary=Term.Vocabulary.THEME)
        .annotate(hits=Count("practices", filter=Q(practices__in=ids)))
        .filter(hits__gt=0)
        .order_by("name")
    )
    return {"objectives": list(objectives), "themes": list(themes)}


def practice_get_for_user(*, user, pk: int) -> Practice:
    practice = (
        Practice.objects.select_related("call", "submitted_by")
        .prefetch_related(
            "countries",
            "regions",
            "objectives",
            "principles",
            "sdg_indicators",
            "themes",
            "organisations",
            "attachments",
        )
        .filter(pk=pk)
        .first()
    )
    if practice is None or not allowed(user, "network.practice.view", practice):
        raise NotFoundError(_("Not found."))
    return practice


def practice_comments(*, practice: Practice, user) -> QuerySet:
    """Approved comments; the Secretariat also sees the ones awaiting moderation."""
    states = ["approved", "pending"] if is_secretariat(user) else ["approved"]
    return practice.comments.filter(state__in=states).select_related("author")


def practices_of_user(*, user) -> QuerySet:
    return Practice.objects.filter(submitted_by=user).order_by("-updated_at")


def call_list(*, public: bool = True) -> QuerySet:
    queryset = CallForPractices.objects.prefetch_related("objectives")
    if public:
        queryset = queryset.exclude(state="draft")
    return queryset


def call_get(*, user, pk: int) -> CallForPractices:
    call = CallForPractices.objects.filter(pk=pk).first()
    if call is None or (call.state == "draft" and not is_secretariat(user)):
        raise NotFoundError(_("Not found."))
    return call


@dataclass
class ResourceResult:
    resources: QuerySet
    query: str
    ranked: bool
    message: str = ""


def resource_search(
    *,
    query: str = "",
    type_code: str = "",
    objective: int | None = None,
    language: str = "en",
) -> ResourceResult:
    """Library resources matching ``query`` (ranked: title above keywords above the rest, in
    the reader's ``language`` and as written) and the filters; without a query, newest first.
    A query with no words returns nothing and a message."""
    queryset = Resource.objects.select_related(
        "resource_type", "workstream_output"
    ).prefetch_related("objectives", "themes", "audiences", "attachments")
    if type_code:
        queryset = queryset.filter(resource_type__code=type_code)
    if objective:
        queryset = queryset.filter(
            Exists(
                Resource.objectives.through.objects.filter(
                    resource_id=OuterRef("pk"), gcmobjective__number=objective
                )
            )
        )
    parsed = search.parse_query(query)
    if not (query or "").strip():
        return ResourceResult(
            resources=queryset.order_by("-published_on", "-id"), query="", ranked=False
        )
    if parsed.is_empty:
        return ResourceResult(
            resources=queryset.none(), query=query, ranked=False, message=_(QUERY_NEEDS_WORDS)
        )
    return ResourceResult(
        resources=search.RESOURCES.rank(queryset, parsed, language=language),
        query=query,
        ranked=True,
    )


def resource_list(
    *, query: str = "", type_code: str = "", objective: int | None = None, language: str = "en"
) -> QuerySet:
    """The resources of ``resource_search`` (best match first)."""
    return resource_search(
        query=query, type_code=type_code, objective=objective, language=language
    ).resources


# --- Structure and networks ----------------------------------------------------------------------

MEMBER_STATUSES = ("current", "former", "all")


def _current_members(on: datetime.date) -> Q:
    """A member is current on ``on`` while it has no date it left, or that date is still ahead."""
    return Q(left_on__isnull=True) | Q(left_on__gt=on)


def network_member_list(
    *,
    status: str = "current",
    executive_committee: bool | None = None,
    on: datetime.date | None = None,
) -> QuerySet:
    """The members of the Network on ``on`` (default today): ``status`` "current" (no date it
    left, or a date still ahead; by name), "former" (left on or before ``on``; latest departure
    first) or "all" (by name). ``executive_committee`` keeps (True) or leaves out (False) the
    members of the Executive Committee. Every list or count of members uses this selector, so a
    member that left is never counted as a current one."""
    on = on or timezone.localdate()
    queryset = NetworkMember.objects.select_related("organisation")
    if status == "current":
        queryset = queryset.filter(_current_members(on))
    elif status == "former":
        queryset = queryset.exclude(_current_members(on)).order_by("-left_on", "organisation__name")
    elif status != "all":
        raise ApplicationError(
            _("Unknown member status: %(status)s.") % {"status": status[:20]}, {"field": "status"}
        )
    if executive_committee is not None:
        queryset = queryset.filter(is_executive_committee=executive_committee)
    return queryset


def network_member_counts(*, on: datetime.date | None = None) -> dict[str, int]:
    """How many current members, Executive Committee members among them, and former members the
    Network has on ``on`` (default today), in one query."""
    on = on or timezone.localdate()
    current = _current_members(on)
    return NetworkMember.objects.aggregate(
        current=Count("pk", filter=current),
        executive_committee=Count("pk", filter=current & Q(is_executive_committee=True)),
        former=Count("pk", filter=~current),
    )


def working_group_list() -> QuerySet:
    return WorkingGroup.objects.select_related("parent").prefetch_related(
        "members__organisation", "objectives"
    )


def working_group_get(*, code: str) -> WorkingGroup:
    group = (
        working_group_list()
        .prefetch_related("activities", "deliverables__pilot_countries__country", "events")
        .filter(code=code)
        .first()
    )
    if group is None:
        raise NotFoundError(_("Not found."))
    return group


@dataclass
class NetworkFilters:
    kind: str = ""
    region: str = ""  # M49 code of a region
    state: str = ""
    query: str = ""


def country_network_list(*, filters: NetworkFilters | None = None) -> QuerySet:
    filters = filters or NetworkFilters()
    queryset = CountryNetwork.objects.select_related(
        "country", "region", "country__region"
    ).annotate(achievement_count=Count("achievements", distinct=True))
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.region:
        queryset = queryset.filter(
            Q(region__m49=filters.region) | Q(country__region__m49=filters.region)
        )
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.query.strip():
        queryset = queryset.filter(
            Q(name__icontains=filters.query.strip())
            | Q(country__name__icontains=filters.query.strip())
        )
    return queryset.order_by("kind", "name")


def country_network_get(*, pk: int) -> CountryNetwork:
    network = (
        CountryNetwork.objects.select_related("country", "region")
        .prefetch_related(
            "member_organisations",
            "focal_points__organisation",
            "achievements",
            Prefetch("activities", queryset=WorkplanActivity.objects.order_by("starts_on", "id")),
            "events",
        )
        .filter(pk=pk)
        .first()
    )
    if network is None:
        raise NotFoundError(_("Not found."))
    return network


def network_regions() -> list:
    """Networks counted by M49 region: the map-free overview of the networks page."""
    from compacts.framework.models import Region

    rows = (
        Region.objects.filter(level="region")
        .annotate(
            country_count=Count("countries__network_country_network", distinct=True),
            regional=Count(
                "network_networks", filter=Q(network_networks__kind="regional"), distinct=True
            ),
        )
        .order_by("name")
    )
    return [row for row in rows if row.country_count or row.regional_count]


# --- Events ------------------------------------------------------------------------------------


def event_list(*, upcoming_only: bool = False) -> QuerySet:
    from django.utils import timezone

    queryset = (
        Event.objects.exclude(state="planned")
        .select_related("event_type", "working_group", "country_network")
        .annotate(
            taken=Count(
                "registrations",
                filter=Q(registrations__state__in=["registered", "confirmed", "attended"]),
            )
        )
        .annotate(places_left=F("capacity") - F("taken"))
    )
    if upcoming_only:
        queryset = queryset.filter(ends_at__gte=timezone.now())
    return queryset.order_by("starts_at")


def event_get(*, user, pk: int) -> Event:
    event = event_list().filter(pk=pk).first() or Event.objects.filter(pk=pk).first()
    if event is None or (
        event.state == "planned" and not allowed(user, "network.event.manage", event)
    ):
        raise NotFoundError(_("Not found."))
    return event


def registration_of(*, user, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user).first()


def registration_get_for_user(*, user, pk: int) -> Registration:
    registration = Registration.objects.select_related("event", "user").filter(pk=pk).first()
    if registration is None or not allowed(user, "network.registration.view", registration):
        raise NotFoundError(_("Not found."))
    return registration


# --- Support requests ----------------------------------------------------------------------------


def support_request_list(*, user) -> QuerySet:
    queryset = SupportRequest.objects.select_related(
        "country", "requesting_organisation"
    ).prefetch_related("partners", "objectives")
    if is_secretariat(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(submitted_by=user)


def support_request_get_for_user(*, user, pk: int) -> SupportRequest:
    request = (
        support_request_list(user=user).prefetch_related("similar_practices").filter(pk=pk).first()
    )
    if request is None:
        raise NotFoundError(_("Not found."))
    return request


# --- Queues and the members' area ---------------------------------------------------------------


def review_queues(*, user) -> dict:
    """What waits for the Secretariat: practices, requests, registrations, comments."""
    require(user, "network.review_queue.view")
    return {
        "practices": Practice.objects.filter(state__in=["submitted", "in-review"])
        .select_related("submitted_by", "call")
        .order_by("submitted_at", "id"),
        "requests": SupportRequest.objects.exclude(state="closed")
        .select_related("country")
        .order_by("created_at"),
        "registrations": Registration.objects.filter(state="registered")
        .select_related("event", "user")
        .order_by("created_at"),
        "comments": Comment.objects.filter(state="pending")
        .select_related("practice", "author")
        .order_by("created_at"),
    }


def members_area(*, user) -> dict:
    """A member's working groups, tasks, drafts and registrations."""
    require(user, "network.members_area.view")
    org_ids = user_organisation_ids(user)
    groups = working_group_list().filter(members__organisation_id__in=org_ids).distinct()
    tasks = (
        WorkplanActivity.objects.filter(
            Q(assignee=user) | Q(working_group__in=groups), state__in=["yet-to-start", "ongoing"]
        )
        .select_related("working_group", "country_network")
        .order_by("ends_on", "id")
        .distinct()
    )
    return {
        "groups": groups,
        "tasks": tasks,
        "drafts": practices_of_user(user=user),
        "registrations": Registration.objects.filter(user=user).select_related("event"),
        "requests": support_request_list(user=user).filter(submitted_by=user),
    }


def structure_removals(*, action: str, field: str) -> dict[int, AuditRecord]:
    """The latest removal record of each member or champion country taken off through the
    services, keyed on the row they named: ``network.member.delete`` on ``organisation``,
    ``network.champion.delete`` on ``country``. Reloading the reference data reads it, so that it
    does not add back, unannounced, what the Secretariat removed."""
    removals: dict[int, AuditRecord] = {}
    for record in AuditRecord.objects.filter(action=action).order_by("seq"):
        key = (record.before or {}).get(field)
        if key is not None:
            removals[int(key)] = record
    return removals


def parse_int_list(values: list[str], *, field: str) -> list[int]:
    try:
        return [int(v) for v in values if str(v).strip()]
    except ValueError as error:
        raise ApplicationError(
            _("%(field)s must be numbers.") % {"field": field}, {"field": field}
        ) from error
