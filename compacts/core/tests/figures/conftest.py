"""A figure registered for the tests of compacts.core.figures: contributions by donor and year,
with parameters that are checked the way real figures check them."""

import datetime
from decimal import Decimal

import pytest

from compacts.core.exceptions import ApplicationError, NotFoundError
from compacts.core.figures import Column, Figure, register_figure, unregister_figure

SLUG = "test-contributions"
ROWS = [
    {
        "donor": "Germany",
        "code": "DE",
        "year": 2023,
        "amount": Decimal("1234567.50"),
        "share": Decimal("0.4525"),
        "received": datetime.date(2023, 3, 5),
        "m49": "276",
    },
    {
        "donor": '=HYPERLINK("http://evil.example")',
        "code": "XX",
        "year": 2024,
        "amount": Decimal("-250.00"),
        "share": Decimal("0.1"),
        "received": datetime.date(2024, 11, 30),
        "m49": "4",
    },
    {
        "donor": "مانح",
        "code": "AR",
        "year": 2024,
        "amount": Decimal("0.10"),
        "share": None,
        "received": None,
        "m49": "682",
    },
]
CALLS: list[dict] = []


def build(*, params: dict[str, str]) -> Figure:
    CALLS.append(dict(params))
    rows = ROWS
    year = params.get("year", "")
    if year.isdigit():  # a malformed year is ignored
        rows = [row for row in rows if row["year"] == int(year)]
    if "donor" in params:
        rows = [row for row in rows if row["code"] == params["donor"]]
        if not rows:
            raise NotFoundError("Unknown donor", {"donor": params["donor"]})
    if params.get("currency", "USD") != "USD":
        raise ApplicationError("Only US dollars", {"currency": params["currency"]})
    return Figure(
        title="Contributions by donor",
        description="Deposits received, in US dollars, by donor and year.",
        columns=[
            Column("donor", "Donor"),
            Column("year", "Year", kind="year"),
            Column("amount", "Amount (USD)", kind="money"),
            Column("share", "Share", kind="percent"),
            Column("received", "Received", kind="date"),
            Column("m49", "Country code", kind="m49"),
        ],
        rows=[dict(row) for row in rows],
        chart={
            "mark": "bar",
            "encoding": {
                "x": {"field": "donor", "type": "nominal", "title": "Donor"},
                "y": {
                    "field": "amount",
                    "type": "quantitative",
                    "title": "Amount (USD)",
                    "axis": {"format": "$,.0f"},
                },
                "color": {"field": "year", "type": "nominal"},
            },
        },
        source="Ledger of the test fund",
    )


@pytest.fixture
def sample_figure():
    """The figure ``test-contributions`` (topic "fund"), registered for one test."""
    CALLS.clear()
    register_figure(SLUG, topics=("fund",))(build)
    yield SLUG
    unregister_figure(SLUG)
