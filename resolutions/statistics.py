"""Planner statistics: refreshed after imports and migrations so that queries keep their plans.

SQLite has no statistics until ANALYZE runs; without them it may read a link table from the wrong
end (a note count per paragraph that scans every published note instead of that paragraph's links).
"""

from django.db import connections


def refresh_statistics(using="default"):
    """ANALYZE the database (sampled on SQLite, so it stays quick on a large file)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA optimize")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


def refresh_after_migrate(sender, using="default", plan=None, **kwargs):
    """post_migrate receiver: new tables and indexes get statistics at once (once per migrate run)."""
    if plan:
        refresh_statistics(using)
