"""Pages where the Network secretariat keeps the review cycle's provisional reference rows: IMRF
editions, their round tables, the UN regional commissions and their regional reviews, and the GCR
pledge stages (``services/reference_rows.py``).

Each page says that these are editable reference values, some of them provisional (not yet
confirmed in a cited source). A refused form comes back with what was typed and the service's
message next to its field; nothing is stored. Round tables, regional commissions and regional
reviews can be deleted after a confirmation page; a commission or review that other rows still
refer to is refused there, with the reason, and nothing changes.
"""

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from compacts.core.exceptions import ApplicationError
from compacts.core.form_pages import forbid_or_show_refusal, form_page
from compacts.core.permissions import allowed
from compacts.framework.models import GcmObjective
from compacts.tracking import forms
from compacts.tracking.models import (
    GcrPledgeStage,
    ImrfEdition,
    RegionalCommission,
    RegionalReview,
    RoundTable,
)
from compacts.tracking.services import reference_rows as services

MANAGE = "tracking.cycle.manage"


def _require_manager(user, obj=None) -> None:
    if not allowed(user, MANAGE, obj):
        raise PermissionDenied


def _row(model_or_queryset, pk: int):
    queryset = getattr(model_or_queryset, "objects", model_or_queryset)
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def _following(rows, field: str) -> int:
    """The number that follows the highest ``field`` of ``rows`` (1 for the first row)."""
    highest = rows.order_by(f"-{field}").values_list(field, flat=True)[:1]
    return (highest[0] + 1) if highest else 1


def _names(data: dict) -> dict[str, str]:
    """The names by language typed in a form's ``STAGE_NAME_FIELDS``."""
    return {language: data[name] for language, name, _label in forms.STAGE_NAME_FIELDS}


def _names_initial(row) -> dict[str, str]:
    """A row's names by language as the initial values of those fields."""
    return {name: row.names.get(language, "") for language, name, _l in forms.STAGE_NAME_FIELDS}


def _page(request, form, *, save, title, intro) -> HttpResponse:
    """A reference row's form (``form_page``): saved, back to the list with a message; a refused
    permission is the 403 page."""
    return form_page(
        request,
        form,
        save=save,
        message=_("The reference data is saved."),
        success="tracking:reference-rows",
        render=lambda status: render(
            request,
            "tracking/reference_form.html",
            {"form": form, "title": title, "intro": intro},
            status=status,
        ),
        refused=forbid_or_show_refusal,
    )


@login_required
def reference_rows(request: HttpRequest) -> HttpResponse:
    """The IMRF editions with their round tables, the regional commissions with their regional
    reviews, and the GCR pledge stages, with their status (provisional or confirmed) and a link
    to edit each."""
    _require_manager(request.user)
    objectives = GcmObjective.objects.order_by("number")
    editions = ImrfEdition.objects.prefetch_related(
        Prefetch("round_tables__objectives", queryset=objectives)
    )
    return render(
        request,
        "tracking/reference_rows.html",
        {
            "editions": editions,
            "commissions": RegionalCommission.objects.prefetch_related("reviews"),
            "reviews": RegionalReview.objects.select_related("commission").order_by(
                "commission__code", "round"
            ),
            "stages": GcrPledgeStage.objects.all(),
        },
    )


# --- IMRF editions --------------------------------------------------------------------------


def _edition_input(data: dict) -> services.ImrfEditionInput:
    return services.ImrfEditionInput(
        year=data["year"], title=data["title"], status=data["status"],
        starts_on=data["starts_on"], ends_on=data["ends_on"], place=data["place"],
        source_note=data["source_note"],
    )  # fmt: skip


@login_required
def imrf_edition_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request.user)
    form = forms.ImrfEditionForm(request.POST or None, initial={"status": "provisional"})
    return _page(
        request,
        form,
        save=lambda data: services.imrf_edition_create(
            data=_edition_input(data), actor=request.user
        ),
        title=_("Add an International Migration Review Forum"),
        intro=_("The forum meets every four years from 2022 (GCM paragraph 49)."),
    )


@login_required
def imrf_edition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _row(ImrfEdition, pk)
    _require_manager(request.user, edition)
    initial = {name: getattr(edition, name) for name in services.EDITION_FIELDS}
    form = forms.ImrfEditionForm(request.POST or None, initial=initial)
    return _page(
        request,
        form,
        save=lambda data: services.imrf_edition_update(
            edition=edition, data=_edition_input(data), actor=request.user
        ),
        title=_("Edit %(edition)s") % {"edition": edition.title},
        intro=_("Changing the year changes the address of the forum's progress report."),
    )


# --- Round tables ---------------------------------------------------------------------------


def _round_table_input(data: dict) -> services.RoundTableInput:
    return services.RoundTableInput(
        number=data["number"], title=data["title"], objectives=list(data["objectives"]),
        status=data["status"], source_note=data["source_note"],
    )  # fmt: skip


