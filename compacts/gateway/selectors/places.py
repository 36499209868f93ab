"""Reads of the gateway's pages about places and themes: countries and M49 regions, GCM
objectives and thematic areas (the 360-degree view), the map, the health lens, and the landscape
of migration funding that other publishers report to IATI.

Everything about the fund comes from one *portfolio*: the fund's public programmes (from
endorsement on; drafts and concept notes under screening are never shown) with their money,
read in a fixed number of queries and cached under ``versions_key`` of the topics it depends on.
Each page derives its figures from the portfolio in Python, so the number of queries a page makes
does not grow with the data.

Money per programme (the fund's currency, US dollars):

- ``budget``: the indicative budget of the concept note, as endorsed;
- ``allocated`` (approved funding): the allocations the fund made to the participating
  organisations when the Committee approved the programme (``fund.Allocation`` whose
  ``source_type`` is ``programmes.programme``);
- ``transferred``: net transfers on those allocations (transfers minus refunds, reversals
  netted), from the ledger;
- ``expenditure``: the expenditure of the programme's accepted financial reports that was posted
  to the ledger (and not reversed).

Attribution (``docs/gateway-places.md``): a programme in several countries has each amount
split equally between its countries, to the cent (the remainder goes to the first country by
ISO code), so that country figures add up to the fund's. A programme without a country (global,
or regional without listed countries) is shown separately as "not attributed to a country".
Region figures are the sums of their countries' shares. A programme counts fully for its
primary GCM objective and its thematic area; its other objectives are listed and counted apart
("also contributes"), never added to the totals.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Sum
from django.utils.translation import gettext as _

from compacts.core.changes import versions_key
from compacts.core.exceptions import NotFoundError
from compacts.core.money import ZERO
from compacts.framework.i18n import localized_name
from compacts.gateway.selectors.fund import (
    CLOSED_STATES,
    FUNDED_STATES,
    PIPELINE_STATES,
    home_fund,
)

TOPICS = ("framework", "fund", "programmes", "results")
IATI_TOPICS = ("framework", "iati")
CACHE_SECONDS = 60 * 60
PUBLIC_STATES = (*PIPELINE_STATES, *FUNDED_STATES, *CLOSED_STATES)
MONEY_KEYS = ("budget", "allocated", "transferred", "expenditure")
HEALTH_OBJECTIVE = 15
# An objective or thematic area is flagged "little funding" when its approved funding is below
# this fraction of an even share of the fund's approved funding (see docs/gateway-places.md).
LITTLE_FUNDING_FRACTION = Decimal("0.5")
CENT = Decimal("0.01")


# --- Reference data (language-independent; names are localised at display time) -------------


@dataclass(frozen=True)
class RegionRef:
    m49: str
    level: str
    name: str
    names: dict
    parent: str | None

    @property
    def label(self) -> str:
        return localized_name(self)


@dataclass(frozen=True)
class CountryRef:
    id: int
    iso2: str
    iso3: str | None
    m49: str | None
    name: str
    names: dict
    region: str | None
    sub_region: str | None
    intermediate_region: str | None

    @property
    def label(self) -> str:
        return localized_name(self)

    @property
    def areas(self) -> tuple[str, ...]:
        """The M49 areas the country belongs to, broadest first."""
        return tuple(a for a in (self.region, self.sub_region, self.intermediate_region) if a)


@dataclass(frozen=True)
class ObjectiveRef:
    number: int
    title: str
    titles: dict
    short_label: str
    short_labels: dict

    @property
    def label(self) -> str:
        return localized_name(self, field="short_label") or localized_name(self, field="title")

    @property
    def full_title(self) -> str:
        return localized_name(self, field="title")


@dataclass(frozen=True)
class ThematicAreaRef:
    code: str
    number: int
    name: str
    names: dict
    is_provisional: bool
    objectives: tuple[int, ...]

    @property
    def label(self) -> str:
        return localized_name(self)


@dataclass(frozen=True)
class OrganisationRef:
    id: int
    name: str
    short_name: str
    names: dict
    is_illustrative: bool

    @property
    def label(self) -> str:
        return localized_name(self)


@dataclass(frozen=True)
class Reference:
    countries: dict[int, CountryRef]
    by_iso2: dict[str, int]
    regions: dict[str, RegionRef]
    objectives: dict[int, ObjectiveRef]
    thematic_areas: dict[str, ThematicAreaRef]


def _load_reference() -> Reference:
    from compacts.framework.models import Country, GcmObjective, Region, ThematicArea

    countries = {
        row["id"]: CountryRef(
            id=row["id"],
            iso2=row["iso2"],
            iso3=row["iso3"],
            m49=row["m49"],
            name=row["name"],
            names=row["names"] or {},
            region=row["region__m49"],
            sub_region=row["sub_region__m49"],
            intermediate_region=row["intermediate_region__m49"],
        )
        for row in Country.objects.values(
            "id",
            "iso2",
            "iso3",
            "m49",
            "name",
            "names",
            "region__m49",
            "sub_region__m49",
            "intermediate_region__m49",
        ).order_by()
    }
    regions = {
        row["m49"]: RegionRef(
            m49=row["m49"],
            level=row["level"],
            name=row["name"],
            names=row["names"] or {},
            parent=row["parent__m49"],
        )
        for row in Region.objects.values("m49", "level", "name", "names", "parent__m49").order_by()
    }
    objectives = {
        row["number"]: ObjectiveRef(
            number=row["number"],
            title=row["title"],
            titles=row["titles"] or {},
            short_label=row["short_label"],
            short_labels=row["short_labels"] or {},
        )
        for row in GcmObjective.objects.values(
            "number", "title", "titles", "short_label", "short_labels"
        ).order_by("number")
    }
    links: dict[int, list[int]] = defaultdict(list)
    for area_id, number in ThematicArea.objectives.through.objects.values_list(
        "thematic_area_id", "objective__number"
    ).order_by("objective__number"):
        links[area_id].append(number)
    thematic_areas = {
        area.code: ThematicAreaRef(
            code=area.code,
            number=area.number,
            name=area.name,
            names=area.names or {},
            is_provisional=area.is_provisional,
            objectives=tuple(links.get(area.pk, [])),
        )
        for area in ThematicArea.objects.order_by("number").only(
            "code", "number", "name", "names", "status"
        )
    }
    return Reference(
        countries=countries,
        by_iso2={c.iso2: c.id for c in countries.values()},
        regions=regions,
        objectives=objectives,
        thematic_areas=thematic_areas,
    )


def reference(*, key: str | None = None, reload: bool = False) -> Reference:
    """Countries, M49 regions, GCM objectives and thematic areas (cached with "framework").

    Reference loaders do not announce "framework" on every run, so a lookup that misses reloads
    once (``reload=True``) before saying a code is unknown: a newly loaded country is found at
    once, and only unknown codes pay for the reload."""
    key = key or versions_key("framework")
    cache_key = f"gateway-places:reference:{key}"
    found = None if reload else cache.get(cache_key)
    if found is None:
        found = _load_reference()
        cache.set(cache_key, found, CACHE_SECONDS)
    return found


# --- The portfolio ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeRow:
    """One public programme of the fund with its tags and its money."""

    id: int
    code: str
    title: str
    state: str
    scope: str
    is_illustrative: bool
    countries: tuple[int, ...]
    primary_objective: int | None
    other_objectives: tuple[int, ...]
    thematic_area: str | None
    organisations: tuple[int, ...]
    budget: Decimal
    allocated: Decimal
    transferred: Decimal
    expenditure: Decimal
    transferred_by_year: tuple[tuple[int, Decimal], ...] = ()
    gcr_areas: tuple[str, ...] = ()  # codes of Global Compact on Refugees areas

    @property
    def stage(self) -> str:
        if self.state in PIPELINE_STATES:
            return "pipeline"
        if self.state in FUNDED_STATES:
            return "funded"
        return "closed"

    @property
    def state_label(self) -> str:
        """The state's name in the active language (the programmes app's catalogue)."""
        from compacts.programmes.workflows.programme import State

        return str(State(self.state).label) if self.state in State.values else self.state

    @property
    def is_funded(self) -> bool:
        """Approved, running or closed: the fund has decided to pay it."""
        return self.stage != "pipeline"

    def money(self) -> dict[str, Decimal]:
        return {key: getattr(self, key) for key in MONEY_KEYS}


@dataclass(frozen=True)
class Portfolio:
    fund_id: int | None
    fund_code: str
    fund_name: str
    currency: str
    is_illustrative: bool
    programmes: tuple[ProgrammeRow, ...]
    organisations: dict[int, OrganisationRef]

    @property
    def any_illustrative(self) -> bool:
        return self.is_illustrative or any(p.is_illustrative for p in self.programmes)


EMPTY_PORTFOLIO = Portfolio(None, "", "", "USD", False, (), {})


def _sum_by(queryset, key: str, value: str = "amount") -> dict:
    return {
        row[key]: row["total"] or ZERO
        for row in queryset.values(key).annotate(total=Sum(value)).order_by()
    }


def _load_portfolio(fund) -> Portfolio:
    from compacts.actors.models import Organisation
    from compacts.fund.models import AccountCode, Allocation, PostingLine
    from compacts.fund.selectors import _Year
    from compacts.programmes.models import Programme
    from compacts.results.models import ExpenditureLine

    programmes = list(
        Programme.objects.filter(fund=fund, state__in=PUBLIC_STATES)
        .values(
            "id",
            "code",
            "title",
            "state",
            "scope",
            "is_illustrative",
            "indicative_budget",
            "primary_objective__number",
            "thematic_area__code",
        )
        .order_by("code")
    )
    ids = [p["id"] for p in programmes]
    through = Programme.countries.through.objects.filter(programme_id__in=ids)
    countries: dict[int, list[int]] = defaultdict(list)
    for programme_id, country_id in through.values_list("programme_id", "country_id").order_by(
        "country__iso2"
    ):
        countries[programme_id].append(country_id)
    others: dict[int, list[int]] = defaultdict(list)
    for programme_id, number in (
        Programme.other_objectives.through.objects.filter(programme_id__in=ids)
        .values_list("programme_id", "gcmobjective__number")
        .order_by("gcmobjective__number")
    ):
        others[programme_id].append(number)
    gcr_areas: dict[int, list[str]] = defaultdict(list)
    for programme_id, code in (
        Programme.gcr_areas.through.objects.filter(programme_id__in=ids)
        .values_list("programme_id", "gcrarea__code")
        .order_by("gcrarea__code")
    ):
        gcr_areas[programme_id].append(code)
    organisations: dict[int, list[int]] = defaultdict(list)
    for programme_id, org_id in (
        Programme.participating_organisations.through.objects.filter(programme_id__in=ids)
        .values_list("programme_id", "organisation_id")
        .order_by("organisation_id")
    ):
        organisations[programme_id].append(org_id)

    source = {"source_type": "programmes.programme"}
    allocated = _sum_by(Allocation.objects.filter(fund=fund, **source), "source_id")
    transfer_rows = (
        PostingLine.objects.filter(
            fund=fund,
            posting__allocation__source_type="programmes.programme",
            account__code__in=[AccountCode.TRANSFERS, AccountCode.REFUNDS],
        )
        .values("posting__allocation__source_id")
        .annotate(year=_Year("value_date"), total=Sum("amount"))
        .order_by()
    )
    transferred: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_year: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for row in transfer_rows:
        key = row["posting__allocation__source_id"]
        transferred[key] += row["total"] or ZERO
        by_year[key][row["year"]] += row["total"] or ZERO
    expenditure = _sum_by(
        ExpenditureLine.objects.filter(
            report__programme_id__in=ids,
            posting__isnull=False,
            posting__reversed_by__isnull=True,
        ),
        "report__programme_id",
    )
    org_ids = {org for orgs in organisations.values() for org in orgs}
    names = {
        org.pk: OrganisationRef(
            org.pk, org.name, org.short_name, org.names or {}, org.is_illustrative
        )
        for org in Organisation.objects.filter(pk__in=org_ids).only(
            "name", "short_name", "names", "is_illustrative"
        )
    }
    rows = []
    for p in programmes:
        key = str(p["id"])
        rows.append(
            ProgrammeRow(
                id=p["id"],
                code=p["code"],
                title=p["title"],
                state=p["state"],
                scope=p["scope"],
                is_illustrative=p["is_illustrative"],
                countries=tuple(countries.get(p["id"], ())),
                primary_objective=p["primary_objective__number"],
                other_objectives=tuple(
                    n for n in others.get(p["id"], ()) if n != p["primary_objective__number"]
                ),
                thematic_area=p["thematic_area__code"],
                organisations=tuple(organisations.get(p["id"], ())),
                gcr_areas=tuple(gcr_areas.get(p["id"], ())),
                budget=(p["indicative_budget"] or ZERO).quantize(CENT),
                allocated=(allocated.get(key) or ZERO).quantize(CENT),
                transferred=transferred[key].quantize(CENT) if key in transferred else ZERO,
                expenditure=(expenditure.get(p["id"]) or ZERO).quantize(CENT),
                transferred_by_year=tuple(
                    (year, total.quantize(CENT)) for year, total in sorted(by_year[key].items())
                )
                if key in by_year
                else (),
            )
        )
    return Portfolio(
        fund_id=fund.pk,
        fund_code=fund.code,
        fund_name=fund.name,
        currency=fund.currency,
        is_illustrative=fund.is_illustrative,
        programmes=tuple(rows),
        organisations=names,
    )


def portfolio(*, key: str | None = None) -> Portfolio:
    """The home fund's public programmes with their money (cached; see the module docstring)."""
    fund = home_fund()
    if fund is None:
        return EMPTY_PORTFOLIO
    key = key or versions_key(*TOPICS)
    cache_key = f"gateway-places:portfolio:{fund.pk}:{key}"
    found = cache.get(cache_key)
    if found is None:
        found = _load_portfolio(fund)
        cache.set(cache_key, found, CACHE_SECONDS)
    return found


