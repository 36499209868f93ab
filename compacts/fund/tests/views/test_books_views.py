"""The books' screens: commitments (with schedules and differences), refunds, interest, charges,
reversals and exchange rates. Each form: permission checks, a clear error that keeps what was
typed, nothing posted on bad input, an audit record for whom the person acted."""

from django.test import TestCase

from compacts.actors import roles
from compacts.actors.testing import user_with_role
from compacts.core.models import AuditRecord
from compacts.fund import services
from compacts.fund.models import (
    Commitment,
    CommitmentInstalment,
    ExchangeRate,
    Posting,
    PostingKind,
)
from compacts.fund.selectors import fund_cash_available
from compacts.fund.tests import factories
from compacts.fund.tests.factories import DAY, D


class BooksTestCase(TestCase):
    def setUp(self):
        self.fund, self.orgs, self.donor, self.commitment, self.allocations = factories.funded(
            "1000.00"
        )
        self.agent = user_with_role(roles.ADMINISTRATIVE_AGENT, self.fund.administrative_agent)
        self.transfer = services.transfer_create(
            allocation=self.allocations[0],
            amount=D("300"),
            value_date=DAY,
            actor=None,
            idempotency_key="t",
        )

    def url(self, name: str) -> str:
        return f"/fund/{self.fund.code}/{name}/"


class BooksAccessTests(BooksTestCase):
    def test_the_public_is_sent_to_sign_in_and_others_are_refused(self):
        """Anonymous people are sent to sign in; a donor or a focal point may not see the
        books; the Management Unit sees them but has no form and cannot post."""
        pages = ["commitments", "refunds", "interest", "charges", "reversals"]
        for page in pages:
            self.assertEqual(self.client.get(self.url(page)).status_code, 302, page)
        self.client.force_login(user_with_role(roles.DONOR, self.donor))
        for page in pages:
            self.assertEqual(self.client.get(self.url(page)).status_code, 403, page)
        self.client.force_login(user_with_role(roles.MANAGEMENT_UNIT_OFFICER))
        for page in pages:
            response = self.client.get(self.url(page))
            self.assertEqual(response.status_code, 200, page)
            self.assertNotContains(response, 'name="idempotency_key"')
        count = Posting.objects.count()
        response = self.client.post(
            self.url("interest"),
            {"amount": "5.00", "value_date": "2025-03-20", "idempotency_key": "mu"},
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Posting.objects.count(), count)

    def test_the_agent_of_another_fund_is_refused(self):
        other_agent = user_with_role(roles.ADMINISTRATIVE_AGENT)
        self.client.force_login(other_agent)
        self.assertEqual(self.client.get(self.url("refunds")).status_code, 403)
        self.assertEqual(
            self.client.get(
                f"/fund/{self.fund.code}/postings/{self.transfer.pk}/reverse/"
            ).status_code,
            403,
        )

    def test_the_factsheet_links_to_the_books_for_staff_only(self):
        link = f'href="/fund/{self.fund.code}/commitments/"'
        self.assertNotContains(self.client.get(f"/fund/{self.fund.code}/"), link)
        self.client.force_login(self.agent)
        self.assertContains(self.client.get(f"/fund/{self.fund.code}/"), link)


