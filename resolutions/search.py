"""Search across resolutions, paragraphs and published notes, through the database's own index.

The index is kept in step by the database (migration 0007_search_index): on SQLite, FTS5
external-content tables ``<table>_fts`` maintained by triggers; on PostgreSQL, a
``search_vector`` column filled by a trigger, with a GIN index. What is indexed:

- a resolution: its symbol and title, and the title of each of its language versions;
- a paragraph: its lead phrase and text, and those of each of its language versions;
- a note: its title and body. Every note is indexed; who may see it is decided at query time,
  by ``ImplementationNote.objects.published()``.

Every word of the query must match (stemmed; words of three letters or more also match as
prefixes); results are ranked (bm25 on SQLite, ts_rank on PostgreSQL), and each group's total
comes from the same index scan as its first rows (a window count), never from a table scan.
On PostgreSQL, resolution titles also match by trigram similarity, which forgives misspellings.

``matching()`` is the one filter that the FilterSets' ``q`` and ``search_all()`` share.
"""

import re
from dataclasses import dataclass, field
from importlib import import_module
from urllib.parse import urlencode

from django.core.exceptions import FullResultSet
from django.db import connection, connections
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from resolutions.models import (
    FOOTNOTE_MARKER,
    ImplementationNote,
    Paragraph,
    ParagraphText,
    Resolution,
    ResolutionText,
)

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
EXCERPT_CHARS = 240
TRIGRAM_LENGTH = 5  # PostgreSQL: words this long may match a resolution title despite a typo
PREFIX_LENGTH = 3  # shorter words match whole words only: a prefix of one letter matches everything
# PostgreSQL: the query is stemmed in every language whose texts are stemmed (see the migration).
TS_CONFIGS = ("english", "french", "spanish", "russian", "arabic", "simple")
# A light English stemmer for highlighting, so that "encouraging" marks "Encourages" as the index found it.
SUFFIXES = re.compile(r"(?:ations?|ing|ed|es|s)$")

# The rows each kind of result is found through: (indexed model, the column holding the result's id).
SOURCES = {
    Resolution: [(Resolution, "id"), (ResolutionText, "resolution_id")],
    Paragraph: [(Paragraph, "id"), (ParagraphText, "paragraph_id")],
    ImplementationNote: [(ImplementationNote, "id")],
}


def _index_migration():
    return import_module("resolutions.migrations.0007_search_index")


def ensure_index(using="default", rebuild=False):
    """Give every indexed SQLite table back its triggers, rebuilding the index if one was missing
    (Django alters a SQLite table by copying it, which drops its triggers) or if ``rebuild``.
    Returns whether the index was rebuilt. PostgreSQL keeps its triggers through such changes."""
    database = connections[using]
    if database.vendor != "sqlite":
        return False
    migration = _index_migration()
    with database.cursor() as cursor:
        if f"{Paragraph._meta.db_table}_fts" not in database.introspection.table_names(cursor):
            return False  # the index is not installed (migrated back before 0007)
        if migration.ensure_sqlite_index(cursor) or rebuild:
            migration.rebuild_sqlite_index(cursor)
            return True
    return False


def ensure_index_after_migrate(sender, using="default", **kwargs):
    """A post_migrate receiver: later migrations may have rebuilt indexed tables."""
    ensure_index(using)


def terms(query: str) -> list[str]:
    """The words of a query; punctuation alone is no word."""
    words = [word.strip("\"'") for word in query.split()]
    return [word for word in words if any(char.isalnum() for char in word)][:MAX_TERMS]


def _tokens(word: str) -> list[str]:
    """A word as the index splits it: "A/RES/77/273" is the phrase a res 77 273."""
    return re.findall(r"\w+", word.lower())


def fts5_query(words: list[str]) -> str:
    """An FTS5 MATCH expression: every word, as a prefix when long enough; a split word as a phrase."""
    parts = []
    for word in words:
        tokens = _tokens(word)
        if len(tokens) > 1:
            parts.append('"' + " ".join(tokens) + '"')
        elif tokens:
            parts.append(f'"{tokens[0]}"' + ("*" if len(tokens[0]) >= PREFIX_LENGTH else ""))
    return " AND ".join(parts)


