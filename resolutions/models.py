"""The domain: resolutions held paragraph by paragraph, and what is done to implement them."""

import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.db.models import Count, F, IntegerField, Min, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce, Lower
from django.utils.formats import date_format, number_format
from django.utils.functional import lazy
from django.utils.html import conditional_escape, format_html, mark_safe
from django.utils.text import format_lazy
from django.utils.timezone import localtime
from django.utils.translation import gettext, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from resolutions.mandates import (
    ADDRESSEES_BY_KEY,
    RequestClass,
    addressee_entities,
    entity_candidates,
    extract,
)
from resolutions.markup import link_citations, render_markdown
from resolutions.routes import fast_reverse
from resolutions.symbols import un_document_url
from resolutions.workflow import RESTORE_PERMISSION, EditorialState, Reviewed

# Change history lives in its own app label ("history"), beside the domain tables.
HISTORY_APP = "history"

FOOTNOTE_MARKER = re.compile(r"\[\^([^\]\s]+)\]")


class Body(models.TextChoices):
    GENERAL_ASSEMBLY = "GA", _("General Assembly")
    SECURITY_COUNCIL = "SC", _("Security Council")
    HUMAN_RIGHTS_COUNCIL = "HRC", _("Human Rights Council")
    ECONOMIC_AND_SOCIAL_COUNCIL = "ECOSOC", _("Economic and Social Council")


class AdoptionMethod(models.TextChoices):
    UNKNOWN = "", _("Not recorded")
    WITHOUT_VOTE = "without_vote", _("Without a vote")
    RECORDED_VOTE = "recorded_vote", _("Recorded vote")
    VOTE = "vote", pgettext_lazy("how a resolution was adopted", "Vote")


