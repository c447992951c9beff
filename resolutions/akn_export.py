"""A resolution as Akoma Ntoso 3.0 XML, in the shape of the UN's own files (the shape
resolutions.importer.akn reads back), with its published implementation as editorial annotations:
``<meta><notes>`` holds, for each operative paragraph, a ``<note>`` for its current published status
and one for each published implementation note, each placed on the paragraph by ``placementBase``
(the paragraph's eId).

The whole document tree is written, with the source's eIds where it had them: the preamble, the
operative part with its sections (each heading in an ``hcontainer``, a section's own preambular
paragraphs as ``crossHeading refersTo="#preamble"``), sub-paragraphs and footnotes, and the annexes
(as ``attachments``; a text the resolution adopts, whose title is no "Annex ...", after the operative
paragraph that adopts it, as the UN prints it). ``<meta><proprietary>`` marks the file as the
tracker's export, so that importing it never replaces the source it was made from."""

from __future__ import annotations

import re

from django.utils.formats import date_format
from lxml import etree

from resolutions.implementation import ImplementationReport, body_paragraphs, paragraph_eid
from resolutions.importer.akn import _ANNEX_TITLE, EXPORT_MARK, EXPORT_NAMESPACE
from resolutions.models import FOOTNOTE_MARKER, Footnote, Paragraph, ParagraphKind

AKN_NAMESPACE = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
TRACKER = "resolutionTracker"
# The FRBR author of each body, as the UN's files name the General Assembly ("ga").
FRBR_AUTHORS = {"GA": "ga", "SC": "sc", "HRC": "hrc", "ECOSOC": "ecosoc"}
ISO_639_2 = {"en": "eng", "fr": "fra", "es": "spa", "ru": "rus", "zh": "zho", "ar": "ara"}


def _element(parent, tag, text=None, **attributes):
    element = etree.SubElement(
        parent, f"{{{AKN_NAMESPACE}}}{tag}", {k: str(v) for k, v in attributes.items()}
    )
    if text is not None:
        element.text = str(text)  # lxml takes str only, not a lazily translated label (a status's)
    return element


