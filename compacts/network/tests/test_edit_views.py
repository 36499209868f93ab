"""The edit pages of working groups, events, calls and the library: permission checks, clear
errors with everything typed kept, and the change made (and audited) on success."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from compacts.actors import roles
from compacts.actors.testing import organisation_for_tests, user_with_role
from compacts.core.models import AuditRecord
from compacts.network import services
from compacts.network.models import CallForPractices, Event, Registration, Resource
from compacts.network.tests import factories

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def group(secretariat):
    group = factories.WorkingGroupFactory(code="6", name="Access to services")
    return group


@pytest.fixture
def co_lead(secretariat, group):
    organisation = organisation_for_tests(name="Co-leading entity")
    services.working_group_member_set(
        actor=secretariat, working_group=group, organisation=organisation, role="co-lead"
    )
    return user_with_role(roles.WORKING_GROUP_CO_LEAD, organisation)


def _when(days: int, hours: int = 0) -> str:
    moment = timezone.localtime() + datetime.timedelta(days=days, hours=hours)
    return moment.strftime("%Y-%m-%dT%H:%M")


class TestPermissions:
    def test_the_public_is_sent_to_sign_in_and_others_are_refused(self, group, outsider):
        call = factories.CallFactory()
        event = factories.EventFactory(working_group=group)
        resource = Resource.objects.create(
            title="R", resource_type=factories.TermFactory(vocabulary="resource-type", code="g")
        )
        urls = [
            reverse("network:working-group-manage", args=[group.code]),
            reverse("network:event-new"),
            reverse("network:event-edit", args=[event.pk]),
            reverse("network:event-manage", args=[event.pk]),
            reverse("network:call-new"),
            reverse("network:call-edit", args=[call.pk]),
            reverse("network:resource-new"),
            reverse("network:resource-edit", args=[resource.pk]),
        ]
        for url in urls:
            assert _client().get(url).status_code == 302, url
            assert _client(outsider).get(url).status_code == 403, url
        response = _client(outsider).post(
            reverse("network:call-move", args=[call.pk]), {"to": "closed"}
        )
        call.refresh_from_db()
        assert call.state == "announced"
        assert response.status_code == 302

    def test_the_secretariat_sees_every_edit_page(self, secretariat, group):
        call = factories.CallFactory()
        event = factories.EventFactory(working_group=group)
        client = _client(secretariat)
        for url in [
            reverse("network:working-group-manage", args=[group.code]),
            reverse("network:event-new"),
            reverse("network:event-edit", args=[event.pk]),
            reverse("network:event-manage", args=[event.pk]),
            reverse("network:call-new"),
            reverse("network:call-edit", args=[call.pk]),
            reverse("network:resource-new"),
        ]:
            assert client.get(url).status_code == 200, url
        assert (
            b"Manage the working group"
            in client.get(reverse("network:working-group", args=[group.code])).content
        )


class TestWorkingGroupPage:
    def test_a_co_lead_edits_members_terms_and_workplan(self, co_lead, group, un_entity):
        client = _client(co_lead)
        url = reverse("network:working-group-manage", args=[group.code])
        response = client.post(
            url,
            {
                "action": "details",
                "details-description": "Equitable access.",
                "details-terms_of_reference": "1. Coordinate.",
            },
        )
        assert response.status_code == 302
        response = client.post(
            url, {"action": "member", "member-organisation": un_entity.pk, "member-role": "member"}
        )
        assert response.status_code == 302
        response = client.post(
            url,
            {
                "action": "activity",
                "activity-title": "Map services",
                "activity-timeline": "Q3 2025",
            },
        )
        assert response.status_code == 302
        activity = group.activities.get()
        client.post(url, {"action": "activity-move", "activity": activity.pk, "to": "ongoing"})
        activity.refresh_from_db()
        assert activity.state == "ongoing"
        group.refresh_from_db()
        assert group.terms_of_reference == "1. Coordinate."
        assert group.members.filter(organisation=un_entity, role="member").exists()
        member = group.members.get(organisation=un_entity)
        client.post(url, {"action": "member-remove", "member": member.pk})
        assert not group.members.filter(organisation=un_entity).exists()
        page = client.get(url).content.decode()
        assert "Map services" in page
        assert "Mark as Completed" in page

    def test_bad_input_keeps_what_was_typed(self, co_lead, group):
        client = _client(co_lead)
        url = reverse("network:working-group-manage", args=[group.code])
        response = client.post(
            url,
            {
                "action": "activity",
                "activity-title": "Map services",
                "activity-starts_on": "2025-06-01",
                "activity-ends_on": "2025-01-01",
                "activity-description": "Keep me",
            },
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "The end date is before the start date." in page
        assert "Nothing was saved" in page
        assert "Keep me" in page
        assert not group.activities.exists()
        response = client.post(url, {"action": "member", "member-organisation": "999999"})
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()

    def test_activity_edit_page(self, co_lead, group):
        activity = services.activity_create(actor=co_lead, working_group=group, title="Draft")
        url = reverse("network:activity-edit", args=[group.code, activity.pk])
        client = _client(co_lead)
        assert client.post(url, {"title": ""}).status_code == 400
        assert client.post(url, {"title": "Final", "timeline": "2026"}).status_code == 302
        activity.refresh_from_db()
        assert (activity.title, activity.timeline) == ("Final", "2026")


class TestEventPages:
    def test_plan_open_register_and_record_attendance(self, secretariat, outsider):
        webinar = factories.TermFactory(vocabulary="event-type", code="webinar")
        client = _client(secretariat)
        data = {
            "title": "Training on GCM reporting",
            "event_type": webinar.pk,
            "starts_at": _when(10),
            "ends_at": _when(10, 2),
            "registration_deadline": _when(8),
            "capacity": "1",
            "language": "en",
            "description": "Keep this text",
        }
        bad = client.post(reverse("network:event-new"), {**data, "ends_at": _when(9)})
        assert bad.status_code == 400
        assert "The event ends before it starts." in bad.content.decode()
        assert "Keep this text" in bad.content.decode()
        assert not Event.objects.exists()
        response = client.post(reverse("network:event-new"), data)
        event = Event.objects.get()
        assert response["Location"] == reverse("network:event-manage", args=[event.pk])
        assert event.state == "planned"
        manage = reverse("network:event-manage", args=[event.pk])
        client.post(manage, {"action": "move", "to": "open"})
        event.refresh_from_db()
        assert event.state == "open"
        services.registration_create(actor=outsider, event=event)
        registration = Registration.objects.get()
        assert outsider.username in client.get(manage).content.decode()
        client.post(
            reverse("network:registration-move", args=[registration.pk]),
            {"to": "confirmed", "next": manage},
        )
        client.post(
            reverse("network:registration-move", args=[registration.pk]),
            {"to": "attended", "next": manage},
        )
        registration.refresh_from_db()
        assert registration.state == "attended"
        client.post(
            manage,
            {"action": "follow-up", "materials": "https://example.org/slides", "follow_up": "Q&A"},
        )
        event.refresh_from_db()
        assert event.materials == "https://example.org/slides"
        edit = client.post(
            reverse("network:event-edit", args=[event.pk]), {**data, "capacity": "0"}
        )
        assert edit.status_code == 400
        event.refresh_from_db()
        assert event.capacity == 1
        actions = set(
            AuditRecord.objects.filter(object_id=str(event.pk)).values_list("action", flat=True)
        )
        assert {"network.event.create", "network.event.transition", "network.event.follow_up"} <= (
            actions
        )

    def test_a_co_lead_plans_only_for_her_group(self, co_lead, group):
        other = factories.WorkingGroupFactory(code="9")
        page = _client(co_lead).get(reverse("network:event-new")).content.decode()
        assert f'value="{group.pk}"' in page
        assert f'value="{other.pk}"' not in page


class TestCallPages:
    def test_the_secretariat_runs_a_call(self, secretariat):
        client = _client(secretariat)
        data = {
            "title": "Call on migration data",
            "theme": "Migration data",
            "opens_on": "2025-01-01",
            "deadline": "2025-07-31",
        }
        bad = client.post(reverse("network:call-new"), {**data, "deadline": "2024-01-01"})
        assert bad.status_code == 400
        assert "The deadline is before the opening date." in bad.content.decode()
        assert not CallForPractices.objects.exists()
        client.post(reverse("network:call-new"), data)
        call = CallForPractices.objects.get()
        assert call.state == "draft"
        page = client.get(reverse("network:call", args=[call.pk])).content.decode()
        assert "Move to: Open for submissions" in page
        client.post(reverse("network:call-move", args=[call.pk]), {"to": "announced"})
        call.refresh_from_db()
        assert call.state == "announced"
        client.post(reverse("network:call-edit", args=[call.pk]), {**data, "theme": "Data"})
        call.refresh_from_db()
        assert call.theme == "Data"
        response = client.post(reverse("network:call-move", args=[call.pk]), {"to": "concluded"})
        assert response.status_code == 302
        call.refresh_from_db()
        assert call.state == "announced"


class TestLibraryPages:
    def test_add_edit_and_find_a_resource(self, secretariat):
        guidance = factories.TermFactory(vocabulary="resource-type", code="guidance")
        client = _client(secretariat)
        data = {
            "title": "Including migrants in health plans",
            "resource_type": guidance.pk,
            "language": "en",
            "status": "current",
            "keywords": "health, vaccination",
            "description": "Guidance for ministries.",
        }
        bad = client.post(reverse("network:resource-new"), {**data, "url": "not a url at all"})
        assert bad.status_code == 400
        assert "Guidance for ministries." in bad.content.decode()
        assert not Resource.objects.exists()
        client.post(reverse("network:resource-new"), data)
        resource = Resource.objects.get()
        found = client.get(reverse("network:library"), {"q": "vaccinations"}).content.decode()
        assert "Including migrants in health plans" in found
        assert "1 resource found" in found
        client.post(
            reverse("network:resource-edit", args=[resource.pk]),
            {**data, "title": "Migrants in national health plans"},
        )
        resource.refresh_from_db()
        assert resource.title == "Migrants in national health plans"
        nothing = client.get(reverse("network:library"), {"q": '"" -'}).content.decode()
        assert "Type at least one word" in nothing

    def test_ranked_title_before_keywords_before_description(self, secretariat):
        guidance = factories.TermFactory(vocabulary="resource-type", code="guidance")
        body = services.resource_create(
            actor=secretariat, title="One", resource_type=guidance, description="Remittances."
        )
        keywords = services.resource_create(
            actor=secretariat, title="Two", resource_type=guidance, keywords="remittances"
        )
        title = services.resource_create(
            actor=secretariat, title="Remittances guide", resource_type=guidance
        )
        from compacts.network.selectors import resource_search

        result = resource_search(query="remittance", language="en")
        assert [r.pk for r in result.resources] == [title.pk, keywords.pk, body.pk]
        filtered = resource_search(
            query="remittances", type_code="other-type", language="en"
        ).resources
        assert not filtered.exists()
