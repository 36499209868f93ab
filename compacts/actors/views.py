"""Public pages of the register of organisations."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from compacts.actors import selectors
from compacts.actors.codelists import organisation_types
from compacts.actors.forms import OrganisationFilterForm
from compacts.core.permissions import allowed

PAGE_SIZE = 50


def localized(names: dict | None, fallback: str) -> str:
    """The name in the reader's language when the source has it."""
    language = (get_language() or "en").lower()
    names = names or {}
    return names.get(language) or names.get(language.split("-")[0]) or fallback


def organisation_list(request: HttpRequest) -> HttpResponse:
    countries = [
        (country.iso2, localized(country.names, country.name))
        for country in selectors.organisation_countries()
    ]
    countries.sort(key=lambda item: item[1])
    form = OrganisationFilterForm(request.GET or None, countries=countries)
    filters = form.filters() if request.GET else {"search": "", "category": "", "country": ""}
    organisations = selectors.organisation_list(**filters)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "actors/organisation_list.html",
        {
            "form": form,
            "page": page,
            "rows": [
                {
                    "organisation": organisation,
                    "country": localized(organisation.country.names, organisation.country.name)
                    if organisation.country_id
                    else "",
                }
                for organisation in page.object_list
            ],
            "query": query.urlencode(),
            "filtered": any(filters.values()),
        },
    )


def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = selectors.organisation_get(organisation_id=organisation_id)
    if organisation is None:
        raise Http404
    iati_type = organisation_types().get(organisation.iati_type) if organisation.iati_type else None
    memberships = None
    if allowed(request.user, "actors.membership.view", organisation):
        memberships = [
            {"membership": membership, "current": selectors.membership_is_current(membership)}
            for membership in selectors.membership_list(organisation=organisation)
        ]
    country = organisation.country
    return render(
        request,
        "actors/organisation_detail.html",
        {
            "organisation": organisation,
            "iati_type": iati_type,
            "country_name": localized(country.names, country.name) if country else "",
            "memberships": memberships,
        },
    )
