"""The Open SDG data format: one tidy CSV per indicator (open-sdg ``docs/data-format.md``).

Columns: ``Year``, ``GeoCode`` (the UN M49 code of the country), any disaggregation columns
(``Sex``, ``Age``, ``Units`` ...; a blank cell means "all"), and ``Value``. A row whose
disaggregation cells are all blank belongs to the headline series.

``parse_observations`` turns a read ``Table`` into checked rows (every problem named by row and
column); ``write_csv`` writes the canonical file: columns in the indicator's stored order, rows
sorted by GeoCode, then series (headline first), then Year; values in their shortest decimal form.
Import then export therefore gives back a canonical file unchanged.
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from compacts.tracking.tables import Table

YEAR = "Year"
VALUE = "Value"
GEOCODE = "GeoCode"
RESERVED = {YEAR, VALUE, GEOCODE}


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class ParsedRow:
    row: int
    year: int
    m49: str
    disaggregation: dict[str, str]
    value: Decimal


def series_key(disaggregation: dict[str, str]) -> str:
    """The canonical text of a disaggregation: ``Age=15-24|Sex=Female``; ``""`` is the headline."""
    return "|".join(f"{name}={disaggregation[name]}" for name in sorted(disaggregation))


def disaggregation_columns(table: Table) -> list[str]:
    return [name for name in table.columns if name not in RESERVED]


def parse_observations(
    table: Table, *, known_m49: set[str], min_year: int = 1900, max_year: int = 2100
) -> tuple[list[ParsedRow], list[RowProblem]]:
    """Check every row; returns the parsed rows and the problems (both may be non-empty)."""
    problems: list[RowProblem] = []
    for required in (YEAR, GEOCODE, VALUE):
        if required not in table.columns:
            problems.append(
                RowProblem(
                    1, required, _("The column %(column)s is missing.") % {"column": required}
                )
            )
    if problems:
        return [], problems
    columns = disaggregation_columns(table)
    parsed: list[ParsedRow] = []
    seen: dict[tuple, int] = {}
    for row_number, values in table.rows:
        problem = _row_problem(row_number, values, known_m49, min_year, max_year)
        if problem:
            problems.append(problem)
            continue
        disaggregation = {name: values[name] for name in columns if values[name]}
        key = (values[GEOCODE].zfill(3), series_key(disaggregation), int(values[YEAR]))
        if key in seen:
            problems.append(
                RowProblem(
                    row_number,
                    YEAR,
                    _("Row %(row)s repeats row %(first)s (same GeoCode, year and disaggregation).")
                    % {"row": row_number, "first": seen[key]},
                )
            )
            continue
        seen[key] = row_number
        parsed.append(
            ParsedRow(
                row=row_number,
                year=int(values[YEAR]),
                m49=values[GEOCODE].zfill(3),
                disaggregation=disaggregation,
                value=Decimal(values[VALUE]),
            )
        )
    return parsed, problems


def _row_problem(row: int, values: dict[str, str], known_m49: set[str], min_year, max_year):
    year = values[YEAR]
    if not year.isdigit() or not (min_year <= int(year) <= max_year):
        return RowProblem(
            row,
            YEAR,
            _("Row %(row)s, column Year: %(value)s is not a year.")
            % {"row": row, "value": year or "(empty)"},
        )
    geocode = values[GEOCODE]
    if not (geocode.isdigit() and len(geocode) <= 3 and geocode.zfill(3) in known_m49):
        return RowProblem(
            row,
            GEOCODE,
            _("Row %(row)s, column GeoCode: %(value)s is not a UN M49 country code.")
            % {"row": row, "value": geocode or "(empty)"},
        )
    value = values[VALUE]
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        return RowProblem(
            row,
            VALUE,
            _("Row %(row)s, column Value: %(value)s is not a number.")
            % {"row": row, "value": value or "(empty)"},
        )
    return None


def format_value(value: Decimal) -> str:
    """The shortest decimal text of ``value``: 12.5, 3, -0.25 (never 1E+2)."""
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", ""} else text


def write_csv(*, columns: list[str], rows: list[ParsedRow]) -> str:
    """The canonical Open SDG CSV of an indicator (``\\n`` line ends, UTF-8 text)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([YEAR, GEOCODE, *columns, VALUE])

    def order(row: ParsedRow):
        return (
            row.m49,
            tuple(
                (row.disaggregation.get(name, "") != "", row.disaggregation.get(name, ""))
                for name in columns
            ),
            row.year,
        )

    for row in sorted(rows, key=order):
        writer.writerow(
            [
                row.year,
                row.m49,
                *(row.disaggregation.get(name, "") for name in columns),
                format_value(row.value),
            ]
        )
    return out.getvalue()
