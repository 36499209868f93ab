"""Writes of the results app: the results framework, indicator values, the reporting calendar and
its reports. Expenditure of an accepted financial report is posted through the fund's
``expenditure_report`` service (one money path); nothing here writes ledger rows."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compacts.actors.models import Membership
from compacts.core.changes import announce
from compacts.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from compacts.core.permissions import allowed
from compacts.core.services import audit_record, model_values
from compacts.programmes.models import Programme
from compacts.programmes.workflows.programme import State as ProgrammeState
from compacts.results.models import (
    FINANCIAL_KINDS,
    Dimension,
    DimensionValue,
    ExpenditureLine,
    Indicator,
    IndicatorTarget,
    IndicatorUpdate,
    Outcome,
    Output,
    Report,
    ReportKind,
    ReportTransition,
)
from compacts.results.workflows import indicator_update as update_flow
from compacts.results.workflows import report as report_flow

# Days after the end of a period by which a report is due. The Operations Manual's dates are not
# in facts.md: these are the usual UN pass-through deadlines, kept here as editable defaults.
DUE_DAYS = {
    ReportKind.ANNUAL_NARRATIVE: 90,
    ReportKind.ANNUAL_FINANCIAL: 120,
    ReportKind.FINAL_NARRATIVE: 90,
    ReportKind.FINAL_FINANCIAL: 180,
}
REMIND_DAYS_BEFORE = 14
PERIOD = re.compile(r"(19|20)\d\d(-(Q[1-4]|H[12]|(0[1-9]|1[0-2])))?")
EDITABLE_PROGRAMME_STATES = {ProgrammeState.INVITED, ProgrammeState.ACTIVE}
LIVE_PROGRAMME_STATES = {ProgrammeState.ACTIVE, ProgrammeState.OPERATIONALLY_CLOSED}


def _require(actor, operation: str, obj=None) -> None:
    if actor is not None and not allowed(actor, operation, obj):
        raise PermissionDeniedError(
            _("You do not have permission to do this."), {"operation": operation}
        )


def _announce(programme_id: int) -> None:
    """Say (after commit) that results the public may see changed (SESSION2 §1)."""
    announce("results", programme_id=programme_id)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _number(value, field: str) -> Decimal:
    if isinstance(value, float):
        raise ApplicationError(_("Give numbers as text or decimals."), {"field": field})
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ApplicationError(
            _("%(value)s is not a number.") % {"value": value}, {"field": field}
        ) from None
    if not number.is_finite():
        raise ApplicationError(_("%(value)s is not a number.") % {"value": value}, {"field": field})
    return number


def _framework_editable(programme: Programme, actor) -> None:
    _require(actor, "results.framework.edit", programme)
    if programme.state not in EDITABLE_PROGRAMME_STATES:
        raise ConflictError(
            _("The results framework cannot be edited now."), {"state": programme.state}
        )


@transaction.atomic
def outcome_add(*, programme: Programme, code: str, statement: str, actor) -> Outcome:
    _framework_editable(programme, actor)
    if not code.strip() or not statement.strip():
        raise ApplicationError(
            _("An outcome needs a code and a statement."), {"field": "statement"}
        )
    if Outcome.objects.filter(programme=programme, code=code.strip()).exists():
        raise ConflictError(_("The code %(code)s is taken.") % {"code": code}, {"field": "code"})
    outcome = Outcome.objects.create(
        programme=programme, code=code.strip(), statement=statement.strip()
    )
    audit_record(
        actor=actor,
        action="results.outcome.add",
        obj=outcome,
        after=model_values(outcome, ["programme", "code", "statement"]),
    )
    _announce(programme.pk)
    return outcome


@transaction.atomic
def output_add(*, outcome: Outcome, code: str, statement: str, actor, organisation=None) -> Output:
    _framework_editable(outcome.programme, actor)
    if not code.strip() or not statement.strip():
        raise ApplicationError(_("An output needs a code and a statement."), {"field": "statement"})
    output = Output.objects.create(
        outcome=outcome, code=code.strip(), statement=statement.strip(), organisation=organisation
    )
    audit_record(
        actor=actor,
        action="results.output.add",
        obj=output,
        after=model_values(output, ["outcome", "code", "statement"]),
    )
    _announce(outcome.programme_id)
    return output


def breakdown_key(*, indicator: Indicator, disaggregation: dict[str, str] | None) -> str:
    """The canonical ``dimension=value;...`` key of a disaggregation, checked against the
    indicator's dimensions and each dimension's values."""
    disaggregation = disaggregation or {}
    allowed_dimensions = {d.code for d in indicator.dimensions.all()}
    unknown = set(disaggregation) - allowed_dimensions
    if unknown:
        raise ApplicationError(
            _("The indicator is not disaggregated by %(dimensions)s.")
            % {"dimensions": ", ".join(sorted(unknown))},
            {"field": "disaggregation"},
        )
    for dimension, value in disaggregation.items():
        if not DimensionValue.objects.filter(dimension__code=dimension, code=value).exists():
            raise ApplicationError(
                _("%(value)s is not a value of %(dimension)s.")
                % {"value": value, "dimension": dimension},
                {"field": "disaggregation"},
            )
    return ";".join(f"{k}={disaggregation[k]}" for k in sorted(disaggregation))


@transaction.atomic
def indicator_add(
    *,
    programme: Programme,
    code: str,
    name: str,
    unit: str,
    baseline_value,
    baseline_period: str,
    actor,
    outcome: Outcome | None = None,
    output: Output | None = None,
    dimensions: list[str] = (),
    gcm_objectives=(),
    sdg_indicators=(),
) -> Indicator:
    """An indicator of an outcome or output, with its baseline, disaggregation dimensions and its
    GCM objectives and SDG indicators."""
    _framework_editable(programme, actor)
    if (outcome is None) == (output is None):
        raise ApplicationError(
            _("An indicator measures one outcome or one output."), {"field": "outcome"}
        )
    result_programme = outcome.programme_id if outcome else output.outcome.programme_id
    if result_programme != programme.pk:
        raise ApplicationError(_("The result belongs to another programme."), {"field": "outcome"})
    if not name.strip() or not code.strip() or not unit.strip():
        raise ApplicationError(
            _("An indicator needs a code, a name and a unit."), {"field": "name"}
        )
    found = list(Dimension.objects.filter(code__in=dimensions))
    if len(found) != len(set(dimensions)):
        raise ApplicationError(_("Unknown disaggregation dimension."), {"field": "dimensions"})
    indicator = Indicator.objects.create(
        programme=programme,
        outcome=outcome,
        output=output,
        code=code.strip(),
        name=name.strip(),
        unit=unit.strip(),
        baseline_value=_number(baseline_value, "baseline_value"),
        baseline_period=str(baseline_period).strip(),
    )
    indicator.dimensions.set(found)
    indicator.gcm_objectives.set(gcm_objectives)
    indicator.sdg_indicators.set(sdg_indicators)
    audit_record(
        actor=actor,
        action="results.indicator.add",
        obj=indicator,
        after=model_values(indicator, ["programme", "code", "name", "unit", "baseline_value"]),
    )
    _announce(programme.pk)
    return indicator


@transaction.atomic
def target_set(
    *, indicator: Indicator, period: str, value, actor, disaggregation: dict | None = None
) -> IndicatorTarget:
    _framework_editable(indicator.programme, actor)
    key = breakdown_key(indicator=indicator, disaggregation=disaggregation)
    target, _created = IndicatorTarget.objects.update_or_create(
        indicator=indicator,
        period=str(period),
        breakdown=key,
        defaults={"value": _number(value, "value")},
    )
    audit_record(
        actor=actor,
        action="results.target.set",
        obj=target,
        after=model_values(target, ["indicator", "period", "breakdown", "value"]),
    )
    _announce(indicator.programme_id)
    return target


@transaction.atomic
def indicator_update_submit(
    *,
    indicator: Indicator,
    period: str,
    value,
    actor,
    disaggregation: dict | None = None,
    note: str = "",
    evidence=None,
) -> IndicatorUpdate:
    """Report an actual value of an active programme's indicator for a period (a year such as
    "2026", or a part of one such as "2026-Q2"), optionally with a file of evidence (checked
    like every attachment: type, size and content; always downloaded, never shown inline)."""
    from compacts.programmes.services import upload_check

    programme = indicator.programme
    _require(actor, "results.update.create", programme)
    if programme.state not in LIVE_PROGRAMME_STATES:
        raise ConflictError(
            _("Values are reported for active programmes."), {"state": programme.state}
        )
    period = str(period or "").strip()
    if not PERIOD.fullmatch(period):
        raise ApplicationError(
            _("Give the period as a year (2026), a quarter (2026-Q2) or a half (2026-H1)."),
            {"field": "period"},
        )
    key = breakdown_key(indicator=indicator, disaggregation=disaggregation)
    number = _number(value, "value")
    evidence_name = evidence_type = ""
    if evidence is not None:
        evidence_name, extension, evidence_type = upload_check(evidence)
    update = IndicatorUpdate(
        indicator=indicator,
        period=period,
        breakdown=key,
        value=number,
        note=(note or "").strip(),
        submitted_by=_user(actor),
        evidence_name=evidence_name[:255],
        evidence_type=evidence_type,
    )
    if evidence is not None:
        update.evidence.save(
            f"{indicator.pk}-{timezone.now():%Y%m%d%H%M%S%f}.{extension}", evidence, save=False
        )
    update.save()
    audit_record(
        actor=actor,
        action="results.update.submit",
        obj=update,
        after=model_values(
            update, ["indicator", "period", "breakdown", "value", "note", "evidence_name"]
        ),
    )
    _announce(programme.pk)
    return update


def _illegal(machine, source: str, to: str, label) -> ConflictError:
    allowed_states = machine.targets(source)
    return ConflictError(
        _("%(what)s cannot move from %(from)s to %(to)s. Allowed from here: %(allowed)s.")
        % {"what": label, "from": source, "to": to, "allowed": ", ".join(allowed_states) or "—"},
        {"state": source, "to": to, "allowed": [str(s) for s in allowed_states]},
    )


@transaction.atomic
def indicator_update_transition(
    *, update: IndicatorUpdate, to: str, actor, note: str = ""
) -> IndicatorUpdate:
    """Approve, return or resubmit a reported value (``workflows/indicator_update.py``)."""
    locked = (
        IndicatorUpdate.objects.select_for_update(of=("self",))
        .select_related("indicator__programme")
        .get(pk=update.pk)
    )
    source = locked.state
    rule = update_flow.MACHINE.rule_for(source, to)
    if rule is None:
        raise _illegal(update_flow.MACHINE, source, to, _("A reported value"))
    _require(actor, f"results.update.{source}.{to}", locked.indicator.programme)
    if rule.note_required and not (note or "").strip():
        raise ApplicationError(_("Say why: a note is required."), {"field": "note"})
    locked.state = to
    locked.reviewed_by = _user(actor) if to != update_flow.State.SUBMITTED else locked.reviewed_by
    if note:
        locked.note = note.strip()
    locked.save(update_fields=["state", "reviewed_by", "note", "updated_at"])
    audit_record(
        actor=actor,
        action="results.update.transition",
        obj=locked,
        before={"state": source},
        after={"state": to, "note": note},
    )
    _announce(locked.indicator.programme_id)
    update.state = locked.state
    return locked


def indicator_update_approve(*, update: IndicatorUpdate, actor) -> IndicatorUpdate:
    return indicator_update_transition(update=update, to=update_flow.State.APPROVED, actor=actor)


# --- Reporting calendar -----------------------------------------------------------------------


@transaction.atomic
def reporting_calendar_create(*, programme: Programme, actor) -> list[Report]:
    """The reports a funded programme owes: an annual narrative and financial report for each
    calendar year it runs (except its last), then the final ones. Idempotent."""
    if programme.starts_on is None or programme.ends_on is None:
        raise ApplicationError(_("The programme has no start and end dates yet."))
    created = []

    def add(kind: str, start: datetime.date, end: datetime.date) -> None:
        report, made = Report.objects.get_or_create(
            programme=programme,
            kind=kind,
            period_end=end,
            defaults={
                "period_start": start,
                "due_on": end + datetime.timedelta(days=DUE_DAYS[kind]),
            },
        )
        if made:
            created.append(report)

    year = programme.starts_on.year
    while year < programme.ends_on.year:
        start = max(programme.starts_on, datetime.date(year, 1, 1))
        end = datetime.date(year, 12, 31)
        add(ReportKind.ANNUAL_NARRATIVE, start, end)
        add(ReportKind.ANNUAL_FINANCIAL, start, end)
        year += 1
    add(ReportKind.FINAL_NARRATIVE, programme.starts_on, programme.ends_on)
    add(ReportKind.FINAL_FINANCIAL, programme.starts_on, programme.ends_on)
    if created:
        audit_record(
            actor=actor,
            action="results.calendar.create",
            obj=programme,
            after={"reports": [[r.kind, r.period_end] for r in created]},
        )
    return created


@transaction.atomic
def report_submit(
    *, report: Report, actor, narrative: str = "", expenditure: dict | None = None
) -> Report:
    """Submit a report: narrative text, and for a financial report each participating
    organisation's expenditure in the period (US dollars)."""
    locked = (
        Report.objects.select_for_update(of=("self",)).select_related("programme").get(pk=report.pk)
    )
    programme = locked.programme
    narrative = (narrative or "").strip()
    if not narrative:
        raise ApplicationError(_("Write the report before submitting it."), {"field": "narrative"})
    lines = []
    if locked.kind in FINANCIAL_KINDS:
        participants = {o.pk: o for o in programme.participating_organisations.all()}
        expenditure = expenditure or {}
        for org_id, raw in expenditure.items():
            if int(org_id) not in participants:
                raise ApplicationError(
                    _("Only participating organisations report expenditure."),
                    {"field": "expenditure"},
                )
            amount = _number(raw, "expenditure")
            if amount < 0 or amount != amount.quantize(Decimal("0.01")):
                raise ApplicationError(
                    _("Expenditure is zero or more, in cents at most."), {"field": "expenditure"}
                )
            if amount > 0:
                lines.append((participants[int(org_id)], amount))
    locked.narrative = narrative
    locked.submitted_by = _user(actor)
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["narrative", "submitted_by", "submitted_at", "updated_at"])
    locked.expenditure.all().delete()
    for organisation, amount in lines:
        ExpenditureLine.objects.create(report=locked, organisation=organisation, amount=amount)
    report_transition(report=report, to=report_flow.State.SUBMITTED, actor=actor)
    return locked


