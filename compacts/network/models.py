"""The UN Network on Migration: structure, country networks, capacity building, knowledge hub.

Every lifecycle (``state`` fields) is a state machine in ``network/workflows/``; states only change
through the ``<entity>_transition`` services, which append a ``StateChange`` row.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from compacts.core.models import BaseModel
from compacts.network.workflows import (
    activity,
    call,
    comment,
    country_network,
    deliverable,
    event,
    practice,
    registration,
    support_request,
)


class Illustrative(models.Model):
    """Demonstration (``is_illustrative``) and generated (``is_synthetic``) records are labelled."""

    is_illustrative = models.BooleanField(default=False)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        abstract = True


class Term(BaseModel):
    """An entry of an open vocabulary (cross-cutting themes, resource types, audiences, event
    types): a table, not ``choices``, so the Secretariat can add entries (styleguide §5)."""

    class Vocabulary(models.TextChoices):
        THEME = "theme", _("Cross-cutting theme")
        RESOURCE_TYPE = "resource-type", _("Resource type")
        AUDIENCE = "audience", _("Target audience")
        EVENT_TYPE = "event-type", _("Event type")

    vocabulary = models.CharField(max_length=20, choices=Vocabulary.choices)
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    names = models.JSONField(default=dict, blank=True, help_text="Name by language code.")

    class Meta:
        ordering = ["vocabulary", "name"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="network_term_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def localised_name(self, language: str) -> str:
        return self.names.get(language) or self.name


class StateChange(models.Model):
    """One move of one state machine: the history behind every ``state`` field."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    machine = models.CharField(max_length=40)
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
            models.Index(fields=["content_type", "object_id", "at"], name="network_change_obj_idx")
        ]

    def __str__(self) -> str:
        return f"{self.machine}: {self.from_state} -> {self.to_state}"


# --- Structure --------------------------------------------------------------------------------


