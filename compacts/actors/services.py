"""Writes of the actors app: the register of organisations and of who holds which role where.

Every service checks its permission (``compacts.core.permissions.require``), validates all its
input before writing, and appends an audit record in the same transaction.
"""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compacts.actors.codelists import identifier_error, organisation_type_error
from compacts.actors.models import Membership, Organisation, Role, StakeholderCategory
from compacts.core.exceptions import ApplicationError, ConflictError, NotFoundError
from compacts.core.permissions import require
from compacts.core.services import audit_record, model_values

ORGANISATION_FIELDS = [
    "name",
    "short_name",
    "names",
    "category",
    "iati_type",
    "iati_identifier",
    "country",
    "website",
    "is_illustrative",
]
MEMBERSHIP_FIELDS = ["user", "organisation", "role", "starts_on", "ends_on"]
LANGUAGE_CODES = {"en", "fr", "es", "ar", "zh-hans", "ru"}

ORGANISATION_INVALID = gettext_lazy("The organisation's details are not valid.")
IDENTIFIER_TAKEN = gettext_lazy(
    "Another organisation already has the IATI identifier %(identifier)s."
)
MEMBER_STATE_EXISTS = gettext_lazy("%(country)s already has a Member State organisation.")
MEMBERSHIP_INVALID = gettext_lazy("The membership's details are not valid.")
MEMBERSHIP_EXISTS = gettext_lazy("%(user)s already holds this role in %(organisation)s.")
UNKNOWN_ROLE = gettext_lazy("There is no role with the code %(code)s.")


def _clean_text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else value


def _organisation_errors(values: dict[str, Any]) -> dict[str, str]:
    """Every problem with an organisation's values, by field (empty when valid)."""
    errors: dict[str, str] = {}
    name = values["name"]
    if not isinstance(name, str) or not name:
        errors["name"] = _("Give the organisation's name.")
    elif len(name) > Organisation._meta.get_field("name").max_length:
        errors["name"] = _("The name is too long (300 characters at most).")
    if len(values["short_name"]) > Organisation._meta.get_field("short_name").max_length:
        errors["short_name"] = _("The short name is too long (50 characters at most).")
    names = values["names"]
    if not isinstance(names, dict) or not all(
        key in LANGUAGE_CODES and isinstance(text, str) and text.strip()
        for key, text in names.items()
    ):
        errors["names"] = _(
            "Names by language take the codes en, fr, es, ar, zh-hans and ru, each with a text."
        )
    if values["category"] not in StakeholderCategory.values:
        errors["category"] = _("Choose a stakeholder category from the list.")
    if values["iati_type"]:
        problem = organisation_type_error(values["iati_type"])
        if problem:
            errors["iati_type"] = problem
    identifier = values["iati_identifier"]
    if identifier:
        problem = identifier_error(identifier)
        if problem:
            errors["iati_identifier"] = problem
        elif len(identifier) > Organisation._meta.get_field("iati_identifier").max_length:
            errors["iati_identifier"] = _("The identifier is too long (100 characters at most).")
    country = values["country"]
    if values["category"] == StakeholderCategory.MEMBER_STATE and not values["is_illustrative"]:
        if country is None:
            errors["country"] = _("A Member State organisation is tied to its M49 country.")
        elif not country.in_m49:
            errors["country"] = _("%(country)s is not a country of UN M49.") % {"country": country}
    if len(values["website"]) > 200 or (
        values["website"] and not values["website"].startswith(("https://", "http://"))
    ):
        errors["website"] = _("The website is an address starting with https:// or http://.")
    return errors


