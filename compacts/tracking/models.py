"""Tracking GCM and GCR implementation: national plans and reviews, pledges, indicators, the
review cycle (IMRF, regional reviews, Progress Declaration commitments) and the health lens.

Open vocabularies (GCR pledge stages, regional commissions, indicator catalogue, IMRF editions and
their round tables) are tables, not ``choices``: facts.md marks several of their values as
unconfirmed, so they are editable data. The closed vocabularies fixed by an official form (GCM
pledge types, GCR pledge types) are ``TextChoices``.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinLengthValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from compacts.core.models import BaseModel
from compacts.tracking.workflows.commitment import CommitmentState
from compacts.tracking.workflows.gcr_pledge import GcrPledgeState
from compacts.tracking.workflows.national_review import NationalReviewState
from compacts.tracking.workflows.plan_version import PlanVersionState
from compacts.tracking.workflows.pledge import PledgeState

# facts.md §4 "Pledging initiative": description of 300 to 3,000 characters.
PLEDGE_DESCRIPTION_MIN = 300
PLEDGE_DESCRIPTION_MAX = 3000


class Illustrative(models.Model):
    """Demonstration records carry ``is_illustrative=True`` and are labelled wherever shown."""

    is_illustrative = models.BooleanField(default=False)

    class Meta:
        abstract = True


class WorkflowTransition(models.Model):
    """One move of one record through its state machine (``workflows/<machine>.py``).

    ``machine`` names the machine (``pledge``, ``gcr-pledge`` ...), ``object_id`` the record. The
    log is append-only: services write it, nothing updates it.
    """

    machine = models.CharField(max_length=30)
    object_id = models.PositiveBigIntegerField()
    from_state = models.CharField(max_length=30)
    to_state = models.CharField(max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["machine", "object_id"], name="tracking_transition_obj_idx")
        ]

    def __str__(self) -> str:
        return f"{self.machine}#{self.object_id}: {self.from_state} -> {self.to_state}"


class Money(models.Model):
    """An optional amount with its ISO 4217 currency; never a float (styleguide §4)."""

    amount = models.DecimalField(
        max_digits=18, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(max_length=3, blank=True)

    class Meta:
        abstract = True


# --- National implementation plans and voluntary national reviews ------------------------------


class NationalPlan(Illustrative, BaseModel):
    """A Member State's GCM implementation plan; its content lives in versions."""

    country = models.ForeignKey(
        "framework.Country", on_delete=models.PROTECT, related_name="gcm_plans"
    )
    title = models.CharField(max_length=300)
    organisation = models.ForeignKey(
        "actors.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gcm_plans",
        help_text="The government body that owns the plan.",
    )

    class Meta:
        ordering = ["country__name", "title"]

    def __str__(self) -> str:
        return self.title


class PlanVersion(Illustrative, Money, BaseModel):
    """One version of a plan: period, budget, whether it covers migrants' health, status."""

    plan = models.ForeignKey(NationalPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    state = models.CharField(
        max_length=20, choices=PlanVersionState.choices, default=PlanVersionState.DRAFT
    )
    period_start = models.PositiveSmallIntegerField()
    period_end = models.PositiveSmallIntegerField()
    adopted_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)
    includes_migrant_health = models.BooleanField(
        default=False, help_text="The plan includes migrants' health (GCM objective 15 action e)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="plan_version_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class PlanActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    DELAYED = "delayed", _("Delayed")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class PlanAction(Illustrative, Money, BaseModel):
    """An action of a plan version, linked to GCM objectives, actions and guiding principles."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    lead_ministry = models.CharField(max_length=300)
    objectives = models.ManyToManyField("framework.GcmObjective", related_name="plan_actions")
    gcm_actions = models.ManyToManyField("framework.GcmAction", blank=True, related_name="+")
    principles = models.ManyToManyField("framework.GuidingPrinciple", blank=True, related_name="+")
    status = models.CharField(
        max_length=12, choices=PlanActionStatus.choices, default=PlanActionStatus.PLANNED
    )

    class Meta:
        ordering = ["version", "id"]

    def __str__(self) -> str:
        return self.title


class PlanProgressUpdate(Illustrative, BaseModel):
    """A dated progress report on one plan action; the action's status follows the latest."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="updates")
    reported_on = models.DateField()
    status = models.CharField(max_length=12, choices=PlanActionStatus.choices)
    progress_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    narrative = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["action", "reported_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress_percent__isnull=True)
                | models.Q(progress_percent__lte=100),
                name="plan_update_percent_max",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} @ {self.reported_on}"


# --- The review cycle -----------------------------------------------------------------------


class ReferenceStatus(models.TextChoices):
    """Whether a stored fact is confirmed in a cited source (facts.md [C]) or not yet ([U])."""

    CONFIRMED = "confirmed", _("Confirmed")
    PROVISIONAL = "provisional", _("Provisional")


class ImrfEdition(BaseModel):
    """An International Migration Review Forum (GCM para 49): every four years from 2022."""

    year = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    place = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=12, choices=ReferenceStatus.choices, default=ReferenceStatus.PROVISIONAL
    )
    source_note = models.TextField(blank=True)

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return self.title


