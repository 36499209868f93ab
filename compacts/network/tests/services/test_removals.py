"""Services that remove an attachment, a champion country and a member of the Network: each
removal audited with what was removed, a refusal for those without the right (nothing changed), a
second removal a clear "already removed", bad input refused with nothing changed; the stored file
of an attachment deleted only once the transaction commits; and a later reference load that does
not add a removed member or champion country back without saying so."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from compacts.actors.models import Organisation, StakeholderCategory
from compacts.core.exceptions import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
)
from compacts.core.models import AuditRecord
from compacts.network import reference, services
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


def _pdf(name: str = "report.pdf") -> SimpleUploadedFile:
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
    return services.attachment_add(actor=submitter, practice=draft, upload=_pdf())


class TestAttachmentRemove:
    def test_removes_a_resource_file_and_deletes_it_after_commit(
        self, secretariat, resource, resource_file, django_capture_on_commit_callbacks
    ):
        """The row goes at once, the audit record keeps what the file was, and the stored file
        is deleted only when the transaction commits."""
        name = resource_file.file.name
        assert default_storage.exists(name)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.attachment_remove(actor=secretariat, attachment=resource_file)
            assert not Attachment.objects.exists()
            assert default_storage.exists(name)  # not before the commit
        record = AuditRecord.objects.get(action="network.attachment.delete")
        assert record.before["name"] == "guide.pdf"
        assert record.before["resource"] == resource.pk
        assert record.before["practice"] is None
        assert record.before["file"] == name
        assert record.before["size"] == len(b"%PDF-1.7 content")
        assert record.after in (None, {})
        for callback in callbacks:
            callback()
        assert not default_storage.exists(name)

    def test_a_rollback_keeps_the_stored_file(
        self, secretariat, resource_file, django_capture_on_commit_callbacks
    ):
        """If the surrounding transaction rolls back, the row and the file both stay."""
        name = resource_file.file.name

        def remove_then_fail():
            with transaction.atomic():
                services.attachment_remove(actor=secretariat, attachment=resource_file)
                raise RuntimeError("roll back")

        with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
            remove_then_fail()
        assert Attachment.objects.filter(pk=resource_file.pk).exists()
        assert default_storage.exists(name)

    def test_the_submitter_removes_a_file_of_her_draft(
        self, submitter, draft, practice_file, django_capture_on_commit_callbacks
    ):
        name = practice_file.file.name
        with django_capture_on_commit_callbacks(execute=True):
            services.attachment_remove(actor=submitter, attachment=practice_file)
        assert not draft.attachments.exists()
        assert AuditRecord.objects.get(action="network.attachment.delete").before["practice"] == (
            draft.pk
        )
        assert not default_storage.exists(name)

    def test_those_who_may_not_edit_are_refused(
        self, submitter, outsider, secretariat, draft, practice_file, resource_file
    ):
        """Someone else's practice, a submitted practice (for its submitter) and a library
        resource (for anyone but the Secretariat) are refused; nothing is removed."""
        with pytest.raises(PermissionDeniedError):
            services.attachment_remove(actor=outsider, attachment=practice_file)
        with pytest.raises(PermissionDeniedError):
            services.attachment_remove(actor=submitter, attachment=resource_file)
        services.practice_submit(actor=submitter, practice=draft)
        practice_file.refresh_from_db()
        with pytest.raises(PermissionDeniedError):
            services.attachment_remove(actor=submitter, attachment=practice_file)
        assert Attachment.objects.count() == 2
        assert default_storage.exists(practice_file.file.name)
        assert not AuditRecord.objects.filter(action="network.attachment.delete").exists()

    def test_removing_twice_is_a_clear_not_found(self, secretariat, resource_file):
        stale = Attachment.objects.get(pk=resource_file.pk)
        services.attachment_remove(actor=secretariat, attachment=resource_file)
        with pytest.raises(NotFoundError, match="This record has already been removed."):
            services.attachment_remove(actor=secretariat, attachment=stale)
        assert AuditRecord.objects.filter(action="network.attachment.delete").count() == 1

    def test_bad_input_changes_nothing(self, secretariat, resource, resource_file):
        """Something that is not an attachment is refused naming the field."""
        with pytest.raises(ApplicationError, match="Choose the file to remove.") as raised:
            services.attachment_remove(actor=secretariat, attachment=resource)
        assert raised.value.extra == {"field": "attachment"}
        with pytest.raises(ApplicationError):
            services.attachment_remove(actor=secretariat, attachment=None)
        assert Attachment.objects.filter(pk=resource_file.pk).exists()
        assert not AuditRecord.objects.filter(action="network.attachment.delete").exists()


@pytest.fixture
def champion(secretariat):
    return services.champion_country_add(
        actor=secretariat, country=factories.CountryFactory(iso2="KE", name="Kenya")
    )


class TestChampionCountryRemove:
    def test_removes_and_audits_what_it_was(self, secretariat, champion):
        country = champion.country
        services.champion_country_remove(actor=secretariat, champion=champion)
        assert not ChampionCountry.objects.exists()
        record = AuditRecord.objects.get(action="network.champion.delete")
        assert record.before["country"] == country.pk
        assert record.before["is_illustrative"] is False

    def test_someone_else_is_refused(self, submitter, champion):
        with pytest.raises(PermissionDeniedError):
            services.champion_country_remove(actor=submitter, champion=champion)
        assert ChampionCountry.objects.filter(pk=champion.pk).exists()
        assert not AuditRecord.objects.filter(action="network.champion.delete").exists()

    def test_removing_twice_is_a_clear_not_found(self, secretariat, champion):
        stale = ChampionCountry.objects.get(pk=champion.pk)
        services.champion_country_remove(actor=secretariat, champion=champion)
        with pytest.raises(NotFoundError, match="This record has already been removed."):
            services.champion_country_remove(actor=secretariat, champion=stale)

    def test_a_pilot_country_is_kept(self, secretariat, champion):
        """A country named as a deliverable's pilot country (or that gave feedback) is refused
        with a conflict naming the deliverable; nothing changes."""
        deliverable = Deliverable.objects.create(
            working_group=factories.WorkingGroupFactory(), title="Guidance on returns"
        )
        deliverable.pilot_countries.add(champion)
        with pytest.raises(ConflictError, match="Guidance on returns") as raised:
            services.champion_country_remove(actor=secretariat, champion=champion)
        assert raised.value.extra == {"deliverables": [deliverable.pk]}
        assert ChampionCountry.objects.filter(pk=champion.pk).exists()
        assert deliverable.pilot_countries.count() == 1
        assert not AuditRecord.objects.filter(action="network.champion.delete").exists()


@pytest.fixture
def member(secretariat, un_entity):
    return services.network_member_upsert(
        actor=secretariat, organisation=un_entity, is_executive_committee=True, source="ToR 2019"
    )


class TestNetworkMemberRemove:
    def test_removes_and_audits_what_its_record_said(self, secretariat, member, un_entity):
        services.network_member_remove(actor=secretariat, member=member)
        assert not NetworkMember.objects.exists()
        record = AuditRecord.objects.get(action="network.member.delete")
        assert record.before["organisation"] == un_entity.pk
        assert record.before["is_executive_committee"] is True
        assert record.before["source"] == "ToR 2019"
        assert Organisation.objects.filter(pk=un_entity.pk).exists()  # the entity stays

    def test_someone_else_is_refused(self, submitter, member):
        with pytest.raises(PermissionDeniedError):
            services.network_member_remove(actor=submitter, member=member)
        assert NetworkMember.objects.filter(pk=member.pk).exists()
        assert not AuditRecord.objects.filter(action="network.member.delete").exists()

    def test_removing_twice_is_a_clear_not_found(self, secretariat, member):
        stale = NetworkMember.objects.get(pk=member.pk)
        services.network_member_remove(actor=secretariat, member=member)
        with pytest.raises(NotFoundError, match="This record has already been removed."):
            services.network_member_remove(actor=secretariat, member=stale)

    def test_the_coordinator_is_kept(self, secretariat, un_entity):
        """The Coordinator and the host of the Secretariat are refused with a conflict; nothing
        changes until their record says otherwise."""
        member = services.network_member_upsert(
            actor=secretariat, organisation=un_entity, is_coordinator=True, hosts_secretariat=True
        )
        with pytest.raises(ConflictError, match="is the Coordinator or the host") as raised:
            services.network_member_remove(actor=secretariat, member=member)
        assert raised.value.extra == {"is_coordinator": True, "hosts_secretariat": True}
        assert NetworkMember.objects.filter(pk=member.pk).exists()
        services.network_member_upsert(actor=secretariat, organisation=un_entity)
        services.network_member_remove(actor=secretariat, member=member)
        assert not NetworkMember.objects.exists()


class TestReferenceReload:
    def test_a_removed_member_or_champion_is_not_added_back_and_the_load_says_so(self, secretariat):
        """``compacts reference`` adds the confirmed members and champion countries; after the
        Secretariat removes one, a reload leaves it out and names it; the rest is untouched."""
        for short_name in ("ILO", "UNODC"):
            Organisation.objects.create(
                name=short_name, short_name=short_name, category=StakeholderCategory.UN_ENTITY
            )
        kenya = factories.CountryFactory(iso2="KE", name="Kenya")
        factories.CountryFactory(iso2="EG", name="Egypt")
        reference.load_structure(stdout=io.StringIO())
        assert NetworkMember.objects.count() == 2
        assert ChampionCountry.objects.count() == 2
        unodc = NetworkMember.objects.get(organisation__short_name="UNODC")
        services.network_member_remove(actor=secretariat, member=unodc)
        services.champion_country_remove(
            actor=secretariat, champion=ChampionCountry.objects.get(country=kenya)
        )
        out = io.StringIO()
        reference.load_structure(stdout=out)
        text = out.getvalue()
        assert "UNODC is not added back to the members: removed by secretariat" in text
        assert "KE is not added back to the champion countries: removed by secretariat" in text
        assert list(NetworkMember.objects.values_list("organisation__short_name", flat=True)) == [
            "ILO"
        ]
        assert list(ChampionCountry.objects.values_list("country__iso2", flat=True)) == ["EG"]
        # Added again by the Secretariat, it stays, and the reload is quiet about it.
        services.network_member_upsert(actor=secretariat, organisation=unodc.organisation)
        again = io.StringIO()
        reference.load_structure(stdout=again)
        assert "UNODC" not in again.getvalue()
        assert NetworkMember.objects.count() == 2
