"""Organisations that act, the roles people hold in them, and Member States."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from compacts.actors.roles import role_spec
from compacts.core.models import BaseModel


class StakeholderCategory(models.TextChoices):
    MEMBER_STATE = "member-state", _("Member State government")
    UN_ENTITY = "un-entity", _("UN entity")
    DONOR = "donor", _("Donor")
    IFI = "ifi", _("International financial institution")
    CIVIL_SOCIETY = "civil-society", _("Civil society")
    PRIVATE_SECTOR = "private-sector", _("Private sector")
    ACADEMIA = "academia", _("Academia")
    LOCAL_AUTHORITY = "local-authority", _("Local authority")
    MIGRANT_DIASPORA = "migrant-diaspora", _("Migrant or diaspora organisation")
    NHRI = "nhri", _("National human rights institution")
    TRADE_UNION = "trade-union", _("Trade union")
    EMPLOYERS = "employers", _("Employers' organisation")
    FAITH_BASED = "faith-based", _("Faith-based organisation")
    REGIONAL_BODY = "regional-body", _("Regional or intergovernmental organisation")
    PHILANTHROPY = "philanthropy", _("Philanthropic foundation")
    OTHER = "other", _("Other")


class Organisation(BaseModel):
    name = models.CharField(max_length=300)
    short_name = models.CharField(max_length=50, blank=True)
    names = models.JSONField(default=dict, blank=True, help_text="Name by language code.")
    category = models.CharField(max_length=20, choices=StakeholderCategory.choices)
    iati_type = models.CharField(max_length=3, blank=True, help_text="IATI OrganisationType code.")
    iati_identifier = models.CharField(max_length=100, blank=True, db_index=True)
    country = models.ForeignKey(
        "framework.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
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
            ),
            # One Member State organisation per M49 country (demonstration rows excepted).
            models.UniqueConstraint(
                fields=["country"],
                condition=models.Q(category="member-state", is_illustrative=False),
                name="organisation_one_member_state_per_country",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def display_name(self) -> str:
        """The name in the reader's language when one is stored, else the name."""
        language = (get_language() or "en").lower()
        return self.names.get(language) or self.names.get(language.split("-")[0]) or self.name


class Role(BaseModel):
    """A role a person holds in an organisation; open vocabulary, so a table (styleguide §5)."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The role's name in the reader's language (known codes are translated)."""
        spec = role_spec(self.code)
        return str(spec.name) if spec else self.name


class Membership(BaseModel):
    """user x organisation x role: the source of every permission."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="memberships")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True)
                | models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.role} · {self.organisation}"
