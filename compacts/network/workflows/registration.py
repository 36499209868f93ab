"""A registration to an event: the Secretariat confirms or declines it, then records attendance;
the registrant may cancel before the event."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from compacts.network.workflows import Machine, rule


class State(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Did not attend")


INITIAL = State.REGISTERED
# Registrations in these states hold a place.
HOLDS_PLACE = (State.REGISTERED, State.CONFIRMED, State.ATTENDED)

MACHINE = Machine(
    name="registration",
    states=State,
    initial=INITIAL,
    terminal=frozenset({State.DECLINED, State.CANCELLED, State.ATTENDED, State.ABSENT}),
    transitions={
        (State.REGISTERED, State.CONFIRMED): rule("secretariat", "co-lead"),
        (State.REGISTERED, State.DECLINED): rule("secretariat", "co-lead", note_required=True),
        (State.REGISTERED, State.CANCELLED): rule("registrant", "secretariat"),
        (State.CONFIRMED, State.CANCELLED): rule("registrant", "secretariat"),
        (State.CONFIRMED, State.ATTENDED): rule("secretariat", "co-lead"),
        (State.CONFIRMED, State.ABSENT): rule("secretariat", "co-lead"),
    },
)
