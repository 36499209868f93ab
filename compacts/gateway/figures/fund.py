"""Figures about the fund, its donors and its programmes (``compacts.core.figures``).

Each figure reads the gateway's selectors, so a figure and the page around it show the same
numbers. Parameters come from the query string: ``fund`` (a fund code; the gateway's fund when
absent), ``programme`` and ``donor`` (ids). Unknown codes and ids raise ``NotFoundError``;
malformed ids are unknown ids.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compacts.core.exceptions import NotFoundError
from compacts.core.figures import Column, Figure, register_figure
from compacts.fund.models import Fund
from compacts.gateway.selectors import fund as selectors
from compacts.programmes.workflows.programme import State

TOPICS = ("fund", "programmes", "results")
HUNDRED = Decimal(100)


def _fund(params: dict[str, str]) -> Fund:
    code = (params.get("fund") or "").strip()
    if not code:
        return selectors.gateway_fund()
    fund = Fund.objects.filter(code=code[:20]).first()
    if fund is None:
        raise NotFoundError(_("No fund has the code %(code)s.") % {"code": code[:20]})
    return fund


def _id(params: dict[str, str], name: str) -> int:
    value = (params.get(name) or "").strip()
    if not value.isdigit() or len(value) > 18:
        raise NotFoundError(
            _("Give the %(name)s as a number, for example %(name)s=1.") % {"name": name},
            {name: value},
        )
    return int(value)


def _fraction(percent: Decimal | None) -> Decimal | None:
    return None if percent is None else percent / HUNDRED


def _source(fund: Fund) -> str:
    source = _("Ledger of %(fund)s kept by its administrative agent") % {"fund": fund.name}
    if fund.is_illustrative:
        source += " · " + _("illustrative figures from the demonstration data, not real ones")
    if fund.is_synthetic:
        source += " · " + _("synthetic figures generated for performance tests")
    return source


@register_figure(
    "gateway-contributions", topics=("fund",), title=gettext_lazy("Contributions by donor and year")
)
def contributions(*, params: dict[str, str]) -> Figure:
    """Deposits by donor and year (of one donor with ``donor=<id>``)."""
    fund = _fund(params)
    donor_id = _id(params, "donor") if params.get("donor") else None
    rows = selectors.contributions_by_donor_and_year(fund=fund, donor_id=donor_id)
    if donor_id is not None and not rows:
        selectors.donor_detail(fund=fund, donor_id=donor_id)  # NotFoundError for a non-donor
    return Figure(
        title=_("Contributions received by donor and year"),
        description=_(
            "Money each donor paid into the fund, in US dollars at the rate of the day it "
            "arrived, by year."
        ),
        columns=[
            Column("donor", _("Donor")),
            Column("year", _("Year"), kind="year"),
            Column("amount", _("Amount (USD)"), kind="money"),
        ],
        rows=[
            {"donor": row["donor"], "year": row["year"], "amount": row["amount"]} for row in rows
        ],
        chart={
            "mark": {"type": "bar"},
            "encoding": {
                "x": {"field": "year", "type": "ordinal", "title": _("Year")},
                "y": {"field": "amount", "type": "quantitative", "title": _("Amount (USD)")},
                "color": {"field": "donor", "type": "nominal", "title": _("Donor")},
                "tooltip": [
                    {"field": "donor", "title": _("Donor")},
                    {"field": "year", "title": _("Year")},
                    {"field": "amount", "title": _("Amount (USD)"), "format": ",.0f"},
                ],
            },
        },
        source=_source(fund),
    )


@register_figure("gateway-organisations", topics=("fund",))
def organisations(*, params: dict[str, str]) -> Figure:
    """Transfers, expenditure, balance and delivery rate by participating organisation."""
    fund = _fund(params)
    sheet = selectors.fund_overview(fund=fund).sheet
    rows = [
        {
            "organisation": row["name"],
            "transfers": row["transfers"] - row["refunds"],
            "expenditure": row["expenditure"],
            "balance": row["balance"],
            "delivery_rate": _fraction(row["delivery_rate"]),
        }
        for row in sheet.by_organisation
    ]
    transfers, expenditure = _("Net transfers (USD)"), _("Expenditure (USD)")
    return Figure(
        title=_("Transfers and expenditure by participating organisation"),
        description=_(
            "Money transferred to each participating organisation (net of refunds), what it "
            "reports it spent, what it still holds, and its delivery rate (expenditure divided "
            "by net transfers)."
        ),
        columns=[
            Column("organisation", _("Participating organisation")),
            Column("transfers", transfers, kind="money"),
            Column("expenditure", expenditure, kind="money"),
            Column("balance", _("Balance held (USD)"), kind="money"),
            Column("delivery_rate", _("Delivery rate"), kind="percent"),
        ],
        rows=rows,
        chart={
            "transform": [
                {"fold": ["transfers", "expenditure"], "as": ["measure_key", "amount"]},
                {
                    "calculate": f"datum.measure_key == 'transfers' ? {_js(transfers)} : "
                    f"{_js(expenditure)}",
                    "as": "measure",
                },
            ],
            "mark": {"type": "bar"},
            "encoding": {
                "y": {"field": "organisation", "type": "nominal", "title": None},
                "yOffset": {"field": "measure"},
                "x": {"field": "amount", "type": "quantitative", "title": _("US dollars")},
                "color": {"field": "measure", "type": "nominal", "title": None},
                "tooltip": [
                    {"field": "organisation", "title": _("Participating organisation")},
                    {"field": "measure", "title": _("Measure")},
                    {"field": "amount", "title": _("US dollars"), "format": ",.0f"},
                ],
            },
        },
        source=_source(fund),
    )


def _js(text: str) -> str:
    """A string literal for a Vega expression."""
    return "'" + str(text).replace("\\", "\\\\").replace("'", "\\'") + "'"


@register_figure("gateway-money-by-year", topics=("fund",))
def money_by_year(*, params: dict[str, str]) -> Figure:
    """Deposits, transfers and expenditure by year, and the balance held at each year's end."""
    fund = _fund(params)
    sheet = selectors.fund_overview(fund=fund).sheet
    rows, balance = [], Decimal("0.00")
    for row in sheet.by_year:
        balance += row["balance_with_aa"]
        rows.append(
            {
                "year": row["year"],
                "deposits": row["deposits"],
                "transfers": row["transfers"] - row["refunds"],
                "expenditure": row["expenditure"],
                "balance": balance,
            }
        )
    labels = {
        "deposits": _("Contributions received (USD)"),
        "transfers": _("Net transfers (USD)"),
        "expenditure": _("Expenditure (USD)"),
        "balance": _("Balance with the administrative agent at year end (USD)"),
    }
    return Figure(
        title=_("The fund's money by year"),
        description=_(
            "Contributions received, net transfers to participating organisations and their "
            "expenditure in each year, and the money the fund still held at the end of it."
        ),
        columns=[
            Column("year", _("Year"), kind="year"),
            *[Column(key, label, kind="money") for key, label in labels.items()],
        ],
        rows=rows,
        chart={
            "transform": [
                {"fold": list(labels), "as": ["measure_key", "amount"]},
                {
                    "calculate": " : ".join(
                        f"datum.measure_key == '{key}' ? {_js(label)}"
                        for key, label in list(labels.items())[:-1]
                    )
                    + f" : {_js(labels['balance'])}",
                    "as": "measure",
                },
            ],
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": {"field": "year", "type": "ordinal", "title": _("Year")},
                "y": {"field": "amount", "type": "quantitative", "title": _("US dollars")},
                "color": {"field": "measure", "type": "nominal", "title": None},
                "tooltip": [
                    {"field": "year", "title": _("Year")},
                    {"field": "measure", "title": _("Measure")},
                    {"field": "amount", "title": _("US dollars"), "format": ",.0f"},
                ],
            },
        },
        source=_source(fund),
    )


