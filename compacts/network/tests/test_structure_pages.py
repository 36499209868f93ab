"""The pages of the members of the UN Network on Migration and of the champion countries: public
lists, and add and edit pages for the Secretariat (others refused, mistakes shown on the field
with everything typed kept, nothing changed), linked from the overview."""

import pytest
from django.test import Client
from django.urls import reverse

from compacts.actors.testing import organisation_for_tests
from compacts.core.models import AuditRecord
from compacts.network import services
from compacts.network.models import ChampionCountry, NetworkMember
from compacts.network.tests import factories

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def member(secretariat, un_entity):
    return services.network_member_upsert(
        actor=secretariat, organisation=un_entity, is_executive_committee=True, source="ToR 2019"
    )


@pytest.fixture
def champion(secretariat):
    return services.champion_country_add(
        actor=secretariat, country=factories.CountryFactory(iso2="KE", name="Kenya")
    )


class TestLists:
    def test_the_public_reads_both_lists_without_edit_links(self, member, champion):
        members = _client().get(reverse("network:member-list"))
        assert members.status_code == 200
        body = members.content.decode()
        assert "Test UN entity" in body
        assert "ToR 2019" in body
        assert '<th scope="row">' in body
        assert reverse("network:member-new") not in body
        assert reverse("network:member-edit", args=[member.pk]) not in body
        champions = _client().get(reverse("network:champion-list")).content.decode()
        assert "Kenya" in champions
        assert reverse("network:champion-edit", args=[champion.pk]) not in champions

    def test_the_secretariat_sees_the_links_and_the_overview_links_the_lists(
        self, secretariat, member, champion
    ):
        client = _client(secretariat)
        assert reverse("network:member-edit", args=[member.pk]) in (
            client.get(reverse("network:member-list")).content.decode()
        )
        assert reverse("network:champion-edit", args=[champion.pk]) in (
            client.get(reverse("network:champion-list")).content.decode()
        )
        overview = client.get(reverse("network:index")).content.decode()
        for name in ("member-list", "member-new", "champion-list", "champion-new"):
            assert reverse(f"network:{name}") in overview, name
        public = _client().get(reverse("network:index")).content.decode()
        assert reverse("network:member-list") in public
        assert reverse("network:member-new") not in public


class TestPermissions:
    def test_the_public_signs_in_and_others_are_refused(self, member, champion, submitter):
        urls = [
            reverse("network:member-new"),
            reverse("network:member-edit", args=[member.pk]),
            reverse("network:champion-new"),
            reverse("network:champion-edit", args=[champion.pk]),
        ]
        for url in urls:
            assert _client().get(url).status_code == 302, url
            assert _client(submitter).get(url).status_code == 403, url
        refused = _client(submitter).post(
            reverse("network:member-edit", args=[member.pk]), {"source": "Mine"}
        )
        assert refused.status_code == 403
        member.refresh_from_db()
        assert member.source == "ToR 2019"


class TestMemberPages:
    def test_the_secretariat_adds_a_member(self, secretariat, member):
        who = organisation_for_tests(name="World Health Organization")
        client = _client(secretariat)
        form = client.get(reverse("network:member-new")).content.decode()
        assert "World Health Organization" in form
        assert f'<option value="{member.organisation.pk}"' not in form  # already a member
        response = client.post(
            reverse("network:member-new"),
            {"organisation": who.pk, "joined_note": "Date not confirmed", "source": "Tool 18"},
        )
        assert response.status_code == 302
        added = NetworkMember.objects.get(organisation=who)
        assert (added.joined_note, added.source, added.joined_on) == (
            "Date not confirmed",
            "Tool 18",
            None,
        )
        assert AuditRecord.objects.filter(action="network.member.create").count() == 2

    def test_a_mistake_keeps_what_was_typed_and_changes_nothing(self, secretariat, member):
        client = _client(secretariat)
        url = reverse("network:member-edit", args=[member.pk])
        assert 'name="organisation"' not in client.get(url).content.decode()
        future = client.post(
            url,
            {"joined_on": "2999-01-01", "joined_note": "Typed note", "source": "ToR 2019"},
        )
        assert future.status_code == 400
        body = future.content.decode()
        assert "The date cannot be in the future." in body
        assert 'href="#id_joined_on"' in body
        assert 'value="Typed note"' in body
        member.refresh_from_db()
        assert (member.joined_on, member.joined_note) == (None, "")
        missing = client.post(reverse("network:member-new"), {"source": "x"})
        assert missing.status_code == 400
        assert NetworkMember.objects.count() == 1

    def test_the_secretariat_edits_a_member_and_it_stays_illustrative(self, secretariat):
        demo = services.network_member_upsert(
            actor=secretariat,
            organisation=organisation_for_tests(name="Demo entity"),
            is_illustrative=True,
        )
        response = _client(secretariat).post(
            reverse("network:member-edit", args=[demo.pk]),
            {"joined_on": "2019-01-01", "is_executive_committee": "on", "hosts_secretariat": ""},
        )
        assert response.status_code == 302
        demo.refresh_from_db()
        assert (str(demo.joined_on), demo.is_executive_committee, demo.is_illustrative) == (
            "2019-01-01",
            True,
            True,
        )
        assert AuditRecord.objects.filter(action="network.member.update").exists()


class TestChampionPages:
    def test_the_secretariat_adds_and_edits_a_champion_country(self, secretariat, champion):
        iraq = factories.CountryFactory(iso2="IQ", name="Iraq")
        client = _client(secretariat)
        form = client.get(reverse("network:champion-new")).content.decode()
        assert "Iraq" in form
        assert f'<option value="{champion.country.pk}"' not in form
        added = client.post(
            reverse("network:champion-new"),
            {"country": iraq.pk, "since": "2021-06-01", "source": "Network report"},
        )
        assert added.status_code == 302
        assert str(ChampionCountry.objects.get(country=iraq).since) == "2021-06-01"
        url = reverse("network:champion-edit", args=[champion.pk])
        future = client.post(url, {"since": "2999-01-01", "source": "Typed"})
        assert future.status_code == 400
        assert 'value="Typed"' in future.content.decode()
        champion.refresh_from_db()
        assert (champion.since, champion.source) == (None, "")
        client.post(url, {"since": "2021-06-01", "source": "Network report"})
        champion.refresh_from_db()
        assert champion.source == "Network report"
        assert AuditRecord.objects.filter(action="network.champion.update").exists()
