"""Stemming beyond English on SQLite, and ranked search of library resources.

- SQLite: the practices' FTS5 table is rebuilt without the English-only ``porter`` tokeniser; the
  index now holds the text as written plus Snowball stems in each practice's language (English,
  French, Spanish, Arabic, Russian), like PostgreSQL's configurations. PostgreSQL's generated
  column (0002) already stems in those languages and is left as it is.
- Both: a search structure for resources (generated ``tsvector`` / FTS5 table).

Written out in SQL because migrations do not import app code (the definitions match
``network/search.py``; ``tests/selectors/test_search_languages.py`` checks the names). The
SQLite tables are filled here with the existing rows' text as written; their stems are added
when the services save a row again, or for every row at once by ``compacts reindex``.
"""

import re

from django.db import migrations

CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKENIZER = "unicode61 remove_diacritics 2"
CONFIGS = {"en": "english", "fr": "french", "es": "spanish", "ar": "arabic", "ru": "russian"}
PRACTICES = (
    "network_practice",
    (
        ("title", "A", ("title",)),
        ("summary", "B", ("summary",)),
        ("body", "C", ("description", "results", "innovation", "replicability", "resources")),
    ),
)
RESOURCES = (
    "network_resource",
    (
        ("title", "A", ("title",)),
        ("keywords", "B", ("keywords",)),
        ("body", "C", ("description", "publisher", "geographic_scope")),
    ),
)


def _sqlite_create(schema_editor, table, groups) -> None:
    fts = f"{table}_fts"
    names = ", ".join(f'"{name}"' for name, _w, _c in groups)
    schema_editor.execute(
        f'CREATE VIRTUAL TABLE "{fts}" USING fts5({names}, tokenize = \'{TOKENIZER}\')'
    )
    columns = [c for _n, _w, group in groups for c in group]
    cjk = re.compile(f"([{CJK}])")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f'SELECT id, {", ".join(columns)} FROM "{table}"')  # noqa: S608 - constants
        records = cursor.fetchall()
    rows = []
    for record in records:
        values = dict(zip(columns, record[1:], strict=True))
        texts = [
            cjk.sub(r" \1 ", "\n".join(str(values[c]) for c in group if values[c]))
            for _n, _w, group in groups
        ]
        rows.append((record[0], *texts))
    if rows:
        marks = ", ".join(["%s"] * (len(groups) + 1))
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(
                f'INSERT INTO "{fts}" (rowid, {names}) VALUES ({marks})',  # noqa: S608 - constants
                rows,
            )


def _postgres_create(schema_editor, table, groups) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        available = {row[0] for row in cursor.fetchall()}
    configs = {lang: cfg for lang, cfg in CONFIGS.items() if cfg in available}
    cases = " ".join(f"WHEN '{lang}' THEN '{cfg}'::regconfig" for lang, cfg in configs.items())
    default = f"'{configs['en']}'::regconfig" if "en" in configs else "'simple'::regconfig"
    config = f'CASE "language" {cases} ELSE {default} END' if cases else default
    parts = []
    for _name, weight, columns in groups:
        text = " || ' ' || ".join(f"coalesce(\"{c}\", '')" for c in columns)
        segmented = f"regexp_replace(({text}), '([{CJK}])', ' \\1 ', 'g')"
        parts.append(
            f"setweight(to_tsvector({config}, ({text})), '{weight}') || "
            f"setweight(to_tsvector('simple'::regconfig, {segmented}), '{weight}')"
        )
    schema_editor.execute(
        f'ALTER TABLE "{table}" ADD COLUMN search_vector tsvector '
        f"GENERATED ALWAYS AS ({' || '.join(parts)}) STORED"
    )
    schema_editor.execute(
        f'CREATE INDEX "{table}_search_idx" ON "{table}" USING gin (search_vector)'
    )


def rebuild_practices(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        return
    schema_editor.execute('DROP TABLE IF EXISTS "network_practice_fts"')
    _sqlite_create(schema_editor, *PRACTICES)


def porter_practices(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        return
    schema_editor.execute('DROP TABLE IF EXISTS "network_practice_fts"')
    schema_editor.execute(
        'CREATE VIRTUAL TABLE "network_practice_fts" USING fts5('
        "title, summary, body, tokenize = 'porter unicode61 remove_diacritics 2')"
    )


def create_resources(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _postgres_create(schema_editor, *RESOURCES)
    else:
        _sqlite_create(schema_editor, *RESOURCES)


def drop_resources(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP INDEX IF EXISTS "network_resource_search_idx"')
        schema_editor.execute('ALTER TABLE "network_resource" DROP COLUMN IF EXISTS search_vector')
    else:
        schema_editor.execute('DROP TABLE IF EXISTS "network_resource_fts"')


class Migration(migrations.Migration):
    dependencies = [("network", "0002_practice_full_text_search")]

    operations = [
        migrations.RunPython(rebuild_practices, porter_practices),
        migrations.RunPython(create_resources, drop_resources),
    ]
