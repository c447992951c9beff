"""Search across resolutions, paragraphs and published notes, through the database's own index.

The index is kept in step by the database (migration 0007_search_index): on SQLite, FTS5
external-content tables ``<table>_fts`` maintained by triggers; on PostgreSQL, a
``search_vector`` column filled by a trigger, with a GIN index. What is indexed:

- a resolution: its symbol and title, and the title of each of its language versions;
- a paragraph: its lead phrase and text, and those of each of its language versions;
- a note: its title and body. Every note is indexed; who may see it is decided at query time,
  by ``ImplementationNote.objects.published()``.

Every word of the query must match (stemmed; words of three letters or more also match as
prefixes); results are ranked (bm25 on SQLite, ts_rank on PostgreSQL). The search page ranks the
newest POOL matches of each index, in one query with its total, so its cost does not grow with the
number of matches: a query with more matches than that (a broad word over the whole UN corpus)
shows the best of the newest and says "more than" its total.
On PostgreSQL, resolution titles also match by trigram similarity, which forgives misspellings.

``matching()`` is the one filter that the FilterSets' ``q`` and ``search_all()`` share.
"""

import re
from dataclasses import dataclass, field
from importlib import import_module
from urllib.parse import urlencode

from django.core.exceptions import FullResultSet
from django.db import connection, connections
from django.db.models import IntegerField, Q
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
# The search page ranks at most this many of the newest matches of each source (see _ranked).
POOL = 1000
# PostgreSQL: the query is stemmed in every language whose texts are stemmed (see the migration).
TS_CONFIGS = ("english", "french", "spanish", "russian", "arabic", "simple")
# A light English stemmer for highlighting, so that "encouraging" marks "Encourages" as the index found it.
SUFFIXES = re.compile(r"(?:ations?|ing|ed|es|s)$")

# The rows each kind of result is found through: (indexed model, the SQL giving the result's id
# from its row ``s``, a join that this needs).
SOURCES = {
    Resolution: [(Resolution, "s.id", ""), (ResolutionText, "s.resolution_id", "")],
    Paragraph: [(Paragraph, "s.id", ""), (ParagraphText, "s.paragraph_id", "")],
    ImplementationNote: [(ImplementationNote, "s.id", "")],
}
# A resolution is also found through its paragraphs (the resolutions list's q=).
THROUGH_PARAGRAPHS = [
    (Paragraph, "s.resolution_id", ""),
    (ParagraphText, "v.resolution_id", f"JOIN {Paragraph._meta.db_table} v ON v.id = s.paragraph_id"),
]


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


def _source_sql(model, key, join, words, ranked, pool=None, queries=None, fuzzy=True):
    """SQL selecting (id[, score]) of the results found through ``model``'s rows ``s`` (the result's id
    is ``key``, e.g. ``s.id``); lower scores rank first. With ``pool``, only the newest ``pool``
    matches of this source, scored: the index hands them over in row order and stops, so the cost
    does not grow with the number of matches."""
    table = model._meta.db_table
    if connection.vendor == "sqlite":
        match = f"SELECT rowid, rank AS score FROM {table}_fts(%s)"
        if pool is not None:
            match += f" ORDER BY rowid DESC LIMIT {int(pool)}"
        score = ", f.score" if ranked else ""
        if key == "s.id" and not join:
            return f"SELECT f.rowid AS id{score} FROM ({match}) f", [fts5_query(words)]
        return (
            f"SELECT {key} AS id{score} FROM ({match}) f JOIN {table} s ON s.id = f.rowid {join}",
            [fts5_query(words)],
        )
    params = []
    if model is Resolution and fuzzy:
        # Every word must match, but a misspelt word may match a word of the title by its trigrams.
        conditions = []
        for word in words:
            conditions.append("(s.search_vector @@ %s::tsquery OR %s <%% s.title)")
            params += [queries[word], word if len(word) >= TRIGRAM_LENGTH else ""]
        where = " AND ".join(conditions)
    else:
        where = "s.search_vector @@ %s::tsquery"
        params.append(queries[PHRASE])
    if not ranked:
        return f"SELECT {key} AS id FROM {table} s {join} WHERE {where}", params
    newest = f" ORDER BY s.id DESC LIMIT {int(pool)}" if pool is not None else ""
    # Scored outside the selection, so that only the rows kept are ranked.
    return (
        "SELECT m.id, -ts_rank(m.search_vector, %s::tsquery) AS score FROM "
        f"(SELECT {key} AS id, s.search_vector FROM {table} s {join} WHERE {where}{newest}) m",
        [queries[PHRASE], *params],
    )


