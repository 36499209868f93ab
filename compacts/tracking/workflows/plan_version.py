"""The life cycle of a version of a national GCM implementation plan: drafted by the
government, submitted, published by the Network secretariat; superseded when a newer version
is published."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from compacts.tracking.workflows import OWNER, SECRETARIAT, Machine, rule


class PlanVersionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


S = PlanVersionState


def has_actions(version) -> str:
    """A plan version is submitted with at least one action."""
    if not version.actions.exists():
        return str(_("A plan version needs at least one action before it is submitted."))
    return ""


MACHINE = Machine(
    name="plan-version",
    states=PlanVersionState,
    initial=S.DRAFT,
    transitions={
        (S.DRAFT, S.SUBMITTED): rule(OWNER, guard=has_actions),
        (S.SUBMITTED, S.RETURNED): rule(SECRETARIAT),
        (S.SUBMITTED, S.PUBLISHED): rule(SECRETARIAT),
        (S.RETURNED, S.SUBMITTED): rule(OWNER, guard=has_actions),
        (S.PUBLISHED, S.SUPERSEDED): rule(OWNER, SECRETARIAT),
    },
)

EDITABLE = {S.DRAFT, S.RETURNED}
PUBLIC = {S.PUBLISHED, S.SUPERSEDED}
