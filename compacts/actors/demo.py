"""Demonstration data of the actors app (illustrative, not real): a few organisations and one
demonstration account per role, with its membership.

Idempotent: organisations are matched on their name among illustrative ones, accounts on their
username, memberships on (account, organisation, role). The accounts' password is the one
``compacts up`` prints (``compacts.core.demo.DEMO_PASSWORD``).
"""

from dataclasses import dataclass

from django.db import transaction

from compacts.actors import roles
from compacts.actors.models import Membership, Organisation, Role, StakeholderCategory
from compacts.actors.services import organisation_insert, organisation_values_validate
from compacts.core.demo import demo_user
from compacts.core.services import audit_record, model_values

DEMO_COUNTRY_ISO2 = "EC"


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    name: str
    short_name: str
    category: str
    iati_type: str
    with_country: bool = False


ILLUSTRATIVE_ORGANISATIONS = (
    DemoOrganisation(
        "donor",
        "Donor Government Development Agency (illustrative)",
        "Donor (illustr.)",
        StakeholderCategory.DONOR,
        "10",
    ),
    DemoOrganisation(
        "member-state",
        "Ministry of Foreign Affairs of a Member State (illustrative)",
        "Member State (illustr.)",
        StakeholderCategory.MEMBER_STATE,
        "10",
        with_country=True,
    ),
    DemoOrganisation(
        "civil-society",
        "Migrant Rights Network (illustrative)",
        "MRN (illustr.)",
        StakeholderCategory.CIVIL_SOCIETY,
        "21",
    ),
    DemoOrganisation(
        "country-team",
        "UN Country Team, Resident Coordinator's Office (illustrative)",
        "RCO (illustr.)",
        StakeholderCategory.UN_ENTITY,
        "40",
    ),
)

# (username without the demo- prefix, role code, organisation: a UN entity's short name or the key
# of an illustrative organisation above)
DEMO_ACCOUNTS = (
    ("chair", roles.STEERING_COMMITTEE_CHAIR, "IOM"),
    ("committee", roles.STEERING_COMMITTEE_MEMBER, "UNHCR"),
    ("mu", roles.MANAGEMENT_UNIT_OFFICER, "IOM"),
    ("aa", roles.ADMINISTRATIVE_AGENT, "UNDP"),
    ("rco", roles.RCO_SUBMITTER, "country-team"),
    ("puno-iom", roles.PUNO_FOCAL_POINT, "IOM"),
    ("puno-undp", roles.PUNO_FOCAL_POINT, "UNDP"),
    ("government", roles.GOVERNMENT_FOCAL_POINT, "member-state"),
    ("donor", roles.DONOR, "donor"),
    ("secretariat", roles.NETWORK_SECRETARIAT, "IOM"),
    ("colead", roles.WORKING_GROUP_CO_LEAD, "UNDP"),
    ("stakeholder", roles.STAKEHOLDER_CONTRIBUTOR, "civil-society"),
)


def _illustrative_organisation(spec: DemoOrganisation) -> Organisation:
    existing = Organisation.objects.filter(name=spec.name, is_illustrative=True).first()
    if existing is not None:
        return existing
    country = None
    if spec.with_country:
        from compacts.framework.models import Country

        country = Country.objects.filter(iso2=DEMO_COUNTRY_ISO2).first()
    values = organisation_values_validate(
        {
            "name": spec.name,
            "short_name": spec.short_name,
            "names": {},
            "category": spec.category,
            "iati_type": spec.iati_type,
            "iati_identifier": "",
            "country": country,
            "website": "",
            "is_illustrative": True,
        }
    )
    return organisation_insert(actor=None, values=values)


def _membership(user, organisation: Organisation, role: Role) -> bool:
    if Membership.objects.filter(user=user, organisation=organisation, role=role).exists():
        return False
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    audit_record(
        actor=None,
        action="actors.membership.grant",
        obj=membership,
        after=model_values(membership, ["user", "organisation", "role", "starts_on", "ends_on"]),
    )
    return True


@transaction.atomic
def seed_demo(*, stdout) -> None:
    """Illustrative organisations and one demonstration account per role (idempotent)."""
    organisations = {
        spec.key: _illustrative_organisation(spec) for spec in ILLUSTRATIVE_ORGANISATIONS
    }
    for entity in Organisation.objects.filter(
        category=StakeholderCategory.UN_ENTITY, is_illustrative=False
    ):
        organisations.setdefault(entity.short_name, entity)
    role_by_code = {role.code: role for role in Role.objects.all()}
    granted = 0
    for username, role_code, organisation_key in DEMO_ACCOUNTS:
        organisation = organisations.get(organisation_key)
        role = role_by_code.get(role_code)
        if organisation is None or role is None:
            stdout.write(
                f"  actors: skipped demo-{username}: load the reference data first "
                f"({organisation_key} / {role_code} missing)"
            )
            continue
        user = demo_user(username=username, first_name="Demo", last_name=role.name)
        granted += _membership(user, organisation, role)
    stdout.write(
        f"  actors: {len(ILLUSTRATIVE_ORGANISATIONS)} illustrative organisations, "
        f"{len(DEMO_ACCOUNTS)} demonstration accounts ({granted} memberships added)"
    )
