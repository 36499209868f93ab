"""``compacts reindex`` rebuilds every SQLite search index, stems included."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from compacts.core.search import search_indexes
from compacts.network import search
from compacts.network.selectors import practice_search
from compacts.network.tests import factories

pytestmark = pytest.mark.django_db


def test_every_app_index_is_found_once():
    tables = [index.table for index in search_indexes()]
    assert {"network_practice", "network_resource", "programmes_programme"} <= set(tables)
    assert len(tables) == len(set(tables))


def found(query):
    return [p.pk for p in practice_search(query=query, language="fr").practices]


def test_a_row_missing_from_the_index_is_found_again_by_its_stem():
    """SQLite: the row is written back, stems included. PostgreSQL: its column is generated, so
    the command says there is nothing to do and search never lost the row."""
    practice = factories.PracticeFactory(
        title="Les travailleuses migrantes",
        language="fr",
        state="published",
        published_at=timezone.now(),
    )
    search.index_practices([practice])
    if connection.vendor == "sqlite":  # as a migration's plain fill or a restore leaves it
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM network_practice_fts")
        assert found("travailleuse") == []

    out = StringIO()
    call_command("reindex", stdout=out)

    assert found("travailleuse") == [practice.pk]
    if connection.vendor == "sqlite":
        assert "network_practice_fts: 1 rows indexed." in out.getvalue()
    else:
        assert "nothing to rebuild" in out.getvalue()
