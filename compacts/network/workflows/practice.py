"""A practice of the Hub's repository: a submitter fills the template, the Secretariat reviews it
against the published criteria and asks for changes or publishes it (facts.md §4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from compacts.network.workflows import Machine, rule


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in-review", _("In review")
    CHANGES_REQUESTED = "changes-requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not accepted")
    ARCHIVED = "archived", _("Archived")


INITIAL = State.DRAFT


def _complete(practice) -> str | None:
    from compacts.network.validation import practice_missing_fields

    missing = practice_missing_fields(practice)
    if missing:
        return str(_("Some required fields are empty."))
    return None


MACHINE = Machine(
    name="practice",
    states=State,
    initial=INITIAL,
    terminal=frozenset({State.REJECTED, State.ARCHIVED}),
    transitions={
        (State.DRAFT, State.SUBMITTED): rule("submitter", guard=_complete),
        (State.SUBMITTED, State.IN_REVIEW): rule("secretariat"),
        (State.IN_REVIEW, State.CHANGES_REQUESTED): rule("secretariat", note_required=True),
        (State.CHANGES_REQUESTED, State.SUBMITTED): rule("submitter", guard=_complete),
        (State.IN_REVIEW, State.PUBLISHED): rule("secretariat", guard=_complete),
        (State.IN_REVIEW, State.REJECTED): rule("secretariat", note_required=True),
        (State.PUBLISHED, State.ARCHIVED): rule("secretariat", note_required=True),
    },
)
