"""Read the mandate facts of every operative paragraph again from its words (staff's edits kept)."""

from django.core.management.base import BaseCommand

from resolutions.models import Mandate, Paragraph


class Command(BaseCommand):
    help = "Extract each operative paragraph's mandate facts from its text, keeping those staff edited."

    def handle(self, *args, **options):
        paragraphs = Paragraph.objects.filter(kind="operative", parent__isnull=True).only(
            "id", "kind", "parent_id", "lead_phrase", "text"
        )
        written = 0
        for start in range(0, paragraphs.count(), 2000):
            written += Mandate.objects.refill(list(paragraphs.order_by("pk")[start : start + 2000]))
        self.stdout.write(f"{written} mandates extracted")
