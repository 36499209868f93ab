"""Ranked full-text search of practices with each database's own engine, behind one interface.

- **PostgreSQL**: a stored, generated ``tsvector`` column ``network_practice.search_vector``
  (migration ``0002``) with a GIN index. The title has weight A, the summary B, the body C; each
  part is indexed twice: stemmed with the practice's own language (``english``, ``french``,
  ``spanish``, ``arabic``, ``russian``) and unstemmed (``simple``), so a reader finds a practice
  whatever language she types in. The query is ``websearch_to_tsquery`` in the reader's language
  OR in ``simple``; ``ts_rank`` orders the results.
- **SQLite**: an FTS5 virtual table ``network_practice_fts(title, summary, body)`` (tokeniser
  ``porter unicode61 remove_diacritics 2``) keyed by the practice id, written by the services
  (``index_practices``); ``bm25`` with column weights 10 / 4 / 1 orders the results.

Chinese has no spaces between words and neither engine segments it, so CJK characters are indexed
one by one and a run of them in a query becomes a phrase of characters: matching by character
sequence, the usual fallback without a dictionary.

Queries are parsed once (``parse_query``) into words, "quoted phrases", ``OR`` and ``-excluded``
words, and rendered for the engine, so operators and odd characters never reach it raw.
"""

import re
from dataclasses import dataclass, field
from functools import cache

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