PHRASE = object()  # the key of the whole query in _tsqueries()' answer (its words are the others')


def _tsqueries(words):
    """PostgreSQL: the query in to_tsquery's form, stemmed in every language (TS_CONFIGS) and each
    form once: {PHRASE: every word, word: that word alone}. The six configurations give the same
    lexeme for most words ('water' four times, 'wat' twice); OR-ed as they come, the planner counts
    each copy and takes a word for four times as common as it is, so it walks the whole table by its
    key where the index would have handed over the few matches. One query, whatever the words."""
    texts = [tsquery_text(words), *(tsquery_text([word]) for word in words)]
    per_config = ", ".join(f"to_tsquery('{config}', v.t)" for config in TS_CONFIGS)
    values = ", ".join(f"({index}, %s)" for index in range(len(texts)))
    rows = _execute(
        "SELECT v.i, string_agg(DISTINCT '(' || q::text || ')', ' | ') "
        f"FROM (VALUES {values}) AS v(i, t) CROSS JOIN LATERAL unnest(ARRAY[{per_config}]) AS q "
        "WHERE numnode(q) > 0 GROUP BY v.i",
        texts,
    )
    found = dict(rows)
    keys = [PHRASE, *words]
    return {key: found.get(index, "") for index, key in enumerate(keys)}


def _union(sources, words, ranked, pool=None, queries=None, fuzzy=True):
    if connection.vendor != "sqlite" and queries is None:
        queries = _tsqueries(words)
    pieces = [
        _source_sql(source, key, join, words, ranked, pool, queries, fuzzy) for source, key, join in sources
    ]
    if ranked:
        # Each row says which source found it, so that a source that filled its pool is known.
        pieces = [
            (f"SELECT p.*, {index} AS source FROM ({sql}) p", params)
            for index, (sql, params) in enumerate(pieces)
        ]
    # Parenthesised so that each source keeps its own ORDER BY ... LIMIT.
    union = " UNION ALL " if ranked else " UNION "
    return (
        union.join(f"SELECT * FROM ({sql}) AS source{index}" for index, (sql, _) in enumerate(pieces)),
        [param for _, params in pieces for param in params],
    )


def _sources(model, include_paragraphs=False):
    return SOURCES[model] + (THROUGH_PARAGRAPHS if include_paragraphs else [])


def matching(model, query: str, include_paragraphs: bool = False) -> Q:
    """A filter on ``model`` keeping the rows that match ``query`` (for resolutions, with
    ``include_paragraphs``, also those with a matching paragraph). Visibility is the queryset's."""
    if not terms(query):
        return Q(pk__in=[])
    return Q(pk__in=RawSQL(*_union(_sources(model, include_paragraphs), terms(query), ranked=False)))


def _visibility(queryset):
    """The queryset's own conditions (published() for notes) as SQL joined on ``r.id``."""
    table = queryset.model._meta.db_table
    try:
        where, params = queryset.query.get_compiler(using=queryset.db).compile(queryset.query.where)
    except FullResultSet:  # no conditions: every match is visible
        return "", []
    return f" JOIN {table} ON {table}.id = r.id WHERE {where}", params


@dataclass
class Ranked:
    """What one kind of result found: how many (at least, when ``more``) and the best ids in order."""

    total: int
    ids: list
    more: bool = False


def _ranked(queryset, words, limit, pool=None, queries=None):
    """The best ``limit`` visible matches in rank order, and how many there are: one query, whose
    cost is bounded by ``pool`` (POOL) whatever the number of matches.

    Each source (a model's index, its language versions' index) hands over its newest ``pool``
    matches with their scores (bm25 on SQLite, ts_rank on PostgreSQL); these are joined to the
    queryset's conditions (published() for notes), merged and ranked. When no source fills its
    pool, that is every match: the ranking and the total are exact. When one does, the query is
    broad: the best of the newest matches are shown and the total reads "at least" (``more``)."""
    pool = POOL if pool is None else pool
    visible, visible_params = _visibility(queryset)
    rows = []
    for fuzzy in _fuzziness(queryset.model):
        union, params = _union(_sources(queryset.model), words, True, pool, queries, fuzzy)
        rows = _execute(
            f"SELECT r.id, r.score, r.source FROM ({union}) r{visible}", [*params, *visible_params]
        )
        if rows:
            break
    found, full = _scores(rows, pool)
    ranked = sorted(found, key=lambda pk: (found[pk], pk))
    return Ranked(total=len(found), ids=ranked[:limit], more=full)