def implementation_akn(report: ImplementationReport, tracker_url, generated_at, site_url="") -> bytes:
    resolution = report.resolution
    language = resolution.language
    root = etree.Element(f"{{{AKN_NAMESPACE}}}akomaNtoso", nsmap={None: AKN_NAMESPACE})
    root.append(etree.Comment(f" Exported by the Resolution Tracker from {tracker_url} "))
    statement = _element(root, "statement", name="resolution")

    author = FRBR_AUTHORS.get(resolution.body, resolution.body.lower())
    adopted = resolution.adopted_on.isoformat() if resolution.adopted_on else ""
    number = f"{resolution.session}-{resolution.number}" if resolution.number else resolution.symbol
    work = f"/akn/un/statement/deliberation/un{author}/{adopted or 'undated'}/{number}/"
    expression = f"{work}{ISO_639_2.get(language, language)}@/"
    meta = _element(statement, "meta")
    identification = _element(meta, "identification", source=f"#{TRACKER}")
    frbr = _element(identification, "FRBRWork")
    _element(frbr, "FRBRthis", value=f"{work}!main")
    _element(frbr, "FRBRuri", value=work)
    if adopted:
        _element(frbr, "FRBRdate", date=adopted, name="adoption")
    _element(frbr, "FRBRauthor", href=author, **{"as": "author"})
    _element(frbr, "FRBRcountry", value="un")
    frbr = _element(identification, "FRBRExpression")
    _element(frbr, "FRBRthis", value=f"{expression}!main")
    _element(frbr, "FRBRuri", value=expression)
    if resolution.distributed_on:
        _element(frbr, "FRBRdate", date=resolution.distributed_on.isoformat(), name="publication")
    _element(frbr, "FRBRauthor", href=author, **{"as": "issuer"})
    _element(frbr, "FRBRlanguage", language=ISO_639_2.get(language, language))
    frbr = _element(identification, "FRBRManifestation")
    _element(frbr, "FRBRthis", value=f"{expression}!main.xml")
    _element(frbr, "FRBRuri", value=f"{expression.rstrip('/')}.xml")
    _element(frbr, "FRBRdate", date=generated_at.date().isoformat(), name="export")
    _element(frbr, "FRBRauthor", href=f"#{TRACKER}", **{"as": "editor"})

    references = _element(meta, "references", source=f"#{TRACKER}")
    _element(references, "TLCOrganization", eId=TRACKER, href=tracker_url, showAs="Resolution Tracker")
    _element(
        references, "TLCConcept", eId="implementationStatus", href="#implementationStatus", showAs="Status"
    )
    _element(
        references,
        "TLCConcept",
        eId="implementationNote",
        href="#implementationNote",
        showAs="Implementation note",
    )
    _write_notes(meta, report, site_url)
    proprietary = _element(meta, "proprietary", source=f"#{TRACKER}")
    mark = etree.SubElement(
        proprietary, f"{{{EXPORT_NAMESPACE}}}{EXPORT_MARK}", nsmap={"tracker": EXPORT_NAMESPACE}
    )
    mark.set("href", tracker_url)
    mark.set("generated", generated_at.isoformat())

    _write_cover(statement, resolution)
    footnotes = {
        footnote.marker: footnote.text
        for footnote in Footnote.objects.filter(resolution=resolution, language=language)
    }
    writer = _BodyWriter(footnotes)
    preamble = _element(statement, "preamble")
    if resolution.enacting_formula:
        formula = _element(_element(preamble, "formula", name="enactingFormula", eId="formula_1"), "p")
        _element(formula, "span", resolution.enacting_formula.rstrip(","), **{"class": "italic"}).tail = ","
    tree = _Tree(resolution)
    for paragraph in tree.preamble:
        eid = paragraph_eid(paragraph)
        container = _element(preamble, "container", name=paragraph.lead_phrase or "paragraph", eId=eid)
        items = tree.subparagraphs.get(paragraph.pk)
        if not items:
            writer.text(_element(container, "p"), paragraph.lead_phrase, paragraph.text)
            continue
        block_list = _element(container, "blockList", eId=f"{eid}__blockList_1")
        writer.text(_element(block_list, "listIntroduction"), paragraph.lead_phrase, paragraph.text)
        for item in items:  # a preamble's items are one level deep (importer.akn reads no deeper)
            element = _element(block_list, "item", **({"eId": item.eid} if item.eid else {}))
            _element(element, "num", f"({item.number})")
            writer.text(_element(element, "p"), item.lead_phrase, item.text)
    main = _element(statement, "mainBody")
    for paragraph in tree.body:
        writer.block(main, paragraph, tree)
    for title, paragraphs in tree.adopted:
        adopting = _element(main, "paragraph", eId=f"{_slug(title)}__title")
        _element(adopting, "heading", title)
        for paragraph in paragraphs:
            writer.block(main, paragraph, tree)
    if resolution.meeting or adopted:
        conclusions = _element(_element(statement, "conclusions", eId="conclusions"), "p")
        if resolution.meeting:
            _element(conclusions, "inline", resolution.meeting, name="adoptionMeeting")
            _element(conclusions, "eol")
        if adopted:
            _element(
                conclusions,
                "docDate",
                date_format(resolution.adopted_on),
                date=adopted,
                refersTo="#adoptionDate",
            )
    if tree.annexes:
        attachments = _element(statement, "attachments")
        for title, paragraphs in tree.annexes:
            document = _element(_element(attachments, "attachment"), "doc", name="annex")
            body = _element(document, "mainBody")
            writer.heading(body, title)
            for paragraph in paragraphs:
                writer.block(body, paragraph, tree)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _slug(text):
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")[:40] or "annex"


class _Tree:
    """The resolution's paragraphs in reading order, in the parts the export writes: the preamble,
    the body (sections' preambles and operative paragraphs), texts adopted in the body, and annexes;
    each top-level paragraph's sub-paragraphs (any depth) in ``subparagraphs``."""

    def __init__(self, resolution):
        rows = list(Paragraph.objects.filter(resolution=resolution).order_by("order"))
        self.subparagraphs = {}
        top = []
        for row in rows:
            row.resolution = resolution
            if row.parent_id:
                self.subparagraphs.setdefault(row.parent_id, []).append(row)
            else:
                top.append(row)
        self.preamble = [
            p for p in top if p.kind == ParagraphKind.PREAMBULAR and not p.section and not p.annex
        ]
        self.body = [p for p in top if not p.annex and p not in self.preamble]
        annexes = {}
        for paragraph in top:
            if paragraph.annex:
                annexes.setdefault(paragraph.annex, []).append(paragraph)
        # An annex the UN prints as one ("Annex", "Annex II") is an attachment; a text the resolution
        # adopts ("Declaration on ...") follows, in the body, the paragraph that adopts it.
        self.annexes = [(t, ps) for t, ps in annexes.items() if _ANNEX_TITLE.fullmatch(t) and len(t) <= 120]
        self.adopted = [(t, ps) for t, ps in annexes.items() if (t, ps) not in self.annexes]

    def descendants(self, paragraph):
        """Its sub-paragraphs and theirs, in reading order."""
        found = []
        for child in self.subparagraphs.get(paragraph.pk, []):
            found += [child, *self.descendants(child)]
        return found


