"""Turn a parsed resolution into rows: one transaction per document, never losing a note.

Re-importing a document matches its paragraphs to the rows already there (operative
paragraphs by number, preambular ones by position, sub-paragraphs by label under their
parent) and updates them in place, so implementation notes and assessments stay attached.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from resolutions.importer.parsed import ParsedResolution
from resolutions.importer.text import find_references
from resolutions.models import FOOTNOTE_MARKER, Footnote, Paragraph, ParagraphKind, Reference, Resolution

IMPORTED, UPDATED, UNCHANGED = "imported", "updated", "unchanged"


class LoadRefused(Exception):
    """The document cannot be loaded without losing staff's work; nothing was written."""


@dataclass
class LoadResult:
    resolution: Resolution
    outcome: str  # IMPORTED, UPDATED or UNCHANGED


@dataclass
class _Row:
    """A paragraph as it should be stored, with the key that matches it to an existing row."""

    key: tuple
    kind: str
    number: str
    lead_phrase: str
    text: str
    heading: str
    annex: str
    eid: str
    parent_key: tuple | None


def digest(parsed: ParsedResolution) -> str:
    """A fingerprint of what a document says, so that re-importing it can change nothing."""
    data = parsed.as_json()
    data["source_text"] = parsed.source_text
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def load(parsed: ParsedResolution) -> LoadResult:
    """Write ``parsed`` to the database in one transaction and link citations both ways."""
    fingerprint = digest(parsed)
    with transaction.atomic():
        resolution = Resolution.objects.select_for_update().filter(symbol=parsed.symbol).first()
        if resolution is not None and resolution.import_digest == fingerprint:
            return LoadResult(resolution, UNCHANGED)
        outcome = UPDATED if resolution is not None else IMPORTED
        resolution = resolution or Resolution(symbol=parsed.symbol)
        _fill_resolution(resolution, parsed, fingerprint)
        resolution.save()
        paragraphs = _sync_paragraphs(resolution, _rows(parsed))
        footnotes = _sync_footnotes(resolution, parsed, paragraphs)
        _sync_references(resolution, parsed, paragraphs, footnotes)
    return LoadResult(resolution, outcome)


def _fill_resolution(resolution: Resolution, parsed: ParsedResolution, fingerprint: str) -> None:
    resolution.body = parsed.body
    resolution.session = parsed.session
    resolution.number = parsed.number
    resolution.title = parsed.title
    resolution.agenda_items = [{"number": item.number, "title": item.title} for item in parsed.agenda_items]
    resolution.adopted_on = parsed.adopted_on
    resolution.distributed_on = parsed.distributed_on
    resolution.meeting = parsed.meeting
    resolution.draft_symbol = parsed.draft_symbol
    resolution.committee_report = parsed.committee_report
    resolution.adoption_method = parsed.vote.method
    resolution.votes_yes = parsed.vote.yes
    resolution.votes_no = parsed.vote.no
    resolution.votes_abstain = parsed.vote.abstain
    resolution.enacting_formula = parsed.enacting_formula
    resolution.language = parsed.language
    resolution.source_format = parsed.source_format
    resolution.source_text = parsed.source_text
    resolution.import_digest = fingerprint


class _Keys:
    """Keys that match a paragraph to its row across imports of the same resolution.

    Preambular paragraphs are matched by position, operative ones by number (the n-th
    paragraph numbered "1", since multi-section resolutions restart their numbering),
    unnumbered ones by position, sub-paragraphs by label under their parent.
    """

    def __init__(self):
        self.seen: dict[tuple, int] = {}

    def top_level(self, kind: str, annex: str, number: str) -> tuple:
        part = ("annex", annex) if annex else (("pp",) if kind == ParagraphKind.PREAMBULAR else ("op",))
        position = self._count(part)
        if kind == ParagraphKind.PREAMBULAR and not annex:
            return (*part, position)
        if not number:
            return (*part, f"#{position}")
        return (*part, number, self._count((*part, number)))

    def _count(self, key: tuple) -> int:
        self.seen[key] = self.seen.get(key, 0) + 1
        return self.seen[key]


def _rows(parsed: ParsedResolution) -> list[_Row]:
    """The paragraphs in reading order, sub-paragraphs right after their parent."""
    rows: list[_Row] = []
    keys = _Keys()

    def add(paragraph, kind, key, annex="", parent_key=None):
        rows.append(
            _Row(
                key=key,
                kind=kind,
                number=getattr(paragraph, "number", "") or getattr(paragraph, "label", ""),
                lead_phrase=paragraph.lead_phrase,
                text=paragraph.text,
                heading=getattr(paragraph, "heading", ""),
                annex=annex,
                eid=paragraph.eid,
                parent_key=parent_key,
            )
        )
        for sub in paragraph.subparagraphs:
            add(sub, kind, (*key, sub.label), annex, key)

    for paragraph in parsed.preambular:
        add(paragraph, ParagraphKind.PREAMBULAR, keys.top_level(ParagraphKind.PREAMBULAR, "", ""))
    for paragraph in parsed.operative:
        add(paragraph, ParagraphKind.OPERATIVE, keys.top_level(ParagraphKind.OPERATIVE, "", paragraph.number))
    for annex in parsed.annexes:
        for paragraph in annex.paragraphs:
            key = keys.top_level(ParagraphKind.OPERATIVE, annex.title, paragraph.number)
            add(paragraph, ParagraphKind.OPERATIVE, key, annex=annex.title)
    return rows


