"""A country or regional network: planned, established (with its date), inactive, re-activated."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from compacts.network.workflows import Machine, rule


class State(models.TextChoices):
    PLANNED = "planned", _("Being set up")
    ESTABLISHED = "established", _("Established")
    INACTIVE = "inactive", _("Inactive")


INITIAL = State.PLANNED


def _has_date(network) -> str | None:
    if network.established_on:
        return None
    return str(_("Give the date the network was established first."))


MACHINE = Machine(
    name="country_network",
    states=State,
    initial=INITIAL,
    terminal=frozenset(),
    transitions={
        (State.PLANNED, State.ESTABLISHED): rule("secretariat", guard=_has_date),
        (State.ESTABLISHED, State.INACTIVE): rule("secretariat", note_required=True),
        (State.INACTIVE, State.ESTABLISHED): rule("secretariat"),
    },
)
