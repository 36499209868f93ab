"""Demonstration data of the programme cycle and its results: MIG00 concept notes and joint
programmes in every state, two past Committee meetings with approved minutes, and active
programmes with transfers, expenditure and results. Everything is made through the services.

Real facts used (facts.md §3.3): the first call drew more than 74 concept notes and funded 6 joint
programmes for US$12 m (October 2020); the North Macedonia joint programme (US$1.5 m, 30 months,
IOM + UNFPA + UNHCR). Everything else (titles, dates, budgets, people, scores, decisions) is
**illustrative** and flagged ``is_illustrative``; titles end with "(illustrative)".

Idempotent: when MIG00 already has illustrative programmes, nothing is added.

It lives in the results app, not in ``programmes/demo.py``, because a joint programme document
needs its results framework (this app) and imports go one way (programmes <- results).
"""

import datetime
import io
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction

from compacts.actors.models import Organisation, StakeholderCategory
from compacts.core.demo import demo_user
from compacts.fund import services as fund_services
from compacts.fund.models import Fund
from compacts.fund.selectors import fund_cash_available
from compacts.programmes import services
from compacts.programmes.models import (
    ChecklistItem,
    CommitteeMember,
    Constituency,
    Meeting,
    Programme,
    QuorumRule,
    ReviewCriterion,
)
from compacts.programmes.workflows.programme import State

D = Decimal
CODE = "MIG00"
LETTER = b"%PDF-1.4\n% Illustrative endorsement letter: not a real document.\n%%EOF\n"
ORDER = [
    State.DRAFT,
    State.SUBMITTED,
    State.ELIGIBLE,
    State.COMMITTEE_REVIEW,
    State.ENDORSED,
    State.INVITED,
    State.DOCUMENT_SUBMITTED,
    State.TECHNICAL_REVIEW,
    State.APPROVED,
    State.ACTIVE,
    State.OPERATIONALLY_CLOSED,
    State.FINANCIALLY_CLOSED,
]


class Cast:
    """The demonstration people and organisations (accounts from actors/demo.py)."""

    def __init__(self) -> None:
        users = get_user_model().objects
        self.rco = users.filter(username="demo-rco").first()
        self.mu = users.filter(username="demo-mu").first()
        self.chair = users.filter(username="demo-chair").first()
        self.aa = users.filter(username="demo-aa").first()
        self.puno = users.filter(username="demo-puno-iom").first()
        self.ready = all([self.rco, self.mu, self.chair, self.aa])
        if self.ready:
            self.country_team = self.rco.memberships.first().organisation


def _un(short_name: str, name: str) -> Organisation:
    found = Organisation.objects.filter(short_name=short_name).order_by("is_illustrative").first()
    return found or Organisation.objects.create(
        name=f"{name} (illustrative)",
        short_name=short_name,
        category=StakeholderCategory.UN_ENTITY,
        is_illustrative=True,
    )


def _reference() -> dict:
    from compacts.framework.models import (
        Country,
        GcmObjective,
        GcrArea,
        GuidingPrinciple,
        MarkerLevel,
        SdgTarget,
        ThematicArea,
    )

    def level(code):
        return MarkerLevel.objects.filter(marker__code=code).order_by("-value").first()

    return {
        "country": lambda iso2: Country.objects.filter(iso2=iso2).first(),
        "objective": lambda n: GcmObjective.objects.filter(number=n).first(),
        "principles": list(GuidingPrinciple.objects.order_by("letter")[:10]),
        "area": lambda n: ThematicArea.objects.filter(number=n).first(),
        "target": lambda code: SdgTarget.objects.filter(code=code).first(),
        "gcr_areas": lambda codes: list(GcrArea.objects.filter(code__in=codes)),
        "levels": {code: level(code) for code in ("gender", "human-rights", "child-sensitivity")},
    }


def _pk(obj):
    return obj.pk if obj is not None else None