def places_data() -> tuple[Portfolio, Reference]:
    """The portfolio and the reference tables, with one version query for both."""
    key = versions_key(*TOPICS)
    framework_key = key.split("|")[0]  # "framework:N" sorts first among TOPICS
    return portfolio(key=key), reference(key=framework_key)


# --- Attribution ----------------------------------------------------------------------------


def split_equally(amount: Decimal, parts: int) -> list[Decimal]:
    """``amount`` in ``parts`` shares to the cent that add up exactly; the first share takes the
    remainder. ``split_equally(Decimal("100.00"), 3) == [33.34, 33.33, 33.33]``."""
    if parts <= 0:
        return []
    cents = int((amount * 100).to_integral_value())
    base, remainder = divmod(cents, parts)
    shares = [Decimal(base) / 100] * parts
    shares[0] = Decimal(base + remainder) / 100
    return [share.quantize(CENT) for share in shares]


def country_shares(programme: ProgrammeRow) -> dict[int, dict[str, Decimal]]:
    """Each country's share of each amount of ``programme`` (empty without a country)."""
    if not programme.countries:
        return {}
    result: dict[int, dict[str, Decimal]] = {c: {} for c in programme.countries}
    for key in MONEY_KEYS:
        for country, share in zip(
            programme.countries,
            split_equally(getattr(programme, key), len(programme.countries)),
            strict=True,
        ):
            result[country][key] = share
    return result


