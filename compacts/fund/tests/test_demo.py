"""The demonstration MIG00: built through the services, idempotent, and it reconciles."""

import io

from django.core.management import call_command
from django.test import TestCase

from compacts.fund import demo
from compacts.fund.models import Fund, Posting


class DemoTests(TestCase):
    def test_demo_is_living_idempotent_and_reconciles(self):
        from compacts.framework.models import Country

        for iso2, iso3, m49, name in [
            ("DE", "DEU", "276", "Germany"),
            ("NO", "NOR", "578", "Norway"),
            ("GB", "GBR", "826", "United Kingdom"),
        ]:
            Country.objects.get_or_create(
                iso2=iso2, defaults={"iso3": iso3, "m49": m49, "name": name}
            )
        demo.seed_demo(stdout=io.StringIO())
        fund = Fund.objects.get(code="MIG00")
        self.assertTrue(fund.is_illustrative)
        count = Posting.objects.filter(fund=fund).count()
        kinds = set(Posting.objects.filter(fund=fund).values_list("kind", flat=True))
        self.assertTrue(
            {"commitment", "deposit", "fee", "transfer", "expenditure", "refund"} <= kinds
        )
        self.assertEqual(
            set(fund.deposits.values_list("currency", flat=True)), {"EUR", "GBP", "NOK", "USD"}
        )
        demo.seed_demo(stdout=io.StringIO())
        self.assertEqual(Posting.objects.filter(fund=fund).count(), count)
        out = io.StringIO()
        call_command("fund", "reconcile", "MIG00", stdout=out)
        self.assertIn("MIG00: all", out.getvalue())
        self.assertIn("(illustrative figures)", out.getvalue())
