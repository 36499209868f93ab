"""The programme cycle: calls, concept notes that become joint programmes, the Steering
Committee (constituencies, members, meetings, conflicts of interest, decisions, minutes),
screening and technical reviews, the joint programme document (budget, work plan, risk log) and
the tranches that the fund's services transfer.

One ``Programme`` row carries a proposal through its whole life (``workflows/programme.py``): it is
a concept note until the Committee invites a full proposal, then a joint programme.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from compacts.core.models import BaseModel
from compacts.programmes.workflows.programme import State


def _amount(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=20, decimal_places=2, **kwargs)


class Call(BaseModel):
    """A call for concept notes (the first one, in 2020, drew more than 74 notes, facts.md §3.3)."""

    fund = models.ForeignKey("fund.Fund", on_delete=models.PROTECT, related_name="calls")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    opens_on = models.DateField()
    closes_on = models.DateField()
    thematic_areas = models.ManyToManyField("framework.ThematicArea", blank=True, related_name="+")
    eligible_regions = models.ManyToManyField("framework.Region", blank=True, related_name="+")
    is_illustrative = models.BooleanField(default=False)

    class Meta:
        ordering = ["-opens_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="call_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Scope(models.TextChoices):
    NATIONAL = "national", _("National")
    MULTI_COUNTRY = "multi-country", _("Multi-country")
    REGIONAL = "regional", _("Regional")
    GLOBAL = "global", _("Global")


class Programme(BaseModel):
    """A concept note and, once invited, the joint programme it becomes."""

    fund = models.ForeignKey("fund.Fund", on_delete=models.PROTECT, related_name="programmes")
    call = models.ForeignKey(
        Call, null=True, blank=True, on_delete=models.PROTECT, related_name="programmes"
    )
    code = models.CharField(max_length=40, unique=True)
    state = models.CharField(
        max_length=30, choices=State.choices, default=State.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Optimistic concurrency: each save of the concept note adds one."
    )
    # The fund's concept-note template.
    title = models.CharField(max_length=300)
    scope = models.CharField(max_length=20, choices=Scope.choices, blank=True)
    countries = models.ManyToManyField("framework.Country", blank=True, related_name="+")
    submitting_organisation = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="submitted_programmes",
        help_text="The organisation whose people draft and submit (for example a Resident "
        "Coordinator's office).",
    )
    participating_organisations = models.ManyToManyField(
        "actors.Organisation", blank=True, related_name="participating_programmes"
    )
    convening_organisation = models.ForeignKey(
        "actors.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    government_partners = models.TextField(blank=True)
    other_partners = models.TextField(blank=True)
    primary_objective = models.ForeignKey(
        "framework.GcmObjective", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    other_objectives = models.ManyToManyField(
        "framework.GcmObjective", blank=True, related_name="+"
    )
    guiding_principles = models.ManyToManyField(
        "framework.GuidingPrinciple", blank=True, related_name="+"
    )
    thematic_area = models.ForeignKey(
        "framework.ThematicArea", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sdg_targets = models.ManyToManyField("framework.SdgTarget", blank=True, related_name="+")
    gcr_areas = models.ManyToManyField(
        "framework.GcrArea",
        blank=True,
        related_name="+",
        help_text="Areas of the Global Compact on Refugees the programme also serves (optional).",
    )
    gender_marker = models.ForeignKey(
        "framework.MarkerLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    gender_justification = models.TextField(blank=True)
    human_rights_marker = models.ForeignKey(
        "framework.MarkerLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    human_rights_justification = models.TextField(blank=True)
    child_sensitivity_marker = models.ForeignKey(
        "framework.MarkerLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    child_sensitivity_justification = models.TextField(blank=True)
    indicative_budget = _amount(null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(null=True, blank=True)
    joint_analysis = models.TextField(blank=True)
    theory_of_change = models.TextField(blank=True)
    risks = models.TextField(blank=True)
    # The joint programme document and the cycle.
    monitoring_plan = models.TextField(blank=True)
    pipeline_priority = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The Committee's order of priority in the pipeline."
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    final_narrative_accepted_on = models.DateField(null=True, blank=True)
    final_financial_accepted_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    is_illustrative = models.BooleanField(default=False)
    keywords = models.TextField(
        blank=True,
        editable=False,
        help_text="Kept by the services for full-text search: the code's parts and the "
        "countries' names.",
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(indicative_budget__isnull=True)
                | models.Q(indicative_budget__gt=0),
                name="programme_budget_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="programme_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_concept_note(self) -> bool:
        from compacts.programmes.workflows.programme import CONCEPT_NOTE_STATES

        return self.state in CONCEPT_NOTE_STATES


class ProgrammeTransition(models.Model):
    """One move of a programme through its workflow (append-only)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=30, choices=State.choices)
    to_state = models.CharField(max_length=30, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.programme.code}: {self.from_state} -> {self.to_state}"


