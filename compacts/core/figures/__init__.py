"""Figures: one table of data, optionally drawn as a Vega-Lite chart, rendered with an accessible
table, downloadable as CSV, XLSX and JSON, and reachable through the API (docs/figures.md).

    from compacts.core.figures import Column, Figure, register_figure

    @register_figure("fund-contributions-by-donor", topics=("fund",))
    def contributions_by_donor(*, params: dict[str, str]) -> Figure:
        return Figure(title=_("Contributions by donor"), columns=[...], rows=[...], chart={...})

Each app puts its figures in ``compacts/<app>/figures.py`` (or a package); the registry imports
them all at first use. Templates show them with ``{% load figures %}{% figure "slug" key=value %}``.
"""

from compacts.core.figures.base import KINDS, Column, Figure
from compacts.core.figures.charts import OKABE_ITO, chart_spec, map_chart
from compacts.core.figures.exports import figure_csv, figure_json, figure_xlsx
from compacts.core.figures.registry import (
    figure_get,
    register_figure,
    registered_figures,
    unregister_figure,
)
from compacts.core.figures.render import render_figure

__all__ = [
    "KINDS",
    "OKABE_ITO",
    "Column",
    "Figure",
    "chart_spec",
    "figure_csv",
    "figure_get",
    "figure_json",
    "figure_xlsx",
    "map_chart",
    "register_figure",
    "registered_figures",
    "render_figure",
    "unregister_figure",
]
