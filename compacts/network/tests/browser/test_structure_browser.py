"""The members of the Network and the champion countries in a real browser (English and Arabic):
the public lists, and the Secretariat adding a member and a champion country, a mistake first,
then removing a member and a champion country (each removal asks first); axe-core checks on every
page."""

import pytest

from compacts.actors import roles
from compacts.actors.testing import organisation_for_tests, user_with_role
from compacts.network import services
from compacts.network.models import ChampionCountry, NetworkMember
from compacts.network.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password-1"


@pytest.fixture
def data():
    secretariat = user_with_role(roles.NETWORK_SECRETARIAT, username="sec", password=PASSWORD)
    iom = organisation_for_tests(name="International Organization for Migration")
    services.network_member_upsert(
        actor=secretariat,
        organisation=iom,
        is_executive_committee=True,
        is_coordinator=True,
        hosts_secretariat=True,
        joined_note="Date not confirmed",
    )
    services.champion_country_add(
        actor=secretariat,
        country=factories.CountryFactory(iso2="KE", name="Kenya", names={"ar": "كينيا"}),
    )
    return {
        "who": organisation_for_tests(name="World Health Organization"),
        "egypt": factories.CountryFactory(iso2="EG", name="Egypt", names={"ar": "مصر"}),
    }


@pytest.mark.parametrize("language", ["en", "ar"])
def test_members_and_champion_countries(sign_in, page, axe, live_server, data, language, snap):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto("/network/")
    page.locator("main a[href='/network/members-of-the-network/']").first.click()
    page.wait_for_load_state()
    assert page.locator("main table caption").is_visible()
    assert page.locator("main").get_by_text("International Organization for Migration").is_visible()
    assert page.locator("main a[href='/network/members-of-the-network/new/']").count() == 0
    snap(page, f"members-public-{language}")
    assert axe(page) == []
    page.goto("/network/champion-countries/")
    assert page.locator("main").get_by_text("كينيا" if language == "ar" else "Kenya").is_visible()
    assert axe(page) == []
    # The Secretariat adds a member: a mistake first (a date in the future).
    sign_in("sec", PASSWORD, next_url="/network/", language=language)
    page.goto("/network/members-of-the-network/")
    page.locator("main a[href='/network/members-of-the-network/new/']").click()
    page.wait_for_load_state()
    page.locator("#id_organisation").select_option(str(data["who"].pk))
    page.locator("#id_joined_on").fill("2999-01-01")
    page.locator("#id_source").fill("Tool 18")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".form-errors a[href='#id_joined_on']").is_visible()
    assert page.locator("#id_source").input_value() == "Tool 18"
    snap(page, f"member-error-{language}")
    assert axe(page) == []
    page.locator("#id_joined_on").fill("")
    page.locator("#id_is_executive_committee").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/network/members-of-the-network/")
    added = NetworkMember.objects.get(organisation=data["who"])
    assert (added.source, added.is_executive_committee) == ("Tool 18", True)
    snap(page, f"members-secretariat-{language}")
    assert axe(page) == []
    # A champion country.
    page.goto("/network/champion-countries/new/")
    assert axe(page) == []
    page.locator("#id_country").select_option(str(data["egypt"].pk))
    page.locator("#id_since").fill("2021-06-01")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/network/champion-countries/")
    assert str(ChampionCountry.objects.get(country=data["egypt"]).since) == "2021-06-01"
    assert page.locator(
        "main th[scope=row]", has_text="مصر" if language == "ar" else "Egypt"
    ).is_visible()
    snap(page, f"champions-secretariat-{language}")
    assert axe(page) == []
    # Remove the member just added: the button asks first, then it is gone from the list.
    page.goto("/network/members-of-the-network/")
    page.locator(f"form[action$='/members-of-the-network/{added.pk}/remove/'] button").click()
    page.wait_for_load_state()
    assert "World Health Organization" in page.locator("main h1").inner_text()
    snap(page, f"member-remove-{language}")
    assert axe(page) == []
    assert NetworkMember.objects.filter(pk=added.pk).exists()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/network/members-of-the-network/")
    assert not NetworkMember.objects.filter(pk=added.pk).exists()
    assert page.locator("main th[scope=row]", has_text="World Health Organization").count() == 0
    snap(page, f"members-after-remove-{language}")
    assert axe(page) == []
    # Remove a champion country, with the keyboard this time.
    page.goto("/network/champion-countries/")
    egypt = ChampionCountry.objects.get(country=data["egypt"])
    page.locator(f"form[action$='/champion-countries/{egypt.pk}/remove/'] button").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert ("مصر" if language == "ar" else "Egypt") in page.locator("main h1").inner_text()
    assert axe(page) == []
    page.locator("main form button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/network/champion-countries/")
    assert not ChampionCountry.objects.filter(country=data["egypt"]).exists()
    snap(page, f"champions-after-remove-{language}")
    assert axe(page) == []
