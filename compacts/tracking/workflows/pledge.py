"""The life cycle of a GCM pledge: drafted by a pledger, reviewed by the Network secretariat,
published on the pledging dashboard, then fulfilled or withdrawn.

The secretariat may submit a draft on a pledger's behalf (pledges received on the paper form, and
the bulk upload)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from compacts.tracking.workflows import OWNER, SECRETARIAT, Machine, rule


class PledgeState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published")
    FULFILLED = "fulfilled", _("Fulfilled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = PledgeState

MACHINE = Machine(
    name="pledge",
    states=PledgeState,
    initial=S.DRAFT,
    transitions={
        (S.DRAFT, S.SUBMITTED): rule(OWNER, SECRETARIAT),
        (S.DRAFT, S.WITHDRAWN): rule(OWNER),
        (S.SUBMITTED, S.RETURNED): rule(SECRETARIAT),
        (S.SUBMITTED, S.PUBLISHED): rule(SECRETARIAT),
        (S.SUBMITTED, S.WITHDRAWN): rule(OWNER),
        (S.RETURNED, S.SUBMITTED): rule(OWNER),
        (S.RETURNED, S.WITHDRAWN): rule(OWNER),
        (S.PUBLISHED, S.FULFILLED): rule(OWNER, SECRETARIAT),
        (S.PUBLISHED, S.WITHDRAWN): rule(OWNER, SECRETARIAT),
    },
)

#: States in which the pledger may still edit the pledge.
EDITABLE = {S.DRAFT, S.RETURNED}
#: States shown to the public.
PUBLIC = {S.PUBLISHED, S.FULFILLED}

#: What the button that makes each move says (the verb, not the state reached).
MOVE_LABELS = {
    S.SUBMITTED: _("Submit for review"),
    S.RETURNED: _("Return for changes"),
    S.PUBLISHED: _("Publish"),
    S.FULFILLED: _("Mark as fulfilled"),
    S.WITHDRAWN: _("Withdraw"),
}
