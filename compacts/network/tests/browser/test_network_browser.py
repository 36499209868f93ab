"""The Secretariat runs a country network and a deliverable in a real browser, in English and
Arabic, with axe-core checks on every page.

The network flow is driven with the keyboard only (Tab to reach each control, typing, Space and
Enter): record a country network, add a focal point, record what it did, establish it, then see
it on the public page. The deliverable flow goes drafting -> pilot testing -> published on the
working group's pages; a mistake shows a clear error linked to its field and keeps what was
typed."""

import pytest

from compacts.actors import roles
from compacts.actors.testing import organisation_for_tests, user_with_role
from compacts.network import services
from compacts.network.models import CountryNetwork, Deliverable
from compacts.network.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password-1"


@pytest.fixture
def data():
    region = factories.RegionFactory(m49="002", name="Africa", names={"ar": "أفريقيا"})
    zambia = factories.CountryFactory(
        iso2="ZM", m49="894", name="Zambia", region=region, names={"ar": "زامبيا"}
    )
    kenya = factories.CountryFactory(
        iso2="KE", m49="404", name="Kenya", region=region, names={"ar": "كينيا"}
    )
    secretariat = user_with_role(roles.NETWORK_SECRETARIAT, username="sec", password=PASSWORD)
    return {
        "zambia": zambia,
        "kenya": kenya,
        "iom": organisation_for_tests(name="International Organization for Migration"),
        "secretariat": secretariat,
        "group": factories.WorkingGroupFactory(code="6", name="Access to services"),
        "champion": services.champion_country_add(actor=secretariat, country=kenya),
    }


def _tab_to(page, selector: str, limit: int = 200) -> None:
    """Press Tab until ``selector`` has the focus: the control is reachable by keyboard."""
    target = page.locator(selector)
    target.wait_for()
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def _type_into(page, selector: str, text: str) -> None:
    _tab_to(page, selector)
    page.keyboard.type(text)


def _choose(page, selector: str, label: str) -> None:
    """Choose the option whose text contains ``label`` with the arrow keys."""
    _tab_to(page, selector)
    select = page.locator(selector)
    labels = [o.strip() for o in select.locator("option").all_inner_texts()]
    index = next(i for i, text in enumerate(labels) if label in text)
    current = select.evaluate("element => element.selectedIndex")
    key = "ArrowDown" if index >= current else "ArrowUp"
    for _ in range(abs(index - current)):
        page.keyboard.press(key)
    assert select.evaluate("element => element.selectedIndex") == index


def _submit(page, form_selector: str) -> None:
    _tab_to(page, f"{form_selector} button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_country_network_is_run_with_the_keyboard(
    sign_in, page, axe, live_server, data, language, snap
):
    sign_in("sec", PASSWORD, next_url="/network/", language=language)
    page.goto("/network/networks/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    _tab_to(page, "main a[href='/network/networks/new/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert axe(page) == []
    # A mistake first: a country network without its country.
    _type_into(page, "#id_name", "UN Network on Migration in Zambia")
    _type_into(page, "#id_coordinating_office", "RCO Lusaka")
    _submit(page, "main form")
    assert page.locator(".form-errors").is_visible()
    assert page.locator("#id_name").input_value() == "UN Network on Migration in Zambia"
    assert page.locator("#id_coordinating_office").input_value() == "RCO Lusaka"
    assert page.locator(".form-errors a[href='#id_country']").is_visible()
    snap(page, f"network-error-{language}")
    assert axe(page) == []
    zambia = "زامبيا" if language == "ar" else "Zambia"
    _choose(page, "#id_country", zambia)
    _submit(page, "main form")
    network = CountryNetwork.objects.get()
    assert page.url.endswith(f"/network/networks/{network.pk}/manage/")
    assert axe(page) == []
    # A focal point.
    _choose(page, "#id_focal-organisation", "International Organization for Migration")
    _type_into(page, "#id_focal-name", "Ana Phiri")
    _type_into(page, "#id_focal-email", "ana@example.org")
    _submit(page, "form:has(#id_focal-name)")
    assert network.focal_points.get().name == "Ana Phiri"
    # What it did: officials trained.
    training = "درّبت مسؤولين" if language == "ar" else "Trained officials"
    _choose(page, "#id_achievement-kind", training)
    _type_into(page, "#id_achievement-title", "Border officials trained on the GCM")
    _tab_to(page, "#id_achievement-happened_on")
    page.keyboard.type("05012022")  # month, day, year: the browser's date field
    _type_into(page, "#id_achievement-people_trained", "40")
    _submit(page, "form:has(#id_achievement-title)")
    achievement = network.achievements.get()
    assert (str(achievement.happened_on), achievement.people_trained) == ("2022-05-01", 40)
    # Established, with its date.
    _tab_to(page, "#id_move-established_on")
    page.keyboard.type("03012021")
    _submit(page, "form:has(#id_move-to)")
    network.refresh_from_db()
    assert network.state == "established"
    snap(page, f"network-manage-{language}")
    assert axe(page) == []
    # The public page shows it.
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"/network/networks/{network.pk}/")
    main = page.locator("main")
    assert main.get_by_text("Border officials trained on the GCM").is_visible()
    assert main.get_by_text("Ana Phiri").first.is_visible()
    assert main.locator("td.num", has_text="40").is_visible()
    assert axe(page) == []


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_deliverable_goes_from_drafting_to_publication(
    sign_in, page, axe, live_server, data, language, snap
):
    group = data["group"]
    sign_in("sec", PASSWORD, next_url="/network/", language=language)
    page.goto(f"/network/working-groups/{group.code}/manage/")
    page.locator("#id_deliverable-title").fill("Toolkit on access to services")
    page.locator("form:has(#id_deliverable-title) button[type=submit]").click()
    page.wait_for_load_state()
    deliverable = Deliverable.objects.get()
    assert page.url.endswith(f"/working-groups/{group.code}/deliverables/{deliverable.pk}/")
    assert axe(page) == []
    # Piloting before naming the champion countries is refused, clearly.
    page.locator("#id_move-to").select_option("pilot-testing")
    page.locator("form:has(#id_move-to) button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".form-errors").is_visible()
    snap(page, f"deliverable-error-{language}")
    assert axe(page) == []
    page.locator("#id_pilots-champions input[type=checkbox]").first.check()
    page.locator("form:has(#id_pilots-champions) button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("#id_move-to").select_option("pilot-testing")
    page.locator("form:has(#id_move-to) button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("#id_feedback-champion").select_option(str(data["champion"].pk))
    page.locator("#id_feedback-feedback").fill("Clear and easy to adapt.")
    page.locator("form:has(#id_feedback-feedback) button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("#id_move-to").select_option("published")
    page.locator("form:has(#id_move-to) button[type=submit]").click()
    page.wait_for_load_state()
    deliverable.refresh_from_db()
    assert deliverable.state == "published"
    snap(page, f"deliverable-published-{language}")
    assert axe(page) == []
    page.goto(f"/network/working-groups/{group.code}/")
    assert page.locator("main").get_by_text("Clear and easy to adapt.").is_visible()
    assert axe(page) == []
