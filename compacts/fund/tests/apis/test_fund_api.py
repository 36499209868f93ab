"""The fund API: public factsheet, the agent's money movements, the focal point's expenditure,
errors in the one format, and nothing posted when refused."""

import json

from django.test import TestCase

from compacts.actors import roles
from compacts.actors.testing import user_with_role
from compacts.fund import services
from compacts.fund.models import Posting
from compacts.fund.tests import factories
from compacts.fund.tests.factories import DAY, D


class FundApiTests(TestCase):
    def setUp(self):
        self.fund, self.orgs, self.donor, self.commitment, self.allocations = factories.funded(
            "1000.00"
        )
        self.agent = user_with_role(roles.ADMINISTRATIVE_AGENT, self.fund.administrative_agent)
        self.focal_point = user_with_role(roles.PUNO_FOCAL_POINT, self.orgs[0])
        self.base = f"/api/v1/funds/{self.fund.code}"

    def post(self, url, body, user=None):
        if user:
            self.client.force_login(user)
        return self.client.post(url, json.dumps(body), content_type="application/json")

    def test_factsheet_is_public_and_changes_with_a_transfer(self):
        response = self.client.get(f"{self.base}/factsheet")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["totals"]["deposits"], "1000.00")
        self.assertEqual(response.json()["totals"]["transfers"], "0.00")
        answer = self.post(
            f"{self.base}/allocations/{self.allocations[0].pk}/transfers",
            {"amount": "250.00", "value_date": "2025-03-20", "idempotency_key": "tr-1"},
            self.agent,
        )
        self.assertEqual(answer.status_code, 201, answer.content)
        self.client.logout()
        totals = self.client.get(f"{self.base}/factsheet").json()["totals"]
        self.assertEqual((totals["transfers"], totals["balance_with_aa"]), ("250.00", "740.00"))

    def test_factsheet_query_count_does_not_grow_with_data(self):
        """The factsheet's queries are the same for 1 and for 20 more movements."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as before:
            self.client.get(f"{self.base}/factsheet")
        for i in range(20):
            services.interest_record(
                fund=self.fund, amount=D("1"), value_date=DAY.replace(year=2020 + i % 5), actor=None
            )
            services.transfer_create(
                allocation=self.allocations[i % 2],
                amount=D("1"),
                value_date=DAY,
                actor=None,
                idempotency_key=f"q{i}",
            )
        with CaptureQueriesContext(connection) as after:
            self.client.get(f"{self.base}/factsheet")
        self.assertEqual(len(before), len(after))
        self.assertLessEqual(len(after), 6)

    def test_unknown_fund_is_404_in_the_error_format(self):
        response = self.client.get("/api/v1/funds/NOPE/factsheet")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["message"], "No fund has the code NOPE.")

    def test_deposit_by_the_agent_then_repeat_is_409(self):
        commitment = services.commitment_create(
            fund=self.fund,
            donor=self.donor,
            amount=D("500"),
            currency="USD",
            signed_on=DAY,
            actor=None,
        )
        url = f"{self.base}/commitments/{commitment.pk}/deposits"
        body = {
            "amount": "200.00",
            "currency": "USD",
            "value_date": "2025-03-20",
            "idempotency_key": "bank-77",
        }
        first = self.post(url, body, self.agent)
        self.assertEqual(first.status_code, 201, first.content)
        self.assertEqual(first.json()["fee_usd"], "2.00")
        count = Posting.objects.count()
        again = self.post(url, body)
        self.assertEqual(again.status_code, 409)
        self.assertIn("already recorded", again.json()["message"])
        self.assertEqual(Posting.objects.count(), count)

    def test_money_movements_are_refused_to_others(self):
        body = {"amount": "10.00", "value_date": "2025-03-20", "idempotency_key": "x"}
        url = f"{self.base}/allocations/{self.allocations[0].pk}/transfers"
        for user in (
            self.focal_point,
            user_with_role(roles.MANAGEMENT_UNIT_OFFICER),
            user_with_role(roles.ADMINISTRATIVE_AGENT),
        ):  # agent of another organisation
            with self.subTest(user=user.username):
                response = self.post(url, body, user)
                self.assertEqual(response.status_code, 403)
        self.client.logout()
        self.assertEqual(self.post(url, body).status_code, 401)
        self.assertFalse(Posting.objects.filter(kind="transfer").exists())

    def test_bad_amounts_are_422_or_400(self):
        url = f"{self.base}/allocations/{self.allocations[0].pk}/transfers"
        self.client.force_login(self.agent)
        for amount, status in [(10.5, 422), ("-1", 422), ("0", 400), ("1.005", 400), ("abc", 422)]:
            with self.subTest(amount=amount):
                response = self.post(
                    url, {"amount": amount, "value_date": "2025-03-20", "idempotency_key": "x"}
                )
                self.assertEqual(response.status_code, status, response.content)
                self.assertIn("message", response.json())
        self.assertFalse(Posting.objects.filter(kind="transfer").exists())

    def test_focal_point_reports_her_own_organisation_only(self):
        services.transfer_create(
            allocation=self.allocations[0],
            amount=D("100"),
            value_date=DAY,
            actor=None,
            idempotency_key="t",
        )
        services.transfer_create(
            allocation=self.allocations[1],
            amount=D("100"),
            value_date=DAY,
            actor=None,
            idempotency_key="u",
        )
        own = self.post(
            f"{self.base}/expenditure",
            {
                "organisation_id": self.orgs[0].pk,
                "amount": "40.00",
                "value_date": "2025-04-01",
                "idempotency_key": "e1",
            },
            self.focal_point,
        )
        self.assertEqual(own.status_code, 201, own.content)
        other = self.post(
            f"{self.base}/expenditure",
            {
                "organisation_id": self.orgs[1].pk,
                "amount": "40.00",
                "value_date": "2025-04-01",
                "idempotency_key": "e2",
            },
        )
        self.assertEqual(other.status_code, 403)
        self.assertEqual(Posting.objects.filter(kind="expenditure").count(), 1)
        against = self.post(
            f"{self.base}/expenditure",
            {
                "organisation_id": self.orgs[0].pk,
                "allocation_id": self.allocations[0].pk,
                "amount": "60.00",
                "value_date": "2025-04-01",
                "idempotency_key": "e3",
            },
            self.focal_point,
        )
        self.assertEqual(against.status_code, 201, against.content)
        self.assertEqual(Posting.objects.get(idempotency_key="e3").allocation, self.allocations[0])
        wrong = self.post(
            f"{self.base}/expenditure",
            {
                "organisation_id": self.orgs[0].pk,
                "allocation_id": self.allocations[1].pk,  # another organisation's
                "amount": "1.00",
                "value_date": "2025-04-01",
                "idempotency_key": "e4",
            },
            self.focal_point,
        )
        self.assertEqual(wrong.status_code, 400, wrong.content)
        self.assertIn("is not one of", wrong.json()["message"])
        self.assertEqual(Posting.objects.filter(kind="expenditure").count(), 2)

    def test_ledger_for_management_unit_not_for_donor(self):
        officer = user_with_role(roles.MANAGEMENT_UNIT_OFFICER)
        self.client.force_login(officer)
        response = self.client.get(f"{self.base}/ledger")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["count"], 6)  # commitment 2 + deposit 2 + fee 2 lines
        donor_person = user_with_role(roles.DONOR, self.donor)
        self.client.force_login(donor_person)
        self.assertEqual(self.client.get(f"{self.base}/ledger").status_code, 403)
        own = self.client.get(f"{self.base}/donors/{self.donor.pk}")
        self.assertEqual(own.status_code, 200)
        self.assertEqual(own.json()["commitments"][0]["deposited"], "1000.00")
        other_donor = factories.donor()
        self.assertEqual(self.client.get(f"{self.base}/donors/{other_donor.pk}").status_code, 403)
        mine = self.client.get(f"{self.base}/commitments").json()
        self.assertEqual([row["donor_id"] for row in mine], [self.donor.pk])


class FundSettingsApiTests(TestCase):
    def setUp(self):
        self.fund, self.orgs = factories.fund()
        self.agent = user_with_role(roles.ADMINISTRATIVE_AGENT, self.fund.administrative_agent)
        self.base = f"/api/v1/funds/{self.fund.code}"

    def put(self, url, body):
        return self.client.put(url, json.dumps(body), content_type="application/json")

    def test_rates_are_changed_by_administrators_only_and_audited(self):
        from compacts.actors.testing import superuser
        from compacts.core.models import AuditRecord

        body = {"fee_rate": "0.0125", "indirect_support_cost_rate": "0.07", "confirmed": True}
        self.client.force_login(self.agent)
        self.assertEqual(self.put(f"{self.base}/rates", body).status_code, 403)
        self.client.force_login(superuser())
        response = self.put(f"{self.base}/rates", body)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["fee_rate"], "0.0125")
        self.assertTrue(response.json()["rates_confirmed"])
        record = AuditRecord.objects.filter(action="fund.fund.rates_update").get()
        self.assertEqual(record.before["fee_rate"], "0.0100")
        self.assertEqual(
            self.put(f"{self.base}/rates", {**body, "fee_rate": "1.5"}).status_code, 422
        )

    def test_agent_adds_participants_and_pledges(self):
        self.client.force_login(self.agent)
        newcomer = factories.organisation("Newcomer")
        response = self.client.post(
            f"{self.base}/participants",
            json.dumps({"organisation_id": newcomer.pk}),
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 201)
        self.assertTrue(self.fund.participants.filter(organisation=newcomer).exists())
        pledge = self.client.post(
            f"{self.base}/pledges",
            json.dumps(
                {
                    "donor_id": factories.donor().pk,
                    "amount": "100",
                    "currency": "EUR",
                    "announced_on": "2025-01-02",
                }
            ),
            content_type="application/json",
        )
        self.assertEqual(pledge.status_code, 201, pledge.content)
        self.assertEqual(Posting.objects.count(), 0)  # a pledge posts nothing
        bad = self.client.post(
            f"{self.base}/pledges",
            json.dumps(
                {
                    "donor_id": factories.donor().pk,
                    "amount": "100",
                    "currency": "ABC",
                    "announced_on": "2025-01-02",
                }
            ),
            content_type="application/json",
        )
        self.assertEqual(bad.status_code, 400)
        self.assertIn("Unknown currency ABC", bad.json()["message"])
