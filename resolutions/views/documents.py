"""Resolutions and their paragraphs: the overview, the list, a resolution, an operative paragraph."""

import re

from django import forms
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, TemplateView

from resolutions import charts
from resolutions.cache import remember
from resolutions.filters import ResolutionFilter, linked_to, published_note_total
from resolutions.lineage import earlier_status
from resolutions.markup import cited_symbols
from resolutions.models import (
    SECTION_ADDRESS,
    Assessment,
    Footnote,
    ImplementationNote,
    ImplementationNoteQuerySet,
    Paragraph,
    ParagraphText,
    Reference,
    Resolution,
    SeriesLink,
    Theme,
)
from resolutions.sdg import SDG_GOALS
from resolutions.symbols import find_references, un_document_url
from resolutions.views.common import (
    LANGUAGE_NAMES,
    FilteredListView,
    csv_response,
    interface_text_language,
    language_name,
    operative_with_status,
    published_notes,
    text_language,
)
from resolutions.votes import recorded_vote


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
        for _date, resolution in sorted(dated, key=lambda pair: pair[0], reverse=True):
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
            | {"notes": published_note_total()},
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
        "session": gettext_lazy("Session"),
        "sdg": gettext_lazy("Sustainable Development Goal"),
        "theme": gettext_lazy("Theme of its notes"),
        "tracked": gettext_lazy("Tracked"),
        "cites": gettext_lazy("Cites"),
        "q": gettext_lazy("Words"),
    }
    help_texts = {
        "session": gettext_lazy("e.g. 77; for the Security Council, a year"),
        "theme": "",
        "tracked": gettext_lazy("With published implementation notes"),
        "cites": gettext_lazy("A document it cites, e.g. A/RES/75/272"),
        "subject": "",
        "q": "",
    }
    counted = {"theme": Theme}
    ordering_labels = {
        "date": gettext_lazy("Oldest first"),
        "-date": gettext_lazy("Newest first by date"),
        "symbol": gettext_lazy("Symbol, lowest first"),
        "-symbol": gettext_lazy("Symbol, highest first"),
        "session": gettext_lazy("Session, earliest first"),
        "-session": gettext_lazy("Session, latest first"),
    }

    @cached_property
    def filterset(self):
        filterset = super().filterset
        fields = filterset.form.fields
        # Named in the interface's language, as the other filters' choices are.
        fields["language"].widget = forms.Select(
            choices=[("", _("Any")), *((code, language_name(code)) for code in LANGUAGE_NAMES)]
        )
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
        return Resolution.objects.select_related("series", "predecessor_link__predecessor").prefetch_related(
            "texts",
            "subjects",
            Prefetch("successor_links", queryset=SeriesLink.objects.select_related("successor")),
        )

    def get_context_data(self, **kwargs):
        resolution = self.object
        shown_in = text_language(
            resolution, resolution.languages, self.request.GET.get("lang", ""), interface_text_language()
        )
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
NOTE_BESIDE_FIELDS = ("id", "title", "language", "start_date", "end_date", "kind", "is_demo")


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