def _note(cast: Cast, fund, call, ref, spec: dict, punos: list[Organisation]) -> Programme:
    programme = services.concept_note_create(
        fund=fund,
        call=call,
        submitting_organisation=cast.country_team,
        title=spec["title"],
        actor=cast.rco,
        is_illustrative=True,
    )
    if spec.get("complete", True):
        countries = [_pk(ref["country"](c)) for c in spec["countries"]]
        data = {
            "scope": spec.get("scope", "national"),
            "countries": [c for c in countries if c],
            "participating_organisations": [o.pk for o in punos],
            "convening_organisation": punos[0].pk,
            "government_partners": spec.get(
                "government", "Ministry of Interior; national statistical office (illustrative)"
            ),
            "other_partners": "Migrants' associations, municipalities, a national human rights institution (illustrative)",  # noqa: E501
            "primary_objective": _pk(ref["objective"](spec["objective"])),
            "other_objectives": [
                o for o in [_pk(ref["objective"](n)) for n in spec.get("others", [])] if o
            ],
            "guiding_principles": [p.pk for p in ref["principles"]],
            "thematic_area": _pk(ref["area"](spec["area"])),
            "sdg_targets": [t for t in [_pk(ref["target"]("10.7"))] if t],
            "gcr_areas": [a.pk for a in ref["gcr_areas"](spec.get("gcr", []))],
            "gender_marker": _pk(ref["levels"]["gender"]),
            "gender_justification": "Illustrative: every activity is analysed for its effect on women and girls.",  # noqa: E501
            "human_rights_marker": _pk(ref["levels"]["human-rights"]),
            "human_rights_justification": "Illustrative: rights holders and duty bearers are named for each output.",  # noqa: E501
            "child_sensitivity_marker": _pk(ref["levels"]["child-sensitivity"]),
            "child_sensitivity_justification": "Illustrative: children's best interests are assessed.",  # noqa: E501
            "indicative_budget": spec["budget"],
            "duration_months": str(spec["months"]),
            "joint_analysis": spec.get(
                "analysis",
                "Illustrative joint analysis of migration needs by the UN country "
                "team and national partners.",
            ),
            "theory_of_change": "Illustrative: if institutions share data and coordinate, migration governance "  # noqa: E501
            "becomes evidence-based, rights-based and gender-responsive.",
            "risks": "Illustrative: turnover of officials; elections; data protection.",
        }
        data = {k: v for k, v in data.items() if v not in (None, "")}
        services.concept_note_update(
            programme=programme, data=data, version=programme.version, actor=cast.rco
        )
        services.attachment_add(
            programme=programme,
            kind="endorsement-letter",
            actor=cast.rco,
            upload=ContentFile(LETTER, name="endorsement-letter-illustrative.pdf"),
        )
    return programme


def _budget(programme: Programme, punos, total: Decimal, years: list[int]) -> Decimal:
    """Lines that add up to ``total`` with the fund's rate: each organisation gets an equal share,
    spread over the years."""
    from compacts.programmes.selectors import isc_amount

    rate = programme.fund.indirect_support_cost_rate
    per_org = (total / len(punos) / (1 + rate)).quantize(D("0.01"))
    lines, declared = [], D("0.00")
    for org in punos:
        share = (per_org / len(years)).quantize(D("0.01"))
        amounts = [share] * (len(years) - 1) + [per_org - share * (len(years) - 1)]
        for year, amount in zip(years, amounts, strict=True):
            lines.append(
                {
                    "organisation": org.pk,
                    "year": year,
                    "category": "contractual" if year % 2 else "staff",
                    "amount": str(amount),
                }
            )
        declared += per_org + isc_amount(per_org, rate)
    services.budget_set(programme=programme, lines=lines, total=declared, actor=None)
    return declared


def _document(cast: Cast, programme: Programme, punos, spec: dict, years: list[int]) -> None:
    from compacts.results import services as results

    services.document_update(
        programme=programme,
        monitoring_plan="Illustrative: joint field monitoring each "
        "quarter; annual review with the government.",
        actor=None,
    )
    _budget(programme, punos, D(spec["budget"]), years)
    outcome = results.outcome_add(
        programme=programme,
        code="1",
        statement="Illustrative: migration policy is informed by accurate, disaggregated data.",
        actor=None,
    )
    output = results.output_add(
        outcome=outcome,
        code="1.1",
        statement="Illustrative: officials trained in migration data",
        organisation=punos[0],
        actor=None,
    )
    from compacts.framework.models import GcmObjective, SdgIndicator

    indicator = results.indicator_add(
        programme=programme,
        output=output,
        code="1.1.1",
        name="Officials trained in migration statistics",
        unit="people",
        baseline_value="0",
        baseline_period=str(years[0] - 1),
        actor=None,
        dimensions=["sex"],
        gcm_objectives=list(GcmObjective.objects.filter(number=spec["objective"])),
        sdg_indicators=list(SdgIndicator.objects.filter(code="17.18.1")),
    )
    for year in years:
        results.target_set(
            indicator=indicator,
            period=str(year),
            value=str(40 * (years.index(year) + 1)),
            actor=None,
        )
    services.work_plan_activity_add(
        programme=programme,
        title="Illustrative: joint data audit",
        organisation=punos[0],
        starts_on=datetime.date(years[0], 7, 1),
        ends_on=datetime.date(years[0], 12, 31),
        actor=None,
    )
    services.risk_add(
        programme=programme,
        risk="Illustrative: elections delay the policy cycle",
        likelihood="medium",
        impact="high",
        mitigation="Work with technical staff of ministries",
        actor=None,
    )


