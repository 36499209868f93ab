"""Reference tables of the Compacts' shared vocabulary."""

from django.conf import settings
from django.db import models

from compacts.core.models import BaseModel


class Region(BaseModel):
    """A UN M49 area: the world, a region, a sub-region or an intermediate region."""

    class Level(models.TextChoices):
        WORLD = "world", "World"
        REGION = "region", "Region"
        SUB_REGION = "sub-region", "Sub-region"
        INTERMEDIATE = "intermediate", "Intermediate region"

    m49 = models.CharField(max_length=3, unique=True)
    level = models.CharField(max_length=12, choices=Level.choices)
    name = models.CharField(max_length=200)
    names = models.JSONField(default=dict, blank=True, help_text="Name by language code.")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["m49"]

    def __str__(self) -> str:
        return self.name


class Country(BaseModel):
    """A country or area of UN M49, with its ISO codes; areas IATI uses that M49 lacks (XK)
    have ``in_m49=False`` and no M49 code."""

    m49 = models.CharField(max_length=3, unique=True, null=True, blank=True)
    iso2 = models.CharField(max_length=2, unique=True)
    iso3 = models.CharField(max_length=3, unique=True, null=True, blank=True)
    name = models.CharField(max_length=200)
    names = models.JSONField(default=dict, blank=True, help_text="Name by language code.")
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="countries"
    )
    sub_region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="sub_region_countries"
    )
    intermediate_region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intermediate_region_countries",
    )
    is_ldc = models.BooleanField(default=False)
    is_lldc = models.BooleanField(default=False)
    is_sids = models.BooleanField(default=False)
    in_m49 = models.BooleanField(default=True)
    note = models.TextField(
        blank=True, help_text="Why a code outside M49 is listed, for example XK."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name


class ReferenceStatus(models.TextChoices):
    """Whether a reference fact is confirmed in a cited source or still awaits confirmation."""

    CONFIRMED = "confirmed", "Confirmed"
    PROVISIONAL = "provisional", "Provisional"


# --- Global Compact for Migration ------------------------------------------------------------


class GuidingPrinciple(BaseModel):
    """One of the GCM's ten cross-cutting guiding principles (para 15 (a)-(j))."""

    letter = models.CharField(max_length=1, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    names = models.JSONField(default=dict, blank=True, help_text="Name by language code.")
    paragraph = models.CharField(max_length=10, default="15")
    status = models.CharField(
        max_length=12, choices=ReferenceStatus.choices, default=ReferenceStatus.CONFIRMED
    )

    class Meta:
        ordering = ["letter"]

    def __str__(self) -> str:
        return f"({self.letter}) {self.name}"


class GcmObjective(BaseModel):
    """One of the GCM's 23 objectives; its commitment is paragraph 16 + number."""

    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=300)
    titles = models.JSONField(
        default=dict, blank=True, help_text="Official title by language code."
    )
    short_label = models.CharField(
        max_length=100, help_text="Label used by the Migration Network Hub."
    )
    short_labels = models.JSONField(default=dict, blank=True)
    commitment = models.TextField()
    paragraph = models.PositiveSmallIntegerField()
    sdg_targets = models.ManyToManyField(
        "SdgTarget", through="GcmObjectiveSdgTarget", blank=True, related_name="gcm_objectives"
    )

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class GcmAction(BaseModel):
    """An action (a), (b) ... that States draw from to realise an objective; code like ``15e``."""

    objective = models.ForeignKey(GcmObjective, on_delete=models.PROTECT, related_name="actions")
    letter = models.CharField(max_length=2)
    code = models.CharField(max_length=4, unique=True)
    text = models.TextField()

    class Meta:
        ordering = ["objective__number", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "letter"], name="gcm_action_letter_unique")
        ]

    def __str__(self) -> str:
        return self.code


# --- Global Compact on Refugees --------------------------------------------------------------


