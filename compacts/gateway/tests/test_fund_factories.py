"""Builders for the gateway's fund tests, made through the services (the factories of the fund
and programme apps): a funded fund with donors, endorsed programmes in the pipeline, one active
programme with transfers, expenditure and results, and concept notes that must stay private."""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import count

from compacts.actors.models import Organisation, StakeholderCategory
from compacts.framework.models import Country, GcmObjective, Region
from compacts.fund import services as fund_services
from compacts.programmes import services
from compacts.programmes.models import Programme
from compacts.programmes.tests import factories as f
from compacts.programmes.workflows.programme import State
from compacts.results import services as results
from compacts.results.models import Indicator, Report
from compacts.results.reference import load_reference as load_results_reference

D = Decimal
_n = count(1)


@dataclass
class Gateway:
    w: f.World
    members: list
    meeting: object
    endorsed: list = field(default_factory=list)
    private: list = field(default_factory=list)
    active: Programme | None = None
    donors: list = field(default_factory=list)
    other_country: Country | None = None
    other_objective: GcmObjective | None = None


def other_place() -> tuple[Country, GcmObjective]:
    region, _ = Region.objects.get_or_create(
        m49="142", defaults={"level": "region", "name": "Asia", "names": {"fr": "Asie"}}
    )
    country, _ = Country.objects.get_or_create(
        iso2="IQ",
        defaults={
            "m49": "368",
            "iso3": "IRQ",
            "name": "Iraq",
            "region": region,
            "names": {"fr": "Irak", "ar": "العراق"},
        },
    )
    objective, _ = GcmObjective.objects.get_or_create(
        number=15,
        defaults={
            "title": "Provide access to basic services for migrants",
            "short_label": "Basic services",
            "commitment": "We commit...",
            "paragraph": 31,
        },
    )
    return country, objective


def donate(w: f.World, amount: str, *, name: str = "", on=f.DAY, area=None) -> Organisation:
    """A donor that commits and deposits ``amount`` US dollars on ``on``."""
    donor = Organisation.objects.create(
        name=name or f"Donor country {next(_n)}", category=StakeholderCategory.DONOR
    )
    commitment = fund_services.commitment_create(
        fund=w.fund,
        donor=donor,
        amount=D(amount),
        currency="USD",
        signed_on=on,
        actor=None,
        **({"thematic_area": area} if area else {}),
    )
    fund_services.deposit_create(
        commitment=commitment,
        amount=D(amount),
        currency="USD",
        value_date=on,
        actor=None,
        idempotency_key=f"gw-dep-{next(_n)}",
    )
    return donor


def endorse(g: Gateway, *, title: str, overrides: dict | None = None):
    """A complete concept note, screened and endorsed into the pipeline by the Committee."""
    w = g.w
    programme = services.concept_note_create(
        fund=w.fund, submitting_organisation=w.rco, title=title, actor=w.submitter
    )
    data = {**f.complete_data(w), **(overrides or {})}
    services.concept_note_update(
        programme=programme, data=data, version=programme.version, actor=w.submitter
    )
    services.attachment_add(
        programme=programme, kind="endorsement-letter", upload=f.pdf(), actor=w.submitter
    )
    services.concept_note_submit(programme=programme, actor=w.submitter)
    services.screening_record(
        programme=programme,
        outcome="eligible",
        actor=w.officer,
        answers={code: True for code, _t in f.CHECKLIST},
    )
    services.programme_send_to_committee(programme=programme, actor=w.officer)
    item = services.agenda_item_add(meeting=g.meeting, programme=programme, actor=w.officer)
    services.decision_record(agenda_item=item, outcome="endorse", actor=w.officer)
    programme.refresh_from_db()
    assert programme.state == State.ENDORSED
    g.endorsed.append(programme)
    return programme


