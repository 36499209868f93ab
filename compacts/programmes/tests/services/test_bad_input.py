"""Bad input to the programme cycle: each gets a clear error and changes nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from compacts.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from compacts.programmes import services
from compacts.programmes.models import (
    Attachment,
    BudgetLine,
    Decision,
    Programme,
    ProgrammeTransition,
)
from compacts.programmes.tests import factories as f
from compacts.programmes.workflows.programme import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return f.world()


class IllegalMoveTests:
    def test_an_illegal_move_is_refused_with_the_allowed_next_states(self, w):
        """draft -> approved is not in the table: ConflictError lists the moves from draft."""
        programme = f.concept_note(w)
        with pytest.raises(ConflictError) as caught:
            services.programme_transition(programme=programme, to=State.APPROVED, actor=w.officer)
        assert caught.value.extra["allowed"] == [State.SUBMITTED]
        assert "Allowed from here: submitted" in caught.value.message
        programme.refresh_from_db()
        assert programme.state == State.DRAFT
        assert not ProgrammeTransition.objects.filter(programme=programme).exists()

    def test_a_final_state_allows_nothing(self, w):
        programme = f.concept_note(w)
        services.concept_note_submit(programme=programme, actor=w.submitter)
        services.screening_record(
            programme=programme,
            outcome="ineligible",
            reasons="Outside the call.",
            answers={c: c != "call" for c, _t in f.CHECKLIST},
            actor=w.officer,
        )
        with pytest.raises(ConflictError) as caught:
            services.concept_note_submit(programme=programme, actor=w.submitter)
        assert caught.value.extra["allowed"] == []

    def test_a_role_the_transition_does_not_name_is_refused(self, w):
        programme = f.concept_note(w)
        services.concept_note_submit(programme=programme, actor=w.submitter)
        with pytest.raises(PermissionDeniedError):
            services.programme_transition(programme=programme, to=State.ELIGIBLE, actor=w.submitter)

    def test_refusing_without_reasons_is_refused(self, w):
        programme = f.concept_note(w)
        services.concept_note_submit(programme=programme, actor=w.submitter)
        with pytest.raises(ApplicationError, match="a note is required"):
            services.programme_transition(programme=programme, to=State.INELIGIBLE, actor=w.officer)

    def test_endorsing_without_a_committee_decision_is_refused(self, w):
        programme = f.concept_note(w)
        services.concept_note_submit(programme=programme, actor=w.submitter)
        services.screening_record(
            programme=programme,
            outcome="eligible",
            actor=w.officer,
            answers={c: True for c, _t in f.CHECKLIST},
        )
        services.programme_send_to_committee(programme=programme, actor=w.officer)
        with pytest.raises(ConflictError, match="has not decided to endorse"):
            services.programme_transition(programme=programme, to=State.ENDORSED, actor=w.officer)

    def test_inviting_when_the_fund_lacks_the_money_is_refused(self):
        w = f.world(cash="1000.00")
        programme = f.concept_note(w)
        Programme.objects.filter(pk=programme.pk).update(state=State.ENDORSED)
        with pytest.raises(ConflictError, match="less than the indicative budget"):
            services.programme_invite(programme=programme, actor=w.officer)


class ConceptNoteTests:
    def test_a_draft_saves_with_any_fields_missing(self, w):
        programme = f.concept_note(w, complete=False)
        services.concept_note_update(
            programme=programme,
            data={"joint_analysis": "Half a thought"},
            version=1,
            actor=w.submitter,
        )
        programme.refresh_from_db()
        assert programme.joint_analysis == "Half a thought"
        assert programme.version == 2

    def test_gcr_areas_are_optional_tags_checked_like_the_others(self, w):
        """A concept note may name the GCR areas it also serves; unknown ids are refused and
        nothing is saved."""
        from compacts.framework.models import GcrArea

        health = GcrArea.objects.create(code="B-2.3", title="Health", paragraphs="72-73")
        programme = f.concept_note(w, complete=False)
        services.concept_note_update(
            programme=programme, data={"gcr_areas": [str(health.pk)]}, version=1, actor=w.submitter
        )
        assert list(programme.gcr_areas.values_list("code", flat=True)) == ["B-2.3"]
        with pytest.raises(ApplicationError):
            services.concept_note_update(
                programme=programme,
                data={"gcr_areas": [str(health.pk), "999999"], "title": "Changed"},
                version=2,
                actor=w.submitter,
            )
        programme.refresh_from_db()
        assert programme.title != "Changed"
        assert list(programme.gcr_areas.values_list("code", flat=True)) == ["B-2.3"]

    def test_submission_names_every_missing_field(self, w):
        programme = f.concept_note(w, complete=False)
        with pytest.raises(ConflictError) as caught:
            services.concept_note_submit(programme=programme, actor=w.submitter)
        for label in [
            "Scope",
            "Countries",
            "At least two participating UN organisations",
            "Government endorsement letter",
            "Primary GCM objective",
            "Guiding principles",
            "Thematic area",
            "SDG targets",
            "Gender marker",
            "Justification of the gender marker",
            "Human rights marker",
            "Child-sensitivity marker",
            "Indicative budget",
            "Duration in months",
            "Joint analysis of needs",
            "Theory of change",
            "Risks",
        ]:
            assert label in caught.value.message, label
        programme.refresh_from_db()
        assert programme.state == State.DRAFT

    def test_a_joint_programme_with_one_organisation_cannot_be_submitted(self, w):
        programme = f.concept_note(w)
        services.concept_note_update(
            programme=programme,
            data={"participating_organisations": [w.punos[0].pk]},
            version=programme.version,
            actor=w.submitter,
        )
        with pytest.raises(ConflictError, match="At least two participating UN organisations"):
            services.concept_note_submit(programme=programme, actor=w.submitter)

    def test_a_stale_form_is_refused_and_the_record_is_kept(self, w):
        """Two people open version 1; the second save is refused, the first one's text stays."""
        programme = f.concept_note(w, complete=False)
        services.concept_note_update(
            programme=programme, data={"risks": "First"}, version=1, actor=w.submitter
        )
        with pytest.raises(ConflictError) as caught:
            services.concept_note_update(
                programme=programme, data={"risks": "Second"}, version=1, actor=w.submitter
            )
        assert "Someone else changed this concept note" in caught.value.message
        assert caught.value.extra == {"field": "version", "current": 2, "yours": 1}
        programme.refresh_from_db()
        assert programme.risks == "First"

    def test_a_submitted_note_cannot_be_edited(self, w):
        programme = f.concept_note(w)
        services.concept_note_submit(programme=programme, actor=w.submitter)
        with pytest.raises(ConflictError, match="can only be edited as a draft"):
            services.concept_note_update(
                programme=programme,
                data={"risks": "x"},
                version=programme.version,
                actor=w.submitter,
            )

    def test_bad_values_are_named_and_nothing_is_saved(self, w):
        programme = f.concept_note(w, complete=False)
        with pytest.raises(ApplicationError) as caught:
            services.concept_note_update(
                programme=programme,
                version=1,
                actor=w.submitter,
                data={
                    "indicative_budget": "-5",
                    "duration_months": "abc",
                    "risks": "kept?",
                    "gender_marker": w.ref["levels"]["human-rights"].pk,
                },
            )
        assert set(caught.value.extra["errors"]) == {
            "indicative_budget",
            "duration_months",
            "gender_marker",
        }
        programme.refresh_from_db()
        assert programme.risks == ""
        assert programme.version == 1

    def test_another_organisation_cannot_edit(self, w):
        programme = f.concept_note(w, complete=False)
        from compacts.actors.testing import user_with_role

        stranger = user_with_role("rco-submitter")
        with pytest.raises(PermissionDeniedError):
            services.concept_note_update(
                programme=programme, data={"risks": "x"}, version=1, actor=stranger
            )


