"""A figure's values three ways: text for the reader's locale (the HTML table), plain JSON values
(downloads and the API: decimals as strings, so no amount is rounded by a float), and chart data
(numbers as JSON numbers, which Vega-Lite needs)."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import pgettext

from compacts.core.figures.base import Column

MISSING = "–"  # en dash: a cell without a value


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    try:
        return Decimal(str(value).strip())
    except ArithmeticError:
        return None


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def cell_text(value: Any, column: Column) -> str:
    """``value`` as the reader reads it in the active language (Django's locale formats)."""
    if value is None or value == "":
        return MISSING
    kind = column.kind
    if kind in ("number", "money", "percent"):
        number = _decimal(value)
        if number is None:
            return str(value)
        if kind == "money":
            return formats.number_format(number, 2, use_l10n=True, force_grouping=True)
        if kind == "percent":
            scaled = number * 100
            text = formats.number_format(
                scaled, min(_places(scaled), 2), use_l10n=True, force_grouping=True
            )
            # Translators: a percentage; French and Russian put a space before the sign.
            return pgettext("percentage", "%(number)s%%") % {"number": text}
        return formats.number_format(
            number, min(_places(number), 2), use_l10n=True, force_grouping=True
        )
    if kind == "date":
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return formats.date_format(value, "DATE_FORMAT", use_l10n=True)
        return str(value)
    if kind == "m49":
        return m49_code(value)
    return str(value)


def json_value(value: Any, column: Column) -> Any:
    """A JSON value for downloads and the API: decimals as strings, dates in ISO 8601."""
    if value is None:
        return None
    if column.kind == "m49":
        return m49_code(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        return str(Decimal(str(value)))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, bool | int):
        return value
    return str(value)


def m49_code(value: Any) -> str:
    """An M49 code as world-atlas and ``framework.Country.m49`` hold it: ``4`` -> ``"004"``."""
    text = str(value).strip()
    return text.zfill(3) if text.isdigit() else text


def chart_value(value: Any, column: Column | None) -> Any:
    """A value for the chart's data: numbers as JSON numbers, dates in ISO 8601, M49 codes with
    three digits."""
    if value is None:
        return None
    if column is not None and column.kind == "m49":
        return m49_code(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else None
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if column is not None and column.is_numeric:
        number = _decimal(value)
        return float(number) if number is not None else None
    return str(value)


def json_rows(figure) -> list[dict[str, Any]]:
    """The figure's rows with only its columns' keys, as JSON values."""
    return [
        {column.key: json_value(row.get(column.key), column) for column in figure.columns}
        for row in figure.rows
    ]


def chart_rows(figure) -> list[dict[str, Any]]:
    """The figure's rows as chart data; keys outside the columns are kept (chart-only fields)."""
    columns = {column.key: column for column in figure.columns}
    return [
        {key: chart_value(value, columns.get(key)) for key, value in row.items()}
        for row in figure.rows
    ]
