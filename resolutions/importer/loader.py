"""Turn a parsed resolution into rows: one transaction per document, never losing a note.

Re-importing a document matches its paragraphs to the rows already there (preambular
paragraphs by position, operative ones by number, sub-paragraphs under their parent) and
updates them in place, so implementation notes and assessments stay attached.

A resolution is held in one primary language (English when there is an English text) and
any number of other language versions, whose texts attach to the same paragraphs.

One source wins: each language version is held from the richest source it was imported from
(the UN's Akoma Ntoso XML over text from the official PDF over Markdown), and a poorer source of
the same language is kept out (outcome "kept"), so that the bundled Markdown of a resolution never
replaces the XML staff imported. Another language is never a downgrade: it attaches.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from resolutions.cache import bump_public_content
from resolutions.importer.parsed import ParsedResolution
from resolutions.importer.text import find_references
from resolutions.lineage import link_loaded
from resolutions.models import (
    FOOTNOTE_MARKER,
    Footnote,
    Mandate,
    Paragraph,
    ParagraphKind,
    ParagraphText,
    Reference,
    Resolution,
    ResolutionText,
    Subject,
    SubjectScheme,
)
from resolutions.sdg import SDG_GOALS

IMPORTED, UPDATED, UNCHANGED, KEPT = "imported", "updated", "unchanged", "kept"
PREFERRED_LANGUAGE = "en"

# How much of the document a source states, poorest first: Markdown is a hand conversion, PDF text
# the printed document, Akoma Ntoso the UN's own structure and metadata. A format not listed (a
# text imported before formats were recorded) ranks below them all, and the tracker's own Akoma Ntoso
# export (made from what is held) lower still: it fills an empty database but never replaces the
# source of record it was made from.
SOURCE_RANKS = {"markdown": 1, "text": 2, "akn": 3, "akn-export": -1}
SOURCE_NAMES = {
    "markdown": _("Markdown"),
    "text": _("official PDF text"),
    "akn": _("official XML (Akoma Ntoso)"),
    "akn-export": _("Akoma Ntoso export from this tracker"),
}


def source_rank(source_format: str) -> int:
    return SOURCE_RANKS.get(source_format, 0)


class LoadRefused(Exception):
    """The document cannot be loaded without losing staff's work or mixing texts; nothing was written."""


@dataclass
class LoadResult:
    resolution: Resolution
    outcome: str  # IMPORTED, UPDATED, UNCHANGED or KEPT
    reason: str = ""  # why a document was KEPT out: "A/RES/77/273 [en] is held from its official XML ..."

    def describe(self) -> str:
        """``updated A/RES/77/273``, or ``kept – A/RES/77/273 [en] is held from its official XML ...``."""
        if self.outcome == KEPT:
            return f"{KEPT} \u2013 {self.reason}"
        return f"{self.outcome} {self.resolution.symbol}"

    def sentence(self) -> str:
        """What the admin says of it, in the reader's language: ``Updated A/RES/77/273.``"""
        if self.outcome == KEPT:
            return gettext("Kept – %(reason)s.") % {"reason": self.reason}
        sentences = {
            IMPORTED: gettext("Imported %(symbol)s."),
            UPDATED: gettext("Updated %(symbol)s."),
            UNCHANGED: gettext("Unchanged %(symbol)s."),
        }
        return sentences[self.outcome] % {"symbol": self.resolution.symbol}


@dataclass
class _Row:
    """A paragraph as it should be stored, with the key that matches it to an existing row."""

    key: tuple
    shape: tuple  # the key with sub-paragraph labels replaced by positions: same in every language
    kind: str
    number: str
    lead_phrase: str
    text: str
    heading: str
    section: str
    annex: str
    eid: str
    parent_key: tuple | None
    printed: bool = True  # whether the number or label is the source's (else the importer gave it)
    as_printed: str = ""  # the number as the source printed it, where the importer corrected a misprint


