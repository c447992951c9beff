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

Only Akoma Ntoso is measured: in PDF text and Markdown, telling page furniture, glued footnote
markers and labels from the body's words would need the parser's own reading of them, which
would make the check prove nothing; those imports say coverage is not measured.

Words are compared lower-cased, without punctuation or footnote markers, so that a
paragraph's "1." and its stored number "1", or "(a)" and the label "a", are the same word;
Chinese and Japanese characters count one by one, since those texts put no spaces between
words and the converter does not put them in the same places twice.
"""

from __future__ import annotations

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


def measure(parsed: ParsedResolution) -> Coverage:
    """The coverage of one parsed document: its source's body against what the loader would store."""
    if parsed.source_format == "akn":
        source = _akn_words(parsed)
    else:
        return Coverage(parsed.symbol, measured=False)
    return _match(parsed.symbol, source, stored_words(parsed))


def stored_words(parsed: ParsedResolution) -> list[tuple[str, str]]:
    """(where, word) for the words of every place the loader writes for ``parsed``."""
    from resolutions.importer.loader import stored_places  # the rows the loader writes, nothing else

    return [(where, word) for where, text in stored_places(parsed) for word in words(text)]


def _match(symbol: str, source: list[tuple[str, str]], stored: list[tuple[str, str]]) -> Coverage:
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
