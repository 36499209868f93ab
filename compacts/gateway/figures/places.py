"""Figures about places and themes: funding by country (the map), by M49 region, in one country
or region, by GCM objective and thematic area, the health lens, and the landscape of other
publishers' migration funding (IATI). Each is a table with a chart, downloadable and in the API.

Parameters come from the query string: a code that names nothing raises ``NotFoundError``; a
malformed landscape country is ignored. The numbers come from ``gateway.selectors.places`` (the
same cached portfolio as the pages), so a figure and its page always agree.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compacts.core.figures import Column, Figure, map_chart, register_figure
from compacts.gateway.selectors import places as selectors

TOPICS = selectors.TOPICS
IATI_TOPICS = selectors.IATI_TOPICS


def _money(key: str, label: str, currency: str) -> Column:
    return Column(
        key, _("%(label)s (%(currency)s)") % {"label": label, "currency": currency}, "money"
    )


def _money_columns(currency: str) -> list[Column]:
    return [
        _money("budget", _("Pipeline budget"), currency),
        _money("allocated", _("Approved funding"), currency),
        _money("transferred", _("Transferred"), currency),
        _money("expenditure", _("Expenditure"), currency),
    ]


def _source(portfolio) -> str:
    source = _("Ledger and programme records of %(fund)s (%(code)s), on this platform.") % {
        "fund": portfolio.fund_name,
        "code": portfolio.fund_code,
    }
    if portfolio.any_illustrative:
        source += " " + _("Illustrative: demonstration data, not the fund's real figures.")
    return source


def _attribution() -> str:
    return _(
        "A programme in several countries counts for each of them with an equal share of its "
        "amounts; programmes without a country are not on the map."
    )


def _title(programme) -> str:
    if programme.is_illustrative:
        return _("%(title)s (illustrative)") % {"title": programme.title}
    return programme.title


BAR_STEP = 34


def _bar(y_field: str, y_title: str, x_field: str, x_title: str, *, sort: bool = True) -> dict:
    """A horizontal bar chart of ``x_field`` (an amount) by ``y_field`` (a label), one band of
    ``BAR_STEP`` pixels per label, so that a few bars are not drawn as huge blocks."""
    return {
        "height": {"step": BAR_STEP},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "y": {
                "field": y_field,
                "type": "nominal",
                "title": y_title,
                "sort": "-x" if sort else None,
            },
            "x": {"field": x_field, "type": "quantitative", "title": x_title, "format": ",.0f"},
        },
    }


def _place_money(totals: dict) -> dict:
    return {
        "programmes": totals["programmes"],
        **{key: totals[key] for key in selectors.MONEY_KEYS},
    }


# --- The map and the regions ------------------------------------------------------------------


@register_figure("gateway-places-map", topics=TOPICS)
def funding_by_country(*, params: dict[str, str]) -> Figure:
    page = selectors.map_page()
    currency = page.portfolio.currency
    allocated_title = _("Approved funding (%(currency)s)") % {"currency": currency}
    return Figure(
        title=_("Approved funding by country"),
        description=_(
            "Approved funding, transfers and expenditure of the fund's public programmes in each "
            "country, in %(currency)s."
        )
        % {"currency": currency}
        + " "
        + _attribution(),
        columns=[
            Column("country", _("Country or area")),
            Column("m49", _("M49 code"), "m49"),
            Column("programmes", _("Programmes"), "number"),
            *_money_columns(currency),
        ],
        rows=[
            {"country": row.label, "m49": row.m49, **_place_money(row.totals)}
            for row in page.countries
        ],
        chart=map_chart(value_field="allocated", label_field="country", title=allocated_title),
        source=_source(page.portfolio),
    )


def _flatten(rows, depth: int = 0) -> list[dict]:
    flat = []
    for row in rows:
        if row.level == "country":
            continue
        flat.append(
            {
                "area": row.label,
                "m49": row.m49,
                "level": LEVELS().get(row.level, row.level),
                "top": depth == 0,
                **_place_money(row.totals),
            }
        )
        flat.extend(_flatten(row.children, depth + 1))
    return flat


def LEVELS() -> dict[str, str]:  # noqa: N802 - a table of labels, translated at call time
    return {
        "world": _("World"),
        "region": _("Region"),
        "sub-region": _("Sub-region"),
        "intermediate": _("Intermediate region"),
        "country": _("Country or area"),
    }


@register_figure("gateway-places-regions", topics=TOPICS)
def funding_by_region(*, params: dict[str, str]) -> Figure:
    page = selectors.country_list_page()
    currency = page.portfolio.currency
    rows = _flatten(page.tree)
    return Figure(
        title=_("Approved funding by M49 region and sub-region"),
        description=_(
            "Sums of the countries' attributed figures; the chart shows the regions, the table "
            "also their sub-regions."
        ),
        columns=[
            Column("area", _("Region or sub-region")),
            Column("m49", _("M49 code"), "m49"),
            Column("level", _("Level")),
            Column("programmes", _("Country shares of programmes"), "number"),
            *_money_columns(currency),
        ],
        rows=rows,
        chart={
            **_bar(
                "area",
                _("Region"),
                "allocated",
                _("Approved funding (%(currency)s)") % {"currency": currency},
            ),
            "transform": [{"filter": "datum.top"}],
        },
        source=_source(page.portfolio),
    )


@register_figure(
    "gateway-places-country",
    topics=TOPICS,
    title=gettext_lazy("The fund's programmes in a country"),
)
def country_programmes(*, params: dict[str, str]) -> Figure:
    page = selectors.country_page(iso2=params.get("iso2", ""))
    currency = page.portfolio.currency
    country = page.country.label
    return Figure(
        title=_("The fund's programmes in %(country)s") % {"country": country},
        description=_("Each programme's amounts attributed to %(country)s, in %(currency)s.")
        % {"country": country, "currency": currency}
        + " "
        + _attribution(),
        columns=[
            Column("code", _("Programme")),
            Column("title", _("Title")),
            Column("state", _("Stage")),
            Column("countries", _("Countries sharing it"), "number"),
            _money("budget", _("Indicative budget"), currency),
            *_money_columns(currency)[1:],
        ],
        rows=[
            {
                "code": item.programme.code,
                "title": _title(item.programme),
                "state": STAGES().get(item.programme.stage, ""),
                "countries": item.country_count,
                **item.share,
            }
            for item in page.programmes
        ],
        chart=_bar(
            "code",
            _("Programme"),
            "allocated",
            _("Approved funding (%(currency)s)") % {"currency": currency},
        ),
        source=_source(page.portfolio),
    )


@register_figure(
    "gateway-places-country-transfers",
    topics=TOPICS,
    title=gettext_lazy("Transfers by year in a country"),
)
def country_transfers(*, params: dict[str, str]) -> Figure:
    page = selectors.country_page(iso2=params.get("iso2", ""))
    currency = page.portfolio.currency
    return Figure(
        title=_("Transfers by year in %(country)s") % {"country": page.country.label},
        description=_(
            "Net transfers (transfers minus refunds) to the participating organisations of the "
            "programmes in this country, by year of the transfer, in %(currency)s."
        )
        % {"currency": currency},
        columns=[
            Column("year", _("Year"), "year"),
            _money("transferred", _("Transferred"), currency),
        ],
        rows=[{"year": year, "transferred": amount} for year, amount in page.transfers_by_year],
        chart={
            "mark": {"type": "bar", "tooltip": True, "size": 40},
            "encoding": {
                "x": {"field": "year", "type": "ordinal", "title": _("Year")},
                "y": {
                    "field": "transferred",
                    "type": "quantitative",
                    "title": _("Transferred (%(currency)s)") % {"currency": currency},
                    "format": ",.0f",
                },
            },
        },
        source=_source(page.portfolio),
    )


@register_figure(
    "gateway-places-region",
    topics=TOPICS,
    title=gettext_lazy("Approved funding in an M49 region"),
)
def region_areas(*, params: dict[str, str]) -> Figure:
    page = selectors.region_page(m49=params.get("m49", ""))
    currency = page.portfolio.currency
    return Figure(
        title=_("Approved funding in %(region)s") % {"region": page.region.label},
        description=_(
            "The sub-areas and countries of %(region)s where the fund works, with the sums of "
            "their countries' attributed figures, in %(currency)s."
        )
        % {"region": page.region.label, "currency": currency},
        columns=[
            Column("area", _("Area or country")),
            Column("m49", _("M49 code"), "m49"),
            Column("level", _("Level")),
            Column("programmes", _("Country shares of programmes"), "number"),
            *_money_columns(currency),
        ],
        rows=[
            {
                "area": row.label,
                "m49": row.m49,
                "level": LEVELS().get(row.level, row.level),
                **_place_money(row.totals),
            }
            for row in page.children
        ],
        chart=_bar(
            "area",
            _("Area or country"),
            "allocated",
            _("Approved funding (%(currency)s)") % {"currency": currency},
        ),
        source=_source(page.portfolio),
    )


# --- Objectives, thematic areas, health -------------------------------------------------------


def STAGES() -> dict[str, str]:  # noqa: N802 - a table of labels, translated at call time
    return {
        "pipeline": _("Pipeline"),
        "funded": _("Funded"),
        "closed": _("Closed"),
    }


def GAPS() -> dict[str, str]:  # noqa: N802
    return {"none": _("Gap: no approved funding"), "little": _("Gap: little funding"), "": ""}


def _theme_rows(rows) -> list[dict]:
    return [
        {
            "key": row.key,
            "label": row.label,
            "pipeline": row.totals["pipeline"],
            "funded": row.totals["funded"] + row.totals["closed"],
            "also": row.also,
            **{key: row.totals[key] for key in selectors.MONEY_KEYS},
            "share": (row.share / 100) if row.share is not None else None,
            "gap": GAPS()[row.gap],
        }
        for row in rows
    ]


def _theme_columns(currency: str, first: str, *, also: bool) -> list[Column]:
    columns = [
        Column("key", first),
        Column("label", _("Name")),
        Column("funded", _("Funded programmes"), "number"),
        Column("pipeline", _("Programmes in the pipeline"), "number"),
    ]
    if also:
        columns.append(Column("also", _("Also contributing (other objective)"), "number"))
    return [
        *columns,
        *_money_columns(currency),
        Column("share", _("Share of approved funding"), "percent"),
        Column("gap", _("Gap")),
    ]


@register_figure("gateway-places-objectives", topics=TOPICS)
def funding_by_objective(*, params: dict[str, str]) -> Figure:
    page = selectors.overview_page()
    currency = page.portfolio.currency
    return Figure(
        title=_("Funding by GCM objective"),
        description=_(
            "Programmes and money counted under each programme's primary objective, in "
            "%(currency)s; programmes naming an objective among their other objectives are "
            "counted apart and not added. A gap is an objective with no approved funding, or "
            "with less than half of an even share."
        )
        % {"currency": currency},
        columns=_theme_columns(currency, _("Objective"), also=True),
        rows=_theme_rows(page.objectives),
        chart=_bar(
            "key",
            _("GCM objective"),
            "allocated",
            _("Approved funding (%(currency)s)") % {"currency": currency},
            sort=False,
        ),
        source=_source(page.portfolio),
    )


@register_figure("gateway-places-thematic-areas", topics=TOPICS)
def funding_by_thematic_area(*, params: dict[str, str]) -> Figure:
    page = selectors.overview_page()
    currency = page.portfolio.currency
    return Figure(
        title=_("Funding by thematic area"),
        description=_(
            "Programmes and money by the thematic area each programme chose, in %(currency)s. "
            "A gap is an area with no approved funding, or with less than half of an even share."
        )
        % {"currency": currency},
        columns=_theme_columns(currency, _("Thematic area"), also=False),
        rows=_theme_rows(page.thematic_areas),
        chart=_bar(
            "label",
            _("Thematic area"),
            "allocated",
            _("Approved funding (%(currency)s)") % {"currency": currency},
            sort=False,
        ),
        source=_source(page.portfolio),
    )


def _programme_rows(programmes, *, relation: str = "") -> list[dict]:
    return [
        {
            "code": p.code,
            "title": _title(p),
            "state": STAGES().get(p.stage, ""),
            "relation": relation,
            **p.money(),
        }
        for p in programmes
    ]


def _programme_columns(currency: str, *, relation: bool) -> list[Column]:
    columns = [
        Column("code", _("Programme")),
        Column("title", _("Title")),
        Column("state", _("Stage")),
    ]
    if relation:
        columns.append(Column("relation", _("Tagged as")))
    return [*columns, _money("budget", _("Indicative budget"), currency),
            *_money_columns(currency)[1:]]  # fmt: skip


@register_figure(
    "gateway-places-objective",
    topics=TOPICS,
    title=gettext_lazy("Programmes serving a GCM objective"),
)
def objective_programmes(*, params: dict[str, str]) -> Figure:
    page = selectors.objective_page(number=params.get("number", ""))
    currency = page.portfolio.currency
    primary, other = _("Primary objective"), _("Other objective")
    return Figure(
        title=_("Programmes serving GCM objective %(number)s") % {"number": page.objective.number},
        description=_(
            "Programmes with this objective as their primary objective, then those naming it "
            "among their other objectives, with their whole amounts, in %(currency)s."
        )
        % {"currency": currency},
        columns=_programme_columns(currency, relation=True),
        rows=_programme_rows(page.primary, relation=primary)
        + _programme_rows(page.other, relation=other),
        chart={
            **_bar(
                "code",
                _("Programme"),
                "allocated",
                _("Approved funding (%(currency)s)") % {"currency": currency},
            ),
            "encoding": {
                **_bar("code", _("Programme"), "allocated", "")["encoding"],
                "x": {
                    "field": "allocated",
                    "type": "quantitative",
                    "title": _("Approved funding (%(currency)s)") % {"currency": currency},
                    "format": ",.0f",
                },
                "color": {"field": "relation", "type": "nominal", "title": _("Tagged as")},
            },
        },
        source=_source(page.portfolio),
    )


@register_figure("gateway-places-health", topics=TOPICS)
def health_programmes(*, params: dict[str, str]) -> Figure:
    page = selectors.health_page()
    currency = page.portfolio.currency
    counted = {p.id for p in page.primary + page.other}
    return Figure(
        title=_("Programmes for migrants' health (GCM objective 15)"),
        description=_(
            "Programmes with GCM objective 15 as their primary or another objective, or tagged "
            "to the health paragraphs of the Global Compact on Refugees, each once with its "
            "whole amounts, in %(currency)s."
        )
        % {"currency": currency},
        columns=_programme_columns(currency, relation=True),
        rows=_programme_rows(page.primary, relation=_("Primary objective"))
        + _programme_rows(page.other, relation=_("Other objective"))
        + _programme_rows(
            [p for p in page.gcr if p.id not in counted],
            relation=_("GCR health (paragraphs 72-73)"),
        ),
        chart={
            "height": {"step": BAR_STEP},
            "mark": {"type": "bar", "tooltip": True},
            "encoding": {
                "y": {"field": "code", "type": "nominal", "title": _("Programme")},
                "x": {
                    "field": "allocated",
                    "type": "quantitative",
                    "title": _("Approved funding (%(currency)s)") % {"currency": currency},
                    "format": ",.0f",
                },
                "color": {"field": "relation", "type": "nominal", "title": _("Tagged as")},
            },
        },
        source=_source(page.portfolio),
    )


# --- The landscape (IATI) ---------------------------------------------------------------------


def _landscape_source() -> str:
    return _(
        "IATI data published by the organisations named, imported into this platform; not the "
        "fund's own data."
    )


def _landscape_columns(first: list[Column]) -> list[Column]:
    return [
        *first,
        Column("currency", _("Currency")),
        Column("commitments", _("Commitments"), "number"),
        Column("disbursements", _("Disbursements"), "number"),
        Column("expenditure", _("Expenditure"), "number"),
    ]


def _main_currency(rows: list[dict]) -> str:
    """The currency the chart shows (the table shows every one): US dollars when any row is in
    them, else the currency most rows are in."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["currency"]] = counts.get(row["currency"], 0) + 1
    if not counts or "USD" in counts:
        return "USD"
    return max(sorted(counts), key=lambda c: counts[c])


