"""Implementation notes to and from spreadsheets (CSV, XLSX) with django-import-export.

One row is one note. Columns (the export writes the same, plus id, state and author):

    title, kind, start_date, end_date, body,
    resolution   the symbol, e.g. A/RES/77/273 (or 77/273 for the General Assembly)
    paragraphs   its operative paragraph numbers: "1" or "1; 3"
    countries    names or ISO codes: "Kazakhstan; KGZ"
    entities     short or full names: "UNRCCA; UNODC"
    themes       names: "Preventive diplomacy"

An import only ever creates new notes, as drafts by the importing user, who is recorded as their
last editor (so cannot publish them): a state or id column is ignored, so nothing reaches the
public without the review workflow. Every row names at least one operative paragraph; titles and
bodies keep to the notes' size limits. Every row is checked before
anything is written; a row with an error is shown with its error and nothing is imported.
"""

import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from import_export import fields, resources, widgets

from resolutions.countries import match_country
from resolutions.models import (
    Country,
    Entity,
    ImplementationNote,
    NoteKind,
    NoteState,
    Paragraph,
    Theme,
)

SEPARATOR = re.compile(r"\s*[;\n]\s*")


def split(value):
    """Cell text split on semicolons or new lines (names may contain commas)."""
    if value is None:
        return []
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return [item for item in SEPARATOR.split(str(value).strip()) if item]


def resolution_symbol(value):
    """A/RES/77/273 as written, or 77/273 (a General Assembly resolution) made whole."""
    symbol = re.sub(r"\s+", "", str(value or "")).upper()
    if re.fullmatch(r"\d+/\d+", symbol):
        return f"A/RES/{symbol}"
    return symbol


class ParagraphsWidget(widgets.ManyToManyWidget):
    """Operative paragraph numbers of the row's resolution."""

    def __init__(self):
        super().__init__(Paragraph, separator="; ")

    def clean(self, value, row=None, **kwargs):
        symbol = resolution_symbol((row or {}).get("resolution"))
        numbers = [re.sub(r"^(op\.?|para\.?|paragraph)\s*", "", item, flags=re.I) for item in split(value)]
        if not symbol:
            raise ValueError(
                "Give the resolution's symbol in the \u201cresolution\u201d column, e.g. A/RES/77/273."
            )
        if not numbers:
            raise ValueError("Give at least one operative paragraph number, e.g. 1 or 1; 3.")
        found = {
            paragraph.number: paragraph
            for paragraph in Paragraph.objects.operative().filter(
                resolution__symbol=symbol, number__in=numbers
            )
        }
        missing = [number for number in numbers if number not in found]
        if missing:
            raise ValueError(f"{symbol} has no operative paragraph {', '.join(missing)} in the tracker.")
        return [found[number] for number in numbers]

    def render(self, value, obj=None, **kwargs):
        return self.separator.join(paragraph.number for paragraph in value.all()) if value is not None else ""


class VocabularyWidget(widgets.ManyToManyWidget):
    """Rows of a small vocabulary named by any of several fields; unknown names are an error."""

    def __init__(self, model, lookups, label):
        super().__init__(model, separator="; ")
        self.lookups = lookups
        self.label = label

    def find(self, name):
        query = Q()
        for lookup in self.lookups:
            query |= Q(**{f"{lookup}__iexact": name})
        return self.model.objects.filter(query).first()

    def clean(self, value, row=None, **kwargs):
        found, unknown = [], []
        for name in split(value):
            item = self.find(name)
            (found if item else unknown).append(item or name)
        if unknown:
            raise ValueError(f"Unknown {self.label}: {', '.join(unknown)}.")
        return found

    def render(self, value, obj=None, **kwargs):
        return self.separator.join(str(item) for item in value.all()) if value is not None else ""


class CountriesWidget(VocabularyWidget):
    def __init__(self):
        super().__init__(Country, [], "country")

    def find(self, name):
        alpha3 = match_country(name)
        return Country.objects.filter(alpha3=alpha3).first() if alpha3 else None

    def render(self, value, obj=None, **kwargs):
        return self.separator.join(country.name for country in value.all()) if value is not None else ""


class KindWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().lower()
        if not text:
            return NoteKind.OTHER
        for kind in NoteKind:
            if text in (kind.value, kind.label.lower()):
                return kind.value
        raise ValueError(f"Unknown kind \u201c{value}\u201d; use one of {', '.join(NoteKind.values)}.")


class NoteResource(resources.ModelResource):
    title = fields.Field(attribute="title", column_name="title")
    kind = fields.Field(attribute="kind", column_name="kind", widget=KindWidget())
    start_date = fields.Field(attribute="start_date", column_name="start_date", widget=widgets.DateWidget())
    end_date = fields.Field(attribute="end_date", column_name="end_date", widget=widgets.DateWidget())
    body = fields.Field(attribute="body", column_name="body")
    resolution = fields.Field(column_name="resolution", dehydrate_method="dehydrate_resolution")
    paragraphs = fields.Field(attribute="paragraphs", column_name="paragraphs", widget=ParagraphsWidget())
    countries = fields.Field(attribute="countries", column_name="countries", widget=CountriesWidget())
    entities = fields.Field(
        attribute="entities",
        column_name="entities",
        widget=VocabularyWidget(Entity, ["short_name", "name", "slug"], "partner entity"),
    )
    themes = fields.Field(
        attribute="themes", column_name="themes", widget=VocabularyWidget(Theme, ["name", "slug"], "theme")
    )
    # Export only: an import never sets who wrote a note or where it stands.
    id = fields.Field(attribute="id", column_name="id", readonly=True)
    state = fields.Field(attribute="state", column_name="state", readonly=True)
    author = fields.Field(column_name="author", dehydrate_method="dehydrate_author", readonly=True)

    class Meta:
        model = ImplementationNote
        fields = [
            "id",
            "title",
            "kind",
            "start_date",
            "end_date",
            "body",
            "resolution",
            "paragraphs",
            "countries",
            "entities",
            "themes",
            "state",
            "author",
        ]
        import_id_fields = []
        skip_unchanged = False
        clean_model_instances = True

    def get_instance(self, instance_loader, row):
        return None  # every row is a new note

    def dehydrate_resolution(self, note):
        return "; ".join(sorted({paragraph.resolution.symbol for paragraph in note.paragraphs.all()}))

    def dehydrate_author(self, note):
        return note.author.get_username() if note.author else ""

    def import_instance(self, instance, row, **kwargs):
        """Check the linked rows too, so every error of a row shows in the preview."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors.update(error.update_error_dict({}))
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row, **kwargs)
                except ValueError as error:
                    errors[field.attribute] = [str(error)]
        if "paragraphs" not in row:
            errors["paragraphs"] = [
                "A note must implement at least one operative paragraph: add a \u201cparagraphs\u201d "
                "column with their numbers, e.g. 1 or 1; 3."
            ]
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        instance.state = NoteState.DRAFT
        user = kwargs.get("user")
        if user is not None and user.is_authenticated:
            instance.author = user
            instance._history_user = user

    def save_m2m(self, instance, row, **kwargs):
        """With its links saved, the note's content is whole: record it as the importing user's edit
        (the editorial rule, resolutions/workflow.py)."""
        super().save_m2m(instance, row, **kwargs)
        if instance.pk is not None:
            instance.record_edit(kwargs.get("user"))

    def get_queryset(self):
        return ImplementationNote.objects.select_related("author").prefetch_related(
            "paragraphs__resolution", "countries", "entities", "themes"
        )
