"""The fund's pages and downloads: public factsheet, agent-only recording, streamed files with a
totals row, refusals shown beside the form with nothing posted."""

import csv
import io

import openpyxl
from django.test import TestCase

from compacts.actors import roles
from compacts.actors.testing import user_with_role
from compacts.fund import services
from compacts.fund.models import Posting
from compacts.fund.tests import factories
from compacts.fund.tests.factories import DAY, D


class FundViewTests(TestCase):
    def setUp(self):
        self.fund, self.orgs, self.donor, self.commitment, self.allocations = factories.funded(
            "1000.00"
        )
        self.agent = user_with_role(roles.ADMINISTRATIVE_AGENT, self.fund.administrative_agent)
        services.transfer_create(
            allocation=self.allocations[0],
            amount=D("300"),
            value_date=DAY,
            actor=None,
            idempotency_key="t",
        )

    def test_factsheet_page_is_public(self):
        response = self.client.get(f"/fund/{self.fund.code}/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Balance with the administrative agent")
        self.assertContains(response, "690.00")
        self.assertNotContains(response, "Record deposits and transfers")
        self.assertEqual(self.client.get("/fund/NOPE/").status_code, 404)

    def test_recording_is_for_the_agent(self):
        self.assertEqual(self.client.get(f"/fund/{self.fund.code}/record/").status_code, 302)
        self.client.force_login(user_with_role(roles.MANAGEMENT_UNIT_OFFICER))
        self.assertEqual(self.client.get(f"/fund/{self.fund.code}/record/").status_code, 403)

    def test_refused_transfer_is_shown_and_nothing_posted(self):
        self.client.force_login(self.agent)
        count = Posting.objects.count()
        response = self.client.post(
            f"/fund/{self.fund.code}/record/",
            {
                "action": "transfer",
                "transfer-allocation": self.allocations[1].pk,
                "transfer-amount": "999.00",
                "transfer-value_date": "2025-05-01",
                "transfer-idempotency_key": "k1",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Not enough money", status_code=400)
        self.assertEqual(Posting.objects.count(), count)
        response = self.client.post(
            f"/fund/{self.fund.code}/record/",
            {
                "action": "transfer",
                "transfer-allocation": self.allocations[1].pk,
                "transfer-amount": "-1",
                "transfer-value_date": "2025-05-01",
                "transfer-idempotency_key": "k1",
            },
        )
        self.assertContains(response, "Enter an amount such as 1250.00.", status_code=400)
        self.assertEqual(Posting.objects.count(), count)

    def test_factsheet_downloads_have_a_totals_row(self):
        response = self.client.get(f"/fund/{self.fund.code}/factsheet.csv")
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        self.assertEqual(rows[-1][0], "Total")
        self.assertEqual(rows[-1][1:3], ["1000.00", "1000.00"])
        xlsx = self.client.get(f"/fund/{self.fund.code}/factsheet.xlsx")
        book = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
        last = list(book.active.iter_rows(values_only=True))[-1]
        self.assertEqual(last[0], "Total")

    def test_ledger_download_for_management_unit_only(self):
        self.assertEqual(self.client.get(f"/fund/{self.fund.code}/ledger.csv").status_code, 403)
        self.client.force_login(user_with_role(roles.MANAGEMENT_UNIT_OFFICER))
        response = self.client.get(f"/fund/{self.fund.code}/ledger.csv")
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        self.assertEqual(len(rows), 1 + 10 + 1)  # header, 10 lines, totals
        self.assertEqual(rows[-1][0], "Total")
        self.assertEqual(rows[-1][5], rows[-1][6])  # debits equal credits
        self.assertEqual(rows[-1][5], "2610.00")  # 1000 + 1000 + 10 + 300 + 300
        xlsx = self.client.get(f"/fund/{self.fund.code}/ledger.xlsx")
        self.assertEqual(xlsx.status_code, 200)
