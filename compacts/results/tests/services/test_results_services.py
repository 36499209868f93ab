"""The results app: framework, values by disaggregation, the reporting calendar, reminders and
the expenditure that accepted financial reports post through the fund's service."""

import datetime
import io

import pytest
from django.core import mail

from compacts.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from compacts.fund.models import AccountCode
from compacts.fund.selectors import account_balance
from compacts.programmes.models import Programme
from compacts.programmes.tests import factories as f
from compacts.programmes.workflows.programme import State
from compacts.results import services
from compacts.results.models import Report
from compacts.results.reference import load_reference
from compacts.results.tasks import send_report_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    load_reference(stdout=io.StringIO())
    w = f.world()
    programme = f.concept_note(w)
    Programme.objects.filter(pk=programme.pk).update(
        state=State.INVITED,
        starts_on=datetime.date(2026, 1, 10),
        ends_on=datetime.date(2027, 6, 30),
    )
    programme.refresh_from_db()
    outcome = services.outcome_add(
        programme=programme, code="1", statement="Better data", actor=w.submitter
    )
    indicator = services.indicator_add(
        programme=programme,
        outcome=outcome,
        code="1.1",
        name="People trained",
        unit="people",
        baseline_value="0",
        baseline_period="2025",
        dimensions=["sex", "age-group"],
        actor=w.submitter,
    )
    return w, programme, indicator


class ResultsFrameworkTests:
    def test_a_disaggregation_outside_the_indicator_is_refused(self, setup):
        w, _programme, indicator = setup
        with pytest.raises(ApplicationError, match="not disaggregated by disability"):
            services.target_set(
                indicator=indicator,
                period="2026",
                value="10",
                actor=w.submitter,
                disaggregation={"disability": "with-disability"},
            )
        with pytest.raises(ApplicationError, match="elderly is not a value of age-group"):
            services.target_set(
                indicator=indicator,
                period="2026",
                value="10",
                actor=w.submitter,
                disaggregation={"age-group": "elderly"},
            )
        target = services.target_set(
            indicator=indicator,
            period="2026",
            value="10",
            actor=w.submitter,
            disaggregation={"sex": "female", "age-group": "18-24"},
        )
        assert target.breakdown == "age-group=18-24;sex=female"

    def test_values_are_submitted_then_approved_and_only_for_active_programmes(self, setup):
        w, programme, indicator = setup
        with pytest.raises(ConflictError, match="active programmes"):
            services.indicator_update_submit(
                indicator=indicator, period="2026", value="4", actor=w.submitter
            )
        Programme.objects.filter(pk=programme.pk).update(state=State.ACTIVE)
        indicator.refresh_from_db()
        update = services.indicator_update_submit(
            indicator=indicator,
            period="2026",
            value="4",
            disaggregation={"sex": "male"},
            actor=w.focal_points[1],
        )
        with pytest.raises(PermissionDeniedError):
            services.indicator_update_approve(update=update, actor=w.submitter)
        with pytest.raises(ApplicationError, match="a note is required"):
            services.indicator_update_transition(update=update, to="returned", actor=w.officer)
        services.indicator_update_approve(update=update, actor=w.officer)
        with pytest.raises(ConflictError) as caught:
            services.indicator_update_transition(update=update, to="submitted", actor=w.submitter)
        assert caught.value.extra["allowed"] == []


class ReportingTests:
    def _active(self, setup):
        w, programme, _indicator = setup
        Programme.objects.filter(pk=programme.pk).update(state=State.ACTIVE)
        programme.refresh_from_db()
        services.reporting_calendar_create(programme=programme, actor=w.officer)
        return w, programme

    def test_the_calendar_has_annual_and_final_reports_and_is_idempotent(self, setup):
        w, programme = self._active(setup)
        kinds = sorted(Report.objects.filter(programme=programme).values_list("kind", "period_end"))
        assert kinds == [
            ("annual-financial", datetime.date(2026, 12, 31)),
            ("annual-narrative", datetime.date(2026, 12, 31)),
            ("final-financial", datetime.date(2027, 6, 30)),
            ("final-narrative", datetime.date(2027, 6, 30)),
        ]
        assert services.reporting_calendar_create(programme=programme, actor=w.officer) == []

    def test_expenditure_above_the_money_received_is_refused_and_nothing_is_posted(self, setup):
        w, programme = self._active(setup)
        report = Report.objects.get(programme=programme, kind="annual-financial")
        services.report_submit(
            report=report, narrative="x", actor=w.submitter, expenditure={w.punos[0].pk: "5000.00"}
        )
        with pytest.raises(ApplicationError, match="Not enough money"):
            services.report_accept(report=report, actor=w.officer)
        report.refresh_from_db()
        assert report.state == "submitted"
        assert (
            account_balance(fund=w.fund, code=AccountCode.PO_EXPENDITURE, party_id=w.punos[0].pk)
            == 0
        )

    def test_bad_expenditure_is_refused(self, setup):
        w, programme = self._active(setup)
        report = Report.objects.get(programme=programme, kind="annual-financial")
        with pytest.raises(ApplicationError, match="Only participating organisations"):
            services.report_submit(
                report=report,
                narrative="x",
                actor=w.submitter,
                expenditure={f.un_entity().pk: "10.00"},
            )
        with pytest.raises(ApplicationError, match="zero or more"):
            services.report_submit(
                report=report,
                narrative="x",
                actor=w.submitter,
                expenditure={w.punos[0].pk: "-10.00"},
            )
        with pytest.raises(ApplicationError, match="Write the report"):
            services.report_submit(report=report, narrative=" ", actor=w.submitter)
        report.refresh_from_db()
        assert report.state == "due"
        assert not report.expenditure.exists()

    def test_an_illegal_report_move_names_the_allowed_states(self, setup):
        w, programme = self._active(setup)
        report = Report.objects.get(programme=programme, kind="final-narrative")
        with pytest.raises(ConflictError) as caught:
            services.report_accept(report=report, actor=w.officer)
        assert caught.value.extra["allowed"] == ["submitted"]

    def test_reminders_go_to_the_programme_people_once_a_week(
        self, setup, django_capture_on_commit_callbacks
    ):
        w, programme = self._active(setup)
        with django_capture_on_commit_callbacks(execute=True):
            sent = services.report_reminders_send(today=datetime.date(2027, 4, 20))
        assert sent == 2  # the annual narrative was due on 31 March, the financial one on 30 April
        assert sorted(m.subject.split(":")[0] for m in mail.outbox) == ["Due soon", "Overdue"]
        assert "rco@example.org" in mail.outbox[0].to
        assert services.report_reminders_send(today=datetime.date(2027, 4, 22)) == 0

    def test_the_reminder_task_runs_the_service(self, setup):
        w, _programme = self._active(setup)
        result = send_report_reminders.enqueue()
        assert result.return_value == 0  # nothing due in the next two weeks today


def test_the_daily_command_enqueues_the_reminders(setup):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("report_reminders", stdout=out)
    assert "Report reminders enqueued" in out.getvalue()
