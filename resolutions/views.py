"""The public website: every page reads through the shared FilterSets and published() only."""

from urllib.parse import urlencode

from django import forms
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import DetailView, ListView, TemplateView

from resolutions import search
from resolutions.filters import NoteFilter, ResolutionFilter, published_notes_on
from resolutions.models import (
    Assessment,
    Country,
    CountryVote,
    Entity,
    Footnote,
    ImplementationNote,
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


def published_notes():
    """Published notes with what a note card shows, in a fixed number of queries."""
    return ImplementationNote.objects.published().prefetch_related(
        Prefetch("paragraphs", queryset=Paragraph.objects.select_related("resolution", "parent")),
        "countries",
        "entities",
        "themes",
    )


def published_note_count():
    """How many published notes implement the paragraph of the outer row (a subquery, not a join)."""
    counts = (
        ImplementationNote.objects.published()
        .filter(paragraphs=OuterRef("pk"))
        .order_by()
        .values("paragraphs")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def operative_with_status():
    """Operative paragraphs with their current status and how many published notes they have."""
    return (
        Paragraph.objects.operative().with_current_status().annotate(published_notes=published_note_count())
    )


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
                empty = "Newest first" if name == "ordering" else "Any"
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
        return super().get_context_data(filter=self.filterset, form=form, active_filters=active, **kwargs)


class HomeView(TemplateView):
    template_name = "resolutions/home.html"

    def get_context_data(self, **kwargs):
        assessed = Assessment.objects.filter(paragraph__resolution=OuterRef("pk"))
        tracked = Resolution.objects.filter(
            Exists(published_notes_on(OuterRef("pk"))) | Exists(assessed)
        ).prefetch_related(
            Prefetch("paragraphs", queryset=operative_with_status(), to_attr="operative_paragraphs")
        )
        return super().get_context_data(
            resolutions=tracked,
            counts={
                "resolutions": Resolution.objects.count(),
                "paragraphs": Paragraph.objects.operative().count(),
                "notes": ImplementationNote.objects.published().count(),
            },
            latest_resolutions=Resolution.objects.exclude(pk__in=tracked.values("pk"))[:5],
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
            .annotate(published_notes=published_note_count())
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
        cited_by = (
            Resolution.objects.filter(references__target=resolution).exclude(pk=resolution.pk).distinct()
        )
        return super().get_context_data(
            paragraphs=paragraphs,
            footnotes=footnotes,
            references=references,
            cited_by=cited_by,
            language=language,
            language_dir="rtl" if language in RTL_LANGUAGES else "ltr",
            languages=[(code, LANGUAGE_NAMES.get(code, code)) for code in languages],
            version=version,
            votes=CountryVote.objects.filter(resolution=resolution).select_related("country"),
            **kwargs,
        )


class ParagraphDetailView(DetailView):
    template_name = "resolutions/paragraph_detail.html"
    context_object_name = "paragraph"

    def get_object(self, queryset=None):
        # Resolutions in several sections restart their numbering: "op 1" is the first one.
        paragraph = (
            Paragraph.objects.operative()
            .select_related("resolution")
            .prefetch_related(
                Prefetch("subparagraphs", queryset=Paragraph.objects.prefetch_related("subparagraphs"))
            )
            .filter(resolution__symbol=self.kwargs["symbol"], number=self.kwargs["number"])
            .first()
        )
        if paragraph is None:
            raise Http404("No such operative paragraph.")
        return paragraph

    def get_context_data(self, **kwargs):
        paragraph = self.object
        siblings = list(
            Paragraph.objects.operative()
            .filter(resolution=paragraph.resolution)
            .values_list("number", flat=True)
        )
        position = siblings.index(paragraph.number) if paragraph.number in siblings else -1
        return super().get_context_data(
            assessments=Assessment.objects.filter(paragraph=paragraph).order_by("-as_of", "-pk"),
            notes=published_notes().filter(paragraphs=paragraph).order_by("-start_date", "-pk"),
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
        return published_notes().prefetch_related("sources")


class VocabularyDetailView(DetailView):
    """A country, theme or partner: its published notes, the paragraphs and resolutions they concern."""

    note_lookup = None  # the ImplementationNote field that points at the object
    paginate_notes = 25

    def get_context_data(self, **kwargs):
        notes = published_notes().filter(**{self.note_lookup: self.object})
        paragraphs = (
            Paragraph.objects.filter(notes__in=notes.values("pk"))
            .distinct()
            .select_related("resolution", "parent")
            .with_current_status()
            .annotate(published_notes=published_note_count())
            .order_by("resolution__symbol", "order")
        )
        resolutions = Resolution.objects.filter(paragraphs__notes__in=notes.values("pk")).distinct()
        return super().get_context_data(
            notes=notes[: self.paginate_notes],
            note_count=notes.count(),
            paragraphs=paragraphs,
            related_resolutions=resolutions,
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

    def get_context_data(self, **kwargs):
        votes = CountryVote.objects.filter(country=self.object).select_related("resolution")
        return super().get_context_data(votes=votes, **kwargs)


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