def _meeting(cast: Cast, members, title: str, held_on: datetime.date) -> Meeting:
    meeting = Meeting.objects.filter(title=title).first()
    if meeting is None:
        meeting = services.meeting_create(
            title=title,
            held_on=held_on,
            quorum_rule=QuorumRule.objects.first(),
            location="Geneva and online (illustrative)",
            actor=None,
            is_illustrative=True,
        )
        services.attendance_record(meeting=meeting, present=members, actor=None)
    return meeting


def _advance(cast: Cast, programme: Programme, target: str, ctx: dict) -> None:
    """Walk ``programme`` through the services up to ``target``."""
    from compacts.results import services as results

    checklist = {item.code: True for item in ChecklistItem.objects.filter(is_active=True)}
    spec, punos = ctx["spec"], ctx["punos"]
    steps = ORDER[: ORDER.index(target) + 1]
    for step in steps[1:]:
        if step == State.SUBMITTED:
            services.concept_note_submit(programme=programme, actor=cast.rco)
        elif step == State.ELIGIBLE:
            services.screening_record(
                programme=programme, outcome="eligible", answers=checklist, actor=cast.mu
            )
        elif step == State.COMMITTEE_REVIEW:
            services.programme_send_to_committee(programme=programme, actor=cast.mu)
        elif step == State.ENDORSED:
            item = services.agenda_item_add(
                meeting=ctx["first"],
                programme=programme,
                actor=None,
                summary="Illustrative summary prepared by the Management Unit.",
            )
            services.decision_record(agenda_item=item, outcome="endorse", actor=cast.mu)
        elif step == State.INVITED:
            services.programme_invite(
                programme=programme, actor=cast.mu, note="Funds are available (illustrative)."
            )
            _document(cast, programme, punos, spec, ctx["years"])
        elif step == State.DOCUMENT_SUBMITTED:
            services.document_submit(programme=programme, actor=cast.rco)
        elif step == State.TECHNICAL_REVIEW:
            services.technical_review_start(programme=programme, actor=cast.mu)
            services.technical_review_submit(
                programme=programme,
                recommendation="approve",
                actor=cast.mu,
                comments="Illustrative review.",
                scores={c.code: 4 for c in ReviewCriterion.objects.all()},
            )
        elif step == State.APPROVED:
            item = services.agenda_item_add(meeting=ctx["second"], programme=programme, actor=None)
            services.decision_record(agenda_item=item, outcome="approve", actor=cast.chair)
        elif step == State.ACTIVE:
            for tranche in programme.tranches.filter(number=1):
                services.tranche_transfer(
                    tranche=tranche, value_date=ctx["transfer_on"], actor=cast.aa
                )
            programme.refresh_from_db()
            results.reporting_calendar_create(programme=programme, actor=None)
            indicator = programme.indicators.first()
            update = results.indicator_update_submit(
                indicator=indicator,
                period=str(ctx["years"][0]),
                value="25",
                disaggregation={"sex": "female"},
                actor=None,
            )
            results.indicator_update_approve(update=update, actor=None)
            annual = (
                programme.reports.filter(kind="annual-financial").order_by("period_end").first()
            )
            if annual is not None:
                results.report_submit(
                    report=annual,
                    narrative="Illustrative annual financial report.",
                    expenditure={o.pk: "60000.00" for o in punos},
                    actor=None,
                )
                results.report_accept(report=annual, actor=None)
        elif step == State.OPERATIONALLY_CLOSED:
            for tranche in programme.tranches.filter(posting__isnull=True).order_by("number"):
                services.tranche_transfer(
                    tranche=tranche, value_date=ctx["transfer_on"], actor=cast.aa
                )
            for kind in ("annual-narrative", "final-narrative"):
                for report in programme.reports.filter(kind=kind, state="due"):
                    results.report_submit(
                        report=report, narrative="Illustrative narrative report.", actor=None
                    )
                    results.report_accept(report=report, actor=None)
            services.programme_close_operationally(programme=programme, actor=cast.mu)
        elif step == State.FINANCIALLY_CLOSED:
            for report in programme.reports.filter(
                kind__in=["annual-financial", "final-financial"], state="due"
            ):
                results.report_submit(
                    report=report,
                    narrative="Illustrative financial report.",
                    expenditure={o.pk: "40000.00" for o in punos},
                    actor=None,
                )
                results.report_accept(report=report, actor=None)
            services.programme_close_financially(programme=programme, actor=cast.aa)


