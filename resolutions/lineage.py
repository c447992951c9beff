"""Lineage: a resolution adopted again (77/273 follows 75/272), what changed from one to the next, and
the tracking that follows a paragraph into its successor.

Pure functions first (no database), then the writes that use them:

- find_predecessor(resolution, candidates): the earlier resolution a resolution follows, with a score
  and the reason, from its title, body, date, agenda item and what its preamble cites.
- align_paragraphs(old, new): each new paragraph matched to its counterpart (or new), the rest dropped.
- word_diff(old, new): the words deleted and inserted, as [("=" | "-" | "+", text), ...].
- link_series(resolutions): finds and stores the predecessor links (SeriesLink) of those resolutions
  whose link staff have not decided, aligns their paragraphs (ParagraphAlignment) and puts each chain
  of links into one Series. Run by the importer for what it loads and by `manage.py link_series`.
"""

import re
import threading
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from resolutions.cache import bump_public_content
from resolutions.models import (
    Assessment,
    Body,
    Paragraph,
    ParagraphAlignment,
    ParagraphChange,
    ParagraphKind,
    Reference,
    Resolution,
    Series,
    SeriesLink,
    SeriesLinkOrigin,
)

# ---- finding predecessors ------------------------------------------------------------------------

# A title this close to another's (0 to 1, difflib's ratio of the normalised titles) is "the same title".
SAME_TITLE = 0.9
# A resolution that cites an earlier one follows it when their titles are at least this close.
NEAR_TITLE = 0.6


@dataclass(frozen=True)
class ResolutionFacts:
    """What predecessor detection reads of a resolution."""

    symbol: str
    body: str
    when: tuple  # sorts in adoption order: (adoption date or "", natural sort key)
    title: str
    agenda: frozenset = frozenset()
    cites: frozenset = frozenset()  # symbols its preamble (and footnotes) cite


@dataclass(frozen=True)
class Candidate:
    symbol: str
    score: float
    reason: str


def normalise_title(title: str) -> str:
    """Lower case, words only: "Role of the United Nations Regional Centre ..." compares whatever the
    punctuation, line breaks or a trailing full stop."""
    return " ".join(re.findall(r"\w+", title.casefold()))


def session_of(symbol: str) -> str:
    """ "77" of A/RES/77/273 and A/HRC/RES/52/1; "" where the symbol names none (S/RES/2504 (2020))."""
    match = re.search(r"/RES/([^/]+)/", symbol)
    return match.group(1) if match else ""


def title_similarity(a: str, b: str) -> float:
    a, b = normalise_title(a), normalise_title(b)
    if a == b:
        return 1.0
    return SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def score_candidate(resolution: ResolutionFacts, earlier: ResolutionFacts) -> Candidate | None:
    """Whether ``earlier`` can be what ``resolution`` follows, how surely, and why; None when not.

    The same (or nearly the same) title suffices in the General Assembly and the other bodies whose
    titles name the subject; the Security Council reuses titles for unrelated mandates ("The situation
    in Libya"), so there the later one must also cite the earlier. A near title needs a citation."""
    if (
        earlier.symbol == resolution.symbol
        or earlier.body != resolution.body
        or earlier.when >= resolution.when
    ):
        return None
    if resolution.body != Body.SECURITY_COUNCIL and session_of(earlier.symbol) == session_of(
        resolution.symbol
    ):
        return None  # another resolution of its session (its part A, a budget question) is no predecessor
    similarity = title_similarity(resolution.title, earlier.title)
    cited = earlier.symbol in resolution.cites
    agenda = bool(resolution.agenda & earlier.agenda)
    same = similarity >= SAME_TITLE
    if not (
        (same and (cited or resolution.body != Body.SECURITY_COUNCIL)) or (cited and similarity >= NEAR_TITLE)
    ):
        return None
    reasons = ["same title" if same else f"similar title ({similarity:.0%})"]
    if cited:
        reasons.append(f"cites {earlier.symbol}")
    if agenda:
        reasons.append("same agenda item")
    score = round(0.6 * similarity + 0.3 * cited + 0.1 * agenda, 3)
    return Candidate(earlier.symbol, score, ", ".join(reasons))


def find_predecessor(resolution: ResolutionFacts, candidates) -> Candidate | None:
    """The latest earlier resolution among ``candidates`` that ``resolution`` follows (the one before
    it in the series, not the first), the surest when two were adopted the same day."""
    scored = [
        (earlier.when, found.score, found)
        for earlier in candidates
        if (found := score_candidate(resolution, earlier)) is not None
    ]
    return max(scored, key=lambda item: item[:2])[2] if scored else None


