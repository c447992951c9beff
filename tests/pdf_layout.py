"""Lay out a parsed resolution the way a PDF text extractor gives an official UN resolution.

A test helper, not a test module. ``render(resolution)`` turns a ``ParsedResolution``
(normally from ``resolutions.importer.akn.parse``) into the text layer of the resolution's
official PDF as the eight real session-80 samples in ``../shared/data/pdftext`` show it:

- the first page's furniture: "United Nations", the symbol, "General Assembly" (or
  "Security Council"), "Distr.: General", the distribution date, a job number and its bar code,
  then the session, agenda items, the "Resolution adopted by ..." line, the report or draft
  in brackets, the number and title ("77/273. Role of ...") and the enacting formula;
- hard line breaks at about 85 characters, every line ending in a space and blank lines
  holding a single space;
- operative numbers 1 to 9 alone on their line, 10 and over at the start of the text (as
  the PDF's tab stops give them), sub-paragraph labels "(a)" alone at the start of a line;
- at the foot of each page, "__________________" and the footnotes cited on that page
  ("1  text"); footnote markers as bare digits glued to the word or punctuation before;
- on each later page the running header (symbol, title, job number, page number "2/4",
  the order changing between even and odd pages);
- no italics; the closing meeting line and the adoption date (General Assembly);
- each annex on a new page: its title ("Annex I"), its heading, its paragraphs.

The Security Council's first page follows its resolutions ("Resolution 2504 (2020)", "Adopted by
the Security Council at its 8711th meeting, on ..."), with no closing meeting line.

The job number and bar code are placeholders ("23-00000 (E)", "*2300000*", the year of
distribution and zeros): the UN's XML does not carry the real ones, and we do not make
them up. The layout is deterministic: the same resolution gives the same text.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field

from resolutions.importer.parsed import Paragraph, ParsedResolution, Subparagraph

WIDTH = 85  # characters per line, as the samples break them
FIRST_PAGE_LINES = 30  # body lines (blank lines, footnotes included) below the first page's furniture
PAGE_LINES = 48  # body lines on each later page
SEPARATOR = "__________________"

_MARKER = re.compile(r"\s*\[\^(\d+)\]")
_GLUED = re.compile("\x01(\\d+)\x02")
_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
_UNITS = [
    "", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth",
]  # fmt: skip
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_TENTHS = ["", "", "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth",
           "ninetieth"]  # fmt: skip


class CannotLayOut(ValueError):
    """The resolution holds something this renderer does not lay out (the message says what)."""


def render(resolution: ParsedResolution) -> str:
    """The text a PDF text extractor gives for ``resolution``'s official PDF."""
    if not resolution.operative:
        raise CannotLayOut(f"{resolution.symbol} has no operative paragraph")
    notes = {note.marker: note.text for note in resolution.footnotes}
    body = _Body(notes)
    for paragraph in resolution.preambular:
        body.paragraph(paragraph)
    for paragraph in resolution.operative:
        body.paragraph(paragraph)
    if resolution.body != "SC":
        body.blank()
        body.add(resolution.meeting or "plenary meeting")
        if resolution.adopted_on:
            body.add(_date(resolution.adopted_on))
    for annex in resolution.annexes:
        body.page_break()
        body.add(annex.title or "Annex")
        if annex.heading:
            body.blank()
            body.wrapped(annex.heading)
        for paragraph in annex.paragraphs:
            body.paragraph(paragraph)
    pages = body.pages()
    job = _job_number(resolution)
    # Every line ends in a space and a blank line is a space, as the extractor gives them, but
    # the first line, and the last line of each page, which an empty line follows.
    out = ["", *(f"{line} " for line in _first_page(resolution))]
    for number, page in enumerate(pages, start=1):
        if number > 1:
            out += ["", *(f"{line} " for line in _running_header(resolution, job, number, len(pages)))]
        lines = [f"{line} " for line in page]
        lines[-1] = lines[-1].rstrip()
        out += lines
    return "\n".join(out) + "\n"


# --- Lines ----------------------------------------------------------------------------------


@dataclass
class _Line:
    text: str
    markers: list[str] = field(default_factory=list)
    page_break: bool = False


