"""Reference data of the network app: open vocabularies, and the Network's structure as far as
cited sources confirm it (/work/shared/domain/facts.md §4). Idempotent.

Real, with sources: the eight Executive Committee members of 2019 (IOM is the Coordinator and
hosts the Secretariat); WHO as a full member (date not confirmed, so not stored); core working
groups 2.1 (co-leads IOM, UNDP) and 2.2 (co-leads IOM, OHCHR, UNDP) of the 2021-22 workplan;
thematic working group 6 on access to services (objective 15; co-leads not confirmed: WHO per
Tool 18) and 5 on return and reintegration (objective 21); workstream WS1 measuring progress of
the 2022-24 workplan; champion countries Egypt, Iraq and Kenya (joined June 2021).

The vocabularies (themes, resource types, audiences, event types) are editable starting lists,
not facts about the Hub.
"""

import datetime

from compacts.actors.models import Organisation, StakeholderCategory
from compacts.framework.models import Country, GcmObjective
from compacts.network import selectors, services
from compacts.network.models import ChampionCountry, NetworkMember, Term, WorkingGroup

T = dict[str, str]


def _names(en: str, fr: str, es: str, ar: str, zh: str, ru: str) -> tuple[str, T]:
    return en, {"en": en, "fr": fr, "es": es, "ar": ar, "zh-hans": zh, "ru": ru}


VOCABULARIES: dict[str, list[tuple[str, tuple[str, T]]]] = {
    "theme": [
        ("gender", _names("Gender", "Genre", "Género", "النوع الاجتماعي", "性别", "Гендер")),
        (
            "human-rights",
            _names(
                "Human rights",
                "Droits humains",
                "Derechos humanos",
                "حقوق الإنسان",
                "人权",
                "Права человека",
            ),
        ),
        ("children", _names("Children", "Enfants", "Niñez", "الأطفال", "儿童", "Дети")),
        ("health", _names("Health", "Santé", "Salud", "الصحة", "卫生", "Здравоохранение")),
        (
            "climate",
            _names(
                "Climate change and disasters",
                "Changements climatiques et catastrophes",
                "Cambio climático y desastres",
                "تغير المناخ والكوارث",
                "气候变化和灾害",
                "Изменение климата и бедствия",
            ),
        ),
        (
            "data",
            _names(
                "Migration data",
                "Données sur les migrations",
                "Datos sobre migración",
                "بيانات الهجرة",
                "移民数据",
                "Данные о миграции",
            ),
        ),
        (
            "whole-of-society",
            _names(
                "Whole-of-society approach",
                "Approche mobilisant l'ensemble de la société",
                "Enfoque pansocial",
                "نهج يشمل المجتمع بأسره",
                "全社会办法",
                "Общесоциальный подход",
            ),
        ),
    ],
    "resource-type": [
        (
            "guidance",
            _names("Guidance", "Orientations", "Orientaciones", "توجيهات", "指导", "Руководство"),
        ),
        ("tool", _names("Tool", "Outil", "Herramienta", "أداة", "工具", "Инструмент")),
        (
            "position-paper",
            _names(
                "Position paper",
                "Note de position",
                "Documento de posición",
                "ورقة موقف",
                "立场文件",
                "Позиционный документ",
            ),
        ),
        ("report", _names("Report", "Rapport", "Informe", "تقرير", "报告", "Доклад")),
    ],
    "audience": [
        (
            "governments",
            _names(
                "Governments", "Gouvernements", "Gobiernos", "الحكومات", "政府", "Правительства"
            ),
        ),
        (
            "un-system",
            _names(
                "UN system",
                "Système des Nations Unies",
                "Sistema de las Naciones Unidas",
                "منظومة الأمم المتحدة",
                "联合国系统",
                "Система ООН",
            ),
        ),
        (
            "civil-society",
            _names(
                "Civil society",
                "Société civile",
                "Sociedad civil",
                "المجتمع المدني",
                "民间社会",
                "Гражданское общество",
            ),
        ),
        (
            "local-authorities",
            _names(
                "Local authorities",
                "Autorités locales",
                "Autoridades locales",
                "السلطات المحلية",
                "地方当局",
                "Местные органы власти",
            ),
        ),
    ],
    "event-type": [
        (
            "webinar",
            _names(
                "Webinar",
                "Webinaire",
                "Seminario web",
                "ندوة عبر الإنترنت",
                "网络研讨会",
                "Вебинар",
            ),
        ),
        ("training", _names("Training", "Formation", "Capacitación", "تدريب", "培训", "Обучение")),
        (
            "consultation",
            _names("Consultation", "Consultation", "Consulta", "مشاورة", "磋商", "Консультация"),
        ),
    ],
}

