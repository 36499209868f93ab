"""The network API: the practice and support-request flows over HTTP, errors, permissions."""

import pytest
from django.test import Client

from compacts.actors import roles
from compacts.actors.testing import organisation_for_tests, user_with_role
from compacts.network.tests import factories
from compacts.network.tests.conftest import complete_data

pytestmark = pytest.mark.django_db
BASE = "/api/v1/network"


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _json(data):
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


class TestPracticeApi:
    def test_submission_to_publication(self, submitter, secretariat, hub_refs):
        author, reviewer = _client(submitter), _client(secretariat)
        created = author.post(
            f"{BASE}/practices", _json(complete_data(hub_refs)), content_type="application/json"
        )
        assert created.status_code == 201, created.content
        pk = created.json()["id"]
        assert author.post(f"{BASE}/practices/{pk}/submit").json()["state"] == "submitted"
        for to in ("in-review", "published"):
            response = reviewer.post(
                f"{BASE}/practices/{pk}/transitions", {"to": to}, content_type="application/json"
            )
            assert response.status_code == 200, response.content
        listing = _client().get(f"{BASE}/practices", {"q": "clinics"}).json()
        assert listing["count"] == 1
        assert listing["items"][0]["id"] == pk
        assert listing["items"][0]["rank"] > 0
        detail = _client().get(f"{BASE}/practices/{pk}").json()
        assert detail["objectives"] == [15]
        assert detail["countries"] == ["KE"]

    def test_incomplete_submission_names_fields(self, submitter):
        client = _client(submitter)
        pk = client.post(
            f"{BASE}/practices", {"title": "Draft"}, content_type="application/json"
        ).json()["id"]
        response = client.post(f"{BASE}/practices/{pk}/submit")
        assert response.status_code == 400
        body = response.json()
        assert "objectives" in body["extra"]["missing"]
        assert client.get(f"{BASE}/practices/{pk}").json()["state"] == "draft"

    def test_a_draft_is_not_public(self, submitter):
        pk = (
            _client(submitter)
            .post(f"{BASE}/practices", {"title": "Private"}, content_type="application/json")
            .json()["id"]
        )
        assert _client().get(f"{BASE}/practices/{pk}").status_code == 404

    def test_anonymous_cannot_create(self):
        response = _client().post(
            f"{BASE}/practices", {"title": "x"}, content_type="application/json"
        )
        assert response.status_code == 401
        assert "message" in response.json()

    @pytest.mark.parametrize("query", ['"', "-- OR", "NEAR(", "a" * 600])
    def test_odd_queries_get_a_clear_error_or_results(self, query):
        response = _client().get(f"{BASE}/practices", {"q": query})
        assert response.status_code in (200, 400, 422)
        assert "message" in response.json() or "items" in response.json()

    def test_bad_filter_type_is_a_422(self):
        response = _client().get(f"{BASE}/practices", {"objective": "fifteen"})
        assert response.status_code == 422

    def test_attachment_wrong_type(self, submitter):
        client = _client(submitter)
        pk = client.post(
            f"{BASE}/practices", {"title": "Draft"}, content_type="application/json"
        ).json()["id"]
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = client.post(
            f"{BASE}/practices/{pk}/attachments", {"file": SimpleUploadedFile("x.exe", b"MZ")}
        )
        assert response.status_code == 400
        assert "not accepted" in response.json()["message"]


