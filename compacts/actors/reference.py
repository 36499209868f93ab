"""Reference data of the actors app: the role vocabulary and the UN entities of the Network.

Idempotent: roles are matched on their code and kept in line with ``roles.py``; an entity already
in the register (matched on its short name among UN entities) is left as it is, so edits made by
administrators survive a reload.

Sources:
- Executive Committee of the UN Network on Migration (2019): ILO, IOM, OHCHR, UN DESA, UNDP,
  UNHCR, UNICEF, UNODC (https://reliefweb.int/report/world/statement-principals-executive-committee-united-nations-network-migration,
  in /work/shared/domain/facts.md §4). WHO is a full member of the Network and co-leads its
  working group on access to services (WHO Refugee and Migrant Health Toolkit, Tool 18).
- IATI organisation identifiers: XM-DAC-47066 (IOM) is the reporting-org of the real IOM activity
  in the iati app's data; the others are built the way IATI's OrganisationRegistrationAgency list
  says for XM-DAC (the OECD DAC channel code), where CRSChannelCode has exactly one code for the
  entity: 41114 UNDP, 41121 UNHCR, 41122 UNICEF, 41128 UNODC. ILO and WHO have several channel
  codes (assessed, voluntary, non-core...), OHCHR's covers its extrabudgetary contributions
  only, and UN DESA has none, so their identifiers stay blank until a source says which one.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from compacts.actors.models import Organisation, Role, StakeholderCategory
from compacts.actors.roles import ROLES
from compacts.actors.services import organisation_insert, organisation_values_validate
from compacts.core.services import audit_record, model_values

# IATI OrganisationType 40: Multilateral (the type IOM reports itself with).
MULTILATERAL = "40"


@dataclass(frozen=True)
class EntitySpec:
    short_name: str
    name: str
    iati_identifier: str
    website: str


UN_ENTITIES: tuple[EntitySpec, ...] = (
    EntitySpec("ILO", "International Labour Organization", "", "https://www.ilo.org/"),
    EntitySpec(
        "IOM", "International Organization for Migration", "XM-DAC-47066", "https://www.iom.int/"
    ),
    EntitySpec(
        "OHCHR",
        "Office of the United Nations High Commissioner for Human Rights",
        "",
        "https://www.ohchr.org/",
    ),
    EntitySpec(
        "UN DESA",
        "United Nations Department of Economic and Social Affairs",
        "",
        "https://www.un.org/development/desa/",
    ),
    EntitySpec(
        "UNDP", "United Nations Development Programme", "XM-DAC-41114", "https://www.undp.org/"
    ),
    EntitySpec(
        "UNHCR",
        "Office of the United Nations High Commissioner for Refugees",
        "XM-DAC-41121",
        "https://www.unhcr.org/",
    ),
    EntitySpec(
        "UNICEF", "United Nations Children's Fund", "XM-DAC-41122", "https://www.unicef.org/"
    ),
    EntitySpec(
        "UNODC",
        "United Nations Office on Drugs and Crime",
        "XM-DAC-41128",
        "https://www.unodc.org/",
    ),
    EntitySpec("WHO", "World Health Organization", "", "https://www.who.int/"),
)
EXECUTIVE_COMMITTEE = ("ILO", "IOM", "OHCHR", "UN DESA", "UNDP", "UNHCR", "UNICEF", "UNODC")


@transaction.atomic
def load_roles() -> tuple[int, int]:
    """Create the roles of ``roles.py`` and keep their English names in line; returns
    (created, updated)."""
    created = updated = 0
    for spec in ROLES:
        name, description = str(spec.name), str(spec.description)
        role = Role.objects.filter(code=spec.code).first()
        if role is None:
            role = Role.objects.create(code=spec.code, name=name, description=description)
            audit_record(
                actor=None,
                action="actors.role.create",
                obj=role,
                after=model_values(role, ["code", "name", "description"]),
            )
            created += 1
        elif (role.name, role.description) != (name, description):
            before = model_values(role, ["name", "description"])
            role.name, role.description = name, description
            role.save(update_fields=["name", "description", "updated_at"])
            audit_record(
                actor=None,
                action="actors.role.update",
                obj=role,
                before=before,
                after=model_values(role, ["name", "description"]),
            )
            updated += 1
    return created, updated


@transaction.atomic
def load_un_entities() -> int:
    """Add the Network's UN entities missing from the register; returns how many were added."""
    created = 0
    for spec in UN_ENTITIES:
        same = Q(category=StakeholderCategory.UN_ENTITY, short_name=spec.short_name)
        if spec.iati_identifier:
            same |= Q(iati_identifier=spec.iati_identifier)
        if Organisation.objects.filter(same, is_illustrative=False).exists():
            continue
        values = organisation_values_validate(
            {
                "name": spec.name,
                "short_name": spec.short_name,
                "names": {},
                "category": StakeholderCategory.UN_ENTITY,
                "iati_type": MULTILATERAL,
                "iati_identifier": spec.iati_identifier,
                "country": None,
                "website": spec.website,
                "is_illustrative": False,
            }
        )
        organisation_insert(actor=None, values=values)
        created += 1
    return created


def load_reference(*, stdout) -> None:
    """Load the role vocabulary and the UN entities (idempotent)."""
    with translation_in_english():
        created, updated = load_roles()
    entities = load_un_entities()
    stdout.write(
        f"  actors: {len(ROLES)} roles ({created} new, {updated} updated), "
        f"{len(UN_ENTITIES)} UN entities ({entities} new)"
    )


def translation_in_english():
    from django.utils import translation

    return translation.override("en")
