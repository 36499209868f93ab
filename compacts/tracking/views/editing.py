"""Pages where focal points and the Network secretariat record and review: national plans (versions,
actions, progress), voluntary national reviews (with attachments), Global Refugee Forum pledges,
forum registrations and written submissions.

Thin: forms parse, services check permissions and rules, write and audit. A refused request
re-renders the page with everything the person typed and the service's message next to the field
it names.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from compacts.actors.models import Organisation
from compacts.actors.selectors import user_organisation_ids
from compacts.core.exceptions import ApplicationError, NotFoundError
from compacts.core.form_pages import forbid_or_show_refusal, form_page, show_refusal
from compacts.core.permissions import allowed
from compacts.framework.models import Country
from compacts.tracking import forms, selectors
from compacts.tracking.models import (
    NationalReview,
    PlanAction,
    StakeholderRegistration,
    WorkflowTransition,
    WrittenSubmission,
)
from compacts.tracking.permissions import (
    PARTICIPANT_ROLES,
    government_country_ids,
    is_secretariat,
    pledger_organisation_ids,
    record_relations,
)
from compacts.tracking.services import cycle as cycle_services
from compacts.tracking.services import plans as plan_services
from compacts.tracking.services import pledges as pledge_services
from compacts.tracking.workflows import Machine
from compacts.tracking.workflows import gcr_pledge as gcr_workflow
from compacts.tracking.workflows import national_review as review_workflow
from compacts.tracking.workflows import plan_version as plan_workflow

#: What the button that makes each move says (the verb, not the state reached).
MOVE_LABELS = {
    "submitted": gettext_lazy("Submit for review"),
    "returned": gettext_lazy("Return for changes"),
    "published": gettext_lazy("Publish"),
    "withdrawn": gettext_lazy("Withdraw"),
    "superseded": gettext_lazy("Mark as superseded"),
}


def _get(function, **kwargs):
    try:
        return function(**kwargs)
    except NotFoundError as error:
        raise Http404(error.message) from error


def _moves(machine: Machine, user, obj) -> list[tuple[str, str]]:
    relations = record_relations(user, obj)
    return [
        (to, MOVE_LABELS.get(to, to))
        for to in machine.targets(obj.state)
        if machine.rule(obj.state, to).relations & relations
    ]


def _history(machine: Machine, obj) -> list[WorkflowTransition]:
    """The record's moves, with the states' labels in the reader's language."""
    labels = dict(machine.states.choices)
    moves = list(WorkflowTransition.objects.filter(machine=machine.name, object_id=obj.pk))
    for move in moves:
        move.from_label = labels.get(move.from_state, move.from_state)
        move.to_label = labels.get(move.to_state, move.to_state)
    return moves


def _government_countries(user):
    queryset = Country.objects.filter(m49__isnull=False).order_by("name")
    if is_secretariat(user):
        return queryset
    return queryset.filter(pk__in=government_country_ids(user))


def _form_page(request, form, *, save, message, success, title, intro, submit,
               refused=show_refusal) -> HttpResponse:  # fmt: skip
    """A form on the plain form page (``tracking/form_page.html``), saved by ``form_page``."""
    return form_page(
        request, form, save=save, message=message, success=success, refused=refused,
        render=lambda status: render(
            request, "tracking/form_page.html",
            {"form": form, "title": title, "intro": intro, "submit": submit}, status=status,
        ),
    )  # fmt: skip


def _transition(request, service, redirect_to, **kwargs) -> HttpResponse:
    """Apply a move posted by a button; refusals are shown as a message on the record's page."""
    try:
        moved = service(to=request.POST.get("to", ""), actor=request.user,
                        note=request.POST.get("note", ""), **kwargs)  # fmt: skip
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The status is now: %(state)s.") % {"state": moved.get_state_display()}
        )
    return redirect_to


# --- National implementation plans ------------------------------------------------------------


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    """A government focal point (or the secretariat) starts a plan and its first version."""
    countries = _government_countries(request.user)
    if not countries.exists():
        raise PermissionDenied
    form = forms.NationalPlanForm(request.POST or None, countries=countries)
    return _form_page(
        request,
        form,
        save=lambda data: plan_services.national_plan_with_version_create(
            country=data["country"],
            title=data["title"],
            data=_version_input(data),
            actor=request.user,
        ),
        message=_("The plan is saved as a draft. Add its actions."),
        success=lambda version: redirect("tracking:plan-detail", pk=version.pk),
        title=_("New national implementation plan"),
        intro=_(
            "The plan is saved as a draft version. Add its actions, then submit it for "
            "publication by the Network secretariat."
        ),
        submit=_("Save"),
    )