# Raise when a parser changes what it reads from the same text, so that re-imports apply the change.
# 2: sections, their preambles and headings (issue 11); 3: tables, printed notes, labels;
# 4: appendices in PDF text and Markdown, labels and numbers the extractor lost marked as given.
# 5: each language's meeting kept with its text (issue 12).
PARSER_VERSION = "5"


def source_digest(text: str) -> str:
    """A fingerprint of a source text: the same file parses the same way, so it loads as unchanged."""
    return hashlib.sha256(f"{PARSER_VERSION}\n{text}".encode()).hexdigest()


def digest(parsed: ParsedResolution) -> str:
    return source_digest(parsed.source_text)


def already_loaded(text: str) -> list[str]:
    """The resolutions loaded from exactly this text (several for a file with parts A, B)."""
    return list(
        ResolutionText.objects.filter(import_digest=source_digest(text)).values_list(
            "resolution__symbol", flat=True
        )
    )


def load(parsed: ParsedResolution) -> LoadResult:
    """Write ``parsed`` to the database in one transaction and link citations both ways."""
    fingerprint = digest(parsed)
    with transaction.atomic():
        resolution = Resolution.objects.select_for_update().filter(symbol=parsed.symbol).first()
        version = None
        if resolution is not None:
            version = resolution.texts.filter(language=parsed.language).first()
            if version is not None and version.import_digest == fingerprint:
                return LoadResult(resolution, UNCHANGED)
            if version is not None and (reason := outranked(parsed, version)):
                return LoadResult(resolution, KEPT, reason)
        rows = _rows(parsed)
        if resolution is None:
            resolution = Resolution(symbol=parsed.symbol)
            _fill_resolution(resolution, parsed)
            resolution.save()
            paragraphs = _sync_paragraphs(resolution, rows)
            outcome = IMPORTED
        elif parsed.language == resolution.language:
            _fill_resolution(resolution, parsed)
            resolution.save()
            paragraphs = _sync_paragraphs(resolution, rows)
            outcome = UPDATED
        else:
            paragraphs = _match_paragraphs(resolution, rows, parsed.language)
            if parsed.language == PREFERRED_LANGUAGE:
                _fill_resolution(resolution, parsed)
                resolution.save()
                _set_primary_text(paragraphs, rows)
            outcome = UPDATED
        _save_texts(resolution, parsed, paragraphs, rows, version, fingerprint)
        footnotes = _sync_footnotes(resolution, parsed, paragraphs, rows)
        if parsed.language == resolution.language:
            _sync_subjects(resolution, parsed)
            _sync_references(resolution, parsed, paragraphs, footnotes)
            # What each operative paragraph asks, of whom, by when; staff's edits are kept.
            Mandate.objects.refill(paragraphs.values())
        if parsed.language in (resolution.language, PREFERRED_LANGUAGE):
            # Its predecessor (and what follows it) found again, its paragraphs aligned again.
            link_loaded(resolution.pk)
        bump_public_content()  # the bulk writes above send no signals
    return LoadResult(resolution, outcome)


def outranked(parsed: ParsedResolution, held: ResolutionText) -> str:
    """Why ``parsed`` would be kept out, being poorer than the same language's text ``held``; or ""."""
    if source_rank(parsed.source_format) >= source_rank(held.source_format):
        return ""
    held_from, offered = (SOURCE_NAMES.get(f, f) for f in (held.source_format, parsed.source_format))
    # Translators: the sources are SOURCE_NAMES: "official XML (Akoma Ntoso)", "Markdown", ...
    return gettext("%(symbol)s [%(language)s] is held from its %(held)s, richer than this %(offered)s") % {
        "symbol": parsed.symbol,
        "language": parsed.language,
        "held": held_from,
        "offered": offered,
    }


