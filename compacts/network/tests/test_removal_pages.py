"""The pages that remove an attachment (of a practice or a library resource), a champion country
and a member of the Network: a remove button beside each row for those who may use it; removing
asks first (a POST with CSRF shows what removing does, a second POST with ``confirm=yes``
removes); a refused removal is explained and changes nothing; others are refused; a POST without
the CSRF token is refused."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from compacts.core.models import AuditRecord
from compacts.network import services
from compacts.network.models import (
    Attachment,
    ChampionCountry,
    Deliverable,
    NetworkMember,
    Resource,
)
from compacts.network.tests import factories
from compacts.network.tests.conftest import complete_data

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.7 content", content_type="application/pdf")


@pytest.fixture
def resource(db):
    return Resource.objects.create(
        title="Guide on access to services",
        resource_type=factories.TermFactory(vocabulary="resource-type", code="guidance"),
    )


@pytest.fixture
def resource_file(secretariat, resource):
    return services.attachment_add(actor=secretariat, resource=resource, upload=_pdf("guide.pdf"))


@pytest.fixture
def draft(submitter, hub_refs):
    return services.practice_create(actor=submitter, data=complete_data(hub_refs))


@pytest.fixture
def practice_file(submitter, draft):
    return services.attachment_add(actor=submitter, practice=draft, upload=_pdf("report.pdf"))


@pytest.fixture
def member(secretariat, un_entity):
    return services.network_member_upsert(actor=secretariat, organisation=un_entity)


@pytest.fixture
def champion(secretariat):
    return services.champion_country_add(
        actor=secretariat, country=factories.CountryFactory(iso2="KE", name="Kenya")
    )


class TestAttachmentPages:
    def test_the_resource_page_asks_then_removes_the_file(
        self, secretariat, resource, resource_file, django_capture_on_commit_callbacks
    ):
        client = _client(secretariat)
        url = reverse("network:attachment-remove", args=[resource_file.pk])
        edit = client.get(reverse("network:resource-edit", args=[resource.pk])).content.decode()
        assert f'method="post" action="{url}"' in edit
        library = _client(secretariat).get(reverse("network:library")).content.decode()
        assert url not in library  # the library only offers the download
        asked = client.post(url)
        assert asked.status_code == 200
        body = asked.content.decode()
        assert "Remove the file guide.pdf?" in body
        assert "Guide on access to services" in body
        assert 'name="confirm" value="yes"' in body
        assert 'name="csrfmiddlewaretoken"' in body
        assert Attachment.objects.exists()
        name = resource_file.file.name
        with django_capture_on_commit_callbacks(execute=True):
            removed = client.post(url, {"confirm": "yes"})
        assert removed.status_code == 302
        assert removed["Location"] == reverse("network:resource-edit", args=[resource.pk])
        assert not Attachment.objects.exists()
        assert not default_storage.exists(name)
        assert AuditRecord.objects.filter(action="network.attachment.delete").exists()
        after = client.get(removed["Location"]).content.decode()
        assert "The file guide.pdf was removed." in after
        assert "No file attached yet." in after
        assert client.post(url, {"confirm": "yes"}).status_code == 404

    def test_the_practice_edit_page_lists_and_removes_its_files(
        self, submitter, draft, practice_file, django_capture_on_commit_callbacks
    ):
        client = _client(submitter)
        url = reverse("network:attachment-remove", args=[practice_file.pk])
        edit = client.get(reverse("network:practice-edit", args=[draft.pk])).content.decode()
        assert "report.pdf" in edit
        assert f'method="post" action="{url}"' in edit
        with django_capture_on_commit_callbacks(execute=True):
            removed = client.post(url, {"confirm": "yes"})
        assert removed["Location"] == reverse("network:practice-edit", args=[draft.pk])
        assert not draft.attachments.exists()

    def test_others_are_refused_and_nothing_changes(
        self, submitter, outsider, resource_file, practice_file
    ):
        resource_url = reverse("network:attachment-remove", args=[resource_file.pk])
        practice_url = reverse("network:attachment-remove", args=[practice_file.pk])
        for url in (resource_url, practice_url):
            assert _client().post(url, {"confirm": "yes"}).status_code == 302  # sign in
        assert _client(submitter).post(resource_url, {"confirm": "yes"}).status_code == 403
        # A draft stays hidden from someone who cannot see it.
        assert _client(outsider).post(practice_url, {"confirm": "yes"}).status_code == 404
        assert Attachment.objects.count() == 2

    def test_remove_needs_the_csrf_token(self, secretariat, resource_file):
        client = Client(enforce_csrf_checks=True)
        client.force_login(secretariat)
        url = reverse("network:attachment-remove", args=[resource_file.pk])
        assert client.post(url, {"confirm": "yes"}).status_code == 403
        assert Attachment.objects.exists()


class TestStructurePages:
    def test_only_the_secretariat_sees_the_remove_buttons(
        self, secretariat, submitter, member, champion
    ):
        member_url = reverse("network:member-remove", args=[member.pk])
        champion_url = reverse("network:champion-remove", args=[champion.pk])
        members = _client(secretariat).get(reverse("network:member-list")).content.decode()
        assert f'method="post" action="{member_url}"' in members
        champions = _client(secretariat).get(reverse("network:champion-list")).content.decode()
        assert f'method="post" action="{champion_url}"' in champions
        assert member_url not in _client().get(reverse("network:member-list")).content.decode()
        assert champion_url not in (
            _client(submitter).get(reverse("network:champion-list")).content.decode()
        )
        for url in (member_url, champion_url):
            assert _client().post(url, {"confirm": "yes"}).status_code == 302, url
            assert _client(submitter).get(url).status_code == 403, url
            assert _client(submitter).post(url, {"confirm": "yes"}).status_code == 403, url
        assert NetworkMember.objects.exists()
        assert ChampionCountry.objects.exists()

    def test_a_member_is_removed_after_confirmation(self, secretariat, member):
        client = _client(secretariat)
        url = reverse("network:member-remove", args=[member.pk])
        asked = client.post(url)
        body = asked.content.decode()
        assert "Remove Test UN entity from the members of the Network?" in body
        assert "Loading the reference data again does not add it back" in body
        assert NetworkMember.objects.exists()
        removed = client.post(url, {"confirm": "yes"})
        assert removed["Location"] == reverse("network:member-list")
        assert not NetworkMember.objects.exists()
        after = client.get(removed["Location"]).content.decode()
        assert "Test UN entity was removed from the members of the Network." in after
        assert AuditRecord.objects.filter(action="network.member.delete").exists()
        assert client.post(url, {"confirm": "yes"}).status_code == 404

    def test_the_coordinator_is_kept_with_a_reason(self, secretariat, un_entity):
        member = services.network_member_upsert(
            actor=secretariat, organisation=un_entity, is_coordinator=True
        )
        client = _client(secretariat)
        refused = client.post(
            reverse("network:member-remove", args=[member.pk]), {"confirm": "yes"}, follow=True
        )
        assert "is the Coordinator or the host of the Secretariat" in refused.content.decode()
        assert NetworkMember.objects.filter(pk=member.pk).exists()
        assert not AuditRecord.objects.filter(action="network.member.delete").exists()

    def test_a_champion_country_is_removed_after_confirmation(self, secretariat, champion):
        client = _client(secretariat)
        url = reverse("network:champion-remove", args=[champion.pk])
        asked = client.get(url).content.decode()
        assert "Remove Kenya from the champion countries?" in asked
        removed = client.post(url, {"confirm": "yes"}, follow=True)
        assert "Kenya was removed from the champion countries." in removed.content.decode()
        assert not ChampionCountry.objects.exists()

    def test_a_pilot_country_is_kept_with_a_reason(self, secretariat, champion):
        deliverable = Deliverable.objects.create(
            working_group=factories.WorkingGroupFactory(), title="Guidance on returns"
        )
        deliverable.pilot_countries.add(champion)
        refused = _client(secretariat).post(
            reverse("network:champion-remove", args=[champion.pk]), {"confirm": "yes"}, follow=True
        )
        body = refused.content.decode()
        assert "Guidance on returns" in body
        assert ChampionCountry.objects.filter(pk=champion.pk).exists()

    def test_remove_needs_the_csrf_token(self, secretariat, member, champion):
        client = Client(enforce_csrf_checks=True)
        client.force_login(secretariat)
        for url in (
            reverse("network:member-remove", args=[member.pk]),
            reverse("network:champion-remove", args=[champion.pk]),
        ):
            assert client.post(url, {"confirm": "yes"}).status_code == 403, url
        assert NetworkMember.objects.exists()
        assert ChampionCountry.objects.exists()
