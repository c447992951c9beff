"""Whether every word of a document's body ends up in exactly one stored place.

The body is what a reader of the resolution reads under its title: the enacting formula,
the preambles, the operative parts, headings, annexes, tables and footnotes. Its words
are counted straight from the source (for Akoma Ntoso, a walk of the XML that shares
nothing with the parser's reading of it) and matched against the words of what the
loader stores: the rows' headings, numbers, lead phrases and texts, each annex's title,
the footnotes and the enacting formula. A word of the source that no stored place holds
is *unplaced*, and is reported with the element it came from; a stored word that the
source does not hold (a word stored twice, or made up) is *repeated*. Coverage is 100 %
only when neither happens.

In PDF text and Markdown the body is every line after the enacting formula, read on its own:
page furniture (job numbers, bar codes, page numbers, the symbol and the running title around it),
Markdown's markup and link targets, and the closing meeting line (stored as the resolution's
meeting and date) are set aside by rules of this module, not by the parsers'. There, footnote
markers count as words on both sides (the source prints them in the text and before the note),
letters and digits are words apart ("Strategy4" is "strategy" and "4"), hyphens inside a word and
at the end of a line are not word breaks, and a number the source glues to a marker ("20172") is
placed when the year and the marker are both stored. Parts A, B of one text are measured together.

Words are compared lower-cased, without punctuation or footnote markers, so that a
paragraph's "1." and its stored number "1", or "(a)" and the label "a", are the same word;
Chinese and Japanese characters count one by one, since those texts put no spaces between
words and the converter does not put them in the same places twice.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from resolutions.importer.parsed import ParsedResolution

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff"
_WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")
_MARKER = re.compile(r"\[\^[^\]\s]+\]")
# Elements that run on inside a line of text: "o<span>fficial</span>" is one word.
_INLINE = {
    "span", "sup", "sub", "i", "b", "u", "a", "ref", "mref", "rref", "inline", "term", "abbr", "date",
    "docNumber", "docTitle", "docDate", "location", "person", "organization", "role", "entity", "concept",
    "quantity", "def", "noteRef", "marker", "mmod", "placeholder", "signature", "shortTitle",
}  # fmt: skip
# Elements that hold no words of the body: metadata, pictures, the cover page.
_SILENT = {"meta", "img", "decoration", "coverPage", "components"}
# How many words of an unplaced stretch a report quotes.
_QUOTED = 8


def words(text: str) -> list[str]:
    """The words of a stored text, footnote markers left out."""
    return _WORD.findall(_MARKER.sub(" ", text or "").lower())


@dataclass
class Gap:
    """Words of the source that no stored place holds, and the element they came from."""

    where: str  # '<table eId="container_25_table_1">', or "line 42" in a text file
    words: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        quoted = " ".join(self.words[:_QUOTED]) + (" …" if len(self.words) > _QUOTED else "")
        count = len(self.words)
        return f"{self.where}: “{quoted}” ({count} word{'s' if count != 1 else ''})"


@dataclass
class Coverage:
    symbol: str
    source_words: int = 0
    unplaced: list[Gap] = field(default_factory=list)
    repeated: list[Gap] = field(default_factory=list)  # stored words the source's body does not hold
    measured: bool = True

    @property
    def unplaced_words(self) -> int:
        return sum(len(gap.words) for gap in self.unplaced)

    @property
    def repeated_words(self) -> int:
        return sum(len(gap.words) for gap in self.repeated)

    @property
    def percent(self) -> float:
        """Words in exactly one stored place, out of the source's words and any repeated ones."""
        whole = self.source_words + self.repeated_words
        return 100.0 if not whole else 100.0 * (self.source_words - self.unplaced_words) / whole

    @property
    def complete(self) -> bool:
        return not self.measured or not (self.unplaced or self.repeated)

    def describe(self, gaps: int = 3) -> str:
        """ "coverage 100 %", or what was left unplaced (the first ``gaps`` places) and repeated."""
        if not self.measured:
            return "coverage not measured for this format"
        if self.complete:
            return "coverage 100 %"
        percent = min(self.percent, 99.9)  # never round a loss up to 100
        if not gaps:
            return (
                f"coverage {percent:.1f} % ({self.unplaced_words} word(s) unplaced, "
                f"{self.repeated_words} stored twice or not in the source)"
            )
        parts = []
        if self.unplaced:
            shown = "; ".join(str(gap) for gap in self.unplaced[:gaps])
            more = f"; and {len(self.unplaced) - gaps} more place(s)" if len(self.unplaced) > gaps else ""
            parts.append(f"{self.unplaced_words} word(s) of the source left unplaced: {shown}{more}")
        if self.repeated:
            shown = "; ".join(str(gap) for gap in self.repeated[:gaps])
            more = f"; and {len(self.repeated) - gaps} more place(s)" if len(self.repeated) > gaps else ""
            parts.append(
                f"{self.repeated_words} stored word(s) not in the source or stored twice: {shown}{more}"
            )
        return f"coverage {percent:.1f} %: " + "; ".join(parts)

    def as_json(self) -> dict:
        return {
            "percent": round(self.percent, 2),
            "source_words": self.source_words,
            "unplaced": [{"where": gap.where, "words": " ".join(gap.words)} for gap in self.unplaced],
            "repeated": [{"where": gap.where, "words": " ".join(gap.words)} for gap in self.repeated],
            "measured": self.measured,
        }