def activate(g: Gateway, programme: Programme) -> Programme:
    """Take an endorsed programme to ``active``: document, review, approval, first tranches,
    an approved result and an accepted financial report with expenditure."""
    w = g.w
    load_results_reference(stdout=io.StringIO())
    services.programme_invite(programme=programme, actor=w.officer)
    services.budget_set(
        programme=programme, lines=f.budget_lines(w), total="428000.00", actor=w.submitter
    )
    outcome = results.outcome_add(
        programme=programme, code="1", statement="Policy is evidence-based", actor=w.submitter
    )
    indicator = results.indicator_add(
        programme=programme,
        outcome=outcome,
        code="1.1",
        name="Policies using migration data",
        unit="policies",
        baseline_value="0",
        baseline_period="2025",
        actor=w.submitter,
        dimensions=["sex"],
        gcm_objectives=[w.ref["objective"]],
        sdg_indicators=[w.ref["sdg_indicator"]],
    )
    results.target_set(indicator=indicator, period="2027", value="3", actor=w.submitter)
    services.work_plan_activity_add(
        programme=programme,
        title="Data audit",
        organisation=w.punos[0],
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2026, 9, 30),
        actor=w.submitter,
    )
    services.risk_add(
        programme=programme,
        risk="Elections delay",
        likelihood="medium",
        impact="high",
        mitigation="Engage technical staff",
        actor=w.submitter,
    )
    services.document_update(
        programme=programme, monitoring_plan="Quarterly joint monitoring.", actor=w.submitter
    )
    services.document_submit(programme=programme, actor=w.submitter)
    services.technical_review_start(programme=programme, actor=w.officer)
    services.technical_review_submit(
        programme=programme,
        recommendation="approve",
        actor=w.officer,
        scores={code: 4 for code, _n in f.CRITERIA},
    )
    second = f.meeting(w, g.members, held_on=datetime.date(2026, 5, 4))
    item = services.agenda_item_add(meeting=second, programme=programme, actor=w.officer)
    services.decision_record(agenda_item=item, outcome="approve", actor=w.chair_user)
    for tranche in programme.tranches.filter(number=1).order_by("pk"):
        services.tranche_transfer(
            tranche=tranche, value_date=datetime.date(2026, 5, 10), actor=w.agent
        )
    programme.refresh_from_db()
    indicator = Indicator.objects.get(pk=indicator.pk)
    update = results.indicator_update_submit(
        indicator=indicator,
        period="2026",
        value="1",
        disaggregation={},
        actor=w.focal_points[0],
    )
    results.indicator_update_approve(update=update, actor=w.officer)
    results.reporting_calendar_create(programme=programme, actor=w.officer)
    annual = Report.objects.filter(programme=programme, kind="annual-financial").first()
    results.report_submit(
        report=annual,
        narrative="Spent on the data audit.",
        actor=w.submitter,
        expenditure={w.punos[0].pk: "50000.00", w.punos[1].pk: "25000.00"},
    )
    results.report_accept(report=annual, actor=w.officer)
    programme.refresh_from_db()
    assert programme.state == State.ACTIVE
    g.active = programme
    return programme


def build(*, programmes: int = 2, donors: int = 2, active: bool = False) -> Gateway:
    """A fund with ``donors`` donors (plus the world's own), ``programmes`` endorsed programmes
    (every other one in Iraq under objective 15), optionally one of them active, and two
    concept notes that are not public (a draft and a submitted one)."""
    w = f.world(cash="20000000.00")
    members = f.committee(w)
    g = Gateway(w=w, members=members, meeting=f.meeting(w, members))
    g.other_country, g.other_objective = other_place()
    for i in range(donors):
        g.donors.append(donate(w, f"{(i + 1) * 100000}.00", on=datetime.date(2024 + i % 2, 6, 1)))
    for i in range(programmes):
        overrides = (
            {"countries": [g.other_country.pk], "primary_objective": g.other_objective.pk}
            if i % 2
            else {}
        )
        endorse(g, title=f"Joint programme number {i + 1}", overrides=overrides)
    if g.endorsed:
        # The Committee's order is the reverse of the codes' order, so the two can be told apart.
        services.pipeline_prioritise(programmes=list(reversed(g.endorsed)), actor=w.officer)
        for programme in g.endorsed:
            programme.refresh_from_db()
    if active and g.endorsed:
        activate(g, g.endorsed[0])
    draft = f.concept_note(w, title="Secret draft about borders")
    submitted = f.concept_note(w, title="Submitted note about borders")
    services.concept_note_submit(programme=submitted, actor=w.submitter)
    g.private = [draft, submitted]
    return g


class BuilderTests:
    def test_the_builder_makes_public_and_private_programmes(self, db):
        """Endorsed programmes are public, the draft and the submitted note are not."""
        g = build(programmes=3, donors=2)
        states = sorted(Programme.objects.values_list("state", flat=True))
        assert states.count(State.ENDORSED) == 3
        assert {p.state for p in g.private} == {State.DRAFT, State.SUBMITTED}
        assert len(g.donors) == 2
