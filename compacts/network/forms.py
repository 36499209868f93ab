"""Forms of the network pages: they only shape input; the services decide (styleguide §2.4)."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from compacts.actors.models import Organisation
from compacts.framework.models import Country, GcmObjective, GuidingPrinciple, Region, SdgIndicator
from compacts.network.models import CallForPractices, Term


def localised(obj) -> str:
    names = getattr(obj, "names", None) or {}
    return names.get(get_language() or "en") or str(obj)


class LocalisedMultiple(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return localised(obj)


class LocalisedChoice(forms.ModelChoiceField):
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
