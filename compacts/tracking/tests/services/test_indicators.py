"""Indicator data in the Open SDG format: the round trip, XLSX, and refused files."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from compacts.core.exceptions import PermissionDeniedError
from compacts.tracking.models import ImportRun, Observation
from compacts.tracking.selectors import indicator_export_csv, indicator_series
from compacts.tracking.services import indicators as services
from compacts.tracking.tests import factories as f

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent.parent / "data"


@pytest.fixture
def secretariat():
    return f.secretariat_user()


@pytest.fixture
def indicator(secretariat):
    f.country()
    f.country("566", "NG", "Nigeria")
    return services.indicator_create(
        data=services.IndicatorInput(
            kind="sdg", code="3.8.1", title="Coverage of essential health services"
        ),
        actor=secretariat,
    )


def xlsx(rows, *, merge: str = "", formula_cell: str = "") -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    if formula_cell:
        sheet[formula_cell] = "=B2*2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class OpenSdgRoundTripTests:
    def test_csv_import_then_export_gives_the_same_file(self, indicator, secretariat):
        """Import -> export returns the canonical Open SDG file byte for byte."""
        content = (DATA / "3-8-1.csv").read_bytes()
        report = services.indicator_data_import(
            indicator=indicator, content=content, filename="3-8-1.csv", actor=secretariat
        )
        assert report.accepted, report.rows
        assert len(report.rows) == 11
        assert all(row.accepted for row in report.rows)
        assert Observation.objects.filter(indicator=indicator).count() == 11
        assert indicator_export_csv(indicator=indicator).encode() == content
        indicator.refresh_from_db()
        assert indicator.disaggregation_columns == ["Sex", "Migratory status"]

    def test_xlsx_import_exports_the_same_csv(self, indicator, secretariat):
        """An XLSX with the same table (numbers as numbers) gives the same CSV."""
        lines = (DATA / "3-8-1.csv").read_text().splitlines()
        rows = [lines[0].split(",")]
        for line in lines[1:]:
            year, geo, sex, status, value = line.split(",")
            rows.append([int(year), geo, sex or None, status or None, float(value)])
        report = services.indicator_data_import(
            indicator=indicator, content=xlsx(rows), filename="3-8-1.xlsx", actor=secretariat
        )
        assert report.accepted, report.rows
        assert indicator_export_csv(indicator=indicator) == (DATA / "3-8-1.csv").read_text()

    def test_reimport_replaces_only_the_countries_in_the_file(self, indicator, secretariat):
        services.indicator_data_import(
            indicator=indicator,
            content=(DATA / "3-8-1.csv").read_bytes(),
            filename="a.csv",
            actor=secretariat,
        )
        services.indicator_data_import(
            indicator=indicator,
            content=b"Year,GeoCode,Value\n2022,566,43\n",
            filename="b.csv",
            actor=secretariat,
        )
        assert Observation.objects.filter(indicator=indicator, country__m49="566").count() == 1
        assert Observation.objects.filter(indicator=indicator, country__m49="504").count() == 9

    def test_series_carry_progress(self, indicator, secretariat):
        """Morocco's headline series, 60 (2015) -> 68 (2021): CAGR 2.11 % >= 1.5 %: on track."""
        services.indicator_data_import(
            indicator=indicator,
            content=(DATA / "3-8-1.csv").read_bytes(),
            filename="a.csv",
            actor=secretariat,
        )
        series = indicator_series(indicator=indicator, country=f.country(), filters={})
        headline = [s for s in series if not s.disaggregation]
        assert len(headline) == 1
        assert headline[0].progress.status == "on-track"
        assert [p.value for p in headline[0].points] == [
            Decimal("60"),
            Decimal("64.5"),
            Decimal("68"),
        ]
        female = indicator_series(indicator=indicator, filters={"Sex": "Female"})
        assert [s.label for s in female] == ["Sex: Female"]


