"""The search index, kept in step by the database itself (resolutions/search.py queries it).

SQLite: one FTS5 external-content table per indexed table (``<table>_fts``, rowid = the row's id)
and AFTER INSERT/UPDATE/DELETE triggers on the indexed table, so that every write -- the ORM,
bulk_create, bulk_update, raw SQL -- updates the index in the same transaction.

PostgreSQL: a ``search_vector`` tsvector column on each indexed table, filled by a BEFORE
INSERT/UPDATE trigger (a trigger rather than a generated column, so that later migrations may
still alter the indexed columns' types), with a GIN index.

The columns stay out of the Django models: SQLite and PostgreSQL keep the same models and
``makemigrations --check`` stays clean. The SQL is written out here, frozen with the migration.

On SQLite, a later migration that rebuilds one of these tables (Django's way of altering a
column there) drops its triggers: ``ensure_sqlite_index()`` recreates them, and
``manage.py rebuild_search_index`` calls it and rebuilds the index.
"""

from django.db import migrations

# table: (indexed columns, bm25 weights of those columns)
SQLITE_INDEX = {
    "resolutions_resolution": (("symbol", "title"), (10.0, 5.0)),
    "resolutions_resolutiontext": (("title",), (5.0,)),
    "resolutions_paragraph": (("lead_phrase", "text"), (2.0, 1.0)),
    "resolutions_paragraphtext": (("lead_phrase", "text"), (2.0, 1.0)),
    "resolutions_implementationnote": (("title", "body"), (5.0, 1.0)),
}
# Porter stemming for English, the rest of Unicode tokenised by word, accents folded.
SQLITE_TOKENIZER = "porter unicode61 remove_diacritics 2"
# Prefix indexes (migration 0026): a query word is a prefix ("peace" finds "peaceful"); without them
# FTS5 merges the lists of every word that starts with it before handing over the newest matches, a
# cost that grows with the matches (paragraphs, "peace*", generated scale: 25 ms, 1.8 ms at corpus
# scale); with them, one list read from its newest end. Longer prefixes match few words.
SQLITE_PREFIXES = "3 4 5 6"


def sqlite_triggers(table, columns):
    fts = f"{table}_fts"
    names = ", ".join(columns)
    new = ", ".join(f"new.{name}" for name in columns)
    old = ", ".join(f"old.{name}" for name in columns)
    insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old});"
    return [
        f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF {names} ON {table} "
        f"BEGIN {delete} {insert} END",
    ]


