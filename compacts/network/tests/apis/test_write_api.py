"""The network API's write endpoints: for each operation a success, a refusal for a person
without the right relation or role (403, nothing changed) and bad input (400/409/422 with a clear
message, nothing changed)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from compacts.actors import roles
from compacts.actors.testing import organisation_for_tests, user_with_role
from compacts.core.models import AuditRecord
from compacts.network import services
from compacts.network.models import (
    Achievement,
    Attachment,
    CountryNetwork,
    Deliverable,
    FocalPoint,
    PilotFeedback,
    Registration,
    Resource,
    WorkingGroupMember,
    WorkplanActivity,
)
from compacts.network.tests import factories

pytestmark = pytest.mark.django_db
BASE = "/api/v1/network"


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _send(client, method: str, path: str, data=None):
    return getattr(client, method)(f"{BASE}{path}", data or {}, content_type="application/json")


def _iso(moment: datetime.datetime) -> str:
    return moment.isoformat()


@pytest.fixture
def group(secretariat):
    return factories.WorkingGroupFactory(code="6", name="Access to services", description="Old")


@pytest.fixture
def co_lead(secretariat, group):
    organisation = organisation_for_tests(name="Co-leading entity")
    services.working_group_member_set(
        actor=secretariat, working_group=group, organisation=organisation, role="co-lead"
    )
    return user_with_role(roles.WORKING_GROUP_CO_LEAD, organisation)


@pytest.fixture
def other_co_lead(secretariat):
    """A co-lead of another working group: no rights on ``group``."""
    other = factories.WorkingGroupFactory(code="7")
    organisation = organisation_for_tests(name="Other co-lead")
    services.working_group_member_set(
        actor=secretariat, working_group=other, organisation=organisation, role="co-lead"
    )
    return user_with_role(roles.WORKING_GROUP_CO_LEAD, organisation)


@pytest.fixture
def network(db):
    country = factories.CountryFactory(iso2="ZM", name="Zambia")
    return CountryNetwork.objects.create(kind="country", name="Zambia network", country=country)


class TestWorkingGroupApi:
    def test_a_co_lead_changes_the_terms_of_reference(self, co_lead, group):
        """PATCH changes what is given and keeps the rest; the change is audited."""
        response = _send(
            _client(co_lead), "patch", "/working-groups/6", {"terms_of_reference": "Coordinate."}
        )
        assert response.status_code == 200, response.content
        group.refresh_from_db()
        assert (group.terms_of_reference, group.description) == ("Coordinate.", "Old")
        assert AuditRecord.objects.filter(action="network.working_group.update").exists()

    def test_a_co_lead_of_another_group_is_refused(self, other_co_lead, group):
        response = _send(
            _client(other_co_lead), "patch", "/working-groups/6", {"description": "Mine"}
        )
        assert response.status_code == 403
        group.refresh_from_db()
        assert group.description == "Old"

    def test_unknown_group_is_a_404(self, secretariat):
        response = _send(_client(secretariat), "patch", "/working-groups/nope", {})
        assert response.status_code == 404
        assert "message" in response.json()

    def test_members_are_added_and_removed(self, secretariat, group, un_entity):
        client = _client(secretariat)
        added = _send(
            client,
            "post",
            "/working-groups/6/members",
            {"organisation": un_entity.pk, "role": "member"},
        )
        assert added.status_code == 200, added.content
        removed = client.delete(f"{BASE}/working-groups/6/members/{un_entity.pk}")
        assert removed.status_code == 204
        assert not group.members.filter(organisation=un_entity).exists()
        assert AuditRecord.objects.filter(action="network.working_group_member.delete").exists()

    def test_bad_role_and_unknown_member_change_nothing(self, secretariat, group, un_entity):
        client = _client(secretariat)
        bad = _send(
            client,
            "post",
            "/working-groups/6/members",
            {"organisation": un_entity.pk, "role": "chair"},
        )
        assert bad.status_code == 400
        assert bad.json() == {
            "message": "Unknown working group role.",
            "extra": {"field": "role"},
        }
        assert not group.members.filter(organisation=un_entity).exists()
        missing = client.delete(f"{BASE}/working-groups/6/members/{un_entity.pk}")
        assert missing.status_code == 404
        assert missing.json()["message"] == "This organisation is not in the working group."

    def test_a_stakeholder_cannot_remove_a_co_lead(self, submitter, co_lead, group):
        member = group.members.get()
        response = _client(submitter).delete(
            f"{BASE}/working-groups/6/members/{member.organisation_id}"
        )
        assert response.status_code == 403
        assert WorkingGroupMember.objects.filter(pk=member.pk).exists()


class TestActivityApi:
    def test_a_co_lead_plans_changes_and_moves_an_activity(self, co_lead, group):
        client = _client(co_lead)
        created = _send(
            client,
            "post",
            "/working-groups/6/activities",
            {"title": "Map services", "starts_on": "2030-01-01", "timeline": "Q1 2030"},
        )
        assert created.status_code == 201, created.content
        pk = created.json()["id"]
        changed = _send(client, "patch", f"/activities/{pk}", {"title": "Map health services"})
        assert changed.status_code == 200, changed.content
        assert changed.json()["title"] == "Map health services"
        assert changed.json()["timeline"] == "Q1 2030"  # kept
        moved = _send(client, "post", f"/activities/{pk}/transitions", {"to": "ongoing"})
        assert moved.json() == {"id": pk, "state": "ongoing"}

    def test_bad_dates_and_empty_titles_change_nothing(self, co_lead, group):
        client = _client(co_lead)
        bad = _send(
            client,
            "post",
            "/working-groups/6/activities",
            {"title": "X", "starts_on": "2030-02-01", "ends_on": "2030-01-01"},
        )
        assert bad.status_code == 400
        assert bad.json()["message"] == "The end date is before the start date."
        assert not WorkplanActivity.objects.exists()
        activity = WorkplanActivity.objects.create(working_group=group, title="Kept")
        empty = _send(client, "patch", f"/activities/{activity.pk}", {"title": " "})
        assert empty.status_code == 400
        assert empty.json()["extra"] == {"field": "title"}
        activity.refresh_from_db()
        assert activity.title == "Kept"

    def test_an_illegal_move_names_the_allowed_ones(self, co_lead, group):
        activity = WorkplanActivity.objects.create(
            working_group=group, title="Done", state="completed"
        )
        response = _send(
            _client(co_lead), "post", f"/activities/{activity.pk}/transitions", {"to": "ongoing"}
        )
        assert response.status_code == 409
        assert response.json()["extra"]["allowed"] == []
        assert "It cannot move from here." in response.json()["message"]

    def test_others_are_refused(self, other_co_lead, group):
        activity = WorkplanActivity.objects.create(working_group=group, title="Kept")
        client = _client(other_co_lead)
        assert (
            _send(client, "patch", f"/activities/{activity.pk}", {"title": "X"}).status_code == 403
        )
        assert (
            _send(
                client, "post", f"/activities/{activity.pk}/transitions", {"to": "ongoing"}
            ).status_code
            == 403
        )
        assert (
            _send(client, "post", "/working-groups/6/activities", {"title": "X"}).status_code == 403
        )
        activity.refresh_from_db()
        assert (activity.title, activity.state, WorkplanActivity.objects.count()) == (
            "Kept",
            "yet-to-start",
            1,
        )


class TestDeliverableApi:
    def test_drafting_to_pilot_testing_to_published(self, co_lead, group, secretariat):
        champion = services.champion_country_add(
            actor=secretariat, country=factories.CountryFactory(iso2="KE", name="Kenya")
        )
        client = _client(co_lead)
        created = _send(client, "post", "/working-groups/6/deliverables", {"title": "Toolkit"})
        assert created.status_code == 201, created.content
        pk = created.json()["id"]
        early = _send(client, "post", f"/deliverables/{pk}/transitions", {"to": "pilot-testing"})
        assert early.status_code == 400
        assert early.json()["message"] == "Name the champion countries that will pilot it first."
        pilots = _send(
            client, "put", f"/deliverables/{pk}/pilot-countries", {"champions": [champion.pk]}
        )
        assert pilots.json()["pilot_countries"] == ["KE"]
        assert (
            _send(
                client, "post", f"/deliverables/{pk}/transitions", {"to": "pilot-testing"}
            ).status_code
            == 200
        )
        no_feedback = _send(client, "post", f"/deliverables/{pk}/transitions", {"to": "published"})
        assert no_feedback.json()["message"] == "Record the pilot feedback first."
        feedback = _send(
            client,
            "post",
            f"/deliverables/{pk}/feedback",
            {"champion": champion.pk, "feedback": "Useful."},
        )
        assert feedback.status_code == 201, feedback.content
        published = _send(client, "post", f"/deliverables/{pk}/transitions", {"to": "published"})
        assert published.json() == {"id": pk, "state": "published"}
        locked = _send(client, "put", f"/deliverables/{pk}/pilot-countries", {"champions": []})
        assert locked.status_code == 409
        assert Deliverable.objects.get(pk=pk).pilot_countries.count() == 1

    def test_bad_input_changes_nothing(self, co_lead, group):
        deliverable = Deliverable.objects.create(working_group=group, title="Toolkit")
        client = _client(co_lead)
        empty = _send(client, "post", "/working-groups/6/deliverables", {"title": ""})
        assert empty.status_code == 400
        unknown = _send(
            client, "put", f"/deliverables/{deliverable.pk}/pilot-countries", {"champions": [999]}
        )
        assert unknown.status_code == 400
        assert unknown.json()["extra"] == {"field": "pilot_countries", "unknown": [999]}
        assert Deliverable.objects.count() == 1
        assert not deliverable.pilot_countries.exists()

    def test_a_stakeholder_is_refused(self, submitter, group):
        deliverable = Deliverable.objects.create(working_group=group, title="Toolkit")
        client = _client(submitter)
        assert (
            _send(client, "post", "/working-groups/6/deliverables", {"title": "X"}).status_code
            == 403
        )
        assert (
            _send(
                client,
                "post",
                f"/deliverables/{deliverable.pk}/transitions",
                {"to": "pilot-testing"},
            ).status_code
            == 403
        )
        assert Deliverable.objects.count() == 1
        assert not PilotFeedback.objects.exists()


class TestCountryNetworkApi:
    def test_the_secretariat_runs_a_network(self, secretariat, network, un_entity):
        client = _client(secretariat)
        person = user_with_role(roles.PUNO_FOCAL_POINT)  # a focal point by her relation
        changed = _send(
            client,
            "patch",
            f"/country-networks/{network.pk}",
            {"coordinating_office": "RCO Lusaka", "member_organisations": [un_entity.pk]},
        )
        assert changed.status_code == 200, changed.content
        assert changed.json()["coordinating_office"] == "RCO Lusaka"
        assert changed.json()["name"] == "Zambia network"  # kept
        focal = _send(
            client,
            "post",
            f"/country-networks/{network.pk}/focal-points",
            {"organisation": un_entity.pk, "name": "Ana Phiri", "user": person.pk},
        )
        assert focal.status_code == 201, focal.content
        established = _send(
            client,
            "post",
            f"/country-networks/{network.pk}/transitions",
            {"to": "established", "established_on": "2021-04-01"},
        )
        assert established.json() == {"id": network.pk, "state": "established"}
        # The focal point now records what the network did.
        achievement = _send(
            _client(person),
            "post",
            f"/country-networks/{network.pk}/achievements",
            {
                "kind": "training",
                "title": "Officials trained",
                "happened_on": "2022-05-01",
                "people_trained": 30,
            },
        )
        assert achievement.status_code == 201, achievement.content
        public = _client()
        assert public.get(f"{BASE}/country-networks/{network.pk}").json()["established_on"] == (
            "2021-04-01"
        )
        assert [
            f["name"]
            for f in public.get(f"{BASE}/country-networks/{network.pk}/focal-points").json()
        ] == ["Ana Phiri"]
        assert (
            public.get(f"{BASE}/country-networks/{network.pk}/achievements").json()[0][
                "people_trained"
            ]
            == 30
        )

    def test_moves_without_a_date_or_out_of_order_change_nothing(self, secretariat, network):
        client = _client(secretariat)
        no_date = _send(
            client, "post", f"/country-networks/{network.pk}/transitions", {"to": "established"}
        )
        assert no_date.status_code == 400
        assert no_date.json()["message"] == "Give the date the network was established first."
        illegal = _send(
            client,
            "post",
            f"/country-networks/{network.pk}/transitions",
            {"to": "inactive", "note": "x"},
        )
        assert illegal.status_code == 409
        assert illegal.json()["extra"]["allowed"] == ["established"]
        assert "From here it can move to: Established." in illegal.json()["message"]
        future = _send(
            client,
            "post",
            f"/country-networks/{network.pk}/transitions",
            {"to": "established", "established_on": "2999-01-01"},
        )
        assert future.status_code == 400
        network.refresh_from_db()
        assert (network.state, network.established_on) == ("planned", None)

    def test_a_refused_move_does_not_keep_the_date(self, secretariat, network):
        """The date comes with the move: inactive -> established with a date is refused as a
        whole (the date is given only when becoming established from being set up or inactive,
        and the note is required for inactive)."""
        response = _send(
            _client(secretariat),
            "post",
            f"/country-networks/{network.pk}/transitions",
            {"to": "inactive", "established_on": "2020-01-01"},
        )
        assert response.status_code == 400
        assert response.json()["extra"] == {"field": "established_on"}
        network.refresh_from_db()
        assert network.established_on is None

    def test_bad_records_are_refused(self, secretariat, network, un_entity):
        client = _client(secretariat)
        kind = _send(
            client,
            "post",
            f"/country-networks/{network.pk}/achievements",
            {"kind": "party", "title": "X", "happened_on": "2022-01-01"},
        )
        assert kind.status_code == 400
        assert kind.json()["message"] == "Unknown kind of achievement."
        negative = _send(
            client,
            "post",
            f"/country-networks/{network.pk}/achievements",
            {"kind": "training", "title": "X", "happened_on": "2022-01-01", "people_trained": -1},
        )
        assert negative.status_code == 422
        nameless = _send(
            client,
            "post",
            f"/country-networks/{network.pk}/focal-points",
            {"organisation": un_entity.pk, "name": " "},
        )
        assert nameless.status_code == 400
        assert nameless.json()["extra"] == {"field": "name"}
        org = _send(
            client,
            "post",
            f"/country-networks/{network.pk}/focal-points",
            {"organisation": 99999, "name": "X"},
        )
        assert org.json()["extra"] == {"field": "organisation"}
        rename = _send(client, "patch", f"/country-networks/{network.pk}", {"name": ""})
        assert rename.status_code == 400
        assert not Achievement.objects.exists()
        assert not FocalPoint.objects.exists()
        network.refresh_from_db()
        assert network.name == "Zambia network"

    def test_others_are_refused(self, submitter, network, un_entity):
        client = _client(submitter)
        for method, path, data in (
            ("patch", f"/country-networks/{network.pk}", {"name": "Mine"}),
            (
                "post",
                f"/country-networks/{network.pk}/focal-points",
                {"organisation": un_entity.pk, "name": "X"},
            ),
            (
                "post",
                f"/country-networks/{network.pk}/achievements",
                {"kind": "training", "title": "X", "happened_on": "2022-01-01"},
            ),
            (
                "post",
                f"/country-networks/{network.pk}/transitions",
                {"to": "established", "established_on": "2020-01-01"},
            ),
        ):
            assert _send(client, method, path, data).status_code == 403, path
        network.refresh_from_db()
        assert (network.name, network.state, network.established_on) == (
            "Zambia network",
            "planned",
            None,
        )
        assert not FocalPoint.objects.exists()


class TestEventApi:
    def _payload(self, event, **changes):
        data = {
            "title": event.title,
            "event_type": event.event_type.code,
            "starts_at": _iso(event.starts_at),
            "ends_at": _iso(event.ends_at),
            "registration_deadline": _iso(event.registration_deadline),
            "capacity": event.capacity,
        }
        data.update(changes)
        return data

    def test_a_co_lead_changes_and_reschedules_her_groups_event(self, co_lead, group):
        event = factories.EventFactory(working_group=group)
        client = _client(co_lead)
        changed = _send(client, "put", f"/events/{event.pk}", self._payload(event, capacity=50))
        assert changed.status_code == 200, changed.content
        assert changed.json()["capacity"] == 50
        later = event.starts_at + datetime.timedelta(days=7)
        moved = _send(
            client,
            "post",
            f"/events/{event.pk}/reschedule",
            {
                "starts_at": _iso(later),
                "ends_at": _iso(later + datetime.timedelta(hours=2)),
                "registration_deadline": _iso(later - datetime.timedelta(days=1)),
            },
        )
        assert moved.status_code == 200, moved.content
        event.refresh_from_db()
        assert event.starts_at == later

    def test_capacity_below_places_taken_and_bad_dates_change_nothing(self, secretariat):
        event = factories.EventFactory(capacity=2)
        for _ in range(2):
            Registration.objects.create(event=event, user=factories.UserFactory())
        client = _client(secretariat)
        lower = _send(client, "put", f"/events/{event.pk}", self._payload(event, capacity=1))
        assert lower.status_code == 409
        assert (
            lower.json()["message"] == "2 places are already taken: the capacity cannot be lower."
        )
        bad_type = _send(client, "put", f"/events/{event.pk}", self._payload(event, event_type="x"))
        assert bad_type.status_code == 400
        assert bad_type.json()["extra"] == {"field": "event_type"}
        backwards = _send(
            client,
            "post",
            f"/events/{event.pk}/reschedule",
            {
                "starts_at": _iso(event.starts_at),
                "ends_at": _iso(event.starts_at - datetime.timedelta(hours=1)),
                "registration_deadline": _iso(event.registration_deadline),
            },
        )
        assert backwards.status_code == 400
        assert backwards.json()["message"] == "The event ends before it starts."
        before = (event.capacity, event.starts_at, event.ends_at)
        event.refresh_from_db()
        assert (event.capacity, event.starts_at, event.ends_at) == before

    def test_others_are_refused(self, other_co_lead, group):
        event = factories.EventFactory(working_group=group)
        client = _client(other_co_lead)
        assert (
            _send(
                client, "put", f"/events/{event.pk}", self._payload(event, title="Mine")
            ).status_code
            == 403
        )
        assert (
            _send(
                client,
                "post",
                f"/events/{event.pk}/reschedule",
                {
                    "starts_at": _iso(event.starts_at),
                    "ends_at": _iso(event.ends_at),
                    "registration_deadline": _iso(event.registration_deadline),
                },
            ).status_code
            == 403
        )
        event.refresh_from_db()
        assert event.title != "Mine"


class TestRegistrationApi:
    def test_register_confirm_and_attend(self, secretariat, submitter):
        event = factories.EventFactory()
        created = _send(
            _client(submitter), "post", f"/events/{event.pk}/registrations", {"needs": "Arabic"}
        )
        assert created.status_code == 201, created.content
        pk = created.json()["id"]
        staff = _client(secretariat)
        assert (
            _send(staff, "post", f"/registrations/{pk}/transitions", {"to": "confirmed"}).json()[
                "state"
            ]
            == "confirmed"
        )
        assert (
            _send(staff, "post", f"/registrations/{pk}/transitions", {"to": "attended"}).json()[
                "state"
            ]
            == "attended"
        )

    def test_the_registrant_cannot_confirm_herself_and_declining_needs_a_note(
        self, secretariat, submitter
    ):
        registration = Registration.objects.create(event=factories.EventFactory(), user=submitter)
        own = _send(
            _client(submitter),
            "post",
            f"/registrations/{registration.pk}/transitions",
            {"to": "confirmed"},
        )
        assert own.status_code == 403
        no_note = _send(
            _client(secretariat),
            "post",
            f"/registrations/{registration.pk}/transitions",
            {"to": "declined"},
        )
        assert no_note.status_code == 400
        assert no_note.json()["extra"] == {"field": "note"}
        registration.refresh_from_db()
        assert registration.state == "registered"

    def test_registration_after_the_deadline_is_refused(self, submitter):
        event = factories.EventFactory(
            registration_deadline=timezone.now() - datetime.timedelta(hours=1)
        )
        response = _send(_client(submitter), "post", f"/events/{event.pk}/registrations", {})
        assert response.status_code == 409
        assert response.json()["message"] == "The registration deadline for this event has passed."
        assert not Registration.objects.exists()


class TestSupportRequestWrites:
    def test_bad_input_changes_nothing(self, secretariat):
        request = factories.SupportRequestFactory()
        client = _client(secretariat)
        no_partner = _send(
            client, "post", f"/support-requests/{request.pk}/match", {"partners": []}
        )
        assert no_partner.status_code == 400
        assert no_partner.json()["message"] == "Choose at least one implementing partner."
        unknown = _send(
            client, "post", f"/support-requests/{request.pk}/match", {"partners": [99999]}
        )
        assert unknown.json()["extra"] == {"field": "partners", "unknown": [99999]}
        no_reference = _send(
            client, "post", f"/support-requests/{request.pk}/concept-note", {"reference": " "}
        )
        assert no_reference.status_code == 400
        early = _send(client, "post", f"/support-requests/{request.pk}/support", {"summary": "x"})
        assert early.status_code == 409
        closed = _send(
            client, "post", f"/support-requests/{request.pk}/transitions", {"to": "closed"}
        )
        assert closed.status_code == 400
        assert closed.json()["extra"] == {"field": "note"}
        request.refresh_from_db()
        assert (request.state, request.support_summary, request.partners.count()) == (
            "received",
            "",
            0,
        )

    def test_the_requester_cannot_record_support(self):
        government = user_with_role(roles.GOVERNMENT_FOCAL_POINT)
        request = factories.SupportRequestFactory(submitted_by=government)
        client = _client(government)
        for path, data in (
            ("support", {"summary": "Done"}),
            ("concept-note", {"reference": "CN-1"}),
            ("transitions", {"to": "closed", "note": "x"}),
        ):
            assert (
                _send(client, "post", f"/support-requests/{request.pk}/{path}", data).status_code
                == 403
            ), path
        request.refresh_from_db()
        assert (request.state, request.concept_note_reference) == ("received", "")


class TestCallApi:
    def _payload(self, **changes):
        data = {
            "title": "Call on data",
            "theme": "Migration data",
            "opens_on": "2030-01-01",
            "deadline": "2030-06-30",
        }
        data.update(changes)
        return data

    def test_the_secretariat_changes_a_call(self, secretariat):
        call = factories.CallFactory(state="draft")
        response = _send(
            _client(secretariat), "put", f"/calls/{call.pk}", self._payload(title="Call on data 2")
        )
        assert response.status_code == 200, response.content
        assert response.json()["title"] == "Call on data 2"
        assert _client().get(f"{BASE}/calls/{call.pk}").status_code == 404  # a draft is private

    def test_bad_input_and_others_change_nothing(self, secretariat, submitter):
        call = factories.CallFactory()
        title = call.title
        staff = _client(secretariat)
        backwards = _send(staff, "put", f"/calls/{call.pk}", self._payload(opens_on="2030-07-01"))
        assert backwards.status_code == 400
        assert backwards.json()["extra"] == {"field": "deadline"}
        empty = _send(staff, "put", f"/calls/{call.pk}", self._payload(theme=" "))
        assert empty.json()["extra"] == {"missing": ["theme"]}
        assert (
            _send(_client(submitter), "put", f"/calls/{call.pk}", self._payload()).status_code
            == 403
        )
        call.refresh_from_db()
        assert call.title == title
        assert _client().get(f"{BASE}/calls/{call.pk}").json()["title"] == title

    def test_a_concluded_call_cannot_change(self, secretariat):
        call = factories.CallFactory(state="concluded")
        response = _send(_client(secretariat), "put", f"/calls/{call.pk}", self._payload())
        assert response.status_code == 409


class TestResourceApi:
    @pytest.fixture
    def resource(self, db):
        return Resource.objects.create(
            title="Guide",
            resource_type=factories.TermFactory(vocabulary="resource-type", code="guidance"),
        )

    def test_the_secretariat_changes_a_resource_and_attaches_a_file(self, secretariat, resource):
        client = _client(secretariat)
        response = _send(
            client,
            "put",
            f"/resources/{resource.pk}",
            {"title": "Guide on health", "resource_type": "guidance", "keywords": "health"},
        )
        assert response.status_code == 200, response.content
        assert response.json()["keywords"] == "health"
        upload = client.post(
            f"{BASE}/resources/{resource.pk}/attachments",
            {"file": SimpleUploadedFile("guide.pdf", b"%PDF-1.7 guide")},
        )
        assert upload.status_code == 201, upload.content
        assert upload.json()["original_name"] == "guide.pdf"
        assert resource.attachments.count() == 1

    def test_bad_files_and_types_change_nothing(self, secretariat, resource):
        client = _client(secretariat)
        wrong = client.post(
            f"{BASE}/resources/{resource.pk}/attachments",
            {"file": SimpleUploadedFile("x.exe", b"MZ")},
        )
        assert wrong.status_code == 400
        assert "not accepted" in wrong.json()["message"]
        disguised = client.post(
            f"{BASE}/resources/{resource.pk}/attachments",
            {"file": SimpleUploadedFile("x.pdf", b"MZ not a pdf")},
        )
        assert disguised.json()["message"] == "The file's content does not match its pdf extension."
        big = client.post(
            f"{BASE}/resources/{resource.pk}/attachments",
            {"file": SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024))},
        )
        assert big.status_code == 400
        assert "the limit is 10 MB" in big.json()["message"]
        bad_type = _send(
            client, "put", f"/resources/{resource.pk}", {"title": "X", "resource_type": "nope"}
        )
        assert bad_type.status_code == 400
        assert bad_type.json()["extra"] == {"field": "resource_type"}
        assert not Attachment.objects.exists()
        resource.refresh_from_db()
        assert resource.title == "Guide"

    def test_a_stakeholder_is_refused(self, submitter, resource):
        client = _client(submitter)
        assert (
            _send(
                client,
                "put",
                f"/resources/{resource.pk}",
                {"title": "X", "resource_type": "guidance"},
            ).status_code
            == 403
        )
        upload = client.post(
            f"{BASE}/resources/{resource.pk}/attachments",
            {"file": SimpleUploadedFile("guide.pdf", b"%PDF-1.7")},
        )
        assert upload.status_code == 403
        assert not Attachment.objects.exists()

    def test_unknown_resource_is_a_404(self, secretariat):
        response = _send(
            _client(secretariat), "put", "/resources/99999", {"title": "X", "resource_type": "g"}
        )
        assert response.status_code == 404
