"""Reference tables of the Compacts' shared vocabulary."""

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
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

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
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="countries")
    is_ldc = models.BooleanField(default=False)
    is_lldc = models.BooleanField(default=False)
    is_sids = models.BooleanField(default=False)
    in_m49 = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name
