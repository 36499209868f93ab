"""The public gateway's API, mounted at ``/api/v1/gateway/``: the programme directory (facets and
search) and a public programme's summary. Every gateway figure is also reachable through the
figures API (``/api/v1/figures/<slug>``). Public reads, no sign-in (docs/gateway.md)."""

from datetime import date
from decimal import Decimal

from ninja import Field, Path, Query, Router, Schema

from compacts.api.auth import public_auth
from compacts.api.pagination import MAX_LIMIT, MAX_OFFSET
from compacts.api.schemas import MAX_ID, ErrorOut
from compacts.gateway.selectors import fund as selectors
from compacts.programmes.models import Programme

router = Router(tags=["gateway"])
ERRORS = {404: ErrorOut, 422: ErrorOut}


class DirectoryFilters(Schema):
    """Facet values: repeat a parameter for alternatives (``country=MK&country=IQ``). Malformed
    or unknown values are ignored and listed in ``ignored``, never an error."""

    q: str = Field("", max_length=1000, description="Full-text search, ranked best first.")
    country: list[str] = Field([], description="ISO alpha-2 country codes.")
    region: list[str] = Field([], description="M49 region codes.")
    area: list[str] = Field([], description="Thematic area codes (TA1...).")
    objective: list[str] = Field([], description="GCM objective numbers (1-23).")
    target: list[str] = Field([], description="SDG target codes (10.7...).")
    organisation: list[str] = Field([], description="Participating organisation ids.")
    state: list[str] = Field([], description="Stages of the cycle (endorsed, active...).")
    gender: list[str] = Field([], description="Gender marker values.")
    human_rights: list[str] = Field(
        [], alias="human-rights", description="Human rights marker values."
    )
    child_sensitivity: list[str] = Field(
        [], alias="child-sensitivity", description="Child-sensitivity marker values."
    )
    limit: int = Field(100, ge=1, le=MAX_LIMIT, description="Items per page (1-500).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")

    def facet_params(self) -> dict[str, list[str]]:
        return {
            "country": self.country,
            "region": self.region,
            "area": self.area,
            "objective": self.objective,
            "target": self.target,
            "organisation": self.organisation,
            "state": self.state,
            "gender": self.gender,
            "human-rights": self.human_rights,
            "child-sensitivity": self.child_sensitivity,
        }


class FacetValueOut(Schema):
    value: str
    label: str
    count: int


class FacetOut(Schema):
    name: str = Field(..., description="The query parameter of the facet.")
    label: str
    selected: list[str]
    values: list[FacetValueOut]


class ProgrammeBase(Schema):
    id: int
    code: str
    title: str
    state: str
    state_label: str
    fund: str
    countries: list[str] = Field(..., description="ISO alpha-2 codes.")
    participating_organisations: list[str]
    primary_objective: int | None = Field(None, description="GCM objective number.")
    thematic_area: str | None
    indicative_budget: Decimal | None
    url: str = Field(..., description="The programme's page on the gateway.")
    is_illustrative: bool


class ProgrammeListItemOut(ProgrammeBase):
    @staticmethod
    def resolve_state_label(obj: Programme) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_fund(obj: Programme) -> str:
        return obj.fund.code

    @staticmethod
    def resolve_countries(obj: Programme) -> list[str]:
        return [country.iso2 for country in obj.countries.all()]

    @staticmethod
    def resolve_participating_organisations(obj: Programme) -> list[str]:
        return [str(org) for org in obj.participating_organisations.all()]

    @staticmethod
    def resolve_primary_objective(obj: Programme) -> int | None:
        return obj.primary_objective.number if obj.primary_objective else None

    @staticmethod
    def resolve_thematic_area(obj: Programme) -> str | None:
        return obj.thematic_area.code if obj.thematic_area else None

    @staticmethod
    def resolve_url(obj: Programme) -> str:
        from django.urls import reverse

        return reverse("gateway:programme", args=[obj.pk])


class DirectoryOut(Schema):
    count: int
    items: list[ProgrammeListItemOut]
    facets: list[FacetOut]
    ignored: list[str] = Field(..., description="Facet values left out as malformed or unknown.")
    search: str


