"""The fund's money: funds, contributions, exchange rates, allocations and the double-entry ledger.

The ledger (``Posting`` and ``PostingLine``) is append-only: rows are written once by
``compacts.fund.services.posting_create`` and never updated or deleted; a correction is a
reversing posting. Balances are sums over the lines (``compacts.fund.selectors``), never stored.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from compacts.core.models import BaseModel
from compacts.core.money import AMOUNT_DIGITS, AMOUNT_PLACES, RATE_DIGITS, RATE_PLACES


def _amount(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES, **kwargs)


class AppendOnlyQuerySet(models.QuerySet):
    """Ledger rows are never changed in bulk either."""

    def update(self, **kwargs):
        raise TypeError("Ledger records are append-only: they are never updated.")

    def delete(self):
        raise TypeError("Ledger records are append-only: they are never deleted.")


class AppendOnlyModel(models.Model):
    """A row that is written once: saving an existing row or deleting one raises ``TypeError``."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Ledger records are append-only: they are never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Ledger records are append-only: they are never deleted.")


class Fund(BaseModel):
    """A pooled fund (the Migration MPTF is ``MIG00``).

    The fee and indirect-support-cost rates are data, not code: ../shared/domain/facts.md does
    not confirm them, so an administrator edits them (audited through ``fund_update``).
    """

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=300)
    administrative_agent = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="administered_funds"
    )
    currency = models.CharField(max_length=3, default="USD")
    fee_rate = models.DecimalField(
        max_digits=6,
        decimal_places=4,
        default=Decimal("0.0100"),
        help_text="Administrative agent fee, as a fraction of each deposit (0.01 = 1%).",
    )
    indirect_support_cost_rate = models.DecimalField(
        max_digits=6,
        decimal_places=4,
        default=Decimal("0.0700"),
        help_text="Indirect support cost rate of programme budgets (0.07 = 7%).",
    )
    rates_confirmed = models.BooleanField(
        default=False, help_text="Whether an administrator has confirmed the two rates."
    )
    is_illustrative = models.BooleanField(default=False)
    is_synthetic = models.BooleanField(default=False, help_text="Made by `compacts seed`.")

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fee_rate__gte=0, fee_rate__lt=1), name="fund_fee_rate_range"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    indirect_support_cost_rate__gte=0, indirect_support_cost_rate__lt=1
                ),
                name="fund_isc_rate_range",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class FundParticipant(BaseModel):
    """A participating (UN) organisation of a fund: the only organisations it may transfer to."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="participants")
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="fund_participations"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fund", "organisation"], name="fund_participant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.fund} · {self.organisation}"


class ExchangeRate(BaseModel):
    """Units of ``currency`` per one US dollar from ``effective_on`` to the end of that month (the
    UN operational rates of exchange are set monthly, sometimes revised within the month)."""

    currency = models.CharField(max_length=3)
    effective_on = models.DateField()
    rate = models.DecimalField(max_digits=RATE_DIGITS, decimal_places=RATE_PLACES)
    source = models.CharField(max_length=200)
    is_illustrative = models.BooleanField(default=False)

    class Meta:
        ordering = ["currency", "effective_on"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "effective_on"], name="rate_unique"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.rate} ({self.effective_on})"


class Pledge(BaseModel):
    """An announced contribution: no money and no agreement yet, so nothing is posted."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="pledges")
    donor = models.ForeignKey("actors.Organisation", on_delete=models.PROTECT, related_name="+")
    amount = _amount()
    currency = models.CharField(max_length=3)
    announced_on = models.DateField()
    note = models.CharField(max_length=500, blank=True)
    is_illustrative = models.BooleanField(default=False)

    class Meta:
        ordering = ["-announced_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="pledge_positive")
        ]

    def __str__(self) -> str:
        return f"{self.donor} {self.amount} {self.currency}"


class Commitment(AppendOnlyModel):
    """A signed contribution agreement. Its USD value uses the rate of the signing date."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="commitments")
    donor = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="fund_commitments"
    )
    amount = _amount()
    currency = models.CharField(max_length=3)
    signed_on = models.DateField()
    rate = models.DecimalField(max_digits=RATE_DIGITS, decimal_places=RATE_PLACES)
    rate_source = models.CharField(max_length=200)
    rate_date = models.DateField()
    amount_usd = _amount()
    thematic_area = models.ForeignKey(
        "framework.ThematicArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Soft earmark: a wish of the donor, not a restriction on the money.",
    )
    reference = models.CharField(max_length=100, blank=True)
    posting = models.OneToOneField("Posting", on_delete=models.PROTECT, related_name="commitment")
    is_illustrative = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["signed_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="commitment_positive")
        ]

    def __str__(self) -> str:
        return f"{self.fund} · {self.donor} · {self.amount} {self.currency}"


class CommitmentInstalment(AppendOnlyModel):
    """One expected payment of a commitment (the schedule sums to the commitment)."""

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="instalments")
    due_on = models.DateField()
    amount = _amount()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.due_on} {self.amount}"


class Deposit(AppendOnlyModel):
    """Money received from a donor against a commitment, with the conversion it used."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="deposits")
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="deposits")
    donor = models.ForeignKey("actors.Organisation", on_delete=models.PROTECT, related_name="+")
    amount = _amount()
    currency = models.CharField(max_length=3)
    value_date = models.DateField()
    rate = models.DecimalField(max_digits=RATE_DIGITS, decimal_places=RATE_PLACES)
    rate_source = models.CharField(max_length=200)
    rate_date = models.DateField()
    amount_usd = _amount()
    fee_usd = _amount()
    posting = models.OneToOneField("Posting", on_delete=models.PROTECT, related_name="deposit")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["value_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="deposit_positive")
        ]

    def __str__(self) -> str:
        return f"{self.donor} {self.amount} {self.currency} ({self.value_date})"