class GcrObjective(BaseModel):
    """One of the GCR's four objectives (para 7)."""

    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=300)
    titles = models.JSONField(default=dict, blank=True)
    paragraph = models.CharField(max_length=10, default="7")

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class GcrArea(BaseModel):
    """A part of the GCR programme of action (section III) that work can be tagged with."""

    code = models.CharField(max_length=20, unique=True, help_text="Section code such as 'B-2.3'.")
    section = models.CharField(max_length=20, blank=True, help_text="Section number such as '2.3'.")
    title = models.CharField(max_length=300)
    titles = models.JSONField(default=dict, blank=True)
    part = models.CharField(
        max_length=1, blank=True, help_text="A (burden sharing) or B (areas in need of support)."
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    paragraphs = models.CharField(
        max_length=20, blank=True, help_text="Paragraph range such as '72-73'."
    )
    summary = models.TextField(blank=True)
    is_health = models.BooleanField(default=False)
    status = models.CharField(
        max_length=12, choices=ReferenceStatus.choices, default=ReferenceStatus.CONFIRMED
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.title


# --- Migration MPTF ----------------------------------------------------------------------------


class ConfirmableReference(BaseModel):
    """Reference data whose content is not confirmed: editable, provisional until an administrator
    confirms it (``services.thematic_area_confirm`` / ``services.marker_confirm``)."""

    status = models.CharField(
        max_length=12, choices=ReferenceStatus.choices, default=ReferenceStatus.PROVISIONAL
    )
    source_note = models.TextField(blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def is_provisional(self) -> bool:
        return self.status == ReferenceStatus.PROVISIONAL


class ThematicArea(ConfirmableReference):
    """One of the Migration MPTF's five thematic areas, clustering the GCM objectives."""

    code = models.CharField(max_length=10, unique=True)
    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=300)
    names = models.JSONField(default=dict, blank=True)
    objectives = models.ManyToManyField(
        GcmObjective, through="ThematicAreaObjective", related_name="thematic_areas"
    )

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ThematicAreaObjective(BaseModel):
    """The mapping of an objective to a thematic area; ``is_uncertain`` marks entries the source
    itself flags with a question mark."""

    thematic_area = models.ForeignKey(
        ThematicArea, on_delete=models.CASCADE, related_name="objective_links"
    )
    objective = models.ForeignKey(
        GcmObjective, on_delete=models.PROTECT, related_name="thematic_area_links"
    )
    is_uncertain = models.BooleanField(default=False)

    class Meta:
        ordering = ["thematic_area__number", "objective__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["thematic_area", "objective"], name="thematic_area_objective_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.thematic_area.code} - {self.objective.number}"


class Marker(ConfirmableReference):
    """A Migration MPTF marker (gender, human rights, child sensitivity) with its scale."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    names = models.JSONField(default=dict, blank=True)
    description = models.TextField(blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class MarkerLevel(BaseModel):
    """One value on a marker's scale (for example 0-3)."""

    marker = models.ForeignKey(Marker, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["marker__sort_order", "value"]
        constraints = [
            models.UniqueConstraint(fields=["marker", "value"], name="marker_level_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.marker.code} {self.value}: {self.label}"


# --- Sustainable Development Goals -------------------------------------------------------------


class SdgGoal(BaseModel):
    number = models.PositiveSmallIntegerField(unique=True)
    short_title = models.CharField(max_length=200, blank=True)
    title = models.TextField()
    titles = models.JSONField(default=dict, blank=True)
    short_titles = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"SDG {self.number}"


class SdgTarget(BaseModel):
    goal = models.ForeignKey(SdgGoal, on_delete=models.PROTECT, related_name="targets")
    code = models.CharField(max_length=10, unique=True)
    title = models.TextField()
    sort_key = models.CharField(max_length=20, db_index=True)

    class Meta:
        ordering = ["sort_key"]

    def __str__(self) -> str:
        return self.code


class SdgIndicator(BaseModel):
    """An official SDG indicator code. The framework lists a few indicators under two or three
    targets; each listing is a row, and the later ones point to the first with ``repeat_of``."""

    code = models.CharField(max_length=12, unique=True)
    target = models.ForeignKey(SdgTarget, on_delete=models.PROTECT, related_name="indicators")
    repeat_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeats",
        help_text="The same official indicator listed under an earlier target.",
    )
    title = models.TextField()
    is_gcm_linked = models.BooleanField(default=False, db_index=True)
    sort_key = models.CharField(max_length=24, db_index=True)

    class Meta:
        ordering = ["sort_key"]

    def __str__(self) -> str:
        return self.code


# --- Codelists ----------------------------------------------------------------------------


class Codelist(BaseModel):
    """An IATI 2.03 codelist shipped with the package (Sector, Currency ...)."""

    name = models.CharField(max_length=80, unique=True)
    title = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    complete = models.BooleanField(default=True)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CodelistItem(BaseModel):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        WITHDRAWN = "withdrawn", "Withdrawn"

    codelist = models.ForeignKey(Codelist, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(max_length=40)
    name = models.TextField()
    names = models.JSONField(default=dict, blank=True)
    description = models.TextField(blank=True)
    category = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["codelist__name", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["codelist", "code"], name="codelist_item_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.codelist.name}:{self.code}"


class GcmObjectiveSdgTarget(BaseModel):
    """A link between a GCM objective and an SDG target; provisional where no cited source
    states it (see ``data/links/SOURCE.md``)."""

    objective = models.ForeignKey(GcmObjective, on_delete=models.CASCADE, related_name="sdg_links")
    target = models.ForeignKey(SdgTarget, on_delete=models.PROTECT, related_name="gcm_links")
    status = models.CharField(
        max_length=12, choices=ReferenceStatus.choices, default=ReferenceStatus.PROVISIONAL
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["objective__number", "target__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "target"], name="gcm_objective_sdg_target_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.objective.number} - {self.target.code}"


class ReferenceSource(BaseModel):
    """One shipped data source and the checksum of its files when it was last loaded; a rerun
    with unchanged files does nothing, and each load that changes rows writes one audit record."""

    name = models.SlugField(max_length=60, unique=True)
    checksum = models.CharField(max_length=64, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    loaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
