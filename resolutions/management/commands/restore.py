from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from resolutions.backups import restore, table_counts
from resolutions.cache import bump_public_content
from resolutions.search import ensure_index
from resolutions.statistics import refresh_statistics


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database, change history "
        "included. Refuses a database that already has tables unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to restore into.")
        parser.add_argument(
            "--force", action="store_true", help="Overwrite a database that already has tables."
        )

    def handle(self, *args, path, database, force, **options):
        restore(path, using=database, force=force)
        # Restored rows come without planner statistics, and a SQLite file may lack its search triggers.
        refresh_statistics(database)
        ensure_index(database, rebuild=False)
        # Pages cached from the database as it was before are stale now.
        bump_public_content()

        counts = table_counts(database)
        width = max(map(len, counts), default=0)
        self.stdout.write(f"Restored {path}: {len(counts)} tables, {sum(counts.values())} rows.")
        for table, count in counts.items():
            self.stdout.write(f"  {table:<{width}}  {count:>9}")
        executor = MigrationExecutor(connections[database])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup predates {len(pending)} migration(s) of this code: run `manage.py migrate`."
                )
            )
        self.stdout.write(self.style.SUCCESS("Restore complete."))
