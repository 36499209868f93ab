"""Read-only API of the reference framework, mounted at ``/api/v1/framework``."""

from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from compacts.api.auth import public_auth
from compacts.api.pagination import Paginated
from compacts.api.schemas import ErrorOut
from compacts.framework import selectors
from compacts.framework.i18n import localized_name

router = Router(tags=["framework"], auth=public_auth)

NOT_FOUND = {404: ErrorOut, 422: ErrorOut}


class GcmActionOut(Schema):
    code: str
    letter: str
    text: str


class ThematicAreaRefOut(Schema):
    code: str
    name: str
    status: str
    uncertain: bool


class GcmObjectiveOut(Schema):
    number: int
    title: str
    short_label: str
    paragraph: int
    action_count: int
    thematic_areas: list[ThematicAreaRefOut]

    @staticmethod
    def resolve_thematic_areas(obj) -> list[dict]:
        return [
            {
                "code": link.thematic_area.code,
                "name": link.thematic_area.name,
                "status": link.thematic_area.status,
                "uncertain": link.is_uncertain,
            }
            for link in obj.thematic_area_links.all()
        ]


class SdgLinkOut(Schema):
    target: str
    status: str
    note: str


class GcmObjectiveDetailOut(Schema):
    number: int
    title: str
    short_label: str
    paragraph: int
    commitment: str
    actions: list[GcmActionOut]
    sdg_targets: list[SdgLinkOut]
    thematic_areas: list[ThematicAreaRefOut]

    @staticmethod
    def resolve_actions(obj) -> list:
        return list(obj.actions.all())

    @staticmethod
    def resolve_sdg_targets(obj) -> list[dict]:
        return [
            {"target": link.target.code, "status": link.status, "note": link.note}
            for link in obj.sdg_links.all()
        ]

    @staticmethod
    def resolve_thematic_areas(obj) -> list[dict]:
        return GcmObjectiveOut.resolve_thematic_areas(obj)


class PrincipleOut(Schema):
    letter: str
    slug: str
    name: str
    paragraph: str


class GcrObjectiveOut(Schema):
    number: int
    title: str
    paragraph: str


class GcrAreaOut(Schema):
    code: str
    part: str
    section: str
    parent: str | None = Field(None, alias="parent.code")
    title: str
    paragraphs: str
    is_health: bool
    status: str


class ThematicAreaOut(Schema):
    code: str
    number: int
    name: str
    status: str
    objectives: list[int]
    uncertain_objectives: list[int]

    @staticmethod
    def resolve_objectives(obj) -> list[int]:
        return [link.objective.number for link in obj.objective_links.all()]

    @staticmethod
    def resolve_uncertain_objectives(obj) -> list[int]:
        return [link.objective.number for link in obj.objective_links.all() if link.is_uncertain]


class MarkerLevelOut(Schema):
    value: int
    label: str


class MarkerOut(Schema):
    code: str
    name: str
    description: str
    status: str
    levels: list[MarkerLevelOut]

    @staticmethod
    def resolve_levels(obj) -> list:
        return list(obj.levels.all())


class SdgGoalOut(Schema):
    number: int
    title: str
    short_title: str
    titles: dict[str, str]
    target_count: int
    indicator_count: int


class SdgTargetOut(Schema):
    code: str
    goal: int = Field(..., alias="goal.number")
    title: str


class SdgIndicatorOut(Schema):
    code: str
    target: str = Field(..., alias="target.code")
    title: str
    is_gcm_linked: bool
    repeat_of: str | None = Field(None, alias="repeat_of.code")


class RegionOut(Schema):
    m49: str
    level: str
    name: str
    names: dict[str, str]
    parent: str | None = Field(None, alias="parent.m49")


class CountryOut(Schema):
    iso2: str
    iso3: str | None
    m49: str | None
    name: str
    local_name: str
    names: dict[str, str]
    region: str | None = Field(None, alias="region.m49")
    sub_region: str | None = Field(None, alias="sub_region.m49")
    intermediate_region: str | None = Field(None, alias="intermediate_region.m49")
    is_ldc: bool
    is_lldc: bool
    is_sids: bool
    in_m49: bool
    note: str

    @staticmethod
    def resolve_local_name(obj) -> str:
        return localized_name(obj, get_language())


class CodelistItemOut(Schema):
    code: str
    name: str
    names: dict[str, str]
    description: str
    category: str
    status: str