def _fill_resolution(resolution: Resolution, parsed: ParsedResolution) -> None:
    """Copy the document's metadata; what this source does not state is left as an earlier one gave it."""
    resolution.language = parsed.language
    resolution.title = parsed.title or resolution.title
    values = {
        "body": parsed.body,
        "session": parsed.session,
        "number": parsed.number,
        "agenda_items": [{"number": item.number, "title": item.title} for item in parsed.agenda_items],
        "adopted_on": parsed.adopted_on,
        "distributed_on": parsed.distributed_on,
        "meeting": parsed.meeting,
        "draft_symbol": parsed.draft_symbol,
        "committee_report": parsed.committee_report,
        "enacting_formula": parsed.enacting_formula,
        "sponsors": parsed.sponsors,
    }
    if parsed.vote.method:
        values.update(
            adoption_method=parsed.vote.method,
            votes_yes=parsed.vote.yes,
            votes_no=parsed.vote.no,
            votes_abstain=parsed.vote.abstain,
        )
    for name, value in values.items():
        if value or value == 0:
            setattr(resolution, name, value)


class _Keys:
    """Keys that match a paragraph to its row across imports of the same resolution.

    Preambular paragraphs are matched by position, operative ones by number (the n-th
    paragraph numbered "1", since multi-section resolutions restart their numbering),
    unnumbered ones by position, sub-paragraphs by label under their parent. Annexes are
    matched by position, never by title: "Annex" is "Annexe", "Anexo" or "Приложение" in
    another language.
    """

    def __init__(self):
        self.seen: dict[tuple, int] = {}
        self.annexes = 0
        self.last_annex = ""

    def top_level(self, kind: str, annex: str, number: str) -> tuple:
        if annex and annex != self.last_annex:
            self.annexes += 1
        self.last_annex = annex
        part = (
            ("annex", self.annexes) if annex else (("pp",) if kind == ParagraphKind.PREAMBULAR else ("op",))
        )
        position = self.count(part)
        if kind == ParagraphKind.PREAMBULAR and not annex:
            return (*part, position)
        if not number:
            return (*part, f"#{position}")
        return (*part, number, self.count((*part, number)))

    def count(self, key: tuple) -> int:
        self.seen[key] = self.seen.get(key, 0) + 1
        return self.seen[key]


def _rows(parsed: ParsedResolution) -> list[_Row]:
    """The paragraphs in reading order, sub-paragraphs right after their parent."""
    rows: list[_Row] = []
    keys = _Keys()

    def add(paragraph, kind, key, shape, annex="", parent_key=None):
        rows.append(
            _Row(
                key=key,
                shape=shape,
                kind=kind,
                number=getattr(paragraph, "number", "") or getattr(paragraph, "label", ""),
                lead_phrase=paragraph.lead_phrase,
                text=paragraph.text,
                heading=getattr(paragraph, "heading", ""),
                section=getattr(paragraph, "section", ""),
                annex=annex,
                eid=paragraph.eid,
                parent_key=parent_key,
                printed=getattr(paragraph, "number_in_source", getattr(paragraph, "label_in_source", True)),
                as_printed=getattr(paragraph, "number_as_printed", ""),
            )
        )
        labels = _Keys()
        for position, sub in enumerate(paragraph.subparagraphs, start=1):
            sub_key = (*key, sub.label, labels.count((sub.label,)))
            add(sub, kind, sub_key, (*shape, position), annex, key)

    # In reading order: the resolution's preamble and the operative paragraphs before any section,
    # then each section's own preamble and operative part.
    sections = list(dict.fromkeys(p.section for p in [*parsed.operative, *parsed.preambular] if p.section))
    for section in ["", *sections]:
        in_section = [paragraph for paragraph in parsed.preambular if paragraph.section == section]
        for position, paragraph in enumerate(in_section, start=1):
            key = keys.top_level(ParagraphKind.PREAMBULAR, "", "")
            add(paragraph, ParagraphKind.PREAMBULAR, key, key)
            if section:  # cited as "pp II.1": the preamble of each section is counted on its own
                rows[-1 - _descendants(paragraph)].number = str(position)
        for paragraph in parsed.operative:
            if paragraph.section == section:
                key = keys.top_level(ParagraphKind.OPERATIVE, "", paragraph.number)
                add(paragraph, ParagraphKind.OPERATIVE, key, key)
    for annex in parsed.annexes:
        for position, paragraph in enumerate(annex.paragraphs):
            key = keys.top_level(ParagraphKind.OPERATIVE, annex.title, paragraph.number)
            add(paragraph, ParagraphKind.OPERATIVE, key, key, annex=annex.title)
            if (
                position == 0 and annex.heading
            ):  # the annex's own heading is printed above its first paragraph
                row = rows[-1 - _descendants(paragraph)]
                row.heading = " — ".join(filter(None, [annex.heading, row.heading]))
    return rows