def _version_input(data: dict) -> plan_services.PlanVersionInput:
    return plan_services.PlanVersionInput(
        period_start=data["period_start"],
        period_end=data["period_end"],
        summary=data["summary"],
        amount=data["amount"],
        currency=data["currency"] or "",
        includes_migrant_health=data["includes_migrant_health"],
        adopted_on=data["adopted_on"],
    )


def plan_detail(request: HttpRequest, pk: int, *, action_form=None, progress_forms=None,
                status: int = 200) -> HttpResponse:  # fmt: skip
    """A version of a plan: its actions and progress; the forms its viewer may use."""
    version = _get(selectors.plan_version_get_for_user, user=request.user, pk=pk)
    user = request.user
    can_edit = allowed(user, "tracking.plan.edit", version)
    can_report = version.state == plan_workflow.PlanVersionState.PUBLISHED and bool(
        record_relations(user, version)
    )
    progress_forms = progress_forms or {}
    actions = [
        (action, progress_forms.get(action.pk) or forms.PlanProgressForm(prefix=f"a{action.pk}"))
        for action in version.actions.all()
    ]
    in_preparation = version.plan.versions.filter(
        state__in=plan_workflow.EDITABLE | {plan_workflow.PlanVersionState.SUBMITTED}
    ).exists()
    return render(
        request,
        "tracking/plan_detail.html",
        {
            "version": version,
            "actions": actions,
            "versions": version.plan.versions.order_by("-number"),
            "moves": _moves(plan_workflow.MACHINE, user, version),
            "history": _history(plan_workflow.MACHINE, version),
            "can_edit": can_edit,
            "can_report": can_report,
            "can_version": (
                not in_preparation and allowed(user, "tracking.plan.create", version.plan.country)
            ),
            "action_form": action_form or (forms.PlanActionForm() if can_edit else None),
        },
        status=status,
    )


@login_required
@require_POST
def plan_action_add(request: HttpRequest, pk: int) -> HttpResponse:
    version = _get(selectors.plan_version_get_for_user, user=request.user, pk=pk)
    form = forms.PlanActionForm(request.POST)

    def save(data):
        return plan_services.plan_action_create(
            version=version,
            data=plan_services.PlanActionInput(
                title=data["title"], lead_ministry=data["lead_ministry"],
                objectives=list(data["objectives"]), principles=list(data["principles"]),
                gcm_actions=data["gcm_actions"], amount=data["amount"],
                currency=data["currency"] or "", description=data["description"],
            ),
            actor=request.user,
        )  # fmt: skip

    return form_page(
        request,
        form,
        save=save,
        message=_("The action is added to the plan."),
        success=reverse("tracking:plan-detail", args=[version.pk]),
        render=lambda status: plan_detail(request, version.pk, action_form=form, status=status),
        refused=forbid_or_show_refusal,
    )


@login_required
@require_POST
def plan_transition(request: HttpRequest, pk: int) -> HttpResponse:
    version = _get(selectors.plan_version_get_for_user, user=request.user, pk=pk)
    return _transition(
        request,
        plan_services.plan_version_transition,
        redirect("tracking:plan-detail", pk=version.pk),
        version=version,
    )


@login_required
def plan_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the next version of a plan, starting from a copy of this version's actions."""
    version = _get(selectors.plan_version_get_for_user, user=request.user, pk=pk)
    if not allowed(request.user, "tracking.plan.create", version.plan.country):
        raise PermissionDenied
    initial = {
        "period_start": version.period_start, "period_end": version.period_end,
        "amount": version.amount, "currency": version.currency, "summary": version.summary,
        "includes_migrant_health": version.includes_migrant_health,
    }  # fmt: skip
    form = forms.PlanVersionForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form,
        save=lambda data: plan_services.plan_version_create(
            plan=version.plan, data=_version_input(data), actor=request.user
        ),
        message=lambda new: (
            _("Version %(number)s is open as a draft, with the actions of the previous one.")
            % {"number": new.number}
        ),
        success=lambda new: redirect("tracking:plan-detail", pk=new.pk),
        title=_("New version of %(plan)s") % {"plan": version.plan.title},
        intro=_("The new version starts as a draft with a copy of the current actions."),
        submit=_("Open the new version"),
    )


