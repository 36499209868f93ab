"""organisation_create, organisation_update and member_state_for_country."""

import pytest

from compacts.actors import roles
from compacts.actors.models import Organisation, StakeholderCategory
from compacts.actors.services import (
    IDENTIFIER_TAKEN,
    MEMBER_STATE_EXISTS,
    ORGANISATION_INVALID,
    member_state_for_country,
    organisation_create,
    organisation_update,
)
from compacts.actors.testing import superuser, user_with_role, user_without_role
from compacts.actors.tests.factories import CountryFactory, OrganisationFactory
from compacts.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from compacts.core.models import AuditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return superuser()


def _create(actor, **overrides):
    values = {"name": "International Organization for Migration", "category": "un-entity"}
    return organisation_create(actor=actor, **{**values, **overrides})


class OrganisationCreateTests:
    def test_creates_and_audits(self, admin):
        """A valid organisation is saved with every field, and one audit record says so."""
        country = CountryFactory(iso2="CH", name="Switzerland")
        organisation = _create(
            admin,
            short_name=" IOM ",
            names={"fr": "Organisation internationale pour les migrations"},
            iati_type="40",
            iati_identifier="XM-DAC-47066",
            country=country,
            website="https://www.iom.int/",
        )
        organisation.refresh_from_db()
        assert organisation.short_name == "IOM"
        assert organisation.iati_identifier == "XM-DAC-47066"
        assert organisation.country == country
        record = AuditRecord.objects.get(action="actors.organisation.create")
        assert record.actor == admin
        assert record.object_id == str(organisation.pk)
        assert record.after["iati_identifier"] == "XM-DAC-47066"
        assert record.after["country"] == country.pk

    @pytest.mark.parametrize("role", [roles.MANAGEMENT_UNIT_OFFICER, roles.NETWORK_SECRETARIAT])
    def test_coordinators_may_create(self, role):
        organisation = _create(user_with_role(role))
        assert Organisation.objects.filter(pk=organisation.pk).exists()

    @pytest.mark.parametrize("role", [roles.PUNO_FOCAL_POINT, roles.DONOR, None])
    def test_others_are_refused_and_nothing_is_written(self, role):
        actor = user_with_role(role) if role else user_without_role()
        before = Organisation.objects.count()
        with pytest.raises(PermissionDeniedError):
            _create(actor)
        assert Organisation.objects.count() == before
        assert not AuditRecord.objects.filter(action="actors.organisation.create").exists()

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("name", "   "),
            ("name", "x" * 301),
            ("short_name", "x" * 51),
            ("category", "government"),
            ("iati_type", "99"),
            ("iati_identifier", "XM-DAC"),
            ("iati_identifier", "ZZ-NOPE-123"),
            ("iati_identifier", "XM-DAC-47066/1"),
            ("iati_identifier", "XM-DAC-47 066"),
            ("names", {"xx": "Unknown language"}),
            ("names", {"fr": ""}),
            ("website", "www.iom.int"),
        ],
    )
    def test_invalid_values_are_named_and_nothing_is_written(self, admin, field, value):
        """Each invalid field is named in the error's extra; no row and no audit record."""
        with pytest.raises(ApplicationError) as caught:
            _create(admin, **{field: value})
        assert caught.value.message == str(ORGANISATION_INVALID)
        assert field in caught.value.extra["fields"]
        assert not Organisation.objects.exists()
        assert not AuditRecord.objects.exists()

    def test_all_problems_are_reported_at_once(self, admin):
        with pytest.raises(ApplicationError) as caught:
            _create(admin, name="", category="nope", iati_type="1")
        assert set(caught.value.extra["fields"]) == {"name", "category", "iati_type"}

    def test_identifier_messages_say_what_is_wrong(self, admin):
        with pytest.raises(ApplicationError) as caught:
            _create(admin, iati_identifier="ZZ-NOPE-123")
        assert "ZZ-NOPE is not an IATI organisation registration agency" in str(
            caught.value.extra["fields"]["iati_identifier"]
        )

    def test_withdrawn_registration_agency_is_refused(self, admin):
        with pytest.raises(ApplicationError) as caught:
            _create(admin, iati_identifier="XM-EXAMPLE-1")
        assert "iati_identifier" in caught.value.extra["fields"]

    def test_duplicate_identifier_is_a_conflict(self, admin):
        _create(admin, iati_identifier="XM-DAC-47066")
        with pytest.raises(ConflictError) as caught:
            _create(admin, name="Another", iati_identifier="XM-DAC-47066")
        assert caught.value.message == str(IDENTIFIER_TAKEN) % {"identifier": "XM-DAC-47066"}
        assert Organisation.objects.count() == 1

    def test_member_state_needs_an_m49_country(self, admin):
        with pytest.raises(ApplicationError) as caught:
            _create(admin, name="Ecuador", category=StakeholderCategory.MEMBER_STATE)
        assert "country" in caught.value.extra["fields"]
        kosovo = CountryFactory(iso2="XK", m49=None, in_m49=False, name="Kosovo")
        with pytest.raises(ApplicationError):
            _create(admin, name="Kosovo", category="member-state", country=kosovo)

    def test_one_member_state_per_country(self, admin):
        ecuador = CountryFactory(iso2="EC", name="Ecuador")
        _create(admin, name="Ecuador", category="member-state", country=ecuador)
        with pytest.raises(ConflictError) as caught:
            _create(admin, name="Republic of Ecuador", category="member-state", country=ecuador)
        assert caught.value.message == str(MEMBER_STATE_EXISTS) % {"country": ecuador}
        # Illustrative rows are not Member States of record: they do not clash.
        _create(
            admin,
            name="Illustrative",
            category="member-state",
            country=ecuador,
            is_illustrative=True,
        )