class Series(models.Model):
    """Resolutions adopted again and again on one subject, e.g. the biennial UNRCCA resolutions."""

    name = models.CharField(max_length=300, unique=True, verbose_name=_("name"))
    slug = models.SlugField(max_length=100, unique=True, verbose_name=_("slug"))
    description = models.TextField(blank=True, verbose_name=_("description"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return fast_reverse("resolutions:series-detail", slug=self.slug)


class SubjectScheme(models.TextChoices):
    SDG = "sdg", _("Sustainable Development Goal")
    UNBIS = "unbis", _("UNBIS Thesaurus")
    EUROVOC = "eurovoc", _("EuroVoc")


class Subject(models.Model):
    """A subject tag the UN gives a resolution: an SDG goal, a UNBIS or EuroVoc term."""

    scheme = models.CharField(max_length=8, choices=SubjectScheme.choices, verbose_name=_("scheme"))
    code = models.CharField(
        max_length=40,
        blank=True,
        help_text=_("The goal number for SDGs: “16”."),
        verbose_name=_("code"),
    )
    name = models.CharField(max_length=200, verbose_name=_("name"))
    slug = models.SlugField(max_length=220, unique=True, verbose_name=_("slug"))

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["scheme", "name"]
        constraints = [models.UniqueConstraint(fields=["scheme", "name"], name="unique_subject_per_scheme")]

    def __str__(self):
        return f"SDG {self.code}: {self.name}" if self.scheme == SubjectScheme.SDG else self.name

    @property
    def label(self):
        """The name as a page shows it: UNBIS descriptors, which the UN writes in capitals (and a few
        in lower case), in title case ("Administration of Justice"); others as written."""
        if self.scheme != SubjectScheme.UNBIS:
            return self.name

        def case(match):
            word = match.group().lower()
            return word if word in SMALL_WORDS and match.start() > 0 else word.capitalize()

        return WORD.sub(case, self.name)


WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")  # a word, with its apostrophe: WOMEN'S is Women's
SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}


class SubjectGroups:
    """A resolution's subjects as a page shows them: SDG goals by number, then UNBIS terms, then
    EuroVoc terms, each sorted and without a term repeated in any case (nor a EuroVoc term that is
    also a UNBIS one)."""

    def __init__(self, subjects):
        by_scheme = {scheme: [] for scheme in SubjectScheme.values}
        for subject in subjects:
            by_scheme[subject.scheme].append(subject)
        self.sdg = sorted(
            {subject.code: subject for subject in by_scheme[SubjectScheme.SDG]}.values(),
            key=lambda subject: int(subject.code) if subject.code.isdigit() else 99,
        )
        seen = set()
        self.unbis = self._distinct(by_scheme[SubjectScheme.UNBIS], seen)
        self.eurovoc = self._distinct(by_scheme[SubjectScheme.EUROVOC], seen)

    @staticmethod
    def _distinct(subjects, seen):
        kept = []
        for subject in sorted(subjects, key=lambda subject: subject.name.casefold()):
            if subject.name.casefold() not in seen:
                seen.add(subject.name.casefold())
                kept.append(subject)
        return kept

    def __bool__(self):
        return bool(self.sdg or self.unbis or self.eurovoc)

    def summary(self):
        """ "2 goals, 4 UNBIS terms, 13 EuroVoc terms": the folded line on a phone."""
        sdg, unbis, eurovoc = len(self.sdg), len(self.unbis), len(self.eurovoc)
        parts = [
            sdg and ngettext("%(count)d goal", "%(count)d goals", sdg) % {"count": sdg},
            unbis and ngettext("%(count)d UNBIS term", "%(count)d UNBIS terms", unbis) % {"count": unbis},
            eurovoc
            and ngettext("%(count)d EuroVoc term", "%(count)d EuroVoc terms", eurovoc) % {"count": eurovoc},
        ]
        return ", ".join(part for part in parts if part)


class KnownCountQuerySet(models.QuerySet):
    """A list's queryset that may know its length without counting (resolutions.filters)."""

    more_matches = False  # a text query matched more rows than were ranked (resolutions.search.rank)

    def with_known_count(self, count, more=False):
        """This very queryset (not its copies: a further filter counts again) answers count() with
        `count()`, e.g. a stored counter (NoteFilter.stored_count) or the number of rows a text query
        ranked, so a paginator does not count. Called only when something asks for the count (a CSV
        export never does). ``more``: the list holds the best of a text query's matches, not all."""
        self._known_count = count
        self.more_matches = more
        return self

    def count(self):
        known = getattr(self, "_known_count", None)
        if known is None or self._result_cache is not None:
            return super().count()
        value = known()
        return super().count() if value is None else value


class ResolutionQuerySet(KnownCountQuerySet):
    def pages_by_symbol(self, symbols):
        """{symbol: its page here} for those of ``symbols`` held here: one query for all the symbols
        a page cites, none when it cites none."""
        symbols = set(symbols)
        if not symbols:
            return {}
        held = self.filter(symbol__in=symbols).values_list("symbol", flat=True)
        return {symbol: fast_reverse("resolutions:resolution-detail", symbol=symbol) for symbol in held}

    def citing(self, resolution):
        """The resolutions held here that cite ``resolution`` (newest first, by the default ordering)."""
        return self.filter(pk__in=Reference.objects.filter(target=resolution).values("resolution")).exclude(
            pk=resolution.pk
        )

    def most_cited(self):
        """Those cited by at least one resolution held here, each with ``cited_by_count`` (how many
        resolutions cite it), most cited first; read through the index on Reference (target,
        resolution), without visiting the citing rows."""
        return (
            self.annotate(
                cited_by_count=Count(
                    "cited_by__resolution", distinct=True, filter=~Q(cited_by__resolution=F("pk"))
                )
            )
            .filter(cited_by_count__gt=0)
            .order_by("-cited_by_count", "sort_key")
        )

    def refill_natural_keys(self):
        """Put right the natural-order keys of rows written without save() (bulk_create, raw SQL);
        returns how many were corrected."""
        wrong = []
        for row in self.only("pk", "symbol", "session", "sort_key", "session_key").iterator(chunk_size=2000):
            keys = (row.sort_key, row.session_key)
            row.fill_derived_fields()
            if keys != (row.sort_key, row.session_key):
                wrong.append(row)
        self.model.objects.using(self.db).bulk_update(wrong, ["sort_key", "session_key"], batch_size=1000)
        return len(wrong)


NATURAL_TOKEN = re.compile(r"[A-Z]+|\d+")


def natural_key(text):
    """A key that sorts UN symbols (and sessions) as people read them: numbers by their value, so
    A/RES/77/2 comes before A/RES/77/10 and session 9 before 10 and 2020; letters before numbers, so
    emergency special sessions (ES-11/6) come before the regular ones and a list sorted newest symbol
    first starts with the latest session, not with ES-11/6.

    Made of upper-case letters and digits only, in fixed-width numbers, and with a "0" closing each
    run of letters, so that it sorts the same under any collation (SQLite's binary one, PostgreSQL's
    C or a locale's, which ignores punctuation): A/RES/77/273 is LA0LRES0N00000077N00000273."""
    return "".join(
        f"N{token.zfill(8)}" if token.isdigit() else f"L{token}0"
        for token in NATURAL_TOKEN.findall(text.upper())
    )


class Resolution(models.Model):
    symbol = models.CharField(
        max_length=64,
        unique=True,
        help_text=_("The UN document symbol, e.g. A/RES/77/273."),
        verbose_name=_("symbol"),
    )
    body = models.CharField(
        max_length=8,
        choices=Body.choices,
        default=Body.GENERAL_ASSEMBLY,
        verbose_name=pgettext_lazy("UN organ", "body"),
    )
    session = models.CharField(
        max_length=16,
        blank=True,
        help_text=_("Session number (“77”); for the Security Council, the year."),
        verbose_name=_("session"),
    )
    number = models.CharField(
        max_length=16,
        blank=True,
        help_text=_("Number within the session (“273”)."),
        verbose_name=_("number"),
    )
    title = models.TextField(verbose_name=_("title"))
    agenda_items = models.JSONField(
        default=list,
        blank=True,
        help_text=_('A list of {"number": "58", "title": "..."} objects.'),
        verbose_name=_("agenda items"),
    )
    adopted_on = models.DateField(null=True, blank=True, verbose_name=_("adopted on"))
    distributed_on = models.DateField(null=True, blank=True, verbose_name=_("distributed on"))
    meeting = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("e.g. “60th plenary meeting”."),
        verbose_name=_("meeting"),
    )
    draft_symbol = models.CharField(
        max_length=64, blank=True, help_text=_("e.g. A/77/L.53."), verbose_name=_("draft symbol")
    )
    committee_report = models.CharField(
        max_length=64,
        blank=True,
        help_text=_("Symbol of the Main Committee report it was adopted on, if any."),
        verbose_name=_("committee report"),
    )
    adoption_method = models.CharField(
        max_length=16,
        choices=AdoptionMethod.choices,
        default=AdoptionMethod.UNKNOWN,
        blank=True,
        verbose_name=_("adoption method"),
    )
    votes_yes = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("votes yes"))
    votes_no = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("votes no"))
    votes_abstain = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("votes abstain"))
    enacting_formula = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("e.g. “The General Assembly,”."),
        verbose_name=_("enacting formula"),
    )
    language = models.CharField(
        max_length=8,
        default="en",
        help_text=_("Primary language (ISO 639-1): English when imported, else the first imported."),
        verbose_name=_("language"),
    )
    series = models.ForeignKey(
        Series,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resolutions",
        verbose_name=_("series"),
    )
    sponsors = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Sponsors of the draft, as the UN lists them."),
        verbose_name=_("sponsors"),
    )
    sort_key = models.CharField(
        max_length=200, editable=False, default="", help_text=_("The symbol in natural order (natural_key).")
    )
    session_key = models.CharField(
        max_length=100, editable=False, default="", help_text=_("The session in natural order (natural_key).")
    )
    subjects = models.ManyToManyField(
        Subject, blank=True, related_name="resolutions", verbose_name=_("subjects")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = ResolutionQuerySet.as_manager()
    history = HistoricalRecords(app=HISTORY_APP)

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["-adopted_on", "sort_key"]
        indexes = [
            models.Index(fields=["body", "session"]),
            models.Index(fields=["session"], name="resolution_session"),
            models.Index(fields=["-adopted_on", "sort_key"], name="resolution_newest"),
            models.Index(fields=["sort_key"], name="resolution_natural"),
            models.Index(fields=["session_key", "sort_key"], name="resolution_session_natural"),
        ]
        permissions = [("import_resolution", "Can import a resolution from a file in the admin")]

    def __str__(self):
        return f"{self.symbol} \u2013 {self.title}"

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_key", "session_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return fast_reverse("resolutions:resolution-detail", symbol=self.symbol)

    def fill_derived_fields(self):
        """Fill the natural-order keys (also for bulk_create, which skips save)."""
        self.sort_key = natural_key(self.symbol)
        self.session_key = natural_key(self.session)

    def subject_groups(self):
        """Its subjects grouped by scheme (uses prefetched subjects when there)."""
        return SubjectGroups(self.subjects.all())

    @property
    def short_symbol(self):
        """77/273 for A/RES/77/273; 2504 (2020) for S/RES/2504 (2020)."""
        return self.symbol.split("/RES/", 1)[-1]

    @property
    def languages(self):
        """The languages its text is held in, primary first (uses prefetched texts when there)."""
        return self.primary_first(text.language for text in self.texts.all())

    def primary_first(self, codes):
        """Language codes in the order a language switch offers them: its primary language first."""
        return sorted(set(codes), key=lambda code: (code != self.language, code)) or [self.language]


class ResolutionText(models.Model):
    """One language version of a resolution, as imported."""

    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="texts", verbose_name=_("resolution")
    )
    language = models.CharField(
        max_length=8, help_text=_("ISO 639-1: en, fr, es, ru, zh, ar."), verbose_name=_("language")
    )
    title = models.TextField(verbose_name=_("title"))
    enacting_formula = models.CharField(max_length=200, blank=True, verbose_name=_("enacting formula"))
    meeting = models.CharField(
        max_length=100,
        blank=True,
        default="",
        help_text=_(
            "The meeting as this language prints it at the end (“60e séance plénière”); blank when "
            "its source does not say."
        ),
        verbose_name=_("meeting"),
    )
    source_format = models.CharField(
        max_length=16,
        blank=True,
        help_text=_("Format it was imported from."),
        verbose_name=_("source format"),
    )
    source_text = models.TextField(
        blank=True, help_text=_("The verbatim text it was imported from."), verbose_name=_("source text")
    )
    import_digest = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    imported_at = models.DateTimeField(auto_now=True, verbose_name=_("imported at"))

    class Meta:
        verbose_name = _("resolution text")
        verbose_name_plural = _("resolution texts")
        ordering = ["resolution", "language"]
        constraints = [
            models.UniqueConstraint(fields=["resolution", "language"], name="unique_resolution_language")
        ]
        indexes = [models.Index(fields=["language"], name="resolutiontext_language")]

    def __str__(self):
        return f"{self.resolution.symbol} ({self.language})"


class ParagraphKind(models.TextChoices):
    PREAMBULAR = "preambular", _("Preambular")
    OPERATIVE = "operative", _("Operative")


class CommaJoined(models.Aggregate):
    """Text values joined by commas, in no set order (GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL)."""

    function = "GROUP_CONCAT"
    output_field = models.TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s, ',')",
            **extra_context,
        )