class AttachmentKind(models.TextChoices):
    ENDORSEMENT_LETTER = "endorsement-letter", _("Government endorsement letter")
    SUPPORTING = "supporting", _("Supporting document")


class Attachment(BaseModel):
    """A file attached to a programme: downloaded as an attachment, never shown inline."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=30, choices=AttachmentKind.choices)
    file = models.FileField(upload_to="programmes/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


# --- The Steering Committee -------------------------------------------------------------------


class Constituency(BaseModel):
    """A group represented on the Committee. Seats are data: 3 each is unconfirmed (facts §3.1)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    seats = models.PositiveSmallIntegerField(default=3)
    sort_order = models.PositiveSmallIntegerField(default=0)
    seats_confirmed = models.BooleanField(default=False)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name_plural = "constituencies"

    def __str__(self) -> str:
        return self.name


class CommitteeMember(BaseModel):
    """A person's seat on the Committee for a constituency, for a term."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="committee_seats"
    )
    constituency = models.ForeignKey(Constituency, on_delete=models.PROTECT, related_name="members")
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="committee_seats"
    )
    is_chair = models.BooleanField(default=False)
    term_starts_on = models.DateField()
    term_ends_on = models.DateField(null=True, blank=True)
    is_illustrative = models.BooleanField(default=False)

    class Meta:
        ordering = ["constituency__sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_ends_on__isnull=True)
                | models.Q(term_ends_on__gte=models.F("term_starts_on")),
                name="committee_term_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"


class QuorumRule(BaseModel):
    """When a meeting may decide: data, because the Committee's rules of procedure are not in
    facts.md."""

    name = models.CharField(max_length=200)
    minimum_members = models.PositiveSmallIntegerField(default=1)
    minimum_constituencies = models.PositiveSmallIntegerField(default=0)
    chair_required = models.BooleanField(default=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Meeting(BaseModel):
    title = models.CharField(max_length=300)
    held_on = models.DateField()
    location = models.CharField(max_length=200, blank=True)
    quorum_rule = models.ForeignKey(QuorumRule, on_delete=models.PROTECT, related_name="meetings")
    minutes = models.TextField(blank=True)
    minutes_generated_at = models.DateTimeField(null=True, blank=True)
    minutes_approved_at = models.DateTimeField(null=True, blank=True)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_illustrative = models.BooleanField(default=False)

    class Meta:
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return self.title


class AgendaItemKind(models.TextChoices):
    CONCEPT_NOTE = "concept-note", _("Concept note")
    PROGRAMME = "programme", _("Joint programme")
    OTHER = "other", _("Other item")


class AgendaItem(BaseModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=AgendaItemKind.choices)
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_items"
    )
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="agenda_item_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Attendance(BaseModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.meeting}"


class ConflictDeclaration(BaseModel):
    """A member's conflict of interest on an agenda item: she takes no part in its decision."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "member"], name="conflict_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.agenda_item}"


class Outcome(models.TextChoices):
    ENDORSE = "endorse", _("Endorse")
    NOT_ENDORSE = "not-endorse", _("Not endorse")
    DEFER = "defer", _("Defer")
    APPROVE = "approve", _("Approve")
    APPROVE_WITH_CONDITIONS = "approve-with-conditions", _("Approve with conditions")


class Decision(models.Model):
    """The Committee's decision on one agenda item, by consensus of the members who took part
    (present and not conflicted; the conflicted ones are listed as recused)."""

    agenda_item = models.OneToOneField(
        AgendaItem, on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    conditions = models.TextField(blank=True)
    participants = models.ManyToManyField(CommitteeMember, related_name="+")
    recused = models.ManyToManyField(CommitteeMember, related_name="+", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.agenda_item}: {self.outcome}"


# --- Reviews ----------------------------------------------------------------------------------


class ChecklistItem(BaseModel):
    """One eligibility criterion of screening (editable data)."""

    code = models.SlugField(max_length=50, unique=True)
    text = models.CharField(max_length=500)
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.text


class ScreeningOutcome(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")
    REVISION_REQUESTED = "revision-requested", _("Revision requested")


class Screening(BaseModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="screenings")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=30, choices=ScreeningOutcome.choices)
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.programme.code}: {self.outcome}"


