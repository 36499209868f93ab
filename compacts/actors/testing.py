"""Helpers for every app's tests: people holding a role, for the permission matrix and beyond."""

import itertools

from django.contrib.auth import get_user_model

from compacts.actors.models import Membership, Organisation, Role, StakeholderCategory
from compacts.actors.roles import role_spec

_counter = itertools.count(1)


def role_get_or_create(code: str) -> Role:
    """The role with ``code``, created from the vocabulary (``roles.py``) when missing."""
    spec = role_spec(code)
    if spec is None:
        raise ValueError(f"{code!r} is not a role code of compacts.actors.roles")
    role, _ = Role.objects.get_or_create(
        code=code, defaults={"name": str(spec.name), "description": str(spec.description)}
    )
    return role


def organisation_for_tests(*, name: str = "", category: str = StakeholderCategory.UN_ENTITY):
    number = next(_counter)
    return Organisation.objects.create(
        name=name or f"Test organisation {number}", short_name=f"T{number}", category=category
    )


def user_with_role(role_code: str, organisation: Organisation | None = None, **user_fields):
    """A new active user holding only ``role_code``, in ``organisation`` (a new one when omitted).

    Writes directly, without the services: tests of other capabilities need a person with a role,
    not a test of granting it (``membership_grant`` has its own tests).
    """
    organisation = organisation or organisation_for_tests()
    number = next(_counter)
    user = get_user_model().objects.create_user(
        username=user_fields.pop("username", f"{role_code}-{number}"),
        password=user_fields.pop("password", None),
        **user_fields,
    )
    Membership.objects.create(
        user=user, organisation=organisation, role=role_get_or_create(role_code)
    )
    return user


def user_without_role(**user_fields):
    """A signed-in person who holds no role anywhere."""
    number = next(_counter)
    return get_user_model().objects.create_user(
        username=user_fields.pop("username", f"person-{number}"), **user_fields
    )


def superuser(**user_fields):
    """A platform administrator (no membership needed)."""
    number = next(_counter)
    return get_user_model().objects.create_superuser(
        username=user_fields.pop("username", f"admin-{number}"),
        email=user_fields.pop("email", f"admin-{number}@example.org"),
        password=user_fields.pop("password", None),
        **user_fields,
    )


# --- The permission matrix -------------------------------------------------------------------
# Each app declares rows in ``compacts/<app>/tests/permission_matrix.py`` as ``MATRIX = [...]``;
# ``compacts/actors/tests/test_permission_matrix.py`` collects them all and checks each one against
# ``compacts.core.permissions.allowed`` (docs/permissions.md says how to add rows).

from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

from compacts.actors.roles import ROLE_CODES  # noqa: E402

ANONYMOUS = "anonymous"
SIGNED_IN = "signed-in"  # signed in, holding no role
SUPERUSER = "superuser"  # platform administrator
SUBJECTS: tuple[str, ...] = (ANONYMOUS, SIGNED_IN, SUPERUSER, *ROLE_CODES)
EVERY_ROLE: frozenset[str] = frozenset(ROLE_CODES)


@dataclass
class MatrixContext:
    """What an ``obj_factory`` gets to build the object a case is about.

    ``organisation`` is the subject's own organisation when the case has ``same_org=True`` and
    another organisation otherwise; ``home`` is always the subject's own one. For anonymous,
    signed-in and superuser subjects ``home`` is an organisation they do not belong to.
    """

    user: Any
    organisation: Organisation
    home: Organisation
    other: Organisation
    same_org: bool


@dataclass(frozen=True)
class Case:
    """One row: a person holding only ``role`` asks for ``operation`` on the object that
    ``obj_factory`` builds (``None`` when the operation takes no object); ``expected`` is the
    answer ``allowed`` must give."""

    operation: str
    role: str
    expected: bool
    obj_factory: Callable[[MatrixContext], Any] | None = None
    same_org: bool = True
    label: str = ""

    @property
    def id(self) -> str:
        where = "own" if self.same_org else "other"
        suffix = f"-{self.label}" if self.label else ""
        return f"{self.operation}-{self.role}-{where}{suffix}"


def cases(
    operation: str,
    *,
    allow: set[str] | frozenset[str],
    obj_factory: Callable[[MatrixContext], Any] | None = None,
    same_org: bool = True,
    label: str = "",
) -> list[Case]:
    """One row for every subject (anonymous, signed-in, superuser and each role): allowed for
    those in ``allow``, refused for all the others."""
    unknown = set(allow) - set(SUBJECTS)
    if unknown:
        raise ValueError(f"Unknown subjects in the matrix: {sorted(unknown)}")
    return [
        Case(operation, subject, subject in allow, obj_factory, same_org, label)
        for subject in SUBJECTS
    ]


def matrix_subject(role: str, organisation: Organisation):
    """The user a case is checked for: holding only ``role`` in ``organisation``."""
    from django.contrib.auth.models import AnonymousUser

    if role == ANONYMOUS:
        return AnonymousUser()
    if role == SIGNED_IN:
        return user_without_role()
    if role == SUPERUSER:
        return superuser()
    return user_with_role(role, organisation)
