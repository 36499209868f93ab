"""Progress reports for an objective and a country, checked against the data they summarise."""

import re

import pytest
from django.test import Client

from compacts.tracking import selectors
from compacts.tracking.tests import factories as f
from compacts.tracking.tests import scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return scenario.build()


def figures(html: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", v).strip()
        for v in re.findall(r'data-figure="\d+">(.*?)</td>', html, re.S)
    ]


class ObjectiveReportTests:
    def test_objective_15_counts_only_its_published_pledges(self, data):
        """Objective 15: two published pledges (the draft and the objective-20 pledge are left
        out), USD 1,000,000 pledged, one country with a plan action; each pledge is linked."""
        report = selectors.objective_report(objective=f.objective(15), user=None)
        count, money, countries = report["figures"][:3]
        assert count.value == 2
        assert {text for text, _url in count.sources} == {p.reference for p in data.health_pledges}
        assert money.value == {"USD": 1000000}
        assert countries.value == 1
        html = Client().get("/tracking/reports/objectives/15/").content.decode()
        assert figures(html)[0] == "2"
        assert "USD 1,000,000" in figures(html)[1]
        for pledge in data.health_pledges:
            assert f'href="/tracking/pledges/{pledge.pk}/"' in html
        assert data.draft.reference not in html
        assert data.other_pledge.reference not in html
        assert "/tracking/indicators/3-8-1/?country=504" in html

    def test_pdf_opens(self, data):
        response = Client().get("/tracking/reports/objectives/15/pdf/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


class CountryReportTests:
    def test_morocco_report(self, data):
        """Morocco: one published pledge (its draft is not counted), its published plan with one
        action, indicator series for Morocco only, and its health-inclusion assessment."""
        report = selectors.country_report(country=data.morocco, user=None)
        assert report["figures"][0].value == 1
        assert report["figures"][2].value == 1
        assert {row["series"].country.m49 for row in report["indicator_rows"]} == {"504"}
        assert len(report["indicator_rows"]) == 4
        html = Client().get("/tracking/reports/countries/504/").content.decode()
        assert figures(html)[0] == "1"
        assert f"/tracking/plans/{data.version.pk}/" in html
        assert "Ministry of Health circular" in html
        assert "Nigeria" not in html.split("<main")[1]

    def test_report_in_arabic_is_rtl(self, data):
        client = Client()
        client.cookies["django_language"] = "ar"
        html = client.get("/tracking/reports/countries/504/").content.decode()
        assert 'dir="rtl"' in html
        assert "المغرب" in html

    def test_unknown_country_is_404(self, data):
        assert Client().get("/tracking/reports/countries/999/").status_code == 404