def _glue_markers(text: str) -> str:
    """Footnote markers "[^2]" as placeholders glued to the word before, so that wrapping keeps them there."""
    return _MARKER.sub(lambda match: f"\x01{match.group(1)}\x02", text)


def _wrap(text: str) -> list[_Line]:
    """Greedy line breaks at spaces, or after a hyphen inside a word ("post-" over "conflict")."""
    lines: list[str] = []
    line = ""
    for word in _glue_markers(text).split():
        while True:
            if not line:
                line = word
                break
            if len(line) + 1 + len(word) <= WIDTH:
                line = f"{line} {word}"
                break
            room = WIDTH - len(line) - 1
            cut = word.rfind("-", 0, room)
            if cut > 0 and word[cut - 1].isalpha() and word[cut + 1 : cut + 2].isalpha():
                lines.append(f"{line} {word[: cut + 1]}")
                word = word[cut + 1 :]
            else:
                lines.append(line)
            line = ""
    lines.append(line)
    return [_Line(_GLUED.sub(r"\1", line), _GLUED.findall(line) if "\x01" in line else []) for line in lines]


def _note(marker: str, text: str) -> list[str]:
    """A footnote's lines: its number, two spaces, its text."""
    lines = [line.text for line in _wrap(f"{marker} {text}")]
    lines[0] = f"{marker}  {lines[0][len(marker) + 1 :]}"
    return lines


def _joined(lead: str, text: str) -> str:
    if not lead:
        return text
    if not text:
        return lead
    return lead + ("" if text[:1] in ",;:." else " ") + text


class _Body:
    """The body of the resolution as lines, then cut into pages with their footnotes."""

    def __init__(self, notes: dict[str, str]):
        self.notes = notes
        self.lines: list[_Line] = []
        self.note_sizes = {marker: 1 + len(_note(marker, text)) for marker, text in notes.items()}

    def add(self, text: str) -> None:
        self.lines.append(_Line(text))

    def blank(self) -> None:
        self.lines.append(_Line(""))

    def page_break(self) -> None:
        self.lines.append(_Line("", page_break=True))

    def wrapped(self, text: str) -> None:
        self.lines.extend(_wrap(text))

    def paragraph(self, paragraph: Paragraph) -> None:
        if paragraph.heading:
            for heading in paragraph.heading.split(" — "):
                self.blank()
                self.wrapped(heading)
        self.blank()
        text = _joined(paragraph.lead_phrase, paragraph.text)
        number = paragraph.number
        if number and number.isdigit() and int(number) >= 10:
            self.wrapped(f"{number}. {text}")
        elif number:
            self.add(f"{number}.")
            self.wrapped(text)
        elif text:
            self.wrapped(text)
        for sub in paragraph.subparagraphs:
            self.subparagraph(sub)

    def subparagraph(self, sub: Subparagraph) -> None:
        self.blank()
        label = sub.label
        text = _joined(sub.lead_phrase, sub.text)
        if label in ("\u2013", "\u2022", "-", "\u2014", "\u00b7", "*"):
            self.wrapped(f"{label} {text}")  # a bullet, on the line of its text
        elif label:
            self.add(f"({label})")
            if text:
                self.wrapped(text)
        elif text:
            self.wrapped(text)  # the XML gives an item no label: it is printed without one
        for nested in sub.subparagraphs:
            self.subparagraph(nested)

    def _note_lines(self, markers: list[str]) -> int:
        if not markers:
            return 0
        return 1 + sum(self.note_sizes[marker] for marker in markers)

    def pages(self) -> list[list[str]]:
        """The body cut into pages: each page's lines, then its footnotes."""
        pages: list[tuple[list[_Line], list[str]]] = [([], [])]
        capacity = FIRST_PAGE_LINES
        for line in self.lines:
            body, markers = pages[-1]
            if line.page_break:
                if body:
                    pages.append(([], []))
                    capacity = PAGE_LINES
                continue
            if not line.text and not body:
                continue  # the running header already ends in blank lines
            cited = [marker for marker in line.markers if marker in self.notes and marker not in markers]
            if body and len(body) + 1 + self._note_lines([*markers, *cited]) > capacity:
                pages.append(([], []))
                capacity = PAGE_LINES
                body, markers = pages[-1]
                if not line.text:
                    continue
            body.append(line)
            markers.extend(cited)
        out = []
        for body, markers in pages:
            lines = [line.text for line in body]
            while lines and not lines[-1]:
                lines.pop()
            if markers:
                lines.append(SEPARATOR)
                for marker in markers:
                    lines.append("")
                    lines.extend(_note(marker, self.notes[marker]))
            out.append(lines)
        return out


