"""A small, fully known data set for page and report tests: two countries, three published
pledges (two on objective 15), one draft, a published plan, indicator data and health
assessments. Built through the services, like real work."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from compacts.tracking.models import PlanVersion, Pledge
from compacts.tracking.services import indicators, plans, pledges
from compacts.tracking.tests import factories as f

DATA = Path(__file__).parent / "data"


@dataclass
class Scenario:
    morocco: object
    nigeria: object
    secretariat: object
    focal: object
    health_pledges: list[Pledge]
    other_pledge: Pledge
    draft: Pledge
    version: PlanVersion
    indicator: object


def build() -> Scenario:
    morocco = f.country()
    nigeria = f.country("566", "NG", "Nigeria")
    morocco.names = {"ar": "المغرب", "fr": "Maroc"}
    morocco.save(update_fields=["names"])
    for number in range(1, 24):
        f.objective(number)
    f.action("15e")
    f.principle("f")
    secretariat = f.secretariat_user()
    state = f.organisation("Kingdom of Morocco", country_obj=morocco)
    ngo = f.organisation("Migrant Voices", "migrant-diaspora", country_obj=nigeria)
    focal = f.user("focal", roles=[("government-focal-point", state)])
    ngo_user = f.user(roles=[("stakeholder-contributor", ngo)])

    def published(org, actor, **kw):
        pledge = f.pledge(org, actor, **kw)
        pledges.pledge_submit(pledge=pledge, actor=actor)
        return pledges.pledge_publish(pledge=pledge, actor=secretariat)

    health = [
        published(
            state,
            focal,
            objectives=[f.objective(15)],
            country=morocco,
            pledge_type="financial",
            amount=Decimal("1000000"),
            currency="USD",
        ),
        published(
            ngo,
            ngo_user,
            title="Community health navigators",
            objectives=[f.objective(15), f.objective(16)],
            pledge_type="human-resources",
            country=nigeria,
        ),
    ]
    other = published(
        ngo, ngo_user, title="Remittance literacy", objectives=[f.objective(20)], country=nigeria
    )
    draft = f.pledge(
        state, focal, title="Unfinished draft", objectives=[f.objective(15)], country=morocco
    )

    plan = plans.national_plan_create(country=morocco, title="Morocco GCM plan", actor=focal)
    version = plans.plan_version_create(
        plan=plan,
        data=plans.PlanVersionInput(
            period_start=2022, period_end=2026, includes_migrant_health=True
        ),
        actor=focal,
    )
    plans.plan_action_create(
        version=version,
        data=plans.PlanActionInput(
            title="Vaccination for all migrants",
            lead_ministry="Ministry of Health",
            objectives=[f.objective(15)],
        ),
        actor=focal,
    )
    plans.plan_version_transition(version=version, to="submitted", actor=focal)
    plans.plan_version_transition(version=version, to="published", actor=secretariat)

    indicator = indicators.indicator_create(
        data=indicators.IndicatorInput(
            kind="sdg",
            code="3.8.1",
            title="Coverage of essential health services",
            objectives=[f.objective(15)],
        ),
        actor=secretariat,
    )
    indicators.indicator_data_import(
        indicator=indicator,
        content=(DATA / "3-8-1.csv").read_bytes(),
        filename="3-8-1.csv",
        actor=secretariat,
    )
    indicators.health_inclusion_record(
        country=morocco,
        assessed_on=date(2025, 1, 1),
        health_plan="yes",
        vaccination_plan="partial",
        source="Ministry of Health circular",
        actor=secretariat,
    )
    return Scenario(morocco, nigeria, secretariat, focal, health, other, draft, version, indicator)
