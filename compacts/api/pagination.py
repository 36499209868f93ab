"""The one pagination style: ``?limit=&offset=`` in, ``{"count": N, "items": [...]}`` out."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 500


class Paginated(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description=str(_("Items per page (1-500).")))
        offset: int = Field(0, ge=0, description=str(_("Items to skip.")))

    def paginate_queryset(self, queryset, pagination: Input, **params) -> Any:
        offset, limit = pagination.offset, pagination.limit
        return {"count": self._items_count(queryset), "items": queryset[offset : offset + limit]}
