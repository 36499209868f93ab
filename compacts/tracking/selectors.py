"""Reads of the tracking app: permission-checked fetches, lists, dashboards, indicator series,
Open SDG export, the health lens and progress reports.

Dashboards and reports return plain dicts and dataclasses; every figure carries the records it
was computed from (``sources``), so pages can link each figure to its source record.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from compacts.actors.models import StakeholderCategory
from compacts.core.exceptions import NotFoundError
from compacts.core.permissions import allowed
from compacts.framework.i18n import localized_name
from compacts.framework.models import Country, GcmObjective
from compacts.tracking import opensdg
from compacts.tracking.disaggregation import series_label
from compacts.tracking.models import (
    Commitment,
    GcrPledge,
    HealthInclusionAssessment,
    ImrfEdition,
    Indicator,
    NationalPlan,
    NationalReview,
    Observation,
    PlanAction,
    PlanVersion,
    Pledge,
    PledgeType,
    RegionalCommission,
    RegionalReview,
    WrittenSubmission,
)
from compacts.tracking.permissions import (
    government_country_ids,
    is_secretariat,
    pledger_organisation_ids,
)
from compacts.tracking.progress import ProgressResult, progress_status
from compacts.tracking.workflows import gcr_pledge as gcr_pledge_workflow
from compacts.tracking.workflows import national_review as review_workflow
from compacts.tracking.workflows import plan_version as plan_workflow
from compacts.tracking.workflows import pledge as pledge_workflow

HEALTH_OBJECTIVE = 15
HEALTH_INDICATORS = ["3.8.1", "3.8.2"]


def _not_found() -> NotFoundError:
    return NotFoundError(_("Not found."), {})


# --- Pledges ----------------------------------------------------------------------------------


def pledge_visible(*, user) -> QuerySet[Pledge]:
    """Public pledges and the user's organisations' own; everything for the secretariat."""
    queryset = Pledge.objects.select_related("organisation", "country", "country__region")
    if is_secretariat(user):
        return queryset
    visible = Q(state__in=pledge_workflow.PUBLIC)
    org_ids = pledger_organisation_ids(user)
    if org_ids:
        visible |= Q(organisation_id__in=org_ids)
    return queryset.filter(visible)


def pledge_list(
    *,
    user,
    objective: int | None = None,
    pledge_type: str = "",
    state: str = "",
    category: str = "",
    region: str = "",
    health: bool | None = None,
) -> QuerySet[Pledge]:
    queryset = pledge_visible(user=user)
    if objective:
        queryset = queryset.filter(objectives__number=objective)
    if pledge_type:
        queryset = queryset.filter(pledge_type=pledge_type)
    if state:
        queryset = queryset.filter(state=state)
    if category:
        queryset = queryset.filter(organisation__category=category)
    if region:
        queryset = queryset.filter(
            Q(country__region__m49=region)
            | Q(country__isnull=True, organisation__country__region__m49=region)
        )
    if health is not None:
        queryset = queryset.filter(is_health=health)
    return queryset.distinct().prefetch_related("objectives")


def pledge_get_for_user(*, user, pk: int) -> Pledge:
    pledge = (
        Pledge.objects.select_related("organisation", "country", "matching_pledge", "imrf_edition")
        .prefetch_related("objectives", "principles", "gcm_actions", "partners", "updates")
        .filter(pk=pk)
        .first()
    )
    if pledge is None or not allowed(user, "tracking.pledge.view", pledge):
        raise _not_found()
    return pledge


def pledge_review_queue() -> QuerySet[Pledge]:
    return Pledge.objects.filter(state=pledge_workflow.PledgeState.SUBMITTED).select_related(
        "organisation"
    )


def gcr_pledge_visible(*, user) -> QuerySet[GcrPledge]:
    queryset = GcrPledge.objects.select_related("organisation", "gcr_objective", "stage", "country")
    if is_secretariat(user):
        return queryset
    visible = Q(state__in=gcr_pledge_workflow.PUBLIC)
    org_ids = pledger_organisation_ids(user)
    if org_ids:
        visible |= Q(organisation_id__in=org_ids)
    return queryset.filter(visible)


def gcr_pledge_get_for_user(*, user, pk: int) -> GcrPledge:
    pledge = (
        gcr_pledge_visible(user=user).prefetch_related("areas", "updates").filter(pk=pk).first()
    )
    if pledge is None:
        raise _not_found()
    return pledge


@dataclass
class Bucket:
    """One bar of a dashboard: a label, how many pledges, their amounts by currency."""

    key: str
    label: str
    count: int = 0
    amounts: dict[str, Decimal] = field(default_factory=dict)
    pledge_ids: list[int] = field(default_factory=list)

    def add(self, pledge) -> None:
        self.count += 1
        self.pledge_ids.append(pledge.pk)
        if pledge.amount is not None and pledge.currency:
            self.amounts[pledge.currency] = (
                self.amounts.get(pledge.currency, Decimal(0)) + pledge.amount
            )


def _region_of(pledge) -> tuple[str, str]:
    country = pledge.country or pledge.organisation.country
    if country is None or country.region is None:
        return "", _("Global or not stated")
    return country.region.m49, localized_name(country.region)


def pledge_dashboard(*, health: bool | None = None) -> dict[str, list[Bucket]]:
    """Public GCM pledges counted and summed by objective, type, pledger category, region and
    status. A pledge serving several objectives counts once under each."""
    pledges = list(
        Pledge.objects.filter(state__in=pledge_workflow.PUBLIC)
        .filter(**({"is_health": health} if health is not None else {}))
        .select_related("organisation", "organisation__country__region", "country__region")
        .prefetch_related("objectives")
        .order_by("pk")
    )
    by_objective: dict[str, Bucket] = {}
    by_type = {value: Bucket(value, str(label)) for value, label in PledgeType.choices}
    by_category: dict[str, Bucket] = {}
    by_region: dict[str, Bucket] = {}
    by_status = {
        str(s): Bucket(str(s), str(s.label))
        for s in pledge_workflow.PledgeState
        if s in pledge_workflow.PUBLIC
    }
    categories = dict(StakeholderCategory.choices)
    for pledge in pledges:
        for objective in pledge.objectives.all():
            key = str(objective.number)
            label = f"{objective.number}. {localized_name(objective, field='short_label')}"
            by_objective.setdefault(key, Bucket(key, label)).add(pledge)
        by_type[pledge.pledge_type].add(pledge)
        category = pledge.organisation.category
        by_category.setdefault(
            category, Bucket(category, str(categories.get(category, category)))
        ).add(pledge)
        region_key, region_label = _region_of(pledge)
        by_region.setdefault(region_key, Bucket(region_key, region_label)).add(pledge)
        by_status[pledge.state].add(pledge)
    return {
        "total": [Bucket("all", _("All published pledges"))] if not pledges else [_total(pledges)],
        "objective": sorted(by_objective.values(), key=lambda b: int(b.key)),
        "type": list(by_type.values()),
        "category": sorted(by_category.values(), key=lambda b: (-b.count, b.label)),
        "region": sorted(by_region.values(), key=lambda b: (-b.count, b.label)),
        "status": list(by_status.values()),
    }


def _total(pledges) -> Bucket:
    bucket = Bucket("all", _("All published pledges"))
    for pledge in pledges:
        bucket.add(pledge)
    return bucket


# --- National plans and reviews ------------------------------------------------------------


def plan_version_visible(*, user) -> QuerySet[PlanVersion]:
    queryset = PlanVersion.objects.select_related("plan", "plan__country")
    if is_secretariat(user):
        return queryset
    visible = Q(state__in=plan_workflow.PUBLIC)
    countries = government_country_ids(user)
    if countries:
        visible |= Q(plan__country_id__in=countries)
    return queryset.filter(visible)


def plan_version_get_for_user(*, user, pk: int) -> PlanVersion:
    version = (
        plan_version_visible(user=user)
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=PlanAction.objects.prefetch_related(
                    "objectives", "principles", "gcm_actions", "updates"
                ),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if version is None:
        raise _not_found()
    return version


def national_plan_list(*, user, country: Country | None = None) -> list[dict]:
    """Plans with their current (latest visible) version."""
    versions = plan_version_visible(user=user).order_by("plan__country__name", "plan_id", "-number")
    if country is not None:
        versions = versions.filter(plan__country=country)
    seen: dict[int, dict] = {}
    for version in versions:
        seen.setdefault(version.plan_id, {"plan": version.plan, "version": version})
    return list(seen.values())


def national_review_visible(*, user) -> QuerySet[NationalReview]:
    queryset = NationalReview.objects.select_related(
        "country", "regional_review__commission", "imrf_edition"
    )
    if is_secretariat(user):
        return queryset
    visible = Q(state__in=review_workflow.PUBLIC)
    countries = government_country_ids(user)
    if countries:
        visible |= Q(country_id__in=countries)
    return queryset.filter(visible)


# --- Indicators -----------------------------------------------------------------------------


def indicator_list(*, kind: str = "", objective: int | None = None) -> QuerySet[Indicator]:
    queryset = Indicator.objects.select_related(
        "sdg_indicator", "country", "gcr_objective"
    ).annotate(observation_count=Count("observations"))
    if kind:
        queryset = queryset.filter(kind=kind)
    if objective:
        queryset = queryset.filter(objectives__number=objective)
    return queryset.order_by("kind", "code")


def indicator_get(*, slug: str) -> Indicator:
    indicator = (
        Indicator.objects.select_related("sdg_indicator", "country").filter(slug=slug).first()
    )
    if indicator is None:
        raise _not_found()
    return indicator


@dataclass
class Series:
    """One series of an indicator: a country and a disaggregation, its points and progress."""

    country: Country
    disaggregation: dict[str, str]
    points: list[Observation]
    progress: ProgressResult

    @property
    def label(self) -> str:
        """The series in the reader's language (``disaggregation.series_label``)."""
        return series_label(self.disaggregation)

    @property
    def maximum(self) -> Decimal:
        return max((p.value for p in self.points), default=Decimal(0))


