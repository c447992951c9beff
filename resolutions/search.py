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

import difflib
import re
from dataclasses import dataclass, field
from importlib import import_module
from urllib.parse import urlencode

from django.core.exceptions import FullResultSet
from django.core.paginator import Page, Paginator
from django.db import connection, connections
from django.db.models import IntegerField, Prefetch, Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resolutions.cache import remember
from resolutions.models import (
    FOOTNOTE_MARKER,
    Country,
    Entity,
    ImplementationNote,
    NoteSource,
    Paragraph,
    ParagraphText,
    Resolution,
    ResolutionText,
    Subject,
    Theme,
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
    ImplementationNote: [
        (ImplementationNote, "s.id", ""),
        # Also by what a note links to (migration 0015): "Kyrgyzstan", "UNRCCA", a theme, a source.
        *(
            (vocabulary, "l.implementationnote_id", f"JOIN {through} l ON l.{column} = s.id")
            for vocabulary, through, column in (
                (Country, ImplementationNote.countries.through._meta.db_table, "country_id"),
                (Entity, ImplementationNote.entities.through._meta.db_table, "entity_id"),
                (Theme, ImplementationNote.themes.through._meta.db_table, "theme_id"),
            )
        ),
        (NoteSource, "s.note_id", ""),
    ],
}
# A resolution is also found through its paragraphs (the resolutions list's q=).
THROUGH_PARAGRAPHS = [
    (Paragraph, "s.resolution_id", ""),
    (ParagraphText, "v.resolution_id", f"JOIN {Paragraph._meta.db_table} v ON v.id = s.paragraph_id"),
]


# The migrations that install the index: each indexes its tables (SQLITE_INDEX) the same way.
INDEX_MIGRATIONS = ("0007_search_index", "0015_search_note_links")


