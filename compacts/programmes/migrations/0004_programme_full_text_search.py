"""Full-text search of programmes, one structure per database engine (``programmes/search.py``,
``compacts.core.search``), written out in SQL because migrations do not import app code:

- PostgreSQL: a generated, stored ``tsvector`` column ``search_vector`` with a GIN index; each
  group of columns gets its weight and is indexed stemmed (English) and as written (``simple``,
  CJK characters one by one).
- SQLite: the FTS5 table ``programmes_programme_fts`` (one column per group), filled here with
  the existing rows' text as written; the services write each row again, stems included, when
  they save it (``PROGRAMME_INDEX.reindex()`` rewrites them all at once).

``tests/selectors/test_search.py`` checks that these names match ``PROGRAMME_INDEX``.
"""

import re

from django.db import migrations

TABLE = "programmes_programme"
FTS_TABLE = "programmes_programme_fts"
VECTOR_INDEX = "programmes_programme_search_idx"
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
GROUPS = (
    ("heading", "A", ("code", "title", "keywords")),
    ("analysis", "B", ("joint_analysis", "theory_of_change")),
    ("context", "C", ("government_partners", "other_partners", "risks")),
)


def _postgres(schema_editor) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'english'")
        config = "'english'::regconfig" if cursor.fetchone() else "'simple'::regconfig"
    parts = []
    for _name, weight, columns in GROUPS:
        text = " || ' ' || ".join(f'coalesce("{c}", \'\')' for c in columns)
        segmented = f"regexp_replace(({text}), '([{CJK}])', ' \\1 ', 'g')"
        parts.append(
            f"setweight(to_tsvector({config}, ({text})), '{weight}') || "
            f"setweight(to_tsvector('simple'::regconfig, {segmented}), '{weight}')"
        )
    schema_editor.execute(
        f'ALTER TABLE "{TABLE}" ADD COLUMN search_vector tsvector '
        f"GENERATED ALWAYS AS ({' || '.join(parts)}) STORED"
    )
    schema_editor.execute(f'CREATE INDEX "{VECTOR_INDEX}" ON "{TABLE}" USING gin (search_vector)')


def _sqlite(schema_editor) -> None:
    names = ", ".join(f'"{name}"' for name, _w, _c in GROUPS)
    schema_editor.execute(
        f'CREATE VIRTUAL TABLE "{FTS_TABLE}" USING fts5({names}, '
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    columns = [c for _n, _w, group in GROUPS for c in group]
    cjk = re.compile(f"([{CJK}])")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f'SELECT id, {", ".join(columns)} FROM "{TABLE}"')  # noqa: S608 - constants
        records = cursor.fetchall()
    rows = []
    for record in records:
        values = dict(zip(columns, record[1:], strict=True))
        texts = [
            cjk.sub(r" \1 ", "\n".join(str(values[c]) for c in group if values[c]))
            for _n, _w, group in GROUPS
        ]
        rows.append((record[0], *texts))
    if rows:
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(
                f'INSERT INTO "{FTS_TABLE}" (rowid, {names}) VALUES (%s, %s, %s, %s)',  # noqa: S608 - constants
                rows,
            )


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _postgres(schema_editor)
    else:
        _sqlite(schema_editor)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{VECTOR_INDEX}"')
        schema_editor.execute(f'ALTER TABLE "{TABLE}" DROP COLUMN IF EXISTS search_vector')
    else:
        schema_editor.execute(f'DROP TABLE IF EXISTS "{FTS_TABLE}"')


class Migration(migrations.Migration):
    dependencies = [("programmes", "0003_fill_programme_keywords")]

    operations = [migrations.RunPython(create, drop)]