class OpenSdgBadInputTests:
    @pytest.fixture
    def stored(self, indicator, secretariat):
        services.indicator_data_import(
            indicator=indicator,
            content=(DATA / "3-8-1.csv").read_bytes(),
            filename="a.csv",
            actor=secretariat,
        )
        return list(Observation.objects.filter(indicator=indicator).values_list("pk", "value"))

    def _refused(self, indicator, secretariat, content, filename="bad.csv"):
        report = services.indicator_data_import(
            indicator=indicator, content=content, filename=filename, actor=secretariat
        )
        assert not report.accepted
        return [r for r in report.rows if not r.accepted]

    def test_missing_year_column(self, indicator, secretariat, stored):
        """A file without Year is refused at row 1, column Year; stored data is unchanged."""
        refused = self._refused(indicator, secretariat, b"GeoCode,Value\n504,1\n")
        assert (refused[0].row, refused[0].column) == (1, "Year")
        assert "Year is missing" in refused[0].message
        assert (
            list(Observation.objects.filter(indicator=indicator).values_list("pk", "value"))
            == stored
        )

    def test_non_numeric_value_names_row_and_column(self, indicator, secretariat, stored):
        content = b"Year,GeoCode,Value\n2015,504,61\n2016,504,n/a\n2017,504,63\n"
        refused = self._refused(indicator, secretariat, content)
        assert [(r.row, r.column) for r in refused] == [(3, "Value")]
        assert "Row 3, column Value: n/a is not a number." in refused[0].message
        assert (
            list(Observation.objects.filter(indicator=indicator).values_list("pk", "value"))
            == stored
        )

    def test_country_code_not_m49(self, indicator, secretariat, stored):
        refused = self._refused(
            indicator, secretariat, b"Year,GeoCode,Value\n2015,MA,61\n2016,999,1\n"
        )
        assert [(r.row, r.column) for r in refused] == [(2, "GeoCode"), (3, "GeoCode")]
        assert "MA is not a UN M49 country code" in refused[0].message
        assert (
            list(Observation.objects.filter(indicator=indicator).values_list("pk", "value"))
            == stored
        )

    def test_formula_is_refused(self, indicator, secretariat, stored):
        content = xlsx(
            [["Year", "GeoCode", "Value"], [2015, "504", 3], [2016, "504", 4]], formula_cell="C3"
        )
        refused = self._refused(indicator, secretariat, content, "bad.xlsx")
        assert (refused[0].row, refused[0].column) == (3, "Value")
        assert "Formulas are not accepted (cell C3" in refused[0].message
        assert (
            list(Observation.objects.filter(indicator=indicator).values_list("pk", "value"))
            == stored
        )

    def test_merged_cells_are_refused(self, indicator, secretariat, stored):
        content = xlsx(
            [["Year", "GeoCode", "Value"], [2015, "504", 3], [2016, "504", 4]], merge="B2:B3"
        )
        refused = self._refused(indicator, secretariat, content, "bad.xlsx")
        assert (refused[0].row, refused[0].column) == (2, "B")
        assert "Merged cells are not accepted (B2:B3" in refused[0].message
        assert (
            list(Observation.objects.filter(indicator=indicator).values_list("pk", "value"))
            == stored
        )

    def test_duplicate_row(self, indicator, secretariat, stored):
        refused = self._refused(
            indicator, secretariat, b"Year,GeoCode,Value\n2015,504,1\n2015,504,2\n"
        )
        assert refused[0].row == 3
        assert "repeats row 2" in refused[0].message

    def test_every_refusal_is_logged_as_an_import_run(self, indicator, secretariat, stored):
        self._refused(indicator, secretariat, b"GeoCode,Value\n504,1\n")
        run = ImportRun.objects.filter(accepted=False).get()
        assert run.report[0]["column"] == "Year"

    def test_government_imports_only_its_own_national_indicator(self, secretariat):
        morocco = f.country()
        government = f.organisation("Government of Morocco", country_obj=morocco)
        focal = f.user(roles=[("government-focal-point", government)])
        national = services.indicator_create(
            data=services.IndicatorInput(
                kind="national", code="MA.15.1", title="x", country=morocco
            ),
            actor=focal,
        )
        assert national.slug == "ma-ma-15-1"
        report = services.indicator_data_import(
            indicator=national,
            content=b"Year,GeoCode,Value\n2020,504,1\n",
            filename="x.csv",
            actor=focal,
        )
        assert report.accepted
        sdg = services.indicator_create(
            data=services.IndicatorInput(kind="sdg", code="10.7.2", title="y"), actor=secretariat
        )
        with pytest.raises(PermissionDeniedError):
            services.indicator_data_import(
                indicator=sdg,
                content=b"Year,GeoCode,Value\n2020,504,1\n",
                filename="x.csv",
                actor=focal,
            )
