"""The ledger's services: what they post, and the bad input they refuse with nothing posted."""

import datetime

from django.test import TestCase

from compacts.core.exceptions import ApplicationError, ConflictError
from compacts.core.models import AuditRecord
from compacts.fund import services
from compacts.fund.models import (
    AccountCode,
    Commitment,
    Deposit,
    ExchangeRate,
    Posting,
    PostingKind,
    PostingLine,
)
from compacts.fund.selectors import (
    account_balance,
    commitment_list,
    factsheet_get,
    fund_cash_available,
    fund_reconcile,
    portfolio_totals,
)
from compacts.fund.services import Line, posting_create
from compacts.fund.tests import factories
from compacts.fund.tests.factories import DAY, D


class LedgerTestCase(TestCase):
    def assertNothingPosted(self, call, message: str, error=ApplicationError):
        """``call`` raises ``error`` with ``message`` and leaves the ledger and trail unchanged."""
        postings, lines, audits = (
            Posting.objects.count(),
            PostingLine.objects.count(),
            AuditRecord.objects.count(),
        )
        with self.assertRaisesMessage(error, message):
            call()
        self.assertEqual(Posting.objects.count(), postings)
        self.assertEqual(PostingLine.objects.count(), lines)
        self.assertEqual(AuditRecord.objects.count(), audits)


