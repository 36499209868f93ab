"""Ranked full-text search with each database's own engine, for any model, behind one interface.

An app describes what to index once, as a :class:`SearchIndex` (a table, weighted groups of text
columns, the column holding each row's language), and gets:

- the structures, created by a migration (``operations = [INDEX.migration()]``):

  - **PostgreSQL**: a stored, generated ``tsvector`` column (``search_vector``) with a GIN
    index. Each group gets its weight (A, B, C, D) and is indexed twice: stemmed with the row's
    own language configuration (``english``, ``french``, ``spanish``, ``arabic``, ``russian``)
    and unstemmed (``simple``), so a reader finds a row whatever language she types in.
  - **SQLite**: an FTS5 table ``<table>_fts`` (tokeniser ``unicode61 remove_diacritics 2``),
    one column per group, keyed by the row id. FTS5 stems only English (``porter``), so the
    text is stemmed here with the Snowball stemmers, the same algorithms PostgreSQL's language
    configurations use: each column holds the words as written and, after them, the same words
    stemmed in the row's language.

- keeping it current: ``INDEX.index(objects)`` and ``INDEX.unindex(ids)`` in the services that
  write the rows, in the same transaction (PostgreSQL's column is generated: both do nothing
  there); ``INDEX.reindex()`` rebuilds everything.
- matching and ranking: ``INDEX.match(queryset, parsed, language=...)`` (a filter usable inside
  subqueries) and ``INDEX.rank(queryset, parsed, language=...)`` (annotated ``rank``, best
  first: ``ts_rank`` on PostgreSQL, ``bm25`` with the groups' weights on SQLite).

Queries are parsed once (:func:`parse_query`) into words, "quoted phrases", ``OR`` and
``-excluded`` words, and rendered for each engine (:meth:`ParsedQuery.fts5`,
:meth:`ParsedQuery.websearch`), so operators and odd characters never reach an engine raw and
never raise. The reader's language stems the query on both engines.

Chinese and Japanese have no spaces between words and neither engine segments them, so CJK
characters are indexed one by one (:func:`segment`) and a run of them in a query becomes a phrase
of characters: matching by character sequence, the usual fallback without a dictionary.

A ranked search for another model, in a few lines::

    # <app>/search.py
    NOTES = SearchIndex(
        table="app_note",  # the model's db_table
        fields=(Weighted("title", "A"), Weighted("body", "C", ("description", "results"))),
        language_column="language",  # or None, and language="en" for every row
    )

    # <app>/migrations/00xx_note_search.py (a frozen copy of the definition, not an import)
    operations = [NOTES.migration()]

    # services, after saving / before deleting, in the same transaction
    NOTES.index([note])
    NOTES.unindex([note.pk])

    # selector
    parsed = parse_query(text)  # parsed.is_empty: say "type a word", do not query
    NOTES.rank(Note.objects.filter(...), parsed, language=get_language())  # .rank, best first

This module has no user-facing strings: messages belong to the apps that use it.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

import snowballstemmer
from django.db import connection as default_connection
from django.db import migrations
from django.db.models import FloatField, QuerySet
from django.db.models.expressions import RawSQL

# Language codes of the platform -> Snowball algorithm = PostgreSQL text search configuration.
# Chinese (zh-hans) has neither: it is matched by character (``segment``).
STEMMED_LANGUAGES = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "ar": "arabic",
    "ru": "russian",
}
POSTGRES_CONFIGS = STEMMED_LANGUAGES
WEIGHTS = ("A", "B", "C", "D")
# bm25 column weights on SQLite and ts_rank weights on PostgreSQL, for weights A, B, C, D.
SQLITE_WEIGHTS = {"A": 10.0, "B": 4.0, "C": 1.0, "D": 0.5}
POSTGRES_WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.1, "D": 0.05}
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
VECTOR_COLUMN = "search_vector"
SQLITE_TOKENIZER = "unicode61 remove_diacritics 2"

CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"([{CJK}])")
_HAS_CJK = re.compile(f"[{CJK}]")
# A word of a query: one CJK character, or letters and digits with an inner apostrophe.
_WORD = re.compile(rf"[{CJK}]|[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
# A token as FTS5's unicode61 tokeniser sees it (apostrophes separate).
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_CHUNK = re.compile(r'-?"[^"]*"?|\S+')
# Arabic short vowels and tatweel: written only sometimes, so never part of a word's identity.
_ARABIC_MARKS = re.compile("[\u0640\u064b-\u065f\u0670]")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def segment(text: str) -> str:
    """Put spaces around CJK characters so each is a token for both engines."""
    return _CJK_CHAR.sub(r" \1 ", text or "")


def normalise(text: str) -> str:
    """NFC, without Arabic short vowels and tatweel (as the Snowball Arabic stemmer does)."""
    return _ARABIC_MARKS.sub("", unicodedata.normalize("NFC", text or ""))


def base_language(language: str | None) -> str:
    """``"fr"`` for ``"fr"``, ``"fr-ca"`` or ``"FR_ca"``; empty for nothing."""
    return (language or "").lower().replace("_", "-").split("-")[0]


@cache
def _stemmer(algorithm: str):
    return snowballstemmer.stemmer(algorithm)


def stem_words(words: Sequence[str], language: str | None) -> tuple[str, ...]:
    """``words`` (lower case) stemmed with the Snowball stemmer of ``language``; unchanged for a
    language without one (or a word with CJK characters)."""
    algorithm = STEMMED_LANGUAGES.get(base_language(language))
    if algorithm is None:
        return tuple(words)
    stemmer = _stemmer(algorithm)
    return tuple(word if _HAS_CJK.search(word) else stemmer.stemWord(word) for word in words)


def tokens(text: str) -> list[str]:
    """The tokens FTS5's ``unicode61`` tokeniser would make of ``text``, lower case."""
    return _TOKEN.findall(segment(normalise(text)).lower())


