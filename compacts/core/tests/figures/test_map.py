"""map_chart: a world choropleth over the vendored TopoJSON, joined by M49 code."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from compacts.core.figures import Column, Figure, chart_spec, map_chart
from compacts.core.figures.charts import NO_DATA, WORLD_ATLAS

ATLAS = Path(__file__).resolve().parents[2] / "static" / WORLD_ATLAS


class MapChartTests:
    def spec(self, **kwargs):
        chart = map_chart(value_field="amount", label_field="country", title="Amount", **kwargs)
        figure = Figure(
            title="Funding by country",
            columns=[
                Column("country", "Country"),
                Column("m49", "M49", kind="m49"),
                Column("amount", "Amount", kind="money"),
            ],
            rows=[{"country": "Afghanistan", "m49": 4, "amount": 10}],
            chart=chart,
        )
        return chart_spec(figure)

    def test_loads_the_vendored_atlas_by_its_static_url(self):
        spec = self.spec()
        assert spec["data"]["url"] == settings.STATIC_URL + WORLD_ATLAS
        assert spec["data"]["format"] == {"type": "topojson", "feature": "countries"}
        assert spec["width"] == "container"

    def test_joins_rows_by_zero_padded_m49_code(self):
        spec = self.spec()
        lookup = spec["transform"][0]
        assert lookup["lookup"] == "id"
        assert lookup["from"]["data"] == {"name": "figure"}
        assert lookup["from"]["key"] == "m49"
        assert spec["datasets"]["figure"] == [
            {"country": "Afghanistan", "m49": "004", "amount": 10}
        ]

    def test_countries_without_data_are_grey_and_others_coloured_with_a_legend(self):
        grey, coloured = self.spec()["layer"]
        assert grey["mark"]["fill"] == NO_DATA
        assert coloured["transform"] == [{"filter": "isValid(datum['amount'])"}]
        colour = coloured["encoding"]["color"]
        assert colour["field"] == "amount"
        assert colour["scale"]["scheme"]["name"] == "blues"
        assert colour["legend"]["title"] == "Amount"

    def test_tooltip_has_name_and_formatted_value_in_the_readers_language(self):
        with translation.override("fr"):
            spec = self.spec(value_format=",.1f")
        calculations = {t["as"]: t["calculate"] for t in spec["transform"] if "calculate" in t}
        assert "datum.properties.name" in calculations["figure_country"]
        assert "format(datum['amount'], ',.1f')" in calculations["figure_value"]
        assert "'Aucune donnée'" in calculations["figure_value"]
        titles = [t["title"] for t in spec["layer"][0]["encoding"]["tooltip"]]
        assert titles == ["Pays", "Amount"]

    def test_field_names_with_quotes_are_escaped_in_expressions(self):
        chart = map_chart(value_field="it's", label_field="name", title="T")
        assert "datum['it\\'s']" in chart["layer"][1]["transform"][0]["filter"]

    def test_vendored_atlas_ids_are_three_digit_m49_codes(self):
        atlas = json.loads(ATLAS.read_text())
        ids = [g.get("id") for g in atlas["objects"]["countries"]["geometries"]]
        coded = [i for i in ids if i is not None]
        assert len(coded) >= 170
        assert all(len(i) == 3 and i.isdigit() for i in coded)
        assert {"004", "484", "710", "840"} <= set(coded)
        assert (ATLAS.parent / "LICENSE").exists()
        assert "Natural Earth" in (ATLAS.parent / "SOURCE.md").read_text()


@pytest.mark.django_db
class M49StorageTests:
    def test_framework_countries_store_m49_as_three_digit_strings(self):
        """The join key the map relies on: ``Country.m49`` is a zero-padded string."""
        from compacts.framework.models import Country

        field = Country._meta.get_field("m49")
        assert field.max_length == 3
        assert field.get_internal_type() == "CharField"