def _empty_totals() -> dict:
    return {
        "pipeline": 0,
        "funded": 0,
        "closed": 0,
        "programmes": 0,
        **{key: ZERO for key in MONEY_KEYS},
    }


def _add(totals: dict, programme: ProgrammeRow, money: dict[str, Decimal]) -> None:
    totals[programme.stage] += 1
    totals["programmes"] += 1
    for key in MONEY_KEYS:
        if key == "budget" and programme.is_funded:
            # The pipeline budget counts programmes not yet funded; funded ones count as
            # approved funding (``allocated``).
            continue
        totals[key] += money[key]


def totals_of(programmes) -> dict:
    """Counts by stage and the four amounts (``budget`` = pipeline budget) of ``programmes``."""
    totals = _empty_totals()
    for programme in programmes:
        _add(totals, programme, programme.money())
    return totals


def delivery_rate(totals: dict) -> Decimal | None:
    """Expenditure as a percentage of net transfers (the fund's definition, docs/fund.md)."""
    if totals["transferred"] <= 0:
        return None
    return (totals["expenditure"] * 100 / totals["transferred"]).quantize(CENT)


# --- Countries and regions ----------------------------------------------------------------


@dataclass
class PlaceRow:
    """A country or an M49 area with the fund's attributed figures there."""

    code: str  # ISO alpha-2 for a country, M49 for an area
    m49: str | None
    label: str
    level: str  # "country", "region", "sub-region", "intermediate", "world"
    totals: dict = field(default_factory=_empty_totals)
    children: list[PlaceRow] = field(default_factory=list)


