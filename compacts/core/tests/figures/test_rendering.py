"""Rendering: the <figure> has a heading, the chart's spec, an accessible table whose numbers,
amounts, percentages and dates follow the reader's locale, the source and download links."""

import json
import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from lxml import html as lxml_html

from compacts.core.exceptions import NotFoundError
from compacts.core.figures import Column, Figure, figure_get, render_figure

from .conftest import SLUG

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    request = RequestFactory().get("/")
    return Template("{% load figures %}" + source).render(Context({"request": request, **context}))


def table_cells(markup: str) -> list[list[str]]:
    tree = lxml_html.fromstring(markup)
    return [
        [cell.text_content() for cell in row.xpath("./th|./td")]
        for row in tree.xpath("//table/tbody/tr")
    ]


class FigureTagTests:
    def test_renders_figure_heading_table_source_and_links(self, sample_figure):
        markup = render('{% figure "test-contributions" year=2023 %}')
        tree = lxml_html.fromstring(markup)
        figure = tree.xpath("//figure")[0]
        assert figure.xpath(".//h2")[0].text_content() == "Contributions by donor"
        assert "Deposits received" in figure.xpath(".//figcaption")[0].text_content()
        caption = tree.xpath("//table/caption")[0].text_content()
        assert caption == "Data of the chart: Contributions by donor"
        headers = tree.xpath("//table/thead/tr/th")
        assert [th.get("scope") for th in headers] == ["col"] * 6
        assert headers[0].text_content() == "Donor"
        assert tree.xpath("//table/tbody/tr/th")[0].get("scope") == "row"
        assert table_cells(markup) == [
            ["Germany", "2023", "1,234,567.50", "45.25%", "March 5, 2023", "276"]
        ]
        assert "Source: Ledger of the test fund" in markup
        links = {a.text_content().split(" (")[0]: a.get("href") for a in tree.xpath("//a")}
        assert links["CSV"] == "/data/test-contributions.csv?year=2023"
        assert links["Excel"] == "/data/test-contributions.xlsx?year=2023"
        assert links["JSON"] == "/data/test-contributions.json?year=2023"
        assert links["API"] == "/api/v1/figures/test-contributions?year=2023"

    def test_heading_level_is_configurable(self, sample_figure):
        markup = render('{% figure "test-contributions" heading_level=3 %}')
        tree = lxml_html.fromstring(markup)
        assert tree.xpath("//h3")[0].text_content() == "Contributions by donor"
        assert not tree.xpath("//h2")

    def test_missing_values_show_a_dash(self, sample_figure):
        rows = table_cells(render('{% figure "test-contributions" donor="AR" %}'))
        assert rows == [["مانح", "2024", "0.10", "–", "–", "682"]]

    def test_m49_codes_are_zero_padded(self, sample_figure):
        rows = table_cells(render('{% figure "test-contributions" donor="XX" %}'))
        assert rows[0][-1] == "004"

    def test_chart_spec_is_json_with_the_rows_as_data(self, sample_figure):
        markup = render('{% figure "test-contributions" %}')
        tree = lxml_html.fromstring(markup)
        chart = tree.xpath("//*[@data-figure-chart]")[0]
        spec = json.loads(tree.get_element_by_id(chart.get("data-spec")).text)
        assert spec["data"] == {"name": "figure"}
        assert spec["width"] == "container"
        assert spec["datasets"]["figure"][0]["amount"] == 1234567.5
        assert spec["datasets"]["figure"][1]["m49"] == "004"
        assert spec["description"].startswith("Contributions by donor")
        assert spec["config"]["range"]["category"][0] == "#0072B2"
        assert chart.get("data-label") == "Chart: Contributions by donor"
        assert chart.get("data-vega-embed").endswith("vendor/vega/vega-embed.min.js")
        assert "</script><" not in tree.get_element_by_id(chart.get("data-spec")).text

    def test_a_figure_object_renders_without_downloads(self):
        figure = Figure(
            title="<b>Built by hand</b>",
            columns=[Column("n", "N", kind="number")],
            rows=[{"n": Decimal("1234.5")}],
        )
        markup = render("{% figure obj %}", obj=figure)
        assert "&lt;b&gt;Built by hand&lt;/b&gt;" in markup
        assert "<b>" not in markup
        assert "/data/" not in markup
        assert "data-figure-chart" not in markup  # no chart: just the table
        assert table_cells(markup) == [["1,234.5"]]

    def test_an_empty_figure_says_so(self):
        markup = render("{% figure obj %}", obj=Figure(title="Empty", columns=[], rows=[]))
        assert "No data yet." in markup
        assert "<table" not in markup

    def test_unknown_slug_raises_not_found(self):
        with pytest.raises(NotFoundError):
            render('{% figure "no-such-figure" %}')

    def test_two_figures_on_a_page_have_distinct_ids(self, sample_figure):
        markup = render('{% figure "test-contributions" %}{% figure "test-contributions" %}')
        ids = re.findall(r' id="([^"]+)"', markup)
        assert len(ids) == len(set(ids))


GROUPED = "1\xa0234\xa0567,50"  # no-break spaces between groups, a comma before decimals


class LocaleTests:
    @pytest.mark.parametrize(
        ("language", "expected"),
        [
            ("fr", [GROUPED, "45,25\xa0%", "5 mars 2023"]),
            ("ar", ["1,234,567.50", "45.25%", "5 مارس، 2023"]),
            ("ru", [GROUPED, "45,25\xa0%", "5 марта 2023 г."]),
            ("es", [GROUPED, "45,25\xa0%", "5 de marzo de 2023"]),
        ],
    )
    def test_numbers_amounts_percentages_and_dates_follow_the_locale(
        self, sample_figure, language, expected
    ):
        with translation.override(language):
            markup = render('{% figure "test-contributions" year=2023 %}')
        assert table_cells(markup) == [["Germany", "2023", *expected, "276"]]

    def test_chart_locale_follows_django_separators(self, sample_figure):
        with translation.override("fr"):
            markup = render('{% figure "test-contributions" %}')
        tree = lxml_html.fromstring(markup)
        chart = tree.xpath("//*[@data-figure-chart]")[0]
        locale = json.loads(tree.get_element_by_id(chart.get("data-locale")).text)
        assert locale["formatLocale"]["decimal"] == ","
        assert locale["formatLocale"]["thousands"] == "\xa0"
        assert locale["timeFormatLocale"]["months"][2] == "mars"
        assert locale["timeFormatLocale"]["days"][0] == "dimanche"

    def test_arabic_chart_locale_groups_with_commas(self, sample_figure):
        with translation.override("ar"):
            figure = figure_get(SLUG, {})
            markup = render_figure(figure)
        assert '"decimal": ".", "thousands": ","' in markup


class HtmlCacheTests:
    def test_html_is_cached_beside_the_figure_and_renewed_with_it(self, sample_figure, monkeypatch):
        from compacts.core import changes
        from compacts.core.figures import render as render_module

        calls = []
        original = render_module._render

        def counting(*args, **kwargs):
            calls.append(kwargs["dom_id"])
            return original(*args, **kwargs)

        monkeypatch.setattr(render_module, "_render", counting)
        first = render('{% figure "test-contributions" %}')
        second = render('{% figure "test-contributions" %}')
        assert first == second
        assert len(calls) == 1
        render('{% figure "test-contributions" heading_level=3 %}')
        assert len(calls) == 2
        changes.bump("fund")
        render('{% figure "test-contributions" %}')
        assert len(calls) == 3
