"""The life cycle of a voluntary national review: drafted, submitted to its forum (a regional
review or the IMRF), published by the Network secretariat."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from compacts.tracking.workflows import OWNER, SECRETARIAT, Machine, rule


class NationalReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published")


S = NationalReviewState

MACHINE = Machine(
    name="national-review",
    states=NationalReviewState,
    initial=S.DRAFT,
    transitions={
        (S.DRAFT, S.SUBMITTED): rule(OWNER),
        (S.SUBMITTED, S.RETURNED): rule(SECRETARIAT),
        (S.SUBMITTED, S.PUBLISHED): rule(SECRETARIAT),
        (S.RETURNED, S.SUBMITTED): rule(OWNER),
    },
)

EDITABLE = {S.DRAFT, S.RETURNED}
PUBLIC = {S.PUBLISHED}