class NetworkMember(Illustrative, BaseModel):
    """A UN entity that is (or was) a member of the Network, with the date it joined and, once it
    has left, the date it left. A member that left keeps its row: the register keeps history, and
    ``selectors.network_member_list`` tells current members from former ones."""

    organisation = models.OneToOneField(
        "actors.Organisation", on_delete=models.PROTECT, related_name="network_membership"
    )
    joined_on = models.DateField(null=True, blank=True)
    joined_note = models.CharField(
        max_length=300, blank=True, help_text="Source, or why the date is uncertain."
    )
    is_executive_committee = models.BooleanField(default=False)
    is_coordinator = models.BooleanField(
        default=False, help_text="The Coordinator (IOM's Director-General)."
    )
    hosts_secretariat = models.BooleanField(default=False)
    source = models.CharField(max_length=300, blank=True)
    left_on = models.DateField(
        null=True, blank=True, help_text="The date it left the Network; empty while a member."
    )
    left_note = models.CharField(
        max_length=300, blank=True, help_text="Why it left, or the source that says so."
    )

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(joined_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="network_member_left_after_joined",
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class ChampionCountry(Illustrative, BaseModel):
    """A country that volunteered to pilot the Network's tools."""

    country = models.OneToOneField(
        "framework.Country", on_delete=models.PROTECT, related_name="network_champion"
    )
    since = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["country__name"]
        verbose_name_plural = "champion countries"

    def __str__(self) -> str:
        return str(self.country)


class WorkingGroup(Illustrative, BaseModel):
    """A working group (core or thematic) or a workstream, with its terms of reference."""

    class Kind(models.TextChoices):
        CORE = "core", _("Core working group")
        THEMATIC = "thematic", _("Thematic working group")
        WORKSTREAM = "workstream", _("Workstream")

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="workstreams"
    )
    description = models.TextField(blank=True)
    terms_of_reference = models.TextField(blank=True)
    workplan_period = models.CharField(max_length=20, blank=True, help_text="Such as 2021-2022.")
    objectives = models.ManyToManyField(
        "framework.GcmObjective", blank=True, related_name="network_working_groups"
    )
    source = models.CharField(max_length=300, blank=True)
    co_leads_confirmed = models.BooleanField(
        default=True, help_text="False when the co-leads are not confirmed in a cited source."
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class WorkingGroupMember(Illustrative, BaseModel):
    """An organisation (UN entity or stakeholder) in a working group, as co-lead or member."""

    class Role(models.TextChoices):
        CO_LEAD = "co-lead", _("Co-lead")
        MEMBER = "member", _("Member")

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="members"
    )
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="network_working_groups"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["working_group__code", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["working_group", "organisation"], name="network_wg_member_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.working_group.code} {self.organisation} ({self.role})"


class CountryNetwork(Illustrative, BaseModel):
    """A UN country or regional network on migration."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country network")
        REGIONAL = "regional", _("Regional network")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=300)
    country = models.OneToOneField(
        "framework.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="network_country_network",
    )
    region = models.ForeignKey(
        "framework.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="network_networks",
    )
    state = models.CharField(
        max_length=20, choices=country_network.State.choices, default=country_network.INITIAL
    )
    established_on = models.DateField(null=True, blank=True)
    coordinating_office = models.CharField(
        max_length=300, blank=True, help_text="The Resident Coordinator's office."
    )
    description = models.TextField(blank=True)
    member_organisations = models.ManyToManyField(
        "actors.Organisation", blank=True, related_name="network_country_networks"
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="country", country__isnull=False)
                    | models.Q(kind="regional", region__isnull=False, country__isnull=True)
                ),
                name="network_country_network_place",
            )
        ]

    def __str__(self) -> str:
        return self.name


class FocalPoint(Illustrative, BaseModel):
    """A person who is a country network's focal point for an organisation."""

    network = models.ForeignKey(
        CountryNetwork, on_delete=models.CASCADE, related_name="focal_points"
    )
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class Achievement(Illustrative, BaseModel):
    """Something a country or regional network did: a plan supported, a concept note, a training."""

    class Kind(models.TextChoices):
        NATIONAL_PLAN = "national-plan", _("Supported a national implementation plan")
        CONCEPT_NOTE = "concept-note", _("Submitted a concept note to the fund")
        TRAINING = "training", _("Trained officials")
        OTHER = "other", _("Other")

    network = models.ForeignKey(
        CountryNetwork, on_delete=models.CASCADE, related_name="achievements"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    happened_on = models.DateField()
    people_trained = models.PositiveIntegerField(null=True, blank=True)
    reference = models.CharField(
        max_length=200, blank=True, help_text="Concept note or plan reference."
    )

    class Meta:
        ordering = ["-happened_on", "id"]

    def __str__(self) -> str:
        return self.title


class WorkplanActivity(Illustrative, BaseModel):
    """An activity of a working group's or a country network's workplan (a member's task)."""

    working_group = models.ForeignKey(
        WorkingGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="activities"
    )
    country_network = models.ForeignKey(
        CountryNetwork, null=True, blank=True, on_delete=models.CASCADE, related_name="activities"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    timeline = models.CharField(max_length=100, blank=True, help_text="Such as 'Q3 2021'.")
    state = models.CharField(
        max_length=20, choices=activity.State.choices, default=activity.INITIAL
    )
    lead_organisation = models.ForeignKey(
        "actors.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="network_tasks",
    )

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name_plural = "workplan activities"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(working_group__isnull=False, country_network__isnull=True)
                    | models.Q(working_group__isnull=True, country_network__isnull=False)
                ),
                name="network_activity_one_owner",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(starts_on__isnull=True)
                    | models.Q(ends_on__isnull=True)
                    | models.Q(ends_on__gte=models.F("starts_on"))
                ),
                name="network_activity_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Deliverable(Illustrative, BaseModel):
    """A tool or product of a working group: drafting -> pilot testing -> published."""

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.PROTECT, related_name="deliverables"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    state = models.CharField(
        max_length=20, choices=deliverable.State.choices, default=deliverable.INITIAL
    )
    pilot_countries = models.ManyToManyField(ChampionCountry, blank=True, related_name="pilots")
    published_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["working_group__code", "title"]

    def __str__(self) -> str:
        return self.title


class PilotFeedback(BaseModel):
    """Feedback from a champion country's pilot of a deliverable; kept after publication."""

    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.CASCADE, related_name="pilot_feedback"
    )
    champion = models.ForeignKey(ChampionCountry, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    feedback = models.TextField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.deliverable} / {self.champion}"


# --- Capacity building -------------------------------------------------------------------------


