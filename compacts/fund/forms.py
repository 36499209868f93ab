"""Forms of the fund's screens. They check the shape of the input; the services check the rest
(and refuse with a message the page shows next to the form)."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

AMOUNT_HELP = _("In the currency shown, with a dot for decimals, e.g. 1250.00.")


def new_key() -> str:
    return uuid.uuid4().hex


class _MoneyForm(forms.Form):
    amount = forms.RegexField(
        label=_("Amount"),
        regex=r"^\d{1,18}(\.\d{1,3})?$",
        help_text=AMOUNT_HELP,
        error_messages={"invalid": _("Enter an amount such as 1250.00.")},
    )
    value_date = forms.DateField(
        label=_("Value date"),
        widget=forms.DateInput(attrs={"type": "date"}),
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
    field_order = ["organisation", "amount", "value_date", "idempotency_key"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, str(o)) for o in organisations]