class CommitmentScreenTests(BooksTestCase):
    def post(self, **fields):
        data = {
            "action": "record",
            "donor": self.donor.pk,
            "amount": "900.00",
            "currency": "usd",
            "signed_on": "2025-03-01",
            "reference": "AGR-7",
            "thematic_area": "",
            "idempotency_key": "c-1",
            "instalments-TOTAL_FORMS": "3",
            "instalments-INITIAL_FORMS": "0",
            "instalments-MIN_NUM_FORMS": "0",
            "instalments-MAX_NUM_FORMS": "60",
            "instalments-0-due_on": "2025-03-01",
            "instalments-0-amount": "400.00",
            "instalments-1-due_on": "2026-03-01",
            "instalments-1-amount": "500.00",
            "instalments-2-due_on": "",
            "instalments-2-amount": "",
        }
        data.update(fields)
        return self.client.post(self.url("commitments"), data)

    def test_the_list_shows_the_schedule_and_the_difference(self):
        """Committed 1,000, deposited 1,000: outstanding and difference are zero; a second
        commitment with nothing deposited shows its whole USD value as the difference."""
        services.commitment_create(
            fund=self.fund,
            donor=self.donor,
            amount=D("250.00"),
            currency="USD",
            signed_on=DAY,
            actor=None,
            instalments=[(DAY, D("100.00")), (DAY.replace(year=2026), D("150.00"))],
        )
        self.client.force_login(user_with_role(roles.MANAGEMENT_UNIT_OFFICER))
        response = self.client.get(self.url("commitments"))
        self.assertContains(response, "2026-03-14: 150.00 USD")
        body = response.content.decode()
        self.assertIn('<td class="num" data-difference>250.00</td>', body)
        self.assertIn('<td class="num" data-difference>0.00</td>', body)

    def test_the_agent_records_a_commitment_with_its_schedule(self):
        self.client.force_login(self.agent)
        response = self.post()
        self.assertRedirects(response, self.url("commitments"))
        commitment = Commitment.objects.get(reference="AGR-7")
        self.assertEqual(commitment.currency, "USD")
        self.assertEqual(
            [(i.due_on.isoformat(), i.amount) for i in commitment.instalments.all()],
            [("2025-03-01", D("400.00")), ("2026-03-01", D("500.00"))],
        )
        record = AuditRecord.objects.filter(action="fund.commitment.create").latest("seq")
        self.assertEqual(record.actor, self.agent)
        self.assertEqual(record.organisation_id, self.fund.administrative_agent_id)

    def test_a_schedule_that_does_not_add_up_is_refused_and_kept(self):
        self.client.force_login(self.agent)
        count = Commitment.objects.count()
        response = self.post(**{"instalments-1-amount": "450.00"})
        self.assertContains(response, "The instalments add up to 850.00", status_code=400)
        self.assertContains(response, 'value="450.00"', status_code=400)
        self.assertContains(response, 'value="AGR-7"', status_code=400)
        self.assertContains(response, 'value="2026-03-01"', status_code=400)
        self.assertEqual(Commitment.objects.count(), count)
        self.assertEqual(CommitmentInstalment.objects.filter(amount=D("450.00")).count(), 0)

    def test_bad_rows_and_fields_are_shown_beside_them(self):
        self.client.force_login(self.agent)
        count = Posting.objects.count()
        response = self.post(
            amount="-1", **{"instalments-2-due_on": "2027-01-01", "instalments-2-amount": ""}
        )
        self.assertContains(response, "Enter an amount such as 1250.00.", status_code=400)
        self.assertContains(response, "Give both the date and the amount", status_code=400)
        self.assertContains(response, 'aria-invalid="true"', status_code=400)
        response = self.post(currency="XXQ")
        self.assertContains(response, "Unknown currency XXQ", status_code=400)
        self.assertEqual(Posting.objects.count(), count)

    def test_a_row_is_added_without_losing_what_was_typed(self):
        """ "Add an instalment" (htmx or not) returns the form with one more row, the typed
        values kept and nothing recorded."""
        self.client.force_login(self.agent)
        count = Commitment.objects.count()
        response = self.post(action="more")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'name="instalments-2-amount"')
        self.assertContains(response, 'value="AGR-7"')
        self.assertContains(response, 'value="500.00"')
        self.assertContains(response, "<h1>")
        fragment = self.client.post(
            self.url("commitments"),
            {"action": "more", "instalments-TOTAL_FORMS": "1", "instalments-INITIAL_FORMS": "0"},
            headers={"HX-Request": "true"},
        )
        self.assertNotContains(fragment, "<h1>")
        self.assertContains(fragment, 'id="commitment-form"')
        self.assertEqual(Commitment.objects.count(), count)


