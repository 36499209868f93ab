"""The search indexes of the network app: practices and library resources.

Both use ``compacts.core.search`` (one ``SearchIndex`` each): a generated, weighted ``tsvector``
column on PostgreSQL, an FTS5 table with Snowball stems on SQLite. The services call
``index_practices`` / ``index_resources`` in the same transaction as the rows they write; the
selectors call ``PRACTICES.rank`` / ``RESOURCES.rank``.

Practices: title (A), summary (B), everything else (C), in the practice's own language.
Resources: title (A), keywords (B), description, publisher and geographic scope (C), in the
resource's language.
"""

from compacts.core.search import (  # noqa: F401 - the names network code uses
    ParsedQuery,
    SearchIndex,
    Weighted,
    engine,
    parse_query,
    segment,
)

PRACTICES = SearchIndex(
    table="network_practice",
    fields=(
        Weighted("title", "A"),
        Weighted("summary", "B"),
        Weighted(
            "body", "C", ("description", "results", "innovation", "replicability", "resources")
        ),
    ),
    language_column="language",
)

RESOURCES = SearchIndex(
    table="network_resource",
    fields=(
        Weighted("title", "A"),
        Weighted("keywords", "B"),
        Weighted("body", "C", ("description", "publisher", "geographic_scope")),
    ),
    language_column="language",
)


def index_practices(practices) -> None:
    """Write the practices' text to the SQLite index (PostgreSQL's column is generated)."""
    PRACTICES.index(practices)


def unindex_practices(ids: list[int]) -> None:
    PRACTICES.unindex(ids)


def index_resources(resources) -> None:
    """Write the resources' text to the SQLite index (PostgreSQL's column is generated)."""
    RESOURCES.index(resources)


def unindex_resources(ids: list[int]) -> None:
    RESOURCES.unindex(ids)


def match(queryset, parsed: ParsedQuery, *, language: str):
    """Practices of ``queryset`` matching ``parsed`` (not ordered)."""
    return PRACTICES.match(queryset, parsed, language=language)


def rank(queryset, parsed: ParsedQuery, *, language: str):
    """Practices of ``queryset`` matching ``parsed``, annotated with ``rank``, best first."""
    return PRACTICES.rank(queryset, parsed, language=language)


def bare_search(text: str, *, language: str = "en", limit: int = 20) -> list[tuple[int, float]]:
    """The database's own full-text query on published practices: the benchmark baseline."""
    return PRACTICES.bare(
        parse_query(text), language=language, where="t.state = 'published'", limit=limit
    )