def country_totals(portfolio: Portfolio) -> tuple[dict[int, dict], dict]:
    """Attributed totals per country id, and the totals of programmes without a country."""
    per_country: dict[int, dict] = defaultdict(_empty_totals)
    unattributed = _empty_totals()
    for programme in portfolio.programmes:
        shares = country_shares(programme)
        if not shares:
            _add(unattributed, programme, programme.money())
        for country_id, money in shares.items():
            _add(per_country[country_id], programme, money)
    return dict(per_country), unattributed


def _merge(into: dict, totals: dict) -> None:
    for key, value in totals.items():
        into[key] += value


def region_tree(ref: Reference, per_country: dict[int, dict]) -> list[PlaceRow]:
    """M49 regions -> sub-regions (-> intermediate regions) -> countries, each with the sum of
    its countries' attributed figures, keeping only areas where the fund works. Programmes are
    counted once per country, so an area's programme count is a count of country shares."""
    nodes: dict[str, PlaceRow] = {}

    def node(m49: str) -> PlaceRow:
        if m49 not in nodes:
            region = ref.regions.get(m49)
            nodes[m49] = PlaceRow(
                code=m49,
                m49=m49,
                label=region.label if region else m49,
                level=region.level if region else "region",
            )
        return nodes[m49]

    roots: dict[str, PlaceRow] = {}
    unplaced = PlaceRow(code="", m49=None, label=_("Not in an M49 region"), level="region")
    for country_id, totals in sorted(
        per_country.items(), key=lambda item: ref.countries[item[0]].label
    ):
        country = ref.countries[country_id]
        leaf = PlaceRow(
            code=country.iso2, m49=country.m49, label=country.label, level="country", totals=totals
        )
        chain = country.areas
        if not chain:
            unplaced.children.append(leaf)
            _merge(unplaced.totals, totals)
            continue
        parent = None
        for m49 in chain:
            current = node(m49)
            _merge(current.totals, totals)
            if parent is None:
                roots[m49] = current
            elif current not in parent.children:
                parent.children.append(current)
            parent = current
        parent.children.append(leaf)
    ordered = sorted(roots.values(), key=lambda r: r.label)
    for root in ordered:
        _sort_children(root)
    if unplaced.children:
        ordered.append(unplaced)
    return ordered


def _sort_children(row: PlaceRow) -> None:
    row.children.sort(key=lambda r: (r.level == "country", r.label))
    for child in row.children:
        _sort_children(child)


@dataclass
class CountryListPage:
    portfolio: Portfolio
    tree: list[PlaceRow]
    countries: list[PlaceRow]
    unattributed: dict
    unattributed_programmes: list[ProgrammeRow]
    totals: dict


