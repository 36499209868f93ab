"""The programme cycle's pages (server-rendered): permissions, downloads never inline, htmx
autosave with the new version, search and the work queue."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

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


class PageTests:
    def test_attachments_are_downloaded_never_shown_inline(self, w):
        programme = f.concept_note(w)
        attachment = programme.attachments.get()
        response = client_for(w.officer).get(
            f"/programmes/{programme.pk}/attachments/{attachment.pk}/"
        )
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert (
            Client().get(f"/programmes/{programme.pk}/attachments/{attachment.pk}/").status_code
            == 302
        )

    def test_a_wrong_type_upload_is_refused_on_the_page(self, w):
        programme = f.concept_note(w, complete=False)
        upload = SimpleUploadedFile("letter.exe", b"MZ...", content_type="application/octet-stream")
        response = client_for(w.submitter).post(
            f"/programmes/{programme.pk}/attachments/",
            {"kind": "endorsement-letter", "file": upload},
            follow=True,
        )
        assert "letter.exe is not an accepted type" in response.content.decode()
        assert not programme.attachments.exists()

    def test_autosave_returns_the_new_version(self, w):
        programme = f.concept_note(w, complete=False)
        response = client_for(w.submitter).post(
            f"/programmes/{programme.pk}/edit/",
            {"version": "1", "title": programme.title, "risks": "Floods"},
            HTTP_HX_REQUEST="true",
        )
        body = response.content.decode()
        assert "Draft saved at" in body
        assert 'id="version" name="version" value="2" hx-swap-oob="true"' in body
        programme.refresh_from_db()
        assert programme.risks == "Floods"

    def test_a_stale_autosave_says_so_and_changes_nothing(self, w):
        programme = f.concept_note(w, complete=False)
        services.concept_note_update(
            programme=programme, data={"risks": "Theirs"}, version=1, actor=w.submitter
        )
        response = client_for(w.submitter).post(
            f"/programmes/{programme.pk}/edit/",
            {"version": "1", "title": programme.title, "risks": "Mine"},
            HTTP_HX_REQUEST="true",
        )
        assert "Someone else changed this concept note" in response.content.decode()
        programme.refresh_from_db()
        assert programme.risks == "Theirs"

    def test_the_work_queue_is_for_the_management_unit(self, w):
        programme = f.concept_note(w)
        services.concept_note_submit(programme=programme, actor=w.submitter)
        assert client_for(w.submitter).get("/programmes/queue/").status_code == 403
        page = client_for(w.officer).get("/programmes/queue/").content.decode()
        assert programme.code in page
        assert "Submitted for screening" in page

    def test_search_finds_by_country_and_hides_drafts_from_the_public(self, w):
        draft = f.concept_note(w, title="Alpha note")
        active = f.concept_note(w, title="Beta programme")
        Programme.objects.filter(pk=active.pk).update(state=State.ACTIVE)
        public = Client().get("/programmes/", {"q": "macedonia"}).content.decode()
        assert "Beta programme" in public
        assert "Alpha note" not in public
        officer = client_for(w.officer).get("/programmes/", {"q": "macedonia"}).content.decode()
        assert "Alpha note" in officer
        assert draft.code in officer

    def test_the_submitter_sees_her_notes_and_what_is_next(self, w):
        f.concept_note(w, title="Gamma note")
        page = client_for(w.submitter).get("/programmes/").content.decode()
        assert "Your concept notes and programmes" in page
        assert "Submitted for screening" in page  # her next move

    def test_committee_pages_are_for_the_committee(self, w):
        members = f.committee(w)
        meeting = f.meeting(w, members)
        assert (
            client_for(w.submitter).get(f"/programmes/committee/{meeting.pk}/").status_code == 403
        )
        page = client_for(w.chair_user).get(f"/programmes/committee/{meeting.pk}/").content.decode()
        assert "The meeting has its quorum." in page


class MeetingManagementPageTests:
    def test_the_management_unit_creates_a_meeting_records_attendance_and_sets_the_agenda(self, w):
        members = f.committee(w)
        programme = f.concept_note(w)
        services.concept_note_submit(programme=programme, actor=w.submitter)
        Programme.objects.filter(pk=programme.pk).update(state=State.COMMITTEE_REVIEW)
        client = client_for(w.officer)
        response = client.post(
            "/programmes/committee/new/", {"title": "Ninth meeting", "held_on": "2026-03-02"}
        )
        meeting_url = response["Location"]
        client.post(f"{meeting_url}attendance/", {"present": [m.pk for m in members]})
        client.post(f"{meeting_url}agenda/", {"programme": programme.pk})
        page = client.get(meeting_url).content.decode()
        assert "The meeting has its quorum." in page
        assert programme.title in page
        empty = client.post(f"{meeting_url}agenda/", {"title": " "}, follow=True).content.decode()
        assert "Choose a concept note or programme, or give a title." in empty

    def test_a_member_cannot_create_meetings(self, w):
        f.committee(w)
        response = client_for(w.chair_user).post(
            "/programmes/committee/new/", {"title": "x", "held_on": "2026-03-02"}
        )
        assert response.status_code == 403
