from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections

from resolutions.search import ensure_index


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the tables it indexes (SQLite FTS5), restoring any missing "
        "trigger: for repair after a raw restore or copy. PostgreSQL keeps its index in step itself."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to repair.")

    def handle(self, *args, database, **options):
        vendor = connections[database].vendor
        if vendor != "sqlite":
            self.stdout.write(
                f"Nothing to do on {vendor}: triggers fill each row's search_vector as it is written."
            )
            return
        if not ensure_index(database, rebuild=True):
            self.stdout.write(self.style.WARNING("The search index is not installed: run migrate first."))
            return
        self.stdout.write(self.style.SUCCESS("Search index rebuilt."))
