"""Reads of the api app: a person's tokens."""

from django.db import models

from compacts.api.models import ApiToken


def api_token_list(*, user) -> models.QuerySet[ApiToken]:
    """``user``'s tokens, newest first, revoked ones included (they show when they were revoked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def api_token_get(*, user, token_id: int) -> ApiToken | None:
    """One of ``user``'s own tokens, or ``None`` (another person's token is not found either)."""
    return ApiToken.objects.filter(user=user, pk=token_id).first()
