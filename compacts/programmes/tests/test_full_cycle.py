"""One programme from a draft concept note to financial closure, through the services only,
checking the fund's ledger at each money step (the issue's "one database test")."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail

from compacts.core.models import AuditRecord
from compacts.fund.models import AccountCode, Allocation
from compacts.fund.selectors import account_balance, fund_cash_available
from compacts.programmes import selectors, services
from compacts.programmes.models import ProgrammeTransition
from compacts.programmes.tests import factories as f
from compacts.programmes.workflows.programme import State
from compacts.results import services as results
from compacts.results.models import Report
from compacts.results.reference import load_reference as load_results_reference

pytestmark = pytest.mark.django_db

D = Decimal


def test_a_concept_note_goes_from_draft_to_financially_closed(django_capture_on_commit_callbacks):
    """Every step through the services; the ledger moves only through the fund's services."""
    import io

    load_results_reference(stdout=io.StringIO())
    w = f.world()
    cash_before = fund_cash_available(fund=w.fund)
    programme = f.concept_note(w)
    with django_capture_on_commit_callbacks(execute=True):
        services.concept_note_submit(programme=programme, actor=w.submitter)
    assert programme.state == State.SUBMITTED
    assert any("now: Submitted" in m.subject for m in mail.outbox)

    services.screening_record(
        programme=programme,
        outcome="eligible",
        actor=w.officer,
        answers={code: True for code, _t in f.CHECKLIST},
    )
    services.programme_send_to_committee(programme=programme, actor=w.officer)
    members = f.committee(w)
    meeting = f.meeting(w, members)
    item = services.agenda_item_add(meeting=meeting, programme=programme, actor=w.officer)
    services.decision_record(agenda_item=item, outcome="endorse", actor=w.officer)
    programme.refresh_from_db()
    assert programme.state == State.ENDORSED
    assert selectors.pipeline(fund=w.fund) == [programme]

    services.programme_invite(programme=programme, actor=w.officer)
    services.budget_set(
        programme=programme, lines=f.budget_lines(w), total="428000.00", actor=w.submitter
    )
    outcome = results.outcome_add(
        programme=programme, code="1", statement="Policy is evidence-based", actor=w.submitter
    )
    indicator = results.indicator_add(
        programme=programme,
        outcome=outcome,
        code="1.1",
        name="Policies using migration data",
        unit="policies",
        baseline_value="0",
        baseline_period="2025",
        actor=w.submitter,
        dimensions=["sex"],
        gcm_objectives=[w.ref["objective"]],
        sdg_indicators=[w.ref["sdg_indicator"]],
    )
    results.target_set(indicator=indicator, period="2027", value="3", actor=w.submitter)
    services.work_plan_activity_add(
        programme=programme,
        title="Data audit",
        organisation=w.punos[0],
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2026, 9, 30),
        actor=w.submitter,
    )
    services.risk_add(
        programme=programme,
        risk="Elections delay",
        likelihood="medium",
        impact="high",
        mitigation="Engage technical staff",
        actor=w.submitter,
    )
    services.document_update(
        programme=programme, monitoring_plan="Quarterly joint monitoring.", actor=w.submitter
    )
    services.document_submit(programme=programme, actor=w.submitter)
    services.technical_review_start(programme=programme, actor=w.officer)
    services.technical_review_submit(
        programme=programme,
        recommendation="approve",
        actor=w.officer,
        scores={code: 4 for code, _n in f.CRITERIA},
    )
    second = f.meeting(w, members, held_on=datetime.date(2026, 5, 4))
    item = services.agenda_item_add(meeting=second, programme=programme, actor=w.officer)
    services.decision_record(agenda_item=item, outcome="approve", actor=w.chair_user)
    programme.refresh_from_db()
    assert programme.state == State.APPROVED
    allocations = Allocation.objects.filter(
        source_type="programmes.programme", source_id=str(programme.pk)
    )
    assert sorted(a.amount for a in allocations) == [D("214000.00"), D("214000.00")]
    assert fund_cash_available(fund=w.fund) == cash_before  # an allocation moves no money

    first = programme.tranches.filter(number=1).order_by("pk")
    assert [t.amount for t in first] == [D("107000.00"), D("107000.00")]
    for tranche in first:
        services.tranche_transfer(
            tranche=tranche, value_date=datetime.date(2026, 5, 10), actor=w.agent
        )
    programme.refresh_from_db()
    assert programme.state == State.ACTIVE
    assert fund_cash_available(fund=w.fund) == cash_before - D("214000.00")
    for org in w.punos:
        assert account_balance(fund=w.fund, code=AccountCode.PO_BALANCE, party_id=org.pk) == D(
            "107000.00"
        )
    money = selectors.programme_money(programme=programme)
    assert money["allocated"] == D("428000.00")
    assert money["transferred"] == D("214000.00")

    update = results.indicator_update_submit(
        indicator=indicator,
        period="2026",
        value="1",
        disaggregation={"sex": "female"},
        actor=w.focal_points[0],
    )
    results.indicator_update_approve(update=update, actor=w.officer)

    results.reporting_calendar_create(programme=programme, actor=w.officer)
    kinds = sorted(Report.objects.filter(programme=programme).values_list("kind", flat=True))
    assert kinds.count("final-financial") == 1
    assert "annual-narrative" in kinds
    annual = Report.objects.filter(programme=programme, kind="annual-financial").first()
    results.report_submit(
        report=annual,
        narrative="Spent on data audit.",
        actor=w.submitter,
        expenditure={w.punos[0].pk: "50000.00", w.punos[1].pk: "25000.00"},
    )
    results.report_accept(report=annual, actor=w.officer)
    assert account_balance(
        fund=w.fund, code=AccountCode.PO_EXPENDITURE, party_id=w.punos[0].pk
    ) == D("50000.00")
    assert account_balance(fund=w.fund, code=AccountCode.PO_BALANCE, party_id=w.punos[0].pk) == D(
        "57000.00"
    )
    # Reported against the programme's allocations: the expenditure per programme and agency.
    money = selectors.programme_money(programme=programme)
    assert {row["allocation"].organisation_id: row["spent"] for row in money["allocations"]} == {
        w.punos[0].pk: D("50000.00"),
        w.punos[1].pk: D("25000.00"),
    }
    assert money["spent"] == D("75000.00")

    for kind in ("final-narrative", "final-financial"):
        report = Report.objects.get(programme=programme, kind=kind)
        expenditure = {w.punos[1].pk: "10000.00"} if kind == "final-financial" else None
        results.report_submit(
            report=report, narrative="Final.", expenditure=expenditure, actor=w.submitter
        )
        results.report_accept(report=report, actor=w.officer)
        if kind == "final-narrative":
            services.programme_close_operationally(programme=programme, actor=w.officer)
    services.programme_close_financially(programme=programme, actor=w.agent)
    programme.refresh_from_db()
    assert programme.state == State.FINANCIALLY_CLOSED
    assert account_balance(
        fund=w.fund, code=AccountCode.PO_EXPENDITURE, party_id=w.punos[1].pk
    ) == D("35000.00")
    moves = list(
        ProgrammeTransition.objects.filter(programme=programme).values_list("to_state", flat=True)
    )
    assert moves == [
        State.SUBMITTED,
        State.ELIGIBLE,
        State.COMMITTEE_REVIEW,
        State.ENDORSED,
        State.INVITED,
        State.DOCUMENT_SUBMITTED,
        State.TECHNICAL_REVIEW,
        State.APPROVED,
        State.ACTIVE,
        State.OPERATIONALLY_CLOSED,
        State.FINANCIALLY_CLOSED,
    ]
    audited = AuditRecord.objects.filter(
        action="programmes.programme.transition", object_id=str(programme.pk)
    )
    assert audited.count() == len(moves)
