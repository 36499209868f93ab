"""Writes for the review cycle: stakeholder registrations and written submissions, Progress
Declaration commitments. The reference rows (IMRF editions, round tables, GCR pledge stages) are
kept by ``reference_rows.py``."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from compacts.core.changes import announce
from compacts.core.exceptions import ApplicationError, ConflictError
from compacts.core.permissions import require
from compacts.core.services import audit_record, model_values
from compacts.tracking.models import (
    Commitment,
    ImrfEdition,
    StakeholderRegistration,
    WrittenSubmission,
)
from compacts.tracking.services.workflow import apply_transition, lock
from compacts.tracking.workflows import commitment as commitment_workflow


def _forum_check(imrf_edition, regional_review) -> None:
    if (imrf_edition is None) == (regional_review is None):
        raise ApplicationError(
            _("Choose one forum: an IMRF or a regional review."), {"field": "forum"}
        )


@transaction.atomic
def registration_create(
    *,
    organisation,
    participant_name: str,
    actor,
    imrf_edition=None,
    regional_review=None,
    is_illustrative: bool = False,
) -> StakeholderRegistration:
    """Register a participant of an organisation for an IMRF or a regional review."""
    require(actor, "tracking.registration.create", organisation)
    _forum_check(imrf_edition, regional_review)
    if not participant_name.strip():
        raise ApplicationError(_("Name the participant."), {"field": "participant_name"})
    registration = StakeholderRegistration.objects.create(
        organisation=organisation,
        participant_name=participant_name.strip(),
        user=actor if getattr(actor, "is_authenticated", False) else None,
        imrf_edition=imrf_edition,
        regional_review=regional_review,
        is_illustrative=is_illustrative,
    )
    audit_record(
        actor=actor,
        action="tracking.registration.create",
        obj=registration,
        after=model_values(
            registration, ["organisation", "participant_name", "imrf_edition", "regional_review"]
        ),
    )
    return registration


@transaction.atomic
def registration_decide(
    *, registration: StakeholderRegistration, accept: bool, actor
) -> StakeholderRegistration:
    """Accept or decline a registration (the secretariat)."""
    registration = lock(StakeholderRegistration, registration.pk)
    require(actor, "tracking.registration.decide", registration)
    if registration.status != StakeholderRegistration.Status.REGISTERED:
        raise ConflictError(
            _("This registration has already been decided."), {"status": registration.status}
        )
    before = model_values(registration, ["status"])
    registration.status = (
        StakeholderRegistration.Status.ACCEPTED
        if accept
        else StakeholderRegistration.Status.DECLINED
    )
    registration.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="tracking.registration.decide",
        obj=registration,
        before=before,
        after=model_values(registration, ["status"]),
    )
    return registration


@transaction.atomic
def submission_create(
    *,
    organisation,
    title: str,
    text: str,
    actor,
    objectives=(),
    imrf_edition=None,
    regional_review=None,
    is_illustrative: bool = False,
) -> WrittenSubmission:
    """Send a written submission to an IMRF or a regional review."""
    require(actor, "tracking.submission.create", organisation)
    _forum_check(imrf_edition, regional_review)
    if not title.strip() or not text.strip():
        raise ApplicationError(_("A submission needs a title and a text."), {"field": "text"})
    submission = WrittenSubmission.objects.create(
        organisation=organisation,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        title=title.strip(),
        text=text.strip(),
        imrf_edition=imrf_edition,
        regional_review=regional_review,
        is_illustrative=is_illustrative,
    )
    submission.objectives.set(objectives)
    audit_record(
        actor=actor,
        action="tracking.submission.create",
        obj=submission,
        after=model_values(
            submission, ["organisation", "title", "imrf_edition", "regional_review"]
        ),
    )
    return submission


@transaction.atomic
def submission_publish(*, submission: WrittenSubmission, actor) -> WrittenSubmission:
    """Publish a written submission on the forum's page (the secretariat)."""
    submission = lock(WrittenSubmission, submission.pk)
    require(actor, "tracking.submission.publish", submission)
    if submission.status == WrittenSubmission.Status.PUBLISHED:
        raise ConflictError(_("This submission is already published."), {"status": "published"})
    submission.status = WrittenSubmission.Status.PUBLISHED
    submission.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="tracking.submission.publish",
        obj=submission,
        before={"status": "submitted"},
        after={"status": "published"},
    )
    announce("tracking", submission=submission.pk)
    return submission


def _commitment_clean(*, edition: ImrfEdition, paragraph: str, title: str, pk: int | None = None):
    """The checks shared by creating and editing a commitment; ``pk``: the one being edited."""
    if not paragraph.strip():
        raise ApplicationError(_("Name the paragraph."), {"field": "paragraph"})
    if not title.strip():
        raise ApplicationError(_("A title is required."), {"field": "title"})
    if Commitment.objects.filter(edition=edition, paragraph=paragraph).exclude(pk=pk).exists():
        raise ConflictError(
            _("Paragraph %(paragraph)s is already tracked.") % {"paragraph": paragraph},
            {"field": "paragraph"},
        )