def stemmed_text(text: str, language: str | None) -> str:
    """The words of ``text`` as written, then (for a language with a stemmer, when any word
    changes) the same words stemmed: what the SQLite index stores for one column."""
    written = segment(normalise(text))
    if base_language(language) not in STEMMED_LANGUAGES:
        return written
    words = tokens(text)
    stems = stem_words(words, language)
    if list(stems) == words:
        return written
    return written + "\n" + " ".join(stems)


# --- Queries -------------------------------------------------------------------------------------


Phrase = tuple[str, ...]


@dataclass
class ParsedQuery:
    """A query as groups joined by AND; each group is a list of alternatives (OR), each
    alternative a phrase (a tuple of words). ``excluded`` phrases must not appear."""

    groups: list[list[Phrase]] = field(default_factory=list)
    excluded: list[Phrase] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def words(self) -> list[str]:
        """Every word the query asks for (not the excluded ones), in order."""
        return [word for group in self.groups for phrase in group for word in phrase]

    def fts5(self, language: str | None = None) -> str:
        """The FTS5 MATCH expression: every word double-quoted, so nothing is an operator.

        With a ``language`` that has a stemmer, each phrase also matches its stemmed form (the
        stemmed half of the index): ``("migrants" OR "migrant")``.
        """

        def alternatives(words: Phrase) -> list[str]:
            written = tuple(token for word in words for token in tokens(word))
            forms = [written or words]
            stemmed = stem_words(forms[0], language)
            if stemmed != forms[0]:
                forms.append(stemmed)
            return ['"' + " ".join(form) + '"' for form in forms]

        def either(options: list[str]) -> str:
            return options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")"

        parts = [
            either([option for phrase in group for option in alternatives(phrase)])
            for group in self.groups
        ]
        expression = " AND ".join(parts)
        for words in self.excluded:
            expression += f" NOT {either(alternatives(words))}"
        return expression

    def websearch(self) -> str:
        """The same query in PostgreSQL's ``websearch_to_tsquery`` syntax."""

        def phrase(words: Phrase) -> str:
            return '"' + " ".join(words) + '"' if len(words) > 1 else words[0]

        parts = [" OR ".join(phrase(p) for p in group) for group in self.groups]
        parts += [f"-{phrase(words)}" for words in self.excluded]
        return " ".join(parts)


