"""Helpers shared by every parser: white space, UN dates, lead phrases and document symbols.

All pure functions on strings.
"""

from __future__ import annotations

import datetime
import re

# Document symbols are found by resolutions.symbols, which the pages use too to link them.
from resolutions.symbols import find_references as find_references
from resolutions.symbols import normalise_symbol as normalise_symbol

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
