"""Done-when of issue 7 on the demonstration data, in the browser: a call for practices from
announcement to publication, and a country network's page showing what it did."""

import io

import pytest

from compacts.actors.demo import seed_demo as actors_demo
from compacts.actors.reference import load_reference as actors_reference
from compacts.network.demo import seed_demo
from compacts.network.models import CallForPractices, CountryNetwork
from compacts.network.reference import load_reference
from compacts.network.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    americas = factories.RegionFactory(m49="019", name="Americas", names={"ar": "الأمريكتان"})
    for iso2, name, ar in [
        ("EC", "Ecuador", "إكوادور"),
        ("KE", "Kenya", "كينيا"),
        ("EG", "Egypt", "مصر"),
        ("IQ", "Iraq", "العراق"),
        ("SN", "Senegal", "السنغال"),
    ]:
        factories.CountryFactory(
            iso2=iso2, name=name, names={"ar": ar}, region=americas if iso2 == "EC" else None
        )
    for number in range(1, 24):
        factories.ObjectiveFactory(number=number)
    for letter in "abcdefghij":
        factories.PrincipleFactory(letter=letter)
    out = io.StringIO()
    actors_reference(stdout=out)
    actors_demo(stdout=out)
    load_reference(stdout=out)
    seed_demo(stdout=out)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_country_network_page_shows_what_it_did(page, axe, live_server, demo, language):
    page.set_default_timeout(60_000)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    network = CountryNetwork.objects.get(kind="country")
    page.goto("/network/networks/")
    assert axe(page) == []
    page.locator(f"a[href='/network/networks/{network.pk}/']").click()
    page.locator("h1").wait_for()
    assert page.locator(".badge-illustrative").count() >= 1
    achievements = page.locator("table").first.locator("tbody tr")
    assert achievements.count() == 3
    assert axe(page) == []


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_concluded_call_shows_its_published_practices(page, axe, live_server, demo, language):
    page.set_default_timeout(60_000)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    call = CallForPractices.objects.get(state="concluded")
    page.goto("/network/hub/calls/")
    assert axe(page) == []
    page.locator(f"a[href='/network/hub/calls/{call.pk}/']").click()
    page.locator("h1").wait_for()
    assert page.locator("main ul li a[href^='/network/hub/practices/']").count() == 2
    assert axe(page) == []
    page.goto("/network/hub/?q=vaccination")
    assert page.locator(".results h3").count() >= 1
    assert axe(page) == []
