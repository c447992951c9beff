"""Helpers shared by every parser: white space, UN dates, lead phrases and document symbols.

All pure functions on strings.
"""

from __future__ import annotations

import datetime
import re

_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Collapse runs of white space (including non-breaking spaces) into single spaces."""
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip()


MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_DATE = re.compile(r"\b(\d{1,2})\s+([A-Z][a-z]+)\s+(\d{4})\b")


def parse_un_date(text: str) -> datetime.date | None:
    """The first date written the UN way ("24 February 2023") in ``text``, or None."""
    for day, month, year in _DATE.findall(text):
        if month.lower() in MONTHS:
            try:
                return datetime.date(int(year), MONTHS[month.lower()], int(day))
            except ValueError:
                continue
    return None


# --- Lead phrases -----------------------------------------------------------------
#
# The UN italicises the opening words of each paragraph ("Recalling also", "Strongly
# condemns", "Takes note with appreciation"). Where a source keeps no italics (text
# from a PDF, a wholly italic line in Markdown), these rules find the same words.

_PRE_ADVERBS = {
    "also", "further", "strongly", "deeply", "gravely", "seriously", "once", "again",
    "fully", "firmly", "remaining", "remains", "continues", "continuing", "to", "most",
    "profoundly", "particularly", "urgently", "solemnly", "equally",
}  # fmt: skip
_ADVERBS_AFTER = (
    "also", "further", "again", "once more", "once again", "in particular", "in this regard",
    "in the strongest possible terms", "in the strongest terms", "unequivocally",
)  # fmt: skip
_FEELINGS = r"(?:appreciation|concern|concerns|satisfaction|regret|interest|alarm|gratitude|support)"
_DEGREE = r"(?:deep|great|grave|gravest|serious|profound|particular|strong|sincere|deepest|full)"
# Words that belong to the verb in front of them.
_COMPLEMENTS = {
    "bearing": ("in mind",),
    "keeping": ("in mind",),
    "taking": ("note", "into account", "into consideration", "fully into account"),
    "takes": ("note", "into account", "into consideration"),
    "took": ("note",),
    "calls": ("upon", "on", "for"),
    "calling": ("upon", "on", "for"),
    "call": ("upon", "on", "for"),
    "looks": ("forward",),
    "looking": ("forward",),
    "pays": ("tribute",),
    "paying": ("tribute",),
    "draws": ("the attention",),
    "drawing": ("the attention",),
    "having": (
        "also considered", "considered", "examined", "received", "heard", "reviewed",
        "adopted", "decided", "regard", "noted",
    ),
}  # fmt: skip
_WITH_FEELING = re.compile(rf"with (?:{_DEGREE} )?{_FEELINGS}\b", re.IGNORECASE)
_ITS_FEELING = re.compile(
    rf"(?:its )?(?:{_DEGREE} )?(?:{_FEELINGS}|commitment|request|requests|calls?(?: upon| on| for)?|"
    rf"intention|determination|invitation|conviction|condemnation|demand)\b",
    re.IGNORECASE,
)
_EXPRESSIVE = {
    "expresses", "expressing", "reiterates", "reiterating", "reaffirms", "reaffirming",
    "renews", "renewing", "recalls",
}  # fmt: skip


def split_lead_phrase(text: str) -> tuple[str, str]:
    """Split a paragraph into its lead phrase and the rest: ("Recalling also", "the ...")."""
    text = text.strip()
    words = text.split(" ")
    if not words or not words[0][:1].isalpha():
        return "", text
    pos = 0
    # Leading adverbs: "Also", "Strongly", "Once again", "Continues to".
    while pos < len(words) - 1 and _bare(words[pos]).lower() in _PRE_ADVERBS and not _ends_clause(words[pos]):
        pos += 1
    if _ends_clause(words[pos - 1]) if pos else False:
        pos -= 1
    verb = _bare(words[pos]).lower()
    if not verb.replace("-", "").isalpha() or (pos == 0 and not words[0][:1].isupper()):  # "Re-emphasizes"
        return "", text
    pos += 1
    rest = " ".join(words[pos:])
    lead_words = words[:pos]
    if not _ends_clause(lead_words[-1]):
        consumed = _complement(verb, rest)
        while consumed:
            lead_words += consumed.split(" ")
            rest = rest[len(consumed) :].lstrip()
            if _ends_clause(lead_words[-1]):
                break
            consumed = _complement(verb, rest)
    lead = " ".join(lead_words)
    # A comma or other punctuation ends the phrase: "Recalling, in this regard, ..."
    stripped = lead.rstrip(",;:.")
    trailing = lead[len(stripped) :]
    return stripped, (trailing + " " + rest).strip() if trailing else rest


def _complement(verb: str, rest: str) -> str:
    low = rest.lower()
    for phrase in _COMPLEMENTS.get(verb, ()):
        if _starts_with_words(low, phrase):
            return rest[: len(phrase)]
    return _modifier(verb, rest)


# "Decides further that": the adverb belongs to the verb when a clause follows; in "Encourages
# further efforts" it belongs to the noun.
_CLAUSE_STARTS = {
    "the", "that", "to", "its", "their", "all", "a", "an", "in", "on", "upon", "with", "his", "her", "this",
    "these", "those", "each", "every", "any", "both", "at", "for", "of", "by", "and", "",
}  # fmt: skip


def _modifier(verb: str, rest: str) -> str:
    low = rest.lower()
    for phrase in _ADVERBS_AFTER:
        if _starts_with_words(low, phrase):
            following = rest[len(phrase) :].split(" ", 2)
            next_word = following[1] if len(following) > 1 else ""
            if (
                phrase == "further"
                and verb.endswith("s")
                and next_word[:1].islower()
                and next_word not in _CLAUSE_STARTS
            ):
                return ""
            return rest[: len(phrase)]
    match = _WITH_FEELING.match(rest)
    if match and _word_ends(rest, match.end()):
        return rest[: match.end()]
    if verb in _EXPRESSIVE:
        match = _ITS_FEELING.match(rest)
        if match and _word_ends(rest, match.end()):
            return rest[: match.end()]
    return ""


def _starts_with_words(text: str, phrase: str) -> bool:
    return text.startswith(phrase) and _word_ends(text, len(phrase))


def _word_ends(text: str, index: int) -> bool:
    return index == len(text) or not text[index].isalnum()


def _bare(word: str) -> str:
    return word.strip(",;:.")


def _ends_clause(word: str) -> bool:
    return word.endswith((",", ";", ":"))


# --- Document symbols -------------------------------------------------------------

# An explicit UN document symbol: A/76/920, S/2007/279, A/RES/72/7, A/HRC/RES/52/1,
# E/CN.6/2023/L.3, S/RES/2504 (2020), A/71/982-S/2017/600 (a joint symbol: two documents).
_SYMBOL = re.compile(
    r"(?<![\w/])(?:A|S|E|A/HRC|E/CN\.\d+)/(?:[A-Z]{1,6}(?:\.\d+)?/|ES-\d+/|S-\d+/|\d+/)*"
    r"(?:[A-Z]{0,4}\.?\d+(?:/Add\.\d+|/Rev\.\d+|/Corr\.\d+)*)"
    r"(?: \((?:19|20)\d{2}\))?"
)
_BARE_GA = re.compile(r"(?<![\w/.-])((?:ES-|S-)?\d{1,2})/(\d{1,3})(?![\w/])(?: ([A-H])\b)?")
_BARE_SC = re.compile(r"(?<![\w/])(\d{1,4}) \(((?:19|20)\d{2})\)")
_KEYWORD = re.compile(r"\b(resolutions?|decisions?)\b", re.IGNORECASE)
_COUNCIL = re.compile(r"(Security|Human Rights|Economic and Social) Council\s*$", re.IGNORECASE)


def normalise_symbol(symbol: str) -> str:
    """A UN symbol in its canonical spelling: upper-case series, single spaces, no trailing dot."""
    symbol = squash(symbol).rstrip(".,;:")
    symbol = re.sub(r"\s*\(\s*((?:19|20)\d{2})\s*\)", r" (\1)", symbol)
    symbol = symbol.upper()
    return re.sub(r"/(ADD|REV|CORR|AMEND)\.", lambda m: "/" + m.group(1).title() + ".", symbol)


def find_references(text: str, body: str = "GA") -> list[str]:
    """Every document symbol cited in ``text``, normalised, in order of first appearance.

    Explicit symbols are taken as they are. Bare resolution numbers count when the
    nearest keyword before them is "resolution(s)", not "decision(s)": "resolutions 72/7
    and 75/272" are General Assembly resolutions, "resolution 2504 (2020)" a Security
    Council one, "Human Rights Council resolution 52/1" one of that Council.
    """
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for match in _SYMBOL.finditer(text):
        for piece in re.split(r"-(?=[ASE]/)", match.group(0)):
            found.append((match.start(), normalise_symbol(piece)))
        taken.append(match.span())

    def free(span):
        return not any(start <= span[0] < end for start, end in taken)

    for match in _BARE_SC.finditer(text):
        if free(match.span()) and _cited_as(text, match.start()) is not None:
            found.append((match.start(), f"S/RES/{match.group(1)} ({match.group(2)})"))
            taken.append(match.span())
    for match in _BARE_GA.finditer(text):
        if not free(match.span()):
            continue
        council = _cited_as(text, match.start())
        if council is None:
            continue
        session, number, letter = match.groups()
        suffix = f" {letter}" if letter else ""
        if council == "human rights":
            found.append((match.start(), f"A/HRC/RES/{session}/{number}"))
        elif council == "economic and social":
            found.append((match.start(), f"E/RES/{session}/{number}"))
        else:
            found.append((match.start(), f"A/RES/{session}/{number}{suffix}"))
    return list(dict.fromkeys(symbol for _, symbol in sorted(found, key=lambda item: item[0])))


def _cited_as(text: str, start: int) -> str | None:
    """Which body's resolution a bare number at ``start`` is: "", "human rights", ... or None."""
    before = text[max(0, start - 400) : start]
    keywords = list(_KEYWORD.finditer(before))
    if not keywords or keywords[-1].group(1).lower().startswith("decision"):
        return None
    # A sentence end between the keyword and the number breaks the chain.
    if re.search(r"[.;]\s+[A-Z]", before[keywords[-1].end() :]):
        return None
    council = _COUNCIL.search(before[: keywords[-1].start()])
    return council.group(1).lower() if council else ""


