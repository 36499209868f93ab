"""Pages of the UN Network on Migration: thin views over selectors and services."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from compacts.core.exceptions import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
)
from compacts.core.figures import figure_get
from compacts.core.form_pages import form_page, show_refusal
from compacts.core.permissions import allowed, require
from compacts.framework.models import GcmObjective, GuidingPrinciple, Region
from compacts.network import selectors, services
from compacts.network.figures import network_filters
from compacts.network.forms import (
    AchievementForm,
    ActivityForm,
    CallForm,
    ChampionCountryForm,
    CommentForm,
    DeliverableForm,
    EventForm,
    FeedbackForm,
    FocalPointForm,
    FollowUpForm,
    MatchForm,
    MemberForm,
    MemberLeaveForm,
    MemberRejoinForm,
    MoveForm,
    NetworkForm,
    NetworkMemberForm,
    NetworkMoveForm,
    PilotCountriesForm,
    PracticeForm,
    RegistrationForm,
    ResourceAttachmentForm,
    ResourceForm,
    SupportRequestForm,
    WorkingGroupForm,
    localised,
)
from compacts.network.models import (
    Attachment,
    ChampionCountry,
    Comment,
    CountryNetwork,
    Event,
    NetworkMember,
    Practice,
    Registration,
    Resource,
    Term,
    WorkingGroup,
)
from compacts.network.workflows import activity as activity_flow
from compacts.network.workflows import call as call_flow
from compacts.network.workflows import country_network as country_network_flow
from compacts.network.workflows import deliverable as deliverable_flow
from compacts.network.workflows import event as event_flow
from compacts.network.workflows import practice as practice_flow
from compacts.network.workflows import registration as registration_flow
from compacts.network.workflows import support_request as support_request_flow

PAGE_SIZE = 20


def domain_errors(view):
    """Turn a refused permission or a missing record into the usual 403/404 pages."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFoundError as error:
            raise Http404(error.message) from error
        except PermissionDeniedError:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            return render(request, "network/forbidden.html", status=403)

    return wrapper


def _ints(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


# --- Overview and structure -----------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "network/index.html",
        {
            "members": selectors.network_member_list(),
            "groups": selectors.working_group_list().filter(parent__isnull=True),
            "champions": ChampionCountry.objects.select_related("country"),
        },
    )


def working_group_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "network/working_groups.html", {"groups": selectors.working_group_list()}
    )


@domain_errors
def working_group_detail(request: HttpRequest, code: str) -> HttpResponse:
    group = selectors.working_group_get(code=code)
    return render(
        request,
        "network/working_group.html",
        {
            "group": group,
            "can_manage": allowed(request.user, "network.working_group.manage", group),
        },
    )


# --- Country and regional networks -----------------------------------------------------------


@domain_errors
def network_list(request: HttpRequest) -> HttpResponse:
    """Networks with filters: a list with links, and the map with the table of every network."""
    params = {
        key: request.GET.get(key, "")[:100]
        for key in ("kind", "region", "state", "q")
        if request.GET.get(key, "").strip()
    }
    filters = network_filters(params)
    context = {
        "networks": selectors.country_network_list(filters=filters),
        "filters": filters,
        "map": figure_get("network-country-networks", params),
        "regions": Region.objects.filter(level="region").order_by("name"),
        "kinds": CountryNetwork.Kind.choices,
        "states": CountryNetwork._meta.get_field("state").choices,
        "can_create": allowed(request.user, "network.structure.manage"),
    }
    return render(request, "network/networks.html", context)


@domain_errors
def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    network = selectors.country_network_get(pk=pk)
    return render(
        request,
        "network/network.html",
        {
            "network": network,
            "can_manage": allowed(request.user, "network.country_network.manage", network),
        },
    )


# --- Events --------------------------------------------------------------------------------


def event_list(request: HttpRequest) -> HttpResponse:
    can_plan = request.user.is_authenticated and (
        allowed(request.user, "network.event.manage", None) or _event_groups(request.user).exists()
    )
    planned = []
    if can_plan:
        planned = [
            event
            for event in Event.objects.filter(state="planned").order_by("starts_at")
            if allowed(request.user, "network.event.manage", event)
        ]
    return render(
        request,
        "network/events.html",
        {"events": selectors.event_list(), "can_plan": can_plan, "planned": planned},
    )


@domain_errors
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(user=request.user, pk=pk)
    registration = selectors.registration_of(user=request.user, event=event)
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = RegistrationForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: services.registration_create(actor=request.user, event=event, **data),
        message=_("You are registered. The Secretariat will confirm."),
        success=reverse("network:event", args=[event.pk]),
        render=lambda status: render(
            request,
            "network/event.html",
            {"event": event, "registration": registration, "form": form},
            status=status,
        ),
        refused=_refusal_message(request),
    )


# --- Knowledge hub -----------------------------------------------------------------------------


def hub(request: HttpRequest) -> HttpResponse:
    """The repository of practices: ranked search and facets; htmx swaps only the results."""
    language = get_language() or "en"
    filters = selectors.PracticeFilters(
        objectives=_ints(request.GET.getlist("objective")),
        countries=[c for c in request.GET.getlist("country") if c.isalpha()][:20],
        regions=[r for r in request.GET.getlist("region") if r.isdigit()][:20],
        principles=[p for p in request.GET.getlist("principle") if len(p) == 1],
        themes=request.GET.getlist("theme")[:20],
        language=request.GET.get("language", "")[:10],
    )
    query = request.GET.get("q", "")
    result = selectors.practice_search(query=query, filters=filters, language=language)
    page = Paginator(result.practices, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "result": result,
        "page": page,
        "query": query,
        "filters": filters,
        "facets": selectors.practice_facets(result=result, filters=filters, language=language),
        "objectives": GcmObjective.objects.all(),
        "principles": GuidingPrinciple.objects.all(),
        "themes": Term.objects.filter(vocabulary="theme"),
        "regions": Region.objects.filter(level="region").order_by("name"),
        "calls": selectors.call_list().filter(state="announced"),
    }
    template = (
        "network/_hub_results.html"
        if request.headers.get("HX-Request") == "true"
        else "network/hub.html"
    )
    return render(request, template, context)