def measure(parsed: ParsedResolution, parts: list[ParsedResolution] | None = None) -> Coverage:
    """The coverage of one parsed document: its source's body against what the loader would store.

    ``parts`` are the documents read from the same file: the parts A, B of a PDF text or a
    Markdown file share one body, and are measured together."""
    if parsed.source_format == "akn":
        return _match(parsed.symbol, _akn_words(parsed), stored_words(parsed))
    if parsed.source_format not in ("text", "markdown"):
        return Coverage(parsed.symbol, measured=False)
    together = [part for part in parts or [] if part.source_text == parsed.source_text] or [parsed]
    reader = _pdftext_lines if parsed.source_format == "text" else _markdown_lines
    source = _line_words(reader(parsed, together))
    stored = [
        (where, word)
        for position, part in enumerate(together)
        for where, text in _text_places(part, position, len(together) > 1)
        for word in text_words(text)
    ]
    return _match(parsed.symbol, source, stored, split_numbers=True)


def stored_words(parsed: ParsedResolution) -> list[tuple[str, str]]:
    """(where, word) for the words of every place the loader writes for ``parsed``."""
    from resolutions.importer.loader import stored_places  # the rows the loader writes, nothing else

    return [(where, word) for where, text in stored_places(parsed) for word in words(text)]


def _match(
    symbol: str, source: list[tuple[str, str]], stored: list[tuple[str, str]], split_numbers: bool = False
) -> Coverage:
    coverage = Coverage(symbol, source_words=len(source))
    left = Counter(word for _, word in stored)
    # The source's runs of words, by the element they come from. Runs holding a word stored nowhere
    # are the likely losses: match the others first, so that common words ("1", "a") a lost run shares
    # with them are counted against the run that was lost.
    runs: list[Gap] = []
    for where, word in source:
        if not runs or runs[-1].where != where:
            runs.append(Gap(where))
        runs[-1].words.append(word)
    suspect = [any(word not in left for word in run.words) for run in runs]
    missing: dict[int, Gap] = {}
    for index in sorted(range(len(runs)), key=lambda at: suspect[at]):  # stable: in reading order
        for word in runs[index].words:
            if left[word] > 0:
                left[word] -= 1
            else:
                missing.setdefault(index, Gap(runs[index].where)).words.append(word)
    if split_numbers:
        for gap in missing.values():
            gap.words = [word for word in gap.words if not _glued_marker(word, left)]
        missing = {index: gap for index, gap in missing.items() if gap.words}
    coverage.unplaced = [missing[index] for index in sorted(missing)]
    # Words stored more often than the source has them: name the last places that hold them.
    extra: list[Gap] = []
    for where, word in reversed(stored):
        if left[word] > 0:
            left[word] -= 1
            if not extra or extra[-1].where != where:
                extra.append(Gap(where))
            extra[-1].words.insert(0, word)
    coverage.repeated = list(reversed(extra))
    return coverage


