"""Results of joint programmes (outcomes, outputs, indicators with baselines, targets and reported
values by period and disaggregation) and the reporting calendar (annual and final, narrative and
financial reports)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from compacts.core.models import BaseModel
from compacts.results.workflows.indicator_update import State as UpdateState
from compacts.results.workflows.report import State as ReportState


def _value(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=20, decimal_places=4, **kwargs)


class Dimension(BaseModel):
    """A disaggregation dimension (sex, age group, migratory status, disability): data."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class DimensionValue(BaseModel):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="values")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=200)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["dimension", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="dimension_value_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Outcome(BaseModel):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="outcomes"
    )
    code = models.CharField(max_length=20)
    statement = models.TextField()

    class Meta:
        ordering = ["programme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="outcome_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.statement[:60]}"


class Output(BaseModel):
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="outputs")
    code = models.CharField(max_length=20)
    statement = models.TextField()
    organisation = models.ForeignKey(
        "actors.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["outcome", "code"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "code"], name="output_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.statement[:60]}"


class Indicator(BaseModel):
    """An indicator of an outcome or an output, tagged to GCM objectives and SDG indicators."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="indicators"
    )
    outcome = models.ForeignKey(
        Outcome, null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    output = models.ForeignKey(
        Output, null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=500)
    unit = models.CharField(max_length=50)
    baseline_value = _value()
    baseline_period = models.CharField(max_length=10)
    dimensions = models.ManyToManyField(Dimension, blank=True, related_name="+")
    gcm_objectives = models.ManyToManyField("framework.GcmObjective", blank=True, related_name="+")
    sdg_indicators = models.ManyToManyField("framework.SdgIndicator", blank=True, related_name="+")

    class Meta:
        ordering = ["programme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="indicator_code_unique"),
            models.CheckConstraint(
                condition=models.Q(outcome__isnull=False) | models.Q(output__isnull=False),
                name="indicator_has_a_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IndicatorTarget(BaseModel):
    """The target of an indicator for a period, in total (empty ``breakdown``) or for one
    combination of disaggregation values."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period = models.CharField(max_length=10)
    breakdown = models.CharField(max_length=300, blank=True, help_text="dimension=value;... sorted")
    value = _value()

    class Meta:
        ordering = ["indicator", "period", "breakdown"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "breakdown"], name="target_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period} {self.breakdown}: {self.value}"


class IndicatorUpdate(BaseModel):
    """An actual value reported for a period (and a disaggregation), submitted then approved."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="updates")
    period = models.CharField(max_length=10)
    breakdown = models.CharField(max_length=300, blank=True)
    value = _value()
    state = models.CharField(
        max_length=20, choices=UpdateState.choices, default=UpdateState.SUBMITTED
    )
    note = models.TextField(blank=True)
    evidence = models.FileField(upload_to="results/evidence/%Y/%m/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["indicator", "period", "breakdown", "pk"]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period} {self.breakdown}: {self.value}"


class ReportKind(models.TextChoices):
    ANNUAL_NARRATIVE = "annual-narrative", _("Annual narrative report")
    ANNUAL_FINANCIAL = "annual-financial", _("Annual financial report")
    FINAL_NARRATIVE = "final-narrative", _("Final narrative report")
    FINAL_FINANCIAL = "final-financial", _("Final financial report")


FINANCIAL_KINDS = {ReportKind.ANNUAL_FINANCIAL, ReportKind.FINAL_FINANCIAL}


class Report(BaseModel):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(max_length=30, choices=ReportKind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    due_on = models.DateField()
    state = models.CharField(max_length=20, choices=ReportState.choices, default=ReportState.DUE)
    narrative = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "kind", "period_end"], name="report_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.get_kind_display()} {self.period_end}"


class ReportTransition(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=ReportState.choices)
    to_state = models.CharField(max_length=20, choices=ReportState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report}: {self.from_state} -> {self.to_state}"


class ExpenditureLine(BaseModel):
    """Expenditure of one participating organisation in a financial report; ``posting`` is the
    fund's expenditure posting, made when the report is accepted."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="expenditure")
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(max_digits=20, decimal_places=2)
    posting = models.OneToOneField(
        "fund.Posting", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "organisation"], name="expenditure_line_unique"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="expenditure_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.organisation} {self.amount}"
