"""A working group's deliverable or tool: drafting, pilot testing in named champion countries,
published; the pilot feedback is kept."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from compacts.network.workflows import Machine, rule


class State(models.TextChoices):
    DRAFTING = "drafting", _("Drafting")
    PILOT_TESTING = "pilot-testing", _("Pilot testing")
    PUBLISHED = "published", _("Published")


INITIAL = State.DRAFTING


def _has_pilot_countries(deliverable) -> str | None:
    if deliverable.pk and deliverable.pilot_countries.exists():
        return None
    return str(_("Name the champion countries that will pilot it first."))


def _has_feedback(deliverable) -> str | None:
    if deliverable.pk and deliverable.pilot_feedback.exists():
        return None
    return str(_("Record the pilot feedback first."))


MACHINE = Machine(
    name="deliverable",
    states=State,
    initial=INITIAL,
    terminal=frozenset({State.PUBLISHED}),
    transitions={
        (State.DRAFTING, State.PILOT_TESTING): rule(
            "co-lead", "secretariat", guard=_has_pilot_countries
        ),
        (State.PILOT_TESTING, State.DRAFTING): rule("co-lead", "secretariat", note_required=True),
        (State.PILOT_TESTING, State.PUBLISHED): rule("co-lead", "secretariat", guard=_has_feedback),
    },
)