def _landscape_chart(rows, y_field: str, y_title: str, *, sort: bool = True) -> dict | None:
    if not rows:
        return None
    currency = _main_currency(rows)
    return {
        **_bar(
            y_field,
            y_title,
            "disbursements",
            _("Disbursements (%(currency)s)") % {"currency": currency},
            sort=sort,
        ),
        "transform": [{"filter": {"field": "currency", "equal": currency}}],
    }


def _currency_note(rows) -> str:
    if not rows:
        return ""
    return _(
        "Amounts are in the currency each publisher reports, never converted or added across "
        "currencies; the chart shows disbursements in %(currency)s."
    ) % {"currency": _main_currency(rows)}


@register_figure("gateway-places-landscape-publishers", topics=IATI_TOPICS)
def landscape_publishers(*, params: dict[str, str]) -> Figure:
    page = selectors.landscape(country=params.get("country", ""))
    rows = [
        {
            "publisher": row["name"] or row["ref"],
            "ref": row["ref"],
            "activities": row["activities"],
            **{k: row[k] for k in ("currency", "commitments", "disbursements", "expenditure")},
        }
        for row in page.publishers
    ]
    return Figure(
        title=_("Migration funding reported by other publishers"),
        description=_currency_note(rows),
        columns=_landscape_columns(
            [
                Column("publisher", _("Publisher")),
                Column("ref", _("IATI organisation identifier")),
                Column("activities", _("Activities"), "number"),
            ]
        ),
        rows=rows,
        chart=_landscape_chart(rows, "publisher", _("Publisher")),
        source=_landscape_source(),
    )