# --- Header helpers shared by the text formats ---------------------------------------

BODIES = {
    "general assembly": "GA",
    "security council": "SC",
    "human rights council": "HRC",
    "economic and social council": "ECOSOC",
}
# Series of resolutions numbered "session/number" ("77/273."); the Security Council numbers
# its own "Resolution 2504 (2020)".
SERIES = {"GA": "A/RES", "HRC": "A/HRC/RES", "ECOSOC": "E/RES"}

_UNIT_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEEN_ORDINALS = [
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth",
    "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
]  # fmt: skip
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _ordinal_words() -> dict[str, int]:
    words = {word: number for number, word in enumerate(_UNIT_ORDINALS + _TEEN_ORDINALS, start=1)}
    for tens_number, tens in enumerate(_TENS, start=2):
        words[tens[:-1] + "ieth"] = tens_number * 10  # twenty -> twentieth
        for unit_number, unit in enumerate(_UNIT_ORDINALS, start=1):
            words[f"{tens}-{unit}"] = tens_number * 10 + unit_number
    return words


_ORDINALS = _ordinal_words()


def ordinal_to_number(words: str) -> int | None:
    """The number an English ordinal stands for, from "first" to "ninety-ninth": "Seventy-seventh" -> 77."""
    return _ORDINALS.get(re.sub(r"[\s\-\u2010-\u2013]+", "-", words.strip().lower()))


def agenda_numbers(listing: str) -> list[str]:
    """ "58" -> ["58"]; "13 (a) and (b), 117" -> ["13 (a)", "13 (b)", "117"]."""
    numbers: list[str] = []
    for piece in re.split(r",\s*|\s+and\s+", listing.strip().rstrip(".")):
        match = re.fullmatch(r"(\d+)?\s*(\([a-z]\))?", piece.strip())
        if not match or not any(match.groups()):
            continue
        number = match.group(1) or (numbers[-1].split(" ")[0] if numbers else "")
        if number:
            numbers.append(f"{number} {match.group(2)}" if match.group(2) else number)
    return numbers