def stored_places(parsed: ParsedResolution) -> list[tuple[str, str]]:
    """(where, text) for every text ``load`` writes from the body of ``parsed``, once each: what the
    coverage check counts."""
    places = [("enacting formula", parsed.enacting_formula)]
    # Each annex's title is stored on each of its rows, but is one title; one the importer made up
    # ("Annex", for an attachment that prints none) is no word of the source.
    places += [
        (f"title of annex {position}", annex.title)
        for position, annex in enumerate(parsed.annexes, start=1)
        if annex.paragraphs and annex.title_in_source
    ]
    for row in _rows(parsed):
        where = " ".join(str(part) for part in row.key)
        # A section's preambular paragraphs are numbered by the loader ("pp II.1"), not by the source,
        # and a number or label the extractor lost is the parser's.
        numbered = row.printed and not (row.kind == ParagraphKind.PREAMBULAR and not row.parent_key)
        # A corrected misprint ("l." for "1.") is stored as the number it means, and stands for the
        # word the source printed.
        number = (row.as_printed or row.number) if numbered else ""
        places += [
            (f"heading before {where}", row.heading),
            (f"number of {where}", number),
            (f"lead phrase of {where}", row.lead_phrase),
            (f"text of {where}", row.text),
        ]
    for note in parsed.footnotes:
        places += [(f"marker of footnote {note.marker}", note.marker), (f"footnote {note.marker}", note.text)]
    return places


def _descendants(paragraph) -> int:
    return sum(1 + _descendants(sub) for sub in paragraph.subparagraphs)


def _existing(paragraphs: list[Paragraph]) -> list[tuple[tuple, tuple, Paragraph]]:
    """The rows already stored, in reading order, with the key and shape ``_rows`` gives them."""
    keys = _Keys()
    known: dict[int, tuple[tuple, tuple]] = {}
    children: dict[int, int] = {}
    labels: dict[tuple, int] = {}
    result = []
    for paragraph in sorted(paragraphs, key=lambda p: p.order):
        if paragraph.parent_id:
            parent_key, parent_shape = known[paragraph.parent_id]
            children[paragraph.parent_id] = children.get(paragraph.parent_id, 0) + 1
            labels[(*parent_key, paragraph.number)] = labels.get((*parent_key, paragraph.number), 0) + 1
            key = (*parent_key, paragraph.number, labels[(*parent_key, paragraph.number)])
            shape = (*parent_shape, children[paragraph.parent_id])
        else:
            key = shape = keys.top_level(paragraph.kind, paragraph.annex, paragraph.number)
        known[paragraph.pk] = (key, shape)
        result.append((key, shape, paragraph))
    return result


