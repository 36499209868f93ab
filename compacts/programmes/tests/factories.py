"""Builders for the programme cycle's tests: a small reference framework, a funded MIG00-like
fund with participating organisations, people in each role, complete concept notes."""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from itertools import count

from django.core.files.uploadedfile import SimpleUploadedFile

from compacts.actors import roles
from compacts.actors.models import Organisation, StakeholderCategory
from compacts.actors.testing import user_with_role
from compacts.framework.models import (
    Country,
    GcmObjective,
    GuidingPrinciple,
    Marker,
    MarkerLevel,
    Region,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    ThematicArea,
)
from compacts.fund import services as fund_services
from compacts.programmes import services
from compacts.programmes.models import CommitteeMember, Constituency, QuorumRule
from compacts.programmes.reference import load_reference

_n = count(1)
D = Decimal
DAY = datetime.date(2026, 3, 2)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "endorsement.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def framework() -> dict:
    """The few reference rows a concept note needs (idempotent)."""
    region, _ = Region.objects.get_or_create(
        m49="150", defaults={"level": "region", "name": "Europe"}
    )
    country, _ = Country.objects.get_or_create(
        iso2="MK",
        defaults={"m49": "807", "iso3": "MKD", "name": "North Macedonia", "region": region},
    )
    objective, _ = GcmObjective.objects.get_or_create(
        number=1,
        defaults={
            "title": "Collect and utilize accurate and disaggregated data",
            "short_label": "Data",
            "commitment": "We commit...",
            "paragraph": 17,
        },
    )
    principle, _ = GuidingPrinciple.objects.get_or_create(
        letter="a", defaults={"slug": "people-centred", "name": "People-centred"}
    )
    area, _ = ThematicArea.objects.get_or_create(
        code="TA1",
        defaults={"number": 1, "name": "Promoting fact-based and data-driven migration discourse"},
    )
    goal, _ = SdgGoal.objects.get_or_create(number=10, defaults={"title": "Reduced inequalities"})
    target, _ = SdgTarget.objects.get_or_create(
        code="10.7",
        defaults={"goal": goal, "title": "Facilitate orderly migration", "sort_key": "10.07"},
    )
    indicator, _ = SdgIndicator.objects.get_or_create(
        code="10.7.2",
        defaults={"target": target, "title": "Migration policies", "sort_key": "10.07.02"},
    )
    levels = {}
    for order, code in enumerate(["gender", "human-rights", "child-sensitivity"]):
        marker, _ = Marker.objects.get_or_create(
            code=code, defaults={"name": code, "sort_order": order}
        )
        levels[code], _ = MarkerLevel.objects.get_or_create(
            marker=marker, value=2, defaults={"label": "Significant"}
        )
    load_reference(stdout=io.StringIO())
    return {
        "region": region,
        "country": country,
        "objective": objective,
        "principle": principle,
        "area": area,
        "target": target,
        "sdg_indicator": indicator,
        "levels": levels,
    }


def un_entity(name: str = "") -> Organisation:
    number = next(_n)
    return Organisation.objects.create(
        name=name or f"UN entity {number}",
        short_name=name or f"UN{number}",
        category=StakeholderCategory.UN_ENTITY,
    )


@dataclass
class World:
    fund: object
    agent_org: Organisation
    rco: Organisation
    punos: list
    submitter: object
    officer: object
    chair_user: object
    agent: object
    focal_points: list
    ref: dict