@login_required
@require_POST
def plan_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Report progress on an action of a published plan."""
    action = PlanAction.objects.select_related("version__plan").filter(pk=pk).first()
    if action is None:
        raise Http404
    version = _get(selectors.plan_version_get_for_user, user=request.user, pk=action.version_id)
    form = forms.PlanProgressForm(request.POST, prefix=f"a{action.pk}")
    return form_page(
        request,
        form,
        save=lambda data: plan_services.plan_progress_update_create(
            action=action,
            status=data["status"],
            narrative=data["narrative"],
            progress_percent=data["progress_percent"],
            actor=request.user,
        ),
        message=_("Progress recorded."),
        success=f"{version_url(version)}#action-{action.pk}",
        render=lambda status: plan_detail(
            request, version.pk, progress_forms={action.pk: form}, status=status
        ),
        refused=forbid_or_show_refusal,
    )


def version_url(version) -> str:
    return reverse("tracking:plan-detail", args=[version.pk])


# --- Voluntary national reviews -------------------------------------------------------------


def national_review_list(request: HttpRequest) -> HttpResponse:
    reviews = selectors.national_review_visible(user=request.user).order_by("country__name")
    return render(
        request,
        "tracking/national_review_list.html",
        {
            "reviews": reviews,
            "can_create": allowed(request.user, "tracking.national_review.create", None)
            or bool(government_country_ids(request.user)),
        },
    )


@login_required
def national_review_create(request: HttpRequest) -> HttpResponse:
    countries = _government_countries(request.user)
    if not countries.exists():
        raise PermissionDenied
    form = forms.NationalReviewForm(request.POST or None, countries=countries)
    return _form_page(
        request,
        form,
        save=lambda data: plan_services.national_review_create(
            country=data["country"],
            title=data["title"],
            summary=data["summary"],
            actor=request.user,
            **data["forum"],
        ),
        message=_("The review is saved as a draft. Attach its documents."),
        success=lambda review: redirect("tracking:national-review-detail", pk=review.pk),
        title=_("New voluntary national review"),
        intro=_(
            "A voluntary national review goes to one regional review or to one International "
            "Migration Review Forum. It is saved as a draft; attach its documents, then submit it."
        ),
        submit=_("Save"),
    )


def _review_for(user, pk: int) -> NationalReview:
    review = selectors.national_review_visible(user=user).filter(pk=pk).first()
    if review is None:
        raise Http404
    return review


def national_review_detail(request: HttpRequest, pk: int, *, attachment_form=None,
                           status: int = 200) -> HttpResponse:  # fmt: skip
    review = _review_for(request.user, pk)
    can_attach = allowed(request.user, "tracking.national_review.attach", review)
    context = {
        "review": review,
        "attachments": review.attachments.all(),
        "moves": _moves(review_workflow.MACHINE, request.user, review),
        "history": _history(review_workflow.MACHINE, review),
        "can_attach": can_attach,
        "attachment_form": attachment_form or (forms.AttachmentForm() if can_attach else None),
    }
    template = "tracking/national_review_detail.html"
    if request.headers.get("HX-Request") and request.method == "POST":
        # htmx swaps only the attachments section, and only a 2xx response: the refused form
        # comes back with its errors as a normal page fragment.
        context["hx"] = True
        return render(request, "tracking/includes/review_attachments.html", context)
    return render(request, template, context, status=status)


@login_required
@require_POST
def national_review_attach(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review_for(request.user, pk)
    form = forms.AttachmentForm(request.POST, request.FILES)

    def refused(form, error: ApplicationError) -> None:
        if error.status == 403:
            raise PermissionDenied from error
        form.add_error("file", error.message)

    return form_page(
        request,
        form,
        save=lambda data: plan_services.national_review_attach(
            review=review, title=data["title"], upload=data["file"], actor=request.user
        ),
        message=_("The file is attached."),
        # htmx swaps in the attachments section afresh; a plain form goes back to the page.
        success=lambda _attachment: (
            national_review_detail(request, review.pk)
            if request.headers.get("HX-Request")
            else redirect("tracking:national-review-detail", pk=review.pk)
        ),
        render=lambda status: national_review_detail(
            request, review.pk, attachment_form=form, status=status
        ),
        refused=refused,
    )


@login_required
@require_POST
def national_review_transition(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review_for(request.user, pk)
    return _transition(
        request,
        plan_services.national_review_transition,
        redirect("tracking:national-review-detail", pk=review.pk),
        review=review,
    )


# --- Global Refugee Forum pledges ------------------------------------------------------------


def _gcr_organisations(user):
    if is_secretariat(user):
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(pk__in=pledger_organisation_ids(user)).order_by("name")


def _gcr_input(data: dict) -> pledge_services.GcrPledgeInput:
    return pledge_services.GcrPledgeInput(
        title=data["title"], pledge_type=data["pledge_type"],
        description=data["description"], forum_year=data["forum_year"],
        organisation=data["organisation"], gcr_objective=data["gcr_objective"],
        areas=list(data["areas"]), country=data["country"], amount=data["amount"],
        currency=data["currency"] or "", resettlement_places=data["resettlement_places"],
    )  # fmt: skip


@login_required
def gcr_pledge_create(request: HttpRequest) -> HttpResponse:
    """Record a Global Refugee Forum pledge (the pledger's focal point, or the secretariat on
    the pledger's behalf for pledges received on UNHCR's form)."""
    organisations = _gcr_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = forms.GcrPledgeForm(request.POST or None, organisations=organisations)

    def save(data):
        on_behalf = data["organisation"].pk not in pledger_organisation_ids(request.user)
        return pledge_services.gcr_pledge_create(
            data=_gcr_input(data),
            actor=request.user,
            check=not (on_behalf and is_secretariat(request.user)),
        )

    return _form_page(
        request,
        form,
        save=save,
        message=lambda pledge: (
            _("Pledge %(reference)s saved as a draft.") % {"reference": pledge.reference}
        ),
        success=lambda pledge: redirect("tracking:gcr-pledge-detail", pk=pledge.pk),
        title=_("New Global Refugee Forum pledge"),
        intro=_(
            "Financial, material or technical support, resettlement places and complementary "
            "pathways, or a change of policy or practice, for one objective of the Global Compact "
            "on Refugees. It is saved as a draft."
        ),
        submit=_("Save"),
    )


@login_required
def gcr_pledge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a GCR pledge while it is a draft or returned for changes (its pledger's focal
    points, or the secretariat); the pledger cannot change."""
    pledge = _get(selectors.gcr_pledge_get_for_user, user=request.user, pk=pk)
    if not allowed(request.user, "tracking.gcr_pledge.edit", pledge):
        raise PermissionDenied
    initial = {
        "organisation": pledge.organisation, "title": pledge.title,
        "pledge_type": pledge.pledge_type, "forum_year": pledge.forum_year,
        "gcr_objective": pledge.gcr_objective, "areas": pledge.areas.all(),
        "description": pledge.description, "country": pledge.country, "amount": pledge.amount,
        "currency": pledge.currency, "resettlement_places": pledge.resettlement_places,
    }  # fmt: skip
    form = forms.GcrPledgeForm(
        request.POST or None,
        organisations=Organisation.objects.filter(pk=pledge.organisation_id),
        initial=initial,
    )
    return _form_page(
        request,
        form,
        save=lambda data: pledge_services.gcr_pledge_update(
            pledge=pledge, data=_gcr_input(data), actor=request.user
        ),
        message=_("Your changes are saved."),
        success=reverse("tracking:gcr-pledge-detail", args=[pledge.pk]),
        refused=forbid_or_show_refusal,
        title=_("Edit pledge %(reference)s") % {"reference": pledge.reference},
        intro=_(
            "A pledge can be edited while it is a draft or returned for changes. Its stage of "
            "progress is reported on the pledge's page once it is published."
        ),
        submit=_("Save changes"),
    )