def _write_cover(statement, resolution):
    cover = _element(statement, "coverPage", eId="coverPage_1")
    _element(_element(cover, "p"), "docNumber", resolution.symbol, refersTo="#symbol")
    _element(_element(cover, "p"), "docAuthority", resolution.get_body_display(), refersTo="#issuingBody")
    if resolution.distributed_on:
        _element(
            _element(cover, "p"),
            "docDate",
            date_format(resolution.distributed_on),
            date=resolution.distributed_on.isoformat(),
            refersTo="#dateOfIssuance",
        )
    for item in resolution.agenda_items:
        if item.get("number"):
            _element(
                _element(cover, "p"),
                "inline",
                f"Agenda item {item['number']}",
                title=item["number"],
                name="agenda item",
            )
        if item.get("title"):
            _element(_element(cover, "p"), "inline", item["title"], name="agenda item name")
    if resolution.draft_symbol:
        proponent = _element(_element(cover, "p"), "docProponent")
        _element(proponent, "inline", resolution.draft_symbol, name="originating document")
    preface = _element(_element(statement, "preface"), "p")
    _element(preface, "docNumber", f"{resolution.short_symbol}.")
    _element(preface, "docTitle", resolution.title, refersTo="#resolutionTitle")


class _BodyWriter:
    """Paragraph text with its footnotes in place, as the UN writes them (authorialNote)."""

    def __init__(self, footnotes):
        self.footnotes = footnotes
        self.written = 0
        self.headings = 0

    def text(self, p, lead_phrase, text):
        last = None
        if lead_phrase:
            last = _element(p, "span", lead_phrase, **{"class": "italic"})
            last.tail = "" if text[:1] in ",;:." else " "
        else:
            p.text = ""
        position = 0
        for marker in FOOTNOTE_MARKER.finditer(text):
            self._append(p, last, text[position : marker.start()])
            last = self._footnote(p, marker.group(1))
            position = marker.end()
        self._append(p, last, text[position:])

    @staticmethod
    def _append(p, last, words):
        if last is None:
            p.text = (p.text or "") + words
        else:
            last.tail = (last.tail or "") + words

    def _footnote(self, p, marker):
        self.written += 1
        note = _element(
            p, "authorialNote", marker=marker, placement="bottom", eId=f"authorialNote_{self.written}"
        )
        _element(note, "p", self.footnotes.get(marker, ""))
        return note

    def heading(self, parent, text):
        """A heading, in an hcontainer of its own: a section's ("II. Programme budget") or an annex's."""
        self.headings += 1
        _element(
            _element(parent, "hcontainer", name="heading", eId=f"hcontainer_{self.headings}"), "heading", text
        )

    def block(self, parent, paragraph, tree):
        """A top-level paragraph of the body or an annex, after the headings printed before it."""
        for text in filter(None, paragraph.heading.split(" — ")):
            self.heading(parent, text)
        if paragraph.kind == ParagraphKind.PREAMBULAR:  # a section's own preamble
            element = _element(parent, "crossHeading", refersTo="#preamble", eId=paragraph_eid(paragraph))
            self.text(element, paragraph.lead_phrase, paragraph.text)
            return
        descendants = tree.descendants(paragraph)
        # A table is held as lines of text ("Gross | Net"), read from the table after the words it
        # follows (the last of the paragraph's), or standing alone: written back as a table.
        leaf = descendants[-1] if descendants else paragraph
        first, _, rest = leaf.text.partition("\n")
        alone = leaf is paragraph and not (paragraph.number or paragraph.lead_phrase) and " | " in first
        if alone:
            self.table(parent, paragraph.text, paragraph_eid(paragraph))
            return
        leaf.text = first
        self.operative(parent, paragraph, descendants)
        if rest:
            self.table(parent, rest, f"{paragraph_eid(paragraph)}__table")

    def table(self, parent, text, eid):
        table = _element(_element(parent, "container", name="table", eId=eid), "table")
        for line in filter(None, text.split("\n")):
            row = _element(table, "tr")
            for cell in line.split(" | "):
                _element(_element(row, "td"), "p", cell)

    def operative(self, parent, paragraph, subparagraphs):
        eid = paragraph_eid(paragraph)
        element = _element(parent, "paragraph", eId=eid)
        if paragraph.number:
            _element(element, "num", f"{paragraph.number}.")
        children = [sub for sub in subparagraphs if sub.parent_id == paragraph.pk]
        if not children:
            # Without a number, an intro: content alone would be read as a heading where it is short.
            wrapper = "content" if paragraph.number else "intro"
            self.text(
                _element(_element(element, wrapper, eId=f"{eid}__{wrapper}"), "p"),
                paragraph.lead_phrase,
                paragraph.text,
            )
            return
        listing = _element(element, "list", eId=f"{eid}__list_1")
        self.text(
            _element(_element(listing, "intro", eId=f"{eid}__list_1__intro"), "p"),
            paragraph.lead_phrase,
            paragraph.text,
        )
        self._points(listing, f"{eid}__list_1", children, subparagraphs)

    def _points(self, listing, prefix, children, subparagraphs):
        for sub in children:
            eid = sub.eid or f"{prefix}__point_{re.sub(r'[^A-Za-z0-9]', '', sub.number)}"
            point = _element(listing, "point", eId=eid)
            _element(point, "num", f"({sub.number})")
            grandchildren = [each for each in subparagraphs if each.parent_id == sub.pk]
            if sub.text or sub.lead_phrase or not grandchildren:
                self.text(_element(_element(point, "content"), "p"), sub.lead_phrase, sub.text)
            if grandchildren:  # after the point's own words, as importer.akn reads a point
                inner = _element(point, "list", eId=f"{eid}__list_1")
                self._points(inner, f"{eid}__list_1", grandchildren, subparagraphs)