SPECS = [
    # (target state, spec)
    (
        State.DRAFT,
        {
            "title": "Labour mobility pathways in the Pacific (illustrative)",
            "countries": ["FJ", "WS"],
            "scope": "multi-country",
            "objective": 5,
            "area": 4,
            "budget": "1200000.00",
            "months": 24,
            "complete": False,
        },
    ),
    (
        State.SUBMITTED,
        {
            "title": "Migrant-inclusive health services (illustrative)",
            "countries": ["EC"],
            "objective": 15,
            "area": 5,
            "budget": "1000000.00",
            "months": 24,
        },
    ),
    (
        State.REVISION_REQUESTED,
        {
            "title": "Counter-trafficking referral system (illustrative)",
            "countries": ["NE"],
            "objective": 10,
            "area": 3,
            "budget": "900000.00",
            "months": 24,
        },
    ),
    (
        State.INELIGIBLE,
        {
            "title": "Single-agency border equipment (illustrative)",
            "countries": ["LY"],
            "objective": 11,
            "area": 3,
            "budget": "2500000.00",
            "months": 12,
        },
    ),
    (
        State.ELIGIBLE,
        {
            "title": "Climate and human mobility in the Sahel (illustrative)",
            "countries": ["TD"],
            "objective": 2,
            "area": 2,
            "budget": "1100000.00",
            "months": 30,
        },
    ),
    (
        State.COMMITTEE_REVIEW,
        {
            "title": "Diaspora investment for development (illustrative)",
            "countries": ["GT"],
            "objective": 19,
            "area": 4,
            "budget": "800000.00",
            "months": 24,
        },
    ),
    (
        State.NOT_ENDORSED,
        {
            "title": "Return and reintegration data platform (illustrative)",
            "countries": ["KG"],
            "objective": 21,
            "area": 3,
            "budget": "1400000.00",
            "months": 36,
        },
    ),
    (
        State.ENDORSED,
        {
            "title": "Ethical recruitment of migrant workers (illustrative)",
            "countries": ["NP"],
            "objective": 6,
            "area": 4,
            "budget": "1000000.00",
            "months": 24,
        },
    ),
    (
        State.ENDORSED,
        {
            "title": "Migrant children's access to education (illustrative)",
            "countries": ["MX"],
            "objective": 15,
            "gcr": ["B-2.1"],
            "area": 5,
            "budget": "900000.00",
            "months": 24,
        },
    ),
    (
        State.INVITED,
        {
            "title": "Alternatives to immigration detention (illustrative)",
            "countries": ["ID"],
            "objective": 13,
            "area": 2,
            "budget": "700000.00",
            "months": 24,
        },
    ),
    (
        State.DOCUMENT_SUBMITTED,
        {
            "title": "Fair remittance markets (illustrative)",
            "countries": ["PH"],
            "objective": 20,
            "area": 4,
            "budget": "600000.00",
            "months": 24,
        },
    ),
    (
        State.TECHNICAL_REVIEW,
        {
            "title": "Search and rescue coordination (illustrative)",
            "countries": ["TN"],
            "objective": 8,
            "area": 2,
            "budget": "600000.00",
            "months": 24,
        },
    ),
    (
        State.APPROVED,
        {
            "title": "Integration of migrants in cities (illustrative)",
            "countries": ["CL"],
            "objective": 16,
            # Refugees live in the same cities: their access to health care and local
            # integration are the Global Compact on Refugees' areas B-2.3 and B-3.4.
            "gcr": ["B-2.3", "B-3.4"],
            "area": 5,
            "budget": "600000.00",
            "months": 24,
        },
    ),
    (
        State.ACTIVE,
        {
            "title": "Evidence-based migration policy in North Macedonia",
            "countries": ["MK"],
            "objective": 1,
            "others": [3, 23],
            "area": 1,
            "budget": "1500000.00",
            "months": 30,
            "punos": ["IOM", "UNFPA", "UNHCR"],
            "real": True,
        },
    ),
    (
        State.OPERATIONALLY_CLOSED,
        {
            "title": "Safe migration information centres (illustrative)",
            "countries": ["ET"],
            "objective": 3,
            "area": 1,
            "budget": "600000.00",
            "months": 18,
        },
    ),
    (
        State.FINANCIALLY_CLOSED,
        {
            "title": "Consular protection network (illustrative)",
            "countries": ["SN"],
            "objective": 14,
            "area": 2,
            "budget": "600000.00",
            "months": 18,
        },
    ),
]
UN_NAMES = {
    "IOM": "International Organization for Migration",
    "UNFPA": "United Nations Population Fund",
    "UNHCR": "Office of the United Nations High Commissioner for Refugees",
    "UNDP": "United Nations Development Programme",
    "ILO": "International Labour Organization",
    "UNICEF": "United Nations Children's Fund",
}


