"""Writes for national GCM implementation plans (versions, actions, progress updates) and
voluntary national reviews (with attachments)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from compacts.core.changes import announce
from compacts.core.exceptions import ApplicationError, ConflictError
from compacts.core.permissions import require
from compacts.core.services import audit_record, model_values
from compacts.framework.models import Country
from compacts.tracking.models import (
    Attachment,
    NationalPlan,
    NationalReview,
    PlanAction,
    PlanActionStatus,
    PlanProgressUpdate,
    PlanVersion,
)
from compacts.tracking.services.pledges import attachment_clean
from compacts.tracking.services.workflow import apply_transition, lock
from compacts.tracking.workflows import national_review as review_workflow
from compacts.tracking.workflows import plan_version as plan_workflow

VERSION_FIELDS = [
    "plan", "number", "state", "period_start", "period_end", "adopted_on", "amount", "currency",
    "includes_migrant_health", "summary",
]  # fmt: skip
ACTION_FIELDS = ["version", "title", "lead_ministry", "amount", "currency", "status", "description"]


@transaction.atomic
def national_plan_create(
    *, country: Country, title: str, actor, organisation=None, is_illustrative: bool = False
) -> NationalPlan:
    """Start a country's GCM implementation plan (its content goes in versions)."""
    require(actor, "tracking.plan.create", country)
    if not title.strip():
        raise ApplicationError(_("A title is required."), {"field": "title"})
    plan = NationalPlan.objects.create(
        country=country,
        title=title.strip(),
        organisation=organisation,
        is_illustrative=is_illustrative,
    )
    audit_record(
        actor=actor,
        action="tracking.plan.create",
        obj=plan,
        after=model_values(plan, ["country", "title", "organisation"]),
    )
    return plan


@dataclass
class PlanVersionInput:
    period_start: int
    period_end: int
    summary: str = ""
    amount: Decimal | None = None
    currency: str = ""
    includes_migrant_health: bool = False
    adopted_on: date | None = None


@transaction.atomic
def plan_version_create(
    *, plan: NationalPlan, data: PlanVersionInput, actor, copy_actions: bool = True
) -> PlanVersion:
    """Open the next version of a plan as a draft, copying the latest version's actions."""
    plan = NationalPlan.objects.select_for_update().get(pk=plan.pk)
    require(actor, "tracking.plan.create", plan.country)
    if data.period_end < data.period_start:
        raise ApplicationError(_("The plan period ends before it starts."), {"field": "period_end"})
    if data.amount is not None and len(data.currency) != 3:
        raise ApplicationError(
            _("An amount needs its three-letter currency code."), {"field": "currency"}
        )
    if plan.versions.filter(
        state__in=plan_workflow.EDITABLE | {plan_workflow.PlanVersionState.SUBMITTED}
    ).exists():
        raise ConflictError(_("This plan already has a version in preparation."), {"plan": plan.pk})
    previous = plan.versions.order_by("-number").first()
    number = (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = PlanVersion.objects.create(
        plan=plan,
        number=number,
        period_start=data.period_start,
        period_end=data.period_end,
        summary=data.summary,
        amount=data.amount,
        currency=data.currency.upper(),
        includes_migrant_health=data.includes_migrant_health,
        adopted_on=data.adopted_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        is_illustrative=plan.is_illustrative,
    )
    if copy_actions and previous is not None:
        for action in previous.actions.all():
            copy = PlanAction.objects.create(
                version=version,
                title=action.title,
                description=action.description,
                lead_ministry=action.lead_ministry,
                amount=action.amount,
                currency=action.currency,
                status=action.status,
                is_illustrative=action.is_illustrative,
            )
            copy.objectives.set(action.objectives.all())
            copy.gcm_actions.set(action.gcm_actions.all())
            copy.principles.set(action.principles.all())
    audit_record(
        actor=actor,
        action="tracking.plan.version_create",
        obj=version,
        after=model_values(version, VERSION_FIELDS),
    )
    return version


@transaction.atomic
def national_plan_with_version_create(
    *, country: Country, title: str, data: PlanVersionInput, actor, organisation=None
) -> PlanVersion:
    """Start a plan and its first draft version in one step: both or neither."""
    plan = national_plan_create(
        country=country, title=title, actor=actor, organisation=organisation
    )
    return plan_version_create(plan=plan, data=data, actor=actor)


@dataclass
class PlanActionInput:
    title: str
    lead_ministry: str
    objectives: list
    description: str = ""
    gcm_actions: list = field(default_factory=list)
    principles: list = field(default_factory=list)
    amount: Decimal | None = None
    currency: str = ""


@transaction.atomic
def plan_action_create(*, version: PlanVersion, data: PlanActionInput, actor) -> PlanAction:
    """Add an action to a draft or returned plan version."""
    version = lock(PlanVersion, version.pk)
    require(actor, "tracking.plan.edit", version)
    if not data.title.strip():
        raise ApplicationError(_("A title is required."), {"field": "title"})
    if not data.lead_ministry.strip():
        raise ApplicationError(_("Name the lead ministry."), {"field": "lead_ministry"})
    if not data.objectives:
        raise ApplicationError(
            _("Link the action to at least one GCM objective."), {"field": "objectives"}
        )
    if data.amount is not None and len(data.currency) != 3:
        raise ApplicationError(
            _("An amount needs its three-letter currency code."), {"field": "currency"}
        )
    action = PlanAction.objects.create(
        version=version,
        title=data.title.strip(),
        description=data.description,
        lead_ministry=data.lead_ministry.strip(),
        amount=data.amount,
        currency=data.currency.upper(),
        is_illustrative=version.is_illustrative,
    )
    action.objectives.set(data.objectives)
    action.gcm_actions.set(data.gcm_actions)
    action.principles.set(data.principles)
    audit_record(
        actor=actor,
        action="tracking.plan.action_create",
        obj=action,
        after={
            **model_values(action, ACTION_FIELDS),
            "objectives": sorted(o.number for o in data.objectives),
            "principles": sorted(p.letter for p in data.principles),
        },
    )
    return action


@transaction.atomic
def plan_version_transition(*, version: PlanVersion, to: str, actor, note: str = "") -> PlanVersion:
    """Move a plan version through its life cycle (``workflows/plan_version.py``).

    Publishing a version supersedes the plan's previously published version.
    """
    version = lock(PlanVersion, version.pk)
    require(actor, "tracking.plan.transition", version)
    apply_transition(
        machine=plan_workflow.MACHINE,
        obj=version,
        to=to,
        actor=actor,
        note=note,
        action_prefix="tracking.plan",
    )
    if to == plan_workflow.PlanVersionState.PUBLISHED:
        for older in (
            version.plan.versions.select_for_update()
            .filter(state=plan_workflow.PlanVersionState.PUBLISHED)
            .exclude(pk=version.pk)
        ):
            apply_transition(
                machine=plan_workflow.MACHINE,
                obj=older,
                to=plan_workflow.PlanVersionState.SUPERSEDED,
                actor=actor,
                note=_("Superseded by version %(number)s.") % {"number": version.number},
                action_prefix="tracking.plan",
            )
    return version


@transaction.atomic
def plan_progress_update_create(
    *,
    action: PlanAction,
    status: str,
    narrative: str,
    actor,
    progress_percent: int | None = None,
    reported_on: date | None = None,
) -> PlanProgressUpdate:
    """Report progress on an action of a published plan; the action takes the reported status."""
    action = lock(PlanAction, action.pk)
    require(actor, "tracking.plan.report", action)
    if status not in PlanActionStatus.values:
        raise ApplicationError(
            _("%(value)s is not an action status; use one of: %(choices)s.")
            % {"value": status, "choices": ", ".join(PlanActionStatus.values)},
            {"field": "status"},
        )
    if progress_percent is not None and not 0 <= progress_percent <= 100:
        raise ApplicationError(
            _("Progress is a percentage from 0 to 100."), {"field": "progress_percent"}
        )
    if not narrative.strip():
        raise ApplicationError(_("Describe the progress made."), {"field": "narrative"})
    before = model_values(action, ["status"])
    update = PlanProgressUpdate.objects.create(
        action=action,
        status=status,
        narrative=narrative.strip(),
        progress_percent=progress_percent,
        reported_on=reported_on or timezone.localdate(),
        author=actor if getattr(actor, "is_authenticated", False) else None,
        is_illustrative=action.is_illustrative,
    )
    action.status = status
    action.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="tracking.plan.report",
        obj=action,
        before=before,
        after={"status": status, "progress_percent": progress_percent, "update": update.pk},
    )
    announce("tracking", plan_action=action.pk)
    return update


