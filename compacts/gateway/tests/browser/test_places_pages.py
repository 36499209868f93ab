"""In a real browser: every places page (countries, a country, regions, the 360-degree view, an
objective, the map, the health lens, the landscape, and the panels on the framework's pages) in
English and Arabic, with its content checked against the data, its charts drawn and zero axe-core
violations; the map at a phone's width; an unknown country in French is a 404 page."""

import pytest

from compacts.gateway.tests.test_places_data import fresh, landscape_world, portfolio_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def p(tmp_path):
    fresh()
    places = portfolio_world()
    landscape_world(tmp_path)
    fresh()
    return places


def _language(page, live_server, language: str) -> None:
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )


def _pages(p) -> list[tuple[str, list[str]]]:
    """(address, texts the page must show, taken from the data)."""
    national, shared = p.programmes["national"], p.programmes["shared"]
    return [
        ("/gateway/countries/", [p.programmes["global"].title, "800"]),
        ("/gateway/countries/MK/", [national.title, shared.title, "700"]),
        ("/gateway/regions/150/", [national.title, p.programmes["pipeline"].title]),
        ("/gateway/objectives/", ["Drivers", "54"]),
        ("/gateway/objectives/15/", [shared.title, national.title]),
        ("/gateway/map/", ["788", "807"]),
        ("/gateway/health/", [shared.title, national.title]),
        ("/gateway/landscape/", ["XM-A1", "DE-B1", "2,100"]),
        ("/gateway/landscape/?country=TN", ["XM-A2", "675"]),
        ("/framework/countries/MK/", ["/gateway/countries/MK/"]),
        ("/framework/gcm/objectives/15/", ["/gateway/objectives/15/"]),
    ]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_places_page_is_accessible(page, axe, charts, live_server, snap, p, language):
    _language(page, live_server, language)
    for address, expected in _pages(p):
        response = page.goto(address)
        assert response.status == 200, address
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
        main = page.locator("main")
        html = main.inner_html()
        for piece in expected:
            if piece.startswith("/"):
                assert f'href="{piece}"' in html, (address, piece)
            elif language == "en" or not piece.replace(",", "").isdigit():
                assert piece in main.inner_text(), (address, piece)
        assert p.programmes["draft"].title not in main.inner_text()
        assert charts(page) == 0, address
        assert axe(page) == [], address
        name = address.strip("/").replace("/", "-").replace("?", "-").replace("=", "-")
        snap(page, f"{language}-{name}")


def test_the_map_fits_a_phone(page, axe, charts, live_server, snap, p):
    """At 390 px the map, its table and the navigation fit without sideways scrolling of the
    page (tables scroll inside their own region)."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/gateway/map/")
    assert charts(page) == 0
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    # The map is drawn over the world: one shape per country of the vendored atlas.
    page.wait_for_function("document.querySelectorAll('[data-figure-chart] svg path').length > 100")
    assert axe(page) == []
    snap(page, "phone-map")


def test_an_unknown_country_is_a_404_page_in_french(page, live_server, p):
    _language(page, live_server, "fr")
    response = page.goto("/gateway/countries/ZZ/")
    assert response.status == 404
    assert "Page introuvable" in page.locator("h1").inner_text()


def test_the_landscape_country_filter_works_with_the_keyboard(page, axe, live_server, p):
    page.goto("/gateway/landscape/")
    field = page.locator("#landscape-country")
    field.focus()
    field.fill("tn")
    page.keyboard.press("Enter")
    page.wait_for_url("**/gateway/landscape/?country=tn")
    assert "XM-A2" in page.locator("main").inner_text()
    assert "XM-A1" not in page.locator("main").inner_text()  # Somalia only
    assert axe(page) == []
