"""``compacts seed --small``: synthetic funds through the services, labelled, resumable, and
every one reconciles."""

import io

from django.core.management import call_command
from django.test import TestCase

from compacts.fund.models import Allocation, Fund, Posting


class SeedTests(TestCase):
    def test_small_seed_reconciles_and_reruns(self):
        out = io.StringIO()
        call_command("seed", "--scale", "0.01", "--small", stdout=out)
        funds = list(Fund.objects.filter(is_synthetic=True))
        self.assertEqual([f.code for f in funds], ["SYN0001", "SYN0002"])
        self.assertTrue(all(f.name.startswith("Synthetic") for f in funds))
        self.assertTrue(Allocation.objects.filter(is_synthetic=True).exists())
        self.assertIn("2/2 synthetic funds", out.getvalue())
        count = Posting.objects.count()
        self.assertEqual(Posting.objects.filter(is_synthetic=False).count(), 0)
        call_command("seed", "--scale", "0.01", "--small", stdout=io.StringIO())
        self.assertEqual(Posting.objects.count(), count)
        for fund in funds:
            report = io.StringIO()
            call_command("fund", "reconcile", fund.code, stdout=report)
            self.assertIn("(synthetic data)", report.getvalue())

    def test_bulk_and_services_write_the_same_ledger(self):
        """The bulk writer and the services give the same factsheet for the same fund."""
        from compacts.fund.seed import SMALL, _organisations, fund_build
        from compacts.fund.selectors import factsheet_get

        seed_module_setup = io.StringIO()
        call_command("seed", "--scale", "0.007", "--small", stdout=seed_module_setup)  # rates
        agent = _organisations("administrative agent", 1, "un-entity")[0]
        donors = _organisations("donor", 3, "member-state")
        agencies = _organisations("agency", 4, "un-entity")
        bulk, bulk_count = fund_build(
            number=7, agent=agent, donors=donors, agencies=agencies, profile=SMALL, bulk=True
        )
        # The same plan through the services, under another code (number 7 is taken).
        import compacts.fund.seed as seed_module

        original = seed_module.random.Random
        seed_module.random.Random = lambda _n: original(7)
        try:
            slow, slow_count = fund_build(
                number=8, agent=agent, donors=donors, agencies=agencies, profile=SMALL, bulk=False
            )
        finally:
            seed_module.random.Random = original
        self.assertEqual(bulk_count, slow_count)
        self.assertEqual(factsheet_get(fund=bulk).totals, factsheet_get(fund=slow).totals)
        self.assertTrue(Fund.objects.filter(code="SYN0007", is_synthetic=True).exists())

    def test_a_rate_already_loaded_is_kept_not_duplicated(self):
        """Seeding after the demonstration data (or rates staff loaded) keeps their rate for that
        month and adds the missing months."""
        import datetime
        from decimal import Decimal

        from compacts.fund.models import ExchangeRate
        from compacts.fund.seed import CURRENCIES, FIRST_YEAR, LAST_YEAR, RATE_SOURCE

        currency = next(iter(CURRENCIES))
        day = datetime.date(FIRST_YEAR + 1, 3, 1)
        ExchangeRate.objects.create(
            currency=currency, effective_on=day, rate=Decimal("1.2345"), source="Demo rates"
        )
        call_command("seed", "--scale", "0.01", "--small", stdout=io.StringIO())
        kept = ExchangeRate.objects.get(currency=currency, effective_on=day)
        self.assertEqual((kept.rate, kept.source), (Decimal("1.2345"), "Demo rates"))
        months = (LAST_YEAR - FIRST_YEAR + 1) * 12
        self.assertEqual(
            ExchangeRate.objects.filter(currency=currency, source=RATE_SOURCE).count(), months - 1
        )
