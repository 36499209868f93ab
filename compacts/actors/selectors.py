"""Reads of the actors app: organisations, and the role checks every permission rule uses."""

from django.db import models
from django.utils import timezone

from compacts.actors.models import Membership, Organisation


def _current_memberships(user) -> models.QuerySet[Membership]:
    today = timezone.localdate()
    return Membership.objects.filter(user=user).filter(
        models.Q(starts_on__isnull=True) | models.Q(starts_on__lte=today),
        models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=today),
    )


def user_has_role(user, role_code: str, *, organisation: Organisation | int | None = None) -> bool:
    """Whether ``user`` holds ``role_code`` now (in ``organisation``, when one is given)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    memberships = _current_memberships(user).filter(role__code=role_code)
    if organisation is not None:
        org_id = organisation if isinstance(organisation, int) else organisation.pk
        memberships = memberships.filter(organisation_id=org_id)
    return memberships.exists()


def user_organisation_ids(user, *, role_codes: list[str] | None = None) -> set[int]:
    """The organisations ``user`` acts for now, optionally only through the given roles."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    memberships = _current_memberships(user)
    if role_codes is not None:
        memberships = memberships.filter(role__code__in=role_codes)
    return set(memberships.values_list("organisation_id", flat=True))


COORDINATOR_ROLES = ["management-unit-officer", "network-secretariat"]


def user_is_coordinator(user) -> bool:
    """Platform administrators, and people in the Management Unit or the Network Secretariat:
    the ones who keep the register of organisations and memberships."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return _current_memberships(user).filter(role__code__in=COORDINATOR_ROLES).exists()


def organisation_list(
    *,
    category: str = "",
    country: str = "",
    search: str = "",
) -> models.QuerySet[Organisation]:
    """Organisations, filtered by stakeholder category, country (ISO alpha-2 or M49 code) and a
    case-insensitive search over names and the IATI identifier."""
    queryset = Organisation.objects.select_related("country").order_by("name", "pk")
    if category:
        queryset = queryset.filter(category=category)
    if country:
        code = country.strip()
        if code.isdigit():
            queryset = queryset.filter(country__m49=code.zfill(3))
        else:
            queryset = queryset.filter(country__iso2=code.upper())
    search = search.strip()
    if search:
        queryset = queryset.filter(
            models.Q(name__icontains=search)
            | models.Q(short_name__icontains=search)
            | models.Q(iati_identifier__icontains=search)
        )
    return queryset


def organisation_get(*, organisation_id: int) -> Organisation | None:
    return Organisation.objects.select_related("country").filter(pk=organisation_id).first()


def organisation_countries() -> models.QuerySet:
    """The countries that have at least one organisation (for the list page's filter)."""
    from compacts.framework.models import Country

    return Country.objects.filter(organisations__isnull=False).distinct().order_by("name")


def membership_list(*, organisation: Organisation) -> models.QuerySet[Membership]:
    """An organisation's memberships, current and past, by role then person."""
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "role")
        .order_by("role__name", "user__username")
    )


def membership_is_current(membership: Membership) -> bool:
    today = timezone.localdate()
    started = membership.starts_on is None or membership.starts_on <= today
    not_ended = membership.ends_on is None or membership.ends_on >= today
    return started and not_ended


def role_list() -> models.QuerySet:
    from compacts.actors.models import Role

    return Role.objects.order_by("code")
