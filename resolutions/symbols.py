"""UN document symbols in running text: found (by the importer, for the references it records, and by
the pages, to link them), normalised, and the UN's own link for one. Pure functions on strings."""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import quote

# An explicit UN document symbol: A/76/920, S/2007/279, A/RES/72/7, A/HRC/RES/52/1,
# E/CN.6/2023/L.3, S/RES/2504 (2020), A/71/982-S/2017/600 (a joint symbol: two documents).
_SYMBOL = re.compile(
    r"(?<![\w/])(?:A|S|E|A/HRC|E/CN\.\d+)/(?:[A-Z]{1,6}(?:\.\d+)?/|ES-\d+/|S-\d+/|\d+/)*"
    r"(?:[A-Z]{0,4}\.?\d+(?:/Add\.\d+|/Rev\.\d+|/Corr\.\d+)*)"
    r"(?: \((?:19|20)\d{2}\))?"
)
_JOINT = re.compile(r"-(?=[ASE]/)")
_BARE_GA = re.compile(r"(?<![\w/.-])((?:ES-|S-)?\d{1,2})/(\d{1,3})(?![\w/])(?: ([A-H])\b)?")
_BARE_SC = re.compile(r"(?<![\w/])(\d{1,4}) \(((?:19|20)\d{2})\)")
_KEYWORD = re.compile(r"\b(resolutions?|decisions?)\b", re.IGNORECASE)
_COUNCIL = re.compile(r"(Security|Human Rights|Economic and Social) Council\s*$", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


class Citation(NamedTuple):
    """A symbol as printed at text[start:end], and the document it names, normalised."""

    start: int
    end: int
    symbol: str


def normalise_symbol(symbol: str) -> str:
    """A UN symbol in its canonical spelling: upper-case series, single spaces, no trailing dot."""
    symbol = _SPACE.sub(" ", symbol.replace("\u00a0", " ")).strip().rstrip(".,;:")
    symbol = re.sub(r"\s*\(\s*((?:19|20)\d{2})\s*\)", r" (\1)", symbol)
    symbol = symbol.upper()
    return re.sub(r"/(ADD|REV|CORR|AMEND)\.", lambda m: "/" + m.group(1).title() + ".", symbol)


def un_document_url(symbol: str) -> str:
    """The UN's own page for any document symbol (undocs.org resolves it to the Official Document
    System, in English)."""
    return "https://undocs.org/en/" + quote(symbol, safe="/().-")


def find_references(text: str, body: str = "GA") -> list[str]:
    """Every document symbol cited in ``text``, normalised, in order of first appearance."""
    return list(dict.fromkeys(citation.symbol for citation in find_citations(text, body)))


def find_citations(text: str, body: str = "GA") -> list[Citation]:
    """Every document symbol cited in ``text``, where it is printed, in reading order.

    Explicit symbols are taken as they are. Bare resolution numbers count when the
    nearest keyword before them is "resolution(s)", not "decision(s)": "resolutions 72/7
    and 75/272" are General Assembly resolutions, "resolution 2504 (2020)" a Security
    Council one, "Human Rights Council resolution 52/1" one of that Council.
    """
    found: list[Citation] = []
    taken: list[tuple[int, int]] = []
    for match in _SYMBOL.finditer(text):
        start = match.start()
        for piece in _JOINT.split(match.group(0)):
            found.append(Citation(start, start + len(piece), normalise_symbol(piece)))
            start += len(piece) + 1
        taken.append(match.span())

    def free(span):
        return not any(start <= span[0] < end for start, end in taken)

    for match in _BARE_SC.finditer(text):
        if free(match.span()) and _cited_as(text, match.start()) is not None:
            found.append(Citation(*match.span(), f"S/RES/{match.group(1)} ({match.group(2)})"))
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
            symbol = f"A/HRC/RES/{session}/{number}"
        elif council == "economic and social":
            symbol = f"E/RES/{session}/{number}"
        else:
            symbol = f"A/RES/{session}/{number}{suffix}"
        found.append(Citation(*match.span(), symbol))
    return sorted(found)


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