# --- Furniture ---------------------------------------------------------------------------------


def _date(value) -> str:
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def _ordinal(number: int) -> str:
    """75 -> "Seventy-fifth"."""
    if number < 20:
        word = _UNITS[number]
    elif number % 10 == 0:
        word = _TENTHS[number // 10]
    else:
        word = f"{_TENS[number // 10]}-{_UNITS[number % 10]}"
    return word[:1].upper() + word[1:]


def _job_number(resolution: ParsedResolution) -> str:
    date = resolution.distributed_on or resolution.adopted_on
    year = f"{date.year % 100:02d}" if date else "00"
    return f"{year}-00000"


def _body_name(resolution: ParsedResolution) -> str:
    return "Security Council" if resolution.body == "SC" else "General Assembly"


def _proponent(resolution: ParsedResolution) -> str:
    """The bracketed line: the report of a Main Committee, or the draft's symbol, as the XML prints it."""
    if resolution.source_format == "akn" and resolution.source_text:
        from lxml import etree

        root = etree.fromstring(
            resolution.source_text.encode("utf-8"), etree.XMLParser(resolve_entities=False)
        )
        for element in root.iter("{*}docProponent"):
            text = " ".join("".join(element.itertext()).split())
            if text.startswith("["):
                return text
    if resolution.committee_report:
        return f"[on the report of a Main Committee ({resolution.committee_report})]"
    if resolution.draft_symbol:
        return f"[without reference to a Main Committee ({resolution.draft_symbol})]"
    return ""


def _first_page(resolution: ParsedResolution) -> list[str]:
    job = _job_number(resolution)
    distributed = resolution.distributed_on or resolution.adopted_on
    lines = [
        "United Nations",
        resolution.symbol,
        "",
    ]
    if resolution.body != "SC":
        lines.append("")
    lines += [
        _body_name(resolution),
        "Distr.: General",
        _date(distributed) if distributed else "",
        "",
        f"{job} (E)",
        f"*{job.replace('-', '')}*",
        "",
        "",
    ]
    if resolution.body == "SC":
        number, year = resolution.number, resolution.session
        meeting = resolution.meeting or "meeting"
        lines += [
            f"Resolution {number} ({year})",
            "",
            f"Adopted by the Security Council at its {meeting}, on",
            _date(resolution.adopted_on) if resolution.adopted_on else "",
            "",
            "",
            "",
        ]
    else:
        if resolution.session.isdigit():
            lines.append(f"{_ordinal(int(resolution.session))} session")
        items = resolution.agenda_items
        if len(items) == 1:
            lines.append(f"Agenda item {items[0].number}")
            lines += textwrap.wrap(items[0].title, width=60)
        elif items:
            numbers = [item.number for item in items]
            lines.append(f"Agenda items {', '.join(numbers[:-1])} and {numbers[-1]}")
        lines += ["", "", "", "", " Resolution adopted by the General Assembly"]
        if resolution.adopted_on:
            lines.append(f"on {_date(resolution.adopted_on)}")
        lines += ["", "", "", ""]
        proponent = _proponent(resolution)
        if proponent:
            lines += [proponent, "", "", ""]
        heading = f"{resolution.session}/{resolution.number}. {resolution.title}"
        lines += [line.text for line in _wrap(heading)]
        lines += ["", "", ""]
    return [*lines, resolution.enacting_formula or f"The {_body_name(resolution)},", ""]


def _running_header(resolution: ParsedResolution, job: str, page: int, pages: int) -> list[str]:
    """The lines between two pages: the next page's running header, even and odd pages alike in turn."""
    title = [] if resolution.body == "SC" else textwrap.wrap(resolution.title, width=70)
    if page % 2 == 0:
        lines = [resolution.symbol, *title, "", job, f"{page}/{pages}"]
    else:
        lines = [*title, resolution.symbol, "", f"{page}/{pages}", job]
    return [*lines, "", ""]