@transaction.atomic
def report_transition(*, report: Report, to: str, actor, note: str = "") -> Report:
    """Move a report (``workflows/report.py``). Accepting a financial report posts each line's
    expenditure through ``fund.services.expenditure_report``; accepting a final report records it
    on the programme (its closing guards read it)."""
    from compacts.fund.models import Allocation
    from compacts.fund.services import PROGRAMME_SOURCE, Authority, expenditure_report
    from compacts.programmes.services import final_report_accepted

    locked = (
        Report.objects.select_for_update(of=("self",))
        .select_related("programme__fund")
        .get(pk=report.pk)
    )
    source = locked.state
    rule = report_flow.MACHINE.rule_for(source, to)
    if rule is None:
        raise _illegal(report_flow.MACHINE, source, to, _("A report"))
    _require(actor, f"results.report.{source}.{to}", locked.programme)
    note = (note or "").strip()
    if rule.note_required and not note:
        raise ApplicationError(_("Say why: a note is required."), {"field": "note"})
    locked.state = to
    locked.save(update_fields=["state", "updated_at"])
    ReportTransition.objects.create(
        report=locked,
        from_state=source,
        to_state=to,
        actor=_user(actor),
        at=timezone.now(),
        note=note,
    )
    audit_record(
        actor=actor,
        action="results.report.transition",
        obj=locked,
        before={"state": source},
        after={"state": to, "note": note},
    )
    _announce(locked.programme_id)
    if to == report_flow.State.ACCEPTED:
        programme = locked.programme
        allocations = {
            a.organisation_id: a
            for a in Allocation.objects.filter(
                fund=programme.fund,
                source_type=PROGRAMME_SOURCE,
                source_id=str(programme.pk),
            ).order_by("pk")
        }
        for line in locked.expenditure.select_related("organisation"):
            # Reported against the programme's allocation to the organisation, so the fund
            # knows the expenditure per programme (and refuses more than was transferred).
            posting = expenditure_report(
                fund=programme.fund,
                organisation=line.organisation,
                amount=line.amount,
                value_date=locked.period_end,
                actor=actor,
                allocation=allocations.get(line.organisation_id),
                authority=Authority("results.report.submitted.accepted", programme),
                idempotency_key=f"report-{locked.pk}-expenditure-{line.organisation_id}",
                description=f"{programme.code} {locked.get_kind_display()} {locked.period_end}"[
                    :500
                ],
            )
            line.posting = posting
            line.save(update_fields=["posting", "updated_at"])
        if locked.kind == ReportKind.FINAL_NARRATIVE:
            final_report_accepted(
                programme=programme, kind="narrative", on=timezone.localdate(), actor=actor
            )
        if locked.kind == ReportKind.FINAL_FINANCIAL:
            final_report_accepted(
                programme=programme, kind="financial", on=timezone.localdate(), actor=actor
            )
    report.state = locked.state
    return locked