class RoundTable(BaseModel):
    """A multi-stakeholder round table of an IMRF and the cluster of objectives it reviews."""

    edition = models.ForeignKey(ImrfEdition, on_delete=models.CASCADE, related_name="round_tables")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300, blank=True)
    objectives = models.ManyToManyField("framework.GcmObjective", related_name="round_tables")
    status = models.CharField(
        max_length=12, choices=ReferenceStatus.choices, default=ReferenceStatus.PROVISIONAL
    )
    source_note = models.TextField(blank=True)

    class Meta:
        ordering = ["edition__year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="round_table_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.edition} RT{self.number}"


class RegionalCommission(BaseModel):
    """A UN regional commission that convenes the regional reviews (GCM para 50)."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=200)
    names = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=12, choices=ReferenceStatus.choices, default=ReferenceStatus.PROVISIONAL
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class RegionalReview(BaseModel):
    """A regional review of the GCM by one commission, in one round (2020-21, 2024-25 ...)."""

    commission = models.ForeignKey(
        RegionalCommission, on_delete=models.PROTECT, related_name="reviews"
    )
    round = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField()
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    place = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=12, choices=ReferenceStatus.choices, default=ReferenceStatus.PROVISIONAL
    )
    source_note = models.TextField(blank=True)

    class Meta:
        ordering = ["round", "commission__code"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "round"], name="regional_review_unique")
        ]

    def __str__(self) -> str:
        return f"{self.commission.code} {self.year}"


class NationalReview(Illustrative, BaseModel):
    """A voluntary national review, submitted to one regional review or to one IMRF."""

    country = models.ForeignKey("framework.Country", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "actors.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    regional_review = models.ForeignKey(
        RegionalReview, null=True, blank=True, on_delete=models.PROTECT, related_name="national"
    )
    imrf_edition = models.ForeignKey(
        ImrfEdition, null=True, blank=True, on_delete=models.PROTECT, related_name="national"
    )
    state = models.CharField(
        max_length=20, choices=NationalReviewState.choices, default=NationalReviewState.DRAFT
    )
    submitted_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["country__name", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(regional_review__isnull=False, imrf_edition__isnull=True)
                    | models.Q(regional_review__isnull=True, imrf_edition__isnull=False)
                ),
                name="national_review_one_forum",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Attachment(Illustrative, BaseModel):
    """A file attached to a national review or a written submission."""

    national_review = models.ForeignKey(
        NationalReview, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    submission = models.ForeignKey(
        "WrittenSubmission",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to="tracking/attachments/%Y/")
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class StakeholderRegistration(Illustrative, BaseModel):
    """A stakeholder's registration to take part in an IMRF or a regional review."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    imrf_edition = models.ForeignKey(
        ImrfEdition, null=True, blank=True, on_delete=models.PROTECT, related_name="registrations"
    )
    regional_review = models.ForeignKey(
        RegionalReview,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    participant_name = models.CharField(max_length=200)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REGISTERED)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.participant_name} ({self.organisation})"


class WrittenSubmission(Illustrative, BaseModel):
    """A stakeholder's written input to an IMRF or a regional review."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        PUBLISHED = "published", _("Published")

    imrf_edition = models.ForeignKey(
        ImrfEdition, null=True, blank=True, on_delete=models.PROTECT, related_name="submissions"
    )
    regional_review = models.ForeignKey(
        RegionalReview,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=300)
    text = models.TextField()
    objectives = models.ManyToManyField("framework.GcmObjective", blank=True, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Commitment(Illustrative, BaseModel):
    """A commitment of a Progress Declaration (e.g. para 70: a limited set of indicators),
    tracked as an item with an owner and a status."""

    edition = models.ForeignKey(ImrfEdition, on_delete=models.PROTECT, related_name="commitments")
    paragraph = models.CharField(max_length=10)
    title = models.CharField(max_length=300)
    text = models.TextField(help_text="Paraphrase of the paragraph, with its source.")
    owner = models.ForeignKey(
        "actors.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_label = models.CharField(max_length=300, blank=True)
    due_on = models.DateField(null=True, blank=True)
    state = models.CharField(
        max_length=20, choices=CommitmentState.choices, default=CommitmentState.OPEN
    )
    source_note = models.TextField(blank=True)

    class Meta:
        ordering = ["edition__year", "paragraph"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "paragraph"], name="commitment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.edition.year} para {self.paragraph}: {self.title}"


# --- Pledges -------------------------------------------------------------------------------------


class PledgeType(models.TextChoices):
    """The four forms of a GCM pledge on the Network's official form (facts.md §4)."""

    FINANCIAL = "financial", _("Financial")
    HUMAN_RESOURCES = "human-resources", _("Human resources")
    PROCESS = "process-oriented", _("Process-oriented")
    POLICY = "policy-oriented", _("Policy-oriented")