class DepositTests(LedgerTestCase):
    def setUp(self):
        self.fund, self.orgs = factories.fund()
        self.donor = factories.donor("Norway")
        factories.rate("EUR", "0.9")
        factories.rate("NOK", "10.5")
        self.commitment = services.commitment_create(
            fund=self.fund,
            donor=self.donor,
            amount=D("1000000"),
            currency="EUR",
            signed_on=DAY,
            actor=None,
            instalments=[(DAY, D("600000")), (DAY.replace(year=2026), D("400000"))],
        )

    def test_commitment_converts_at_signing_rate_and_posts_receivable(self):
        """1,000,000 EUR at 0.9 EUR per USD is USD 1,111,111.11 receivable from the donor."""
        self.assertEqual(self.commitment.amount_usd, D("1111111.11"))
        self.assertEqual(self.commitment.rate, D("0.9"))
        self.assertEqual(self.commitment.instalments.count(), 2)
        self.assertEqual(
            account_balance(
                fund=self.fund, code=AccountCode.COMMITMENTS_RECEIVABLE, party_id=self.donor.pk
            ),
            D("1111111.11"),
        )

    def test_deposit_posts_cash_fee_and_stores_its_conversion(self):
        """A deposit converts at its value date's rate, stores rate, source and date, and pays the
        1% fee from the cash."""
        deposit = services.deposit_create(
            commitment=self.commitment,
            amount=D("600000"),
            currency="EUR",
            value_date=DAY,
            actor=None,
            idempotency_key="bank-ref-1",
        )
        self.assertEqual(deposit.amount_usd, D("666666.67"))
        self.assertEqual(
            (deposit.rate, deposit.rate_source, deposit.rate_date),
            (D("0.9"), "test rate", DAY.replace(day=1)),
        )
        self.assertEqual(deposit.fee_usd, D("6666.67"))
        self.assertEqual(fund_cash_available(fund=self.fund), D("660000.00"))
        sheet = factsheet_get(fund=self.fund)
        self.assertEqual(sheet.totals["deposits"], D("666666.67"))
        self.assertEqual(sheet.totals["fee"], D("6666.67"))
        self.assertEqual(sheet.totals["undeposited_commitments"], D("444444.44"))
        self.assertTrue(AuditRecord.objects.filter(action="fund.deposit.create").exists())

    def test_commitment_difference_in_usd_is_shown(self):
        """When the euro moves, committed USD and deposited USD differ: the difference is shown."""
        factories.rate("EUR", "0.8", on=datetime.date(2025, 6, 1))
        services.deposit_create(
            commitment=self.commitment,
            amount=D("1000000"),
            currency="EUR",
            value_date=datetime.date(2025, 6, 10),
            actor=None,
            idempotency_key="k",
        )
        [row] = commitment_list(fund=self.fund)
        self.assertEqual(row["outstanding"], D("0"))
        self.assertEqual(row["deposited_usd"], D("1250000.00"))
        self.assertEqual(row["difference_usd"], D("-138888.89"))

    def test_missing_rate_is_refused_naming_it(self):
        self.assertNothingPosted(
            lambda: services.deposit_create(
                commitment=self.commitment,
                amount=D("100"),
                currency="EUR",
                value_date=datetime.date(2025, 4, 2),
                actor=None,
                idempotency_key="k",
            ),
            "No exchange rate for EUR on 2025-04-02: load the UN operational rate of exchange "
            "for EUR for 2025-04 first.",
        )

    def test_rate_of_an_earlier_month_is_not_used(self):
        """A rate set on 1 March is not in force on 1 April, even with no April rate."""
        with self.assertRaisesMessage(ApplicationError, "No exchange rate for NOK on 2025-04-01"):
            services.commitment_create(
                fund=self.fund,
                donor=self.donor,
                amount=D("5"),
                currency="NOK",
                signed_on=datetime.date(2025, 4, 1),
                actor=None,
            )

    def test_repeated_idempotency_key_is_refused(self):
        services.deposit_create(
            commitment=self.commitment,
            amount=D("100"),
            currency="EUR",
            value_date=DAY,
            actor=None,
            idempotency_key="bank-ref-9",
        )
        self.assertNothingPosted(
            lambda: services.deposit_create(
                commitment=self.commitment,
                amount=D("100"),
                currency="EUR",
                value_date=DAY,
                actor=None,
                idempotency_key="bank-ref-9",
            ),
            "This was already recorded: the idempotency key bank-ref-9",
            ConflictError,
        )
        self.assertEqual(Deposit.objects.count(), 1)

    def test_deposit_without_key_is_refused(self):
        self.assertNothingPosted(
            lambda: services.deposit_create(
                commitment=self.commitment,
                amount=D("100"),
                currency="EUR",
                value_date=DAY,
                actor=None,
                idempotency_key=" ",
            ),
            "A deposit needs an idempotency key",
        )

    def test_bad_amounts_are_refused(self):
        for amount, message in [
            (D("0"), "The amount must be greater than zero (got 0)."),
            (D("-5"), "The amount must be greater than zero (got -5)."),
            ("abc", "abc is not an amount."),
            ("NaN", "NaN is not an amount."),
            (D("1.001"), "An amount in EUR has at most 2 decimals (got 1.001)."),
            (1.5, "not floating-point numbers"),
        ]:
            with self.subTest(amount=amount):
                self.assertNothingPosted(
                    lambda amount=amount: services.deposit_create(
                        commitment=self.commitment,
                        amount=amount,
                        currency="EUR",
                        value_date=DAY,
                        actor=None,
                        idempotency_key="x",
                    ),
                    message,
                )

    def test_unknown_currency_is_refused(self):
        self.assertNothingPosted(
            lambda: services.commitment_create(
                fund=self.fund,
                donor=self.donor,
                amount=D("5"),
                currency="XYZ",
                signed_on=DAY,
                actor=None,
            ),
            "Unknown currency XYZ",
        )
        self.assertNothingPosted(
            lambda: services.deposit_create(
                commitment=self.commitment,
                amount=D("5"),
                currency="USD",
                value_date=DAY,
                actor=None,
                idempotency_key="x",
            ),
            "This commitment is in EUR; the deposit is in USD.",
        )

    def test_deposit_above_the_commitment_is_refused(self):
        self.assertNothingPosted(
            lambda: services.deposit_create(
                commitment=self.commitment,
                amount=D("1000000.01"),
                currency="EUR",
                value_date=DAY,
                actor=None,
                idempotency_key="x",
            ),
            "more than the 1000000.00 EUR the commitment still expects",
        )

    def test_instalments_must_add_up(self):
        with self.assertRaisesMessage(ApplicationError, "The instalments add up to 10.00, not to"):
            services.commitment_create(
                fund=self.fund,
                donor=self.donor,
                amount=D("11"),
                currency="USD",
                signed_on=DAY,
                actor=None,
                instalments=[(DAY, D("10"))],
            )
        self.assertEqual(Commitment.objects.count(), 1)

    def test_reversing_a_deposit_reverses_its_fee(self):
        deposit = services.deposit_create(
            commitment=self.commitment,
            amount=D("1000"),
            currency="EUR",
            value_date=DAY,
            actor=None,
            idempotency_key="k",
        )
        services.posting_reverse(posting=deposit.posting, actor=None, reason="wrong donor")
        sheet = factsheet_get(fund=self.fund)
        self.assertEqual((sheet.totals["deposits"], sheet.totals["fee"]), (D("0"), D("0")))
        self.assertEqual(fund_cash_available(fund=self.fund), D("0"))
        with self.assertRaisesMessage(ConflictError, "This posting was already reversed."):
            services.posting_reverse(posting=deposit.posting, actor=None, reason="again")
        _sheet, checks, unbalanced = fund_reconcile(fund=self.fund)
        self.assertEqual([c.name for c in checks if not c.ok], [])
        self.assertEqual(unbalanced, [])


