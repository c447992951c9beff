"""A resolution's implementation as the public may see it: each operative paragraph with its current
published status and its published notes. Read in a fixed number of queries, in three shapes: complete
(the DOCX, the PDF and the Akoma Ntoso export: every note), a page of the printable report (a few
paragraphs, the newest notes of each: its cost does not grow with the notes) and flat rows (the CSV,
streamed as they are read, and the JSON, a page of rows at a time)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils.html import strip_tags
from django.utils.translation import gettext, ngettext

from resolutions.models import (
    FOOTNOTE_MARKER,
    Assessment,
    AssessmentStatus,
    ImplementationNote,
    ImplementationNoteQuerySet,
    Paragraph,
    ParagraphKind,
    Resolution,
)

# A page of the printable report: its operative paragraphs, and the newest notes shown under each (the
# notes list filtered to the paragraph holds them all; the DOCX and PDF hold every note).
REPORT_PARAGRAPHS_PER_PAGE = 10
REPORT_NOTES_PER_PARAGRAPH = 10

NoteLink = ImplementationNote.paragraphs.through


@dataclass
class ParagraphImplementation:
    paragraph: Paragraph
    subparagraphs: list[Paragraph] = field(default_factory=list)  # in reading order, any depth
    notes: list[ImplementationNote] = field(default_factory=list)  # published, oldest first
    note_count: int = 0  # its published notes, all of them (a page of the report shows the newest few)
    page: int = 1  # the page of the printable report that holds it

    @property
    def more_notes(self) -> bool:
        return self.note_count > len(self.notes)

    @property
    def status(self) -> str:
        return self.paragraph.current_status or ""

    @property
    def status_label(self) -> str:
        return AssessmentStatus(self.status).label if self.status else gettext("Not assessed")

    @property
    def status_as_of(self):
        return self.paragraph.current_status_as_of

    @property
    def rationale(self) -> str:
        return self.paragraph.current_rationale or ""

    @cached_property
    def row(self) -> dict:
        """The paragraph's columns of a row of the CSV/JSON, made once for all its notes' rows."""
        paragraph = self.paragraph
        return {
            "resolution": paragraph.resolution.symbol,
            "paragraph": paragraph.address,
            "eid": paragraph_eid(paragraph),
            "lead_phrase": paragraph.lead_phrase,
            "text": paragraph.plain_text(),
            "status": self.status,
            "status_as_of": self.status_as_of.isoformat() if self.status_as_of else "",
            "rationale": self.rationale,
        }


@dataclass
class ImplementationReport:
    resolution: Resolution
    paragraphs: list[ParagraphImplementation]

    @property
    def notes(self) -> list[ImplementationNote]:
        """Every published note of the report once, oldest first."""
        seen = {}
        for item in self.paragraphs:
            for note in item.notes:
                seen.setdefault(note.pk, note)
        return sorted(seen.values(), key=lambda note: (note.start_date, note.pk))

    @property
    def tracked(self) -> bool:
        return any(item.notes or item.status for item in self.paragraphs)

    def rows(self) -> list[dict]:
        """The report as flat rows, one per paragraph and published note (a paragraph without notes
        has one row with blank note columns): what the CSV and the JSON export both hold."""
        return [report_row(item, note) for item in self.paragraphs for note in (item.notes or [None])]


def report_row(item: ParagraphImplementation, note: ImplementationNote | None = None) -> dict:
    """One row of the CSV/JSON: the paragraph and one of its published notes (blank without one)."""
    if note is None:
        return item.row | dict.fromkeys(NOTE_COLUMNS, "")
    return item.row | {
        "note_id": note.pk,
        "note_title": note.title,
        "note_kind": note.kind,
        "note_start_date": note.start_date.isoformat(),
        "note_end_date": note.end_date.isoformat() if note.end_date else "",
        "note_body": note.body,
        "note_countries": "; ".join(country.alpha3 for country in note.country_list),
        "note_entities": "; ".join(str(entity) for entity in note.entity_list),
        "note_themes": "; ".join(theme.name for theme in note.theme_list),
        "note_sources": "; ".join(
            f"{source.title} <{source.href}>" if source.href else source.title for source in note.source_list
        ),
        "note_is_demo": note.is_demo,
    }


ROW_COLUMNS = ("resolution", "paragraph", "eid", "lead_phrase", "text", "status", "status_as_of", "rationale")
NOTE_COLUMNS = (
    "note_id",
    "note_title",
    "note_kind",
    "note_start_date",
    "note_end_date",
    "note_body",
    "note_countries",
    "note_entities",
    "note_themes",
    "note_sources",
    "note_is_demo",
)
COLUMNS = ROW_COLUMNS + NOTE_COLUMNS


BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|pre|tr)>|<br\s*/?>", re.IGNORECASE)


def body_paragraphs(note: ImplementationNote) -> list[str]:
    """A note's body as plain-text paragraphs, read from its sanitised HTML: what a document shows
    of it without Markdown's marks (**, [](), #)."""
    blocks = (" ".join(html.unescape(strip_tags(block)).split()) for block in BLOCK_END.split(note.body_html))
    return [block for block in blocks if block]


