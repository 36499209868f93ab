from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    """Every 4xx response has this shape."""

    message: str
    extra: dict[str, Any]