class ParagraphDetailView(DetailView):
    template_name = "resolutions/paragraph_detail.html"
    context_object_name = "paragraph"
    notes_shown = 25  # the newest; the notes list filtered to this paragraph holds them all
    assessments_shown = 100  # the newest; more would be years of weekly judgements
    earlier_notes_shown = 5  # on the paragraph it continues; that paragraph's page holds them all

    def get_object(self, queryset=None):
        # "II.3" is paragraph 3 of section II; a bare "3" is the first paragraph numbered 3, as
        # addressed before sections were stored.
        address = self.kwargs["number"]
        section = SECTION_ADDRESS.fullmatch(address)
        wanted = (
            {"section": section["section"], "number": section["number"]} if section else {"number": address}
        )
        # Its words (and its sub-paragraphs', and the resolution's title) in the language wanted (asked
        # for, else the interface's), and the languages held, come with the rows: no query more than in
        # the primary language.
        language = self.wanted_language()
        paragraph = (
            Paragraph.objects.operative()
            .in_language(language)
            .with_resolution_languages(language)
            .select_related("resolution", "mandate")
            .prefetch_related(
                Prefetch(
                    "subparagraphs",
                    queryset=Paragraph.objects.in_language(language).prefetch_related(
                        Prefetch("subparagraphs", queryset=Paragraph.objects.in_language(language))
                    ),
                )
            )
            .filter(resolution__symbol=self.kwargs["symbol"], **wanted)
            .first()
        )
        if paragraph is None:
            raise Http404("No such operative paragraph.")
        return paragraph

    def wanted_language(self):
        """The language its words are read in with the row: the one asked for (?lang=), else the
        interface's; get_context_data reads them again in the interface's when the one asked for is
        not held and the interface's is."""
        return (
            getattr(self, "fallback_language", "")
            or self.request.GET.get("lang", "")
            or interface_text_language()
        )

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
        requested = self.request.GET.get("lang", "")
        shown_in = text_language(resolution, held, requested, interface_text_language())
        language = shown_in["language"]
        if language not in (self.wanted_language(), resolution.language):
            # Asked for one not held: shown in the interface's, whose words the row did not bring.
            self.fallback_language = language
            self.object = paragraph = self.get_object()
        # Its own words are the primary language's: another's replace them where held (never saved).
        translated = language == self.wanted_language() and (requested or language != resolution.language)
        if translated:
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
        assessments = list(
            Assessment.objects.published()
            .filter(paragraph=paragraph)
            .order_by("-as_of", "-pk")[: self.assessments_shown + 1]
        )
        notes = list(notes[: self.notes_shown])
        # The paragraph it continues in the predecessor, with that one's public status and notes.
        continued, earlier_assessment = earlier_status(paragraph)
        earlier_notes = []
        if continued is not None:
            earlier_notes = published_notes().filter(
                linked_to(ImplementationNote, "paragraphs", pk=continued.predecessor_paragraph_id)
            )[: self.earlier_notes_shown]
        return super().get_context_data(
            continued=continued,
            earlier_assessment=earlier_assessment,
            earlier_notes=earlier_notes,
            held=held,
            un_url=un_document_url(paragraph.resolution.symbol),
            assessments=assessments[: self.assessments_shown],
            more_assessments=len(assessments) > self.assessments_shown,
            timeline=status_timeline(paragraph, assessments[: self.assessments_shown], notes),
            timeline_events=sorted(
                [
                    {"kind": "assessment", "date": item.as_of, "item": item}
                    for item in assessments[: self.assessments_shown]
                ]
                + [{"kind": "note", "date": item.start_date, "item": item} for item in notes],
                key=lambda event: event["date"],
                reverse=True,
            ),
            notes=notes,
            note_count=paragraph.published_note_count,
            tracked=tracked,
            previous_number=siblings[position - 1] if position > 0 else None,
            next_number=siblings[position + 1] if 0 <= position < len(siblings) - 1 else None,
            **shown_in,
            title=(paragraph.shown_title if translated else None) or resolution.title,
            **kwargs,
        )


def status_timeline(paragraph, assessments, notes):
    """The paragraph's published assessments and newest notes on one time axis, from the resolution's
    adoption: an SVG strip (resolutions.charts) whose table is the page's ordered list of them."""
    events = [
        charts.Event(
            assessment.as_of,
            "assessment",
            assessment.rationale,
            assessment.status,
            assessment.get_status_display(),
        )
        for assessment in assessments
    ] + [charts.Event(note.start_date, "note", note.title, href=note.get_absolute_url()) for note in notes]
    if not events:
        return None
    return charts.timeline_strip(
        "status-timeline",
        _("Timeline of %(paragraph)s") % {"paragraph": paragraph.label},
        events,
        start=paragraph.resolution.adopted_on,
        width=420,  # its text stays readable on a phone
    )


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
