"""Ranked full-text search of concept notes and programmes (``compacts.core.search``): SQLite
FTS5 with ``bm25``, PostgreSQL ``tsvector`` with ``ts_rank``.

Three weighted groups: the code, title and keywords (A), the joint analysis and theory of change
(B), the partners and risks (C). ``Programme.keywords`` is kept by the services (``keywords``):
the code's parts spaced out (PostgreSQL's parser reads "MIG00-2020-0001" as a word and two
negative numbers) and the countries' names (a generated column cannot read a many-to-many
relation). Programmes have no language of their own:
their text is stemmed as English, and indexed unstemmed too, so words in any language match as
written. The services call ``index_programmes`` in the transaction that writes the text.
"""

import re

from django.db.models import QuerySet
from django.utils.translation import get_language

from compacts.core.search import SearchIndex, Weighted, parse_query

PROGRAMME_INDEX = SearchIndex(
    table="programmes_programme",
    fields=(
        Weighted("heading", "A", ("code", "title", "keywords")),
        Weighted("analysis", "B", ("joint_analysis", "theory_of_change")),
        Weighted("context", "C", ("government_partners", "other_partners", "risks")),
    ),
    language="en",
)


def keywords(programme) -> str:
    """What ``Programme.keywords`` holds: the code's parts, then the countries' names."""
    parts = " ".join(re.split(r"[\W_]+", programme.code)).strip()
    names = "; ".join(sorted(programme.countries.values_list("name", flat=True)))
    return "\n".join(filter(None, [parts, names]))


def index_programmes(programmes) -> None:
    """Write the programmes' text to the SQLite index (PostgreSQL's column is generated)."""
    PROGRAMME_INDEX.index(programmes)


def ranked(queryset: QuerySet, text: str, *, language: str | None = None) -> QuerySet:
    """``queryset`` restricted to the programmes matching ``text``, best first (annotated with
    ``rank``). A query with no word to look for matches nothing."""
    parsed = parse_query(text)
    if parsed.is_empty:
        return queryset.none()
    return PROGRAMME_INDEX.rank(queryset, parsed, language=language or get_language() or "en")