class PledgeKind(models.TextChoices):
    """Section III of the form: pledged alone, as a common pledge, or in partnership."""

    SINGLE = "single", _("Single pledger")
    COMMON = "common", _("Common pledge")
    PARTNERSHIP = "partnership", _("Pledge in partnership")


class Pledge(Illustrative, Money, BaseModel):
    """A GCM pledge: a measurable commitment to one or more objectives, principles or actions.

    ``fund_contribution_id`` is the id of the Migration MPTF contribution record
    (``compacts.fund``) that a financial pledge to the fund became; it is a plain nullable id, not
    a foreign key, so that tracking does not import the fund app (docs/tracking.md).
    """

    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=300)
    pledge_type = models.CharField(max_length=20, choices=PledgeType.choices)
    kind = models.CharField(max_length=12, choices=PledgeKind.choices, default=PledgeKind.SINGLE)
    description = models.TextField(
        validators=[
            MinLengthValidator(PLEDGE_DESCRIPTION_MIN),
            MaxLengthValidator(PLEDGE_DESCRIPTION_MAX),
        ]
    )
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="gcm_pledges"
    )
    partners = models.ManyToManyField(
        "actors.Organisation", blank=True, related_name="partner_gcm_pledges"
    )
    country = models.ForeignKey(
        "framework.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Where the pledge is implemented; blank for global pledges.",
    )
    objectives = models.ManyToManyField(
        "framework.GcmObjective", blank=True, related_name="pledges"
    )
    principles = models.ManyToManyField("framework.GuidingPrinciple", blank=True, related_name="+")
    gcm_actions = models.ManyToManyField("framework.GcmAction", blank=True, related_name="+")
    matching_pledge = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="matched_by"
    )
    imrf_edition = models.ForeignKey(
        ImrfEdition, null=True, blank=True, on_delete=models.PROTECT, related_name="pledges"
    )
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    attachment = models.FileField(upload_to="tracking/pledges/%Y/", blank=True)
    is_health = models.BooleanField(
        default=False, help_text="Serves migrants' health (derived: objective 15 or action 15e)."
    )
    state = models.CharField(max_length=20, choices=PledgeState.choices, default=PledgeState.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    fund_contribution_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "pledge_type"], name="pledge_state_type_idx")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class PledgeProgress(models.TextChoices):
    NOT_STARTED = "not-started", _("Not started")
    IN_PROGRESS = "in-progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class PledgeStatusUpdate(Illustrative, BaseModel):
    """A dated report on how a published pledge is being fulfilled."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="updates")
    reported_on = models.DateField()
    progress = models.CharField(max_length=12, choices=PledgeProgress.choices)
    narrative = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["pledge", "reported_on", "id"]

    def __str__(self) -> str:
        return f"{self.pledge.reference} @ {self.reported_on}"


class GcrPledgeType(models.TextChoices):
    """Forms of a Global Refugee Forum pledge (facts.md §2, confirmed)."""

    FINANCIAL = "financial", _("Financial")
    MATERIAL = "material", _("Material")
    TECHNICAL = "technical", _("Technical")
    RESETTLEMENT = "resettlement", _("Resettlement places and complementary pathways")
    POLICY = "policy-change", _("Policy or practice change")


class GcrPledgeStage(BaseModel):
    """A stage of progress of a GCR pledge. facts.md marks the values [U]: editable data,
    provisional until confirmed."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    names = models.JSONField(default=dict, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=12, choices=ReferenceStatus.choices, default=ReferenceStatus.PROVISIONAL
    )

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class GcrPledge(Illustrative, Money, BaseModel):
    """A pledge made at a Global Refugee Forum, with its GCR objective, area and stage."""

    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=300)
    pledge_type = models.CharField(max_length=20, choices=GcrPledgeType.choices)
    description = models.TextField()
    forum_year = models.PositiveSmallIntegerField(help_text="Global Refugee Forum year.")
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="gcr_pledges"
    )
    country = models.ForeignKey(
        "framework.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    gcr_objective = models.ForeignKey(
        "framework.GcrObjective", on_delete=models.PROTECT, related_name="pledges"
    )
    areas = models.ManyToManyField("framework.GcrArea", blank=True, related_name="pledges")
    stage = models.ForeignKey(
        GcrPledgeStage, null=True, blank=True, on_delete=models.PROTECT, related_name="pledges"
    )
    resettlement_places = models.PositiveIntegerField(null=True, blank=True)
    is_health = models.BooleanField(default=False)
    state = models.CharField(
        max_length=20, choices=GcrPledgeState.choices, default=GcrPledgeState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class GcrPledgeUpdate(Illustrative, BaseModel):
    """A stage-of-progress report on a GCR pledge (the per-pledge update form)."""

    pledge = models.ForeignKey(GcrPledge, on_delete=models.CASCADE, related_name="updates")
    stage = models.ForeignKey(GcrPledgeStage, on_delete=models.PROTECT, related_name="+")
    reported_on = models.DateField()
    narrative = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["pledge", "reported_on", "id"]

    def __str__(self) -> str:
        return f"{self.pledge.reference} @ {self.reported_on}"


# --- Indicators -------------------------------------------------------------------------------


class IndicatorKind(models.TextChoices):
    SDG = "sdg", _("SDG indicator linked to the GCM")
    GCR = "gcr", _("GCR indicator framework")
    NATIONAL = "national", _("Country-defined indicator")


class Direction(models.TextChoices):
    """The desired direction of progress (the normative direction of the series)."""

    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")


class Indicator(Illustrative, BaseModel):
    """An indicator of the catalogue and its metadata.

    ``slug`` names its Open SDG data file (``<slug>.csv``). GCR indicators are stored as
    provisional data: facts.md §2 could not confirm their codes.
    """

    kind = models.CharField(max_length=10, choices=IndicatorKind.choices)
    code = models.CharField(max_length=30)
    slug = models.SlugField(max_length=60, unique=True)
    title = models.TextField()
    titles = models.JSONField(default=dict, blank=True)
    sdg_indicator = models.ForeignKey(
        "framework.SdgIndicator",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tracking_indicators",
    )
    gcr_objective = models.ForeignKey(
        "framework.GcrObjective", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    country = models.ForeignKey(
        "framework.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The country that defined it (country-defined indicators only).",
    )
    objectives = models.ManyToManyField(
        "framework.GcmObjective", blank=True, related_name="tracking_indicators"
    )
    unit = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=300, blank=True)
    definition = models.TextField(blank=True)
    direction = models.CharField(
        max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    base_year = models.PositiveSmallIntegerField(default=2015)
    target_value = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(null=True, blank=True)
    disaggregation_columns = models.JSONField(
        default=list, blank=True, help_text="Column order of the Open SDG file after GeoCode."
    )
    status = models.CharField(
        max_length=12, choices=ReferenceStatus.choices, default=ReferenceStatus.CONFIRMED
    )
    source_note = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "code"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(target_value__isnull=True, target_year__isnull=True)
                    | models.Q(target_value__isnull=False, target_year__isnull=False)
                ),
                name="indicator_target_complete",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title[:80]}"