def indicator_series(
    *, indicator: Indicator, country: Country | None = None, filters: dict[str, str] | None = None
) -> list[Series]:
    """The indicator's series, optionally for one country; ``filters`` keeps the series whose
    disaggregation has those values (a blank filter value means the total: no such column)."""
    observations = Observation.objects.filter(indicator=indicator).select_related(
        "country", "country__region"
    )
    if country is not None:
        observations = observations.filter(country=country)
    grouped: dict[tuple[int, str], list[Observation]] = defaultdict(list)
    for obs in observations.order_by("country__name", "series_key", "year"):
        grouped[(obs.country_id, obs.series_key)].append(obs)
    result = []
    for points in grouped.values():
        disaggregation = points[0].disaggregation
        if filters and any(
            disaggregation.get(name, "") != value for name, value in filters.items()
        ):
            continue
        result.append(
            Series(
                country=points[0].country,
                disaggregation=disaggregation,
                points=points,
                progress=progress_status(
                    [(p.year, p.value) for p in points],
                    higher_is_better=indicator.direction == "increase",
                    base_year=indicator.base_year,
                    target_value=indicator.target_value,
                    target_year=indicator.target_year,
                ),
            )
        )
    return result


def indicator_disaggregation_values(*, indicator: Indicator) -> dict[str, list[str]]:
    """For each disaggregation column, the values it takes (for the filter form)."""
    values: dict[str, set[str]] = {name: set() for name in indicator.disaggregation_columns}
    for disaggregation in Observation.objects.filter(indicator=indicator).values_list(
        "disaggregation", flat=True
    ):
        for name, value in disaggregation.items():
            values.setdefault(name, set()).add(value)
    return {name: sorted(found) for name, found in values.items()}