# ---- aligning paragraphs -------------------------------------------------------------------------

# Paragraphs this similar (difflib's ratio of their words) are the same paragraph, changed.
MATCH = 0.5
# Out of order (a paragraph moved), a pair needs to be this similar.
MOVED = 0.7

WORD = re.compile(r"\w+(?:[/.,:'’-]\w+)*|[^\w\s]")
DIFF_TOKEN = re.compile(r"\w+(?:[/.,:'’-]\w+)*\s*|[^\w\s]\s*|\s+")


def words(text: str) -> list[str]:
    return [word.casefold() for word in WORD.findall(text)]


def similarity(a: list[str], b: list[str], counts=None) -> float:
    """How alike two paragraphs' words are, 0 to 1: difflib's ratio, or, where the shorter one is
    mostly kept inside a longer rewrite ("Welcoming the efforts of the Regional Centre aimed at ..."
    grown by a clause), 0.8 of the share of its words kept."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    # A cheap bound first: the words they share (as a multiset) bound both measures from above, and
    # most pairs of paragraphs are far apart.
    count_a, count_b = counts or (Counter(a), Counter(b))
    if len(count_a) > len(count_b):
        count_a, count_b = count_b, count_a
    shared = sum(min(n, count_b[word]) for word, n in count_a.items() if word in count_b)
    shorter = min(len(a), len(b))
    bound = max(2 * shared / (len(a) + len(b)), 0.8 * shared / shorter if shorter >= 8 else 0.0)
    if bound < MATCH:
        return 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    alike = matcher.ratio()
    if shorter >= 8:
        kept = sum(block.size for block in matcher.get_matching_blocks())
        alike = max(alike, 0.8 * kept / shorter)
    return alike


@dataclass(frozen=True)
class Pair:
    old: int | None  # index into the predecessor's paragraphs; None: new
    new: int | None  # index into the successor's; None: dropped
    similarity: float = 0.0


def align_paragraphs(old: list[str], new: list[str]) -> list[Pair]:
    """Match the paragraphs of a successor (``new``) to its predecessor's (``old``), both in order.

    In order first (the best-scoring monotone matching of pairs at least MATCH alike), then what is
    left over and at least MOVED alike (a paragraph moved). The result runs in the successor's order,
    each dropped paragraph after the one that preceded it in the predecessor."""
    old_words, new_words = [words(text) for text in old], [words(text) for text in new]
    old_counts, new_counts = [Counter(a) for a in old_words], [Counter(b) for b in new_words]
    alike = [
        [similarity(a, b, (count_a, count_b)) for b, count_b in zip(new_words, new_counts, strict=True)]
        for a, count_a in zip(old_words, old_counts, strict=True)
    ]
    rows, columns = len(old), len(new)
    best = [[0.0] * (columns + 1) for _ in range(rows + 1)]
    for i in range(1, rows + 1):
        for j in range(1, columns + 1):
            gain = alike[i - 1][j - 1]
            best[i][j] = max(
                best[i - 1][j],
                best[i][j - 1],
                best[i - 1][j - 1] + gain - MATCH / 2 if gain >= MATCH else 0.0,
            )
    matched = {}
    i, j = rows, columns
    while i and j:
        gain = alike[i - 1][j - 1]
        if gain >= MATCH and best[i][j] == best[i - 1][j - 1] + gain - MATCH / 2:
            matched[j - 1] = i - 1
            i, j = i - 1, j - 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    left_old = set(range(rows)) - set(matched.values())
    moved = sorted(
        (
            (alike[i][j], i, j)
            for i in left_old
            for j in range(columns)
            if j not in matched and alike[i][j] >= MOVED
        ),
        reverse=True,
    )
    for _similarity, i, j in moved:
        if i in left_old and j not in matched:
            matched[j] = i
            left_old.discard(i)
    pairs = [Pair(matched.get(j), j, alike[matched[j]][j] if j in matched else 0.0) for j in range(columns)]
    # Each dropped paragraph after the pair holding the nearest old paragraph before it.
    for i in sorted(left_old, reverse=True):
        at = next(
            (k + 1 for k in range(len(pairs) - 1, -1, -1) if pairs[k].old is not None and pairs[k].old < i), 0
        )
        pairs.insert(at, Pair(i, None))
    return pairs


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """What changed between two texts, word by word: [("=", kept), ("-", deleted), ("+", inserted)],
    consecutive pieces of one kind joined; a word's trailing space goes with it."""
    a, b = DIFF_TOKEN.findall(old), DIFF_TOKEN.findall(new)
    key = [token.strip().casefold() for token in a], [token.strip().casefold() for token in b]
    pieces: list[tuple[str, str]] = []

    def put(op, tokens):
        if not tokens:
            return
        text = "".join(tokens)
        if pieces and pieces[-1][0] == op:
            pieces[-1] = (op, pieces[-1][1] + text)
        else:
            pieces.append((op, text))

    for tag, i1, i2, j1, j2 in SequenceMatcher(None, key[0], key[1], autojunk=False).get_opcodes():
        if tag == "equal":
            put("=", b[j1:j2])
        else:
            gone = a[i1:i2]
            if gone and pieces and not pieces[-1][1][-1:].isspace() and gone[0][:1].isalnum():
                gone = [" ", *gone]  # "peace" then " and in ..." deleted: keep the words apart
            put("-", gone)
            put("+", b[j1:j2])
    return [list(piece) for piece in pieces]