class OrganisationUpdateTests:
    def test_changes_only_the_given_fields_and_audits_before_and_after(self, admin):
        organisation = OrganisationFactory(name="Old name", short_name="OLD")
        updated = organisation_update(
            actor=admin, organisation=organisation, name="New name", iati_identifier="XM-DAC-41114"
        )
        assert (updated.name, updated.short_name, updated.iati_identifier) == (
            "New name",
            "OLD",
            "XM-DAC-41114",
        )
        record = AuditRecord.objects.get(action="actors.organisation.update")
        assert record.before == {"name": "Old name", "iati_identifier": ""}
        assert record.after == {"name": "New name", "iati_identifier": "XM-DAC-41114"}

    def test_no_change_writes_nothing(self, admin):
        organisation = OrganisationFactory(name="Same")
        organisation_update(actor=admin, organisation=organisation, name="Same")
        assert not AuditRecord.objects.exists()

    def test_unknown_fields_are_refused(self, admin):
        organisation = OrganisationFactory()
        with pytest.raises(ApplicationError) as caught:
            organisation_update(actor=admin, organisation=organisation, pk=5)
        assert "pk" in caught.value.extra["fields"]

    def test_invalid_update_changes_nothing(self, admin):
        organisation = OrganisationFactory(name="Kept", iati_type="21")
        with pytest.raises(ApplicationError):
            organisation_update(actor=admin, organisation=organisation, name="Lost", iati_type="7")
        organisation.refresh_from_db()
        assert (organisation.name, organisation.iati_type) == ("Kept", "21")
        assert not AuditRecord.objects.exists()

    def test_taking_another_organisations_identifier_is_a_conflict(self, admin):
        OrganisationFactory(iati_identifier="XM-DAC-47066")
        organisation = OrganisationFactory()
        with pytest.raises(ConflictError):
            organisation_update(
                actor=admin, organisation=organisation, iati_identifier="XM-DAC-47066"
            )

    def test_keeping_its_own_identifier_is_fine(self, admin):
        organisation = OrganisationFactory(iati_identifier="XM-DAC-47066")
        organisation_update(
            actor=admin, organisation=organisation, iati_identifier="XM-DAC-47066", name="IOM"
        )
        organisation.refresh_from_db()
        assert organisation.name == "IOM"

    def test_focal_point_may_not_update_even_her_own_organisation(self):
        organisation = OrganisationFactory(name="Kept")
        focal_point = user_with_role(roles.PUNO_FOCAL_POINT, organisation)
        with pytest.raises(PermissionDeniedError):
            organisation_update(actor=focal_point, organisation=organisation, name="Changed")
        organisation.refresh_from_db()
        assert organisation.name == "Kept"


class MemberStateForCountryTests:
    def test_created_once_with_the_countrys_names(self):
        country = CountryFactory(
            iso2="EC", name="Ecuador", names={"fr": "Équateur", "es": "Ecuador"}
        )
        first = member_state_for_country(country=country)
        second = member_state_for_country(country=country)
        assert first.pk == second.pk
        assert (first.name, first.category, first.iati_type) == ("Ecuador", "member-state", "10")
        assert first.names["fr"] == "Équateur"
        assert AuditRecord.objects.filter(action="actors.organisation.create").count() == 1
        assert AuditRecord.objects.get().actor_label == "system"

    def test_refuses_an_area_outside_m49(self):
        kosovo = CountryFactory(iso2="XK", m49=None, in_m49=False, name="Kosovo")
        with pytest.raises(ApplicationError):
            member_state_for_country(country=kosovo)
        assert not Organisation.objects.exists()

    def test_ignores_an_illustrative_member_state_of_the_same_country(self, admin):
        country = CountryFactory(iso2="EC", name="Ecuador")
        illustrative = _create(
            admin,
            name="Illustrative",
            category="member-state",
            country=country,
            is_illustrative=True,
        )
        assert member_state_for_country(country=country).pk != illustrative.pk
