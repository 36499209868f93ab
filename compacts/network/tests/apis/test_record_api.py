"""The API that changes and removes a network's focal points and records of what it did, and
changes a champion country: success, refusal (403, nothing changed), bad input (400/422, nothing
changed) and unknown records (404)."""

import datetime

import pytest
from django.test import Client

from compacts.core.models import AuditRecord
from compacts.network import services
from compacts.network.models import Achievement, CountryNetwork, FocalPoint
from compacts.network.tests import factories

pytestmark = pytest.mark.django_db
BASE = "/api/v1/network"


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _send(client, method: str, path: str, data=None):
    return getattr(client, method)(f"{BASE}{path}", data or {}, content_type="application/json")


@pytest.fixture
def network(db):
    country = factories.CountryFactory(iso2="ZM", name="Zambia")
    return CountryNetwork.objects.create(kind="country", name="Zambia network", country=country)


@pytest.fixture
def focal_point(secretariat, network, un_entity):
    return services.focal_point_add(
        actor=secretariat, network=network, organisation=un_entity, name="Ana Phiri"
    )


@pytest.fixture
def achievement(secretariat, network):
    return services.achievement_record(
        actor=secretariat,
        network=network,
        kind="training",
        title="Officials trained",
        happened_on=datetime.date(2022, 5, 1),
        people_trained=30,
    )


class TestFocalPointApi:
    def test_the_secretariat_changes_and_removes_a_focal_point(
        self, secretariat, focal_point, outsider
    ):
        client = _client(secretariat)
        changed = _send(
            client,
            "patch",
            f"/focal-points/{focal_point.pk}",
            {"email": "ana@example.org", "user": outsider.pk},
        )
        assert changed.status_code == 200, changed.content
        assert changed.json()["email"] == "ana@example.org"
        assert changed.json()["name"] == "Ana Phiri"  # kept
        focal_point.refresh_from_db()
        assert focal_point.user == outsider
        removed = _send(client, "delete", f"/focal-points/{focal_point.pk}")
        assert removed.status_code == 204
        assert not FocalPoint.objects.exists()
        assert AuditRecord.objects.filter(action="network.focal_point.delete").exists()
        again = _send(client, "delete", f"/focal-points/{focal_point.pk}")
        assert again.status_code == 404

    def test_bad_input_changes_nothing(self, secretariat, focal_point):
        client = _client(secretariat)
        for data, field in (
            ({"name": " "}, "name"),
            ({"email": "nope"}, "email"),
            ({"organisation": 99999}, "organisation"),
            ({"user": 99999}, "user"),
        ):
            response = _send(client, "patch", f"/focal-points/{focal_point.pk}", data)
            assert response.status_code == 400, data
            assert response.json()["extra"] == {"field": field}
        focal_point.refresh_from_db()
        assert (focal_point.name, focal_point.email, focal_point.user) == ("Ana Phiri", "", None)

    def test_others_are_refused_and_unknown_is_404(self, submitter, focal_point):
        client = _client(submitter)
        assert (
            _send(client, "patch", f"/focal-points/{focal_point.pk}", {"name": "X"}).status_code
            == 403
        )
        assert _send(client, "delete", f"/focal-points/{focal_point.pk}").status_code == 403
        assert _send(_client(), "delete", f"/focal-points/{focal_point.pk}").status_code == 401
        assert _send(client, "patch", "/focal-points/99999", {"name": "X"}).status_code == 404
        focal_point.refresh_from_db()
        assert focal_point.name == "Ana Phiri"


class TestAchievementApi:
    def test_a_focal_point_changes_and_removes_a_record(
        self, secretariat, network, achievement, un_entity, outsider
    ):
        services.focal_point_add(
            actor=secretariat, network=network, organisation=un_entity, name="Ana", user=outsider
        )
        client = _client(outsider)
        changed = _send(
            client,
            "patch",
            f"/achievements/{achievement.pk}",
            {"title": "Border officials trained", "people_trained": 45},
        )
        assert changed.status_code == 200, changed.content
        assert changed.json()["title"] == "Border officials trained"
        assert changed.json()["happened_on"] == "2022-05-01"  # kept
        cleared = _send(
            client, "patch", f"/achievements/{achievement.pk}", {"people_trained": None}
        )
        assert cleared.json()["people_trained"] is None
        assert _send(client, "delete", f"/achievements/{achievement.pk}").status_code == 204
        assert not Achievement.objects.exists()

    def test_bad_input_changes_nothing(self, secretariat, achievement):
        client = _client(secretariat)
        kind = _send(client, "patch", f"/achievements/{achievement.pk}", {"kind": "party"})
        assert kind.status_code == 400
        assert kind.json()["message"] == "Unknown kind of achievement."
        future = _send(
            client, "patch", f"/achievements/{achievement.pk}", {"happened_on": "2999-01-01"}
        )
        assert future.status_code == 400
        assert future.json()["extra"] == {"field": "happened_on"}
        negative = _send(client, "patch", f"/achievements/{achievement.pk}", {"people_trained": -1})
        assert negative.status_code == 422
        achievement.refresh_from_db()
        assert (achievement.kind, achievement.people_trained) == ("training", 30)

    def test_others_are_refused(self, submitter, achievement):
        client = _client(submitter)
        assert (
            _send(client, "patch", f"/achievements/{achievement.pk}", {"title": "X"}).status_code
            == 403
        )
        assert _send(client, "delete", f"/achievements/{achievement.pk}").status_code == 403
        assert Achievement.objects.get().title == "Officials trained"


class TestChampionApi:
    def test_the_secretariat_changes_a_champion_country(self, secretariat, submitter):
        champion = services.champion_country_add(
            actor=secretariat, country=factories.CountryFactory(iso2="KE", name="Kenya")
        )
        refused = _send(
            _client(submitter),
            "patch",
            f"/champion-countries/{champion.pk}",
            {"since": "2021-06-01"},
        )
        assert refused.status_code == 403
        client = _client(secretariat)
        future = _send(
            client, "patch", f"/champion-countries/{champion.pk}", {"since": "2999-01-01"}
        )
        assert future.status_code == 400
        champion.refresh_from_db()
        assert champion.since is None
        changed = _send(
            client, "patch", f"/champion-countries/{champion.pk}", {"since": "2021-06-01"}
        )
        assert changed.status_code == 200
        assert changed.json() == {"id": champion.pk, "country": "KE", "since": "2021-06-01"}
        assert _send(client, "patch", "/champion-countries/99999", {}).status_code == 404


class TestMemberApi:
    def test_a_member_joining_in_the_future_is_refused(self, secretariat, un_entity):
        from compacts.network.models import NetworkMember

        client = _client(secretariat)
        future = _send(
            client, "post", "/members", {"organisation": un_entity.pk, "joined_on": "2999-01-01"}
        )
        assert future.status_code == 400
        assert future.json()["extra"] == {"field": "joined_on"}
        assert not NetworkMember.objects.exists()
        added = _send(
            client, "post", "/members", {"organisation": un_entity.pk, "joined_on": "2019-01-01"}
        )
        assert added.status_code == 200
        assert added.json()["joined_on"] == "2019-01-01"

    def test_a_focal_point_with_a_malformed_email_is_refused(self, secretariat, network, un_entity):
        response = _send(
            _client(secretariat),
            "post",
            f"/country-networks/{network.pk}/focal-points",
            {"organisation": un_entity.pk, "name": "Ana", "email": "not an address"},
        )
        assert response.status_code == 400
        assert response.json()["extra"] == {"field": "email"}
        assert not FocalPoint.objects.exists()
