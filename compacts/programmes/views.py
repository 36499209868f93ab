"""Pages of the programme cycle: the list and search, the submitter's notes, the Management
Unit's work queue, the concept-note form, the programme page, the pipeline and balance, the
Committee's meetings and meeting packs. Views are thin: they call selectors and services and turn
``ApplicationError`` into a message on the page."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from compacts.actors.models import Organisation
from compacts.actors.selectors import user_organisation_ids
from compacts.core.exceptions import ApplicationError, NotFoundError
from compacts.core.models import User
from compacts.core.permissions import allowed
from compacts.framework.models import (
    Country,
    GcmObjective,
    GcrArea,
    GuidingPrinciple,
    MarkerLevel,
    Region,
    SdgTarget,
    ThematicArea,
)
from compacts.fund.models import Fund
from compacts.programmes import selectors, services
from compacts.programmes.models import (
    AgendaItem,
    Call,
    ChecklistItem,
    CommitteeMember,
    Constituency,
    Outcome,
    Programme,
    Recommendation,
    ReviewCriterion,
    RiskLevel,
    Scope,
    Tranche,
)
from compacts.programmes.workflows.programme import (
    DOCUMENT_EDITABLE_STATES,
    EDITABLE_STATES,
    MACHINE,
    SUBMITTERS,
    State,
)


def require(user, operation: str, obj=None) -> None:
    """Pages answer 403 (Django's handler) where the API answers with the error format."""
    if not allowed(user, operation, obj):
        raise PermissionDenied


def _fail(request, error: ApplicationError) -> None:
    messages.error(request, error.message)


def _programme(request, programme_id: int):
    try:
        return selectors.programme_get_for_user(user=request.user, programme_id=programme_id)
    except NotFoundError:
        raise Http404 from None


def programme_list(request: HttpRequest) -> HttpResponse:
    """Concept notes and programmes the reader may see, searchable, by state; with the
    reader's own notes and what is next for each."""
    search = request.GET.get("q", "").strip()[:200]
    state = request.GET.get("state", "")
    state = state if state in State.values else ""
    programmes = selectors.programme_list_for_user(user=request.user, state=state, search=search)
    mine = []
    own = user_organisation_ids(request.user, role_codes=list(SUBMITTERS))
    if own:
        for programme in selectors.programme_list(organisation_ids=own):
            mine.append(
                {
                    "programme": programme,
                    "next": [
                        State(s).label
                        for s in selectors.allowed_next_states_for_user(
                            user=request.user, programme=programme
                        )
                    ],
                }
            )
    return render(
        request,
        "programmes/programme_list.html",
        {
            "programmes": programmes[:200],
            "search": search,
            "state": state,
            "states": State.choices,
            "mine": mine,
            "can_create": allowed(request.user, "programmes.programme.create"),
        },
    )


@login_required
def work_queue(request: HttpRequest) -> HttpResponse:
    require(request.user, "programmes.screening.record")
    return render(
        request,
        "programmes/work_queue.html",
        {"queue": selectors.work_queue(), "today": timezone.localdate()},
    )


@login_required
def concept_note_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "programmes.programme.create")
    organisations = Organisation.objects.filter(
        pk__in=user_organisation_ids(request.user, role_codes=list(SUBMITTERS))
    )
    funds = Fund.objects.order_by("code")
    if request.method == "POST":
        try:
            programme = services.concept_note_create(
                fund=funds.get(pk=request.POST.get("fund")),
                submitting_organisation=organisations.get(pk=request.POST.get("organisation")),
                title=request.POST.get("title", ""),
                actor=request.user,
            )
        except (Fund.DoesNotExist, Organisation.DoesNotExist, ValueError):
            messages.error(request, _("Choose a fund and one of your organisations."))
        except ApplicationError as error:
            _fail(request, error)
        else:
            return redirect("programmes:edit", programme_id=programme.pk)
    return render(
        request,
        "programmes/concept_note_new.html",
        {"organisations": organisations, "funds": funds},
    )


FORM_FIELDS = [
    "title",
    "scope",
    "government_partners",
    "other_partners",
    "gender_justification",
    "human_rights_justification",
    "child_sensitivity_justification",
    "joint_analysis",
    "theory_of_change",
    "risks",
    "indicative_budget",
    "duration_months",
    "convening_organisation",
    "primary_objective",
    "thematic_area",
    "gender_marker",
    "human_rights_marker",
    "child_sensitivity_marker",
]
MULTI_FIELDS = [
    "countries",
    "participating_organisations",
    "other_objectives",
    "guiding_principles",
    "sdg_targets",
    "gcr_areas",
]


