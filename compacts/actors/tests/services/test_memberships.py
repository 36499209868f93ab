"""membership_grant and membership_revoke."""

import datetime

import pytest
from django.utils import timezone

from compacts.actors import roles
from compacts.actors.models import Membership
from compacts.actors.selectors import user_has_role
from compacts.actors.services import MEMBERSHIP_EXISTS, membership_grant, membership_revoke
from compacts.actors.testing import role_get_or_create, superuser, user_with_role, user_without_role
from compacts.actors.tests.factories import OrganisationFactory
from compacts.core.exceptions import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
)
from compacts.core.models import AuditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="IOM")


@pytest.fixture
def person():
    return user_without_role(username="amina")


@pytest.fixture(autouse=True)
def _roles():
    for code in roles.ROLE_CODES:
        role_get_or_create(code)


class MembershipGrantTests:
    def test_grants_by_role_code_and_audits(self, organisation, person):
        mu = user_with_role(roles.MANAGEMENT_UNIT_OFFICER)
        membership = membership_grant(
            actor=mu, user=person, organisation=organisation, role=roles.PUNO_FOCAL_POINT
        )
        assert user_has_role(person, roles.PUNO_FOCAL_POINT, organisation=organisation)
        record = AuditRecord.objects.get(action="actors.membership.grant")
        assert record.actor == mu
        assert record.object_id == str(membership.pk)
        assert record.after["user"] == person.pk

    def test_dates_bound_the_role(self, organisation, person):
        today = timezone.localdate()
        membership_grant(
            actor=superuser(),
            user=person,
            organisation=organisation,
            role=roles.DONOR,
            starts_on=today + datetime.timedelta(days=1),
        )
        assert not user_has_role(person, roles.DONOR)

    def test_regrant_with_new_dates_changes_the_period(self, organisation, person):
        admin = superuser()
        first = membership_grant(
            actor=admin, user=person, organisation=organisation, role=roles.DONOR
        )
        ends = datetime.date(2030, 12, 31)
        second = membership_grant(
            actor=admin, user=person, organisation=organisation, role=roles.DONOR, ends_on=ends
        )
        assert first.pk == second.pk
        assert Membership.objects.get().ends_on == ends
        record = AuditRecord.objects.filter(action="actors.membership.grant").last()
        assert record.before == {"starts_on": None, "ends_on": None}

    def test_the_same_grant_twice_is_a_conflict(self, organisation, person):
        admin = superuser()
        membership_grant(actor=admin, user=person, organisation=organisation, role=roles.DONOR)
        with pytest.raises(ConflictError) as caught:
            membership_grant(actor=admin, user=person, organisation=organisation, role=roles.DONOR)
        assert caught.value.message == str(MEMBERSHIP_EXISTS) % {
            "user": person,
            "organisation": organisation,
        }

    def test_end_before_start_is_refused(self, organisation, person):
        with pytest.raises(ApplicationError) as caught:
            membership_grant(
                actor=superuser(),
                user=person,
                organisation=organisation,
                role=roles.DONOR,
                starts_on=datetime.date(2026, 5, 1),
                ends_on=datetime.date(2026, 4, 30),
            )
        assert "ends_on" in caught.value.extra["fields"]
        assert not Membership.objects.exists()

    def test_unknown_role_is_not_found(self, organisation, person):
        with pytest.raises(NotFoundError):
            membership_grant(actor=superuser(), user=person, organisation=organisation, role="king")
        assert not Membership.objects.exists()

    def test_deactivated_account_is_refused(self, organisation, person):
        person.is_active = False
        person.save()
        with pytest.raises(ApplicationError):
            membership_grant(
                actor=superuser(), user=person, organisation=organisation, role=roles.DONOR
            )

    def test_a_member_may_not_grant_roles_in_her_own_organisation(self, organisation, person):
        focal_point = user_with_role(roles.GOVERNMENT_FOCAL_POINT, organisation)
        with pytest.raises(PermissionDeniedError):
            membership_grant(
                actor=focal_point, user=person, organisation=organisation, role=roles.DONOR
            )
        assert not Membership.objects.filter(user=person).exists()
        assert not AuditRecord.objects.exists()


class MembershipRevokeTests:
    def test_revokes_now_and_keeps_the_history_in_the_audit_trail(self, organisation, person):
        admin = superuser()
        membership = membership_grant(
            actor=admin, user=person, organisation=organisation, role=roles.DONOR
        )
        membership_revoke(actor=admin, membership=membership)
        assert not user_has_role(person, roles.DONOR)
        record = AuditRecord.objects.get(action="actors.membership.revoke")
        assert record.before["user"] == person.pk
        assert record.object_id == str(membership.pk)

    def test_revoking_twice_is_not_found(self, organisation, person):
        admin = superuser()
        membership = membership_grant(
            actor=admin, user=person, organisation=organisation, role=roles.DONOR
        )
        membership_revoke(actor=admin, membership=membership)
        with pytest.raises(NotFoundError):
            membership_revoke(actor=admin, membership=membership)

    def test_refused_for_others(self, organisation, person):
        membership = membership_grant(
            actor=superuser(), user=person, organisation=organisation, role=roles.DONOR
        )
        with pytest.raises(PermissionDeniedError):
            membership_revoke(
                actor=user_with_role(roles.DONOR, organisation), membership=membership
            )
        assert Membership.objects.filter(pk=membership.pk).exists()