def _existing_keys(paragraphs: list[Paragraph]) -> dict[tuple, Paragraph]:
    """The rows already stored, by the key ``_rows`` gives the same paragraph."""
    keys = _Keys()
    by_id: dict[int, tuple] = {}
    result: dict[tuple, Paragraph] = {}
    for paragraph in sorted(paragraphs, key=lambda p: p.order):
        if paragraph.parent_id:
            key = (*by_id[paragraph.parent_id], paragraph.number)
        else:
            key = keys.top_level(paragraph.kind, paragraph.annex, paragraph.number)
        by_id[paragraph.pk] = key
        result[key] = paragraph
    return result


def _sync_paragraphs(resolution: Resolution, rows: list[_Row]) -> dict[tuple, Paragraph]:
    by_key = _existing_keys(list(resolution.paragraphs.all()))
    wanted = {row.key for row in rows}
    gone = [p for key, p in by_key.items() if key not in wanted]
    if gone:
        kept = Paragraph.objects.filter(pk__in=[p.pk for p in gone]).exclude(notes=None, assessments=None)
        if kept.exists():
            labels = ", ".join(p.label for p in kept)
            raise LoadRefused(
                f"the new text no longer has {labels}, which staff have recorded notes or assessments "
                "against; move them to another paragraph first"
            )
        Paragraph.objects.filter(pk__in=[p.pk for p in gone]).delete()
    if by_key:
        # Free every position first so that paragraphs can move without clashing.
        resolution.paragraphs.update(order=F("order") + 1_000_000)

    result: dict[tuple, Paragraph] = {}
    for order, row in enumerate(rows, start=1):
        paragraph = by_key.get(row.key) or Paragraph(resolution=resolution)
        paragraph.kind = row.kind
        paragraph.order = order
        paragraph.number = row.number
        paragraph.lead_phrase = row.lead_phrase
        paragraph.text = row.text
        paragraph.heading = row.heading
        paragraph.annex = row.annex
        paragraph.eid = row.eid
        paragraph.parent = result[row.parent_key] if row.parent_key else None
        paragraph.save()
        result[row.key] = paragraph
    return result


def _sync_footnotes(
    resolution: Resolution, parsed: ParsedResolution, paragraphs: dict[tuple, Paragraph]
) -> dict[str, Footnote]:
    resolution.footnotes.all().delete()
    footnotes = {
        note.marker: Footnote.objects.create(resolution=resolution, marker=note.marker, text=note.text)
        for note in parsed.footnotes
    }
    links = [
        Footnote.paragraphs.through(footnote_id=footnotes[marker].pk, paragraph_id=paragraph.pk)
        for paragraph in paragraphs.values()
        for marker in dict.fromkeys(FOOTNOTE_MARKER.findall(paragraph.text))
        if marker in footnotes
    ]
    Footnote.paragraphs.through.objects.bulk_create(links)
    return footnotes


def _sync_references(
    resolution: Resolution,
    parsed: ParsedResolution,
    paragraphs: dict[tuple, Paragraph],
    footnotes: dict[str, Footnote],
) -> None:
    resolution.references.all().delete()
    rows: list[Reference] = []
    placed: set[str] = set()
    for paragraph in paragraphs.values():
        for symbol in find_references(paragraph.text, parsed.body):
            rows.append(Reference(resolution=resolution, paragraph=paragraph, symbol=symbol))
            placed.add(symbol)
    for footnote in footnotes.values():
        for symbol in find_references(footnote.text, parsed.body):
            rows.append(Reference(resolution=resolution, footnote=footnote, symbol=symbol))
            placed.add(symbol)
    # Symbols the parser found elsewhere (a link, a header) belong to the resolution as a whole.
    rows += [
        Reference(resolution=resolution, symbol=symbol)
        for symbol in parsed.references
        if symbol not in placed and symbol != resolution.symbol
    ]
    rows = [row for row in rows if row.symbol != resolution.symbol]
    targets = dict(
        Resolution.objects.filter(symbol__in={row.symbol for row in rows}).values_list("symbol", "pk")
    )
    for row in rows:
        row.target_id = targets.get(row.symbol)
    Reference.objects.bulk_create(rows)
    # Citations of this resolution imported before it now find it.
    Reference.objects.filter(symbol=resolution.symbol, target__isnull=True).update(target=resolution)
