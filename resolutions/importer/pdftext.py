"""Parse a resolution from the text layer of its official PDF (the "text" format).

A PDF text extractor gives hard line breaks inside paragraphs, the page furniture (job
numbers, bar codes, running headers with the symbol and the title, page numbers), each
page's footnotes at its foot, and footnote markers as bare digits after the word they
belong to ("session,1", "Strategy4 in", "Court 1 reaffirms"). No italics survive, so lead
phrases come from text.split_lead_phrase. Some extractors drop the furniture but also the
blank lines' meaning and some list labels ("(a)"); both layouts are read. A document
holding parts A, B, ... gives one resolution per part (``parse_all``), as the UN's XML
does. Only English texts are understood.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

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

FORMAT = "text"


# --- Lines of the page ----------------------------------------------------------------

_FORMULA = re.compile(
    r"The (General Assembly|Security Council|Human Rights Council|Economic and Social Council)\s*,?"
)
# The rule above a page's footnotes, however the extractor draws it: "_____", "---", "———", "═══".
_SEPARATOR = re.compile(r"_{3,}|[-\u2010-\u2015\u2500\u2501\u2550=]{3,}")
_FURNITURE_TOKEN = re.compile(r"(?<!\S)(?:\d{2}-\d{5}(?:\s*\([A-Z]\))?|\*\d{7,}\*|\d{1,3}/\d{1,3})(?!\S)")
_NUMBERED = re.compile(r"(\d{1,3})\.(?:\s+(\S.*))?")
_LABELLED = re.compile(r"\(([a-z]{1,2}|[ivxlc]{1,6}|\d{1,2})\)(?:\s+(\S.*))?")  # (a), (iv), (1)
_BULLETED = re.compile(r"([\u2013\u2014\u2022\u25aa\u25cf\uf0b7-])(?:\s+(\S.*))?")  # "– strengthening ..."
_MEETING = re.compile(
    r"(\d+(?:st|nd|rd|th)\s+(?:\(?resumed\)?\s+)?(?:plenary\s+)?meeting)\s*(\d{1,2} [A-Z][a-z]+ \d{4})?\s*"
)
_ANNEX = re.compile(r"(?:Annex(?:es)?|Appendix)(?: [IVXLC]+| \d+| [A-Z])?")  # an appendix is annexed too
_FOOTNOTE_LINE = re.compile(r"(\d{1,3})\s+(\S.*)")
_MONTH_NAMES = "January|February|March|April|May|June|July|August|September|October|November|December"
_STARTS_WITH_MONTH = re.compile(rf"(?:{_MONTH_NAMES})\b")
_ROMAN_HEADING = re.compile(r"(?:[IVXLC]+|[A-Z])\.\s+\S.*")
_LONE_NUMERAL = re.compile(r"(?:[IVXLC]+|[A-Z])\.?")  # "II" or "B" over a section's or a part's title
_PLACEHOLDER = re.compile("\x01(\\d+)\x02")
# The end of a clause: punctuation, then perhaps closing quotes and footnote markers.
_ENDS_CLAUSE = re.compile("([,;:.!?])[\\s\u201d\u2019\"')\\]]*(?:\x01\\d+\x02\\s*)*$")


# --- Footnote markers -------------------------------------------------------------------
#
# A marker is the footnote's number glued to the word or punctuation before it, or set
# off by a space where the extractor saw the superscript apart. A number is a marker only
# when a footnote with that number is at the foot of the same page, and markers come in
# order, so "2030 Agenda", "resolution 54/237" or "paragraph 3" keep their numbers.

# Words after which a spaced number is a quantity or points into a text: never a marker.
_NOT_BEFORE_MARKER = {
    "paragraph", "para", "paras", "subparagraph", "article", "art", "item", "sub-item", "no", "nos",
    "number", "chapter", "chap", "section", "sect", "part", "annex", "appendix", "rule", "regulation",
    "principle", "indicator", "table", "figure", "page", "p", "pp", "supplement", "line", "footnote",
    "note", "point", "option", "phase", "step", "level", "category", "recommendation", "clause", "stage",
    "tier", "box", "pillar", "objective", "vol", "volume", "meeting", "criterion", "edition", "round",
    "of", "from", "to", "and", "or", "the", "by", "with", "in", "at", "for", "than", "over", "under",
    "within", "about", "some", "nearly", "approximately", "around", "only", "least", "most", "all",
    "every", "between", "on", "per", "into", "up", "until", "since", "after", "before", "during", "these",
    "those", "its", "their", "his", "her", "our", "are", "is", "was", "were", "be", "been", "a", "an",
    "each", "which", "where", "when", "via", "plus", "minus", "just", "below", "above", "almost", "more",
    "fewer", "less", "roughly", "past", "another", "aged", "top", "year", "years",
    *(month.lower() for month in _MONTH_NAMES.split("|")),
}  # fmt: skip
_NUMBERED_NAMES = {"Goal", "Target"}  # "Sustainable Development Goal 16"
# Plural words that open a list of numbers: "paragraphs 13 and 14", but "resolutions 7 on" holds a marker.
_LIST_NOUNS = {
    "paragraphs", "subparagraphs", "articles", "resolutions", "decisions", "items", "chapters", "sections",
    "parts", "annexes", "rules", "regulations", "principles", "goals", "targets", "indicators", "tables",
    "figures", "pages", "sessions", "lines", "footnotes", "notes", "points", "options", "phases", "steps",
    "levels", "categories", "recommendations", "amendments", "clauses", "stages", "pillars", "objectives",
    "volumes", "meetings", "criteria", "protocols",
}  # fmt: skip
_ABBREVIATIONS = {
    "no", "nos", "para", "paras", "vol", "vols", "p", "pp", "art", "chap", "sect", "add", "rev", "corr",
}  # fmt: skip
# What may follow a spaced number that makes it a range, a date, a quantity or a resolution number.
_RANGE_AFTER = re.compile(rf"\s*(?:[-\u2013]\s*\d|per ?cent\b|%|(?:{_MONTH_NAMES})\b)")
_QUANTITY_AFTER = re.compile(
    rf"\s*(?:[-\u2013]\s*\d|per ?cent\b|%|(?:{_MONTH_NAMES})\b|\((?:[IVXLC]+|\d{{4}})\)|"
    r"(?:years?|days?|months?|weeks?|hours?|million|billion|thousand|hundred|times|members|persons|people|"
    r"countries|States|women|men|children|out of)\b|from(?!\s+\d))"
)
_LIST_AFTER = re.compile(r"\s*(?:,|and|or|to)\s*\d")
_CLOSERS = ")\u201d\u2019\"'"


@lru_cache(maxsize=512)
def _number_pattern(number: str) -> re.Pattern:
    return re.compile(rf"{number}(?!\d)")


def _marker_span(text: str, number: str, start: int) -> tuple[int, int] | None:
    """Where footnote ``number``'s marker is in ``text`` at or after ``start``: the span to
    replace (with the spaces before a spaced marker), or None."""
    for match in _number_pattern(number).finditer(text, start):
        i, j = match.span()
        span = _glued_marker(text, i, j) or _spaced_marker(text, i, j)
        if span:
            return span
    return None


def _glued_marker(text: str, i: int, j: int) -> tuple[int, int] | None:
    if i == 0:
        return None
    after = text[j : j + 2]
    if not (after[:1] in ("", " ", "\t", "\n") or (after[:1] in ",;:." and not after[1:2].isdigit())):
        return None
    before = text[i - 1]
    if before.isdigit():
        # A year with the marker glued to it: "Declarations of 20172 and", "2024–203412".
        run = i
        while run > 0 and text[run - 1].isdigit():
            run -= 1
        glued_year = i - run == 4 and re.fullmatch(r"(?:19|20)\d\d", text[run:i])
        if glued_year and (run == 0 or not (text[run - 1].isalnum() or text[run - 1] in "/.,")):
            return i, j
        # A resolution number with the marker glued to it: "resolution 59/3008" is 59/300 and 8,
        # for no session has a thousand resolutions.
        resolution = re.search(r"(?<![\w/])(?:A/RES/)?(?:ES-|S-)?\d{1,2}/$", text[max(0, run - 12) : run])
        if i - run == 3 and resolution and not 1945 <= int(text[run:j]) <= 2035:
            return i, j  # but "FAO resolution 5/2021" is a number and a year
        return None
    if before.islower() or before in ",;:" or before in _CLOSERS:
        return i, j
    if before == ".":
        return None if _abbreviated(text, i - 1) else (i, j)  # "Development.2", "in 2021.9"
    if before.isupper():
        # After a roman numeral or an acronym: "Protocol I4 to", "HIV/AIDS1 and"; not "G20", "UN80".
        word = re.search(r"[A-Z]+$", text[max(0, i - 12) : i]).group(0)
        if re.search(r"[A-Za-z]{2,} [IVX]+$", text[max(0, i - 20) : i]) or len(word) >= 3:
            return i, j
    return None


def _spaced_marker(text: str, i: int, j: int) -> tuple[int, int] | None:
    start = i
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    if start == i or start == 0 or text[start - 1] == "\n":
        return None
    before = text[start - 1]
    if j < len(text) and text[j] not in " \t\n" and not (before.isdigit() and text[j] in ",;:."):
        return None
    if before.isdigit():
        # After a year, a resolution number or a numbered name: "of 2011 21 and 2018",
        # "resolution 59/300 9 and", "Agenda 21 6 and".
        named = _NUMBERED_BEFORE.search(text[max(0, start - 16) : start])
        return (start, j) if named and not _RANGE_AFTER.match(text, j) else None
    if _QUANTITY_AFTER.match(text, j):
        return None
    listed = bool(_LIST_AFTER.match(text, j))
    if before in ",;:":
        return None if listed and text[start - 2 : start - 1].isdigit() else (start, j)  # "1, 3 and 5"
    if before in _CLOSERS:
        return start, j
    if before == ".":
        return None if _abbreviated(text, start - 1) else (start, j)  # "Paris Principles. 13 We"
    if before.isalpha():
        word = _word_before(text, start)
        if re.search(r"[A-Za-z]{2,} [IVX]+$", text[max(0, start - 20) : start]):
            return start, j  # "Protocol I 4 to the Geneva Conventions"
        if len(word) < 2 or word.lower() in _NOT_BEFORE_MARKER or word in _NUMBERED_NAMES:
            return None
        return None if listed and word.lower() in _LIST_NOUNS else (start, j)
    return None


_YEAR_END = re.compile(r"(?<![\w/.,])(?:19|20)\d\d$")
# A year, a symbol's number ("59/300", "VIII/19"), "Agenda 21" or "COVID-19": a spaced marker may follow.
_NUMBERED_BEFORE = re.compile(
    r"(?:(?<![\w/.,])(?:19|20)\d\d|\S/\d{1,4}|[A-Z][a-z]+ \d{1,4}|[A-Z]{2,}[-\u2011]\d{1,2})$"
)


def _abbreviated(text: str, period: int) -> bool:
    """Whether the period at ``period`` does not end a sentence a marker may follow: it ends an
    abbreviation ("No.", "vol."), a symbol's part ("/Add.", "E.96") or a number that is no year."""
    if period < 1:
        return True
    before = text[period - 1]
    if before.isdigit():
        return not _YEAR_END.search(text[max(0, period - 5) : period])
    if not (before.islower() or before in _CLOSERS):
        return True
    word = _word_before(text, period)
    return word.lower() in _ABBREVIATIONS or text[period - len(word) - 1 : period - len(word)] == "/"


