"""Vega-Lite specs: a figure's chart completed with its data, house style and locale, and the
world map (``map_chart``) over the vendored Natural Earth TopoJSON (``vendor/world-atlas``)."""

import copy
from typing import Any

from django.templatetags.static import static
from django.utils import dates, formats
from django.utils.translation import gettext as _

from compacts.core.figures.values import chart_rows

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
DATASET = "figure"  # the name of the figure's rows in every spec's ``datasets``

# Okabe-Ito palette (as compacts/tracking/charts.py): distinguishable with colour-vision
# deficiencies. Sequential values use one hue, darker for more, from a third of the way in so
# that the lightest colour stays apart from the light grey of "no data".
OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
SEQUENTIAL = {"name": "blues", "extent": [0.3, 1]}
NO_DATA = "#e3e3e3"
INK = "#1b1f24"
FONT = '"Noto Sans", "DejaVu Sans", "Noto Sans Arabic", "Noto Sans CJK SC", system-ui, sans-serif'
HEIGHT = 320
MAP_HEIGHT = 380
WORLD_ATLAS = "vendor/world-atlas/countries-110m.json"

CONFIG: dict[str, Any] = {
    "font": FONT,
    "background": "#ffffff",
    "view": {"stroke": None},
    "axis": {
        "labelFontSize": 13,
        "titleFontSize": 14,
        "labelColor": INK,
        "titleColor": INK,
        "titleFontWeight": "normal",
        "labelLimit": 220,
    },
    "legend": {
        "labelFontSize": 13,
        "titleFontSize": 14,
        "labelColor": INK,
        "titleColor": INK,
        "titleFontWeight": "normal",
        "labelLimit": 220,
        "orient": "bottom",
        "direction": "horizontal",
    },
    "header": {"labelFontSize": 13, "titleFontSize": 14},
    "range": {
        "category": OKABE_ITO,
        "ramp": {"scheme": SEQUENTIAL},
        "heatmap": {"scheme": SEQUENTIAL},
    },
    "mark": {"color": OKABE_ITO[0]},
    "bar": {"color": OKABE_ITO[0]},
    "line": {"color": OKABE_ITO[0], "strokeWidth": 2.5},
    "point": {"color": OKABE_ITO[0], "size": 60, "filled": True},
    "area": {"color": OKABE_ITO[0]},
}


def _merge(base: dict, extra: dict) -> dict:
    merged = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def chart_spec(figure) -> dict[str, Any] | None:
    """The complete Vega-Lite spec of ``figure`` (``None`` without a chart): its rows as the
    dataset ``figure`` (the chart's data unless it names other data, as maps do), the house
    style, the container's width and the figure's text as the chart's description."""
    if not figure.chart:
        return None
    chart = copy.deepcopy(figure.chart)
    spec: dict[str, Any] = {"$schema": SCHEMA}
    description = " ".join(part for part in (figure.title, figure.description) if part)
    spec["description"] = description
    if "mark" in chart or "layer" in chart:  # unit and layer specs can fill their container
        spec["width"] = "container"
        spec["height"] = HEIGHT
        spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    spec.update({key: value for key, value in chart.items() if key != "config"})
    spec["config"] = _merge(CONFIG, chart.get("config", {}))
    spec.setdefault("data", {"name": DATASET})
    spec["datasets"] = {**chart.get("datasets", {}), DATASET: chart_rows(figure)}
    return spec


def embed_locale() -> dict[str, Any]:
    """vega-embed's ``formatLocale`` and ``timeFormatLocale`` (d3 locales) for the active
    language, from Django's locale formats, so the chart's numbers read like the table's."""
    grouping = formats.get_format("NUMBER_GROUPING") or 3
    week = [str(dates.WEEKDAYS[(i + 6) % 7]) for i in range(7)]  # d3 starts on Sunday
    week_short = [str(dates.WEEKDAYS_ABBR[(i + 6) % 7]) for i in range(7)]
    return {
        "formatLocale": {
            "decimal": formats.get_format("DECIMAL_SEPARATOR"),
            "thousands": formats.get_format("THOUSAND_SEPARATOR"),
            "grouping": [grouping],
            "currency": ["US$\u00a0", ""],
            "percent": "%",
            "minus": "-",
        },
        "timeFormatLocale": {
            "dateTime": "%x %X",
            "date": "%Y-%m-%d",
            "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": week,
            "shortDays": week_short,
            "months": [str(dates.MONTHS[i]) for i in range(1, 13)],
            "shortMonths": [str(dates.MONTHS_3[i]).capitalize() for i in range(1, 13)],
        },
    }


def map_chart(
    *,
    value_field: str,
    label_field: str,
    title: str,
    code_field: str = "m49",
    value_format: str = ",.0f",
    height: int = MAP_HEIGHT,
) -> dict[str, Any]:
    """A Vega-Lite spec (without the figure's data) of a world choropleth.

    Countries of the vendored TopoJSON are joined to the figure's rows by ``code_field`` (a column
    of kind ``m49``: the UN M49 / ISO numeric code, three digits with leading zeros, as
    world-atlas ids), coloured by ``value_field`` on a sequential colour-blind-safe scale with a
    legend titled ``title``; countries without a value are light grey. The tooltip gives the
    country's name (``label_field``, else Natural Earth's English name) and the value formatted
    with ``value_format`` (a d3 format, in the reader's locale).
    """
    value, label = _field(value_field), _field(label_field)
    no_data = _("No data").replace("'", "\\'")
    tooltip = [
        {"field": "figure_country", "type": "nominal", "title": _("Country")},
        {"field": "figure_value", "type": "nominal", "title": str(title)},
    ]
    return {
        "data": {
            "url": static(WORLD_ATLAS),
            "format": {"type": "topojson", "feature": "countries"},
        },
        "width": "container",
        "height": height,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "projection": {"type": "equalEarth"},
        "transform": [
            {
                "lookup": "id",
                "from": {
                    "data": {"name": DATASET},
                    "key": code_field,
                    "fields": [value_field, label_field],
                },
            },
            {
                "calculate": f"isValid({label}) ? {label} : datum.properties.name",
                "as": "figure_country",
            },
            {
                "calculate": (
                    f"isValid({value}) ? format({value}, '{value_format}') : '{no_data}'"
                ),
                "as": "figure_value",
            },
        ],
        # Two layers: every country in grey, then those with a value on top, coloured (a
        # colour condition alone would drop the countries without data from the map).
        "layer": [
            {
                "mark": {
                    "type": "geoshape",
                    "fill": NO_DATA,
                    "stroke": "#ffffff",
                    "strokeWidth": 0.5,
                },
                "encoding": {"tooltip": tooltip},
            },
            {
                "transform": [{"filter": f"isValid({value})"}],
                "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.5},
                "encoding": {
                    "color": {
                        "field": value_field,
                        "type": "quantitative",
                        "scale": {"scheme": SEQUENTIAL},
                        "legend": {
                            "title": str(title),
                            "format": value_format,
                            "gradientLength": 220,
                        },
                    },
                    "tooltip": tooltip,
                },
            },
        ],
    }


def _field(name: str) -> str:
    """A Vega expression reading ``name`` from the datum, whatever characters it holds."""
    escaped = name.replace("\\", "\\\\").replace("'", "\\'")
    return f"datum['{escaped}']"
