"""Writes of the programme cycle. Each service is keyword-only, atomic and audited; bad input
raises ``ApplicationError`` (or ``ConflictError``) before anything is written.

Money moves only through the fund's services (``fund.services.allocation_create`` and
``transfer_create``); this module never writes ledger rows.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compacts.actors.models import Membership, Organisation
from compacts.core.changes import announce
from compacts.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from compacts.core.permissions import allowed
from compacts.core.services import audit_record, model_values
from compacts.programmes import selectors
from compacts.programmes.models import (
    AgendaItem,
    AgendaItemKind,
    Attachment,
    AttachmentKind,
    Attendance,
    BudgetCategory,
    BudgetLine,
    Call,
    ChecklistItem,
    CommitteeMember,
    ConflictDeclaration,
    Constituency,
    Decision,
    EventKind,
    EventStatus,
    Meeting,
    Outcome,
    Programme,
    ProgrammeEvent,
    ProgrammeTransition,
    QuorumRule,
    Recommendation,
    ReviewCriterion,
    ReviewScore,
    RiskLogEntry,
    Screening,
    ScreeningAnswer,
    ScreeningOutcome,
    TechnicalReview,
    Tranche,
    WorkPlanActivity,
)
from compacts.programmes.search import index_programmes, keywords
from compacts.programmes.workflows.programme import (
    DOCUMENT_EDITABLE_STATES,
    EDITABLE_STATES,
    MACHINE,
    State,
)

# Error messages that tests reuse (styleguide §9).
STALE_FORM = gettext_lazy(
    "Someone else changed this concept note since you opened it (version %(current)s, your form "
    "had version %(yours)s). Your changes were not saved over theirs: they are kept in the form; "
    "review and save again."
)
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Allowed attachment types: extension -> (content type, magic bytes at the start of the file).
ATTACHMENT_TYPES = {
    "pdf": ("application/pdf", [b"%PDF-"]),
    "png": ("image/png", [b"\x89PNG\r\n\x1a\n"]),
    "jpg": ("image/jpeg", [b"\xff\xd8\xff"]),
    "jpeg": ("image/jpeg", [b"\xff\xd8\xff"]),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [b"PK\x03\x04"],
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", [b"PK\x03\x04"]),
}


def _actor_user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _announce(programme_id: int) -> None:
    """Say (after commit) that a programme the public may see changed (SESSION2 §1)."""
    announce("programmes", programme_id=programme_id)


def _require(actor, operation: str, obj=None) -> None:
    """Services called by people check the permission too (``actor=None`` is the system)."""
    if actor is None:
        return
    if not allowed(actor, operation, obj):
        raise PermissionDeniedError(
            _("You do not have permission to do this."), {"operation": operation}
        )


# --- Notifications ----------------------------------------------------------------------------


def _programme_recipients(programme: Programme) -> list[str]:
    from compacts.programmes.permissions import programme_organisation_ids

    emails = set(
        Membership.objects.filter(organisation_id__in=programme_organisation_ids(programme))
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    emails.update(
        Membership.objects.filter(role__code="management-unit-officer")
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(emails)


def _notify_transition(programme_id: int, from_state: str, to_state: str, note: str) -> None:
    programme = Programme.objects.get(pk=programme_id)
    recipients = _programme_recipients(programme)
    if not recipients:
        return
    subject = _("%(code)s is now: %(state)s") % {
        "code": programme.code,
        "state": State(to_state).label,
    }
    body = _(
        "%(code)s %(title)s moved from %(from)s to %(to)s.\n\n%(note)s\n\nWhat is next: %(next)s"
    ) % {
        "code": programme.code,
        "title": programme.title,
        "from": State(from_state).label,
        "to": State(to_state).label,
        "note": note,
        "next": ", ".join(str(State(s).label) for s in MACHINE.targets(to_state)) or "—",
    }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


# --- The workflow -----------------------------------------------------------------------------


@transaction.atomic
def programme_transition(*, programme: Programme, to: str, actor, note: str = "") -> Programme:
    """Move ``programme`` to ``to`` if the workflow allows it from its current state, the actor
    holds a role the transition names and its guard passes.

    Locks the row, saves ``state`` with ``update_fields``, appends a ``ProgrammeTransition``,
    writes an audit record and e-mails the programme's people on commit. An illegal move raises
    ``ConflictError`` whose ``extra["allowed"]`` lists the states allowed from here.
    """
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    source = locked.state
    allowed_states = [str(s) for s in MACHINE.targets(source)]
    rule_ = MACHINE.rule_for(source, to)
    if rule_ is None:
        raise ConflictError(
            _("A programme cannot move from %(from)s to %(to)s. Allowed from here: %(allowed)s.")
            % {
                "from": State(source).label,
                "to": State(to).label if to in State.values else to,
                "allowed": ", ".join(allowed_states) or _("none (this is a final state)"),
            },
            {"state": source, "to": to, "allowed": allowed_states},
        )
    if actor is not None and not allowed(actor, f"programmes.programme.{source}.{to}", locked):
        raise PermissionDeniedError(
            _("You do not have permission to move this programme to %(to)s.")
            % {"to": State(to).label},
            {"operation": f"programmes.programme.{source}.{to}", "allowed": allowed_states},
        )
    note = (note or "").strip()
    if rule_.note_required and not note:
        raise ApplicationError(
            _("Say why: a note is required to move to %(to)s.") % {"to": State(to).label},
            {"field": "note"},
        )
    if rule_.guard is not None:
        problem = rule_.guard(locked)
        if problem:
            raise ConflictError(problem, {"state": source, "to": to, "allowed": allowed_states})
    locked.state = to
    fields = ["state", "updated_at"]
    if to == State.SUBMITTED:
        locked.submitted_at = timezone.now()
        fields.append("submitted_at")
    locked.save(update_fields=fields)
    ProgrammeTransition.objects.create(
        programme=locked,
        from_state=source,
        to_state=to,
        actor=_actor_user(actor),
        at=timezone.now(),
        note=note,
    )
    audit_record(
        actor=actor,
        action="programmes.programme.transition",
        obj=locked,
        before={"state": source},
        after={"state": to, "note": note},
    )
    _announce(locked.pk)
    transaction.on_commit(lambda: _notify_transition(locked.pk, source, to, note))
    programme.state = locked.state
    programme.submitted_at = locked.submitted_at
    return locked


def concept_note_submit(*, programme: Programme, actor) -> Programme:
    """Submit a draft (or revised) concept note for screening."""
    return programme_transition(programme=programme, to=State.SUBMITTED, actor=actor)


def programme_send_to_committee(*, programme: Programme, actor) -> Programme:
    return programme_transition(programme=programme, to=State.COMMITTEE_REVIEW, actor=actor)


def programme_invite(*, programme: Programme, actor, note: str = "") -> Programme:
    """Invite an endorsed concept note to a full joint programme document (funds allowing)."""
    return programme_transition(programme=programme, to=State.INVITED, actor=actor, note=note)


def document_submit(*, programme: Programme, actor) -> Programme:
    return programme_transition(programme=programme, to=State.DOCUMENT_SUBMITTED, actor=actor)


def technical_review_start(*, programme: Programme, actor) -> Programme:
    return programme_transition(programme=programme, to=State.TECHNICAL_REVIEW, actor=actor)


def programme_close_operationally(*, programme: Programme, actor, note: str = "") -> Programme:
    return programme_transition(
        programme=programme, to=State.OPERATIONALLY_CLOSED, actor=actor, note=note
    )


def programme_close_financially(*, programme: Programme, actor, note: str = "") -> Programme:
    return programme_transition(
        programme=programme, to=State.FINANCIALLY_CLOSED, actor=actor, note=note
    )


# --- Calls and concept notes ------------------------------------------------------------------


@transaction.atomic
def call_create(
    *,
    fund,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    actor,
    description: str = "",
    thematic_areas=(),
    eligible_regions=(),
    is_illustrative: bool = False,
) -> Call:
    """Open a call for concept notes."""
    _require(actor, "programmes.call.manage")
    errors = _call_check(title, opens_on, closes_on)
    if errors:
        raise ApplicationError(" ".join(errors.values()), {"errors": errors, "field": min(errors)})
    title = title.strip()
    call = Call.objects.create(
        fund=fund,
        title=title,
        description=description,
        opens_on=opens_on,
        closes_on=closes_on,
        is_illustrative=is_illustrative,
    )
    call.thematic_areas.set(thematic_areas)
    call.eligible_regions.set(eligible_regions)
    audit_record(
        actor=actor,
        action="programmes.call.create",
        obj=call,
        after=model_values(call, ["fund", "title", "opens_on", "closes_on"]),
    )
    announce("programmes", call_id=call.pk)
    return call


def _call_check(title: str, opens_on, closes_on) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (title or "").strip():
        errors["title"] = str(_("A call needs a title."))
    if opens_on is None:
        errors["opens_on"] = str(_("Give the opening date."))
    if closes_on is None:
        errors["closes_on"] = str(_("Give the closing date."))
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = str(_("A call cannot close before it opens."))
    return errors


@transaction.atomic
def call_update(
    *,
    call: Call,
    title: str,
    opens_on: datetime.date | None,
    closes_on: datetime.date | None,
    actor,
    description: str = "",
    thematic_areas=(),
    eligible_regions=(),
) -> Call:
    """Change a call for concept notes: its title, text, dates, thematic priorities and
    eligible regions. Every problem is named at once; nothing is saved when there is one."""
    _require(actor, "programmes.call.manage")
    errors = _call_check(title, opens_on, closes_on)
    if errors:
        raise ApplicationError(" ".join(errors.values()), {"errors": errors, "field": min(errors)})
    call = Call.objects.select_for_update().get(pk=call.pk)
    fields = ["title", "description", "opens_on", "closes_on"]
    before = model_values(call, fields)
    call.title, call.description = title.strip()[:300], (description or "").strip()
    call.opens_on, call.closes_on = opens_on, closes_on
    call.save(update_fields=[*fields, "updated_at"])
    call.thematic_areas.set(thematic_areas)
    call.eligible_regions.set(eligible_regions)
    audit_record(
        actor=actor,
        action="programmes.call.update",
        obj=call,
        before=before,
        after={
            **model_values(call, fields),
            "thematic_areas": sorted(a.pk if hasattr(a, "pk") else int(a) for a in thematic_areas),
            "eligible_regions": sorted(
                str(r.pk if hasattr(r, "pk") else r) for r in eligible_regions
            ),
        },
    )
    announce("programmes", call_id=call.pk)
    return call


def _next_code(fund) -> str:
    year = timezone.localdate().year
    prefix = f"{fund.code}-{year}-"
    taken = Programme.objects.filter(code__startswith=prefix).count()
    number = taken + 1
    while Programme.objects.filter(code=f"{prefix}{number:04d}").exists():
        number += 1
    return f"{prefix}{number:04d}"


@transaction.atomic
def concept_note_create(
    *,
    fund,
    submitting_organisation: Organisation,
    title: str,
    actor,
    call: Call | None = None,
    is_illustrative: bool = False,
    code: str = "",
) -> Programme:
    """Start a draft concept note for ``submitting_organisation`` (one the actor acts for)."""
    if actor is not None:
        _require(actor, "programmes.programme.create")
        from compacts.actors.selectors import user_organisation_ids

        if not actor.is_superuser and submitting_organisation.pk not in user_organisation_ids(
            actor
        ):
            raise PermissionDeniedError(
                _("You can only start concept notes for your own organisation."),
                {"field": "submitting_organisation"},
            )
    title = (title or "").strip()
    if not title:
        raise ApplicationError(_("A concept note needs a title."), {"field": "title"})
    if call is not None and call.fund_id != fund.pk:
        raise ApplicationError(_("The call belongs to another fund."), {"field": "call"})
    programme = Programme.objects.create(
        fund=fund,
        call=call,
        code=code or _next_code(fund),
        title=title[:300],
        submitting_organisation=submitting_organisation,
        created_by=_actor_user(actor),
        is_illustrative=is_illustrative,
    )
    programme.keywords = keywords(programme)
    programme.save(update_fields=["keywords"])
    audit_record(
        actor=actor,
        action="programmes.programme.create",
        obj=programme,
        after=model_values(programme, ["fund", "code", "title", "submitting_organisation"]),
    )
    index_programmes([programme])
    return programme


TEXT_UPDATE_FIELDS = [
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
]
FK_UPDATE_FIELDS = {
    "convening_organisation": "actors.Organisation",
    "primary_objective": "framework.GcmObjective",
    "thematic_area": "framework.ThematicArea",
    "gender_marker": "framework.MarkerLevel",
    "human_rights_marker": "framework.MarkerLevel",
    "child_sensitivity_marker": "framework.MarkerLevel",
}
MARKER_CODES = {
    "gender_marker": "gender",
    "human_rights_marker": "human-rights",
    "child_sensitivity_marker": "child-sensitivity",
}
M2M_UPDATE_FIELDS = {
    "countries": "framework.Country",
    "participating_organisations": "actors.Organisation",
    "other_objectives": "framework.GcmObjective",
    "guiding_principles": "framework.GuidingPrinciple",
    "sdg_targets": "framework.SdgTarget",
    "gcr_areas": "framework.GcrArea",
}


def _ids(value, field: str) -> list[int]:
    try:
        return sorted({int(v) for v in (value or []) if str(v).strip()})
    except (TypeError, ValueError):
        raise ApplicationError(
            _("%(field)s must be a list of ids.") % {"field": field}, {"field": field}
        ) from None


@transaction.atomic
def concept_note_update(*, programme: Programme, data: dict, version: int, actor) -> Programme:
    """Save a draft concept note: any subset of the template's fields, complete or not (drafts
    save at any time; ``concept_note_submit`` checks completeness).

    ``version`` is the version the form was opened with; when the record has moved on since, the
    save is refused with ``ConflictError`` (the caller keeps the person's input).
    """
    from django.apps import apps

    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    _require(actor, "programmes.programme.edit", locked)
    if locked.state not in EDITABLE_STATES:
        raise ConflictError(
            _(
                "The concept note is %(state)s: it can only be edited as a draft or when a "
                "revision is requested."
            )
            % {"state": State(locked.state).label},
            {"state": locked.state},
        )
    if int(version) != locked.version:
        raise ConflictError(
            str(STALE_FORM) % {"current": locked.version, "yours": version},
            {"field": "version", "current": locked.version, "yours": int(version)},
        )
    unknown = (
        set(data)
        - set(TEXT_UPDATE_FIELDS)
        - set(FK_UPDATE_FIELDS)
        - set(M2M_UPDATE_FIELDS)
        - {"indicative_budget", "duration_months"}
    )
    if unknown:
        raise ApplicationError(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            {"fields": sorted(unknown)},
        )
    errors: dict[str, str] = {}
    changes: dict = {}
    for name in TEXT_UPDATE_FIELDS:
        if name in data:
            value = str(data[name] or "").strip()
            if name == "title" and not value:
                errors[name] = _("A concept note needs a title.")
            if (
                name == "scope"
                and value
                and value not in {"national", "multi-country", "regional", "global"}
            ):
                errors[name] = _("Choose a scope from the list.")
            changes[name] = value
    if "indicative_budget" in data:
        raw = str(data["indicative_budget"] or "").strip()
        if not raw:
            changes["indicative_budget"] = None
        else:
            try:
                amount = Decimal(raw.replace(",", ""))
                if (
                    not amount.is_finite()
                    or amount <= 0
                    or amount != amount.quantize(Decimal("0.01"))
                ):
                    raise InvalidOperation
                changes["indicative_budget"] = amount
            except (InvalidOperation, ValueError):
                errors["indicative_budget"] = _(
                    "Give the budget in US dollars, greater than zero, in cents at most."
                )
    if "duration_months" in data:
        raw = str(data["duration_months"] or "").strip()
        if not raw:
            changes["duration_months"] = None
        elif not raw.isdigit() or not 1 <= int(raw) <= 120:
            errors["duration_months"] = _(
                "Give the duration as a whole number of months from 1 to 120."
            )
        else:
            changes["duration_months"] = int(raw)
    for name, model_label in FK_UPDATE_FIELDS.items():
        if name not in data:
            continue
        raw = data[name]
        if raw in (None, ""):
            changes[name] = None
            continue
        model = apps.get_model(model_label)
        obj = model.objects.filter(pk=raw).first() if str(raw).isdigit() else None
        if obj is None:
            errors[name] = _("Choose a value from the list.")
        elif name in MARKER_CODES and obj.marker.code != MARKER_CODES[name]:
            errors[name] = _("This level belongs to another marker.")
        else:
            changes[name] = obj
    m2m: dict[str, list[int]] = {}
    for name, model_label in M2M_UPDATE_FIELDS.items():
        if name not in data:
            continue
        ids = _ids(data[name], name)
        model = apps.get_model(model_label)
        if model.objects.filter(pk__in=ids).count() != len(ids):
            errors[name] = _("Choose values from the list.")
        m2m[name] = ids
    if errors:
        raise ApplicationError(
            _("The concept note was not saved: %(fields)s.")
            % {"fields": ", ".join(sorted(errors))},
            {"errors": {k: str(v) for k, v in errors.items()}},
        )
    before = model_values(locked, ["version", *[k for k in changes if k in TEXT_UPDATE_FIELDS]])
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.save(update_fields=[*changes, "version", "updated_at"])
    for name, ids in m2m.items():
        getattr(locked, name).set(ids)
    if "countries" in m2m:
        locked.keywords = keywords(locked)
        locked.save(update_fields=["keywords"])
    index_programmes([locked])
    audit_record(
        actor=actor,
        action="programmes.programme.update",
        obj=locked,
        before=before,
        after={"version": locked.version, "fields": sorted([*changes, *m2m])},
    )
    programme.version = locked.version
    return locked


def _sniff(upload) -> bytes:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return head


@transaction.atomic
def attachment_add(*, programme: Programme, kind: str, upload, actor) -> Attachment:
    """Attach a file: PDF, Word, Excel, PNG or JPEG of at most 10 MB whose content matches its
    type. Stored under a generated name; always downloaded as an attachment."""
    _require(actor, "programmes.programme.edit", programme)
    if kind not in AttachmentKind.values:
        raise ApplicationError(_("Unknown kind of attachment."), {"field": "kind"})
    name, extension, content_type = upload_check(upload)
    attachment = Attachment(
        programme=programme,
        kind=kind,
        original_name=name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=_actor_user(actor),
    )
    attachment.file.save(
        f"{programme.pk}-{timezone.now():%Y%m%d%H%M%S%f}.{extension}", upload, save=False
    )
    attachment.save()
    audit_record(
        actor=actor,
        action="programmes.attachment.add",
        obj=attachment,
        after=model_values(attachment, ["programme", "kind", "original_name", "size"]),
    )
    return attachment


def upload_check(upload) -> tuple[str, str, str]:
    """Check an uploaded file: PDF, Word, Excel, PNG or JPEG, at most 10 MB, not empty, its
    content matching its type's magic bytes. Returns (name, extension, content type); raises
    ``ApplicationError`` naming the problem. (The results app checks evidence with it too.)"""
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_TYPES:
        raise ApplicationError(
            _(
                "%(name)s is not an accepted type: attach a PDF, Word (.docx), Excel (.xlsx), PNG or "  # noqa: E501
                "JPEG file."
            )
            % {"name": name or "?"},
            {"field": "file", "accepted": sorted(ATTACHMENT_TYPES)},
        )
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ApplicationError(
            _("%(name)s is %(size)s MB: the limit is 10 MB.")
            % {"name": name, "size": round(upload.size / 1024 / 1024, 1)},
            {"field": "file", "size": upload.size, "limit": MAX_ATTACHMENT_BYTES},
        )
    if upload.size == 0:
        raise ApplicationError(_("%(name)s is empty.") % {"name": name}, {"field": "file"})
    content_type, magics = ATTACHMENT_TYPES[extension]
    head = _sniff(upload)
    if not any(head.startswith(magic) for magic in magics):
        raise ApplicationError(
            _("The content of %(name)s is not a %(type)s file.")
            % {"name": name, "type": extension.upper()},
            {"field": "file"},
        )
    return name, extension, content_type


# --- Screening and technical review -----------------------------------------------------------


@transaction.atomic
def screening_record(
    *,
    programme: Programme,
    outcome: str,
    answers: dict[str, bool],
    actor,
    reasons: str = "",
    comments: dict[str, str] | None = None,
) -> Screening:
    """Screen a submitted concept note against the eligibility checklist and move it to the
    outcome (eligible, ineligible with reasons, revision requested)."""
    _require(actor, "programmes.screening.record", programme)
    if outcome not in ScreeningOutcome.values:
        raise ApplicationError(_("Unknown screening outcome."), {"field": "outcome"})
    items = list(ChecklistItem.objects.filter(is_active=True))
    missing = [item.code for item in items if item.code not in answers]
    if missing:
        raise ApplicationError(
            _("Answer every item of the checklist: %(items)s.") % {"items": ", ".join(missing)},
            {"field": "answers", "missing": missing},
        )
    unmet = [item.code for item in items if not answers[item.code]]
    if outcome == ScreeningOutcome.ELIGIBLE and unmet:
        raise ApplicationError(
            _("A concept note that does not meet %(items)s cannot be eligible.")
            % {"items": ", ".join(unmet)},
            {"field": "outcome", "unmet": unmet},
        )
    screening = Screening.objects.create(
        programme=programme, officer=actor, outcome=outcome, reasons=(reasons or "").strip()
    )
    comments = comments or {}
    ScreeningAnswer.objects.bulk_create(
        [
            ScreeningAnswer(
                screening=screening,
                item=item,
                met=bool(answers[item.code]),
                comment=(comments.get(item.code) or "")[:500],
            )
            for item in items
        ]
    )
    audit_record(
        actor=actor,
        action="programmes.screening.record",
        obj=screening,
        after={"outcome": outcome, "unmet": unmet, "reasons": screening.reasons},
    )
    programme_transition(programme=programme, to=outcome, actor=actor, note=screening.reasons)
    return screening


@transaction.atomic
def technical_review_submit(
    *, programme: Programme, scores: dict[str, int], recommendation: str, actor, comments: str = ""
) -> TechnicalReview:
    """Score a joint programme document on every review criterion, with a recommendation."""
    _require(actor, "programmes.review.submit", programme)
    if programme.state != State.TECHNICAL_REVIEW:
        raise ConflictError(
            _("The programme is not in technical review."), {"state": programme.state}
        )
    if recommendation not in Recommendation.values:
        raise ApplicationError(_("Choose a recommendation."), {"field": "recommendation"})
    criteria = list(ReviewCriterion.objects.all())
    problems = {}
    for criterion in criteria:
        value = scores.get(criterion.code)
        if value is None or str(value).strip() == "":
            problems[criterion.code] = _("Score every criterion.")
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = -1
        if not 0 <= number <= criterion.max_score:
            problems[criterion.code] = _("A score from 0 to %(max)s.") % {
                "max": criterion.max_score
            }
    if problems:
        raise ApplicationError(
            _("The review was not submitted: %(criteria)s.") % {"criteria": ", ".join(problems)},
            {"errors": {k: str(v) for k, v in problems.items()}},
        )
    review = TechnicalReview.objects.create(
        programme=programme,
        reviewer=actor,
        recommendation=recommendation,
        comments=(comments or "").strip(),
        submitted_at=timezone.now(),
    )
    ReviewScore.objects.bulk_create(
        [ReviewScore(review=review, criterion=c, score=int(scores[c.code])) for c in criteria]
    )
    audit_record(
        actor=actor,
        action="programmes.review.submit",
        obj=review,
        after={"recommendation": recommendation, "scores": {c: int(v) for c, v in scores.items()}},
    )
    return review


# --- The Steering Committee -------------------------------------------------------------------


@transaction.atomic
def constituency_set(
    *, code: str, name: str, seats: int, actor, sort_order: int = 0
) -> Constituency:
    """Create or change a constituency and its number of seats (editable data)."""
    _require(actor, "programmes.committee.manage")
    if int(seats) < 1:
        raise ApplicationError(_("A constituency has at least one seat."), {"field": "seats"})
    constituency, created = Constituency.objects.get_or_create(
        code=code, defaults={"name": name, "seats": seats, "sort_order": sort_order}
    )
    before = None if created else model_values(constituency, ["name", "seats"])
    if not created:
        taken = _current_members(constituency).count()
        if int(seats) < taken:
            raise ApplicationError(
                _(
                    "%(taken)s members sit for this constituency now: it needs at least that many seats."  # noqa: E501
                )
                % {"taken": taken},
                {"field": "seats"},
            )
        constituency.name, constituency.seats = name, int(seats)
        constituency.save(update_fields=["name", "seats", "updated_at"])
    audit_record(
        actor=actor,
        action="programmes.constituency.set",
        obj=constituency,
        before=before,
        after=model_values(constituency, ["code", "name", "seats"]),
    )
    return constituency


def _current_members(constituency, on: datetime.date | None = None):
    on = on or timezone.localdate()
    return CommitteeMember.objects.filter(constituency=constituency, term_starts_on__lte=on).filter(
        models.Q(term_ends_on__isnull=True) | models.Q(term_ends_on__gte=on)
    )


@transaction.atomic
def committee_member_add(
    *,
    user,
    constituency: Constituency,
    organisation: Organisation,
    term_starts_on: datetime.date,
    actor,
    term_ends_on: datetime.date | None = None,
    is_chair: bool = False,
    is_illustrative: bool = False,
) -> CommitteeMember:
    """Seat a person on the Committee for a term; refused when the constituency's seats are all
    taken, or when the Committee already has a chair."""
    _require(actor, "programmes.committee.manage")
    Constituency.objects.select_for_update().get(pk=constituency.pk)
    if term_ends_on and term_ends_on < term_starts_on:
        raise ApplicationError(_("A term cannot end before it starts."), {"field": "term_ends_on"})
    if _current_members(constituency, term_starts_on).count() >= constituency.seats:
        raise ApplicationError(
            _("All %(seats)s seats of %(constituency)s are taken.")
            % {"seats": constituency.seats, "constituency": constituency.name},
            {"field": "constituency"},
        )
    if (
        is_chair
        and CommitteeMember.objects.filter(is_chair=True)
        .filter(models.Q(term_ends_on__isnull=True) | models.Q(term_ends_on__gte=term_starts_on))
        .exists()
    ):
        raise ApplicationError(_("The Committee already has a chair."), {"field": "is_chair"})
    member = CommitteeMember.objects.create(
        user=user,
        constituency=constituency,
        organisation=organisation,
        is_chair=is_chair,
        term_starts_on=term_starts_on,
        term_ends_on=term_ends_on,
        is_illustrative=is_illustrative,
    )
    audit_record(
        actor=actor,
        action="programmes.member.add",
        obj=member,
        after=model_values(
            member,
            ["user", "constituency", "organisation", "is_chair", "term_starts_on", "term_ends_on"],
        ),
    )
    return member


@transaction.atomic
def committee_member_end_term(
    *, member: CommitteeMember, ends_on: datetime.date, actor
) -> CommitteeMember:
    """End a member's term on ``ends_on`` (her seat is free from the next day)."""
    _require(actor, "programmes.committee.manage")
    member = CommitteeMember.objects.select_for_update().get(pk=member.pk)
    if ends_on < member.term_starts_on:
        raise ApplicationError(
            _("A term cannot end before it starts (%(date)s).") % {"date": member.term_starts_on},
            {"field": "term_ends_on"},
        )
    if member.term_ends_on is not None and member.term_ends_on < ends_on:
        raise ConflictError(
            _("This term already ended on %(date)s.") % {"date": member.term_ends_on},
            {"field": "term_ends_on"},
        )
    before = model_values(member, ["term_ends_on"])
    member.term_ends_on = ends_on
    member.save(update_fields=["term_ends_on", "updated_at"])
    audit_record(
        actor=actor,
        action="programmes.member.end_term",
        obj=member,
        before=before,
        after=model_values(member, ["term_ends_on"]),
    )
    return member


@transaction.atomic
def meeting_create(
    *,
    title: str,
    held_on: datetime.date,
    quorum_rule: QuorumRule,
    actor,
    location: str = "",
    is_illustrative: bool = False,
) -> Meeting:
    _require(actor, "programmes.committee.manage")
    title = (title or "").strip()
    if not title:
        raise ApplicationError(_("A meeting needs a title."), {"field": "title"})
    meeting = Meeting.objects.create(
        title=title,
        held_on=held_on,
        quorum_rule=quorum_rule,
        location=location,
        is_illustrative=is_illustrative,
    )
    audit_record(
        actor=actor,
        action="programmes.meeting.create",
        obj=meeting,
        after=model_values(meeting, ["title", "held_on", "quorum_rule"]),
    )
    return meeting


def _refuse_if_minutes_approved(meeting: Meeting) -> None:
    if meeting.minutes_approved_at is not None:
        raise ConflictError(
            _("The minutes of this meeting are approved: it cannot change."),
            {"meeting": meeting.pk},
        )


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    actor,
    programme: Programme | None = None,
    title: str = "",
    summary: str = "",
) -> AgendaItem:
    """Put a concept note (in Committee review), a joint programme (in technical review) or
    another item on a meeting's agenda."""
    _require(actor, "programmes.committee.manage")
    _refuse_if_minutes_approved(meeting)
    if programme is not None:
        programme = Programme.objects.get(pk=programme.pk)
        if programme.state == State.COMMITTEE_REVIEW:
            kind = AgendaItemKind.CONCEPT_NOTE
        elif programme.state == State.TECHNICAL_REVIEW:
            kind = AgendaItemKind.PROGRAMME
        else:
            raise ConflictError(
                _(
                    "Only concept notes in Committee review and programmes in technical review go on "  # noqa: E501
                    "the agenda; %(code)s is %(state)s."
                )
                % {"code": programme.code, "state": State(programme.state).label},
                {"state": programme.state},
            )
        title = title or f"{programme.code} {programme.title}"
    else:
        kind = AgendaItemKind.OTHER
    title = (title or "").strip()
    if not title:
        raise ApplicationError(_("An agenda item needs a title."), {"field": "title"})
    order = (meeting.items.aggregate(m=models.Max("order"))["m"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        order=order,
        kind=kind,
        programme=programme,
        title=title[:300],
        summary=summary,
    )
    audit_record(
        actor=actor,
        action="programmes.agenda_item.add",
        obj=item,
        after=model_values(item, ["meeting", "order", "kind", "programme", "title"]),
    )
    return item


@transaction.atomic
def attendance_record(*, meeting: Meeting, present: list[CommitteeMember], actor) -> None:
    """Record who attended (members not listed are recorded absent)."""
    _require(actor, "programmes.committee.manage")
    _refuse_if_minutes_approved(meeting)
    present_ids = {m.pk for m in present}
    members = CommitteeMember.objects.filter(term_starts_on__lte=meeting.held_on).filter(
        models.Q(term_ends_on__isnull=True) | models.Q(term_ends_on__gte=meeting.held_on)
    )
    outside = present_ids - set(members.values_list("pk", flat=True))
    if outside:
        raise ApplicationError(
            _("Only members whose term covers the meeting's date can attend."),
            {"members": sorted(outside)},
        )
    for member in members:
        Attendance.objects.update_or_create(
            meeting=meeting, member=member, defaults={"present": member.pk in present_ids}
        )
    audit_record(
        actor=actor,
        action="programmes.meeting.attendance",
        obj=meeting,
        after={"present": sorted(present_ids)},
    )


@transaction.atomic
def conflict_declare(
    *, agenda_item: AgendaItem, member: CommitteeMember, reason: str, actor
) -> ConflictDeclaration:
    """Record a member's conflict of interest on an item: she takes no part in its decision."""
    _require(actor, "programmes.conflict.declare")
    _refuse_if_minutes_approved(agenda_item.meeting)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Say what the conflict of interest is."), {"field": "reason"})
    if hasattr(agenda_item, "decision"):
        raise ConflictError(
            _("This item is already decided: declare conflicts before the decision.")
        )
    declaration, _created = ConflictDeclaration.objects.get_or_create(
        agenda_item=agenda_item, member=member, defaults={"reason": reason}
    )
    audit_record(
        actor=actor,
        action="programmes.conflict.declare",
        obj=declaration,
        after={"agenda_item": agenda_item.pk, "member": member.pk, "reason": reason},
    )
    return declaration


OUTCOME_TARGETS = {
    Outcome.ENDORSE: State.ENDORSED,
    Outcome.NOT_ENDORSE: State.NOT_ENDORSED,
    Outcome.APPROVE: State.APPROVED,
    Outcome.APPROVE_WITH_CONDITIONS: State.APPROVED,
}
OUTCOMES_BY_KIND = {
    AgendaItemKind.CONCEPT_NOTE: {Outcome.ENDORSE, Outcome.NOT_ENDORSE, Outcome.DEFER},
    AgendaItemKind.PROGRAMME: {Outcome.APPROVE, Outcome.APPROVE_WITH_CONDITIONS, Outcome.DEFER},
    AgendaItemKind.OTHER: {Outcome.APPROVE, Outcome.DEFER},
}


@transaction.atomic
def decision_record(
    *,
    agenda_item: AgendaItem,
    outcome: str,
    actor,
    conditions: str = "",
    participants: list[CommitteeMember] | None = None,
) -> Decision:
    """Record the Committee's consensus decision on an item and make the programme's move.

    ``participants`` defaults to the members present without a declared conflict; naming a
    conflicted member among them is refused. The meeting must meet its quorum rule.
    """
    _require(actor, "programmes.decision.record")
    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "programme")
        .get(pk=agenda_item.pk)
    )
    meeting = item.meeting
    _refuse_if_minutes_approved(meeting)
    if Decision.objects.filter(agenda_item=item).exists():
        raise ConflictError(_("This item is already decided."), {"agenda_item": item.pk})
    if outcome not in OUTCOMES_BY_KIND[item.kind]:
        raise ApplicationError(
            _("%(outcome)s is not a decision for this kind of item; choose one of %(allowed)s.")
            % {"outcome": outcome, "allowed": ", ".join(sorted(OUTCOMES_BY_KIND[item.kind]))},
            {"field": "outcome", "allowed": sorted(OUTCOMES_BY_KIND[item.kind])},
        )
    conditions = (conditions or "").strip()
    if outcome == Outcome.APPROVE_WITH_CONDITIONS and not conditions:
        raise ApplicationError(_("State the conditions of the approval."), {"field": "conditions"})
    problems = selectors.quorum_problems(meeting=meeting)
    if problems:
        raise ConflictError(
            _("The meeting has no quorum: %(problems)s") % {"problems": " ".join(problems)},
            {"quorum": problems},
        )
    present = selectors.meeting_present_members(meeting=meeting)
    conflicted = {c.member_id: c.member for c in item.conflicts.select_related("member__user")}
    if participants is None:
        participants = [m for m in present if m.pk not in conflicted]
    clash = [m for m in participants if m.pk in conflicted]
    if clash:
        raise ConflictError(
            _(
                "%(members)s declared a conflict of interest on this item and cannot take part in "
                "its decision. Nothing was recorded."
            )
            % {"members": ", ".join(str(m) for m in clash)},
            {"conflicted": [m.pk for m in clash]},
        )
    absent = [m for m in participants if m.pk not in {p.pk for p in present}]
    if absent:
        raise ApplicationError(
            _("Only members present take part in a decision."), {"absent": [m.pk for m in absent]}
        )
    if not participants:
        raise ConflictError(_("No member without a conflict of interest is present to decide."))
    decision = Decision.objects.create(
        agenda_item=item,
        outcome=outcome,
        conditions=conditions,
        recorded_by=_actor_user(actor),
        recorded_at=timezone.now(),
    )
    decision.participants.set(participants)
    decision.recused.set(list(conflicted.values()))
    audit_record(
        actor=actor,
        action="programmes.decision.record",
        obj=decision,
        after={
            "agenda_item": item.pk,
            "outcome": outcome,
            "conditions": conditions,
            "participants": sorted(m.pk for m in participants),
            "recused": sorted(conflicted),
        },
    )
    if item.programme_id is not None:
        _announce(item.programme_id)
    if item.programme is not None and outcome in OUTCOME_TARGETS:
        note = _("Decision of the Steering Committee, %(meeting)s.") % {"meeting": meeting.title}
        if conditions:
            note = f"{note} {conditions}"
        programme_transition(
            programme=item.programme, to=OUTCOME_TARGETS[outcome], actor=actor, note=note
        )
        if OUTCOME_TARGETS[outcome] == State.APPROVED:
            _fund_programme(programme=item.programme, decided_on=meeting.held_on, actor=actor)
    return decision


