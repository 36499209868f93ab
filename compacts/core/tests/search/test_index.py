"""A SearchIndex over a table of its own, on the database the suite runs on (SQLite's FTS5 with
Snowball stems, or PostgreSQL's generated tsvector): run with DATABASE_URL for the other.

The same words in English, French, Spanish, Arabic and Russian must find the same rows on both.
"""

import pytest
from django.db import connection, models
from django.test.utils import isolate_apps

from compacts.core.search import SearchIndex, Weighted, engine, parse_query

pytestmark = pytest.mark.django_db

NOTES = SearchIndex(
    table="core_search_test_note",
    fields=(Weighted("title", "A"), Weighted("body", "C", ("body", "extra"))),
    language_column="language",
)
ROWS = [
    # id, title, body, extra, language
    (1, "Migrant workers and health", "", "", "en"),
    (2, "Community kitchen", "Health care for migrant workers.", "", "en"),
    (3, "Les travailleuses migrantes", "Accès à la santé.", "", "fr"),
    (4, "Trabajadores migrantes", "Salud en la frontera.", "", "es"),
    (5, "العمال المهاجرين", "الصحة للجميع", "", "ar"),
    (6, "Права трудовых мигрантов", "Здоровье и работа.", "", "ru"),
    (7, "移民工人的健康", "", "", "zh-hans"),
    (8, "Remittances", "", "Diaspora bonds.", "xx"),
]


class _Editor:
    """What SearchIndex.create needs of a schema editor, usable inside the test transaction."""

    def __init__(self):
        self.connection = connection

    def execute(self, sql, params=None):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


@pytest.fixture
def note_model():
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE core_search_test_note (id integer PRIMARY KEY, title text, "
            "body text, extra text, language varchar(10))"
        )
        cursor.executemany(
            "INSERT INTO core_search_test_note (id, title, body, extra, language) "
            "VALUES (%s, %s, %s, %s, %s)",
            ROWS,
        )
    NOTES.create(_Editor())  # on SQLite it also indexes the rows already there

    with isolate_apps("compacts.core"):

        class Note(models.Model):
            title = models.TextField()
            body = models.TextField()
            extra = models.TextField()
            language = models.CharField(max_length=10)

            class Meta:
                app_label = "core"
                db_table = "core_search_test_note"
                managed = False

            def __str__(self):
                return self.title

        yield Note


def _ids(model, text, language="en"):
    return [n.pk for n in NOTES.rank(model.objects.all(), parse_query(text), language=language)]


class TestMatching:
    @pytest.mark.parametrize(
        ("text", "language", "expected"),
        [
            # Each language's inflections find the row written in it, with the reader's stemmer.
            ("worker", "en", {1, 2}),
            ("migrante", "fr", {3}),
            ("travailleuse", "fr", {3}),
            # Spanish "migrante" stems to "migrant", as English "migrants" does (rows 1 and 2).
            ("migrante", "es", {1, 2, 4}),
            ("trabajador", "es", {4}),
            ("المهاجرون", "ar", {5}),
            ("مهاجرون", "ar", {5}),
            ("العمال", "ar", {5}),
            ("мигранты", "ru", {6}),
            ("трудовой", "ru", {6}),
            # Words as written match in any reader's language (the unstemmed half).
            ("migrantes", "fr", {3, 4}),
            ("мигрантов", "fr", {6}),
            # Diacritics and case; CJK by character sequence; a language without a stemmer.
            ("SANTE", "fr", {3}),
            ("移民", "zh-hans", {7}),
            ("健康", "en", {7}),
            ("diaspora", "en", {8}),
        ],
    )
    def test_the_same_words_find_the_same_rows_on_both_engines(
        self, note_model, text, language, expected
    ):
        assert set(_ids(note_model, text, language)) == expected

    def test_a_title_match_ranks_above_a_body_match(self, note_model):
        ids = _ids(note_model, "migrant workers")
        assert ids == [1, 2]
        ranked = list(NOTES.rank(note_model.objects.all(), parse_query("health"), language="en"))
        assert [n.pk for n in ranked] == [1, 2]
        assert ranked[0].rank > ranked[1].rank

    def test_exclusion_or_and_phrases(self, note_model):
        assert _ids(note_model, "health -kitchen") == [1]
        assert set(_ids(note_model, "remittances OR kitchen")) == {2, 8}
        assert _ids(note_model, '"migrant workers and health"') == [1]
        assert _ids(note_model, '"workers migrant"') == []

    def test_match_is_a_subquery_that_combines_with_other_filters(self, note_model):
        matched = NOTES.match(
            note_model.objects.filter(language="en"), parse_query("health"), language="en"
        )
        assert sorted(matched.values_list("pk", flat=True)) == [1, 2]
        outer = note_model.objects.filter(pk__in=matched.values("pk")).exclude(pk=2)
        assert list(outer.values_list("pk", flat=True)) == [1]

    def test_odd_queries_never_raise(self, note_model):
        """Operators of either engine are read as words; a query without words matches nothing."""
        assert _ids(note_model, "health*") == [1, 2]
        assert _ids(note_model, "title:health") == []
        for text in ["NEAR(a b)", "a:b", "') OR 1=1 --", "& | ! <->"]:
            _ids(note_model, text)
        assert _ids(note_model, '"') == []
        assert NOTES.bare(parse_query("*"), language="en") == []

    def test_bare_query_agrees_with_the_ranked_queryset(self, note_model):
        bare = NOTES.bare(
            parse_query("health"), language="en", where="t.language = %s", params=["en"]
        )
        assert [pk for pk, _rank in bare] == [1, 2]


class TestKeepingCurrent:
    def test_index_and_unindex_follow_the_rows(self, note_model):
        """On SQLite the services index what they write; PostgreSQL's column is generated."""
        note = note_model.objects.get(pk=8)
        note.title = "Remesas y migrantes"
        note.language = "es"
        note.save()
        NOTES.index([note])
        assert set(_ids(note_model, "remesa", "es")) == {8}
        assert _ids(note_model, "remittances") == []
        NOTES.unindex([8])
        note.delete()
        assert _ids(note_model, "remesa", "es") == []

    def test_reindex_rebuilds_everything(self, note_model):
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_search_test_note SET title = 'Vaccination' WHERE id = 1")
        expected = len(ROWS) if engine() == "sqlite" else 0
        assert NOTES.reindex(batch=3) == expected
        assert _ids(note_model, "vaccination") == [1]

    def test_drop_removes_the_structure(self, note_model):
        NOTES.drop(_Editor())
        with connection.cursor() as cursor:
            if engine() == "sqlite":
                cursor.execute(
                    "SELECT count(*) FROM sqlite_master WHERE name = 'core_search_test_note_fts'"
                )
            else:
                cursor.execute(
                    "SELECT count(*) FROM information_schema.columns WHERE "
                    "table_name = 'core_search_test_note' AND column_name = 'search_vector'"
                )
            assert cursor.fetchone()[0] == 0
