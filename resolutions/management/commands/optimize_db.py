from django.core.management.base import BaseCommand

from resolutions.counters import recount_all
from resolutions.models import Resolution
from resolutions.statistics import refresh_statistics


class Command(BaseCommand):
    help = (
        "Fill the natural-order keys of resolutions loaded without save(), recount the published notes of every paragraph, country, theme and partner, and refresh the "
        "database's planner statistics (ANALYZE). Imports, migrations and every change to a note keep "
        "both in step; run it after loading rows by other means, e.g. loaddata or raw SQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        # Statistics first: rows loaded in bulk would otherwise look like empty tables to the planner,
        # and each recount would scan a whole link table.
        keyed = Resolution.objects.using(database).refill_natural_keys()
        self.stdout.write(f"Natural-order keys filled ({keyed} corrected).")
        refresh_statistics(database)
        changed = recount_all(database)
        self.stdout.write(f"Note counters recounted ({changed} corrected).")
        if changed:
            refresh_statistics(database)
        self.stdout.write("Statistics refreshed.")
