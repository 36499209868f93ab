"""The API of members that leave: ``POST /members/{pk}/leave`` (200 with the member, its
``left_on`` and note; 400 naming the field for a bad date or note; 409 for the Coordinator, the
host of the Secretariat or a member that already left; 401/403 for others; 404/422 for unknown or
malformed ids; nothing changed on any refusal), ``POST /members/{pk}/rejoin``, and the list
(current members by default, ``status=former`` and ``status=all``, the Executive Committee
filter, ``left_on`` in the output)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from compacts.actors.testing import organisation_for_tests
from compacts.core.models import AuditRecord
from compacts.network import services
from compacts.network.models import NetworkMember

pytestmark = pytest.mark.django_db
BASE = "/api/v1/network"


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _post(client, path: str, payload: dict):
    return client.post(f"{BASE}{path}", payload, content_type="application/json")


@pytest.fixture
def member(secretariat, un_entity):
    return services.network_member_upsert(
        actor=secretariat,
        organisation=un_entity,
        joined_on=datetime.date(2019, 1, 1),
        is_executive_committee=True,
    )


def _not_left(member) -> None:
    assert NetworkMember.objects.get(pk=member.pk).left_on is None
    assert not AuditRecord.objects.filter(action="network.member.leave").exists()


class TestMemberLeaveApi:
    def test_the_secretariat_records_that_a_member_left(self, secretariat, member):
        response = _post(
            _client(secretariat),
            f"/members/{member.pk}/leave",
            {"left_on": "2024-06-30", "note": "Mandate ended"},
        )
        assert response.status_code == 200
        body = response.json()
        assert (body["id"], body["left_on"], body["left_note"]) == (
            member.pk,
            "2024-06-30",
            "Mandate ended",
        )
        assert NetworkMember.objects.get(pk=member.pk).left_on == datetime.date(2024, 6, 30)
        again = _post(
            _client(secretariat), f"/members/{member.pk}/leave", {"left_on": "2025-01-01"}
        )
        assert again.status_code == 409
        assert again.json()["extra"] == {"left_on": "2024-06-30"}

    def test_others_are_refused(self, submitter, member):
        payload = {"left_on": "2024-06-30"}
        assert _post(_client(), f"/members/{member.pk}/leave", payload).status_code == 401
        assert _post(_client(submitter), f"/members/{member.pk}/leave", payload).status_code == 403
        _not_left(member)

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"left_on": "2018-12-31"}, "left_on"),
            ({"left_on": "future"}, "left_on"),
            ({"left_on": "2024-06-30", "note": "x" * 301}, "note"),
        ],
    )
    def test_bad_input_is_400_naming_the_field(self, secretariat, member, payload, field):
        if payload["left_on"] == "future":
            payload["left_on"] = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
        response = _post(_client(secretariat), f"/members/{member.pk}/leave", payload)
        assert response.status_code == 400
        assert response.json()["extra"] == {"field": field}
        _not_left(member)

    def test_malformed_payloads_and_ids(self, secretariat, member):
        client = _client(secretariat)
        assert _post(client, f"/members/{member.pk}/leave", {}).status_code == 422
        assert _post(client, f"/members/{member.pk}/leave", {"left_on": "soon"}).status_code == 422
        assert _post(client, "/members/x/leave", {"left_on": "2024-06-30"}).status_code == 422
        assert _post(client, "/members/99999/leave", {"left_on": "2024-06-30"}).status_code == 404
        _not_left(member)

    def test_the_coordinator_is_a_conflict(self, secretariat, un_entity):
        member = services.network_member_upsert(
            actor=secretariat, organisation=un_entity, hosts_secretariat=True
        )
        response = _post(
            _client(secretariat), f"/members/{member.pk}/leave", {"left_on": "2024-06-30"}
        )
        assert response.status_code == 409
        assert response.json()["extra"] == {"is_coordinator": False, "hosts_secretariat": True}
        _not_left(member)

    def test_rejoin(self, secretariat, submitter, member):
        client = _client(secretariat)
        assert _post(client, f"/members/{member.pk}/rejoin", {}).status_code == 409
        _post(client, f"/members/{member.pk}/leave", {"left_on": "2024-06-30"})
        assert _post(_client(submitter), f"/members/{member.pk}/rejoin", {}).status_code == 403
        early = _post(client, f"/members/{member.pk}/rejoin", {"joined_on": "2024-01-01"})
        assert early.status_code == 400
        assert early.json()["extra"] == {"field": "joined_on"}
        response = _post(client, f"/members/{member.pk}/rejoin", {"joined_on": "2025-02-01"})
        assert response.status_code == 200
        assert (response.json()["left_on"], response.json()["joined_on"]) == (None, "2025-02-01")


class TestMemberListApi:
    @pytest.fixture
    def former(self, secretariat, member):
        services.network_member_leave(
            member=member, left_on=datetime.date(2024, 6, 30), note="Gone", actor=secretariat
        )
        return member

    def test_current_members_by_default(self, secretariat, former):
        current = services.network_member_upsert(
            actor=secretariat, organisation=NetworkMember.objects.get(pk=former.pk).organisation
        )
        assert current.pk == former.pk  # the same row: an update never makes it current again
        body = _client().get(f"{BASE}/members").json()
        assert body == {"count": 0, "items": []}

    def test_former_and_all(self, secretariat, former):
        other = services.network_member_upsert(
            actor=secretariat,
            organisation=organisation_for_tests(name="Another UN entity"),
        )
        current = _client().get(f"{BASE}/members").json()
        assert [item["id"] for item in current["items"]] == [other.pk]
        assert current["items"][0]["left_on"] is None
        formers = _client().get(f"{BASE}/members", {"status": "former"}).json()
        assert formers["count"] == 1
        assert (formers["items"][0]["left_on"], formers["items"][0]["left_note"]) == (
            "2024-06-30",
            "Gone",
        )
        every = _client().get(f"{BASE}/members", {"status": "all"}).json()
        assert every["count"] == 2
        committee = _client().get(f"{BASE}/members", {"executive_committee": "true"}).json()
        assert committee["count"] == 0  # the only committee member left
        assert _client().get(f"{BASE}/members", {"status": "gone"}).status_code == 422
