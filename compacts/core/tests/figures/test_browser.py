"""Figures in a real browser: the chart is drawn as SVG by vega-embed, the table is beside it,
the world map joins rows by M49 code, and axe-core finds nothing in English or Arabic, on a
desktop screen and on a phone."""

from decimal import Decimal

import pytest

from compacts.core.figures import Column, Figure, map_chart, register_figure, unregister_figure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAP_ROWS = [
    {"m49": "004", "country": "Afghanistan", "amount": Decimal("2500000")},
    {"m49": "484", "country": "Mexico", "amount": Decimal("12000000.50")},
    {"m49": "710", "country": "South Africa", "amount": Decimal("640000")},
]


def build_map(*, params):
    return Figure(
        title="Funding by country",
        description="Transfers to programmes, in US dollars, by country.",
        columns=[
            Column("country", "Country"),
            Column("m49", "M49 code", kind="m49"),
            Column("amount", "Amount (USD)", kind="money"),
        ],
        rows=MAP_ROWS,
        chart=map_chart(value_field="amount", label_field="country", title="Amount (USD)"),
        source="Illustrative data",
    )


@pytest.fixture
def figures_page(settings, sample_figure):
    settings.ROOT_URLCONF = "compacts.core.tests.figures.urls"
    register_figure("test-map", topics=("fund",))(build_map)
    yield "/test-figures/"
    unregister_figure("test-map")


def wait_for_charts(page) -> None:
    page.wait_for_selector("#figure-test-contributions-1-chart[data-figure-state=drawn] svg")
    page.wait_for_selector("#figure-test-map-2-chart[data-figure-state=drawn] svg path")


class FigureBrowserTests:
    def test_chart_and_table_in_english_pass_axe(self, page, axe, figures_page):
        page.goto(figures_page)
        wait_for_charts(page)
        chart = page.locator("#figure-test-contributions-1-chart")
        assert chart.get_attribute("role") == "img"
        assert chart.get_attribute("aria-label") == "Chart: Contributions by donor"
        assert chart.locator("svg .mark-rect path").count() == 3  # one bar per row
        table = page.get_by_role("table", name="Data of the chart: Contributions by donor")
        assert table.locator("tbody tr").count() == 3
        assert table.locator("tbody tr").first.locator("td").nth(1).inner_text() == "1,234,567.50"
        axis_text = chart.locator("svg").text_content()
        assert "US$" in axis_text
        assert "1,000,000" in axis_text
        assert axe(page) == []

    def test_map_colours_countries_with_data_and_greys_the_rest(self, page, figures_page):
        page.goto(figures_page)
        wait_for_charts(page)
        fills = page.evaluate(
            """() => Array.from(document.querySelectorAll(
                '#figure-test-map-2-chart svg .mark-shape path'))
                .map(p => p.getAttribute('fill'))"""
        )
        grey = [fill for fill in fills if fill == "#e3e3e3"]
        coloured = [fill for fill in fills if fill != "#e3e3e3"]
        assert len(grey) == 177  # every country of the 1:110m atlas, under the coloured ones
        assert len(coloured) == 3
        assert len(set(coloured)) == 3  # three values, three shades
        assert (
            page.get_by_role("table", name="Data of the chart: Funding by country")
            .locator("tbody tr")
            .count()
            == 3
        )

    def test_arabic_page_is_right_to_left_with_localised_figures_and_passes_axe(
        self, page, axe, figures_page
    ):
        page.context.set_extra_http_headers({"Accept-Language": "ar"})
        page.goto(figures_page)
        wait_for_charts(page)
        assert page.locator("html").get_attribute("dir") == "rtl"
        chart = page.locator("#figure-test-contributions-1-chart")
        assert chart.get_attribute("aria-label") == "رسم بياني: Contributions by donor"
        assert page.get_by_text("تنزيل البيانات:").count() == 2
        assert axe(page) == []

    def test_usable_on_a_phone(self, page, axe, figures_page):
        page.set_viewport_size({"width": 375, "height": 740})
        page.goto(figures_page)
        wait_for_charts(page)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        width = page.evaluate(
            "document.querySelector('#figure-test-map-2-chart svg').getBoundingClientRect().width"
        )
        assert 300 <= width <= 375
        assert axe(page) == []

    def test_without_javascript_the_table_is_still_there(self, browser, live_server, figures_page):
        context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
        try:
            tab = context.new_page()
            tab.goto(figures_page)
            assert tab.locator("#figure-test-contributions-1-chart").is_hidden()
            assert tab.locator("table").count() == 2
        finally:
            context.close()