def country_list_page() -> CountryListPage:
    """Every country and M49 area where the fund's public programmes work, with their figures,
    and the programmes not attributed to a country."""
    data, ref = places_data()
    per_country, unattributed = country_totals(data)
    countries = sorted(
        (
            PlaceRow(
                code=ref.countries[cid].iso2,
                m49=ref.countries[cid].m49,
                label=ref.countries[cid].label,
                level="country",
                totals=totals,
            )
            for cid, totals in per_country.items()
        ),
        key=lambda r: r.label,
    )
    return CountryListPage(
        portfolio=data,
        tree=region_tree(ref, per_country),
        countries=countries,
        unattributed=unattributed,
        unattributed_programmes=[p for p in data.programmes if not p.countries],
        totals=totals_of(data.programmes),
    )


@dataclass
class AttributedProgramme:
    programme: ProgrammeRow
    share: dict[str, Decimal]
    country_count: int
    country_labels: list[str]


@dataclass
class CountryPage:
    country: CountryRef
    areas: list[RegionRef]
    portfolio: Portfolio
    programmes: list[AttributedProgramme]
    totals: dict
    delivery_rate: Decimal | None
    organisations: list[dict]
    transfers_by_year: list[tuple[int, Decimal]]


def _valid_iso2(iso2: str) -> str:
    code = (iso2 or "").strip().upper()
    return code if len(code) == 2 and code.isascii() and code.isalpha() else ""


def country_page(*, iso2: str) -> CountryPage:
    """What the fund does in one country; ``NotFoundError`` for a code no country has."""
    data, ref = places_data()
    code = _valid_iso2(iso2)
    if code and code not in ref.by_iso2:
        ref = reference(key=versions_key("framework"), reload=True)
    country_id = ref.by_iso2.get(code)
    if country_id is None:
        raise NotFoundError(
            _("No country or area has the code %(code)s.") % {"code": (iso2 or "")[:10]}
        )
    country = ref.countries[country_id]
    totals = _empty_totals()
    rows = []
    organisations: dict[int, int] = defaultdict(int)
    years: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for programme in data.programmes:
        if country_id not in programme.countries:
            continue
        share = country_shares(programme)[country_id]
        _add(totals, programme, share)
        rows.append(
            AttributedProgramme(
                programme=programme,
                share=share,
                country_count=len(programme.countries),
                country_labels=[ref.countries[c].label for c in programme.countries],
            )
        )
        for org in programme.organisations:
            organisations[org] += 1
        n = len(programme.countries)
        for year, amount in programme.transferred_by_year:
            # Same rule as the totals: an equal share per country, to the cent.
            shares = split_equally(amount, n)
            years[year] += shares[programme.countries.index(country_id)]
    orgs = sorted(
        (
            {"organisation": data.organisations[org], "programmes": count}
            for org, count in organisations.items()
            if org in data.organisations
        ),
        key=lambda row: (-row["programmes"], row["organisation"].label),
    )
    return CountryPage(
        country=country,
        areas=[ref.regions[m] for m in country.areas if m in ref.regions],
        portfolio=data,
        programmes=rows,
        totals=totals,
        delivery_rate=delivery_rate(totals),
        organisations=orgs,
        transfers_by_year=sorted(years.items()),
    )


@dataclass
class RegionPage:
    region: RegionRef
    ancestors: list[RegionRef]
    portfolio: Portfolio
    children: list[PlaceRow]
    countries: list[PlaceRow]
    totals: dict
    programmes: list[AttributedProgramme]


def _valid_m49(m49: str) -> str:
    code = (m49 or "").strip()
    return code.zfill(3) if code.isdigit() and 0 < len(code) <= 3 else ""


def region_page(*, m49: str) -> RegionPage:
    """An M49 area (region, sub-region, intermediate region) with its sub-areas and countries
    and the fund's attributed figures; ``NotFoundError`` for an unknown code."""
    data, ref = places_data()
    code = _valid_m49(m49)
    if code and code not in ref.regions:
        ref = reference(key=versions_key("framework"), reload=True)
    region = ref.regions.get(code)
    if region is None:
        raise NotFoundError(_("No M49 region has the code %(code)s.") % {"code": (m49 or "")[:10]})
    ancestors = []
    parent = region.parent
    while parent and parent in ref.regions and len(ancestors) < 5:
        ancestors.insert(0, ref.regions[parent])
        parent = ref.regions[parent].parent
    per_country, _unattributed = country_totals(data)
    members = {
        cid
        for cid, country in ref.countries.items()
        if code in country.areas or (region.level == "world" and country.areas)
    }
    in_region = {cid: totals for cid, totals in per_country.items() if cid in members}
    tree = region_tree(ref, in_region)
    # The rows under this area: its child areas (or its countries when it has none).
    children: list[PlaceRow] = []
    totals = _empty_totals()

    def find(rows: list[PlaceRow]) -> PlaceRow | None:
        for row in rows:
            if row.m49 == code and row.level != "country":
                return row
            found = find(row.children)
            if found:
                return found
        return None

    if region.level == "world":
        children = tree
        for row in tree:
            _merge(totals, row.totals)
    else:
        found = find(tree)
        if found is not None:
            children = found.children
            totals = found.totals
    countries = sorted(
        (
            PlaceRow(
                code=ref.countries[cid].iso2,
                m49=ref.countries[cid].m49,
                label=ref.countries[cid].label,
                level="country",
                totals=t,
            )
            for cid, t in in_region.items()
        ),
        key=lambda r: r.label,
    )
    programmes = []
    for programme in data.programmes:
        inside = [c for c in programme.countries if c in members]
        if not inside:
            continue
        shares = country_shares(programme)
        share = {key: sum((shares[c][key] for c in inside), ZERO) for key in MONEY_KEYS}
        programmes.append(
            AttributedProgramme(
                programme=programme,
                share=share,
                country_count=len(programme.countries),
                country_labels=[ref.countries[c].label for c in programme.countries],
            )
        )
    return RegionPage(
        region=region,
        ancestors=ancestors,
        portfolio=data,
        children=children,
        countries=countries,
        totals=totals,
        programmes=programmes,
    )


