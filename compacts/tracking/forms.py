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


# --- National plans, national reviews, GCR pledges, the review cycle -----------------------------


def _codes_to_actions(raw: str) -> list[GcmAction]:
    codes = [c.strip().lower() for c in raw.replace(";", ",").split(",") if c.strip()]
    actions = list(GcmAction.objects.filter(code__in=codes))
    if len(actions) != len(set(codes)):
        unknown = sorted(set(codes) - {a.code for a in actions})
        raise forms.ValidationError(
            _("Unknown GCM action code: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    return actions


def _localized_label(field: str = "name"):
    from compacts.framework.i18n import localized_name

    return lambda obj: localized_name(obj, field=field)


class ForumField(forms.ChoiceField):
    """One choice among the IMRF editions and the regional reviews, grouped; cleans to
    ``{"imrf_edition": ..., "regional_review": ...}`` with exactly one of them set."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Forum"))
        super().__init__(choices=(), **kwargs)

    def load_choices(self) -> None:
        from compacts.tracking.models import RegionalReview

        imrf = [(f"imrf-{e.pk}", e.title) for e in ImrfEdition.objects.order_by("year")]
        regional = [
            (f"regional-{r.pk}", f"{r.commission.name} ({r.year})")
            for r in RegionalReview.objects.select_related("commission").order_by("year", "pk")
        ]
        self.choices = [
            ("", "---------"),
            (_("International Migration Review Forum"), imrf),
            (_("Regional reviews"), regional),
        ]

    def clean(self, value):
        from compacts.tracking.models import RegionalReview

        value = super().clean(value)
        kind, _sep, pk = value.partition("-")
        found = {"imrf_edition": None, "regional_review": None}
        if kind == "imrf":
            found["imrf_edition"] = ImrfEdition.objects.get(pk=int(pk))
        else:
            found["regional_review"] = RegionalReview.objects.get(pk=int(pk))
        return found


class PlanVersionForm(forms.Form):
    """A version of a national implementation plan: period, budget, health, summary."""

    period_start = forms.IntegerField(label=_("First year"), min_value=2000, max_value=2100)
    period_end = forms.IntegerField(label=_("Last year"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(
        required=False, min_value=0, max_digits=18, decimal_places=2, label=_("Budget")
    )
    currency = forms.CharField(required=False, max_length=3, label=_("Currency (ISO 4217)"))
    adopted_on = forms.DateField(
        required=False,
        label=_("Adopted on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    includes_migrant_health = forms.BooleanField(
        required=False, label=_("The plan includes migrants' health (GCM objective 15)")
    )
    summary = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), label=_("Summary")
    )


class NationalPlanForm(PlanVersionForm):
    """A new plan and its first version."""

    country = forms.ModelChoiceField(queryset=Country.objects.none(), label=_("Country"))
    title = forms.CharField(max_length=300, label=_("Title of the plan"))
    field_order = ["country", "title"]

    def __init__(self, *args, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = countries
        self.fields["country"].label_from_instance = _localized_label()


class PlanActionForm(forms.Form):
    title = forms.CharField(max_length=300, label=_("Action"))
    lead_ministry = forms.CharField(max_length=300, label=_("Lead ministry"))
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
    amount = forms.DecimalField(
        required=False, min_value=0, max_digits=18, decimal_places=2, label=_("Budget")
    )
    currency = forms.CharField(required=False, max_length=3, label=_("Currency (ISO 4217)"))
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Description")
    )

    def clean_gcm_actions(self) -> list[GcmAction]:
        return _codes_to_actions(self.cleaned_data["gcm_actions"])


class PlanProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=())
    progress_percent = forms.IntegerField(
        required=False, min_value=0, max_value=100, label=_("Progress (%)")
    )
    narrative = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("What was done"))

    def __init__(self, *args, **kwargs):
        from compacts.tracking.models import PlanActionStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = PlanActionStatus.choices


class NationalReviewForm(forms.Form):
    country = forms.ModelChoiceField(queryset=Country.objects.none(), label=_("Country"))
    title = forms.CharField(max_length=300, label=_("Title of the review"))
    forum = ForumField(help_text=_("The regional review or the IMRF the review is submitted to."))
    summary = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 5}), label=_("Summary")
    )

    def __init__(self, *args, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = countries
        self.fields["country"].label_from_instance = _localized_label()
        self.fields["forum"].load_choices()


class AttachmentForm(forms.Form):
    title = forms.CharField(required=False, max_length=300, label=_("Title of the file"))
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "One file up to 25 MB: txt, rtf, pdf, doc, docx, odt, ppt, pptx, odp, xls, xlsx, ods."
        ),
    )


class GcrPledgeForm(forms.Form):
    """A pledge made at the Global Refugee Forum (facts.md §2)."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Pledger"))
    title = forms.CharField(max_length=300, label=_("Title of the pledge"))
    pledge_type = forms.ChoiceField(label=_("Type of pledge"), choices=())
    forum_year = forms.IntegerField(
        label=_("Global Refugee Forum (year)"), min_value=2019, max_value=2100, initial=2023
    )
    gcr_objective = forms.ModelChoiceField(queryset=None, label=_("GCR objective"))
    areas = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label=_("Areas in need of support")
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label=_("Description"))
    country = forms.ModelChoiceField(
        queryset=Country.objects.filter(m49__isnull=False).order_by("name"),
        required=False,
        label=_("Country of implementation"),
    )
    amount = forms.DecimalField(
        required=False, min_value=0, max_digits=18, decimal_places=2, label=_("Amount")
    )
    currency = forms.CharField(required=False, max_length=3, label=_("Currency (ISO 4217)"))
    resettlement_places = forms.IntegerField(
        required=False, min_value=1, label=_("Resettlement places")
    )

    def __init__(self, *args, organisations, **kwargs):
        from compacts.framework.models import GcrArea, GcrObjective
        from compacts.tracking.models import GcrPledgeType

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0]
            self.fields["organisation"].empty_label = None
        self.fields["pledge_type"].choices = GcrPledgeType.choices
        self.fields["gcr_objective"].queryset = GcrObjective.objects.order_by("number")
        self.fields["gcr_objective"].label_from_instance = lambda o: (
            f"{o.number}. {_localized_label('title')(o)}"
        )
        self.fields["areas"].queryset = GcrArea.objects.order_by("code")
        self.fields["areas"].label_from_instance = lambda a: (
            f"{a.code} {_localized_label('title')(a)}"
        )
        self.fields["country"].label_from_instance = _localized_label()


