"""Panels the network app adds to the framework's objective and country pages."""

from compacts.core.panels import register_panel
from compacts.network.models import ChampionCountry, CountryNetwork, Practice, WorkingGroup

PANEL_SIZE = 5


def objective_context(*, request, obj) -> dict | None:
    practices = Practice.objects.filter(state="published", objectives=obj).order_by("-published_at")
    groups = WorkingGroup.objects.filter(objectives=obj)
    count = practices.count()
    if not count and not groups.exists():
        return None
    return {"practices": list(practices[:PANEL_SIZE]), "practice_count": count, "groups": groups}


def country_context(*, request, obj) -> dict | None:
    network = CountryNetwork.objects.filter(country=obj).first()
    practices = Practice.objects.filter(state="published", countries=obj).order_by("-published_at")
    champion = ChampionCountry.objects.filter(country=obj).first()
    count = practices.count()
    if network is None and not count and champion is None:
        return None
    return {
        "network": network,
        "practices": list(practices[:PANEL_SIZE]),
        "practice_count": count,
        "champion": champion,
    }


register_panel("gcm-objective", "network/panels/objective.html", objective_context, order=40)
register_panel("country", "network/panels/country.html", country_context, order=40)


# --- The tracking app's progress reports (HTML and PDF) -----------------------------------------

REPORT_SIZE = 25


def _report_practices(practices, request, hub_query: str) -> dict | None:
    practices = (
        practices.filter(state="published")
        .prefetch_related("countries", "organisations")
        .order_by("-published_at", "-id")
    )
    count = practices.count()
    if not count:
        return None
    base = request.build_absolute_uri("/")[:-1] if request is not None else ""
    return {
        "practices": list(practices[:REPORT_SIZE]),
        "practice_count": count,
        "base": base,
        "hub_query": hub_query,
    }


def report_objective_context(*, request, obj) -> dict | None:
    """Published practices for a GCM objective, in its progress report."""
    return _report_practices(
        Practice.objects.filter(objectives=obj), request, f"objective={obj.number}"
    )


def report_country_context(*, request, obj) -> dict | None:
    """Published practices in a country, in its progress report."""
    return _report_practices(Practice.objects.filter(countries=obj), request, f"country={obj.iso2}")


register_panel(
    "tracking-report-objective", "network/panels/report.html", report_objective_context, order=40
)
register_panel(
    "tracking-report-country", "network/panels/report.html", report_country_context, order=40
)
