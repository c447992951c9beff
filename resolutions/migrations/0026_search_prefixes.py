"""SQLite: the full-text tables rebuilt with prefix indexes (0007_search_index.SQLITE_PREFIXES), so
that a word's newest matches are read from one list instead of merging the lists of every word it
begins. PostgreSQL: nothing (its GIN indexes are unchanged)."""

from importlib import import_module

from django.db import migrations

MIGRATIONS = ("0007_search_index", "0015_search_note_links")


def rebuild(prefixes):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        index = import_module("resolutions.migrations.0007_search_index")
        with schema_editor.connection.cursor() as cursor:
            for name in MIGRATIONS:
                tables = import_module(f"resolutions.migrations.{name}").SQLITE_INDEX
                index.sqlite_remove(cursor, tables)
                index.ensure_sqlite_index(cursor, tables, prefixes=prefixes)
                index.rebuild_sqlite_index(cursor, tables)

    return run


class Migration(migrations.Migration):
    dependencies = [("resolutions", "0025_country_votes_indexes")]

    operations = [migrations.RunPython(rebuild("3 4 5 6"), rebuild(""), elidable=False)]
