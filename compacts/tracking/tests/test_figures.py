"""The tracking maps (``figures.py``): an indicator's latest value by country and pledges by
country, each a world map with the table of every country beside it."""

from decimal import Decimal

import pytest
from django.test import Client

from compacts.core.exceptions import NotFoundError
from compacts.core.figures import figure_get
from compacts.tracking.models import GcrPledge
from compacts.tracking.services import pledges as pledge_services
from compacts.tracking.tests import factories as f
from compacts.tracking.tests import scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return scenario.build()


def _table(figure) -> list[tuple]:
    keys = [column.key for column in figure.columns]
    return [tuple(row[key] for key in keys) for row in figure.rows]


class IndicatorMapTests:
    def test_latest_headline_value_of_each_country(self, data):
        """3.8.1 (tests/data/3-8-1.csv): Morocco's headline series ends 2021 at 68, Nigeria's
        2021 at 42.1; the disaggregated series are not mixed in."""
        figure = figure_get("tracking-indicator-map", {"indicator": "3-8-1"})
        assert _table(figure) == [
            ("Morocco", "504", 2021, Decimal("68")),
            ("Nigeria", "566", 2021, Decimal("42.1")),
        ]
        assert figure.chart["projection"]["type"] == "equalEarth"
        assert [c.kind for c in figure.columns] == ["text", "m49", "year", "number"]

    def test_a_disaggregation_selects_its_series(self, data):
        figure = figure_get("tracking-indicator-map", {"indicator": "3-8-1", "d-Sex": "Female"})
        assert _table(figure) == [("Morocco", "504", 2021, Decimal("69"))]
        ignored = figure_get("tracking-indicator-map", {"indicator": "3-8-1", "d-Colour": "x"})
        assert len(ignored.rows) == 2  # an unknown column is ignored: the headline

    def test_unknown_indicator_is_not_found(self, data):
        with pytest.raises(NotFoundError):
            figure_get("tracking-indicator-map", {"indicator": "no-such"})

    def test_new_data_shows_at_once(self, data, django_capture_on_commit_callbacks):
        """An import announces "tracking": the cached map is renewed on the next read."""
        from compacts.tracking.services.indicators import indicator_data_import

        assert figure_get("tracking-indicator-map", {"indicator": "3-8-1"}).rows[1]["value"] == (
            Decimal("42.1")
        )
        with django_capture_on_commit_callbacks(execute=True):
            indicator_data_import(
                indicator=data.indicator, content=b"Year,GeoCode,Value\n2023,566,45\n",
                filename="3-8-1.csv", actor=data.secretariat,
            )  # fmt: skip
        rows = figure_get("tracking-indicator-map", {"indicator": "3-8-1"}).rows
        assert (rows[1]["year"], rows[1]["value"]) == (2023, Decimal("45"))

    def test_indicator_page_shows_the_map_and_every_country(self, data):
        html = Client().get("/tracking/indicators/3-8-1/").content.decode()
        assert "3.8.1: latest value by country" in html
        assert "/data/tracking-indicator-map.csv?indicator=3-8-1" in html


class PledgesByCountryTests:
    def test_counts_published_pledges_by_country(self, data):
        """Morocco: its published financial pledge (the draft is left out); Nigeria: two
        published GCM pledges and one published GCR pledge."""
        ngo = data.health_pledges[1].organisation
        ngo_user = f.user(roles=[("stakeholder-contributor", ngo)])
        gcr = pledge_services.gcr_pledge_create(
            data=pledge_services.GcrPledgeInput(
                title="Places", pledge_type="financial", description="Money.", forum_year=2023,
                organisation=ngo, gcr_objective=f.gcr_objective(1), country=data.nigeria,
                amount=Decimal("10"), currency="USD",
            ),
            actor=ngo_user,
        )  # fmt: skip
        pledge_services.gcr_pledge_transition(pledge=gcr, to="submitted", actor=ngo_user)
        pledge_services.gcr_pledge_transition(pledge=gcr, to="published", actor=data.secretariat)
        GcrPledge.objects.create(  # a draft: not counted
            reference="GRF-x", title="Draft", pledge_type="financial", description="-",
            forum_year=2023, organisation=ngo, gcr_objective=f.gcr_objective(1),
        )  # fmt: skip
        figure = figure_get("tracking-pledges-by-country", {})
        assert _table(figure) == [("Morocco", "504", 1, 0, 1), ("Nigeria", "566", 2, 1, 3)]
        assert figure.chart["layer"][1]["encoding"]["color"]["field"] == "total"
        # Counts 1 to 3: without a minimum step the gradient legend would tick at 1.5 and 2.5
        # and, printed without decimals, repeat "2" and "3".
        legend = figure.chart["layer"][1]["encoding"]["color"]["legend"]
        assert legend["tickMinStep"] == 1
        assert legend["format"] == "d"

    def test_one_objective(self, data):
        figure = figure_get("tracking-pledges-by-country", {"objective": "20"})
        assert _table(figure) == [("Nigeria", "566", 1, 0, 1)]
        assert figure.title == "Pledges for GCM objective 20 by country"
        malformed = figure_get("tracking-pledges-by-country", {"objective": "99"})
        assert malformed.title == "Pledges by country"  # ignored, not an error

    def test_dashboard_shows_the_map(self, data):
        html = Client().get("/tracking/pledges/").content.decode()
        assert "/data/tracking-pledges-by-country.csv" in html
