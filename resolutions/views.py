"""The public website: every page reads through the shared FilterSets and published() only."""

import csv
import datetime
import re
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.views.generic import DetailView, ListView, TemplateView

from resolutions import search
from resolutions.cache import remember
from resolutions.filters import NoteFilter, ResolutionFilter, linked_to
from resolutions.forms import SearchForm
from resolutions.markup import cited_symbols
from resolutions.models import (
    Assessment,
    Country,
    CountryVote,
    Entity,
    Footnote,
    ImplementationNote,
    ImplementationNoteQuerySet,
    Paragraph,
    ParagraphText,
    Reference,
    Resolution,
    Theme,
    VoteCast,
)
from resolutions.sdg import SDG_GOALS
from resolutions.symbols import find_references, un_document_url
from resolutions.votes import recorded_vote

# The six official languages of the United Nations, named in their own language.
LANGUAGE_NAMES = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}
RTL_LANGUAGES = {"ar", "fa", "he", "ur"}


def text_language(resolution, languages, requested):
    """How a resolution's pages show its text: in the language asked for (?lang=) where it is held,
    else in its primary language. Gives the code and direction, the language switch, the query that
    carries the language on links between the resolution's pages (none for the primary language), and
    the page's language and direction (<html lang dir>, base.html): those of the text shown."""
    default = resolution.language if resolution.language in languages else languages[0]
    language = requested if requested in languages else default
    direction = "rtl" if language in RTL_LANGUAGES else "ltr"
    return {
        "language": language,
        "language_dir": direction,
        "languages": [(code, LANGUAGE_NAMES.get(code, code)) for code in languages],
        "lang_query": "" if language == default else f"?lang={language}",
        "page_language": language,
        "page_dir": direction,
    }


