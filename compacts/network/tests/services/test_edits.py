"""Services behind the edit pages: working groups (members, workplan), events, calls, library
resources; each checks permissions, refuses bad input without changing anything, is audited and
announces the change of public data."""

import datetime

import pytest
from django.utils import timezone

from compacts.actors import roles
from compacts.actors.testing import organisation_for_tests, user_with_role
from compacts.core.changes import versions
from compacts.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from compacts.core.models import AuditRecord
from compacts.network import services
from compacts.network.models import Registration, WorkingGroupMember
from compacts.network.selectors import resource_search
from compacts.network.tests import factories

pytestmark = pytest.mark.django_db


def _actions(obj) -> list[str]:
    return list(
        AuditRecord.objects.filter(object_id=str(obj.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


@pytest.fixture
def co_lead(secretariat):
    organisation = organisation_for_tests(name="Co-leading entity")
    group = factories.WorkingGroupFactory(code="6", name="Access to services")
    services.working_group_member_set(
        actor=secretariat, working_group=group, organisation=organisation, role="co-lead"
    )
    return user_with_role(roles.WORKING_GROUP_CO_LEAD, organisation), group


class TestWorkingGroup:
    def test_a_co_lead_edits_her_group(self, co_lead, un_entity):
        user, group = co_lead
        services.working_group_update(
            actor=user, working_group=group, description="New", terms_of_reference="ToR text"
        )
        member = services.working_group_member_set(
            actor=user, working_group=group, organisation=un_entity, role="member"
        )
        activity = services.activity_create(actor=user, working_group=group, title="Mapping")
        services.activity_update(
            actor=user,
            activity=activity,
            title="Mapping of services",
            starts_on=datetime.date(2025, 1, 1),
            ends_on=datetime.date(2025, 6, 30),
            timeline="H1 2025",
        )
        activity.refresh_from_db()
        assert (activity.title, activity.timeline) == ("Mapping of services", "H1 2025")
        member_pk = member.pk
        services.working_group_member_remove(actor=user, member=member)
        assert not WorkingGroupMember.objects.filter(pk=member_pk).exists()
        group.refresh_from_db()
        assert group.terms_of_reference == "ToR text"
        assert "network.working_group.update" in _actions(group)
        assert "network.activity.update" in _actions(activity)
        assert AuditRecord.objects.filter(
            object_id=str(member_pk), action="network.working_group_member.delete"
        ).exists()

    def test_others_are_refused_and_nothing_changes(self, co_lead, outsider, un_entity):
        user, group = co_lead
        other_group = factories.WorkingGroupFactory(code="5")
        with pytest.raises(PermissionDeniedError):
            services.working_group_update(
                actor=user, working_group=other_group, description="x", terms_of_reference="y"
            )
        with pytest.raises(PermissionDeniedError):
            services.activity_create(actor=outsider, working_group=group, title="Nope")
        member = group.members.get()
        with pytest.raises(PermissionDeniedError):
            services.working_group_member_remove(actor=outsider, member=member)
        assert group.members.count() == 1
        assert not group.activities.exists()

    def test_bad_activity_input_names_the_field(self, co_lead):
        user, group = co_lead
        activity = services.activity_create(actor=user, working_group=group, title="Mapping")
        with pytest.raises(ApplicationError, match="A title is required") as error:
            services.activity_update(actor=user, activity=activity, title="  ")
        assert error.value.extra == {"field": "title"}
        with pytest.raises(ApplicationError, match="end date is before"):
            services.activity_update(
                actor=user,
                activity=activity,
                title="Mapping",
                starts_on=datetime.date(2025, 6, 1),
                ends_on=datetime.date(2025, 1, 1),
            )
        activity.refresh_from_db()
        assert activity.title == "Mapping"


class TestEvent:
    def _data(self, **overrides):
        starts = timezone.now() + datetime.timedelta(days=20)
        data = {
            "title": "Webinar on health",
            "event_type": factories.TermFactory(vocabulary="event-type", code="webinar"),
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=2),
            "registration_deadline": starts - datetime.timedelta(days=2),
            "capacity": 2,
        }
        data.update(overrides)
        return data

    def test_the_secretariat_changes_an_event(self, secretariat):
        objective = factories.ObjectiveFactory(number=15)
        event = services.event_create(actor=secretariat, **self._data())
        services.event_update(
            actor=secretariat,
            event=event,
            objective_ids=[objective.pk],
            **self._data(title="Webinar on vaccination", capacity=30, location="Nairobi"),
        )
        event.refresh_from_db()
        assert (event.title, event.capacity, event.location) == (
            "Webinar on vaccination",
            30,
            "Nairobi",
        )
        assert list(event.objectives.all()) == [objective]
        assert _actions(event) == [
            "network.event.create",
            "network.event.update",
            "network.event.objectives",
        ]

    def test_the_capacity_cannot_fall_below_the_places_taken(self, secretariat, outsider):
        event = factories.EventFactory(capacity=5)
        Registration.objects.create(event=event, user=outsider)
        Registration.objects.create(event=event, user=secretariat)
        with pytest.raises(ConflictError, match="2 places are already taken"):
            services.event_update(actor=secretariat, event=event, **self._data(capacity=1))
        event.refresh_from_db()
        assert event.capacity == 5

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"title": " "}, "title"),
            ({"event_type": None}, "event_type"),
            ({"capacity": 0}, "capacity"),
        ],
    )
    def test_bad_input_names_the_field(self, secretariat, overrides, field):
        event = factories.EventFactory(title="Before")
        with pytest.raises(ApplicationError) as error:
            services.event_update(actor=secretariat, event=event, **self._data(**overrides))
        assert error.value.extra["field"] == field
        event.refresh_from_db()
        assert event.title == "Before"

    def test_a_stranger_cannot_change_an_event(self, outsider):
        event = factories.EventFactory()
        with pytest.raises(PermissionDeniedError):
            services.event_update(actor=outsider, event=event, **self._data())