@register_figure("gateway-places-landscape-countries", topics=IATI_TOPICS)
def landscape_countries(*, params: dict[str, str]) -> Figure:
    page = selectors.landscape(country=params.get("country", ""))
    from compacts.framework.i18n import localized_name

    rows = [
        {
            "country": localized_name(row) if row["known"] else row["code"],
            "m49": row["m49"],
            **{k: row[k] for k in ("currency", "commitments", "disbursements", "expenditure")},
        }
        for row in page.countries
    ]
    return Figure(
        title=_("Other publishers' migration funding by recipient country"),
        description=_currency_note(rows)
        + " "
        + _(
            "An activity in several countries is split by the percentages its publisher gives, "
            "or equally when it gives none."
        ),
        columns=_landscape_columns(
            [Column("country", _("Country or area")), Column("m49", _("M49 code"), "m49")]
        ),
        rows=rows,
        chart=_landscape_chart(rows, "country", _("Country or area")),
        source=_landscape_source(),
    )


@register_figure("gateway-places-landscape-years", topics=IATI_TOPICS)
def landscape_years(*, params: dict[str, str]) -> Figure:
    page = selectors.landscape(country=params.get("country", ""))
    rows = [
        {
            "year": row["year"],
            **{k: row[k] for k in ("currency", "commitments", "disbursements", "expenditure")},
        }
        for row in page.years
    ]
    chart = None
    if rows:
        currency = _main_currency(rows)
        chart = {
            "mark": {"type": "bar", "tooltip": True, "size": 40},
            "transform": [{"filter": {"field": "currency", "equal": currency}}],
            "encoding": {
                "x": {"field": "year", "type": "ordinal", "title": _("Year")},
                "y": {
                    "field": "disbursements",
                    "type": "quantitative",
                    "title": _("Disbursements (%(currency)s)") % {"currency": currency},
                    "format": ",.0f",
                },
            },
        }
    return Figure(
        title=_("Other publishers' migration funding by year"),
        description=_currency_note(rows),
        columns=_landscape_columns([Column("year", _("Year"), "year")]),
        rows=rows,
        chart=chart,
        source=_landscape_source(),
    )
