"""The places selectors checked against the data the builders post through the fund's services
(see ``test_places_data.portfolio_world`` for the amounts), including bad input."""

from decimal import Decimal

import pytest

from compacts.core.exceptions import NotFoundError
from compacts.gateway.selectors import places as s
from compacts.gateway.tests.test_places_data import (
    fresh,
    fund,
    landscape_world,
    portfolio_world,
    programme,
)

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cold_cache():
    """Data versions roll back with each test's transaction; the cache does not."""
    fresh()


@pytest.fixture
def p():
    return portfolio_world()


class PortfolioTests:
    def test_only_public_programmes_from_endorsement_on(self, p):
        """Drafts and concept notes under screening never appear; endorsed, active and closed
        programmes do."""
        codes = {row.code for row in s.portfolio().programmes}
        expected = {p.programmes[n].code for n in ("national", "shared", "global", "pipeline")}
        assert codes == expected

    def test_money_per_programme_comes_from_the_ledger(self, p):
        rows = {row.code: row for row in s.portfolio().programmes}
        national = rows[p.programmes["national"].code]
        assert (national.allocated, national.transferred, national.expenditure) == (
            D("600000.00"),
            D("300000.00"),
            D("100000.00"),
        )
        shared = rows[p.programmes["shared"].code]
        assert shared.transferred == D("290000.00")  # refunds are netted
        assert shared.other_objectives == ()
        assert national.other_objectives == (15,)
        assert rows[p.programmes["pipeline"].code].budget == D("900000.00")
        assert rows[p.programmes["global"].code].stage == "closed"

    def test_totals_count_the_pipeline_budget_only_for_unfunded_programmes(self, p):
        totals = s.totals_of(s.portfolio().programmes)
        assert (totals["pipeline"], totals["funded"], totals["closed"]) == (1, 2, 1)
        assert totals["budget"] == D("900000.00")
        assert totals["allocated"] == D("1100000.00")
        assert totals["transferred"] == D("790000.00")
        assert totals["expenditure"] == D("300000.00")

    def test_the_cache_follows_a_new_transfer_at_once(self, p, django_capture_on_commit_callbacks):
        """A transfer announces "fund": the next read sees it, with no cache to clear."""
        before = s.country_page(iso2="MK").totals["transferred"]
        from compacts.fund import services as fund_services
        from compacts.fund.models import Allocation

        allocation = Allocation.objects.get(source_id=str(p.programmes["national"].pk))
        with django_capture_on_commit_callbacks(execute=True):
            fund_services.transfer_create(
                allocation=allocation,
                amount=D("1000.00"),
                value_date=allocation.decided_on,
                actor=None,
                idempotency_key="places-cache",
            )
        assert s.country_page(iso2="MK").totals["transferred"] == before + D("1000.00")

    def test_without_a_fund_every_page_is_empty_not_an_error(self, db):
        fresh()
        assert s.portfolio() is s.EMPTY_PORTFOLIO
        assert s.country_list_page().countries == []
        assert s.overview_page().totals["programmes"] == 0


