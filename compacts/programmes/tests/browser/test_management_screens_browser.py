"""The management screens in a real browser, in English and in Arabic (right-to-left), with axe
checks: a call opened after a refused first try; a Committee member seated; the joint programme
document's budget grid, work plan and risk log; a no-cost extension requested and approved; the
pipeline reordered from the keyboard; an indicator value reported with evidence and approved."""

import datetime
import io

import pytest
from playwright.sync_api import expect

from compacts.programmes import selectors, services
from compacts.programmes.models import Call, CommitteeMember, Programme
from compacts.programmes.tests import factories as f
from compacts.programmes.workflows.programme import State
from compacts.results import services as results
from compacts.results.models import IndicatorUpdate
from compacts.results.reference import load_reference as load_results_reference

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "browser-pass-1"  # noqa: S105


def sign_in(page, user):
    user.set_password(PASSWORD)
    user.save()
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def in_state(programme, state, **fields):
    Programme.objects.filter(pk=programme.pk).update(state=state, **fields)
    programme.refresh_from_db()
    return programme


def to_arabic(page):
    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"


class ManagementScreensBrowserTests:
    def test_calls_committee_and_pipeline(self, page, axe, snap):
        w = f.world()
        members = f.committee(w, members=2)
        pipeline = [
            in_state(f.concept_note(w, title=f"Pipeline {n}"), State.ENDORSED) for n in "ABC"
        ]
        services.pipeline_prioritise(programmes=pipeline, actor=None)
        sign_in(page, w.officer)

        # A call: the first try is refused with each problem named and the text kept.
        page.goto("/programmes/calls/new/")
        page.get_by_label("Fund").select_option(str(w.fund.pk))
        page.get_by_label("Description").fill("Second call, with a health lens.")
        page.get_by_label("Opens on").fill("2026-05-01")
        page.get_by_label("Closes on").fill("2026-04-01")
        page.get_by_role("button", name="Save the call").click()
        expect(page.get_by_role("alert").first).to_contain_text("A call needs a title.")
        expect(page.get_by_label("Description")).to_have_value("Second call, with a health lens.")
        assert axe(page) == []
        snap(page, "call-refused")
        page.get_by_label("Title").fill("Call for concept notes 2026")
        page.get_by_label("Closes on").fill("2026-06-30")
        page.get_by_role("button", name="Save the call").click()
        expect(page.locator("#calls")).to_contain_text("Call for concept notes 2026")
        assert Call.objects.get().closes_on == datetime.date(2026, 6, 30)

        # The Committee: a member seated for a term.
        page.goto("/programmes/committee/members/")
        newcomer = f.un_entity("Newcomer agency")
        page.reload()
        page.get_by_label("Person").select_option(str(w.submitter.pk))
        page.get_by_label("Constituency", exact=True).select_option(str(members[1].constituency_id))
        page.get_by_label("Organisation").select_option(str(newcomer.pk))
        page.get_by_label("Term starts on").fill("2026-01-01")
        page.get_by_role("button", name="Seat the member").click()
        expect(page.locator("#members")).to_contain_text("Newcomer agency")
        assert CommitteeMember.objects.count() == 3
        assert axe(page) == []
        snap(page, "committee")

        # The pipeline, reordered with the keyboard only (no dragging).
        page.goto("/programmes/pipeline/")
        page.get_by_role("button", name=f"Move {pipeline[2].code} up").focus()
        page.keyboard.press("Enter")
        expect(page.locator("#pipeline-table [role=status]")).to_contain_text(pipeline[2].code)
        rows = page.locator("#pipeline-table tbody tr")
        expect(rows.nth(1)).to_contain_text("Pipeline C")
        assert [p.pk for p in selectors.pipeline()] == [
            pipeline[0].pk,
            pipeline[2].pk,
            pipeline[1].pk,
        ]
        assert axe(page) == []
        snap(page, "pipeline")

        # The same screens in Arabic.
        to_arabic(page)
        for url in [
            "/programmes/pipeline/",
            "/programmes/committee/members/",
            "/programmes/calls/",
        ]:
            page.goto(url)
            assert page.locator("html").get_attribute("dir") == "rtl"
            assert axe(page) == [], url
        page.goto(f"/programmes/calls/{Call.objects.get().pk}/edit/")
        expect(page.get_by_role("heading", level=1)).to_have_text("تعديل الدعوة")
        assert axe(page) == []
        snap(page, "arabic-call")

    def test_document_changes_and_values(self, page, axe, snap):
        load_results_reference(stdout=io.StringIO())
        w = f.world()
        programme = in_state(f.concept_note(w), State.INVITED)
        sign_in(page, w.submitter)

        # The budget grid: a total that does not add up is refused, the grid keeps the cells.
        page.goto(f"/programmes/{programme.pk}/document/")
        year = datetime.date.today().year
        for org in w.punos:
            page.get_by_label(f"{org}, Staff and other personnel costs, {year}").fill("100000")
        page.get_by_label("Total declared").fill("200000")
        page.get_by_role("button", name="Save the budget").click()
        expect(page.get_by_role("alert").first).to_contain_text("The budget does not add up")
        expect(
            page.get_by_label(f"{w.punos[0]}, Staff and other personnel costs, {year}")
        ).to_have_value("100000")
        assert axe(page) == []
        page.get_by_label("Total declared").fill("214000.00")
        page.get_by_role("button", name="Save the budget").click()
        expect(page.locator("#budget-total")).to_have_text("214000.00")
        page.get_by_label("Activity", exact=True).fill("Data audit")
        page.locator("#w-organisation").select_option(str(w.punos[0].pk))
        page.locator("#w-starts").fill(f"{year}-04-01")
        page.locator("#w-ends").fill(f"{year}-09-30")
        page.get_by_role("button", name="Add the activity").click()
        expect(page.locator("#work-plan-table")).to_contain_text("Data audit")
        page.locator("#r-risk").fill("Elections delay decisions")
        page.locator("#r-mitigation").fill("Work with technical staff")
        page.get_by_role("button", name="Add the risk").click()
        expect(page.locator("#risk-table")).to_contain_text("Elections delay decisions")
        assert axe(page) == []
        snap(page, "document")

        # Active: a no-cost extension requested by the submitter, approved by the Management Unit.
        in_state(
            programme,
            State.ACTIVE,
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year, 12, 31),
        )
        page.goto(f"/programmes/{programme.pk}/changes/")
        page.get_by_label("New end date").fill(f"{year + 1}-06-30")
        page.locator("#x-reason").fill("Elections postponed the launch.")
        page.get_by_role("button", name="Request the extension").click()
        expect(page.locator("#events .event-status").first).to_have_text("Requested")
        assert axe(page) == []
        outcome = results.outcome_add(
            programme=programme, code="1", statement="Better data", actor=None
        )
        indicator = results.indicator_add(
            programme=programme,
            outcome=outcome,
            code="1.1",
            name="Officials trained",
            unit="people",
            baseline_value="0",
            baseline_period=str(year - 1),
            dimensions=["sex"],
            actor=None,
        )
        results.target_set(indicator=indicator, period=str(year), value="120", actor=None)

        # An indicator value with evidence.
        page.goto(f"/results/programmes/{programme.pk}/values/")
        page.get_by_label("Period (2026, 2026-Q2 or 2026-H1)").fill(str(year))
        page.get_by_label("Sex").select_option("female")
        page.get_by_label("Actual value (people)").fill("64")
        page.get_by_label("Evidence (PDF").set_input_files(
            files=[{"name": "sheets.pdf", "mimeType": "application/pdf", "buffer": f.PDF}]
        )
        page.get_by_role("button", name="Submit the value of 1.1").click()
        expect(page.locator(".value-state").first).to_contain_text("Submitted")
        assert axe(page) == []
        snap(page, "value-submitted")

        sign_in(page, w.officer)
        page.goto(f"/programmes/{programme.pk}/changes/")
        page.get_by_role("button", name="Approve", exact=True).click()
        expect(page.locator("#events .event-status").first).to_have_text("Approved")
        programme.refresh_from_db()
        assert programme.ends_on == datetime.date(year + 1, 6, 30)
        page.goto(f"/results/programmes/{programme.pk}/values/")
        page.get_by_role("button", name=f"Approve 64 for {year}").click()
        expect(page.get_by_text("evidence", exact=True)).to_be_visible()
        assert IndicatorUpdate.objects.get().state == "approved"
        snap(page, "value-approved")

        # In Arabic.
        to_arabic(page)
        for url in [
            f"/programmes/{programme.pk}/changes/",
            f"/results/programmes/{programme.pk}/values/",
            f"/programmes/{programme.pk}/document/",
        ]:
            page.goto(url)
            assert page.locator("html").get_attribute("dir") == "rtl"
            assert axe(page) == [], url
        expect(page.get_by_role("heading", level=1)).to_have_text("وثيقة البرنامج المشترك")
        snap(page, "arabic-document")
