"""The management screens of the programme cycle: calls, the Committee's constituencies and
members, the joint programme document (budget grid, work plan, risk log, monitoring plan),
budget revisions and no-cost extensions (request and decision) and the pipeline's order. Each
refuses bad input with the fields named, keeps what was typed, checks permissions and audits."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from compacts.core.models import AuditRecord
from compacts.programmes import selectors, services
from compacts.programmes.models import (
    BudgetLine,
    Call,
    CommitteeMember,
    Constituency,
    EventStatus,
    Programme,
    ProgrammeEvent,
)
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


def in_state(programme, state, **fields):
    Programme.objects.filter(pk=programme.pk).update(state=state, **fields)
    programme.refresh_from_db()
    return programme


def grid(w, per_year="100000.00", years=(2026, 2027)) -> dict:
    return {f"amount-{org.pk}-{year}-staff": per_year for org in w.punos for year in years}


class CallScreenTests:
    def test_bad_dates_and_no_title_are_named_and_the_input_kept(self, w):
        response = client_for(w.officer).post(
            "/programmes/calls/new/",
            {
                "fund": w.fund.pk,
                "title": "",
                "description": "Second call, health lens",
                "opens_on": "2026-05-01",
                "closes_on": "2026-04-01",
            },
        )
        body = response.content.decode()
        assert response.status_code == 400
        assert "A call needs a title." in body
        assert "A call cannot close before it opens." in body
        assert "Second call, health lens" in body
        assert 'value="2026-05-01"' in body
        assert not Call.objects.exists()

    def test_the_management_unit_opens_and_edits_a_call(self, w):
        client = client_for(w.officer)
        response = client.post(
            "/programmes/calls/new/",
            {
                "fund": w.fund.pk,
                "title": "Call 2026",
                "opens_on": "2026-05-01",
                "closes_on": "2026-06-30",
                "thematic_areas": [w.ref["area"].pk],
                "eligible_regions": [w.ref["region"].pk],
            },
        )
        assert response.status_code == 302
        call = Call.objects.get()
        assert list(call.thematic_areas.all()) == [w.ref["area"]]
        response = client.post(
            f"/programmes/calls/{call.pk}/edit/",
            {"title": "Call 2026 (extended)", "opens_on": "2026-05-01", "closes_on": "bad"},
        )
        assert response.status_code == 400
        assert "Give the date as YYYY-MM-DD." in response.content.decode()
        client.post(
            f"/programmes/calls/{call.pk}/edit/",
            {"title": "Call 2026 (extended)", "opens_on": "2026-05-01", "closes_on": "2026-07-31"},
        )
        call.refresh_from_db()
        assert (call.title, call.closes_on) == ("Call 2026 (extended)", datetime.date(2026, 7, 31))
        assert call.eligible_regions.count() == 0
        assert AuditRecord.objects.filter(action="programmes.call.update").count() == 1
        assert "Call 2026 (extended)" in Client().get("/programmes/calls/").content.decode()

    def test_only_the_management_unit_manages_calls(self, w):
        assert client_for(w.submitter).get("/programmes/calls/new/").status_code == 403
        assert Client().get("/programmes/calls/new/").status_code == 302


class CommitteeScreenTests:
    def test_seats_change_and_a_full_constituency_refuses_with_the_input_kept(self, w):
        members = f.committee(w, members=2)
        constituency = members[1].constituency
        client = client_for(w.officer)
        response = client.post(
            "/programmes/committee/members/",
            {
                "form": "constituency",
                "code": constituency.code,
                "name": constituency.name,
                "seats": "1",
            },
        )
        assert response.status_code == 302
        constituency.refresh_from_db()
        assert constituency.seats == 1
        newcomer = f.un_entity("Newcomer agency")
        response = client.post(
            "/programmes/committee/members/",
            {
                "form": "member",
                "user": w.submitter.pk,
                "constituency": constituency.pk,
                "organisation": newcomer.pk,
                "term_starts_on": "2026-01-01",
            },
        )
        body = response.content.decode()
        assert response.status_code == 400
        assert "seats of" in body
        assert "are taken" in body
        assert f'value="{newcomer.pk}" selected' in body
        assert 'value="2026-01-01"' in body
        assert CommitteeMember.objects.count() == 2

    def test_a_term_ends_and_frees_the_seat(self, w):
        members = f.committee(w, members=2)
        client = client_for(w.officer)
        client.post(
            "/programmes/committee/members/",
            {"form": "end-term", "member": members[1].pk, "ends_on": "2026-01-31"},
        )
        members[1].refresh_from_db()
        assert members[1].term_ends_on == datetime.date(2026, 1, 31)
        assert AuditRecord.objects.filter(action="programmes.member.end_term").exists()
        response = client.post(
            "/programmes/committee/members/",
            {"form": "constituency", "name": "Regional economic communities", "seats": "x"},
        )
        assert response.status_code == 400
        assert not Constituency.objects.filter(name="Regional economic communities").exists()

    def test_members_see_the_page_but_only_the_management_unit_changes_it(self, w):
        members = f.committee(w, members=2)
        client = client_for(members[1].user)
        assert client.get("/programmes/committee/members/").status_code == 200
        response = client.post(
            "/programmes/committee/members/",
            {"form": "end-term", "member": members[0].pk, "ends_on": "2026-01-31"},
        )
        assert response.status_code == 403
        assert client_for(w.submitter).get("/programmes/committee/members/").status_code == 403


class DocumentScreenTests:
    def test_a_budget_that_does_not_add_up_is_refused_and_the_grid_kept(self, w):
        programme = in_state(f.concept_note(w), State.INVITED)
        cells = grid(w)
        cells[f"amount-{w.punos[0].pk}-2026-travel"] = "1234.56"
        response = client_for(w.submitter).post(
            f"/programmes/{programme.pk}/document/", {"form": "budget", "total": "1", **cells}
        )
        body = response.content.decode()
        assert response.status_code == 400
        assert "The budget does not add up" in body
        assert 'value="1234.56"' in body
        assert not BudgetLine.objects.filter(programme=programme).exists()

    def test_the_budget_grid_saves_with_indirect_support_costs(self, w):
        programme = in_state(f.concept_note(w), State.INVITED)
        client = client_for(w.submitter)
        response = client.post(
            f"/programmes/{programme.pk}/document/",
            {"form": "budget", "total": "428,000.00", **grid(w)},
        )
        assert response.status_code == 302
        summary = selectors.budget_summary(programme=programme)
        assert summary["total"] == Decimal("428000.00")
        assert summary["isc_total"] == Decimal("28000.00")
        page = client.get(f"/programmes/{programme.pk}/document/").content.decode()
        assert f'name="amount-{w.punos[0].pk}-2026-staff" value="100000.00"' in page

    def test_work_plan_risk_log_and_monitoring_plan(self, w):
        programme = in_state(f.concept_note(w), State.INVITED)
        client = client_for(w.focal_points[0])
        url = f"/programmes/{programme.pk}/document/"
        response = client.post(
            url,
            {
                "form": "activity",
                "title": "Data audit",
                "organisation": w.punos[0].pk,
                "starts_on": "2026-09-30",
                "ends_on": "2026-04-01",
            },
        )
        assert response.status_code == 400
        assert "cannot end before it starts" in response.content.decode()
        assert 'value="Data audit"' in response.content.decode()
        client.post(
            url,
            {
                "form": "activity",
                "title": "Data audit",
                "organisation": w.punos[0].pk,
                "starts_on": "2026-04-01",
                "ends_on": "2026-09-30",
            },
        )
        activity = programme.work_plan.get()
        response = client.post(
            url,
            {
                "form": "risk",
                "risk": "Elections",
                "likelihood": "low",
                "impact": "high",
                "mitigation": "",
            },
        )
        assert response.status_code == 400
        assert ">Elections</textarea>" in response.content.decode()
        client.post(
            url,
            {
                "form": "risk",
                "risk": "Elections",
                "likelihood": "low",
                "impact": "high",
                "mitigation": "Technical staff",
            },
        )
        client.post(url, {"form": "monitoring", "monitoring_plan": "Quarterly reviews."})
        client.post(url, {"form": "activity-remove", "activity": activity.pk})
        programme.refresh_from_db()
        assert programme.monitoring_plan == "Quarterly reviews."
        assert programme.risk_log.count() == 1
        assert not programme.work_plan.exists()
        assert AuditRecord.objects.filter(action="programmes.work_plan.remove").exists()

    def test_another_organisation_cannot_edit_the_document(self, w):
        programme = in_state(f.concept_note(w), State.INVITED)
        from compacts.actors import roles
        from compacts.actors.testing import user_with_role

        outsider = user_with_role(roles.PUNO_FOCAL_POINT, f.un_entity())
        response = client_for(outsider).post(
            f"/programmes/{programme.pk}/document/", {"form": "monitoring", "monitoring_plan": "x"}
        )
        assert response.status_code == 403


def _active(w):
    programme = in_state(f.concept_note(w), State.INVITED)
    services.budget_set(
        programme=programme, lines=f.budget_lines(w), total="428000.00", actor=w.submitter
    )
    return in_state(
        programme,
        State.ACTIVE,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
    )


class ChangeRequestScreenTests:
    def test_an_extension_is_requested_then_approved(self, w):
        programme = _active(w)
        url = f"/programmes/{programme.pk}/changes/"
        submitter = client_for(w.submitter)
        response = submitter.post(
            url, {"form": "extension", "new_ends_on": "2027-06-30", "reason": "Elections"}
        )
        assert response.status_code == 400
        assert "must be after" in response.content.decode()
        assert ">Elections</textarea>" in response.content.decode()
        submitter.post(
            url, {"form": "extension", "new_ends_on": "2028-06-30", "reason": "Elections"}
        )
        event = ProgrammeEvent.objects.get()
        assert event.status == EventStatus.REQUESTED
        programme.refresh_from_db()
        assert programme.ends_on == datetime.date(2027, 12, 31)
        assert (
            submitter.post(
                url, {"form": "decide", "event": event.pk, "decision": "approve"}
            ).status_code
            == 403
        )
        client_for(w.officer).post(
            url, {"form": "decide", "event": event.pk, "decision": "approve"}
        )
        programme.refresh_from_db()
        event.refresh_from_db()
        assert programme.ends_on == datetime.date(2028, 6, 30)
        assert event.status == EventStatus.APPROVED
        assert AuditRecord.objects.filter(action="programmes.event.decide").exists()

    def test_a_revision_is_requested_then_declined_with_a_note(self, w):
        programme = _active(w)
        url = f"/programmes/{programme.pk}/changes/"
        cells = grid(w)
        org = w.punos[0].pk
        cells[f"amount-{org}-2026-staff"], cells[f"amount-{org}-2027-staff"] = "150000", "50000"
        submitter = client_for(w.submitter)
        bad = submitter.post(url, {"form": "revision", "total": "428000.00", "reason": "", **cells})
        assert bad.status_code == 400
        assert "Say why the budget is revised." in bad.content.decode()
        assert 'value="150000"' in bad.content.decode()
        submitter.post(
            url, {"form": "revision", "total": "428000.00", "reason": "Rephasing", **cells}
        )
        event = ProgrammeEvent.objects.get()
        officer = client_for(w.officer)
        response = officer.post(url, {"form": "decide", "event": event.pk, "decision": "decline"})
        assert "Say why the request is declined." in response.content.decode()
        officer.post(
            url, {"form": "decide", "event": event.pk, "decision": "decline", "note": "Too late"}
        )
        event.refresh_from_db()
        assert (event.status, event.decision_note) == (EventStatus.DECLINED, "Too late")
        line = BudgetLine.objects.get(programme=programme, organisation_id=org, year=2026)
        assert line.amount == Decimal("100000.00")

    def test_an_approved_revision_replaces_the_lines(self, w):
        programme = _active(w)
        moved = f.budget_lines(w)
        moved[0]["amount"], moved[1]["amount"] = "150000.00", "50000.00"
        event = services.budget_revision_request(
            programme=programme,
            lines=moved,
            total="428000.00",
            reason="Rephasing",
            actor=w.focal_points[0],
        )
        with pytest.raises(Exception, match="already waiting"):
            services.budget_revision_request(
                programme=programme,
                lines=moved,
                total="428000.00",
                reason="Again",
                actor=w.submitter,
            )
        services.programme_event_decide(event=event, approve=True, actor=w.officer)
        line = BudgetLine.objects.get(programme=programme, organisation=w.punos[0], year=2026)
        assert line.amount == Decimal("150000.00")
        with pytest.raises(Exception, match="already decided"):
            services.programme_event_decide(event=event, approve=True, actor=w.officer)


class PipelineReorderTests:
    def _pipeline(self, w, n=3):
        return [in_state(f.concept_note(w, title=f"P{i}"), State.ENDORSED) for i in range(n)]

    def test_up_down_and_to_a_position(self, w):
        a, b, c = self._pipeline(w)
        services.pipeline_prioritise(programmes=[a, b, c], actor=w.officer)
        client = client_for(w.officer)
        client.post("/programmes/pipeline/reorder/", {"programme": c.pk, "move": "up"})
        assert [p.pk for p in selectors.pipeline()] == [a.pk, c.pk, b.pk]
        client.post("/programmes/pipeline/reorder/", {"programme": a.pk, "move": "down"})
        assert [p.pk for p in selectors.pipeline()] == [c.pk, a.pk, b.pk]
        response = client.post(
            "/programmes/pipeline/reorder/",
            {"programme": b.pk, "move": "to", "position": "1"},
            HTTP_HX_REQUEST="true",
        )
        assert [p.pk for p in selectors.pipeline()] == [b.pk, c.pk, a.pk]
        assert (
            response.content.decode()
            .lstrip()
            .startswith('<div class="table-scroll" id="pipeline-table">')
        )
        bad = client.post(
            "/programmes/pipeline/reorder/",
            {"programme": b.pk, "move": "to", "position": "x"},
            follow=True,
        )
        assert "Give a position from 1 to 3." in bad.content.decode()
        assert AuditRecord.objects.filter(action="programmes.pipeline.prioritise").count() == 4

    def test_only_those_who_record_decisions_reorder(self, w):
        a, b = self._pipeline(w, 2)
        assert (
            client_for(w.submitter)
            .post("/programmes/pipeline/reorder/", {"programme": b.pk, "move": "up"})
            .status_code
            == 403
        )
        page = Client().get("/programmes/pipeline/").content.decode()
        assert "Move" not in page