class AttributionTests:
    def test_split_equally_adds_up_to_the_cent(self):
        assert s.split_equally(D("100.00"), 3) == [D("33.34"), D("33.33"), D("33.33")]
        assert sum(s.split_equally(D("290000.00"), 3)) == D("290000.00")
        assert s.split_equally(D("5.00"), 0) == []

    def test_a_multi_country_programme_is_split_equally(self, p):
        page = s.country_page(iso2="MK")
        assert page.totals["allocated"] == D("700000.00")  # 600,000 + 300,000 / 3
        assert page.totals["transferred"] == D("396666.66")  # 300,000 + 290,000 / 3
        assert page.totals["programmes"] == 2
        assert page.delivery_rate == D("25.21")
        albania = s.country_page(iso2="al")  # codes are case-insensitive
        assert albania.totals["transferred"] == D("96666.68")  # the first country by ISO code
        assert albania.totals["budget"] == D("900000.00")  # the pipeline programme
        shared = next(i for i in page.programmes if i.country_count == 3)
        assert shared.share["allocated"] == D("100000.00")

    def test_countries_and_unattributed_add_up_to_the_fund(self, p):
        listing = s.country_list_page()
        for key in ("allocated", "transferred", "expenditure", "budget"):
            countries = sum((row.totals[key] for row in listing.countries), D("0"))
            assert countries + listing.unattributed[key] == listing.totals[key], key
        assert [x.code for x in listing.unattributed_programmes] == [p.programmes["global"].code]

    def test_regions_roll_up_their_countries(self, p):
        listing = s.country_list_page()
        roots = {row.m49: row for row in listing.tree}
        assert set(roots) == {"002", "150"}  # only areas where the fund works
        europe = roots["150"]
        assert europe.totals["allocated"] == D("800000.00")
        assert europe.totals["transferred"] == D("493333.34")
        assert [c.m49 for c in europe.children] == ["039"]
        assert [c.code for c in europe.children[0].children] == ["AL", "MK"]
        page = s.region_page(m49="150")
        assert page.totals["allocated"] == D("800000.00")
        assert [a.m49 for a in page.ancestors] == ["001"]
        assert len(page.programmes) == 3  # national, shared, pipeline
        world = s.region_page(m49="1")  # corrected to 001
        assert world.totals["allocated"] == D("900000.00")

    def test_organisations_and_transfers_by_year(self, p):
        page = s.country_page(iso2="MK")
        assert [row["programmes"] for row in page.organisations] == [2, 2]
        assert page.transfers_by_year == [(2026, D("396666.66"))]

    @pytest.mark.parametrize("code", ["ZZ", "", "M", "MKD", "1!", "ÄÖ", "x" * 500])
    def test_unknown_or_malformed_country_codes_are_not_found(self, p, code):
        with pytest.raises(NotFoundError):
            s.country_page(iso2=code)

    @pytest.mark.parametrize("code", ["999", "abc", "", "-1", "1234", "１５０"])
    def test_unknown_or_malformed_region_codes_are_not_found(self, p, code):
        with pytest.raises(NotFoundError):
            s.region_page(m49=code)

    def test_reference_loaded_after_the_cache_filled_is_found_at_once(self, p):
        """Reference loaders do not announce: a miss reloads the reference before a 404."""
        from compacts.framework.models import Country, GcmObjective

        s.country_page(iso2="MK")  # fills the cache
        Country.objects.create(iso2="QA", iso3="QAT", m49="634", name="Qatar")
        GcmObjective.objects.create(
            number=23, title="Strengthen cooperation", short_label="Cooperation",
            commitment="We commit...", paragraph=39,
        )  # fmt: skip
        assert s.country_page(iso2="QA").country.label == "Qatar"
        assert s.objective_page(number=23).objective.number == 23
        assert s.landscape(country="QA").country.iso2 == "QA"

    def test_a_country_where_the_fund_does_nothing_has_an_empty_page(self, p):
        page = s.country_page(iso2="XK")
        assert page.programmes == []
        assert page.areas == []
        assert page.delivery_rate is None


class ObjectiveTests:
    def test_primary_objectives_count_fully_and_others_apart(self, p):
        page = s.objective_page(number="15")
        assert [x.code for x in page.primary] == [p.programmes["shared"].code]
        assert [x.code for x in page.other] == [p.programmes["national"].code]
        assert page.row.totals["allocated"] == D("300000.00")  # the other one is not added
        assert page.row.also == 1
        assert page.row.also_allocated == D("600000.00")
        assert [a.code for a in page.thematic_areas] == ["TA5"]

    def test_objective_rows_add_up_to_the_fund(self, p):
        page = s.overview_page()
        assert [row.number for row in page.objectives] == [1, 2, 3, 15]
        assert sum((r.totals["allocated"] for r in page.objectives), D(0)) == D("1100000.00")
        areas = {row.key: row for row in page.thematic_areas}
        assert areas["TA1"].totals["allocated"] == D("800000.00")
        assert areas["TA1"].totals["closed"] == 1

    def test_gaps_are_flagged(self, p):
        rows = {row.number: row for row in s.overview_page().objectives}
        assert rows[2].gap == "none"  # only a pipeline programme
        assert rows[2].totals["pipeline"] == 1
        assert rows[1].gap == rows[3].gap == rows[15].gap == ""
        assert rows[1].share == D("54.55")
        areas = {row.key: row.gap for row in s.overview_page().thematic_areas}
        assert areas == {"TA1": "", "TA2": "none", "TA5": ""}

    def test_little_funding_is_below_half_an_even_share(self, p):
        made = programme(p, "small", state="active", countries=["TN"], primary=2, area="TA2")
        fund(p, made, allocated="1000.00")
        fresh()
        rows = {row.number: row for row in s.overview_page().objectives}
        assert rows[2].gap == "little"
        assert rows[2].totals["allocated"] == D("1000.00")

    @pytest.mark.parametrize("number", ["99", "0", "abc", "", "-3", "1e3", None])
    def test_unknown_or_malformed_objectives_are_not_found(self, p, number):
        with pytest.raises(NotFoundError):
            s.objective_page(number=number)


