"""A concept note walked through screening, a Committee meeting, approval, the first tranche and a
first report, in a real browser (with axe checks), then the programme page in Arabic."""

import datetime
import io
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from compacts.fund.models import AccountCode
from compacts.fund.selectors import account_balance
from compacts.programmes import services
from compacts.programmes.models import Programme
from compacts.programmes.tests import factories as f
from compacts.results import services as results
from compacts.results.models import Report
from compacts.results.reference import load_reference as load_results_reference

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "browser-pass-1"  # noqa: S105


def sign_in(page, user):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _passwords(w):
    for user in [w.submitter, w.officer, w.chair_user, w.agent]:
        user.set_password(PASSWORD)
        user.save()


def _document(w, programme):
    services.budget_set(programme=programme, lines=f.budget_lines(w), total="428000.00", actor=None)
    outcome = results.outcome_add(
        programme=programme, code="1", statement="Evidence-based policy", actor=None
    )
    results.indicator_add(
        programme=programme,
        outcome=outcome,
        code="1.1",
        name="Policies using data",
        unit="policies",
        baseline_value="0",
        baseline_period="2025",
        actor=None,
        gcm_objectives=[w.ref["objective"]],
    )
    services.work_plan_activity_add(
        programme=programme,
        title="Data audit",
        organisation=w.punos[0],
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2026, 9, 30),
        actor=None,
    )
    services.risk_add(
        programme=programme,
        risk="Elections",
        likelihood="low",
        impact="high",
        mitigation="Technical staff",
        actor=None,
    )
    services.document_update(programme=programme, monitoring_plan="Quarterly.", actor=None)


