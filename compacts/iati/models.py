"""IATI publication and import records.

- ``PublisherSettings``: the reporting organisation (identifier, name, type) and the prefix of
  activity identifiers, as editable data (the MPTF Office publishes as ``XI-IATI-UNPF``, but a
  deployment may publish as someone else).
- ``IatiExportRun``: one run of the export (files written, validation outcome, counts). The
  public URLs serve the files of the latest valid run.
- ``ImportRun`` and the ``External*`` models: other publishers' activities read from their IATI
  files. They are read-only records credited to their publisher, kept apart from the fund's
  ledger (no foreign key into ``fund``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from compacts.core.models import BaseModel


class PublisherSettings(BaseModel):
    """Who publishes the fund's IATI files. One row (``key="default"``); edited in the admin."""

    key = models.SlugField(max_length=20, unique=True, default="default")
    reporting_org_ref = models.CharField(
        max_length=100,
        default="XI-IATI-UNPF",
        help_text="IATI organisation identifier of the reporting organisation.",
    )
    reporting_org_name = models.CharField(max_length=300, default="UN Pooled Funds")
    reporting_org_type = models.CharField(max_length=3, default="40", help_text="OrganisationType")
    identifier_prefix = models.CharField(
        max_length=100,
        blank=True,
        help_text="Prefix of activity identifiers; blank means the reporting organisation's.",
    )
    fund_code = models.SlugField(
        max_length=20, blank=True, help_text="The fund published; blank means the first fund."
    )
    default_language = models.CharField(max_length=5, default="en")
    registry_publisher = models.SlugField(max_length=100, default="unpf")
    contact_email = models.EmailField(blank=True)
    public_base_url = models.URLField(blank=True, help_text="Site address used in the metadata.")
    refresh_requested_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When a refresh of the published files was enqueued and has not started yet "
        "(debounces bursts of data changes).",
    )

    class Meta:
        verbose_name = _("IATI publisher settings")
        verbose_name_plural = _("IATI publisher settings")

    def __str__(self) -> str:
        return self.reporting_org_ref

    @property
    def prefix(self) -> str:
        return self.identifier_prefix or self.reporting_org_ref


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class IatiExportRun(BaseModel):
    """One export: both files are written to ``directory``, validated, then offered."""

    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    reason = models.CharField(max_length=300, blank=True)
    directory = models.CharField(max_length=500, blank=True)
    activities_file = models.CharField(max_length=500, blank=True)
    organisation_file = models.CharField(max_length=500, blank=True)
    registry_file = models.CharField(max_length=500, blank=True)
    activity_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    findings = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    is_published = models.BooleanField(
        default=False, help_text="Its files are the ones the public URLs serve."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"export #{self.pk} {self.status}"


class ImportRun(BaseModel):
    """One import of one file: counts, progress and a per-activity report."""

    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    file_name = models.CharField(max_length=300)
    path = models.CharField(max_length=500, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    bytes_read = models.PositiveBigIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    failed_line = models.PositiveIntegerField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"import #{self.pk} {self.file_name} {self.status}"

    @property
    def localized_report(self) -> list[dict]:
        """The report with each reason in the active language."""
        from django.utils.translation import gettext

        entries = []
        for entry in self.report:
            if entry.get("reason_id"):
                text = gettext(entry["reason_id"])
                params = entry.get("reason_params") or {}
                entry = {**entry, "reason": text % params if params else text}
            entries.append(entry)
        return entries

    @property
    def progress(self) -> int:
        """Percent of the file read (100 when finished)."""
        if self.status in (RunStatus.SUCCEEDED, RunStatus.FAILED):
            return 100
        if not self.size:
            return 0
        return min(99, int(self.bytes_read * 100 / self.size))


class ExternalActivity(BaseModel):
    """An activity published by someone else, as its latest imported version says."""

    iati_identifier = models.CharField(max_length=200, unique=True)
    last_updated_datetime = models.DateTimeField(null=True, blank=True)
    reporting_org_ref = models.CharField(max_length=200, blank=True, db_index=True)
    reporting_org_name = models.CharField(max_length=500, blank=True)
    reporting_org_type = models.CharField(max_length=3, blank=True)
    title = models.TextField(blank=True)
    titles = models.JSONField(default=dict, blank=True, help_text="Title by language code.")
    description = models.TextField(blank=True)
    status = models.CharField(max_length=3, blank=True, help_text="ActivityStatus code")
    default_currency = models.CharField(max_length=3, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    is_migration = models.BooleanField(
        default=False, db_index=True, help_text="Sector 15190 or a GCM objective tag."
    )
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the activity's XML.")
    xml = models.TextField(help_text="The activity as published (one iati-activity element).")
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )

    class Meta:
        ordering = ["iati_identifier"]
        verbose_name_plural = "external activities"

    def __str__(self) -> str:
        return self.iati_identifier


class ExternalParticipatingOrg(models.Model):
    activity = models.ForeignKey(
        ExternalActivity, on_delete=models.CASCADE, related_name="participating_orgs"
    )
    role = models.CharField(max_length=3, blank=True)
    ref = models.CharField(max_length=200, blank=True)
    type = models.CharField(max_length=3, blank=True)
    name = models.CharField(max_length=500, blank=True)
    activity_id_ref = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["activity", "role", "pk"]

    def __str__(self) -> str:
        return f"{self.role} {self.ref or self.name}"


class ExternalCountry(models.Model):
    activity = models.ForeignKey(
        ExternalActivity, on_delete=models.CASCADE, related_name="countries"
    )
    code = models.CharField(max_length=3)
    is_region = models.BooleanField(default=False)
    vocabulary = models.CharField(max_length=5, blank=True)
    percentage = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["activity", "is_region", "code"]

    def __str__(self) -> str:
        return self.code


class ExternalSector(models.Model):
    activity = models.ForeignKey(ExternalActivity, on_delete=models.CASCADE, related_name="sectors")
    vocabulary = models.CharField(max_length=5, default="1")
    code = models.CharField(max_length=50)
    percentage = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    name = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["activity", "vocabulary", "code"]

    def __str__(self) -> str:
        return f"{self.vocabulary}:{self.code}"


class ExternalTag(models.Model):
    activity = models.ForeignKey(ExternalActivity, on_delete=models.CASCADE, related_name="tags")
    vocabulary = models.CharField(max_length=5)
    vocabulary_uri = models.CharField(max_length=500, blank=True)
    code = models.CharField(max_length=100)
    name = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["activity", "vocabulary", "code"]

    def __str__(self) -> str:
        return f"{self.vocabulary}:{self.code}"


class ExternalTransaction(models.Model):
    activity = models.ForeignKey(
        ExternalActivity, on_delete=models.CASCADE, related_name="transactions"
    )
    ref = models.CharField(max_length=200, blank=True)
    type = models.CharField(max_length=3)
    date = models.DateField(null=True, blank=True)
    value = models.DecimalField(max_digits=22, decimal_places=2)
    currency = models.CharField(max_length=3, blank=True)
    value_date = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    provider_ref = models.CharField(max_length=200, blank=True)
    provider_name = models.CharField(max_length=500, blank=True)
    provider_activity_id = models.CharField(max_length=200, blank=True)
    receiver_ref = models.CharField(max_length=200, blank=True)
    receiver_name = models.CharField(max_length=500, blank=True)
    receiver_activity_id = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["activity", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.type} {self.value} {self.currency}"


class ExternalBudget(models.Model):
    activity = models.ForeignKey(ExternalActivity, on_delete=models.CASCADE, related_name="budgets")
    type = models.CharField(max_length=3, blank=True)
    status = models.CharField(max_length=3, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    value = models.DecimalField(max_digits=22, decimal_places=2)
    currency = models.CharField(max_length=3, blank=True)
    value_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["activity", "period_start", "pk"]

    def __str__(self) -> str:
        return f"{self.period_start} {self.value}"
