"""A resolution's implementation as the public may see it: each operative paragraph with its current
published status and its published notes. One reading, in a fixed number of queries, shared by the
printable report, the DOCX, the CSV/JSON rows and the Akoma Ntoso export."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from resolutions.models import (
    FOOTNOTE_MARKER,
    Assessment,
    AssessmentStatus,
    ImplementationNote,
    Paragraph,
    ParagraphKind,
    Resolution,
)


@dataclass
class ParagraphImplementation:
    paragraph: Paragraph
    subparagraphs: list[Paragraph] = field(default_factory=list)  # in reading order, any depth
    notes: list[ImplementationNote] = field(default_factory=list)  # published, oldest first

    @property
    def status(self) -> str:
        return self.paragraph.current_status or ""

    @property
    def status_label(self) -> str:
        return AssessmentStatus(self.status).label if self.status else _("Not assessed")

    @property
    def status_as_of(self):
        return self.paragraph.current_status_as_of

    @property
    def rationale(self) -> str:
        return self.paragraph.current_rationale or ""


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
        symbol = self.resolution.symbol
        rows = []
        for item in self.paragraphs:
            paragraph = item.paragraph
            base = {
                "resolution": symbol,
                "paragraph": paragraph.address,
                "eid": paragraph_eid(paragraph),
                "lead_phrase": paragraph.lead_phrase,
                "text": paragraph.plain_text(),
                "status": item.status,
                "status_as_of": item.status_as_of.isoformat() if item.status_as_of else "",
                "rationale": item.rationale,
            }
            blank = dict.fromkeys(NOTE_COLUMNS, "")
            if not item.notes:
                rows.append(base | blank)
            for note in item.notes:
                rows.append(
                    base
                    | {
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
                            f"{source.title} <{source.href}>" if source.href else source.title
                            for source in note.source_list
                        ),
                        "note_is_demo": note.is_demo,
                    }
                )
        return rows


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
    return NotesReport(list(reports.values()), total=total, shown=len(chosen))


def implementation_report(resolution: Resolution) -> ImplementationReport:
    """The resolution's own numbered operative paragraphs (with their sub-paragraphs), each with its
    newest published assessment and its published notes (with links and sources). Seven queries
    whatever the number of paragraphs and notes."""
    newest = Assessment.objects.published().filter(paragraph=OuterRef("pk")).order_by("-as_of", "-pk")
    operative = list(
        Paragraph.objects.filter(resolution=resolution, kind=ParagraphKind.OPERATIVE, annex="")
        .with_current_status()
        .annotate(current_rationale=Subquery(newest.values("rationale")[:1]))
        .order_by("order")
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
    return ImplementationReport(resolution, items)
