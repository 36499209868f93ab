"""Downloads at /data/<slug>.<csv|xlsx|json>: each format read back with its own parser; CSV
injection neutralised; bad parameters give a 404 or 400 page, never a 500."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from compacts.core.figures import Column, Figure
from compacts.core.figures.exports import figure_xlsx, neutralise

pytestmark = pytest.mark.django_db
EVIL = '=HYPERLINK("http://evil.example")'


def get(path: str, **headers):
    return Client(headers=headers).get(path)


class CsvTests:
    def test_csv_has_bom_header_and_rows(self, sample_figure):
        response = get("/data/test-contributions.csv")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="test-contributions.csv"'
        assert response.content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == ["Donor", "Year", "Amount (USD)", "Share", "Received", "Country code"]
        assert rows[1] == ["Germany", "2023", "1234567.50", "0.4525", "2023-03-05", "276"]
        assert rows[3] == ["مانح", "2024", "0.10", "", "", "682"]

    def test_formula_cells_are_neutralised_but_negative_amounts_stay_numbers(self, sample_figure):
        rows = list(
            csv.reader(io.StringIO(get("/data/test-contributions.csv").content.decode("utf-8-sig")))
        )
        assert rows[2][0] == "'" + EVIL
        assert rows[2][2] == "-250.00"
        assert rows[2][5] == "004"

    @pytest.mark.parametrize("text", ["=1+1", "+1", "-x", "@SUM(A1)", "\tx", "\rx"])
    def test_every_formula_start_is_neutralised(self, text):
        assert neutralise(text) == "'" + text

    def test_numbers_in_numeric_columns_are_left_alone(self):
        assert neutralise("-12.5", numeric=True) == "-12.5"
        assert neutralise("-x", numeric=True) == "'-x"
        assert neutralise("Germany") == "Germany"

    def test_params_filter_the_download(self, sample_figure):
        content = get("/data/test-contributions.csv?year=2024").content.decode("utf-8-sig")
        assert len(list(csv.reader(io.StringIO(content)))) == 3

    def test_headers_follow_the_readers_language(self, sample_figure):
        response = get("/data/test-contributions.csv", accept_language="fr")
        assert response["Content-Language"] == "fr"


class XlsxTests:
    def test_xlsx_has_a_header_row_and_typed_cells(self, sample_figure):
        response = get("/data/test-contributions.xlsx")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        book = load_workbook(io.BytesIO(response.content))
        sheet = book.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0] == ("Donor", "Year", "Amount (USD)", "Share", "Received", "Country code")
        assert rows[1][:3] == ("Germany", 2023, Decimal("1234567.5"))
        assert rows[1][3] == pytest.approx(0.4525)
        assert rows[1][4] == datetime.datetime(2023, 3, 5)
        assert rows[1][5] == "276"
        assert sheet["C2"].number_format == "#,##0.00"
        assert sheet["D2"].number_format == "0.0%"
        assert rows[3][3] is None
        about = book.worksheets[1]
        assert about["B1"].value == "Contributions by donor"
        assert about["B3"].value == "Ledger of the test fund"

    def test_xlsx_holds_no_formulas(self, sample_figure):
        book = load_workbook(io.BytesIO(get("/data/test-contributions.xlsx").content))
        sheet = book.worksheets[0]
        cell = sheet["A3"]
        assert cell.value == EVIL
        assert cell.data_type == "s"
        assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)

    def test_control_characters_do_not_break_the_workbook(self):
        figure = Figure(
            title="T\x07",
            columns=[Column("a", "A\x01"), Column("n", "N", kind="number")],
            rows=[{"a": "x\x00y", "n": "not a number"}],
        )
        sheet = load_workbook(io.BytesIO(figure_xlsx(figure))).worksheets[0]
        assert list(sheet.iter_rows(values_only=True)) == [("A", "N"), ("xy", "not a number")]


class JsonTests:
    def test_json_has_the_contract_shape_with_decimals_as_strings(self, sample_figure):
        response = get("/data/test-contributions.json?year=2023")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        body = json.loads(response.content)
        assert list(body) == ["title", "description", "source", "columns", "rows"]
        assert body["title"] == "Contributions by donor"
        assert body["columns"][2] == {"key": "amount", "label": "Amount (USD)", "kind": "money"}
        assert body["rows"] == [
            {
                "donor": "Germany",
                "year": 2023,
                "amount": "1234567.50",
                "share": "0.4525",
                "received": "2023-03-05",
                "m49": "276",
            }
        ]


class BadInputTests:
    def test_unknown_figure_is_a_404_page_in_the_readers_language(self):
        response = get("/data/no-such-figure.csv", accept_language="fr")
        assert response.status_code == 404
        assert "Page introuvable" in response.content.decode()

    def test_unknown_code_is_a_404(self, sample_figure):
        assert get("/data/test-contributions.json?donor=ZZ").status_code == 404

    def test_refused_parameter_is_a_400_page(self, sample_figure):
        response = get("/data/test-contributions.csv?currency=EUR")
        assert response.status_code == 400
        assert "Only US dollars" in response.content.decode()

    def test_malformed_parameters_are_ignored(self, sample_figure):
        for query in ["year=20x4", "year=%00%ff", "year=" + "9" * 5000, "a=1&a=2&" * 40]:
            response = get(f"/data/test-contributions.json?{query}")
            assert response.status_code in (200, 404), query

    def test_unknown_format_is_a_404(self, sample_figure):
        assert get("/data/test-contributions.pdf").status_code == 404
        assert get("/data/test-contributions.csv.exe").status_code == 404
