"""In a real browser, in English and Arabic: the administrative agent keeps the books
(commitments with a schedule, refunds, interest, charges, reversals, exchange rates); every
screen passes axe-core, with and without errors shown, and a bad form keeps what was typed."""

from decimal import Decimal

import pytest

from compacts.actors import roles
from compacts.actors.testing import user_with_role
from compacts.fund import services
from compacts.fund.models import Commitment, ExchangeRate, Posting
from compacts.fund.tests import factories
from compacts.fund.tests.factories import DAY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "fund-books-browser-2026"  # noqa: S105
LANGUAGES = ["en", "ar"]


@pytest.fixture
def books():
    fund, orgs, donor, commitment, allocations = factories.funded("1000.00")
    services.transfer_create(
        allocation=allocations[0],
        amount=Decimal("300.00"),
        value_date=DAY,
        actor=None,
        idempotency_key="browser-transfer",
    )
    factories.rate("EUR", "0.9")
    agent = user_with_role(
        roles.ADMINISTRATIVE_AGENT, fund.administrative_agent, username="books-agent"
    )
    agent.set_password(PASSWORD)
    agent.save(update_fields=["password"])
    return fund, orgs, donor, allocations


def _sign_in(page, live_server, language: str, next_url: str) -> None:
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"/accounts/login/?next={next_url}")
    page.locator("input[name=username]").fill("books-agent")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit], main form input[type=submit]").last.click()
    page.wait_for_url(f"**{next_url}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")


@pytest.mark.parametrize("language", LANGUAGES)
def test_commitment_with_a_schedule(page, axe, snap, live_server, books, language):
    """The agent adds an instalment row (htmx), submits a schedule that does not add up, sees
    the error with everything kept, corrects it, and sees the commitment listed."""
    fund, _orgs, donor, _allocations = books
    url = f"/fund/{fund.code}/commitments/"
    _sign_in(page, live_server, language, url)
    assert axe(page) == []
    page.locator("#id_donor").select_option(str(donor.pk))
    page.locator("#id_amount").fill("900.00")
    page.locator("#id_currency").fill("EUR")
    page.locator("#id_signed_on").fill("2025-03-10")
    page.locator("#id_reference").fill("AGR-BROWSER")
    page.locator("#id_instalments-0-due_on").fill("2025-03-10")
    page.locator("#id_instalments-0-amount").fill("400.00")
    page.locator("#id_instalments-1-due_on").fill("2026-03-10")
    page.locator("#id_instalments-1-amount").fill("400.00")
    page.locator("#id_instalments-2-due_on").fill("2027-03-10")
    page.locator("#id_instalments-2-amount").fill("50.00")
    page.locator("button[name=action][value=more]").click()
    page.locator("#id_instalments-3-amount").wait_for()
    assert page.locator("#id_reference").input_value() == "AGR-BROWSER"
    assert page.locator("#id_instalments-2-amount").input_value() == "50.00"
    page.locator("button[name=action][value=record]").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "850.00" in alert.inner_text()
    assert page.locator("#id_reference").input_value() == "AGR-BROWSER"
    assert page.locator("#id_instalments-1-amount").input_value() == "400.00"
    assert Commitment.objects.filter(reference="AGR-BROWSER").count() == 0
    assert axe(page) == []
    snap(page, f"commitment-error-{language}")
    page.locator("#id_instalments-2-amount").fill("100.00")
    page.locator("button[name=action][value=record]").click()
    page.wait_for_url(f"**{url}")
    row = page.locator("#commitments tr", has_text="AGR-BROWSER")
    assert "2027-03-10" in row.inner_text()
    assert "1,000.00" in row.locator("td[data-difference]").inner_text()  # 900 EUR at 0.9
    assert axe(page) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_refund_interest_charge_and_reversal(page, axe, snap, live_server, books, language):
    fund, orgs, _donor, allocations = books
    _sign_in(page, live_server, language, f"/fund/{fund.code}/refunds/")
    page.locator("#id_allocation").select_option(str(allocations[0].pk))
    page.locator("#id_amount").fill("350.00")
    page.locator("#id_value_date").fill("2025-03-20")
    page.locator("main form button[type=submit]").last.click()
    page.get_by_role("alert").wait_for()
    assert "300.00" in page.get_by_role("alert").inner_text()
    assert page.locator("#id_amount").input_value() == "350.00"
    assert page.locator("#id_amount").get_attribute("aria-invalid") == "true"
    assert axe(page) == []
    page.locator("#id_amount").fill("100.00")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"**/fund/{fund.code}/refunds/")
    assert page.locator("#postings tbody tr").count() == 1
    assert axe(page) == []

    page.goto(f"/fund/{fund.code}/interest/")
    page.locator("#id_organisation").select_option(str(orgs[0].pk))
    page.locator("#id_amount").fill("3.50")
    page.locator("#id_value_date").fill("2025-03-31")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"**/fund/{fund.code}/interest/")
    assert axe(page) == []

    page.goto(f"/fund/{fund.code}/charges/")
    page.locator("#id_kind").select_option("bank-charge")
    page.locator("#id_amount").fill("12.00")
    page.locator("#id_value_date").fill("2025-03-31")
    page.locator("#id_description").fill("Wire fee")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"**/fund/{fund.code}/charges/")
    assert "Wire fee" in page.locator("#postings").inner_text()
    assert axe(page) == []

    page.goto(f"/fund/{fund.code}/reversals/?kind=bank-charge")
    assert axe(page) == []
    charge = Posting.objects.get(kind="bank-charge")
    page.locator(f'#postings tr[data-posting="{charge.pk}"] a').click()
    page.wait_for_url(f"**/postings/{charge.pk}/reverse/")
    page.locator("#id_reason").fill("   ")  # blank after trimming: refused by the server
    page.locator("main form button[type=submit]").last.click()
    page.get_by_role("alert").wait_for()
    assert axe(page) == []
    page.locator("#id_reason").fill("Charged twice by the bank")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"**/fund/{fund.code}/reversals/")
    assert Posting.objects.filter(reversal_of=charge).count() == 1
    assert axe(page) == []
    snap(page, f"reversals-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_exchange_rates_upload_with_errors_by_row(page, axe, live_server, books, language):
    _sign_in(page, live_server, language, "/fund/exchange-rates/")
    assert axe(page) == []
    page.locator("#id_text").fill(
        "currency,effective_on,rate\nSEK,2025-04-01,10.5\nEUX,2025-04-01,1\nCHF,2025-04-31,0.8\n"
    )
    page.locator("main form[enctype] button[type=submit]").click()
    page.locator("#row-errors").wait_for()
    assert page.locator("#row-errors tbody tr").count() == 2
    assert "EUX" in page.locator("#row-errors").inner_text()
    assert "CHF,2025-04-31" in page.locator("#id_text").input_value()
    assert not ExchangeRate.objects.filter(currency="SEK").exists()
    assert axe(page) == []
    page.locator("#id_text").fill("currency,effective_on,rate\nSEK,2025-04-01,10.5\n")
    page.locator("main form[enctype] button[type=submit]").click()
    page.wait_for_url("**/fund/exchange-rates/")
    assert ExchangeRate.objects.filter(currency="SEK").exists()
    page.locator("#month-select").select_option("2025-03")
    page.locator("#month-select").locator("xpath=ancestor::form").locator("button").click()
    page.wait_for_url("**month=2025-03")
    assert "EUR" in page.locator("#rates").inner_text()
    assert axe(page) == []
