"""The home page presents the fund in a few figures, read from the ledger and the cycle."""

from decimal import Decimal

import pytest
from django.test import Client

from compacts.gateway.selectors.fund import home_summary
from compacts.programmes.tests.factories import concept_note, world


class HomeSummaryTests:
    def test_without_a_fund_there_is_nothing_to_show(self, db):
        summary = home_summary()
        assert summary.fund is None
        assert (summary.pipeline, summary.funded, summary.closed) == (0, 0, 0)
        page = Client().get("/").content.decode()
        assert "Deposits received" not in page

    def test_figures_come_from_the_factsheet_and_drafts_are_not_counted(self, db):
        w = world(cash="5000000.00")
        concept_note(w)  # a draft: not public, not counted
        summary = home_summary()
        assert summary.fund == w.fund
        assert summary.totals["deposits"] == Decimal("5000000.00")
        assert summary.totals["transfers"] == Decimal("0")
        assert (summary.pipeline, summary.funded, summary.closed) == (0, 0, 0)

    @pytest.mark.parametrize(
        ("language", "figure"), [("en", "5,000,000"), ("fr", "5\xa0000\xa0000")]
    )
    def test_the_home_page_shows_them_formatted_for_the_reader(self, db, language, figure):
        world(cash="5000000.00")
        page = Client(headers={"accept-language": language}).get("/").content.decode()
        assert figure in page
        assert "/fund/" in page


class ArabicFiguresTests:
    def test_arabic_figures_are_grouped_in_thousands(self, db):
        world(cash="5000000.00")
        page = Client(headers={"accept-language": "ar"}).get("/").content.decode()
        assert "USD 5,000,000" in page