class Allocation(BaseModel):
    """Money the fund's governance decided to give a participating organisation for a purpose.

    Until the programme cycle links allocations to joint programmes, ``source_type`` and
    ``source_id`` name whatever the allocation comes from (for example ``programmes.jointprogramme``
    and its id); transfers are made against an allocation with ``transfer_create``.
    """

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="allocations")
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="fund_allocations"
    )
    amount = _amount()
    purpose = models.CharField(max_length=500)
    source_type = models.CharField(max_length=100, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    decided_on = models.DateField()
    is_illustrative = models.BooleanField(default=False)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["decided_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="allocation_positive")
        ]
        indexes = [models.Index(fields=["source_type", "source_id"], name="allocation_source_idx")]

    def __str__(self) -> str:
        return f"{self.fund} · {self.organisation} · {self.purpose[:60]}"


class AccountCode(models.TextChoices):
    """The chart of accounts of every fund (docs/fund.md, "Accounts")."""

    CASH = "cash", _("Cash held by the administrative agent")
    COMMITMENTS_RECEIVABLE = "commitments-receivable", _("Commitments receivable")
    CONTRIBUTIONS = "contributions", _("Contributions committed")
    INTEREST = "interest", _("Interest earned")
    AA_FEE = "aa-fee", _("Administrative agent fee")
    DIRECT_COSTS = "direct-costs", _("Direct costs")
    BANK_CHARGES = "bank-charges", _("Bank charges")
    TRANSFERS = "transfers", _("Transfers to participating organisations")
    REFUNDS = "refunds", _("Refunds from participating organisations")
    PO_BALANCE = "po-balance", _("Balance with the participating organisation")
    PO_FUNDING = "po-funding", _("Funds received by the participating organisation")
    PO_EXPENDITURE = "po-expenditure", _("Expenditure reported by the participating organisation")


# Accounts whose balance must never go below zero (checked under lock by posting_create).
NON_NEGATIVE_ACCOUNTS = {AccountCode.CASH, AccountCode.PO_BALANCE}
# Accounts kept per party: the donor for contributions, the organisation for the others
# (interest without a party is the fund's own).
PARTY_ACCOUNTS = {
    AccountCode.INTEREST,
    AccountCode.COMMITMENTS_RECEIVABLE,
    AccountCode.CONTRIBUTIONS,
    AccountCode.TRANSFERS,
    AccountCode.REFUNDS,
    AccountCode.PO_BALANCE,
    AccountCode.PO_FUNDING,
    AccountCode.PO_EXPENDITURE,
}


class Account(BaseModel):
    """One account of a fund's ledger, optionally kept for one party (donor or organisation)."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="accounts")
    code = models.CharField(max_length=30, choices=AccountCode.choices)
    party = models.ForeignKey(
        "actors.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["fund", "code", "party"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "code", "party"], name="account_unique_with_party"
            ),
            models.UniqueConstraint(
                fields=["fund", "code"],
                condition=models.Q(party__isnull=True),
                name="account_unique_without_party",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund} {self.code}" + (f" [{self.party}]" if self.party_id else "")


class PostingKind(models.TextChoices):
    """What happened. Each line carries its posting's kind, so figures are sliced in one query."""

    COMMITMENT = "commitment", _("Commitment")
    DEPOSIT = "deposit", _("Deposit")
    FEE = "fee", _("Administrative agent fee")
    INTEREST = "interest", _("Interest")
    TRANSFER = "transfer", _("Transfer")
    REFUND = "refund", _("Refund")
    DIRECT_COST = "direct-cost", _("Direct cost")
    BANK_CHARGE = "bank-charge", _("Bank charge")
    EXPENDITURE = "expenditure", _("Expenditure")


class Posting(AppendOnlyModel):
    """One financial event: a set of lines whose debits equal their credits in each currency."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="postings")
    kind = models.CharField(max_length=20, choices=PostingKind.choices)
    value_date = models.DateField()
    description = models.CharField(max_length=500, blank=True)
    donor = models.ForeignKey(
        "actors.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "actors.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    allocation = models.ForeignKey(
        Allocation, null=True, blank=True, on_delete=models.PROTECT, related_name="postings"
    )
    idempotency_key = models.CharField(max_length=100, blank=True)
    reversal_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    related_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="related_postings",
        help_text="The posting this one belongs with (a deposit's fee).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["value_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="posting_idempotency_key_unique",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.value_date}"


class PostingLine(AppendOnlyModel):
    """One debit (positive amount) or credit (negative amount) to an account.

    ``fund``, ``kind`` and ``value_date`` repeat the posting's: lines are written once, so the
    copy cannot drift, and the factsheet aggregates the lines without a join.
    """

    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=PostingKind.choices)
    value_date = models.DateField()
    amount = _amount()
    currency = models.CharField(max_length=3)

    class Meta:
        ordering = ["posting", "pk"]
        constraints = [models.CheckConstraint(condition=~models.Q(amount=0), name="line_not_zero")]
        indexes = [
            models.Index(fields=["fund", "value_date"], name="line_fund_date_idx"),
            models.Index(fields=["account", "value_date"], name="line_account_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.amount} {self.currency}"
