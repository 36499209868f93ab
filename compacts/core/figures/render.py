"""A figure as HTML: heading, description, chart (drawn by ``core/figures.js``), the accessible
table that carries every number, the source and the download links."""

import itertools
from urllib.parse import urlencode

from django.core.cache import cache
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.text import slugify

from compacts.core.figures.base import Figure
from compacts.core.figures.charts import chart_spec, embed_locale
from compacts.core.figures.exports import FORMATS
from compacts.core.figures.registry import CACHE_SECONDS
from compacts.core.figures.values import cell_text

TEMPLATE = "core/figures/figure.html"
_counter = itertools.count(1)


def data_url(figure: Figure, fmt: str) -> str:
    """``/data/<slug>.<fmt>?<params>``: the figure as a file."""
    url = reverse("core:figure-data", kwargs={"slug": figure.slug, "fmt": fmt})
    return f"{url}?{urlencode(figure.params)}" if figure.params else url


def api_url(figure: Figure) -> str:
    """``/api/v1/figures/<slug>?<params>``: the figure in the API."""
    url = reverse("api:figure", kwargs={"slug": figure.slug})
    return f"{url}?{urlencode(figure.params)}" if figure.params else url


def _dom_id(figure: Figure, request) -> str:
    """A page-unique id: a page may show the same figure twice (with other parameters)."""
    if request is not None:
        number = getattr(request, "_figures_rendered", 0) + 1
        request._figures_rendered = number
    else:
        number = next(_counter)
    return f"figure-{slugify(figure.slug or figure.title)[:40] or 'untitled'}-{number}"


def _level(heading_level) -> int:
    return heading_level if isinstance(heading_level, int) and 1 <= heading_level <= 6 else 2


def figure_context(figure: Figure, *, dom_id: str, heading_level: int = 2) -> dict:
    level = _level(heading_level)
    columns = figure.columns
    rows = [
        [
            {"text": cell_text(row.get(column.key), column), "numeric": column.is_numeric}
            for column in columns
        ]
        for row in figure.rows
    ]
    spec = chart_spec(figure)
    downloads = []
    if figure.slug:
        labels = {"csv": "CSV", "xlsx": "Excel (XLSX)", "json": "JSON"}
        downloads = [
            {"format": fmt, "label": labels[fmt], "url": data_url(figure, fmt)} for fmt in FORMATS
        ]
    return {
        "figure": figure,
        "id": dom_id,
        "spec_id": f"{dom_id}-spec",
        "locale_id": f"{dom_id}-locale",
        "level": level,
        "columns": columns,
        "rows": rows,
        "spec": spec,
        "locale": embed_locale() if spec else None,
        "downloads": downloads,
        "api_url": api_url(figure) if figure.slug else "",
        "vega": {
            "vega": static("vendor/vega/vega.min.js"),
            "vega_lite": static("vendor/vega/vega-lite.min.js"),
            "vega_embed": static("vendor/vega/vega-embed.min.js"),
        },
    }


def render_figure(figure: Figure, *, request=None, heading_level: int = 2) -> str:
    """The HTML of ``figure`` (a ``<figure>`` element). A figure from ``figure_get`` has its HTML
    cached beside it (same data versions, parameters and language), per heading level and id."""
    dom_id = _dom_id(figure, request)
    if not figure.cache_key:
        return _render(figure, dom_id=dom_id, heading_level=heading_level)
    key = f"{figure.cache_key}:html:{_level(heading_level)}:{dom_id}"
    html = cache.get(key)
    if html is None:
        html = _render(figure, dom_id=dom_id, heading_level=heading_level)
        cache.set(key, html, CACHE_SECONDS)
    return html


def _render(figure: Figure, *, dom_id: str, heading_level: int) -> str:
    context = figure_context(figure, dom_id=dom_id, heading_level=heading_level)
    # No request: the figure needs no context processors (navigation, user), run once a page.
    return render_to_string(TEMPLATE, context)