class GcrPledgeUpdateForm(forms.Form):
    stage = forms.ModelChoiceField(queryset=None, label=_("Stage of progress"))
    narrative = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("What was done"))

    def __init__(self, *args, **kwargs):
        from compacts.tracking.models import GcrPledgeStage

        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = GcrPledgeStage.objects.all()


class RegistrationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    forum = ForumField()
    participant_name = forms.CharField(max_length=200, label=_("Name of the participant"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0]
            self.fields["organisation"].empty_label = None
        self.fields["forum"].load_choices()


class SubmissionForm(RegistrationForm):
    participant_name = None
    title = forms.CharField(max_length=300, label=_("Title"))
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 10}), label=_("Text"))
    objectives = forms.ModelMultipleChoiceField(
        queryset=GcmObjective.objects.order_by("number"), required=False, label=_("GCM objectives")
    )


class CommitmentForm(forms.Form):
    """A Progress Declaration commitment: the paragraph, what it says, who owns it, when it is
    due. On the edit page the IMRF edition can be changed too."""

    edition = forms.ModelChoiceField(
        queryset=ImrfEdition.objects.order_by("year"),
        label=_("International Migration Review Forum"),
        help_text=_("The forum whose Progress Declaration contains the paragraph."),
    )
    paragraph = forms.CharField(
        max_length=10,
        label=_("Paragraph"),
        help_text=_("Its number in the Progress Declaration, for example 70."),
    )
    title = forms.CharField(max_length=300, label=_("Title"))
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label=_("What the paragraph commits to"),
        help_text=_("A paraphrase of the paragraph."),
    )
    owner = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"),
        required=False,
        label=_("Owner organisation"),
    )
    owner_label = forms.CharField(
        max_length=300,
        required=False,
        label=_("Owner as named in the declaration"),
        help_text=_("For example: UN Secretary-General. Work starts once there is an owner."),
    )
    due_on = forms.DateField(
        required=False, label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    source_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Source")
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["edition"].help_text = _(
                "Move the commitment to another forum's Progress Declaration; its status and "
                "history stay."
            )


class CommitmentMoveForm(forms.Form):
    """The next state of a commitment, among those its state machine lets this person choose;
    a note (required to drop a commitment: the service says so)."""

    to = forms.ChoiceField(label=_("Next status"))
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Note"),
        help_text=_("Required when the commitment is dropped: say why."),
    )

    def __init__(self, *args, moves, **kwargs):
        super().__init__(*args, prefix="move", **kwargs)
        # Any value is accepted here: whether the move is allowed is the
        # service's decision (the state may have changed since the page was shown).
        self.fields["to"].choices = moves
        self.fields["to"].valid_value = lambda value: True


