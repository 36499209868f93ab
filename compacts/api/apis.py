"""Tokens for machine clients, managed by their owner."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from compacts.api.auth import signed_in_auth
from compacts.api.models import ApiToken
from compacts.api.services import api_token_create, api_token_revoke

router = Router(tags=["tokens"])


class ApiTokenCreateIn(Schema):
    name: str


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiTokenCreatedOut(ApiTokenOut):
    secret: str


@router.get("", response=list[ApiTokenOut], auth=signed_in_auth)
def api_token_list(request):
    return ApiToken.objects.filter(user=request.auth)


@router.post("", response={201: ApiTokenCreatedOut}, auth=signed_in_auth)
def api_token_create_api(request, payload: ApiTokenCreateIn):
    token, secret = api_token_create(user=request.auth, name=payload.name, actor=request.auth)
    return 201, {**ApiTokenOut.from_orm(token).dict(), "secret": secret}


@router.delete("/{token_id}", response={204: None}, auth=signed_in_auth)
def api_token_revoke_api(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.auth)
    api_token_revoke(token=token, actor=request.auth)
    return 204, None
