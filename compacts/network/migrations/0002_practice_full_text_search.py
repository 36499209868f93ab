"""Full-text search structures for practices, one per database engine (see network/search.py).

PostgreSQL: a generated, stored tsvector column with a GIN index. SQLite: an FTS5 virtual table
that the services keep in sync. Raw SQL on purpose: neither has a portable ORM form.
"""

from django.db import migrations

CJK = "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
LANGUAGES = {"en": "english", "fr": "french", "es": "spanish", "ar": "arabic", "ru": "russian"}


def _pg_part(column: str, weight: str, configs: dict[str, str]) -> str:
    text = f"coalesce({column}, '')"
    segmented = f"regexp_replace({text}, '({CJK})', ' \\1 ', 'g')"
    cases = " ".join(f"WHEN '{lang}' THEN '{cfg}'::regconfig" for lang, cfg in configs.items())
    stemmed = f"to_tsvector(CASE language {cases} ELSE 'simple'::regconfig END, {text})"
    return (
        f"setweight({stemmed}, '{weight}') || "
        f"setweight(to_tsvector('simple'::regconfig, {segmented}), '{weight}')"
    )


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT cfgname FROM pg_ts_config")
            available = {row[0] for row in cursor.fetchall()}
        configs = {lang: cfg for lang, cfg in LANGUAGES.items() if cfg in available}
        body = (
            "coalesce(description, '') || ' ' || coalesce(results, '') || ' ' || "
            "coalesce(innovation, '') || ' ' || coalesce(replicability, '') || ' ' || "
            "coalesce(resources, '')"
        )
        expression = " || ".join(
            [
                _pg_part("title", "A", configs),
                _pg_part("summary", "B", configs),
                _pg_part(f"({body})", "C", configs),
            ]
        )
        schema_editor.execute(
            "ALTER TABLE network_practice ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({expression}) STORED"
        )
        schema_editor.execute(
            "CREATE INDEX network_practice_search_idx ON network_practice USING gin (search_vector)"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE network_practice_fts USING fts5("
            "title, summary, body, tokenize = 'porter unicode61 remove_diacritics 2')"
        )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS network_practice_search_idx")
        schema_editor.execute("ALTER TABLE network_practice DROP COLUMN IF EXISTS search_vector")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS network_practice_fts")


class Migration(migrations.Migration):
    dependencies = [("network", "0001_network_structure_hub_capacity")]

    operations = [migrations.RunPython(create, drop)]
