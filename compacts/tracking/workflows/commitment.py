"""The follow-up of a Progress Declaration commitment: open, in progress, done, or dropped
(with a note saying why)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from compacts.tracking.workflows import OWNER, SECRETARIAT, Machine, rule


class CommitmentState(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in-progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


S = CommitmentState


def has_owner(commitment) -> str:
    """Work on a commitment starts once someone owns it."""
    if commitment.owner_id is None and not commitment.owner_label:
        return str(_("A commitment needs an owner before work on it starts."))
    return ""


MACHINE = Machine(
    name="commitment",
    states=CommitmentState,
    initial=S.OPEN,
    transitions={
        (S.OPEN, S.IN_PROGRESS): rule(OWNER, SECRETARIAT, guard=has_owner),
        (S.OPEN, S.DROPPED): rule(SECRETARIAT),
        (S.IN_PROGRESS, S.DONE): rule(OWNER, SECRETARIAT),
        (S.IN_PROGRESS, S.DROPPED): rule(SECRETARIAT),
    },
)