def gcr_pledge_detail(request: HttpRequest, pk: int, *, update_form=None,
                      status: int = 200) -> HttpResponse:  # fmt: skip
    pledge = _get(selectors.gcr_pledge_get_for_user, user=request.user, pk=pk)
    can_report = allowed(request.user, "tracking.gcr_pledge.report", pledge)
    return render(
        request,
        "tracking/gcr_pledge_detail.html",
        {
            "pledge": pledge,
            "moves": _moves(gcr_workflow.MACHINE, request.user, pledge),
            "can_edit": allowed(request.user, "tracking.gcr_pledge.edit", pledge),
            "history": _history(gcr_workflow.MACHINE, pledge),
            "can_report": can_report,
            "update_form": update_form or (forms.GcrPledgeUpdateForm() if can_report else None),
        },
        status=status,
    )


@login_required
@require_POST
def gcr_pledge_transition(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _get(selectors.gcr_pledge_get_for_user, user=request.user, pk=pk)
    return _transition(
        request,
        pledge_services.gcr_pledge_transition,
        redirect("tracking:gcr-pledge-detail", pk=pledge.pk),
        pledge=pledge,
    )


@login_required
@require_POST
def gcr_pledge_report(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _get(selectors.gcr_pledge_get_for_user, user=request.user, pk=pk)
    form = forms.GcrPledgeUpdateForm(request.POST)
    return form_page(
        request,
        form,
        save=lambda data: pledge_services.gcr_pledge_update_create(
            pledge=pledge, stage=data["stage"], narrative=data["narrative"], actor=request.user
        ),
        message=_("Progress recorded."),
        success=reverse("tracking:gcr-pledge-detail", args=[pledge.pk]),
        render=lambda status: gcr_pledge_detail(
            request, pledge.pk, update_form=form, status=status
        ),
        refused=forbid_or_show_refusal,
    )


# --- Registrations and written submissions ----------------------------------------------------


def _participant_organisations(user):
    return Organisation.objects.filter(
        pk__in=user_organisation_ids(user, role_codes=PARTICIPANT_ROLES)
    ).order_by("name")


@login_required
def participation(request: HttpRequest) -> HttpResponse:
    """The signed-in person's registrations and submissions; for the secretariat, the ones
    waiting for a decision."""
    own = user_organisation_ids(request.user)
    secretariat = is_secretariat(request.user)
    registrations = StakeholderRegistration.objects.select_related(
        "organisation", "imrf_edition", "regional_review__commission"
    )
    submissions = WrittenSubmission.objects.select_related(
        "organisation", "imrf_edition", "regional_review__commission"
    )
    return render(
        request,
        "tracking/participation.html",
        {
            "registrations": registrations.filter(organisation_id__in=own),
            "submissions": submissions.filter(organisation_id__in=own),
            "secretariat": secretariat,
            "pending_registrations": (
                registrations.filter(status=StakeholderRegistration.Status.REGISTERED)
                if secretariat
                else []
            ),
            "pending_submissions": (
                submissions.filter(status=WrittenSubmission.Status.SUBMITTED) if secretariat else []
            ),
            "can_take_part": _participant_organisations(request.user).exists(),
        },
    )


@login_required
def registration_create(request: HttpRequest) -> HttpResponse:
    organisations = _participant_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = forms.RegistrationForm(request.POST or None, organisations=organisations)
    return _form_page(
        request,
        form,
        save=lambda data: cycle_services.registration_create(
            organisation=data["organisation"],
            participant_name=data["participant_name"],
            actor=request.user,
            **data["forum"],
        ),
        message=_("The registration is recorded."),
        success="tracking:participation",
        title=_("Register for a forum"),
        intro=_(
            "Register a participant of your organisation for an International Migration Review "
            "Forum or a regional review. The Network secretariat accepts or declines it."
        ),
        submit=_("Register"),
    )


@login_required
def submission_create(request: HttpRequest) -> HttpResponse:
    organisations = _participant_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = forms.SubmissionForm(request.POST or None, organisations=organisations)
    return _form_page(
        request,
        form,
        save=lambda data: cycle_services.submission_create(
            organisation=data["organisation"],
            title=data["title"],
            text=data["text"],
            objectives=list(data["objectives"]),
            actor=request.user,
            **data["forum"],
        ),
        message=_("The submission is sent to the Network secretariat."),
        success="tracking:participation",
        title=_("Send a written submission"),
        intro=_(
            "Written input of your organisation to an International Migration Review Forum or a "
            "regional review. It is published on the review cycle page once the Network "
            "secretariat has checked it."
        ),
        submit=_("Send"),
    )


@login_required
@require_POST
def registration_decide(request: HttpRequest, pk: int) -> HttpResponse:
    registration = StakeholderRegistration.objects.filter(pk=pk).first()
    if registration is None:
        raise Http404
    try:
        cycle_services.registration_decide(
            registration=registration,
            accept=request.POST.get("decision") == "accept",
            actor=request.user,
        )
    except ApplicationError as error:
        if error.status == 403:
            raise PermissionDenied from error
        messages.error(request, error.message)
    else:
        messages.success(request, _("The decision is recorded."))
    return redirect("tracking:participation")


@login_required
@require_POST
def submission_publish(request: HttpRequest, pk: int) -> HttpResponse:
    submission = WrittenSubmission.objects.filter(pk=pk).first()
    if submission is None:
        raise Http404
    try:
        cycle_services.submission_publish(submission=submission, actor=request.user)
    except ApplicationError as error:
        if error.status == 403:
            raise PermissionDenied from error
        messages.error(request, error.message)
    else:
        messages.success(request, _("The submission is published."))
    return redirect("tracking:participation")