class AttachmentTests:
    def test_an_oversized_file_is_refused(self, w):
        programme = f.concept_note(w, complete=False)
        big = SimpleUploadedFile("letter.pdf", f.PDF + b"0" * (services.MAX_ATTACHMENT_BYTES + 1))
        with pytest.raises(ApplicationError, match="the limit is 10 MB"):
            services.attachment_add(
                programme=programme, kind="endorsement-letter", upload=big, actor=w.submitter
            )
        assert not Attachment.objects.filter(programme=programme).exists()

    def test_a_wrong_type_is_refused(self, w):
        programme = f.concept_note(w, complete=False)
        script = SimpleUploadedFile(
            "letter.html", b"<script>alert(1)</script>", content_type="text/html"
        )
        with pytest.raises(ApplicationError, match="not an accepted type"):
            services.attachment_add(
                programme=programme, kind="endorsement-letter", upload=script, actor=w.submitter
            )

    def test_a_file_whose_content_lies_about_its_type_is_refused(self, w):
        programme = f.concept_note(w, complete=False)
        fake = SimpleUploadedFile("letter.pdf", b"<html>not a pdf</html>")
        with pytest.raises(ApplicationError, match="is not a PDF file"):
            services.attachment_add(
                programme=programme, kind="endorsement-letter", upload=fake, actor=w.submitter
            )