def ensure_index(using="default", rebuild=False):
    """Give every indexed SQLite table back its triggers, rebuilding the index if one was missing
    (Django alters a SQLite table by copying it, which drops its triggers) or if ``rebuild``.
    Returns whether the index was rebuilt. PostgreSQL keeps its triggers through such changes."""
    database = connections[using]
    if database.vendor != "sqlite":
        return False
    rebuilt = False
    with database.cursor() as cursor:
        tables = database.introspection.table_names(cursor)
        for name in INDEX_MIGRATIONS:
            migration = import_module(f"resolutions.migrations.{name}")
            if f"{next(iter(migration.SQLITE_INDEX))}_fts" not in tables:
                continue  # not installed (migrated back before it)
            if migration.ensure_sqlite_index(cursor) or rebuild:
                migration.rebuild_sqlite_index(cursor)
                rebuilt = True
    return rebuilt


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
        # A match through a link table (a country) reaches any number of notes: the newest POOL.
        newest = f" ORDER BY {key} DESC LIMIT {int(pool)}" if pool is not None and _fans_out(key) else ""
        return (
            f"SELECT {key} AS id{score} FROM ({match}) f JOIN {table} s ON s.id = f.rowid {join}{newest}",
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
    newest = (
        f" ORDER BY {key if _fans_out(key) else 's.id'} DESC LIMIT {int(pool)}" if pool is not None else ""
    )
    # Scored outside the selection, so that only the rows kept are ranked.
    return (
        "SELECT m.id, -ts_rank(m.search_vector, %s::tsquery) AS score FROM "
        f"(SELECT {key} AS id, s.search_vector FROM {table} s {join} WHERE {where}{newest}) m",
        [queries[PHRASE], *params],
    )


def _fans_out(key):
    """Whether a source reaches its results through a link table (``l``): one match, many results."""
    return key.startswith("l.")


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
        union.join(f"SELECT * FROM ({sql}) AS source{index}" for index, (sql, _params) in enumerate(pieces)),
        [param for _sql, params in pieces for param in params],
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
    # PostgreSQL: found only by trigrams (a misspelt resolution title), not by the words themselves.
    fuzzy: bool = False


def _ranked(queryset, words, pool=None, queries=None):
    """The visible matches in rank order, and how many there are: one query, whose cost is bounded
    by ``pool`` (POOL) whatever the number of matches.

    Each source (a model's index, its language versions' index) hands over its newest ``pool``
    matches with their scores (bm25 on SQLite, ts_rank on PostgreSQL); these are joined to the
    queryset's conditions (published() for notes), merged and ranked. When no source fills its
    pool, that is every match: the ranking and the total are exact. When one does, the query is
    broad: the best of the newest matches are shown and the total reads "at least" (``more``)."""
    pool = POOL if pool is None else pool
    visible, visible_params = _visibility(queryset)
    rows = []
    tries = _fuzziness(queryset.model)
    for fuzzy in tries:
        union, params = _union(_sources(queryset.model), words, True, pool, queries, fuzzy)
        rows = _execute(
            f"SELECT r.id, r.score, r.source FROM ({union}) r{visible}", [*params, *visible_params]
        )
        if rows:
            break
    found, full = _scores(rows, pool)
    ranked = sorted(found, key=lambda pk: (found[pk], pk))
    return Ranked(total=len(found), ids=ranked, more=full, fuzzy=bool(rows) and fuzzy and len(tries) > 1)


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
    page: Page | None = None  # the page of the ranked matches that ``results`` shows
    fuzzy: bool = False  # found only by trigrams (a misspelling), not by the words

    @property
    def total_label(self):
        total = number_format(self.total, force_grouping=True)
        return f"{total}+" if self.more else total


@dataclass
class Hit:
    title: str
    url: str
    excerpt: SafeString
    meta: str = ""
    context: str = ""  # where it stands: the resolution a paragraph belongs to
    language: str = ""  # of its title, excerpt and context (the text found)


def resolution_queryset():
    return Resolution.objects.all()


def paragraph_queryset():
    return Paragraph.objects.select_related("resolution", "parent__parent")


def note_queryset():
    return ImplementationNote.objects.published()


# What the search page offers to narrow a search to (SearchForm): the kinds of result, in order.
KINDS = {
    "resolutions": gettext_lazy("Resolutions"),
    "paragraphs": gettext_lazy("Paragraphs"),
    "notes": gettext_lazy("Implementation notes"),
}


def _narrowed(kind, resolutions):
    """The visible rows of ``kind`` within ``resolutions`` (a filtered queryset) or everywhere (None).
    The conditions are subqueries, so that _visibility() can write them beside the ranked ids."""
    if kind == "resolutions":
        return resolutions if resolutions is not None else resolution_queryset()
    if kind == "paragraphs":
        queryset = paragraph_queryset()
        return queryset if resolutions is None else queryset.filter(resolution__in=resolutions.values("pk"))
    queryset = note_queryset()
    if resolutions is None:
        return queryset
    links = ImplementationNote.paragraphs.through.objects.filter(
        paragraph__resolution__in=resolutions.values("pk")
    )
    return queryset.filter(pk__in=links.values("implementationnote_id"))


def search_all(
    query: str, limit: int = 20, kinds=None, page: int | str = 1, body: str = "", session: str = ""
) -> list[Group]:
    """The matches of ``query`` by kind (``kinds``: some of KINDS, all by default), best first, each
    group on its ``page`` of ``limit`` hits with its total; within the resolutions of ``body`` and
    ``session`` when given. A fixed number of queries: one per kind to rank, one per kind with hits
    for their rows (notes: and their links), and on PostgreSQL one to stem the words."""
    words = terms(query)
    within = {name: value for name, value in (("body", body), ("session", session)) if value}
    resolutions = Resolution.objects.filter(**within) if within else None
    listed = {"q": query, **within}
    lists = {"resolutions": "resolutions:resolution-list", "notes": "resolutions:note-list"}
    # PostgreSQL: the query's stemmed forms, looked up once for the three kinds.
    queries = _tsqueries(words) if words and connection.vendor != "sqlite" else None
    groups = []
    for kind in kinds or KINDS:
        queryset = _narrowed(kind, resolutions)
        ranked = _ranked(queryset, words, queries=queries)
        shown = Paginator(ranked.ids, limit).get_page(page)
        rows = _rows(kind, queryset, list(shown.object_list))
        # A notes list takes a resolution's filters only through a paragraph: link to it unfiltered.
        params = listed if kind == "resolutions" else {"q": query}
        more_url = reverse(lists[kind]) + "?" + urlencode(params) if kind in lists else ""
        groups.append(
            Group(
                kind,
                KINDS[kind],
                ranked.total,
                HITS[kind](rows, words),
                more_url,
                more=ranked.more,
                page=shown,
                fuzzy=ranked.fuzzy,
            )
        )
    return groups


def _rows(kind, queryset, ids):
    """The rows of ``ids``, in that order (one query; notes: and one per kind of link they show)."""
    if not ids:
        return []
    if kind == "notes":
        queryset = queryset.prefetch_related(
            Prefetch("countries", queryset=Country.objects.only("id", "name"), to_attr="_country_list"),
            Prefetch(
                "entities", queryset=Entity.objects.only("id", "name", "short_name"), to_attr="_entity_list"
            ),
            Prefetch("themes", queryset=Theme.objects.only("id", "name"), to_attr="_theme_list"),
        )
    rows = queryset.in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


def _hits_resolutions(rows, words):
    return [
        Hit(
            title=highlight(resolution.symbol, words),
            url=resolution.get_absolute_url(),
            excerpt=highlight(resolution.title, words, EXCERPT_CHARS),
            language=resolution.language,
            meta=(
                _("%(body)s, adopted %(date)s")
                % {"body": resolution.get_body_display(), "date": date_format(resolution.adopted_on)}
                if resolution.adopted_on
                else str(resolution.get_body_display())
            ),
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
            context=paragraph.resolution.title,
            language=paragraph.resolution.language,
        )
        for paragraph in rows
    ]


def _hits_notes(rows, words):
    hits = []
    for note in rows:
        # What it links to, highlighted: a note found by its country says so.
        links = [
            *(country.name for country in note.country_list),
            *(entity.short_name or entity.name for entity in note.entity_list),
            *(theme.name for theme in note.theme_list),
        ]
        hits.append(
            Hit(
                title=highlight(note.title, words),
                url=note.get_absolute_url(),
                excerpt=highlight(note.body, words, EXCERPT_CHARS),
                meta=f"{date_format(note.start_date)} · {note.get_kind_display()}",
                context=highlight(" · ".join(links), words) if links else "",
                language=note.language,
            )
        )
    return hits


HITS = {"resolutions": _hits_resolutions, "paragraphs": _hits_paragraphs, "notes": _hits_notes}


# --- "Did you mean": a misspelt word replaced by the closest word the tracker holds --------------

SUGGEST_CUTOFF = 0.8  # difflib's similarity ratio: "Afganistan" to "Afghanistan" is 0.95
SUGGEST_LENGTH = 4  # shorter words are left alone: too many near neighbours
WORD = re.compile(rf"[^\W\d_]{{{SUGGEST_LENGTH},}}")  # a word of letters, long enough


def _vocabulary():
    """{lower-case word: the word as written} of the names people search for: resolution titles,
    countries, partners, themes and subjects. The same on both databases (a portable fallback for
    what pg_trgm does for titles on PostgreSQL), kept until public content changes."""

    def compute():
        words = {}
        columns = [
            (Resolution, "title"),
            (Country, "name"),
            (Entity, "name"),
            (Entity, "short_name"),
            (Theme, "name"),
            (Subject, "name"),
        ]
        for model, column in columns:
            for text in model.objects.order_by().values_list(column, flat=True).distinct().iterator():
                for word in WORD.findall(text or ""):
                    # The form a title writes in capitals (UNBIS) gives way to another.
                    if word.lower() not in words or words[word.lower()].isupper():
                        words[word.lower()] = word
        return words

    return remember("search-vocabulary", compute)


def suggest(query: str) -> str:
    """The query with each word the tracker does not hold replaced by the closest one it holds
    ("Afganistan" -> "Afghanistan"), or "" when there is nothing to suggest."""
    words = terms(query)
    if not any(len(word) >= SUGGEST_LENGTH and word.isalpha() for word in words):
        return ""
    vocabulary = _vocabulary()
    by_length = {}
    for lower in vocabulary:
        by_length.setdefault(len(lower), []).append(lower)
    suggested, changed = [], False
    for word in words:
        lower = word.lower()
        if len(word) < SUGGEST_LENGTH or not word.isalpha() or lower in vocabulary:
            suggested.append(word)
            continue
        near = [w for length in range(len(lower) - 2, len(lower) + 3) for w in by_length.get(length, ())]
        close = difflib.get_close_matches(lower, near, n=1, cutoff=SUGGEST_CUTOFF)
        if close:
            suggested.append(vocabulary[close[0]])
            changed = True
        else:
            suggested.append(word)
    return " ".join(suggested) if changed else ""