@register_figure("gateway-programmes-by-stage", topics=("programmes",))
def programmes_by_stage(*, params: dict[str, str]) -> Figure:
    """Public programmes of the fund by stage of the cycle (pipeline, funded, closed)."""
    fund = _fund(params)
    counts = selectors.fund_overview(fund=fund).state_counts
    rows = [
        {"stage": str(State(state).label), "programmes": counts[state]}
        for state in selectors.PUBLIC_STATE_ORDER
        if counts.get(state)
    ]
    return Figure(
        title=_("Joint programmes by stage"),
        description=_(
            "Programmes the Steering Committee has endorsed, by where they are in the cycle, from "
            "the pipeline to closure."
        ),
        columns=[
            Column("stage", _("Stage")),
            Column("programmes", _("Programmes"), kind="number"),
        ],
        rows=rows,
        chart={
            "mark": {"type": "bar"},
            "encoding": {
                "y": {"field": "stage", "type": "nominal", "sort": None, "title": None},
                "x": {
                    "field": "programmes",
                    "type": "quantitative",
                    "title": _("Programmes"),
                    "axis": {"tickMinStep": 1},
                },
                "tooltip": [
                    {"field": "stage", "title": _("Stage")},
                    {"field": "programmes", "title": _("Programmes")},
                ],
            },
        },
        source=_("Programme cycle of %(fund)s") % {"fund": fund.name},
    )


