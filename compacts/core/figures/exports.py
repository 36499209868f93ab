"""A figure as a file: CSV (UTF-8 with a byte-order mark, so Excel reads Arabic and Chinese),
XLSX (a header row and typed cells, never formulas) and JSON (decimals as strings)."""

import csv
import io
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from compacts.core.figures.base import Column, Figure
from compacts.core.figures.values import json_rows, json_value

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_NUMBER_FORMATS = {
    "money": "#,##0.00",
    "percent": "0.0%",
    "number": "#,##0.##",
    "date": "yyyy-mm-dd",
    "year": "0",
}


def figure_json(figure: Figure) -> dict[str, Any]:
    """The figure as the API and the ``.json`` download give it."""
    return {
        "title": figure.title,
        "description": figure.description,
        "source": figure.source,
        "columns": [
            {"key": column.key, "label": column.label, "kind": column.kind}
            for column in figure.columns
        ],
        "rows": json_rows(figure),
    }


def _is_number(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except (InvalidOperation, ValueError):
        return False


def neutralise(text: str, *, numeric: bool = False) -> str:
    """``text`` made inert for spreadsheets: a leading ``'`` before a formula character, unless
    it is a number in a numeric column (``-12.5``)."""
    if text.startswith(FORMULA_STARTS) and not (numeric and _is_number(text)):
        return "'" + text
    return text


def _csv_cell(value: Any, column: Column) -> str:
    plain = json_value(value, column)
    if plain is None:
        return ""
    return neutralise(str(plain), numeric=column.is_numeric or column.kind == "year")


def figure_csv(figure: Figure) -> bytes:
    """The figure's table as CSV: a header row of the columns' labels, then one row per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(column.label) for column in figure.columns])
    for row in figure.rows:
        writer.writerow([_csv_cell(row.get(column.key), column) for column in figure.columns])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_value(value: Any, column: Column) -> Any:
    if value is None or value == "":
        return None
    if column.is_numeric or column.kind == "year":
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int | Decimal):
            return value
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            return _text(value)
        return number if number.is_finite() else _text(value)
    if column.kind == "date" and hasattr(value, "isoformat"):
        return value
    if column.kind == "m49":
        return json_value(value, column)
    return _text(value)


def _text(value: Any) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _write_text(sheet, row: int, col: int, value: str) -> None:
    cell = sheet.cell(row=row, column=col, value=_text(value))
    cell.data_type = "s"  # openpyxl would store "=..." as a formula


def figure_xlsx(figure: Figure) -> bytes:
    """The figure as an Excel workbook: sheet one holds the table (a bold header row, numbers,
    amounts, percentages and dates as typed cells), sheet two the title, description and
    source."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Data")[:31]
    for col, column in enumerate(figure.columns, start=1):
        _write_text(sheet, 1, col, column.label)
        sheet.cell(row=1, column=col).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(col)].width = max(
            12, min(50, len(column.label) + 4)
        )
    for row_number, row in enumerate(figure.rows, start=2):
        for col, column in enumerate(figure.columns, start=1):
            value = _xlsx_value(row.get(column.key), column)
            if isinstance(value, str):
                _write_text(sheet, row_number, col, value)
                continue
            cell = sheet.cell(row=row_number, column=col, value=value)
            if value is not None and column.kind in XLSX_NUMBER_FORMATS:
                cell.number_format = XLSX_NUMBER_FORMATS[column.kind]
    sheet.freeze_panes = "A2"
    about = workbook.create_sheet(_("About")[:31])
    for row_number, (label, text) in enumerate(
        [
            (_("Title"), figure.title),
            (_("Description"), figure.description),
            (_("Source"), figure.source),
        ],
        start=1,
    ):
        _write_text(about, row_number, 1, str(label))
        about.cell(row=row_number, column=1).font = Font(bold=True)
        _write_text(about, row_number, 2, text or "")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
