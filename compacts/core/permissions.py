"""The one permission layer: every protected operation has one rule; no rule means no.

Apps register rules in their own ``permissions.py`` (discovered at start-up):

    @rule("fund.deposit.record")
    def can_record_deposit(user, fund) -> bool: ...

Views, API endpoints and tasks call ``require(user, operation, obj)`` before a service, or
``allowed`` to decide what to show. Rules receive the object, so they can be object-level (a focal
point sees her own organisation's drafts only).
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from compacts.core.exceptions import PermissionDeniedError

Rule = Callable[[Any, Any], bool]
_RULES: dict[str, Rule] = {}


def rule(operation: str) -> Callable[[Rule], Rule]:
    def register(function: Rule) -> Rule:
        if operation in _RULES:
            raise ValueError(f"The operation {operation!r} already has a rule.")
        _RULES[operation] = function
        return function

    return register


def operations() -> list[str]:
    """Every registered operation, for the permission matrix tests."""
    return sorted(_RULES)


def allowed(user, operation: str, obj: Any = None) -> bool:
    check = _RULES.get(operation)
    if check is None:
        return False
    if user is None:
        user = AnonymousUser()
    if user.is_authenticated and not user.is_active:
        return False
    return bool(check(user, obj))


def require(user, operation: str, obj: Any = None) -> None:
    if not allowed(user, operation, obj):
        raise PermissionDeniedError(
            _("You do not have permission to do this."), {"operation": operation}
        )


@rule("core.audit.view")
def can_view_audit_trail(user, obj=None) -> bool:
    """Staff browse the trail; the audit page is not public."""
    return user.is_authenticated and (user.is_staff or user.is_superuser)