def _words(text: str) -> Phrase:
    return tuple(word.lower() for word in _WORD.findall(normalise(text)))


def parse_query(text: str) -> ParsedQuery:
    """Parse what a person typed. Unknown syntax is read as words; nothing raises.

    At most ``MAX_QUERY_LENGTH`` characters and ``MAX_TERMS`` terms are read.
    """
    parsed = ParsedQuery()
    join_next = False
    terms = 0
    for chunk in _CHUNK.findall((text or "")[:MAX_QUERY_LENGTH]):
        if chunk == "OR":
            join_next = bool(parsed.groups)
            continue
        negative = chunk.startswith("-") and len(chunk) > 1
        words = _words(chunk[1:] if negative else chunk)
        if not words or terms >= MAX_TERMS:
            continue
        terms += 1
        # An unquoted chunk with several words (such as "e-mail" or "移民") is a phrase too.
        if negative:
            parsed.excluded.append(words)
        elif join_next and parsed.groups:
            parsed.groups[-1].append(words)
        else:
            parsed.groups.append([words])
        join_next = False
    return parsed


# --- Engines -------------------------------------------------------------------------------------


def engine(connection=None) -> str:
    """``"postgresql"`` or ``"sqlite"``: which full-text engine serves ``connection``."""
    return "postgresql" if (connection or default_connection).vendor == "postgresql" else "sqlite"


def postgres_configs(connection=None) -> dict[str, str]:
    """The language configurations this PostgreSQL server has (``arabic`` needs PostgreSQL 12)."""
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        available = {row[0] for row in cursor.fetchall()}
    return {lang: cfg for lang, cfg in POSTGRES_CONFIGS.items() if cfg in available}


@cache
def _configs_of_default() -> tuple[tuple[str, str], ...]:
    return tuple(postgres_configs().items())


def _query_config(language: str | None) -> str | None:
    return dict(_configs_of_default()).get(base_language(language))


def tsquery_sql(parsed: ParsedQuery, language: str | None) -> tuple[str, list[str]]:
    """The tsquery in SQL: the reader's language OR ``simple`` (configuration names are constants
    from ``POSTGRES_CONFIGS``, never user input)."""
    config = _query_config(language)
    text = parsed.websearch()
    if config:
        return f"(websearch_to_tsquery('simple', %s) || websearch_to_tsquery('{config}', %s))", [
            text,
            text,
        ]
    return "websearch_to_tsquery('simple', %s)", [text]


# --- Indexes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Weighted:
    """A group of text columns indexed together with one weight (A highest, D lowest)."""

    name: str
    weight: str
    columns: tuple[str, ...] = ()

    def __post_init__(self):
        if self.weight not in WEIGHTS:
            raise ValueError(f"Weight must be one of {WEIGHTS}, not {self.weight!r}.")
        if not self.columns:
            object.__setattr__(self, "columns", (self.name,))
        for name in (self.name, *self.columns):
            if not _IDENTIFIER.match(name):
                raise ValueError(f"Not a plain column name: {name!r}.")


def _quote(name: str) -> str:
    return f'"{name}"'


