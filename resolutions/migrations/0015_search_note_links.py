"""Notes are found by what they link to: their countries, partners (entities), themes and sources.

The same index as 0007_search_index (its functions, frozen there), over four more tables:
SQLite FTS5 external-content tables kept by triggers, PostgreSQL ``search_vector`` columns kept
by triggers with GIN indexes. resolutions/search.py joins a match in one of them to the notes
that link to it.
"""

from importlib import import_module

from django.db import migrations

index = import_module("resolutions.migrations.0007_search_index")

# table: (indexed columns, bm25 weights of those columns)
SQLITE_INDEX = {
    "resolutions_country": (("name", "official_name", "alpha3"), (3.0, 1.0, 3.0)),
    "resolutions_entity": (("name", "short_name"), (3.0, 3.0)),
    "resolutions_theme": (("name",), (3.0,)),
    "resolutions_notesource": (("title", "document_symbol"), (1.0, 2.0)),
}

# Names are not stemmed (simple): "Kyrgyzstan", "UNRCCA"; a source's title is English.
PG_INDEX = {
    "resolutions_country": (
        ("name", "official_name", "alpha3"),
        "setweight(to_tsvector('simple', coalesce({r}name, '') || ' ' || coalesce({r}alpha3, '')), 'A')"
        " || setweight(to_tsvector('simple', coalesce({r}official_name, '')), 'B')",
    ),
    "resolutions_entity": (
        ("name", "short_name"),
        "setweight(to_tsvector('simple', coalesce({r}name, '') || ' ' || coalesce({r}short_name, '')), 'A')",
    ),
    "resolutions_theme": (("name",), "setweight(to_tsvector('english', coalesce({r}name, '')), 'A')"),
    "resolutions_notesource": (
        ("title", "document_symbol"),
        "setweight(to_tsvector('simple', translate(coalesce({r}document_symbol, ''), '/.()-', '     ')), 'A')"
        " || setweight(to_tsvector('english', coalesce({r}title, '')), 'B')",
    ),
}


def ensure_sqlite_index(cursor):
    return index.ensure_sqlite_index(cursor, SQLITE_INDEX)


def rebuild_sqlite_index(cursor):
    index.rebuild_sqlite_index(cursor, SQLITE_INDEX)


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "sqlite":
            ensure_sqlite_index(cursor)
            rebuild_sqlite_index(cursor)
        elif vendor == "postgresql":
            index.pg_install(cursor, PG_INDEX, trigrams=False)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "sqlite":
            index.sqlite_remove(cursor, SQLITE_INDEX)
        elif vendor == "postgresql":
            index.pg_remove(cursor, PG_INDEX, shared=False)


class Migration(migrations.Migration):
    dependencies = [("resolutions", "0014_resolution_text_meeting")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