def _write_notes(meta, report, site_url):
    """Each operative paragraph's published status and notes, as editorial notes placed on it."""
    notes = None
    for item in report.paragraphs:
        eid = paragraph_eid(item.paragraph)
        annotations = []
        if item.status:
            annotations.append(("status", item))
        annotations += [("note", note) for note in item.notes]
        for kind, thing in annotations:
            if notes is None:
                notes = _element(meta, "notes", source=f"#{TRACKER}")
            if kind == "status":
                note = _element(
                    notes,
                    "note",
                    eId=f"{eid}__implementationStatus",
                    placementBase=eid,
                    refersTo="#implementationStatus",
                    **{"class": f"implementationStatus {thing.status}"},
                )
                p = _element(note, "p", "Status: ")
                label = _element(p, "span", thing.status_label, **{"class": "status", "title": thing.status})
                label.tail = " as of "
                _element(p, "date", date_format(thing.status_as_of), date=thing.status_as_of.isoformat())
                if thing.rationale:
                    _element(note, "p", thing.rationale, **{"class": "rationale"})
                continue
            note = _element(
                notes,
                "note",
                eId=f"{eid}__implementationNote_{thing.pk}",
                placementBase=eid,
                refersTo="#implementationNote",
                title=thing.title,
                **{"class": f"implementationNote {thing.kind}"},
            )
            p = _element(note, "p", **{"class": "dates"})
            start = _element(p, "date", date_format(thing.start_date), date=thing.start_date.isoformat())
            if thing.end_date:
                start.tail = " – "
                _element(p, "date", date_format(thing.end_date), date=thing.end_date.isoformat())
            _element(note, "p", thing.title, **{"class": "title"})
            for block in body_paragraphs(thing):
                _element(note, "p", block)
            for source in thing.source_list:
                p = _element(note, "p", "Source: ", **{"class": "source"})
                if source.href:
                    _element(p, "a", source.title, href=source.href)
                else:
                    p.text += source.title
            if site_url:
                link = f"{site_url.rstrip('/')}{thing.get_absolute_url()}"
                _element(_element(note, "p", **{"class": "link"}), "a", link, href=link)