@transaction.atomic
def decisions_record_batch(*, meeting: Meeting, decisions: list[dict], actor) -> list[Decision]:
    """Record several decisions of one meeting at once, all or none (``decisions`` holds
    ``{"agenda_item": item, "outcome": ..., "conditions": ...}``)."""
    recorded = []
    for entry in decisions:
        if entry["agenda_item"].meeting_id != meeting.pk:
            raise ApplicationError(_("An item of another meeting was in the batch."))
        recorded.append(
            decision_record(
                agenda_item=entry["agenda_item"],
                outcome=entry["outcome"],
                conditions=entry.get("conditions", ""),
                actor=actor,
            )
        )
    return recorded


def _minutes_text(meeting: Meeting) -> str:
    present = selectors.meeting_present_members(meeting=meeting)
    lines = [
        _("Minutes of %(title)s, %(date)s")
        % {"title": meeting.title, "date": meeting.held_on.isoformat()},
        "",
        _("Present: %(names)s.")
        % {"names": "; ".join(f"{m} — {m.constituency}" for m in present) or "—"},
        "",
    ]
    for item in meeting.items.select_related("programme").order_by("order"):
        lines.append(f"{item.order}. {item.title}")
        for conflict in item.conflicts.select_related("member__user"):
            lines.append(
                "   "
                + _("%(member)s declared a conflict of interest (%(reason)s) and took no part.")
                % {"member": conflict.member, "reason": conflict.reason}
            )
        decision = Decision.objects.filter(agenda_item=item).first()
        if decision is None:
            lines.append("   " + _("No decision."))
        else:
            lines.append(
                "   "
                + _("Decision by consensus: %(outcome)s.")
                % {"outcome": Outcome(decision.outcome).label}
            )
            if decision.conditions:
                lines.append(
                    "   " + _("Conditions: %(conditions)s") % {"conditions": decision.conditions}
                )
        lines.append("")
    return "\n".join(str(line) for line in lines).strip() + "\n"


