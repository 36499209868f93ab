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
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from compacts.actors.models import Organisation
from compacts.actors.selectors import user_organisation_ids
from compacts.core.exceptions import ApplicationError, NotFoundError
from compacts.core.permissions import allowed
from compacts.framework.models import (
    Country,
    GcmObjective,
    GuidingPrinciple,
    MarkerLevel,
    SdgTarget,
    ThematicArea,
)
from compacts.fund.models import Fund
from compacts.programmes import selectors, services
from compacts.programmes.models import (
    AgendaItem,
    ChecklistItem,
    CommitteeMember,
    Outcome,
    Programme,
    Recommendation,
    ReviewCriterion,
    Scope,
    Tranche,
)
from compacts.programmes.workflows.programme import EDITABLE_STATES, MACHINE, SUBMITTERS, State


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
        {"pipeline": selectors.pipeline(), "balance": selectors.balance()},
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