def _form_data(post) -> dict:
    data = {name: post.get(name, "") for name in FORM_FIELDS if name in post}
    for name in MULTI_FIELDS:
        data[name] = post.getlist(name)
    return data


def _values(programme) -> dict:
    values = {
        name: getattr(programme, f"{name}_id", None)
        if hasattr(programme, f"{name}_id")
        else getattr(programme, name)
        for name in FORM_FIELDS
    }
    values = {k: "" if v is None else str(v) for k, v in values.items()}
    for name in MULTI_FIELDS:
        values[name] = [str(pk) for pk in getattr(programme, name).values_list("pk", flat=True)]
    return values


@login_required
def concept_note_edit(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The concept-note template. Saving a draft keeps whatever is filled in; a form opened
    before someone else saved is refused and shown again with the person's input."""
    programme = _programme(request, programme_id)
    require(request.user, "programmes.programme.edit", programme)
    errors: dict = {}
    values = _values(programme)
    version = programme.version
    if request.method == "POST":
        data = _form_data(request.POST)
        try:
            services.concept_note_update(
                programme=programme,
                data=data,
                version=request.POST.get("version", 0),
                actor=request.user,
            )
            if request.POST.get("action") == "submit":
                services.concept_note_submit(programme=programme, actor=request.user)
                messages.success(request, _("The concept note is submitted for screening."))
                return redirect("programmes:detail", programme_id=programme.pk)
        except ApplicationError as error:
            _fail(request, error)
            errors = error.extra.get("errors", {})
            values = {**values, **data}  # the person's input is never lost
            # The form now carries the current version: the person has seen the refusal and, after
            # reviewing, may save over the other change knowingly.
            version = programme.version
        else:
            if request.headers.get("HX-Request"):
                return render(
                    request,
                    "programmes/_autosave.html",
                    {
                        "status": _("Draft saved at %(time)s.")
                        % {"time": f"{timezone.localtime():%H:%M}"},
                        "version": programme.version,
                    },
                )
            messages.success(request, _("Draft saved."))
            return redirect("programmes:edit", programme_id=programme.pk)
    if request.headers.get("HX-Request"):
        text = " ".join(str(m.message) for m in messages.get_messages(request))
        return render(request, "programmes/_autosave.html", {"status": text, "error": True})
    participants = Organisation.objects.filter(category="un-entity").order_by("name")
    return render(
        request,
        "programmes/concept_note_form.html",
        {
            "programme": programme,
            "values": values,
            "errors": errors,
            "version": version,
            "editable": programme.state in EDITABLE_STATES,
            "missing": selectors.concept_note_missing_fields(programme=programme),
            "scopes": Scope.choices,
            "organisations": participants,
            "countries": Country.objects.order_by("name"),
            "objectives": GcmObjective.objects.order_by("number"),
            "principles": GuidingPrinciple.objects.order_by("letter"),
            "areas": ThematicArea.objects.order_by("number"),
            "targets": SdgTarget.objects.order_by("sort_key"),
            "gcr_areas": GcrArea.objects.order_by("sort_order", "code"),
            "markers": {
                code.replace("-", "_"): MarkerLevel.objects.filter(marker__code=code).order_by(
                    "value"
                )
                for code in ("gender", "human-rights", "child-sensitivity")
            },
        },
    )


@login_required
@require_POST
def attachment_upload(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = _programme(request, programme_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
    else:
        try:
            services.attachment_add(
                programme=programme,
                kind=request.POST.get("kind", ""),
                upload=upload,
                actor=request.user,
            )
            messages.success(request, _("The file is attached."))
        except ApplicationError as error:
            _fail(request, error)
    return redirect("programmes:edit", programme_id=programme.pk)


@login_required
def attachment_download(
    request: HttpRequest, programme_id: int, attachment_id: int
) -> HttpResponse:
    """Always a download (Content-Disposition: attachment, nosniff): never rendered inline."""
    programme = _programme(request, programme_id)
    require(request.user, "programmes.attachment.download", programme)
    attachment = programme.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def programme_detail(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = _programme(request, programme_id)
    user = request.user
    moves = [
        {
            "state": to,
            "label": State(to).label,
            "note_required": MACHINE.rule_for(programme.state, to).note_required,
        }
        for to in selectors.allowed_next_states_for_user(user=user, programme=programme)
    ]
    # Committee outcomes and screening have their own forms.
    moves = [
        m
        for m in moves
        if programme.state not in {State.SUBMITTED, State.COMMITTEE_REVIEW}
        and not (programme.state == State.TECHNICAL_REVIEW and m["state"] == State.APPROVED)
        and not (programme.state == State.APPROVED and m["state"] == State.ACTIVE)
    ]
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "state": State(programme.state),
            "moves": moves,
            "missing": selectors.concept_note_missing_fields(programme=programme)
            if programme.is_concept_note
            else {},
            "transitions": selectors.programme_transition_list(programme=programme),
            "budget": selectors.budget_summary(programme=programme),
            "money": selectors.programme_money(programme=programme),
            "screenings": programme.screenings.prefetch_related("answers__item").select_related(
                "officer"
            ),
            "reviews": programme.technical_reviews.prefetch_related(
                "scores__criterion"
            ).select_related("reviewer"),
            "can_edit": allowed(user, "programmes.programme.edit", programme)
            and programme.state in EDITABLE_STATES,
            "can_screen": programme.state == State.SUBMITTED
            and allowed(user, "programmes.screening.record", programme),
            "can_review": programme.state == State.TECHNICAL_REVIEW
            and allowed(user, "programmes.review.submit", programme),
            "can_transfer": allowed(user, "programmes.tranche.transfer", programme)
            and programme.state in {State.APPROVED, State.ACTIVE},
            "can_download": allowed(user, "programmes.attachment.download", programme),
            "can_edit_document": programme.state in DOCUMENT_EDITABLE_STATES
            and allowed(user, "programmes.document.edit", programme),
            "can_change": programme.state == State.ACTIVE
            and (
                allowed(user, "programmes.event.request", programme)
                or allowed(user, "programmes.event.record", programme)
            ),
            "can_report": programme.state in {State.ACTIVE, State.OPERATIONALLY_CLOSED}
            and (
                allowed(user, "results.update.create", programme)
                or allowed(user, "results.update.submitted.approved", programme)
            ),
            "checklist": ChecklistItem.objects.filter(is_active=True),
            "criteria": ReviewCriterion.objects.all(),
            "recommendations": Recommendation.choices,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def programme_move(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = _programme(request, programme_id)
    try:
        services.programme_transition(
            programme=programme,
            to=request.POST.get("to", ""),
            actor=request.user,
            note=request.POST.get("note", ""),
        )
        messages.success(
            request,
            _("Done: the programme is now %(state)s.") % {"state": State(programme.state).label},
        )
    except ApplicationError as error:
        _fail(request, error)
    return redirect("programmes:detail", programme_id=programme.pk)


@login_required
@require_POST
def screening(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = _programme(request, programme_id)
    items = ChecklistItem.objects.filter(is_active=True)
    try:
        services.screening_record(
            programme=programme,
            outcome=request.POST.get("outcome", ""),
            actor=request.user,
            reasons=request.POST.get("reasons", ""),
            answers={item.code: request.POST.get(f"item-{item.code}") == "yes" for item in items},
        )
        messages.success(request, _("Screening recorded."))
    except ApplicationError as error:
        _fail(request, error)
    return redirect("programmes:detail", programme_id=programme.pk)


@login_required
@require_POST
def technical_review(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = _programme(request, programme_id)
    try:
        services.technical_review_submit(
            programme=programme,
            recommendation=request.POST.get("recommendation", ""),
            actor=request.user,
            comments=request.POST.get("comments", ""),
            scores={
                c.code: request.POST.get(f"score-{c.code}", "")
                for c in ReviewCriterion.objects.all()
            },
        )
        messages.success(request, _("Technical review submitted."))
    except ApplicationError as error:
        _fail(request, error)
    return redirect("programmes:detail", programme_id=programme.pk)


@login_required
@require_POST
def tranche_transfer(request: HttpRequest, programme_id: int, tranche_id: int) -> HttpResponse:
    programme = _programme(request, programme_id)
    tranche = Tranche.objects.filter(programme=programme, pk=tranche_id).first()
    if tranche is None:
        raise Http404
    try:
        value_date = datetime.date.fromisoformat(request.POST.get("value_date", ""))
        services.tranche_transfer(tranche=tranche, value_date=value_date, actor=request.user)
        messages.success(request, _("The tranche is transferred."))
    except ValueError:
        messages.error(request, _("Give the value date of the transfer."))
    except ApplicationError as error:
        _fail(request, error)
    return redirect("programmes:detail", programme_id=programme.pk)


def pipeline(request: HttpRequest) -> HttpResponse:
    """The pipeline in the Committee's order, and the balance of pipeline and funded programmes
    by thematic area, GCM objective and region."""
    return render(
        request,
        "programmes/pipeline.html",
        {
            "pipeline": selectors.pipeline(),
            "balance": selectors.balance(),
            "can_reorder": request.user.is_authenticated
            and allowed(request.user, "programmes.decision.record"),
        },
    )


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "programmes.meeting.view")
    return render(
        request,
        "programmes/meeting_list.html",
        {
            "meetings": selectors.meeting_list(),
            "can_manage": allowed(request.user, "programmes.committee.manage"),
        },
    )


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The meeting pack: each item's summary, screening, reviews and scores, conflicts and the
    decision; the quorum; the balance; the minutes."""
    require(request.user, "programmes.meeting.view")
    try:
        meeting = selectors.meeting_get(meeting_id=meeting_id)
    except NotFoundError:
        raise Http404 from None
    present = selectors.meeting_present_members(meeting=meeting)
    pack = selectors.meeting_pack(meeting=meeting)
    manage = (
        allowed(request.user, "programmes.committee.manage") and meeting.minutes_approved_at is None
    )
    candidates = members = []
    if manage:
        on_agenda = set(meeting.items.values_list("programme_id", flat=True))
        candidates = list(
            Programme.objects.filter(state__in=[State.COMMITTEE_REVIEW, State.TECHNICAL_REVIEW])
            .exclude(pk__in=[pk for pk in on_agenda if pk])
            .order_by("code")
        )
        members = selectors.committee_members_on(on=meeting.held_on)
    return render(
        request,
        "programmes/meeting_detail.html",
        {
            "meeting": meeting,
            "pack": pack,
            "present": present,
            "undecided": any(entry["decision"] is None for entry in pack),
            "quorum": selectors.quorum_problems(meeting=meeting),
            "balance": selectors.balance(),
            "can_decide": allowed(request.user, "programmes.decision.record")
            and meeting.minutes_approved_at is None,
            "can_approve": allowed(request.user, "programmes.minutes.approve")
            and meeting.minutes_generated_at
            and meeting.minutes_approved_at is None,
            "outcomes": Outcome.choices,
            "can_manage": manage,
            "candidates": candidates,
            "members": members,
            "present_ids": {m.pk for m in present},
        },
    )


@login_required
@require_POST
def meeting_decide(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """One decision per item, or the whole meeting's batch (every item with an outcome chosen)."""
    meeting = selectors.meeting_get(meeting_id=meeting_id)
    entries = []
    for item in AgendaItem.objects.filter(meeting=meeting, decision__isnull=True):
        outcome = request.POST.get(f"outcome-{item.pk}", "")
        if outcome:
            entries.append(
                {
                    "agenda_item": item,
                    "outcome": outcome,
                    "conditions": request.POST.get(f"conditions-{item.pk}", ""),
                }
            )
    if not entries:
        messages.error(request, _("Choose a decision for at least one item."))
    else:
        try:
            services.decisions_record_batch(meeting=meeting, decisions=entries, actor=request.user)
            messages.success(request, _("Decisions recorded."))
        except ApplicationError as error:
            _fail(request, error)
    return redirect("programmes:meeting", meeting_id=meeting.pk)


@login_required
@require_POST
def meeting_conflict(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get(meeting_id=meeting_id)
    item = AgendaItem.objects.filter(meeting=meeting, pk=request.POST.get("item") or 0).first()
    member = CommitteeMember.objects.filter(pk=request.POST.get("member") or 0).first()
    if item is None or member is None:
        messages.error(request, _("Choose an item and a member."))
    else:
        try:
            services.conflict_declare(
                agenda_item=item,
                member=member,
                reason=request.POST.get("reason", ""),
                actor=request.user,
            )
            messages.success(request, _("Conflict of interest recorded."))
        except ApplicationError as error:
            _fail(request, error)
    return redirect("programmes:meeting", meeting_id=meeting.pk)


@login_required
@require_POST
def meeting_minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get(meeting_id=meeting_id)
    try:
        if request.POST.get("action") == "approve":
            services.minutes_approve(meeting=meeting, actor=request.user)
            messages.success(request, _("The minutes are approved."))
        else:
            services.minutes_generate(meeting=meeting, actor=request.user)
            messages.success(request, _("The minutes are generated from the decisions."))
    except ApplicationError as error:
        _fail(request, error)
    return redirect("programmes:meeting", meeting_id=meeting.pk)


@login_required
@require_POST
def meeting_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "programmes.committee.manage")
    from compacts.programmes.models import QuorumRule

    try:
        held_on = datetime.date.fromisoformat(request.POST.get("held_on", ""))
        meeting = services.meeting_create(
            title=request.POST.get("title", ""),
            held_on=held_on,
            location=request.POST.get("location", ""),
            quorum_rule=QuorumRule.objects.order_by("pk").first(),
            actor=request.user,
        )
    except ValueError:
        messages.error(request, _("Give a title and a date."))
    except ApplicationError as error:
        _fail(request, error)
    else:
        messages.success(request, _("Meeting created."))
        return redirect("programmes:meeting", meeting_id=meeting.pk)
    return redirect("programmes:meetings")


@login_required
@require_POST
def meeting_agenda(request: HttpRequest, meeting_id: int) -> HttpResponse:
    require(request.user, "programmes.committee.manage")
    meeting = selectors.meeting_get(meeting_id=meeting_id)
    programme_id = request.POST.get("programme") or ""
    programme = (
        selectors.programme_get(programme_id=int(programme_id)) if programme_id.isdigit() else None
    )
    title = request.POST.get("title", "")
    if programme is None and not title.strip():
        messages.error(request, _("Choose a concept note or programme, or give a title."))
    else:
        try:
            services.agenda_item_add(
                meeting=meeting, programme=programme, title=title, actor=request.user
            )
            messages.success(request, _("Item added."))
        except ApplicationError as error:
            _fail(request, error)
    return redirect("programmes:meeting", meeting_id=meeting.pk)


@login_required
@require_POST
def meeting_attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    require(request.user, "programmes.committee.manage")
    meeting = selectors.meeting_get(meeting_id=meeting_id)
    present = list(
        CommitteeMember.objects.filter(
            pk__in=[p for p in request.POST.getlist("present") if p.isdigit()]
        )
    )
    try:
        services.attendance_record(meeting=meeting, present=present, actor=request.user)
        messages.success(request, _("Attendance recorded."))
    except ApplicationError as error:
        _fail(request, error)
    return redirect("programmes:meeting", meeting_id=meeting.pk)


# --- Calls for concept notes --------------------------------------------------------------------


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def call_list(request: HttpRequest) -> HttpResponse:
    """Calls for concept notes, newest first (public: a call is an invitation)."""
    return render(
        request,
        "programmes/call_list.html",
        {
            "calls": Call.objects.select_related("fund").prefetch_related(
                "thematic_areas", "eligible_regions"
            ),
            "can_manage": allowed(request.user, "programmes.call.manage"),
            "today": timezone.localdate(),
        },
    )


@login_required
def call_form(request: HttpRequest, call_id: int | None = None) -> HttpResponse:
    """Open a call (``call_id`` None) or edit one. A refused save shows every problem next to
    its field and keeps what was typed."""
    require(request.user, "programmes.call.manage")
    call = None
    if call_id is not None:
        call = Call.objects.filter(pk=call_id).first()
        if call is None:
            raise Http404
    funds = Fund.objects.order_by("code")
    values = {
        "fund": str(call.fund_id) if call else "",
        "title": call.title if call else "",
        "description": call.description if call else "",
        "opens_on": call.opens_on.isoformat() if call else "",
        "closes_on": call.closes_on.isoformat() if call else "",
        "thematic_areas": [str(pk) for pk in call.thematic_areas.values_list("pk", flat=True)]
        if call
        else [],
        "eligible_regions": [str(pk) for pk in call.eligible_regions.values_list("pk", flat=True)]
        if call
        else [],
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        post = request.POST
        values = {
            "fund": post.get("fund", ""),
            "title": post.get("title", ""),
            "description": post.get("description", ""),
            "opens_on": post.get("opens_on", ""),
            "closes_on": post.get("closes_on", ""),
            "thematic_areas": post.getlist("thematic_areas"),
            "eligible_regions": post.getlist("eligible_regions"),
        }
        areas = list(ThematicArea.objects.filter(pk__in=_digits(values["thematic_areas"])))
        regions = list(Region.objects.filter(pk__in=_digits(values["eligible_regions"])))
        opens_on, closes_on = _date(values["opens_on"]), _date(values["closes_on"])
        if values["opens_on"] and opens_on is None:
            errors["opens_on"] = _("Give the date as YYYY-MM-DD.")
        if values["closes_on"] and closes_on is None:
            errors["closes_on"] = _("Give the date as YYYY-MM-DD.")
        fund = funds.filter(pk=values["fund"]).first() if values["fund"].isdigit() else None
        if call is None and fund is None:
            errors["fund"] = _("Choose a fund.")
        if not errors:
            try:
                if call is None:
                    call = services.call_create(
                        fund=fund,
                        title=values["title"],
                        description=values["description"],
                        opens_on=opens_on,
                        closes_on=closes_on,
                        thematic_areas=areas,
                        eligible_regions=regions,
                        actor=request.user,
                    )
                else:
                    services.call_update(
                        call=call,
                        title=values["title"],
                        description=values["description"],
                        opens_on=opens_on,
                        closes_on=closes_on,
                        thematic_areas=areas,
                        eligible_regions=regions,
                        actor=request.user,
                    )
            except ApplicationError as error:
                errors = error.extra.get("errors") or {"title": error.message}
            else:
                messages.success(request, _("The call is saved."))
                return redirect("programmes:calls")
        if errors:
            messages.error(request, _("The call was not saved: see the fields marked below."))
    return render(
        request,
        "programmes/call_form.html",
        {
            "call": call,
            "values": values,
            "errors": errors,
            "funds": funds,
            "areas": ThematicArea.objects.order_by("number"),
            "regions": Region.objects.exclude(level="world").order_by("level", "name"),
        },
        status=400 if errors else 200,
    )


def _digits(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]


# --- The Steering Committee's constituencies and members --------------------------------------


@login_required
def committee_members(request: HttpRequest) -> HttpResponse:
    """Constituencies with their seats, and the members with their terms; the Management Unit
    changes seats, adds constituencies, seats members and ends terms here."""
    require(request.user, "programmes.meeting.view")
    can_manage = allowed(request.user, "programmes.committee.manage")
    errors: dict[str, str] = {}
    form = request.POST.get("form", "") if request.method == "POST" else ""
    values = request.POST.dict() if request.method == "POST" else {}
    if request.method == "POST":
        require(request.user, "programmes.committee.manage")
        try:
            if form == "constituency":
                seats = values.get("seats", "").strip()
                if not seats.isdigit():
                    errors["seats"] = _("Give the number of seats as a whole number.")
                    raise ApplicationError(errors["seats"], {"field": "seats"})
                name = values.get("name", "").strip()
                code = values.get("code", "").strip() or slugify(name)
                existing = Constituency.objects.filter(code=code).first()
                if not name or not code:
                    errors["name"] = _("A constituency needs a name.")
                    raise ApplicationError(errors["name"], {"field": "name"})
                services.constituency_set(
                    code=code,
                    name=name,
                    seats=int(seats),
                    sort_order=existing.sort_order if existing else Constituency.objects.count(),
                    actor=request.user,
                )
                messages.success(request, _("The constituency is saved."))
            elif form == "member":
                user = User.objects.filter(pk=values.get("user") or 0).first()
                constituency = Constituency.objects.filter(
                    pk=values.get("constituency") or 0
                ).first()
                organisation = Organisation.objects.filter(
                    pk=values.get("organisation") or 0
                ).first()
                starts = _date(values.get("term_starts_on", ""))
                ends = _date(values.get("term_ends_on", ""))
                if user is None:
                    errors["user"] = _("Choose a person.")
                if constituency is None:
                    errors["constituency"] = _("Choose a constituency.")
                if organisation is None:
                    errors["organisation"] = _("Choose an organisation.")
                if starts is None:
                    errors["term_starts_on"] = _("Give the date as YYYY-MM-DD.")
                if values.get("term_ends_on") and ends is None:
                    errors["term_ends_on"] = _("Give the date as YYYY-MM-DD.")
                if errors:
                    raise ApplicationError(" ".join(str(e) for e in errors.values()))
                services.committee_member_add(
                    user=user,
                    constituency=constituency,
                    organisation=organisation,
                    term_starts_on=starts,
                    term_ends_on=ends,
                    is_chair=values.get("is_chair") == "yes",
                    actor=request.user,
                )
                messages.success(request, _("The member is seated."))
            elif form == "end-term":
                member = CommitteeMember.objects.filter(pk=values.get("member") or 0).first()
                ends = _date(values.get("ends_on", ""))
                if member is None or ends is None:
                    raise ApplicationError(_("Choose a member and give the last day of the term."))
                services.committee_member_end_term(member=member, ends_on=ends, actor=request.user)
                messages.success(request, _("The term is ended."))
                values = {}
            else:
                raise ApplicationError(_("Unknown form."))
        except ApplicationError as error:
            field = error.extra.get("field")
            if field and field not in errors:
                errors[field] = error.message
            messages.error(request, error.message)
        else:
            return redirect("programmes:committee-members")
    today = timezone.localdate()
    constituencies = list(Constituency.objects.all())
    members = list(
        CommitteeMember.objects.select_related("user", "constituency", "organisation").order_by(
            "constituency__sort_order", "term_starts_on", "pk"
        )
    )
    for constituency in constituencies:
        constituency.current = [
            m
            for m in members
            if m.constituency_id == constituency.pk
            and m.term_starts_on <= today
            and (m.term_ends_on is None or m.term_ends_on >= today)
        ]
    return render(
        request,
        "programmes/committee_members.html",
        {
            "constituencies": constituencies,
            "members": members,
            "today": today,
            "can_manage": can_manage,
            "form": form,
            "values": values,
            "errors": errors,
            "people": User.objects.filter(is_active=True).order_by("username")
            if can_manage
            else [],
            "organisations": Organisation.objects.order_by("name") if can_manage else [],
        },
        status=400 if request.method == "POST" else 200,
    )


# --- The joint programme document: budget, work plan, risk log, monitoring plan -----------------


@login_required
def document_edit(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The joint programme document's parts, each its own form: the budget grid (direct costs
    per organisation, year and UNSDG category; indirect support costs computed), the work plan,
    the risk log and the monitoring plan. A refused save keeps what was typed."""
    programme = _programme(request, programme_id)
    require(request.user, "programmes.document.edit", programme)
    editable = programme.state in DOCUMENT_EDITABLE_STATES
    form = request.POST.get("form", "") if request.method == "POST" else ""
    values = request.POST.dict() if request.method == "POST" else {}
    posted_cells = None
    errors: list[str] = []
    if request.method == "POST":
        try:
            if form == "budget":
                lines, posted_cells = selectors.budget_lines_from_form(request.POST)
                services.budget_set(
                    programme=programme,
                    lines=lines,
                    total=values.get("total", "").strip().replace(",", "") or "0",
                    actor=request.user,
                )
                messages.success(request, _("The budget is saved."))
            elif form == "activity":
                organisation = programme.participating_organisations.filter(
                    pk=values.get("organisation") or 0
                ).first()
                starts, ends = _date(values.get("starts_on", "")), _date(values.get("ends_on", ""))
                if organisation is None or starts is None or ends is None:
                    raise ApplicationError(
                        _("An activity needs a title, an organisation and both dates.")
                    )
                if not values.get("title", "").strip():
                    raise ApplicationError(_("An activity needs a title."))
                services.work_plan_activity_add(
                    programme=programme,
                    title=values["title"],
                    organisation=organisation,
                    starts_on=starts,
                    ends_on=ends,
                    actor=request.user,
                )
                messages.success(request, _("The activity is added to the work plan."))
            elif form == "activity-remove":
                activity = programme.work_plan.filter(pk=values.get("activity") or 0).first()
                if activity is None:
                    raise Http404
                services.work_plan_activity_remove(activity=activity, actor=request.user)
                messages.success(request, _("The activity is removed."))
            elif form == "risk":
                services.risk_add(
                    programme=programme,
                    risk=values.get("risk", ""),
                    likelihood=values.get("likelihood", ""),
                    impact=values.get("impact", ""),
                    mitigation=values.get("mitigation", ""),
                    actor=request.user,
                )
                messages.success(request, _("The risk is added to the log."))
            elif form == "risk-remove":
                entry = programme.risk_log.filter(pk=values.get("entry") or 0).first()
                if entry is None:
                    raise Http404
                services.risk_remove(entry=entry, actor=request.user)
                messages.success(request, _("The risk is removed."))
            elif form == "monitoring":
                services.document_update(
                    programme=programme,
                    monitoring_plan=values.get("monitoring_plan", ""),
                    actor=request.user,
                )
                messages.success(request, _("The monitoring plan is saved."))
            else:
                raise ApplicationError(_("Unknown form."))
        except ApplicationError as error:
            messages.error(request, error.message)
            errors = list(error.extra.get("errors") or [error.message])
        else:
            return redirect("programmes:document", programme_id=programme.pk)
    programme.refresh_from_db()
    return render(
        request,
        "programmes/document_edit.html",
        {
            "programme": programme,
            "editable": editable,
            "budget_editable": programme.state == State.INVITED,
            "grid": selectors.budget_grid(programme=programme, posted=posted_cells),
            "budget": selectors.budget_summary(programme=programme),
            "work_plan": programme.work_plan.select_related("organisation"),
            "risk_log": programme.risk_log.all(),
            "participants": programme.participating_organisations.order_by("name"),
            "levels": RiskLevel.choices,
            "form": form,
            "values": values,
            "errors": errors,
            "problems": selectors.document_problems(programme=programme),
        },
        status=400 if errors else 200,
    )


# --- Budget revisions and no-cost extensions: request and decision -----------------------------


@login_required
def programme_changes(request: HttpRequest, programme_id: int) -> HttpResponse:
    """An active programme's budget revisions and no-cost extensions: its people request them
    (the budget grid with the current lines, or a new end date, and a reason); the Management
    Unit approves or declines each request."""
    programme = _programme(request, programme_id)
    can_request = allowed(request.user, "programmes.event.request", programme)
    can_decide = allowed(request.user, "programmes.event.record", programme)
    if not (can_request or can_decide):
        raise PermissionDenied
    form = request.POST.get("form", "") if request.method == "POST" else ""
    values = request.POST.dict() if request.method == "POST" else {}
    posted_cells = None
    errors: list[str] = []
    if request.method == "POST":
        if not (can_decide if form == "decide" else can_request):
            raise PermissionDenied
        try:
            if form == "revision":
                lines, posted_cells = selectors.budget_lines_from_form(request.POST)
                services.budget_revision_request(
                    programme=programme,
                    lines=lines,
                    total=values.get("total", "").strip().replace(",", "") or "0",
                    reason=values.get("reason", ""),
                    actor=request.user,
                )
                messages.success(request, _("The budget revision is requested."))
            elif form == "extension":
                new_ends_on = _date(values.get("new_ends_on", ""))
                if values.get("new_ends_on") and new_ends_on is None:
                    raise ApplicationError(_("Give the date as YYYY-MM-DD."))
                services.no_cost_extension_request(
                    programme=programme,
                    new_ends_on=new_ends_on,
                    reason=values.get("reason", ""),
                    actor=request.user,
                )
                messages.success(request, _("The no-cost extension is requested."))
            elif form == "decide":
                event = programme.events.filter(pk=values.get("event") or 0).first()
                if event is None:
                    raise Http404
                approve = values.get("decision") == "approve"
                services.programme_event_decide(
                    event=event, approve=approve, note=values.get("note", ""), actor=request.user
                )
                messages.success(
                    request,
                    _("The request is approved.") if approve else _("The request is declined."),
                )
            else:
                raise ApplicationError(_("Unknown form."))
        except ApplicationError as error:
            messages.error(request, error.message)
            errors = list(error.extra.get("errors") or [error.message])
        else:
            return redirect("programmes:changes", programme_id=programme.pk)
    return render(
        request,
        "programmes/programme_changes.html",
        {
            "programme": programme,
            "active": programme.state == State.ACTIVE,
            "can_request": can_request,
            "can_decide": can_decide,
            "grid": selectors.budget_grid(programme=programme, posted=posted_cells),
            "budget": selectors.budget_summary(programme=programme),
            "events": selectors.programme_events(programme=programme),
            "form": form,
            "values": values,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


# --- Reordering the pipeline --------------------------------------------------------------------


@login_required
@require_POST
def pipeline_reorder(request: HttpRequest) -> HttpResponse:
    """Move one programme up, down or to a position in the Committee's order of priority (plain
    buttons and a number: keyboard-accessible, no dragging). With htmx, answers the table."""
    require(request.user, "programmes.decision.record")
    order = selectors.pipeline()
    programme = next((p for p in order if str(p.pk) == request.POST.get("programme", "")), None)
    if programme is None:
        messages.error(request, _("Choose a programme of the pipeline."))
    else:
        current = order.index(programme) + 1
        move = request.POST.get("move", "")
        position = {"up": current - 1, "down": current + 1, "first": 1}.get(move)
        if position is None:
            raw = request.POST.get("position", "").strip()
            position = int(raw) if raw.isdigit() else None
        if position is None or position < 1:
            messages.error(request, _("Give a position from 1 to %(n)s.") % {"n": len(order)})
        else:
            try:
                services.pipeline_move(programme=programme, position=position, actor=request.user)
                messages.success(
                    request,
                    _("%(code)s is now number %(position)s.")
                    % {"code": programme.code, "position": min(position, len(order))},
                )
            except ApplicationError as error:
                _fail(request, error)
    if request.headers.get("HX-Request"):
        return render(
            request,
            "programmes/_pipeline_table.html",
            {"pipeline": selectors.pipeline(), "can_reorder": True, "moved": programme},
        )
    return redirect("programmes:pipeline")
