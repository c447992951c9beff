"""Planner statistics: refreshed after imports and migrations so that queries keep their plans.

SQLite has no statistics until ANALYZE runs; without them it may read a link table from the wrong
end (a note count per paragraph that scans every published note instead of that paragraph's links).
"""

from django.db import connections

from resolutions.models import Resolution


def refresh_statistics(using="default"):
    """ANALYZE the database: about half a second for the UN corpus with 20,000 notes on SQLite, a few
    seconds at 500,000 paragraphs."""
    connection = connections[using]
    with connection.cursor() as cursor:
        # Statistics of empty tables would tell PostgreSQL's planner "no rows" until autovacuum looks
        # again, which it never does inside one long transaction: a database with no resolution yet
        # keeps the planner's defaults.
        cursor.execute(f"SELECT 1 FROM {Resolution._meta.db_table} LIMIT 1")
        if cursor.fetchone() is None:
            return
        # PostgreSQL writes ANALYZE's figures in place: taken inside a transaction that is then rolled
        # back (a test, a failed batch), they would describe rows that no longer exist.
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            return
        if connection.vendor == "sqlite":
            # Whole indexes, not a sample: SQLite samples an index's first entries, which on a sorted
            # index (every note "published") told the planner that state was selective.
            cursor.execute("PRAGMA analysis_limit=0")
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA optimize")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


def refresh_after_migrate(sender, using="default", plan=None, **kwargs):
    """post_migrate receiver: new tables and indexes get statistics at once (once per migrate run)."""
    if plan:
        refresh_statistics(using)