def paragraph_eid(paragraph: Paragraph) -> str:
    """Its Akoma Ntoso eId: the source's where it was imported from the UN's XML; otherwise made by
    the AKN naming convention from its address ("para_3", "sec_II__para_3"). The UN's own eIds count
    the elements of its Word original (77/273's operative paragraphs 1-4 are para_26, para_27,
    para_29, para_32), so they cannot be derived; a made one is stable for as long as the numbering."""
    if paragraph.eid:
        return paragraph.eid
    if paragraph.kind == ParagraphKind.OPERATIVE:
        made = f"para_{paragraph.number or paragraph.order}"
    else:
        made = f"preamble__container_{paragraph.order}"
    if paragraph.section:
        made = f"sec_{paragraph.section}__{made}"
    if paragraph.annex:  # its numbering restarts: "att_Annex_II__para_1"
        made = f"att_{re.sub(r'[^A-Za-z0-9]+', '_', paragraph.annex).strip('_')[:40]}__{made}"
    return made


@dataclass
class NotesReport:
    """The implementation report of a filtered list of notes: the newest ``cap`` published notes it
    matches, grouped by resolution and operative paragraph (each with its current published status)."""

    resolutions: list[ImplementationReport]
    total: int  # published notes the filter matches
    shown: int  # of which the report holds (at most the cap)

    @property
    def capped(self) -> bool:
        return self.shown < self.total

    @property
    def notes(self) -> list[ImplementationNote]:
        """Every note of the report once."""
        return list({note.pk: note for report in self.resolutions for note in report.notes}.values())


NOTES_REPORT_CAP = 200  # notes in one report: a few dozen pages of print


def capped_message(report) -> str:
    return ngettext(
        "These filters match %(total)s published note; this report holds the newest %(shown)s. "
        "Narrow the filters (a shorter period, one country or theme) to report on the others.",
        "These filters match %(total)s published notes; this report holds the newest %(shown)s. "
        "Narrow the filters (a shorter period, one country or theme) to report on the others.",
        report.total,
    ) % {"total": report.total, "shown": report.shown}


def notes_report(notes, cap: int = NOTES_REPORT_CAP) -> NotesReport:
    """``notes`` (published, with their links and sources: ImplementationNote.with_links) as a report:
    the newest ``cap`` of them under the operative paragraphs they implement, in resolution and
    paragraph order, oldest note first. Six queries whatever the number of notes and paragraphs."""
    total = notes.count()
    chosen = list(notes.order_by("-start_date", "-pk")[:cap])
    wanted = {paragraph.pk for note in chosen for paragraph in note.paragraph_list}
    newest = Assessment.objects.published().filter(paragraph=OuterRef("pk")).order_by("-as_of", "-pk")
    paragraphs = list(
        Paragraph.objects.filter(pk__in=wanted)
        .with_current_status()
        .annotate(current_rationale=Subquery(newest.values("rationale")[:1]))
        .select_related("resolution")
        .order_by("resolution__sort_key", "order")
    )
    reports, item_of = {}, {}
    for paragraph in paragraphs:
        paragraph.report_text = FOOTNOTE_MARKER.sub("", paragraph.text)
        report = reports.setdefault(paragraph.resolution_id, ImplementationReport(paragraph.resolution, []))
        item_of[paragraph.pk] = ParagraphImplementation(paragraph)
        report.paragraphs.append(item_of[paragraph.pk])
    subparagraphs = Paragraph.objects.filter(Q(parent__in=wanted) | Q(parent__parent__in=wanted)).order_by(
        "order"
    )
    for sub in subparagraphs.select_related("parent"):
        sub.report_text = FOOTNOTE_MARKER.sub("", sub.text)
        top = sub.parent_id if sub.parent_id in item_of else sub.parent.parent_id
        if top in item_of:
            item_of[top].subparagraphs.append(sub)
    for note in reversed(chosen):
        for paragraph in note.paragraph_list:
            if paragraph.pk in item_of:
                item_of[paragraph.pk].notes.append(note)
    for item in item_of.values():
        item.note_count = len(item.notes)
    return NotesReport(list(reports.values()), total=total, shown=len(chosen))


