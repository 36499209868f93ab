"""A programme report of the reporting calendar (annual and final, narrative and financial): due,
submitted by the programme's people, then accepted or returned by the Management Unit."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compacts.actors import roles
from compacts.programmes.workflows import Machine, rule

SUBMITTERS = (roles.RCO_SUBMITTER, roles.PUNO_FOCAL_POINT)


class State(models.TextChoices):
    DUE = "due", pgettext_lazy("report state", "Due")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")


INITIAL = State.DUE

MACHINE = Machine(
    name="report",
    states=State,
    initial=INITIAL,
    terminal=frozenset({State.ACCEPTED}),
    transitions={
        (State.DUE, State.SUBMITTED): rule(*SUBMITTERS),
        (State.RETURNED, State.SUBMITTED): rule(*SUBMITTERS),
        (State.SUBMITTED, State.ACCEPTED): rule(roles.MANAGEMENT_UNIT_OFFICER),
        (State.SUBMITTED, State.RETURNED): rule(roles.MANAGEMENT_UNIT_OFFICER, note_required=True),
    },
)