class MoneyRowOut(Schema):
    organisation: str
    budget: Decimal
    transferred: Decimal
    expenditure: Decimal
    delivery_rate: Decimal | None = Field(None, description="Per cent of net transfers spent.")


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    baseline: Decimal | None
    baseline_period: str
    targets: dict[str, Decimal] = Field(..., description="Total target by period.")
    actuals: dict[str, Decimal] = Field(..., description="Approved total value by period.")


class OutcomeOut(Schema):
    code: str
    statement: str
    indicators: list[IndicatorOut]


class TimelineOut(Schema):
    on: date
    kind: str = Field(..., description="'decision' (Steering Committee) or 'move' (stage).")
    label: str
    note: str


class ProgrammeSummaryOut(ProgrammeBase):
    scope: str
    convening_organisation: str | None
    government_partners: str
    other_partners: str
    starts_on: date | None
    ends_on: date | None
    duration_months: int | None
    currency: str
    money: list[MoneyRowOut]
    budget_total: Decimal
    transferred_total: Decimal
    expenditure_total: Decimal
    results: list[OutcomeOut]
    timeline: list[TimelineOut]


@router.get(
    "/programmes",
    response={200: DirectoryOut, **ERRORS},
    auth=public_auth,
    summary="The programme directory: facets with counts and full-text search",
)
def directory_api(request, filters: Query[DirectoryFilters]):
    """Public joint programmes of the gateway's fund (endorsed or further), best match first with
    ``q``, else by code; ``facets`` count the programmes matching everything chosen."""
    result = selectors.programme_search(
        fund=selectors.gateway_fund(),
        params=filters.facet_params(),
        search=filters.q,
        offset=filters.offset,
        limit=filters.limit,
    )
    return {
        **result,
        "facets": [
            {"name": f.name, "label": f.label, "selected": f.selected, "values": f.values}
            for f in result["facets"]
        ],
    }


@router.get(
    "/programmes/{programme_id}",
    response={200: ProgrammeSummaryOut, **ERRORS},
    auth=public_auth,
    summary="A public programme's summary, money, results and decisions",
)
def programme_api(
    request, programme_id: int = Path(..., ge=1, le=MAX_ID, description="The programme's id.")
):
    data = selectors.programme_detail(programme_id=programme_id)
    programme = data.programme
    results = []
    for entry in data.results:
        indicators = []
        for row in entry["indicators"]:
            indicator = row["indicator"]
            indicators.append(
                {
                    "code": indicator.code,
                    "name": indicator.name,
                    "unit": indicator.unit,
                    "baseline": indicator.baseline_value,
                    "baseline_period": indicator.baseline_period,
                    "targets": {t.period: t.value for t in row["targets"] if not t.breakdown},
                    "actuals": {u.period: u.value for u in row["actuals"] if not u.breakdown},
                }
            )
        results.append(
            {
                "code": entry["outcome"].code,
                "statement": entry["outcome"].statement,
                "indicators": indicators,
            }
        )
    return {
        **{
            field: getattr(programme, field)
            for field in (
                "id",
                "code",
                "title",
                "state",
                "indicative_budget",
                "is_illustrative",
                "government_partners",
                "other_partners",
                "starts_on",
                "ends_on",
                "duration_months",
            )
        },
        "state_label": ProgrammeListItemOut.resolve_state_label(programme),
        "fund": programme.fund.code,
        "currency": programme.fund.currency,
        "scope": programme.scope,
        "countries": [c.iso2 for c in data.countries],
        "participating_organisations": [str(o) for o in data.participants],
        "convening_organisation": (
            str(programme.convening_organisation) if programme.convening_organisation else None
        ),
        "primary_objective": ProgrammeListItemOut.resolve_primary_objective(programme),
        "thematic_area": ProgrammeListItemOut.resolve_thematic_area(programme),
        "url": ProgrammeListItemOut.resolve_url(programme),
        "money": [
            {
                "organisation": str(row["organisation"] or ""),
                "budget": row["budget"],
                "transferred": row["transferred"],
                "expenditure": row["expenditure"],
                "delivery_rate": row["delivery_rate"],
            }
            for row in data.money
        ],
        "budget_total": data.money_totals["budget"],
        "transferred_total": data.money_totals["transferred"],
        "expenditure_total": data.money_totals["expenditure"],
        "results": results,
        "timeline": [
            {"on": e["on"], "kind": e["kind"], "label": str(e["state"]), "note": e["note"]}
            for e in data.timeline
        ],
    }
