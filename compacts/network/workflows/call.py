"""A call for practices: drafted, announced (open for submissions), closed at its deadline, and
concluded when the Secretariat has published the practices it selected."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from compacts.network.workflows import Machine, rule


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ANNOUNCED = "announced", _("Open for submissions")
    CLOSED = "closed", _("Closed")
    CONCLUDED = "concluded", _("Concluded")
    CANCELLED = "cancelled", _("Cancelled")


INITIAL = State.DRAFT

MACHINE = Machine(
    name="call",
    states=State,
    initial=INITIAL,
    terminal=frozenset({State.CONCLUDED, State.CANCELLED}),
    transitions={
        (State.DRAFT, State.ANNOUNCED): rule("secretariat"),
        (State.ANNOUNCED, State.CLOSED): rule("secretariat"),
        (State.CLOSED, State.CONCLUDED): rule("secretariat"),
        (State.DRAFT, State.CANCELLED): rule("secretariat"),
        (State.ANNOUNCED, State.CANCELLED): rule("secretariat", note_required=True),
    },
)