def _sync_paragraphs(resolution: Resolution, rows: list[_Row]) -> dict[tuple, Paragraph]:
    """Make the stored paragraphs those of ``rows``: update matches in place, add new, drop gone."""
    by_key = {key: paragraph for key, _, paragraph in _existing(list(resolution.paragraphs.all()))}
    wanted = {row.key for row in rows}
    gone = [p.pk for key, p in by_key.items() if key not in wanted]
    if gone:
        kept = Paragraph.objects.filter(pk__in=gone).exclude(notes=None, assessments=None)
        if kept.exists():
            labels = ", ".join(p.label for p in kept)
            raise LoadRefused(
                gettext(
                    "the new text no longer has %(paragraphs)s, which staff have recorded notes or "
                    "assessments against; move them to another paragraph first"
                )
                % {"paragraphs": labels}
            )
        Paragraph.objects.filter(pk__in=gone).delete()
    if by_key:
        # Free every position first so that paragraphs can move without clashing.
        resolution.paragraphs.update(order=F("order") + 1_000_000)

    result: dict[tuple, Paragraph] = {}
    fields = [
        "kind",
        "order",
        "number",
        "lead_phrase",
        "text",
        "heading",
        "section",
        "annex",
        "eid",
        "parent",
    ]
    changed: list[Paragraph] = []
    depth: dict[tuple, int] = {}
    for row in rows:
        depth[row.key] = depth[row.parent_key] + 1 if row.parent_key else 0
    # Parents are written before their children, one depth at a time, so children know their parent's id.
    for level in sorted(set(depth.values())):
        new: list[Paragraph] = []
        for order, row in enumerate(rows, start=1):
            if depth[row.key] != level:
                continue
            paragraph = by_key.get(row.key) or Paragraph(resolution=resolution)
            paragraph.kind = row.kind
            paragraph.order = order
            paragraph.number = row.number
            paragraph.lead_phrase = row.lead_phrase
            paragraph.text = row.text
            paragraph.heading = row.heading
            paragraph.section = row.section
            paragraph.annex = row.annex
            paragraph.eid = row.eid
            paragraph.parent = result[row.parent_key] if row.parent_key else None
            (changed if paragraph.pk else new).append(paragraph)
            result[row.key] = paragraph
        Paragraph.objects.bulk_create(new, batch_size=500)
    Paragraph.objects.bulk_update(changed, fields, batch_size=500)
    return result


def _match_paragraphs(resolution: Resolution, rows: list[_Row], language: str) -> dict[tuple, Paragraph]:
    """Pair another language version's paragraphs with those held, refusing if the structures differ."""
    existing = _existing(list(resolution.paragraphs.all()))
    held = [shape for _, shape, _ in existing]
    offered = [row.shape for row in rows]
    if held != offered:
        first = next(
            (i for i, (a, b) in enumerate(zip(held, offered, strict=False)) if a != b),
            min(len(held), len(offered)),
        )
        # Translators: where two language versions first differ, when it is not a paragraph's label.
        where = existing[first][2].label if first < len(existing) else gettext("the end")
        raise LoadRefused(
            gettext(
                "the %(language)s text does not match the %(held_language)s text already held "
                "(%(offered)s paragraphs against %(held)s; they first differ at %(where)s), so it cannot "
                "be attached to the same paragraphs"
            )
            % {
                "language": language,
                "held_language": resolution.language,
                "offered": len(offered),
                "held": len(held),
                "where": where,
            }
        )
    return {row.key: paragraph for row, (_, _, paragraph) in zip(rows, existing, strict=True)}


def _set_primary_text(paragraphs: dict[tuple, Paragraph], rows: list[_Row]) -> None:
    changed = []
    for row in rows:
        paragraph = paragraphs[row.key]
        paragraph.lead_phrase, paragraph.text, paragraph.number = row.lead_phrase, row.text, row.number
        paragraph.heading, paragraph.section = row.heading, row.section
        changed.append(paragraph)
    Paragraph.objects.bulk_update(
        changed, ["lead_phrase", "text", "number", "heading", "section"], batch_size=500
    )