@login_required
def round_table_create(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _row(ImrfEdition, pk)
    _require_manager(request.user, edition)
    form = forms.RoundTableForm(
        request.POST or None,
        initial={"status": "provisional", "number": _following(edition.round_tables, "number")},
    )
    return _page(
        request,
        form,
        save=lambda data: services.round_table_create(
            edition=edition, data=_round_table_input(data), actor=request.user
        ),
        title=_("Add a round table to %(edition)s") % {"edition": edition.title},
        intro=_("A multi-stakeholder round table and the cluster of objectives it reviews."),
    )


@login_required
def round_table_edit(request: HttpRequest, pk: int) -> HttpResponse:
    table = _row(RoundTable.objects.select_related("edition"), pk)
    _require_manager(request.user, table)
    initial = {
        "number": table.number, "title": table.title, "objectives": table.objectives.all(),
        "status": table.status, "source_note": table.source_note,
    }  # fmt: skip
    form = forms.RoundTableForm(request.POST or None, initial=initial)
    return _page(
        request,
        form,
        save=lambda data: services.round_table_update(
            table=table, data=_round_table_input(data), actor=request.user
        ),
        title=_("Edit round table %(number)s of %(edition)s")
        % {"number": table.number, "edition": table.edition.title},
        intro=_("To move an objective to another round table, remove it here first."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_table_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask to confirm, then delete a round table (POST). Its objectives are then reviewed by no
    round table of the forum until another one takes them."""
    table = _row(RoundTable.objects.select_related("edition"), pk)
    _require_manager(request.user, table)
    if request.method == "POST":
        try:
            services.round_table_delete(table=table, actor=request.user)
        except ApplicationError as error:
            if error.status == 403:
                raise PermissionDenied from error
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Round table %(number)s of %(edition)s is deleted.")
                % {"number": table.number, "edition": table.edition.title},
            )
        return redirect("tracking:reference-rows")
    return render(
        request,
        "tracking/reference_delete.html",
        {
            "table": table,
            "objectives": table.objectives.order_by("number"),
            "title": _("Delete round table %(number)s of %(edition)s?")
            % {"number": table.number, "edition": table.edition.title},
        },
    )


# --- Regional commissions and regional reviews ------------------------------------------------


def _commission_input(data: dict, code: str = "") -> services.RegionalCommissionInput:
    return services.RegionalCommissionInput(
        code=code, name=data["name"], status=data["status"],
        names=_names(data),
    )  # fmt: skip


@login_required
def regional_commission_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request.user)
    form = forms.RegionalCommissionForm(
        request.POST or None, creating=True, initial={"status": "provisional"}
    )
    return _page(
        request,
        form,
        save=lambda data: services.regional_commission_create(
            data=_commission_input(data, data["code"]), actor=request.user
        ),
        title=_("Add a UN regional commission"),
        intro=_("The UN regional commissions convene the regional reviews (GCM paragraph 50)."),
    )


@login_required
def regional_commission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    commission = _row(RegionalCommission, pk)
    _require_manager(request.user, commission)
    initial = {
        "name": commission.name, "status": commission.status,
        **_names_initial(commission),
    }  # fmt: skip
    form = forms.RegionalCommissionForm(request.POST or None, creating=False, initial=initial)
    return _page(
        request,
        form,
        save=lambda data: services.regional_commission_update(
            commission=commission, data=_commission_input(data), actor=request.user
        ),
        title=_("Edit the commission %(code)s") % {"code": commission.code},
        intro=_("Its code, %(code)s, stays: the review cycle page and the API show it.")
        % {"code": commission.code},
    )


def _review_input(data: dict) -> services.RegionalReviewInput:
    return services.RegionalReviewInput(
        round=data["round"], year=data["year"], status=data["status"],
        starts_on=data["starts_on"], ends_on=data["ends_on"], place=data["place"],
        source_note=data["source_note"],
    )  # fmt: skip


@login_required
def regional_review_create(request: HttpRequest, pk: int) -> HttpResponse:
    commission = _row(RegionalCommission, pk)
    _require_manager(request.user, commission)
    form = forms.RegionalReviewForm(
        request.POST or None,
        initial={"status": "provisional", "round": _following(commission.reviews, "round")},
    )
    return _page(
        request,
        form,
        save=lambda data: services.regional_review_create(
            commission=commission, data=_review_input(data), actor=request.user
        ),
        title=_("Add a regional review by %(code)s") % {"code": commission.code},
        intro=_("Regional reviews take place every four years from 2020, between the forums."),
    )


@login_required
def regional_review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = _row(RegionalReview.objects.select_related("commission"), pk)
    _require_manager(request.user, review)
    initial = {name: getattr(review, name) for name in services.REVIEW_FIELDS}
    form = forms.RegionalReviewForm(request.POST or None, initial=initial)
    return _page(
        request,
        form,
        save=lambda data: services.regional_review_update(
            review=review, data=_review_input(data), actor=request.user
        ),
        title=_("Edit the regional review by %(code)s, round %(round)s")
        % {"code": review.commission.code, "round": review.round},
        intro=_("Its commission stays: national reviews and submissions refer to the review."),
    )


# --- GCR pledge stages ----------------------------------------------------------------------


def _stage_input(data: dict, code: str = "") -> services.GcrPledgeStageInput:
    return services.GcrPledgeStageInput(
        code=code, name=data["name"], sort_order=data["sort_order"], status=data["status"],
        names=_names(data),
    )  # fmt: skip


@login_required
def gcr_stage_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request.user)
    form = forms.GcrPledgeStageForm(
        request.POST or None, creating=True, initial={"status": "provisional"}
    )
    return _page(
        request,
        form,
        save=lambda data: services.gcr_pledge_stage_create(
            data=_stage_input(data, data["code"]), actor=request.user
        ),
        title=_("Add a stage of progress for GCR pledges"),
        intro=_("Pledgers choose it when they report on a published Global Refugee Forum pledge."),
    )


@login_required
def gcr_stage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    stage = _row(GcrPledgeStage, pk)
    _require_manager(request.user, stage)
    initial = {
        "name": stage.name, "sort_order": stage.sort_order, "status": stage.status,
        **_names_initial(stage),
    }  # fmt: skip
    form = forms.GcrPledgeStageForm(request.POST or None, creating=False, initial=initial)
    return _page(
        request,
        form,
        save=lambda data: services.gcr_pledge_stage_update(
            stage=stage, data=_stage_input(data), actor=request.user
        ),
        title=_("Edit the stage “%(name)s”") % {"name": stage.name},
        intro=_("Its code, %(code)s, stays: pledges' progress reports refer to it.")
        % {"code": stage.code},
    )


# --- Deleting a commission or a regional review -------------------------------------------------


def _delete_page(
    request, row, *, kind, delete, blocked, message, title, note, button, keep
) -> HttpResponse:
    """Ask to confirm, then ``delete()`` the row (a POST, through ``form_page``): deleted, back
    to the list with ``message``; refused (something still refers to it), the confirmation page
    again with the service's message, status 400, nothing changed. ``blocked()`` raises the
    same refusal, so a GET already says why the row cannot go and offers no button."""
    form = django_forms.Form(request.POST if request.method == "POST" else None)
    refusal = ""
    if request.method != "POST":
        try:
            blocked()
        except ApplicationError as error:
            refusal = error.message
    return form_page(
        request,
        form,
        save=lambda data: delete(),
        message=message,
        success="tracking:reference-rows",
        render=lambda status: render(
            request,
            "tracking/reference_delete.html",
            {
                "form": form,
                "row": row,
                "kind": kind,
                "refusal": refusal,
                "title": title,
                "note": note,
                "button": button,
                "keep": keep,
            },
            status=status,
        ),
        refused=forbid_or_show_refusal,
    )


@login_required
@require_http_methods(["GET", "POST"])
def regional_commission_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask to confirm, then delete a commission (POST); refused while regional reviews or other
    rows refer to it."""
    commission = _row(RegionalCommission.objects.prefetch_related("reviews"), pk)
    _require_manager(request.user, commission)
    return _delete_page(
        request,
        commission,
        kind="commission",
        delete=lambda: services.regional_commission_delete(
            commission=commission, actor=request.user
        ),
        blocked=lambda: services.regional_commission_delete_clean(commission),
        message=_("The commission %(code)s is deleted.") % {"code": commission.code},
        title=_("Delete the commission %(code)s?") % {"code": commission.code},
        note=_(
            "Only a commission without regional reviews can be deleted. The deletion is "
            "recorded in the audit log and cannot be undone here."
        ),
        button=_("Delete the commission"),
        keep=_("Keep the commission"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def regional_review_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask to confirm, then delete a regional review (POST); refused while national reviews,
    stakeholder registrations or written submissions refer to it."""
    review = _row(RegionalReview.objects.select_related("commission"), pk)
    _require_manager(request.user, review)
    names = {"code": review.commission.code, "round": review.round}
    return _delete_page(
        request,
        review,
        kind="review",
        delete=lambda: services.regional_review_delete(review=review, actor=request.user),
        blocked=lambda: services.regional_review_delete_clean(review),
        message=_("The review by %(code)s, round %(round)s, is deleted.") % names,
        title=_("Delete the review by %(code)s, round %(round)s?") % names,
        note=_(
            "Only a review that no national review, stakeholder registration or written "
            "submission refers to can be deleted. The deletion is recorded in the audit log "
            "and cannot be undone here."
        ),
        button=_("Delete the regional review"),
        keep=_("Keep the regional review"),
    )