def _invited(w):
    programme = f.concept_note(w)
    Programme.objects.filter(pk=programme.pk).update(state=State.INVITED)
    programme.refresh_from_db()
    return programme


class BudgetTests:
    def test_a_budget_that_does_not_add_up_is_refused_with_the_difference(self, w):
        programme = _invited(w)
        with pytest.raises(ApplicationError) as caught:
            services.budget_set(
                programme=programme, lines=f.budget_lines(w), total="400000.00", actor=w.submitter
            )
        assert "does not add up" in caught.value.message
        assert "400000.00 in direct costs plus 28000.00" in caught.value.message
        assert caught.value.extra["computed"] == "428000.00"
        assert not BudgetLine.objects.filter(programme=programme).exists()

    def test_the_indirect_rate_is_read_from_the_fund(self, w):
        from compacts.fund.services import fund_rates_update

        fund_rates_update(
            fund=w.fund,
            fee_rate="0.01",
            indirect_support_cost_rate="0.08",
            confirmed=False,
            actor=None,
        )
        programme = _invited(w)
        services.budget_set(
            programme=programme, lines=f.budget_lines(w), total="432000.00", actor=w.submitter
        )
        assert BudgetLine.objects.filter(programme=programme).count() == 4

    def test_a_joint_programme_with_one_organisation_has_no_budget(self, w):
        programme = _invited(w)
        programme.participating_organisations.set([w.punos[0]])
        with pytest.raises(ApplicationError, match="at least two participating UN organisations"):
            services.budget_set(
                programme=programme,
                lines=f.budget_lines(w)[:2],
                total="214000.00",
                actor=w.submitter,
            )

    def test_lines_for_an_outsider_or_a_bad_category_are_named(self, w):
        programme = _invited(w)
        outsider = f.un_entity()
        lines = [
            {"organisation": outsider.pk, "year": 2026, "category": "staff", "amount": "10.00"},
            {"organisation": w.punos[0].pk, "year": 2026, "category": "bribes", "amount": "10.00"},
        ]
        with pytest.raises(ApplicationError) as caught:
            services.budget_set(programme=programme, lines=lines, total="21.40", actor=w.submitter)
        assert "Line 1: the organisation does not participate" in caught.value.message
        assert "Line 2: bribes is not a UNSDG budget category" in caught.value.message


