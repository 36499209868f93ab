"""Gateway pages about the fund, its donors and its programmes (public, no sign-in).

Views are thin: they read the address, call the cached selectors of
``compacts.gateway.selectors.fund`` and render. Unknown ids raise ``NotFoundError``, which the
core middleware turns into the 404 page in the reader's language.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from compacts.core.pages import public_page
from compacts.gateway.selectors import fund as selectors
from compacts.gateway.selectors.places import TOPICS

# Plain-language definitions shown beside each figure of the factsheet (docs/gateway.md).
FACTSHEET_LINES = [
    (
        "deposits",
        _("Contributions received"),
        _(
            "Money donors have paid into the fund, in US dollars at the exchange rate of the day "
            "it arrived."
        ),
    ),
    (
        "interest_fund",
        _("Interest earned"),
        _("Interest the administrative agent earned on the money it holds for the fund."),
    ),
    (
        "transfers",
        _("Transfers to participating organisations"),
        _(
            "Money sent to the UN organisations that carry out the joint programmes, once the "
            "Steering Committee approved them."
        ),
    ),
    (
        "refunds",
        _("Refunds"),
        _("Money participating organisations returned to the fund, for example at closure."),
    ),
    (
        "fee",
        _("Administrative agent fee"),
        _(
            "The share of each contribution kept by the administrative agent (the UNDP MPTF "
            "Office) for managing the money."
        ),
    ),
    (
        "direct_costs",
        _("Direct costs"),
        _("Costs of running the fund itself, such as its secretariat, paid from its money."),
    ),
    (
        "bank_charges",
        _("Bank charges"),
        _("Fees charged by the banks that moved the money."),
    ),
    (
        "balance_with_aa",
        _("Balance with the administrative agent"),
        _(
            "Money the fund still holds and can transfer: contributions plus interest and "
            "refunds, minus transfers, fee, direct costs and bank charges."
        ),
    ),
    (
        "expenditure",
        _("Expenditure"),
        _("What participating organisations report they have spent of the money transferred."),
    ),
    (
        "balance_with_pos",
        _("Balance with participating organisations"),
        _("Money transferred that the organisations have not spent yet."),
    ),
]
DELIVERY_RATE = (
    _("Delivery rate"),
    _(
        "Expenditure as a share of the money transferred (net of refunds): how much of what was "
        "sent has been spent."
    ),
)


def _fund():
    return selectors.gateway_fund()


@public_page(*TOPICS)
def overview(request: HttpRequest) -> HttpResponse:
    """The fund overview: the factsheet with a definition beside each figure, then the figures."""
    fund = _fund()
    data = selectors.fund_overview(fund=fund)
    totals = data.sheet.totals
    lines = [
        {"key": key, "label": label, "definition": definition, "value": totals[key]}
        for key, label, definition in FACTSHEET_LINES
    ]
    return render(
        request,
        "gateway/fund/overview.html",
        {
            "fund": fund,
            "data": data,
            "lines": lines,
            "delivery_rate": {
                "label": DELIVERY_RATE[0],
                "definition": DELIVERY_RATE[1],
                "value": totals["delivery_rate"],
            },
            "section": "overview",
        },
    )


@public_page(*TOPICS)
def directory(request: HttpRequest) -> HttpResponse:
    """The programme directory: facets, search and a page of results. An htmx request gets the
    results and facets fragment only; without JavaScript the form reloads the page."""
    fund = _fund()
    result = selectors.programme_directory(
        fund=fund,
        params=request.GET,
        search=request.GET.get("q", ""),
        page=selectors.clamp_page(request.GET.get("page")),
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "fund": fund,
        "result": result,
        "query": query.urlencode(),
        "pages": selectors.page_window(result.page),
        "section": "programmes",
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "gateway/fund/_directory_body.html", context)
    return render(request, "gateway/fund/directory.html", context)


@public_page(*TOPICS)
def programme(request: HttpRequest, programme_id: int) -> HttpResponse:
    """A public programme's page; drafts and unknown ids are a 404."""
    data = selectors.programme_detail(programme_id=programme_id)
    return render(
        request,
        "gateway/fund/programme.html",
        {"data": data, "programme": data.programme, "section": "programmes"},
    )


@public_page(*TOPICS)
def pipeline(request: HttpRequest) -> HttpResponse:
    fund = _fund()
    return render(
        request,
        "gateway/fund/pipeline.html",
        {"fund": fund, "data": selectors.pipeline_list(fund=fund), "section": "pipeline"},
    )


@public_page(*TOPICS)
def donors(request: HttpRequest) -> HttpResponse:
    fund = _fund()
    return render(
        request,
        "gateway/fund/donors.html",
        {"fund": fund, "donors": selectors.donor_list(fund=fund), "section": "donors"},
    )


@public_page(*TOPICS)
def donor(request: HttpRequest, donor_id: int) -> HttpResponse:
    fund = _fund()
    data = selectors.donor_detail(fund=fund, donor_id=donor_id)
    return render(
        request,
        "gateway/fund/donor.html",
        {"fund": fund, "data": data, "section": "donors"},
    )


urlpatterns = [
    path("", overview, name="overview"),
    path("programmes/", directory, name="programmes"),
    path("programmes/<int:programme_id>/", programme, name="programme"),
    path("pipeline/", pipeline, name="pipeline"),
    path("donors/", donors, name="donors"),
    path("donors/<int:donor_id>/", donor, name="donor"),
]
