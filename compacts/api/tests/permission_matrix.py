"""Permission matrix rows of the api app (format: docs/permissions.md).

For tokens, ``same_org=True`` means the subject's own token (or a token for herself) and
``same_org=False`` another person's.
"""

from compacts.actors.testing import ANONYMOUS, SUBJECTS, SUPERUSER, cases, user_without_role
from compacts.api.models import ApiToken

SIGNED_IN_SUBJECTS = set(SUBJECTS) - {ANONYMOUS}


def _owner(ctx):
    return ctx.user if ctx.same_org else user_without_role()


def _token(ctx):
    owner = _owner(ctx)
    if not owner.is_authenticated:  # the anonymous subject owns nothing: use someone's token
        owner = user_without_role()
    return ApiToken.objects.create(
        user=owner, name="matrix", prefix="cpt_matrix", digest=f"{owner.pk:064d}"
    )


MATRIX = [
    *cases("api.token.create", allow=SIGNED_IN_SUBJECTS, obj_factory=_owner),
    *cases("api.token.create", allow={SUPERUSER}, obj_factory=_owner, same_org=False),
    *cases("api.token.revoke", allow=SIGNED_IN_SUBJECTS, obj_factory=_token),
    *cases("api.token.revoke", allow={SUPERUSER}, obj_factory=_token, same_org=False),
]
