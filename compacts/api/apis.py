"""Tokens for machine clients, managed by their owner (``/api/v1/tokens``)."""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema, Status
from ninja.pagination import paginate

from compacts.api.auth import signed_in_auth
from compacts.api.pagination import Paginated
from compacts.api.schemas import MAX_ID, ErrorOut
from compacts.api.selectors import api_token_get, api_token_list
from compacts.api.services import NAME_MAX_LENGTH, api_token_create, api_token_revoke
from compacts.core.exceptions import NotFoundError

router = Router(tags=["tokens"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ApiTokenCreateIn(Schema):
    name: str = Field(..., min_length=1, max_length=NAME_MAX_LENGTH)


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiTokenCreatedOut(ApiTokenOut):
    secret: str = Field(..., description="Shown once: store it now, it cannot be read again.")


@router.get("", response={200: list[ApiTokenOut], **ERRORS}, auth=signed_in_auth)
@paginate(Paginated)
def api_token_list_api(request):
    """Your tokens, newest first (revoked ones too)."""
    return api_token_list(user=request.auth)


@router.post("", response={201: ApiTokenCreatedOut, 400: ErrorOut, **ERRORS}, auth=signed_in_auth)
def api_token_create_api(request, payload: ApiTokenCreateIn):
    """Issue a token acting as you. The secret is in this answer only."""
    token, secret = api_token_create(user=request.auth, name=payload.name, actor=request.auth)
    return Status(201, {**ApiTokenOut.model_validate(token).model_dump(), "secret": secret})


@router.delete("/{int:token_id}", response={204: None, **ERRORS}, auth=signed_in_auth)
def api_token_revoke_api(request, token_id: int = Path(..., ge=1, le=MAX_ID)):
    """Revoke one of your tokens; it stops working at once."""
    token = api_token_get(user=request.auth, token_id=token_id)
    if token is None:
        raise NotFoundError(_("You have no token with this id."))
    api_token_revoke(token=token, actor=request.auth)
    return Status(204, None)