def _word_before(text: str, end: int) -> str:
    start = end
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "-"):
        start -= 1
    return text[start:end]


# --- Text helpers ------------------------------------------------------------------------

_COMPOUND_CUT = re.compile(r"(?<=\w)- (?!(?:and|or|to|nor|as well as|but)\b)(?=\w)")


def _join_lines(lines: list[str]) -> str:
    """Lines of one paragraph as one string; a word broken after its hyphen is put back together."""
    joined = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if (
            joined[-1:] in ("-", "\u2011", "\u2013")
            and joined[-2:-1].isalnum()
            and line[:1].isalnum()
            and not re.match(r"(?:and|or|to|nor)\b", line)
        ):
            joined += line
        else:
            joined = f"{joined} {line}" if joined else line
    return joined


def _clean(text: str) -> str:
    """Squashed paragraph text with footnote markers written as [^N]."""
    text = squash(text.replace("\u00ad", ""))
    text = _COMPOUND_CUT.sub("-", text)
    text = re.sub("(\x01\\d+\x02) (?=[,;:.])", r"\1", text)  # "2021 7 ," read "2021[^7],"
    return _PLACEHOLDER.sub(lambda match: f"[^{match.group(1)}]", text)


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"))


def _ends_with(text: str) -> str:
    """The clause punctuation ``text`` ends with ("," ";" ":" "." ...), or ""."""
    match = _ENDS_CLAUSE.search(text.translate(_INVISIBLE).rstrip())
    return match.group(1) if match else ""


def _starts_upper(text: str) -> bool:
    first = text.translate(_INVISIBLE).lstrip("\u201c\"'([\u2018 ")[:1]
    return first.isupper() or first.isdigit()


