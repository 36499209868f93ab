"""The role vocabulary: the codes every permission rule refers to, with their names.

The codes are a shared contract (``/work/brief/HELPERS.md``): other apps' rules name them. The
rows live in ``actors.Role`` (loaded by ``reference.py``), so that memberships can point at them;
the names and descriptions shown to people come from here, translated.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

STEERING_COMMITTEE_CHAIR = "steering-committee-chair"
STEERING_COMMITTEE_MEMBER = "steering-committee-member"
MANAGEMENT_UNIT_OFFICER = "management-unit-officer"
ADMINISTRATIVE_AGENT = "administrative-agent"
RCO_SUBMITTER = "rco-submitter"
PUNO_FOCAL_POINT = "puno-focal-point"
GOVERNMENT_FOCAL_POINT = "government-focal-point"
DONOR = "donor"
NETWORK_SECRETARIAT = "network-secretariat"
WORKING_GROUP_CO_LEAD = "working-group-co-lead"
STAKEHOLDER_CONTRIBUTOR = "stakeholder-contributor"


@dataclass(frozen=True)
class RoleSpec:
    code: str
    name: Promise
    description: Promise


ROLES: tuple[RoleSpec, ...] = (
    RoleSpec(
        STEERING_COMMITTEE_CHAIR,
        _("Steering Committee chair"),
        _(
            "Chairs the Migration MPTF Steering Committee (the IOM Director-General, as Network "
            "Coordinator) and signs its decisions."
        ),
    ),
    RoleSpec(
        STEERING_COMMITTEE_MEMBER,
        _("Steering Committee member"),
        _(
            "Sits on the Steering Committee for a constituency; reviews concept notes and joint "
            "programmes and decides by consensus."
        ),
    ),
    RoleSpec(
        MANAGEMENT_UNIT_OFFICER,
        _("Management Unit officer"),
        _(
            "Runs the fund day to day in the Network Secretariat: screening, Committee support "
            "and decision records."
        ),
    ),
    RoleSpec(
        ADMINISTRATIVE_AGENT,
        _("Administrative agent"),
        _(
            "Holds the fund's money (the MPTF Office): records contributions and makes transfers "
            "to participating UN organisations."
        ),
    ),
    RoleSpec(
        RCO_SUBMITTER,
        _("UN country team submitter"),
        _(
            "Submits concept notes and joint programmes for a UN country team, through the "
            "Resident Coordinator's office."
        ),
    ),
    RoleSpec(
        PUNO_FOCAL_POINT,
        _("Participating UN organisation focal point"),
        _(
            "Acts for a participating UN organisation: its drafts, budgets, expenditure and "
            "results reports."
        ),
    ),
    RoleSpec(
        GOVERNMENT_FOCAL_POINT,
        _("Government focal point"),
        _("Acts for a Member State government: endorsements, national plans, pledges and reviews."),
    ),
    RoleSpec(
        DONOR,
        _("Donor"),
        _("Acts for a contributor to the fund and follows its contributions."),
    ),
    RoleSpec(
        NETWORK_SECRETARIAT,
        _("Network secretariat"),
        _(
            "Works in the UN Network on Migration's Secretariat: members, working groups, the "
            "knowledge hub and its reviews."
        ),
    ),
    RoleSpec(
        WORKING_GROUP_CO_LEAD,
        _("Working group co-lead"),
        _("Co-leads a Network working group or workstream and its workplan."),
    ),
    RoleSpec(
        STAKEHOLDER_CONTRIBUTOR,
        _("Stakeholder contributor"),
        _(
            "Contributes for a stakeholder (civil society, migrants' organisations, academia, "
            "private sector...): practices, pledges and comments."
        ),
    ),
)

ROLE_CODES: tuple[str, ...] = tuple(spec.code for spec in ROLES)
_BY_CODE = {spec.code: spec for spec in ROLES}


def role_spec(code: str) -> RoleSpec | None:
    return _BY_CODE.get(code)
