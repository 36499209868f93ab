"""Schemas every app's API shares."""

from typing import Any

from ninja import Schema

# The largest primary key the databases hold (signed 64-bit); path ids are bounded by it so a
# huge number is a 422, not an overflow in the database driver.
MAX_ID = 9_223_372_036_854_775_807


class ErrorOut(Schema):
    """Every 4xx response has this shape."""

    message: str
    extra: dict[str, Any]
