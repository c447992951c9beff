"""Implementation notes to and from spreadsheets (CSV, XLSX) with django-import-export.

One row is one note. Columns (the export writes the same, plus id, state and author):

    title, kind, start_date, end_date, body,
    resolution   the symbol, e.g. A/RES/77/273 (or 77/273 for the General Assembly)
    paragraphs   its operative paragraph numbers: "1" or "1; 3"
    countries    names or ISO codes: "Kazakhstan; KGZ"
    entities     short or full names: "UNRCCA; UNODC"
    themes       names: "Preventive diplomacy"

Dates are written year-month-day (2023-02-24), or are a spreadsheet's date cells; a date written
another way is refused with the date to write instead, never guessed (02/03/2023 is 2 March in Geneva
and 3 February in New York).

An import only ever creates new notes, as drafts by the importing user, who is recorded as their
last editor (so cannot publish them): a state or id column is ignored, so nothing reaches the
public without the review workflow. Every row names at least one operative paragraph; titles and
bodies keep to the notes' size limits. Every row is checked before anything is written, and each
error names its column and how to put it right; the rows without error are imported together, in
one transaction, when the importing user chooses to leave the others out (ImplementationNoteAdmin).
"""

import calendar
import datetime
import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from resolutions.countries import match_country
from resolutions.models import (
    Country,
    Entity,
    ImplementationNote,
    NoteKind,
    NoteState,
    Paragraph,
    Resolution,
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


# The title that marks the template's example row (example_row()), refused if imported as it is.
EXAMPLE_MARK = "EXAMPLE"


def written_as(value):
    return f"\u201c{value}\u201d"


def date_advice(text):
    """Why `text` is not read as a date, and the date to write instead where one can be told."""
    day_first = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})", text)
    year_first = re.fullmatch(r"(\d{4})[./-](\d{1,2})[./-](\d{1,2})", text)
    not_a_date = gettext("is not a date; write it year-month-day, e.g. 2023-02-24")
    if not (day_first or year_first):
        return not_a_date
    if day_first:
        first, second, year = (int(part) for part in day_first.groups())
        readings = [(second, first)] + ([(first, second)] if first <= 12 and second <= 12 else [])
    else:
        year, month, day = (int(part) for part in year_first.groups())
        readings = [(month, day)]
    readings = [(month, day) for month, day in dict.fromkeys(readings) if 1 <= month <= 12 and day >= 1]
    if not readings:
        return not_a_date
    meant = []
    for month, day in readings:
        last = calendar.monthrange(year, month)[1]
        meant.append(datetime.date(year, month, min(day, last)))
    if len(meant) == 2:
        first, second = meant
        return gettext(
            "could be %(first)s or %(second)s; write %(first_iso)s or %(second_iso)s (year-month-day)"
        ) % {
            "first": date_format(first, "j E"),
            "second": date_format(second, "j E"),
            "first_iso": first.isoformat(),
            "second_iso": second.isoformat(),
        }
    (date,) = meant
    month, day = readings[0]
    if day > calendar.monthrange(year, month)[1]:
        return gettext("is not a date (%(month)s has %(days)s days); use %(date)s") % {
            "month": date_format(date, "F Y"),
            "days": date.day,
            "date": date.isoformat(),
        }
    return gettext("is not written year-month-day; use %(date)s") % {"date": date.isoformat()}


class DateWidget(widgets.Widget):
    """A date cell, or text written year-month-day (ISO 8601); nothing else is guessed at."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            # Translators: %(value)s is the cell's text in quotes, %(advice)s why it is not read as a date
            # and what to write instead ("is not written year-month-day; use 2023-02-24").
            refusal = gettext("%(value)s %(advice)s.")
            raise ValueError(refusal % {"value": written_as(text), "advice": date_advice(text)}) from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class ParagraphsWidget(widgets.ManyToManyWidget):
    """Operative paragraph numbers of the row's resolution."""

    def __init__(self):
        super().__init__(Paragraph, separator="; ")

    def clean(self, value, row=None, **kwargs):
        symbol = resolution_symbol((row or {}).get("resolution"))
        numbers = [re.sub(r"^(op\.?|para\.?|paragraph)\s*", "", item, flags=re.I) for item in split(value)]
        if not symbol or not Resolution.objects.filter(symbol=symbol).exists():
            return []  # said once, of the resolution column (NoteResource.import_instance)
        if not numbers:
            raise ValueError(gettext("Give at least one operative paragraph number, e.g. 1 or 1; 3."))
        found = {
            paragraph.number: paragraph
            for paragraph in Paragraph.objects.operative().filter(
                resolution__symbol=symbol, number__in=numbers
            )
        }
        missing = [number for number in numbers if number not in found]
        if missing:
            raise ValueError(
                gettext(
                    "%(symbol)s has no operative paragraph %(numbers)s in the tracker; "
                    "give the numbers of its operative paragraphs, e.g. 1; 3."
                )
                % {"symbol": symbol, "numbers": ", ".join(missing)}
            )
        return [found[number] for number in numbers]

    def render(self, value, obj=None, **kwargs):
        return self.separator.join(paragraph.number for paragraph in value.all()) if value is not None else ""