# ---- the writes ----------------------------------------------------------------------------------


def _facts(resolutions) -> dict[int, ResolutionFacts]:
    """{pk: facts} of ``resolutions`` (a queryset), in two queries."""
    rows = list(
        resolutions.values_list("pk", "symbol", "body", "adopted_on", "sort_key", "title", "agenda_items")
    )
    cites = defaultdict(set)
    references = Reference.objects.filter(resolution__in=[row[0] for row in rows]).filter(
        Q(paragraph=None) | Q(paragraph__kind=ParagraphKind.PREAMBULAR)
    )
    for pk, symbol in references.values_list("resolution_id", "symbol").iterator(chunk_size=5000):
        cites[pk].add(symbol)
    return {
        pk: ResolutionFacts(
            symbol=symbol,
            body=body,
            when=(adopted_on.isoformat() if adopted_on else "", sort_key),
            title=title,
            agenda=frozenset(str(item.get("number", "")) for item in agenda or [] if item.get("number")),
            cites=frozenset(cites[pk]),
        )
        for pk, symbol, body, adopted_on, sort_key, title, agenda in rows
    }


@dataclass
class LinkSummary:
    linked: int = 0  # links made or changed
    unchanged: int = 0
    kept: int = 0  # decided by staff, left alone
    aligned: int = 0
    series: set = field(default_factory=set)

    def describe(self) -> str:
        return (
            f"{self.linked} linked or relinked, {self.unchanged} unchanged, {self.kept} decided by staff "
            f"and kept, {self.aligned} aligned with their predecessor"
        )


_deferred = threading.local()


@contextmanager
def linking_deferred():
    """Within it, a loaded resolution is noted rather than linked; they are linked together at the end,
    in one pass (importing a folder: one link_series over its resolutions, not one per file, which made
    importing the corpus minutes longer). Nothing is linked if the block raises."""
    if getattr(_deferred, "pks", None) is not None:  # already deferred by an outer block
        yield
        return
    _deferred.pks = set()
    try:
        yield
        pks = _deferred.pks
    finally:
        _deferred.pks = None
    if pks:
        link_series(Resolution.objects.filter(pk__in=pks))


def link_loaded(resolution_pk):
    """After a load (resolutions.importer.loader): link the resolution now, or at the end of the
    linking_deferred() block around it."""
    pks = getattr(_deferred, "pks", None)
    if pks is not None:
        pks.add(resolution_pk)
    else:
        link_series(Resolution.objects.filter(pk=resolution_pk))


