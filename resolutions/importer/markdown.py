"""Parse a resolution from its Markdown form (the form in which 77/273 reached us).

The Markdown keeps the printed layout: "---" page rules with the page's footnotes after
them, the UN's italics as ``*...*``, footnote markers as ``<sup>N</sup>`` and cited
symbols as links (``[72/7](#)``). Only English texts are understood.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

from django.utils.translation import gettext

from resolutions.importer.parsed import (
    AgendaItem,
    Annex,
    Footnote,
    Paragraph,
    ParsedResolution,
    ParseError,
    Subparagraph,
)
from resolutions.importer.text import (
    BODIES,
    SERIES,
    agenda_numbers,
    find_references,
    normalise_symbol,
    ordinal_to_number,
    parse_un_date,
    split_lead_phrase,
    squash,
)

FORMAT = "markdown"


_SESSION = re.compile(r"(?:resumed\s+)?(.+?)\s+(emergency\s+special\s+|special\s+)?session", re.IGNORECASE)


def _session_from_words(line: str) -> str:
    """ "Seventy-seventh session" -> "77", "Tenth emergency special session" -> "ES-10", else ""."""
    match = _SESSION.fullmatch(line)
    number = ordinal_to_number(match.group(1)) if match else None
    if number is None:
        return ""
    kind = squash(match.group(2) or "").lower()
    return {"emergency special": f"ES-{number}", "special": f"S-{number}"}.get(kind, str(number))


# --- From Markdown to plain text ----------------------------------------------------

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_LINK = re.compile(r"!?\[(?!\^)([^\[\]]*)\]\(((?:[^()\s]|\([^()\s]*\))*)(?:\s+\"[^\"]*\")?\)")
_ORDINAL_SUP = re.compile(r"(?<=\d)<sup>\s*(st|nd|rd|th)\s*</sup>", re.IGNORECASE)
_SUP = re.compile(r"<sup>\s*([^<\s]+)\s*</sup>", re.IGNORECASE)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_HEADING_MARK = re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t]+|$)|[ \t]+#+[ \t]*$", re.MULTILINE)
_QUOTE_MARK = re.compile(r"^[ \t]{0,3}>[ \t]?", re.MULTILINE)
_STARS = re.compile(r"(?<!\\)(?<!<sup>)\*+(?!</sup>)")  # "<sup>*</sup>" is a footnote marker
_UNDERSCORES = re.compile(r"(?<![\w\\])_+(?=\S)|(?<=\S)(?<!\\)_+(?!\w)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~\"'])")
_MARKER = re.compile(r"\[\^([^\]\s]+)\]")


def _plain(markdown: str) -> str:
    """The text a reader sees, squashed: links become their text, <sup>N</sup> becomes [^N]."""
    text = _LINK.sub(lambda match: match.group(1), markdown)
    text = _UNDERSCORES.sub("", _STARS.sub("", _ORDINAL_SUP.sub(r"\1", text)))
    text = _SUP.sub(lambda match: f"[^{match.group(1)}]", text)
    text = _TAG.sub("", _BREAK.sub(" ", text))
    text = _QUOTE_MARK.sub("", _HEADING_MARK.sub("", text))
    return squash(html.unescape(_ESCAPE.sub(r"\1", text)))


# A paragraph's first italic span (the UN's lead phrase), or the whole paragraph when it is all italic.
_ITALIC = re.compile(
    r"(?:(?<!\*)\*(?![*\s])(.+?)(?<![*\s])\*(?!\*)|(?<!\w)_(?![_\s])(.+?)(?<![_\s])_(?!\w))\s*", re.DOTALL
)
_ONLY_MARKERS = re.compile(r"[\s,;:.]*(?:\[\^[^\]]+\][\s,;:.]*)*")


def _lead_and_text(markdown: str, *, guess: bool) -> tuple[str, str]:
    """Split a paragraph into the UN's italic lead phrase and the rest, both plain.

    Without italics to go by (or when the whole paragraph is italic), the lead phrase
    is guessed by text.split_lead_phrase where ``guess`` is set, else left empty.
    """
    markdown = markdown.strip()
    spans, position = [], 0
    while match := _ITALIC.match(markdown, position):
        spans.append(match.group(1) or match.group(2))
        position = match.end()
    rest = _plain(markdown[position:])
    if spans and not _ONLY_MARKERS.fullmatch(rest):
        lead = _plain(" ".join(spans))
        core = lead.rstrip(",;:. ")
        return core, squash(lead[len(core) :] + " " + rest)
    whole = _plain(markdown)
    return split_lead_phrase(whole) if guess else ("", whole)


# --- Blocks -------------------------------------------------------------------------

_BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n\s*")
_RULE = re.compile(r"(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|<hr\s*/?>", re.IGNORECASE)
_FOOTNOTE = re.compile(r"\s*(?:<sup>\s*([^<\s]+)\s*</sup>|\[\^([^\]\s]+)\]:)[ \t]*(?=\S)", re.IGNORECASE)
_NUMBERED = re.compile(r"\s*(\d{1,3})\\?\.\s+")
_LABELLED = re.compile(r"\s*(?:[-+]\s+)?\\?\(([a-z]{1,3})\\?\)\s+")
_ENDS_CLAUSE = re.compile(r"[,;:.!?][\s\u201d\u2019\"')\]]*(?:\[\^[^\]]+\][\s\u201d\u2019\"')\]]*)*$")


def _blocks(text: str) -> list[str]:
    """The Markdown blocks, without page rules; a line that opens a footnote or a numbered
    or labelled paragraph starts a block of its own even without a blank line before it."""
    text = _COMMENT.sub("", text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    blocks: list[str] = []
    for chunk in _BLANK_LINES.split(text):
        lines: list[str] = []
        for line in chunk.split("\n"):
            if _RULE.fullmatch(line.strip()):
                _flush(lines, blocks)
            elif lines and _opens_block(line, lines[-1]):
                _flush(lines, blocks)
                lines.append(line)
            else:
                lines.append(line)
        _flush(lines, blocks)
    return blocks


def _opens_block(line: str, previous: str) -> bool:
    if _FOOTNOTE.match(line):
        return True
    return bool((_NUMBERED.match(line) or _LABELLED.match(line)) and _ENDS_CLAUSE.search(_plain(previous)))


def _flush(lines: list[str], blocks: list[str]) -> None:
    block = "\n".join(lines).strip()
    if block:
        blocks.append(block)
    lines.clear()


def _is_heading(markdown: str) -> bool:
    """A Markdown heading or a block that is bold all through."""
    block = markdown.strip()
    return block.startswith("#") or bool(
        re.fullmatch(r"(\*\*|__)(?![*_\s]).+?(?<![*_\s])\1", block, re.DOTALL)
    )


_FURNITURE = re.compile(
    r"\d+/\d+"  # page number "2/4"
    r"|\d{2}-\d{5}(?: ?\([A-Z]\))?|\d{7}"  # job number and its bar code
    r"|United Nations"
    r"|[ASE]/\S+(?: \((?:19|20)\d{2}\))?",  # a symbol alone on its line
    re.IGNORECASE,
)


def _is_furniture(plain: str, symbol: str) -> bool:
    return bool(_FURNITURE.fullmatch(plain)) or bool(symbol and plain.startswith(symbol + " "))


# --- Symbols from links -------------------------------------------------------------

_HREF_SYMBOL = re.compile(
    r"undocs\.org/(?:(?:en|fr|es|ru|zh|ar)/)?([^?#]+)|[?&]symbol=([^&#]+)", re.IGNORECASE
)
_BARE_GA = re.compile(r"(?:ES-|S-)?\d{1,4}/\d{1,4}(?: [A-H])?")
_BARE_SC = re.compile(r"\d{1,4} \((?:19|20)\d{2}\)")
_KEYWORD = re.compile(r"\b(resolution|decision)s?\b", re.IGNORECASE)


def _link_symbols(markdown: str, found: list[str], series: str) -> list[str]:
    """Symbols that links give beyond those ``found`` in the plain text: a link's target
    (undocs.org/A/RES/72/7), or a bare resolution number as link text outside a decision."""
    symbols = []
    for match in _LINK.finditer(markdown):
        label = _plain(match.group(1))
        if target := _HREF_SYMBOL.search(match.group(2)):
            symbols.append(normalise_symbol(unquote(target.group(1) or target.group(2))))
        elif any(symbol.endswith("/" + label) for symbol in found):
            continue
        elif _BARE_SC.fullmatch(label):
            symbols.append(f"S/RES/{label}")
        elif _BARE_GA.fullmatch(label):
            keywords = _KEYWORD.findall(_plain(markdown[: match.start()]))
            if not keywords or keywords[-1].lower() != "decision":
                symbols.append(f"{series}/{label}")
    return [symbol for symbol in dict.fromkeys(symbols) if symbol not in found]


# --- The reader ---------------------------------------------------------------------

_ENACTING = re.compile(rf"The ({'|'.join(BODIES)})\s*,?", re.IGNORECASE)
_AGENDA = re.compile(r"Agenda items?\s+(.+)", re.IGNORECASE)
_ADOPTED_ON = re.compile(r"Resolution adopted by the (.+?) on\b.*", re.IGNORECASE)
_ADOPTED_AT = re.compile(
    r"Adopted by the (.+?) at its (\d+(?:st|nd|rd|th)\s+(?:plenary\s+)?meeting),?\s+(?:held\s+)?on\s+(.+)",
    re.IGNORECASE,
)
_BRACKETS = re.compile(r"\[(.+)\]")
_GA_HEADING = re.compile(r"((?:ES-|S-)?\d{1,4})/(\d{1,4})(?: ?([A-H]))?\.\s+(\S.*)")
_SC_HEADING = re.compile(r"Resolution\s+(\d{1,5})\s*\(((?:19|20)\d{2})\)", re.IGNORECASE)
_MEETING = re.compile(r"(\d+(?:st|nd|rd|th)\s+(?:plenary\s+)?meeting)\b(.*)", re.IGNORECASE | re.DOTALL)
_ANNEX = re.compile(r"(?:Annex(?:es)?|Appendix)(?: [IVXLC]+| \d+| [A-Z])?", re.IGNORECASE)
_ROMAN = re.compile(r"(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})")
_UNREADABLE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_HEADING_LINE = re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)
_ITALIC_LINE = re.compile(r"^[ \t]*(?:\d+\\?\.[ \t]+)?\*[A-Za-z][^*\n]*\*", re.MULTILINE)
_BOLD_SESSION = re.compile(r"\*\*[^*\n]*session\*\*", re.IGNORECASE)
_BODY_NAME = re.compile("|".join(BODIES), re.IGNORECASE)


def parse(text: str) -> ParsedResolution:
    """Read a resolution from its Markdown form; ParseError if the text is not one."""
    _check_is_markdown(text)
    blocks = _blocks(text)
    reader = _Reader(text)
    flow = [block for block in blocks if not _FOOTNOTE.match(block)]
    start = reader.read_header(flow)
    reader.read_body(flow[start:])
    reader.read_footnotes([block for block in blocks if _FOOTNOTE.match(block)])
    return reader.finish()


def looks_like(text: str) -> bool:
    """Whether ``text`` is a resolution in this Markdown form (for telling formats apart)."""
    if not isinstance(text, str):
        return False
    head = _COMMENT.sub("", text[:50_000]).lstrip("\ufeff \t\r\n")
    if head.startswith("<"):  # XML or HTML
        return False
    has_markup = "<sup>" in head or _ITALIC_LINE.search(head) or _BOLD_SESSION.search(head)
    return bool(_HEADING_LINE.search(head) and has_markup and _BODY_NAME.search(head))


def _check_is_markdown(text: str) -> None:
    if not isinstance(text, str):
        raise ParseError(f"expected Markdown text, got {type(text).__name__}")
    if not text.strip():
        raise ParseError(gettext("the text is empty"))
    sample = text[:8192]
    unreadable = len(_UNREADABLE.findall(sample))
    if "\x00" in text or unreadable > len(sample) // 100:
        raise ParseError(gettext("the text looks like binary data, not Markdown"))
    if not (_HEADING_LINE.search(text) or _ITALIC_LINE.search(text) or "<sup>" in text):
        raise ParseError(
            gettext(
                "the text has no Markdown headings, italics or <sup> footnote markers: not the Markdown form"
            )
        )


class _Reader:
    """Walks the blocks once: the header, then the paragraphs, then the footnotes."""

    def __init__(self, source: str):
        self.result = ParsedResolution(symbol="", body="", title="", source_format=FORMAT, source_text=source)
        self.session_line = ""
        self.link_symbols: dict[int, list[str]] = {}  # id(paragraph, sub-paragraph or footnote) -> symbols
        self.last_paragraph: Paragraph | None = None
        self.last_node: Paragraph | Subparagraph | None = None

    # The header: everything before the enacting formula.

    def read_header(self, flow: list[str]) -> int:
        """Read the header; return the index of the first block of the body."""
        result = self.result
        wants_agenda_title = False
        for index, block in enumerate(flow):
            plain = _plain(block)
            if not plain or _is_furniture(plain, result.symbol):
                continue
            if match := _ENACTING.fullmatch(plain):
                result.enacting_formula = plain
                result.body = result.body or BODIES[match.group(1).lower()]
                return index + 1
            recognised = self._read_header_line(block, plain)
            if recognised:
                wants_agenda_title = recognised == "agenda"
            elif wants_agenda_title and (item := next((i for i in result.agenda_items if not i.title), None)):
                item.title = plain
            elif result.body == "SC" and result.title.startswith("Resolution ") and _is_heading(block):
                result.title = plain  # the Council prints no title; a subject heading, where given, is one
            elif result.symbol:
                return index  # a body without an enacting formula
        return len(flow)

    def _read_header_line(self, block: str, plain: str) -> str:
        """Take what one header block says into the result; "" when it is none of the known lines."""
        result = self.result
        if plain.lower() in BODIES:
            result.body = BODIES[plain.lower()]
        elif plain.startswith("Distr."):
            result.distributed_on = parse_un_date(plain)
        elif session := _session_from_words(plain):
            self.session_line = session
        elif match := _AGENDA.fullmatch(plain):
            result.agenda_items = [AgendaItem(number=number) for number in agenda_numbers(match.group(1))]
            return "agenda"
        elif match := _ADOPTED_ON.fullmatch(plain):
            result.body = result.body or BODIES.get(match.group(1).lower(), "")
            result.adopted_on = parse_un_date(plain)
        elif match := _ADOPTED_AT.fullmatch(plain):
            result.body = result.body or BODIES.get(match.group(1).lower(), "")
            result.meeting = squash(match.group(2))
            result.adopted_on = parse_un_date(match.group(3))
        elif match := _BRACKETS.fullmatch(plain):
            symbols = find_references(match.group(1))
            if symbols and "report of" in match.group(1).lower():
                result.committee_report = symbols[0]
            elif symbols:
                result.draft_symbol = symbols[0]
        elif result.symbol or not self._read_number_heading(plain):
            return ""
        return "line"

    def _read_number_heading(self, plain: str) -> bool:
        result = self.result
        if match := _SC_HEADING.fullmatch(plain):
            if result.body not in ("", "SC"):
                raise ParseError(
                    gettext("a %(body)s text numbered like a Security Council resolution: %(heading)r")
                    % {"body": result.body, "heading": plain}
                )
            result.body = "SC"
            result.number, result.session = match.groups()
            result.symbol = f"S/RES/{result.number} ({result.session})"
            result.title = f"Resolution {result.number} ({result.session})"  # unless a subject follows
            return True
        if match := _GA_HEADING.fullmatch(plain):
            result.body = result.body or "GA"
            if result.body not in SERIES:
                raise ParseError(
                    gettext("a %(body)s text numbered like a General Assembly resolution: %(heading)r")
                    % {"body": result.body, "heading": plain}
                )
            session, number, part, title = match.groups()
            result.session, result.number = session, number
            result.symbol = f"{SERIES[result.body]}/{session}/{number}" + (f" {part}" if part else "")
            result.title = squash(_MARKER.sub("", title))
            return True
        return False

    # The body: preambular and operative paragraphs, the closing meeting line, annexes.

    def read_body(self, flow: list[str]) -> None:
        result = self.result
        part = "preambular"  # then "operative", "closed" (after the meeting line) or "annex"
        headings: list[str] = []
        annex: Annex | None = None
        for block in flow:
            plain = _plain(block)
            if not plain or _is_furniture(plain, result.symbol):
                continue
            if match := _MEETING.fullmatch(plain):
                result.meeting = result.meeting or squash(match.group(1))
                result.adopted_on = result.adopted_on or parse_un_date(match.group(2))
                part = "closed"
            elif _ANNEX.fullmatch(plain) and part != "preambular":
                annex = Annex(title=plain)
                result.annexes.append(annex)
                part, headings, self.last_paragraph, self.last_node = "annex", [], None, None
            elif part == "closed":
                continue
            elif _is_heading(block):
                if annex is not None and not annex.heading and not annex.paragraphs:
                    annex.heading = plain
                else:
                    headings.append(plain)
            elif match := _NUMBERED.match(block):
                part = "annex" if annex is not None else "operative"
                paragraph = self._paragraph(block[match.end() :], guess=annex is None, headings=headings)
                paragraph.number = match.group(1)
                (annex.paragraphs if annex is not None else result.operative).append(paragraph)
                headings = []
            elif (match := _LABELLED.match(block)) and self.last_paragraph is not None:
                self._add_subparagraph(match.group(1), block[match.end() :])
            elif self.last_node is not None and (part == "operative" or self._continues(block, plain)):
                # Operative paragraphs are numbered: unnumbered text goes on with the one before,
                # as does a paragraph cut by a page break.
                self.last_node.text = squash(f"{self.last_node.text} {plain}")
                self._note_links(self.last_node, block)
            else:
                paragraph = self._paragraph(block, guess=annex is None, headings=headings)
                (annex.paragraphs if annex is not None else result.preambular).append(paragraph)
                headings = []

    def _paragraph(self, block: str, *, guess: bool, headings: list[str]) -> Paragraph:
        lead, text = _lead_and_text(block, guess=guess)
        paragraph = Paragraph(lead_phrase=lead, text=text, heading=_join_heading(headings))
        self._note_links(paragraph, block)
        self.last_paragraph = self.last_node = paragraph
        return paragraph

    def _add_subparagraph(self, label: str, block: str) -> None:
        lead, text = _lead_and_text(block, guess=False)
        subparagraph = Subparagraph(label=label, text=text, lead_phrase=lead)
        siblings = self.last_paragraph.subparagraphs
        if siblings and _nests_under(label, siblings[-1]):
            siblings[-1].subparagraphs.append(subparagraph)
        else:
            siblings.append(subparagraph)
        self._note_links(subparagraph, block)
        self.last_node = subparagraph

    def _continues(self, block: str, plain: str) -> bool:
        """Whether a block goes on with the paragraph before it, cut by a page break."""
        if plain[:1].islower():
            return True
        return not block.lstrip().startswith(("*", "_")) and not _ENDS_CLAUSE.search(self.last_node.text)

    def _note_links(self, node: Paragraph | Subparagraph | Footnote, block: str) -> None:
        found = find_references(_plain(block), self.result.body or "GA")
        series = SERIES.get(self.result.body, "A/RES")
        self.link_symbols.setdefault(id(node), []).extend(_link_symbols(block, found, series))

    # Footnotes, and the checks that the result is a resolution.

    def read_footnotes(self, blocks: list[str]) -> None:
        footnotes = []
        for block in blocks:
            match = _FOOTNOTE.match(block)
            footnote = Footnote(marker=match.group(1) or match.group(2), text=_plain(block[match.end() :]))
            self._note_links(footnote, block[match.end() :])
            footnotes.append(footnote)
        self.result.footnotes = sorted(
            footnotes, key=lambda note: (0, int(note.marker)) if note.marker.isdigit() else (1, 0)
        )

    def finish(self) -> ParsedResolution:
        result = self.result
        if not result.symbol:
            raise ParseError(
                gettext(
                    "no resolution number heading was found (such as '### **77/273. Title**' "
                    "or '## Resolution 2504 (2020)')"
                )
            )
        if not result.operative:
            raise ParseError(
                gettext("%(symbol)s has no operative paragraph (a numbered '1. *Decides* ...')")
                % {"symbol": result.symbol}
            )
        if self.session_line and result.body != "SC" and self.session_line != result.session:
            raise ParseError(
                gettext(
                    "the session line says session %(session)s but the heading numbers the "
                    "resolution %(session_number)s/%(number)s"
                )
                % {"session": self.session_line, "session_number": result.session, "number": result.number}
            )
        result.references = self._references()
        return result

    def _references(self) -> list[str]:
        """Symbols in reading order: each paragraph, then the footnotes it cites first."""
        result = self.result
        footnotes = {note.marker: note for note in result.footnotes}
        symbols: list[str] = []

        def visit(node):
            symbols.extend(find_references(node.text, result.body))
            symbols.extend(self.link_symbols.get(id(node), []))
            for marker in _MARKER.findall(node.text):
                if marker in footnotes:
                    visit(footnotes.pop(marker))
            for subparagraph in getattr(node, "subparagraphs", []):
                visit(subparagraph)

        annexed = [paragraph for annex in result.annexes for paragraph in annex.paragraphs]
        for paragraph in result.preambular + result.operative + annexed:
            visit(paragraph)
        for footnote in list(footnotes.values()):  # never cited
            visit(footnote)
        return list(dict.fromkeys(symbols))


def _join_heading(parts: list[str]) -> str:
    """Headings printed before a paragraph: ["II", "Follow-up"] -> "II. Follow-up"."""
    if len(parts) > 1 and re.fullmatch(r"[IVXLC]+\.?|[A-Z]\.?", parts[0]):
        return f"{parts[0].rstrip('.')}. {' '.join(parts[1:])}"
    return " ".join(parts)


def _nests_under(label: str, previous: Subparagraph) -> bool:
    """Whether "(label)" opens or goes on with a list of (i), (ii) ... under the sub-paragraph before."""
    if not _ROMAN.fullmatch(label):
        return False
    if previous.subparagraphs:
        return _roman_value(label) == _roman_value(previous.subparagraphs[-1].label) + 1
    if label != "i":
        return False
    # "(i)" after "(h)" is the next letter, unless "(h)" ends with a colon to open a list.
    return previous.label != "h" or previous.text.rstrip().endswith(":")


def _roman_value(label: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    if not _ROMAN.fullmatch(label):
        return -1
    total = 0
    for char, following in zip(label, label[1:] + " ", strict=True):
        value = values[char]
        total += -value if values.get(following, 0) > value else value
    return total
