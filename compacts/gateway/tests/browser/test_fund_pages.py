"""In a real browser: every gateway fund page in English and Arabic passes axe-core with its
content checked against the data; the directory's facets work with the keyboard (htmx) and
without JavaScript; the pages fit a phone's width."""

import pytest

from compacts.gateway.tests.test_fund_factories import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def g():
    return build(programmes=3, donors=2, active=True)


def _language(page, live_server, language: str) -> None:
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )


def _pages(g) -> list[tuple[str, str]]:
    """(address, a text the page must show, taken from the data)."""
    return [
        ("/", g.active.title),
        ("/gateway/", g.donors[0].name),
        ("/gateway/programmes/", g.endorsed[1].title),
        (f"/gateway/programmes/{g.active.pk}/", "Policies using migration data"),
        ("/gateway/pipeline/", g.endorsed[-1].title),
        ("/gateway/donors/", g.donors[1].name),
        (f"/gateway/donors/{g.donors[0].pk}/", g.active.code),
    ]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_fund_page_is_accessible(page, axe, charts, live_server, snap, g, language):
    _language(page, live_server, language)
    for address, expected in _pages(g):
        page.goto(address)
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
        assert expected in page.locator("main").inner_text(), address
        # The figures script draws each chart as an SVG (vega-embed, vendored).
        assert charts(page) == 0, address
        assert axe(page) == [], address
        snap(page, f"{language}-{address.strip('/').replace('/', '-') or 'home'}")


def test_private_programmes_are_not_found_in_french(page, live_server, g):
    _language(page, live_server, "fr")
    response = page.goto(f"/gateway/programmes/{g.private[0].pk}/")
    assert response.status == 404
    assert "Page introuvable" in page.locator("h1").inner_text()


def test_facets_work_with_the_keyboard(page, axe, live_server, g):
    """Tab to a facet, tick it with the space bar: htmx replaces the results in place and the
    address follows, so the filtered list can be shared."""
    page.goto("/gateway/programmes/")
    assert page.locator("ol.results > li").count() == 3
    checkbox = page.locator("#facets input[name=country][value=IQ]")
    checkbox.focus()
    page.keyboard.press("Space")
    page.wait_for_url("**country=IQ**")
    page.locator("#results-heading", has_text="1 joint programme").wait_for()
    assert page.locator("ol.results > li").count() == 1
    assert g.endorsed[1].title in page.locator("ol.results").inner_text()
    assert page.locator("#facets input[name=country][value=IQ]").is_checked()
    assert axe(page) == []


def test_search_and_facets_without_javascript(browser, live_server, g):
    """The same form works as a plain GET form when scripts are off."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto("/gateway/programmes/")
        tab.locator("#directory-search").fill("number 3")
        tab.locator(".search-row button[type=submit]").click()
        tab.wait_for_url("**q=number**")
        assert g.endorsed[2].title in tab.locator("ol.results").inner_text()
        tab.locator("#facets input[name=country][value=MK]").check()
        tab.locator("#facets button[type=submit]").click()
        tab.wait_for_url("**country=MK**")
        assert tab.locator("ol.results > li").count() >= 1
    finally:
        context.close()


def test_pages_fit_a_phone(browser, live_server, snap, g):
    """At 375 px the pages scroll vertically only; wide tables scroll inside their box."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True
    )
    tab = context.new_page()
    try:
        for address in ("/gateway/", "/gateway/programmes/", f"/gateway/programmes/{g.active.pk}/"):
            tab.goto(address)
            width = tab.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, (address, width)
            snap(tab, f"phone-{address.strip('/').replace('/', '-')}")
    finally:
        context.close()
