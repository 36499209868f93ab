"""Pages of the results app: a programme's results framework, and a report (submission and
review)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from compacts.core.exceptions import ApplicationError, NotFoundError
from compacts.core.permissions import allowed
from compacts.programmes.selectors import programme_get_for_user
from compacts.results import selectors, services
from compacts.results.models import FINANCIAL_KINDS, Indicator, IndicatorUpdate
from compacts.results.workflows.indicator_update import State as UpdateState
from compacts.results.workflows.report import State


def programme_results(request: HttpRequest, programme_id: int) -> HttpResponse:
    try:
        programme = programme_get_for_user(user=request.user, programme_id=programme_id)
    except NotFoundError:
        raise Http404 from None
    return render(
        request,
        "results/programme_results.html",
        {"programme": programme, "framework": selectors.results_framework(programme=programme)},
    )


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    try:
        report = selectors.report_get_for_user(user=request.user, report_id=report_id)
    except NotFoundError:
        raise Http404 from None
    programme = report.programme
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action == "submit":
                expenditure = {
                    org.pk: request.POST.get(f"expenditure-{org.pk}") or "0"
                    for org in programme.participating_organisations.all()
                }
                services.report_submit(
                    report=report,
                    narrative=request.POST.get("narrative", ""),
                    expenditure=expenditure,
                    actor=request.user,
                )
                messages.success(request, _("The report is submitted."))
            elif action in {State.ACCEPTED, State.RETURNED}:
                services.report_transition(
                    report=report, to=action, actor=request.user, note=request.POST.get("note", "")
                )
                messages.success(
                    request, _("The report is %(state)s.") % {"state": State(action).label}
                )
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("results:report", report_id=report.pk)
    source = report.state
    can_submit = source in {State.DUE, State.RETURNED} and allowed(
        request.user, f"results.report.{source}.submitted", programme
    )
    can_review = source == State.SUBMITTED and allowed(
        request.user, "results.report.submitted.accepted", programme
    )
    return render(
        request,
        "results/report_detail.html",
        {
            "report": report,
            "programme": programme,
            "is_financial": report.kind in FINANCIAL_KINDS,
            "can_submit": can_submit,
            "can_review": can_review,
            "organisations": programme.participating_organisations.all(),
            "lines": report.expenditure.select_related("organisation", "posting"),
        },
    )


@login_required
def indicator_values(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Report actual values against targets, per indicator and period, with evidence (the
    programme's people); approve or return the values waiting (the Management Unit). A refused
    value keeps what was typed."""
    try:
        programme = programme_get_for_user(user=request.user, programme_id=programme_id)
    except NotFoundError:
        raise Http404 from None
    can_report = allowed(request.user, "results.update.create", programme)
    can_review = allowed(request.user, "results.update.submitted.approved", programme)
    if not (can_report or can_review):
        raise PermissionDenied
    values = request.POST.dict() if request.method == "POST" else {}
    form = values.get("form", "")
    error_for = None
    if request.method == "POST":
        if not (can_review if form == "review" else can_report):
            raise PermissionDenied
        try:
            if form == "report":
                indicator = Indicator.objects.filter(
                    programme=programme, pk=values.get("indicator") or 0
                ).first()
                if indicator is None:
                    raise Http404
                error_for = indicator.pk
                services.indicator_update_submit(
                    indicator=indicator,
                    period=values.get("period", ""),
                    value=values.get("value", "").strip().replace(",", ""),
                    disaggregation={
                        d.code: values[f"dim-{d.code}"]
                        for d in indicator.dimensions.all()
                        if values.get(f"dim-{d.code}")
                    },
                    note=values.get("note", ""),
                    evidence=request.FILES.get("evidence"),
                    actor=request.user,
                )
                messages.success(request, _("The value is submitted for review."))
            elif form == "review":
                update = IndicatorUpdate.objects.filter(
                    indicator__programme=programme, pk=values.get("update") or 0
                ).first()
                if update is None:
                    raise Http404
                error_for = f"u{update.pk}"
                services.indicator_update_transition(
                    update=update,
                    to=values.get("to", ""),
                    note=values.get("note", ""),
                    actor=request.user,
                )
                messages.success(
                    request,
                    _("The value is %(state)s.")
                    % {"state": UpdateState(update.state).label.lower()},
                )
            else:
                raise ApplicationError(_("Unknown form."))
        except ApplicationError as error:
            messages.error(request, error.message)
            values["error"] = error.message
        else:
            return redirect("results:values", programme_id=programme.pk)
    progress = selectors.indicator_progress(programme=programme)
    for entry in progress:
        for dimension in entry["dimensions"]:
            # After a refused value, its disaggregation is chosen again as it was.
            typed = entry["indicator"].pk == error_for
            dimension.selected = values.get(f"dim-{dimension.code}", "") if typed else ""
    return render(
        request,
        "results/indicator_values.html",
        {
            "programme": programme,
            "progress": progress,
            "can_report": can_report and programme.state in services.LIVE_PROGRAMME_STATES,
            "can_review": can_review,
            "values": values,
            "error_for": error_for,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def evidence_download(request: HttpRequest, update_id: int) -> HttpResponse:
    """The evidence of a reported value: always a download, never shown inline."""
    try:
        update = selectors.indicator_update_get_for_user(user=request.user, update_id=update_id)
    except NotFoundError:
        raise Http404 from None
    if not update.evidence or not allowed(
        request.user, "programmes.attachment.download", update.indicator.programme
    ):
        raise Http404
    response = FileResponse(
        update.evidence.open("rb"),
        as_attachment=True,
        filename=update.evidence_name,
        content_type=update.evidence_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