def _committee(cast: Cast) -> list[CommitteeMember]:
    members = list(CommitteeMember.objects.filter(is_illustrative=True))
    if members:
        return members
    constituencies = list(Constituency.objects.order_by("sort_order"))
    start = datetime.date(2024, 1, 1)
    members.append(
        services.committee_member_add(
            user=cast.chair,
            constituency=constituencies[0],
            organisation=_un("IOM", UN_NAMES["IOM"]),
            term_starts_on=start,
            is_chair=True,
            actor=None,
            is_illustrative=True,
        )
    )
    committee = get_user_model().objects.filter(username="demo-committee").first()
    people = [
        committee or demo_user(username="committee-un", first_name="Demo", last_name="UN member")
    ]
    people += [
        demo_user(username=f"committee-{key}", first_name="Demo", last_name=f"{key.title()} member")
        for key in ("donor", "country", "stakeholder")
    ]
    for index, user in enumerate(people):
        constituency = constituencies[index % len(constituencies)]
        org = (
            _un("UNHCR", UN_NAMES["UNHCR"])
            if index == 0
            else Organisation.objects.get_or_create(
                name=f"{constituency.name}: member organisation (illustrative)",
                defaults={"category": StakeholderCategory.OTHER, "is_illustrative": True},
            )[0]
        )
        members.append(
            services.committee_member_add(
                user=user,
                constituency=constituency,
                organisation=org,
                term_starts_on=start,
                actor=None,
                is_illustrative=True,
            )
        )
    return members


def seed_demo(*, stdout) -> None:
    """Concept notes and programmes of MIG00 in every state, with results, through the services.

    The workflow's e-mails go to the dummy backend meanwhile: the demonstration accounts have
    example.org addresses, and the console backend would flood ``compacts up``'s output."""
    from django.test.utils import override_settings

    dummy = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
    with override_settings(MAILERS=dummy):
        _seed(stdout=stdout)