@transaction.atomic
def national_review_create(
    *,
    country: Country,
    title: str,
    actor,
    summary: str = "",
    regional_review=None,
    imrf_edition=None,
    organisation=None,
    is_illustrative: bool = False,
) -> NationalReview:
    """Draft a voluntary national review for one regional review or one IMRF."""
    require(actor, "tracking.national_review.create", country)
    if (regional_review is None) == (imrf_edition is None):
        raise ApplicationError(
            _("A national review goes to one regional review or to one IMRF."), {"field": "forum"}
        )
    if not title.strip():
        raise ApplicationError(_("A title is required."), {"field": "title"})
    review = NationalReview.objects.create(
        country=country,
        title=title.strip(),
        summary=summary,
        regional_review=regional_review,
        imrf_edition=imrf_edition,
        organisation=organisation,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        is_illustrative=is_illustrative,
    )
    audit_record(
        actor=actor,
        action="tracking.national_review.create",
        obj=review,
        after=model_values(review, ["country", "title", "regional_review", "imrf_edition"]),
    )
    return review


@transaction.atomic
def national_review_attach(
    *, review: NationalReview, title: str, upload: UploadedFile, actor
) -> Attachment:
    """Attach a file (25 MB at most, document types) to a draft or returned national review."""
    review = lock(NationalReview, review.pk)
    require(actor, "tracking.national_review.attach", review)
    attachment_clean(upload)
    attachment = Attachment.objects.create(
        national_review=review,
        title=title.strip() or upload.name,
        file=upload,
        size=upload.size,
        is_illustrative=review.is_illustrative,
    )
    audit_record(
        actor=actor,
        action="tracking.national_review.attach",
        obj=review,
        after={"attachment": attachment.pk, "title": attachment.title, "size": attachment.size},
    )
    return attachment


@transaction.atomic
def national_review_transition(
    *, review: NationalReview, to: str, actor, note: str = ""
) -> NationalReview:
    """Move a national review through its life cycle (``workflows/national_review.py``)."""
    review = lock(NationalReview, review.pk)
    require(actor, "tracking.national_review.transition", review)
    extra = {}
    if to == review_workflow.NationalReviewState.SUBMITTED:
        extra["submitted_on"] = timezone.localdate()
    apply_transition(
        machine=review_workflow.MACHINE,
        obj=review,
        to=to,
        actor=actor,
        note=note,
        action_prefix="tracking.national_review",
        extra_fields=extra,
    )
    return review
