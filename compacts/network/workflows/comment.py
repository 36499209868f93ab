"""A comment on a published practice: held for moderation, then approved or rejected; an approved
comment can later be hidden."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from compacts.network.workflows import Machine, rule


class State(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    HIDDEN = "hidden", _("Hidden")


INITIAL = State.PENDING

MACHINE = Machine(
    name="comment",
    states=State,
    initial=INITIAL,
    terminal=frozenset({State.REJECTED, State.HIDDEN}),
    transitions={
        (State.PENDING, State.APPROVED): rule("secretariat"),
        (State.PENDING, State.REJECTED): rule("secretariat"),
        (State.APPROVED, State.HIDDEN): rule("secretariat", note_required=True),
    },
)
