"""What a figure is: a table of data (columns and rows), optionally drawn as a Vega-Lite chart."""

from dataclasses import dataclass, field
from typing import Any

KINDS = ("text", "number", "money", "percent", "date", "year", "m49")
NUMERIC_KINDS = frozenset({"number", "money", "percent"})


@dataclass(frozen=True)
class Column:
    """One column of a figure's table.

    ``kind`` says how values are shown and exported:

    - ``text``: a string, shown as it is;
    - ``number``: an ``int`` or ``Decimal``, grouped for the reader's locale;
    - ``money``: a ``Decimal`` amount in US dollars (name the currency in the label), shown with
      two decimals;
    - ``percent``: a *fraction* (``Decimal("0.452")`` is 45.2 %), as Vega-Lite's ``%`` format and
      spreadsheets expect;
    - ``date``: a ``datetime.date``, shown in the locale's date format, exported as ISO 8601;
    - ``year``: an ``int`` (no grouping: 2024, not 2,024);
    - ``m49``: a UN M49 code of a country or region, a three-digit string such as ``"004"``.
    """

    key: str
    label: str
    kind: str = "text"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Unknown column kind {self.kind!r}; use one of {', '.join(KINDS)}.")

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


@dataclass
class Figure:
    """A table of ``rows`` (dicts keyed by the columns' keys), a ``chart`` (a Vega-Lite spec
    *without* ``data``: the rows are its data) or ``None``, and notes about it.

    ``slug`` and ``params`` are filled by the registry (``figure_get``); a figure built by hand
    and rendered with ``{% figure figure_obj %}`` has no download links unless it has a slug.
    """

    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    chart: dict[str, Any] | None = None
    description: str = ""
    source: str = ""
    slug: str = ""
    params: dict[str, str] = field(default_factory=dict)
    # Set by ``figure_get``: where the figure is cached, so its HTML can be cached beside it.
    cache_key: str = field(default="", repr=False, compare=False)

    def __post_init__(self) -> None:
        keys = [column.key for column in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"Figure {self.title!r} has duplicate column keys: {keys}.")