# Words that open a preambular paragraph when it does not open with a participle.
_OPENERS = {
    "aware", "mindful", "cognizant", "conscious", "desirous", "anxious", "confident", "convinced",
    "determined", "alarmed", "concerned", "eager", "sensitive", "fully", "deeply", "gravely",
    "seriously", "strongly", "also", "further", "firmly", "profoundly", "keenly", "once", "grateful",
    "hopeful", "cognisant",
}  # fmt: skip
_NOT_PARTICIPLES = {"united", "red", "federated", "limited", "hundred", "bed", "need", "seed", "feed"}


def _opens_preambular(text: str) -> bool:
    """Whether text opens like a preambular paragraph: "Recalling", "Deeply concerned", "Aware"."""
    if not text[:1].isupper():
        return False
    words = [re.sub(r"[^\w-]", "", word).lower() for word in text.split(" ", 2)[:2]]
    if len(words) > 1 and (words[0].endswith("ly") or words[0] in ("ever", "still", "once")):
        words = words[1:]  # "Particularly concerned", "Ever mindful"
    word = words[0]
    return (
        word in _OPENERS
        or (word.endswith("ing") and len(word) > 4)
        or (word.endswith("ed") and len(word) > 3 and word not in _NOT_PARTICIPLES)
    )


_ADVERBS = {"also", "further", "strongly", "deeply", "firmly", "once", "again", "urgently", "fully"}
_NOT_VERBS = {"nations", "states", "members", "parties", "its", "this", "thus", "as", "has"}


def _opens_operative(text: str) -> bool:
    """Whether text opens like an operative paragraph: "Decides", "Also requests", "Adopts"."""
    words = [re.sub(r"[^\w-]", "", word) for word in text.split(" ")[:4]]
    while len(words) > 1 and words[0].lower() in _ADVERBS:
        words = words[1:]
    verb = words[0] if words else ""
    return (
        verb[:1].isupper()
        and verb.endswith("s")
        and not verb.endswith(("ss", "ous", "us", "is"))
        and verb.lower() not in _NOT_VERBS
    )


# --- Sub-paragraph labels: letters and roman numerals ----------------------------------

_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def _roman_value(label: str) -> int:
    total = 0
    for char, following in zip(label, label[1:] + " ", strict=True):
        value = _ROMAN_VALUES.get(char)
        if value is None:
            return 0
        total += -value if _ROMAN_VALUES.get(following, 0) > value else value
    return total


