"""One FilterSet per list, shared by the HTML pages and the REST API: the same query string
gives the same rows on both. Parameter names are short and stable."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters.constants import EMPTY_VALUES
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from resolutions import search
from resolutions.cache import remember
from resolutions.mandates import ADDRESSEE_CHOICES, RequestClass
from resolutions.models import (
    Assessment,
    Body,
    Country,
    Entity,
    ImplementationNote,
    Mandate,
    NoteKind,
    Paragraph,
    ParagraphAlignment,
    ParagraphChange,
    ParagraphKind,
    Reference,
    Resolution,
    ResolutionText,
    Series,
    Subject,
    SubjectScheme,
    Theme,
)


class CodeChoiceField(forms.ModelChoiceField):
    """A choice by code in any case: ``kaz``, ``KAZ``."""

    def to_python(self, value):
        return super().to_python(value.strip().upper() if isinstance(value, str) else value)


def linked_to(model, relation, **conditions):
    """Rows of `model` linked through the many-to-many `relation` to targets meeting `conditions`:
    a semi-join on the link table (``pk IN (SELECT ...)``), so no row repeats and the list needs no
    DISTINCT, and the database may read the link table from whichever end is cheaper."""
    field = model._meta.get_field(relation)
    target = field.m2m_reverse_field_name()
    links = field.remote_field.through.objects.filter(
        **{f"{target}__{lookup}" if lookup != "pk" else target: value for lookup, value in conditions.items()}
    )
    return Q(pk__in=links.values(field.m2m_field_name()))


def has_link(model, relation, pk):
    """Rows of `model` linked through `relation` to the target `pk`, asked of each row in turn
    (``EXISTS``, one lookup in the link table's unique index per row): for a list already narrowed
    to a few rows, where the semi-join of linked_to would first list every row linked to the target
    (on SQLite, every note with a theme: a cost that grows with the whole table)."""
    field = model._meta.get_field(relation)
    through = field.remote_field.through
    return Exists(
        through.objects.filter(**{field.m2m_field_name(): OuterRef("pk"), field.m2m_reverse_field_name(): pk})
    )


# The rows a list shows a page of: what walking the notes in the list's order has to find.
WALK_PAGE = 50
# A target with at most this many notes is listed whatever the total: listing and sorting a thousand
# links takes about a millisecond (and the total need not be asked).
LISTED_AT_MOST = 1000


def published_note_total():
    """How many notes are published: one count, kept in the shared cache until public content changes."""
    return remember("published-note-count", ImplementationNote.objects.published().count)


def common(target) -> bool:
    """Whether so many published notes link to `target` (a country, theme or partner: its stored
    counter, resolutions.counters) that a page of them is found sooner by walking the notes in the
    list's own order (its index) and asking each whether it links to `target` (has_link) than by
    listing every note linked to it and sorting them (linked_to). Listing costs the target's n notes,
    whatever the page; walking costs about WALK_PAGE x total / n lookups: walking wins once
    n x n > WALK_PAGE x total. At the generated scale KAZ has 36,653 of 200,006 notes: the newest 50
    in 0.1 ms walking against 150-185 ms listing and sorting; a country with ten notes is listed."""
    count = getattr(target, "published_note_count", None) or 0
    return count > LISTED_AT_MOST and count * count > WALK_PAGE * published_note_total()


def linked(model, relation, target):
    """Rows of `model` linked through `relation` to `target`, in the cheaper of the two ways: a lookup
    per row (has_link) for notes of a common target, else the semi-join (linked_to). The same rows."""
    if model is ImplementationNote and common(target):
        return has_link(model, relation, target.pk)
    return linked_to(model, relation, pk=target.pk)


class LinkedChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice among a many-to-many relation (`field_name`), filtered by a semi-join on its link table,
    or by a lookup per row when the FilterSet says its list is already narrow (``narrowed()``) or the
    target is common (``linked``)."""

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        narrowed = getattr(self.parent, "narrowed", None)
        if narrowed is not None and narrowed():
            return qs.filter(has_link(qs.model, self.field_name, value.pk))
        return qs.filter(linked(qs.model, self.field_name, value))


class CountryFilter(LinkedChoiceFilter):
    field_class = CodeChoiceField


@extend_schema_field(OpenApiTypes.STR)  # the API's schema: a slug, whatever method filters with it
class SlugChoiceFilter(LinkedChoiceFilter):
    """A choice among a vocabulary by slug, with a message that names what was not found."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)


class TiebreakOrderingFilter(django_filters.OrderingFilter):
    """An ordering that ends with `tiebreak` in the same direction as the first field chosen, so
    rows that tie (one session, one date) come in a fixed order and pages never overlap."""

    def __init__(self, *args, tiebreak, **kwargs):
        self.tiebreak = tiebreak
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        ordered = super().filter(qs, value)
        fields = ordered.query.order_by
        if value in EMPTY_VALUES or not fields or fields[-1].lstrip("-") == self.tiebreak:
            return ordered
        return ordered.order_by(*fields, f"-{self.tiebreak}" if fields[0].startswith("-") else self.tiebreak)


def published_notes_on(resolution_ref):
    return ImplementationNote.objects.published().filter(paragraphs__resolution=resolution_ref)


class TextQuery(django_filters.FilterSet):
    """``q``: rows whose text matches every word, best first (resolutions.search.rank), applied after
    every other filter. A list filtered by text alone is bounded like the search page: a broad word
    ranks the best of its newest matches and the list says there are more (``ranked.more``); with
    other filters too, every match is listed (in the list's own order if too many to rank). An
    ``ordering`` chosen replaces the ranking."""

    q = django_filters.CharFilter(method="filter_text", label=_("Text"), max_length=200)
    include_paragraphs = False  # resolutions: also found through their paragraphs' text
    ranked = None  # the search.Ranked of the last filtering, if it ranked

    def filter_text(self, queryset, name, value):
        return queryset  # in filter_queryset, once the other filters are applied

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        cleaned = self.form.cleaned_data
        text = cleaned.get("q")
        if text in EMPTY_VALUES:
            return queryset
        others = [
            name
            for name, value in cleaned.items()
            if name not in ("q", "ordering") and value not in EMPTY_VALUES
        ]
        self.ranked = search.rank(
            queryset, text, filtered=bool(others), include_paragraphs=self.include_paragraphs
        )
        if self.ranked is None:
            return queryset.filter(search.matching(queryset.model, text, self.include_paragraphs))
        queryset = queryset.filter(pk__in=self.ranked.ids)
        if cleaned.get("ordering") in EMPTY_VALUES:
            queryset = queryset.order_by(search.rank_order(queryset.model, self.ranked.ids))
        return queryset

    @property
    def qs(self):
        return super().qs.with_known_count(self.known_count, more=bool(self.ranked and self.ranked.more))

    def known_count(self):
        """How many rows the list has without counting them, or None (count them)."""
        return self.ranked.total if self.ranked is not None else None


class ResolutionFilter(TextQuery):
    include_paragraphs = True
    body = django_filters.ChoiceFilter(choices=Body.choices, label=pgettext_lazy("UN organ", "Body"))
    session = django_filters.CharFilter(
        label=_("Session"), help_text=_("e.g. 77; for the Security Council, the year.")
    )
    year = django_filters.NumberFilter(
        field_name="adopted_on", lookup_expr="year", label=_("Year adopted"), min_value=1945, max_value=2100
    )
    subject = SlugChoiceFilter(
        field_name="subjects",
        queryset=Subject.objects.all(),
        label=_("Subject"),
        help_text=_("A subject's slug."),
    )
    sdg = django_filters.ChoiceFilter(
        choices=[(str(n), format_lazy(_("Goal {number}"), number=n)) for n in range(1, 18)],
        method="filter_sdg",
        label=_("SDG"),
    )
    theme = SlugChoiceFilter(
        queryset=Theme.objects.all(),
        method="filter_theme",
        label=_("Theme of its notes"),
        help_text=_("A theme's slug."),
    )
    tracked = django_filters.BooleanFilter(
        method="filter_tracked", label=_("Has published implementation notes")
    )
    language = django_filters.CharFilter(method="filter_language", label=_("Language"), max_length=8)
    cites = django_filters.CharFilter(
        method="filter_cites",
        label=_("Cites"),
        help_text=_("A document symbol it cites, held here or not: A/RES/75/272."),
        max_length=100,
    )
    # Symbols and sessions in natural order (77/2 before 77/10, session 9 before 10), read from the
    # stored, indexed keys (Resolution.sort_key, session_key).
    ordering = TiebreakOrderingFilter(
        fields=[("adopted_on", "date"), ("sort_key", "symbol"), ("session_key", "session")],
        # Each direction named here, lazily: django-filter would make "… (descending)" once, at import.
        field_labels={
            "adopted_on": _("Adoption date"),
            "-date": _("Adoption date (descending)"),
            "sort_key": _("Symbol"),
            "-symbol": _("Symbol (descending)"),
            "session_key": _("Session"),
            "-session": _("Session (descending)"),
        },
        label=_("Sort by"),
        tiebreak="sort_key",
    )

    class Meta:
        model = Resolution
        fields = ["body", "session", "year", "subject", "sdg", "theme", "tracked", "language", "cites", "q"]

    def filter_sdg(self, queryset, name, value):
        return queryset.filter(linked_to(Resolution, "subjects", scheme=SubjectScheme.SDG, code=value))

    def filter_language(self, queryset, name, value):
        return queryset.filter(pk__in=ResolutionText.objects.filter(language=value).values("resolution"))

    def filter_cites(self, queryset, name, value):
        return queryset.filter(pk__in=Reference.objects.filter(symbol__iexact=value).values("resolution"))

    def filter_theme(self, queryset, name, value):
        return queryset.filter(Exists(published_notes_on(OuterRef("pk")).filter(themes=value)))

    def filter_tracked(self, queryset, name, value):
        tracked = Exists(published_notes_on(OuterRef("pk")))
        return queryset.filter(tracked if value else ~tracked)


class MostCitedFilter(django_filters.FilterSet):
    """The most cited resolutions (Resolution.objects.most_cited()), narrowed to a body and session."""

    ranked = None  # no text query: the order is by how many resolutions cite each
    body = django_filters.ChoiceFilter(choices=Body.choices, label=pgettext_lazy("UN organ", "Body"))
    session = django_filters.CharFilter(
        label=_("Session"), help_text=_("e.g. 77; for the Security Council, the year."), max_length=16
    )

    class Meta:
        model = Resolution
        fields = ["body", "session"]

    @property
    def qs(self):
        """How many are ranked is counted once while public content stays the same (the count, like
        the page, reads every citation of the resolutions ranked: of every resolution with no session)."""
        queryset = super().qs
        chosen = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        key = "most-cited-count:{}:{}".format(chosen.get("body") or "", chosen.get("session") or "")
        return queryset.with_known_count(lambda: remember(key, queryset.all().count))


class ParagraphFilter(TextQuery):
    resolution = django_filters.CharFilter(field_name="resolution__symbol", label=_("Resolution symbol"))
    kind = django_filters.ChoiceFilter(choices=ParagraphKind.choices, label=_("Kind"))
    number = django_filters.CharFilter(label=_("Operative number or sub-paragraph label"))
    lead_phrase = django_filters.CharFilter(method="filter_lead_phrase", label=_("Lead phrase"))
    # Mandate facts (resolutions.mandates): what is asked, of whom, by when.
    request = django_filters.ChoiceFilter(
        field_name="mandate__request", choices=RequestClass.choices, label=_("Request")
    )
    addressee = django_filters.ChoiceFilter(
        method="filter_addressee", choices=ADDRESSEE_CHOICES, label=_("Addressed to")
    )
    report_session = django_filters.NumberFilter(
        field_name="mandate__report_session", label=_("Report due at session"), min_value=1, max_value=200
    )
    report_due_from = django_filters.DateFilter(
        field_name="mandate__report_due", lookup_expr="gte", label=_("Report due from")
    )
    report_due_to = django_filters.DateFilter(
        field_name="mandate__report_due", lookup_expr="lte", label=_("Report due by")
    )
    recurring = django_filters.BooleanFilter(field_name="mandate__recurring", label=_("Recurring mandate"))
    addressee_entity = SlugChoiceFilter(
        method="filter_addressee_entity",
        queryset=Entity.objects.all(),
        label=_("Addressed to the entity"),
        help_text=_("An entity's slug (unrcca): the paragraphs whose mandate names it."),
    )
    mandated = django_filters.BooleanFilter(
        field_name="mandate",
        lookup_expr="isnull",
        exclude=True,
        label=_("Has mandate facts"),
        help_text=_("true: the operative paragraphs whose mandate was read (the mandates page's rows)."),
    )

    class Meta:
        model = Paragraph
        fields = [
            "resolution",
            "kind",
            "number",
            "lead_phrase",
            "request",
            "addressee",
            "report_session",
            "report_due_from",
            "report_due_to",
            "recurring",
            "addressee_entity",
            "mandated",
            "q",
        ]

    def filter_addressee(self, queryset, name, value):
        # Keys are stored each between spaces (Mandate.addressees).
        return queryset.filter(mandate__addressees__contains=f" {value} ")

    def filter_addressee_entity(self, queryset, name, value):
        # A mandate's key is its paragraph's: a semi-join on the link table.
        links = Mandate.addressee_entities.through.objects.filter(entity=value)
        return queryset.filter(pk__in=links.values("mandate_id"))

    def filter_lead_phrase(self, queryset, name, value):
        # In any case, through the index on the lower-cased lead phrase.
        return queryset.alias(lead_phrase_lower=Lower("lead_phrase")).filter(lead_phrase_lower=value.lower())


def resolution_symbol_filter(**kwargs):
    """``resolution``: a resolution's symbol, in the notes' and the status changes' lists alike."""
    return django_filters.CharFilter(
        label=_("Resolution"), help_text=_("Its symbol, e.g. A/RES/77/273."), **kwargs
    )


def paragraph_number_filter():
    """``paragraph``: an operative paragraph's number, filtered by the FilterSet's filter_paragraph."""
    return django_filters.CharFilter(
        method="filter_paragraph",
        label=_("Operative paragraph"),
        help_text=_(
            'Its number ("3"), or in a resolution with sections its address ("II.3"); with a '
            "resolution, in it."
        ),
    )


class NoteFilter(TextQuery):
    resolution = resolution_symbol_filter(method="filter_resolution")
    paragraph = paragraph_number_filter()
    country = CountryFilter(
        field_name="countries",
        queryset=Country.objects.all(),
        to_field_name="alpha3",
        label=_("Country"),
        help_text=_("ISO 3166 alpha-3 code, any case: KAZ, kgz."),
    )
    theme = SlugChoiceFilter(field_name="themes", queryset=Theme.objects.all(), label=_("Theme"))
    entity = SlugChoiceFilter(field_name="entities", queryset=Entity.objects.all(), label=_("Partner"))
    kind = django_filters.ChoiceFilter(choices=NoteKind.choices, label=_("Kind"))
    date_from = django_filters.DateFilter(method="filter_date_from", label=pgettext_lazy("dates", "From"))
    date_to = django_filters.DateFilter(
        field_name="start_date", lookup_expr="lte", label=pgettext_lazy("dates", "To")
    )
    ordering = django_filters.OrderingFilter(
        fields=[("start_date", "date"), ("title", "title")],
        field_labels={
            "start_date": _("Date"),
            "-date": _("Date (descending)"),
            "title": _("Title"),
            "-title": _("Title (descending)"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = ImplementationNote
        fields = [
            "resolution",
            "paragraph",
            "country",
            "theme",
            "entity",
            "kind",
            "date_from",
            "date_to",
            "q",
        ]

    # Filters whose one chosen row stores how many published notes it has (resolutions.counters).
    COUNTED_FILTERS = ("country", "theme", "entity")

    def known_count(self):
        known = super().known_count()
        return self.stored_count() if known is None else known

    def stored_count(self):
        """How many rows the list has, when the list is the public one (published notes) and no count
        over the notes is needed: filtered by one country, theme or partner only (its stored counter),
        or not filtered (the total, remembered until public content changes). None otherwise (the
        list is counted)."""
        if self.is_bound and not self.is_valid():
            return None
        cleaned = self.form.cleaned_data if self.is_bound else {}
        chosen = {name: value for name, value in cleaned.items() if value not in EMPTY_VALUES}
        chosen.pop("ordering", None)
        if self.queryset.query.where != ImplementationNote.objects.published().query.where:
            return None
        if not chosen:
            # Every published note: one count, kept in the shared cache until public content changes.
            return published_note_total()
        if len(chosen) != 1 or next(iter(chosen)) not in self.COUNTED_FILTERS:
            return None
        return next(iter(chosen.values())).published_note_count

    def narrowed(self):
        """The list holds the notes of one resolution or paragraph: a few of all, so a country, theme or
        partner chosen too is checked note by note (has_link) instead of listing all its notes."""
        cleaned = self.form.cleaned_data
        return any(cleaned.get(name) not in EMPTY_VALUES for name in ("resolution", "paragraph"))

    def filter_resolution(self, queryset, name, value):
        if self.form.cleaned_data.get("paragraph") not in EMPTY_VALUES:
            return queryset  # filter_paragraph looks for the paragraph in this resolution: nothing to add
        return queryset.filter(linked_to(ImplementationNote, "paragraphs", resolution__symbol=value))

    def filter_paragraph(self, queryset, name, value):
        paragraphs = Paragraph.objects.operative().at_address(value)
        symbol = self.form.cleaned_data.get("resolution")
        if symbol:
            paragraphs = paragraphs.filter(resolution__symbol=symbol)
        return queryset.filter(linked_to(ImplementationNote, "paragraphs", pk__in=paragraphs.values("pk")))

    def filter_date_from(self, queryset, name, value):
        # A note covering a period counts if any of its days falls on or after the date.
        return queryset.filter(Q(start_date__gte=value) | Q(end_date__gte=value))


class AssessmentFilter(django_filters.FilterSet):
    """Status changes (published assessments) of a resolution's operative paragraphs, or of one: the
    same ``resolution`` and ``paragraph`` parameters as NoteFilter's. The status feed
    (views/feeds.py) and e-mail alerts (resolutions/alerts.py) follow them."""

    resolution = resolution_symbol_filter(field_name="paragraph__resolution__symbol")
    paragraph = paragraph_number_filter()

    class Meta:
        model = Assessment
        fields = ["resolution", "paragraph"]

    def filter_paragraph(self, queryset, name, value):
        return queryset.filter(paragraph__in=Paragraph.objects.operative().at_address(value))


class AlignmentFilter(django_filters.FilterSet):
    """A resolution's paragraphs aligned with its predecessor's (resolutions.lineage)."""

    resolution = django_filters.CharFilter(field_name="resolution__symbol", label=_("Resolution symbol"))
    change = django_filters.ChoiceFilter(
        choices=ParagraphChange.choices, label=pgettext_lazy("a paragraph's change", "Change")
    )

    class Meta:
        model = ParagraphAlignment
        fields = ["resolution", "change"]


class SeriesFilter(django_filters.FilterSet):
    resolution = django_filters.CharFilter(
        field_name="resolutions__symbol", label=_("Holding the resolution (symbol)")
    )

    class Meta:
        model = Series
        fields = ["resolution"]