class VocabularyWidget(widgets.ManyToManyWidget):
    """Rows of a small vocabulary named by any of several fields; unknown names are an error, which
    `unknown` says (a whole sentence for each vocabulary, with the %(names)s not found)."""

    def __init__(self, model, lookups, unknown):
        super().__init__(model, separator="; ")
        self.lookups = lookups
        self.unknown = unknown

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
            raise ValueError(self.unknown % {"names": ", ".join(unknown)})
        return found

    def render(self, value, obj=None, **kwargs):
        return self.separator.join(str(item) for item in value.all()) if value is not None else ""


class CountriesWidget(VocabularyWidget):
    def __init__(self):
        super().__init__(
            Country,
            [],
            _(
                "Unknown country: %(names)s; use the names the tracker has for its countries, separated by “;”."
            ),
        )

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
        raise ValueError(
            gettext("Unknown kind “%(value)s”; use one of %(kinds)s.")
            % {"value": value, "kinds": ", ".join(NoteKind.values)}
        )


# What an empty required cell should hold.
EMPTY_CELL_ADVICE = {
    "title": _("is empty; give the note's title, e.g. Consultations on water management."),
    "start_date": _("is empty; give the date it took place or began, year-month-day, e.g. 2023-02-24."),
}
# Columns of the export that an import leaves aside (who wrote a note and where it stands).
EXPORT_ONLY_COLUMNS = ("id", "state", "author")


class PreviewDiff(resources.Diff):
    """The preview's columns: those an import reads, each as the export writes it (the resolution too,
    which django-import-export's Diff leaves blank, having no attribute to read)."""

    def __init__(self, resource, instance, new):
        super().__init__(resource, instance, new)
        self.left = []

    def compare_with(self, resource, instance):
        self.right = [resource.export_field(field, instance) for field in resource.get_reading_fields()]

    def as_html(self):
        # Every row is a new note: its values as they will be, not a coloured diff (whose inline
        # styles the Content-Security-Policy refuses).
        return [conditional_escape(value) for value in self.right]