@dataclass(frozen=True)
class SearchIndex:
    """What to index for one table. ``fields`` are weighted groups of the table's text columns;
    ``language_column`` names the column with each row's language code (``"fr"``); rows without
    one (or tables without the column) use ``language``."""

    table: str
    fields: tuple[Weighted, ...]
    language_column: str | None = None
    language: str = "en"
    pk: str = "id"

    def __post_init__(self):
        for name in (self.table, self.pk, *(filter(None, [self.language_column]))):
            if not _IDENTIFIER.match(name):
                raise ValueError(f"Not a plain table or column name: {name!r}.")
        if not self.fields:
            raise ValueError("A search index needs at least one field.")

    @property
    def fts_table(self) -> str:
        return f"{self.table}_fts"

    @property
    def vector_index(self) -> str:
        return f"{self.table}_search_idx"

    @property
    def text_columns(self) -> list[str]:
        return [column for group in self.fields for column in group.columns]

    # --- Structures ------------------------------------------------------------------------------

    def _pg_expression(self, configs: dict[str, str]) -> str:
        cases = " ".join(f"WHEN '{lang}' THEN '{cfg}'::regconfig" for lang, cfg in configs.items())
        default = configs.get(base_language(self.language))
        default_sql = f"'{default}'::regconfig" if default else "'simple'::regconfig"
        if self.language_column:
            config = f"CASE {_quote(self.language_column)} {cases} ELSE {default_sql} END"
        else:
            config = default_sql
        parts = []
        for group in self.fields:
            text = " || ' ' || ".join(f"coalesce({_quote(c)}, '')" for c in group.columns)
            segmented = f"regexp_replace(({text}), '([{CJK}])', ' \\1 ', 'g')"
            parts.append(
                f"setweight(to_tsvector({config}, ({text})), '{group.weight}') || "
                f"setweight(to_tsvector('simple'::regconfig, {segmented}), '{group.weight}')"
            )
        return " || ".join(parts)

    def create(self, schema_editor) -> None:
        """Create the engine's structure (and, on SQLite, fill it from the table's rows)."""
        connection = schema_editor.connection
        if engine(connection) == "postgresql":
            expression = self._pg_expression(postgres_configs(connection))
            schema_editor.execute(
                f"ALTER TABLE {_quote(self.table)} ADD COLUMN {VECTOR_COLUMN} tsvector "
                f"GENERATED ALWAYS AS ({expression}) STORED"
            )
            schema_editor.execute(
                f"CREATE INDEX {_quote(self.vector_index)} ON {_quote(self.table)} "
                f"USING gin ({VECTOR_COLUMN})"
            )
            return
        columns = ", ".join(_quote(group.name) for group in self.fields)
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {_quote(self.fts_table)} USING fts5("
            f"{columns}, tokenize = '{SQLITE_TOKENIZER}')"
        )
        self.reindex(connection=connection)

    def drop(self, schema_editor) -> None:
        """Remove what ``create`` made."""
        if engine(schema_editor.connection) == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {_quote(self.vector_index)}")
            schema_editor.execute(
                f"ALTER TABLE {_quote(self.table)} DROP COLUMN IF EXISTS {VECTOR_COLUMN}"
            )
        else:
            schema_editor.execute(f"DROP TABLE IF EXISTS {_quote(self.fts_table)}")

    def migration(self) -> migrations.RunPython:
        """The migration operation that creates the structure (reversible)."""

        def forward(apps, schema_editor):
            self.create(schema_editor)

        def backward(apps, schema_editor):
            self.drop(schema_editor)

        return migrations.RunPython(forward, backward)

    # --- Keeping the SQLite index current --------------------------------------------------------

    def _row(self, pk, values: dict, language: str | None) -> tuple:
        language = language or self.language
        texts = []
        for group in self.fields:
            text = "\n".join(str(values[c]) for c in group.columns if values.get(c))
            texts.append(stemmed_text(text, language))
        return (pk, *texts)

    def rows(self, objects: Iterable) -> list[tuple]:
        """The FTS5 rows of model instances: ``(id, text of each group ...)``."""
        rows = []
        for obj in objects:
            values = {column: getattr(obj, column, "") for column in self.text_columns}
            language = getattr(obj, self.language_column, None) if self.language_column else None
            rows.append(self._row(getattr(obj, self.pk), values, language))
        return rows

    def _write(self, rows: list[tuple], connection) -> None:
        if not rows:
            return
        table = _quote(self.fts_table)
        names = ", ".join(_quote(group.name) for group in self.fields)
        marks = ", ".join(["%s"] * (len(self.fields) + 1))
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {table} WHERE rowid = %s", [(r[0],) for r in rows])  # noqa: S608 - names are checked identifiers
            cursor.executemany(
                f"INSERT INTO {table} (rowid, {names}) VALUES ({marks})",  # noqa: S608 - names are checked identifiers
                rows,
            )

    def index(self, objects: Iterable, *, connection=None) -> None:
        """Write these rows' text to the FTS5 table (SQLite); PostgreSQL's column is generated."""
        connection = connection or default_connection
        if engine(connection) != "sqlite":
            return
        self._write(self.rows(objects), connection)

    def unindex(self, ids: Iterable[int], *, connection=None) -> None:
        """Remove rows from the FTS5 table (SQLite), before or after the rows themselves go."""
        connection = connection or default_connection
        ids = list(ids)
        if engine(connection) != "sqlite" or not ids:
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {_quote(self.fts_table)} WHERE rowid = %s",  # noqa: S608 - checked identifier
                [(i,) for i in ids],
            )

    def reindex(self, *, connection=None, batch: int = 2000) -> int:
        """Rebuild the whole FTS5 table from the table's rows with plain SQL (usable in a
        migration, with no model); returns the number of rows indexed. Nothing on PostgreSQL."""
        connection = connection or default_connection
        if engine(connection) != "sqlite":
            return 0
        columns = self.text_columns
        language = [self.language_column] if self.language_column else []
        select = ", ".join(_quote(c) for c in [self.pk, *columns, *language])
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {_quote(self.fts_table)}")  # noqa: S608 - checked identifier
        count = 0
        last = None
        while True:
            where = f"WHERE {_quote(self.pk)} > %s " if last is not None else ""
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {select} FROM {_quote(self.table)} {where}"  # noqa: S608 - checked identifiers
                    f"ORDER BY {_quote(self.pk)} LIMIT %s",
                    [*([last] if last is not None else []), batch],
                )
                fetched = cursor.fetchall()
            if not fetched:
                return count
            rows = []
            for record in fetched:
                values = dict(zip(columns, record[1 : 1 + len(columns)], strict=True))
                row_language = record[-1] if self.language_column else None
                rows.append(self._row(record[0], values, row_language))
            with connection.cursor() as cursor:
                names = ", ".join(_quote(group.name) for group in self.fields)
                marks = ", ".join(["%s"] * (len(self.fields) + 1))
                cursor.executemany(
                    f"INSERT INTO {_quote(self.fts_table)} (rowid, {names}) VALUES ({marks})",  # noqa: S608 - checked identifiers
                    rows,
                )
            count += len(rows)
            last = fetched[-1][0]

    # --- Matching and ranking --------------------------------------------------------------------

    def _bm25(self) -> str:
        weights = ", ".join(str(SQLITE_WEIGHTS[group.weight]) for group in self.fields)
        return f"bm25({_quote(self.fts_table)}, {weights})"

    def _ts_weights(self) -> str:
        return "{" + ",".join(str(POSTGRES_WEIGHTS[w]) for w in reversed(WEIGHTS)) + "}"

    def match(self, queryset: QuerySet, parsed: ParsedQuery, *, language: str) -> QuerySet:
        """``queryset`` restricted to the rows matching ``parsed`` (not ordered); a plain
        ``pk IN (subquery)``, so the result can itself be used inside other subqueries. A query
        without words matches nothing."""
        if parsed.is_empty:
            return queryset.none()
        table, pk = _quote(self.table), _quote(self.pk)
        if engine() == "postgresql":
            query_sql, params = tsquery_sql(parsed, language)
            sql = f"SELECT {pk} FROM {table} WHERE {VECTOR_COLUMN} @@ {query_sql}"  # noqa: S608 - checked identifiers
        else:
            fts = _quote(self.fts_table)
            sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s"  # noqa: S608 - checked identifier
            params = [parsed.fts5(language)]
        return queryset.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - bound parameters

    def rank(self, queryset: QuerySet, parsed: ParsedQuery, *, language: str) -> QuerySet:
        """``queryset`` matched and annotated with ``rank`` (higher is better), best first. A
        query without words matches nothing."""
        if parsed.is_empty:
            return queryset.none()
        table, pk = _quote(self.table), _quote(self.pk)
        if engine() == "postgresql":
            query_sql, params = tsquery_sql(parsed, language)
            vector = f"{table}.{VECTOR_COLUMN}"
            return (
                queryset.annotate(
                    rank=RawSQL(  # noqa: S611 - bound parameters
                        f"ts_rank('{self._ts_weights()}', {vector}, {query_sql})",
                        params,
                        output_field=FloatField(),
                    )
                )
                .extra(where=[f"{vector} @@ {query_sql}"], params=params)  # noqa: S610 - bound parameters
                .order_by("-rank", f"-{self.pk}")
            )
        fts = _quote(self.fts_table)
        return queryset.extra(  # noqa: S610 - the match expression is a bound parameter
            tables=[self.fts_table],
            where=[f"{fts}.rowid = {table}.{pk}", f"{fts} MATCH %s"],
            params=[parsed.fts5(language)],
            select={"rank": f"-{self._bm25()}"},
            order_by=["-rank", f"-{self.pk}"],
        )

    def bare(
        self,
        parsed: ParsedQuery,
        *,
        language: str,
        where: str = "",
        params: Sequence = (),
        limit: int = 20,
    ) -> list[tuple[int, float]]:
        """The database's own ranked full-text query, without the ORM (a benchmark baseline).
        ``where`` is an extra SQL condition on the table (alias ``t``) with ``params``."""
        if parsed.is_empty:
            return []
        extra = f"AND ({where}) " if where else ""
        table, pk = _quote(self.table), _quote(self.pk)
        with default_connection.cursor() as cursor:
            if engine() == "postgresql":
                query_sql, query_params = tsquery_sql(parsed, language)
                cursor.execute(
                    f"SELECT t.{pk}, ts_rank('{self._ts_weights()}', t.{VECTOR_COLUMN}, sq.q) AS r "  # noqa: S608 - checked identifiers
                    f"FROM {table} t, (SELECT {query_sql} AS q) AS sq "
                    f"WHERE t.{VECTOR_COLUMN} @@ sq.q {extra}ORDER BY r DESC, t.{pk} DESC LIMIT %s",
                    [*query_params, *params, limit],
                )
            else:
                fts = _quote(self.fts_table)
                cursor.execute(
                    f"SELECT t.{pk}, -{self._bm25()} AS r FROM {fts} "  # noqa: S608 - checked identifiers
                    f"JOIN {table} t ON t.{pk} = {fts}.rowid "
                    f"WHERE {fts} MATCH %s {extra}ORDER BY r DESC, t.{pk} DESC LIMIT %s",
                    [parsed.fts5(language), *params, limit],
                )
            return [(row[0], float(row[1])) for row in cursor.fetchall()]


__all__ = [
    "CJK",
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "POSTGRES_CONFIGS",
    "STEMMED_LANGUAGES",
    "ParsedQuery",
    "SearchIndex",
    "Weighted",
    "engine",
    "normalise",
    "parse_query",
    "postgres_configs",
    "segment",
    "stem_words",
    "stemmed_text",
    "tokens",
    "tsquery_sql",
]


# --- Every index of the platform -----------------------------------------------------------------


def search_indexes() -> list[SearchIndex]:
    """The ``SearchIndex`` objects the apps declare in their ``search.py`` modules, one per
    table, in app order (what ``compacts reindex`` rebuilds)."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    found: dict[str, SearchIndex] = {}
    for config in apps.get_app_configs():
        name = f"{config.name}.search"
        if not config.name.startswith("compacts.") or find_spec(name) is None:
            continue
        for value in vars(import_module(name)).values():
            if isinstance(value, SearchIndex):
                found.setdefault(value.table, value)
    return list(found.values())