class Observation(Illustrative, BaseModel):
    """One value of an indicator's series for a country, a year and a disaggregation.

    ``disaggregation`` maps column to value, blank values omitted (blank means "all"); the empty
    mapping is the headline series. ``series_key`` is its canonical form, for uniqueness.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    country = models.ForeignKey("framework.Country", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    value = models.DecimalField(max_digits=20, decimal_places=6)
    disaggregation = models.JSONField(default=dict, blank=True)
    series_key = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["indicator", "country", "series_key", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "country", "series_key", "year"],
                name="observation_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"


class ImportRun(BaseModel):
    """One upload (indicator data or pledges): the file, what it did, and the row-by-row report.

    Imports are all-or-nothing: ``accepted`` is only true when every row passed and was stored.
    """

    class Kind(models.TextChoices):
        INDICATOR_DATA = "indicator-data", _("Indicator data")
        PLEDGES = "pledges", _("Pledges")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.SET_NULL, related_name="imports"
    )
    filename = models.CharField(max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted = models.BooleanField(default=False)
    row_count = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"


# --- Health lens ----------------------------------------------------------------------------


class InclusionLevel(models.TextChoices):
    YES = "yes", _("Yes, regardless of status")
    PARTIAL = "partial", _("Partly (some groups of migrants)")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not known")


class HealthInclusionAssessment(Illustrative, BaseModel):
    """The tracked policy indicator: does a country include migrants in its national health
    plan and its national vaccination plan? One dated assessment per country and date."""

    country = models.ForeignKey(
        "framework.Country", on_delete=models.PROTECT, related_name="health_inclusion"
    )
    assessed_on = models.DateField()
    health_plan = models.CharField(max_length=10, choices=InclusionLevel.choices)
    vaccination_plan = models.CharField(max_length=10, choices=InclusionLevel.choices)
    source = models.CharField(max_length=300)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["country__name", "-assessed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "assessed_on"], name="health_inclusion_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.assessed_on}"