class NoteResource(resources.ModelResource):
    title = fields.Field(attribute="title", column_name="title")
    kind = fields.Field(attribute="kind", column_name="kind", widget=KindWidget())
    start_date = fields.Field(attribute="start_date", column_name="start_date", widget=DateWidget())
    end_date = fields.Field(attribute="end_date", column_name="end_date", widget=DateWidget())
    body = fields.Field(attribute="body", column_name="body")
    resolution = fields.Field(column_name="resolution", dehydrate_method="dehydrate_resolution")
    paragraphs = fields.Field(attribute="paragraphs", column_name="paragraphs", widget=ParagraphsWidget())
    countries = fields.Field(attribute="countries", column_name="countries", widget=CountriesWidget())
    entities = fields.Field(
        attribute="entities",
        column_name="entities",
        widget=VocabularyWidget(
            Entity,
            ["short_name", "name", "slug"],
            _(
                "Unknown partner entity: %(names)s; use the names the tracker has for its entities, "
                "separated by “;”."
            ),
        ),
    )
    themes = fields.Field(
        attribute="themes",
        column_name="themes",
        widget=VocabularyWidget(
            Theme,
            ["name", "slug"],
            _("Unknown theme: %(names)s; use the names the tracker has for its themes, separated by “;”."),
        ),
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
        # What is imported is imported together or not at all.
        use_transactions = True

    def get_reading_fields(self):
        """The fields an import reads, in the template's order (export-only ones left out)."""
        return [field for field in self.get_import_fields() if field.column_name not in EXPORT_ONLY_COLUMNS]

    @classmethod
    def import_columns(cls):
        """The columns an import reads: the template's header."""
        return [field.column_name for field in cls().get_reading_fields()]

    def get_diff_class(self):
        return PreviewDiff

    def get_diff_headers(self):
        return self.import_columns()

    def get_instance(self, instance_loader, row):
        return None  # every row is a new note

    def dehydrate_resolution(self, note):
        if note.pk is None:
            return ""
        return "; ".join(sorted({paragraph.resolution.symbol for paragraph in note.paragraphs.all()}))

    def dehydrate_author(self, note):
        return note.author.get_username() if note.author else ""

    def before_import(self, dataset, **kwargs):
        known = {*self.import_columns(), *EXPORT_ONLY_COLUMNS}
        headers = [str(header or "").strip() for header in dataset.headers or []]
        unknown = [header for header in headers if header not in known]
        if unknown:
            raise ValueError(
                gettext(
                    "The file has columns the import does not read: %(unknown)s. "
                    "Name the columns as the template does: %(columns)s."
                )
                % {
                    "unknown": ", ".join(map(written_as, unknown)),
                    "columns": ", ".join(self.import_columns()),
                }
            )

    def import_instance(self, instance, row, **kwargs):
        """Check the linked rows too, so every error of a row shows in the preview, each under its
        column and saying how to put it right."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors.update(plain_errors(error))
        symbol = resolution_symbol(row.get("resolution"))
        if not symbol:
            errors["resolution"] = [
                gettext(
                    "is empty; give the resolution's symbol, e.g. A/RES/77/273 (or 77/273 for the General Assembly)."
                )
            ]
        elif not Resolution.objects.filter(symbol=symbol).exists():
            errors["resolution"] = [
                gettext(
                    "%(symbol)s is not a resolution in the tracker; check the symbol "
                    "(e.g. A/RES/77/273), or import the resolution first."
                )
                % {"symbol": written_as(symbol)}
            ]
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row, **kwargs)
                except ValueError as error:
                    errors[field.column_name] = [str(error)]
        if "paragraphs" not in row:
            errors["paragraphs"] = [
                gettext(
                    "A note must implement at least one operative paragraph: add a “paragraphs” "
                    "column with their numbers, e.g. 1 or 1; 3."
                )
            ]
        if str(row.get("title") or "").strip().upper().startswith(EXAMPLE_MARK):
            errors["title"] = [
                gettext("this is the template's example row; delete it, or replace it with a real note.")
            ]
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            raise ValidationError(plain_errors(error)) from None

    def after_import_row(self, row, row_result, **kwargs):
        row_result.number = kwargs.get("row_number")  # so the preview names each good row too

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


def plain_errors(error):
    """A ValidationError's messages by column, an empty required cell saying what to write."""
    if not hasattr(error, "error_dict"):
        return {"__all__": error.messages}
    plain = {}
    for name, errors in error.error_dict.items():
        plain[name] = [
            str(EMPTY_CELL_ADVICE[name])
            if getattr(item, "code", "") in ("blank", "null", "required") and name in EMPTY_CELL_ADVICE
            else message
            for item in errors
            for message in item.messages
        ]
    return plain


def example_row():
    """The template's example row, marked as one: the vocabulary is the tracker's own (its first
    tracked resolution, country, partner and theme), the rest is invented and says so."""
    paragraph = (
        Paragraph.objects.operative()
        .filter(number__gt="")
        .select_related("resolution")
        .order_by("resolution__sort_key", "order")
        .first()
    )
    country = Country.objects.order_by("name").first()
    entity = Entity.objects.order_by("name").first()
    theme = Theme.objects.order_by("name").first()
    return {
        # Translators: keep %(mark)s first: the import refuses a row whose title starts with it.
        "title": gettext("%(mark)s – delete this row: the title of what was done") % {"mark": EXAMPLE_MARK},
        "kind": NoteKind.MEETING.value,
        "start_date": "2023-02-24",
        "end_date": "",
        "body": gettext(
            "An example, not a real event: what was done, by whom and with what result (Markdown)."
        ),
        "resolution": paragraph.resolution.symbol if paragraph else "A/RES/77/273",
        "paragraphs": paragraph.number if paragraph else "1",
        "countries": country.name if country else "",
        "entities": (entity.short_name or entity.name) if entity else "",
        "themes": theme.name if theme else "",
    }
