"""A reported value of an indicator: submitted by the programme's people, then approved by the
Management Unit or returned to be corrected (and submitted again)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from compacts.actors import roles
from compacts.programmes.workflows import Machine, rule

SUBMITTERS = (roles.RCO_SUBMITTER, roles.PUNO_FOCAL_POINT)


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Approved")


INITIAL = State.SUBMITTED

MACHINE = Machine(
    name="indicator-update",
    states=State,
    initial=INITIAL,
    terminal=frozenset({State.APPROVED}),
    transitions={
        (State.SUBMITTED, State.APPROVED): rule(roles.MANAGEMENT_UNIT_OFFICER),
        (State.SUBMITTED, State.RETURNED): rule(roles.MANAGEMENT_UNIT_OFFICER, note_required=True),
        (State.RETURNED, State.SUBMITTED): rule(*SUBMITTERS),
    },
)
