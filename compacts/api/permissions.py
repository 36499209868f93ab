"""Who may issue and revoke API tokens: a signed-in person for herself; a platform
administrator for anyone (docs/permissions.md)."""

from compacts.core.permissions import rule


@rule("api.token.create")
def can_create_token(user, owner) -> bool:
    """``owner`` is the person the token will act as."""
    if not user.is_authenticated or owner is None:
        return False
    return user.is_superuser or user.pk == owner.pk


@rule("api.token.revoke")
def can_revoke_token(user, token) -> bool:
    if not user.is_authenticated or token is None:
        return False
    return user.is_superuser or user.pk == token.user_id
