"""The one pagination style: ``?limit=&offset=`` in, ``{"count": N, "items": [...]}`` out."""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 500
# Beyond any table compacts holds, and far below the databases' 64-bit limits, so a huge offset
# is a clear 422 instead of an overflow inside the database driver.
MAX_OFFSET = 1_000_000_000


class Paginated(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description="Items per page (1-500).")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")

    def paginate_queryset(self, queryset, pagination: Input, **params) -> Any:
        offset, limit = pagination.offset, pagination.limit
        return {"count": self._items_count(queryset), "items": queryset[offset : offset + limit]}
