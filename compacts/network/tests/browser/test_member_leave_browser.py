"""Recording that a member left the Network, in a real browser (English and Arabic): the
Secretariat opens "Record that it left" on the members page, makes a mistake (a date before it
joined) and sees it on the field with the note kept, then confirms; the member moves to the
"Former members" table with the date it left, which the public sees too. axe-core checks every
page."""

import datetime

import pytest

from compacts.actors import roles
from compacts.actors.testing import organisation_for_tests, user_with_role
from compacts.network import services
from compacts.network.models import NetworkMember

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password-1"


@pytest.fixture
def data():
    secretariat = user_with_role(roles.NETWORK_SECRETARIAT, username="sec", password=PASSWORD)
    services.network_member_upsert(
        actor=secretariat,
        organisation=organisation_for_tests(name="International Organization for Migration"),
        is_executive_committee=True,
        is_coordinator=True,
        hosts_secretariat=True,
    )
    who = services.network_member_upsert(
        actor=secretariat,
        organisation=organisation_for_tests(name="World Health Organization"),
        joined_on=datetime.date(2019, 1, 1),
    )
    return {"who": who}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_member_leaves_and_shows_among_former_members(
    sign_in, page, axe, live_server, data, language, snap
):
    who = data["who"]
    sign_in("sec", PASSWORD, next_url="/network/", language=language)
    page.goto("/network/members-of-the-network/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    # The Coordinator has no "leave" action; WHO has one, before its other actions.
    assert page.locator("main a[href$='/leave/']").count() == 1
    snap(page, f"members-with-leave-{language}")
    assert axe(page) == []
    page.locator(f"main a[href$='/members-of-the-network/{who.pk}/leave/']").click()
    page.wait_for_load_state()
    assert "World Health Organization" in page.locator("main h1").inner_text()
    assert axe(page) == []
    # A mistake first: a date before it joined.
    page.locator("#id_left_on").fill("2018-05-01")
    page.locator("#id_note").fill("Decision of the Principals")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".form-errors a[href='#id_left_on']").is_visible()
    assert page.locator("#id_note").input_value() == "Decision of the Principals"
    snap(page, f"member-leave-error-{language}")
    assert axe(page) == []
    assert NetworkMember.objects.get(pk=who.pk).left_on is None
    # Then the right date: a confirmation first, nothing changed yet.
    page.locator("#id_left_on").fill("2024-06-30")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("main input[name=confirm]").count() == 1
    assert NetworkMember.objects.get(pk=who.pk).left_on is None
    snap(page, f"member-leave-confirm-{language}")
    assert axe(page) == []
    page.locator("main form button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/network/members-of-the-network/")
    row = NetworkMember.objects.get(pk=who.pk)
    assert (row.left_on, row.left_note) == (
        datetime.date(2024, 6, 30),
        "Decision of the Principals",
    )
    former = page.locator("section[aria-labelledby=former-heading]")
    assert former.locator("th[scope=row]", has_text="World Health Organization").is_visible()
    assert former.get_by_text("Decision of the Principals").is_visible()
    current = page.locator("section[aria-labelledby=current-heading]")
    assert current.locator("th[scope=row]", has_text="World Health Organization").count() == 0
    snap(page, f"members-after-leave-{language}")
    assert axe(page) == []
    # The public sees the former member in its own table, with the date it left.
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto("/network/members-of-the-network/")
    former = page.locator("section[aria-labelledby=former-heading]")
    assert former.locator("caption").is_visible()
    assert former.locator("th[scope=row]", has_text="World Health Organization").is_visible()
    assert former.locator("td", has_text="2024").first.is_visible()
    assert page.locator("main a[href$='/rejoin/']").count() == 0
    assert axe(page) == []
