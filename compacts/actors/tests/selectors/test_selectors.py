"""Role checks and organisation lists."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from compacts.actors import roles
from compacts.actors.models import Membership
from compacts.actors.selectors import (
    membership_is_current,
    organisation_countries,
    organisation_list,
    user_has_role,
    user_is_coordinator,
    user_organisation_ids,
)
from compacts.actors.testing import role_get_or_create, superuser, user_with_role, user_without_role
from compacts.actors.tests.factories import CountryFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


class UserHasRoleTests:
    def test_current_role_in_any_or_the_given_organisation(self):
        home, other = OrganisationFactory(), OrganisationFactory()
        user = user_with_role(roles.PUNO_FOCAL_POINT, home)
        assert user_has_role(user, roles.PUNO_FOCAL_POINT)
        assert user_has_role(user, roles.PUNO_FOCAL_POINT, organisation=home)
        assert user_has_role(user, roles.PUNO_FOCAL_POINT, organisation=home.pk)
        assert not user_has_role(user, roles.PUNO_FOCAL_POINT, organisation=other)
        assert not user_has_role(user, roles.DONOR)

    def test_dates_are_inclusive(self):
        today = timezone.localdate()
        day = datetime.timedelta(days=1)
        user = user_without_role()
        organisation = OrganisationFactory()
        membership = Membership.objects.create(
            user=user,
            organisation=organisation,
            role=role_get_or_create(roles.DONOR),
            starts_on=today,
            ends_on=today,
        )
        assert user_has_role(user, roles.DONOR)
        assert membership_is_current(membership)
        membership.ends_on = today - day
        membership.starts_on = today - day * 3
        membership.save()
        assert not user_has_role(user, roles.DONOR)
        assert not membership_is_current(membership)
        membership.starts_on, membership.ends_on = today + day, None
        membership.save()
        assert not user_has_role(user, roles.DONOR)
        assert user_organisation_ids(user) == set()

    def test_anonymous_and_deactivated_users_hold_nothing(self):
        user = user_with_role(roles.DONOR)
        assert not user_has_role(AnonymousUser(), roles.DONOR)
        assert not user_has_role(None, roles.DONOR)
        assert user_organisation_ids(AnonymousUser()) == set()
        user.is_active = False
        user.save()
        assert not user_has_role(user, roles.DONOR)

    def test_organisation_ids_by_role(self):
        first, second = OrganisationFactory(), OrganisationFactory()
        user = user_with_role(roles.DONOR, first)
        Membership.objects.create(
            user=user, organisation=second, role=role_get_or_create(roles.STAKEHOLDER_CONTRIBUTOR)
        )
        assert user_organisation_ids(user) == {first.pk, second.pk}
        assert user_organisation_ids(user, role_codes=[roles.DONOR]) == {first.pk}


class UserIsCoordinatorTests:
    def test_superusers_and_coordinators_only(self):
        assert user_is_coordinator(superuser())
        assert user_is_coordinator(user_with_role(roles.MANAGEMENT_UNIT_OFFICER))
        assert user_is_coordinator(user_with_role(roles.NETWORK_SECRETARIAT))
        assert not user_is_coordinator(user_with_role(roles.STEERING_COMMITTEE_CHAIR))
        assert not user_is_coordinator(user_without_role())
        assert not user_is_coordinator(AnonymousUser())


class OrganisationListTests:
    def test_filters_combine(self):
        ecuador = CountryFactory(iso2="EC", m49="218", name="Ecuador")
        kenya = CountryFactory(iso2="KE", m49="404", name="Kenya")
        a = OrganisationFactory(name="Alpha Rights", category="civil-society", country=ecuador)
        b = OrganisationFactory(name="Beta Rights", category="civil-society", country=kenya)
        c = OrganisationFactory(
            name="Gamma Ministry",
            category="member-state",
            country=ecuador,
            iati_identifier="XM-DAC-1-8",
        )
        assert list(organisation_list()) == [a, b, c]
        assert list(organisation_list(category="civil-society")) == [a, b]
        assert list(organisation_list(country="ec")) == [a, c]
        assert list(organisation_list(country="218")) == [a, c]
        assert list(organisation_list(country="EC", category="civil-society")) == [a]
        assert list(organisation_list(search="rights")) == [a, b]
        assert list(organisation_list(search="XM-DAC-1")) == [c]
        assert list(organisation_list(country="ZZ")) == []
        assert list(organisation_countries()) == [ecuador, kenya]