# A paragraph's address within its resolution: "II.3" is paragraph 3 of section II; "3" a paragraph 3.
SECTION_ADDRESS = re.compile(r"(?P<section>(?:[IVXLC]+|[A-Z])(?:\.[A-Z])?)\.(?P<number>\d[\w.]*)")


class ParagraphQuerySet(KnownCountQuerySet):
    def operative(self):
        return self.filter(kind=ParagraphKind.OPERATIVE, parent__isnull=True, annex="")

    def at_address(self, address):
        """The paragraphs at `address`: "II.3" (paragraph 3 of section II), or a bare "3" (every
        paragraph numbered 3, as addressed before sections were stored)."""
        address = address.strip()
        section = SECTION_ADDRESS.fullmatch(address)
        if section:
            return self.filter(section=section["section"], number=section["number"])
        return self.filter(number=address)

    def in_language(self, language):
        """Annotate each paragraph with its lead phrase and text in `language` (shown_lead_phrase,
        shown_text: None where it is not held in that language), in the same query."""
        shown = ParagraphText.objects.filter(paragraph=OuterRef("pk"), language=language)
        return self.annotate(
            shown_lead_phrase=Subquery(shown.values("lead_phrase")[:1]),
            shown_text=Subquery(shown.values("text")[:1]),
        )

    def with_resolution_languages(self, language):
        """Annotate each paragraph with the languages its resolution is held in (held_languages,
        "ar,en,fr") and the resolution's title in `language` (shown_title), in the same query."""
        texts = ResolutionText.objects.filter(resolution=OuterRef("resolution")).order_by()
        return self.annotate(
            held_languages=Subquery(
                texts.values("resolution").annotate(codes=CommaJoined("language")).values("codes")
            ),
            shown_title=Subquery(texts.filter(language=language).values("title")[:1]),
        )

    def with_current_status(self):
        """Annotate each paragraph with the status and date of its newest published assessment."""
        newest = Assessment.objects.published().filter(paragraph=OuterRef("pk")).order_by("-as_of", "-pk")
        return self.annotate(
            current_status=Subquery(newest.values("status")[:1]),
            current_status_as_of=Subquery(newest.values("as_of")[:1]),
        )


class Paragraph(models.Model):
    """One paragraph of a resolution; sub-paragraphs ((a), (b), (i)) are paragraphs with a parent."""

    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="paragraphs", verbose_name=_("resolution")
    )
    kind = models.CharField(max_length=16, choices=ParagraphKind.choices, verbose_name=_("kind"))
    order = models.PositiveIntegerField(
        help_text=_("Position in the resolution, counting sub-paragraphs."),
        verbose_name=pgettext_lazy("position", "order"),
    )
    number = models.CharField(
        max_length=16,
        blank=True,
        help_text=_("Operative number (“1”) or sub-paragraph label (“a”)."),
        verbose_name=_("number"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subparagraphs",
        verbose_name=_("parent"),
    )
    lead_phrase = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("The words the UN italicises: “Recalling also”, “Encourages”."),
        verbose_name=_("lead phrase"),
    )
    text = models.TextField(
        help_text=_("The rest of the paragraph. Footnote markers are written [^1]."), verbose_name=_("text")
    )
    heading = models.TextField(
        blank=True, help_text=_("A heading printed just before it."), verbose_name=_("heading")
    )
    section = models.CharField(
        max_length=32,
        blank=True,
        default="",
        db_default="",  # also for rows written by raw SQL that does not name the column
        help_text=_(
            "The section it belongs to (“II”, “B”, “I.A”) where the resolution is "
            "split into sections, each with its own preamble and numbering."
        ),
        verbose_name=_("section"),
    )
    annex = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("The annex it belongs to; blank for the resolution itself."),
        verbose_name=_("annex"),
    )
    eid = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("Akoma Ntoso eId, where the source has one."),
        verbose_name=_("eid"),
    )
    published_note_count = models.PositiveIntegerField(
        default=0,
        db_default=0,
        editable=False,
        help_text=_("Its published notes, kept in step by resolutions.counters."),
    )

    objects = ParagraphQuerySet.as_manager()
    history = HistoricalRecords(app=HISTORY_APP, excluded_fields=["published_note_count"])

    class Meta:
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        ordering = ["resolution", "order"]
        constraints = [models.UniqueConstraint(fields=["resolution", "order"], name="unique_paragraph_order")]
        indexes = [
            models.Index(fields=["resolution", "kind", "number"], name="paragraph_by_number"),
            # ?lead_phrase= matches in any case: the filter compares lower-cased values.
            models.Index(Lower("lead_phrase"), name="paragraph_lead_phrase"),
        ]

    def __str__(self):
        return f"{self.resolution.symbol} {self.label}"

    def get_absolute_url(self):
        if self.is_trackable:
            return fast_reverse(
                "resolutions:paragraph-detail", symbol=self.resolution.symbol, number=self.address
            )
        return f"{self.resolution.get_absolute_url()}#{self.anchor}"

    @property
    def address(self):
        """Its number, with its section where it has one ("II.3"): unique where numbering restarts."""
        return f"{self.section}.{self.number}" if self.section and self.number else self.number

    @property
    def label(self):
        """How people cite it: "op 1", "op II.3", "op 1 (a)", "pp 3"."""
        # In the interface's language ("п. 1" in Russian); the API, unprefixed, answers in English.
        if self.parent_id:
            return f"{self.parent.label} ({self.number})"
        if self.kind == ParagraphKind.OPERATIVE:
            if self.annex:
                if self.number:
                    return pgettext("paragraph label", "annex %(annex)s op %(number)s") % {
                        "annex": self.annex,
                        "number": self.address,
                    }
                return pgettext("paragraph label", "annex %(annex)s para. %(order)s") % {
                    "annex": self.annex,
                    "order": self.order,
                }
            if self.number:
                return pgettext("paragraph label", "op %(number)s") % {"number": self.address}
            return pgettext("paragraph label", "para. %(order)s") % {"order": self.order}
        if self.section and self.number:
            # a section's own preamble: "pp II.1"
            return pgettext("paragraph label", "pp %(number)s") % {"number": self.address}
        # Otherwise the preamble comes first, so a preambular paragraph's order is its position in it.
        return pgettext("paragraph label", "pp %(number)s") % {"number": self.order}

    @property
    def annex_heading(self):
        """The annex's heading as printed: "Annex II" for a stored label ("II") or title ("Annex II"),
        "Annex: <its title>" for a named annex ("The Pact for the Future")."""
        if not self.annex or self.annex.casefold().startswith("annex"):
            return self.annex
        if " " not in self.annex and len(self.annex) <= 6:
            return gettext("Annex %(number)s") % {"number": self.annex}
        return gettext("Annex: %(title)s") % {"title": self.annex}

    @property
    def anchor(self):
        if self.parent_id:
            return f"{self.parent.anchor}{self.number}"
        if self.kind == ParagraphKind.OPERATIVE and self.number and not self.annex:
            return f"op{self.address}"
        if self.kind == ParagraphKind.PREAMBULAR and not self.annex:
            return f"pp{self.order}"
        return f"p{self.order}"

    @property
    def is_trackable(self):
        """Implementation is tracked against the resolution's own numbered operative paragraphs."""
        return self.kind == ParagraphKind.OPERATIVE and not self.parent_id and not self.annex and self.number

    def full_text(self):
        """Lead phrase and text together, as the UN prints them."""
        if not self.lead_phrase:
            return self.text
        joiner = "" if self.text[:1] in ",;:." else " "
        return f"{self.lead_phrase}{joiner}{self.text}"

    def text_html(self):
        """The text with footnote markers as links to the footnotes and document symbols as links to
        the UN's page for each (escaped, safe to render; resolutions.markup.link_held points the held
        ones here). Made once per text shown."""
        made = self.__dict__.get("_text_html")
        if made is None or made[0] != self.text:
            markers = [
                (
                    marker.start(),
                    marker.end(),
                    format_html(
                        '<sup id="fnref{0}-{1}"><a href="#fn{0}">{0}</a></sup>', marker.group(1), self.anchor
                    ),
                )
                for marker in FOOTNOTE_MARKER.finditer(self.text)
            ]
            made = self._text_html = (self.text, mark_safe(link_citations(self.text, markers)))
        return made[1]

    def plain_text(self):
        """Its words as plain text, without footnote markers: a page's description."""
        return FOOTNOTE_MARKER.sub("", self.full_text())

    @property
    def citation(self):
        """How a reader cites it in plain text: "A/RES/77/273, operative paragraph 1"."""
        return f"{self.resolution.symbol}, {self.cited_as}"

    @property
    def cited_as(self):
        """Its label in words: "operative paragraph 1 (a)", "preambular paragraph 3", "annex I,
        paragraph 2"."""
        if self.parent_id:
            return f"{self.parent.cited_as} ({self.number})"
        if self.annex:
            number = self.address if self.number else str(self.order)
            heading = self.annex_heading
            return gettext("%(annex)s, paragraph %(number)s") % {
                "annex": f"{heading[:1].lower()}{heading[1:]}",
                "number": number,
            }
        if self.kind == ParagraphKind.OPERATIVE:
            if self.number:
                return gettext("operative paragraph %(number)s") % {"number": self.address}
            return gettext("paragraph %(number)s") % {"number": self.order}
        number = self.address if self.section and self.number else self.order
        return gettext("preambular paragraph %(number)s") % {"number": number}

    def current_assessment(self):
        """Its public status: the newest published assessment."""
        return self.assessments.published().order_by("-as_of", "-pk").first()


