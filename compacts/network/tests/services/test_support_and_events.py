"""The life of a support request, events and registrations, deliverables, country networks."""

import datetime

import pytest
from django.utils import timezone

from compacts.actors import roles
from compacts.actors.testing import organisation_for_tests, user_with_role
from compacts.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from compacts.network import services
from compacts.network.models import Registration, StateChange, WorkingGroupMember
from compacts.network.tests import factories

pytestmark = pytest.mark.django_db


class TestSupportRequest:
    def test_full_life(self, secretariat, un_entity):
        """received -> matched (partners, similar practices) -> supported -> closed, with the
        concept note that followed."""
        country = factories.CountryFactory(iso2="ZM", name="Zambia")
        government = user_with_role(roles.GOVERNMENT_FOCAL_POINT)
        similar = factories.PracticeFactory(state="published")
        request = services.support_request_create(
            actor=government,
            title="Drafting a GCM implementation plan",
            country=country,
            description="Help to draft a national plan.",
        )
        assert request.state == "received"
        with pytest.raises(ApplicationError, match="at least one implementing partner"):
            services.support_request_match(actor=secretariat, request=request, partner_ids=[])
        services.support_request_match(
            actor=secretariat,
            request=request,
            partner_ids=[un_entity.pk],
            practice_ids=[similar.pk],
        )
        with pytest.raises(ApplicationError, match="Describe the support"):
            services.support_request_transition(request=request, to="supported", actor=secretariat)
        services.support_request_support(
            actor=secretariat, request=request, summary="Two workshops with the ministry."
        )
        services.support_request_link_concept_note(
            actor=secretariat, request=request, reference="MIG-CN-0042"
        )
        services.support_request_transition(
            request=request, to="closed", actor=secretariat, note="Plan adopted."
        )
        request.refresh_from_db()
        assert request.state == "closed"
        assert request.outcome == "Plan adopted."
        assert request.concept_note_reference == "MIG-CN-0042"
        assert list(request.partners.all()) == [un_entity]
        assert list(request.similar_practices.all()) == [similar]
        assert (
            StateChange.objects.filter(object_id=request.pk, machine="support_request").count() == 3
        )

    def test_only_the_secretariat_moves_requests(self, un_entity):
        government = user_with_role(roles.GOVERNMENT_FOCAL_POINT)
        request = factories.SupportRequestFactory(submitted_by=government)
        with pytest.raises(PermissionDeniedError):
            services.support_request_match(
                actor=government, request=request, partner_ids=[un_entity.pk]
            )
        request.refresh_from_db()
        assert request.state == "received"
        assert not request.partners.exists()

    def test_a_stakeholder_cannot_file_a_request(self, submitter):
        with pytest.raises(PermissionDeniedError):
            services.support_request_create(
                actor=submitter, title="x", country=factories.CountryFactory(), description="y"
            )


class TestRegistration:
    def test_register_confirm_attend(self, submitter, secretariat):
        event = factories.EventFactory()
        registration = services.registration_create(actor=submitter, event=event)
        services.registration_transition(
            registration=registration, to="confirmed", actor=secretariat
        )
        services.registration_transition(
            registration=registration, to="attended", actor=secretariat
        )
        registration.refresh_from_db()
        assert registration.state == "attended"

    def test_after_the_deadline(self, submitter):
        event = factories.EventFactory(
            registration_deadline=timezone.now() - datetime.timedelta(minutes=1)
        )
        with pytest.raises(ConflictError, match="deadline"):
            services.registration_create(actor=submitter, event=event)
        assert not Registration.objects.exists()

    def test_beyond_capacity(self, submitter, outsider):
        event = factories.EventFactory(capacity=1)
        services.registration_create(actor=outsider, event=event)
        with pytest.raises(ConflictError, match="full"):
            services.registration_create(actor=submitter, event=event)
        assert Registration.objects.count() == 1

    def test_a_cancelled_place_is_freed(self, submitter, outsider):
        event = factories.EventFactory(capacity=1)
        first = services.registration_create(actor=outsider, event=event)
        services.registration_transition(registration=first, to="cancelled", actor=outsider)
        services.registration_create(actor=submitter, event=event)
        assert Registration.objects.filter(state="registered").count() == 1

    def test_twice(self, submitter):
        event = factories.EventFactory()
        services.registration_create(actor=submitter, event=event)
        with pytest.raises(ConflictError, match="already registered"):
            services.registration_create(actor=submitter, event=event)

    def test_not_open(self, submitter):
        with pytest.raises(ConflictError, match="closed"):
            services.registration_create(
                actor=submitter, event=factories.EventFactory(state="planned")
            )

    def test_someone_else_cannot_cancel(self, submitter, outsider):
        registration = services.registration_create(actor=submitter, event=factories.EventFactory())
        with pytest.raises(PermissionDeniedError):
            services.registration_transition(
                registration=registration, to="cancelled", actor=outsider
            )


