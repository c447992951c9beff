"""The public website: every page reads through the shared FilterSets and published() only."""

import re
from urllib.parse import urlencode

from django import forms
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.views.generic import DetailView, ListView, TemplateView

from resolutions import search
from resolutions.cache import remember
from resolutions.filters import NoteFilter, ResolutionFilter, linked_to
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
)

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


def published_notes(sources=False):
    """Published notes with what a note card shows, in a fixed number of queries."""
    return ImplementationNote.objects.published().with_links(sources=sources)


def operative_with_status():
    """Operative paragraphs with their current status (and, stored on each, how many published notes
    they have: published_note_count)."""
    return Paragraph.objects.operative().with_current_status()


class FilteredListView(ListView):
    """A list driven by one of the shared FilterSets. Invalid values become form errors shown on
    the page (with no rows), never a server error. htmx requests get the results only."""

    filterset_class = None
    results_template_name = None
    date_fields = ()

    def get_base_queryset(self):
        raise NotImplementedError

    @cached_property
    def filterset(self):
        filterset = self.filterset_class(self.request.GET or None, queryset=self.get_base_queryset())
        for name in self.date_fields:
            filterset.form.fields[name].widget.input_type = "date"
        for name, field in filterset.form.fields.items():
            # Menus say "Any" rather than a row of dashes.
            if isinstance(field, forms.ModelChoiceField):
                field.empty_label = "Any"
            elif isinstance(field, forms.NullBooleanField):
                field.widget = forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")])
            elif isinstance(field, forms.ChoiceField):
                # With a text query, the list is ranked unless an order is chosen.
                newest = "Best match first" if self.request.GET.get("q", "").strip() else "Newest first"
                empty = newest if name == "ordering" else "Any"
                field.choices = [("", empty), *(choice for choice in field.choices if choice[0] != "")]
        return filterset

    def get_queryset(self):
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get_template_names(self):
        if self.request.headers.get("HX-Request") and not self.request.headers.get("HX-Boosted"):
            return [self.results_template_name]
        return super().get_template_names()

    def get_context_data(self, **kwargs):
        form = self.filterset.form
        active = [name for name in form.fields if self.request.GET.get(name) and name != "ordering"]
        return super().get_context_data(
            filter=self.filterset, form=form, active_filters=active, ranked=self.filterset.ranked, **kwargs
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

    @cached_property
    def filterset(self):
        filterset = super().filterset
        fields = filterset.form.fields
        fields["language"].widget = forms.Select(choices=[("", "Any"), *LANGUAGE_NAMES.items()])
        # Thousands of UN subject terms make no usable menu: a subject is chosen from a resolution's
        # page and shown here as an active filter.
        fields["subject"].widget = forms.HiddenInput()
        return filterset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.filterset.is_valid():
            context["subject"] = self.filterset.form.cleaned_data.get("subject")
        return context


class ResolutionDetailView(DetailView):
    model = Resolution
    slug_field = "symbol"
    slug_url_kwarg = "symbol"
    cited_by_shown = 50  # the resolution list filtered by ?cites= holds them all

    def get_queryset(self):
        return Resolution.objects.prefetch_related("texts", "subjects")

    def get_context_data(self, **kwargs):
        resolution = self.object
        languages = resolution.languages
        language = self.request.GET.get("lang", "")
        if language not in languages:
            language = resolution.language if resolution.language in languages else languages[0]
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
        return super().get_context_data(
            paragraphs=paragraphs,
            contents=table_of_contents(paragraphs),
            footnotes=footnotes,
            references=references,
            cited_by=cited_by[: self.cited_by_shown],
            more_cited_by=len(cited_by) > self.cited_by_shown,
            language=language,
            language_dir="rtl" if language in RTL_LANGUAGES else "ltr",
            languages=[(code, LANGUAGE_NAMES.get(code, code)) for code in languages],
            version=version,
            votes=CountryVote.objects.filter(resolution=resolution).select_related("country"),
            **kwargs,
        )


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
        paragraph = (
            Paragraph.objects.operative()
            .select_related("resolution")
            .prefetch_related(
                Prefetch("subparagraphs", queryset=Paragraph.objects.prefetch_related("subparagraphs"))
            )
            .filter(resolution__symbol=self.kwargs["symbol"], **wanted)
            .first()
        )
        if paragraph is None:
            raise Http404("No such operative paragraph.")
        return paragraph

    def get_context_data(self, **kwargs):
        paragraph = self.object
        siblings = [
            f"{section}.{number}" if section else number
            for section, number in Paragraph.objects.operative()
            .filter(resolution=paragraph.resolution)
            .values_list("section", "number")
        ]
        position = siblings.index(paragraph.address) if paragraph.address in siblings else -1
        notes = published_notes().filter(linked_to(ImplementationNote, "paragraphs", pk=paragraph.pk))
        return super().get_context_data(
            assessments=Assessment.objects.published().filter(paragraph=paragraph).order_by("-as_of", "-pk"),
            notes=notes[: self.notes_shown],
            note_count=paragraph.published_note_count,
            previous_number=siblings[position - 1] if position > 0 else None,
            next_number=siblings[position + 1] if 0 <= position < len(siblings) - 1 else None,
            **kwargs,
        )


class NoteListView(FilteredListView):
    template_name = "resolutions/note_list.html"
    results_template_name = "includes/_note_results.html"
    filterset_class = NoteFilter
    context_object_name = "notes"
    paginate_by = 25
    date_fields = ("date_from", "date_to")

    def get_base_queryset(self):
        return published_notes()


class NoteDetailView(DetailView):
    template_name = "resolutions/note_detail.html"
    context_object_name = "note"

    def get_queryset(self):
        return published_notes(sources=True)


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
            .order_by("resolution__symbol", "order")
        )
        resolutions = {paragraph.resolution_id: paragraph.resolution for paragraph in paragraphs}
        return super().get_context_data(
            notes=shown,
            note_count=self.object.published_note_count,  # kept in step by resolutions.counters
            paragraphs=paragraphs,
            related_resolutions=sorted(resolutions.values(), key=lambda resolution: resolution.symbol),
            note_list_url=reverse("resolutions:note-list")
            + "?"
            + urlencode({self.note_filter_param: self.filter_value()}),
            **kwargs,
        )


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

    votes_shown = 50

    def get_context_data(self, **kwargs):
        votes = CountryVote.objects.filter(country=self.object)
        newest = votes.select_related("resolution").order_by("-resolution__adopted_on", "resolution__symbol")
        return super().get_context_data(votes=newest[: self.votes_shown], vote_count=votes.count(), **kwargs)


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
    per_group = 20

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()
        context = {"query": query, "error": "", "groups": []}
        if len(query) > search.MAX_QUERY_LENGTH:
            context["error"] = f"Please search with at most {search.MAX_QUERY_LENGTH} characters."
        elif query and not search.terms(query):
            context["error"] = "Please search with at least one word or number."
        elif query:
            context["groups"] = search.search_all(query, limit=self.per_group)
        return super().get_context_data(**context, **kwargs)