def _check_conflicts(values: dict[str, Any], *, exclude_pk: int | None) -> None:
    others = Organisation.objects.exclude(pk=exclude_pk) if exclude_pk else Organisation.objects
    identifier = values["iati_identifier"]
    if identifier and others.filter(iati_identifier=identifier).exists():
        raise ConflictError(
            str(IDENTIFIER_TAKEN) % {"identifier": identifier}, {"field": "iati_identifier"}
        )
    country = values["country"]
    if (
        values["category"] == StakeholderCategory.MEMBER_STATE
        and not values["is_illustrative"]
        and country is not None
        and others.filter(
            category=StakeholderCategory.MEMBER_STATE, is_illustrative=False, country=country
        ).exists()
    ):
        raise ConflictError(str(MEMBER_STATE_EXISTS) % {"country": country}, {"field": "country"})


def organisation_values_validate(
    values: dict[str, Any], *, exclude_pk: int | None = None
) -> dict[str, Any]:
    """Clean and check every field of an organisation (all of ``ORGANISATION_FIELDS``); raises
    ``ApplicationError`` with the problems by field, or ``ConflictError`` on a duplicate."""
    values = {key: _clean_text(value) for key, value in values.items()}
    values["names"] = values["names"] if values["names"] is not None else {}
    for key in ("short_name", "iati_type", "iati_identifier", "website"):
        values[key] = values[key] or ""
    errors = _organisation_errors(values)
    if errors:
        raise ApplicationError(str(ORGANISATION_INVALID), {"fields": errors})
    if isinstance(values["names"], dict):
        values["names"] = {key: text.strip() for key, text in values["names"].items()}
    _check_conflicts(values, exclude_pk=exclude_pk)
    return values


@transaction.atomic
def organisation_create(
    *,
    actor,
    name: str,
    category: str,
    short_name: str = "",
    names: dict[str, str] | None = None,
    iati_type: str = "",
    iati_identifier: str = "",
    country=None,
    website: str = "",
    is_illustrative: bool = False,
) -> Organisation:
    """Add an organisation to the register.

    ``iati_type`` must be an active IATI OrganisationType code and ``iati_identifier`` a
    registration agency's prefix and an id (``XM-DAC-47066``); both may be blank. A Member State
    organisation needs its M49 country, and there is one per country.
    """
    require(actor, "actors.organisation.create")
    values = organisation_values_validate(
        {
            "name": name,
            "short_name": short_name,
            "names": names,
            "category": category,
            "iati_type": iati_type,
            "iati_identifier": iati_identifier,
            "country": country,
            "website": website,
            "is_illustrative": is_illustrative,
        }
    )
    return organisation_insert(actor=actor, values=values)


def organisation_insert(*, actor, values: dict[str, Any]) -> Organisation:
    """Insert validated values (from ``organisation_values_validate``) and audit it. Reference and
    demonstration loads use it directly: they are the system, not a person with a permission."""
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(**values)
    except IntegrityError as error:  # a concurrent insert won the race for the same identifier
        raise ConflictError(
            _("The organisation clashes with one saved at the same time.")
        ) from error
    audit_record(
        actor=actor,
        action="actors.organisation.create",
        obj=organisation,
        after=model_values(organisation, ORGANISATION_FIELDS),
    )
    return organisation


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, **changes: Any) -> Organisation:
    """Change some of an organisation's details; the fields are those of ``organisation_create``.

    Unknown field names are refused; nothing is written (and nothing audited) when no value
    actually changes.
    """
    require(actor, "actors.organisation.update", organisation)
    unknown = sorted(set(changes) - set(ORGANISATION_FIELDS))
    if unknown:
        raise ApplicationError(
            str(ORGANISATION_INVALID),
            {"fields": {name: _("This field cannot be changed.") for name in unknown}},
        )
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    current = {name: getattr(organisation, name) for name in ORGANISATION_FIELDS}
    values = organisation_values_validate({**current, **changes}, exclude_pk=organisation.pk)
    changed = [name for name in ORGANISATION_FIELDS if values[name] != current[name]]
    if not changed:
        return organisation
    before = model_values(organisation, changed)
    for name in changed:
        setattr(organisation, name, values[name])
    try:
        with transaction.atomic():
            organisation.save(update_fields=[*changed, "updated_at"])
    except IntegrityError as error:
        raise ConflictError(
            _("The organisation clashes with one saved at the same time.")
        ) from error
    audit_record(
        actor=actor,
        action="actors.organisation.update",
        obj=organisation,
        before=before,
        after=model_values(organisation, changed),
    )
    return organisation