class TestWorkingGroupsAndDeliverables:
    def test_a_co_lead_runs_her_groups_deliverable(self, secretariat):
        organisation = organisation_for_tests(name="WHO (test)")
        co_lead = user_with_role(roles.WORKING_GROUP_CO_LEAD, organisation)
        group = services.working_group_create(
            actor=secretariat, code="6", name="Access to services", kind="thematic"
        )
        services.working_group_member_set(
            actor=secretariat, working_group=group, organisation=organisation, role="co-lead"
        )
        champion = services.champion_country_add(
            actor=secretariat, country=factories.CountryFactory(iso2="EG", name="Egypt")
        )
        tool = services.deliverable_create(actor=co_lead, working_group=group, title="Toolkit")
        with pytest.raises(ApplicationError, match="champion countries"):
            services.deliverable_transition(deliverable=tool, to="pilot-testing", actor=co_lead)
        services.deliverable_pilot_countries_set(
            actor=co_lead, deliverable=tool, champion_ids=[champion.pk]
        )
        services.deliverable_transition(deliverable=tool, to="pilot-testing", actor=co_lead)
        with pytest.raises(ApplicationError, match="pilot feedback"):
            services.deliverable_transition(deliverable=tool, to="published", actor=co_lead)
        services.pilot_feedback_add(
            actor=co_lead, deliverable=tool, champion=champion, feedback="Shorter modules."
        )
        services.deliverable_transition(deliverable=tool, to="published", actor=co_lead)
        tool.refresh_from_db()
        assert tool.state == "published"
        assert tool.pilot_feedback.get().feedback == "Shorter modules."

    def test_another_groups_co_lead_is_refused(self, secretariat):
        group = factories.WorkingGroupFactory()
        stranger = user_with_role(roles.WORKING_GROUP_CO_LEAD)
        with pytest.raises(PermissionDeniedError):
            services.deliverable_create(actor=stranger, working_group=group, title="x")

    def test_activity_statuses(self, secretariat):
        group = factories.WorkingGroupFactory()
        activity = services.activity_create(actor=secretariat, working_group=group, title="Mapping")
        services.activity_transition(activity=activity, to="ongoing", actor=secretariat)
        services.activity_transition(activity=activity, to="completed", actor=secretariat)
        with pytest.raises(ConflictError):
            services.activity_transition(activity=activity, to="ongoing", actor=secretariat)


class TestCountryNetwork:
    def test_established_with_what_it_did(self, secretariat, un_entity):
        network = services.country_network_create(
            actor=secretariat,
            kind="country",
            name="UN Network on Migration in Zambia",
            country=factories.CountryFactory(iso2="ZM", name="Zambia"),
            member_organisation_ids=[un_entity.pk],
        )
        with pytest.raises(ApplicationError, match="date"):
            services.country_network_transition(
                network=network, to="established", actor=secretariat
            )
        network.established_on = datetime.date(2021, 2, 1)
        network.save(update_fields=["established_on"])
        services.country_network_transition(network=network, to="established", actor=secretariat)
        services.achievement_record(
            actor=secretariat,
            network=network,
            kind="training",
            title="Training of officials",
            happened_on=datetime.date(2021, 6, 1),
            people_trained=40,
        )
        assert network.achievements.get().people_trained == 40

    def test_one_network_per_country(self, secretariat):
        country = factories.CountryFactory()
        services.country_network_create(
            actor=secretariat, kind="country", name="A", country=country
        )
        with pytest.raises(ConflictError):
            services.country_network_create(
                actor=secretariat, kind="country", name="B", country=country
            )

    def test_focal_point_moves_her_networks_activities(self, secretariat, outsider):
        network = factories.CountryNetworkFactory()
        services.focal_point_add(
            actor=secretariat,
            network=network,
            organisation=organisation_for_tests(),
            name="Focal point",
            user=outsider,
        )
        activity = services.activity_create(
            actor=outsider, country_network=network, title="Workshop"
        )
        services.activity_transition(activity=activity, to="ongoing", actor=outsider)
        assert WorkingGroupMember.objects.count() == 0
