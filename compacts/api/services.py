"""Issuing and revoking API tokens. The secret is shown once; only its SHA-256 is stored.

A token acts as one user (its owner) with exactly that user's permissions; a revoked token, or the
token of a deactivated user, authenticates nobody.
"""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compacts.api.models import ApiToken
from compacts.core.exceptions import ApplicationError
from compacts.core.permissions import require
from compacts.core.services import audit_record

TOKEN_PREFIX = "cpt_"  # noqa: S105 - a public marker, not a secret
NAME_MAX_LENGTH = 100
# Recording every use would write on every request; once a minute is enough to show activity.
LAST_USED_RESOLUTION_SECONDS = 60


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str, actor) -> tuple[ApiToken, str]:
    """Issue a token for ``user``; returns the row and the secret, which is never stored."""
    require(actor, "api.token.create", user)
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Give the token a name."), {"field": "name"})
    if len(name) > NAME_MAX_LENGTH:
        raise ApplicationError(
            _("The token's name is too long (100 characters at most)."), {"field": "name"}
        )
    if not user.is_active:
        raise ApplicationError(_("This account is deactivated."), {"field": "user"})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[: len(TOKEN_PREFIX) + 6], digest=token_digest(secret)
    )
    audit_record(
        actor=actor,
        action="api.token.create",
        obj=token,
        after={"user": user.pk, "name": name, "prefix": token.prefix},
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """Revoke a token at once. Revoking a revoked token changes nothing and is not an error."""
    require(actor, "api.token.revoke", token)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            actor=actor,
            action="api.token.revoke",
            obj=token,
            before={"revoked_at": None},
            after={"revoked_at": token.revoked_at},
        )
    return token


def api_token_authenticate(*, secret: str):
    """The user a token belongs to, or ``None`` for an unknown or revoked token, or one whose
    user is deactivated."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if (
        token.last_used_at is None
        or (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS
    ):
        # A bookkeeping timestamp, not a state change: no audit record, no model save.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
