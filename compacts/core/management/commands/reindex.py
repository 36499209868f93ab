"""``compacts reindex``: rebuild every SQLite full-text index from its table (nothing to do on
PostgreSQL, whose search columns are generated).

Migrations fill a new FTS5 table with the text as written; this adds the Snowball stems of rows
that were written before, and repairs an index after rows were changed behind the services'
back (a restore, a bulk SQL fix). Safe to rerun: each index is emptied and rebuilt in one
transaction.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from compacts.core.search import engine, search_indexes


class Command(BaseCommand):
    help = "Rebuild the SQLite full-text search indexes (stems included) from their tables."

    def handle(self, *args, **options):
        if engine() != "sqlite":
            self.stdout.write("PostgreSQL keeps its search columns current; nothing to rebuild.")
            return
        for index in search_indexes():
            with transaction.atomic():
                count = index.reindex()
            self.stdout.write(f"{index.fts_table}: {count} rows indexed.")
