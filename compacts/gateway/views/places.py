"""Gateway pages about places and themes (public, no sign-in): countries and M49 regions, GCM
objectives and the 360-degree view, the map, the health lens and the landscape of other
publishers.

Views are thin: they read the address, call the cached selectors of
``compacts.gateway.selectors.places`` and render. Unknown codes raise ``NotFoundError`` (the core
middleware shows the 404 page in the reader's language); malformed query parameters are ignored.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse

from compacts.core.pages import public_page
from compacts.gateway.selectors import places as selectors
from compacts.gateway.selectors.places import IATI_TOPICS, TOPICS


def _programme_url(programme_id: int) -> str:
    try:
        return reverse("gateway:programme", args=[programme_id])
    except NoReverseMatch:  # the programme page belongs to views/fund.py
        return ""


def _linked(items) -> list[dict]:
    """Programme rows (or attributed rows) with the address of their gateway page and the names
    of their countries (attributed rows carry them; plain rows are named from the reference)."""
    linked = []
    ref = None
    for item in items:
        programme = getattr(item, "programme", item)
        labels = getattr(item, "country_labels", None)
        if labels is None:
            ref = ref or selectors.reference()
            labels = [ref.countries[c].label for c in programme.countries]
        linked.append(
            {
                "programme": programme,
                "share": getattr(item, "share", None) or programme.money(),
                "country_count": getattr(item, "country_count", len(programme.countries)),
                "country_labels": labels,
                "url": _programme_url(programme.id),
            }
        )
    return linked


@public_page(*TOPICS)
def countries(request: HttpRequest) -> HttpResponse:
    """Where the fund works: countries by M49 region, and programmes without a country."""
    page = selectors.country_list_page()
    return render(
        request,
        "gateway/places/countries.html",
        {
            "page": page,
            "portfolio": page.portfolio,
            "unattributed_programmes": _linked(page.unattributed_programmes),
        },
    )


@public_page(*TOPICS)
def country(request: HttpRequest, iso2: str) -> HttpResponse:
    page = selectors.country_page(iso2=iso2)
    return render(
        request,
        "gateway/places/country.html",
        {"page": page, "portfolio": page.portfolio, "programmes": _linked(page.programmes)},
    )


@public_page(*TOPICS)
def region(request: HttpRequest, m49: str) -> HttpResponse:
    page = selectors.region_page(m49=m49)
    return render(
        request,
        "gateway/places/region.html",
        {"page": page, "portfolio": page.portfolio, "programmes": _linked(page.programmes)},
    )


@public_page(*TOPICS)
def objectives(request: HttpRequest) -> HttpResponse:
    """The 360-degree view."""
    page = selectors.overview_page()
    return render(
        request, "gateway/places/objectives.html", {"page": page, "portfolio": page.portfolio}
    )


@public_page(*TOPICS)
def objective(request: HttpRequest, number: int) -> HttpResponse:
    page = selectors.objective_page(number=number)
    return render(
        request,
        "gateway/places/objective.html",
        {
            "page": page,
            "portfolio": page.portfolio,
            "primary": _linked(page.primary),
            "other": _linked(page.other),
        },
    )


@public_page(*TOPICS)
def funding_map(request: HttpRequest) -> HttpResponse:
    page = selectors.map_page()
    return render(request, "gateway/places/map.html", {"page": page, "portfolio": page.portfolio})


@public_page(*TOPICS)
def health(request: HttpRequest) -> HttpResponse:
    page = selectors.health_page()
    return render(
        request,
        "gateway/places/health.html",
        {
            "page": page,
            "portfolio": page.portfolio,
            "primary": _linked(page.primary),
            "other": _linked(page.other),
            "gcr": _linked(page.gcr),
        },
    )


@public_page(*IATI_TOPICS)
def landscape(request: HttpRequest) -> HttpResponse:
    """Other publishers' migration funding; ``?country=XX`` narrows it (malformed: ignored)."""
    raw = request.GET.get("country", "")
    page = selectors.landscape(country=raw)
    return render(request, "gateway/places/landscape.html", {"page": page})


urlpatterns = [
    path("countries/", countries, name="countries"),
    path("countries/<str:iso2>/", country, name="country"),
    path("regions/<str:m49>/", region, name="region"),
    path("objectives/", objectives, name="objectives"),
    path("objectives/<str:number>/", objective, name="objective"),
    path("map/", funding_map, name="map"),
    path("health/", health, name="health"),
    path("landscape/", landscape, name="landscape"),
]
