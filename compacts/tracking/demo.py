# ruff: noqa: E501 -- demonstration data tables: one record per line
"""Demonstration data of the tracking app: illustrative pledges, plans, indicator data, health
assessments and forum participation, all flagged ``is_illustrative`` and labelled on every page.

None of these figures is real. They exist so that the dashboards and the progress reports for
GCM objective 15 and for one country (Ecuador, the actors app's demonstration Member State) have
something to show. Idempotent: records are matched on their title or natural key; a second run
adds nothing. Everything is written through the services, so it is audited like real work.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from compacts.actors.models import Membership, Organisation, StakeholderCategory
from compacts.core.demo import demo_user
from compacts.framework.models import (
    Country,
    GcmAction,
    GcmObjective,
    GcrArea,
    GcrObjective,
    GuidingPrinciple,
)
from compacts.tracking.models import (
    GcrPledge,
    GcrPledgeStage,
    HealthInclusionAssessment,
    ImrfEdition,
    Indicator,
    IndicatorKind,
    NationalPlan,
    NationalReview,
    Observation,
    Pledge,
    StakeholderRegistration,
    WrittenSubmission,
)
from compacts.tracking.services import cycle, indicators, plans, pledges

FOCUS_COUNTRY = "EC"  # the actors app's demonstration Member State
DEMO_MEMBER_STATE = "Ministry of Foreign Affairs of a Member State (illustrative)"
DEMO_CIVIL_SOCIETY = "Migrant Rights Network (illustrative)"
GOVERNMENTS = {
    "MA": "Government of Morocco (illustrative)",
    "PH": "Government of the Philippines (illustrative)",
    "MX": "Government of Mexico (illustrative)",
    "DE": "Government of Germany (illustrative)",
}
ALLIANCE = "Migrant Health Alliance (illustrative)"
LABEL = "Illustrative demonstration data: not a real pledge."


def _text(core: str) -> str:
    """A description of 300+ characters, clearly marked as illustrative."""
    return (
        f"{core} This pledge is part of the illustrative demonstration data of compacts: it is not "
        "a real commitment by the organisation named, and its figures are invented to show how "
        "pledges are recorded, reviewed, published and followed up on the platform. Progress is "
        "reported once a year."
    )


# (key, pledger, title, type, kind, partners, objectives, actions, principles, amount, currency,
#  country iso2, final state, progress)
PLEDGES = [
    ("ec-health", "EC", "Include all migrants in the national health insurance scheme", "policy-oriented",
     "single", [], [15], ["15e"], ["a", "f"], None, "", "EC", "published", "in-progress"),
    ("ec-fund", "EC", "Contribution to the Migration MPTF", "financial", "single", [], [23], [], ["b"],
     Decimal("500000"), "USD", "EC", "fulfilled", "completed"),
    ("ma-vaccination", "MA", "National vaccination plan open to all migrants", "policy-oriented",
     "single", [], [15], ["15e"], ["f", "h"], None, "", "MA", "published", "in-progress"),
    ("ma-one-stop", "MA", "One-stop service points in border provinces", "process-oriented", "single",
     [], [15, 16], ["15c"], ["i"], Decimal("1200000"), "USD", "MA", "published", "not-started"),
    ("ph-remittances", "PH", "Lower remittance costs through digital channels", "policy-oriented",
     "single", [], [20], [], ["e"], None, "", "PH", "published", "in-progress"),
    ("mx-consular", "MX", "Consular staff trained on migrants' access to services", "human-resources",
     "single", [], [14, 15], [], ["a"], None, "", "MX", "submitted", ""),
    ("de-fund", "DE", "Multi-year funding for GCM implementation", "financial", "partnership", ["MX"],
     [1, 23], [], ["b"], Decimal("2000000"), "EUR", None, "published", "in-progress"),
    ("mrn-navigators", "MRN", "Community health navigators for migrants", "human-resources",
     "partnership", ["ALLIANCE"], [15], ["15e"], ["j", "g"], None, "", "EC", "published", "in-progress"),
    ("alliance-data", "ALLIANCE", "Data on migrants' access to health care", "process-oriented", "single",
     [], [1, 15], [], ["j"], Decimal("150000"), "USD", None, "published", "not-started"),
    ("mrn-draft", "MRN", "Legal aid for migrants in detention", "policy-oriented", "single", [], [13], [],
     ["d"], None, "", "EC", "draft", ""),
]  # fmt: skip

# Indicator data: (indicator code, country iso2, {disaggregation}, [(year, value)])
SERIES = [
    ("3.8.1", "EC", {}, [(2015, 62), (2017, 64), (2019, 67), (2021, 69)]),
    ("3.8.1", "EC", {"Migratory status": "Migrant"}, [(2015, 41), (2017, 45), (2019, 50), (2021, 55)]),
    ("3.8.1", "EC", {"Migratory status": "Non-migrant"}, [(2015, 63), (2017, 65), (2019, 68), (2021, 70)]),
    ("3.8.1", "EC", {"Sex": "Female"}, [(2015, 63), (2021, 70)]),
    ("3.8.1", "EC", {"Sex": "Male"}, [(2015, 61), (2021, 68)]),
    ("3.8.1", "MA", {}, [(2015, 58), (2017, 60), (2019, 61), (2021, 61.5)]),
    ("3.8.1", "PH", {}, [(2015, 53), (2019, 55), (2021, 58)]),
    ("3.8.1", "MX", {}, [(2015, 72), (2019, 71), (2021, 69)]),
    ("3.8.2", "EC", {}, [(2015, 12.4), (2018, 11.1), (2021, 9.8)]),
    ("3.8.2", "MA", {}, [(2015, 20.1), (2021, 20.9)]),
    ("3.8.2", "MX", {}, [(2016, 3.1), (2020, 2.6)]),
    ("10.c.1", "PH", {}, [(2016, 6.9), (2019, 5.8), (2022, 4.6)]),
    ("10.c.1", "MX", {}, [(2016, 5.2), (2019, 4.9), (2022, 4.7)]),
]  # fmt: skip
INCLUSION = [
    ("EC", "yes", "yes"),
    ("MA", "partial", "yes"),
    ("PH", "yes", "partial"),
    ("MX", "partial", "partial"),
    ("DE", "yes", "yes"),
]


def _organisation(name: str, category: str, country: Country | None) -> Organisation:
    from compacts.actors.services import organisation_insert, organisation_values_validate

    existing = Organisation.objects.filter(name=name, is_illustrative=True).first()
    if existing is not None:
        return existing
    values = organisation_values_validate(
        {
            "name": name, "short_name": "", "names": {}, "category": category, "iati_type": "",
            "iati_identifier": "", "country": country, "website": "", "is_illustrative": True,
        }
    )  # fmt: skip
    return organisation_insert(actor=None, values=values)


def _grant(admin, user, organisation: Organisation, role: str) -> None:
    from compacts.actors.services import membership_grant

    if not Membership.objects.filter(
        user=user, organisation=organisation, role__code=role
    ).exists():
        membership_grant(actor=admin, user=user, organisation=organisation, role=role)


def _observations_csv(rows: list[tuple[str, dict, list]], countries: dict[str, Country]) -> bytes:
    columns = sorted({name for _iso, dis, _pts in rows for name in dis})
    lines = [",".join(["Year", "GeoCode", *columns, "Value"])]
    for iso, dis, points in rows:
        for year, value in points:
            cells = [str(year), countries[iso].m49, *(dis.get(c, "") for c in columns), str(value)]
            lines.append(",".join(cells))
    return ("\n".join(lines) + "\n").encode()


@transaction.atomic
def seed_demo(*, stdout) -> None:
    """Illustrative tracking data; skips itself when the reference data is not loaded."""
    countries = {c.iso2: c for c in Country.objects.filter(iso2__in=[FOCUS_COUNTRY, *GOVERNMENTS])}
    objectives = {o.number: o for o in GcmObjective.objects.all()}
    secretariat = demo_user(username="secretariat", first_name="Demo", last_name="Secretariat")
    admin = demo_user(username="admin", first_name="Demo", last_name="Administrator", is_staff=True,
                      is_superuser=True)  # fmt: skip
    member_state = Organisation.objects.filter(name=DEMO_MEMBER_STATE, is_illustrative=True).first()
    civil_society = Organisation.objects.filter(
        name=DEMO_CIVIL_SOCIETY, is_illustrative=True
    ).first()
    if len(countries) < 5 or len(objectives) < 23 or member_state is None or civil_society is None:
        stdout.write(
            "  tracking: skipped: load the reference data and the actors demonstration first"
        )
        return
    if not Membership.objects.filter(user=secretariat, role__code="network-secretariat").exists():
        stdout.write("  tracking: skipped: demo-secretariat has no secretariat role (actors demo)")
        return
    orgs = {"EC": member_state, "MRN": civil_society}
    for iso, name in GOVERNMENTS.items():
        orgs[iso] = _organisation(name, StakeholderCategory.MEMBER_STATE, countries[iso])
    orgs["ALLIANCE"] = _organisation(ALLIANCE, StakeholderCategory.CIVIL_SOCIETY, None)
    gov_ec = demo_user(username="government", first_name="Demo", last_name="Government focal point")
    gov_ma = demo_user(
        username="government-ma", first_name="Demo", last_name="Government of Morocco"
    )
    _grant(admin, gov_ec, member_state, "government-focal-point")
    _grant(admin, gov_ma, orgs["MA"], "government-focal-point")
    edition_2022 = ImrfEdition.objects.filter(year=2022).first()
    edition_2026 = ImrfEdition.objects.filter(year=2026).first()

    made = _seed_pledges(orgs, countries, objectives, secretariat, edition_2022)
    made += _seed_gcr_pledges(orgs, countries, secretariat)
    made += _seed_plans(countries, objectives, gov_ec, gov_ma, secretariat)
    made += _seed_indicators(countries, secretariat)
    made += _seed_health(countries, secretariat)
    made += _seed_forum(orgs, countries, objectives, gov_ec, secretariat, edition_2026)
    stdout.write(
        f"  tracking: illustrative pledges, plans, indicator data and health lens ({made} new)"
    )


def _seed_pledges(orgs, countries, objectives, secretariat, edition) -> int:
    made = 0
    created: dict[str, Pledge] = {}
    for (
        key,
        pledger,
        title,
        ptype,
        kind,
        partners,
        objs,
        acts,
        princ,
        amount,
        currency,
        iso,
        state,
        progress,
    ) in PLEDGES:
        existing = Pledge.objects.filter(title=title, is_illustrative=True).first()
        if existing is not None:
            created[key] = existing
            continue
        data = pledges.PledgeInput(
            title=title,
            pledge_type=ptype,
            kind=kind,
            description=_text(f"{orgs[pledger].name} pledges: {title.lower()}."),
            organisation=orgs[pledger],
            partners=[orgs[p] for p in partners],
            objectives=[objectives[n] for n in objs],
            gcm_actions=list(GcmAction.objects.filter(code__in=acts)),
            principles=list(GuidingPrinciple.objects.filter(letter__in=princ)),
            matching_pledge=created.get("de-fund") if key == "mrn-navigators" else None,
            country=countries.get(iso) if iso else None,
            amount=amount,
            currency=currency,
            imrf_edition=edition,
            is_illustrative=True,
        )
        pledge = pledges.pledge_create(data=data, actor=secretariat, check=False)
        path = {"draft": [], "submitted": ["submitted"], "published": ["submitted", "published"],
                "fulfilled": ["submitted", "published", "fulfilled"]}[state]  # fmt: skip
        for to in path:
            if to == "fulfilled":
                pledges.pledge_status_update_create(
                    pledge=pledge, progress=progress, narrative=LABEL, actor=secretariat,
                    reported_on=date(2025, 6, 30), is_illustrative=True,
                )  # fmt: skip
            pledge = pledges.pledge_transition(pledge=pledge, to=to, actor=secretariat)
        if state == "published" and progress:
            pledges.pledge_status_update_create(
                pledge=pledge, progress=progress, narrative=LABEL, actor=secretariat,
                reported_on=date(2025, 6, 30), is_illustrative=True,
            )  # fmt: skip
        created[key] = pledge
        made += 1
    return made


def _seed_gcr_pledges(orgs, countries, secretariat) -> int:
    health = GcrArea.objects.filter(is_health=True).first()
    gcr_objectives = {o.number: o for o in GcrObjective.objects.all()}
    stage = GcrPledgeStage.objects.filter(code="in-progress").first()
    if not gcr_objectives or stage is None:
        return 0
    specs = [
        (
            "Refugees included in primary health care",
            "policy-change",
            "EC",
            1,
            [health],
            None,
            None,
        ),
        (
            "Support to host-community health systems",
            "financial",
            "DE",
            1,
            [health],
            Decimal("1000000"),
            "EUR",
        ),
        ("Resettlement places for refugees", "resettlement", "MX", 3, [], None, None),
    ]
    made = 0
    for title, ptype, iso, objective, areas, amount, currency in specs:
        if GcrPledge.objects.filter(title=title, is_illustrative=True).exists():
            continue
        data = pledges.GcrPledgeInput(
            title=title, pledge_type=ptype, description=LABEL, forum_year=2023, organisation=orgs[iso],
            gcr_objective=gcr_objectives[objective], areas=[a for a in areas if a], country=countries[iso],
            amount=amount, currency=currency or "", is_illustrative=True,
            resettlement_places=200 if ptype == "resettlement" else None,
        )  # fmt: skip
        pledge = pledges.gcr_pledge_create(data=data, actor=secretariat, check=False)
        for to in ("submitted", "published"):
            pledges.gcr_pledge_transition(pledge=pledge, to=to, actor=secretariat)
        pledges.gcr_pledge_update_create(
            pledge=pledge, stage=stage, narrative=LABEL, actor=secretariat, reported_on=date(2025, 6, 30),
            is_illustrative=True,
        )  # fmt: skip
        made += 1
    return made


def _seed_plans(countries, objectives, gov_ec, gov_ma, secretariat) -> int:
    made = 0
    specs = [
        ("EC", gov_ec, "National plan for safe, orderly and regular migration (illustrative)", [
            ("Health insurance for all migrants", "Ministry of Public Health", [15], ["15e"], ["a", "f"], "ongoing", 60),
            ("Regularisation pathway for long-term residents", "Ministry of Government", [7, 15], [], ["f"], "ongoing", 35),
            ("Migration data unit in the statistics office", "National Statistics Institute", [1], [], ["j"], "completed", 100),
        ]),
        ("MA", gov_ma, "National strategy on immigration and asylum: GCM plan (illustrative)", [
            ("Vaccination of migrants regardless of status", "Ministry of Health", [15], ["15e"], ["f", "h"], "ongoing", 50),
            ("Consular assistance abroad", "Ministry of Foreign Affairs", [14], [], ["b"], "planned", None),
        ]),
    ]  # fmt: skip
    for iso, government, title, actions in specs:
        if NationalPlan.objects.filter(title=title, is_illustrative=True).exists():
            continue
        plan = plans.national_plan_create(
            country=countries[iso], title=title, actor=government, is_illustrative=True
        )
        version = plans.plan_version_create(
            plan=plan,
            data=plans.PlanVersionInput(
                period_start=2022, period_end=2026, summary=LABEL.replace("pledge", "plan"),
                amount=Decimal("3500000"), currency="USD", includes_migrant_health=True,
                adopted_on=date(2022, 3, 1),
            ),
            actor=government,
        )  # fmt: skip
        created = []
        for a_title, ministry, objs, acts, princ, status, percent in actions:
            created.append(
                (
                    plans.plan_action_create(
                        version=version,
                        data=plans.PlanActionInput(
                            title=a_title, lead_ministry=ministry, objectives=[objectives[n] for n in objs],
                            gcm_actions=list(GcmAction.objects.filter(code__in=acts)),
                            principles=list(GuidingPrinciple.objects.filter(letter__in=princ)),
                            amount=Decimal("500000"), currency="USD",
                        ),
                        actor=government,
                    ),
                    status,
                    percent,
                )
            )  # fmt: skip
        plans.plan_version_transition(version=version, to="submitted", actor=government)
        plans.plan_version_transition(version=version, to="published", actor=secretariat)
        for action, status, percent in created:
            if status != "planned":
                plans.plan_progress_update_create(
                    action=action, status=status, narrative=LABEL.replace("pledge", "report"),
                    progress_percent=percent, reported_on=date(2025, 6, 30), actor=government,
                )  # fmt: skip
        made += 1
    return made


def _seed_indicators(countries, secretariat) -> int:
    made = 0
    by_code: dict[str, list] = {}
    for code, iso, dis, points in SERIES:
        by_code.setdefault(code, []).append((iso, dis, points))
    for code, rows in by_code.items():
        indicator = Indicator.objects.filter(kind=IndicatorKind.SDG, code=code).first()
        if indicator is None:
            continue
        if Observation.objects.filter(indicator=indicator, is_illustrative=True).exists():
            continue
        report = indicators.indicator_data_import(
            indicator=indicator,
            content=_observations_csv(rows, countries),
            filename=f"{indicator.slug}.csv",
            actor=secretariat,
            is_illustrative=True,
        )
        if not report.accepted:
            raise RuntimeError(f"demo data for {code} refused: {report.as_json()}")
        made += 1
    return made


def _seed_health(countries, secretariat) -> int:
    made = 0
    for iso, health_plan, vaccination_plan in INCLUSION:
        if HealthInclusionAssessment.objects.filter(
            country=countries[iso], is_illustrative=True
        ).exists():
            continue
        indicators.health_inclusion_record(
            country=countries[iso], assessed_on=date(2025, 1, 15), health_plan=health_plan,
            vaccination_plan=vaccination_plan, source="Illustrative demonstration data",
            note=LABEL.replace("pledge", "assessment"), actor=secretariat, is_illustrative=True,
        )  # fmt: skip
        made += 1
    return made


def _seed_forum(orgs, countries, objectives, gov_ec, secretariat, edition) -> int:
    if edition is None:
        return 0
    made = 0
    title = "Voluntary national review of GCM implementation (illustrative)"
    if not NationalReview.objects.filter(title=title, is_illustrative=True).exists():
        review = plans.national_review_create(
            country=countries["EC"], title=title, summary=LABEL.replace("pledge", "review"),
            imrf_edition=edition, organisation=orgs["EC"], actor=gov_ec, is_illustrative=True,
        )  # fmt: skip
        plans.national_review_transition(review=review, to="submitted", actor=gov_ec)
        plans.national_review_transition(review=review, to="published", actor=secretariat)
        made += 1
    contributor = (
        Membership.objects.filter(organisation=orgs["MRN"], role__code="stakeholder-contributor")
        .select_related("user")
        .first()
    )
    if contributor is None:
        return made
    if not StakeholderRegistration.objects.filter(
        organisation=orgs["MRN"], is_illustrative=True
    ).exists():
        registration = cycle.registration_create(
            organisation=orgs["MRN"], participant_name="Demo Stakeholder", imrf_edition=edition,
            actor=contributor.user, is_illustrative=True,
        )  # fmt: skip
        cycle.registration_decide(registration=registration, accept=True, actor=secretariat)
        made += 1
    if not WrittenSubmission.objects.filter(
        organisation=orgs["MRN"], is_illustrative=True
    ).exists():
        submission = cycle.submission_create(
            organisation=orgs["MRN"], title="Migrants' access to health care (illustrative)",
            text=LABEL.replace("pledge", "submission"), objectives=[objectives[15]],
            imrf_edition=edition, actor=contributor.user, is_illustrative=True,
        )  # fmt: skip
        cycle.submission_publish(submission=submission, actor=secretariat)
        made += 1
    return made