@transaction.atomic
def _seed(*, stdout) -> None:
    from compacts.programmes.reference import load_reference
    from compacts.results.reference import load_reference as load_results_reference

    fund = Fund.objects.filter(code=CODE).first()
    cast = Cast()
    if fund is None or not cast.ready:
        stdout.write("  programmes: skipped (MIG00 or the demonstration accounts are missing)")
        return
    if Programme.objects.filter(fund=fund, is_illustrative=True).exists():
        stdout.write("  programmes: MIG00 already has its illustrative programmes")
        return
    load_reference(stdout=io.StringIO())
    load_results_reference(stdout=io.StringIO())
    if fund_cash_available(fund=fund) < D("4000000.00"):
        donor = Organisation.objects.get_or_create(
            name="Donor Government Development Agency (illustrative)",
            defaults={
                "short_name": "Donor (illustr.)",
                "category": StakeholderCategory.DONOR,
                "is_illustrative": True,
            },
        )[0]
        commitment = fund_services.commitment_create(
            fund=fund,
            donor=donor,
            amount=D("5000000.00"),
            currency="USD",
            signed_on=datetime.date(2025, 2, 1),
            actor=None,
            reference="Illustrative agreement for the programme cycle",
            is_illustrative=True,
        )
        fund_services.deposit_create(
            commitment=commitment,
            amount=D("5000000.00"),
            currency="USD",
            value_date=datetime.date(2025, 2, 10),
            actor=None,
            idempotency_key="demo-programmes-deposit",
        )
    call = services.call_create(
        fund=fund,
        title="First call for concept notes (2020; dates illustrative)",
        description="The first call drew more than 74 concept notes from 56 countries and regions; the "  # noqa: E501
        "Steering Committee selected 6 joint programmes for US$12 million in October 2020 "
        "(facts.md §3.3). The dates below are illustrative.",
        opens_on=datetime.date(2020, 3, 1),
        closes_on=datetime.date(2020, 6, 30),
        actor=None,
        is_illustrative=True,
    )
    ref = _reference()
    members = _committee(cast)
    ctx = {
        "first": _meeting(
            cast,
            members,
            "Steering Committee, first meeting of 2025 (illustrative)",
            datetime.date(2025, 3, 20),
        ),
        "second": _meeting(
            cast,
            members,
            "Steering Committee, second meeting of 2025 (illustrative)",
            datetime.date(2025, 6, 12),
        ),
        "years": [2025, 2026, 2027],
        "transfer_on": datetime.date(2025, 7, 1),
    }
    default_punos = [_un("IOM", UN_NAMES["IOM"]), _un("UNDP", UN_NAMES["UNDP"])]
    made = []
    for target, spec in SPECS:
        punos = [_un(s, UN_NAMES[s]) for s in spec["punos"]] if "punos" in spec else default_punos
        for org in punos:
            fund_services.participant_add(fund=fund, organisation=org, actor=None)
        programme = _note(cast, fund, call, ref, spec, punos)
        if spec.get("real"):
            Programme.objects.filter(pk=programme.pk).update(is_illustrative=True)
        if target == State.REVISION_REQUESTED:
            _advance(cast, programme, State.SUBMITTED, {**ctx, "spec": spec, "punos": punos})
            services.screening_record(
                programme=programme,
                outcome="revision-requested",
                actor=cast.mu,
                reasons="Illustrative: name the government line entities involved.",
                answers={
                    i.code: i.code != "whole-of-society"
                    for i in ChecklistItem.objects.filter(is_active=True)
                },
            )
        elif target == State.INELIGIBLE:
            _advance(cast, programme, State.SUBMITTED, {**ctx, "spec": spec, "punos": punos})
            services.screening_record(
                programme=programme,
                outcome="ineligible",
                actor=cast.mu,
                reasons="Illustrative: equipment only, no joint analysis.",
                answers={
                    i.code: i.code not in {"joint", "whole-of-society"}
                    for i in ChecklistItem.objects.filter(is_active=True)
                },
            )
        elif target == State.NOT_ENDORSED:
            _advance(cast, programme, State.COMMITTEE_REVIEW, {**ctx, "spec": spec, "punos": punos})
            item = services.agenda_item_add(meeting=ctx["first"], programme=programme, actor=None)
            services.conflict_declare(
                agenda_item=item,
                member=members[1],
                actor=None,
                reason="Illustrative: her organisation drafted the concept note.",
            )
            services.decision_record(
                agenda_item=item,
                outcome="not-endorse",
                actor=cast.mu,
                conditions="Illustrative: overlaps with a funded programme.",
            )
        else:
            _advance(cast, programme, target, {**ctx, "spec": spec, "punos": punos})
        made.append(programme)
    endorsed = list(
        Programme.objects.filter(pk__in=[p.pk for p in made], state=State.ENDORSED).order_by("code")
    )
    services.pipeline_prioritise(programmes=endorsed, actor=None)
    # A no-cost extension waiting for the Management Unit's decision, for the changes screen.
    active = (
        Programme.objects.filter(pk__in=[p.pk for p in made], state=State.ACTIVE)
        .exclude(ends_on__isnull=True)
        .order_by("code")
        .first()
    )
    if active is not None and not active.events.exists():
        services.no_cost_extension_request(
            programme=active,
            new_ends_on=active.ends_on + datetime.timedelta(days=182),
            reason="Illustrative: national elections postponed the field work by six months.",
            actor=None,
        )
    for meeting in (ctx["first"], ctx["second"]):
        services.minutes_generate(meeting=meeting, actor=None)
        services.minutes_approve(meeting=meeting, actor=None)
    upcoming = Meeting.objects.filter(title__startswith="Steering Committee, next meeting").first()
    if upcoming is None:
        upcoming = _meeting(
            cast,
            members,
            "Steering Committee, next meeting (illustrative)",
            datetime.date(2026, 12, 10),
        )
        for programme in made:
            programme.refresh_from_db()
            if programme.state in {State.COMMITTEE_REVIEW, State.TECHNICAL_REVIEW}:
                services.agenda_item_add(meeting=upcoming, programme=programme, actor=None)
    stdout.write(
        f"  programmes: {len(made)} illustrative concept notes and programmes of {CODE}, "
        "3 Committee meetings"
    )
