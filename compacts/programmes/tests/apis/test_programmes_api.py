"""The programme API: lists by state, one programme, its transitions, moves (409 with the allowed
states on an illegal move) and the Committee's meetings."""

import pytest
from django.test import Client

from compacts.actors.testing import user_with_role
from compacts.programmes import services
from compacts.programmes.models import Programme
from compacts.programmes.tests import factories as f
from compacts.programmes.workflows.programme import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return f.world()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class ProgrammeApiTests:
    def test_the_list_filters_by_state_and_hides_drafts_from_the_public(self, w):
        draft = f.concept_note(w, title="Draft note")
        active = f.concept_note(w, title="Active one")
        Programme.objects.filter(pk=active.pk).update(state=State.ACTIVE)
        public = Client().get("/api/v1/programmes").json()
        assert [p["code"] for p in public["items"]] == [active.code]
        officer = client_for(w.officer).get("/api/v1/programmes", {"state": "draft"}).json()
        assert officer["count"] == 1
        assert officer["items"][0]["id"] == draft.pk
        assert officer["items"][0]["allowed_next_states"] == ["submitted"]

    def test_a_programme_names_its_gcr_areas(self, w):
        from compacts.framework.models import GcrArea

        active = f.concept_note(w, title="Active one")
        Programme.objects.filter(pk=active.pk).update(state=State.ACTIVE)
        active.gcr_areas.set([GcrArea.objects.create(code="B-2.3", title="Health")])
        detail = Client().get(f"/api/v1/programmes/{active.pk}").json()
        assert detail["gcr_areas"] == ["B-2.3"]
        assert Client().get("/api/v1/programmes").json()["items"][0]["gcr_areas"] == ["B-2.3"]

    def test_search_answers_in_rank_order(self, w):
        """The public search: only what the caller may see, best match first, counted."""
        in_risks = f.concept_note(w, title="Labour mobility")
        services.concept_note_update(
            programme=in_risks,
            data={"risks": "Health system strain."},
            version=in_risks.version,
            actor=w.submitter,
        )
        in_title = f.concept_note(w, title="Health of migrants")
        hidden = f.concept_note(w, title="Health draft kept private")
        Programme.objects.filter(pk__in=[in_risks.pk, in_title.pk]).update(state=State.ACTIVE)
        body = Client().get("/api/v1/programmes", {"search": "health"}).json()
        assert body["count"] == 2
        assert [p["id"] for p in body["items"]] == [in_title.pk, in_risks.pk]
        assert hidden.pk not in [p["id"] for p in body["items"]]

    def test_an_unknown_state_is_a_422(self, w):
        response = Client().get("/api/v1/programmes", {"state": "flying"})
        assert response.status_code == 422
        assert response.json()["message"]

    def test_a_draft_of_another_organisation_is_not_found(self, w):
        draft = f.concept_note(w)
        stranger = user_with_role("rco-submitter")
        assert client_for(stranger).get(f"/api/v1/programmes/{draft.pk}").status_code == 404
        mine = client_for(w.submitter).get(f"/api/v1/programmes/{draft.pk}")
        assert mine.status_code == 200
        assert mine.json()["state"] == "draft"

    def test_an_illegal_move_is_a_409_with_the_allowed_states(self, w):
        draft = f.concept_note(w)
        response = client_for(w.officer).post(
            f"/api/v1/programmes/{draft.pk}/transitions",
            {"to": "approved"},
            content_type="application/json",
        )
        assert response.status_code == 409
        assert response.json()["extra"]["allowed"] == ["submitted"]
        draft.refresh_from_db()
        assert draft.state == State.DRAFT

    def test_a_move_without_the_role_is_a_403(self, w):
        draft = f.concept_note(w)
        response = client_for(w.officer).post(
            f"/api/v1/programmes/{draft.pk}/transitions",
            {"to": "submitted"},
            content_type="application/json",
        )
        assert response.status_code == 403

    def test_submitting_through_the_api_records_the_transition(self, w):
        draft = f.concept_note(w)
        client = client_for(w.submitter)
        response = client.post(
            f"/api/v1/programmes/{draft.pk}/transitions",
            {"to": "submitted"},
            content_type="application/json",
        )
        assert response.status_code == 201
        assert response.json()["state"] == "submitted"
        moves = client.get(f"/api/v1/programmes/{draft.pk}/transitions").json()
        assert [(m["from_state"], m["to_state"]) for m in moves] == [("draft", "submitted")]

    def test_an_incomplete_note_answers_409_naming_the_fields(self, w):
        draft = f.concept_note(w, complete=False)
        response = client_for(w.submitter).post(
            f"/api/v1/programmes/{draft.pk}/transitions",
            {"to": "submitted"},
            content_type="application/json",
        )
        assert response.status_code == 409
        assert "Theory of change" in response.json()["message"]

    def test_anonymous_cannot_move(self, w):
        draft = f.concept_note(w)
        response = Client().post(
            f"/api/v1/programmes/{draft.pk}/transitions",
            {"to": "submitted"},
            content_type="application/json",
        )
        assert response.status_code == 401


class MeetingApiTests:
    def test_committee_members_see_meetings_with_their_decisions(self, w):
        members = f.committee(w)
        meeting = f.meeting(w, members)
        services.agenda_item_add(meeting=meeting, title="Fund status", actor=w.officer)
        body = client_for(w.chair_user).get("/api/v1/committee/meetings").json()
        assert body["count"] == 1
        assert body["items"][0]["items"][0] == {
            "order": 1,
            "kind": "other",
            "title": "Fund status",
            "programme": None,
            "decision": None,
        }

    def test_others_are_refused(self, w):
        assert client_for(w.submitter).get("/api/v1/committee/meetings").status_code == 403
        assert Client().get("/api/v1/committee/meetings").status_code == 401


def test_the_list_costs_the_same_queries_for_one_or_many(w, django_assert_max_num_queries):
    """Prefetching keeps the list's query count flat as programmes are added (styleguide §6)."""
    for number in range(6):
        note = f.concept_note(w, title=f"Programme {number}")
        Programme.objects.filter(pk=note.pk).update(state=State.ACTIVE)
    with django_assert_max_num_queries(8):
        body = Client().get("/api/v1/programmes").json()
    assert body["count"] == 6
