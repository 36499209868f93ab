"""Pages of the tracking app: dashboards, pledge forms and review, indicators, the health lens,
the review cycle and progress reports. Thin: selectors read, services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from compacts.actors.models import Organisation, StakeholderCategory
from compacts.core.exceptions import ApplicationError, NotFoundError
from compacts.core.permissions import allowed
from compacts.framework.models import GcmObjective
from compacts.tracking import charts, selectors
from compacts.tracking.disaggregation import column_label, value_label
from compacts.tracking.forms import PledgeForm, PledgeStatusUpdateForm, UploadForm
from compacts.tracking.models import ImrfEdition, PledgeType
from compacts.tracking.permissions import pledger_organisation_ids
from compacts.tracking.progress import ProgressStatus
from compacts.tracking.services import indicators as indicator_services
from compacts.tracking.services import pledges as pledge_services
from compacts.tracking.workflows import pledge as pledge_workflow


def _or_404(function, **kwargs):
    try:
        return function(**kwargs)
    except NotFoundError as error:
        raise Http404(error.message) from error


def _with_bars(buckets):
    top = max((b.count for b in buckets), default=0)
    return [{"bucket": b, "percent": charts.bar_percent(b.count, top)} for b in buckets]


def index(request: HttpRequest) -> HttpResponse:
    return redirect("tracking:pledge-dashboard")


# --- Pledges ---------------------------------------------------------------------------------


def pledge_dashboard(request: HttpRequest) -> HttpResponse:
    """Public pledging dashboard: counts and amounts by objective, type, category, region, status,
    and the list of pledges with filters."""
    dashboard = selectors.pledge_dashboard()
    filters = {
        "objective": request.GET.get("objective", ""),
        "pledge_type": request.GET.get("pledge_type", ""),
        "category": request.GET.get("category", ""),
        "state": request.GET.get("state", ""),
    }
    objective = int(filters["objective"]) if filters["objective"].isdigit() else None
    pledges = selectors.pledge_list(
        user=request.user,
        objective=objective,
        pledge_type=filters["pledge_type"] if filters["pledge_type"] in PledgeType.values else "",
        category=filters["category"] if filters["category"] in StakeholderCategory.values else "",
        state=filters["state"] if filters["state"] in pledge_workflow.PledgeState.values else "",
    )[:200]
    sections = [
        ("objective", _("Pledges by GCM objective"), _("GCM objective")),
        ("type", _("Pledges by type"), _("Type of pledge")),
        ("category", _("Pledges by pledger category"), _("Pledger category")),
        ("region", _("Pledges by region"), _("Region")),
        ("status", _("Pledges by status"), _("Status")),
    ]
    return render(
        request,
        "tracking/pledge_dashboard.html",
        {
            "total": dashboard["total"][0],
            "sections": [
                (key, title, label, _with_bars(dashboard[key])) for key, title, label in sections
            ],
            "pledges": pledges,
            "filters": filters,
            "objectives": GcmObjective.objects.order_by("number"),
            "types": PledgeType.choices,
            "categories": StakeholderCategory.choices,
            "states": pledge_workflow.PledgeState.choices,
            "can_pledge": allowed(request.user, "tracking.pledge.create", None),
            "can_review": allowed(request.user, "tracking.pledge.review", None),
        },
    )


def pledge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _or_404(selectors.pledge_get_for_user, user=request.user, pk=pk)
    from compacts.tracking.models import WorkflowTransition
    from compacts.tracking.permissions import record_relations

    relations = record_relations(request.user, pledge)
    moves = [
        to
        for to in pledge_workflow.MACHINE.targets(pledge.state)
        if pledge_workflow.MACHINE.rule(pledge.state, to).relations & relations
    ]
    return render(
        request,
        "tracking/pledge_detail.html",
        {
            "pledge": pledge,
            "moves": [(to, pledge_workflow.MOVE_LABELS[to]) for to in moves],
            "history": WorkflowTransition.objects.filter(machine="pledge", object_id=pledge.pk),
            "can_edit": allowed(request.user, "tracking.pledge.edit", pledge),
            "can_report": allowed(request.user, "tracking.pledge.report", pledge),
            "update_form": PledgeStatusUpdateForm(),
        },
    )


def _pledge_input(form: PledgeForm) -> pledge_services.PledgeInput:
    data = form.cleaned_data
    return pledge_services.PledgeInput(
        title=data["title"],
        pledge_type=data["pledge_type"],
        kind=data["kind"],
        description=data["description"],
        organisation=data["organisation"],
        partners=list(data["partners"]),
        objectives=list(data["objectives"]),
        principles=list(data["principles"]),
        gcm_actions=data["gcm_actions"],
        matching_pledge=data["matching_pledge"],
        country=data["country"],
        amount=data["amount"],
        currency=data["currency"] or "",
        contact_name=data["contact_name"],
        contact_email=data["contact_email"],
        imrf_edition=data["imrf_edition"],
    )


def _form_error(form, error: ApplicationError) -> None:
    field = error.extra.get("field")
    form.add_error(field if field in form.fields else None, error.message)


@login_required
def pledge_create(request: HttpRequest) -> HttpResponse:
    """The pledge form for Member State and stakeholder focal points."""
    organisations = Organisation.objects.filter(pk__in=pledger_organisation_ids(request.user))
    if not organisations.exists():
        raise PermissionDenied
    form = PledgeForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            pledge = pledge_services.pledge_create(
                data=_pledge_input(form),
                actor=request.user,
                attachment=form.cleaned_data["attachment"],
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("Pledge %(reference)s saved as a draft.") % {"reference": pledge.reference},
            )
            return redirect("tracking:pledge-detail", pk=pledge.pk)
    return render(request, "tracking/pledge_form.html", {"form": form, "pledge": None})


@login_required
def pledge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _or_404(selectors.pledge_get_for_user, user=request.user, pk=pk)
    if not allowed(request.user, "tracking.pledge.edit", pledge):
        raise PermissionDenied
    organisations = Organisation.objects.filter(pk=pledge.organisation_id)
    initial = {
        "organisation": pledge.organisation, "title": pledge.title,
        "pledge_type": pledge.pledge_type, "kind": pledge.kind, "partners": pledge.partners.all(),
        "objectives": pledge.objectives.all(), "principles": pledge.principles.all(),
        "gcm_actions": ", ".join(a.code for a in pledge.gcm_actions.all()),
        "matching_pledge": pledge.matching_pledge.reference if pledge.matching_pledge else "",
        "description": pledge.description, "country": pledge.country, "amount": pledge.amount,
        "currency": pledge.currency, "imrf_edition": pledge.imrf_edition,
        "contact_name": pledge.contact_name, "contact_email": pledge.contact_email,
    }  # fmt: skip
    form = PledgeForm(
        request.POST or None, request.FILES or None, organisations=organisations, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            pledge_services.pledge_update(
                pledge=pledge, data=_pledge_input(form), actor=request.user,
                attachment=form.cleaned_data["attachment"],
            )  # fmt: skip
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("tracking:pledge-detail", pk=pledge.pk)
    return render(request, "tracking/pledge_form.html", {"form": form, "pledge": pledge})


@login_required
@require_POST
def pledge_transition(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _or_404(selectors.pledge_get_for_user, user=request.user, pk=pk)
    try:
        pledge_services.pledge_transition(
            pledge=pledge,
            to=request.POST.get("to", ""),
            actor=request.user,
            note=request.POST.get("note", ""),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The pledge is now: %(state)s.") % {"state": pledge.get_state_display()}
        )
    return redirect(request.POST.get("next") or reverse("tracking:pledge-detail", args=[pk]))


@login_required
@require_POST
def pledge_report(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _or_404(selectors.pledge_get_for_user, user=request.user, pk=pk)
    form = PledgeStatusUpdateForm(request.POST)
    if form.is_valid():
        try:
            pledge_services.pledge_status_update_create(
                pledge=pledge, progress=form.cleaned_data["progress"],
                narrative=form.cleaned_data["narrative"], actor=request.user,
            )  # fmt: skip
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Progress recorded."))
    else:
        messages.error(request, _("Describe the progress made."))
    return redirect("tracking:pledge-detail", pk=pk)


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """The secretariat's queue of submitted pledges."""
    if not allowed(request.user, "tracking.pledge.review", None):
        raise PermissionDenied
    return render(
        request, "tracking/review_queue.html", {"pledges": selectors.pledge_review_queue()}
    )


