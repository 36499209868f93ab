"""Every framework page type in a real browser, in English and Arabic, with zero axe violations."""

import io

import pytest
from playwright.sync_api import expect

from compacts.framework.reference import load_reference

pytestmark = [pytest.mark.browser]


@pytest.fixture
def loaded(transactional_db):
    """The live server's thread must see the data on PostgreSQL too, so it is committed; the
    ``live_server`` fixture makes every test transactional and flushes the database after it."""
    load_reference(stdout=io.StringIO())


def _visit(page, live_server, path, language):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    response = page.goto(path)
    assert response.status == 200
    direction = "rtl" if language == "ar" else "ltr"
    assert page.locator("html").get_attribute("dir") == direction
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1


# Page types, grouped so that each browser test loads the reference set once (the live server
# makes every test transactional, and a flush and reload per page type is slow).
GROUPS = {
    "gcm": [
        ("/framework/", "h1"),
        ("/framework/gcm/objectives/", "table"),
        ("/framework/gcm/principles/", "ol.principles"),
    ],
    "gcr-and-mptf": [("/framework/gcr/", "table"), ("/framework/mptf/", "table")],
    "sdg": [
        ("/framework/sdg/", "table"),
        ("/framework/sdg/goals/10/", "#target-10\\.7"),
        ("/framework/sdg/indicators/?gcm=1", "table"),
    ],
    "countries": [
        ("/framework/countries/?region=002", "table"),
        ("/framework/countries/XK/", "dl.facts"),
        ("/framework/regions/", "ul.tree"),
    ],
    "codelists": [
        ("/framework/codelists/", "table"),
        ("/framework/codelists/TransactionType/", "table"),
    ],
}


@pytest.mark.parametrize("group", list(GROUPS))
def test_pages_are_accessible_in_english_and_arabic(loaded, page, live_server, axe, group):
    for path, selector in GROUPS[group]:
        for language in ["en", "ar"]:
            _visit(page, live_server, path, language)
            assert page.locator(selector).first.is_visible()
            assert axe(page) == [], f"{path} ({language})"


def test_objective_15_in_english_and_arabic(loaded, page, live_server, axe):
    _visit(page, live_server, "/framework/gcm/objectives/15/", "en")
    assert page.locator("h1").inner_text() == "Provide access to basic services for migrants"
    assert page.locator("#action-15e").is_visible()
    assert page.get_by_text("Target 3.8").is_visible()
    assert page.get_by_text("Provisional").first.is_visible()
    assert axe(page) == []
    _visit(page, live_server, "/framework/gcm/objectives/15/", "ar")
    assert page.get_by_role("heading", name="الالتزام").is_visible()
    assert axe(page) == []


def test_country_search_and_language_switch(loaded, page, live_server, axe):
    _visit(page, live_server, "/framework/countries/", "en")
    page.get_by_label("Name or code").fill("Egypt")
    page.get_by_role("button", name="Filter").click()
    # Wait for the filtered page (is_visible() does not wait, and the old page is still there).
    page.wait_for_url("**q=Egypt**")
    expect(page.get_by_role("link", name="Egypt")).to_be_visible()
    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("link", name="مصر")).to_be_visible()
    page.get_by_role("link", name="مصر").click()
    assert page.locator("h1").inner_text() == "مصر"
    assert axe(page) == []


def test_superuser_confirms_a_marker_in_the_browser(
    loaded, page, live_server, axe, django_user_model
):
    django_user_model.objects.create_superuser(
        username="admin-test", password="a-long-passphrase-1", email="a@example.org"
    )
    page.goto("/accounts/login/?next=/framework/mptf/")
    page.get_by_label("Username").fill("admin-test")
    page.get_by_label("Password").fill("a-long-passphrase-1")
    page.locator("main button[type=submit], main input[type=submit]").first.click()
    page.wait_for_url("**/framework/mptf/")
    page.get_by_role("button", name="Confirm the Gender marker").click()
    expect(page.get_by_text("The marker Gender marker is confirmed.")).to_be_visible()
    assert page.get_by_role("button", name="Confirm the Gender marker").count() == 0
    assert axe(page) == []
