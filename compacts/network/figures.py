"""Figures of the network app: the map and table of country and regional networks.

Parameters (the networks page's filters, from the query string): ``kind`` (country, regional),
``state`` (a network state), ``region`` (an M49 region code) and ``q`` (words of the name or
country). An unknown kind or state is
ignored (all networks); a region code that names no region raises ``NotFoundError``.
"""

from django.utils.translation import gettext as _

from compacts.core.exceptions import NotFoundError
from compacts.core.figures import Column, Figure, map_chart, register_figure
from compacts.framework.models import Region
from compacts.network import selectors
from compacts.network.models import CountryNetwork
from compacts.network.templatetags.network_tags import localised

TOPICS = ("network", "framework")


def network_filters(params: dict[str, str]) -> selectors.NetworkFilters:
    """The filters of the networks page from query-string ``params`` (validated)."""
    kind = params.get("kind", "")
    state = params.get("state", "")
    region = params.get("region", "")
    if region and not Region.objects.filter(m49=region, level="region").exists():
        raise NotFoundError(
            _("Unknown region: %(code)s.") % {"code": region[:10]}, {"region": region[:10]}
        )
    return selectors.NetworkFilters(
        kind=kind if kind in CountryNetwork.Kind.values else "",
        state=state if state in dict(CountryNetwork._meta.get_field("state").choices) else "",
        region=region,
        query=params.get("q", "")[:100],
    )


@register_figure("network-country-networks", topics=TOPICS)
def country_networks(*, params: dict[str, str]) -> Figure:
    """Every country and regional network (with the page's filters): the map shows the year
    each country network was established; the table lists them all, regional ones included."""
    networks = list(selectors.country_network_list(filters=network_filters(params)))
    kinds = dict(CountryNetwork.Kind.choices)
    states = dict(CountryNetwork._meta.get_field("state").choices)
    rows = []
    for network in networks:
        place = network.country if network.country_id else network.region
        rows.append(
            {
                "network": network.name,
                "kind": str(kinds.get(network.kind, network.kind)),
                "place": localised(place),
                "m49": (place.m49 if place is not None else "") or "",
                "state": str(states.get(network.state, network.state)),
                "established": network.established_on.year if network.established_on else None,
                "achievements": network.achievement_count,
            }
        )
    source = _("Records of the UN Network on Migration on this platform.")
    if any(network.is_illustrative for network in networks):
        source += " " + _("Illustrative: demonstration data, not the Network's real records.")
    title = _("Year established")
    return Figure(
        title=_("Country and regional networks on migration"),
        description=_(
            "The map colours each country with a network by the year the network was "
            "established; countries whose network is still being set up have no year. The "
            "table lists every network, regional networks included."
        ),
        columns=[
            Column("network", _("Network")),
            Column("kind", _("Kind")),
            Column("place", _("Country or region")),
            Column("m49", _("M49 code"), "m49"),
            Column("state", _("Status")),
            Column("established", _("Year established"), "year"),
            Column("achievements", _("Achievements"), "number"),
        ],
        rows=rows,
        chart=map_chart(
            value_field="established", label_field="place", title=title, value_format="d"
        ),
        source=source,
    )