@transaction.atomic
def member_state_for_country(*, country, actor=None) -> Organisation:
    """The Member State organisation of an M49 country, created the first time it is needed.

    Member States are not seeded one by one: whatever needs one (a pledge, an endorsement, a
    membership) asks for it here. Its names are the country's names in the six languages.
    """
    if not country.in_m49:
        raise ApplicationError(
            _("%(country)s is not a country of UN M49.") % {"country": country},
            {"field": "country"},
        )
    existing = Organisation.objects.filter(
        category=StakeholderCategory.MEMBER_STATE, is_illustrative=False, country=country
    ).first()
    if existing is not None:
        return existing
    names = {key: text for key, text in (country.names or {}).items() if key in LANGUAGE_CODES}
    values = {
        "name": country.name,
        "short_name": "",
        "names": names,
        "category": StakeholderCategory.MEMBER_STATE,
        # IATI OrganisationType 10: Government.
        "iati_type": "10",
        "iati_identifier": "",
        "country": country,
        "website": "",
        "is_illustrative": False,
    }
    return organisation_insert(actor=actor, values=values)


def _role(role: Role | str) -> Role:
    if isinstance(role, Role):
        return role
    found = Role.objects.filter(code=role).first()
    if found is None:
        raise NotFoundError(str(UNKNOWN_ROLE) % {"code": role}, {"field": "role"})
    return found


@transaction.atomic
def membership_grant(
    *,
    actor,
    user,
    organisation: Organisation,
    role: Role | str,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> Membership:
    """Give ``user`` a role in ``organisation``, optionally for a period (both dates included).

    Granting a role the person already holds there changes its period; granting it again with
    the same period is refused as a conflict.
    """
    require(actor, "actors.membership.grant", organisation)
    role = _role(role)
    if starts_on and ends_on and ends_on < starts_on:
        raise ApplicationError(
            str(MEMBERSHIP_INVALID),
            {"fields": {"ends_on": _("The membership cannot end before it starts.")}},
        )
    if not user.is_active:
        raise ApplicationError(
            str(MEMBERSHIP_INVALID), {"fields": {"user": _("This account is deactivated.")}}
        )
    membership = (
        Membership.objects.select_for_update()
        .filter(user=user, organisation=organisation, role=role)
        .first()
    )
    if membership is not None:
        if (membership.starts_on, membership.ends_on) == (starts_on, ends_on):
            raise ConflictError(
                str(MEMBERSHIP_EXISTS) % {"user": user, "organisation": organisation},
                {"membership": membership.pk},
            )
        before = model_values(membership, ["starts_on", "ends_on"])
        membership.starts_on, membership.ends_on = starts_on, ends_on
        membership.save(update_fields=["starts_on", "ends_on", "updated_at"])
        audit_record(
            actor=actor,
            action="actors.membership.grant",
            obj=membership,
            before=before,
            after=model_values(membership, ["starts_on", "ends_on"]),
        )
        return membership
    membership = Membership.objects.create(
        user=user, organisation=organisation, role=role, starts_on=starts_on, ends_on=ends_on
    )
    audit_record(
        actor=actor,
        action="actors.membership.grant",
        obj=membership,
        after=model_values(membership, MEMBERSHIP_FIELDS),
    )
    return membership


@transaction.atomic
def membership_revoke(*, actor, membership: Membership) -> None:
    """Take a role away now. The row goes; the audit record keeps what it was."""
    require(actor, "actors.membership.revoke", membership)
    membership = Membership.objects.select_for_update().filter(pk=membership.pk).first()
    if membership is None:
        raise NotFoundError(_("This membership no longer exists."))
    audit_record(
        actor=actor,
        action="actors.membership.revoke",
        obj=membership,
        before=model_values(membership, MEMBERSHIP_FIELDS),
    )
    membership.delete()