def tsquery_text(words: list[str]) -> str:
    """The same query as ``fts5_query``, in to_tsquery's syntax."""
    parts = []
    for word in words:
        tokens = _tokens(word)
        if len(tokens) > 1:
            parts.append("(" + " <-> ".join(f"'{token}'" for token in tokens) + ")")
        elif tokens:
            parts.append(f"'{tokens[0]}'" + (":*" if len(tokens[0]) >= PREFIX_LENGTH else ""))
    return " & ".join(parts)


def _source_sql(model, key, words, ranked, top=None):
    """SQL selecting (id[, score]) of the results found through ``model``'s rows; lower scores rank
    first. With ``top``, only the best ``top`` of this source: the index ranks them itself."""
    table = model._meta.db_table
    if connection.vendor == "sqlite":
        match = f"SELECT rowid, rank AS score FROM {table}_fts(%s)"
        if top is not None:
            match += f" ORDER BY rank LIMIT {int(top)}"
        score = ", f.score" if ranked else ""
        if key == "id":
            return f"SELECT f.rowid AS id{score} FROM ({match}) f", [fts5_query(words)]
        return (
            f"SELECT s.{key} AS id{score} FROM ({match}) f JOIN {table} s ON s.id = f.rowid",
            [fts5_query(words)],
        )
    tsquery = "(" + " || ".join(f"to_tsquery('{config}', %s)" for config in TS_CONFIGS) + ")"
    score, params = "", []
    if ranked:
        score, params = (
            f", -ts_rank(s.search_vector, {tsquery}) AS score",
            [tsquery_text(words)] * len(TS_CONFIGS),
        )
    order = f" ORDER BY score LIMIT {int(top)}" if ranked and top is not None else ""
    if model is Resolution:
        # Every word must match, but a misspelt word may match a word of the title by its trigrams.
        conditions = []
        for word in words:
            conditions.append(f"(s.search_vector @@ {tsquery} OR %s <%% s.title)")
            params += [tsquery_text([word])] * len(TS_CONFIGS) + [word if len(word) >= TRIGRAM_LENGTH else ""]
        return f"SELECT s.{key} AS id{score} FROM {table} s WHERE {' AND '.join(conditions)}{order}", params
    params += [tsquery_text(words)] * len(TS_CONFIGS)
    return f"SELECT s.{key} AS id{score} FROM {table} s WHERE s.search_vector @@ {tsquery}{order}", params


def _union(model, words, ranked, top=None):
    pieces = [_source_sql(source, key, words, ranked, top) for source, key in SOURCES[model]]
    # Parenthesised so that each source keeps its own ORDER BY ... LIMIT.
    union = " UNION ALL " if ranked else " UNION "
    return (
        union.join(f"SELECT * FROM ({sql}) AS source{index}" for index, (sql, _) in enumerate(pieces)),
        [param for _, params in pieces for param in params],
    )


def matching_ids(model, query: str) -> tuple[str, list]:
    """SQL (and its parameters) selecting the ids of the ``model`` rows that match ``query``."""
    return _union(model, terms(query), ranked=False)


def matching(model, query: str, include_paragraphs: bool = False) -> Q:
    """A filter on ``model`` keeping the rows that match ``query`` (for resolutions, with
    ``include_paragraphs``, also those with a matching paragraph). Visibility is the queryset's."""
    if not terms(query):
        return Q(pk__in=[])
    condition = Q(pk__in=RawSQL(*matching_ids(model, query)))
    if include_paragraphs:
        sql, params = matching_ids(Paragraph, query)
        table = Paragraph._meta.db_table
        condition |= Q(pk__in=RawSQL(f"SELECT resolution_id FROM {table} WHERE id IN ({sql})", params))
    return condition


def _visibility(queryset):
    """The queryset's own conditions (published() for notes) as SQL joined on ``r.id``."""
    table = queryset.model._meta.db_table
    try:
        where, params = queryset.query.get_compiler(using=queryset.db).compile(queryset.query.where)
    except FullResultSet:  # no conditions: every match is visible
        return "", []
    return f" JOIN {table} ON {table}.id = r.id WHERE {where}", params


