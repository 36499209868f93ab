"""The life cycle of a Global Refugee Forum pledge as recorded on the platform: drafted,
reviewed, published; its stage of progress is separate data (``GcrPledgeStage``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from compacts.tracking.workflows import OWNER, SECRETARIAT, Machine, rule


class GcrPledgeState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = GcrPledgeState

MACHINE = Machine(
    name="gcr-pledge",
    states=GcrPledgeState,
    initial=S.DRAFT,
    transitions={
        (S.DRAFT, S.SUBMITTED): rule(OWNER, SECRETARIAT),
        (S.DRAFT, S.WITHDRAWN): rule(OWNER),
        (S.SUBMITTED, S.RETURNED): rule(SECRETARIAT),
        (S.SUBMITTED, S.PUBLISHED): rule(SECRETARIAT),
        (S.RETURNED, S.SUBMITTED): rule(OWNER),
        (S.RETURNED, S.WITHDRAWN): rule(OWNER),
        (S.PUBLISHED, S.WITHDRAWN): rule(OWNER, SECRETARIAT),
    },
)

#: States in which the pledge's content may still be edited (``gcr_pledge_update``): before the
#: secretariat's review, and when it was returned for changes. A submitted pledge is under review
#: (return it first); a published one is public record (report its stage of progress instead);
#: a withdrawn one is closed.
EDITABLE = {S.DRAFT, S.RETURNED}
#: States shown to the public.
PUBLIC = {S.PUBLISHED}
