"""Ranked full-text search of programmes (``selectors.programme_list(search=...)``), with the
database's own engine: FTS5 bm25 on SQLite, tsvector and ts_rank on PostgreSQL."""

import pytest

from compacts.programmes import selectors, services
from compacts.programmes.search import PROGRAMME_INDEX
from compacts.programmes.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return f.world()


def note(w, title: str, **data):
    programme = f.concept_note(w, title=title)
    if data:
        services.concept_note_update(
            programme=programme, data=data, version=programme.version, actor=w.submitter
        )
    return programme


def codes(queryset) -> list[str]:
    return [p.code for p in queryset]


class ProgrammeSearchTests:
    def test_results_come_in_rank_order(self, w):
        """A word in the title ranks above the same word in the analysis, which ranks above it
        in the risks; programmes without it are left out."""
        in_risks = note(w, "Labour mobility corridors", risks="Strain on the health system.")
        in_title = note(w, "Health services for migrants in transit")
        in_analysis = note(
            w, "Border management", joint_analysis="Migrants lack health care at the border."
        )
        note(w, "Data on remittances")
        found = selectors.programme_list(search="health")
        assert codes(found) == [in_title.code, in_analysis.code, in_risks.code]
        ranks = [p.rank for p in found]
        assert ranks == sorted(ranks, reverse=True)
        assert ranks[0] > ranks[-1]
        # The gateway reads the ids alone, in the same order.
        assert list(found.values_list("pk", flat=True)) == [
            in_title.pk,
            in_analysis.pk,
            in_risks.pk,
        ]

    def test_words_are_stemmed_and_countries_found(self, w):
        """ "migrant" finds "migrants"; a country's name finds the programmes held there."""
        plural = note(w, "Protecting migrants' rights")
        assert plural.code in codes(selectors.programme_list(search="migrant"))
        assert set(codes(selectors.programme_list(search="Macedonia"))) == {plural.code}

    def test_the_code_finds_its_programme(self, w):
        first = note(w, "First")
        note(w, "Second")
        assert codes(selectors.programme_list(search=first.code)) == [first.code]

    def test_state_and_search_combine_and_odd_input_never_raises(self, w):
        draft = note(w, "Health draft")
        submitted = note(w, "Health submitted")
        services.concept_note_submit(programme=submitted, actor=w.submitter)
        assert codes(selectors.programme_list(state="submitted", search="health")) == [
            submitted.code
        ]
        assert codes(selectors.programme_list(search="health -submitted")) == [draft.code]
        for odd in ['"', "OR", "***", "health AND (", "'; DROP TABLE x; --"]:
            list(selectors.programme_list(search=odd))
        assert codes(selectors.programme_list(search="!!!")) == []

    def test_an_edit_is_found_at_once(self, w):
        programme = note(w, "Returns")
        assert codes(selectors.programme_list(search="reintegration")) == []
        services.concept_note_update(
            programme=programme,
            data={"theory_of_change": "Sustainable reintegration of returnees."},
            version=programme.version,
            actor=w.submitter,
        )
        assert codes(selectors.programme_list(search="reintegration")) == [programme.code]

    def test_a_reader_sees_only_what_she_may(self, w):
        """The ranked list keeps the visibility rule: another organisation's draft is hidden."""
        from compacts.actors import roles
        from compacts.actors.testing import user_with_role

        note(w, "Health draft")
        outsider = user_with_role(roles.RCO_SUBMITTER, f.un_entity())
        assert codes(selectors.programme_list_for_user(user=outsider, search="health")) == []
        assert len(selectors.programme_list_for_user(user=w.officer, search="health")) == 1

    def test_the_migration_builds_the_index_the_app_searches(self):
        """The migration spells the structures out in SQL (no app imports): same table, groups,
        weights and columns as ``PROGRAMME_INDEX``."""
        from importlib import import_module

        migration = import_module("compacts.programmes.migrations.0004_programme_full_text_search")
        assert PROGRAMME_INDEX.table == migration.TABLE
        assert PROGRAMME_INDEX.fts_table == migration.FTS_TABLE
        assert PROGRAMME_INDEX.vector_index == migration.VECTOR_INDEX
        assert (
            tuple((group.name, group.weight, group.columns) for group in PROGRAMME_INDEX.fields)
            == migration.GROUPS
        )

    def test_a_rebuilt_index_finds_the_same(self, w):
        """``PROGRAMME_INDEX.reindex()`` (after the migration's plain fill, say) keeps search
        working, stems included."""
        programme = note(w, "Protecting migrants' rights")
        PROGRAMME_INDEX.reindex()
        assert codes(selectors.programme_list(search="migrant")) == [programme.code]


@pytest.mark.django_db(transaction=True)
def test_the_migration_indexes_existing_programmes():
    """Run on a database that already holds programmes, the migration's structures find them
    (SQLite: filled from the rows; PostgreSQL: a generated column)."""
    from importlib import import_module

    from django.db import connection

    migration = import_module("compacts.programmes.migrations.0004_programme_full_text_search")
    w = f.world()
    programme = note(w, "Protecting migrants in transit")
    try:
        with connection.schema_editor() as editor:
            migration.drop(None, editor)
            migration.create(None, editor)
        assert codes(selectors.programme_list(search="transit")) == [programme.code]
        assert codes(selectors.programme_list(search="Macedonia")) == [programme.code]
    finally:
        # Nothing of this test may stay in the FTS table (a flush does not empty it).
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"DELETE FROM {PROGRAMME_INDEX.fts_table}")  # noqa: S608 - constant
