"""Pages of the results app: a programme's results framework, and a report (submission and
review)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from compacts.core.exceptions import ApplicationError, NotFoundError
from compacts.core.permissions import allowed
from compacts.programmes.selectors import programme_get_for_user
from compacts.results import selectors, services
from compacts.results.models import FINANCIAL_KINDS
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