def operative_items(resolution: Resolution) -> list[ParagraphImplementation]:
    """The resolution's own numbered operative paragraphs in reading order, each with its newest
    published assessment and its sub-paragraphs (any depth), without notes: one query."""
    newest = Assessment.objects.published().filter(paragraph=OuterRef("pk")).order_by("-as_of", "-pk")
    operative = list(
        Paragraph.objects.filter(resolution=resolution, kind=ParagraphKind.OPERATIVE, annex="")
        .with_current_status()
        .annotate(current_rationale=Subquery(newest.values("rationale")[:1]))
        .order_by("order", "pk")
    )
    by_id = {paragraph.pk: paragraph for paragraph in operative}
    items, item_of = [], {}
    for paragraph in operative:
        paragraph.resolution = resolution
        paragraph.report_text = FOOTNOTE_MARKER.sub("", paragraph.text)  # a report has no footnotes
        if paragraph.parent_id in by_id:
            paragraph.parent = by_id[paragraph.parent_id]
            top = paragraph.parent
            while top.parent_id in by_id:
                top = by_id[top.parent_id]
            if top.pk in item_of:
                item_of[top.pk].subparagraphs.append(paragraph)
        elif paragraph.is_trackable:
            item = ParagraphImplementation(paragraph)
            items.append(item)
            item_of[paragraph.pk] = item
    return items


def published_links(items: list[ParagraphImplementation]):
    """The links of published notes to ``items``' paragraphs, in the report's order: paragraph by
    paragraph, each one's notes oldest first."""
    return NoteLink.objects.filter(
        ImplementationNoteQuerySet.visible(prefix="implementationnote__"),
        paragraph__in=[item.paragraph.pk for item in items],
    ).order_by("paragraph__order", "paragraph_id", "implementationnote__start_date", "implementationnote_id")


def notes_by_id(ids) -> dict[int, ImplementationNote]:
    """The published notes of ``ids`` with their links and sources (six queries; none without ids)."""
    if not ids:
        return {}
    notes = ImplementationNote.objects.published().filter(pk__in=set(ids)).with_links(sources=True)
    return {note.pk: note for note in notes}


def implementation_report(resolution: Resolution) -> ImplementationReport:
    """The resolution's own numbered operative paragraphs (with their sub-paragraphs), each with its
    newest published assessment and every one of its published notes (with links and sources): what
    the DOCX, the PDF and the Akoma Ntoso export hold. Seven queries whatever the number of paragraphs
    and notes; the notes are all read, so its time grows with them (a download, not a page)."""
    items = operative_items(resolution)
    item_of = {item.paragraph.pk: item for item in items}
    notes = (
        ImplementationNote.objects.published()
        .filter(paragraphs__in=list(item_of))
        .distinct()
        .with_links(sources=True)
        .order_by("start_date", "pk")
    )
    for note in notes:
        for paragraph in note.paragraph_list:
            if paragraph.pk in item_of:
                item_of[paragraph.pk].notes.append(note)
    for item in items:
        item.note_count = len(item.notes)
    return ImplementationReport(resolution, items)


