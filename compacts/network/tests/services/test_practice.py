"""A practice from draft to publication, and what the submission refuses."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from compacts.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from compacts.core.models import AuditRecord
from compacts.network import services
from compacts.network.models import Practice, StateChange
from compacts.network.tests.conftest import complete_data
from compacts.network.tests.factories import CallFactory

pytestmark = pytest.mark.django_db


class TestPracticeLifecycle:
    def test_submission_to_publication(self, submitter, secretariat, hub_refs):
        """Draft -> submitted -> in review -> changes requested -> submitted -> in review ->
        published, each step logged and audited."""
        practice = services.practice_create(actor=submitter, data=complete_data(hub_refs))
        assert practice.state == "draft"
        services.practice_submit(actor=submitter, practice=practice)
        services.practice_transition(practice=practice, to="in-review", actor=secretariat)
        services.practice_transition(
            practice=practice,
            to="changes-requested",
            actor=secretariat,
            note="Say how many migrants were reached.",
        )
        practice.refresh_from_db()
        assert practice.review_note == "Say how many migrants were reached."
        services.practice_update(
            actor=submitter, practice=practice, data={"results": "12,000 migrants reached."}
        )
        services.practice_submit(actor=submitter, practice=practice)
        services.practice_transition(practice=practice, to="in-review", actor=secretariat)
        services.practice_transition(practice=practice, to="published", actor=secretariat)
        practice.refresh_from_db()
        assert practice.state == "published"
        assert practice.published_at is not None
        moves = list(
            StateChange.objects.filter(object_id=practice.pk, machine="practice").values_list(
                "from_state", "to_state"
            )
        )
        assert moves == [
            ("draft", "submitted"),
            ("submitted", "in-review"),
            ("in-review", "changes-requested"),
            ("changes-requested", "submitted"),
            ("submitted", "in-review"),
            ("in-review", "published"),
        ]
        actions = AuditRecord.objects.filter(object_id=str(practice.pk)).values_list(
            "action", flat=True
        )
        assert "network.practice.create" in actions
        assert list(actions).count("network.practice.transition") == 6

    def test_the_submitter_cannot_publish(self, submitter, hub_refs):
        practice = services.practice_create(actor=submitter, data=complete_data(hub_refs))
        services.practice_submit(actor=submitter, practice=practice)
        with pytest.raises(ConflictError):
            services.practice_transition(practice=practice, to="published", actor=submitter)
        with pytest.raises(PermissionDeniedError):
            services.practice_transition(practice=practice, to="in-review", actor=submitter)
        practice.refresh_from_db()
        assert practice.state == "submitted"

    def test_changes_need_a_note(self, submitter, secretariat, hub_refs):
        practice = services.practice_create(actor=submitter, data=complete_data(hub_refs))
        services.practice_submit(actor=submitter, practice=practice)
        services.practice_transition(practice=practice, to="in-review", actor=secretariat)
        with pytest.raises(ApplicationError, match="Give a reason"):
            services.practice_transition(
                practice=practice, to="changes-requested", actor=secretariat
            )
        practice.refresh_from_db()
        assert practice.state == "in-review"


class TestSubmissionRefusals:
    def test_each_missing_field_is_named_and_the_draft_is_kept(self, submitter, hub_refs):
        data = {"title": "Only a title", "description": "Some words"}
        practice = services.practice_create(actor=submitter, data=data)
        with pytest.raises(ApplicationError) as error:
            services.practice_submit(actor=submitter, practice=practice)
        assert error.value.message == services.INCOMPLETE_PRACTICE
        assert set(error.value.extra["missing"]) == {
            "place",
            "objectives",
            "principles",
            "starts_on",
            "results",
            "innovation",
            "replicability",
        }
        practice.refresh_from_db()
        assert practice.state == "draft"
        assert (practice.title, practice.description) == ("Only a title", "Some words")

    def test_a_duplicate_submission_is_refused(self, submitter, hub_refs):
        practice = services.practice_create(actor=submitter, data=complete_data(hub_refs))
        services.practice_submit(actor=submitter, practice=practice)
        with pytest.raises(ConflictError, match="already been submitted"):
            services.practice_submit(actor=submitter, practice=practice)
        copy = services.practice_create(
            actor=submitter, data=complete_data(hub_refs, title="MOBILE clinics for migrants")
        )
        with pytest.raises(ConflictError, match="this title"):
            services.practice_submit(actor=submitter, practice=copy)
        copy.refresh_from_db()
        assert copy.state == "draft"

    def test_a_call_past_its_deadline_refuses_submissions(self, submitter, hub_refs):
        call = CallFactory(opens_on=datetime.date(2024, 1, 1), deadline=datetime.date(2024, 7, 31))
        practice = services.practice_create(
            actor=submitter, data=complete_data(hub_refs, call=call.pk)
        )
        with pytest.raises(ConflictError, match="deadline"):
            services.practice_submit(actor=submitter, practice=practice)

    def test_unknown_references_are_named(self, submitter, hub_refs):
        with pytest.raises(ApplicationError) as error:
            services.practice_create(actor=submitter, data={"title": "x", "objectives": [99999]})
        assert error.value.extra == {"field": "objectives", "unknown": [99999]}
        assert not Practice.objects.exists()

    def test_the_period_must_be_ordered(self, submitter, hub_refs):
        with pytest.raises(ApplicationError, match="ends before"):
            services.practice_create(
                actor=submitter,
                data={
                    "title": "x",
                    "starts_on": datetime.date(2021, 1, 1),
                    "ends_on": datetime.date(2020, 1, 1),
                },
            )

    def test_an_anonymous_person_cannot_create(self, hub_refs):
        from django.contrib.auth.models import AnonymousUser

        with pytest.raises(PermissionDeniedError):
            services.practice_create(actor=AnonymousUser(), data={"title": "x"})


class TestAttachments:
    def _draft(self, submitter, hub_refs):
        return services.practice_create(actor=submitter, data=complete_data(hub_refs))

    def test_a_pdf_is_stored(self, submitter, hub_refs):
        practice = self._draft(submitter, hub_refs)
        upload = SimpleUploadedFile(
            "report.pdf", b"%PDF-1.7 content", content_type="application/pdf"
        )
        attachment = services.attachment_add(actor=submitter, practice=practice, upload=upload)
        assert (attachment.original_name, attachment.content_type) == (
            "report.pdf",
            "application/pdf",
        )

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("script.exe", b"MZ....", "are not accepted"),
            ("page.html", b"<html>", "are not accepted"),
            ("fake.pdf", b"MZ not a pdf", "does not match"),
            ("empty.pdf", b"", "empty"),
        ],
    )
    def test_wrong_types_are_refused(self, submitter, hub_refs, name, content, message):
        practice = self._draft(submitter, hub_refs)
        with pytest.raises(ApplicationError, match=message):
            services.attachment_add(
                actor=submitter, practice=practice, upload=SimpleUploadedFile(name, content)
            )
        assert not practice.attachments.exists()

    def test_too_big_is_refused(self, submitter, hub_refs, monkeypatch):
        monkeypatch.setattr("compacts.network.validation.MAX_ATTACHMENT_BYTES", 10)
        practice = self._draft(submitter, hub_refs)
        with pytest.raises(ApplicationError, match="the limit is"):
            services.attachment_add(
                actor=submitter,
                practice=practice,
                upload=SimpleUploadedFile("big.pdf", b"%PDF" + b"x" * 20),
            )
        assert not practice.attachments.exists()


class TestComments:
    def test_comments_are_moderated(self, submitter, secretariat, hub_refs):
        from compacts.network.tests.factories import PracticeFactory

        practice = PracticeFactory(state="published")
        comment = services.comment_create(
            actor=submitter, practice=practice, body="Useful, thanks."
        )
        assert comment.state == "pending"
        services.comment_transition(comment=comment, to="approved", actor=secretariat)
        comment.refresh_from_db()
        assert comment.state == "approved"
        with pytest.raises(ApplicationError, match="empty"):
            services.comment_create(actor=submitter, practice=practice, body="   ")