class ScreeningAnswer(models.Model):
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    met = models.BooleanField()
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["item__sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.met}"


class ReviewCriterion(BaseModel):
    """A scored criterion of technical review (editable data)."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=300)
    max_score = models.PositiveSmallIntegerField(default=5)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Recommendation(models.TextChoices):
    APPROVE = "approve", _("Recommend approval")
    APPROVE_WITH_CONDITIONS = "approve-with-conditions", _("Recommend approval with conditions")
    REVISE = "revise", _("Recommend revision")
    REJECT = "reject", _("Recommend rejection")


class TechnicalReview(BaseModel):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="technical_reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recommendation = models.CharField(max_length=30, choices=Recommendation.choices)
    comments = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.programme.code}: {self.recommendation}"


class ReviewScore(models.Model):
    review = models.ForeignKey(TechnicalReview, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ReviewCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["criterion__sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="review_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.score}"


# --- The joint programme document -------------------------------------------------------------


class BudgetCategory(models.TextChoices):
    """The eight UNSDG harmonised budget categories (a closed, published list)."""

    STAFF = "staff", _("Staff and other personnel costs")
    SUPPLIES = "supplies", _("Supplies, commodities, materials")
    EQUIPMENT = "equipment", _("Equipment, vehicles and furniture, including depreciation")
    CONTRACTUAL = "contractual", _("Contractual services")
    TRAVEL = "travel", _("Travel")
    TRANSFERS = "transfers", _("Transfers and grants to counterparts")
    OPERATING = "operating", _("General operating and other direct costs")


class BudgetLine(BaseModel):
    """Direct costs of one participating organisation, for one year, in one UNSDG category.
    Indirect support costs are computed from the fund's rate, never typed."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budget_lines")
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=20, choices=BudgetCategory.choices)
    amount = _amount()

    class Meta:
        ordering = ["organisation__name", "year", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation", "year", "category"], name="budget_line_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="budget_line_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year} {self.category}: {self.amount}"


class WorkPlanActivity(BaseModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="work_plan")
    title = models.CharField(max_length=300)
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on", "pk"]

    def __str__(self) -> str:
        return self.title


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class RiskLogEntry(BaseModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="risk_log")
    risk = models.CharField(max_length=500)
    likelihood = models.CharField(max_length=10, choices=RiskLevel.choices)
    impact = models.CharField(max_length=10, choices=RiskLevel.choices)
    mitigation = models.TextField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.risk


class Tranche(BaseModel):
    """A planned instalment to one participating organisation; ``posting`` is the fund's transfer
    once made (``fund.services.transfer_create``)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="tranches")
    allocation = models.ForeignKey("fund.Allocation", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField()
    amount = _amount()
    planned_on = models.DateField()
    posting = models.OneToOneField(
        "fund.Posting", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["number", "allocation__organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "number"], name="tranche_unique"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="tranche_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} tranche {self.number}"


class EventKind(models.TextChoices):
    BUDGET_REVISION = "budget-revision", _("Budget revision")
    NO_COST_EXTENSION = "no-cost-extension", _("No-cost extension")


class EventStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class ProgrammeEvent(BaseModel):
    """Budget revisions and no-cost extensions: events within ``active``, not states. The
    programme's people request one (``status`` requested, with the proposed budget lines or end
    date); the Management Unit approves it (then it takes effect) or declines it, with a note."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    status = models.CharField(
        max_length=20, choices=EventStatus.choices, default=EventStatus.APPROVED, db_index=True
    )
    reason = models.TextField()
    proposed_lines = models.JSONField(
        default=list, blank=True, help_text="A requested budget revision's lines, as submitted."
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    previous_ends_on = models.DateField(null=True, blank=True)
    new_ends_on = models.DateField(null=True, blank=True)
    previous_total = _amount(null=True, blank=True)
    new_total = _amount(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.programme.code}: {self.kind}"


ZERO = Decimal("0.00")


class StateDeadline(BaseModel):
    """How many days the Management Unit aims to take over a programme in a state (its work
    queue shows the due date). Data, since the Operations Manual's service standards are not in
    facts.md."""

    state = models.CharField(max_length=30, choices=State.choices, unique=True)
    days = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["state"]

    def __str__(self) -> str:
        return f"{self.state}: {self.days}"
