"""The organisation pages in a real browser, in English and Arabic, checked by axe-core."""

import io
from pathlib import Path

import pytest

from compacts.actors.demo import seed_demo
from compacts.actors.models import Organisation
from compacts.actors.reference import load_reference
from compacts.actors.tests.factories import CountryFactory

ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def data():
    CountryFactory(iso2="EC", m49="218", name="Ecuador", names={"ar": "إكوادور", "fr": "Équateur"})
    load_reference(stdout=io.StringIO())
    seed_demo(stdout=io.StringIO())


def _language(page, live_server, language):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )


@pytest.mark.parametrize("language", ["en", "ar"])
def test_list_filters_and_opens_a_detail(page, axe, live_server, data, language):
    _language(page, live_server, language)
    page.goto("/organisations/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    rows = page.locator("tbody tr")
    assert rows.count() == Organisation.objects.count()
    assert axe(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(
        path=str(ARTIFACTS / f"actors-organisation-list-{language}.png"), full_page=True
    )
    page.locator("#id_category").select_option("civil-society")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**category=civil-society**")
    assert rows.count() == Organisation.objects.filter(category="civil-society").count()
    page.locator("tbody tr a").first.click()
    page.wait_for_url("**/organisations/*/")
    assert page.locator(".badge-illustrative").count() >= 1
    assert axe(page) == []


@pytest.mark.parametrize("language", ["en", "ar"])
def test_detail_shows_members_to_the_management_unit(page, axe, live_server, data, language):
    _language(page, live_server, language)
    page.goto("/accounts/login/?next=/organisations/")
    page.locator("input[name=username]").fill("demo-mu")
    from compacts.core.demo import DEMO_PASSWORD

    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_url("**/organisations/")
    iom = Organisation.objects.get(short_name="IOM")
    page.goto(f"/organisations/{iom.pk}/")
    assert page.get_by_text("XM-DAC-47066").count() == 1
    table = page.locator("table")
    assert table.locator("tbody tr").count() == iom.memberships.count()
    assert table.get_by_text("demo-puno-iom").count() == 1
    assert axe(page) == []