def favicon(request):
    """Browsers and feed readers ask for /favicon.ico whatever a page names: the icon the pages name."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def published_notes(sources=False):
    """Published notes with what a note card shows, in a fixed number of queries."""
    return ImplementationNote.objects.published().with_links(sources=sources)


def operative_with_status():
    """Operative paragraphs with their current status (and, stored on each, how many published notes
    they have: published_note_count)."""
    return Paragraph.objects.operative().with_current_status()


class FilteredListView(ListView):
    """A list driven by one of the shared FilterSets. Invalid values become form errors shown on
    the page (with no rows), never a server error. htmx requests get the results only.

    The form is dressed for people here, not in the FilterSet (whose labels and help the API's schema
    shows): `labels` and `help_texts` replace a field's; `counted` menus offer only the vocabulary
    rows with published notes, with how many (their stored counters: no count over the notes)."""

    filterset_class = None
    results_template_name = None
    date_fields = ()
    labels = {}
    help_texts = {}
    counted = {}  # field name -> vocabulary model with a published_note_count
    ordering_labels = {}
    lower_case_codes = ()  # fields whose codes are written in lower case in links (country=kaz)

    def get_base_queryset(self):
        raise NotImplementedError

    def filter_data(self):
        if not self.request.GET:
            return None
        data = self.request.GET.copy()
        for name in self.lower_case_codes:
            if name in data:
                data[name] = data[name].strip().lower()
        return data

    @cached_property
    def filterset(self):
        filterset = self.filterset_class(self.filter_data(), queryset=self.get_base_queryset())
        for name in self.date_fields:
            filterset.form.fields[name].widget.input_type = "date"
        for name, field in filterset.form.fields.items():
            field.label = self.labels.get(name, field.label)
            field.help_text = self.help_texts.get(name, field.help_text)
            # One "Any" choice, never a row of dashes as well.
            if isinstance(field, forms.ModelChoiceField):
                field.empty_label = "Any"
            elif isinstance(field, forms.NullBooleanField):
                field.widget = forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")])
            elif isinstance(field, forms.ChoiceField):
                # With a text query, the list is ranked unless an order is chosen.
                newest = "Best match first" if self.request.GET.get("q", "").strip() else "Newest first"
                empty = newest if name == "ordering" else "Any"
                choices = [
                    (key, self.ordering_labels.get(key, label) if name == "ordering" else label)
                    for key, label in field.choices
                    if key != ""
                ]
                if hasattr(field, "empty_label"):  # django-filter's fields add their own blank choice
                    field.empty_label = empty
                    field.choices = choices
                else:
                    field.choices = [("", empty), *choices]
        for name, model in self.counted.items():
            self.offer_counted(filterset.form, name, model)
        return filterset

    def offer_counted(self, form, name, model):
        """The menu of `name`: "Any", then the rows with published notes, "Kazakhstan (4)"; the one
        chosen stays there even if it has none (one query, on the stored counters)."""
        field = form.fields[name]
        key = field.to_field_name or "pk"
        offered = list(model.objects.filter(published_note_count__gt=0))
        chosen = form.data.get(name, "") if form.is_bound else ""

        def code(row):
            value = str(getattr(row, key))
            return value.lower() if name in self.lower_case_codes else value

        choices = [(code(row), f"{row} ({row.published_note_count})") for row in offered]
        if chosen and chosen not in {value for value, _ in choices} and form.is_valid():
            row = form.cleaned_data.get(name)
            if row is not None:
                choices.append((code(row), f"{row} ({row.published_note_count})"))
        field.widget.choices = [("", "Any"), *choices]

    def get_queryset(self):
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    @cached_property
    def partial(self):
        """An htmx request: the results only (and, out of band, the form's count of filters in use)."""
        return bool(self.request.headers.get("HX-Request") and not self.request.headers.get("HX-Boosted"))

    def get_template_names(self):
        return [self.results_template_name] if self.partial else super().get_template_names()

    def active_filters(self):
        """The filters in use, as chips: what is chosen, in words, and the list's link without it."""
        form = self.filterset.form
        cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
        chips = []
        for name, field in form.fields.items():
            raw = self.request.GET.get(name, "").strip()
            if not raw or name == "ordering":
                continue
            value = cleaned.get(name, raw)
            if isinstance(value, models.Model):
                value = str(value)
            elif isinstance(value, datetime.date):
                value = date_format(value)
            elif isinstance(value, bool):
                value = "Yes" if value else "No"
            elif getattr(field.widget, "choices", None):  # a menu: its label, "General Assembly"
                value = {str(key): label for key, label in field.widget.choices}.get(str(value), value)
            params = self.request.GET.copy()
            params.pop(name)
            params.pop("page", None)
            query = params.urlencode()
            chips.append(
                {
                    "label": field.label,
                    "value": value,
                    "remove_url": f"?{query}" if query else self.request.path,
                }
            )
        return chips

    def get_context_data(self, **kwargs):
        form = self.filterset.form
        return super().get_context_data(
            filter=self.filterset,
            form=form,
            active_filters=self.active_filters(),
            partial=self.partial,
            ranked=self.filterset.ranked,
            **kwargs,
        )


class HomeView(TemplateView):
    """The overview, bounded whatever the size of the database: the few resolutions most recently
    worked on (with at most `paragraphs_shown` operative paragraphs each) and the latest notes."""

    template_name = "resolutions/home.html"
    tracked_shown = 5
    paragraphs_shown = 24
    recent_window = 200  # recent notes and assessments looked at to find the resolutions worked on

    def recently_tracked(self):
        """Ids of the resolutions with the newest published notes or assessments, newest first."""
        links = ImplementationNote.paragraphs.through.objects.filter(
            ImplementationNoteQuerySet.visible(prefix="implementationnote__")
        ).order_by("-implementationnote__start_date", "-implementationnote_id")
        dated = list(
            links.values_list("implementationnote__start_date", "paragraph__resolution_id")[
                : self.recent_window
            ]
        )
        assessed = (
            Assessment.objects.published()
            .order_by("-as_of", "-pk")
            .values_list("as_of", "paragraph__resolution_id")
        )
        dated += list(assessed[: self.recent_window])
        ids = []
        for _, resolution in sorted(dated, key=lambda pair: pair[0], reverse=True):
            if resolution not in ids:
                ids.append(resolution)
        return ids[: self.tracked_shown]

    def get_context_data(self, **kwargs):
        ids = self.recently_tracked()
        paragraphs = operative_with_status().order_by("resolution", "order")[: self.paragraphs_shown + 1]
        tracked = Resolution.objects.filter(pk__in=ids).prefetch_related(
            Prefetch("paragraphs", queryset=paragraphs, to_attr="operative_paragraphs")
        )
        tracked = sorted(tracked, key=lambda resolution: ids.index(resolution.pk))
        for resolution in tracked:
            shown = resolution.operative_paragraphs
            resolution.more_paragraphs = len(shown) > self.paragraphs_shown
            resolution.operative_paragraphs = shown[: self.paragraphs_shown]
        return super().get_context_data(
            resolutions=tracked,
            counts=remember(
                "home-counts",
                lambda: {"resolutions": Resolution.objects.count()},
            )
            | {"notes": remember("published-note-count", ImplementationNote.objects.published().count)},
            latest_resolutions=Resolution.objects.exclude(pk__in=ids).only("symbol", "title", "adopted_on")[
                :5
            ],
            latest_notes=published_notes()[:5],
            **kwargs,
        )


class ResolutionListView(FilteredListView):
    template_name = "resolutions/resolution_list.html"
    results_template_name = "includes/_resolution_results.html"
    filterset_class = ResolutionFilter
    paginate_by = 25

    def get_base_queryset(self):
        paragraph_count = (
            Paragraph.objects.filter(resolution=OuterRef("pk"))
            .order_by()
            .values("resolution")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return Resolution.objects.annotate(
            paragraph_count=Coalesce(Subquery(paragraph_count, output_field=IntegerField()), Value(0))
        )

    labels = {
        "session": "Session",
        "sdg": "Sustainable Development Goal",
        "theme": "Theme of its notes",
        "tracked": "Tracked",
        "cites": "Cites",
        "q": "Words",
    }
    help_texts = {
        "session": "e.g. 77; for the Security Council, a year",
        "theme": "",
        "tracked": "With published implementation notes",
        "cites": "A document it cites, e.g. A/RES/75/272",
        "subject": "",
        "q": "",
    }
    counted = {"theme": Theme}
    ordering_labels = {
        "date": "Oldest first",
        "-date": "Newest first by date",
        "symbol": "Symbol, lowest first",
        "-symbol": "Symbol, highest first",
        "session": "Session, earliest first",
        "-session": "Session, latest first",
    }

    @cached_property
    def filterset(self):
        filterset = super().filterset
        fields = filterset.form.fields
        fields["language"].widget = forms.Select(choices=[("", "Any"), *LANGUAGE_NAMES.items()])
        fields["sdg"].choices = [(number, f"{number}. {name}") for number, name in SDG_GOALS.items()]
        # Thousands of UN subject terms make no usable menu: a subject is chosen from a resolution's
        # page and shown here as an active filter.
        fields["subject"].widget = forms.HiddenInput()
        return filterset


class ResolutionDetailView(DetailView):
    model = Resolution
    slug_field = "symbol"
    slug_url_kwarg = "symbol"
    cited_by_shown = 50  # the resolution list filtered by ?cites= holds them all
    notes_beside_shown = 3  # the newest published notes beside each paragraph; its page holds the rest

    def get_queryset(self):
        return Resolution.objects.prefetch_related("texts", "subjects")

    def get_context_data(self, **kwargs):
        resolution = self.object
        shown_in = text_language(resolution, resolution.languages, self.request.GET.get("lang", ""))
        language = shown_in["language"]
        version = next((text for text in resolution.texts.all() if text.language == language), None)

        paragraphs = list(
            Paragraph.objects.filter(resolution=resolution)
            .with_current_status()
            .prefetch_related(
                Prefetch("texts", queryset=ParagraphText.objects.filter(language=language), to_attr="shown")
            )
        )
        by_id = {paragraph.pk: paragraph for paragraph in paragraphs}
        for paragraph in paragraphs:
            # The parent is in the list already: reuse it, so that labels and anchors cost no query.
            paragraph.resolution = resolution
            paragraph.depth = 0
            if paragraph.parent_id:
                paragraph.parent = by_id[paragraph.parent_id]
                paragraph.depth = paragraph.parent.depth + 1
            if paragraph.shown:
                # Shown in the chosen language; never saved.
                paragraph.lead_phrase, paragraph.text = (
                    paragraph.shown[0].lead_phrase,
                    paragraph.shown[0].text,
                )
                if language != resolution.language:  # each language keeps its own headings
                    paragraph.heading = paragraph.shown[0].heading

        # Tracked: a published note or assessment on one of its paragraphs. Status and note counts are
        # shown on tracked resolutions only, not as "Not assessed · 0 notes" under every paragraph.
        tracked = any(paragraph.published_note_count or paragraph.current_status for paragraph in paragraphs)
        self.attach_notes_beside(resolution, paragraphs)

        footnotes = list(Footnote.objects.filter(resolution=resolution, language=language))
        cited_in = Footnote.paragraphs.through.objects.filter(footnote__in=footnotes).order_by("paragraph_id")
        backlinks = {}
        for link in cited_in:
            if link.paragraph_id in by_id:
                backlinks.setdefault(link.footnote_id, []).append(by_id[link.paragraph_id])
        for footnote in footnotes:
            footnote.cited_in = backlinks.get(footnote.pk, [])

        references, seen = [], set()
        for reference in Reference.objects.filter(resolution=resolution).select_related("target"):
            if reference.symbol not in seen:
                seen.add(reference.symbol)
                references.append(reference)
        citing = (
            Reference.objects.filter(target=resolution).exclude(resolution=resolution).values("resolution")
        )
        cited_by = list(
            Resolution.objects.filter(pk__in=citing).only("symbol", "title")[: self.cited_by_shown + 1]
        )
        held = Resolution.objects.pages_by_symbol(
            {
                *(symbol for paragraph in paragraphs for symbol in cited_symbols(paragraph.text_html())),
                *(symbol for footnote in footnotes for symbol in find_references(footnote.text)),
            }
        )
        return super().get_context_data(
            paragraphs=paragraphs,
            tracked=tracked,
            held=held,
            un_url=un_document_url(resolution.symbol),
            subjects=resolution.subject_groups(),
            contents=table_of_contents(paragraphs),
            footnotes=footnotes,
            references=references,
            cited_by=cited_by[: self.cited_by_shown],
            more_cited_by=len(cited_by) > self.cited_by_shown,
            **shown_in,
            version=version,
            # The closing lines as the language shown prints them: an older import kept the meeting
            # in the primary language only.
            closing_meeting=(version.meeting if version else "") or resolution.meeting,
            closing_meeting_language=language if version and version.meeting else resolution.language,
            vote=recorded_vote(resolution, by_vote=self.request.GET.get("votes") == "by-vote"),
            votes_by_vote=self.request.GET.get("votes") == "by-vote",
            **kwargs,
        )

    def attach_notes_beside(self, resolution, paragraphs):
        """paragraph.notes_beside: its newest published notes, at most `notes_beside_shown`, for every
        paragraph in one query, whatever the number of paragraphs and notes (none when no paragraph
        has a published note)."""
        for paragraph in paragraphs:
            paragraph.notes_beside = []
        if not any(paragraph.published_note_count for paragraph in paragraphs):
            return
        by_id = {paragraph.pk: paragraph for paragraph in paragraphs}
        newest = Window(
            RowNumber(),
            partition_by=F("paragraph_id"),
            order_by=[F("implementationnote__start_date").desc(), F("implementationnote_id").desc()],
        )
        links = (
            ImplementationNote.paragraphs.through.objects.filter(
                ImplementationNoteQuerySet.visible(prefix="implementationnote__"),
                paragraph__resolution=resolution,
            )
            .annotate(newest=newest)
            .filter(newest__lte=self.notes_beside_shown)
            .select_related("implementationnote")
            .only("paragraph_id", *(f"implementationnote__{name}" for name in NOTE_BESIDE_FIELDS))
            .order_by("paragraph_id", "newest")
        )
        for link in links:
            if link.paragraph_id in by_id:
                by_id[link.paragraph_id].notes_beside.append(link.implementationnote)


# What a note beside its paragraph shows: its title, dates and kind, as a link.
NOTE_BESIDE_FIELDS = ("id", "title", "start_date", "end_date", "kind", "is_demo")


def table_of_contents(paragraphs: list[Paragraph]) -> list[dict]:
    """The sections' and annexes' headings in reading order, each with the anchor the page gives it;
    a heading inside an annex sits one level below the annex."""
    contents, annex = [], ""
    for paragraph in paragraphs:
        if paragraph.annex != annex:
            annex = paragraph.annex
            if annex:
                contents.append(
                    {"anchor": f"annex-{slugify(annex)}", "title": paragraph.annex_heading, "level": 1}
                )
        if paragraph.heading:
            contents.append(
                {
                    "anchor": f"heading-{paragraph.anchor}",
                    "title": paragraph.heading,
                    "level": 2 if annex else 1,
                }
            )
    return contents


SECTION_ADDRESS = re.compile(r"(?P<section>(?:[IVXLC]+|[A-Z])(?:\.[A-Z])?)\.(?P<number>\d[\w.]*)")


class ParagraphDetailView(DetailView):
    template_name = "resolutions/paragraph_detail.html"
    context_object_name = "paragraph"
    notes_shown = 25  # the newest; the notes list filtered to this paragraph holds them all

    def get_object(self, queryset=None):
        # "II.3" is paragraph 3 of section II; a bare "3" is the first paragraph numbered 3, as
        # addressed before sections were stored.
        address = self.kwargs["number"]
        section = SECTION_ADDRESS.fullmatch(address)
        wanted = (
            {"section": section["section"], "number": section["number"]} if section else {"number": address}
        )
        # Its words (and its sub-paragraphs', and the resolution's title) in the language asked for,
        # and the languages held, come with the rows: no query more than in the primary language.
        requested = self.request.GET.get("lang", "")
        paragraph = (
            Paragraph.objects.operative()
            .in_language(requested)
            .with_resolution_languages(requested)
            .select_related("resolution", "mandate")
            .prefetch_related(
                Prefetch(
                    "subparagraphs",
                    queryset=Paragraph.objects.in_language(requested).prefetch_related(
                        Prefetch("subparagraphs", queryset=Paragraph.objects.in_language(requested))
                    ),
                )
            )
            .filter(resolution__symbol=self.kwargs["symbol"], **wanted)
            .first()
        )
        if paragraph is None:
            raise Http404("No such operative paragraph.")
        return paragraph

    def show_in_language(self, paragraph):
        """Its words, and its sub-paragraphs', in the language asked for where held (never saved)."""
        if paragraph.shown_text is not None:
            paragraph.lead_phrase, paragraph.text = paragraph.shown_lead_phrase, paragraph.shown_text
        for subparagraph in paragraph.subparagraphs.all():
            self.show_in_language(subparagraph)

    def get_context_data(self, **kwargs):
        paragraph = self.object
        resolution = paragraph.resolution
        held = resolution.primary_first(filter(None, (paragraph.held_languages or "").split(",")))
        shown_in = text_language(resolution, held, self.request.GET.get("lang", ""))
        if shown_in["language"] == self.request.GET.get("lang"):
            self.show_in_language(paragraph)
        # The resolution's operative paragraphs, in the same query whether any is tracked (a published
        # note or assessment): an untracked resolution's paragraph shows no empty status or notes.
        operative = (
            Paragraph.objects.operative()
            .filter(resolution=paragraph.resolution)
            .annotate(assessed=Exists(Assessment.objects.published().filter(paragraph=OuterRef("pk"))))
            .values_list("section", "number", "published_note_count", "assessed")
        )
        siblings, tracked = [], False
        for section, number, note_count, assessed in operative:
            siblings.append(f"{section}.{number}" if section else number)
            tracked = tracked or bool(note_count) or assessed
        position = siblings.index(paragraph.address) if paragraph.address in siblings else -1
        notes = published_notes().filter(linked_to(ImplementationNote, "paragraphs", pk=paragraph.pk))
        shown = [paragraph]
        for child in paragraph.subparagraphs.all():
            shown += [child, *child.subparagraphs.all()]
        held = Resolution.objects.pages_by_symbol(
            symbol for each in shown for symbol in cited_symbols(each.text_html())
        )
        return super().get_context_data(
            held=held,
            un_url=un_document_url(paragraph.resolution.symbol),
            assessments=Assessment.objects.published().filter(paragraph=paragraph).order_by("-as_of", "-pk"),
            notes=notes[: self.notes_shown],
            note_count=paragraph.published_note_count,
            tracked=tracked,
            previous_number=siblings[position - 1] if position > 0 else None,
            next_number=siblings[position + 1] if 0 <= position < len(siblings) - 1 else None,
            **shown_in,
            title=paragraph.shown_title or resolution.title,
            **kwargs,
        )


class NoteListView(FilteredListView):
    template_name = "resolutions/note_list.html"
    results_template_name = "includes/_note_results.html"
    filterset_class = NoteFilter
    context_object_name = "notes"
    paginate_by = 25
    date_fields = ("date_from", "date_to")
    labels = {"paragraph": "Operative paragraph", "date_from": "From", "date_to": "To", "q": "Words"}
    help_texts = {
        "resolution": "Its symbol, e.g. A/RES/77/273",
        "paragraph": "Its number, e.g. 3",
        "country": "",
        "theme": "",
        "entity": "",
        "date_from": "",
        "date_to": "",
        "q": "",
    }
    counted = {"country": Country, "theme": Theme, "entity": Entity}
    ordering_labels = {
        "date": "Oldest first",
        "-date": "Newest first by date",
        "title": "Title, A to Z",
        "-title": "Title, Z to A",
    }
    lower_case_codes = ("country",)

    def get_base_queryset(self):
        return published_notes()


class NoteDetailView(DetailView):
    template_name = "resolutions/note_detail.html"
    context_object_name = "note"

    def get_queryset(self):
        return published_notes(sources=True)

    def get_context_data(self, **kwargs):
        held = Resolution.objects.pages_by_symbol(cited_symbols(self.object.body_html))
        return super().get_context_data(held=held, **kwargs)


class VocabularyDetailView(DetailView):
    """A country, theme or partner: its latest published notes, and the paragraphs and resolutions
    those notes implement. Bounded: the notes list (linked) holds the rest."""

    note_lookup = None  # the ImplementationNote field that points at the object
    paginate_notes = 25

    def get_context_data(self, **kwargs):
        notes = published_notes().filter(linked_to(ImplementationNote, self.note_lookup, pk=self.object.pk))
        shown = list(notes[: self.paginate_notes])
        paragraph_ids = {paragraph.pk for note in shown for paragraph in note.paragraph_list}
        paragraphs = list(
            operative_with_status()
            .filter(pk__in=paragraph_ids)
            .select_related("resolution", "parent")
            .order_by("resolution__sort_key", "order")
        )
        resolutions = {paragraph.resolution_id: paragraph.resolution for paragraph in paragraphs}
        return super().get_context_data(
            notes=shown,
            note_count=self.object.published_note_count,  # kept in step by resolutions.counters
            paragraphs=paragraphs,
            related_resolutions=sorted(resolutions.values(), key=lambda resolution: resolution.sort_key),
            note_list_url=reverse("resolutions:note-list")
            + "?"
            + urlencode({self.note_filter_param: self.filter_value()}),
            note_csv_url=self.api_notes_url("csv"),
            note_json_url=self.api_notes_url("json"),
            **kwargs,
        )

    def api_notes_url(self, fmt):
        """Its published notes from the API, as the notes list filtered to it gives them."""
        query = urlencode({self.note_filter_param: self.filter_value(), "format": fmt})
        return f"{reverse('api:note-list')}?{query}"


class CountryDetailView(VocabularyDetailView):
    model = Country
    note_lookup = "countries"
    note_filter_param = "country"

    def get_object(self, queryset=None):
        country = Country.objects.filter(alpha3__iexact=self.kwargs["iso"]).first()
        if country is None:
            raise Http404("No country with that ISO 3166 code.")
        return country

    def filter_value(self):
        return self.object.alpha3.lower()

    votes_per_page = 25

    def get_context_data(self, **kwargs):
        votes = CountryVote.objects.filter(country=self.object)
        # Its totals, in the UN's order; their sum is the paginator's count (no second count).
        cast = dict(votes.order_by().values_list("vote").annotate(count=Count("pk")))
        totals = [(key, label, cast.get(key, 0)) for key, label in VoteCast.choices]
        newest = votes.select_related("resolution").order_by(
            "-resolution__adopted_on", "-resolution__sort_key"
        )
        paginator = Paginator(newest, self.votes_per_page)
        paginator.count = sum(cast.values())
        return super().get_context_data(
            votes=paginator.get_page(self.request.GET.get("page")),
            vote_totals=totals,
            vote_count=paginator.count,
            **kwargs,
        )


def csv_response(filename, header, rows):
    """A small CSV download (a vote's 193 rows, a country's few thousand votes), written at once."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def resolution_votes_csv(request, symbol):
    """How each Member State voted on a resolution, as on its page."""
    resolution = get_object_or_404(Resolution, symbol=symbol)
    vote = recorded_vote(resolution)
    if vote is None:
        raise Http404("No recorded vote on this resolution.")
    return csv_response(
        f"{re.sub(r'[^A-Za-z0-9]+', '_', symbol).strip('_')}_votes.csv",
        ["member_state", "iso3", "vote"],
        (
            [state.name, state.country.alpha3 if state.country else "", state.vote_label]
            for state in vote.states
        ),
    )


def country_votes_csv(request, iso):
    """Every recorded vote of a country, newest first, as in the table on its page."""
    country = Country.objects.filter(alpha3__iexact=iso).first()
    if country is None:
        raise Http404("No country with that ISO 3166 code.")
    votes = (
        CountryVote.objects.filter(country=country)
        .select_related("resolution")
        .order_by("-resolution__adopted_on", "-resolution__sort_key")
    )
    return csv_response(
        f"{country.alpha3.lower()}_votes.csv",
        ["symbol", "title", "adopted_on", "vote"],
        (
            [
                vote.resolution.symbol,
                vote.resolution.title,
                vote.resolution.adopted_on.isoformat() if vote.resolution.adopted_on else "",
                vote.get_vote_display(),
            ]
            for vote in votes.iterator(chunk_size=1000)
        ),
    )


class ThemeDetailView(VocabularyDetailView):
    model = Theme
    note_lookup = "themes"
    note_filter_param = "theme"

    def filter_value(self):
        return self.object.slug


class EntityDetailView(VocabularyDetailView):
    model = Entity
    note_lookup = "entities"
    note_filter_param = "entity"

    def filter_value(self):
        return self.object.slug


class SearchView(TemplateView):
    template_name = "resolutions/search.html"
    per_group = 10  # hits of each kind when every kind is shown
    per_page = 20  # hits on a page of one kind

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET)
        context = {"form": form, "query": "", "groups": [], "suggestion": "", "kind": ""}
        if form.is_valid() and form.cleaned_data["q"]:
            data = form.cleaned_data
            kind = data["kind"]
            groups = search.search_all(
                data["q"],
                limit=self.per_page if kind else self.per_group,
                kinds=[kind] if kind else None,
                page=self.request.GET.get("page", 1),
                body=data["body"],
                session=data["session"],
            )
            # Nothing found by the words themselves: perhaps a misspelling.
            if all(group.total == 0 or group.fuzzy for group in groups):
                context["suggestion"] = search.suggest(data["q"])
            context.update(
                query=data["q"], groups=groups, kind=kind, narrowed=data["body"] or data["session"]
            )
        elif form.is_bound and "q" in form.errors:
            context["query"] = self.request.GET.get("q", "")
        return super().get_context_data(**context, **kwargs)