# --- Akoma Ntoso: the body's words, read from the XML on their own ---------------------


def _akn_words(parsed: ParsedResolution) -> list[tuple[str, str]]:
    """(where, word) for every word of the body of ``parsed``'s statement, in document order."""
    parser = etree.XMLParser(
        remove_comments=True, remove_pis=True, resolve_entities=False, no_network=True, load_dtd=False
    )
    root = etree.fromstring(parsed.source_text.encode("utf-8"), parser)
    statement = _statement(root, parsed.symbol)
    chunks: list[tuple[str, str]] = []
    for child in statement:
        if _name(child) in ("preamble", "mainBody", "attachments"):
            _collect(child, f"<{_name(child)}>", chunks)
        elif _name(child) == "preface":  # the title's footnotes are the document's footnotes
            for note in (element for element in child.iter() if _name(element) == "authorialNote"):
                _collect(note, "<preface>", chunks)
    return _tokens(chunks)


def _statement(root, symbol: str):
    """The element holding this resolution: the document, or its part of a documentCollection."""
    document = next(child for child in root if isinstance(child.tag, str))
    if _name(document) != "documentCollection":
        return document
    letter = symbol.rsplit(" ", 1)[-1]
    for component in (element for element in root.iter() if _name(element) == "component"):
        for child in component:
            if _name(child) in ("statement", "doc"):
                numbers = [n for n in child.iter() if _name(n) == "docNumber"]
                if numbers and "".join(numbers[0].itertext()).strip(". \n\t") == letter:
                    return child
    raise ValueError(f"no part {letter} in the documentCollection of {symbol}")


