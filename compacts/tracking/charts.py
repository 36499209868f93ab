"""Accessible charts without JavaScript: an SVG line chart drawn from indicator series, always
paired with a data table on the page (the chart is ``role="img"`` with a text alternative; the
table carries the numbers). Vega-Lite can replace the SVG later without changing the tables."""

from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from compacts.framework.i18n import localized_name

# Okabe-Ito palette: distinguishable with colour-vision deficiencies; dashes add a second cue.
COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "4 4", "1 2", ""]
WIDTH, HEIGHT, PAD_X, PAD_Y = 640, 300, 56, 28


def line_chart(*, series, title: str, chart_id: str) -> SafeString:
    """An SVG line chart of ``series`` (``selectors.Series``), years on x, values on y."""
    points = [(p.year, p.value) for s in series for p in s.points]
    if not points:
        return format_html('<p class="muted">{}</p>', _("No data to chart yet."))
    years = [y for y, _v in points]
    low_year, high_year = min(years), max(years)
    top = max(v for _y, v in points)
    bottom = min(Decimal(0), min(v for _y, v in points))
    span_y = (top - bottom) or Decimal(1)
    span_x = (high_year - low_year) or 1

    def x(year: int) -> float:
        return PAD_X + (year - low_year) / span_x * (WIDTH - 2 * PAD_X)

    def y(value: Decimal) -> float:
        return HEIGHT - PAD_Y - float((value - bottom) / span_y) * (HEIGHT - 2 * PAD_Y)

    lines = []
    for index, one in enumerate(series[: len(COLOURS)]):
        coords = " ".join(f"{x(p.year):.1f},{y(p.value):.1f}" for p in one.points)
        colour, dash = COLOURS[index], DASHES[index]
        lines.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5" '
                'stroke-dasharray="{}"/>{}',
                coords,
                colour,
                dash,
                format_html_join(
                    "",
                    '<circle cx="{}" cy="{}" r="3.5" fill="{}"/>',
                    ((f"{x(p.year):.1f}", f"{y(p.value):.1f}", colour) for p in one.points),
                ),
            )
        )
    ticks_x = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="12">{}</text>',
        ((f"{x(year):.1f}", HEIGHT - 8, year) for year in sorted(set(years))),
    )
    ticks_y = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" font-size="12">{}</text>'
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#c9d1da"/>',
        (
            (
                PAD_X - 6,
                f"{y(v) + 4:.1f}",
                _number(v),
                PAD_X,
                WIDTH - PAD_X,
                f"{y(v):.1f}",
                f"{y(v):.1f}",
            )
            for v in (bottom, bottom + span_y / 2, top)
        ),
    )
    legend = format_html_join(
        "",
        '<li><svg width="28" height="10" aria-hidden="true" focusable="false">'
        '<line x1="0" x2="28" y1="5" y2="5" stroke="{}" stroke-width="3" stroke-dasharray="{}"/>'
        "</svg> {}</li>",
        (
            (COLOURS[i], DASHES[i], f"{localized_name(s.country)}: {s.label}")
            for i, s in enumerate(series[: len(COLOURS)])
        ),
    )
    summary = _("Line chart of %(title)s, %(count)s series from %(start)s to %(end)s.") % {
        "title": title,
        "count": min(len(series), len(COLOURS)),
        "start": low_year,
        "end": high_year,
    }
    return format_html(
        '<figure class="chart"><svg viewBox="0 0 {} {}" role="img" aria-labelledby="{}-desc" '
        'class="chart-svg"><desc id="{}-desc">{}</desc>{}{}{}</svg>'
        '<figcaption><ul class="legend">{}</ul></figcaption></figure>',
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        summary,
        ticks_y,
        ticks_x,
        SafeString("".join(lines)),
        legend,
    )


def _number(value: Decimal) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def bar_percent(count: int, maximum: int) -> int:
    """The width of a dashboard bar, in per cent of the largest one."""
    if maximum <= 0:
        return 0
    return round(count * 100 / maximum)