# --- The review cycle's reference rows (provisional, editable) -------------------------------

_STATUS_HELP = _(
    "Provisional: not yet confirmed in a cited source; shown with a “Provisional” badge. Mark "
    "it confirmed once checked."
)


def _status_field():
    from compacts.tracking.models import ReferenceStatus

    return forms.ChoiceField(
        choices=ReferenceStatus.choices, label=_("Status of the value"), help_text=_STATUS_HELP
    )


def _source_field():
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Source"),
        help_text=_("Where the value comes from: a document symbol or an address."),
    )


class ImrfEditionForm(forms.Form):
    year = forms.IntegerField(label=_("Year"))
    title = forms.CharField(max_length=200, label=_("Title"))
    starts_on = forms.DateField(
        required=False, label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        required=False, label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.CharField(max_length=200, required=False, label=_("Place"))
    status = _status_field()
    source_note = _source_field()


class RoundTableForm(forms.Form):
    number = forms.IntegerField(label=_("Round table number"))
    title = forms.CharField(max_length=300, required=False, label=_("Title"))
    objectives = forms.ModelMultipleChoiceField(
        queryset=GcmObjective.objects.order_by("number"),
        label=_("GCM objectives reviewed"),
        help_text=_("Each objective is reviewed by one round table of the forum."),
    )
    status = _status_field()
    source_note = _source_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objectives"].label_from_instance = lambda o: (
            f"{o.number}. {_localized_label('short_label')(o) or _localized_label('title')(o)}"
        )


#: The stage name's translations: ``names`` key and the label of its field.
STAGE_NAME_FIELDS = [
    ("fr", "name_fr", _("Name in French")),
    ("es", "name_es", _("Name in Spanish")),
    ("ar", "name_ar", _("Name in Arabic")),
    ("zh-hans", "name_zh_hans", _("Name in Chinese")),
    ("ru", "name_ru", _("Name in Russian")),
]


class GcrPledgeStageForm(forms.Form):
    """A stage of progress of GCR pledges; its code is given once, when it is created."""

    code = forms.CharField(
        max_length=40,
        label=_("Code"),
        help_text=_("Lower-case letters, digits and hyphens; it cannot change later."),
    )
    name = forms.CharField(max_length=200, label=_("Name in English"))
    sort_order = forms.IntegerField(
        label=_("Order"), initial=0, help_text=_("Stages are listed from the lowest number.")
    )
    status = _status_field()

    def __init__(self, *args, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["code"]
        for _language, name, label in STAGE_NAME_FIELDS:
            self.fields[name] = forms.CharField(max_length=200, required=False, label=label)
        self.order_fields(["code", "name", *[n for _l, n, _t in STAGE_NAME_FIELDS]])


class RegionalCommissionForm(forms.Form):
    """A UN regional commission; its code is given once, when it is created."""

    code = forms.CharField(
        max_length=10,
        label=_("Code"),
        help_text=_("Capital letters, for example ESCAP; it cannot change later."),
    )
    name = forms.CharField(max_length=200, label=_("Name in English"))
    status = _status_field()

    def __init__(self, *args, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["code"]
        for _language, name, label in STAGE_NAME_FIELDS:
            self.fields[name] = forms.CharField(max_length=200, required=False, label=label)
        self.order_fields(["code", "name", *[n for _l, n, _t in STAGE_NAME_FIELDS]])


class RegionalReviewForm(forms.Form):
    round = forms.IntegerField(
        label=_("Round"), help_text=_("1 for the reviews of 2020-21, 2 for those of 2024-25.")
    )
    year = forms.IntegerField(label=_("Year"))
    starts_on = forms.DateField(
        required=False, label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        required=False, label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.CharField(max_length=200, required=False, label=_("Place"))
    status = _status_field()
    source_note = _source_field()
