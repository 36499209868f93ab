"""Reading uploaded tables (CSV or XLSX) into rows of text, with errors that name the row and
the column. Shared by the Open SDG indicator import and the pledge bulk upload.

XLSX files are read with openpyxl and refused when they hold formulas or merged cells: a formula's
value depends on the program that last saved the file, and merged cells hide which row a value
belongs to.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter


class TableError(Exception):
    """A file that cannot be read as a table; ``row`` and ``column`` say where."""

    def __init__(self, message: str, *, row: int = 0, column: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


@dataclass
class Table:
    """The header and the data rows; the header is row 1, as in a spreadsheet."""

    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


def read_table(*, content: bytes, filename: str) -> Table:
    extension = PurePath(filename).suffix.lower()
    if extension == ".csv":
        return read_csv(content)
    if extension == ".xlsx":
        return read_xlsx(content)
    raise TableError(_("Upload a .csv or .xlsx file."))


def _check_header(header: list[str]) -> list[str]:
    columns = [name.strip() for name in header]
    if not columns or not any(columns):
        raise TableError(_("The file has no header row."), row=1)
    for index, name in enumerate(columns, start=1):
        if not name:
            raise TableError(
                _("Column %(letter)s has no name in the header row.")
                % {"letter": get_column_letter(index)},
                row=1,
            )
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            raise TableError(
                _("The column %(column)s appears twice.") % {"column": name}, row=1, column=name
            )
        seen.add(name)
    return columns


def read_csv(content: bytes) -> Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError(_("The file is not UTF-8 text.")) from error
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration as error:
        raise TableError(_("The file is empty."), row=1) from error
    columns = _check_header(header)
    rows = []
    for line_number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            raise TableError(
                _("Row %(row)s has %(found)s cells; the header has %(expected)s.")
                % {"row": line_number, "found": len(cells), "expected": len(columns)},
                row=line_number,
            )
        rows.append(
            (line_number, {name: cell.strip() for name, cell in zip(columns, cells, strict=True)})
        )
    return Table(columns=columns, rows=rows)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # repr gives the shortest text that reads back as the same float: 12.5, not 12.499999.
        number = Decimal(repr(value))
        return str(int(number)) if number == number.to_integral_value() else format(number, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def read_xlsx(content: bytes) -> Table:
    """The first worksheet; refused when it holds formulas or merged cells."""
    try:
        workbook = load_workbook(io.BytesIO(content), data_only=False)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise TableError(_("The file is not a readable XLSX workbook.")) from error
    sheet = workbook.worksheets[0]
    if sheet.merged_cells.ranges:
        merged = sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))[0]
        raise TableError(
            _(
                "Merged cells are not accepted (%(range)s, from row %(row)s, column "
                "%(letter)s): unmerge them."
            )
            % {
                "range": merged.coord,
                "row": merged.min_row,
                "letter": get_column_letter(merged.min_col),
            },
            row=merged.min_row,
            column=get_column_letter(merged.min_col),
        )
    header_cells: list[str] = []
    rows: list[tuple[int, dict[str, str]]] = []
    columns: list[str] = []
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                name = columns[cell.column - 1] if columns and cell.column <= len(columns) else ""
                raise TableError(
                    _(
                        "Formulas are not accepted (cell %(cell)s, row %(row)s, column "
                        "%(column)s): paste the values instead."
                    )
                    % {
                        "cell": cell.coordinate,
                        "row": cell.row,
                        "column": name or cell.column_letter,
                    },
                    row=cell.row,
                    column=name or cell.column_letter,
                )
        values = [_cell_text(cell.value) for cell in row]
        if not columns:
            while values and not values[-1]:
                values.pop()
            header_cells = values
            columns = _check_header(header_cells)
            continue
        if not any(values):
            continue
        extra = [v for v in values[len(columns) :] if v]
        if extra:
            raise TableError(
                _("Row %(row)s has values beyond the last named column.") % {"row": row[0].row},
                row=row[0].row,
            )
        values = (values + [""] * len(columns))[: len(columns)]
        rows.append((row[0].row, dict(zip(columns, values, strict=True))))
    if not columns:
        raise TableError(_("The file is empty."), row=1)
    return Table(columns=columns, rows=rows)
