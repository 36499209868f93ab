"""Forms of the fund's screens. They check the shape of the input; the services check the rest
(and refuse with a message the page shows next to the form)."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

AMOUNT_HELP = _("In the currency shown, with a dot for decimals, e.g. 1250.00.")


class DateInput(forms.DateInput):
    """A date picker whose value is always ISO 8601, whatever the language: a localised value
    (14/03/2025) would show as empty in ``<input type="date">`` and lose what was typed."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def new_key() -> str:
    return uuid.uuid4().hex


def _amount_field() -> forms.RegexField:
    return forms.RegexField(
        label=_("Amount"),
        regex=r"^\d{1,18}(\.\d{1,3})?$",
        help_text=AMOUNT_HELP,
        error_messages={"invalid": _("Enter an amount such as 1250.00.")},
    )


class _MoneyForm(forms.Form):
    amount = _amount_field()
    value_date = forms.DateField(
        label=_("Value date"),
        widget=DateInput(),
    )
    # A new key each time the form is shown: submitting the same page twice is refused.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)


class DepositForm(_MoneyForm):
    commitment = forms.TypedChoiceField(label=_("Commitment"), coerce=int)
    field_order = ["commitment", "amount", "value_date", "idempotency_key"]

    def __init__(self, *args, commitments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].choices = [
            (c.pk, f"{c.donor} · {c.amount:,} {c.currency} · {c.signed_on:%Y-%m-%d}")
            for c in commitments
        ]


class TransferForm(_MoneyForm):
    allocation = forms.TypedChoiceField(label=_("Allocation"), coerce=int)
    field_order = ["allocation", "amount", "value_date", "idempotency_key"]

    def __init__(self, *args, allocations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allocation"].choices = [
            (a.pk, f"{a.organisation} · {a.purpose[:60]} · {a.amount:,}") for a in allocations
        ]


class ExpenditureForm(_MoneyForm):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    allocation = forms.TypedChoiceField(
        label=_("Allocation"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("The programme the money was spent on; it must be your organisation's."),
    )
    field_order = ["organisation", "allocation", "amount", "value_date", "idempotency_key"]

    def __init__(self, *args, organisations, allocations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, str(o)) for o in organisations]
        self.fields["allocation"].choices = [
            ("", _("None")),
            *((a.pk, f"{a.organisation} · {a.purpose[:60]} · {a.amount:,}") for a in allocations),
        ]


class CommitmentForm(forms.Form):
    donor = forms.TypedChoiceField(label=_("Donor"), coerce=int)
    amount = _amount_field()
    currency = forms.CharField(
        label=_("Currency"),
        min_length=3,
        max_length=3,
        help_text=_("ISO 4217 code of the agreement's currency, such as USD, EUR or SEK."),
    )
    signed_on = forms.DateField(label=_("Signing date"), widget=DateInput())
    reference = forms.CharField(label=_("Agreement reference"), max_length=100, required=False)
    thematic_area = forms.TypedChoiceField(
        label=_("Soft earmark (thematic area)"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("A wish of the donor, not a restriction on the money."),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, donors, thematic_areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor"].choices = [("", "—"), *((o.pk, str(o)) for o in donors)]
        self.fields["thematic_area"].choices = [
            ("", _("None")),
            *((t.pk, str(t)) for t in thematic_areas),
        ]

    def clean_currency(self) -> str:
        return self.cleaned_data["currency"].strip().upper()


class InstalmentForm(forms.Form):
    """One row of a commitment's schedule; a row left blank is ignored."""

    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput())
    amount = forms.RegexField(
        label=_("Amount due"),
        regex=r"^\d{1,18}(\.\d{1,3})?$",
        required=False,
        error_messages={"invalid": _("Enter an amount such as 1250.00.")},
    )

    def clean(self):
        data = super().clean()
        due_on, amount = data.get("due_on"), data.get("amount")
        if bool(due_on) != bool(amount) and not self.errors:
            raise forms.ValidationError(_("Give both the date and the amount, or neither."))
        return data


def instalment_formset(data=None, *, rows: int = 3, initial=None):
    """The schedule's rows: ``rows`` empty rows after ``initial`` (typed rows kept)."""
    factory = forms.formset_factory(InstalmentForm, extra=rows, max_num=60, validate_max=True)
    return factory(data, prefix="instalments", initial=initial)


class RefundForm(_MoneyForm):
    allocation = forms.TypedChoiceField(label=_("Allocation"), coerce=int)
    field_order = ["allocation", "amount", "value_date", "idempotency_key"]

    def __init__(self, *args, allocations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allocation"].choices = [
            ("", "—"),
            *((a.pk, f"{a.organisation} · {a.purpose[:60]} · {a.amount:,}") for a in allocations),
        ]


class InterestForm(_MoneyForm):
    organisation = forms.TypedChoiceField(
        label=_("Earned by"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_(
            "The fund itself (on the cash the administrative agent holds), or a participating "
            "organisation on the balance it holds."
        ),
    )
    description = forms.CharField(label=_("Description"), max_length=500, required=False)
    field_order = ["organisation", "amount", "value_date", "description", "idempotency_key"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            ("", _("The fund")),
            *((o.pk, str(o)) for o in organisations),
        ]


class ChargeForm(_MoneyForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("bank-charge", _("Bank charge")), ("direct-cost", _("Direct cost"))],
    )
    description = forms.CharField(label=_("Description"), max_length=500, required=False)
    field_order = ["kind", "amount", "value_date", "description", "idempotency_key"]


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it reversed?"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the ledger and the audit trail."),
    )
    value_date = forms.DateField(
        label=_("Value date of the reversal"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave blank to use the original posting's value date."),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)


class RatesUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Rates file (CSV)"),
        required=False,
        help_text=_("Columns currency,effective_on,rate and optionally source; one row a rate."),
    )
    text = forms.CharField(
        label=_("Or paste the rows"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "ltr"}),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        initial="UN operational rates of exchange",
        help_text=_("Used for rows without a source column."),
    )

    MAX_BYTES = 2_000_000

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > self.MAX_BYTES:
                raise forms.ValidationError(_("The file is larger than 2 MB."))
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
        if not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a file or paste the rows."))
        return data
