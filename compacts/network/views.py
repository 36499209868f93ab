"""Pages of the UN Network on Migration: thin views over selectors and services."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from compacts.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from compacts.core.permissions import allowed, require
from compacts.framework.models import GcmObjective, GuidingPrinciple, Region
from compacts.network import selectors, services
from compacts.network.forms import (
    CommentForm,
    MatchForm,
    PracticeForm,
    RegistrationForm,
    SupportRequestForm,
)
from compacts.network.models import (
    Attachment,
    ChampionCountry,
    Comment,
    CountryNetwork,
    NetworkMember,
    Practice,
    Registration,
    Term,
)
from compacts.network.workflows import practice as practice_flow
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
            "members": NetworkMember.objects.select_related("organisation"),
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


def network_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.NetworkFilters(
        kind=request.GET.get("kind", ""),
        region=request.GET.get("region", ""),
        state=request.GET.get("state", ""),
        query=request.GET.get("q", "")[:100],
    )
    context = {
        "networks": selectors.country_network_list(filters=filters),
        "filters": filters,
        "regions": Region.objects.filter(level="region").order_by("name"),
        "by_region": selectors.network_regions(),
        "kinds": CountryNetwork.Kind.choices,
        "states": CountryNetwork._meta.get_field("state").choices,
    }
    template = (
        "network/_network_rows.html"
        if request.headers.get("HX-Request") == "true"
        else "network/networks.html"
    )
    return render(request, template, context)


@domain_errors
def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    network = selectors.country_network_get(pk=pk)
    return render(request, "network/network.html", {"network": network})


# --- Events --------------------------------------------------------------------------------


def event_list(request: HttpRequest) -> HttpResponse:
    return render(request, "network/events.html", {"events": selectors.event_list()})


@domain_errors
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(user=request.user, pk=pk)
    registration = selectors.registration_of(user=request.user, event=event)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form.is_valid():
            try:
                registration = services.registration_create(
                    actor=request.user, event=event, **form.cleaned_data
                )
                messages.success(request, _("You are registered. The Secretariat will confirm."))
                return redirect("network:event", pk=event.pk)
            except ApplicationError as error:
                messages.error(request, error.message)
    return render(
        request,
        "network/event.html",
        {"event": event, "registration": registration, "form": form},
        status=400 if request.method == "POST" else 200,
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


def call_list(request: HttpRequest) -> HttpResponse:
    return render(request, "network/calls.html", {"calls": selectors.call_list()})


@domain_errors
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get(user=request.user, pk=pk)
    return render(
        request,
        "network/call.html",
        {"call": call, "practices": call.practices.filter(state="published")},
    )


def library(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    type_code = request.GET.get("type", "")[:60]
    return render(
        request,
        "network/library.html",
        {
            "resources": selectors.resource_list(query=query, type_code=type_code),
            "query": query,
            "type_code": type_code,
            "types": Term.objects.filter(vocabulary="resource-type"),
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


@require_POST
@domain_errors
def practice_move(request: HttpRequest, pk: int) -> HttpResponse:
    practice = get_object_or_404(Practice, pk=pk)
    try:
        services.practice_transition(
            practice=practice,
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
def registration_move(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_object_or_404(Registration, pk=pk)
    try:
        services.registration_transition(
            registration=registration,
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
def comment_move(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=pk)
    try:
        services.comment_transition(
            comment=comment,
            to=request.POST.get("to", ""),
            actor=request.user,
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("Done."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return _back(request, "network:secretariat")


# --- Requests for technical assistance ---------------------------------------------------------


@domain_errors
def request_new(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(request.user, "network.support_request.create")
    form = SupportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.support_request_create(
                actor=request.user,
                title=data["title"],
                country=data["country"],
                description=data["description"],
                objective_ids=[o.pk for o in data["objectives"]],
            )
            messages.success(request, _("Your request was received."))
            return redirect("network:request", pk=created.pk)
        except ApplicationError as error:
            messages.error(request, error.message)
    return render(
        request,
        "network/request_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
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
