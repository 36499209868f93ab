"""Issuing and revoking API tokens. The secret is shown once; only its SHA-256 is stored."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compacts.api.models import ApiToken
from compacts.core.exceptions import ApplicationError, PermissionDeniedError
from compacts.core.services import audit_record

TOKEN_PREFIX = "cpt_"


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str, actor) -> tuple[ApiToken, str]:
    """Issue a token for ``user``; returns the row and the secret, which is never stored."""
    if actor.pk != user.pk and not actor.is_superuser:
        raise PermissionDeniedError(_("You may only create tokens for yourself."))
    name = name.strip()
    if not name:
        raise ApplicationError(_("Give the token a name."), {"field": "name"})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=secret[: len(TOKEN_PREFIX) + 6], digest=token_digest(secret)
    )
    audit_record(actor=actor, action="api.token.create", obj=token, after={"user": user.pk, "name": name})
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    if actor.pk != token.user_id and not actor.is_superuser:
        raise PermissionDeniedError(_("You may only revoke your own tokens."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(actor=actor, action="api.token.revoke", obj=token, after={"revoked": True})
    return token


def api_token_authenticate(*, secret: str):
    """The user a token belongs to, or ``None`` for an unknown or revoked token."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