def _ranked(queryset, words, limit):
    """The ids of the best ``limit`` visible matches in rank order, and how many match: two queries.

    Where every match is visible (resolutions, paragraphs), each source's index ranks its own
    matches and hands over only its best (bm25 and ts_rank run inside the index scan). Where the
    queryset hides rows (published() for notes), every match is joined to its row first, so that a
    hidden row never takes a visible one's place. The total is a count over the index, joined to
    the table only where visibility needs it."""
    visible, visible_params = _visibility(queryset)
    union, params = _union(queryset.model, words, ranked=False)
    ((total,),) = _execute(f"SELECT count(*) FROM ({union}) r{visible}", [*params, *visible_params])
    if not total:
        return 0, []
    union, params = _union(queryset.model, words, ranked=True, top=None if visible else limit)
    rows = _execute(
        f"SELECT r.id FROM (SELECT id, min(score) AS score FROM ({union}) m GROUP BY id) r"
        f"{visible} ORDER BY r.score, r.id LIMIT %s",
        [*params, *visible_params, limit],
    )
    return total, [pk for (pk,) in rows]


def _execute(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _word_pattern(word: str) -> str:
    stem = SUFFIXES.sub("", word) if len(word) > 4 and word.isalpha() else word
    return re.escape(stem) + r"\w*" if stem != word else re.escape(word)


def highlight(text: str, words: list[str], excerpt: int | None = None) -> SafeString:
    """Escape ``text`` and mark every occurrence of the words (and of their English stems); with
    ``excerpt``, cut a window of about that many characters around the first match."""
    text = FOOTNOTE_MARKER.sub("", text or "")
    pattern = (
        re.compile(
            "|".join(_word_pattern(word) for word in sorted(words, key=len, reverse=True)), re.IGNORECASE
        )
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


def resolution_queryset():
    return Resolution.objects.all()


def paragraph_queryset():
    return Paragraph.objects.select_related("resolution", "parent__parent")


def note_queryset():
    return ImplementationNote.objects.published()


def _found(queryset, words, limit):
    """(total, rows in rank order): two queries, whatever the number of matches."""
    total, ids = _ranked(queryset, words, limit)
    rows = queryset.in_bulk(ids) if ids else {}
    return total, [rows[pk] for pk in ids if pk in rows]


def search_all(query: str, limit: int = 20) -> list[Group]:
    words = terms(query)
    with_query = "?" + urlencode({"q": query})
    resolutions = _found(resolution_queryset(), words, limit)
    paragraphs = _found(paragraph_queryset(), words, limit)
    notes = _found(note_queryset(), words, limit)
    return [
        Group(
            "resolutions",
            "Resolutions",
            resolutions[0],
            _hits_resolutions(resolutions[1], words),
            reverse("resolutions:resolution-list") + with_query,
        ),
        Group("paragraphs", "Paragraphs", paragraphs[0], _hits_paragraphs(paragraphs[1], words)),
        Group(
            "notes",
            "Implementation notes",
            notes[0],
            _hits_notes(notes[1], words),
            reverse("resolutions:note-list") + with_query,
        ),
    ]


def _hits_resolutions(rows, words):
    return [
        Hit(
            title=highlight(resolution.symbol, words),
            url=resolution.get_absolute_url(),
            excerpt=highlight(resolution.title, words, EXCERPT_CHARS),
            meta=f"{resolution.get_body_display()}"
            + (f", adopted {resolution.adopted_on:%-d %B %Y}" if resolution.adopted_on else ""),
        )
        for resolution in rows
    ]


def _hits_paragraphs(rows, words):
    return [
        Hit(
            title=f"{paragraph.resolution.symbol} {paragraph.label}",
            url=paragraph.get_absolute_url(),
            # The lead phrase is part of the sentence, as the UN prints it.
            excerpt=highlight(paragraph.full_text(), words, EXCERPT_CHARS),
            meta=paragraph.get_kind_display(),
        )
        for paragraph in rows
    ]


def _hits_notes(rows, words):
    return [
        Hit(
            title=highlight(note.title, words),
            url=note.get_absolute_url(),
            excerpt=highlight(note.body, words, EXCERPT_CHARS),
            meta=f"{note.start_date:%-d %B %Y} · {note.get_kind_display()}",
        )
        for note in rows
    ]