def world(*, cash: str = "5000000.00", participants: int = 2) -> World:
    """A fund holding ``cash`` with ``participants`` participating UN organisations, a Resident
    Coordinator's office, and one person in each role the cycle needs."""
    ref = framework()
    agent_org = un_entity("MPTF Office")
    fund = fund_services.fund_create(
        code=f"T{next(_n):04d}", name="Test fund", administrative_agent=agent_org, actor=None
    )
    punos = [un_entity() for _ in range(participants)]
    for org in punos:
        fund_services.participant_add(fund=fund, organisation=org, actor=None)
    donor = Organisation.objects.create(
        name=f"Donor {next(_n)}", category=StakeholderCategory.DONOR
    )
    commitment = fund_services.commitment_create(
        fund=fund, donor=donor, amount=D(cash), currency="USD", signed_on=DAY, actor=None
    )
    fund_services.deposit_create(
        commitment=commitment,
        amount=D(cash),
        currency="USD",
        value_date=DAY,
        actor=None,
        idempotency_key=f"dep-{next(_n)}",
    )
    rco = un_entity("Resident Coordinator's office")
    return World(
        fund=fund,
        agent_org=agent_org,
        rco=rco,
        punos=punos,
        submitter=user_with_role(roles.RCO_SUBMITTER, rco, email="rco@example.org"),
        officer=user_with_role(roles.MANAGEMENT_UNIT_OFFICER, email="mu@example.org"),
        chair_user=user_with_role(roles.STEERING_COMMITTEE_CHAIR),
        agent=user_with_role(roles.ADMINISTRATIVE_AGENT, agent_org),
        focal_points=[user_with_role(roles.PUNO_FOCAL_POINT, org) for org in punos],
        ref=ref,
    )


def complete_data(w: World) -> dict:
    ref = w.ref
    return {
        "scope": "national",
        "countries": [ref["country"].pk],
        "participating_organisations": [o.pk for o in w.punos],
        "convening_organisation": w.punos[0].pk,
        "government_partners": "Ministry of Interior; State Statistical Office",
        "other_partners": "Migrant associations; municipalities",
        "primary_objective": ref["objective"].pk,
        "guiding_principles": [ref["principle"].pk],
        "thematic_area": ref["area"].pk,
        "sdg_targets": [ref["target"].pk],
        "gender_marker": ref["levels"]["gender"].pk,
        "gender_justification": "Sex-disaggregated data throughout.",
        "human_rights_marker": ref["levels"]["human-rights"].pk,
        "human_rights_justification": "Rights-based data protection.",
        "child_sensitivity_marker": ref["levels"]["child-sensitivity"].pk,
        "child_sensitivity_justification": "Data on migrant children.",
        "indicative_budget": "1500000.00",
        "duration_months": "30",
        "joint_analysis": "Migration data are scattered across institutions.",
        "theory_of_change": "If data are shared, policy will be evidence-based.",
        "risks": "Turnover of officials.",
    }


def concept_note(
    w: World, *, complete: bool = True, title: str = "Evidence-based migration policy"
):
    programme = services.concept_note_create(
        fund=w.fund, submitting_organisation=w.rco, title=title, actor=w.submitter
    )
    if complete:
        services.concept_note_update(
            programme=programme, data=complete_data(w), version=programme.version, actor=w.submitter
        )
        services.attachment_add(
            programme=programme, kind="endorsement-letter", upload=pdf(), actor=w.submitter
        )
    return programme


def committee(w: World, *, members: int = 4):
    """Seat the chair and ``members - 1`` members across the four constituencies."""
    constituencies = list(Constituency.objects.order_by("sort_order"))
    seated = [
        services.committee_member_add(
            user=w.chair_user,
            constituency=constituencies[0],
            organisation=un_entity("IOM"),
            term_starts_on=DAY.replace(year=2025),
            actor=None,
            is_chair=True,
        )
    ]
    for i in range(members - 1):
        user = user_with_role(roles.STEERING_COMMITTEE_MEMBER)
        seated.append(
            services.committee_member_add(
                user=user,
                constituency=constituencies[(i + 1) % len(constituencies)],
                organisation=un_entity(),
                term_starts_on=DAY.replace(year=2025),
                actor=None,
            )
        )
    return seated


def meeting(w: World, members: list[CommitteeMember], *, held_on=DAY):
    held = services.meeting_create(
        title=f"Steering Committee meeting {next(_n)}",
        held_on=held_on,
        quorum_rule=QuorumRule.objects.first(),
        actor=w.officer,
    )
    services.attendance_record(meeting=held, present=members, actor=w.officer)
    return held


def budget_lines(w: World, *, per_year: str = "100000.00", years=(2026, 2027)) -> list[dict]:
    return [
        {"organisation": org.pk, "year": year, "category": "staff", "amount": per_year}
        for org in w.punos
        for year in years
    ]


from compacts.programmes.reference import CHECKLIST, CRITERIA  # noqa: E402,F401