class MovementScreenTests(BooksTestCase):
    def test_refund_recorded_and_refused_above_what_was_transferred(self):
        self.client.force_login(self.agent)
        data = {
            "allocation": self.allocations[0].pk,
            "amount": "400.00",
            "value_date": "2025-03-20",
            "idempotency_key": "r-1",
        }
        count = Posting.objects.count()
        response = self.client.post(self.url("refunds"), data)
        self.assertContains(response, "more than the 300.00 transferred", status_code=400)
        self.assertContains(response, 'value="400.00"', status_code=400)
        self.assertEqual(Posting.objects.count(), count)
        response = self.client.post(self.url("refunds"), {**data, "amount": "100.00"})
        self.assertRedirects(response, self.url("refunds"))
        refund = Posting.objects.get(kind=PostingKind.REFUND)
        self.assertContains(self.client.get(self.url("refunds")), f"#{refund.pk}")
        self.assertEqual(
            AuditRecord.objects.get(action="fund.refund.record").organisation_id,
            self.fund.administrative_agent_id,
        )
        again = self.client.post(self.url("refunds"), {**data, "amount": "100.00"})
        self.assertContains(again, "already recorded", status_code=400)

    def test_interest_of_the_fund_and_of_an_organisation(self):
        self.client.force_login(self.agent)
        cash = fund_cash_available(fund=self.fund)
        response = self.client.post(
            self.url("interest"),
            {
                "organisation": "",
                "amount": "12.34",
                "value_date": "2025-03-31",
                "idempotency_key": "i1",
            },
        )
        self.assertRedirects(response, self.url("interest"))
        self.assertEqual(fund_cash_available(fund=self.fund), cash + D("12.34"))
        response = self.client.post(
            self.url("interest"),
            {
                "organisation": self.orgs[1].pk,
                "amount": "1.00",
                "value_date": "2025-03-31",
                "idempotency_key": "i2",
            },
        )
        self.assertRedirects(response, self.url("interest"))
        self.assertEqual(Posting.objects.filter(kind=PostingKind.INTEREST).count(), 2)
        response = self.client.post(
            self.url("interest"),
            {
                "organisation": "999999",
                "amount": "1.00",
                "value_date": "2025-03-31",
                "idempotency_key": "i3",
            },
        )
        self.assertContains(response, "Select a valid choice", status_code=400)

    def test_a_charge_above_the_cash_is_refused_and_nothing_posted(self):
        self.client.force_login(self.agent)
        count = Posting.objects.count()
        response = self.client.post(
            self.url("charges"),
            {
                "kind": "bank-charge",
                "amount": "5000.00",
                "value_date": "2025-03-20",
                "description": "Wire fee",
                "idempotency_key": "b1",
            },
        )
        self.assertContains(response, "Not enough money", status_code=400)
        self.assertContains(response, 'value="Wire fee"', status_code=400)
        self.assertEqual(Posting.objects.count(), count)
        response = self.client.post(
            self.url("charges"),
            {
                "kind": "direct-cost",
                "amount": "25.00",
                "value_date": "2025-03-20",
                "description": "Audit of the fund",
                "idempotency_key": "b2",
            },
        )
        self.assertRedirects(response, self.url("charges"))
        self.assertContains(self.client.get(self.url("charges")), "Audit of the fund")


class ReversalScreenTests(BooksTestCase):
    def test_the_agent_reverses_a_posting_once(self):
        self.client.force_login(self.agent)
        listing = self.client.get(self.url("reversals"))
        self.assertContains(listing, f"Reverse posting #{self.transfer.pk}")
        row = listing.content.decode().split(f'data-posting="{self.transfer.pk}"')[1]
        self.assertIn('<td class="num">300.00</td>', row.split("</tr>")[0])  # not 600
        page = f"/fund/{self.fund.code}/postings/{self.transfer.pk}/reverse/"
        self.assertContains(self.client.get(page), "Transfers to participating organisations")
        response = self.client.post(page, {"reason": "  ", "idempotency_key": "rv1"})
        self.assertContains(response, "This field is required", status_code=400)
        response = self.client.post(
            page, {"reason": "Wrong organisation", "value_date": "", "idempotency_key": "rv1"}
        )
        self.assertRedirects(response, self.url("reversals"))
        reversal = Posting.objects.get(reversal_of=self.transfer)
        self.assertContains(self.client.get(self.url("reversals")), f"Reversed by #{reversal.pk}")
        count = Posting.objects.count()
        response = self.client.post(page, {"reason": "Again", "idempotency_key": "rv2"})
        self.assertContains(response, "already reversed", status_code=400)
        self.assertContains(response, "Again", status_code=400)
        self.assertEqual(Posting.objects.count(), count)
        self.assertEqual(
            AuditRecord.objects.get(action="fund.posting.reverse").organisation_id,
            self.fund.administrative_agent_id,
        )

    def test_the_list_filters_by_kind_and_ignores_unknown_kinds(self):
        self.client.force_login(user_with_role(roles.MANAGEMENT_UNIT_OFFICER))
        response = self.client.get(self.url("reversals") + "?kind=transfer")
        self.assertContains(response, f"#{self.transfer.pk}")
        self.assertNotContains(response, f"#{self.commitment.posting_id}<")
        self.assertNotContains(response, "Reverse posting")
        response = self.client.get(self.url("reversals") + "?kind=nonsense")
        self.assertContains(response, f"#{self.commitment.posting_id}<")
        self.assertEqual(
            self.client.get(f"/fund/{self.fund.code}/postings/999999/reverse/").status_code, 403
        )
        self.client.force_login(self.agent)
        self.assertEqual(
            self.client.get(f"/fund/{self.fund.code}/postings/999999/reverse/").status_code, 404
        )


