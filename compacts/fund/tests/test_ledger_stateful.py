"""Property-based, stateful: random sequences of contributions, deposits, transfers, refunds,
expenditure and reversals against a small independent model kept here.

After every step: every posting balances, no cash or organisation balance is negative, every
identity of ``fund reconcile`` holds, and the factsheet's totals equal the model's.
"""

from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from compacts.core.exceptions import ApplicationError
from compacts.fund import services
from compacts.fund.selectors import fund_reconcile
from compacts.fund.tests import factories
from compacts.fund.tests.factories import DAY

EUR_PER_USD = Decimal("0.9137")
CENTS = st.integers(min_value=1, max_value=5_000_000).map(lambda c: Decimal(c) / 100)


def model_usd(amount: Decimal, currency: str) -> Decimal:
    """The model's own conversion: one division, rounded half-even to the cent."""
    value = amount if currency == "USD" else amount / EUR_PER_USD
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


def model_fee(usd: Decimal) -> Decimal:
    return (usd * Decimal("0.01")).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


class LedgerMachine(RuleBasedStateMachine):
    @initialize()
    def setup(self):
        self.fund, self.orgs = factories.fund(participants=2)
        factories.rate("EUR", str(EUR_PER_USD))
        self.donor = factories.donor()
        self.allocations = [
            services.allocation_create(
                fund=self.fund,
                organisation=org,
                amount=Decimal("200000"),
                purpose="p",
                decided_on=DAY,
                actor=None,
            )
            for org in self.orgs
        ]
        self.keys = 0
        # The independent model.
        self.totals = defaultdict(lambda: Decimal("0"))
        self.cash = Decimal("0")
        self.po = {org.pk: Decimal("0") for org in self.orgs}
        self.allocated_out = {a.pk: Decimal("0") for a in self.allocations}
        self.commitments = []  # [commitment, outstanding in its currency]
        self.reversible = []  # (posting, effects dict) not yet reversed

    def key(self) -> str:
        self.keys += 1
        return f"{self.fund.code}-{self.keys}"

    def apply(self, effects: dict, sign: int = 1) -> None:
        for name, value in effects.items():
            if name == "cash":
                self.cash += sign * value
            elif name.startswith("po:"):
                self.po[int(name[3:])] += sign * value
            elif name.startswith("alloc:"):
                self.allocated_out[int(name[6:])] += sign * value
            else:
                self.totals[name] += sign * value

    @rule(amount=CENTS, currency=st.sampled_from(["USD", "EUR"]))
    def commit(self, amount, currency):
        commitment = services.commitment_create(
            fund=self.fund,
            donor=self.donor,
            amount=amount,
            currency=currency,
            signed_on=DAY,
            actor=None,
        )
        self.commitments.append([commitment, amount])
        self.totals["commitments"] += model_usd(amount, currency)

    @precondition(lambda self: self.commitments)
    @rule(data=st.data(), share=st.integers(min_value=1, max_value=120))
    def deposit(self, data, share):
        entry = data.draw(st.sampled_from(self.commitments))
        commitment, outstanding = entry
        amount = (commitment.amount * share / 100).quantize(Decimal("0.01"))
        if amount <= 0:
            return
        if amount > outstanding:
            with self._refused("more than the"):
                services.deposit_create(
                    commitment=commitment,
                    amount=amount,
                    currency=commitment.currency,
                    value_date=DAY,
                    actor=None,
                    idempotency_key=self.key(),
                )
            return
        deposit = services.deposit_create(
            commitment=commitment,
            amount=amount,
            currency=commitment.currency,
            value_date=DAY,
            actor=None,
            idempotency_key=self.key(),
        )
        usd = model_usd(amount, commitment.currency)
        fee = model_fee(usd)
        effects = {"deposits": usd, "fee": fee, "cash": usd - fee}
        self.apply(effects)
        entry[1] -= amount
        self.reversible.append((deposit.posting, {**effects, "_commitment": (entry, amount)}))

    @rule(index=st.integers(0, 1), amount=CENTS)
    def transfer(self, index, amount):
        allocation = self.allocations[index]
        remaining = allocation.amount - self.allocated_out[allocation.pk]
        call = lambda: services.transfer_create(  # noqa: E731
            allocation=allocation,
            amount=amount,
            value_date=DAY,
            actor=None,
            idempotency_key=self.key(),
        )
        if amount > remaining:
            with self._refused("left of the allocation"):
                call()
        elif amount > self.cash:
            with self._refused("Not enough money"):
                call()
        else:
            org = allocation.organisation_id
            effects = {
                "transfers": amount,
                "cash": -amount,
                f"po:{org}": amount,
                f"alloc:{allocation.pk}": amount,
            }
            self.apply(effects)
            self.reversible.append((call(), effects))

    @rule(index=st.integers(0, 1), amount=CENTS)
    def refund(self, index, amount):
        allocation = self.allocations[index]
        org = allocation.organisation_id

        def call():
            return services.refund_record(
                allocation=allocation, amount=amount, value_date=DAY, actor=None
            )

        if amount > self.allocated_out[allocation.pk]:
            with self._refused("transferred for this allocation"):
                call()
        elif amount > self.po[org]:
            with self._refused("Not enough money"):
                call()
        else:
            effects = {
                "refunds": amount,
                "cash": amount,
                f"po:{org}": -amount,
                f"alloc:{allocation.pk}": -amount,
            }
            self.apply(effects)
            self.reversible.append((call(), effects))

    @rule(index=st.integers(0, 1), amount=CENTS)
    def expenditure(self, index, amount):
        org = self.orgs[index]

        def call():
            return services.expenditure_report(
                fund=self.fund, organisation=org, amount=amount, value_date=DAY, actor=None
            )

        if amount > self.po[org.pk]:
            with self._refused("Not enough money"):
                call()
        else:
            effects = {"expenditure": amount, f"po:{org.pk}": -amount}
            self.apply(effects)
            self.reversible.append((call(), effects))

    @rule(amount=CENTS, by_org=st.booleans())
    def interest(self, amount, by_org):
        org = self.orgs[0] if by_org else None
        posting = services.interest_record(
            fund=self.fund, organisation=org, amount=amount, value_date=DAY, actor=None
        )
        effects = (
            {"interest_po": amount, f"po:{org.pk}": amount}
            if org
            else {"interest_fund": amount, "cash": amount}
        )
        self.apply(effects)
        self.reversible.append((posting, effects))

    @rule(amount=CENTS, bank=st.booleans())
    def charge(self, amount, bank):
        record = services.bank_charge_record if bank else services.direct_cost_record
        name = "bank_charges" if bank else "direct_costs"
        if amount > self.cash:
            with self._refused("Not enough money"):
                record(fund=self.fund, amount=amount, value_date=DAY, actor=None)
            return
        posting = record(fund=self.fund, amount=amount, value_date=DAY, actor=None)
        effects = {name: amount, "cash": -amount}
        self.apply(effects)
        self.reversible.append((posting, effects))

    @precondition(lambda self: self.reversible)
    @rule(data=st.data())
    def reverse(self, data):
        posting, effects = data.draw(st.sampled_from(self.reversible))
        money = {k: v for k, v in effects.items() if not k.startswith("_")}
        would_be_negative = self.cash - money.get("cash", 0) < 0 or any(
            self.po[int(k[3:])] - v < 0 for k, v in money.items() if k.startswith("po:")
        )
        if would_be_negative:
            with self._refused("Not enough money"):
                services.posting_reverse(posting=posting, actor=None, reason="test")
            return
        services.posting_reverse(posting=posting, actor=None, reason="test")
        self.apply(money, sign=-1)
        if "_commitment" in effects:
            entry, amount = effects["_commitment"]
            entry[1] += amount
        self.reversible.remove((posting, effects))

    def _refused(self, message):
        return _Refused(message)

    @invariant()
    def ledger_agrees_with_the_model(self):
        if not hasattr(self, "fund"):
            return
        sheet, checks, unbalanced = fund_reconcile(fund=self.fund)
        assert unbalanced == []
        assert [c.name for c in checks if not c.ok] == []
        t = sheet.totals
        for name in [
            "commitments",
            "deposits",
            "fee",
            "transfers",
            "refunds",
            "expenditure",
            "interest_fund",
            "interest_po",
            "direct_costs",
            "bank_charges",
        ]:
            assert t[name] == self.totals[name], (name, t[name], self.totals[name])
        assert t["balance_with_aa"] == self.cash >= 0
        assert t["balance_with_pos"] == sum(self.po.values())
        for row in sheet.by_organisation:
            assert row["balance"] == self.po[row["id"]] >= 0


class _Refused:
    """Expect an ApplicationError whose message contains ``message``; nothing else may happen."""

    def __init__(self, message):
        self.message = message

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        assert kind is not None, f"expected refusal: {self.message}"
        assert issubclass(kind, ApplicationError), f"expected refusal: {self.message}"
        assert self.message in error.message, (self.message, error.message)
        return True


class LedgerStatefulTests(TestCase):
    def test_random_sequences_keep_the_ledger_right(self):
        """Random sequences of every money movement keep the ledger equal to the model."""
        run_state_machine_as_test(
            LedgerMachine,
            settings=settings(
                max_examples=15,
                stateful_step_count=25,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
