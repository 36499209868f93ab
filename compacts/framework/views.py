"""Public pages of the reference framework, and the administrators' confirm actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from compacts.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from compacts.core.permissions import allowed
from compacts.framework import selectors, services
from compacts.framework.models import Country, Region


def _get(function, **kwargs):
    try:
        return function(**kwargs)
    except NotFoundError as error:
        raise Http404(error.message) from error


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "framework/index.html",
        {
            "objectives": selectors.objective_list(),
            "principle_count": selectors.principle_list().count(),
            "goal_count": selectors.goal_list().count(),
            "country_count": Country.objects.count(),
        },
    )


def objective_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "framework/objective_list.html", {"objectives": selectors.objective_list()}
    )


def objective_detail(request: HttpRequest, number: int) -> HttpResponse:
    objective = _get(selectors.objective_get, number=number)
    return render(
        request,
        "framework/objective_detail.html",
        {
            "objective": objective,
            "principles": selectors.principle_list(),
            "previous_number": number - 1 if number > 1 else None,
            "next_number": number + 1 if number < 23 else None,
        },
    )


def principle_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "framework/principle_list.html", {"principles": selectors.principle_list()}
    )


def gcr(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "framework/gcr.html",
        {"objectives": selectors.gcr_objective_list(), "areas": selectors.gcr_area_list()},
    )


def mptf(request: HttpRequest) -> HttpResponse:
    areas = list(selectors.thematic_area_list())
    markers = list(selectors.marker_list())
    return render(
        request,
        "framework/mptf.html",
        {
            "thematic_areas": areas,
            "markers": markers,
            "can_confirm_areas": allowed(request.user, "framework.thematic_area.confirm"),
            "can_confirm_markers": allowed(request.user, "framework.marker.confirm"),
        },
    )


@login_required
@require_POST
def thematic_area_confirm(request: HttpRequest, code: str) -> HttpResponse:
    area = _get(selectors.thematic_area_get, code=code)
    try:
        services.thematic_area_confirm(thematic_area=area, actor=request.user)
    except PermissionDeniedError as error:
        raise PermissionDenied(error.message) from error
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thematic area %(code)s is confirmed.") % {"code": area.code})
    return redirect("framework:mptf")


@login_required
@require_POST
def marker_confirm(request: HttpRequest, code: str) -> HttpResponse:
    marker = _get(selectors.marker_get, code=code)
    try:
        services.marker_confirm(marker=marker, actor=request.user)
    except PermissionDeniedError as error:
        raise PermissionDenied(error.message) from error
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The marker %(name)s is confirmed.") % {"name": marker.name})
    return redirect("framework:mptf")


def goal_list(request: HttpRequest) -> HttpResponse:
    return render(request, "framework/goal_list.html", {"goals": selectors.goal_list()})


def goal_detail(request: HttpRequest, number: int) -> HttpResponse:
    goal = _get(selectors.goal_get, number=number)
    return render(request, "framework/goal_detail.html", {"goal": goal})


def indicator_list(request: HttpRequest) -> HttpResponse:
    gcm_only = request.GET.get("gcm") == "1"
    indicators = selectors.indicator_list(gcm_linked=True if gcm_only else None)
    return render(
        request,
        "framework/indicator_list.html",
        {"indicators": indicators, "gcm_only": gcm_only},
    )


def country_list(request: HttpRequest) -> HttpResponse:
    region = request.GET.get("region", "").strip()
    search = request.GET.get("q", "").strip()[:100]
    flag = request.GET.get("flag", "")
    flags = {"ldc": None, "lldc": None, "sids": None}
    if flag in flags:
        flags[flag] = True
    regions = list(Region.objects.exclude(level=Region.Level.WORLD).select_related("parent"))
    if region and not any(r.m49 == region for r in regions):
        region = ""
    countries = selectors.country_list(region=region or None, search=search or None, **flags)
    return render(
        request,
        "framework/country_list.html",
        {
            "countries": countries,
            "regions": regions,
            "region": region,
            "search": search,
            "flag": flag if flag in flags else "",
        },
    )


def country_detail(request: HttpRequest, iso2: str) -> HttpResponse:
    country = _get(selectors.country_get, iso2=iso2)
    return render(request, "framework/country_detail.html", {"country": country})


def region_list(request: HttpRequest) -> HttpResponse:
    regions = list(selectors.region_list())
    children: dict[int | None, list] = {}
    for region in regions:
        children.setdefault(region.parent_id, []).append(region)
    for region in regions:
        region.child_list = children.get(region.pk, [])
    roots = children.get(None, [])
    return render(request, "framework/region_list.html", {"roots": roots})


def codelist_list(request: HttpRequest) -> HttpResponse:
    return render(request, "framework/codelist_list.html", {"codelists": selectors.codelist_list()})


def codelist_detail(request: HttpRequest, name: str) -> HttpResponse:
    codelist = _get(selectors.codelist_get, name=name)
    return render(request, "framework/codelist_detail.html", {"codelist": codelist})