# --- Objectives, thematic areas and the 360-degree view ---------------------------------------


@dataclass
class ThemeRow:
    """A GCM objective or a thematic area with its funding and programmes, and its gap flag."""

    key: str
    label: str
    number: int | None
    totals: dict = field(default_factory=_empty_totals)
    also: int = 0  # programmes that name it as another objective
    also_allocated: Decimal = ZERO
    gap: str = ""  # "", "none" (no approved funding) or "little"
    share: Decimal | None = None  # percentage of the fund's approved funding
    is_provisional: bool = False


def _flag_gaps(rows: list[ThemeRow], total_allocated: Decimal) -> None:
    """``none`` without approved funding, ``little`` below half an even share."""
    if not rows:
        return
    even = total_allocated / len(rows)
    for row in rows:
        allocated = row.totals["allocated"]
        row.share = (allocated * 100 / total_allocated).quantize(CENT) if total_allocated else None
        if allocated <= 0:
            row.gap = "none"
        elif allocated < even * LITTLE_FUNDING_FRACTION:
            row.gap = "little"


def objective_rows(data: Portfolio, ref: Reference) -> list[ThemeRow]:
    """Every GCM objective: programmes and money with it as the primary objective, and the
    programmes naming it as another objective."""
    rows = {
        number: ThemeRow(key=str(number), label=o.label, number=number)
        for number, o in ref.objectives.items()
    }
    for programme in data.programmes:
        if programme.primary_objective in rows:
            _add(rows[programme.primary_objective].totals, programme, programme.money())
        for number in programme.other_objectives:
            if number in rows:
                rows[number].also += 1
                rows[number].also_allocated += programme.allocated
    result = [rows[n] for n in sorted(rows)]
    _flag_gaps(result, sum((p.allocated for p in data.programmes), ZERO))
    return result


def thematic_area_rows(data: Portfolio, ref: Reference) -> list[ThemeRow]:
    rows = {
        code: ThemeRow(key=code, label=a.label, number=a.number, is_provisional=a.is_provisional)
        for code, a in ref.thematic_areas.items()
    }
    for programme in data.programmes:
        if programme.thematic_area in rows:
            _add(rows[programme.thematic_area].totals, programme, programme.money())
    result = sorted(rows.values(), key=lambda r: r.number or 0)
    _flag_gaps(result, sum((p.allocated for p in data.programmes), ZERO))
    return result


@dataclass
class OverviewPage:
    portfolio: Portfolio
    reference: Reference
    objectives: list[ThemeRow]
    thematic_areas: list[ThemeRow]
    totals: dict
    without_objective: int
    without_area: int


def overview_page() -> OverviewPage:
    """The 360-degree view: every GCM objective and every thematic area, gaps flagged."""
    data, ref = places_data()
    return OverviewPage(
        portfolio=data,
        reference=ref,
        objectives=objective_rows(data, ref),
        thematic_areas=thematic_area_rows(data, ref),
        totals=totals_of(data.programmes),
        without_objective=sum(
            1 for p in data.programmes if p.primary_objective not in ref.objectives
        ),
        without_area=sum(1 for p in data.programmes if p.thematic_area not in ref.thematic_areas),
    )


@dataclass
class ObjectivePage:
    objective: ObjectiveRef
    portfolio: Portfolio
    row: ThemeRow
    primary: list[ProgrammeRow]
    other: list[ProgrammeRow]
    thematic_areas: list[ThematicAreaRef]
    delivery_rate: Decimal | None


