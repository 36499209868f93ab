"""Stemming in the six languages through the one practice search, on the database the suite
runs on: SQLite (Snowball stems in the FTS5 index) must find what PostgreSQL (its language
configurations) finds. Run with DATABASE_URL for PostgreSQL."""

import pytest
from django.utils import timezone

from compacts.network import search
from compacts.network.selectors import practice_search
from compacts.network.tests import factories

pytestmark = pytest.mark.django_db

PRACTICES = [
    ("en", "Skills of migrant workers", "Recognition of qualifications."),
    ("fr", "Les travailleuses migrantes et la santé", "Accès aux soins."),
    ("es", "Trabajadores migrantes en la frontera", "Acceso a la salud."),
    ("ar", "حماية العمال المهاجرين", "الوصول إلى الخدمات الصحية"),
    ("ru", "Права трудовых мигрантов", "Доступ к здравоохранению."),
    ("zh-hans", "移民工人的健康", "获得医疗服务"),
]


@pytest.fixture
def practices():
    made = {}
    for language, title, description in PRACTICES:
        practice = factories.PracticeFactory(
            title=title,
            description=description,
            language=language,
            state="published",
            published_at=timezone.now(),
        )
        search.index_practices([practice])
        made[language] = practice
    return made


@pytest.mark.parametrize(
    ("query", "reader", "expected"),
    [
        ("worker", "en", {"en"}),
        ("travailleuse", "fr", {"fr"}),
        ("soin", "fr", {"fr"}),
        ("trabajador", "es", {"es"}),
        ("fronteras", "es", {"es"}),
        ("المهاجرون", "ar", {"ar"}),
        ("мигранты", "ru", {"ru"}),
        ("права", "ru", {"ru"}),
        ("移民", "zh-hans", {"zh-hans"}),
        ("医疗", "en", {"zh-hans"}),
        # Words as written are found whatever the reader's language.
        ("мигрантов", "en", {"ru"}),
        ("santé", "es", {"fr"}),
    ],
)
def test_each_language_finds_its_inflections(practices, query, reader, expected):
    result = practice_search(query=query, language=reader)
    found = {p.language for p in result.practices}
    assert found == expected


def test_a_title_match_ranks_first_in_french(practices):
    body = factories.PracticeFactory(
        title="Programme communautaire",
        description="Des travailleuses migrantes formées.",
        language="fr",
        state="published",
        published_at=timezone.now(),
    )
    search.index_practices([body])
    result = list(practice_search(query="travailleuses", language="fr").practices)
    assert [p.pk for p in result] == [practices["fr"].pk, body.pk]


def test_the_migration_builds_the_indexes_the_app_searches():
    """Migration 0003 spells the structures out in SQL (no app imports): same tables, groups,
    weights and columns as ``network/search.py``."""
    from importlib import import_module

    migration = import_module("compacts.network.migrations.0003_snowball_stems_and_resource_search")
    for index, frozen in (
        (search.PRACTICES, migration.PRACTICES),
        (search.RESOURCES, migration.RESOURCES),
    ):
        assert (index.table, tuple((g.name, g.weight, g.columns) for g in index.fields)) == frozen
        assert index.language_column == "language"
