from django.core.management.base import BaseCommand

from resolutions.statistics import refresh_statistics


class Command(BaseCommand):
    help = (
        "Refresh the database's planner statistics (ANALYZE). Imports and migrations do it themselves; "
        "run it after loading rows by other means, e.g. a restore or raw SQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        refresh_statistics(database)
        self.stdout.write("Statistics refreshed.")
