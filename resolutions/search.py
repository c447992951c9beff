"""Search across resolutions, paragraphs and published notes.

On PostgreSQL it uses the database's full-text search, computed at query time (ranked, stemmed,
with headlines); elsewhere (the SQLite default) every word must appear, in any case. Either way
the excerpts come back escaped, with the matches marked by <mark>.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from resolutions.models import FOOTNOTE_MARKER, ImplementationNote, Paragraph, Resolution

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
EXCERPT_CHARS = 240
# Private-use characters mark the matches inside PostgreSQL's headlines, so that the text around
# them can be escaped before the marks become <mark> tags.
START, STOP = "\ue000", "\ue001"


def terms(query: str) -> list[str]:
    """The words of a query; punctuation alone is no word."""
    words = [word.strip("\"'") for word in query.split()]
    return [word for word in words if any(char.isalnum() for char in word)][:MAX_TERMS]


def highlight(text: str, words: list[str], excerpt: int | None = None) -> SafeString:
    """Escape ``text`` and mark every occurrence of the words; with ``excerpt``, cut a window
    of about that many characters around the first match."""
    text = FOOTNOTE_MARKER.sub("", text or "")
    pattern = (
        re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)), re.IGNORECASE)
        if words
        else None
    )
    prefix = suffix = ""
    if excerpt and len(text) > excerpt:
        first = pattern.search(text) if pattern else None
        start = max(0, (first.start() if first else 0) - excerpt // 3)
        if start:
            start = text.find(" ", start) + 1 or start
            prefix = "… "
        end = start + excerpt
        if end < len(text):
            end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
            suffix = " …"
        text = text[start:end]
    pieces, position = [], 0
    for match in pattern.finditer(text) if pattern else ():
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(text[position:]))
    return mark_safe(escape(prefix) + "".join(pieces) + escape(suffix))


def headline(marked: str, source: str) -> SafeString:
    """A PostgreSQL headline of ``source`` with START/STOP marks, as escaped HTML with <mark>;
    an ellipsis says where the headline cuts the text."""
    marked, source = FOOTNOTE_MARKER.sub("", marked or ""), FOOTNOTE_MARKER.sub("", source or "").strip()
    plain = marked.replace(START, "").replace(STOP, "").strip()
    html = escape(marked.strip()).replace(START, "<mark>").replace(STOP, "</mark>")
    prefix = "" if source.startswith(plain[:30]) else "… "
    suffix = "" if source.endswith(plain[-30:]) else " …"
    return mark_safe(prefix + html + suffix)


@dataclass
class Group:
    kind: str
    title: str
    total: int
    results: list = field(default_factory=list)
    more_url: str = ""


@dataclass
class Hit:
    title: str
    url: str
    excerpt: SafeString
    meta: str = ""


def all_words(words, *fields):
    """Every word in at least one of the fields (the portable path)."""
    condition = Q()
    for word in words:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return condition


def resolution_queryset():
    return Resolution.objects.all()


def paragraph_queryset():
    return Paragraph.objects.select_related("resolution", "parent__parent")


def note_queryset():
    return ImplementationNote.objects.published()


def search_all(query: str, limit: int = 20) -> list[Group]:
    backend = _postgres if connection.vendor == "postgresql" else _portable
    resolutions, paragraphs, notes = backend(query, limit)
    with_query = "?" + urlencode({"q": query})
    return [
        Group(
            "resolutions", "Resolutions", *resolutions, reverse("resolutions:resolution-list") + with_query
        ),
        Group("paragraphs", "Paragraphs", *paragraphs),
        Group("notes", "Implementation notes", *notes, reverse("resolutions:note-list") + with_query),
    ]


def _hits_resolutions(rows, mark, words):
    return [
        Hit(
            title=highlight(resolution.symbol, words),
            url=resolution.get_absolute_url(),
            excerpt=mark(resolution, "title"),
            meta=f"{resolution.get_body_display()}"
            + (f", adopted {resolution.adopted_on:%-d %B %Y}" if resolution.adopted_on else ""),
        )
        for resolution in rows
    ]


def _hits_paragraphs(rows, mark, words):
    return [
        Hit(
            title=f"{paragraph.resolution.symbol} {paragraph.label}",
            url=paragraph.get_absolute_url(),
            excerpt=mark(paragraph, "text"),
            meta=paragraph.get_kind_display(),
        )
        for paragraph in rows
    ]


def _hits_notes(rows, mark, words):
    return [
        Hit(
            title=highlight(note.title, words),
            url=note.get_absolute_url(),
            excerpt=mark(note, "body"),
            meta=f"{note.start_date:%-d %B %Y} · {note.get_kind_display()}",
        )
        for note in rows
    ]


def _portable(query, limit):
    words = terms(query)

    def mark(row, name):
        if name == "text":  # a paragraph: its lead phrase and text, as printed
            return highlight(row.full_text(), words, EXCERPT_CHARS)
        return highlight(getattr(row, name), words, EXCERPT_CHARS)

    resolutions = resolution_queryset().filter(all_words(words, "symbol", "title"))
    paragraphs = paragraph_queryset().filter(all_words(words, "lead_phrase", "text"))
    notes = note_queryset().filter(all_words(words, "title", "body"))
    return (
        (resolutions.count(), _hits_resolutions(resolutions[:limit], mark, words)),
        (paragraphs.count(), _hits_paragraphs(paragraphs[:limit], mark, words)),
        (notes.count(), _hits_notes(notes[:limit], mark, words)),
    )


def _postgres(query, limit):
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector

    config = "english"
    words = terms(query)
    search_query = SearchQuery(query, search_type="websearch", config=config)

    def ranked(queryset, vector, headline_field, extra=None):
        options = {"config": config, "start_sel": START, "stop_sel": STOP, "max_words": 40, "min_words": 20}
        return (
            queryset.annotate(document=vector, rank=SearchRank(vector, search_query))
            .filter(Q(document=search_query) | (extra or Q(pk__in=[])))
            .annotate(headline=SearchHeadline(headline_field, search_query, **options))
            .order_by("-rank", "pk")
        )

    def mark(row, name):
        return headline(row.headline, getattr(row, name))

    resolutions = ranked(
        resolution_queryset(),
        SearchVector("symbol", weight="A", config=config) + SearchVector("title", weight="B", config=config),
        "title",
        extra=Q(symbol__iexact=query),
    )
    paragraphs = ranked(
        paragraph_queryset(),
        SearchVector("lead_phrase", weight="A", config=config)
        + SearchVector("text", weight="B", config=config),
        "text",
    )
    notes = ranked(
        note_queryset(),
        SearchVector("title", weight="A", config=config) + SearchVector("body", weight="B", config=config),
        "body",
    )

    def paragraph_mark(row, name):
        # The lead phrase is italic on the page and part of the sentence: keep it in the excerpt.
        text = headline(row.headline, row.text)
        if row.lead_phrase and not text.startswith("…"):
            return mark_safe(f"<em>{highlight(row.lead_phrase, words)}</em> {text}")
        return text

    def note_mark(row, name):
        # A note whose body does not match shows its body's opening words.
        return (
            headline(row.headline, row.body)
            if START in (row.headline or "")
            else highlight(row.body, [], EXCERPT_CHARS)
        )

    return (
        (resolutions.count(), _hits_resolutions(resolutions[:limit], mark, words)),
        (paragraphs.count(), _hits_paragraphs(paragraphs[:limit], paragraph_mark, words)),
        (notes.count(), _hits_notes(notes[:limit], note_mark, words)),
    )
