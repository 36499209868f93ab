"""Test data for the tracking app: reference rows the framework app owns, organisations, people
with roles, and pledges made through the services."""

import itertools

from compacts.actors.models import Membership, Organisation, Role
from compacts.core.models import User
from compacts.framework.models import (
    Country,
    GcmAction,
    GcmObjective,
    GcrArea,
    GcrObjective,
    GuidingPrinciple,
    Region,
)
from compacts.tracking.services.pledges import PledgeInput, pledge_create

_counter = itertools.count(1)
DESCRIPTION = (
    "The Government commits to include all migrants, regardless of status, in the national "
    "health insurance scheme and the national vaccination plan by 2026, to train 500 health "
    "workers in culturally sensitive care, and to open three one-stop service points in the "
    "border provinces, with progress reported each year to the national coordination body."
)
assert 300 <= len(DESCRIPTION) <= 3000


def objective(number: int) -> GcmObjective:
    obj, _ = GcmObjective.objects.get_or_create(
        number=number,
        defaults={
            "title": f"Objective {number}",
            "short_label": f"Obj {number}",
            "commitment": "...",
            "paragraph": 16 + number,
        },
    )
    return obj


def action(code: str) -> GcmAction:
    number, letter = int(code[:-1]), code[-1]
    found, _ = GcmAction.objects.get_or_create(
        code=code, defaults={"objective": objective(number), "letter": letter, "text": code}
    )
    return found


def principle(letter: str) -> GuidingPrinciple:
    found, _ = GuidingPrinciple.objects.get_or_create(
        letter=letter, defaults={"slug": f"principle-{letter}", "name": f"Principle {letter}"}
    )
    return found


def gcr_objective(number: int = 1) -> GcrObjective:
    found, _ = GcrObjective.objects.get_or_create(
        number=number, defaults={"title": f"GCR {number}"}
    )
    return found


def gcr_area(code: str = "B-2.3", is_health: bool = True) -> GcrArea:
    found, _ = GcrArea.objects.get_or_create(
        code=code, defaults={"title": "Health", "is_health": is_health, "paragraphs": "72-73"}
    )
    return found


def region(m49: str = "002", name: str = "Africa") -> Region:
    found, _ = Region.objects.get_or_create(m49=m49, defaults={"level": "region", "name": name})
    return found


def country(m49: str = "504", iso2: str = "MA", name: str = "Morocco") -> Country:
    found, _ = Country.objects.get_or_create(
        m49=m49,
        defaults={"iso2": iso2, "iso3": iso2 + "X", "name": name, "region": region()},
    )
    return found


def organisation(name: str = "", category: str = "member-state", country_obj=None) -> Organisation:
    n = next(_counter)
    return Organisation.objects.create(
        name=name or f"Organisation {n}", category=category, country=country_obj
    )


def user(username: str = "", *, roles: list[tuple[str, Organisation]] = (), **flags) -> User:
    n = next(_counter)
    person = User.objects.create_user(username=username or f"user{n}", password="x", **flags)
    for code, org in roles:
        role, _ = Role.objects.get_or_create(code=code, defaults={"name": code})
        Membership.objects.create(user=person, organisation=org, role=role)
    return person


def secretariat_user() -> User:
    org = organisation("IOM Network Secretariat", "un-entity")
    return user(roles=[("network-secretariat", org)])


def pledge_input(org: Organisation, **overrides) -> PledgeInput:
    data = PledgeInput(
        title="Health coverage for all migrants",
        pledge_type="policy-oriented",
        description=DESCRIPTION,
        organisation=org,
        objectives=[objective(15)],
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def pledge(org: Organisation, actor, **overrides):
    return pledge_create(data=pledge_input(org, **overrides), actor=actor)
