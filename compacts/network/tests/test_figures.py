"""The map of country and regional networks: a figure (table + choropleth) that follows the
networks page's filters and lists every network, regional ones included."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse

from compacts.core.exceptions import NotFoundError
from compacts.core.figures import figure_get
from compacts.network.models import CountryNetwork
from compacts.network.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def networks():
    africa = factories.RegionFactory(m49="002", name="Africa")
    americas = factories.RegionFactory(m49="019", name="Americas")
    kenya = factories.CountryFactory(iso2="KE", m49="404", name="Kenya", region=africa)
    ecuador = factories.CountryFactory(iso2="EC", m49="218", name="Ecuador", region=americas)
    established = factories.CountryNetworkFactory(
        country=kenya, state="established", established_on=datetime.date(2020, 5, 1)
    )
    setting_up = factories.CountryNetworkFactory(country=ecuador)
    regional = CountryNetwork.objects.create(
        kind="regional", name="Regional network for Africa", region=africa, state="established"
    )
    return {"established": established, "setting_up": setting_up, "regional": regional}


def test_every_network_is_a_row_and_countries_are_on_the_map(networks):
    figure = figure_get("network-country-networks", {})
    rows = {row["network"]: row for row in figure.rows}
    assert set(rows) == {n.name for n in networks.values()}
    kenya = rows[networks["established"].name]
    assert (kenya["m49"], kenya["established"], kenya["place"]) == ("404", 2020, "Kenya")
    assert rows[networks["setting_up"].name]["established"] is None
    assert rows["Regional network for Africa"]["m49"] == "002"
    assert '"geoshape"' in json.dumps(figure.chart)
    assert [c.kind for c in figure.columns if c.key == "m49"] == ["m49"]


def test_filters_combine_and_bad_values_are_handled(networks):
    def names(params):
        return {row["network"] for row in figure_get("network-country-networks", params).rows}

    assert names({"kind": "regional"}) == {"Regional network for Africa"}
    assert names({"region": "002", "kind": "country"}) == {networks["established"].name}
    assert names({"state": "planned"}) == {networks["setting_up"].name}
    assert names({"q": "Ecuador"}) == {networks["setting_up"].name}
    assert len(names({"kind": "nonsense", "state": "<b>"})) == 3  # ignored, not an error
    with pytest.raises(NotFoundError, match="Unknown region: 999"):
        figure_get("network-country-networks", {"region": "999"})


def test_the_networks_page_shows_the_map_and_the_table(networks):
    response = Client().get(reverse("network:networks"), {"region": "002"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Country and regional networks on migration" in page
    assert "/data/network-country-networks.csv?region=002" in page
    assert "Regional network for Africa" in page
    assert "Ecuador" not in page.split("Country and regional networks on migration")[1]
    assert Client().get(reverse("network:networks"), {"region": "999"}).status_code == 404