def _fuzziness(model):
    """The ranked searches to try in turn. PostgreSQL matches a misspelt resolution title by trigrams,
    but the planner takes that test for cheap and makes it on every row it walks (0.3 s over 25,000
    resolutions, where the trigram index answers in 15 ms); so the words are matched first, and the
    trigrams only when they find nothing (a misspelling)."""
    return (False, True) if model is Resolution and connection.vendor != "sqlite" else (True,)


def _scores(rows, pool):
    """{id: its best score} of (id, score, source) rows, and whether a source filled its pool."""
    found = {}
    from_source = {}
    for pk, score, source in rows:
        found[pk] = min(score, found.get(pk, score))
        from_source[source] = from_source.get(source, 0) + 1
    return found, any(count >= pool for count in from_source.values())


def rank(queryset, query: str, filtered: bool, include_paragraphs: bool = False) -> Ranked | None:
    """The rows of ``queryset`` matching ``query``, best first (``ids``: all of them, in rank order),
    for a list's ``q=`` (resolutions.filters): one bounded query for the scores, one for the
    queryset's own conditions over the ids found, whatever the number of matches.

    As on the search page, each index hands over its newest POOL matches, scored. When none fills
    its pool, these are every match: exact. When one does (a broad word over the whole corpus), an
    otherwise unfiltered list shows the best of the newest and says there are more (``more``); a
    list ``filtered`` by other conditions too could lose its matches among the older ones, so None
    is returned and the caller lists every match instead (``matching``), unranked."""
    words = terms(query)
    if not words:
        return Ranked(total=0, ids=[])
    for fuzzy in _fuzziness(queryset.model):
        union, params = _union(_sources(queryset.model, include_paragraphs), words, True, POOL, fuzzy=fuzzy)
        found, full = _scores(_execute(f"SELECT r.id, r.score, r.source FROM ({union}) r", params), POOL)
        if found:
            break
    if full and filtered:
        return None
    visible = set(queryset.filter(pk__in=list(found)).values_list("pk", flat=True)) if found else set()
    ranked = sorted(visible, key=lambda pk: (found[pk], pk))
    return Ranked(total=len(ranked), ids=ranked, more=full)


def rank_order(model, ids):
    """An order_by() expression putting ``model``'s rows in the order of ``ids``: one parameter,
    however many ids (a CASE of a thousand branches costs more to build than the query to run)."""
    column = f'"{model._meta.db_table}"."{model._meta.pk.column}"'
    if connection.vendor == "sqlite":
        # The position of ",id," in ",3,1,2,": the same order as the list's.
        listed = "," + ",".join(str(int(pk)) for pk in ids) + ","
        return RawSQL(f"instr(%s, ',' || {column} || ',')", [listed], output_field=IntegerField())
    return RawSQL(f"array_position(%s::bigint[], {column}::bigint)", [list(ids)], output_field=IntegerField())


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
    more: bool = False  # the total is a lower bound: there are more matches than were ranked

    @property
    def total_label(self):
        return f"{self.total:,}+" if self.more else f"{self.total:,}"


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


def _found(queryset, words, limit, queries=None):
    """(Ranked, rows in rank order): two queries, whatever the number of matches."""
    ranked = _ranked(queryset, words, limit, queries=queries)
    rows = queryset.in_bulk(ranked.ids) if ranked.ids else {}
    return ranked, [rows[pk] for pk in ranked.ids if pk in rows]


def search_all(query: str, limit: int = 20) -> list[Group]:
    words = terms(query)
    with_query = "?" + urlencode({"q": query})
    kinds = [
        (
            "resolutions",
            "Resolutions",
            resolution_queryset(),
            _hits_resolutions,
            "resolutions:resolution-list",
        ),
        ("paragraphs", "Paragraphs", paragraph_queryset(), _hits_paragraphs, None),
        ("notes", "Implementation notes", note_queryset(), _hits_notes, "resolutions:note-list"),
    ]
    # PostgreSQL: the query's stemmed forms, looked up once for the three kinds.
    queries = _tsqueries(words) if words and connection.vendor != "sqlite" else None
    groups = []
    for kind, title, queryset, hits, list_route in kinds:
        ranked, rows = _found(queryset, words, limit, queries)
        more_url = reverse(list_route) + with_query if list_route else ""
        groups.append(Group(kind, title, ranked.total, hits(rows, words), more_url, more=ranked.more))
    return groups


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