class TransferTests(LedgerTestCase):
    def setUp(self):
        self.fund, self.orgs, self.donor, self.commitment, self.allocations = factories.funded(
            "1000.00"
        )

    def test_transfer_moves_cash_to_the_organisation(self):
        services.transfer_create(
            allocation=self.allocations[0],
            amount=D("400"),
            value_date=DAY,
            actor=None,
            idempotency_key="t1",
        )
        org = self.orgs[0]
        self.assertEqual(fund_cash_available(fund=self.fund), D("590.00"))
        self.assertEqual(
            account_balance(fund=self.fund, code=AccountCode.PO_BALANCE, party_id=org.pk), D("400")
        )
        self.assertEqual(
            account_balance(fund=self.fund, code=AccountCode.TRANSFERS, party_id=org.pk), D("400")
        )

    def test_transfer_above_available_balance_is_refused(self):
        self.assertNothingPosted(
            lambda: services.transfer_create(
                allocation=self.allocations[0],
                amount=D("990.01"),
                value_date=DAY,
                actor=None,
                idempotency_key="t1",
            ),
            "Not enough money: Cash held by the administrative agent holds 990.00 USD, "
            "990.01 USD are needed.",
        )

    def test_transfer_above_the_allocation_is_refused(self):
        allocation = services.allocation_create(
            fund=self.fund,
            organisation=self.orgs[0],
            amount=D("10"),
            purpose="small",
            decided_on=DAY,
            actor=None,
        )
        self.assertNothingPosted(
            lambda: services.transfer_create(
                allocation=allocation,
                amount=D("10.01"),
                value_date=DAY,
                actor=None,
                idempotency_key="t",
            ),
            "The transfer of 10.01 is more than the 10.00 left of the allocation.",
        )

    def test_organisation_outside_the_fund_is_refused(self):
        outsider = factories.organisation("Outsider")
        self.assertNothingPosted(
            lambda: services.allocation_create(
                fund=self.fund,
                organisation=outsider,
                amount=D("10"),
                purpose="x",
                decided_on=DAY,
                actor=None,
            ),
            "Outsider is not a participating organisation of",
        )
        self.assertNothingPosted(
            lambda: services.expenditure_report(
                fund=self.fund, organisation=outsider, amount=D("1"), value_date=DAY, actor=None
            ),
            "Outsider is not a participating organisation of",
        )

    def test_expenditure_from_the_wrong_organisation_is_refused(self):
        services.transfer_create(
            allocation=self.allocations[0],
            amount=D("100"),
            value_date=DAY,
            actor=None,
            idempotency_key="t",
        )
        self.assertNothingPosted(
            lambda: services.expenditure_report(
                fund=self.fund,
                organisation=self.orgs[0],
                reported_for=self.orgs[1],
                amount=D("1"),
                value_date=DAY,
                actor=None,
            ),
            f"{self.orgs[1]} cannot report expenditure for {self.orgs[0]}",
        )

    def test_expenditure_above_the_organisation_balance_is_refused(self):
        services.transfer_create(
            allocation=self.allocations[0],
            amount=D("100"),
            value_date=DAY,
            actor=None,
            idempotency_key="t",
        )
        self.assertNothingPosted(
            lambda: services.expenditure_report(
                fund=self.fund,
                organisation=self.orgs[0],
                amount=D("100.01"),
                value_date=DAY,
                actor=None,
            ),
            "Not enough money: Balance with the participating organisation holds 100.00 USD",
        )

    def test_full_cycle_reconciles(self):
        a = self.allocations[0]
        services.transfer_create(
            allocation=a, amount=D("500"), value_date=DAY, actor=None, idempotency_key="t"
        )
        services.expenditure_report(
            fund=self.fund, organisation=a.organisation, amount=D("300"), value_date=DAY, actor=None
        )
        services.interest_record(fund=self.fund, amount=D("2.50"), value_date=DAY, actor=None)
        services.interest_record(
            fund=self.fund,
            organisation=a.organisation,
            amount=D("1.25"),
            value_date=DAY,
            actor=None,
        )
        services.refund_record(allocation=a, amount=D("50"), value_date=DAY, actor=None)
        services.direct_cost_record(fund=self.fund, amount=D("20"), value_date=DAY, actor=None)
        services.bank_charge_record(fund=self.fund, amount=D("0.35"), value_date=DAY, actor=None)
        sheet, checks, unbalanced = fund_reconcile(fund=self.fund)
        self.assertEqual([c.name for c in checks if not c.ok], [])
        self.assertEqual(unbalanced, [])
        t = sheet.totals
        self.assertEqual(
            t["balance_with_aa"],
            D("1000") - D("10") + D("2.50") - D("500") + D("50") - D("20") - D("0.35"),
        )
        self.assertEqual(t["balance_with_pos"], D("500") - D("50") + D("1.25") - D("300"))
        self.assertEqual(t["delivery_rate"], D("66.67"))  # 300 / 450
        [org_row] = sheet.by_organisation
        self.assertEqual(org_row["balance"], D("151.25"))
        # The portfolio selector gives every fund's totals in one query, and the same figures.
        other, _orgs = factories.fund()
        services.interest_record(fund=other, amount=D("7"), value_date=DAY, actor=None)
        with self.assertNumQueries(1):
            portfolio = portfolio_totals()
        self.assertEqual(portfolio[self.fund.pk], t)
        self.assertEqual(portfolio[other.pk]["interest_fund"], D("7"))

    def test_reversing_a_transfer_needs_the_organisation_balance(self):
        a = self.allocations[0]
        transfer = services.transfer_create(
            allocation=a, amount=D("500"), value_date=DAY, actor=None, idempotency_key="t"
        )
        services.expenditure_report(
            fund=self.fund, organisation=a.organisation, amount=D("1"), value_date=DAY, actor=None
        )
        self.assertNothingPosted(
            lambda: services.posting_reverse(posting=transfer, actor=None, reason="error"),
            "Not enough money: Balance with the participating organisation holds 499.00 USD",
        )


