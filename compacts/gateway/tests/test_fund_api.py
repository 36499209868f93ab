"""The gateway's API and its figures: directory with facets and search, programme summary,
figures through the figures API; bad input is a 404 or ignored, never a 500."""

import pytest
from django.test import Client

from compacts.gateway.tests.test_fund_factories import build

pytestmark = pytest.mark.django_db


def test_directory_summary_and_figures_through_the_api():
    g = build(programmes=3, donors=1, active=True)
    client = Client()
    body = client.get("/api/v1/gateway/programmes?limit=2").json()
    assert body["count"] == 3
    assert len(body["items"]) == 2
    assert {item["id"] for item in body["items"]} <= {p.pk for p in g.endorsed}
    countries = next(f for f in body["facets"] if f["name"] == "country")
    assert {v["value"]: v["count"] for v in countries["values"]} == {"MK": 2, "IQ": 1}

    body = client.get("/api/v1/gateway/programmes?country=IQ&country=ZZ&objective=x").json()
    assert [item["id"] for item in body["items"]] == [g.endorsed[1].pk]
    # Unknown codes are named; malformed values ("x" for a number) are dropped as well.
    assert body["ignored"] == ["country=ZZ"]

    summary = client.get(f"/api/v1/gateway/programmes/{g.active.pk}").json()
    assert summary["transferred_total"] == "214000.00"
    assert summary["expenditure_total"] == "75000.00"
    targets = summary["results"][0]["indicators"][0]["targets"]
    assert float(targets["2027"]) == 3

    for private in g.private:
        assert client.get(f"/api/v1/gateway/programmes/{private.pk}").status_code == 404
    assert client.get("/api/v1/gateway/programmes?limit=100000").status_code == 422

    figure = client.get(f"/api/v1/figures/gateway-programme-money?programme={g.active.pk}")
    assert figure.status_code == 200
    assert "214000" in figure.content.decode()
    assert client.get("/api/v1/figures/gateway-programme-money?programme=abc").status_code == 404
    assert (
        client.get(
            f"/api/v1/figures/gateway-programme-money?programme={g.private[0].pk}"
        ).status_code
        == 404
    )
    csv = client.get("/data/gateway-contributions.csv")
    assert csv.status_code == 200
    assert g.donors[0].name in csv.content.decode()