def objective_page(*, number) -> ObjectivePage:
    """Funding and programmes of one GCM objective; ``NotFoundError`` for an unknown number."""
    data, ref = places_data()
    try:
        value = int(str(number).strip())
    except (TypeError, ValueError):
        value = 0
    if 0 < value < 1000 and value not in ref.objectives:
        ref = reference(key=versions_key("framework"), reload=True)
    objective = ref.objectives.get(value)
    if objective is None:
        raise NotFoundError(
            _("No GCM objective has the number %(number)s.") % {"number": str(number)[:10]}
        )
    rows = {row.number: row for row in objective_rows(data, ref)}
    row = rows[value]
    return ObjectivePage(
        objective=objective,
        portfolio=data,
        row=row,
        primary=[p for p in data.programmes if p.primary_objective == value],
        other=[p for p in data.programmes if value in p.other_objectives],
        thematic_areas=[a for a in ref.thematic_areas.values() if value in a.objectives],
        delivery_rate=delivery_rate(row.totals),
    )


# --- The map --------------------------------------------------------------------------------


@dataclass
class MapPage:
    portfolio: Portfolio
    countries: list[PlaceRow]
    tree: list[PlaceRow]
    unattributed: dict
    totals: dict


def map_page() -> MapPage:
    """Approved funding by country (attributed), with the M49 roll-ups beside it."""
    listing = country_list_page()
    return MapPage(
        portfolio=listing.portfolio,
        countries=listing.countries,
        tree=listing.tree,
        unattributed=listing.unattributed,
        totals=listing.totals,
    )


# --- The health lens -----------------------------------------------------------------------


@dataclass
class HealthPage:
    portfolio: Portfolio
    objective: ObjectiveRef | None
    primary: list[ProgrammeRow]
    other: list[ProgrammeRow]
    totals: dict
    gcr_areas: list
    countries: list[PlaceRow]
    gcr: list[ProgrammeRow] = field(default_factory=list)


def health_page() -> HealthPage:
    """Programmes tagged to GCM objective 15 (primary or other), and those tagged to the GCR's
    health areas (``GcrArea.is_health``: paragraphs 72-73); each programme counts once in the
    totals, with all its money (docs/gateway-places.md)."""
    from compacts.framework.models import GcrArea

    data, ref = places_data()
    gcr_areas = list(GcrArea.objects.filter(is_health=True).order_by("sort_order", "code"))
    health_codes = {area.code for area in gcr_areas}
    primary = [p for p in data.programmes if p.primary_objective == HEALTH_OBJECTIVE]
    other = [p for p in data.programmes if HEALTH_OBJECTIVE in p.other_objectives]
    gcr = [p for p in data.programmes if health_codes.intersection(p.gcr_areas)]
    tagged = list({p.id: p for p in primary + other + gcr}.values())
    per_country: dict[int, dict] = defaultdict(_empty_totals)
    for programme in tagged:
        for cid, share in country_shares(programme).items():
            _add(per_country[cid], programme, share)
    countries = sorted(
        (
            PlaceRow(
                code=ref.countries[cid].iso2,
                m49=ref.countries[cid].m49,
                label=ref.countries[cid].label,
                level="country",
                totals=totals,
            )
            for cid, totals in per_country.items()
        ),
        key=lambda r: r.label,
    )
    return HealthPage(
        portfolio=data,
        objective=ref.objectives.get(HEALTH_OBJECTIVE),
        primary=primary,
        other=other,
        totals=totals_of(tagged),
        gcr_areas=gcr_areas,
        countries=countries,
        gcr=gcr,
    )


# --- The landscape of other publishers (IATI) -----------------------------------------------

LANDSCAPE_LISTED = 100
TRANSACTION_TYPES = {"2": "commitments", "3": "disbursements", "4": "expenditure"}


@dataclass
class Landscape:
    activities: int
    publishers: list[dict]
    countries: list[dict]
    years: list[dict]
    currencies: list[str]
    imported_at: datetime.datetime | None
    activity_list: list[dict]
    country: CountryRef | None = None

    @property
    def publisher_count(self) -> int:
        return len({row["ref"] or row["name"] for row in self.publishers})


def landscape(*, country: str = "") -> Landscape:
    """Migration activities (DAC sector 15190 or a GCM tag) that other publishers report to
    IATI, imported by the iati app: commitments, disbursements and expenditure by publisher, by
    recipient country and by year, per currency (never converted or added across currencies).

    Transactions without a currency take their activity's default currency. A country's share
    of an activity follows the activity's recipient-country percentages (equal shares when the
    publisher gives none). ``country`` (ISO alpha-2) narrows to activities in that country; an
    unknown code raises ``NotFoundError``, a malformed one is ignored."""
    key = versions_key(*IATI_TOPICS)
    framework_key = key.split("|")[0]
    ref = reference(key=framework_key)
    code = _valid_iso2(country)
    selected = None
    if code:
        if code not in ref.by_iso2:
            ref = reference(key=framework_key, reload=True)
        cid = ref.by_iso2.get(code)
        if cid is None:
            raise NotFoundError(_("No country or area has the code %(code)s.") % {"code": code})
        selected = ref.countries[cid]
    cache_key = f"gateway-places:landscape:{code}:{key}"
    found = cache.get(cache_key)
    if found is None:
        found = _load_landscape(ref, selected)
        cache.set(cache_key, found, CACHE_SECONDS)
    return found