class PostingCreateTests(LedgerTestCase):
    def setUp(self):
        self.fund, _orgs = factories.fund()

    def test_unbalanced_posting_is_refused(self):
        from django.db import transaction

        def post():
            with transaction.atomic():
                posting_create(
                    fund=self.fund,
                    kind=PostingKind.INTEREST,
                    value_date=DAY,
                    actor=None,
                    lines=[
                        Line(AccountCode.CASH, D("1.00")),
                        Line(AccountCode.INTEREST, D("-0.99")),
                    ],
                )

        self.assertNothingPosted(post, "The posting does not balance")

    def test_ledger_rows_cannot_be_changed_or_deleted(self):
        services.interest_record(fund=self.fund, amount=D("1"), value_date=DAY, actor=None)
        posting = Posting.objects.get()
        line = posting.lines.first()
        line.amount = D("2")
        for call in (
            line.save,
            line.delete,
            posting.delete,
            lambda: PostingLine.objects.update(amount=D("3")),
            lambda: Posting.objects.all().delete(),
        ):
            with self.subTest(call=call), self.assertRaisesMessage(TypeError, "append-only"):
                call()
        self.assertEqual(PostingLine.objects.get(pk=line.pk).amount, D("1"))
        self.assertFalse(hasattr(services, "posting_update") or hasattr(services, "posting_delete"))


class ExchangeRateLoadTests(LedgerTestCase):
    def test_load_is_all_or_nothing_and_names_the_line(self):
        text = "currency,effective_on,rate\nEUR,2025-01-01,0.95\nGBP,2025-01-01,-1\n"
        with self.assertRaisesMessage(
            ApplicationError, "Line 3: An exchange rate must be a number greater than zero"
        ):
            services.exchange_rates_load_csv(text=text, source="UN", actor=None)
        self.assertFalse(ExchangeRate.objects.exists())
        with self.assertRaisesMessage(ApplicationError, "Line 2: Unknown currency EUX"):
            services.exchange_rates_load_csv(
                text="currency,effective_on,rate\nEUX,2025-01-01,1\n", source="UN", actor=None
            )
        with self.assertRaisesMessage(ApplicationError, "lacks the column(s): rate"):
            services.exchange_rates_load_csv(
                text="currency,effective_on\n", source="UN", actor=None
            )

    def test_load_good_file(self):
        text = "currency,effective_on,rate\nEUR,2025-01-01,0.95\neur,2025-01-15,0.951\n"
        self.assertEqual(
            services.exchange_rates_load_csv(text=text, source="UN treasury", actor=None), 2
        )
        self.assertEqual(ExchangeRate.objects.filter(currency="EUR").count(), 2)