class CommitteeTests:
    def _on_agenda(self, w):
        programme = f.concept_note(w)
        services.concept_note_submit(programme=programme, actor=w.submitter)
        services.screening_record(
            programme=programme,
            outcome="eligible",
            actor=w.officer,
            answers={c: True for c, _t in f.CHECKLIST},
        )
        services.programme_send_to_committee(programme=programme, actor=w.officer)
        members = f.committee(w)
        meeting = f.meeting(w, members)
        item = services.agenda_item_add(meeting=meeting, programme=programme, actor=w.officer)
        return programme, members, meeting, item

    def test_a_decision_with_a_conflicted_member_taking_part_is_refused(self, w):
        programme, members, _meeting, item = self._on_agenda(w)
        services.conflict_declare(
            agenda_item=item, member=members[1], reason="Her agency participates.", actor=w.officer
        )
        with pytest.raises(ConflictError, match="declared a conflict of interest"):
            services.decision_record(
                agenda_item=item, outcome="endorse", participants=members, actor=w.officer
            )
        assert not Decision.objects.filter(agenda_item=item).exists()
        programme.refresh_from_db()
        assert programme.state == State.COMMITTEE_REVIEW

    def test_a_conflicted_member_is_recorded_as_recused(self, w):
        _programme, members, meeting, item = self._on_agenda(w)
        services.conflict_declare(
            agenda_item=item, member=members[1], reason="Her agency participates.", actor=w.officer
        )
        decision = services.decision_record(agenda_item=item, outcome="endorse", actor=w.officer)
        assert members[1] not in decision.participants.all()
        assert list(decision.recused.all()) == [members[1]]
        services.minutes_generate(meeting=meeting, actor=w.officer)
        meeting.refresh_from_db()
        assert (
            "declared a conflict of interest (Her agency participates.) and took no part"
            in meeting.minutes
        )
        assert "Decision by consensus: Endorse." in meeting.minutes
        services.minutes_approve(meeting=meeting, actor=w.chair_user)
        with pytest.raises(ConflictError, match="minutes of this meeting are approved"):
            services.minutes_generate(meeting=meeting, actor=w.officer)

    def test_no_quorum_no_decision(self, w):
        _programme, members, meeting, item = self._on_agenda(w)
        services.attendance_record(meeting=meeting, present=members[1:3], actor=w.officer)
        with pytest.raises(ConflictError, match="no quorum"):
            services.decision_record(agenda_item=item, outcome="endorse", actor=w.officer)

    def test_approve_with_conditions_needs_the_conditions(self, w):
        _programme, _members, meeting, _item = self._on_agenda(w)
        other = services.agenda_item_add(
            meeting=meeting, title="Annual report of the fund", actor=w.officer
        )
        with pytest.raises(ApplicationError, match="not a decision for this kind of item"):
            services.decision_record(
                agenda_item=other, outcome="approve-with-conditions", actor=w.officer
            )

    def test_seats_are_data_and_a_full_constituency_refuses_a_member(self, w):
        from compacts.actors.testing import user_with_role
        from compacts.programmes.models import Constituency

        constituency = services.constituency_set(
            code="donors", name="Donors", seats=1, actor=w.officer
        )
        services.committee_member_add(
            user=user_with_role("donor"),
            constituency=constituency,
            organisation=f.un_entity(),
            term_starts_on=datetime.date(2026, 1, 1),
            actor=w.officer,
        )
        with pytest.raises(ApplicationError, match="All 1 seats of Donors are taken"):
            services.committee_member_add(
                user=user_with_role("donor"),
                constituency=constituency,
                organisation=f.un_entity(),
                term_starts_on=datetime.date(2026, 1, 1),
                actor=w.officer,
            )
        assert Constituency.objects.get(code="donors").seats == 1

    def test_batch_decisions_are_all_or_nothing(self, w):
        programme, members, meeting, item = self._on_agenda(w)
        other = services.agenda_item_add(
            meeting=meeting, title="Any other business", actor=w.officer
        )
        with pytest.raises(ApplicationError):
            services.decisions_record_batch(
                meeting=meeting,
                actor=w.officer,
                decisions=[
                    {"agenda_item": item, "outcome": "endorse"},
                    {
                        "agenda_item": other,
                        "outcome": "endorse",
                    },  # not a decision for an "other" item
                ],
            )
        assert not Decision.objects.filter(agenda_item__meeting=meeting).exists()
        programme.refresh_from_db()
        assert programme.state == State.COMMITTEE_REVIEW
        services.decisions_record_batch(
            meeting=meeting,
            actor=w.officer,
            decisions=[
                {"agenda_item": item, "outcome": "endorse"},
                {"agenda_item": other, "outcome": "defer"},
            ],
        )
        programme.refresh_from_db()
        assert programme.state == State.ENDORSED