class ExchangeRateScreenTests(TestCase):
    GOOD = "currency,effective_on,rate\nEUR,2025-04-01,0.92\nSEK,2025-04-01,10.5\n"

    def setUp(self):
        self.agent = user_with_role(roles.ADMINISTRATIVE_AGENT)

    def test_rates_are_listed_by_month(self):
        factories.rate("EUR", "0.9", on=DAY.replace(day=1))
        factories.rate("EUR", "0.95", on=DAY.replace(month=4, day=1))
        response = self.client.get("/fund/exchange-rates/")
        self.assertContains(response, "Rates set in 2025-04")
        self.assertContains(response, "0.95")
        self.assertNotContains(response, 'name="source"')
        response = self.client.get("/fund/exchange-rates/?month=2025-03")
        self.assertContains(response, "Rates set in 2025-03")
        self.assertContains(response, '<td class="num">0.9</td>', html=False)
        self.assertEqual(self.client.get("/fund/exchange-rates/?month=junk").status_code, 200)

    def test_a_bad_file_lists_every_bad_row_and_loads_nothing(self):
        self.client.force_login(self.agent)
        text = (
            "currency,effective_on,rate\nEUR,2025-04-01,0.92\nEUX,2025-04-01,1\n"
            "SEK,2025-13-01,10\nJPY,2025-04-01,-3\nEUR,2025-04-01,0.93\n"
        )
        response = self.client.post("/fund/exchange-rates/", {"text": text, "source": "UN"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Nothing was loaded: 4 rows have errors.", status_code=400)
        for line, message in [
            (3, "Unknown currency EUX"),
            (4, "2025-13-01 is not a date"),
            (5, "An exchange rate must be a number greater than zero"),
            (6, "EUR on 2025-04-01 is already on line 2."),
        ]:
            self.assertContains(response, f'<th scope="row">{line}</th>', status_code=400)
            self.assertContains(response, message, status_code=400)
        self.assertContains(response, "SEK,2025-13-01,10", status_code=400)  # kept in the box
        self.assertFalse(ExchangeRate.objects.exists())

    def test_a_good_file_is_loaded_and_audited(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        self.client.force_login(self.agent)
        upload = SimpleUploadedFile("rates.csv", self.GOOD.encode(), content_type="text/csv")
        response = self.client.post(
            "/fund/exchange-rates/", {"file": upload, "source": "UN operational rates"}
        )
        self.assertRedirects(response, "/fund/exchange-rates/")
        self.assertEqual(ExchangeRate.objects.count(), 2)
        self.assertEqual(ExchangeRate.objects.get(currency="SEK").source, "UN operational rates")
        record = AuditRecord.objects.filter(action="fund.exchange_rate.set").latest("seq")
        self.assertEqual(record.organisation_id, self.agent.memberships.get().organisation_id)

    def test_only_agents_load_rates(self):
        response = self.client.post("/fund/exchange-rates/", {"text": self.GOOD, "source": "UN"})
        self.assertEqual(response.status_code, 403)
        self.client.force_login(user_with_role(roles.MANAGEMENT_UNIT_OFFICER))
        response = self.client.post("/fund/exchange-rates/", {"text": self.GOOD, "source": "UN"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(ExchangeRate.objects.exists())
        self.client.force_login(self.agent)
        response = self.client.post("/fund/exchange-rates/", {"text": "", "source": "UN"})
        self.assertContains(response, "Choose a file or paste the rows.", status_code=400)
