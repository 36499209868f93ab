"""Reads of the public gateway: the fund, its donors and its programmes, for anyone.

Everything here is public data only: programmes from their endorsement on
(``compacts.programmes.permissions.PUBLIC_STATES``; drafts, submitted and screened concept notes
never appear), the fund's factsheet, Committee decisions about public programmes, approved
results and accepted reports. Each selector runs a fixed number of queries whatever the size of
the data (asserted in ``tests/test_fund_queries.py``); the page-level selectors are cached under
``versions_key("fund", "programmes", "results")`` (``cached``) so a change announced by a service
shows on the next request in every process.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from compacts.actors.models import Organisation
from compacts.core.changes import versions_key
from compacts.core.exceptions import NotFoundError
from compacts.core.money import ZERO, round_cents
from compacts.framework.i18n import localized_name
from compacts.framework.models import (
    Country,
    GcmObjective,
    MarkerLevel,
    Region,
    SdgTarget,
    ThematicArea,
)
from compacts.fund.models import AccountCode, Fund, PostingKind, PostingLine
from compacts.fund.selectors import _Year, commitment_list, factsheet_get, fund_cash_available
from compacts.programmes.models import Decision, Programme, ProgrammeTransition
from compacts.programmes.permissions import PUBLIC_STATES
from compacts.programmes.selectors import budget_summary, programme_list
from compacts.programmes.workflows.programme import State

PIPELINE_STATES = (State.ENDORSED, State.INVITED, State.DOCUMENT_SUBMITTED, State.TECHNICAL_REVIEW)
FUNDED_STATES = (State.APPROVED, State.ACTIVE)
CLOSED_STATES = (State.OPERATIONALLY_CLOSED, State.FINANCIALLY_CLOSED)
# The order in which the directory lists states (the cycle's order).
PUBLIC_STATE_ORDER = [*PIPELINE_STATES, *FUNDED_STATES, *CLOSED_STATES]
TOPICS = ("fund", "programmes", "results")
CACHE_SECONDS = 60 * 60
PAGE_SIZE = 20
MAX_SEARCH = 200
MAX_FACET_VALUES = 20
MAX_ID = 2**63 - 1  # the largest primary key; larger ids in an address are simply unknown
PROGRAMME_SOURCE = "programmes.programme"
MARKERS = ("gender", "human-rights", "child-sensitivity")
MARKER_FIELDS = {
    "gender": "gender_marker",
    "human-rights": "human_rights_marker",
    "child-sensitivity": "child_sensitivity_marker",
}


# --- Caching ---------------------------------------------------------------------------------

_MISSING = object()


def cached(name: str, compute, *, params=None, topics: tuple[str, ...] = TOPICS):
    """``compute()``, kept in the cache under the topics' versions, the reader's language and
    ``params``: one query (``versions_key``) when the value is already there. A service that
    announces a change to one of ``topics`` raises its version, so the next read recomputes."""
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()[
        :24
    ]
    key = f"gateway:{name}:{get_language()}:{versions_key(*topics)}:{digest}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def _fund_key(fund: Fund) -> str:
    """The fund in a cache key: its id and creation time, so that a key never outlives the fund
    it was computed for (a test database that reuses ids starts its data versions at 0 again)."""
    return f"{fund.pk}@{fund.created_at.isoformat() if fund.created_at else ''}"


# --- The fund ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeSummary:
    fund: Fund | None
    totals: dict[str, Decimal | None]
    pipeline: int
    funded: int
    closed: int
    decisions: list[dict] = field(default_factory=list)
    by_year: list[dict] = field(default_factory=list)


def home_fund() -> Fund | None:
    """The fund the gateway presents: the Migration MPTF, else the first real fund."""
    funds = Fund.objects.select_related("administrative_agent").filter(is_synthetic=False)
    funds = funds.order_by("code")
    return funds.filter(code="MIG00").first() or funds.first()


def gateway_fund() -> Fund:
    """``home_fund()``, or ``NotFoundError`` when there is no fund at all."""
    fund = home_fund()
    if fund is None:
        raise NotFoundError(_("There is no fund to show yet."))
    return fund


def _state_counts(fund: Fund) -> dict[str, int]:
    return dict(
        Programme.objects.filter(fund=fund, state__in=PUBLIC_STATES)
        .values_list("state")
        .annotate(count=Count("id"))
        .values_list("state", "count")
    )


def home_summary() -> HomeSummary:
    """The fund in a few figures, the programme cycle in three numbers and the latest public
    decisions of the Steering Committee (public data only: concept notes before endorsement
    are not counted)."""
    fund = home_fund()
    if fund is None:
        return HomeSummary(fund=None, totals={}, pipeline=0, funded=0, closed=0)

    def compute() -> HomeSummary:
        sheet = factsheet_get(fund=fund)
        by_state = _state_counts(fund)
        return HomeSummary(
            fund=fund,
            totals=sheet.totals,
            pipeline=sum(by_state.get(state, 0) for state in PIPELINE_STATES),
            funded=sum(by_state.get(state, 0) for state in FUNDED_STATES),
            closed=sum(by_state.get(state, 0) for state in CLOSED_STATES),
            decisions=decision_list(fund=fund, limit=5),
            by_year=sheet.by_year,
        )

    return cached("home", compute, params={"fund": _fund_key(fund)})


def decision_list(*, fund: Fund, limit: int = 10) -> list[dict]:
    """The latest Committee decisions the public may see: those about programmes that are public
    (endorsed or further), newest first. Decisions on concept notes that were not endorsed stay
    private, as the concept notes do."""
    decisions = (
        Decision.objects.filter(
            agenda_item__programme__fund=fund, agenda_item__programme__state__in=PUBLIC_STATES
        )
        .select_related("agenda_item__meeting", "agenda_item__programme")
        .order_by("-agenda_item__meeting__held_on", "-recorded_at", "-pk")[:limit]
    )
    return [
        {
            "outcome": decision.get_outcome_display(),
            "outcome_code": decision.outcome,
            "conditions": decision.conditions,
            "held_on": decision.agenda_item.meeting.held_on,
            "meeting": decision.agenda_item.meeting.title,
            "meeting_is_illustrative": decision.agenda_item.meeting.is_illustrative,
            "programme": decision.agenda_item.programme,
        }
        for decision in decisions
    ]


@dataclass(frozen=True)
class Overview:
    fund: Fund
    sheet: object
    contributions: list[dict]
    donors: list[dict]
    state_counts: dict[str, int]
    cash_available: Decimal


def contributions_by_donor_and_year(*, fund: Fund, donor_id: int | None = None) -> list[dict]:
    """Deposits in US dollars by donor and year of value date, from the ledger (the same lines as
    the factsheet's "deposits": a reversed deposit nets out). One query plus one for names."""
    lines = PostingLine.objects.filter(
        fund=fund, account__code=AccountCode.COMMITMENTS_RECEIVABLE, kind=PostingKind.DEPOSIT
    )
    if donor_id is not None:
        lines = lines.filter(account__party_id=donor_id)
    rows = list(
        lines.values("account__party_id")
        .annotate(year=_Year("value_date"), total=Sum("amount"))
        .order_by()
    )
    names = {
        org.pk: org
        for org in Organisation.objects.filter(
            pk__in={row["account__party_id"] for row in rows}
        ).only("name", "short_name", "names", "is_illustrative")
    }
    result = [
        {
            "donor_id": row["account__party_id"],
            "donor": names[row["account__party_id"]].display_name
            if row["account__party_id"] in names
            else "",
            "is_illustrative": bool(
                names.get(row["account__party_id"])
                and names[row["account__party_id"]].is_illustrative
            ),
            "year": row["year"],
            "amount": -round_cents(row["total"]),
        }
        for row in rows
        if row["total"]
    ]
    return sorted(result, key=lambda row: (row["year"], row["donor"]))


def fund_overview(*, fund: Fund) -> Overview:
    """The fund overview page: the factsheet, contributions by donor and year, the donors with
    their share of deposits, the programmes by state and the cash still available."""

    def compute() -> Overview:
        sheet = factsheet_get(fund=fund)
        return Overview(
            fund=fund,
            sheet=sheet,
            contributions=contributions_by_donor_and_year(fund=fund),
            donors=_donor_rows(sheet),
            state_counts=_state_counts(fund),
            cash_available=fund_cash_available(fund=fund),
        )

    return cached("overview", compute, params={"fund": _fund_key(fund)})


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole <= 0:
        return None
    return (part * 100 / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


def _donor_rows(sheet) -> list[dict]:
    total = sheet.totals["deposits"] or ZERO
    return [{**row, "share": _share(row["deposits"], total)} for row in sheet.by_donor]


# --- Donors -----------------------------------------------------------------------------------


def donor_list(*, fund: Fund) -> list[dict]:
    """Every donor of the fund with commitments, deposits and share of all deposits."""
    return cached(
        "donors", lambda: _donor_rows(factsheet_get(fund=fund)), params={"fund": _fund_key(fund)}
    )


def programme_transfers(*, fund: Fund) -> dict[int, Decimal]:
    """Net transfers (transfers minus refunds) to each programme of ``fund``, from the ledger:
    the postings made against allocations that a programme's approval created. One query."""
    rows = (
        PostingLine.objects.filter(
            fund=fund,
            account__code__in=[AccountCode.TRANSFERS, AccountCode.REFUNDS],
            posting__allocation__source_type=PROGRAMME_SOURCE,
        )
        .values("posting__allocation__source_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    result: dict[int, Decimal] = {}
    for row in rows:
        source = str(row["posting__allocation__source_id"])
        if source.isdigit() and row["total"]:
            result[int(source)] = round_cents(row["total"])
    return result


@dataclass(frozen=True)
class DonorPage:
    fund: Fund
    donor: Organisation
    commitments: Decimal
    deposits: Decimal
    fund_deposits: Decimal
    share: Decimal | None
    by_year: list[dict]
    earmarks: list[dict]
    funds_programmes: list[dict]
    attributed_total: Decimal


def donor_detail(*, fund: Fund, donor_id: int) -> DonorPage:
    """A donor's page: its deposits by year, its soft earmarks, and what its money funds.

    The fund pools its money: a donor's deposit is not traced to a programme. As the MPTF Office
    does, what a donor funds is attributed pro rata: its share of all deposits to the fund times
    the net transfers to each programme. Soft earmarks (a thematic area the donor wishes its money
    to go to) are listed but do not change the attribution, since they do not restrict the money.
    Raises ``NotFoundError`` for an organisation that has not contributed to the fund.
    """

    def compute() -> DonorPage:
        valid = 0 < donor_id <= MAX_ID
        donor = Organisation.objects.filter(pk=donor_id).first() if valid else None
        commitments = commitment_list(fund=fund, donor_ids={donor_id}) if donor else []
        if donor is None or not commitments:
            raise NotFoundError(
                _("No donor %(id)s has contributed to this fund.") % {"id": donor_id},
                {"id": donor_id},
            )
        sheet = factsheet_get(fund=fund)
        mine = next((row for row in sheet.by_donor if row["id"] == donor_id), None)
        deposits = mine["deposits"] if mine else ZERO
        committed = mine["commitments"] if mine else ZERO
        fund_deposits = sheet.totals["deposits"] or ZERO
        share = _share(deposits, fund_deposits)
        earmarks: dict[str, dict] = {}
        for entry in commitments:
            area = entry["commitment"].thematic_area
            key = area.code if area else ""
            row = earmarks.setdefault(
                key,
                {
                    "code": key,
                    "name": localized_name(area) if area else _("No earmark"),
                    "committed": ZERO,
                    "deposited": ZERO,
                },
            )
            row["committed"] += entry["commitment"].amount_usd
            row["deposited"] += entry["deposited_usd"]
        transfers = programme_transfers(fund=fund)
        programmes = {
            p.pk: p
            for p in Programme.objects.filter(pk__in=list(transfers), state__in=PUBLIC_STATES)
            .select_related("thematic_area")
            .order_by("code")
        }
        ratio = deposits / fund_deposits if fund_deposits > 0 else ZERO
        funds_programmes = sorted(
            (
                {
                    "programme": programmes[pk],
                    "transferred": amount,
                    "attributed": round_cents(amount * ratio),
                }
                for pk, amount in transfers.items()
                if pk in programmes
            ),
            key=lambda row: (-row["attributed"], row["programme"].code),
        )
        return DonorPage(
            fund=fund,
            donor=donor,
            commitments=committed,
            deposits=deposits,
            fund_deposits=fund_deposits,
            share=share,
            by_year=contributions_by_donor_and_year(fund=fund, donor_id=donor_id),
            earmarks=sorted(earmarks.values(), key=lambda row: (row["code"] == "", row["code"])),
            funds_programmes=funds_programmes,
            attributed_total=sum((row["attributed"] for row in funds_programmes), ZERO),
        )

    return cached("donor", compute, params={"fund": _fund_key(fund), "donor": donor_id})


# --- The programme directory ------------------------------------------------------------------


def public_programmes(*, fund: Fund | None = None) -> QuerySet[Programme]:
    """Programmes the public may see (endorsement onwards), of ``fund`` when given."""
    queryset = Programme.objects.filter(state__in=PUBLIC_STATES)
    if fund is not None:
        queryset = queryset.filter(fund=fund)
    return queryset


@dataclass(frozen=True)
class Facet:
    """One facet of the directory: its parameter, its values with counts, and which are on."""

    name: str
    label: str
    values: list[dict]
    selected: list[str]


@dataclass(frozen=True)
class Directory:
    fund: Fund
    search: str
    selected: dict[str, list[str]]
    ignored: list[str]
    facets: list[Facet]
    count: int
    page: object  # a Paginator page of programmes
    total_budget: Decimal


def _clean_list(values, *, pattern) -> list[str]:
    cleaned = []
    for value in values[:MAX_FACET_VALUES]:
        value = str(value).strip()
        if value and pattern(value) and value not in cleaned:
            cleaned.append(value)
    return cleaned


FACET_NAMES = (
    "country",
    "region",
    "area",
    "objective",
    "target",
    "organisation",
    "state",
    *MARKERS,
)


def _validate_facets(params) -> tuple[dict[str, list[str]], list[str]]:
    """Keep the facet values that exist; return them and the names of values ignored.

    ``params`` maps a facet name to a list of strings (a ``QueryDict``'s ``getlist`` or a
    dict of lists). Malformed or unknown values are dropped, never an error: a reader who edits
    the address sees the list without that filter and a note saying so.
    """

    def getlist(name: str) -> list[str]:
        if hasattr(params, "getlist"):
            return params.getlist(name)
        value = params.get(name, [])
        return value if isinstance(value, list | tuple) else [value]

    raw = {name: getlist(name) for name in FACET_NAMES}
    selected: dict[str, list[str]] = {}
    ignored: list[str] = []

    def keep(name: str, candidates: list[str], known: set[str]) -> None:
        good = [value for value in candidates if value in known]
        ignored.extend(f"{name}={value}" for value in candidates if value not in known)
        if good:
            selected[name] = good

    def short(value: str, length: int = 10) -> bool:
        return len(value) <= length

    country = [v.upper() for v in _clean_list(raw["country"], pattern=lambda v: short(v, 3))]
    if country:
        known = set(Country.objects.filter(iso2__in=country).values_list("iso2", flat=True))
        keep("country", country, known)
    region = _clean_list(raw["region"], pattern=lambda v: v.isdigit() and short(v, 3))
    if region:
        keep(
            "region",
            region,
            set(Region.objects.filter(m49__in=region).values_list("m49", flat=True)),
        )
    area = _clean_list(raw["area"], pattern=short)
    if area:
        keep(
            "area",
            area,
            set(ThematicArea.objects.filter(code__in=area).values_list("code", flat=True)),
        )
    objective = _clean_list(raw["objective"], pattern=lambda v: v.isdigit() and short(v, 3))
    if objective:
        numbers = set(
            GcmObjective.objects.filter(number__in=[int(v) for v in objective]).values_list(
                "number", flat=True
            )
        )
        keep("objective", [str(int(v)) for v in objective], {str(n) for n in numbers})
    target = _clean_list(raw["target"], pattern=short)
    if target:
        keep(
            "target",
            target,
            set(SdgTarget.objects.filter(code__in=target).values_list("code", flat=True)),
        )
    organisation = _clean_list(raw["organisation"], pattern=lambda v: v.isdigit() and short(v, 18))
    if organisation:
        known = {
            str(pk)
            for pk in Organisation.objects.filter(
                pk__in=[int(v) for v in organisation]
            ).values_list("pk", flat=True)
        }
        keep("organisation", organisation, known)
    state = _clean_list(raw["state"], pattern=lambda v: short(v, 30))
    if state:
        keep("state", state, {str(s) for s in PUBLIC_STATES})
    levels = (
        {
            (code, str(value))
            for code, value in MarkerLevel.objects.filter(marker__code__in=MARKERS).values_list(
                "marker__code", "value"
            )
        }
        if any(raw[m] for m in MARKERS)
        else set()
    )
    for marker in MARKERS:
        values = _clean_list(raw[marker], pattern=lambda v: v.isdigit() and short(v, 2))
        if values:
            keep(marker, values, {value for code, value in levels if code == marker})
    return selected, ignored


def _apply_facets(queryset: QuerySet[Programme], selected: dict[str, list[str]]):
    """Within a facet the values are alternatives (OR); across facets all must hold (AND)."""
    lookups = {
        "country": lambda v: Q(countries__iso2__in=v),
        "region": lambda v: Q(countries__region__m49__in=v),
        "area": lambda v: Q(thematic_area__code__in=v),
        "objective": lambda v: (
            Q(primary_objective__number__in=v) | Q(other_objectives__number__in=v)
        ),
        "target": lambda v: Q(sdg_targets__code__in=v),
        "organisation": lambda v: Q(participating_organisations__in=v),
        "state": lambda v: Q(state__in=v),
    }
    for name, values in selected.items():
        if name in MARKER_FIELDS:
            condition = Q(**{f"{MARKER_FIELDS[name]}__value__in": values})
        else:
            condition = lookups[name](values)
        queryset = queryset.filter(pk__in=Programme.objects.filter(condition).values("pk"))
    return queryset


def _search_ids(search: str) -> list[int]:
    """Programme ids matching ``search``, best first, from the programmes app's search (the one
    programme search of the platform; it ranks its results)."""
    found = programme_list(search=search)
    if isinstance(found, QuerySet):
        return list(found.values_list("pk", flat=True))
    return [programme.pk for programme in found]


def _facet_counts(matching: QuerySet[Programme], selected: dict[str, list[str]]) -> list[Facet]:
    """Each facet's values with the number of matching programmes: one grouped query a facet.

    Counts are over the programmes that match everything chosen, so a count is what the reader
    gets by adding that value."""
    base = Programme.objects.filter(pk__in=matching.values("pk"))

    def grouped(*fields: str, count: str = "pk") -> list[dict]:
        return list(
            base.exclude(**{f"{fields[0]}__isnull": True})
            .values(*fields)
            .annotate(n=Count(count, distinct=True))
            .order_by()
        )

    facets: list[Facet] = []
    rows = grouped("countries__iso2", "countries__name", "countries__names")
    facets.append(
        Facet(
            "country",
            _("Country"),
            sorted(
                (
                    {
                        "value": r["countries__iso2"],
                        "label": localized_name(
                            {"name": r["countries__name"], "names": r["countries__names"]}
                        ),
                        "count": r["n"],
                    }
                    for r in rows
                ),
                key=lambda v: v["label"],
            ),
            selected.get("country", []),
        )
    )
    rows = grouped("countries__region__m49", "countries__region__name", "countries__region__names")
    facets.append(
        Facet(
            "region",
            _("Region"),
            sorted(
                (
                    {
                        "value": r["countries__region__m49"],
                        "label": localized_name(
                            {
                                "name": r["countries__region__name"],
                                "names": r["countries__region__names"],
                            }
                        ),
                        "count": r["n"],
                    }
                    for r in rows
                ),
                key=lambda v: v["label"],
            ),
            selected.get("region", []),
        )
    )
    rows = grouped("thematic_area__code", "thematic_area__name", "thematic_area__names")
    facets.append(
        Facet(
            "area",
            _("Thematic area"),
            sorted(
                (
                    {
                        "value": r["thematic_area__code"],
                        "label": localized_name(
                            {"name": r["thematic_area__name"], "names": r["thematic_area__names"]}
                        ),
                        "count": r["n"],
                    }
                    for r in rows
                ),
                key=lambda v: v["value"],
            ),
            selected.get("area", []),
        )
    )
    # An objective counts a programme whether it is its primary objective or another one.
    counts: dict[int, set[int]] = defaultdict(set)
    labels: dict[int, str] = {}
    for prefix in ("primary_objective", "other_objectives"):
        for r in (
            base.exclude(**{f"{prefix}__isnull": True})
            .values("pk", f"{prefix}__number", f"{prefix}__short_label", f"{prefix}__short_labels")
            .order_by()
        ):
            number = r[f"{prefix}__number"]
            counts[number].add(r["pk"])
            labels[number] = localized_name(
                {
                    "short_label": r[f"{prefix}__short_label"],
                    "short_labels": r[f"{prefix}__short_labels"],
                },
                field="short_label",
            )
    facets.append(
        Facet(
            "objective",
            _("GCM objective"),
            [
                {
                    "value": str(number),
                    "label": f"{number}. {labels[number]}".rstrip(". "),
                    "count": len(counts[number]),
                }
                for number in sorted(counts)
            ],
            selected.get("objective", []),
        )
    )
    rows = grouped("sdg_targets__code", "sdg_targets__sort_key")
    facets.append(
        Facet(
            "target",
            _("SDG target"),
            [
                {"value": r["sdg_targets__code"], "label": r["sdg_targets__code"], "count": r["n"]}
                for r in sorted(rows, key=lambda r: r["sdg_targets__sort_key"])
            ],
            selected.get("target", []),
        )
    )
    rows = grouped(
        "participating_organisations__pk",
        "participating_organisations__name",
        "participating_organisations__short_name",
        "participating_organisations__names",
    )
    facets.append(
        Facet(
            "organisation",
            _("Participating organisation"),
            sorted(
                (
                    {
                        "value": str(r["participating_organisations__pk"]),
                        "label": r["participating_organisations__short_name"]
                        or localized_name(
                            {
                                "name": r["participating_organisations__name"],
                                "names": r["participating_organisations__names"],
                            }
                        ),
                        "count": r["n"],
                    }
                    for r in rows
                ),
                key=lambda v: v["label"],
            ),
            selected.get("organisation", []),
        )
    )
    by_state = {r["state"]: r["n"] for r in grouped("state")}
    facets.append(
        Facet(
            "state",
            _("Stage"),
            [
                {"value": str(state), "label": str(State(state).label), "count": by_state[state]}
                for state in PUBLIC_STATE_ORDER
                if state in by_state
            ],
            selected.get("state", []),
        )
    )
    marker_labels = {
        "gender": _("Gender marker"),
        "human-rights": _("Human rights marker"),
        "child-sensitivity": _("Child-sensitivity marker"),
    }
    for marker, fieldname in MARKER_FIELDS.items():
        rows = grouped(f"{fieldname}__value", f"{fieldname}__label")
        facets.append(
            Facet(
                marker,
                marker_labels[marker],
                [
                    {
                        "value": str(r[f"{fieldname}__value"]),
                        "label": f"{r[f'{fieldname}__value']}: {r[f'{fieldname}__label']}",
                        "count": r["n"],
                    }
                    for r in sorted(rows, key=lambda r: r[f"{fieldname}__value"])
                ],
                selected.get(marker, []),
            )
        )
    return facets


def clamp_page(value) -> int:
    """A page number from the address: anything malformed is page 1; huge numbers are clamped
    later by the paginator to the last page."""
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 9:
        return 1 if not text.isdigit() else 10**9
    return max(int(text), 1)


def _matching(*, fund: Fund, selected: dict[str, list[str]], search: str):
    """The ids of the matching public programmes in order (rank with a search, else code) and
    the queryset of them. Two queries (three with a search)."""
    matching = _apply_facets(public_programmes(fund=fund), selected)
    if search:
        ranked = _search_ids(search)
        allowed = set(matching.filter(pk__in=ranked).values_list("pk", flat=True))
        ids = [pk for pk in ranked if pk in allowed]
        return ids, matching.filter(pk__in=ids)
    return list(matching.order_by("code").values_list("pk", flat=True)), matching


def programmes_in_order(ids: list[int]) -> list[Programme]:
    """The programmes of ``ids``, in that order, with what a list shows. Three queries."""
    programmes = {
        p.pk: p
        for p in Programme.objects.filter(pk__in=ids)
        .select_related("thematic_area", "primary_objective", "fund")
        .prefetch_related("countries", "participating_organisations")
    }
    return [programmes[pk] for pk in ids if pk in programmes]


def _clean_search(search) -> str:
    return " ".join(str(search or "").split())[:MAX_SEARCH]


def programme_directory(
    *, fund: Fund, params, search: str = "", page: int = 1, page_size: int = PAGE_SIZE
) -> Directory:
    """The directory of public programmes of ``fund``: facets with counts, full-text search
    (ranked by the programmes app) and one page of results. Malformed or unknown facet values
    are ignored (and listed in ``ignored``); a page beyond the last is the last."""
    search = _clean_search(search)
    selected, ignored = _validate_facets(params)

    def compute() -> Directory:
        ids, matching = _matching(fund=fund, selected=selected, search=search)
        paginator = Paginator(ids, page_size, allow_empty_first_page=True)
        current = paginator.get_page(min(page, paginator.num_pages))
        current.object_list = programmes_in_order(list(current.object_list))
        budget = matching.aggregate(total=Sum("indicative_budget"))["total"] or ZERO
        return Directory(
            fund=fund,
            search=search,
            selected=selected,
            ignored=ignored,
            facets=_facet_counts(matching, selected),
            count=paginator.count,
            page=current,
            total_budget=budget,
        )

    return cached(
        "directory",
        compute,
        params={
            "fund": _fund_key(fund),
            "q": search,
            "f": selected,
            "page": page,
            "size": page_size,
        },
    )


def programme_search(*, fund: Fund, params, search: str = "", offset: int = 0, limit: int = 100):
    """The directory for the API: ``{"count", "items", "facets", "ignored"}`` with ``limit``
    programmes from ``offset`` (the API's one pagination style)."""
    search = _clean_search(search)
    selected, ignored = _validate_facets(params)

    def compute() -> dict:
        ids, matching = _matching(fund=fund, selected=selected, search=search)
        return {
            "count": len(ids),
            "items": programmes_in_order(ids[offset : offset + limit]),
            "facets": _facet_counts(matching, selected),
            "ignored": ignored,
            "search": search,
        }

    return cached(
        "search",
        compute,
        params={"fund": _fund_key(fund), "q": search, "f": selected, "o": offset, "l": limit},
    )


# --- The pipeline -----------------------------------------------------------------------------


def pipeline_list(*, fund: Fund) -> dict:
    """Programmes the Committee endorsed that await funding, in its order of priority (then by
    code), with what they need in total against the cash the fund holds now."""

    def compute() -> dict:
        programmes = list(
            public_programmes(fund=fund)
            .filter(state__in=PIPELINE_STATES)
            .select_related("thematic_area", "primary_objective")
            .prefetch_related("countries", "participating_organisations")
            .order_by(F("pipeline_priority").asc(nulls_last=True), "code")
        )
        needed = sum((p.indicative_budget or ZERO for p in programmes), ZERO)
        return {
            "programmes": programmes,
            "needed": needed,
            "cash_available": fund_cash_available(fund=fund),
        }

    return cached("pipeline", compute, params={"fund": _fund_key(fund)})


# --- A programme ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammePage:
    programme: Programme
    countries: list
    participants: list
    money: list[dict]
    money_totals: dict[str, Decimal]
    results: list[dict]
    reports: list
    timeline: list[dict]


def _public_programme(programme_id: int) -> Programme:
    programme = (
        None
        if not 0 < programme_id <= MAX_ID
        else (
            public_programmes()
            .select_related(
                "fund",
                "thematic_area",
                "primary_objective",
                "convening_organisation",
                "submitting_organisation",
                "gender_marker",
                "human_rights_marker",
                "child_sensitivity_marker",
            )
            .filter(pk=programme_id)
            .first()
        )
    )
    if programme is None:
        # Drafts and concept notes do not reveal that they exist.
        raise NotFoundError(
            _("There is no public programme %(id)s.") % {"id": programme_id}, {"id": programme_id}
        )
    return programme


def programme_money_by_organisation(*, programme: Programme) -> tuple[list[dict], dict]:
    """Per participating organisation: the approved budget (direct costs plus indirect support
    costs at the fund's rate), the net transfers from the fund's ledger (against the allocations
    the programme's approval created) and the expenditure the ledger holds from the programme's
    accepted financial reports. Three queries."""
    from compacts.results.models import ExpenditureLine

    budget = budget_summary(programme=programme)
    rows: dict[int, dict] = {}

    def row(org_id: int) -> dict:
        return rows.setdefault(
            org_id,
            {"organisation_id": org_id, "budget": ZERO, "transferred": ZERO, "expenditure": ZERO},
        )

    for entry in budget["organisations"]:
        row(entry["organisation"].pk)["budget"] = entry["total"]
    for line in (
        PostingLine.objects.filter(
            fund=programme.fund_id,
            account__code__in=[AccountCode.TRANSFERS, AccountCode.REFUNDS],
            posting__allocation__source_type=PROGRAMME_SOURCE,
            posting__allocation__source_id=str(programme.pk),
        )
        .values("account__party_id")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        row(line["account__party_id"])["transferred"] = round_cents(line["total"])
    postings = ExpenditureLine.objects.filter(
        report__programme=programme, posting__isnull=False
    ).values("posting_id")
    for line in (
        PostingLine.objects.filter(
            Q(posting_id__in=postings) | Q(posting__reversal_of_id__in=postings),
            account__code=AccountCode.PO_EXPENDITURE,
        )
        .values("account__party_id")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        row(line["account__party_id"])["expenditure"] = round_cents(line["total"])
    return list(rows.values()), {
        "budget": budget["total"],
        "transferred": sum((r["transferred"] for r in rows.values()), ZERO),
        "expenditure": sum((r["expenditure"] for r in rows.values()), ZERO),
    }


def programme_results(*, programme: Programme) -> list[dict]:
    """Outcomes, each with its indicators (own or of its outputs), their baselines, targets and
    approved actual values. Four queries whatever the size of the framework."""
    from compacts.results.models import Indicator, IndicatorUpdate, Outcome

    outcomes = list(Outcome.objects.filter(programme=programme).order_by("code"))
    indicators = list(
        Indicator.objects.filter(programme=programme)
        .select_related("output")
        .prefetch_related(
            "targets",
            "gcm_objectives",
        )
        .order_by("code")
    )
    actuals: dict[int, list] = defaultdict(list)
    for update in IndicatorUpdate.objects.filter(
        indicator__programme=programme, state="approved"
    ).order_by("period", "breakdown", "pk"):
        actuals[update.indicator_id].append(update)
    grouped: dict[int, list[dict]] = defaultdict(list)
    for indicator in indicators:
        outcome_id = indicator.outcome_id or (
            indicator.output.outcome_id if indicator.output else None
        )
        targets = list(indicator.targets.all())
        grouped[outcome_id].append(
            {
                "indicator": indicator,
                "targets": targets,
                "actuals": actuals.get(indicator.pk, []),
                "latest_total": next(
                    (u for u in reversed(actuals.get(indicator.pk, [])) if not u.breakdown), None
                ),
                "final_target": next((t for t in reversed(targets) if not t.breakdown), None),
            }
        )
    return [{"outcome": outcome, "indicators": grouped.get(outcome.pk, [])} for outcome in outcomes]


def programme_timeline(*, programme: Programme) -> list[dict]:
    """The programme's public history: each move into a public state and each Committee decision
    about it, oldest first. Moves before endorsement (drafting, screening) are not public."""
    moves = [
        {"on": move.at.date(), "kind": "move", "state": State(move.to_state).label, "note": ""}
        for move in ProgrammeTransition.objects.filter(
            programme=programme, to_state__in=PUBLIC_STATES
        ).order_by("at", "pk")
    ]
    decisions = [
        {
            "on": decision.agenda_item.meeting.held_on,
            "kind": "decision",
            "state": decision.get_outcome_display(),
            "note": decision.conditions,
            "meeting": decision.agenda_item.meeting.title,
        }
        for decision in Decision.objects.filter(agenda_item__programme=programme)
        .select_related("agenda_item__meeting")
        .order_by("recorded_at", "pk")
    ]
    return sorted([*decisions, *moves], key=lambda e: (e["on"], e["kind"] != "decision"))


def programme_detail(*, programme_id: int) -> ProgrammePage:
    """Everything the public page of a programme shows; ``NotFoundError`` unless it is public."""

    def compute() -> ProgrammePage:
        from compacts.results.models import Report

        programme = _public_programme(programme_id)
        countries = list(programme.countries.select_related("region").order_by("name"))
        participants = list(programme.participating_organisations.order_by("name"))
        money, totals = programme_money_by_organisation(programme=programme)
        names = {org.pk: org for org in participants}
        missing = {r["organisation_id"] for r in money} - set(names)
        if missing:
            names.update({o.pk: o for o in Organisation.objects.filter(pk__in=missing)})
        for entry in money:
            entry["organisation"] = names.get(entry["organisation_id"])
            entry["delivery_rate"] = _share(entry["expenditure"], entry["transferred"])
        money.sort(key=lambda r: str(r["organisation"] or ""))
        totals["delivery_rate"] = _share(totals["expenditure"], totals["transferred"])
        reports = list(
            Report.objects.filter(programme=programme, state="accepted").order_by("due_on", "kind")
        )
        return ProgrammePage(
            programme=programme,
            countries=countries,
            participants=participants,
            money=money,
            money_totals=totals,
            results=programme_results(programme=programme),
            reports=reports,
            timeline=programme_timeline(programme=programme),
        )

    return cached("programme", compute, params={"id": programme_id})


def page_window(page, *, around: int = 2) -> list[int | None]:
    """Page numbers to link to: the first, the last and those near the current one (``None``
    marks a gap)."""
    last = page.paginator.num_pages
    numbers = sorted(
        {1, last, *range(max(1, page.number - around), min(last, page.number + around) + 1)}
    )
    window: list[int | None] = []
    for number in numbers:
        if window and number - (window[-1] or 0) > 1:
            window.append(None)
        window.append(number)
    return window
