"""An activity of a workplan, with the Network workplan's statuses: yet to start, ongoing,
completed (facts.md §4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from compacts.network.workflows import Machine, rule


class State(models.TextChoices):
    YET_TO_START = "yet-to-start", _("Yet to start")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")


INITIAL = State.YET_TO_START

MACHINE = Machine(
    name="activity",
    states=State,
    initial=INITIAL,
    terminal=frozenset({State.COMPLETED}),
    transitions={
        (State.YET_TO_START, State.ONGOING): rule(
            "co-lead", "focal-point", "assignee", "secretariat"
        ),
        (State.ONGOING, State.COMPLETED): rule("co-lead", "focal-point", "assignee", "secretariat"),
        (State.YET_TO_START, State.COMPLETED): rule(
            "co-lead", "focal-point", "assignee", "secretariat"
        ),
    },
)