@transaction.atomic
def commitment_create(
    *,
    edition: ImrfEdition,
    paragraph: str,
    title: str,
    text: str,
    actor,
    owner=None,
    owner_label: str = "",
    due_on: date | None = None,
    source_note: str = "",
) -> Commitment:
    """Track a commitment of an IMRF's Progress Declaration."""
    require(actor, "tracking.cycle.manage", edition)
    _commitment_clean(edition=edition, paragraph=paragraph, title=title)
    commitment = Commitment.objects.create(
        edition=edition,
        paragraph=paragraph,
        title=title,
        text=text,
        owner=owner,
        owner_label=owner_label,
        due_on=due_on,
        source_note=source_note,
    )
    audit_record(
        actor=actor,
        action="tracking.commitment.create",
        obj=commitment,
        after=model_values(
            commitment, ["edition", "paragraph", "title", "owner", "owner_label", "due_on"]
        ),
    )
    announce("tracking", commitment=commitment.pk)
    return commitment


@transaction.atomic
def commitment_assign(
    *, commitment: Commitment, owner=None, owner_label: str = "", actor
) -> Commitment:
    """Say who owns a commitment (an organisation, or a label such as 'Secretary-General')."""
    commitment = lock(Commitment, commitment.pk)
    require(actor, "tracking.cycle.manage", commitment)
    before = model_values(commitment, ["owner", "owner_label"])
    commitment.owner, commitment.owner_label = owner, owner_label
    commitment.save(update_fields=["owner", "owner_label", "updated_at"])
    audit_record(
        actor=actor,
        action="tracking.commitment.assign",
        obj=commitment,
        before=before,
        after=model_values(commitment, ["owner", "owner_label"]),
    )
    announce("tracking", commitment=commitment.pk)
    return commitment


#: The fields of a commitment that ``commitment_update`` may change (its state cannot: the state
#: moves only through ``commitment_transition``).
COMMITMENT_CONTENT = ["edition", "paragraph", "title", "text", "due_on", "source_note"]


@transaction.atomic
def commitment_update(
    *,
    commitment: Commitment,
    paragraph: str,
    title: str,
    text: str,
    actor,
    owner=None,
    owner_label: str = "",
    due_on: date | None = None,
    source_note: str = "",
    edition: ImrfEdition | None = None,
) -> Commitment:
    """Correct what a tracked commitment says, the IMRF whose Progress Declaration it belongs to
    (``edition``; ``None`` keeps it), and who owns it (the secretariat).

    Moving it to another IMRF keeps its state and history; the paragraph must not already be
    tracked in that IMRF. The content is audited as ``tracking.commitment.update``; a change of
    owner goes through ``commitment_assign`` (its own audit record), in the same transaction.
    """
    commitment = lock(Commitment, commitment.pk)
    require(actor, "tracking.cycle.manage", commitment)
    paragraph, title = paragraph.strip(), title.strip()
    edition = edition if edition is not None else commitment.edition
    _commitment_clean(edition=edition, paragraph=paragraph, title=title, pk=commitment.pk)
    before = model_values(commitment, COMMITMENT_CONTENT)
    commitment.edition = edition
    commitment.paragraph, commitment.title, commitment.text = paragraph, title, text.strip()
    commitment.due_on, commitment.source_note = due_on, source_note.strip()
    after = model_values(commitment, COMMITMENT_CONTENT)
    if after != before:
        commitment.save(update_fields=[*COMMITMENT_CONTENT, "updated_at"])
        audit_record(
            actor=actor,
            action="tracking.commitment.update",
            obj=commitment,
            before=before,
            after=after,
        )
        announce("tracking", commitment=commitment.pk)
    owner_label = owner_label.strip()
    if (getattr(owner, "pk", None), owner_label) != (commitment.owner_id, commitment.owner_label):
        commitment = commitment_assign(
            commitment=commitment, owner=owner, owner_label=owner_label, actor=actor
        )
    return commitment


@transaction.atomic
def commitment_transition(*, commitment: Commitment, to: str, actor, note: str = "") -> Commitment:
    """Move a commitment through its follow-up (``workflows/commitment.py``)."""
    commitment = lock(Commitment, commitment.pk)
    require(actor, "tracking.commitment.transition", commitment)
    if to == commitment_workflow.CommitmentState.DROPPED and not note.strip():
        raise ApplicationError(_("Say why the commitment is dropped."), {"field": "note"})
    apply_transition(
        machine=commitment_workflow.MACHINE,
        obj=commitment,
        to=to,
        actor=actor,
        note=note,
        action_prefix="tracking.commitment",
    )
    return commitment
