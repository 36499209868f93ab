"""An event (webinar, training, consultation): planned, open for registration, registration
closed, held (attendance, materials and follow-up recorded) or cancelled."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from compacts.network.workflows import Machine, rule


class State(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open for registration")
    CLOSED = "closed", _("Registration closed")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


INITIAL = State.PLANNED

MACHINE = Machine(
    name="event",
    states=State,
    initial=INITIAL,
    terminal=frozenset({State.HELD, State.CANCELLED}),
    transitions={
        (State.PLANNED, State.OPEN): rule("secretariat", "co-lead"),
        (State.OPEN, State.CLOSED): rule("secretariat", "co-lead"),
        (State.CLOSED, State.OPEN): rule("secretariat", "co-lead"),
        (State.CLOSED, State.HELD): rule("secretariat", "co-lead"),
        (State.PLANNED, State.CANCELLED): rule("secretariat", "co-lead", note_required=True),
        (State.OPEN, State.CANCELLED): rule("secretariat", "co-lead", note_required=True),
        (State.CLOSED, State.CANCELLED): rule("secretariat", "co-lead", note_required=True),
    },
)