class ProgrammeCycleBrowserTests:
    def test_from_concept_note_to_first_report(self, page, axe, snap):
        load_results_reference(stdout=io.StringIO())
        w = f.world()
        _passwords(w)
        programme = f.concept_note(w)
        members = f.committee(w)

        # 1. The submitter submits her concept note from the form.
        sign_in(page, w.submitter)
        page.goto(f"/programmes/{programme.pk}/edit/")
        assert page.get_by_role("heading", level=1).inner_text() == "Concept note"
        assert axe(page) == []
        page.get_by_role("button", name="Submit for screening").click()
        expect(page.locator("#state")).to_have_text("Submitted for screening")
        snap(page, "submitted")

        # 2. The Management Unit screens it against the checklist and sends it to the Committee.
        sign_in(page, w.officer)
        page.goto(f"/programmes/{programme.pk}/")
        for box in page.locator("input[type=checkbox]").all():
            box.check()
        page.get_by_label("Outcome").select_option("eligible")
        page.get_by_role("button", name="Record the screening").click()
        expect(page.locator("#state")).to_have_text("Eligible")
        page.get_by_role("button", name="Move to: Steering Committee review").click()
        expect(page.locator("#state")).to_have_text("Steering Committee review")

        # 3. A Committee meeting endorses it; a conflicted member is recorded as taking no part.
        meeting = f.meeting(w, members)
        item = services.agenda_item_add(meeting=meeting, programme=programme, actor=w.officer)
        services.conflict_declare(
            agenda_item=item, member=members[2], reason="Own agency", actor=w.officer
        )
        page.goto(f"/programmes/committee/{meeting.pk}/")
        expect(page.get_by_text("takes no part in the decision").first).to_be_visible()
        assert axe(page) == []
        page.get_by_label("Decision by consensus").select_option("endorse")
        page.get_by_role("button", name="Record the decisions").click()
        expect(page.get_by_text("Decision: Endorse").first).to_be_visible()
        page.get_by_role("button", name="Generate the minutes from the decisions").click()
        expect(page.locator("div.minutes")).to_contain_text("took no part")
        snap(page, "meeting")

        # 4. The full proposal (through the services), technical review, the Committee's approval.
        programme.refresh_from_db()
        services.programme_invite(programme=programme, actor=w.officer)
        _document(w, programme)
        services.document_submit(programme=programme, actor=w.submitter)
        services.technical_review_start(programme=programme, actor=w.officer)
        page.goto(f"/programmes/{programme.pk}/")
        for code, _name in f.CRITERIA:
            page.locator(f"#score-{code}").fill("4")
        page.get_by_role("button", name="Submit the review").click()
        expect(page.get_by_text("Technical reviews").first).to_be_visible()
        second = f.meeting(w, members, held_on=datetime.date(2026, 5, 4))
        services.agenda_item_add(meeting=second, programme=programme, actor=w.officer)
        page.goto(f"/programmes/committee/{second.pk}/")
        page.get_by_label("Decision by consensus").select_option("approve")
        page.get_by_role("button", name="Record the decisions").click()
        page.goto(f"/programmes/{programme.pk}/")
        expect(page.locator("#state")).to_have_text("Approved")

        # 5. The administrative agent transfers the first tranche: the programme is active.
        sign_in(page, w.agent)
        page.goto(f"/programmes/{programme.pk}/")
        assert axe(page) == []
        for org in w.punos:
            page.get_by_role("button", name=f"Transfer tranche 1 to {org}").click()
        expect(page.locator("#state")).to_have_text("Active")
        expect(
            page.get_by_text("Allocated US$428000.00; transferred US$214000.00.").first
        ).to_be_visible()
        assert account_balance(
            fund=w.fund, code=AccountCode.PO_BALANCE, party_id=w.punos[0].pk
        ) == Decimal("107000.00")
        snap(page, "active")

        # 6. A first report: the submitter reports expenditure, the Management Unit accepts it.
        results.reporting_calendar_create(
            programme=Programme.objects.get(pk=programme.pk), actor=None
        )
        report = (
            Report.objects.filter(programme=programme, kind="annual-financial")
            .order_by("period_end")
            .first()
        )
        sign_in(page, w.submitter)
        page.goto(f"/results/reports/{report.pk}/")
        assert axe(page) == []
        page.get_by_label("Narrative").fill("Data audit done.")
        page.get_by_label(f"Expenditure of {w.punos[0]} in the period (US$)").fill("12000.50")
        page.get_by_role("button", name="Submit the report").click()
        expect(page.locator("#report-state")).to_have_text("Submitted")
        sign_in(page, w.officer)
        page.goto(f"/results/reports/{report.pk}/")
        page.get_by_role("button", name="Accept the report").click()
        expect(page.locator("#report-state")).to_have_text("Accepted")
        assert account_balance(
            fund=w.fund, code=AccountCode.PO_EXPENDITURE, party_id=w.punos[0].pk
        ) == Decimal("12000.50")

        # 7. The programme page in Arabic, right-to-left.
        page.goto(f"/programmes/{programme.pk}/")
        page.get_by_label("Language").select_option("ar")
        page.get_by_role("button", name="Change").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("dir") == "rtl"
        expect(page.locator("#state")).to_have_text("نشط")
        assert axe(page) == []
        snap(page, "arabic")

    def test_a_stale_form_keeps_the_input(self, page):
        """Two tabs on version 1: the second save is refused and its text is still in the form."""
        w = f.world()
        _passwords(w)
        programme = f.concept_note(w, complete=False)
        sign_in(page, w.submitter)
        page.goto(f"/programmes/{programme.pk}/edit/")
        services.concept_note_update(
            programme=programme,
            data={"risks": "Theirs"},
            version=programme.version,
            actor=w.submitter,
        )
        page.evaluate("document.querySelector('#concept-note').removeAttribute('hx-post')")
        page.get_by_label("Risks").fill("Mine, typed for an hour")
        page.get_by_role("button", name="Save the draft").click()
        expect(page.get_by_text("Someone else changed this concept note").first).to_be_visible()
        assert page.get_by_label("Risks").input_value() == "Mine, typed for an hour"
        programme.refresh_from_db()
        assert programme.risks == "Theirs"
        # Having seen the refusal, she saves again, knowingly: her text is kept.
        page.get_by_role("button", name="Save the draft").click()
        expect(page.get_by_text("Draft saved.").first).to_be_visible()
        programme.refresh_from_db()
        assert programme.risks == "Mine, typed for an hour"