def _save_texts(
    resolution: Resolution,
    parsed: ParsedResolution,
    paragraphs: dict[tuple, Paragraph],
    rows: list[_Row],
    version: ResolutionText | None,
    fingerprint: str,
) -> None:
    version = version or ResolutionText(resolution=resolution, language=parsed.language)
    version.title = parsed.title
    version.enacting_formula = parsed.enacting_formula
    version.meeting = parsed.meeting
    version.source_format = parsed.source_format
    version.source_text = parsed.source_text
    version.import_digest = fingerprint
    version.save()
    ParagraphText.objects.filter(paragraph__resolution=resolution, language=parsed.language).delete()
    ParagraphText.objects.bulk_create(
        ParagraphText(
            paragraph=paragraphs[row.key],
            language=parsed.language,
            lead_phrase=row.lead_phrase,
            text=row.text,
            heading=row.heading,
        )
        for row in rows
    )


def _sync_footnotes(
    resolution: Resolution, parsed: ParsedResolution, paragraphs: dict[tuple, Paragraph], rows: list[_Row]
) -> dict[str, Footnote]:
    """The footnotes of this language version, linked to the paragraphs that cite them."""
    resolution.footnotes.filter(language=parsed.language).delete()
    footnotes = Footnote.objects.bulk_create(
        Footnote(resolution=resolution, language=parsed.language, marker=note.marker, text=note.text)
        for note in parsed.footnotes
    )
    by_marker = {footnote.marker: footnote for footnote in footnotes}
    texts = {paragraphs[row.key].pk: row.text for row in rows}
    links = [
        Footnote.paragraphs.through(footnote_id=by_marker[marker].pk, paragraph_id=pk)
        for pk, text in texts.items()
        for marker in dict.fromkeys(FOOTNOTE_MARKER.findall(text))
        if marker in by_marker
    ]
    Footnote.paragraphs.through.objects.bulk_create(links)
    return by_marker


def _sync_subjects(resolution: Resolution, parsed: ParsedResolution) -> None:
    """SDG goals, UNBIS and EuroVoc terms become tags that lists can be filtered by."""
    wanted = [
        (SubjectScheme.SDG, goal, SDG_GOALS.get(goal, f"Goal {goal}"), f"sdg-{goal}")
        for goal in parsed.sdg_goals
    ]
    wanted += [(SubjectScheme.UNBIS, "", term, f"unbis-{slugify(term)}") for term in parsed.unbis_terms]
    wanted += [(SubjectScheme.EUROVOC, "", term, f"eurovoc-{slugify(term)}") for term in parsed.eurovoc_terms]
    wanted = [item for item in wanted if item[3] and not item[3].endswith("-")]
    if not wanted:
        return  # this source gives no subjects: keep those another source gave
    slugs = list(dict.fromkeys(slug[:220] for *_, slug in wanted))
    known = {subject.slug: subject for subject in Subject.objects.filter(slug__in=slugs)}
    missing = {}
    for scheme, code, name, slug in wanted:
        slug = slug[:220]
        if slug not in known and slug not in missing:
            missing[slug] = Subject(scheme=scheme, code=code, name=name[:200], slug=slug)
    if missing:
        Subject.objects.bulk_create(missing.values(), ignore_conflicts=True)
        known = {subject.slug: subject for subject in Subject.objects.filter(slug__in=slugs)}
    resolution.subjects.set([known[slug] for slug in slugs if slug in known])


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
        if symbol not in placed
    ]
    rows = [row for row in rows if row.symbol != resolution.symbol and len(row.symbol) <= 100]
    targets = dict(
        Resolution.objects.filter(symbol__in={row.symbol for row in rows}).values_list("symbol", "pk")
    )
    for row in rows:
        row.target_id = targets.get(row.symbol)
    Reference.objects.bulk_create(rows)
    # Citations of this resolution imported before it now find it.
    Reference.objects.filter(symbol=resolution.symbol, target__isnull=True).update(target=resolution)