class SeriesLinkOrigin(models.TextChoices):
    FOUND = "found", _("Found automatically")
    CONFIRMED = "confirmed", _("Confirmed by staff")
    CORRECTED = "corrected", _("Corrected by staff")
    SPLIT = "split", _("Split by staff: no predecessor")


class SeriesLink(models.Model):
    """A resolution's predecessor: the earlier resolution on the same subject it follows (77/273 follows
    75/272). Found at import and by `manage.py link_series` (resolutions.lineage); a link staff confirmed,
    corrected or split is never changed by a later run."""

    successor = models.OneToOneField(
        Resolution, on_delete=models.CASCADE, related_name="predecessor_link", verbose_name=_("successor")
    )
    predecessor = models.ForeignKey(
        Resolution,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="successor_links",
        help_text=_("The earlier resolution it follows; empty when staff split it from its series."),
        verbose_name=_("predecessor"),
    )
    score = models.FloatField(
        default=0, help_text=_("How sure the automatic match was, 0 to 1."), verbose_name=_("score")
    )
    reason = models.CharField(
        max_length=300, blank=True, help_text=_("Why it was linked, in words."), verbose_name=_("reason")
    )
    origin = models.CharField(
        max_length=16,
        choices=SeriesLinkOrigin.choices,
        default=SeriesLinkOrigin.FOUND,
        verbose_name=_("origin"),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("series link")
        verbose_name_plural = _("series links")
        ordering = ["successor__sort_key"]

    def __str__(self):
        before = self.predecessor.symbol if self.predecessor_id else "none"
        return f"{self.successor.symbol} follows {before}"

    def clean(self):
        if self.predecessor_id and self.predecessor_id == self.successor_id:
            raise ValidationError({"predecessor": gettext("A resolution cannot follow itself.")})


class ParagraphChange(models.TextChoices):
    UNCHANGED = "unchanged", pgettext_lazy("a paragraph's change", "Unchanged")
    CHANGED = "changed", pgettext_lazy("a paragraph's change", "Changed")
    NEW = "new", pgettext_lazy("a paragraph's change", "New")
    DROPPED = "dropped", pgettext_lazy("a paragraph's change", "Dropped")


class ParagraphAlignment(models.Model):
    """One paragraph of a resolution matched to its counterpart in its predecessor (or new, or dropped),
    with the word-level difference; written when the link is made (resolutions.lineage.align)."""

    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="alignments", verbose_name=_("resolution")
    )
    paragraph = models.ForeignKey(
        Paragraph,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alignments",
        verbose_name=_("paragraph"),
    )
    predecessor_paragraph = models.ForeignKey(
        Paragraph,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="successor_alignments",
        verbose_name=_("predecessor paragraph"),
    )
    order = models.PositiveIntegerField(verbose_name=pgettext_lazy("position", "order"))
    change = models.CharField(
        max_length=16,
        choices=ParagraphChange.choices,
        verbose_name=pgettext_lazy("a paragraph's change", "change"),
    )
    similarity = models.FloatField(default=0, verbose_name=_("similarity"))
    diff = models.JSONField(
        default=list,
        blank=True,
        help_text=_('Word-level difference: [["=", "words"], ["-", "gone"], ["+", "added"]].'),
        verbose_name=_("diff"),
    )

    class Meta:
        verbose_name = _("paragraph alignment")
        verbose_name_plural = _("paragraph alignments")
        ordering = ["resolution", "order"]
        constraints = [models.UniqueConstraint(fields=["resolution", "order"], name="unique_alignment_order")]

    def __str__(self):
        return f"{self.resolution.symbol} #{self.order}: {self.get_change_display()}"

    def diff_html(self):
        """The change, word by word: deletions in <del>, insertions in <ins>, each also announced in words
        (visually hidden "deleted:", "inserted:") so that it is not told by colour or strike-through alone."""
        if self.change == ParagraphChange.NEW:
            pieces = [["+", self.paragraph.plain_text()]]
        elif self.change == ParagraphChange.DROPPED:
            pieces = [["-", self.predecessor_paragraph.plain_text()]]
        else:
            pieces = self.diff
        marked = {
            "-": ("del", pgettext("a paragraph's change", "deleted:")),
            "+": ("ins", pgettext("a paragraph's change", "inserted:")),
        }
        hidden = (
            '<{0}><span class="visually-hidden">[{1} </span>{2}<span class="visually-hidden">]</span></{0}>'
        )
        return mark_safe(
            "".join(
                format_html(hidden, *marked[op], text) if op in marked else conditional_escape(text)
                for op, text in pieces
            )
        )


class MandateOrigin(models.TextChoices):
    EXTRACTED = "extracted", _("Extracted from the text")
    EDITED = "edited", _("Edited by staff")