def indicator_countries(*, indicator: Indicator) -> QuerySet[Country]:
    return Country.objects.filter(
        pk__in=Observation.objects.filter(indicator=indicator).values("country_id")
    ).order_by("name")


def indicator_export_csv(*, indicator: Indicator) -> str:
    """The indicator's data as one canonical Open SDG CSV."""
    rows = [
        opensdg.ParsedRow(
            row=0, year=obs.year, m49=m49, disaggregation=obs.disaggregation, value=obs.value
        )
        for obs, m49 in (
            (obs, obs.country.m49)
            for obs in Observation.objects.filter(indicator=indicator).select_related("country")
        )
    ]
    return opensdg.write_csv(columns=list(indicator.disaggregation_columns), rows=rows)


# --- Health lens --------------------------------------------------------------------------


def health_inclusion_latest() -> list[HealthInclusionAssessment]:
    """The latest assessment of each country."""
    latest: dict[int, HealthInclusionAssessment] = {}
    for assessment in HealthInclusionAssessment.objects.select_related("country").order_by(
        "country__name", "-assessed_on"
    ):
        latest.setdefault(assessment.country_id, assessment)
    return list(latest.values())


def health_dashboard(*, user) -> dict:
    """GCM objective 15 and the GCR's health paragraphs (72-73) in one place."""
    indicators = list(
        Indicator.objects.filter(kind="sdg", code__in=HEALTH_INDICATORS).order_by("code")
    )
    return {
        "pledges": pledge_dashboard(health=True),
        "gcm_pledges": list(pledge_list(user=user, health=True)[:50]),
        "gcr_pledges": list(
            gcr_pledge_visible(user=user).filter(
                is_health=True, state__in=gcr_pledge_workflow.PUBLIC
            )[:50]
        ),
        "plans": [
            entry
            for entry in national_plan_list(user=user)
            if entry["version"].includes_migrant_health
        ],
        "indicators": [
            {"indicator": indicator, "series": indicator_series(indicator=indicator, filters={})}
            for indicator in indicators
        ],
        "inclusion": health_inclusion_latest(),
    }


