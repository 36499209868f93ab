"""The pages of members that leave: the public list shows current members, then former members
with the date they left; the overview lists only current members; the Secretariat records a
departure with a form (date and note), a confirmation that says what it does, then the service;
a refusal shows on the form with what was typed kept and nothing changed; the Coordinator gets the
reason and no form; a former member is made a member again; others are refused."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from compacts.core.models import AuditRecord
from compacts.network import services
from compacts.network.models import NetworkMember

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def member(secretariat, un_entity):
    return services.network_member_upsert(
        actor=secretariat, organisation=un_entity, joined_on=datetime.date(2019, 1, 1)
    )


@pytest.fixture
def former(secretariat):
    from compacts.actors.testing import organisation_for_tests

    row = services.network_member_upsert(
        actor=secretariat, organisation=organisation_for_tests(name="Former UN entity")
    )
    services.network_member_leave(
        member=row, left_on=datetime.date(2024, 6, 30), note="Mandate ended", actor=secretariat
    )
    return row


def _section(body: str, heading_id: str) -> str:
    start = body.index(f'id="{heading_id}"')
    end = body.find("</section>", start)
    return body[start:end]


class TestMemberListPage:
    def test_current_then_former_members(self, member, former):
        body = _client().get(reverse("network:member-list")).content.decode()
        current = _section(body, "current-heading")
        formers = _section(body, "former-heading")
        assert "Test UN entity" in current
        assert "Former UN entity" not in current
        assert "Former UN entity" in formers
        assert "Test UN entity" not in formers
        assert "June 30, 2024" in formers
        assert "Mandate ended" in formers
        assert reverse("network:member-leave", args=[member.pk]) not in body  # public

    def test_no_former_section_for_the_public_without_former_members(self, member):
        body = _client().get(reverse("network:member-list")).content.decode()
        assert 'id="former-heading"' not in body

    def test_the_overview_lists_current_members_only(self, member, former):
        body = _client().get(reverse("network:index")).content.decode()
        assert "Test UN entity" in body
        assert "Former UN entity" not in body

    def test_the_secretariat_sees_leave_first_and_rejoin_for_former_members(
        self, secretariat, member, former
    ):
        body = _client(secretariat).get(reverse("network:member-list")).content.decode()
        current = _section(body, "current-heading")
        leave = reverse("network:member-leave", args=[member.pk])
        assert current.index(leave) < current.index(
            reverse("network:member-remove", args=[member.pk])
        )
        assert reverse("network:member-rejoin", args=[former.pk]) in _section(
            body, "former-heading"
        )
        assert reverse("network:member-leave", args=[former.pk]) not in body


class TestMemberLeavePage:
    def test_form_then_confirmation_then_recorded(self, secretariat, member):
        client = _client(secretariat)
        url = reverse("network:member-leave", args=[member.pk])
        page = client.get(url)
        assert page.status_code == 200
        assert 'name="left_on"' in page.content.decode()
        asked = client.post(url, {"left_on": "2024-06-30", "note": "Mandate ended"})
        assert asked.status_code == 200
        text = asked.content.decode()
        assert "Record that Test UN entity left the Network on June 30, 2024?" in text
        assert 'name="confirm" value="yes"' in text
        assert NetworkMember.objects.get(pk=member.pk).left_on is None  # not before confirming
        done = client.post(
            url, {"left_on": "2024-06-30", "note": "Mandate ended", "confirm": "yes"}, follow=True
        )
        assert done.redirect_chain[-1][0] == reverse("network:member-list")
        assert "Test UN entity is now listed among the former members" in done.content.decode()
        row = NetworkMember.objects.get(pk=member.pk)
        assert (row.left_on, row.left_note) == (datetime.date(2024, 6, 30), "Mandate ended")

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"left_on": "2018-01-01"}, "cannot be before the date it joined"),
            ({"left_on": "future"}, "The date cannot be in the future."),
            ({"left_on": ""}, "This field is required."),
            ({"left_on": "2018-01-01", "confirm": "yes"}, "cannot be before the date it joined"),
        ],
    )
    def test_a_refusal_shows_on_the_form_and_changes_nothing(
        self, secretariat, member, data, message
    ):
        if data["left_on"] == "future":
            data["left_on"] = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
        data = {**data, "note": "Kept as typed"}
        response = _client(secretariat).post(
            reverse("network:member-leave", args=[member.pk]), data
        )
        assert response.status_code == 400
        text = response.content.decode()
        assert message in text
        assert 'value="Kept as typed"' in text
        assert 'name="confirm"' not in text
        assert NetworkMember.objects.get(pk=member.pk).left_on is None
        assert not AuditRecord.objects.filter(action="network.member.leave").exists()

    def test_the_coordinator_gets_the_reason_and_no_form(self, secretariat, un_entity):
        member = services.network_member_upsert(
            actor=secretariat, organisation=un_entity, is_coordinator=True
        )
        url = reverse("network:member-leave", args=[member.pk])
        for response in (
            _client(secretariat).get(url),
            _client(secretariat).post(url, {"left_on": "2024-06-30", "confirm": "yes"}),
        ):
            text = response.content.decode()
            assert "Change its record first, then record that it left." in text
            assert 'name="left_on"' not in text
        assert NetworkMember.objects.get(pk=member.pk).left_on is None

    def test_a_former_member_gets_the_reason(self, secretariat, former):
        text = (
            _client(secretariat)
            .get(reverse("network:member-leave", args=[former.pk]))
            .content.decode()
        )
        assert "already left the Network on 2024-06-30" in text

    def test_others_are_refused(self, submitter, member):
        url = reverse("network:member-leave", args=[member.pk])
        assert _client().get(url).status_code == 302  # to sign in
        assert _client(submitter).get(url).status_code == 403
        response = _client(submitter).post(url, {"left_on": "2024-06-30", "confirm": "yes"})
        assert response.status_code == 403
        assert NetworkMember.objects.get(pk=member.pk).left_on is None
        assert (
            _client(submitter).get(reverse("network:member-leave", args=[99999])).status_code == 404
        )

    def test_needs_the_csrf_token(self, secretariat, member):
        client = Client(enforce_csrf_checks=True)
        client.force_login(secretariat)
        response = client.post(
            reverse("network:member-leave", args=[member.pk]),
            {"left_on": "2024-06-30", "confirm": "yes"},
        )
        assert response.status_code == 403
        assert NetworkMember.objects.get(pk=member.pk).left_on is None


class TestMemberRejoinPage:
    def test_a_former_member_is_made_a_member_again(self, secretariat, former):
        client = _client(secretariat)
        url = reverse("network:member-rejoin", args=[former.pk])
        assert "left the Network on June 30, 2024" in client.get(url).content.decode()
        early = client.post(url, {"joined_on": "2024-01-01"})
        assert early.status_code == 400
        assert "cannot be before the date it left" in early.content.decode()
        assert NetworkMember.objects.get(pk=former.pk).left_on is not None
        done = client.post(url, {"joined_on": "2025-02-01", "joined_note": "Letter"}, follow=True)
        assert "Former UN entity is a member of the Network again." in done.content.decode()
        row = NetworkMember.objects.get(pk=former.pk)
        assert (row.left_on, row.joined_on) == (None, datetime.date(2025, 2, 1))

    def test_a_current_member_has_no_rejoin_page(self, secretariat, member):
        response = _client(secretariat).get(reverse("network:member-rejoin", args=[member.pk]))
        assert response.status_code == 404