def _name(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _where(element) -> str:
    eid = element.get("eId")
    return f'<{_name(element)} eId="{eid}">' if eid else f"<{_name(element)}>"


def _collect(element, where: str, chunks: list[tuple[str, str]]) -> None:
    """Append (where, text) pieces; a block element is set apart by spaces, an inline one runs on."""
    name = _name(element)
    if not name or name in _SILENT:
        return
    if element.get("eId"):
        where = _where(element)
    block = name not in _INLINE
    if block:
        chunks.append((where, " "))
    if name == "authorialNote" and element.get("marker"):  # a footnote's marker, stored with it
        chunks.append((where, f" {element.get('marker')} "))
    chunks.append((where, element.text or ""))
    for child in element:
        if not _printed_twice(child):
            _collect(child, where, chunks)
        chunks.append((where, child.tail or ""))
    if block:
        chunks.append((where, " "))


def _tokens(chunks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Split the joined text into words, each named by the element where it starts."""
    pieces, starts, owners, length = [], [], [], 0
    for where, piece in chunks:
        if piece:
            starts.append(length)
            owners.append(where)
            pieces.append(piece)
            length += len(piece)
    result, index = [], 0
    for match in _WORD.finditer("".join(pieces).lower()):
        while index + 1 < len(starts) and starts[index + 1] <= match.start():
            index += 1
        result.append((owners[index], match.group(0)))
    return result


def _printed_twice(element) -> bool:
    """A ``num`` the converter wrote again at the start of the heading after it: "I." then "I. Rules"."""
    if _name(element) != "num":
        return False
    heading = element.getnext()
    if heading is None or _name(heading) not in ("heading", "subheading"):
        return False
    number = words("".join(element.itertext()))
    return bool(number) and words("".join(heading.itertext()))[: len(number)] == number


# --- PDF text and Markdown: the body's words, read from the lines ----------------------

_FINE_WORD = re.compile(rf"[{_CJK}]|[^\W\d_{_CJK}]+|\d+")
_TEXT_MARKER = re.compile(r"\[\^([^\]\s]+)\]")
_INSIDE_HYPHEN = re.compile(r"(?<=\w)[-\u2010\u2011](?=\w)")
# A word cut by a hyphen at the end of a line ("develop-" over "ment"), or by a hyphen and a space
# ("self- determination"); but not "inter- and intra-regional".
_NOT_CUT = r"(?!(?:and|or|to|nor|as well as|but)\b)(?=\w)"
_CUT_AT_LINE_END = re.compile(rf"(?<=\w)([-\u2010\u2011\u2013])[ \t]*\n[ \t]*{_NOT_CUT}")
_CUT_IN_LINE = re.compile(rf"(?<=\w)-[ \t]+{_NOT_CUT}")
_MEETING_LINE = re.compile(r"\d+(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?(?:plenary\s+)?meeting\b\W*(.*)")
_DATE_LINE = re.compile(r"\d{1,2}\s+[A-Z][a-z]+\s+\d{4}")
_PAGE_TOKEN = re.compile(r"(?<!\S)(?:\d{2}-\d{5}(?:\s*\([A-Z]\))?|\*\d{7,}\*|\d{7}|\d{1,3}/\d{1,3})(?!\S)")
_HEADER_REACH = 6  # how many lines from the symbol a running header's pieces may stand


def text_words(text: str) -> list[str]:
    """The words of a stored text or a source line, compared the way text sources need: footnote
    markers kept as words, letters apart from digits, hyphens inside a word dropped."""
    text = _TEXT_MARKER.sub(r" \1 ", (text or "").replace("\u00ad", ""))
    return _FINE_WORD.findall(_INSIDE_HYPHEN.sub("", text).lower())


def _glued_marker(word: str, left: Counter) -> bool:
    """Whether a number of the source is a stored number with a stored footnote marker glued to it
    ("20172": the year 2017 and the marker 2); if so, count both as placed."""
    if not word.isdigit():
        return False
    for cut in range(len(word) - 1, max(0, len(word) - 3), -1):
        number, marker = word[:cut], word[cut:]
        if left[number] > 0 and left[marker] > (1 if number == marker else 0):
            left[number] -= 1
            left[marker] -= 1
            return True
    return False


def _text_places(parsed: ParsedResolution, position: int, in_parts: bool) -> list[tuple[str, str]]:
    from resolutions.importer.loader import stored_places  # the rows the loader writes, nothing else

    places = stored_places(parsed)
    if in_parts:
        places = [(f"{where} of {parsed.symbol}", text) for where, text in places]
        if position:  # the heading of a later part ("B", its title) is the part's letter and title
            places += [(f"part letter of {parsed.symbol}", parsed.symbol.rsplit(" ", 1)[-1])]
            places += [(f"title of {parsed.symbol}", parsed.title)]
    return places


def _line_words(lines: list[tuple[int, str]]) -> list[tuple[str, str]]:
    """(where, word) for the body's lines, given as (line number, text); a block of lines without a
    blank one between them is one place, named by its first line; a word cut at a line's end is
    put back together."""
    blocks: list[tuple[int, list[str]]] = []
    previous = None
    for number, line in lines:
        if not line.strip():
            previous = None
            continue
        if previous is None:
            blocks.append((number, []))
        blocks[-1][1].append(line.strip())
        previous = number
    result = []
    for number, block in blocks:
        joined = _CUT_IN_LINE.sub("-", _CUT_AT_LINE_END.sub(r"\1", "\n".join(block)))
        result += [(f"line {number}", word) for word in text_words(joined)]
    return result


def _body_start(lines: list[str], parsed: ParsedResolution, skip: int = 0) -> int:
    """The index of the line that opens the body: the enacting formula (or the line it is glued to)."""
    formula = text_words(parsed.enacting_formula)
    for index, line in enumerate(lines[skip:], start=skip):
        if formula and text_words(line)[: len(formula)] == formula:
            return index
    return skip


def _without_meeting_lines(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The lines without the closing "60th plenary meeting" and its date: the resolution's meeting and
    date of adoption, stored with the resolution rather than in its body."""
    kept, date_due = [], False
    for number, line in lines:
        plain = line.strip().strip("*_ ")
        if match := _MEETING_LINE.fullmatch(plain):
            date_due = not match.group(1).strip()
            continue
        if date_due and plain:
            date_due = False
            if _DATE_LINE.fullmatch(plain):
                continue
        kept.append((number, line))
    return kept


def _pdftext_lines(parsed: ParsedResolution, parts: list[ParsedResolution]) -> list[tuple[int, str]]:
    """The body of a PDF's text: the lines after the enacting formula, page furniture set aside."""
    lines = parsed.source_text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = _body_start(lines, parsed)
    front = set(text_words(" ".join(lines[:start])))  # the running title's words are the front page's
    symbol = re.escape(parsed.symbol.removesuffix(" " + parsed.symbol.rsplit(" ", 1)[-1]))
    if len(parts) == 1:
        symbol = re.escape(parsed.symbol)
    own = re.compile(rf"{symbol}(?:\s+[A-Z](?:[-\u2013][A-Z])?)?\*?")
    furniture = [False] * len(lines)
    symbol_lines = []
    for index, line in enumerate(lines[start:], start=start):
        rest = _PAGE_TOKEN.sub(" ", own.sub(" ", line)).strip()
        if rest == line.strip():
            continue
        on_symbol = bool(own.search(line))
        if not rest or (on_symbol and set(text_words(rest)) <= front):
            furniture[index] = True
            if on_symbol:
                symbol_lines.append(index)
    # A running title printed above or below the symbol, however its lines are cut, around the page's
    # other furniture and blank lines.
    for index in symbol_lines:
        for step in (-1, 1):
            other = index + step
            while start < other < len(lines) and abs(other - index) <= _HEADER_REACH:
                piece = text_words(lines[other])
                if piece and not furniture[other] and _running_title(lines[other], piece, front):
                    furniture[other] = True
                elif piece and not furniture[other]:
                    break
                other += step
    body = [
        (index + 1, "" if furniture[index] else line) for index, line in enumerate(lines) if index >= start
    ]
    return _without_meeting_lines(body)


def _running_title(line: str, piece: list[str], front: set[str]) -> bool:
    """Whether a line near the symbol is a piece of the running title: words of the front page, and
    more than a label ("(e)", "6.") or the last word of a sentence."""
    if not set(piece) <= front:
        return False
    if len(piece) > 1:
        return True
    return piece[0].isalpha() and len(piece[0]) > 2 and line.strip()[-1:] not in ",;:.)"


_MD_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_MD_LINK_TARGET = re.compile(r"\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)")
_MD_SUP = re.compile(r"<sup>\s*([^<]*?)\s*</sup>", re.IGNORECASE)
_MD_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_MD_FURNITURE = re.compile(
    r"\d+/\d+|\d{2}-\d{5}(?: ?\([A-Z]\))?|\d{7}|United Nations|[ASE]/\S+(?: \((?:19|20)\d{2}\))?",
    re.IGNORECASE,
)


def _markdown_lines(parsed: ParsedResolution, parts: list[ParsedResolution]) -> list[tuple[int, str]]:
    """The body of a Markdown text: the lines after the enacting formula, without markup, link
    targets, page furniture or the running header (the symbol and the title on one line)."""
    source = _MD_COMMENT.sub(lambda match: "\n" * match.group(0).count("\n"), parsed.source_text)
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    plain = []
    for line in lines:
        line = _MD_LINK_TARGET.sub("]", line)
        line = _MD_SUP.sub(lambda match: f" {match.group(1)} ", line)  # "<sup>1</sup>": the marker
        line = html.unescape(_MD_TAG.sub(" ", line)).replace("\\", "")
        plain.append(line)
    start = _body_start(plain, parsed)
    symbol = parsed.symbol.rsplit(" ", 1)[0] if len(parts) > 1 else parsed.symbol
    body = []
    for index, line in enumerate(plain[start:], start=start):
        bare = line.strip().strip("*_#> ").strip()
        furniture = bool(_MD_FURNITURE.fullmatch(bare)) or bare.startswith(symbol + " ")
        body.append((index + 1, "" if furniture else line))
    return _without_meeting_lines(body)