class CodelistOut(Schema):
    name: str
    title: str
    complete: bool
    items: list[CodelistItemOut]

    @staticmethod
    def resolve_items(obj) -> list:
        return list(obj.items.all())


class TargetFilter(Schema):
    goal: int | None = Field(None, ge=1, le=17, description="Goal number (1-17).")


class IndicatorFilter(Schema):
    gcm_linked: bool | None = Field(
        None, description="Only indicators linked (true) or not linked (false) to the GCM."
    )
    goal: int | None = Field(None, ge=1, le=17)


class CountryFilter(Schema):
    region: str | None = Field(
        None, pattern=r"^\d{3}$", description="M49 code of a region at any level."
    )
    search: str | None = Field(
        None, max_length=100, description="Name in any UN language, or ISO / M49 code."
    )
    ldc: bool | None = None
    lldc: bool | None = None
    sids: bool | None = None


class RegionFilter(Schema):
    level: str | None = Field(None, pattern=r"^(world|region|sub-region|intermediate)$")


@router.get("/gcm/objectives", response={200: list[GcmObjectiveOut], 422: ErrorOut})
@paginate(Paginated)
def gcm_objective_list(request):
    """The 23 objectives of the Global Compact for Migration."""
    return selectors.objective_list()


@router.get("/gcm/objectives/{number}", response={200: GcmObjectiveDetailOut, **NOT_FOUND})
def gcm_objective_get(request, number: int):
    """One objective with its commitment, actions, linked SDG targets and thematic areas."""
    return selectors.objective_get(number=number)


@router.get("/gcm/principles", response={200: list[PrincipleOut], 422: ErrorOut})
@paginate(Paginated)
def gcm_principle_list(request):
    return selectors.principle_list()


@router.get("/gcr/objectives", response={200: list[GcrObjectiveOut], 422: ErrorOut})
@paginate(Paginated)
def gcr_objective_list(request):
    return selectors.gcr_objective_list()


@router.get("/gcr/areas", response={200: list[GcrAreaOut], 422: ErrorOut})
@paginate(Paginated)
def gcr_area_list(request):
    return selectors.gcr_area_list()


@router.get("/mptf/thematic-areas", response={200: list[ThematicAreaOut], 422: ErrorOut})
@paginate(Paginated)
def mptf_thematic_area_list(request):
    """The Migration MPTF's thematic areas and their objectives (``status`` says if confirmed)."""
    return selectors.thematic_area_list()


@router.get("/mptf/markers", response={200: list[MarkerOut], 422: ErrorOut})
@paginate(Paginated)
def mptf_marker_list(request):
    return selectors.marker_list()


@router.get("/sdg/goals", response={200: list[SdgGoalOut], 422: ErrorOut})
@paginate(Paginated)
def sdg_goal_list(request):
    return selectors.goal_list()


@router.get("/sdg/targets", response={200: list[SdgTargetOut], 422: ErrorOut})
@paginate(Paginated)
def sdg_target_list(request, filters: Query[TargetFilter]):
    return selectors.target_list(goal=filters.goal)


@router.get("/sdg/indicators", response={200: list[SdgIndicatorOut], 422: ErrorOut})
@paginate(Paginated)
def sdg_indicator_list(request, filters: Query[IndicatorFilter]):
    return selectors.indicator_list(gcm_linked=filters.gcm_linked, goal=filters.goal)


@router.get("/countries", response={200: list[CountryOut], 422: ErrorOut})
@paginate(Paginated)
def country_list(request, filters: Query[CountryFilter]):
    """Countries and areas of UN M49, and the areas IATI codes that M49 lacks (``in_m49``)."""
    return selectors.country_list(
        region=filters.region,
        search=filters.search,
        ldc=filters.ldc,
        lldc=filters.lldc,
        sids=filters.sids,
    )


@router.get("/countries/{iso2}", response={200: CountryOut, **NOT_FOUND})
def country_get(request, iso2: str):
    return selectors.country_get(iso2=iso2)


@router.get("/regions", response={200: list[RegionOut], 422: ErrorOut})
@paginate(Paginated)
def region_list(request, filters: Query[RegionFilter]):
    return selectors.region_list(level=filters.level)


@router.get("/codelists/{name}", response={200: CodelistOut, **NOT_FOUND})
def codelist_get(request, name: str):
    """One IATI 2.03 codelist with its codes (``Sector``, ``Currency`` ...)."""
    return selectors.codelist_get(name=name)