def link_series(resolutions=None, progress=None) -> LinkSummary:
    """Find the predecessor of each of ``resolutions`` (a queryset; every resolution when None) and of
    every resolution citing or titled as one of them, unless staff decided it; align what changed; put
    every chain into one Series. ``progress(done, total)`` is called now and then."""
    summary = LinkSummary()
    with transaction.atomic():
        if resolutions is None:
            affected = Resolution.objects.all()
            pool = _facts(Resolution.objects.all())
            targets = pool
        else:
            given = list(resolutions.values_list("pk", "title"))
            pks = [pk for pk, _ in given]
            # Those that may now follow one of them: later ones citing it or with its title.
            affected = {
                *pks,
                *Reference.objects.filter(target__in=pks).values_list("resolution_id", flat=True),
                *Resolution.objects.filter(title__in=[title for _, title in given]).values_list(
                    "pk", flat=True
                ),
                *SeriesLink.objects.filter(predecessor__in=pks).values_list("successor_id", flat=True),
            }
            affected = Resolution.objects.filter(pk__in=affected)
            targets = _facts(affected)
            cited = {symbol for facts in targets.values() for symbol in facts.cites}
            titles = {facts.title for facts in targets.values()}
            pool = _facts(Resolution.objects.filter(Q(symbol__in=cited) | Q(title__in=titles)))
        by_symbol = {facts.symbol: pk for pk, facts in pool.items()}
        by_title = defaultdict(list)
        for facts in pool.values():
            by_title[normalise_title(facts.title)].append(facts)
        held = {link.successor_id: link for link in SeriesLink.objects.filter(successor__in=list(targets))}
        changed = set()
        for done, (pk, facts) in enumerate(targets.items(), 1):
            if progress and (done % 200 == 0 or done == len(targets)):
                progress(done, len(targets))
            link = held.get(pk)
            if link is not None and link.origin != SeriesLinkOrigin.FOUND:
                summary.kept += 1
                continue
            candidates = {*by_title[normalise_title(facts.title)]}
            candidates |= {pool[by_symbol[symbol]] for symbol in facts.cites if symbol in by_symbol}
            found = find_predecessor(facts, candidates)
            if found is None:
                if link is not None:
                    link.delete()
                    changed.add(pk)
                    summary.linked += 1
                continue
            predecessor = by_symbol[found.symbol]
            if link is not None and (link.predecessor_id, link.score, link.reason) == (
                predecessor,
                found.score,
                found.reason,
            ):
                summary.unchanged += 1
                continue
            SeriesLink.objects.update_or_create(
                successor_id=pk,
                defaults={"predecessor_id": predecessor, "score": found.score, "reason": found.reason[:300]},
            )
            changed.add(pk)
            summary.linked += 1
        # Align again what was relinked, and, as their paragraphs may have changed, the resolutions
        # given and those following them; not every resolution sharing a title with one (a Security
        # Council title such as "The situation in Libya" has dozens: aligning them all on every import
        # made importing a series quadratic).
        given_pks = list(targets) if resolutions is None else pks
        realign = changed | set(given_pks)
        realign |= set(
            SeriesLink.objects.filter(predecessor__in=given_pks).values_list("successor_id", flat=True)
        )
        for pk in realign:
            summary.aligned += align(pk)
        summary.series = assign_series(realign | changed)
        if changed or realign:
            bump_public_content()
    return summary


def _aligned_paragraphs(resolution_id) -> dict[tuple, list[Paragraph]]:
    """A resolution's paragraphs in order, grouped so that like aligns with like: the preamble, the
    operative part (with sub-paragraphs), each annex."""
    groups = defaultdict(list)
    for paragraph in Paragraph.objects.filter(resolution_id=resolution_id).order_by("order"):
        groups[(paragraph.annex, paragraph.kind)].append(paragraph)
    return groups


def align(resolution_id) -> int:
    """Store the alignment of a resolution with its predecessor (none when it has none); returns
    how many rows were written."""
    ParagraphAlignment.objects.filter(resolution_id=resolution_id).delete()
    predecessor = (
        SeriesLink.objects.filter(successor_id=resolution_id)
        .exclude(predecessor=None)
        .values_list("predecessor_id", flat=True)
        .first()
    )
    if predecessor is None:
        return 0
    old, new = _aligned_paragraphs(predecessor), _aligned_paragraphs(resolution_id)
    rows = []
    for group in sorted(
        set(old) | set(new), key=lambda key: (key[0] != "", key[0], key[1] != ParagraphKind.PREAMBULAR)
    ):
        before, after = old.get(group, []), new.get(group, [])
        for pair in align_paragraphs([p.plain_text() for p in before], [p.plain_text() for p in after]):
            was = before[pair.old] if pair.old is not None else None
            now = after[pair.new] if pair.new is not None else None
            if was is None:
                change, diff = ParagraphChange.NEW, []
            elif now is None:
                change, diff = ParagraphChange.DROPPED, []
            else:
                diff = word_diff(was.plain_text(), now.plain_text())
                change = (
                    ParagraphChange.UNCHANGED if all(op == "=" for op, _ in diff) else ParagraphChange.CHANGED
                )
            rows.append(
                ParagraphAlignment(
                    resolution_id=resolution_id,
                    paragraph=now,
                    predecessor_paragraph=was,
                    order=len(rows),
                    change=change,
                    similarity=round(pair.similarity, 3),
                    diff=diff,
                )
            )
    ParagraphAlignment.objects.bulk_create(rows)
    return len(rows)