class TestCall:
    def test_update_and_refusals(self, secretariat, outsider):
        call = factories.CallFactory(state="draft", title="Old")
        opens = datetime.date(2025, 1, 1)
        services.call_update(
            actor=secretariat,
            call=call,
            title="Migration data",
            theme="Data",
            opens_on=opens,
            deadline=datetime.date(2025, 7, 31),
        )
        call.refresh_from_db()
        assert call.title == "Migration data"
        with pytest.raises(ApplicationError, match="Required fields are empty") as error:
            services.call_update(
                actor=secretariat, call=call, title="", theme="", opens_on=opens, deadline=opens
            )
        assert error.value.extra == {"missing": ["title", "theme"]}
        with pytest.raises(ApplicationError, match="deadline is before"):
            services.call_update(
                actor=secretariat,
                call=call,
                title="X",
                theme="Y",
                opens_on=opens,
                deadline=datetime.date(2024, 1, 1),
            )
        with pytest.raises(PermissionDeniedError):
            services.call_update(
                actor=outsider, call=call, title="X", theme="Y", opens_on=opens, deadline=opens
            )
        call.state = "concluded"
        call.save(update_fields=["state"])
        with pytest.raises(ConflictError, match="concluded or cancelled"):
            services.call_update(
                actor=secretariat, call=call, title="X", theme="Y", opens_on=opens, deadline=opens
            )
        call.refresh_from_db()
        assert (call.title, call.theme) == ("Migration data", "Data")


class TestResource:
    def test_create_update_and_search(self, secretariat):
        guidance = factories.TermFactory(vocabulary="resource-type", code="guidance")
        resource = services.resource_create(
            actor=secretariat,
            title="Guide des plans nationaux",
            resource_type=guidance,
            language="fr",
            keywords="santé, travailleuses migrantes",
        )
        assert [r.pk for r in resource_search(query="migrante", language="fr").resources] == [
            resource.pk
        ]
        services.resource_update(
            actor=secretariat,
            resource=resource,
            title="Health guidance",
            resource_type=guidance,
            language="en",
            description="Vaccination of migrant workers.",
        )
        assert not resource_search(query="plans nationaux", language="fr").resources.exists()
        found = resource_search(query="vaccinations", language="en")
        assert found.ranked
        assert [r.pk for r in found.resources] == [resource.pk]
        assert _actions(resource) == ["network.resource.create", "network.resource.update"]

    def test_bad_input_changes_nothing(self, secretariat, outsider):
        guidance = factories.TermFactory(vocabulary="resource-type", code="guidance")
        theme = factories.TermFactory(vocabulary="theme", code="health")
        resource = services.resource_create(actor=secretariat, title="Kept", resource_type=guidance)
        for kwargs, message in [
            ({"title": ""}, "A title is required"),
            ({"resource_type": theme}, "Unknown resource type"),
            ({"status": "lost"}, "Unknown status"),
            ({"objective_ids": [99999]}, "Unknown objectives: 99999"),
        ]:
            values = {"title": "Changed", "resource_type": guidance, **kwargs}
            with pytest.raises(ApplicationError, match=message):
                services.resource_update(actor=secretariat, resource=resource, **values)
        with pytest.raises(PermissionDeniedError):
            services.resource_update(
                actor=outsider, resource=resource, title="Changed", resource_type=guidance
            )
        resource.refresh_from_db()
        assert resource.title == "Kept"


class TestAnnouncements:
    def test_public_changes_raise_the_network_version_after_commit(
        self, secretariat, django_capture_on_commit_callbacks
    ):
        guidance = factories.TermFactory(vocabulary="resource-type", code="guidance")
        before = versions("network")["network"]
        with django_capture_on_commit_callbacks(execute=True):
            services.resource_create(actor=secretariat, title="A guide", resource_type=guidance)
        assert versions("network")["network"] == before + 1

    def test_private_drafts_and_requests_announce_nothing(
        self, submitter, django_capture_on_commit_callbacks
    ):
        from compacts.network.services import _public

        draft = factories.PracticeFactory(state="draft")
        assert not _public(draft)
        assert _public(draft, "published")  # publishing it is a public change
        assert not _public(factories.SupportRequestFactory())
        before = versions("network")["network"]
        with django_capture_on_commit_callbacks(execute=True):
            services.practice_create(actor=submitter, data={"title": "My draft"})
        assert versions("network")["network"] == before