# --- Review cycle --------------------------------------------------------------------------


def imrf_edition_list() -> QuerySet[ImrfEdition]:
    return ImrfEdition.objects.prefetch_related(
        Prefetch("round_tables__objectives", queryset=GcmObjective.objects.order_by("number"))
    )


def regional_commission_list() -> QuerySet[RegionalCommission]:
    """The UN regional commissions, by code."""
    return RegionalCommission.objects.order_by("code")


def regional_review_list() -> QuerySet[RegionalReview]:
    return RegionalReview.objects.select_related("commission")


def commitment_list(*, edition: ImrfEdition | None = None) -> QuerySet[Commitment]:
    queryset = Commitment.objects.select_related("edition", "owner")
    if edition is not None:
        queryset = queryset.filter(edition=edition)
    return queryset


def commitment_get(*, pk: int) -> Commitment:
    """One tracked commitment (public, like the list), or ``NotFoundError``."""
    commitment = commitment_list().filter(pk=pk).first()
    if commitment is None:
        raise _not_found()
    return commitment


def submission_visible(*, user) -> QuerySet[WrittenSubmission]:
    queryset = WrittenSubmission.objects.select_related(
        "organisation", "imrf_edition", "regional_review"
    )
    if is_secretariat(user):
        return queryset
    from compacts.actors.selectors import user_organisation_ids

    return queryset.filter(
        Q(status="published") | Q(organisation_id__in=user_organisation_ids(user))
    )


# --- Progress reports ------------------------------------------------------------------------


@dataclass
class Figure:
    """A number in a report and the records it was computed from."""

    label: str
    value: object
    sources: list[tuple[str, str]] = field(default_factory=list)  # (text, url)

    @property
    def is_money(self) -> bool:
        return isinstance(self.value, dict)


def _pledge_sources(pledges) -> list[tuple[str, str]]:
    from django.urls import reverse

    return [(p.reference, reverse("tracking:pledge-detail", args=[p.pk])) for p in pledges]


def _version_sources(entries) -> list[tuple[str, str]]:
    from django.urls import reverse

    return [
        (
            f"{e['plan'].title} v{e['version'].number}",
            reverse("tracking:plan-detail", args=[e["version"].pk]),
        )
        for e in entries
    ]


def _indicator_rows(indicators, country=None) -> list[dict]:
    from django.urls import reverse

    rows = []
    for indicator in indicators:
        for series in indicator_series(indicator=indicator, country=country, filters={}):
            url = (
                reverse("tracking:indicator-detail", args=[indicator.slug])
                + f"?country={series.country.m49}"
            )
            rows.append({"indicator": indicator, "series": series, "url": url})
    return rows


