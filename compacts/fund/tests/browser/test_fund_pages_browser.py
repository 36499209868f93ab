"""In a real browser: the agent records a deposit and a transfer, and the factsheet changes;
the factsheet passes axe-core in English and Arabic."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from compacts.actors import roles
from compacts.actors.testing import user_with_role
from compacts.fund import services
from compacts.fund.tests import factories
from compacts.fund.tests.factories import DAY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "fund-browser-test-2026"  # noqa: S105


@pytest.fixture
def data():
    fund, orgs, donor, commitment, allocations = factories.funded("1000.00")
    second = services.commitment_create(
        fund=fund, donor=donor, amount=Decimal("500.00"), currency="USD", signed_on=DAY, actor=None
    )
    agent = user_with_role(
        roles.ADMINISTRATIVE_AGENT, fund.administrative_agent, username="agent-browser"
    )
    agent.set_password(PASSWORD)
    agent.save(update_fields=["password"])
    assert get_user_model().objects.filter(username="agent-browser").exists()
    return fund, second, allocations


def _figure(page, key):
    return page.locator(f'#factsheet tr[data-line="{key}"] td.num').inner_text().strip()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_factsheet_is_accessible(page, axe, live_server, data, language):
    fund, _second, _allocations = data
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"/fund/{fund.code}/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert page.locator("#factsheet tbody tr").count() == 13
    assert axe(page) == []


def test_record_deposit_and_transfer_then_factsheet_changes(page, axe, live_server, data):
    fund, second, allocations = data
    page.goto(f"/accounts/login/?next=/fund/{fund.code}/")
    page.locator("input[name=username]").fill("agent-browser")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_url(f"**/fund/{fund.code}/")
    assert _figure(page, "deposits") == "1,000.00"
    page.get_by_role("link", name="Record deposits and transfers").click()
    page.wait_for_url("**/record/")
    assert axe(page) == []
    page.locator("#id_deposit-commitment").select_option(str(second.pk))
    page.locator("#id_deposit-amount").fill("500.00")
    page.locator("#id_deposit-value_date").fill("2025-03-20")
    page.get_by_role("button", name="Record the deposit").click()
    page.wait_for_url(f"**/fund/{fund.code}/")
    assert _figure(page, "deposits") == "1,500.00"
    assert _figure(page, "fee") == "15.00"
    page.get_by_role("link", name="Record deposits and transfers").click()
    page.locator("#id_transfer-allocation").select_option(str(allocations[0].pk))
    page.locator("#id_transfer-amount").fill("5000.00")
    page.locator("#id_transfer-value_date").fill("2025-03-21")
    page.get_by_role("button", name="Record the transfer").click()
    assert "The transfer of 5000.00 is more than" in page.get_by_role("alert").inner_text()
    assert page.locator("#id_transfer-amount").input_value() == "5000.00"
    page.locator("#id_transfer-amount").fill("400.00")
    page.get_by_role("button", name="Record the transfer").click()
    page.wait_for_url(f"**/fund/{fund.code}/")
    assert _figure(page, "transfers") == "400.00"
    assert _figure(page, "balance_with_aa") == "1,085.00"  # 1500 - 15 - 400
    assert axe(page) == []