class EventsWithinActiveTests:
    def _active(self, w):
        programme = _invited(w)
        services.budget_set(
            programme=programme, lines=f.budget_lines(w), total="428000.00", actor=w.submitter
        )
        Programme.objects.filter(pk=programme.pk).update(
            state=State.ACTIVE, ends_on=datetime.date(2027, 12, 31)
        )
        programme.refresh_from_db()
        return programme

    def test_a_no_cost_extension_moves_the_end_date_and_stays_active(self, w):
        programme = self._active(w)
        with pytest.raises(ApplicationError, match="must be after"):
            services.no_cost_extension_record(
                programme=programme,
                new_ends_on=datetime.date(2027, 6, 30),
                reason="Elections",
                actor=w.officer,
            )
        event = services.no_cost_extension_record(
            programme=programme,
            new_ends_on=datetime.date(2028, 6, 30),
            reason="Elections",
            actor=w.officer,
        )
        programme.refresh_from_db()
        assert programme.ends_on == datetime.date(2028, 6, 30)
        assert programme.state == State.ACTIVE
        assert event.previous_ends_on == datetime.date(2027, 12, 31)

    def test_a_budget_revision_keeps_each_organisations_total(self, w):
        programme = self._active(w)
        moved = f.budget_lines(w)
        moved[0]["amount"], moved[1]["amount"] = "150000.00", "50000.00"
        services.budget_revise(
            programme=programme, lines=moved, total="428000.00", reason="Rephasing", actor=w.officer
        )
        changed = f.budget_lines(w, per_year="110000.00")
        with pytest.raises(ApplicationError, match="keeps each organisation's total"):
            services.budget_revise(
                programme=programme,
                lines=changed,
                total="470800.00",
                reason="More",
                actor=w.officer,
            )
        assert (
            BudgetLine.objects.get(programme=programme, organisation=w.punos[0], year=2026).amount
            == 150000
        )

    def test_a_submitter_cannot_extend(self, w):
        programme = self._active(w)
        with pytest.raises(PermissionDeniedError):
            services.no_cost_extension_record(
                programme=programme,
                new_ends_on=datetime.date(2028, 6, 30),
                reason="x",
                actor=w.submitter,
            )


class TrancheTests:
    def test_a_tranche_cannot_be_paid_twice(self, w):
        from compacts.programmes.models import Tranche

        programme = _invited(w)
        services.budget_set(
            programme=programme, lines=f.budget_lines(w), total="428000.00", actor=w.submitter
        )
        Programme.objects.filter(pk=programme.pk).update(state=State.APPROVED)
        tranches = services._fund_programme(
            programme=programme, decided_on=datetime.date(2026, 5, 4), actor=w.officer
        )
        first = tranches[0]
        with pytest.raises(ConflictError, match="earlier tranches"):
            services.tranche_transfer(
                tranche=tranches[1], value_date=datetime.date(2026, 5, 5), actor=w.agent
            )
        services.tranche_transfer(
            tranche=first, value_date=datetime.date(2026, 5, 5), actor=w.agent
        )
        with pytest.raises(ConflictError, match="already transferred"):
            services.tranche_transfer(
                tranche=Tranche.objects.get(pk=first.pk),
                value_date=datetime.date(2026, 5, 5),
                actor=w.agent,
            )
        with pytest.raises(PermissionDeniedError):
            services.tranche_transfer(
                tranche=tranches[2], value_date=datetime.date(2026, 5, 5), actor=w.officer
            )
