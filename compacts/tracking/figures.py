"""Figures of the tracking app (``compacts.core.figures``): world maps with the table of every
country beside them.

- ``tracking-indicator-map``: an indicator's latest value in each country (the headline series,
  or the series of the disaggregation given as ``d-<column>=<value>`` parameters);
- ``tracking-pledges-by-country``: published GCM pledges and GCR pledges by country (the country
  of implementation, else the pledger's country), optionally for one GCM objective.
"""

from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compacts.core.exceptions import NotFoundError
from compacts.core.figures import Column, Figure, map_chart, register_figure
from compacts.framework.i18n import localized_name
from compacts.tracking import opensdg
from compacts.tracking.disaggregation import series_label
from compacts.tracking.models import GcrPledge, Indicator, Observation, Pledge
from compacts.tracking.workflows import gcr_pledge as gcr_workflow
from compacts.tracking.workflows import pledge as pledge_workflow


@register_figure(
    "tracking-indicator-map",
    topics=("tracking", "framework"),
    title=gettext_lazy("Indicator by country"),
)
def indicator_map(*, params: dict[str, str]) -> Figure:
    """The latest value of an indicator's series in each country that reports it."""
    indicator = Indicator.objects.filter(slug=params.get("indicator", "")).first()
    if indicator is None:
        raise NotFoundError(
            _("There is no indicator %(slug)s.") % {"slug": params.get("indicator", "")},
            {"indicator": params.get("indicator", "")},
        )
    # Only known disaggregation columns count; unknown parameters are ignored.
    filters = {
        name: params[f"d-{name}"]
        for name in indicator.disaggregation_columns
        if params.get(f"d-{name}", "").strip()
    }
    key = opensdg.series_key(filters)
    latest: dict[int, Observation] = {}
    for observation in (
        Observation.objects.filter(indicator=indicator, series_key=key)
        .select_related("country")
        .order_by("country_id", "-year")
    ):
        latest.setdefault(observation.country_id, observation)
    rows = sorted(
        (
            {
                "m49": obs.country.m49,
                "country": localized_name(obs.country),
                "year": obs.year,
                "value": obs.value,
            }
            for obs in latest.values()
        ),
        key=lambda row: row["country"],
    )
    series = series_label(filters)
    unit = f" ({indicator.unit})" if indicator.unit else ""
    title = _("%(code)s: latest value by country") % {"code": indicator.code}
    return Figure(
        title=title,
        description=_(
            "%(title)s. Series: %(series)s. The latest year reported by each country%(unit)s."
        )
        % {"title": localized_name(indicator, field="title"), "series": series, "unit": unit},
        columns=[
            Column("country", _("Country")),
            Column("m49", _("M49 code"), kind="m49"),
            Column("year", _("Year"), kind="year"),
            Column("value", _("Value") + unit, kind="number"),
        ],
        rows=rows,
        chart=map_chart(
            value_field="value", label_field="country", title=indicator.code, value_format=",.2~f"
        ),
        source=indicator.source or _("Indicator data uploaded to the platform (Open SDG format)"),
    )


def _country_of(pledge):
    return pledge.country or pledge.organisation.country


@register_figure(
    "tracking-pledges-by-country",
    topics=("tracking", "framework"),
    title=gettext_lazy("Pledges by country"),
)
def pledges_by_country(*, params: dict[str, str]) -> Figure:
    """Published GCM pledges and GCR pledges per country; ``objective`` (1-23) narrows the GCM
    pledges to one objective (and leaves the GCR pledges out)."""
    objective = params.get("objective", "").strip()
    number = int(objective) if objective.isdigit() and 1 <= int(objective) <= 23 else None
    gcm = Pledge.objects.filter(state__in=pledge_workflow.PUBLIC).select_related(
        "country", "organisation__country"
    )
    gcr = GcrPledge.objects.filter(state__in=gcr_workflow.PUBLIC).select_related(
        "country", "organisation__country"
    )
    if number is not None:
        gcm = gcm.filter(objectives__number=number).distinct()
        gcr = gcr.none()
    gcm = gcm.filter(Q(country__isnull=False) | Q(organisation__country__isnull=False))
    gcr = gcr.filter(Q(country__isnull=False) | Q(organisation__country__isnull=False))
    countries: dict[int, object] = {}
    tally: dict[int, dict[str, int]] = defaultdict(lambda: {"gcm": 0, "gcr": 0})
    for kind, pledges in (("gcm", gcm), ("gcr", gcr)):
        for pledge in pledges:
            country = _country_of(pledge)
            if country.m49 is None:
                continue
            countries[country.pk] = country
            tally[country.pk][kind] += 1
    rows = sorted(
        (
            {
                "m49": country.m49,
                "country": localized_name(country),
                "gcm": tally[pk]["gcm"],
                "gcr": tally[pk]["gcr"],
                "total": tally[pk]["gcm"] + tally[pk]["gcr"],
            }
            for pk, country in countries.items()
        ),
        key=lambda row: row["country"],
    )
    title = (
        _("Pledges for GCM objective %(number)s by country") % {"number": number}
        if number
        else _("Pledges by country")
    )
    return Figure(
        title=title,
        description=_(
            "Published pledges by country of implementation (else the pledger's country). "
            "Global pledges without a country are not shown."
        ),
        columns=[
            Column("country", _("Country")),
            Column("m49", _("M49 code"), kind="m49"),
            Column("gcm", _("GCM pledges"), kind="number"),
            Column("gcr", _("Global Refugee Forum pledges"), kind="number"),
            Column("total", _("All pledges"), kind="number"),
        ],
        rows=rows,
        chart=_integer_legend(
            map_chart(value_field="total", label_field="country", title=_("Pledges"))
        ),
        source=_("Pledges recorded on the platform"),
    )


def _integer_legend(spec: dict) -> dict:
    """Give a map of counts a legend with whole-number ticks.

    A gradient legend over a small domain (say 1 to 3 pledges) would otherwise place ticks at
    1, 1.5, 2, 2.5, 3 and, formatted without decimals, show "1, 2, 2, 3, 3". ``tickMinStep: 1``
    keeps Vega's ticks one unit apart at least; ``format: "d"`` prints them as integers.
    """
    for layer in spec.get("layer", []):
        legend = layer.get("encoding", {}).get("color", {}).get("legend")
        if legend is not None:
            legend["tickMinStep"] = 1
            legend["format"] = "d"
    return spec
