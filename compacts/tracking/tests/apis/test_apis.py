"""The tracking API: public reads, permission-checked writes, Open SDG CSV in and out."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from compacts.tracking.models import Pledge
from compacts.tracking.services import indicators
from compacts.tracking.tests import factories as f

pytestmark = pytest.mark.django_db
API = "/api/v1/tracking"
DATA = Path(__file__).parent.parent / "data"


@pytest.fixture
def world():
    morocco = f.country()
    f.objective(15)
    f.objective(23)
    state = f.organisation("Kingdom of Morocco", country_obj=morocco)
    focal = f.user(roles=[("government-focal-point", state)])
    secretariat = f.secretariat_user()
    return {"state": state, "focal": focal, "secretariat": secretariat, "country": morocco}


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def payload(world, **changes):
    body = {
        "organisation": world["state"].pk,
        "title": "Health for all migrants",
        "pledge_type": "policy-oriented",
        "description": f.DESCRIPTION,
        "objectives": [15],
        "country": "504",
    }
    body.update(changes)
    return body


class PledgeApiTests:
    def test_create_submit_publish_and_read_publicly(self, world):
        focal = client_for(world["focal"])
        response = focal.post(
            f"{API}/pledges", json.dumps(payload(world)), content_type="application/json"
        )
        assert response.status_code == 201, response.content
        pledge_id = response.json()["id"]
        assert response.json()["state"] == "draft"
        assert client_for().get(f"{API}/pledges/{pledge_id}").status_code == 404
        response = focal.post(
            f"{API}/pledges/{pledge_id}/transition",
            json.dumps({"to": "submitted"}),
            content_type="application/json",
        )
        assert response.json()["state"] == "submitted"
        response = client_for(world["secretariat"]).post(
            f"{API}/pledges/{pledge_id}/transition",
            json.dumps({"to": "published"}),
            content_type="application/json",
        )
        assert response.status_code == 200
        public = client_for().get(f"{API}/pledges").json()
        assert public["count"] == 1
        assert public["items"][0]["objectives"] == [15]
        dashboard = client_for().get(f"{API}/pledges/dashboard").json()
        assert dashboard["objective"][0]["count"] == 1

    def test_short_description_is_400_and_nothing_stored(self, world):
        response = client_for(world["focal"]).post(
            f"{API}/pledges",
            json.dumps(payload(world, description="short")),
            content_type="application/json",
        )
        assert response.status_code == 400
        assert response.json()["extra"] == {"field": "description"}
        assert not Pledge.objects.exists()

    def test_missing_matching_pledge_is_400(self, world):
        response = client_for(world["focal"]).post(
            f"{API}/pledges",
            json.dumps(payload(world, matching_pledge="GCM-P-00999")),
            content_type="application/json",
        )
        assert response.status_code == 400
        assert "GCM-P-00999 does not exist" in response.json()["message"]

    def test_country_not_m49_is_400(self, world):
        response = client_for(world["focal"]).post(
            f"{API}/pledges",
            json.dumps(payload(world, country="MA")),
            content_type="application/json",
        )
        assert response.status_code == 400
        assert response.json()["extra"] == {"field": "country"}

    def test_anonymous_cannot_create_and_stranger_gets_403(self, world):
        assert (
            client_for()
            .post(f"{API}/pledges", json.dumps(payload(world)), content_type="application/json")
            .status_code
            == 401
        )
        stranger = client_for(f.user())
        response = stranger.post(
            f"{API}/pledges", json.dumps(payload(world)), content_type="application/json"
        )
        assert response.status_code == 403

    def test_bulk_upload_reports_rows(self, world):
        content = (
            "Pledger,Title,Type,Description,Objectives\n"
            f'Kingdom of Morocco,Good,policy-oriented,"{f.DESCRIPTION}",15\n'
            "Kingdom of Morocco,Bad,policy-oriented,too short,15\n"
        ).encode()
        response = client_for(world["secretariat"]).post(
            f"{API}/pledges/bulk", {"file": SimpleUploadedFile("p.csv", content)}
        )
        assert response.status_code == 400
        rows = response.json()["rows"]
        assert [(r["row"], r["accepted"]) for r in rows] == [(2, True), (3, False)]
        assert rows[1]["column"] == "Description"
        assert not Pledge.objects.exists()


class IndicatorApiTests:
    def test_upload_then_download_csv(self, world):
        f.country("566", "NG", "Nigeria")
        indicators.indicator_create(
            data=indicators.IndicatorInput(kind="sdg", code="3.8.1", title="UHC"),
            actor=world["secretariat"],
        )
        content = (DATA / "3-8-1.csv").read_bytes()
        response = client_for(world["secretariat"]).post(
            f"{API}/indicators/3-8-1/data", {"file": SimpleUploadedFile("3-8-1.csv", content)}
        )
        assert response.status_code == 200, response.content
        download = client_for().get(f"{API}/indicators/3-8-1/data.csv")
        assert download.status_code == 200
        assert download.content == content
        series = client_for().get(f"{API}/indicators/3-8-1/series?country=504").json()
        assert {s["progress"] for s in series if not s["disaggregation"]} == {"on-track"}

    def test_upload_by_stranger_is_403(self, world):
        indicators.indicator_create(
            data=indicators.IndicatorInput(kind="sdg", code="3.8.2", title="x"),
            actor=world["secretariat"],
        )
        response = client_for(world["focal"]).post(
            f"{API}/indicators/3-8-2/data",
            {"file": SimpleUploadedFile("x.csv", b"Year,GeoCode,Value\n2020,504,1\n")},
        )
        assert response.status_code == 403

    def test_unknown_indicator_is_404(self):
        assert client_for().get(f"{API}/indicators/nope").status_code == 404


class CycleApiTests:
    def test_reference_lists(self, world):
        from io import StringIO

        from compacts.tracking.reference import load_reference

        for number in range(1, 24):
            f.objective(number)
        load_reference(stdout=StringIO())
        editions = client_for().get(f"{API}/imrf-editions").json()
        assert [e["year"] for e in editions] == [2022, 2026]
        clusters = [rt["objectives"] for rt in editions[0]["round_tables"]]
        assert clusters == [
            [2, 5, 6, 12, 18],
            [4, 8, 9, 10, 11, 13, 21],
            [14, 15, 16, 19, 20, 22],
            [1, 3, 7, 17, 23],
        ]
        assert editions[0]["round_tables"][3]["status"] == "provisional"
        commitments = client_for().get(f"{API}/commitments").json()
        assert [c["paragraph"] for c in commitments] == ["70", "76"]
        reviews = client_for().get(f"{API}/regional-reviews").json()
        assert {r["commission"] for r in reviews} == {"ECA", "ECE", "ECLAC", "ESCAP", "ESCWA"}

    def test_regional_commissions_with_their_status(self, world):
        """The five shipped commissions are confirmed (GCM para 50); one the secretariat adds
        is provisional until confirmed; the list is public, by code."""
        from io import StringIO

        from compacts.tracking.reference import load_reference
        from compacts.tracking.services import reference_rows

        load_reference(stdout=StringIO())
        reference_rows.regional_commission_create(
            data=reference_rows.RegionalCommissionInput(
                code="ECX", name="Example commission", names={"fr": "Commission d'exemple"}
            ),
            actor=f.secretariat_user(),
        )
        response = client_for().get(f"{API}/regional-commissions")
        assert response.status_code == 200
        commissions = response.json()
        assert [(c["code"], c["status"]) for c in commissions] == [
            ("ECA", "confirmed"), ("ECE", "confirmed"), ("ECLAC", "confirmed"),
            ("ECX", "provisional"), ("ESCAP", "confirmed"), ("ESCWA", "confirmed"),
        ]  # fmt: skip
        assert commissions[3]["names"] == {"fr": "Commission d'exemple"}
        assert commissions[0]["name"] == "Economic Commission for Africa"
