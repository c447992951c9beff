from django.core.management.base import BaseCommand

from resolutions.lineage import link_series
from resolutions.models import Series


class Command(BaseCommand):
    help = (
        "Find every resolution's predecessor (same or near-same title, its preamble citing the earlier one, "
        "the same agenda item), align their paragraphs and group them into series. Links staff confirmed, "
        "corrected or split are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_false", dest="progress")

    def handle(self, *args, progress, **options):
        def report(done, total):
            self.stderr.write(f"{done}/{total} resolutions looked at")

        summary = link_series(progress=report if progress else None)
        series = Series.objects.filter(resolutions__isnull=False).distinct().count()
        self.stdout.write(f"{summary.describe()}; {series} series hold resolutions")
