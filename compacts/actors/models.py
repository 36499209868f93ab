"""Organisations that act, the roles people hold in them, and Member States."""

from django.conf import settings
from django.db import models

from compacts.core.models import BaseModel


class StakeholderCategory(models.TextChoices):
    MEMBER_STATE = "member-state", "Member State government"
    UN_ENTITY = "un-entity", "UN entity"
    DONOR = "donor", "Donor"
    IFI = "ifi", "International financial institution"
    CIVIL_SOCIETY = "civil-society", "Civil society"
    PRIVATE_SECTOR = "private-sector", "Private sector"
    ACADEMIA = "academia", "Academia"
    LOCAL_AUTHORITY = "local-authority", "Local authority"
    MIGRANT_DIASPORA = "migrant-diaspora", "Migrant or diaspora organisation"
    NHRI = "nhri", "National human rights institution"
    TRADE_UNION = "trade-union", "Trade union"
    EMPLOYERS = "employers", "Employers' organisation"
    FAITH_BASED = "faith-based", "Faith-based organisation"
    REGIONAL_BODY = "regional-body", "Regional or intergovernmental organisation"
    PHILANTHROPY = "philanthropy", "Philanthropic foundation"
    OTHER = "other", "Other"


class Organisation(BaseModel):
    name = models.CharField(max_length=300)
    short_name = models.CharField(max_length=50, blank=True)
    names = models.JSONField(default=dict, blank=True, help_text="Name by language code.")
    category = models.CharField(max_length=20, choices=StakeholderCategory.choices)
    iati_type = models.CharField(max_length=3, blank=True, help_text="IATI OrganisationType code.")
    iati_identifier = models.CharField(max_length=100, blank=True, db_index=True)
    country = models.ForeignKey(
        "framework.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="organisations"
    )
    website = models.URLField(blank=True)
    is_illustrative = models.BooleanField(
        default=False, help_text="Demonstration data: shown with an 'illustrative' label."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["iati_identifier"],
                condition=~models.Q(iati_identifier=""),
                name="organisation_iati_identifier_unique",
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class Role(BaseModel):
    """A role a person holds in an organisation; open vocabulary, so a table (styleguide §5)."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(BaseModel):
    """user x organisation x role: the source of every permission."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="memberships")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.role} · {self.organisation}"