class HealthTests:
    def test_programmes_tagged_to_objective_15_primary_or_other(self, p):
        page = s.health_page()
        assert [x.code for x in page.primary] == [p.programmes["shared"].code]
        assert [x.code for x in page.other] == [p.programmes["national"].code]
        assert page.totals["allocated"] == D("900000.00")
        assert page.totals["programmes"] == 2
        assert [c.code for c in page.countries] == ["AL", "MK", "TN"]

    def test_programmes_tagged_to_the_gcr_health_paragraphs_count_once(self, p):
        """A programme tagged to GCR area B-2.3 (paragraphs 72-73) joins the lens; one already
        there for objective 15 is not counted twice; a draft stays private; a GCR area that is
        not about health adds nothing."""
        from compacts.framework.models import GcrArea

        health = GcrArea.objects.create(
            code="B-2.3", title="Health", paragraphs="72-73", is_health=True
        )
        education = GcrArea.objects.create(code="B-2.1", title="Education", paragraphs="68-69")
        p.programmes["pipeline"].gcr_areas.set([health])
        p.programmes["shared"].gcr_areas.set([health, education])
        p.programmes["draft"].gcr_areas.set([health])
        p.programmes["global"].gcr_areas.set([education])
        fresh()

        page = s.health_page()

        assert [x.code for x in page.gcr] == [
            p.programmes["shared"].code,
            p.programmes["pipeline"].code,
        ]
        assert page.totals["programmes"] == 3
        assert page.totals["budget"] == D("900000.00")  # the pipeline programme's budget
        assert page.totals["allocated"] == D("900000.00")  # unchanged: it has no allocation
        assert [a.code for a in page.gcr_areas] == ["B-2.3"]


class LandscapeTests:
    def test_by_publisher_country_and_year_per_currency(self, tmp_path):
        landscape_world(tmp_path)
        page = s.landscape()
        assert page.activities == 3  # the health activity is not about migration
        publishers = {(r["ref"], r["currency"]): r for r in page.publishers}
        iom = publishers[("XM-DAC-47066", "USD")]
        assert (iom["activities"], iom["disbursements"], iom["commitments"]) == (
            2,
            D("2500.00"),
            D("3000.00"),
        )
        assert publishers[("DE-1", "EUR")]["disbursements"] == D("900.00")
        countries = {(r["code"], r["currency"]): r["disbursements"] for r in page.countries}
        assert countries == {
            ("SO", "USD"): D("2100.00"),
            ("TN", "USD"): D("400.00"),
            ("TN", "EUR"): D("675.00"),
            ("MK", "EUR"): D("225.00"),
        }
        years = {(r["year"], r["currency"]): r["disbursements"] for r in page.years}
        assert years == {
            (2024, "USD"): D("2000.00"),
            (2025, "USD"): D("500.00"),
            (2025, "EUR"): D("900.00"),
        }
        assert page.currencies == ["EUR", "USD"]
        assert page.publisher_count == 2

    def test_one_country_shows_only_its_shares(self, tmp_path):
        landscape_world(tmp_path)
        page = s.landscape(country="tn")
        assert page.country.iso2 == "TN"
        assert page.activities == 2
        publishers = {(r["ref"], r["currency"]): r["disbursements"] for r in page.publishers}
        assert publishers == {("XM-DAC-47066", "USD"): D("400.00"), ("DE-1", "EUR"): D("675.00")}

    def test_an_unknown_country_is_not_found_and_a_malformed_one_ignored(self, tmp_path):
        landscape_world(tmp_path)
        with pytest.raises(NotFoundError):
            s.landscape(country="ZZ")
        for malformed in ("%%", "1", "Somalia", "x" * 300):
            assert s.landscape(country=malformed).country is None

    def test_nothing_imported_is_an_empty_landscape(self, db):
        page = s.landscape()
        assert (page.activities, page.publishers, page.currencies) == (0, [], [])
