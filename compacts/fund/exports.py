"""Streamed downloads of the ledger and the factsheet, as CSV and XLSX, with a totals row.

CSV is generated row by row (``StreamingHttpResponse``) from a server-side cursor, so memory does
not grow with the ledger. XLSX is written by xlsxwriter in constant-memory mode to a temporary
file, then streamed from it (``FileResponse``).
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from compacts.core.money import ZERO
from compacts.fund.models import AccountCode, PostingKind
from compacts.fund.selectors import FACTSHEET_LINES, Factsheet


class _Echo:
    def write(self, value):
        return value


def ledger_rows(lines) -> Iterator[list]:
    """Header, one row per line (debit and credit columns), then the totals row."""
    yield [
        _("Posting"),
        _("Value date"),
        _("Kind"),
        _("Account"),
        _("Party"),
        _("Debit"),
        _("Credit"),
        _("Currency"),
    ]
    debit = credit = ZERO
    labels = dict(AccountCode.choices)
    kinds = dict(PostingKind.choices)
    for line in lines.iterator(chunk_size=2000):
        amount = line.amount
        if amount > 0:
            debit += amount
        else:
            credit -= amount
        yield [
            line.posting_id,
            line.value_date.isoformat(),
            str(kinds.get(line.kind, line.kind)),
            str(labels.get(line.account.code, line.account.code)),
            str(line.account.party) if line.account.party_id else "",
            amount if amount > 0 else "",
            -amount if amount < 0 else "",
            line.currency,
        ]
    yield [_("Total"), "", "", "", "", debit, credit, ""]


def factsheet_rows(sheet: Factsheet, labels: dict[str, str]) -> Iterator[list]:
    """One row per year, then the totals row (the whole period)."""
    keys = [*FACTSHEET_LINES, "balance_with_aa", "balance_with_pos"]
    yield [_("Year"), *[str(labels[key]) for key in keys]]
    for row in sheet.by_year:
        yield [row["year"], *[row[key] for key in keys]]
    yield [_("Total"), *[sheet.totals[key] for key in keys]]


def csv_response(rows: Iterable[list], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow([str(v) if isinstance(v, Decimal) else v for v in row]) for row in rows),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(rows: Iterable[list], filename: str, sheet_name: str) -> FileResponse:
    # Closed by FileResponse once the body is sent, which is why there is no ``with`` here.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook = xlsxwriter.Workbook(handle, {"constant_memory": True, "in_memory": False})
    worksheet = workbook.add_worksheet(sheet_name[:31])
    money = workbook.add_format({"num_format": "#,##0.00"})
    bold = workbook.add_format({"bold": True})
    previous = None
    for index, row in enumerate(rows):
        if previous is not None:
            _write(worksheet, index - 1, previous, money, bold if index == 1 else None)
        previous = row
        last = index
    if previous is not None:
        _write(worksheet, last, previous, money, bold)  # the totals row
    workbook.close()
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _write(worksheet, row_index, row, money, emphasis) -> None:
    for column, value in enumerate(row):
        if isinstance(value, Decimal):
            worksheet.write_number(row_index, column, float(value), money)  # display only
        elif emphasis is not None:
            worksheet.write(row_index, column, value, emphasis)
        else:
            worksheet.write(row_index, column, value)
