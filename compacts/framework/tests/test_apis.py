"""The read-only API: shapes, filters, pagination, errors and query counts."""

import csv

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from compacts.framework.loaders.base import DATA_DIR

pytestmark = pytest.mark.usefixtures("reference_data", "db")
BASE = "/api/v1/framework"


@pytest.fixture
def client():
    return Client()


def test_objectives_list_returns_the_23_objectives(client):
    body = client.get(f"{BASE}/gcm/objectives").json()
    assert body["count"] == 23
    assert len(body["items"]) == 23
    first = body["items"][0]
    assert first["number"] == 1
    assert first["short_label"] == "Data"
    assert first["paragraph"] == 17
    assert first["action_count"] == 11
    assert first["thematic_areas"][0] == {
        "code": "TA1",
        "name": first["thematic_areas"][0]["name"],
        "status": "provisional",
        "uncertain": False,
    }


def test_pagination(client):
    body = client.get(f"{BASE}/gcm/objectives?limit=5&offset=20").json()
    assert body["count"] == 23
    assert [item["number"] for item in body["items"]] == [21, 22, 23]


def test_objective_detail_has_actions_and_links(client):
    body = client.get(f"{BASE}/gcm/objectives/15").json()
    assert body["paragraph"] == 31
    assert [a["code"] for a in body["actions"]] == ["15a", "15b", "15c", "15d", "15e", "15f"]
    assert body["sdg_targets"][0]["target"] == "3.8"
    assert body["thematic_areas"][0]["code"] == "TA5"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/gcm/objectives/24", 404),
        ("/gcm/objectives/0", 404),
        ("/gcm/objectives/99999999999999999999999", 404),
        ("/gcm/objectives/fifteen", 422),
        ("/gcm/objectives?limit=0", 422),
        ("/gcm/objectives?limit=abc", 422),
        ("/gcm/objectives?offset=-1", 422),
        ("/sdg/targets?goal=18", 422),
        ("/sdg/targets?goal=x", 422),
        ("/sdg/indicators?gcm_linked=maybe", 422),
        ("/countries?region=EU", 422),
        ("/countries?search=" + "x" * 101, 422),
        ("/countries/ZZ", 404),
        ("/regions?level=planet", 422),
        ("/codelists/NoSuchList", 404),
    ],
)
def test_bad_input_gets_a_4xx_in_the_error_format(client, url, status):
    response = client.get(f"{BASE}{url}")
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"message", "extra"}
    assert body["message"]


def test_other_lists(client):
    assert client.get(f"{BASE}/gcm/principles").json()["count"] == 10
    assert client.get(f"{BASE}/gcr/objectives").json()["count"] == 4
    areas = client.get(f"{BASE}/gcr/areas").json()["items"]
    health = next(a for a in areas if a["is_health"])
    assert (health["paragraphs"], health["parent"]) == ("72-73", "B-2")
    thematic = client.get(f"{BASE}/mptf/thematic-areas").json()["items"]
    assert thematic[4]["objectives"] == [4, 14, 15, 16]
    assert thematic[4]["uncertain_objectives"] == [
        4,
        14,
    ]
    markers = client.get(f"{BASE}/mptf/markers").json()["items"]
    assert [m["code"] for m in markers] == ["gender", "human-rights", "child-sensitivity"]
    assert [lv["value"] for lv in markers[0]["levels"]] == [0, 1, 2, 3]
    goals = client.get(f"{BASE}/sdg/goals").json()
    assert goals["count"] == 17
    assert goals["items"][9]["target_count"] == 10


def test_sdg_filters(client):
    targets = client.get(f"{BASE}/sdg/targets?goal=10").json()
    assert targets["count"] == 10
    assert "10.7" in [t["code"] for t in targets["items"]]
    assert client.get(f"{BASE}/sdg/targets?limit=500").json()["count"] == 169
    linked = client.get(f"{BASE}/sdg/indicators?gcm_linked=true").json()
    assert linked["count"] == 11
    assert all(item["is_gcm_linked"] for item in linked["items"])
    repeat = client.get(f"{BASE}/sdg/indicators?goal=13").json()["items"][0]
    assert (repeat["code"], repeat["repeat_of"]) == ("13.1.1", "1.5.1")


def test_country_filters_and_names(client):
    with (DATA_DIR / "un-m49-country-codes/UNSD-m49-en.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    africa = client.get(f"{BASE}/countries?region=002&limit=500").json()
    assert africa["count"] == sum(row["Region Code"] == "002" for row in rows)
    western = client.get(f"{BASE}/countries?region=011&limit=500").json()
    assert western["count"] == sum(row["Intermediate Region Code"] == "011" for row in rows) > 10
    found = client.get(f"{BASE}/countries?search=Ägypten").json()
    assert found["count"] == 0
    egypt = client.get(f"{BASE}/countries?search=Égypte").json()["items"]
    assert [c["iso2"] for c in egypt] == ["EG"]
    chinese = client.get(f"{BASE}/countries?search=法国").json()["items"]
    assert [c["iso2"] for c in chinese] == ["FR"]
    kosovo = client.get(f"{BASE}/countries/xk").json()
    assert (kosovo["in_m49"], kosovo["m49"], kosovo["region"]) == (False, None, None)
    arabic = client.get(f"{BASE}/countries/EG", HTTP_ACCEPT_LANGUAGE="ar").json()
    assert arabic["local_name"] == "مصر"
    sids = client.get(f"{BASE}/countries?sids=true&limit=500").json()
    assert sids["count"] == 53


def test_regions_and_codelists(client):
    regions = client.get(f"{BASE}/regions?level=sub-region").json()
    assert regions["count"] == 17
    sector = client.get(f"{BASE}/codelists/Sector").json()
    assert any(item["code"] == "15190" for item in sector["items"])


@pytest.mark.parametrize(
    "url",
    [
        "/gcm/objectives",
        "/gcm/principles",
        "/gcr/areas",
        "/mptf/thematic-areas",
        "/mptf/markers",
        "/sdg/goals",
        "/sdg/targets",
        "/sdg/indicators",
        "/countries",
        "/regions",
    ],
)
def test_list_query_counts_do_not_grow_with_the_page_size(client, url):
    def count(limit):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{BASE}{url}?limit={limit}").status_code == 200
        return len(queries)

    assert count(2) == count(500)