def _country_parts(value: Decimal, shares: list[tuple[str, Decimal | None]]) -> dict:
    """``value`` split between recipient countries by the publisher's percentages (scaled to
    their sum), or equally when a percentage is missing; to the cent."""
    if not shares:
        return {}
    given = [p for _code, p in shares if p is not None]
    if len(given) == len(shares) and sum(given) > 0:
        total = sum(given)
        return {code: (value * pct / total).quantize(CENT) for code, pct in shares}
    return dict(zip([code for code, _p in shares], split_equally(value, len(shares)), strict=True))


def _load_landscape(ref: Reference, selected: CountryRef | None) -> Landscape:
    from compacts.fund.selectors import _Year
    from compacts.iati.models import ExternalActivity, ExternalCountry, ExternalTransaction

    activities = ExternalActivity.objects.filter(is_migration=True)
    if selected is not None:
        activities = activities.filter(
            countries__code=selected.iso2, countries__is_region=False
        ).distinct()
    info = {
        row["id"]: row
        for row in activities.values(
            "id",
            "iati_identifier",
            "title",
            "titles",
            "reporting_org_ref",
            "reporting_org_name",
            "default_currency",
            "updated_at",
        ).order_by()
    }
    ids = list(info)
    # Recipient-country shares per activity (percent of 100).
    recipient: dict[int, list[tuple[str, Decimal | None]]] = defaultdict(list)
    for activity_id, code, percentage in (
        ExternalCountry.objects.filter(activity_id__in=ids, is_region=False)
        .values_list("activity_id", "code", "percentage")
        .order_by("code")
    ):
        recipient[activity_id].append((code.upper(), percentage))
    sums = (
        ExternalTransaction.objects.filter(activity_id__in=ids, type__in=list(TRANSACTION_TYPES))
        .values("activity_id", "type", "currency")
        .annotate(year=_Year("date"), total=Sum("value"))
        .order_by()
    )
    publishers: dict[tuple[str, str], dict] = {}
    countries: dict[tuple[str, str], dict] = {}
    years: dict[tuple[int | None, str], dict] = {}
    per_activity: dict[int, dict] = defaultdict(lambda: defaultdict(lambda: ZERO))
    currencies: set[str] = set()

    def bucket(store: dict, key, **extra) -> dict:
        if key not in store:
            store[key] = {**extra, **{name: ZERO for name in TRANSACTION_TYPES.values()}}
        return store[key]

    for row in sums:
        activity = info[row["activity_id"]]
        currency = (row["currency"] or activity["default_currency"] or "").upper() or "?"
        currencies.add(currency)
        name = TRANSACTION_TYPES[row["type"]]
        value = (row["total"] or ZERO).quantize(CENT)
        parts = _country_parts(value, recipient.get(row["activity_id"]) or [])
        for code, part in parts.items():
            if selected is None or code == selected.iso2:
                bucket(countries, (code, currency), code=code, currency=currency)[name] += part
        if selected is not None:
            # With a country chosen, every figure is that country's share.
            value = parts.get(selected.iso2, ZERO)
        per_activity[row["activity_id"]][(name, currency)] += value
        publisher = bucket(
            publishers,
            (activity["reporting_org_ref"], currency),
            ref=activity["reporting_org_ref"],
            name=activity["reporting_org_name"],
            currency=currency,
            activities=set(),
        )
        publisher[name] += value
        publisher["activities"].add(row["activity_id"])
        bucket(years, (row["year"], currency), year=row["year"], currency=currency)[name] += value
    publisher_rows = sorted(
        ({**p, "activities": len(p["activities"])} for p in publishers.values()),
        key=lambda p: (p["currency"], -p["disbursements"], p["name"]),
    )
    country_rows = []
    for (code, _currency), entry in countries.items():
        cid = ref.by_iso2.get(code)
        country = ref.countries.get(cid) if cid else None
        country_rows.append(
            {
                **entry,
                "m49": country.m49 if country else None,
                "name": country.name if country else code,
                "names": country.names if country else {},
                "known": country is not None,
            }
        )
    country_rows.sort(key=lambda r: (r["currency"], -r["disbursements"], r["name"]))
    year_rows = sorted(years.values(), key=lambda r: (r["currency"], r["year"] or 0))
    listing = sorted(
        (
            {
                "identifier": a["iati_identifier"],
                "title": a["title"],
                "titles": a["titles"] or {},
                "publisher": a["reporting_org_name"] or a["reporting_org_ref"],
                "countries": [c for c, _p in recipient.get(a["id"], [])],
                "amounts": {
                    f"{name}:{currency}": value
                    for (name, currency), value in per_activity.get(a["id"], {}).items()
                },
            }
            for a in info.values()
        ),
        key=lambda a: a["identifier"],
    )[:LANDSCAPE_LISTED]
    latest = max((a["updated_at"] for a in info.values()), default=None)
    return Landscape(
        activities=len(info),
        publishers=publisher_rows,
        countries=country_rows,
        years=year_rows,
        currencies=sorted(currencies),
        imported_at=latest,
        activity_list=listing,
        country=selected,
    )