class MandateQuerySet(models.QuerySet):
    def refill(self, paragraphs):
        """Extract the mandate facts of ``paragraphs`` (operative ones) from their words, keeping
        those staff edited. Returns how many were written."""
        paragraphs = [p for p in paragraphs if p.kind == ParagraphKind.OPERATIVE and not p.parent_id]
        held = {m.paragraph_id: m for m in self.filter(paragraph__in=[p.pk for p in paragraphs])}
        new, changed = [], []
        for paragraph in paragraphs:
            mandate = held.get(paragraph.pk)
            if mandate is not None and mandate.origin == MandateOrigin.EDITED:
                continue
            if mandate is None:
                mandate = Mandate(paragraph=paragraph)
                new.append(mandate)
            else:
                changed.append(mandate)
            mandate.set_facts(extract(paragraph.lead_phrase, paragraph.text))
        self.bulk_create(new, batch_size=500)
        self.bulk_update(changed, [*Mandate.FACTS, "origin"], batch_size=500)
        self.filter(pk__in=[mandate.pk for mandate in new + changed]).link_entities()
        return len(new) + len(changed)

    def addressing(self, keys):
        """Mandates addressed to any of ``keys`` (addressee keys, stored each between spaces)."""
        condition = Q(pk__in=[])
        for key in keys:
            condition |= Q(addressees__contains=f" {key} ")
        return self.filter(condition)

    def link_entities(self):
        """Link these mandates to the entities their addressees are (mandates.addressee_entities),
        replacing the links they had: run at extraction, and when entities are loaded after the
        resolutions (load_bundled_data). Staff's links are kept by running it on extracted ones only."""
        entity_of = addressee_entities(Entity.objects.filter(entity_candidates()))
        through = Mandate.addressee_entities.through
        rows = list(self.values_list("pk", "addressees"))
        through.objects.filter(mandate__in=[pk for pk, _ in rows]).delete()
        through.objects.bulk_create(
            [
                through(mandate_id=pk, entity_id=entity_of[key])
                for pk, addressees in rows
                for key in dict.fromkeys(addressees.split())
                if key in entity_of
            ],
            batch_size=500,
        )


class Mandate(models.Model):
    """What an operative paragraph asks, of whom, and by when: read from its words at import
    (resolutions.mandates) and correctable by staff; an edited mandate is kept through re-imports."""

    FACTS = ["request", "addressees", "addressee_text", "report_session", "report_due", "recurring"]

    paragraph = models.OneToOneField(
        Paragraph,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="mandate",
        verbose_name=_("paragraph"),
    )
    request = models.CharField(
        max_length=16,
        choices=RequestClass.choices,
        blank=True,
        help_text=_("The class of its lead verb."),
        verbose_name=_("request"),
    )
    addressees = models.CharField(
        max_length=500,
        blank=True,
        help_text=_(
            "Who is asked to act: keys of resolutions.mandates.ADDRESSEES, each between spaces "
            "(“ secretary-general member-states ”), so that one can be looked up with contains."
        ),
        verbose_name=_("addressees"),
    )
    addressee_text = models.CharField(
        max_length=500,
        blank=True,
        help_text=_("The words that name who is asked to act, as printed."),
        verbose_name=_("addressee text"),
    )
    report_session = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        db_index=True,
        help_text=_("The session at which a report is asked for."),
        verbose_name=_("report session"),
    )
    report_due = models.DateField(
        null=True,
        blank=True,
        help_text=_("The date by which a report is asked for."),
        verbose_name=_("report due"),
    )
    recurring = models.BooleanField(
        default=False,
        help_text=_("Asked periodically (annually, biennially, every 90 days ...)."),
        verbose_name=_("recurring"),
    )
    origin = models.CharField(
        max_length=16,
        choices=MandateOrigin.choices,
        default=MandateOrigin.EXTRACTED,
        help_text=_("Extracted facts are read again from the text at each import; edited ones are kept."),
        verbose_name=_("origin"),
    )

    addressee_entities = models.ManyToManyField(
        "Entity",
        blank=True,
        related_name="mandates",
        verbose_name=_("addressed entities"),
        help_text=_(
            "The entities held here that the paragraph addresses (the Regional Centre is UNRCCA): "
            "linked at extraction where an addressee is one, and kept through re-imports once edited."
        ),
    )

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["paragraph"]

    def __str__(self):
        return f"Mandate of {self.paragraph}"

    @staticmethod
    def addressee_field(keys):
        return f" {' '.join(keys)} " if keys else ""

    def set_facts(self, facts):
        self.request = facts.request
        self.addressees = self.addressee_field(facts.addressees)
        self.addressee_text = facts.addressee_text
        self.report_session = facts.report_session
        self.report_due = facts.report_due
        self.recurring = facts.recurring
        self.origin = MandateOrigin.EXTRACTED

    @property
    def addressee_keys(self) -> list[str]:
        return self.addressees.split()

    def addressee_list(self):
        """The addressees as (key, label, entity short name or "")."""
        return [
            (key, ADDRESSEES_BY_KEY[key].label, ADDRESSEES_BY_KEY[key].entity)
            for key in self.addressee_keys
            if key in ADDRESSEES_BY_KEY
        ]


# What a paragraph's label, anchor and link are made of (Paragraph.label, .anchor, .get_absolute_url).
PARAGRAPH_LABEL_FIELDS = ("id", "resolution_id", "kind", "order", "number", "section", "parent_id", "annex")


class ParagraphText(models.Model):
    """A paragraph's words in one language; the lead phrase is kept per language too."""

    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.CASCADE, related_name="texts", verbose_name=_("paragraph")
    )
    language = models.CharField(max_length=8, verbose_name=_("language"))
    lead_phrase = models.CharField(max_length=200, blank=True, verbose_name=_("lead phrase"))
    text = models.TextField(verbose_name=_("text"))
    heading = models.TextField(
        blank=True,
        default="",
        db_default="",  # also for rows written by raw SQL that does not name the column
        help_text=_("The heading printed before the paragraph, in this language."),
        verbose_name=_("heading"),
    )

    class Meta:
        verbose_name = _("paragraph text")
        verbose_name_plural = _("paragraph texts")
        ordering = ["paragraph", "language"]
        constraints = [
            models.UniqueConstraint(fields=["paragraph", "language"], name="unique_paragraph_language")
        ]

    def __str__(self):
        return f"{self.paragraph} ({self.language})"


class Footnote(models.Model):
    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="footnotes", verbose_name=_("resolution")
    )
    language = models.CharField(max_length=8, default="en", verbose_name=_("language"))
    marker = models.CharField(max_length=8, verbose_name=_("marker"))
    text = models.TextField(verbose_name=_("text"))
    paragraphs = models.ManyToManyField(
        Paragraph,
        blank=True,
        related_name="footnotes",
        help_text=_("Paragraphs that cite it."),
        verbose_name=_("paragraphs"),
    )

    class Meta:
        verbose_name = _("footnote")
        verbose_name_plural = _("footnotes")
        ordering = ["resolution", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "language", "marker"], name="unique_footnote_marker"
            )
        ]

    def __str__(self):
        return f"{self.resolution.symbol} footnote {self.marker}"


class ReferenceQuerySet(models.QuerySet):
    def one_per_symbol(self):
        """The first reference to each symbol (a resolution may cite a document in several
        paragraphs and footnotes), in the order they were recorded: the order of first citation."""
        first = self.order_by().values("symbol").annotate(first=Min("pk")).values("first")
        return self.model.objects.filter(pk__in=first).order_by("pk")


class Reference(models.Model):
    """A document symbol cited by a resolution, linked to the cited resolution when it is held here."""

    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="references", verbose_name=_("resolution")
    )
    paragraph = models.ForeignKey(
        Paragraph,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="references",
        verbose_name=_("paragraph"),
    )
    footnote = models.ForeignKey(
        Footnote,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="references",
        verbose_name=_("footnote"),
    )
    symbol = models.CharField(
        max_length=100, db_index=True, help_text=_("Normalised, e.g. A/RES/72/7."), verbose_name=_("symbol")
    )
    target = models.ForeignKey(
        Resolution,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cited_by",
        verbose_name=_("target"),
    )

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        ordering = ["resolution", "id"]
        # Who cites a resolution, and how many do (most cited), read from the index alone.
        indexes = [models.Index(fields=["target", "resolution"], name="reference_target_citing")]

    def __str__(self):
        return f"{self.resolution.symbol} \u2192 {self.symbol}"

    @property
    def un_url(self):
        """The UN's own link for any document symbol."""
        return un_document_url(self.symbol)