def implementation_report_page(
    resolution: Resolution,
    number=1,
    per_page: int = REPORT_PARAGRAPHS_PER_PAGE,
    notes_shown: int = REPORT_NOTES_PER_PARAGRAPH,
) -> tuple[ImplementationReport, Page]:
    """A page of the printable report: the report's every paragraph with its status and number of
    published notes (its summary), and the page ``number`` of them (``per_page`` a page; a number out
    of range is the nearest page) with the newest ``notes_shown`` published notes of each, oldest of
    them first. Nine queries, and rows built and rendered for at most ``per_page`` x ``notes_shown``
    notes, whatever the number of notes: what grows with them is one ranking of the paragraphs' links."""
    items = operative_items(resolution)
    for index, item in enumerate(items):
        item.page = index // per_page + 1
    page = Paginator(items, per_page).get_page(number)
    item_of = {item.paragraph.pk: item for item in items}
    shown = {item.paragraph.pk for item in page.object_list}
    links = (
        published_links(items)
        .annotate(
            newest=Window(
                RowNumber(),
                partition_by=F("paragraph_id"),
                order_by=[F("implementationnote__start_date").desc(), F("implementationnote_id").desc()],
            ),
            total=Window(Count("pk"), partition_by=F("paragraph_id")),
        )
        # the newest notes of the paragraphs on the page; of the others, one row for their count
        .filter(Q(newest__lte=notes_shown, paragraph_id__in=list(shown)) | Q(newest=1))
        .order_by()
        .values_list("paragraph_id", "implementationnote_id", "newest", "total")
    )
    chosen = []
    for paragraph_id, note_id, newest, total in links:
        item_of[paragraph_id].note_count = total
        if paragraph_id in shown and newest <= notes_shown:
            chosen.append((paragraph_id, newest, note_id))
    notes = notes_by_id(note_id for _, _, note_id in chosen)
    for paragraph_id, _, note_id in sorted(chosen, key=lambda link: (link[0], -link[1])):
        if note_id in notes:
            item_of[paragraph_id].notes.append(notes[note_id])
    return ImplementationReport(resolution, items), page


CHUNK = 500  # links read at a time by a streamed download, with their notes and their links


def implementation_rows(resolution: Resolution, chunk_size: int = CHUNK) -> Iterator[dict]:
    """Every row of the report (as ImplementationReport.rows), yielded as the links are read: the links
    in chunks of ``chunk_size`` (.iterator()), each chunk's notes with their links in six queries. What
    a streamed download writes: memory and the time to its first row do not grow with the notes."""
    items = operative_items(resolution)
    links = published_links(items).values_list("paragraph_id", "implementationnote_id").iterator(chunk_size)
    position, written = 0, False  # the paragraph being written; whether it has a row yet
    while chunk := list(islice(links, chunk_size)):
        notes = notes_by_id(note_id for _, note_id in chunk)
        for paragraph_id, note_id in chunk:
            while items[position].paragraph.pk != paragraph_id:
                if not written:
                    yield report_row(items[position])
                position, written = position + 1, False
            if note_id in notes:
                yield report_row(items[position], notes[note_id])
                written = True
    for item in items[position:]:
        if not written:
            yield report_row(item)
        written = False


class ImplementationRows(Sequence):
    """The report's rows (as ImplementationReport.rows), read a slice at a time: a page of the JSON
    reads the paragraphs, their numbers of published notes and the links and notes of its own rows
    (ten queries), whatever the number of notes. For django.core.paginator.Paginator."""

    def __init__(self, resolution: Resolution):
        self.items = operative_items(resolution)
        counts = dict(
            published_links(self.items)
            .order_by()
            .values("paragraph_id")
            .annotate(count=Count("pk"))
            .values_list("paragraph_id", "count")
        )
        self.spans = []  # (item, its first row, its first link)
        row = link = 0
        for item in self.items:
            item.note_count = counts.get(item.paragraph.pk, 0)
            self.spans.append((item, row, link))
            row += max(item.note_count, 1)
            link += item.note_count
        self.total = row

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(self.total)
        wanted = []  # (item, None) for a paragraph's blank row, (item, n) for its link n
        for item, row, link in self.spans:
            first, last = max(start, row), min(stop, row + max(item.note_count, 1))
            if first >= last:
                continue
            if not item.note_count:
                wanted.append((item, None))
            else:
                wanted += [(item, link + number - row) for number in range(first, last)]
        numbers = [link for _, link in wanted if link is not None]
        pairs = []
        if numbers:
            pairs = list(
                published_links(self.items).values_list("paragraph_id", "implementationnote_id")[
                    numbers[0] : numbers[-1] + 1
                ]
            )
        notes = notes_by_id(note_id for _, note_id in pairs)
        item_of = {item.paragraph.pk: item for item in self.items}
        rows = []
        for item, link in wanted:
            if link is None:
                rows.append(report_row(item))
            elif link - numbers[0] < len(pairs):  # the notes were read a moment after they were counted
                paragraph_id, note_id = pairs[link - numbers[0]]
                if note_id in notes:
                    rows.append(report_row(item_of[paragraph_id], notes[note_id]))
        return rows