EXCOM_SOURCE = (
    "https://reliefweb.int/report/world/statement-principals-executive-committee-united-nations-"
    "network-migration"
)
WORKPLAN_SOURCE = "https://migrationnetwork.un.org/about/united-nations-network-migration-workplan"
# (code, name, kind, objectives, co-leads, co-leads confirmed, workplan period, source)
WORKING_GROUPS = [
    (
        "2.1",
        "Stronger UN system for GCM implementation",
        "core",
        [],
        ["IOM", "UNDP"],
        True,
        "2021-2022",
        WORKPLAN_SOURCE,
    ),
    (
        "2.2",
        "GCM National Implementation Plans",
        "core",
        [],
        ["IOM", "OHCHR", "UNDP"],
        True,
        "2021-2022",
        WORKPLAN_SOURCE,
    ),
    (
        "5",
        "Return and Reintegration",
        "thematic",
        [21],
        [],
        False,
        "",
        "https://migrationnetwork.un.org/resources/position-paper-ensuring-safe-and-dignified-"
        "return-and-sustainable-reintegration",
    ),
    (
        "6",
        "Access to Services",
        "thematic",
        [15],
        ["WHO"],
        False,
        "",
        "https://migrationnetwork.un.org/thematic-working-group-6-access-services",
    ),
    (
        "WS1",
        "Measuring progress",
        "workstream",
        [],
        [],
        False,
        "2022-2024",
        "https://migrationnetwork.un.org/pledge/ws1-measuring-progress-common-pledge",
    ),
]
WG6_DESCRIPTION = (
    "All migrants, regardless of status, have equitable access to quality public services: "
    "education, health, housing, training, water and sanitation; later also child and social "
    "protection (COVID-19)."
)
CHAMPIONS_JUNE_2021 = ["EG", "IQ", "KE"]
BRIEFING_SOURCE = "https://migrationnetwork.un.org/statements/coordinators-briefing-24-june-2021"


def _un_entity(short_name: str) -> Organisation | None:
    return Organisation.objects.filter(
        category=StakeholderCategory.UN_ENTITY, short_name=short_name, is_illustrative=False
    ).first()


def load_terms() -> int:
    count = 0
    for vocabulary, entries in VOCABULARIES.items():
        for code, (name, names) in entries:
            services.term_ensure(
                vocabulary=vocabulary, code=code, name=name, names=names, actor=None
            )
            count += 1
    return count


def _not_readded(stdout, name: str, what: str, record) -> None:
    """Say that a row of the reference data stays out because the Secretariat removed it."""
    stdout.write(
        f"  network: {name} is not added back to the {what}: removed by {record.actor_label} on "
        f"{record.at:%Y-%m-%d} (audit record #{record.seq}); add it again on its page if the "
        "removal was a mistake"
    )


def load_structure(*, stdout) -> None:
    actor = services.SYSTEM
    excom = ("ILO", "IOM", "OHCHR", "UN DESA", "UNDP", "UNHCR", "UNICEF", "UNODC")
    removed_members = selectors.structure_removals(
        action="network.member.delete", field="organisation"
    )
    for short_name in (*excom, "WHO"):
        organisation = _un_entity(short_name)
        if organisation is None:
            stdout.write(f"  network: {short_name} missing; load the actors reference data first")
            continue
        member = NetworkMember.objects.filter(organisation=organisation).first()
        if member is not None:
            # An existing record is never changed here, and one that left stays a former member.
            if member.left_on is not None:
                stdout.write(
                    f"  network: {short_name} left the Network on {member.left_on:%Y-%m-%d}; "
                    "its record is kept as the Secretariat left it"
                )
            continue
        if organisation.pk in removed_members:
            _not_readded(stdout, short_name, "members", removed_members[organisation.pk])
            continue
        is_excom = short_name in excom
        services.network_member_upsert(
            actor=actor,
            organisation=organisation,
            is_executive_committee=is_excom,
            is_coordinator=short_name == "IOM",
            hosts_secretariat=short_name == "IOM",
            joined_note=(
                "Executive Committee member (2019 statement of the Principals)"
                if is_excom
                else "Full member; the date it joined is not confirmed"
            ),
            source=EXCOM_SOURCE if is_excom else "WHO Refugee and Migrant Health Toolkit, Tool 18",
        )
    for code, name, kind, objectives, co_leads, confirmed, period, source in WORKING_GROUPS:
        if WorkingGroup.objects.filter(code=code).exists():
            continue
        group = services.working_group_create(
            actor=actor,
            code=code,
            name=name,
            kind=kind,
            objective_ids=list(
                GcmObjective.objects.filter(number__in=objectives).values_list("pk", flat=True)
            ),
            workplan_period=period,
            source=source,
            co_leads_confirmed=confirmed,
            description=WG6_DESCRIPTION if code == "6" else "",
        )
        for short_name in co_leads:
            organisation = _un_entity(short_name)
            if organisation is not None:
                services.working_group_member_set(
                    actor=actor, working_group=group, organisation=organisation, role="co-lead"
                )
    removed_champions = selectors.structure_removals(
        action="network.champion.delete", field="country"
    )
    for iso2 in CHAMPIONS_JUNE_2021:
        country = Country.objects.filter(iso2=iso2).first()
        if country is not None and country.pk in removed_champions:
            if not ChampionCountry.objects.filter(country=country).exists():
                _not_readded(stdout, iso2, "champion countries", removed_champions[country.pk])
            continue
        if country is not None and not ChampionCountry.objects.filter(country=country).exists():
            services.champion_country_add(
                actor=actor,
                country=country,
                since=datetime.date(2021, 6, 1),
                source=BRIEFING_SOURCE,
            )


def load_reference(*, stdout) -> None:
    """Vocabularies and the confirmed structure of the Network (idempotent)."""
    terms = load_terms()
    load_structure(stdout=stdout)
    members = selectors.network_member_counts()
    stdout.write(
        f"  network: {terms} vocabulary entries, {members['current']} members "
        f"({members['former']} former), "
        f"{WorkingGroup.objects.count()} working groups, "
        f"{ChampionCountry.objects.count()} champion countries"
    )


__all__ = ["Term", "load_reference"]