def ensure_sqlite_index(cursor, tables=None, prefixes=SQLITE_PREFIXES):
    """Create what is missing of the FTS5 tables and their triggers; True if any trigger was missing.
    ``tables``: SQLITE_INDEX's shape (a later migration indexes more tables the same way)."""
    prefix = f", prefix='{prefixes}'" if prefixes else ""
    existing = {row[0] for row in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    missing = False
    for table, (columns, weights) in (tables or SQLITE_INDEX).items():
        fts = f"{table}_fts"
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({', '.join(columns)}, "
            f"content='{table}', content_rowid='id', tokenize='{SQLITE_TOKENIZER}'{prefix})"
        )
        cursor.execute(
            f"INSERT INTO {fts}({fts}, rank) VALUES ('rank', 'bm25({', '.join(map(str, weights))})')"
        )
        for statement in sqlite_triggers(table, columns):
            missing |= statement.split()[5] not in existing
            cursor.execute(statement)
    return missing


def rebuild_sqlite_index(cursor, tables=None):
    for table in tables or SQLITE_INDEX:
        cursor.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")


def sqlite_remove(cursor, tables=None):
    for table in tables or SQLITE_INDEX:
        for suffix in ("insert", "delete", "update"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
        cursor.execute(f"DROP TABLE IF EXISTS {table}_fts")


# PostgreSQL: table -> (the columns whose change re-indexes the row, the vector of a row ``r``).
# Texts in other languages are stemmed in their language; languages without a configuration
# (Chinese) are split by the simple parser.
PG_INDEX = {
    "resolutions_resolution": (
        ("symbol", "title"),
        "setweight(to_tsvector('simple', translate(coalesce({r}symbol, ''), '/.()-', '     ')), 'A')"
        " || setweight(to_tsvector('english', coalesce({r}title, '')), 'B')",
    ),
    "resolutions_resolutiontext": (
        ("language", "title"),
        "setweight(to_tsvector(resolutions_search_config({r}language), coalesce({r}title, '')), 'B')",
    ),
    "resolutions_paragraph": (
        ("lead_phrase", "text"),
        "setweight(to_tsvector('english', coalesce({r}lead_phrase, '')), 'A')"
        " || setweight(to_tsvector('english', coalesce({r}text, '')), 'B')",
    ),
    "resolutions_paragraphtext": (
        ("language", "lead_phrase", "text"),
        "setweight(to_tsvector(resolutions_search_config({r}language), coalesce({r}lead_phrase, '')), 'A')"
        " || setweight(to_tsvector(resolutions_search_config({r}language), coalesce({r}text, '')), 'B')",
    ),
    "resolutions_implementationnote": (
        ("title", "body"),
        "setweight(to_tsvector('english', coalesce({r}title, '')), 'A')"
        " || setweight(to_tsvector('english', coalesce({r}body, '')), 'B')",
    ),
}
PG_CONFIG_FUNCTION = """
CREATE OR REPLACE FUNCTION resolutions_search_config(language text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE language
        WHEN 'en' THEN 'english' WHEN 'fr' THEN 'french' WHEN 'es' THEN 'spanish'
        WHEN 'ru' THEN 'russian' WHEN 'ar' THEN 'arabic' ELSE 'simple'
    END::regconfig
$$
"""


def pg_install(cursor, tables=None, trigrams=True):
    """``tables``: PG_INDEX's shape (a later migration indexes more tables the same way)."""
    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    cursor.execute(PG_CONFIG_FUNCTION)
    for table, (columns, vector) in (tables or PG_INDEX).items():
        changed = " OR ".join(f"OLD.{name} IS DISTINCT FROM NEW.{name}" for name in columns)
        cursor.execute(f"ALTER TABLE {table} ADD COLUMN search_vector tsvector")
        cursor.execute(
            f"CREATE FUNCTION {table}_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN NEW.search_vector := {vector.format(r='NEW.')}; RETURN NEW; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER {table}_search_insert BEFORE INSERT ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_search_vector()"
        )
        cursor.execute(
            f"CREATE TRIGGER {table}_search_update BEFORE UPDATE OF {', '.join(columns)} ON {table} "
            f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {table}_search_vector()"
        )
        cursor.execute(f"UPDATE {table} SET search_vector = {vector.format(r='')}")
        cursor.execute(f"CREATE INDEX {table}_search ON {table} USING gin (search_vector)")
    if not trigrams:
        return
    # Typo tolerance: resolution titles by trigram similarity (search.py's suggestions).
    cursor.execute(
        "CREATE INDEX resolutions_resolution_title_trgm ON resolutions_resolution "
        "USING gin (title gin_trgm_ops)"
    )


def pg_remove(cursor, tables=None, shared=True):
    if shared:
        cursor.execute("DROP INDEX IF EXISTS resolutions_resolution_title_trgm")
    for table in tables or PG_INDEX:
        cursor.execute(f"DROP TRIGGER IF EXISTS {table}_search_insert ON {table}")
        cursor.execute(f"DROP TRIGGER IF EXISTS {table}_search_update ON {table}")
        cursor.execute(f"DROP FUNCTION IF EXISTS {table}_search_vector()")
        cursor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
    if shared:
        cursor.execute("DROP FUNCTION IF EXISTS resolutions_search_config(text)")


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "sqlite":
            ensure_sqlite_index(cursor)
            rebuild_sqlite_index(cursor)
        elif vendor == "postgresql":
            pg_install(cursor)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "sqlite":
            sqlite_remove(cursor)
        elif vendor == "postgresql":
            pg_remove(cursor)


class Migration(migrations.Migration):
    dependencies = [("resolutions", "0006_longer_paragraph_fields")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
