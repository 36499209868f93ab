"""The API that removes attachments, champion countries and members of the Network (``DELETE``,
204): success, a second removal 404, refusal (401/403, nothing changed), a conflict (409, nothing
changed), unknown records (404) and malformed identifiers (422)."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

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
BASE = "/api/v1/network"


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _delete(client, path: str):
    return client.delete(f"{BASE}{path}")


def _pdf(name: str = "guide.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.7 content", content_type="application/pdf")


@pytest.fixture
def resource_file(secretariat):
    resource = Resource.objects.create(
        title="Guide on access to services",
        resource_type=factories.TermFactory(vocabulary="resource-type", code="guidance"),
    )
    return services.attachment_add(actor=secretariat, resource=resource, upload=_pdf())


class TestAttachmentApi:
    def test_the_secretariat_removes_a_resource_file(
        self, secretariat, resource_file, django_capture_on_commit_callbacks
    ):
        name = resource_file.file.name
        with django_capture_on_commit_callbacks(execute=True):
            removed = _delete(_client(secretariat), f"/attachments/{resource_file.pk}")
        assert removed.status_code == 204, removed.content
        assert not Attachment.objects.exists()
        assert not default_storage.exists(name)
        assert AuditRecord.objects.filter(action="network.attachment.delete").count() == 1
        again = _delete(_client(secretariat), f"/attachments/{resource_file.pk}")
        assert again.status_code == 404

    def test_others_are_refused_and_unknown_or_malformed_fail_cleanly(
        self, submitter, resource_file
    ):
        assert _delete(_client(), f"/attachments/{resource_file.pk}").status_code == 401
        refused = _delete(_client(submitter), f"/attachments/{resource_file.pk}")
        assert refused.status_code == 403
        assert _delete(_client(submitter), "/attachments/99999").status_code == 404
        assert _delete(_client(submitter), "/attachments/abc").status_code == 422
        assert Attachment.objects.filter(pk=resource_file.pk).exists()
        assert default_storage.exists(resource_file.file.name)

    def test_a_practice_file_follows_the_practice(
        self, submitter, outsider, hub_refs, django_capture_on_commit_callbacks
    ):
        """Someone who cannot see a draft gets 404 (the draft stays hidden); its submitter
        removes the file."""
        draft = services.practice_create(actor=submitter, data=complete_data(hub_refs))
        attachment = services.attachment_add(
            actor=submitter, practice=draft, upload=_pdf("report.pdf")
        )
        assert _delete(_client(outsider), f"/attachments/{attachment.pk}").status_code == 404
        assert Attachment.objects.exists()
        with django_capture_on_commit_callbacks(execute=True):
            removed = _delete(_client(submitter), f"/attachments/{attachment.pk}")
        assert removed.status_code == 204
        assert not draft.attachments.exists()


class TestChampionApi:
    def test_the_secretariat_removes_a_champion_country(self, secretariat, submitter):
        champion = services.champion_country_add(
            actor=secretariat, country=factories.CountryFactory(iso2="KE", name="Kenya")
        )
        assert _delete(_client(), f"/champion-countries/{champion.pk}").status_code == 401
        assert _delete(_client(submitter), f"/champion-countries/{champion.pk}").status_code == 403
        assert ChampionCountry.objects.exists()
        removed = _delete(_client(secretariat), f"/champion-countries/{champion.pk}")
        assert removed.status_code == 204
        assert not ChampionCountry.objects.exists()
        assert AuditRecord.objects.filter(action="network.champion.delete").exists()
        assert _delete(_client(secretariat), f"/champion-countries/{champion.pk}").status_code == (
            404
        )
        assert _delete(_client(secretariat), "/champion-countries/x").status_code == 422

    def test_a_pilot_country_is_a_conflict(self, secretariat):
        champion = services.champion_country_add(
            actor=secretariat, country=factories.CountryFactory(iso2="EG", name="Egypt")
        )
        deliverable = Deliverable.objects.create(
            working_group=factories.WorkingGroupFactory(), title="Guidance on returns"
        )
        deliverable.pilot_countries.add(champion)
        response = _delete(_client(secretariat), f"/champion-countries/{champion.pk}")
        assert response.status_code == 409
        assert "Guidance on returns" in response.json()["message"]
        assert response.json()["extra"] == {"deliverables": [deliverable.pk]}
        assert ChampionCountry.objects.filter(pk=champion.pk).exists()


class TestMemberApi:
    def test_the_secretariat_removes_a_member(self, secretariat, submitter, un_entity):
        member = services.network_member_upsert(actor=secretariat, organisation=un_entity)
        assert _delete(_client(), f"/members/{member.pk}").status_code == 401
        assert _delete(_client(submitter), f"/members/{member.pk}").status_code == 403
        assert NetworkMember.objects.exists()
        removed = _delete(_client(secretariat), f"/members/{member.pk}")
        assert removed.status_code == 204
        assert not NetworkMember.objects.exists()
        record = AuditRecord.objects.get(action="network.member.delete")
        assert record.before["organisation"] == un_entity.pk
        assert _delete(_client(secretariat), f"/members/{member.pk}").status_code == 404
        assert _delete(_client(secretariat), "/members/x").status_code == 422

    def test_the_coordinator_is_a_conflict(self, secretariat, un_entity):
        member = services.network_member_upsert(
            actor=secretariat, organisation=un_entity, is_coordinator=True
        )
        response = _delete(_client(secretariat), f"/members/{member.pk}")
        assert response.status_code == 409
        assert response.json()["extra"] == {"is_coordinator": True, "hosts_secretariat": False}
        assert NetworkMember.objects.filter(pk=member.pk).exists()