def chain(resolution_id, links=None) -> list[int]:
    """Every resolution linked to this one through predecessors and successors (itself included)."""
    if links is None:
        links = SeriesLink.objects.exclude(predecessor=None)
        up = dict(links.values_list("successor_id", "predecessor_id"))
    else:
        up = links
    down = defaultdict(list)
    for successor, predecessor in up.items():
        down[predecessor].append(successor)
    seen, todo = set(), [resolution_id]
    while todo:
        pk = todo.pop()
        if pk in seen:
            continue
        seen.add(pk)
        todo += down[pk]
        if pk in up:
            todo.append(up[pk])
    return sorted(seen)


def assign_series(resolution_ids) -> set[int]:
    """Put each chain holding one of ``resolution_ids`` into one Series: the one most of its members
    already belong to (the bundled "unrcca", one staff made), else a new one named after its latest
    title. A resolution left alone by a split leaves its series. Returns the series touched."""
    up = dict(SeriesLink.objects.exclude(predecessor=None).values_list("successor_id", "predecessor_id"))
    touched, done = set(), set()
    for pk in resolution_ids:
        if pk in done:
            continue
        members = chain(pk, up)
        done.update(members)
        rows = list(Resolution.objects.filter(pk__in=members).order_by("adopted_on", "sort_key"))
        split = SeriesLink.objects.filter(successor__in=members, origin=SeriesLinkOrigin.SPLIT).exists()
        if len(rows) < 2:
            if split:  # staff took it out of its series
                Resolution.objects.filter(pk__in=members).update(series=None)
            continue
        counts = defaultdict(int)
        for row in rows:
            if row.series_id:
                counts[row.series_id] += 1
        series_id = max(counts, key=lambda key: (counts[key], -key)) if counts else None
        if (
            split
            and series_id
            and Resolution.objects.filter(series_id=series_id).exclude(pk__in=members).exists()
        ):
            series_id = None  # the part split off starts a series of its own
        if series_id is None:
            latest, first = rows[-1], rows[0]
            name = latest.title[:250]
            if Series.objects.filter(name=name).exists():
                name = f"{name} (from {first.short_symbol})"
            slug = slugify(first.symbol.replace("/", " "))[:100]
            series_id = Series.objects.get_or_create(slug=slug, defaults={"name": name})[0].pk
        Resolution.objects.filter(pk__in=members).exclude(series_id=series_id).update(series_id=series_id)
        touched.add(series_id)
    return touched


def earlier_paragraph(paragraph) -> ParagraphAlignment | None:
    """Its alignment with the paragraph it continues in the predecessor, if any."""
    return (
        ParagraphAlignment.objects.filter(paragraph=paragraph)
        .exclude(predecessor_paragraph=None)
        .select_related("predecessor_paragraph__resolution", "predecessor_paragraph__parent")
        .first()
    )


def earlier_status(paragraph):
    """(its alignment with the paragraph it continues, that paragraph's current public assessment) or
    (None, None)."""
    continued = earlier_paragraph(paragraph)
    if continued is None:
        return None, None
    return continued, continued.predecessor_paragraph.current_assessment()


def carry_forward(paragraph, user) -> Assessment:
    """A new draft assessment of ``paragraph`` saying what the current public assessment of the paragraph
    it continues says, written by ``user`` and reviewed like any other (Reviewed.record_edit)."""
    continued, earlier = earlier_status(paragraph)
    if earlier is None:
        raise ValidationError(
            _("%(paragraph)s continues no paragraph with a published assessment.")
            % {"paragraph": paragraph.citation}
        )
    before = continued.predecessor_paragraph
    with transaction.atomic():
        assessment = Assessment.objects.create(
            paragraph=paragraph,
            status=earlier.status,
            as_of=timezone.localdate(),
            rationale=(
                f"Carried forward from {before.citation} (assessed {earlier.get_status_display().lower()} "
                f"as of {earlier.as_of.isoformat()}): {earlier.rationale}"
            ),
            author=user,
        )
        assessment.record_edit(user)
    return assessment