class TestSupportRequestApi:
    def test_full_life(self, secretariat):
        country = factories.CountryFactory(iso2="ZM", name="Zambia")
        government = user_with_role(roles.GOVERNMENT_FOCAL_POINT)
        partner = organisation_for_tests(name="Partner")
        created = _client(government).post(
            f"{BASE}/support-requests",
            {"title": "Plan", "country": "zm", "description": "Help"},
            content_type="application/json",
        )
        assert created.status_code == 201, created.content
        pk = created.json()["id"]
        staff = _client(secretariat)
        assert (
            staff.post(
                f"{BASE}/support-requests/{pk}/match",
                {"partners": [partner.pk]},
                content_type="application/json",
            ).json()["state"]
            == "matched"
        )
        assert (
            staff.post(
                f"{BASE}/support-requests/{pk}/support",
                {"summary": "Workshops"},
                content_type="application/json",
            ).json()["state"]
            == "supported"
        )
        staff.post(
            f"{BASE}/support-requests/{pk}/concept-note",
            {"reference": "CN-1"},
            content_type="application/json",
        )
        closed = staff.post(
            f"{BASE}/support-requests/{pk}/transitions",
            {"to": "closed", "note": "Done"},
            content_type="application/json",
        ).json()
        assert closed["state"] == "closed"
        mine = _client(government).get(f"{BASE}/support-requests/{pk}").json()
        assert (mine["concept_note_reference"], mine["country"]) == ("CN-1", country.iso2)

    def test_the_submitter_cannot_match(self, un_entity):
        government = user_with_role(roles.GOVERNMENT_FOCAL_POINT)
        request = factories.SupportRequestFactory(submitted_by=government)
        response = _client(government).post(
            f"{BASE}/support-requests/{request.pk}/match",
            {"partners": [un_entity.pk]},
            content_type="application/json",
        )
        assert response.status_code == 403

    def test_others_requests_are_hidden(self, submitter):
        request = factories.SupportRequestFactory()
        assert _client(submitter).get(f"{BASE}/support-requests/{request.pk}").status_code == 404


class TestEventsApi:
    def test_register_then_full(self, submitter, outsider):
        event = factories.EventFactory(capacity=1)
        assert (
            _client(outsider)
            .post(f"{BASE}/events/{event.pk}/registrations", {}, content_type="application/json")
            .status_code
            == 201
        )
        full = _client(submitter).post(
            f"{BASE}/events/{event.pk}/registrations", {}, content_type="application/json"
        )
        assert full.status_code == 409
        assert full.json()["message"] == "This event is full."

    def test_public_lists(self):
        factories.EventFactory()
        factories.CountryNetworkFactory()
        factories.WorkingGroupFactory(code="2.1")
        client = _client()
        for path in (
            "events",
            "country-networks",
            "working-groups",
            "members",
            "champion-countries",
            "calls",
            "resources",
            "working-groups/2.1",
        ):
            assert client.get(f"{BASE}/{path}").status_code == 200, path


class TestStructureApi:
    def test_the_secretariat_builds_the_structure(self, secretariat, un_entity):
        client = _client(secretariat)
        factories.TermFactory(vocabulary="resource-type", code="guidance")
        factories.CountryFactory(iso2="ZM", name="Zambia")
        group = client.post(
            f"{BASE}/working-groups",
            {"code": "9", "name": "Test group", "kind": "thematic"},
            content_type="application/json",
        )
        assert group.status_code == 201, group.content
        member = client.post(
            f"{BASE}/working-groups/9/members",
            {"organisation": un_entity.pk, "role": "co-lead"},
            content_type="application/json",
        )
        assert member.json()["co_leads"] == [str(un_entity)]
        assert (
            client.post(
                f"{BASE}/resources",
                {"title": "Guide", "resource_type": "guidance", "workstream_output": "9"},
                content_type="application/json",
            ).status_code
            == 201
        )
        network = client.post(
            f"{BASE}/country-networks",
            {"kind": "country", "name": "Zambia network", "country": "ZM"},
            content_type="application/json",
        )
        assert network.status_code == 201, network.content
        assert (
            client.post(
                f"{BASE}/champion-countries", {"country": "ZM"}, content_type="application/json"
            ).status_code
            == 201
        )
        assert (
            client.post(
                f"{BASE}/members",
                {"organisation": un_entity.pk, "is_executive_committee": True},
                content_type="application/json",
            ).json()["is_executive_committee"]
            is True
        )

    def test_a_stakeholder_cannot(self, submitter):
        factories.TermFactory(vocabulary="resource-type", code="guidance")
        response = _client(submitter).post(
            f"{BASE}/resources",
            {"title": "Guide", "resource_type": "guidance"},
            content_type="application/json",
        )
        assert response.status_code == 403

    def test_unknown_country_is_a_400(self, secretariat):
        response = _client(secretariat).post(
            f"{BASE}/country-networks",
            {"kind": "country", "name": "X", "country": "QQ"},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert response.json()["extra"] == {"field": "country"}