FTS_TABLE = "network_practice_fts"
SQLITE_WEIGHTS = (10.0, 4.0, 1.0)  # title, summary, body
# ts_rank weights are given as [D, C, B, A].
POSTGRES_WEIGHTS = [0.05, 0.1, 0.4, 1.0]
POSTGRES_CONFIGS = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "ar": "arabic",
    "ru": "russian",
}
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"([{_CJK}])")
_WORD = re.compile(rf"[{_CJK}]|[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_CHUNK = re.compile(r'-?"[^"]*"?|\S+')


def segment(text: str) -> str:
    """Put spaces around CJK characters so each is a token for both engines."""
    return _CJK_CHAR.sub(r" \1 ", text or "")


@dataclass
class ParsedQuery:
    """A query as groups joined by AND; each group is a list of alternatives (OR), each
    alternative a phrase (a tuple of words). ``excluded`` phrases must not appear."""

    groups: list[list[tuple[str, ...]]] = field(default_factory=list)
    excluded: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def fts5(self) -> str:
        """The FTS5 MATCH expression: every word double-quoted, so nothing is an operator."""

        def phrase(words: tuple[str, ...]) -> str:
            return '"' + " ".join(words) + '"'

        parts = []
        for group in self.groups:
            rendered = [phrase(p) for p in group]
            parts.append(rendered[0] if len(rendered) == 1 else "(" + " OR ".join(rendered) + ")")
        expression = " AND ".join(parts)
        for words in self.excluded:
            expression += f" NOT {phrase(words)}"
        return expression

    def websearch(self) -> str:
        """The same query in PostgreSQL's ``websearch_to_tsquery`` syntax."""

        def phrase(words: tuple[str, ...]) -> str:
            return '"' + " ".join(words) + '"' if len(words) > 1 else words[0]

        parts = [" OR ".join(phrase(p) for p in group) for group in self.groups]
        parts += [f"-{phrase(words)}" for words in self.excluded]
        return " ".join(parts)


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.lower() for word in _WORD.findall(text))


def parse_query(text: str) -> ParsedQuery:
    """Parse what a person typed. Unknown syntax is read as words; nothing raises."""
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


def engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


@cache
def postgres_configs() -> dict[str, str]:
    """The language configurations this PostgreSQL server has (``arabic`` needs PostgreSQL 12)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        available = {row[0] for row in cursor.fetchall()}
    return {lang: cfg for lang, cfg in POSTGRES_CONFIGS.items() if cfg in available}


# --- Keeping the SQLite index in sync ------------------------------------------------------------


def _body(practice) -> str:
    return "\n".join(
        part
        for part in (
            practice.description,
            practice.results,
            practice.innovation,
            practice.replicability,
            practice.resources,
        )
        if part
    )


def index_rows(practices) -> list[tuple[int, str, str, str]]:
    return [(p.pk, segment(p.title), segment(p.summary), segment(_body(p))) for p in practices]


def index_practices(practices) -> None:
    """Write the practices' text to the FTS5 table (SQLite); PostgreSQL's column is generated."""
    if engine() != "sqlite":
        return
    rows = index_rows(practices)
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(r[0],) for r in rows])  # noqa: S608 - constants only
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, summary, body) VALUES (%s, %s, %s, %s)",  # noqa: S608, E501 - constants only
            rows,
        )


def unindex_practices(ids: list[int]) -> None:
    if engine() != "sqlite" or not ids:
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(i,) for i in ids])  # noqa: S608 - constants only


# --- Matching and ranking ----------------------------------------------------------------------


def _postgres_query(parsed: ParsedQuery, language: str):
    from django.contrib.postgres.search import SearchQuery

    text = parsed.websearch()
    query = SearchQuery(text, search_type="websearch", config="simple")
    config = postgres_configs().get(language)
    if config:
        query = query | SearchQuery(text, search_type="websearch", config=config)
    return query


def _postgres_vector():
    from django.contrib.postgres.search import SearchVectorField

    return RawSQL('"network_practice"."search_vector"', [], output_field=SearchVectorField())


def match(queryset: QuerySet, parsed: ParsedQuery, *, language: str) -> QuerySet:
    """``queryset`` restricted to the practices matching ``parsed`` (not ordered)."""
    if engine() == "postgresql":
        query_sql, params = _postgres_query_sql(parsed, language)
        return queryset.filter(
            pk__in=RawSQL(  # noqa: S611 - constants and bound parameters
                f"SELECT id FROM network_practice WHERE search_vector @@ {query_sql}",  # noqa: S608 - constants only
                params,
            )
        )
    # A subquery on the FTS table, so the result can itself be used inside other subqueries.
    return queryset.filter(
        pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [parsed.fts5()])  # noqa: S608, S611 - constants and a bound parameter
    )


def rank(queryset: QuerySet, parsed: ParsedQuery, *, language: str) -> QuerySet:
    """``queryset`` matched and annotated with ``rank`` (higher is better), best first."""
    if engine() == "postgresql":
        from django.contrib.postgres.search import SearchRank

        query = _postgres_query(parsed, language)
        return (
            queryset.alias(search_vector=_postgres_vector())
            .filter(search_vector=query)
            .annotate(rank=SearchRank(_postgres_vector(), query, weights=POSTGRES_WEIGHTS))
            .order_by("-rank", "-id")
        )
    weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
    return queryset.extra(  # noqa: S610 - the match expression is a bound parameter
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE}.rowid = network_practice.id", f"{FTS_TABLE} MATCH %s"],
        params=[parsed.fts5()],
        select={"rank": f"-bm25({FTS_TABLE}, {weights})"},
        order_by=["-rank", "-id"],
    )


def _postgres_query_sql(parsed: ParsedQuery, language: str) -> tuple[str, list[str]]:
    """The tsquery in SQL: the reader's language OR ``simple`` (configuration names are constants
    from ``POSTGRES_CONFIGS``, never user input)."""
    config = postgres_configs().get(language)
    text = parsed.websearch()
    if config:
        return f"(websearch_to_tsquery('simple', %s) || websearch_to_tsquery('{config}', %s))", [
            text,
            text,
        ]
    return "websearch_to_tsquery('simple', %s)", [text]


def bare_search(text: str, *, language: str = "en", limit: int = 20) -> list[tuple[int, float]]:
    """The database's own full-text query, without the ORM or filters: the benchmark baseline."""
    parsed = parse_query(text)
    with connection.cursor() as cursor:
        if engine() == "postgresql":
            query_sql, params = _postgres_query_sql(parsed, language)
            weights = "{" + ",".join(str(w) for w in POSTGRES_WEIGHTS) + "}"
            cursor.execute(
                f"SELECT id, ts_rank('{weights}', search_vector, sq.q) AS r FROM network_practice, "  # noqa: S608 - constants only
                f"(SELECT {query_sql} AS q) AS sq WHERE search_vector @@ sq.q "
                "AND state = 'published' "
                "ORDER BY r DESC, id DESC LIMIT %s",
                [*params, limit],
            )
        else:
            weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
            cursor.execute(
                f"SELECT p.id, -bm25({FTS_TABLE}, {weights}) AS r FROM {FTS_TABLE} "  # noqa: S608 - constants only
                f"JOIN network_practice p ON p.id = {FTS_TABLE}.rowid "
                f"WHERE {FTS_TABLE} MATCH %s AND p.state = 'published' "
                "ORDER BY r DESC, p.id DESC LIMIT %s",
                [parsed.fts5(), limit],
            )
        return [(row[0], float(row[1])) for row in cursor.fetchall()]