# --- The fund's programmes in a report ---------------------------------------------------------


@dataclass
class ProgrammeMoney:
    """A public programme of the Migration MPTF and its money, in the fund's currency.

    ``budget`` is the joint programme document's budget (direct and indirect costs) when it has
    budget lines, otherwise the concept note's indicative budget. ``allocated`` and
    ``transferred`` come from the fund's ledger (``programmes.selectors.programme_money``);
    ``expenditure`` is the expenditure the fund's ledger links to the programme's allocations.
    """

    programme: object
    currency: str
    budget: Decimal | None
    allocated: Decimal
    transferred: Decimal
    expenditure: Decimal


def fund_programmes(
    *, objective: GcmObjective | None = None, country: Country | None = None
) -> list[ProgrammeMoney]:
    """Public programmes (endorsed into the pipeline or later) of the fund that serve
    ``objective`` (primary or other objective) or take place in ``country``, with their money."""
    from compacts.fund.models import AccountCode, PostingKind, PostingLine
    from compacts.programmes.models import Programme
    from compacts.programmes.permissions import PUBLIC_STATES
    from compacts.programmes.selectors import budget_summary, programme_money

    queryset = Programme.objects.filter(state__in=PUBLIC_STATES).select_related(
        "fund", "primary_objective"
    )
    if objective is not None:
        queryset = queryset.filter(Q(primary_objective=objective) | Q(other_objectives=objective))
    if country is not None:
        queryset = queryset.filter(countries=country)
    result = []
    for programme in queryset.distinct().order_by("code"):
        budget = budget_summary(programme=programme)
        money = programme_money(programme=programme)
        allocation_ids = [row["allocation"].pk for row in money["allocations"]]
        spent = PostingLine.objects.filter(
            posting__allocation_id__in=allocation_ids,
            kind=PostingKind.EXPENDITURE,
            account__code=AccountCode.PO_EXPENDITURE,
        ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
        result.append(
            ProgrammeMoney(
                programme=programme,
                currency=programme.fund.currency,
                budget=budget["total"] if budget["lines"] else programme.indicative_budget,
                allocated=money["allocated"],
                transferred=money["transferred"],
                expenditure=spent,
            )
        )
    return result


def _money_total(rows: list[ProgrammeMoney], name: str) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        value = getattr(row, name)
        if value is not None:
            totals[row.currency] += value
    return dict(totals)


def _programme_figures(rows: list[ProgrammeMoney]) -> list[Figure]:
    from django.urls import reverse

    sources = [
        (row.programme.code, reverse("programmes:detail", args=[row.programme.pk])) for row in rows
    ]
    return [
        Figure(_("Migration MPTF programmes"), len(rows), sources),
        Figure(_("Budget of these programmes"), _money_total(rows, "budget"), sources),
        Figure(
            _("Transferred to participating organisations"),
            _money_total(rows, "transferred"),
            sources,
        ),
    ]


def objective_report(*, objective: GcmObjective, user) -> dict:
    """Everything tracked for one GCM objective: pledges, plan actions, indicators, round tables."""
    pledges = list(
        pledge_list(user=user, objective=objective.number).filter(state__in=pledge_workflow.PUBLIC)
    )
    financial = [p for p in pledges if p.amount is not None]
    amounts: dict[str, Decimal] = defaultdict(Decimal)
    for pledge in financial:
        amounts[pledge.currency] += pledge.amount
    actions = list(
        PlanAction.objects.filter(
            objectives=objective, version__state=plan_workflow.PlanVersionState.PUBLISHED
        )
        .select_related("version__plan__country")
        .order_by("version__plan__country__name", "pk")
    )
    countries = sorted({a.version.plan.country.name for a in actions})
    indicators = list(Indicator.objects.filter(objectives=objective).order_by("kind", "code"))
    from django.urls import reverse

    programmes = fund_programmes(objective=objective)
    return {
        "subject": objective,
        "kind": "objective",
        "programmes": programmes,
        "figures": [
            Figure(_("Published pledges"), len(pledges), _pledge_sources(pledges)),
            Figure(
                _("Amount pledged"),
                dict(amounts),
                _pledge_sources(financial),
            ),
            Figure(
                _("Countries with plan actions for this objective"),
                len(countries),
                [
                    (
                        f"{a.version.plan.country.name}: {a.title}",
                        reverse("tracking:plan-detail", args=[a.version_id]),
                    )
                    for a in actions
                ],
            ),
            *_programme_figures(programmes),
        ],
        "pledges": pledges,
        "actions": actions,
        "indicator_rows": _indicator_rows(indicators),
        "round_tables": list(
            objective.round_tables.select_related("edition").order_by("edition__year")
        ),
    }


def country_report(*, country: Country, user) -> dict:
    """Everything tracked for one country: its plan, pledges, reviews, indicators, health policy."""
    pledges = list(
        pledge_visible(user=user)
        .filter(Q(country=country) | Q(country__isnull=True, organisation__country=country))
        .filter(state__in=pledge_workflow.PUBLIC)
        .prefetch_related("objectives")
    )
    plans = national_plan_list(user=user, country=country)
    plans = [e for e in plans if e["version"].state in plan_workflow.PUBLIC]
    reviews = list(
        national_review_visible(user=user).filter(country=country, state__in=review_workflow.PUBLIC)
    )
    indicators = (
        Indicator.objects.filter(observations__country=country).distinct().order_by("kind", "code")
    )
    inclusion = (
        HealthInclusionAssessment.objects.filter(country=country).order_by("-assessed_on").first()
    )
    amounts: dict[str, Decimal] = defaultdict(Decimal)
    for pledge in pledges:
        if pledge.amount is not None:
            amounts[pledge.currency] += pledge.amount
    actions = [a for e in plans for a in e["version"].actions.all()]
    programmes = fund_programmes(country=country)
    return {
        "subject": country,
        "kind": "country",
        "programmes": programmes,
        "figures": [
            Figure(_("Published pledges"), len(pledges), _pledge_sources(pledges)),
            Figure(
                _("Amount pledged"),
                dict(amounts),
                _pledge_sources([p for p in pledges if p.amount is not None]),
            ),
            Figure(_("Actions in the national plan"), len(actions), _version_sources(plans)),
            *_programme_figures(programmes),
        ],
        "pledges": pledges,
        "plans": plans,
        "reviews": reviews,
        "indicator_rows": _indicator_rows(indicators, country=country),
        "inclusion": inclusion,
    }


def edition_report(*, edition: ImrfEdition, user) -> dict:
    """An IMRF edition: round tables, pledges made for it, national reviews, commitments."""
    pledges = list(
        pledge_visible(user=user).filter(imrf_edition=edition, state__in=pledge_workflow.PUBLIC)
    )
    reviews = list(
        national_review_visible(user=user).filter(
            imrf_edition=edition, state__in=review_workflow.PUBLIC
        )
    )
    commitments = list(commitment_list(edition=edition))
    return {
        "subject": edition,
        "kind": "edition",
        "figures": [
            Figure(_("Published pledges"), len(pledges), _pledge_sources(pledges)),
            Figure(_("National reviews"), len(reviews), []),
            Figure(_("Commitments tracked"), len(commitments), []),
        ],
        "pledges": pledges,
        "reviews": reviews,
        "commitments": commitments,
        "round_tables": list(edition.round_tables.prefetch_related("objectives")),
    }


def objective_get(*, number: int) -> GcmObjective:
    objective = GcmObjective.objects.filter(number=number).first()
    if objective is None:
        raise _not_found()
    return objective


def country_get(*, m49: str) -> Country:
    country = Country.objects.filter(m49=m49).first()
    if country is None:
        raise _not_found()
    return country


def tracked_countries() -> QuerySet[Country]:
    """Countries with a plan, a pledge, a health assessment or indicator data."""
    return (
        Country.objects.filter(
            Q(gcm_plans__isnull=False)
            | Q(health_inclusion__isnull=False)
            | Q(pk__in=Observation.objects.values("country_id"))
            | Q(pk__in=Pledge.objects.filter(state__in=pledge_workflow.PUBLIC).values("country_id"))
        )
        .distinct()
        .order_by("name")
    )


def tracked_plans() -> QuerySet[NationalPlan]:
    return NationalPlan.objects.select_related("country")
