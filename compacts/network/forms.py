"""Forms of the network pages: they only shape input; the services decide (styleguide §2.4)."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from compacts.actors.models import Organisation
from compacts.framework.models import Country, GcmObjective, GuidingPrinciple, Region, SdgIndicator
from compacts.network.models import (
    Achievement,
    CallForPractices,
    ChampionCountry,
    CountryNetwork,
    Resource,
    Term,
    WorkingGroup,
    WorkingGroupMember,
)
from compacts.network.validation import ALLOWED_EXTENSIONS


def localised(obj) -> str:
    names = getattr(obj, "names", None) or {}
    return names.get(get_language() or "en") or str(obj)


# Django's own catalogues lack this prompt in Arabic, Spanish, Russian and Chinese; translated here.
EMPTY_LABEL = _("- Select an option -")


class LocalisedMultiple(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return localised(obj)


class LocalisedChoice(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", EMPTY_LABEL)
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj) -> str:
        return localised(obj)


class ObjectiveMultiple(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        labels = obj.short_labels or {}
        return f"{obj.number}. {labels.get(get_language() or 'en') or obj.short_label}"


class PrincipleMultiple(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"({obj.letter}) {localised(obj)}"


LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]


class PracticeForm(forms.Form):
    """The Hub's submission template. Every field is optional here, so that a draft is always
    saved; the service names the required fields at submission."""

    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    language = forms.ChoiceField(label=_("Language of the practice"), choices=LANGUAGE_CHOICES)
    countries = LocalisedMultiple(
        label=_("Countries"),
        queryset=Country.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    regions = LocalisedMultiple(
        label=_("Regions"),
        queryset=Region.objects.filter(level="region"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    objectives = ObjectiveMultiple(
        label=_("GCM objectives"),
        queryset=GcmObjective.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    principles = PrincipleMultiple(
        label=_("Guiding principles"),
        queryset=GuidingPrinciple.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sdg_indicators = forms.ModelMultipleChoiceField(
        label=_("SDG indicators"),
        queryset=SdgIndicator.objects.filter(is_gcm_linked=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = LocalisedMultiple(
        label=_("Cross-cutting themes"),
        queryset=Term.objects.filter(vocabulary="theme"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    starts_on = forms.DateField(
        label=_("Start of the period"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ends_on = forms.DateField(
        label=_("End of the period"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    results = forms.CharField(
        label=_("Results"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    innovation = forms.CharField(
        label=_("What makes it innovative"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    replicability = forms.CharField(
        label=_("What makes it replicable"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    resources = forms.CharField(
        label=_("Resources (links, one a line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    call = forms.ModelChoiceField(
        label=_("Call for practices"),
        queryset=CallForPractices.objects.filter(state="announced"),
        required=False,
    )
    attachment = forms.FileField(
        label=_("Attachment (PDF, office document or image, up to 10 MB)"), required=False
    )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("attachment", None)
        for name in (
            "countries",
            "regions",
            "objectives",
            "principles",
            "sdg_indicators",
            "themes",
            "organisations",
        ):
            data[name] = [obj.pk for obj in data[name]]
        data["call"] = data["call"].pk if data["call"] else None
        return data

    @classmethod
    def initial_for(cls, practice) -> dict:
        initial = {
            name: getattr(practice, name)
            for name in (
                "title",
                "summary",
                "language",
                "starts_on",
                "ends_on",
                "description",
                "results",
                "innovation",
                "replicability",
                "resources",
            )
        }
        for name in (
            "countries",
            "regions",
            "objectives",
            "principles",
            "sdg_indicators",
            "themes",
            "organisations",
        ):
            initial[name] = list(getattr(practice, name).all())
        initial["call"] = practice.call
        return initial


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class RegistrationForm(forms.Form):
    organisation_name = forms.CharField(label=_("Organisation"), max_length=300, required=False)
    needs = forms.CharField(
        label=_("Accessibility or interpretation needs"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class SupportRequestForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    country = LocalisedChoice(label=_("Country"), queryset=Country.objects.order_by("name"))
    description = forms.CharField(
        label=_("What support is needed"), widget=forms.Textarea(attrs={"rows": 5})
    )
    objectives = ObjectiveMultiple(
        label=_("GCM objectives"),
        queryset=GcmObjective.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class MatchForm(forms.Form):
    partners = forms.ModelMultipleChoiceField(
        label=_("Implementing partners"),
        queryset=Organisation.objects.all(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    note = forms.CharField(label=_("Note"), required=False)


# --- Edit pages: working groups, events, calls, library (the Secretariat and co-leads) ----------

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _datetime_field(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def _objectives_field() -> ObjectiveMultiple:
    return ObjectiveMultiple(
        label=_("GCM objectives"),
        queryset=GcmObjective.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class WorkingGroupForm(forms.Form):
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    terms_of_reference = forms.CharField(
        label=_("Terms of reference"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )


class MemberForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name")
    )
    role = forms.ChoiceField(label=_("Role"), choices=WorkingGroupMember.Role.choices)


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Activity"), max_length=300)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=_date_input())
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=_date_input())
    timeline = forms.CharField(
        label=_("Timeline (such as Q3 2025)"), max_length=100, required=False
    )
    lead_organisation = forms.ModelChoiceField(
        label=_("Lead organisation"), queryset=Organisation.objects.order_by("name"), required=False
    )


class EventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    event_type = LocalisedChoice(
        label=_("Type of event"), queryset=Term.objects.filter(vocabulary="event-type")
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    starts_at = _datetime_field(_("Starts at"))
    ends_at = _datetime_field(_("Ends at"))
    registration_deadline = _datetime_field(_("Registration deadline"))
    capacity = forms.IntegerField(label=_("Places available"), min_value=1, max_value=100000)
    location = forms.CharField(
        label=_("Location (empty when online)"), max_length=300, required=False
    )
    language = forms.ChoiceField(label=_("Language of the event"), choices=LANGUAGE_CHOICES)
    working_group = forms.ModelChoiceField(
        label=_("Working group"), queryset=WorkingGroup.objects.order_by("code"), required=False
    )
    objectives = _objectives_field()

    def __init__(self, *args, editing: bool = False, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["working_group"]  # an event stays with the group that planned it
        elif groups is not None:
            self.fields["working_group"].queryset = groups


class FollowUpForm(forms.Form):
    materials = forms.CharField(
        label=_("Materials (links, one a line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    follow_up = forms.CharField(
        label=_("Follow-up"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class CallForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    theme = forms.CharField(label=_("Theme"), max_length=300)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=_date_input())
    deadline = forms.DateField(label=_("Deadline"), widget=_date_input())
    objectives = _objectives_field()


class ResourceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    resource_type = LocalisedChoice(
        label=_("Type"), queryset=Term.objects.filter(vocabulary="resource-type")
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    publisher = forms.CharField(label=_("Publisher"), max_length=300, required=False)
    published_on = forms.DateField(label=_("Date"), required=False, widget=_date_input())
    geographic_scope = forms.CharField(label=_("Geographic scope"), max_length=200, required=False)
    workstream_output = forms.ModelChoiceField(
        label=_("Workstream output"),
        queryset=WorkingGroup.objects.order_by("code"),
        required=False,
    )
    regional_review_process = forms.CharField(
        label=_("Regional review process"), max_length=200, required=False
    )
    keywords = forms.CharField(
        label=_("Keywords (comma-separated)"), max_length=500, required=False
    )
    url = forms.URLField(label=_("Address (URL)"), required=False, assume_scheme="https")
    status = forms.ChoiceField(label=_("Status"), choices=Resource.Status.choices)
    audiences = LocalisedMultiple(
        label=_("Target audience"),
        queryset=Term.objects.filter(vocabulary="audience"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    objectives = _objectives_field()
    themes = LocalisedMultiple(
        label=_("Cross-cutting themes"),
        queryset=Term.objects.filter(vocabulary="theme"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sdg_indicators = forms.ModelMultipleChoiceField(
        label=_("SDG indicators"),
        queryset=SdgIndicator.objects.filter(is_gcm_linked=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name, key in (
            ("audiences", "audience_ids"),
            ("objectives", "objective_ids"),
            ("themes", "theme_ids"),
            ("sdg_indicators", "sdg_indicator_ids"),
        ):
            data[key] = [obj.pk for obj in data.pop(name)]
        return data

    @classmethod
    def initial_for(cls, resource) -> dict:
        initial = {
            name: getattr(resource, name)
            for name in cls.base_fields
            if name not in ("audiences", "objectives", "themes", "sdg_indicators")
        }
        for name in ("audiences", "objectives", "themes", "sdg_indicators"):
            initial[name] = list(getattr(resource, name).all())
        return initial


# --- Country and regional networks, deliverables (the Secretariat, focal points, co-leads) -------


class ChampionMultiple(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return localised(obj.country)


class ChampionChoice(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", EMPTY_LABEL)
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj) -> str:
        return localised(obj.country)


def _organisation_label(obj) -> str:
    if obj.short_name and obj.short_name != obj.name:
        return f"{obj.name} ({obj.short_name})"
    return obj.name


class OrganisationChoice(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", EMPTY_LABEL)
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj) -> str:
        return _organisation_label(obj)


class OrganisationMultiple(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return _organisation_label(obj)


class NetworkForm(forms.Form):
    """A network's record. Its kind and place are chosen once, when it is created."""

    kind = forms.ChoiceField(label=_("Kind"), choices=CountryNetwork.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=300)
    country = LocalisedChoice(
        label=_("Country (country networks)"),
        queryset=Country.objects.order_by("name"),
        required=False,
    )
    region = LocalisedChoice(
        label=_("Region (regional networks)"),
        queryset=Region.objects.filter(level="region").order_by("name"),
        required=False,
    )
    established_on = forms.DateField(
        label=_("Date established (empty while it is being set up)"),
        required=False,
        widget=_date_input(),
    )
    coordinating_office = forms.CharField(
        label=_("Resident Coordinator's office"), max_length=300, required=False
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    member_organisations = OrganisationMultiple(
        label=_("Member entities"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            for name in ("kind", "country", "region"):
                del self.fields[name]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["member_organisation_ids"] = [o.pk for o in data.pop("member_organisations")]
        return data

    @classmethod
    def initial_for(cls, network) -> dict:
        return {
            "name": network.name,
            "established_on": network.established_on,
            "coordinating_office": network.coordinating_office,
            "description": network.description,
            "member_organisations": list(network.member_organisations.all()),
        }


class MoveForm(forms.Form):
    """A move along a workflow. The list offers the moves the workflow allows from the current
    status; the service refuses any other, naming the allowed ones."""

    to = forms.CharField(label=_("New status"), widget=forms.Select)
    note = forms.CharField(label=_("Note (required to step back)"), max_length=2000, required=False)

    def __init__(self, *args, moves=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].widget.choices = list(moves)


class NetworkMoveForm(MoveForm):
    note = forms.CharField(
        label=_("Note (required to mark a network inactive)"), max_length=2000, required=False
    )
    established_on = forms.DateField(
        label=_("Date established (when it becomes established)"),
        required=False,
        widget=_date_input(),
    )


class FocalPointForm(forms.Form):
    organisation = OrganisationChoice(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"), required=False)
    username = forms.CharField(
        label=_("Account on compacts (user name, optional: lets her keep the network's records)"),
        max_length=150,
        required=False,
    )


class AchievementForm(forms.Form):
    kind = forms.ChoiceField(label=_("What it did"), choices=Achievement.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    happened_on = forms.DateField(label=_("Date"), widget=_date_input())
    people_trained = forms.IntegerField(
        label=_("People trained"), min_value=0, max_value=10_000_000, required=False
    )
    reference = forms.CharField(
        label=_("Reference (plan or concept note)"), max_length=200, required=False
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DeliverableForm(forms.Form):
    title = forms.CharField(label=_("Deliverable or tool"), max_length=300)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class PilotCountriesForm(forms.Form):
    champions = ChampionMultiple(
        label=_("Champion countries piloting it"),
        queryset=ChampionCountry.objects.select_related("country"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class FeedbackForm(forms.Form):
    champion = ChampionChoice(
        label=_("Champion country"), queryset=ChampionCountry.objects.select_related("country")
    )
    feedback = forms.CharField(
        label=_("Pilot feedback"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )

    def __init__(self, *args, deliverable=None, **kwargs):
        super().__init__(*args, **kwargs)
        if deliverable is not None:
            self.fields["champion"].queryset = deliverable.pilot_countries.select_related("country")


class NetworkMemberForm(forms.Form):
    """A member UN entity of the Network. Its organisation is chosen once, when it is added."""

    organisation = OrganisationChoice(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name")
    )
    joined_on = forms.DateField(label=_("Date joined"), required=False, widget=_date_input())
    joined_note = forms.CharField(
        label=_("Note on the date (its source, or why it is uncertain)"),
        max_length=300,
        required=False,
    )
    is_executive_committee = forms.BooleanField(
        label=_("Member of the Executive Committee"), required=False
    )
    is_coordinator = forms.BooleanField(label=_("Coordinator of the Network"), required=False)
    hosts_secretariat = forms.BooleanField(label=_("Hosts the Secretariat"), required=False)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)

    def __init__(self, *args, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        if member is not None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                network_membership__isnull=True
            ).order_by("name")

    @classmethod
    def initial_for(cls, member) -> dict:
        return {
            name: getattr(member, name)
            for name in (
                "joined_on",
                "joined_note",
                "is_executive_committee",
                "is_coordinator",
                "hosts_secretariat",
                "source",
            )
        }


class MemberLeaveForm(forms.Form):
    """The date a member left the Network and a note (the service checks the date)."""

    left_on = forms.DateField(label=_("Date it left"), widget=_date_input())
    note = forms.CharField(
        label=_("Note (why it left, or the source)"), max_length=300, required=False
    )


class MemberRejoinForm(forms.Form):
    """A former member that is a member again: the date it joined again, if it did."""

    joined_on = forms.DateField(
        label=_("Date it joined again (leave empty if its departure was recorded by mistake)"),
        required=False,
        widget=_date_input(),
    )
    joined_note = forms.CharField(
        label=_("Note on the date (its source, or why it is uncertain)"),
        max_length=300,
        required=False,
    )


class ChampionCountryForm(forms.Form):
    """A champion country. Its country is chosen once, when it is named."""

    country = LocalisedChoice(label=_("Country"), queryset=Country.objects.order_by("name"))
    since = forms.DateField(label=_("Champion country since"), required=False, widget=_date_input())
    source = forms.CharField(label=_("Source"), max_length=300, required=False)

    def __init__(self, *args, champion=None, **kwargs):
        super().__init__(*args, **kwargs)
        if champion is not None:
            del self.fields["country"]
        else:
            self.fields["country"].queryset = Country.objects.filter(
                network_champion__isnull=True
            ).order_by("name")


class ResourceAttachmentForm(forms.Form):
    """A file for a library resource; the service checks its type, size and content."""

    file = forms.FileField(
        label=_("File (PDF, office document or image, up to 10 MB)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(sorted(ALLOWED_EXTENSIONS)), "aria-describedby": "file-help"}
        ),
    )