@domain_errors
def practice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    practice = selectors.practice_get_for_user(user=request.user, pk=pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_create(
                actor=request.user, practice=practice, body=form.cleaned_data["body"]
            )
            messages.success(request, _("Thank you. Your comment will show once moderated."))
            return redirect("network:practice", pk=practice.pk)
        except ApplicationError as error:
            messages.error(request, error.message)
    return render(
        request,
        "network/practice.html",
        {
            "practice": practice,
            "comments": selectors.practice_comments(practice=practice, user=request.user),
            "form": form,
            "can_comment": allowed(request.user, "network.comment.create", practice),
            "can_edit": allowed(request.user, "network.practice.update", practice),
            "can_review": allowed(request.user, "network.practice.review", practice),
            "moves": practice_flow.MACHINE.targets(practice.state),
        },
    )


@domain_errors
def practice_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Fill in the template. "Save draft" always keeps what was typed; "Submit for review" saves
    first, then names any required field still empty."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    practice = selectors.practice_get_for_user(user=request.user, pk=pk) if pk else None
    if practice is not None:
        require(request.user, "network.practice.update", practice)
    initial = PracticeForm.initial_for(practice) if practice else {"language": get_language()}
    form = PracticeForm(request.POST or None, request.FILES or None, initial=initial)
    missing: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if practice is None:
                    practice = services.practice_create(
                        actor=request.user, data=form.service_data()
                    )
                else:
                    practice = services.practice_update(
                        actor=request.user, practice=practice, data=form.service_data()
                    )
            except ApplicationError as error:
                messages.error(request, error.message)
                status = 400
            else:
                upload = form.cleaned_data.get("attachment")
                saved_upload = True
                if upload:
                    try:
                        services.attachment_add(
                            actor=request.user, practice=practice, upload=upload
                        )
                    except ApplicationError as error:
                        form.add_error("attachment", error.message)
                        saved_upload = False
                if "submit" in request.POST and saved_upload:
                    try:
                        services.practice_submit(actor=request.user, practice=practice)
                        messages.success(
                            request, _("Thank you. Your practice was submitted for review.")
                        )
                        return redirect("network:practice", pk=practice.pk)
                    except ApplicationError as error:
                        missing = error.extra.get("missing", {})
                        messages.error(request, error.message)
                        status = 400
                elif saved_upload:
                    messages.success(request, _("Your draft was saved."))
                    return redirect("network:practice-edit", pk=practice.pk)
                else:
                    status = 400
                    messages.error(request, _("Your draft was saved, but not the attachment."))
        else:
            status = 400
    return render(
        request,
        "network/practice_form.html",
        {"form": form, "practice": practice, "missing": missing},
        status=status,
    )


@domain_errors
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Attachments are always downloaded, never shown inline (a file could carry active content)."""
    attachment = get_object_or_404(Attachment, pk=pk)
    owner = attachment.practice
    if owner is not None:
        selectors.practice_get_for_user(user=request.user, pk=owner.pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@domain_errors
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then remove a file from a practice or a library resource (a POST with
    ``confirm=yes``), for those who may edit it; back to the page that lists its files."""
    if response := _signed_in(request):
        return response
    attachment = get_object_or_404(Attachment.objects.select_related("practice", "resource"), pk=pk)
    if attachment.practice_id is not None:
        owner = selectors.practice_get_for_user(user=request.user, pk=attachment.practice_id)
        require(request.user, "network.practice.update", owner)
        back = reverse("network:practice-edit", args=[owner.pk])
        owner_title = owner.title
    else:
        require(request.user, "network.resource.manage", attachment.resource)
        back = reverse("network:resource-edit", args=[attachment.resource_id])
        owner_title = attachment.resource.title
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        services.attachment_remove(actor=request.user, attachment=attachment)
        messages.success(
            request, _("The file %(name)s was removed.") % {"name": attachment.original_name}
        )
        return redirect(back)
    return _remove_page(
        request,
        title=_("Remove the file %(name)s?") % {"name": attachment.original_name},
        text=_(
            "The file will no longer be attached to “%(title)s” and can no longer be "
            "downloaded; the stored copy is deleted. The audit trail keeps a record of the "
            "removal."
        )
        % {"title": owner_title},
        cancel=back,
    )


def call_list(request: HttpRequest) -> HttpResponse:
    can_manage = allowed(request.user, "network.call.manage")
    return render(
        request,
        "network/calls.html",
        {"calls": selectors.call_list(public=not can_manage), "can_manage": can_manage},
    )


@domain_errors
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get(user=request.user, pk=pk)
    return render(
        request,
        "network/call.html",
        {
            "call": call,
            "practices": call.practices.filter(state="published"),
            "can_manage": allowed(request.user, "network.call.manage", call),
            "moves": _moves(call_flow.MACHINE, call.state),
        },
    )


def library(request: HttpRequest) -> HttpResponse:
    """The library: ranked search (title, keywords, then the rest) and filters."""
    query = request.GET.get("q", "")[:200]
    type_code = request.GET.get("type", "")[:60]
    objective = _ints([request.GET.get("objective", "")])
    result = selectors.resource_search(
        query=query,
        type_code=type_code,
        objective=objective[0] if objective else None,
        language=get_language() or "en",
    )
    page = Paginator(result.resources, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/library.html",
        {
            "result": result,
            "page": page,
            "resources": page.object_list,
            "query": query,
            "type_code": type_code,
            "objective": objective[0] if objective else None,
            "types": Term.objects.filter(vocabulary="resource-type"),
            "objectives": GcmObjective.objects.all(),
            "can_manage": allowed(request.user, "network.resource.manage"),
        },
    )


# --- Members and the Secretariat ---------------------------------------------------------------


@domain_errors
def members_area(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "network/members.html", selectors.members_area(user=request.user))


@domain_errors
def secretariat(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "network/secretariat.html", selectors.review_queues(user=request.user))


def _back(request: HttpRequest, fallback: str):
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(fallback)


def _move(request: HttpRequest, transition, **record) -> HttpResponse:
    """Apply the move a button of the Secretariat's queues posted (``to``, ``note``); a refusal
    is an error message. Back to the page the button was on."""
    try:
        transition(
            **record,
            to=request.POST.get("to", ""),
            actor=request.user,
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("Done."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return _back(request, "network:secretariat")


@require_POST
@domain_errors
def practice_move(request: HttpRequest, pk: int) -> HttpResponse:
    practice = get_object_or_404(Practice, pk=pk)
    return _move(request, services.practice_transition, practice=practice)


@require_POST
@domain_errors
def registration_move(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_object_or_404(Registration, pk=pk)
    return _move(request, services.registration_transition, registration=registration)


@require_POST
@domain_errors
def comment_move(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=pk)
    return _move(request, services.comment_transition, comment=comment)


# --- Requests for technical assistance ---------------------------------------------------------


@domain_errors
def request_new(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(request.user, "network.support_request.create")
    form = SupportRequestForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: services.support_request_create(
            actor=request.user,
            title=data["title"],
            country=data["country"],
            description=data["description"],
            objective_ids=[o.pk for o in data["objectives"]],
        ),
        message=_("Your request was received."),
        success=lambda created: redirect("network:request", pk=created.pk),
        render=lambda status: render(
            request, "network/request_form.html", {"form": form}, status=status
        ),
        refused=_refusal_message(request),
    )


@domain_errors
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.support_request_get_for_user(user=request.user, pk=pk)
    manage = allowed(request.user, "network.support_request.manage", item)
    match_form = MatchForm(request.POST or None, prefix="match")
    if request.method == "POST" and manage:
        action = request.POST.get("action", "")
        try:
            if action == "match" and match_form.is_valid():
                services.support_request_match(
                    actor=request.user,
                    request=item,
                    partner_ids=[o.pk for o in match_form.cleaned_data["partners"]],
                    note=match_form.cleaned_data["note"],
                )
            elif action == "support":
                services.support_request_support(
                    actor=request.user, request=item, summary=request.POST.get("summary", "")
                )
            elif action == "concept-note":
                services.support_request_link_concept_note(
                    actor=request.user, request=item, reference=request.POST.get("reference", "")
                )
            elif action == "close":
                services.support_request_transition(
                    request=item,
                    to=support_request_flow.State.CLOSED,
                    actor=request.user,
                    note=request.POST.get("note", ""),
                )
            else:
                raise ApplicationError(_("Check the form and try again."))
            messages.success(request, _("Done."))
            return redirect("network:request", pk=item.pk)
        except ApplicationError as error:
            messages.error(request, error.message)
    item = selectors.support_request_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "network/request.html",
        {"item": item, "manage": manage, "match_form": match_form},
        status=400 if request.method == "POST" else 200,
    )


def request_list(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(
        request,
        "network/requests.html",
        {
            "requests": selectors.support_request_list(user=request.user),
            "can_create": allowed(request.user, "network.support_request.create"),
        },
    )


# --- Edit pages: working groups, events, calls, library ----------------------------------------


def _moves(machine, state: str) -> list[tuple[str, str]]:
    """The states ``machine`` can move to from ``state``, as (value, label)."""
    return [(to, str(machine.states(to).label)) for to in machine.targets(state)]


def _signed_in(request: HttpRequest):
    return None if request.user.is_authenticated else redirect_to_login(request.get_full_path())


def _edit_page(request, form, *, save, message, success, title: str, intro: str = "",
               cancel: str) -> HttpResponse:  # fmt: skip
    """A form on the plain edit page (``network/edit.html``), saved by ``form_page``."""
    return form_page(
        request, form, save=save, message=message, success=success,
        render=lambda status: render(
            request, "network/edit.html",
            {"form": form, "title": title, "intro": intro, "cancel": cancel}, status=status,
        ),
    )  # fmt: skip


def _refusal_message(request):
    """A refusal shown as an error message at the top of the page, not on a field."""
    return lambda _form, error: messages.error(request, error.message)


@domain_errors
def working_group_manage(request: HttpRequest, code: str) -> HttpResponse:
    """One page for a group's co-leads and the Secretariat: description and terms of reference,
    co-leads and members, workplan activities and their status."""
    if response := _signed_in(request):
        return response
    group = selectors.working_group_get(code=code)
    require(request.user, "network.working_group.manage", group)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    details = WorkingGroupForm(
        request.POST if action == "details" else None,
        initial={"description": group.description, "terms_of_reference": group.terms_of_reference},
        prefix="details",
    )
    member_form = MemberForm(request.POST if action == "member" else None, prefix="member")
    activity_form = ActivityForm(request.POST if action == "activity" else None, prefix="activity")
    deliverable_form = DeliverableForm(
        request.POST if action == "deliverable" else None, prefix="deliverable"
    )
    forms_by_action = {
        "details": details,
        "member": member_form,
        "activity": activity_form,
        "deliverable": deliverable_form,
    }
    if request.method == "POST":
        form = forms_by_action.get(action)
        try:
            if form is not None and form.is_valid():
                data = form.cleaned_data
                if action == "details":
                    services.working_group_update(actor=request.user, working_group=group, **data)
                    messages.success(request, _("The working group was saved."))
                elif action == "member":
                    services.working_group_member_set(
                        actor=request.user, working_group=group, **data
                    )
                    messages.success(request, _("The member was saved."))
                elif action == "deliverable":
                    created = services.deliverable_create(
                        actor=request.user, working_group=group, **data
                    )
                    messages.success(
                        request,
                        _("The deliverable was added. Name the champion countries that pilot it."),
                    )
                    return redirect("network:deliverable-manage", code=group.code, pk=created.pk)
                else:
                    services.activity_create(actor=request.user, working_group=group, **data)
                    messages.success(request, _("The activity was added."))
                return redirect("network:working-group-manage", code=group.code)
            if action == "member-remove":
                ids = _ints([request.POST.get("member", "")])
                member = get_object_or_404(group.members.all(), pk=ids[0] if ids else 0)
                services.working_group_member_remove(actor=request.user, member=member)
                messages.success(request, _("The member was removed."))
                return redirect("network:working-group-manage", code=group.code)
            if action == "activity-move":
                ids = _ints([request.POST.get("activity", "")])
                activity = get_object_or_404(group.activities.all(), pk=ids[0] if ids else 0)
                services.activity_transition(
                    activity=activity, to=request.POST.get("to", ""), actor=request.user
                )
                messages.success(request, _("The status was changed."))
                return redirect("network:working-group-manage", code=group.code)
            if form is None:
                messages.error(request, _("Check the form and try again."))
        except ApplicationError as error:
            if form is not None:
                show_refusal(form, error)
            else:
                messages.error(request, error.message)
    group = selectors.working_group_get(code=code)
    return render(
        request,
        "network/working_group_manage.html",
        {
            "group": group,
            "details": details,
            "member_form": member_form,
            "activity_form": activity_form,
            "deliverable_form": deliverable_form,
            "activities": [
                (activity, _moves(activity_flow.MACHINE, activity.state))
                for activity in group.activities.all()
            ],
        },
        status=400 if request.method == "POST" else 200,
    )


@domain_errors
def activity_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    if response := _signed_in(request):
        return response
    group = selectors.working_group_get(code=code)
    activity = get_object_or_404(group.activities.all(), pk=pk)
    require(request.user, "network.working_group.manage", group)
    form = ActivityForm(
        request.POST or None,
        initial={
            "title": activity.title,
            "description": activity.description,
            "starts_on": activity.starts_on,
            "ends_on": activity.ends_on,
            "timeline": activity.timeline,
            "lead_organisation": activity.lead_organisation,
        },
    )
    back = reverse("network:working-group-manage", args=[group.code])
    return _edit_page(
        request,
        form,
        save=lambda data: services.activity_update(actor=request.user, activity=activity, **data),
        message=_("The activity was saved."),
        success=back,
        title=_("Edit the activity"),
        cancel=back,
    )


def _event_groups(user):
    """The working groups whose events ``user`` may plan (all of them for the Secretariat)."""
    groups = WorkingGroup.objects.order_by("code")
    if allowed(user, "network.event.manage", None):
        return groups
    return groups.filter(pk__in=[g.pk for g in groups if allowed(user, "network.event.manage", g)])


@domain_errors
def event_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Plan an event or change its details (the Secretariat, or the co-leads of its group)."""
    if response := _signed_in(request):
        return response
    event = selectors.event_get(user=request.user, pk=pk) if pk else None
    if event is not None:
        require(request.user, "network.event.manage", event)
        initial = {
            name: getattr(event, name)
            for name in (
                "title",
                "event_type",
                "description",
                "starts_at",
                "ends_at",
                "registration_deadline",
                "capacity",
                "location",
                "language",
            )
        }
        initial["objectives"] = list(event.objectives.all())
        groups = None
    else:
        groups = _event_groups(request.user)
        if not groups.exists() and not allowed(request.user, "network.event.manage", None):
            raise PermissionDeniedError(_("You do not have permission to do this."))
        initial = {"language": get_language()}
    form = EventForm(
        request.POST or None, initial=initial, editing=event is not None, groups=groups
    )

    def save(data):
        data["objective_ids"] = [o.pk for o in data.pop("objectives")]
        if event is None:
            return services.event_create(actor=request.user, **data)
        return services.event_update(actor=request.user, event=event, **data)

    return _edit_page(
        request,
        form,
        save=save,
        message=_("The event was saved.")
        if event
        else _("The event was created. Open it for registration when ready."),
        success=lambda saved: redirect("network:event-manage", pk=saved.pk),
        title=_("Edit the event") if event else _("Plan an event"),
        cancel=reverse("network:event-manage", args=[event.pk])
        if event
        else reverse("network:events"),
    )


@domain_errors
def event_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """An event's status, its registrations and attendance, its materials and follow-up."""
    if response := _signed_in(request):
        return response
    event = selectors.event_get(user=request.user, pk=pk)
    require(request.user, "network.event.manage", event)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    follow_up = FollowUpForm(
        request.POST if action == "follow-up" else None,
        initial={"materials": event.materials, "follow_up": event.follow_up},
    )
    if request.method == "POST":
        try:
            if action == "follow-up" and follow_up.is_valid():
                services.event_follow_up_record(
                    actor=request.user, event=event, **follow_up.cleaned_data
                )
                messages.success(request, _("The materials and follow-up were saved."))
                return redirect("network:event-manage", pk=event.pk)
            if action == "move":
                services.event_transition(
                    event=event,
                    to=request.POST.get("to", ""),
                    actor=request.user,
                    note=request.POST.get("note", ""),
                )
                messages.success(request, _("The status was changed."))
                return redirect("network:event-manage", pk=event.pk)
            if action != "follow-up":
                messages.error(request, _("Check the form and try again."))
        except ApplicationError as error:
            if action == "follow-up":
                show_refusal(follow_up, error)
            else:
                messages.error(request, error.message)
    registrations = event.registrations.select_related("user").order_by("created_at")
    return render(
        request,
        "network/event_manage.html",
        {
            "event": event,
            "follow_up": follow_up,
            "moves": _moves(event_flow.MACHINE, event.state),
            "registrations": [
                (r, _moves(registration_flow.MACHINE, r.state)) for r in registrations
            ],
        },
        status=400 if request.method == "POST" else 200,
    )


@domain_errors
def call_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Draft a call for practices or change it (the Secretariat)."""
    if response := _signed_in(request):
        return response
    call = selectors.call_get(user=request.user, pk=pk) if pk else None
    require(request.user, "network.call.manage", call)
    initial = {}
    if call is not None:
        initial = {
            name: getattr(call, name)
            for name in ("title", "theme", "description", "opens_on", "deadline")
        }
        initial["objectives"] = list(call.objectives.all())
    form = CallForm(request.POST or None, initial=initial)

    def save(data):
        data["objective_ids"] = [o.pk for o in data.pop("objectives")]
        if call is None:
            return services.call_create(actor=request.user, **data)
        return services.call_update(actor=request.user, call=call, **data)

    return _edit_page(
        request,
        form,
        save=save,
        message=_("The call was saved.")
        if call
        else _("The call was saved as a draft. Announce it when ready."),
        success=lambda saved: redirect("network:call", pk=saved.pk),
        title=_("Edit the call for practices") if call else _("New call for practices"),
        cancel=reverse("network:call", args=[call.pk]) if call else reverse("network:calls"),
    )


@require_POST
@domain_errors
def call_move(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get(user=request.user, pk=pk)
    try:
        services.call_transition(
            call=call,
            to=request.POST.get("to", ""),
            actor=request.user,
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("The status was changed."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("network:call", pk=call.pk)


@domain_errors
def resource_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a resource to the library or change its metadata and attach files (the
    Secretariat). One form per action: ``attach`` uploads a file, anything else saves the
    metadata."""
    if response := _signed_in(request):
        return response
    resource = get_object_or_404(Resource, pk=pk) if pk else None
    require(request.user, "network.resource.manage", resource)
    attaching = (
        request.method == "POST" and resource is not None and request.POST.get("action") == "attach"
    )
    initial = ResourceForm.initial_for(resource) if resource else {"language": get_language()}
    form = ResourceForm(
        request.POST if request.method == "POST" and not attaching else None, initial=initial
    )
    attachment_form = ResourceAttachmentForm(
        request.POST if attaching else None, request.FILES if attaching else None, prefix="attach"
    )
    if attaching:
        if attachment_form.is_valid():
            upload = attachment_form.cleaned_data["file"]
            try:
                services.attachment_add(actor=request.user, resource=resource, upload=upload)
                messages.success(
                    request, _("The file %(name)s was attached.") % {"name": upload.name}
                )
                return redirect("network:resource-edit", pk=resource.pk)
            except ApplicationError as error:
                show_refusal(attachment_form, error)
    elif request.method == "POST" and form.is_valid():
        try:
            if resource is None:
                resource = services.resource_create(actor=request.user, **form.service_data())
                messages.success(request, _("The resource was added to the library."))
            else:
                services.resource_update(
                    actor=request.user, resource=resource, **form.service_data()
                )
                messages.success(request, _("The resource was saved."))
            return redirect(f"{reverse('network:library')}#resource-{resource.pk}")
        except ApplicationError as error:
            show_refusal(form, error)
    return render(
        request,
        "network/resource_edit.html",
        {
            "form": form,
            "resource": resource,
            "attachment_form": attachment_form,
            "attachments": resource.attachments.all() if resource else [],
            "title": _("Edit the resource") if resource else _("Add a resource"),
            "cancel": reverse("network:library"),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Country and regional networks: the Secretariat and the networks' focal points ---------------


@domain_errors
def network_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Record a country or regional network (the Secretariat) or change its record (the
    Secretariat or its focal points)."""
    if response := _signed_in(request):
        return response
    network = selectors.country_network_get(pk=pk) if pk else None
    if network is None:
        require(request.user, "network.structure.manage")
        initial: dict = {}
    else:
        require(request.user, "network.country_network.manage", network)
        initial = NetworkForm.initial_for(network)
    form = NetworkForm(request.POST or None, initial=initial, editing=network is not None)

    def save(_data):
        if network is None:
            return services.country_network_create(actor=request.user, **form.service_data())
        return services.country_network_update(
            actor=request.user, network=network, **form.service_data()
        )

    return _edit_page(
        request,
        form,
        save=save,
        message=_("The network was saved.")
        if network
        else _("The network was recorded. Add its focal points and what it did."),
        success=lambda saved: redirect("network:network-manage", pk=saved.pk),
        title=_("Edit the network") if network else _("Record a country or regional network"),
        intro=""
        if network
        else _(
            "A country network needs its country; a regional network needs its region. Its "
            "status starts as being set up."
        ),
        cancel=reverse("network:network-manage", args=[network.pk])
        if network
        else reverse("network:networks"),
    )


def _user_named(username: str):
    from django.contrib.auth import get_user_model

    if not username.strip():
        return None
    user = get_user_model().objects.filter(username=username.strip(), is_active=True).first()
    if user is None:
        raise ApplicationError(_("No active account has this user name."), {"field": "username"})
    return user


@domain_errors
def network_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """One page to run a network: its status, focal points and what it did."""
    if response := _signed_in(request):
        return response
    network = selectors.country_network_get(pk=pk)
    require(request.user, "network.country_network.manage", network)
    moves = _moves(country_network_flow.MACHINE, network.state)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    status_form = NetworkMoveForm(
        request.POST if action == "move" else None, moves=moves, prefix="move"
    )
    focal_form = FocalPointForm(request.POST if action == "focal-point" else None, prefix="focal")
    achievement_form = AchievementForm(
        request.POST if action == "achievement" else None, prefix="achievement"
    )
    forms_by_action = {
        "move": status_form,
        "focal-point": focal_form,
        "achievement": achievement_form,
    }
    form = forms_by_action.get(action)
    if request.method == "POST":
        if form is None:
            messages.error(request, _("Check the form and try again."))
        elif form.is_valid():
            data = dict(form.cleaned_data)
            try:
                if action == "move":
                    services.country_network_transition(network=network, actor=request.user, **data)
                    messages.success(request, _("The status was changed."))
                elif action == "focal-point":
                    data["user"] = _user_named(data.pop("username"))
                    services.focal_point_add(actor=request.user, network=network, **data)
                    messages.success(request, _("The focal point was added."))
                else:
                    services.achievement_record(actor=request.user, network=network, **data)
                    messages.success(request, _("What the network did was recorded."))
                return redirect("network:network-manage", pk=network.pk)
            except ApplicationError as error:
                show_refusal(form, error)
        network = selectors.country_network_get(pk=pk)
    return render(
        request,
        "network/network_manage.html",
        {
            "network": network,
            "status_form": status_form,
            "focal_form": focal_form,
            "achievement_form": achievement_form,
            "moves": moves,
            "can_move": allowed(request.user, "network.country_network.transition", network),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Deliverables of a working group -------------------------------------------------------------


@domain_errors
def deliverable_manage(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A deliverable's lifecycle: its pilot champion countries, their feedback, and its moves
    drafting -> pilot testing -> published."""
    if response := _signed_in(request):
        return response
    group = selectors.working_group_get(code=code)
    deliverable = get_object_or_404(group.deliverables.all(), pk=pk)
    require(request.user, "network.working_group.manage", group)
    moves = _moves(deliverable_flow.MACHINE, deliverable.state)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    pilots_form = PilotCountriesForm(
        request.POST if action == "pilots" else None,
        initial={"champions": list(deliverable.pilot_countries.all())},
        prefix="pilots",
    )
    feedback_form = FeedbackForm(
        request.POST if action == "feedback" else None, deliverable=deliverable, prefix="feedback"
    )
    move_form = MoveForm(request.POST if action == "move" else None, moves=moves, prefix="move")
    form = {"pilots": pilots_form, "feedback": feedback_form, "move": move_form}.get(action)
    if request.method == "POST":
        if form is None:
            messages.error(request, _("Check the form and try again."))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                if action == "pilots":
                    services.deliverable_pilot_countries_set(
                        actor=request.user,
                        deliverable=deliverable,
                        champion_ids=[c.pk for c in data["champions"]],
                    )
                    messages.success(request, _("The pilot countries were saved."))
                elif action == "feedback":
                    services.pilot_feedback_add(actor=request.user, deliverable=deliverable, **data)
                    messages.success(request, _("The pilot feedback was recorded."))
                else:
                    services.deliverable_transition(
                        deliverable=deliverable, actor=request.user, **data
                    )
                    messages.success(request, _("The status was changed."))
                return redirect("network:deliverable-manage", code=group.code, pk=deliverable.pk)
            except ApplicationError as error:
                show_refusal(form, error)
    deliverable = (
        group.deliverables.prefetch_related("pilot_countries__country", "pilot_feedback__champion")
        .filter(pk=pk)
        .first()
    )
    return render(
        request,
        "network/deliverable_manage.html",
        {
            "group": group,
            "deliverable": deliverable,
            "pilots_form": pilots_form,
            "feedback_form": feedback_form,
            "move_form": move_form,
            "moves": moves,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Focal points and what a network did: change and remove ---------------------------------------


def _network_row(request: HttpRequest, pk: int, rows: str, row_pk: int):
    """The network and one of its focal points or achievements, for those who may manage it."""
    network = selectors.country_network_get(pk=pk)
    row = get_object_or_404(getattr(network, rows).all(), pk=row_pk)
    require(request.user, "network.country_network.manage", network)
    return network, row


def _remove_page(request, *, title: str, text: str, cancel: str, status: int = 200):
    return render(
        request,
        "network/remove.html",
        {"title": title, "text": text, "cancel": cancel},
        status=status,
    )


@domain_errors
def focal_point_edit(request: HttpRequest, pk: int, focal_point: int) -> HttpResponse:
    """Change a focal point's organisation, name, email and account."""
    if response := _signed_in(request):
        return response
    network, row = _network_row(request, pk, "focal_points", focal_point)
    form = FocalPointForm(
        request.POST or None,
        initial={
            "organisation": row.organisation,
            "name": row.name,
            "email": row.email,
            "username": row.user.get_username() if row.user_id else "",
        },
    )

    def save(data):
        data["user"] = _user_named(data.pop("username"))
        return services.focal_point_update(actor=request.user, focal_point=row, **data)

    back = reverse("network:network-manage", args=[network.pk])
    return _edit_page(
        request,
        form,
        save=save,
        message=_("The focal point was saved."),
        success=back,
        title=_("Edit the focal point %(name)s") % {"name": row.name},
        cancel=back,
    )


@domain_errors
def focal_point_remove(request: HttpRequest, pk: int, focal_point: int) -> HttpResponse:
    """Ask, then take a focal point off the network (a POST with ``confirm=yes``)."""
    if response := _signed_in(request):
        return response
    network, row = _network_row(request, pk, "focal_points", focal_point)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        services.focal_point_remove(actor=request.user, focal_point=row)
        messages.success(request, _("The focal point was removed."))
        return redirect("network:network-manage", pk=network.pk)
    return _remove_page(
        request,
        title=_("Remove the focal point %(name)s?") % {"name": row.name},
        text=_(
            "%(name)s (%(organisation)s) will no longer be a focal point of %(network)s. If her "
            "account is linked, she will no longer keep the network's records. The audit trail "
            "keeps a record of the removal."
        )
        % {"name": row.name, "organisation": row.organisation.name, "network": network.name},
        cancel=reverse("network:network-manage", args=[network.pk]),
    )


@domain_errors
def achievement_edit(request: HttpRequest, pk: int, achievement: int) -> HttpResponse:
    """Change a record of what a network did."""
    if response := _signed_in(request):
        return response
    network, row = _network_row(request, pk, "achievements", achievement)
    form = AchievementForm(
        request.POST or None,
        initial={
            "kind": row.kind,
            "title": row.title,
            "happened_on": row.happened_on,
            "people_trained": row.people_trained,
            "reference": row.reference,
            "description": row.description,
        },
    )
    back = reverse("network:network-manage", args=[network.pk])
    return _edit_page(
        request,
        form,
        save=lambda data: services.achievement_update(actor=request.user, achievement=row, **data),
        message=_("What the network did was saved."),
        success=back,
        title=_("Edit what the network did"),
        cancel=back,
    )


@domain_errors
def achievement_remove(request: HttpRequest, pk: int, achievement: int) -> HttpResponse:
    """Ask, then remove a record of what a network did (a POST with ``confirm=yes``)."""
    if response := _signed_in(request):
        return response
    network, row = _network_row(request, pk, "achievements", achievement)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        services.achievement_remove(actor=request.user, achievement=row)
        messages.success(request, _("The record was removed."))
        return redirect("network:network-manage", pk=network.pk)
    return _remove_page(
        request,
        title=_("Remove “%(title)s”?") % {"title": row.title},
        text=_(
            "This record of what %(network)s did will no longer show on its pages. The audit "
            "trail keeps a record of the removal."
        )
        % {"network": network.name},
        cancel=reverse("network:network-manage", args=[network.pk]),
    )


# --- Members of the Network and champion countries -----------------------------------------------


def member_list(request: HttpRequest) -> HttpResponse:
    """The current member UN entities of the Network (public), then the former members with the
    date they left; links for the Secretariat."""
    return render(
        request,
        "network/member_list.html",
        {
            "members": selectors.network_member_list(),
            "former_members": selectors.network_member_list(status="former"),
            "can_manage": allowed(request.user, "network.structure.manage"),
        },
    )


@domain_errors
def member_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a member UN entity or change its record (the Secretariat)."""
    if response := _signed_in(request):
        return response
    member = (
        get_object_or_404(NetworkMember.objects.select_related("organisation"), pk=pk)
        if pk
        else None
    )
    require(request.user, "network.structure.manage", member)
    form = NetworkMemberForm(
        request.POST or None,
        initial=NetworkMemberForm.initial_for(member) if member else {},
        member=member,
    )

    def save(data):
        if member is None:
            return services.network_member_upsert(actor=request.user, **data)
        return services.network_member_upsert(
            actor=request.user,
            organisation=member.organisation,
            is_illustrative=member.is_illustrative,
            **data,
        )

    return _edit_page(
        request,
        form,
        save=save,
        message=_("The member was saved.") if member else _("The member was added."),
        success="network:member-list",
        title=_("Edit the member %(name)s") % {"name": member.organisation.name}
        if member
        else _("Add a member of the Network"),
        cancel=reverse("network:member-list"),
    )


@domain_errors
def member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that a member left the Network (the Secretariat): the date and a note, then a
    confirmation that says what it does (a POST with ``confirm=yes``), then the service. A
    refusal shows on the form with what was typed kept; a member that cannot leave (the
    Coordinator, the host of the Secretariat, one that already left) gets the reason, no form."""
    if response := _signed_in(request):
        return response
    member = get_object_or_404(NetworkMember.objects.select_related("organisation"), pk=pk)
    require(request.user, "network.structure.manage", member)
    name = member.organisation.name
    form = MemberLeaveForm(request.POST or None)
    context = {
        "member": member,
        "form": form,
        "title": _("Record that %(name)s left the Network") % {"name": name},
        "cancel": reverse("network:member-list"),
    }
    try:
        services.network_member_leave_check(member=member, left_on=timezone.localdate(), note="")
    except ConflictError as error:
        return render(request, "network/member_leave.html", {**context, "blocked": error.message})
    if request.method != "POST":
        return render(request, "network/member_leave.html", context)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("confirm") == "yes":
                services.network_member_leave(
                    member=member, left_on=data["left_on"], note=data["note"], actor=request.user
                )
                messages.success(
                    request,
                    _("%(name)s is now listed among the former members of the Network.")
                    % {"name": name},
                )
                return redirect("network:member-list")
            services.network_member_leave_check(
                member=member, left_on=data["left_on"], note=data["note"]
            )
        except ApplicationError as error:
            show_refusal(form, error)
        else:
            return render(
                request,
                "network/member_leave.html",
                {
                    **context,
                    "confirming": True,
                    "title": _("Record that %(name)s left the Network on %(date)s?")
                    % {"name": name, "date": date_format(data["left_on"], "DATE_FORMAT")},
                },
            )
    return render(request, "network/member_leave.html", context, status=400)


@domain_errors
def member_rejoin(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a former member a current one again (the Secretariat): with the date it joined again,
    or without one when its departure was recorded by mistake."""
    if response := _signed_in(request):
        return response
    member = get_object_or_404(NetworkMember.objects.select_related("organisation"), pk=pk)
    require(request.user, "network.structure.manage", member)
    if member.left_on is None:
        raise Http404(_("Not found."))
    name = member.organisation.name
    form = MemberRejoinForm(request.POST or None)
    return _edit_page(
        request,
        form,
        save=lambda data: services.network_member_rejoin(member=member, actor=request.user, **data),
        message=_("%(name)s is a member of the Network again.") % {"name": name},
        success="network:member-list",
        title=_("Make %(name)s a member of the Network again") % {"name": name},
        intro=_(
            "%(name)s left the Network on %(date)s. Making it a member again clears that date and "
            "its note; the audit trail keeps them."
        )
        % {"name": name, "date": date_format(member.left_on, "DATE_FORMAT")},
        cancel=reverse("network:member-list"),
    )


@domain_errors
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then delete a member entered by mistake (the Secretariat). A member that really left
    is recorded on the "leave" page, which keeps its history."""
    if response := _signed_in(request):
        return response
    member = get_object_or_404(NetworkMember.objects.select_related("organisation"), pk=pk)
    require(request.user, "network.structure.manage", member)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            services.network_member_remove(actor=request.user, member=member)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(name)s was removed from the members of the Network.")
                % {"name": member.organisation.name},
            )
        return redirect("network:member-list")
    return _remove_page(
        request,
        title=_("Remove %(name)s from the members of the Network?")
        % {"name": member.organisation.name},
        text=_(
            "Remove a member only if it was entered by mistake: %(name)s will disappear from the "
            "lists, former members included. If it left the Network, record that it left "
            "instead, which keeps its history. Loading the reference data again does not add it "
            "back; the Secretariat can add it again on the members page. The audit trail keeps a "
            "record of the removal."
        )
        % {"name": member.organisation.name},
        cancel=reverse("network:member-list"),
    )


def champion_list(request: HttpRequest) -> HttpResponse:
    """The champion countries (public), with links for the Secretariat."""
    return render(
        request,
        "network/champion_list.html",
        {
            "champions": ChampionCountry.objects.select_related("country"),
            "can_manage": allowed(request.user, "network.structure.manage"),
        },
    )


@domain_errors
def champion_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Name a champion country or change when it joined and the source (the Secretariat)."""
    if response := _signed_in(request):
        return response
    champion = (
        get_object_or_404(ChampionCountry.objects.select_related("country"), pk=pk) if pk else None
    )
    require(request.user, "network.structure.manage", champion)
    form = ChampionCountryForm(
        request.POST or None,
        initial={"since": champion.since, "source": champion.source} if champion else {},
        champion=champion,
    )

    def save(data):
        if champion is None:
            return services.champion_country_add(actor=request.user, **data)
        return services.champion_country_update(actor=request.user, champion=champion, **data)

    return _edit_page(
        request,
        form,
        save=save,
        message=_("The champion country was saved.")
        if champion
        else _("The champion country was added."),
        success="network:champion-list",
        title=_("Edit the champion country %(name)s") % {"name": localised(champion.country)}
        if champion
        else _("Add a champion country"),
        cancel=reverse("network:champion-list"),
    )


@domain_errors
def champion_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then take a country off the champion countries (the Secretariat)."""
    if response := _signed_in(request):
        return response
    champion = get_object_or_404(ChampionCountry.objects.select_related("country"), pk=pk)
    require(request.user, "network.structure.manage", champion)
    name = localised(champion.country)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            services.champion_country_remove(actor=request.user, champion=champion)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("%(name)s was removed from the champion countries.") % {"name": name}
            )
        return redirect("network:champion-list")
    return _remove_page(
        request,
        title=_("Remove %(name)s from the champion countries?") % {"name": name},
        text=_(
            "%(name)s will no longer be listed as a champion country. Loading the reference data "
            "again does not add it back; the Secretariat can add it again. The audit trail keeps "
            "a record of the removal."
        )
        % {"name": name},
        cancel=reverse("network:champion-list"),
    )