class Country(models.Model):
    """A country of ISO 3166-1, loaded from pycountry."""

    alpha3 = models.CharField(
        max_length=3, unique=True, help_text=_("ISO 3166-1 alpha-3, e.g. KAZ."), verbose_name=_("alpha3")
    )
    alpha2 = models.CharField(max_length=2, unique=True, verbose_name=_("alpha2"))
    name = models.CharField(max_length=200, verbose_name=_("name"))
    official_name = models.CharField(max_length=300, blank=True, verbose_name=_("official name"))
    published_note_count = models.PositiveIntegerField(
        default=0,
        db_default=0,
        editable=False,
        help_text=_("Its published notes, kept in step by resolutions.counters."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return fast_reverse("resolutions:country-detail", iso=self.alpha3.lower())


class VoteCast(models.TextChoices):
    YES = "yes", _("In favour")
    NO = "no", _("Against")
    ABSTAIN = "abstain", _("Abstaining")


class CountryVote(models.Model):
    """How one Member State voted on a resolution adopted by recorded vote."""

    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="country_votes", verbose_name=_("resolution")
    )
    country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="votes",
        help_text=_("Blank if unmatched."),
        verbose_name=_("country"),
    )
    name = models.CharField(
        max_length=200, help_text=_("The Member State as the UN's record names it."), verbose_name=_("name")
    )
    vote = models.CharField(max_length=8, choices=VoteCast.choices, verbose_name=_("vote"))

    class Meta:
        verbose_name = _("country vote")
        verbose_name_plural = _("country votes")
        ordering = ["resolution", "vote", "name"]
        constraints = [models.UniqueConstraint(fields=["resolution", "name"], name="unique_vote_per_state")]
        indexes = [
            # A country's totals (its page) read from the index alone: 6,705 votes of KAZ at the
            # generated scale in ~1 ms, where reading each row took 53 ms.
            models.Index(fields=["country", "vote"], name="countryvote_country_vote"),
            # Did this country vote on this resolution: one lookup per resolution, as its page walks
            # the resolutions newest first (views/vocabularies.py).
            models.Index(fields=["resolution", "country"], name="countryvote_resolution_country"),
        ]

    def __str__(self):
        return f"{self.name}: {self.get_vote_display()} on {self.resolution.symbol}"


class EntityKind(models.TextChoices):
    UN_ENTITY = "un", _("United Nations entity")
    REGIONAL_ORGANIZATION = "regional", _("Regional organization")
    GOVERNMENT = "government", _("Government")
    FUND = "fund", _("Fund or programme")
    OTHER = "other", _("Other partner")


