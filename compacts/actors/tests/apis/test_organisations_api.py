"""/api/v1/organisations and /api/v1/roles."""

import json

import pytest
from django.test import Client

from compacts.actors import roles
from compacts.actors.models import Membership, Organisation
from compacts.actors.testing import role_get_or_create, superuser, user_with_role, user_without_role
from compacts.actors.tests.factories import CountryFactory, OrganisationFactory
from compacts.api.services import api_token_create

pytestmark = pytest.mark.django_db


def _token_client(user) -> Client:
    _token, secret = api_token_create(user=user, name="test", actor=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _post(client, path, body, method="post"):
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


class OrganisationListApiTests:
    def test_paginated_and_filtered(self):
        ecuador = CountryFactory(iso2="EC", m49="218", name="Ecuador")
        OrganisationFactory(name="Alpha", category="civil-society", country=ecuador)
        OrganisationFactory(name="Beta", category="donor")
        OrganisationFactory(name="Gamma", category="civil-society", iati_identifier="XM-DAC-47066")
        client = Client()
        body = client.get("/api/v1/organisations?limit=2").json()
        assert body["count"] == 3
        assert [item["name"] for item in body["items"]] == ["Alpha", "Beta"]
        assert client.get("/api/v1/organisations?offset=2").json()["items"][0]["name"] == "Gamma"
        by_category = client.get("/api/v1/organisations?category=civil-society").json()
        assert [item["name"] for item in by_category["items"]] == ["Alpha", "Gamma"]
        by_country = client.get("/api/v1/organisations?country=EC").json()
        assert by_country["count"] == 1
        assert by_country["items"][0]["country"] == "EC"
        assert by_country["items"][0]["country_m49"] == "218"
        assert client.get("/api/v1/organisations?country=218").json()["count"] == 1
        assert (
            client.get("/api/v1/organisations?search=47066").json()["items"][0]["name"] == "Gamma"
        )

    def test_query_count_does_not_grow_with_the_page(self):
        """Two organisations or thirty, with their countries: the same number of queries."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def queries_for(limit: int) -> int:
            with CaptureQueriesContext(connection) as captured:
                response = Client().get(f"/api/v1/organisations?limit={limit}")
            assert len(response.json()["items"]) == limit
            return len(captured.captured_queries)

        for _ in range(30):
            OrganisationFactory(country=CountryFactory())
        assert queries_for(2) == queries_for(30)

    @pytest.mark.parametrize(
        "query",
        [
            "category=government",
            "country=Ecuador",
            "country=E",
            "limit=0",
            "limit=501",
            "limit=abc",
            "offset=-1",
            "offset=99999999999999999999999999",
            "search=" + "x" * 201,
        ],
    )
    def test_bad_parameters_are_422_in_the_error_format(self, query):
        response = Client().get(f"/api/v1/organisations?{query}")
        assert response.status_code == 422
        body = response.json()
        assert set(body) == {"message", "extra"}
        assert body["extra"]["errors"]

    def test_labels_in_the_language_of_the_request(self):
        OrganisationFactory(category="donor", names={"fr": "Donateur illustratif"}, name="Donor")
        item = Client().get("/api/v1/organisations", HTTP_ACCEPT_LANGUAGE="fr").json()["items"][0]
        assert item["category_label"] == "Donateur"
        assert item["display_name"] == "Donateur illustratif"


class OrganisationGetApiTests:
    def test_one_and_unknown(self):
        organisation = OrganisationFactory(name="IOM", iati_identifier="XM-DAC-47066")
        client = Client()
        assert client.get(f"/api/v1/organisations/{organisation.pk}").json()["iati_identifier"] == (
            "XM-DAC-47066"
        )
        missing = client.get(f"/api/v1/organisations/{organisation.pk + 1000}")
        assert missing.status_code == 404
        assert missing.json()["extra"] == {"id": organisation.pk + 1000}
        assert client.get("/api/v1/organisations/0").status_code == 422
        assert client.get("/api/v1/organisations/99999999999999999999999").status_code == 422
        assert client.get("/api/v1/organisations/abc").status_code == 404


class OrganisationWriteApiTests:
    def test_coordinator_creates_with_a_token(self):
        CountryFactory(iso2="CH", name="Switzerland")
        client = _token_client(user_with_role(roles.MANAGEMENT_UNIT_OFFICER))
        response = _post(
            client,
            "/api/v1/organisations",
            {
                "name": "World Health Organization",
                "short_name": "WHO",
                "category": "un-entity",
                "iati_type": "40",
                "country": "CH",
            },
        )
        assert response.status_code == 201, response.content
        assert response.json()["country"] == "CH"
        assert Organisation.objects.get(short_name="WHO").country.iso2 == "CH"

    def test_anonymous_401_and_others_403(self):
        body = {"name": "X", "category": "donor"}
        donor_client = _token_client(user_with_role(roles.DONOR))
        before = Organisation.objects.count()
        assert _post(Client(), "/api/v1/organisations", body).status_code == 401
        denied = _post(donor_client, "/api/v1/organisations", body)
        assert denied.status_code == 403
        assert denied.json()["extra"] == {"operation": "actors.organisation.create"}
        assert Organisation.objects.count() == before

    def test_domain_errors_and_conflicts(self):
        client = _token_client(superuser())
        OrganisationFactory(iati_identifier="XM-DAC-47066")
        invalid = _post(
            client, "/api/v1/organisations", {"name": "X", "category": "donor", "iati_type": "77"}
        )
        assert invalid.status_code == 400
        assert "iati_type" in invalid.json()["extra"]["fields"]
        conflict = _post(
            client,
            "/api/v1/organisations",
            {"name": "X", "category": "donor", "iati_identifier": "XM-DAC-47066"},
        )
        assert conflict.status_code == 409
        unknown_country = _post(
            client, "/api/v1/organisations", {"name": "X", "category": "donor", "country": "QQ"}
        )
        assert unknown_country.status_code == 400
        assert "country" in unknown_country.json()["extra"]["fields"]
        assert Organisation.objects.count() == 1

    @pytest.mark.parametrize(
        "body",
        [
            "{not json",
            "[1, 2]",
            "null",
            '{"name": 5, "category": "donor"}',
            '{"name": "X", "category": "donor", "names": "fr"}',
            '{"name": "X", "category": "donor", "country": 1e400}',
            '{"name": "X"}',
        ],
    )
    def test_malformed_bodies_are_4xx_and_create_nothing(self, body):
        client = _token_client(superuser())
        response = client.post("/api/v1/organisations", data=body, content_type="application/json")
        assert response.status_code in {400, 422}
        assert set(response.json()) == {"message", "extra"}
        assert not Organisation.objects.exists()

    def test_patch_changes_only_what_is_sent(self):
        organisation = OrganisationFactory(name="Old", short_name="OLD", website="https://a.org/")
        client = _token_client(user_with_role(roles.NETWORK_SECRETARIAT))
        response = _post(
            client, f"/api/v1/organisations/{organisation.pk}", {"name": "New"}, method="patch"
        )
        assert response.status_code == 200
        organisation.refresh_from_db()
        assert (organisation.name, organisation.short_name, organisation.website) == (
            "New",
            "OLD",
            "https://a.org/",
        )

    def test_patch_country_null_clears_it_and_other_nulls_are_refused(self):
        organisation = OrganisationFactory(country=CountryFactory())
        client = _token_client(superuser())
        cleared = _post(
            client, f"/api/v1/organisations/{organisation.pk}", {"country": None}, method="patch"
        )
        assert cleared.status_code == 200
        assert cleared.json()["country"] is None
        refused = _post(
            client, f"/api/v1/organisations/{organisation.pk}", {"name": None}, method="patch"
        )
        assert refused.status_code == 400
        assert "name" in refused.json()["extra"]["fields"]

    def test_patch_refused_for_the_organisations_own_focal_point(self):
        organisation = OrganisationFactory(name="Kept")
        client = _token_client(user_with_role(roles.PUNO_FOCAL_POINT, organisation))
        response = _post(
            client, f"/api/v1/organisations/{organisation.pk}", {"name": "X"}, method="patch"
        )
        assert response.status_code == 403
        organisation.refresh_from_db()
        assert organisation.name == "Kept"

    def test_patch_unknown_organisation(self):
        client = _token_client(superuser())
        assert _post(client, "/api/v1/organisations/999", {"name": "X"}, "patch").status_code == 404


class MembershipApiTests:
    def test_grant_list_revoke(self):
        organisation = OrganisationFactory()
        person = user_without_role(username="amina")
        role_get_or_create(roles.PUNO_FOCAL_POINT)
        client = _token_client(user_with_role(roles.MANAGEMENT_UNIT_OFFICER))
        granted = _post(
            client,
            f"/api/v1/organisations/{organisation.pk}/memberships",
            {"username": "amina", "role": roles.PUNO_FOCAL_POINT, "starts_on": "2026-01-01"},
        )
        assert granted.status_code == 201, granted.content
        assert granted.json()["role"] == roles.PUNO_FOCAL_POINT
        listed = client.get(f"/api/v1/organisations/{organisation.pk}/memberships").json()
        assert listed["count"] == 1
        assert listed["items"][0]["username"] == "amina"
        assert listed["items"][0]["is_current"] is True
        membership_id = granted.json()["id"]
        assert client.delete(f"/api/v1/memberships/{membership_id}").status_code == 204
        assert not Membership.objects.filter(user=person).exists()
        assert client.delete(f"/api/v1/memberships/{membership_id}").status_code == 404

    def test_a_member_sees_her_own_organisations_members_only(self):
        home, other = OrganisationFactory(), OrganisationFactory()
        client = _token_client(user_with_role(roles.GOVERNMENT_FOCAL_POINT, home))
        assert client.get(f"/api/v1/organisations/{home.pk}/memberships").json()["count"] == 1
        assert client.get(f"/api/v1/organisations/{other.pk}/memberships").status_code == 403
        assert Client().get(f"/api/v1/organisations/{home.pk}/memberships").status_code == 401

    def test_grant_errors(self):
        organisation = OrganisationFactory()
        user_without_role(username="amina")
        client = _token_client(superuser())
        path = f"/api/v1/organisations/{organisation.pk}/memberships"
        assert _post(client, path, {"username": "nobody", "role": "donor"}).status_code == 404
        assert _post(client, path, {"username": "amina", "role": "king"}).status_code == 404
        bad_dates = _post(
            client,
            path,
            {"username": "amina", "role": "donor", "starts_on": "2026-02-30"},
        )
        assert bad_dates.status_code == 422
        role_get_or_create(roles.DONOR)
        assert _post(client, path, {"username": "amina", "role": "donor"}).status_code == 201
        assert _post(client, path, {"username": "amina", "role": "donor"}).status_code == 409

    def test_others_may_not_revoke_nor_learn_which_ids_exist(self):
        client = _token_client(user_with_role(roles.DONOR))
        assert client.delete("/api/v1/memberships/999").status_code == 403


class RoleApiTests:
    def test_role_vocabulary_in_the_request_language(self):
        for code in roles.ROLE_CODES:
            role_get_or_create(code)
        body = Client().get("/api/v1/roles", HTTP_ACCEPT_LANGUAGE="es").json()
        assert body["count"] == 11
        donor = next(item for item in body["items"] if item["code"] == roles.DONOR)
        assert donor["name"] == "Donante"