def report_accept(*, report: Report, actor) -> Report:
    return report_transition(report=report, to=report_flow.State.ACCEPTED, actor=actor)


def _report_recipients(report: Report) -> list[str]:
    from compacts.programmes.permissions import programme_organisation_ids

    return sorted(
        set(
            Membership.objects.filter(
                organisation_id__in=programme_organisation_ids(report.programme),
                role__code__in=list(report_flow.SUBMITTERS),
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


@transaction.atomic
def report_reminders_send(*, today: datetime.date | None = None) -> int:
    """E-mail the people of each programme whose report is due within two weeks or overdue and
    not yet submitted; each report is reminded at most once a week. Returns how many were sent."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=REMIND_DAYS_BEFORE)
    week_ago = today - datetime.timedelta(days=7)
    due = Report.objects.filter(
        state__in=[report_flow.State.DUE, report_flow.State.RETURNED],
        due_on__lte=horizon,
    ).select_related("programme")
    sent = 0
    for report in due:
        if report.reminded_on and report.reminded_on > week_ago:
            continue
        recipients = _report_recipients(report)
        if recipients:
            overdue = report.due_on < today
            subject = (_("Overdue: %(report)s") if overdue else _("Due soon: %(report)s")) % {
                "report": report
            }
            body = _(
                "The %(kind)s of %(code)s for the period ending %(end)s is due on %(due)s."
            ) % {
                "kind": report.get_kind_display(),
                "code": report.programme.code,
                "end": report.period_end,
                "due": report.due_on,
            }
            transaction.on_commit(
                lambda s=subject, b=body, r=recipients: send_mail(
                    s, b, settings.DEFAULT_FROM_EMAIL, r
                )
            )
            sent += 1
        report.reminded_on = today
        report.save(update_fields=["reminded_on", "updated_at"])
        audit_record(actor=None, action="results.report.remind", obj=report, after={"on": today})
    return sent
