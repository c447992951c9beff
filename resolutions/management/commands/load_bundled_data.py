import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from resolutions.importer import ParseError, parse_file
from resolutions.importer.loader import load
from resolutions.mandates import addressee_entities, entity_candidates
from resolutions.models import (
    Country,
    Entity,
    ImplementationNote,
    Mandate,
    MandateOrigin,
    NoteSource,
    NoteState,
    Paragraph,
    Resolution,
    Series,
    Theme,
)

DATA = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = (
        "Load what ships with the tracker: the seed resolution A/RES/77/273, its entities and themes, "
        "and demonstration notes built from its text. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Skip the demonstration notes.")

    def handle(self, *args, no_demo=False, **options):
        for path in sorted(DATA.glob("*.md")):
            try:
                documents = parse_file(path)
            except ParseError as error:
                raise CommandError(f"{path}: {error}") from error
            for parsed in documents:
                result = load(parsed)
                # A richer source staff imported (the UN's XML) is kept: the loader never downgrades it.
                self.stdout.write(f"{path.name}: {result.describe()}")
        bundled = json.loads((DATA / "bundled.json").read_text(encoding="utf-8"))
        with transaction.atomic():
            self._vocabularies(bundled)
            if not no_demo:
                self._demo_notes(bundled["demo_notes"])

    def _vocabularies(self, bundled):
        for item in bundled["series"]:
            # The series may be held already: this one, or the one `link_series` made when the UN's XML
            # of its resolutions was imported first (named by their title): it becomes this one.
            series = (
                Series.objects.filter(slug=item["slug"]).first()
                or Series.objects.filter(resolutions__symbol__in=item["resolutions"]).first()
                or Series.objects.filter(name=item["name"]).first()
                or Series()
            )
            series.slug, series.name, series.description = item["slug"], item["name"], item["description"]
            series.save()
            Resolution.objects.filter(symbol__in=item["resolutions"], series=None).update(series=series)
        for item in bundled["entities"]:
            Entity.objects.update_or_create(
                slug=item["slug"],
                defaults={key: item.get(key, "") for key in ("name", "short_name", "kind", "description")},
            )
        # The seed resolution was loaded before its entities: its extracted mandates' addressees can
        # now be linked to them (the Regional Centre to UNRCCA).
        linkable = addressee_entities(Entity.objects.filter(entity_candidates()))
        Mandate.objects.filter(origin=MandateOrigin.EXTRACTED).addressing(linkable).link_entities()
        for item in bundled["themes"]:
            Theme.objects.update_or_create(slug=item["slug"], defaults={"name": item["name"]})
        self.stdout.write(
            f"Vocabularies: {Entity.objects.count()} entities, {Theme.objects.count()} themes, "
            f"{Country.objects.count()} countries"
        )

    def _demo_notes(self, notes):
        created = 0
        for item in notes:
            fields = {
                "kind": item["kind"],
                "body": item["body"],
                "start_date": datetime.date.fromisoformat(item["start_date"]),
                "end_date": datetime.date.fromisoformat(item["end_date"]) if item.get("end_date") else None,
                "state": NoteState.PUBLISHED,
            }
            note, was_created = ImplementationNote.objects.get_or_create(
                title=item["title"], is_demo=True, defaults=fields
            )
            created += was_created
            if any(getattr(note, name) != value for name, value in fields.items()):
                for name, value in fields.items():
                    setattr(note, name, value)
                note.save()
            note.paragraphs.set(
                Paragraph.objects.operative().get(resolution__symbol=symbol, number=number)
                for symbol, number in item["paragraphs"]
            )
            note.countries.set(Country.objects.filter(alpha3__in=item["countries"]))
            note.entities.set(Entity.objects.filter(slug__in=item["entities"]))
            note.themes.set(Theme.objects.filter(slug__in=item["themes"]))
            wanted = [(source["title"], source["document_symbol"]) for source in item["sources"]]
            if list(note.sources.values_list("title", "document_symbol")) != wanted:
                note.sources.all().delete()
                NoteSource.objects.bulk_create(
                    NoteSource(
                        note=note, title=title, document_symbol=symbol, url=f"https://undocs.org/en/{symbol}"
                    )
                    for title, symbol in wanted
                )
            note.seal_content()  # shipped as reviewed: no editor, and published as it is
        self.stdout.write(f"Demo notes: {created} created, {len(notes) - created} already there")
