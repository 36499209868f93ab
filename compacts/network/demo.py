"""Demonstration data of the network app. Everything here is ILLUSTRATIVE (``is_illustrative``),
labelled so on every page; the real structure (Executive Committee, working groups 2.1, 2.2, 5, 6,
WS1, champion countries) comes from ``reference.py``.

It covers a call for practices from announcement to publication (a concluded call with published
practices, an open one with practices waiting for review), a country network with what it did,
events with registrations, requests for support, a deliverable piloted in champion countries,
resources and moderated comments. Idempotent: every record is looked up by its title first.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from compacts.actors.models import Organisation
from compacts.core.demo import DEMO_USERNAME_PREFIX
from compacts.framework.models import Country, GcmObjective, GuidingPrinciple, Region, SdgIndicator
from compacts.network import services
from compacts.network.models import (
    CallForPractices,
    ChampionCountry,
    CountryNetwork,
    Deliverable,
    Event,
    Practice,
    Resource,
    SupportRequest,
    Term,
    WorkingGroup,
)

NOTE = " (illustrative)"


def _user(name: str):
    return get_user_model().objects.filter(username=f"{DEMO_USERNAME_PREFIX}{name}").first()


def _org(short_name: str) -> Organisation | None:
    return Organisation.objects.filter(short_name=short_name).first()


def _ids(model, **lookup) -> list[int]:
    return list(model.objects.filter(**lookup).values_list("pk", flat=True))


def _term(vocabulary: str, code: str) -> Term:
    return Term.objects.get(vocabulary=vocabulary, code=code)


PRACTICES = [
    # title, language, summary, description, objectives, principles, countries, themes
    (
        "Mobile health clinics along migration routes" + NOTE,
        "en",
        "Health teams reach migrants in transit, regardless of status.",
        "Mobile clinics staffed by national health workers offer primary care, vaccination and "
        "referrals to migrants along the main routes, with records that travel with the patient.",
        [15],
        ["c", "d"],
        ["KE"],
        ["health"],
    ),
    (
        "Portable vaccination records for migrant children" + NOTE,
        "en",
        "A shared card keeps every child's vaccination history.",
        "Health ministries of neighbouring countries agreed one vaccination card, so that children "
        "on the move are not vaccinated twice or missed.",
        [15, 7],
        ["c", "i"],
        ["EC"],
        ["health", "children"],
    ),
    (
        "Cartographie des services de santé pour les migrants" + NOTE,
        "fr",
        "Une carte des services accessibles aux personnes migrantes.",
        "Les autorités locales ont recensé les centres de santé, leurs horaires et les langues "
        "parlées, et publié la carte dans six langues.",
        [15, 3],
        ["c", "h"],
        ["SN"],
        ["health", "data"],
    ),
    (
        "Ventanilla única de información para personas migrantes" + NOTE,
        "es",
        "Un punto de información sobre trámites, salud y trabajo.",
        "La municipalidad abrió una ventanilla con personal capacitado que orienta sobre "
        "regularización, acceso a la salud y empleo.",
        [3, 15],
        ["c", "h"],
        ["EC"],
        ["whole-of-society"],
    ),
    (
        "برنامج الإدماج الصحي للعمال المهاجرين" + NOTE,
        "ar",
        "تأمين صحي للعمال المهاجرين بغض النظر عن وضعهم.",
        "يتيح البرنامج للعمال المهاجرين الحصول على الرعاية الصحية الأولية عبر شراكة بين وزارة "
        "الصحة وأصحاب العمل.",
        [15, 6],
        ["c", "d"],
        ["EG"],
        ["health"],
    ),
    (
        "移民数据共享平台" + NOTE,
        "zh-hans",
        "各部门共享移民数据，改进政策。",
        "统计部门与移民管理部门建立数据共享机制，按性别和年龄分列的移民数据每季度发布。",
        [1],
        ["c", "j"],
        ["KE"],
        ["data"],
    ),
    (
        "Цифровые денежные переводы для мигрантов" + NOTE,
        "ru",
        "Более дешевые и быстрые денежные переводы.",
        "Банки и операторы связи снизили комиссию за переводы мигрантов благодаря цифровым "
        "кошелькам.",
        [20],
        ["c", "g"],
        ["IQ"],
        ["data"],
    ),
]
OPEN_CALL_PRACTICES = [
    (
        "Community health workers from migrant communities" + NOTE,
        "en",
        "Migrants trained as community health workers bridge language gaps.",
        "Migrants are trained and paid as community health workers in their own communities.",
        [15, 16],
        ["c", "e"],
        ["KE"],
        ["health", "whole-of-society"],
    ),
    (
        "Health insurance enrolment drive for migrant workers" + NOTE,
        "en",
        "Enrolment desks at workplaces.",
        "Employers host enrolment desks for national health insurance.",
        [15, 6],
        ["c"],
        ["EC"],
        ["health"],
    ),
]


def _practice(spec, *, submitter, call: CallForPractices | None) -> Practice:
    title, language, summary, description, objectives, principles, countries, themes = spec
    existing = Practice.objects.filter(title=title).first()
    if existing is not None:
        return existing
    practice = services.practice_create(
        actor=submitter,
        is_illustrative=True,
        data={
            "title": title,
            "language": language,
            "summary": summary,
            "description": description,
            "results": "Illustrative results: figures are not real.",
            "innovation": "Illustrative: why the approach is new in its context.",
            "replicability": "Illustrative: what another country would need to adapt it.",
            "starts_on": datetime.date(2019, 3, 1),
            "ends_on": datetime.date(2022, 12, 31),
            "objectives": _ids(GcmObjective, number__in=objectives),
            "principles": _ids(GuidingPrinciple, letter__in=principles),
            "countries": _ids(Country, iso2__in=countries),
            "themes": _ids(Term, vocabulary="theme", code__in=themes),
            "sdg_indicators": _ids(SdgIndicator, code__in=["10.7.2", "3.8.1"]),
            "call": call.pk if call else None,
        },
    )
    return practice


def _publish(practice: Practice, *, submitter, secretariat) -> None:
    if practice.state != "draft":
        return
    services.practice_submit(actor=submitter, practice=practice)
    services.practice_transition(practice=practice, to="in-review", actor=secretariat)
    services.practice_transition(practice=practice, to="published", actor=secretariat)


def _calls(*, secretariat, submitter) -> None:
    today = timezone.localdate()
    title = "Call for practices on migrants' access to health services" + NOTE
    concluded = CallForPractices.objects.filter(title=title).first()
    if concluded is None:
        concluded = services.call_create(
            actor=secretariat,
            title=title,
            theme="Access to health services (GCM objective 15)",
            opens_on=today - datetime.timedelta(days=60),
            deadline=today,
            description="An illustrative call, run from announcement to publication.",
            objective_ids=_ids(GcmObjective, number=15),
            is_illustrative=True,
        )
        services.call_transition(call=concluded, to="announced", actor=secretariat)
        for spec in PRACTICES[:2]:
            practice = _practice(spec, submitter=submitter, call=concluded)
            _publish(practice, submitter=submitter, secretariat=secretariat)
        services.call_transition(call=concluded, to="closed", actor=secretariat)
        services.call_transition(call=concluded, to="concluded", actor=secretariat)
    for spec in PRACTICES[2:]:
        _publish(
            _practice(spec, submitter=submitter, call=None),
            submitter=submitter,
            secretariat=secretariat,
        )

    title = "Call for practices on health workers from migrant communities" + NOTE
    open_call = CallForPractices.objects.filter(title=title).first()
    if open_call is None:
        open_call = services.call_create(
            actor=secretariat,
            title=title,
            theme="Migrants in the health workforce",
            opens_on=today - datetime.timedelta(days=10),
            deadline=today + datetime.timedelta(days=45),
            description="An illustrative call, open now: two practices wait for review.",
            objective_ids=_ids(GcmObjective, number__in=[15, 18]),
            is_illustrative=True,
        )
        services.call_transition(call=open_call, to="announced", actor=secretariat)
        first = _practice(OPEN_CALL_PRACTICES[0], submitter=submitter, call=open_call)
        services.practice_submit(actor=submitter, practice=first)
        second = _practice(OPEN_CALL_PRACTICES[1], submitter=submitter, call=open_call)
        services.practice_submit(actor=submitter, practice=second)
        services.practice_transition(practice=second, to="in-review", actor=secretariat)
        services.practice_transition(
            practice=second,
            to="changes-requested",
            actor=secretariat,
            note="Please add the number of workers enrolled (illustrative review note).",
        )


def _country_network(*, secretariat) -> CountryNetwork | None:
    country = Country.objects.filter(iso2="EC").first()
    if country is None:
        return None
    network = CountryNetwork.objects.filter(country=country).first()
    if network is not None:
        return network
    members = [o.pk for o in (_org("IOM"), _org("UNDP"), _org("UNHCR"), _org("UNICEF")) if o]
    network = services.country_network_create(
        actor=secretariat,
        kind="country",
        name="UN Network on Migration in Ecuador" + NOTE,
        country=country,
        established_on=datetime.date(2020, 9, 1),
        coordinating_office="Resident Coordinator's Office" + NOTE,
        description="Illustrative network: its activities and dates are not real.",
        member_organisation_ids=members,
        is_illustrative=True,
    )
    services.country_network_transition(network=network, to="established", actor=secretariat)
    iom = _org("IOM")
    if iom:
        services.focal_point_add(
            actor=secretariat,
            network=network,
            organisation=iom,
            name="Demo focal point" + NOTE,
            is_illustrative=True,
        )
    for kind, title, day, trained, reference in [
        (
            "national-plan",
            "Supported the drafting of a GCM national implementation plan",
            datetime.date(2021, 5, 10),
            None,
            "",
        ),
        (
            "concept-note",
            "Submitted a joint concept note to the Migration MPTF",
            datetime.date(2021, 9, 1),
            None,
            "CN-ILLUSTRATIVE-01",
        ),
        (
            "training",
            "Trained officials of three ministries on the GCM guiding principles",
            datetime.date(2022, 2, 15),
            45,
            "",
        ),
    ]:
        services.achievement_record(
            actor=secretariat,
            network=network,
            kind=kind,
            title=title + NOTE,
            happened_on=day,
            people_trained=trained,
            reference=reference,
            is_illustrative=True,
        )
    for title, state, timeline in [
        ("Map migrants' access to health services", "completed", "Q1-Q2 2021"),
        ("Train local authorities on the GCM", "ongoing", "2022"),
        ("Prepare the voluntary national review", "yet-to-start", "2023"),
    ]:
        activity = services.activity_create(
            actor=secretariat,
            country_network=network,
            title=title + NOTE,
            timeline=timeline,
            is_illustrative=True,
        )
        if state in ("ongoing", "completed"):
            services.activity_transition(activity=activity, to="ongoing", actor=secretariat)
        if state == "completed":
            services.activity_transition(activity=activity, to="completed", actor=secretariat)
    americas = Region.objects.filter(m49="019").first()
    if americas and not CountryNetwork.objects.filter(kind="regional", region=americas).exists():
        regional = services.country_network_create(
            actor=secretariat,
            kind="regional",
            name="Regional network for the Americas" + NOTE,
            region=americas,
            established_on=datetime.date(2020, 1, 1),
            is_illustrative=True,
        )
        services.country_network_transition(network=regional, to="established", actor=secretariat)
    return network


def _working_group_work(*, secretariat) -> None:
    group = WorkingGroup.objects.filter(code="6").first()
    if group is None or Deliverable.objects.filter(working_group=group).exists():
        return
    champions = list(ChampionCountry.objects.filter(country__iso2__in=["EG", "KE"]))
    tool = services.deliverable_create(
        actor=secretariat,
        working_group=group,
        title="Toolkit on migrants' access to health services" + NOTE,
        is_illustrative=True,
    )
    if champions:
        services.deliverable_pilot_countries_set(
            actor=secretariat, deliverable=tool, champion_ids=[c.pk for c in champions]
        )
        services.deliverable_transition(deliverable=tool, to="pilot-testing", actor=secretariat)
        for champion in champions:
            services.pilot_feedback_add(
                actor=secretariat,
                deliverable=tool,
                champion=champion,
                feedback="Illustrative feedback: shorter modules and examples from the region.",
            )
    for title, state in [
        ("Mapping of access barriers" + NOTE, "completed"),
        ("Peer exchange between ministries of health" + NOTE, "ongoing"),
    ]:
        activity = services.activity_create(
            actor=secretariat,
            working_group=group,
            title=title,
            timeline="2022",
            is_illustrative=True,
        )
        services.activity_transition(activity=activity, to="ongoing", actor=secretariat)
        if state == "completed":
            services.activity_transition(activity=activity, to="completed", actor=secretariat)


def _events(*, secretariat, participants, network) -> None:
    now = timezone.now()
    specs = [
        (
            "Webinar: including migrants in national health plans" + NOTE,
            "webinar",
            now + datetime.timedelta(days=21),
            100,
            "open",
        ),
        (
            "Training on GCM national implementation plans" + NOTE,
            "training",
            now - datetime.timedelta(days=30),
            30,
            "held",
        ),
    ]
    for title, type_code, starts_at, capacity, final_state in specs:
        if Event.objects.filter(title=title).exists():
            continue
        held = final_state == "held"
        event = services.event_create(
            actor=secretariat,
            title=title,
            event_type=_term("event-type", type_code),
            starts_at=starts_at if not held else now + datetime.timedelta(days=1),
            ends_at=(starts_at if not held else now + datetime.timedelta(days=1))
            + datetime.timedelta(hours=2),
            registration_deadline=(starts_at if not held else now + datetime.timedelta(days=1))
            - datetime.timedelta(hours=1),
            capacity=capacity,
            description="Illustrative event.",
            working_group=WorkingGroup.objects.filter(code="6").first(),
            country_network=network,
            is_illustrative=True,
        )
        services.event_transition(event=event, to="open", actor=secretariat)
        registrations = [
            services.registration_create(
                actor=person,
                event=event,
                organisation_name="Illustrative organisation",
                is_illustrative=True,
            )
            for person in participants
        ]
        if held:
            services.event_transition(event=event, to="closed", actor=secretariat)
            for registration in registrations:
                services.registration_transition(
                    registration=registration, to="confirmed", actor=secretariat
                )
                services.registration_transition(
                    registration=registration, to="attended", actor=secretariat
                )
            services.event_transition(event=event, to="held", actor=secretariat)
            # The demonstration shows a past training: it is rescheduled to its past dates.
            services.event_reschedule(
                actor=secretariat,
                event=event,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(hours=2),
                registration_deadline=starts_at - datetime.timedelta(days=2),
            )
            services.event_follow_up_record(
                actor=secretariat,
                event=event,
                materials="Slides and recording (illustrative).",
                follow_up="Participants drafted action plans (illustrative).",
            )


def _requests(*, secretariat, government) -> None:
    country = Country.objects.filter(iso2="EC").first()
    if country is None or SupportRequest.objects.filter(is_illustrative=True).exists():
        return
    first = services.support_request_create(
        actor=government or secretariat,
        title="Support to draft a GCM national implementation plan" + NOTE,
        country=country,
        description="Illustrative request: technical assistance to draft and cost a plan.",
        objective_ids=_ids(GcmObjective, number__in=[1, 23]),
        is_illustrative=True,
    )
    partners = [o.pk for o in (_org("IOM"), _org("UNDP")) if o]
    similar = _ids(Practice, state="published", is_illustrative=True)[:2]
    if partners:
        services.support_request_match(
            actor=secretariat, request=first, partner_ids=partners, practice_ids=similar
        )
        services.support_request_support(
            actor=secretariat,
            request=first,
            summary="Two workshops with the ministries (illustrative).",
        )
        services.support_request_link_concept_note(
            actor=secretariat, request=first, reference="CN-ILLUSTRATIVE-01"
        )
        services.support_request_transition(
            request=first,
            to="closed",
            actor=secretariat,
            note="Plan drafted; a concept note followed (illustrative).",
        )
    services.support_request_create(
        actor=government or secretariat,
        title="Training on migrants' access to health services" + NOTE,
        country=country,
        description="Illustrative request: training for health workers.",
        objective_ids=_ids(GcmObjective, number=15),
        is_illustrative=True,
    )


def _resources(*, secretariat) -> None:
    specs = [
        ("Guidance on including migrants in national health plans" + NOTE, "guidance", "6"),
        ("Checklist for GCM national implementation plans" + NOTE, "tool", "2.2"),
    ]
    for title, type_code, group_code in specs:
        if Resource.objects.filter(title=title).exists():
            continue
        services.resource_create(
            actor=secretariat,
            title=title,
            resource_type=_term("resource-type", type_code),
            description="Illustrative resource.",
            publisher="Illustrative publisher",
            published_on=datetime.date(2022, 6, 1),
            geographic_scope="Global",
            workstream_output=WorkingGroup.objects.filter(code=group_code).first(),
            keywords="health, national plans",
            audience_ids=_ids(Term, vocabulary="audience", code="governments"),
            objective_ids=_ids(GcmObjective, number=15),
            theme_ids=_ids(Term, vocabulary="theme", code="health"),
            is_illustrative=True,
        )


def _comments(*, secretariat, commenter) -> None:
    practice = Practice.objects.filter(title=PRACTICES[0][0], state="published").first()
    if practice is None or practice.comments.exists() or commenter is None:
        return
    approved = services.comment_create(
        actor=commenter,
        practice=practice,
        is_illustrative=True,
        body="Illustrative comment: how were nurses recruited?",
    )
    services.comment_transition(comment=approved, to="approved", actor=secretariat)
    services.comment_create(
        actor=commenter,
        practice=practice,
        is_illustrative=True,
        body="Illustrative comment awaiting moderation.",
    )


@transaction.atomic
def seed_demo(*, stdout) -> None:
    """Illustrative Network data (idempotent)."""
    secretariat = _user("secretariat")
    submitter = _user("stakeholder")
    if secretariat is None or submitter is None:
        stdout.write("  network: demonstration accounts missing; load the actors demo first")
        return
    government = _user("government")
    colead = _user("colead")
    _calls(secretariat=secretariat, submitter=submitter)
    network = _country_network(secretariat=secretariat)
    _working_group_work(secretariat=secretariat)
    _events(
        secretariat=secretariat,
        participants=[u for u in (submitter, government, colead) if u],
        network=network,
    )
    _requests(secretariat=secretariat, government=government)
    _resources(secretariat=secretariat)
    _comments(secretariat=secretariat, commenter=colead)
    stdout.write(
        f"  network: {Practice.objects.filter(is_illustrative=True).count()} illustrative "
        f"practices, {CountryNetwork.objects.filter(is_illustrative=True).count()} networks, "
        f"{Event.objects.filter(is_illustrative=True).count()} events"
    )
