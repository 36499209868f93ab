"""Forms of the tracking pages. They only parse input; rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from compacts.actors.models import Organisation
from compacts.framework.models import Country, GcmAction, GcmObjective, GuidingPrinciple
from compacts.tracking.models import (
    PLEDGE_DESCRIPTION_MAX,
    PLEDGE_DESCRIPTION_MIN,
    ImrfEdition,
    Pledge,
    PledgeKind,
    PledgeProgress,
    PledgeType,
)


class PledgeForm(forms.Form):
    """The Network's pledge form, sections I-VII (facts.md §4)."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Pledger"))
    title = forms.CharField(label=_("Title of the pledge"), max_length=300)
    pledge_type = forms.ChoiceField(label=_("Type of pledge"), choices=PledgeType.choices)
    kind = forms.ChoiceField(
        label=_("Pledged alone or with others"), choices=PledgeKind.choices, initial="single"
    )
    partners = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.order_by("name"),
        required=False,
        label=_("Partners (common pledge or pledge in partnership)"),
    )
    objectives = forms.ModelMultipleChoiceField(
        queryset=GcmObjective.objects.order_by("number"), required=False, label=_("GCM objectives")
    )
    principles = forms.ModelMultipleChoiceField(
        queryset=GuidingPrinciple.objects.order_by("letter"),
        required=False,
        label=_("Guiding principles"),
    )
    gcm_actions = forms.CharField(
        required=False,
        label=_("GCM actions"),
        help_text=_("Action codes separated by commas, for example 15e, 16c."),
    )
    matching_pledge = forms.CharField(
        required=False,
        label=_("Matching pledge"),
        help_text=_("The reference of the pledge this one matches, for example GCM-P-00012."),
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        label=_("Description"),
        help_text=_("Between %(min)s and %(max)s characters.")
        % {"min": PLEDGE_DESCRIPTION_MIN, "max": PLEDGE_DESCRIPTION_MAX},
    )
    country = forms.ModelChoiceField(
        queryset=Country.objects.filter(m49__isnull=False).order_by("name"),
        required=False,
        label=_("Country of implementation"),
    )
    amount = forms.DecimalField(required=False, min_value=0, decimal_places=2, label=_("Amount"))
    currency = forms.CharField(required=False, max_length=3, label=_("Currency (ISO 4217)"))
    imrf_edition = forms.ModelChoiceField(
        queryset=ImrfEdition.objects.all(), required=False, label=_("Pledged for the IMRF")
    )
    contact_name = forms.CharField(required=False, max_length=200, label=_("Contact person"))
    contact_email = forms.EmailField(required=False, label=_("Contact e-mail"))
    attachment = forms.FileField(
        required=False,
        label=_("Attachment"),
        help_text=_(
            "One file up to 25 MB: txt, rtf, pdf, doc, docx, odt, ppt, pptx, odp, xls, xlsx, ods."
        ),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0]
            self.fields["organisation"].empty_label = None

    def clean_gcm_actions(self) -> list[GcmAction]:
        codes = [
            c.strip().lower() for c in self.cleaned_data["gcm_actions"].split(",") if c.strip()
        ]
        actions = list(GcmAction.objects.filter(code__in=codes))
        if len(actions) != len(set(codes)):
            raise forms.ValidationError(_("Unknown GCM action code."))
        return actions

    def clean_matching_pledge(self) -> Pledge | None:
        reference = self.cleaned_data["matching_pledge"].strip()
        if not reference:
            return None
        pledge = Pledge.objects.filter(reference=reference).first()
        if pledge is None:
            raise forms.ValidationError(
                _("The matching pledge %(value)s does not exist.") % {"value": reference}
            )
        return pledge


class PledgeStatusUpdateForm(forms.Form):
    progress = forms.ChoiceField(label=_("Progress"), choices=PledgeProgress.choices)
    narrative = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label=_("What was done"))


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    publish = forms.BooleanField(
        required=False, label=_("Publish at once (pledges already reviewed elsewhere)")
    )
