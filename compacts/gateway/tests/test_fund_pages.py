"""The gateway's fund pages for the public: content checked against the data, private concept
notes never shown, bad input answered with a 404 page in the reader's language or ignored."""

import html as htmllib
import re
from decimal import Decimal

import pytest
from django.test import Client

from compacts.fund.selectors import factsheet_get
from compacts.gateway.tests.test_fund_factories import build

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page's visible text in one line (tags dropped, spaces collapsed)."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def g():
    return build(programmes=3, donors=2, active=True)


class FundPagesTests:
    def test_the_overview_shows_the_factsheet_with_a_definition_beside_each_figure(self, g):
        """Every factsheet line is on the page with its value from the ledger and its meaning."""
        response = Client().get("/gateway/")
        assert response.status_code == 200
        page = text(response)
        totals = factsheet_get(fund=g.w.fund).totals
        assert totals["deposits"] == Decimal("20300000.00")
        assert "Contributions received USD 20,300,000" in page
        assert "Money donors have paid into the fund" in page
        assert f"Transfers to participating organisations USD {totals['transfers']:,.0f}" in page
        assert "Administrative agent fee USD 203,000" in page
        assert f"Expenditure USD {totals['expenditure']:,.0f}" in page
        assert f"Delivery rate {totals['delivery_rate']:.2f} %" in page
        for title in (
            "Contributions received by donor and year",
            "Transfers and expenditure by participating organisation",
            "The fund's money by year",
            "Joint programmes by stage",
        ):
            assert title in page
        # The figures' data tables hold the donors and their deposits.
        for donor in g.donors:
            assert donor.name in page

    def test_the_directory_lists_public_programmes_only(self, g):
        """Endorsed and active programmes are listed; the draft and the submitted note are not."""
        page = text(Client().get("/gateway/programmes/"))
        assert "3 joint programmes" in page
        for programme in g.endorsed:
            assert programme.title in page
        assert "Secret draft" not in page
        assert "Submitted note" not in page

    def test_a_private_concept_note_is_a_404(self, g):
        """A draft does not reveal that it exists: the same 404 as an unknown id."""
        for programme in g.private:
            assert Client().get(f"/gateway/programmes/{programme.pk}/").status_code == 404

    def test_the_programme_page_shows_money_results_and_decisions(self, g):
        page = text(Client().get(f"/gateway/programmes/{g.active.pk}/"))
        assert g.active.title in page
        assert "Approved budget USD 428,000" in page
        assert "Transferred USD 214,000" in page
        assert "Spent USD 75,000" in page
        assert "1.1 Policies using migration data" in page
        assert "2027: 3" in page  # target
        assert "2026: 1" in page  # approved actual
        assert "Steering Committee decision at" in page
        assert ": Endorse" in page
        assert ": Approve" in page
        assert "Spent on the data audit." in page  # accepted report
        assert "Moved to “Submitted" not in page  # moves before endorsement are private

    def test_the_pipeline_is_in_the_committees_order(self, g):
        """Endorsed programmes awaiting funds, by priority: the builder reversed the codes."""
        html = Client().get("/gateway/pipeline/").content.decode()
        waiting = [p for p in reversed(g.endorsed) if p.pk != g.active.pk]
        positions = [html.index(f'data-programme="{p.pk}"') for p in waiting]
        assert positions == sorted(positions)
        assert f'data-programme="{g.active.pk}"' not in html

    def test_donor_pages_attribute_transfers_pro_rata(self, g):
        donor = g.donors[1]
        page = text(Client().get("/gateway/donors/"))
        assert donor.name in page
        page = text(Client().get(f"/gateway/donors/{donor.pk}/"))
        # 200,000 of 20,300,000 received: 0.99 % of the 214,000 transferred.
        share = Decimal("200000") / Decimal("20300000")
        attributed = (Decimal("214000") * share).quantize(Decimal("0.01"))
        assert f"{attributed:,}" in page
        assert "Received USD 200,000" in page
        assert "No earmark" in page


class BadInputTests:
    def test_unknown_ids_are_404_pages_in_the_readers_language(self, g):
        french = Client(headers={"accept-language": "fr"})
        for url in (
            "/gateway/programmes/999999/",
            "/gateway/programmes/99999999999999999999999999/",
            "/gateway/donors/999999/",
            f"/gateway/donors/{g.w.punos[0].pk}/",  # an organisation that gave nothing
        ):
            response = french.get(url)
            assert response.status_code == 404, url
            assert "Page introuvable" in response.content.decode()

    def test_malformed_facets_are_ignored_and_named(self, g):
        response = Client().get(
            "/gateway/programmes/?country=ZZ&objective=abc&organisation=1e9&region=%00"
            "&state=draft&gender=99&q=" + "x" * 5000
        )
        assert response.status_code == 200
        page = text(response)
        assert "were not understood and were left out" in page
        assert "country=ZZ" in page
        assert "state=draft" in page

    def test_huge_and_malformed_page_numbers_are_clamped(self, g):
        for value in ("99999999999999999999999", "-3", "abc", "0"):
            response = Client().get(f"/gateway/programmes/?page={value}")
            assert response.status_code == 200
            assert "3 joint programmes" in text(response)

    def test_facets_narrow_the_list(self, g):
        page = text(Client().get("/gateway/programmes/?country=IQ"))
        assert "1 joint programme " in page
        assert "Joint programme number 2" in page
        assert "Joint programme number 1 " not in page


class NavigationTests:
    def test_the_main_navigation_has_the_open_data_entry(self, db):
        build(programmes=0, donors=0)
        html = Client().get("/").content.decode()
        assert 'href="/gateway/"' in html
        assert "Open data" in html

    def test_without_a_fund_the_gateway_says_so(self, db):
        response = Client().get("/gateway/")
        assert response.status_code == 404