class Entity(models.Model):
    """A UN body or partner: UNRCCA, UNAMA, UNODC, CARICC, the Peacebuilding Fund, a Government..."""

    name = models.CharField(max_length=300, unique=True, verbose_name=_("name"))
    short_name = models.CharField(
        max_length=40, blank=True, help_text=_("Acronym, e.g. UNRCCA."), verbose_name=_("short name")
    )
    slug = models.SlugField(max_length=100, unique=True, verbose_name=_("slug"))
    kind = models.CharField(
        max_length=16, choices=EntityKind.choices, default=EntityKind.OTHER, verbose_name=_("kind")
    )
    url = models.URLField(blank=True, help_text=_("Its public website."), verbose_name=_("url"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    published_note_count = models.PositiveIntegerField(
        default=0,
        db_default=0,
        editable=False,
        help_text=_("Its published notes, kept in step by resolutions.counters."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("entity")
        verbose_name_plural = _("entities")

    def __str__(self):
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    def get_absolute_url(self):
        return fast_reverse("resolutions:entity-detail", slug=self.slug)


class Theme(models.Model):
    name = models.CharField(max_length=200, unique=True, verbose_name=_("name"))
    slug = models.SlugField(max_length=100, unique=True, verbose_name=_("slug"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    published_note_count = models.PositiveIntegerField(
        default=0,
        db_default=0,
        editable=False,
        help_text=_("Its published notes, kept in step by resolutions.counters."),
    )

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return fast_reverse("resolutions:theme-detail", slug=self.slug)


class NoteKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    CONSULTATION = "consultation", _("Consultation")
    CONFERENCE = "conference", _("Conference")
    TRAINING = "training", _("Training")
    VISIT = "visit", _("Visit")
    STATEMENT = "statement", _("Statement")
    REPORT = "report", _("Report")
    PROGRAMME = "programme", _("Programme or initiative")
    OTHER = "other", _("Other")


# Notes and assessments share the editorial states and rule of resolutions/workflow.py.
NoteState = EditorialState

NOTE_BODY_MAX_LENGTH = 20_000
NOTE_LANGUAGE_DEFAULT = "en"


class LengthLimit(MaxLengthValidator):
    message = _(
        "This is too long: at most %(limit_value)d characters, and it has %(show_value)d. "
        "Shorten it; a long document is better linked as a source."
    )


class ImplementationNoteQuerySet(KnownCountQuerySet):
    def published(self):
        """What the public may see. The only visibility rule: every public view goes through it."""
        return self.filter(self.visible())

    @staticmethod
    def visible(prefix=""):
        """published() as a condition, for queries that reach notes through a join (`prefix`)."""
        return Q(**{f"{prefix}state": NoteState.PUBLISHED})

    def with_links(self, sources=False, translations=False):
        """What a note's card, page or API row shows of its links, in one query per kind, into plain
        lists (note.paragraph_list, ...): no related manager is built per note, and only the columns
        that labels and links use are read. Its published translations too: into the interface's
        language only (what a page shows: note.shown), or every one with `translations` (the API's)."""
        paragraphs = Paragraph.objects.select_related("resolution", "parent").only(
            *PARAGRAPH_LABEL_FIELDS,
            "resolution__symbol",
            "resolution__language",
            *(f"parent__{name}" for name in PARAGRAPH_LABEL_FIELDS),
        )
        lookups = [
            Prefetch("paragraphs", queryset=paragraphs, to_attr="_paragraph_list"),
            Prefetch(
                "countries", queryset=Country.objects.only("id", "alpha3", "name"), to_attr="_country_list"
            ),
            Prefetch("themes", queryset=Theme.objects.only("id", "slug", "name"), to_attr="_theme_list"),
            Prefetch(
                "entities",
                queryset=Entity.objects.only("id", "slug", "name", "short_name"),
                to_attr="_entity_list",
            ),
        ]
        if sources:
            lookups.append(Prefetch("sources", to_attr="_source_list"))
        lookups.append(translations_prefetch(everyone=translations))
        return self.prefetch_related(*lookups)

    def usual_for(self, author):
        """What `author` usually records, for the defaults of their next note: the kind of their latest
        note of a named kind (None when they have none) and the pks of the partner entities of their
        latest note that names any ([] when none does). Two queries, whatever their number of notes."""
        theirs = self.filter(author=author).order_by("-created_at", "-pk")
        kind = theirs.exclude(kind=NoteKind.OTHER).values_list("kind", flat=True).first()
        latest_with_partners = theirs.filter(entities__isnull=False).values("pk")[:1]
        entities = Entity.objects.filter(notes__in=Subquery(latest_with_partners)).order_by("name")
        return kind, list(entities.values_list("pk", flat=True))


def published_note_count(link):
    """How many published notes reach the outer row through `link`: "paragraphs", "countries",
    "entities", "themes", or "paragraphs__resolution".

    A correlated subquery read from the link table's index on the outer row's id, so its cost is
    the number of links of that one row, whatever the size of the database; it counts the visible
    notes only (published(), through the note's primary key).
    """
    relation, _separator, beyond = link.partition("__")  # not `_`: that is gettext_lazy here
    field = ImplementationNote._meta.get_field(relation)
    through = field.remote_field.through
    target = field.m2m_reverse_field_name()
    lookup = f"{target}__{beyond}" if beyond else target
    links = (
        through.objects.filter(
            ImplementationNoteQuerySet.visible(prefix="implementationnote__"),
            **{lookup: OuterRef("pk")},
        )
        .order_by()
        .values(lookup)
        .annotate(count=Count("implementationnote", distinct=bool(beyond)))
        .values("count")
    )
    return Coalesce(Subquery(links, output_field=IntegerField()), Value(0))


def note_reviewed_content(note):
    """What a reviewer approves of a note: everything the public sees of it, read from the database.
    Plain field and manager access only, so that a migration's historical model can use it too."""
    return {
        "fields": [
            note.title,
            note.body,
            note.start_date,
            note.end_date,
            note.kind,
            note.is_demo,
        ],
        **{
            name: sorted(getattr(note, name).values_list("pk", flat=True))
            for name in ("paragraphs", "countries", "entities", "themes")
        },
        "sources": list(note.sources.order_by("pk").values_list("title", "url", "document_symbol")),
        **note_language_content(note),
    }


def note_language_content(note):
    """A note's language, as part of its reviewed content when it is not English: the digests of notes
    recorded before notes had a language stay what they were (and a migration's model from before the
    field has none)."""
    language = getattr(note, "language", NOTE_LANGUAGE_DEFAULT)
    return {"language": language} if language != NOTE_LANGUAGE_DEFAULT else {}


def note_reviewed_contents(note_model, notes):
    """{pk: note_reviewed_content(note)} for many notes in six queries, whatever their number (the
    migration that records the content of every existing note uses it)."""
    notes = list(notes)
    pks = [note.pk for note in notes]
    links = {}
    for name in ("paragraphs", "countries", "entities", "themes"):
        field = note_model._meta.get_field(name)
        target = f"{field.m2m_reverse_field_name()}_id"
        rows = field.remote_field.through.objects.filter(implementationnote_id__in=pks)
        for note_id, target_id in rows.values_list("implementationnote_id", target):
            links.setdefault((name, note_id), []).append(target_id)
    sources = {}
    source_model = note_model._meta.get_field("sources").related_model
    for row in (
        source_model.objects.filter(note_id__in=pks)
        .order_by("pk")
        .values_list("note_id", "title", "url", "document_symbol")
    ):
        sources.setdefault(row[0], []).append(row[1:])
    return {
        note.pk: {
            "fields": [note.title, note.body, note.start_date, note.end_date, note.kind, note.is_demo],
            **{
                name: sorted(links.get((name, note.pk), []))
                for name in ("paragraphs", "countries", "entities", "themes")
            },
            "sources": sources.get(note.pk, []),
            **note_language_content(note),
        }
        for note in notes
    }


def assessment_reviewed_content(assessment):
    return [assessment.paragraph_id, assessment.status, assessment.as_of, assessment.rationale]


class ImplementationNote(Reviewed):
    """What was done to implement one or more operative paragraphs (reviewed: resolutions/workflow.py)."""

    title = models.CharField(max_length=300, verbose_name=_("title"))
    body = models.TextField(
        blank=True,
        validators=[LengthLimit(NOTE_BODY_MAX_LENGTH)],
        help_text=format_lazy(
            _("Markdown, at most {limit} characters. Rendered sanitised on public pages."),
            limit=lazy(number_format, str)(NOTE_BODY_MAX_LENGTH, force_grouping=True),  # "20,000", "20 000"
        ),
        verbose_name=pgettext_lazy("text", "body"),
    )
    body_html = models.TextField(
        blank=True, editable=False, help_text=_("The body as sanitised HTML, made from the Markdown on save.")
    )
    start_date = models.DateField(
        help_text=_("When it happened, or when the period began."), verbose_name=_("start date")
    )
    end_date = models.DateField(
        null=True,
        blank=True,
        help_text=_("Last day, for a period of several days."),
        verbose_name=_("end date"),
    )
    kind = models.CharField(
        max_length=16, choices=NoteKind.choices, default=NoteKind.OTHER, verbose_name=_("kind")
    )
    paragraphs = models.ManyToManyField(
        Paragraph,
        related_name="notes",
        help_text=_("The operative paragraph(s) it implements."),
        limit_choices_to={"kind": ParagraphKind.OPERATIVE},
        verbose_name=_("paragraphs"),
    )
    countries = models.ManyToManyField(Country, blank=True, related_name="notes", verbose_name=_("countries"))
    entities = models.ManyToManyField(
        Entity, blank=True, related_name="notes", verbose_name=_("partner entities")
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="notes", verbose_name=_("themes"))
    is_demo = models.BooleanField(
        default=False,
        help_text=_("Demonstration data built from the resolution's own text, not a real record."),
        verbose_name=_("is demo"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notes",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text=_("Counts saves; a save made from an older version is refused."),
        verbose_name=_("version"),
    )

    objects = ImplementationNoteQuerySet.as_manager()
    history = HistoricalRecords(
        app=HISTORY_APP,
        m2m_fields=["paragraphs", "countries", "entities", "themes"],
        excluded_fields=["body_html", "content_fingerprint"],
    )

    class Meta:
        verbose_name = _("implementation note")
        verbose_name_plural = _("implementation notes")
        ordering = ["-start_date", "-id"]
        # The public lists: published notes newest first, whole or by date range.
        indexes = [
            models.Index(fields=["state", "-start_date", "-id"], name="note_state_newest"),
            models.Index(fields=["state", "title"], name="note_state_title"),
            # The feeds and the sitemap: published notes, the latest published (or changed) first.
            models.Index(fields=["state", "-updated_at", "-id"], name="note_state_updated"),
        ]
        permissions = [
            ("publish_implementationnote", "Can publish, send back and withdraw implementation notes"),
            ("restore_implementationnote", "Can restore a deleted implementation note"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Derived fields only: the version counts saves, for optimistic concurrency (changes_since);
        # the rendered body is made here once rather than on every request.
        self.fill_derived_fields()
        if self.pk is not None and not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version", "updated_at", "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return fast_reverse("resolutions:note-detail", pk=self.pk)

    @classmethod
    def from_db(cls, db, field_names, values):
        note = super().from_db(db, field_names, values)
        if "state" in note.__dict__:
            note._counted_state = note.state  # what resolutions.counters compares a save with
        return note

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": gettext("The period cannot end before it starts.")})
        if self.pk and self.language and self.translations.filter(language=self.language).exists():
            raise ValidationError(
                {"language": gettext("The note has a translation into this language: it cannot be its own.")}
            )

    def fill_derived_fields(self):
        """Fill what is computed from the note's own fields (also for bulk_create, which skips save)."""
        self.body_html = render_markdown(self.body)

    # Its links as lists: prefetched by ImplementationNoteQuerySet.with_links(), else read now.

    def _links(self, prefetched, name):
        if prefetched in self.__dict__:
            return self.__dict__[prefetched]
        return list(getattr(self, name).all())

    @property
    def paragraph_list(self) -> list["Paragraph"]:
        return self._links("_paragraph_list", "paragraphs")

    @property
    def country_list(self) -> list["Country"]:
        return self._links("_country_list", "countries")

    @property
    def theme_list(self) -> list["Theme"]:
        return self._links("_theme_list", "themes")

    @property
    def entity_list(self) -> list["Entity"]:
        return self._links("_entity_list", "entities")

    @property
    def source_list(self) -> list["NoteSource"]:
        return self._links("_source_list", "sources")

    # The editorial rule is Reviewed's (resolutions/workflow.py); what a note adds to it:

    reviewed_name = _("a note")

    def reviewed_content(self):
        return note_reviewed_content(self)

    def incomplete(self):
        if not self.paragraphs.exists():
            return gettext("A note must implement at least one operative paragraph.")
        return ""

    def edit(self, user, sources=None, **changes):
        """Change the note as `user` from the shell: fields and links (paragraphs=[...], countries=...),
        and its sources (a list of {"title", "url", "document_symbol"}, replacing the present ones).
        Validated, saved and recorded as their edit (back to review if it was published)."""
        if not user.has_perm(self.permission("change")):
            raise PermissionDenied(gettext("Only editors, reviewers and administrators change notes."))
        links = {name: changes.pop(name) for name in self.LINKS if name in changes}
        for name, value in changes.items():
            setattr(self, name, value)
        self.full_clean(exclude=[*self.LINKS, *self.EDITORIAL_FIELDS])
        if "paragraphs" in links and not links["paragraphs"]:
            raise ValidationError(
                {"paragraphs": gettext("A note must implement at least one operative paragraph.")}
            )
        with transaction.atomic():
            self._history_user = user
            self.save()
            for name, value in links.items():
                getattr(self, name).set(value)
            if sources is not None:
                self.sources.all().delete()
                for source in sources:
                    NoteSource(note=self, **source).full_clean(exclude=["note"])
                    self.sources.create(**source)
            return self.record_edit(user)

    LINKS = ("paragraphs", "countries", "entities", "themes")

    def changes_since(self, version):
        """What changed since `version` was loaded: "title (by ann, 28 Nov 2026 01:30)", one a field."""
        records = self.history.filter(version__gte=version).order_by("history_date", "history_id")
        records = list(records.select_related("history_user"))
        base = [record for record in records if record.version == version]
        if not base:
            return [gettext("the note (its earlier version is not in its history)")]
        changes = {}
        older = base[-1]
        for record in records[records.index(older) + 1 :]:
            delta = record.diff_against(older, excluded_fields=["version", "updated_at"])
            when = date_format(localtime(record.history_date), "SHORT_DATETIME_FORMAT")
            for change in delta.changes:
                field = self._meta.get_field(change.field)
                if record.history_user:
                    changes[change.field] = gettext("%(field)s (by %(user)s, %(when)s)") % {
                        "field": field.verbose_name,
                        "user": record.history_user.get_username(),
                        "when": when,
                    }
                else:
                    changes[change.field] = gettext("%(field)s (by someone, %(when)s)") % {
                        "field": field.verbose_name,
                        "when": when,
                    }
            older = record
        return list(changes.values()) or [gettext("nothing you can see (it was saved again unchanged)")]

    @classmethod
    def restore_deleted(cls, pk, user):
        """Bring a deleted note back as a draft with its links and sources, as it was before deletion."""
        records = cls.history.filter(id=pk).order_by("-history_date", "-history_id")
        latest = records.first()
        if latest is None or latest.history_type != "-":
            raise ValidationError(gettext("There is no deleted note with this number."))
        if not user.has_perm(RESTORE_PERMISSION):
            raise PermissionDenied(gettext("Only administrators may restore a deleted note."))
        before = records.exclude(history_type="-").first() or latest
        with transaction.atomic():
            note = before.instance
            note.state, note.last_edited_by, note.content_fingerprint = NoteState.DRAFT, None, ""
            note._history_user = user
            note._change_reason = "Restored after deletion"
            note.save(force_insert=True)
            for name in ("paragraphs", "countries", "entities", "themes"):
                target = cls._meta.get_field(name).m2m_reverse_field_name()
                getattr(note, name).set(getattr(before, name).values_list(target, flat=True))
            for source in NoteSource.history.filter(note_id=pk, history_type="-"):
                if not NoteSource.objects.filter(pk=source.id).exists():
                    NoteSource.objects.create(
                        pk=source.id,
                        note=note,
                        title=source.title,
                        url=source.url,
                        document_symbol=source.document_symbol,
                    )
            note.record_edit(user)
        return note

    # Its language and its translations (resolutions/note_translations.py).

    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.UN_LANGUAGES,
        default=NOTE_LANGUAGE_DEFAULT,
        help_text=_("The language it is written in. Its translations into others are reviewed one by one."),
    )
    followers = ("translations",)  # Reviewed.record_edit: its change sends its published ones back to review
    show_original = False  # the note's page with ?original=1: its own text, even where a translation exists

    @property
    def translation_list(self) -> list["NoteTranslation"]:
        """Its translations the public reads: prefetched by with_links(translations=True), else read now."""
        if "_translation_list" in self.__dict__:
            return self.__dict__["_translation_list"]
        return list(NoteTranslation.objects.published().filter(note=self))

    @property
    def shown(self) -> "ShownNote":
        """What a page shows of it in the interface's language: a translation's text, or its own."""
        return ShownNote.of(self)


class NoteSource(models.Model):
    """A public document that shows what a note says."""

    note = models.ForeignKey(
        ImplementationNote, on_delete=models.CASCADE, related_name="sources", verbose_name=_("note")
    )
    title = models.CharField(max_length=300, verbose_name=_("title"))
    url = models.URLField(blank=True, verbose_name=_("url"))
    document_symbol = models.CharField(
        max_length=100, blank=True, help_text=_("e.g. A/RES/77/273."), verbose_name=_("document symbol")
    )

    history = HistoricalRecords(app=HISTORY_APP)

    class Meta:
        verbose_name = _("note source")
        verbose_name_plural = _("note sources")
        ordering = ["note", "id"]

    def __str__(self):
        return self.title

    @property
    def href(self):
        return self.url or (un_document_url(self.document_symbol) if self.document_symbol else "")


class AssessmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    ONGOING = "ongoing", _("Ongoing")
    IMPLEMENTED = "implemented", _("Implemented")


class AssessmentQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: published assessments only (the same rule as notes')."""
        return self.filter(state=EditorialState.PUBLISHED)


class Assessment(Reviewed):
    """Staff's judgement of an operative paragraph's status on a date. The newest published one is its
    current status; like notes, an assessment is public only once a second person has published it."""

    paragraph = models.ForeignKey(
        Paragraph,
        on_delete=models.CASCADE,
        related_name="assessments",
        limit_choices_to={"kind": ParagraphKind.OPERATIVE},
        verbose_name=_("paragraph"),
    )
    status = models.CharField(max_length=16, choices=AssessmentStatus.choices, verbose_name=_("status"))
    as_of = models.DateField(help_text=_("The date the judgement holds for."), verbose_name=_("as of"))
    rationale = models.TextField(
        help_text=_("Why: what was done, what is missing."), verbose_name=_("rationale")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = AssessmentQuerySet.as_manager()
    history = HistoricalRecords(app=HISTORY_APP, excluded_fields=["content_fingerprint"])

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["paragraph", "-as_of", "-id"]
        get_latest_by = ["as_of", "id"]
        indexes = [models.Index(fields=["paragraph", "-as_of", "-id"], name="assessment_newest")]
        permissions = [("publish_assessment", "Can publish, send back and withdraw assessments")]

    def __str__(self):
        return (
            f"{self.paragraph}: {self.get_status_display()} ({date_format(self.as_of, 'SHORT_DATE_FORMAT')})"
        )

    reviewed_name = _("an assessment")

    def reviewed_content(self):
        return assessment_reviewed_content(self)


# Translations of notes, in a module of their own (resolutions/note_translations.py).
from resolutions.note_translations import NoteTranslation, ShownNote, translations_prefetch  # noqa: E402

# E-mail alerts' models, in a module of their own (resolutions/subscriptions.py).
from resolutions.subscriptions import Delivery, Subscription  # noqa: E402, F401