@login_required
def pledge_upload(request: HttpRequest) -> HttpResponse:
    """Bulk upload of pledges (the secretariat) with the row-by-row report."""
    if not allowed(request.user, "tracking.pledge.review", None):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = pledge_services.pledges_bulk_upload(
            content=upload.read(), filename=upload.name, actor=request.user,
            publish=form.cleaned_data["publish"],
        )  # fmt: skip
    return render(
        request,
        "tracking/upload.html",
        {
            "form": form,
            "report": report,
            "columns": pledge_services.BULK_COLUMNS,
            "kind": "pledges",
        },
    )


# --- Indicators -------------------------------------------------------------------------


def indicator_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "tracking/indicator_list.html", {"indicators": selectors.indicator_list()}
    )


def indicator_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An indicator: chart and table per series, disaggregation filters, progress, download."""
    indicator = _or_404(selectors.indicator_get, slug=slug)
    countries = selectors.indicator_countries(indicator=indicator)
    country = countries.filter(m49=request.GET.get("country", "")).first()
    options = selectors.indicator_disaggregation_values(indicator=indicator)
    filters = {}
    for name, values in options.items():
        value = request.GET.get(f"d-{name}", "")
        if value in values or value == "":
            filters[name] = value
    series = selectors.indicator_series(indicator=indicator, country=country, filters=filters)
    report = None
    form = None
    can_import = allowed(request.user, "tracking.indicator.import", indicator)
    if can_import:
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            report = indicator_services.indicator_data_import(
                indicator=indicator, content=upload.read(), filename=upload.name, actor=request.user
            )
            series = selectors.indicator_series(
                indicator=indicator, country=country, filters=filters
            )
    from compacts.core.figures import figure_get

    map_params = {"indicator": indicator.slug}
    map_params.update({f"d-{name}": value for name, value in filters.items() if value})
    return render(
        request,
        "tracking/indicator_detail.html",
        {
            "indicator": indicator,
            "map": figure_get("tracking-indicator-map", map_params) if series else None,
            "series": series,
            "chart": charts.line_chart(
                series=series, title=indicator.code, chart_id="indicator-chart"
            ),
            "countries": countries,
            "country": country,
            "options": [
                (
                    column_label(name),
                    f"d-{name}",
                    [(value, value_label(name, value)) for value in values],
                    filters.get(name, ""),
                )
                for name, values in options.items()
            ],
            "form": form,
            "report": report,
            "statuses": ProgressStatus.choices,
        },
    )


def indicator_csv(request: HttpRequest, slug: str) -> HttpResponse:
    indicator = _or_404(selectors.indicator_get, slug=slug)
    response = HttpResponse(
        selectors.indicator_export_csv(indicator=indicator), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{indicator.slug}.csv"'
    return response


# --- Health lens, plans, review cycle -------------------------------------------------------


def health(request: HttpRequest) -> HttpResponse:
    """GCM objective 15 and GCR paragraphs 72-73: one dashboard."""
    data = selectors.health_dashboard(user=request.user)
    for entry in data["indicators"]:
        entry["chart"] = charts.line_chart(
            series=[s for s in entry["series"] if not s.disaggregation],
            title=entry["indicator"].code,
            chart_id=f"chart-{entry['indicator'].slug}",
        )
    return render(
        request,
        "tracking/health.html",
        {
            **data,
            "by_type": _with_bars(data["pledges"]["type"]),
            "total": data["pledges"]["total"][0],
            "bars_title": _("Health pledges by type"),
            "bars_label": _("Type of pledge"),
        },
    )


def plan_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tracking/plan_list.html",
        {
            "plans": selectors.national_plan_list(user=request.user),
            "can_create": allowed(request.user, "tracking.plan.create", None),
        },
    )


def cycle(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tracking/cycle.html",
        {
            "editions": selectors.imrf_edition_list(),
            "reviews": selectors.regional_review_list(),
            "commitments": selectors.commitment_list(),
            "can_manage": allowed(request.user, "tracking.cycle.manage", None),
            "national_reviews": selectors.national_review_visible(user=request.user).filter(
                state="published"
            ),
            "submissions": selectors.submission_visible(user=request.user).filter(
                status="published"
            ),
        },
    )


# --- Progress reports ------------------------------------------------------------------------


def report_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tracking/report_index.html",
        {
            "objectives": GcmObjective.objects.order_by("number"),
            "countries": selectors.tracked_countries(),
            "editions": ImrfEdition.objects.all(),
        },
    )


def _report(request, template_context: dict, *, pdf: bool) -> HttpResponse:
    context = {**template_context, "is_pdf": pdf}
    if not pdf:
        return render(request, "tracking/report.html", context)
    from compacts.tracking.pdf import render_pdf

    return render_pdf(
        request, "tracking/report.html", context, filename=template_context["filename"]
    )


def report_objective(request: HttpRequest, number: int, pdf: bool = False) -> HttpResponse:
    objective = _or_404(selectors.objective_get, number=number)
    report = selectors.objective_report(objective=objective, user=request.user)
    return _report(request, {"report": report, "filename": f"gcm-objective-{number}"}, pdf=pdf)


def report_country(request: HttpRequest, m49: str, pdf: bool = False) -> HttpResponse:
    country = _or_404(selectors.country_get, m49=m49)
    report = selectors.country_report(country=country, user=request.user)
    return _report(request, {"report": report, "filename": f"country-{m49}"}, pdf=pdf)


def report_edition(request: HttpRequest, year: int, pdf: bool = False) -> HttpResponse:
    edition = ImrfEdition.objects.filter(year=year).first()
    if edition is None:
        raise Http404
    report = selectors.edition_report(edition=edition, user=request.user)
    return _report(request, {"report": report, "filename": f"imrf-{year}"}, pdf=pdf)


def gcr_pledge_list(request: HttpRequest) -> HttpResponse:
    """Global Refugee Forum pledges with their GCR objective, areas and stage of progress."""
    pledges = (
        selectors.gcr_pledge_visible(user=request.user)
        .prefetch_related("areas")
        .order_by("-forum_year", "reference")
    )
    return render(
        request,
        "tracking/gcr_pledge_list.html",
        {
            "pledges": pledges,
            "can_create": allowed(request.user, "tracking.gcr_pledge.create", None),
        },
    )
