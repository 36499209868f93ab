"""A Member State's request for technical assistance, handled as the GCM's connection hub
describes (para 43 (a)): received, matched with implementing partners and similar solutions,
supported, closed (with the fund's concept note linked when one follows)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from compacts.network.workflows import Machine, rule


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    MATCHED = "matched", _("Matched")
    SUPPORTED = "supported", _("Supported")
    CLOSED = "closed", _("Closed")


INITIAL = State.RECEIVED


def _has_partners(request) -> str | None:
    if request.pk and request.partners.exists():
        return None
    return str(_("Match the request with at least one implementing partner first."))


def _has_summary(request) -> str | None:
    if request.support_summary.strip():
        return None
    return str(_("Describe the support given first."))


MACHINE = Machine(
    name="support_request",
    states=State,
    initial=INITIAL,
    terminal=frozenset({State.CLOSED}),
    transitions={
        (State.RECEIVED, State.MATCHED): rule("secretariat", guard=_has_partners),
        (State.MATCHED, State.SUPPORTED): rule("secretariat", guard=_has_summary),
        (State.SUPPORTED, State.CLOSED): rule("secretariat", note_required=True),
        (State.RECEIVED, State.CLOSED): rule("secretariat", note_required=True),
        (State.MATCHED, State.CLOSED): rule("secretariat", note_required=True),
    },
)