@register_figure(
    "gateway-programme-money", topics=TOPICS, title=gettext_lazy("A programme's money")
)
def programme_money(*, params: dict[str, str]) -> Figure:
    """Budget, transfers and expenditure of one public programme (``programme=<id>``), by
    participating organisation."""
    data = selectors.programme_detail(programme_id=_id(params, "programme"))
    budget, transferred, spent = _("Budget (USD)"), _("Transferred (USD)"), _("Spent (USD)")
    return Figure(
        title=_("Budget, transfers and expenditure by participating organisation"),
        description=_(
            "The approved budget of each participating organisation (with indirect support "
            "costs), the money the fund transferred to it for this programme (net of refunds) "
            "and the expenditure it reported."
        ),
        columns=[
            Column("organisation", _("Participating organisation")),
            Column("budget", budget, kind="money"),
            Column("transferred", transferred, kind="money"),
            Column("expenditure", spent, kind="money"),
            Column("delivery_rate", _("Delivery rate"), kind="percent"),
        ],
        rows=[
            {
                "organisation": str(row["organisation"] or ""),
                "budget": row["budget"],
                "transferred": row["transferred"],
                "expenditure": row["expenditure"],
                "delivery_rate": _fraction(row["delivery_rate"]),
            }
            for row in data.money
        ],
        chart={
            "transform": [
                {"fold": ["budget", "transferred", "expenditure"], "as": ["key", "amount"]},
                {
                    "calculate": f"datum.key == 'budget' ? {_js(budget)} : datum.key == "
                    f"'transferred' ? {_js(transferred)} : {_js(spent)}",
                    "as": "measure",
                },
            ],
            "mark": {"type": "bar"},
            "encoding": {
                "y": {"field": "organisation", "type": "nominal", "title": None},
                "yOffset": {"field": "measure", "sort": None},
                "x": {"field": "amount", "type": "quantitative", "title": _("US dollars")},
                "color": {"field": "measure", "type": "nominal", "sort": None, "title": None},
                "tooltip": [
                    {"field": "organisation", "title": _("Participating organisation")},
                    {"field": "measure", "title": _("Measure")},
                    {"field": "amount", "title": _("US dollars"), "format": ",.0f"},
                ],
            },
        },
        source=_source(data.programme.fund),
    )


@register_figure(
    "gateway-donor-attribution", topics=TOPICS, title=gettext_lazy("What a donor's money funds")
)
def donor_attribution(*, params: dict[str, str]) -> Figure:
    """What a donor's money funds (``donor=<id>``), pro rata of its share of all deposits."""
    fund = _fund(params)
    data = selectors.donor_detail(fund=fund, donor_id=_id(params, "donor"))
    return Figure(
        title=_("What the contributions of %(donor)s fund") % {"donor": data.donor.display_name},
        description=_(
            "The fund pools its money, so a contribution is not traced to one programme. Each "
            "programme's net transfers are attributed to the donor in proportion to its share of "
            "all contributions received, as the MPTF Office does."
        ),
        columns=[
            Column("programme", _("Joint programme")),
            Column("transferred", _("Transferred to the programme (USD)"), kind="money"),
            Column("attributed", _("Attributed to this donor (USD)"), kind="money"),
        ],
        rows=[
            {
                "programme": f"{row['programme'].code} {row['programme'].title}",
                "transferred": row["transferred"],
                "attributed": row["attributed"],
            }
            for row in data.funds_programmes
        ],
        chart={
            "mark": {"type": "bar"},
            "encoding": {
                "y": {"field": "programme", "type": "nominal", "sort": "-x", "title": None},
                "x": {
                    "field": "attributed",
                    "type": "quantitative",
                    "title": _("Attributed to this donor (USD)"),
                },
                "tooltip": [
                    {"field": "programme", "title": _("Joint programme")},
                    {"field": "attributed", "title": _("US dollars"), "format": ",.0f"},
                ],
            },
        },
        source=_source(fund),
    )


@register_figure("gateway-pipeline", topics=("fund", "programmes"))
def pipeline(*, params: dict[str, str]) -> Figure:
    """The pipeline in the Committee's order, with each programme's indicative budget."""
    fund = _fund(params)
    data = selectors.pipeline_list(fund=fund)
    return Figure(
        title=_("Pipeline of endorsed joint programmes awaiting funds"),
        description=_(
            "Joint programmes the Steering Committee endorsed and that are not funded yet, in its "
            "order of priority, with their indicative budgets."
        ),
        columns=[
            Column("priority", _("Priority"), kind="number"),
            Column("programme", _("Joint programme")),
            Column("stage", _("Stage")),
            Column("budget", _("Indicative budget (USD)"), kind="money"),
        ],
        rows=[
            {
                "priority": programme.pipeline_priority,
                "programme": f"{programme.code} {programme.title}",
                "stage": str(programme.get_state_display()),
                "budget": programme.indicative_budget,
            }
            for programme in data["programmes"]
        ],
        chart=None,
        source=_("Programme cycle of %(fund)s") % {"fund": fund.name},
    )