class Event(Illustrative, BaseModel):
    """A webinar, training or consultation with registration and attendance."""

    title = models.CharField(max_length=300)
    event_type = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": "event-type"},
    )
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    registration_deadline = models.DateTimeField()
    capacity = models.PositiveIntegerField(help_text="Places available.")
    location = models.CharField(max_length=300, blank=True, help_text="Empty when online.")
    language = models.CharField(max_length=10, default="en")
    working_group = models.ForeignKey(
        WorkingGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    country_network = models.ForeignKey(
        CountryNetwork, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    objectives = models.ManyToManyField(
        "framework.GcmObjective", blank=True, related_name="network_events"
    )
    state = models.CharField(max_length=20, choices=event.State.choices, default=event.INITIAL)
    materials = models.TextField(blank=True, help_text="Links to slides, recordings, one a line.")
    follow_up = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="network_event_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Registration(BaseModel):
    """A person's registration to an event; the Secretariat confirms it and records attendance."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_registrations"
    )
    organisation_name = models.CharField(max_length=300, blank=True)
    needs = models.TextField(blank=True, help_text="Accessibility or interpretation needs.")
    state = models.CharField(
        max_length=20, choices=registration.State.choices, default=registration.INITIAL
    )
    is_illustrative = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="network_registration_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.event}"


class SupportRequest(Illustrative, BaseModel):
    """A Member State's request for technical assistance, handled as GCM para 43 (a) describes."""

    title = models.CharField(max_length=300)
    country = models.ForeignKey(
        "framework.Country", on_delete=models.PROTECT, related_name="network_support_requests"
    )
    requesting_organisation = models.ForeignKey(
        "actors.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField()
    objectives = models.ManyToManyField(
        "framework.GcmObjective", blank=True, related_name="network_support_requests"
    )
    state = models.CharField(
        max_length=20, choices=support_request.State.choices, default=support_request.INITIAL
    )
    partners = models.ManyToManyField(
        "actors.Organisation", blank=True, related_name="network_supported_requests"
    )
    similar_practices = models.ManyToManyField("Practice", blank=True, related_name="+")
    support_summary = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    # The fund's concept note, when one follows: a generic reference, since the fund app may not
    # be installed above this one (imports go one way), plus a free reference for external notes.
    concept_note_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    concept_note_id = models.PositiveBigIntegerField(null=True, blank=True)
    concept_note = GenericForeignKey("concept_note_type", "concept_note_id")
    concept_note_reference = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return self.title


# --- Knowledge hub -----------------------------------------------------------------------------


class CallForPractices(Illustrative, BaseModel):
    """A thematic call for practices, with a deadline."""

    title = models.CharField(max_length=300)
    theme = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    opens_on = models.DateField()
    deadline = models.DateField()
    objectives = models.ManyToManyField(
        "framework.GcmObjective", blank=True, related_name="network_calls"
    )
    state = models.CharField(max_length=20, choices=call.State.choices, default=call.INITIAL)

    class Meta:
        ordering = ["-deadline", "id"]
        verbose_name_plural = "calls for practices"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("opens_on")),
                name="network_call_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Practice(Illustrative, BaseModel):
    """A practice of the Hub's repository, with the fields of the Hub's submission template."""

    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    language = models.CharField(max_length=10, default="en")
    countries = models.ManyToManyField(
        "framework.Country", blank=True, related_name="network_practices"
    )
    regions = models.ManyToManyField("framework.Region", blank=True, related_name="+")
    objectives = models.ManyToManyField(
        "framework.GcmObjective", blank=True, related_name="network_practices"
    )
    principles = models.ManyToManyField(
        "framework.GuidingPrinciple", blank=True, related_name="network_practices"
    )
    sdg_indicators = models.ManyToManyField(
        "framework.SdgIndicator", blank=True, related_name="network_practices"
    )
    themes = models.ManyToManyField(
        Term, blank=True, related_name="practices", limit_choices_to={"vocabulary": "theme"}
    )
    organisations = models.ManyToManyField(
        "actors.Organisation", blank=True, related_name="network_practices"
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    results = models.TextField(blank=True)
    innovation = models.TextField(blank=True, help_text="What makes it innovative.")
    replicability = models.TextField(blank=True, help_text="What makes it replicable.")
    resources = models.TextField(blank=True, help_text="Links or references, one a line.")
    call = models.ForeignKey(
        CallForPractices, null=True, blank=True, on_delete=models.SET_NULL, related_name="practices"
    )
    state = models.CharField(
        max_length=20, choices=practice.State.choices, default=practice.INITIAL
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="network_practices",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["state", "published_at"], name="network_practice_state_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(starts_on__isnull=True)
                    | models.Q(ends_on__isnull=True)
                    | models.Q(ends_on__gte=models.F("starts_on"))
                ),
                name="network_practice_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Attachment(BaseModel):
    """A file attached to a practice or a resource; always served as a download."""

    practice = models.ForeignKey(
        Practice, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    resource = models.ForeignKey(
        "Resource", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to="network/attachments/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(practice__isnull=False, resource__isnull=True)
                    | models.Q(practice__isnull=True, resource__isnull=False)
                ),
                name="network_attachment_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class Comment(BaseModel):
    """A signed-in member's comment on a published practice, shown once a moderator approves it."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="network_comments"
    )
    body = models.TextField()
    state = models.CharField(max_length=20, choices=comment.State.choices, default=comment.INITIAL)
    is_illustrative = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author} on {self.practice}"


class Resource(Illustrative, BaseModel):
    """A guidance document or resource of the library, with the Hub's metadata."""

    class Status(models.TextChoices):
        CURRENT = "current", _("Current")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    resource_type = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": "resource-type"},
    )
    audiences = models.ManyToManyField(
        Term, blank=True, related_name="+", limit_choices_to={"vocabulary": "audience"}
    )
    language = models.CharField(max_length=10, default="en")
    publisher = models.CharField(max_length=300, blank=True)
    published_on = models.DateField(null=True, blank=True)
    geographic_scope = models.CharField(max_length=200, blank=True)
    workstream_output = models.ForeignKey(
        WorkingGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="resources"
    )
    regional_review_process = models.CharField(max_length=200, blank=True)
    objectives = models.ManyToManyField(
        "framework.GcmObjective", blank=True, related_name="network_resources"
    )
    themes = models.ManyToManyField(
        Term, blank=True, related_name="resources", limit_choices_to={"vocabulary": "theme"}
    )
    sdg_indicators = models.ManyToManyField("framework.SdgIndicator", blank=True, related_name="+")
    keywords = models.CharField(max_length=500, blank=True, help_text="Comma-separated.")
    url = models.URLField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CURRENT)

    class Meta:
        ordering = ["-published_on", "title"]

    def __str__(self) -> str:
        return self.title