_ROMAN_STEPS = (
    (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


def _roman(number: int) -> str:
    out = ""
    for value, letters in _ROMAN_STEPS:
        while number >= value:
            out += letters
            number -= value
    return out


def _next_label(kind: str, label: str) -> str:
    if kind == "bullet":
        return label
    if kind == "number":
        return str(int(label) + 1)
    if kind == "roman":
        return _roman(_roman_value(label) + 1)
    if label == "z":
        return "aa"
    if len(label) == 2:
        return chr(ord(label[0]) + 1) * 2
    return chr(ord(label) + 1)


# --- Reading the page -------------------------------------------------------------------


@dataclass
class _Token:
    kind: str  # "text", "blank", "page" (a page break or footnotes removed), "notes"
    text: str = ""
    notes: list[tuple[str, list[str]]] = field(default_factory=list)  # footnote number, its lines


def looks_like(text: str) -> bool:
    """Whether ``text`` is the text layer of a resolution's PDF (for telling formats apart)."""
    if not isinstance(text, str):
        return False
    head = text[:50_000]
    stripped = head.lstrip()
    if not stripped or stripped.startswith("<") or "\x00" in head:
        return False
    markdown = (
        re.search(r"^#{1,6}[ \t]+\S", head, re.MULTILINE)
        or "<sup>" in head
        or re.search(r"^[ \t]*(?:\d+\\?\.[ \t]+)?\*[A-Za-z][^*\n]*\*", head, re.MULTILINE)
    )
    if markdown:
        return False
    heading = re.search(
        rf"Resolution adopted by the|^\s*{_GA_HEADING.pattern}|^\s*{_SC_HEADING.pattern}", head, re.M
    )
    paragraphs = re.search(r"^\s*\d{1,3}\.(?:\s|$)", head, re.MULTILINE) or re.search(
        rf"^\s*{_FORMULA.pattern}\s*$", head, re.MULTILINE
    )
    return bool(heading and paragraphs)


def parse(text: str) -> ParsedResolution:
    """The resolution in the text of its PDF; ParseError if the text is not one. A document
    holding parts A, B, ... needs ``parse_all``."""
    resolutions = parse_all(text)
    if len(resolutions) > 1:
        symbols = ", ".join(resolution.symbol for resolution in resolutions)
        raise ParseError(f"the document holds {len(resolutions)} resolutions ({symbols}); use parse_all()")
    return resolutions[0]


def parse_all(text: str) -> list[ParsedResolution]:
    """Every resolution in the text of a PDF: the one, or each of parts A, B, ... (as separate
    resolutions "A/RES/79/260 A", "A/RES/79/260 B", the way the UN's XML gives them)."""
    _check_is_text(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\f\n").split("\n")
    lines = [line if line == "\f" else line.rstrip() for line in lines]
    formula = _find_formula(lines)
    result = ParsedResolution(symbol="", body="", title="", source_format=FORMAT, source_text=text)
    part_heading, printed_symbol = _read_front_page(lines[:formula], result)
    result.enacting_formula = squash(lines[formula])
    result.body = result.body or BODIES[_FORMULA.fullmatch(lines[formula].strip()).group(1).lower()]
    if not result.number:
        raise ParseError(
            gettext(
                "no resolution number heading was found (such as '80/2. Title' or 'Resolution 2504 (2020)')"
            )
        )
    tokens, paged = _tokens(lines[formula + 1 :], result, printed_symbol)
    # Without page furniture, the footnotes between two blocks stand where a blank line would.
    footnotes = _place_markers(tokens, "page" if paged else "blank")
    result.footnotes = [Footnote(marker=number, text=_clean(_join_lines(note))) for number, note in footnotes]
    # The first page's job number or bar code shows the extractor kept the furniture, even on one page.
    furnished = paged or any(_FURNITURE_TOKEN.fullmatch(line.strip()) for line in lines[:formula])
    builder = _Builder(result, ends_preamble=not result.enacting_formula.endswith(","), paged=furnished)
    parts = builder.build(_units(tokens), _heading(part_heading) if part_heading else "")
    resolutions = [result] if len(parts) == 1 else [_part(result, parts, at) for at in range(len(parts))]
    for resolution in resolutions:
        if not resolution.operative:
            raise ParseError(gettext("%(symbol)s has no operative paragraph") % {"symbol": resolution.symbol})
        resolution.references = _references(resolution)
    return resolutions


def _part(whole: ParsedResolution, parts: list[_Part], position: int) -> ParsedResolution:
    """Part "A", "B", ... of a resolution in parts, as a resolution of its own."""
    part = parts[position]
    match = re.fullmatch(r"([A-Z])\.?(?:\s+(.*))?", part.heading)
    letter = match.group(1) if match else chr(ord("A") + position)
    annexes = whole.annexes if position == len(parts) - 1 else []
    cited = _cited(part.preambular + part.operative, annexes)
    # A footnote cited nowhere (in the heading, say) stays with the first part.
    anywhere = set().union(*(_cited(other.preambular + other.operative, whole.annexes) for other in parts))
    return dataclasses.replace(
        whole,
        symbol=f"{whole.symbol} {letter}",
        number=f"{whole.number} {letter}",
        title=match.group(2) if match and match.group(2) else whole.title,
        preambular=part.preambular,
        operative=part.operative,
        annexes=annexes,
        footnotes=[
            note
            for note in whole.footnotes
            if note.marker in cited or (position == 0 and note.marker not in anywhere)
        ],
    )


def _cited(paragraphs: list[Paragraph], annexes: list[Annex]) -> set[str]:
    annexed = [paragraph for annex in annexes for paragraph in annex.paragraphs]
    return {marker for node in _walk(paragraphs + annexed) for marker in _MARKER.findall(node.text)}


def _walk(nodes: list) -> list:
    """The paragraphs and their sub-paragraphs at any depth, in order."""
    return [found for node in nodes for found in [node, *_walk(node.subparagraphs)]]


def _find_formula(lines: list[str]) -> int:
    """The index of the line "The General Assembly," that ends the header."""
    formula = next((index for index, line in enumerate(lines) if _FORMULA.fullmatch(line.strip())), None)
    if formula is None:
        # An extractor may run the formula into the first paragraph: "The General Assembly, Recalling ..."
        glued = re.compile(rf"({_FORMULA.pattern})\s+([A-Z].*)")
        formula = next((index for index, line in enumerate(lines) if glued.fullmatch(line.strip())), None)
        if formula is None:
            raise ParseError(
                gettext("no enacting formula ('The General Assembly,', 'The Security Council,') was found")
            )
        match = glued.fullmatch(lines[formula].strip())
        lines[formula : formula + 1] = [match.group(1), "", match.group(3)]
    return formula


def _check_is_text(text: str) -> None:
    if not isinstance(text, str):
        raise ParseError(f"expected the text of a PDF, got {type(text).__name__}")
    if not text.strip():
        raise ParseError(gettext("the text is empty"))
    sample = text[:8192]
    unreadable = sum(
        1
        for char in sample
        if char == "\ufffd" or (ord(char) < 32 and char not in "\t\n\r\f") or 127 <= ord(char) < 160
    )
    if "\x00" in text or unreadable > len(sample) // 100:
        raise ParseError(gettext("the text looks like binary data, not the text of a PDF"))


# --- The front page ---------------------------------------------------------------------

_SESSION = re.compile(r"\b([A-Z][a-z]+(?:-[a-z]+)?)\s+(emergency special |special )?session\b")
_AGENDA_ITEM = r"(?:\d+|\([a-z]\))(?:\s?\([a-z]\))*"  # "25", "25 (b)", "(b)"
_AGENDA = re.compile(rf"Agenda items?\s+({_AGENDA_ITEM}(?:\s*(?:,\s*and|,|and)\s*{_AGENDA_ITEM})*)")
_NTH_MEETING = r"\d+(?:st|nd|rd|th)\s+(?:plenary\s+)?meeting"
_DATE = r"\d{1,2} [A-Z][a-z]+ \d{4}"
_ADOPTED_ON = re.compile(rf"Resolution adopted by the (.+?) on ({_DATE})")
# "Adopted by the Security Council at its 8711th meeting, on 10 January 2020", or date first.
_ADOPTED_AT = re.compile(
    rf"Adopted by the (?P<body>.+?) (?:at its (?P<meeting>{_NTH_MEETING}),?\s+(?:held\s+)?on\s+"
    rf"(?P<date>{_DATE})|on (?P<date2>{_DATE}),?\s+at its (?P<meeting2>{_NTH_MEETING}))"
)
_GA_HEADING = re.compile(r"((?:ES-|S-)?\d{1,4})/(\d{1,4})(?: ?([A-H]))?\.\s+(\S.*)")
_SC_HEADING = re.compile(r"Resolution\s+(\d{1,5})\s*\(((?:19|20)\d{2})\)")
_SYMBOL_LINE = re.compile(
    r"(?:A|S|E)/(?:[A-Z0-9.-]+/)*[A-Z]*\d+(?: ?\((?:19|20)\d{2}\)| [A-Z](?:[-\u2013][A-Z])?)?\*?"
)
_PARTS_SUFFIX = re.compile(r" [A-Z][-\u2013][A-Z]$")  # "A/RES/79/260 A-B": a document holding parts A and B


def _read_front_page(lines: list[str], result: ParsedResolution) -> tuple[list[str], str]:
    """The header: body, symbol, dates, session, agenda items, the report or draft, number and title.
    Return the lines of a first part's heading ("A" and its title) and the symbol as printed."""
    lines = [squash(line) for line in lines if line.strip()]
    joined = " ".join(lines)
    if match := re.search(r"Distr\.:\s*\w+\s+(\d{1,2} [A-Z][a-z]+ \d{4})", joined):
        result.distributed_on = parse_un_date(match.group(1))
    if match := _SESSION.search(joined):
        number = ordinal_to_number(match.group(1))
        kind = (match.group(2) or "").strip()
        if number:
            result.session = {"emergency special": f"ES-{number}", "special": f"S-{number}"}.get(
                kind, str(number)
            )
    if match := _ADOPTED_ON.search(joined):
        result.body = BODIES.get(match.group(1).lower(), "")
        result.adopted_on = parse_un_date(match.group(2))
    if match := _ADOPTED_AT.search(joined):
        result.body = BODIES.get(match["body"].lower(), "")
        result.meeting = squash(match["meeting"] or match["meeting2"])
        result.adopted_on = parse_un_date(match["date"] or match["date2"])
    for match in re.finditer(r"\[([^\]]+)\]", joined):
        symbols = find_references(match.group(1))
        if symbols and "report of" in match.group(1).lower():
            result.committee_report = symbols[0]
        elif symbols and "committee" in match.group(1).lower():
            result.draft_symbol = symbols[0]
    symbol_line = next((line for line in lines if _SYMBOL_LINE.fullmatch(line)), "")
    _read_agenda(lines, result)
    part_heading = _read_heading(lines, result)
    printed = normalise_symbol(symbol_line.rstrip("*")) if symbol_line else result.symbol
    if symbol_line and result.body != "SC":
        result.symbol = _PARTS_SUFFIX.sub("", printed)
    return part_heading, printed


def _read_agenda(lines: list[str], result: ParsedResolution) -> None:
    for index, line in enumerate(lines):
        match = _AGENDA.search(line)
        if not match:
            continue
        numbers = agenda_numbers(match.group(1))
        titles = [line[match.end() :].strip()] if line[match.end() :].strip() else []
        for following in lines[index + 1 :]:
            if re.match(r"Resolution adopted|\[|(?:ES-|S-)?\d{1,4}/\d{1,4}", following):
                break
            if titles and not _starts_upper(following):
                titles[-1] += " " + following
            else:
                titles.append(following)
        titles = [title.strip() for title in titles if title.strip()]
        if len(numbers) > 1 and len(titles) != len(numbers):
            titles = [" ".join(titles)]
        if len(numbers) == 1:
            titles = [" ".join(titles)]
        result.agenda_items = [
            AgendaItem(number=number, title=titles[position] if position < len(titles) else "")
            for position, number in enumerate(numbers)
        ]
        return


def _read_heading(lines: list[str], result: ParsedResolution) -> list[str]:
    """Read the number heading and the title; return the lines of a first part's heading ("A", its title)."""
    for index, line in enumerate(lines):
        if (match := _SC_HEADING.fullmatch(line)) and result.body in ("", "SC"):
            result.body = "SC"
            result.number, result.session = match.groups()
            result.symbol = f"S/RES/{result.number} ({result.session})"
            result.title = f"Resolution {result.number} ({result.session})"
            return []
        if match := _GA_HEADING.fullmatch(line):
            session, number, part, title = match.groups()
            result.body = result.body or "GA"
            result.session = result.session or session
            result.number = number + (f" {part}" if part else "")
            result.symbol = f"{SERIES.get(result.body, 'A/RES')}/{session}/{result.number}"
            following = lines[index + 1 :]
            part = next(
                (at for at, line in enumerate(following) if _LONE_NUMERAL.fullmatch(line)), len(following)
            )
            result.title = squash(" ".join([title, *following[:part]]))
            return following[part:]
    return []


# --- Furniture and footnotes --------------------------------------------------------------


def _tokens(lines: list[str], result: ParsedResolution, symbol: str) -> tuple[list[_Token], bool]:
    """The body as text lines, blank lines, page breaks and blocks of footnotes; and whether
    it has page furniture (whose running header prints ``symbol``)."""
    furniture = _furniture(lines, result.title, symbol)
    separated = any(_SEPARATOR.fullmatch(line.strip()) for line in lines)
    paged = any(furniture)
    tokens: list[_Token] = []
    in_notes = False
    after_blank = False
    for index, line in enumerate(lines):
        stripped = line.strip()
        if furniture[index] or line == "\f":
            in_notes = False
            if tokens and tokens[-1].kind != "page":
                tokens.append(_Token("page"))
        elif separated and _SEPARATOR.fullmatch(stripped):
            in_notes, after_blank = True, False
            tokens.append(_Token("notes"))
        elif in_notes and (
            paged or not (after_blank and stripped and not _FOOTNOTE_LINE.fullmatch(stripped))
        ):
            # Without running headers to end a page, footnotes end where a block opens with no number.
            after_blank = not stripped
            if stripped:
                tokens[-1].notes.append(("", [stripped]))
        elif not stripped:
            tokens.append(_Token("blank"))
        else:
            if in_notes:
                in_notes = False
                tokens.append(_Token("page"))
            tokens.append(_Token("text", stripped))
    if separated:
        _number_footnotes(tokens)
    else:
        tokens = _find_inline_footnotes(tokens)
    return tokens, paged


_HEADER_LINES = 6  # how far from the symbol a running header's pieces may stand


def _furniture(lines: list[str], title: str, symbol: str) -> list[bool]:
    """Which lines are page furniture: job numbers, bar codes, page numbers and running headers."""
    title = squash(title).lower()
    own_symbol = squash(symbol)
    marks = [False] * len(lines)
    symbol_lines = []
    for index, line in enumerate(lines):
        stripped = squash(line)
        rest = _FURNITURE_TOKEN.sub(" ", stripped.replace(own_symbol + "*", " ").replace(own_symbol, " "))
        if rest.strip() == stripped:
            continue
        # A header line may hold several pieces: "2/4 25-15779", "A/RES/80/2 Title of the resolution".
        if not rest.strip() or (own_symbol in stripped and _is_title_piece(rest, title)):
            marks[index] = True
            if own_symbol in stripped:
                symbol_lines.append(index)
    # The running title sits above or below the symbol, however its lines are cut, and may wrap
    # around the page's other furniture: "Title of the", "", "25-15779", "resolution", "2/4".
    for index in symbol_lines:
        for step in (-1, 1):
            other = index + step
            while 0 <= other < len(lines) and abs(other - index) <= _HEADER_LINES:
                if _is_title_piece(lines[other], title) and not marks[other]:
                    marks[other] = True
                elif not (marks[other] or not lines[other].strip()):
                    break
                other += step
    return marks


def _is_title_piece(line: str, title: str) -> bool:
    """Whether a line is part of the title as a running header prints it, perhaps shortened."""
    piece = squash(line).lower()
    if len(piece) < 2 or not title:
        return False
    if piece in title:
        return True
    words = re.findall(r"\w+", piece)
    return len(words) > 1 and set(words) <= set(re.findall(r"\w+", title))


def _footnote_start(line: str, expected: int | None) -> tuple[str, str] | None:
    match = _FOOTNOTE_LINE.fullmatch(line)
    if not match or _STARTS_WITH_MONTH.match(match.group(2)):
        return None
    if expected is not None and int(match.group(1)) != expected:
        return None
    return match.group(1), match.group(2)


def _number_footnotes(tokens: list[_Token]) -> None:
    """Split each block of footnote lines into numbered footnotes; a line that does not open
    the next footnote goes on with the one before, even from the page before."""
    expected: int | None = None
    last: list[str] | None = None
    for token in tokens:
        if token.kind != "notes":
            continue
        block = [note_lines[0] for _, note_lines in token.notes]
        token.notes = []
        for line in block:
            if start := _footnote_start(line, expected):
                last = [start[1]]
                token.notes.append((start[0], last))
                expected = int(start[0]) + 1
            elif last is not None:
                last.append(line)


def _find_inline_footnotes(tokens: list[_Token]) -> list[_Token]:
    """Without a separator rule, a footnote is a block "N text" where N is the next footnote's
    number, and N can be seen as a marker in the text since the footnotes before, or the text
    reads like a footnote (not like a paragraph going on after a page break)."""
    out: list[_Token] = []
    window: list[str] = []
    expected: int | None = None  # the first footnote may be cited in the heading: 1, 2 or 3
    index = 0
    while index < len(tokens):
        token = tokens[index]
        at_block_start = not out or out[-1].kind in ("blank", "page")
        start = _inline_footnote(token, window, expected) if at_block_start else None
        if start:
            notes = _Token("notes")
            while start:
                lines = [start[1]]
                index += 1
                while index < len(tokens) and tokens[index].kind == "text":
                    lines.append(tokens[index].text)
                    index += 1
                notes.notes.append((start[0], lines))
                expected = int(start[0]) + 1
                while index < len(tokens) and tokens[index].kind == "blank":
                    index += 1
                start = _inline_footnote(tokens[index], window, expected) if index < len(tokens) else None
            out.append(notes)
            window = []
            continue
        if token.kind == "text":
            window.append(token.text)
        elif token.kind == "page":
            window = []
        out.append(token)
        index += 1
    return out


def _inline_footnote(token: _Token, window: list[str], expected: int | None) -> tuple[str, str] | None:
    start = _footnote_start(token.text, expected) if token.kind == "text" else None
    if start is None or (expected is None and int(start[0]) > 3):
        return None
    if _marker_span("\n".join(window), start[0], 0) is not None:
        return start
    return start if (expected is not None or start[0] == "1") and _starts_upper(start[1]) else None


def _place_markers(tokens: list[_Token], gap: str) -> list[tuple[str, list[str]]]:
    """Write each footnote's marker into the text of its page as a placeholder; return the
    footnotes in order, and turn each page break and block of footnotes into a ``gap``."""
    footnotes: list[tuple[str, list[str]]] = []
    window: list[int] = []  # indices of the text tokens since the last page break
    previous: tuple[list[int], int] = ([], 0)  # the page before, and where its last marker ended
    for index, token in enumerate(tokens):
        if token.kind == "text":
            window.append(index)
        elif token.kind in ("page", "notes"):
            if token.kind == "notes":
                cursor = 0
                for number, lines in token.notes:
                    footnotes.append((number, lines))
                    found = _write_marker(tokens, window, number, cursor)
                    if found is not None:
                        cursor = found
                    else:  # a marker on the last line of a page may see its footnote pushed over
                        _write_marker(tokens, previous[0], number, previous[1])
                previous = (window, cursor)
            elif window:
                previous = (window, 0)
            token.kind, token.notes = gap, []
            window = []
    return footnotes


def _write_marker(tokens: list[_Token], window: list[int], number: str, cursor: int) -> int | None:
    """Put the marker of footnote ``number`` in the window's text; return where it ends."""
    text = "\n".join(tokens[index].text for index in window)
    span = _marker_span(text, number, cursor)
    if span is None:
        return None
    start, end = span
    placeholder = f"\x01{number}\x02"
    offset = 0
    for index in window:
        line = tokens[index].text
        if offset <= start <= offset + len(line):
            tokens[index].text = line[: start - offset] + placeholder + line[end - offset :]
            break
        offset += len(line) + 1
    return start + len(placeholder)


# --- Units: the blocks of the body ------------------------------------------------------


@dataclass
class _Unit:
    kind: str  # "text", "number", "label", "annex", "meeting"
    key: str = ""  # the paragraph number, the label, the annex title, the meeting
    lines: list[str] = field(default_factory=list)
    after: str = ""  # what separates it from the unit before: "blank", "page" or ""

    @property
    def text(self) -> str:
        return _join_lines(self.lines)


def _units(tokens: list[_Token]) -> list[_Unit]:
    """The body cut where a blank line, a page break, a paragraph number or a label starts a unit."""
    units: list[_Unit] = []
    gap = "blank"
    last_number = 0
    for token in tokens:
        if token.kind != "text":
            gap = "page" if token.kind == "page" or gap == "page" else "blank"
            continue
        line = token.text
        previous_end = _ends_with(units[-1].lines[-1]) if units and units[-1].lines else ""
        # After a section's numeral ("I." alone on its line) and its title, a paragraph number opens
        # a paragraph even where the extractor left no blank line.
        under_heading = (
            bool(units)
            and units[-1].kind == "text"
            and len(units[-1].lines) <= 3
            and bool(_LONE_NUMERAL.fullmatch(units[-1].lines[0].strip()))
        )
        opens = bool(gap) or bool(previous_end) or not units or under_heading
        unit = None
        if _FORMULA.fullmatch(line):
            unit = _Unit("formula", line)  # the next part of a resolution in parts "A", "B"
            last_number = 0
        elif match := _MEETING.fullmatch(line):
            unit = _Unit("meeting", squash(match.group(1)), [match.group(2)] if match.group(2) else [])
        elif _ANNEX.fullmatch(line) and units and gap:
            unit = _Unit("annex", line)
            last_number = 0
        elif opens and (match := _NUMBERED.fullmatch(line)):
            number = int(match.group(1))
            rest = match.group(2) or ""
            # Numbering goes on, or starts again at 1 after a section's heading or preamble.
            restarts = number == 1 and bool(gap or under_heading) and bool(units) and units[-1].kind == "text"
            follows = number == last_number + 1 or (gap and last_number < number <= last_number + 2)
            if (follows or restarts) and (not rest or _starts_upper(rest)):
                unit = _Unit("number", match.group(1), [rest] if rest else [])
                last_number = number
        elif opens and (match := _LABELLED.fullmatch(line)):
            rest = match.group(2) or ""
            # "(a) the ..." opens a list item only after a colon or a semicolon.
            if not rest or _starts_upper(rest) or previous_end in (":", ";"):
                unit = _Unit("label", match.group(1), [rest] if rest else [])
        elif (gap or previous_end in (":", ";")) and (match := _BULLETED.fullmatch(line)):
            bullet = "\u2022" if match.group(1) in "\u2022\u25aa\u25cf\uf0b7" else "\u2013"
            unit = _Unit("label", bullet, [match.group(2)] if match.group(2) else [])
        if unit is None and previous_end and _LONE_NUMERAL.fullmatch(line):
            unit = _Unit("text", lines=[line])  # "II." under the paragraph before: a section opens
        if unit is None and (gap or not units or units[-1].kind in ("meeting", "annex", "formula")):
            unit = _Unit("text", lines=[line])
        if unit is None:
            units[-1].lines.append(line)
        else:
            unit.after = gap
            units.append(unit)
        gap = ""
    return units


# --- Paragraphs ----------------------------------------------------------------------------


@dataclass
class _Piece:
    """A paragraph or sub-paragraph while its lines are being gathered."""

    lines: list[str]
    number: str = ""
    label: str | None = None  # a sub-paragraph's printed label; None where the extractor lost it
    heading: str = ""
    pieces: list[_Piece] = field(default_factory=list)  # sub-paragraphs, flat, in order
    numbered: bool = True  # False where the number is not printed but given by the importer

    @property
    def last(self) -> _Piece:
        return self.pieces[-1] if self.pieces else self


@dataclass
class _Part:
    """A resolution's preamble and operative part; a resolution in parts "A", "B" has several."""

    heading: str  # "B. Cybersecurity"
    preambular: list = field(default_factory=list)  # _Piece while building, then Paragraph
    operative: list = field(default_factory=list)


class _Builder:
    """Walks the units once: preamble, operative part, the closing meeting line, annexes."""

    def __init__(self, result: ParsedResolution, ends_preamble: bool, paged: bool = False):
        self.result = result
        self.paged = paged  # with page furniture, a blank line is never a page break
        self.part = "operative" if ends_preamble else "preambular"
        self.parts: list[_Part] = []
        self.annexes: list[tuple[Annex, list[_Piece]]] = []
        self.current: _Piece | None = None
        self.headings: list[str] = []  # printed since the last paragraph, for the next one

    def build(self, units: list[_Unit], part_heading: str) -> list[_Part]:
        """Read the units into the result; return its parts, with their paragraphs."""
        self.parts = [_Part(part_heading)]
        ends = next((i for i, unit in enumerate(units) if unit.kind in ("meeting", "annex")), len(units))
        numbered = any(unit.kind == "number" for unit in units[:ends])
        annex_heading_due = False
        for index, unit in enumerate(units):
            if unit.kind == "formula" and self.part == "annex":
                unit.kind, unit.lines = "text", [unit.key]  # quoted in an annex, not a new part
            if unit.kind == "meeting" and self.part != "annex":
                following = units[index + 1].text if index + 1 < len(units) and not unit.lines else ""
                self.result.meeting = self.result.meeting or unit.key
                self.result.adopted_on = self.result.adopted_on or parse_un_date(
                    " ".join(unit.lines) or following
                )
                self.part, self.current = "closed", None
            elif unit.kind == "annex":
                self.annexes.append((Annex(title=unit.key), []))
                self.part, self.current, self.headings = "annex", None, []
                annex_heading_due = True
            elif self.part == "closed":
                continue
            elif unit.kind == "formula":
                self.parts.append(_Part(" ".join(self.headings)))
                self.part = "preambular" if unit.key.rstrip().endswith(",") else "operative"
                self.current, self.headings = None, []
            elif unit.kind == "number":
                if self.part == "preambular":
                    self.part = "operative"
                self._open(_Piece(list(unit.lines), number=unit.key))
            elif unit.kind == "label" and self.current is not None:
                self.current.pieces.append(_Piece(list(unit.lines), label=unit.key))
            elif annex_heading_due and not _ends_with(unit.text):
                self.annexes[-1][0].heading = _clean(unit.text)
                annex_heading_due = False
            elif self.headings and unit.kind == "text" and not _starts_upper(unit.text):
                self.headings[-1] += " " + _clean(unit.text)  # a heading cut by a page break
            elif self._is_heading(units, index):
                self.headings.append(_heading(unit.lines))
            else:
                annex_heading_due = False
                self._text(unit, numbered)
        return self._finish()

    def _is_heading(self, units: list[_Unit], index: int) -> bool:
        unit = units[index]
        lone_numeral = bool(unit.lines) and bool(_LONE_NUMERAL.fullmatch(unit.lines[0].strip()))
        if unit.kind != "text" or not (unit.after or lone_numeral):
            return False
        text = unit.text
        if self.current is not None and not _ends_with(_join_lines(self.current.last.lines)):
            return False
        if _ROMAN_HEADING.fullmatch(text) and len(text.split()) <= 40 and not _ends_with(text):
            return True
        if len(unit.lines) == 1 and _LONE_NUMERAL.fullmatch(text.strip()):
            return True  # "I." alone on its line, its title on the next: a heading, not a paragraph
        if _ends_with(text) or len(unit.lines) > 5 or len(text.split()) > 40 or not _starts_upper(text):
            return False
        if _LONE_NUMERAL.fullmatch(unit.lines[0].strip()):
            return True  # "II" over "Cybersecurity"
        following = units[index + 1] if index + 1 < len(units) else None
        if following is None:
            return False
        if following.kind in ("number", "label", "formula"):
            return True
        if following.kind != "text" or _opens_preambular(text) or len(text.split()) > 15:
            return False  # "Recalling ... of the" over "Working Group ...": a paragraph cut by a page
        # A section may open with its own preamble.
        return bool(_ROMAN_HEADING.fullmatch(following.text)) or _opens_preambular(following.text)

    def _text(self, unit: _Unit, numbered: bool) -> None:
        current = self.current
        text = unit.text
        if current is None:
            self._new_unnumbered(unit, numbered)
            return
        previous = _join_lines(current.last.lines)
        ends = _ends_with(previous)
        if self.part != "annex" and self.headings and current.number and ends and _opens_preambular(text):
            self.part = "preambular"  # a section's own preamble, after its heading (never in an annex)
            self._open(_Piece(list(unit.lines)))
        elif self._preambular_goes_on(unit, ends, numbered):
            current.last.lines.extend(unit.lines)  # "(Ukraine v." over a page break, "Russian Federation),"
        elif self._preambular_ends(unit):
            self._new_unnumbered(unit, numbered)  # "... for 2022" or "...," then "Recalls that ..."
        elif not ends or not _starts_upper(text):
            current.last.lines.extend(unit.lines)  # a paragraph cut by a page break
        elif current.number or (
            self.part == "operative" and (ends == ":" or current.pieces) and not _opens_operative(text)
        ):
            # Numbered paragraphs hold all their text; a sub-paragraph whose label the
            # extractor lost follows a colon, or another sub-paragraph, after a blank line.
            if unit.after == "blank" and (ends == ":" or (current.pieces and ends in (";", "?"))):
                current.pieces.append(_Piece(list(unit.lines)))
            else:
                current.last.lines.extend(unit.lines)
        elif (
            ends == ","
            and not self._opens_paragraph(text, numbered)
            and (self.part != "annex" or unit.after == "page")
        ):
            current.last.lines.extend(unit.lines)
        else:
            self._new_unnumbered(unit, numbered)

    def _in_preambular_paragraph(self) -> bool:
        return (
            self.paged and self.part == "preambular" and not self.current.number and not self.current.pieces
        )

    def _preambular_goes_on(self, unit: _Unit, ends: str, numbered: bool) -> bool:
        """Whether text at the top of a page goes on with the preambular paragraph before, even
        after a full stop or a colon: it does not open like a paragraph ("Russian Federation),")."""
        return (
            unit.after == "page"
            and ends != ","  # after a comma the rules below decide, as without furniture
            and self._in_preambular_paragraph()
            and not _opens_preambular(unit.text)
            and (numbered or not _opens_operative(unit.text))
        )

    def _preambular_ends(self, unit: _Unit) -> bool:
        """Whether a blank line ends a preambular paragraph whatever it ends with: on a page with
        furniture a blank line is never a page break, so capitalised text after it is a new paragraph."""
        return unit.after == "blank" and self._in_preambular_paragraph() and _starts_upper(unit.text)

    def _opens_paragraph(self, text: str, numbered: bool) -> bool:
        """Whether text after a comma opens a new paragraph rather than going on with the one before."""
        if _opens_preambular(text):
            return True
        return self.part == "preambular" and not numbered and _opens_operative(text)

    def _new_unnumbered(self, unit: _Unit, numbered: bool) -> None:
        if self.part == "preambular" and not numbered and _opens_operative(unit.text):
            self.part = "operative"
        self._open(_Piece(list(unit.lines)))

    def _open(self, piece: _Piece) -> None:
        piece.heading = " ".join(self.headings)
        self.headings = []
        if self.part == "annex":
            self.annexes[-1][1].append(piece)
        elif self.part == "operative":
            self.parts[-1].operative.append(piece)
        else:
            self.parts[-1].preambular.append(piece)
        self.current = piece

    def _finish(self) -> list[_Part]:
        result = self.result
        for part in self.parts:
            if len(part.operative) > 1 and not any(piece.number for piece in part.operative):
                # Several operative paragraphs are always numbered: the extractor lost the numbers.
                for number, piece in enumerate(part.operative, start=1):
                    piece.number, piece.numbered = str(number), False
            part.preambular = [_paragraph(piece, lead=True) for piece in part.preambular]
            part.operative = [_paragraph(piece, lead=True) for piece in part.operative]
            result.preambular += part.preambular
            result.operative += part.operative
        if len(self.parts) == 1 and self.parts[0].heading and (result.preambular or result.operative):
            first = (result.preambular or result.operative)[0]
            first.heading = " ".join(filter(None, [self.parts[0].heading, first.heading]))
        for annex, pieces in self.annexes:
            annex.paragraphs = [_paragraph(piece, lead=False) for piece in pieces]
            result.annexes.append(annex)
        return self.parts


def _heading(lines: list[str]) -> str:
    """A heading's text: "I" over "Regional cooperation" reads "I. Regional cooperation"."""
    first = lines[0].strip()
    if len(lines) > 1 and _LONE_NUMERAL.fullmatch(first):
        return f"{first.rstrip('.')}. {_clean(_join_lines(lines[1:]))}"
    return _clean(_join_lines(lines))


def _paragraph(piece: _Piece, lead: bool) -> Paragraph:
    text = _clean(_join_lines(piece.lines))
    lead_phrase, rest = split_lead_phrase(text) if lead else ("", text)
    return Paragraph(
        lead_phrase=lead_phrase,
        text=rest,
        number=piece.number,
        number_in_source=piece.numbered,
        heading=piece.heading,
        subparagraphs=_subparagraphs(piece.pieces, opens_list=_ends_with(text) == ":"),
    )


def _subparagraphs(pieces: list[_Piece], opens_list: bool) -> list[Subparagraph]:
    """Nest the sub-paragraphs by their labels, and give a label to each one whose label the
    extractor lost: the first of a new list after a colon, else the next in its list, in
    the list that makes the printed labels further on fit."""
    texts = [_clean(_join_lines(piece.lines)) for piece in pieces]
    after_colon = [opens_list] + [_ends_with(text) == ":" for text in texts[:-1]]
    places = _place_labels([piece.label for piece in pieces], after_colon)
    top: list[Subparagraph] = []
    stack: list[Subparagraph] = []
    for piece, text, (depth, label) in zip(pieces, texts, places, strict=True):
        node = Subparagraph(label=label, text=text, label_in_source=piece.label is not None)
        del stack[depth:]
        (stack[-1].subparagraphs if stack else top).append(node)
        stack.append(node)
    return top


def _place_labels(labels: list[str | None], after_colon: list[bool]) -> list[tuple[int, str]]:
    """Each sub-paragraph's depth (0 for (a), 1 for (i) under it) and label."""

    def options(levels: tuple[tuple[str, str], ...], label: str | None, colon: bool):
        """Where a sub-paragraph may go: (depth, kind of list, label), the likeliest first."""
        below = "roman" if levels and levels[-1][0] == "letter" else "letter"
        first = {
            "a": "letter",
            "i": "roman",
            "1": "number",
            "\u2013": "bullet",
            "\u2022": "bullet",
            None: below,
        }.get(label)
        opening = [(len(levels), first, label or ("i" if first == "roman" else "a"))] if first else []
        siblings = [
            (depth, kind, _next_label(kind, last))
            for depth, (kind, last) in reversed(list(enumerate(levels)))
            if label in (None, _next_label(kind, last))
        ]
        # After a colon a new list opens; else the list goes on, the innermost first.
        return opening + siblings if colon or not levels else siblings + opening

    @cache
    def search(position: int, levels: tuple[tuple[str, str], ...]) -> tuple[tuple[int, str], ...] | None:
        if position == len(labels):
            return ()
        for depth, kind, label in options(levels, labels[position], after_colon[position]):
            rest = search(position + 1, (*levels[:depth], (kind, label)))
            if rest is not None:
                return ((depth, label), *rest)
        return None

    found = search(0, ())
    if found is not None:
        return list(found)
    # Labels that fit no list as a whole (a misprint, an odd list): place each where it fits
    # best, and a label that fits nowhere as printed, in the list it is written in.
    places, levels = [], ()
    for label, colon in zip(labels, after_colon, strict=True):
        fits = options(levels, label, colon)
        if fits:
            depth, kind, label = fits[0]
        else:
            kind = (
                "number"
                if label and label.isdigit()
                else "roman"
                if label and set(label) <= set("ivxlc")
                else "letter"
            )
            depth = next((at for at, (other, _) in enumerate(levels) if other == kind), len(levels))
        levels = (*levels[:depth], (kind, label))
        places.append((depth, label))
    return places


# --- References -----------------------------------------------------------------------------

_MARKER = re.compile(r"\[\^(\d+)\]")


def _references(result: ParsedResolution) -> list[str]:
    """Symbols in reading order: each paragraph, then the footnotes it cites first."""
    footnotes = {note.marker: note for note in result.footnotes}
    symbols: list[str] = []

    def visit(node) -> None:
        symbols.extend(find_references(node.text, result.body))
        for marker in _MARKER.findall(node.text):
            if marker in footnotes:
                visit(footnotes.pop(marker))
        for subparagraph in getattr(node, "subparagraphs", []):
            visit(subparagraph)

    annexed = [paragraph for annex in result.annexes for paragraph in annex.paragraphs]
    for paragraph in result.preambular + result.operative + annexed:
        visit(paragraph)
    for footnote in list(footnotes.values()):
        visit(footnote)
    return list(dict.fromkeys(symbols))