@transaction.atomic
def minutes_generate(*, meeting: Meeting, actor) -> Meeting:
    """Write the minutes from the attendance, conflicts and decisions (before approval)."""
    _require(actor, "programmes.decision.record")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_if_minutes_approved(meeting)
    meeting.minutes = _minutes_text(meeting)
    meeting.minutes_generated_at = timezone.now()
    meeting.save(update_fields=["minutes", "minutes_generated_at", "updated_at"])
    audit_record(
        actor=actor,
        action="programmes.minutes.generate",
        obj=meeting,
        after={"minutes": meeting.minutes},
    )
    return meeting


@transaction.atomic
def minutes_approve(*, meeting: Meeting, actor) -> Meeting:
    """The chair approves the minutes; the meeting's record is then closed."""
    _require(actor, "programmes.minutes.approve", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_if_minutes_approved(meeting)
    if meeting.minutes_generated_at is None:
        raise ConflictError(_("Generate the minutes before approving them."))
    undecided = [
        i.title for i in meeting.items.filter(programme__isnull=False, decision__isnull=True)
    ]
    if undecided:
        raise ConflictError(
            _("Items without a decision: %(items)s.") % {"items": "; ".join(undecided)},
            {"undecided": undecided},
        )
    meeting.minutes_approved_at = timezone.now()
    meeting.minutes_approved_by = _actor_user(actor)
    meeting.save(update_fields=["minutes_approved_at", "minutes_approved_by", "updated_at"])
    audit_record(
        actor=actor,
        action="programmes.minutes.approve",
        obj=meeting,
        after={"approved_at": meeting.minutes_approved_at},
    )
    return meeting


@transaction.atomic
def pipeline_prioritise(*, programmes: list[Programme], actor) -> None:
    """Set the Committee's order of priority of the pipeline (first = 1)."""
    _require(actor, "programmes.decision.record")
    if not programmes:
        raise ApplicationError(_("Name the programmes in their order of priority."))
    for position, programme in enumerate(programmes, start=1):
        if programme.state != State.ENDORSED:
            raise ConflictError(_("%(code)s is not in the pipeline.") % {"code": programme.code})
        Programme.objects.filter(pk=programme.pk).update(pipeline_priority=position)
    audit_record(
        actor=actor,
        action="programmes.pipeline.prioritise",
        obj=programmes[0],
        after={"order": [p.code for p in programmes]},
    )
    for programme in programmes:
        _announce(programme.pk)


def pipeline_move(*, programme: Programme, position: int, actor) -> list[Programme]:
    """Move one endorsed programme to ``position`` (1 = first) in the pipeline's order of
    priority; the others keep their relative order. Returns the new order."""
    order = [p for p in selectors.pipeline(fund=programme.fund) if p.pk != programme.pk]
    if programme.state != State.ENDORSED:
        raise ConflictError(_("%(code)s is not in the pipeline.") % {"code": programme.code})
    position = max(1, min(int(position), len(order) + 1))
    order.insert(position - 1, programme)
    pipeline_prioritise(programmes=order, actor=actor)
    return order


# --- The joint programme document -------------------------------------------------------------


def _parse_lines(programme: Programme, lines: list[dict]) -> list[BudgetLine]:
    participants = set(programme.participating_organisations.values_list("pk", flat=True))
    parsed, seen, errors = [], set(), []
    for number, line in enumerate(lines, start=1):
        try:
            organisation_id = int(line["organisation"])
            year = int(line["year"])
            category = str(line["category"])
            amount = line["amount"]
            if isinstance(amount, float):
                raise ValueError
            amount = Decimal(str(amount))
        except (KeyError, TypeError, ValueError, InvalidOperation):
            errors.append(
                _("Line %(n)s: organisation, year, category and amount are required.")
                % {"n": number}
            )
            continue
        if organisation_id not in participants:
            errors.append(
                _("Line %(n)s: the organisation does not participate in the programme.")
                % {"n": number}
            )
        if category not in BudgetCategory.values:
            errors.append(
                _("Line %(n)s: %(category)s is not a UNSDG budget category.")
                % {"n": number, "category": category}
            )
        if not 2000 <= year <= 2100:
            errors.append(_("Line %(n)s: %(year)s is not a year.") % {"n": number, "year": year})
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
            errors.append(
                _("Line %(n)s: amounts are zero or more, in cents at most.") % {"n": number}
            )
        key = (organisation_id, year, category)
        if key in seen:
            errors.append(
                _("Line %(n)s repeats an organisation, year and category.") % {"n": number}
            )
        seen.add(key)
        parsed.append(
            BudgetLine(
                programme=programme,
                organisation_id=organisation_id,
                year=year,
                category=category,
                amount=amount,
            )
        )
    if errors:
        raise ApplicationError(
            _("The budget was not saved.") + " " + " ".join(str(e) for e in errors),
            {"errors": [str(e) for e in errors]},
        )
    return parsed


def _check_total(programme: Programme, parsed: list[BudgetLine], declared_total) -> dict:
    rate = programme.fund.indirect_support_cost_rate
    by_org: dict[int, Decimal] = {}
    for line in parsed:
        by_org[line.organisation_id] = (
            by_org.get(line.organisation_id, Decimal("0.00")) + line.amount
        )
    direct = sum(by_org.values(), Decimal("0.00"))
    isc = sum((selectors.isc_amount(v, rate) for v in by_org.values()), Decimal("0.00"))
    total = direct + isc
    try:
        declared = Decimal(str(declared_total))
    except InvalidOperation:
        raise ApplicationError(
            _("The declared total is not an amount."), {"field": "total"}
        ) from None
    if total != declared:
        raise ApplicationError(
            _(
                "The budget does not add up: the lines give %(direct)s in direct costs plus %(isc)s in "  # noqa: E501
                "indirect support costs (%(rate)s%%) = %(total)s, but the total declared is "
                "%(declared)s (a difference of %(difference)s)."
            )
            % {
                "direct": direct,
                "isc": isc,
                "rate": (rate * 100).normalize(),
                "total": total,
                "declared": declared,
                "difference": declared - total,
            },
            {"field": "total", "computed": str(total), "declared": str(declared)},
        )
    return {org: v + selectors.isc_amount(v, rate) for org, v in by_org.items()}


@transaction.atomic
def budget_set(*, programme: Programme, lines: list[dict], total, actor) -> list[BudgetLine]:
    """Replace the budget of the joint programme document: direct costs per participating
    organisation, per year, per UNSDG category. ``total`` is the total the submitters declare
    (direct plus indirect support costs at the fund's rate); a budget that does not add up to it
    is refused and nothing changes."""
    _require(actor, "programmes.document.edit", programme)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.state != State.INVITED:
        raise ConflictError(
            _(
                "The budget is set while the programme is invited to a full proposal; "
                "use a budget revision once it is active."
            ),
            {"state": programme.state},
        )
    if programme.participating_organisations.count() < selectors.MIN_PARTICIPANTS:
        raise ApplicationError(
            _("A joint programme needs at least two participating UN organisations."),
            {"field": "participating_organisations"},
        )
    parsed = _parse_lines(programme, lines)
    _check_total(programme, parsed, total)
    BudgetLine.objects.filter(programme=programme).delete()
    BudgetLine.objects.bulk_create(parsed)
    audit_record(
        actor=actor,
        action="programmes.budget.set",
        obj=programme,
        after={
            "lines": [[b.organisation_id, b.year, b.category, str(b.amount)] for b in parsed],
            "total": str(total),
        },
    )
    _announce(programme.pk)
    return parsed


def _check_revision(programme: Programme, lines: list[dict], total, reason: str):
    """Validate a budget revision of ``programme`` (locked): active, a reason, lines that parse
    and add up to ``total``, each organisation's total unchanged. Returns (before, parsed)."""
    if programme.state != State.ACTIVE:
        raise ConflictError(
            _("Only an active programme has budget revisions."), {"state": programme.state}
        )
    if not (reason or "").strip():
        raise ApplicationError(_("Say why the budget is revised."), {"field": "reason"})
    before = selectors.budget_summary(programme=programme)
    parsed = _parse_lines(programme, lines)
    new = _check_total(programme, parsed, total)
    old = {e["organisation"].pk: e["total"] for e in before["organisations"]}
    if new != old:
        raise ApplicationError(
            _(
                "A budget revision keeps each organisation's total, which is its allocation in the fund."  # noqa: E501
            ),
            {"field": "lines"},
        )
    return before, parsed


def _check_extension(programme: Programme, new_ends_on: datetime.date | None, reason: str) -> None:
    if programme.state != State.ACTIVE:
        raise ConflictError(
            _("Only an active programme can be extended."), {"state": programme.state}
        )
    if not (reason or "").strip():
        raise ApplicationError(_("Say why the programme is extended."), {"field": "reason"})
    if new_ends_on is None:
        raise ApplicationError(_("Give the new end date."), {"field": "new_ends_on"})
    if programme.ends_on and new_ends_on <= programme.ends_on:
        raise ApplicationError(
            _("The new end date must be after %(date)s.") % {"date": programme.ends_on},
            {"field": "new_ends_on"},
        )


def _apply_revision(programme: Programme, event: ProgrammeEvent, parsed, before, actor) -> None:
    BudgetLine.objects.filter(programme=programme).delete()
    BudgetLine.objects.bulk_create(parsed)
    audit_record(
        actor=actor,
        action="programmes.budget.revise",
        obj=programme,
        before={"lines": [[b.organisation_id, b.year, b.category, str(b.amount)] for b in before]},
        after={
            "event": event.pk,
            "reason": event.reason,
            "lines": [[b.organisation_id, b.year, b.category, str(b.amount)] for b in parsed],
        },
    )
    _announce(programme.pk)


def _apply_extension(programme: Programme, event: ProgrammeEvent, actor) -> None:
    before = model_values(programme, ["ends_on"])
    programme.ends_on = event.new_ends_on
    programme.save(update_fields=["ends_on", "updated_at"])
    audit_record(
        actor=actor,
        action="programmes.programme.extend",
        obj=programme,
        before=before,
        after={"ends_on": event.new_ends_on, "reason": event.reason, "event": event.pk},
    )
    _announce(programme.pk)


@transaction.atomic
def budget_revise(
    *, programme: Programme, lines: list[dict], total, reason: str, actor
) -> ProgrammeEvent:
    """A budget revision of an active programme recorded (and so approved) by the Management
    Unit: the lines move between years and categories, each organisation's total (its
    allocation in the fund) stays the same."""
    _require(actor, "programmes.event.record", programme)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    before, parsed = _check_revision(programme, lines, total, reason)
    event = ProgrammeEvent.objects.create(
        programme=programme,
        kind=EventKind.BUDGET_REVISION,
        status=EventStatus.APPROVED,
        reason=reason.strip(),
        previous_total=before["total"],
        new_total=Decimal(str(total)),
        actor=_actor_user(actor),
        decided_at=timezone.now(),
    )
    _apply_revision(programme, event, parsed, before["lines"], actor)
    return event


@transaction.atomic
def no_cost_extension_record(
    *, programme: Programme, new_ends_on: datetime.date, reason: str, actor
) -> ProgrammeEvent:
    """Extend an active programme's end date without new money (recorded, and so approved, by
    the Management Unit)."""
    _require(actor, "programmes.event.record", programme)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    _check_extension(programme, new_ends_on, reason)
    event = ProgrammeEvent.objects.create(
        programme=programme,
        kind=EventKind.NO_COST_EXTENSION,
        status=EventStatus.APPROVED,
        reason=reason.strip(),
        previous_ends_on=programme.ends_on,
        new_ends_on=new_ends_on,
        actor=_actor_user(actor),
        decided_at=timezone.now(),
    )
    _apply_extension(programme, event, actor)
    return event


def _refuse_if_pending(programme: Programme, kind: str) -> None:
    if ProgrammeEvent.objects.filter(
        programme=programme, kind=kind, status=EventStatus.REQUESTED
    ).exists():
        raise ConflictError(
            _("A request of this kind is already waiting for a decision."), {"kind": kind}
        )


@transaction.atomic
def budget_revision_request(
    *, programme: Programme, lines: list[dict], total, reason: str, actor
) -> ProgrammeEvent:
    """The programme's people ask for a budget revision. It is checked now (it must add up and
    keep each organisation's total) and takes effect when the Management Unit approves it."""
    _require(actor, "programmes.event.request", programme)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    _check_revision(programme, lines, total, reason)
    _refuse_if_pending(programme, EventKind.BUDGET_REVISION)
    event = ProgrammeEvent.objects.create(
        programme=programme,
        kind=EventKind.BUDGET_REVISION,
        status=EventStatus.REQUESTED,
        reason=reason.strip(),
        proposed_lines=[
            {
                "organisation": int(line["organisation"]),
                "year": int(line["year"]),
                "category": str(line["category"]),
                "amount": str(line["amount"]),
            }
            for line in lines
        ],
        previous_total=selectors.budget_summary(programme=programme)["total"],
        new_total=Decimal(str(total)),
        requested_by=_actor_user(actor),
    )
    audit_record(
        actor=actor,
        action="programmes.event.request",
        obj=event,
        after=model_values(event, ["programme", "kind", "reason", "proposed_lines", "new_total"]),
    )
    return event


@transaction.atomic
def no_cost_extension_request(
    *, programme: Programme, new_ends_on: datetime.date | None, reason: str, actor
) -> ProgrammeEvent:
    """The programme's people ask for a no-cost extension to ``new_ends_on``."""
    _require(actor, "programmes.event.request", programme)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    _check_extension(programme, new_ends_on, reason)
    _refuse_if_pending(programme, EventKind.NO_COST_EXTENSION)
    event = ProgrammeEvent.objects.create(
        programme=programme,
        kind=EventKind.NO_COST_EXTENSION,
        status=EventStatus.REQUESTED,
        reason=reason.strip(),
        previous_ends_on=programme.ends_on,
        new_ends_on=new_ends_on,
        requested_by=_actor_user(actor),
    )
    audit_record(
        actor=actor,
        action="programmes.event.request",
        obj=event,
        after=model_values(event, ["programme", "kind", "reason", "new_ends_on"]),
    )
    return event


@transaction.atomic
def programme_event_decide(
    *, event: ProgrammeEvent, approve: bool, actor, note: str = ""
) -> ProgrammeEvent:
    """The Management Unit approves a requested budget revision or no-cost extension (it takes
    effect now, checked again against the programme as it is) or declines it (a note is
    required)."""
    _require(actor, "programmes.event.record", event.programme)
    event = ProgrammeEvent.objects.select_for_update().get(pk=event.pk)
    programme = Programme.objects.select_for_update().get(pk=event.programme_id)
    if event.status != EventStatus.REQUESTED:
        raise ConflictError(
            _("This request is already decided (%(status)s).")
            % {"status": EventStatus(event.status).label},
            {"status": event.status},
        )
    note = (note or "").strip()
    if not approve and not note:
        raise ApplicationError(_("Say why the request is declined."), {"field": "note"})
    if approve and event.kind == EventKind.BUDGET_REVISION:
        before, parsed = _check_revision(
            programme, event.proposed_lines, event.new_total, event.reason
        )
        _apply_revision(programme, event, parsed, before["lines"], actor)
    elif approve:
        _check_extension(programme, event.new_ends_on, event.reason)
        event.previous_ends_on = programme.ends_on
        _apply_extension(programme, event, actor)
    event.status = EventStatus.APPROVED if approve else EventStatus.DECLINED
    event.decision_note = note
    event.decided_at = timezone.now()
    event.actor = _actor_user(actor)
    event.save(
        update_fields=[
            "status",
            "decision_note",
            "decided_at",
            "actor",
            "previous_ends_on",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="programmes.event.decide",
        obj=event,
        before={"status": EventStatus.REQUESTED},
        after={"status": event.status, "note": note},
    )
    return event


@transaction.atomic
def document_update(*, programme: Programme, actor, monitoring_plan: str) -> Programme:
    _require(actor, "programmes.document.edit", programme)
    if programme.state not in DOCUMENT_EDITABLE_STATES:
        raise ConflictError(
            _("The joint programme document cannot be edited now."), {"state": programme.state}
        )
    before = model_values(programme, ["monitoring_plan"])
    programme.monitoring_plan = (monitoring_plan or "").strip()
    programme.save(update_fields=["monitoring_plan", "updated_at"])
    audit_record(
        actor=actor,
        action="programmes.document.update",
        obj=programme,
        before=before,
        after=model_values(programme, ["monitoring_plan"]),
    )
    _announce(programme.pk)
    return programme


@transaction.atomic
def work_plan_activity_add(
    *,
    programme: Programme,
    title: str,
    organisation: Organisation,
    starts_on: datetime.date,
    ends_on: datetime.date,
    actor,
) -> WorkPlanActivity:
    _require(actor, "programmes.document.edit", programme)
    if programme.state not in DOCUMENT_EDITABLE_STATES:
        raise ConflictError(
            _("The joint programme document cannot be edited now."), {"state": programme.state}
        )
    if ends_on < starts_on:
        raise ApplicationError(_("An activity cannot end before it starts."), {"field": "ends_on"})
    if not programme.participating_organisations.filter(pk=organisation.pk).exists():
        raise ApplicationError(
            _("The organisation does not participate in the programme."), {"field": "organisation"}
        )
    activity = WorkPlanActivity.objects.create(
        programme=programme,
        title=title.strip(),
        organisation=organisation,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    audit_record(
        actor=actor,
        action="programmes.work_plan.add",
        obj=activity,
        after=model_values(
            activity, ["programme", "title", "organisation", "starts_on", "ends_on"]
        ),
    )
    _announce(programme.pk)
    return activity


@transaction.atomic
def risk_add(
    *, programme: Programme, risk: str, likelihood: str, impact: str, mitigation: str, actor
) -> RiskLogEntry:
    _require(actor, "programmes.document.edit", programme)
    if programme.state not in DOCUMENT_EDITABLE_STATES:
        raise ConflictError(
            _("The joint programme document cannot be edited now."), {"state": programme.state}
        )
    if not risk.strip() or not mitigation.strip():
        raise ApplicationError(_("A risk needs a description and a mitigation."), {"field": "risk"})
    if likelihood not in {"low", "medium", "high"} or impact not in {"low", "medium", "high"}:
        raise ApplicationError(
            _("Likelihood and impact are low, medium or high."), {"field": "likelihood"}
        )
    entry = RiskLogEntry.objects.create(
        programme=programme,
        risk=risk.strip(),
        likelihood=likelihood,
        impact=impact,
        mitigation=mitigation.strip(),
    )
    audit_record(
        actor=actor,
        action="programmes.risk.add",
        obj=entry,
        after=model_values(entry, ["programme", "risk", "likelihood", "impact"]),
    )
    _announce(programme.pk)
    return entry


@transaction.atomic
def work_plan_activity_remove(*, activity: WorkPlanActivity, actor) -> None:
    """Take an activity out of the work plan (while the document may be edited)."""
    programme = activity.programme
    _require(actor, "programmes.document.edit", programme)
    if programme.state not in DOCUMENT_EDITABLE_STATES:
        raise ConflictError(
            _("The joint programme document cannot be edited now."), {"state": programme.state}
        )
    before = model_values(activity, ["programme", "title", "organisation", "starts_on", "ends_on"])
    audit_record(actor=actor, action="programmes.work_plan.remove", obj=activity, before=before)
    activity.delete()
    _announce(programme.pk)


@transaction.atomic
def risk_remove(*, entry: RiskLogEntry, actor) -> None:
    """Take a risk out of the risk log (while the document may be edited)."""
    programme = entry.programme
    _require(actor, "programmes.document.edit", programme)
    if programme.state not in DOCUMENT_EDITABLE_STATES:
        raise ConflictError(
            _("The joint programme document cannot be edited now."), {"state": programme.state}
        )
    before = model_values(entry, ["programme", "risk", "likelihood", "impact"])
    audit_record(actor=actor, action="programmes.risk.remove", obj=entry, before=before)
    entry.delete()
    _announce(programme.pk)


# --- Funding: allocations and tranches through the fund's services ---------------------------


def _fund_programme(*, programme: Programme, decided_on: datetime.date, actor) -> list[Tranche]:
    """On approval: one allocation per participating organisation in the fund (its direct costs
    plus indirect support costs), and one tranche per budget year."""
    from compacts.fund.services import allocation_create

    summary = selectors.budget_summary(programme=programme)
    tranches = []
    for entry in summary["organisations"]:
        allocation = allocation_create(
            fund=programme.fund,
            organisation=entry["organisation"],
            amount=entry["total"],
            purpose=f"{programme.code} {programme.title}"[:500],
            decided_on=decided_on,
            actor=actor,
            source_type="programmes.programme",
            source_id=str(programme.pk),
            is_illustrative=programme.is_illustrative,
        )
        remaining = entry["total"]
        years = list(entry["by_year"].items())
        for number, (year, direct) in enumerate(years, start=1):
            amount = (
                remaining
                if number == len(years)
                else direct + selectors.isc_amount(direct, summary["rate"])
            )
            remaining -= amount
            if amount <= 0:
                continue
            planned = decided_on if number == 1 else datetime.date(year, 1, 15)
            tranches.append(
                Tranche.objects.create(
                    programme=programme,
                    allocation=allocation,
                    number=number,
                    amount=amount,
                    planned_on=max(planned, decided_on),
                )
            )
    starts_on = decided_on
    months = programme.duration_months or 12
    ends_year = starts_on.year + (starts_on.month - 1 + months) // 12
    ends_month = (starts_on.month - 1 + months) % 12 + 1
    Programme.objects.filter(pk=programme.pk).update(
        starts_on=starts_on,
        ends_on=datetime.date(ends_year, ends_month, 1) - datetime.timedelta(days=1),
    )
    audit_record(
        actor=actor,
        action="programmes.programme.fund",
        obj=programme,
        after={
            "allocations": [t.allocation_id for t in tranches if t.number == 1],
            "tranches": [[t.allocation_id, t.number, str(t.amount)] for t in tranches],
        },
    )
    _announce(programme.pk)
    return tranches


@transaction.atomic
def tranche_transfer(*, tranche: Tranche, value_date: datetime.date, actor) -> Tranche:
    """Transfer a tranche through the fund's ledger (``fund.services.transfer_create``, with an
    idempotency key per tranche, so a repeated click cannot pay twice). The first transfer of an
    approved programme makes it active."""
    from compacts.fund.services import transfer_create

    _require(actor, "programmes.tranche.transfer", tranche.programme)
    tranche = (
        Tranche.objects.select_for_update(of=("self",))
        .select_related("programme", "allocation")
        .get(pk=tranche.pk)
    )
    programme = tranche.programme
    if programme.state not in {State.APPROVED, State.ACTIVE}:
        raise ConflictError(
            _("Tranches are transferred to approved or active programmes only."),
            {"state": programme.state},
        )
    if tranche.posting_id is not None:
        raise ConflictError(
            _("This tranche was already transferred."), {"posting": tranche.posting_id}
        )
    earlier = Tranche.objects.filter(
        allocation=tranche.allocation, number__lt=tranche.number, posting__isnull=True
    )
    if earlier.exists():
        raise ConflictError(_("Transfer the earlier tranches of this organisation first."))
    posting = transfer_create(
        allocation=tranche.allocation,
        amount=tranche.amount,
        value_date=value_date,
        actor=actor,
        idempotency_key=f"programme-tranche-{tranche.pk}",
    )
    tranche.posting = posting
    tranche.save(update_fields=["posting", "updated_at"])
    audit_record(
        actor=actor,
        action="programmes.tranche.transfer",
        obj=tranche,
        after={"posting": posting.pk, "amount": str(tranche.amount)},
    )
    _announce(programme.pk)
    if programme.state == State.APPROVED:
        programme_transition(
            programme=programme, to=State.ACTIVE, actor=actor, note=_("First tranche transferred.")
        )
    return tranche


@transaction.atomic
def final_report_accepted(
    *, programme: Programme, kind: str, on: datetime.date, actor
) -> Programme:
    """Called by the results app when a programme's final narrative or financial report is
    accepted: the closing guards read these dates."""
    field = {
        "narrative": "final_narrative_accepted_on",
        "financial": "final_financial_accepted_on",
    }[kind]
    before = model_values(programme, [field])
    setattr(programme, field, on)
    programme.save(update_fields=[field, "updated_at"])
    audit_record(
        actor=actor,
        action="programmes.programme.final_report",
        obj=programme,
        before=before,
        after=model_values(programme, [field]),
    )
    _announce(programme.pk)
    return programme
