"""The places pages over HTTP: content against the data, the reader's language, bad input
(404 in the reader's language, malformed parameters ignored, never a 500), the figures'
downloads and API, the panels on the framework's pages, and query counts that do not grow with
the data."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from compacts.gateway.tests.test_places_data import (
    fresh,
    landscape_world,
    more_activities,
    more_programmes,
    portfolio_world,
)

pytestmark = pytest.mark.django_db

PAGES = [
    "/gateway/countries/",
    "/gateway/countries/MK/",
    "/gateway/countries/XK/",
    "/gateway/regions/150/",
    "/gateway/regions/001/",
    "/gateway/objectives/",
    "/gateway/objectives/15/",
    "/gateway/objectives/2/",
    "/gateway/map/",
    "/gateway/health/",
    "/gateway/landscape/",
    "/gateway/landscape/?country=TN",
    "/framework/countries/MK/",
    "/framework/gcm/objectives/15/",
]
FIGURES = [
    ("gateway-places-map", ""),
    ("gateway-places-regions", ""),
    ("gateway-places-country", "iso2=MK"),
    ("gateway-places-country-transfers", "iso2=MK"),
    ("gateway-places-region", "m49=150"),
    ("gateway-places-objectives", ""),
    ("gateway-places-thematic-areas", ""),
    ("gateway-places-objective", "number=15"),
    ("gateway-places-health", ""),
    ("gateway-places-landscape-publishers", ""),
    ("gateway-places-landscape-countries", "country=TN"),
    ("gateway-places-landscape-years", ""),
]


@pytest.fixture(autouse=True)
def _cold_cache():
    fresh()


@pytest.fixture
def p(tmp_path):
    places = portfolio_world()
    landscape_world(tmp_path)
    return places


def get(url: str, language: str = "en"):
    return Client(headers={"accept-language": language}).get(url)


def text(response) -> str:
    return response.content.decode()


class PageTests:
    @pytest.mark.parametrize("language", ["en", "ar"])
    def test_every_page_renders_in_english_and_arabic(self, p, language):
        for url in PAGES:
            response = get(url, language)
            assert response.status_code == 200, url
            assert f'lang="{language}"' in text(response)

    def test_the_country_page_shows_the_attributed_money(self, p):
        page = text(get("/gateway/countries/MK/"))
        assert p.programmes["national"].title in page
        assert p.programmes["shared"].title in page
        assert p.programmes["draft"].title not in page
        assert p.programmes["screening"].title not in page
        assert "USD 700,000" in page  # approved: 600,000 + a third of 300,000
        assert "USD 396,667" in page  # transferred, rounded for display
        assert "Shared by 3 countries" in page
        assert "25.2 %" in page  # delivery rate
        assert f"/gateway/programmes/{p.programmes['national'].pk}/" in page

    def test_amounts_are_formatted_for_the_reader(self, p):
        assert "USD 700\xa0000" in text(get("/gateway/countries/MK/", "fr"))

    def test_the_countries_page_rolls_up_regions_and_lists_the_unattributed(self, p):
        page = text(get("/gateway/countries/"))
        assert 'href="/gateway/regions/150/"' in page
        assert 'href="/gateway/regions/039/"' in page
        assert 'href="/gateway/countries/TN/"' in page
        assert "800,000" in page  # Europe's approved funding
        assert p.programmes["global"].title in page  # not attributed to a country
        assert "illustrative" in page  # the closed programme is illustrative

    def test_the_360_degree_view_flags_gaps_in_words(self, p):
        page = text(get("/gateway/objectives/"))
        assert "Gap: no approved funding" in page
        assert page.count('class="gap-flag gap-none"') == 2  # objective 2 and TA2
        assert 'href="/gateway/objectives/15/"' in page

    def test_the_objective_page_separates_primary_and_other(self, p):
        page = text(get("/gateway/objectives/15/"))
        assert "Programmes with this primary objective" in page
        assert "Programmes that also contribute" in page
        assert p.programmes["shared"].title in page
        assert p.programmes["national"].title in page
        assert "USD 300,000" in page

    def test_the_health_page_links_to_the_tracking_health_lens(self, p):
        page = text(get("/gateway/health/"))
        assert 'href="/tracking/health/"' in page
        assert p.programmes["shared"].title in page
        assert "USD 900,000" in page
        # Each programme's row names its countries (the shared one: all three).
        assert "Albania, North Macedonia, Tunisia" in page

    def test_the_landscape_is_labelled_with_its_source(self, p):
        page = text(get("/gateway/landscape/"))
        assert "Not the fund&#x27;s data." in page or "Not the fund's data." in page
        assert "XM-A1" in page
        assert "XM-H1" not in page  # not a migration activity
        assert "IATI data published by the organisations named" in page

    def test_the_panels_on_the_framework_pages(self, p):
        country = text(get("/framework/countries/MK/"))
        assert "The Migration MPTF here" in country
        assert 'href="/gateway/countries/MK/"' in country
        objective = text(get("/framework/gcm/objectives/15/"))
        assert "Funding from the Migration MPTF" in objective
        assert 'href="/gateway/objectives/15/"' in objective
        # A country without programmes gets no panel.
        assert "The Migration MPTF here" not in text(get("/framework/countries/XK/"))


class BadInputTests:
    @pytest.mark.parametrize(
        "url",
        [
            "/gateway/countries/ZZ/",
            "/gateway/countries/abc/",
            "/gateway/regions/999/",
            "/gateway/regions/abc/",
            "/gateway/objectives/99/",
            "/gateway/objectives/abc/",
            "/gateway/landscape/?country=ZZ",
        ],
    )
    def test_unknown_codes_are_a_404_in_the_readers_language(self, p, url):
        response = get(url, "fr")
        assert response.status_code == 404
        assert 'lang="fr"' in text(response)

    @pytest.mark.parametrize(
        "url",
        [
            "/gateway/landscape/?country=%25%25",
            "/gateway/landscape/?country=Somalia",
            "/gateway/landscape/?country=" + "x" * 3000,
            "/gateway/landscape/?country=1&country=2",
            "/gateway/countries/?page=99999999999999999999",
            "/gateway/objectives/?gap=%00",
        ],
    )
    def test_malformed_parameters_are_ignored(self, p, url):
        assert get(url).status_code == 200

    def test_unknown_figure_parameters_are_a_404(self, p):
        assert Client().get("/data/gateway-places-country.csv?iso2=ZZ").status_code == 404
        assert Client().get("/data/gateway-places-country.csv").status_code == 404
        assert Client().get("/data/gateway-places-objective.json?number=abc").status_code == 404


class FigureTests:
    @pytest.mark.parametrize(("slug", "query"), FIGURES)
    def test_every_figure_downloads_and_is_in_the_api(self, p, slug, query):
        suffix = f"?{query}" if query else ""
        for fmt in ("csv", "xlsx", "json"):
            response = Client().get(f"/data/{slug}.{fmt}{suffix}")
            assert response.status_code == 200, (slug, fmt)
        api = Client().get(f"/api/v1/figures/{slug}{suffix}")
        assert api.status_code == 200, slug
        assert api.json()["rows"], slug

    def test_the_map_figure_lists_countries_with_their_m49_codes(self, p):
        data = json.loads(Client().get("/data/gateway-places-map.json").content)
        rows = {row["m49"]: row for row in data["rows"]}
        assert set(rows) == {"807", "008", "788"}
        assert rows["807"]["allocated"] == "700000.00"
        assert rows["008"]["transferred"] == "96666.68"

    def test_the_country_figure_matches_the_page(self, p):
        csv = Client().get("/data/gateway-places-country.csv?iso2=MK").content.decode()
        assert p.programmes["national"].code in csv
        assert "100000.00" in csv  # the shared programme's third of 300,000


class QueryCountTests:
    """Each page, with a cold cache, makes as many queries with more data as with less."""

    def _counts(self) -> dict[str, int]:
        counts = {}
        for url in PAGES:
            fresh()
            with CaptureQueriesContext(connection) as queries:
                response = get(url)
            assert response.status_code == 200, url
            counts[url] = len(queries)
        return counts

    def test_queries_do_not_grow_with_the_data(self, p, tmp_path):
        small = self._counts()
        more_programmes(p, 6)
        more_activities(tmp_path, 6)
        large = self._counts()
        assert large == small
        # And a warm cache keeps the pages cheap.
        get("/gateway/objectives/")
        with CaptureQueriesContext(connection) as queries:
            get("/gateway/objectives/")
        assert len(queries) <= 8
