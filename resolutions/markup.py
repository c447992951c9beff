"""Text made into HTML for the pages: staff-written Markdown, sanitised, made once when a note is
saved; and the document symbols of any text linked.

A cited symbol becomes a link to the UN's own page for it (``<a class="document-symbol" href=
"https://undocs.org/en/...">``) wherever it is printed: in a paragraph, a footnote or a note's body.
Which of them are held here changes with every import, so the stored HTML never says; a page finds
the symbols it shows (``cited_symbols``), asks for the held ones in one query, and points those
links at the resolution's page here (``link_held``)."""

import re
import xml.etree.ElementTree as etree
from urllib.parse import unquote

import markdown as markdown_lib
import nh3
from django.utils.html import escape
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from resolutions.symbols import find_citations, un_document_url

EXTENSIONS = ["extra", "sane_lists"]
SYMBOL_CLASS = "document-symbol"
# How every symbol link starts, written by symbol_link and by Markdown (attributes in that order),
# and kept so by nh3.
_SYMBOL_LINK = re.compile(r'<a class="document-symbol" href="https://undocs\.org/en/([^"]*)"')


def symbol_link(text: str, symbol: str) -> str:
    """The link for ``symbol`` printed as ``text`` (escaped here)."""
    return f'<a class="{SYMBOL_CLASS}" href="{escape(un_document_url(symbol))}">{escape(text)}</a>'


def link_citations(text: str, inserts=()) -> str:
    """``text`` escaped, with each document symbol a link, and ``inserts`` — (start, end, html)
    spans such as footnote markers, which no symbol overlaps — put in place of what they cover."""
    spans = sorted(
        [
            *((c.start, c.end, symbol_link(text[c.start : c.end], c.symbol)) for c in find_citations(text)),
            *inserts,
        ]
    )
    pieces, at = [], 0
    for start, end, html in spans:
        if start < at:  # overlapping an insert: the insert wins
            continue
        pieces += [escape(text[at:start]), html]
        at = end
    pieces.append(escape(text[at:]))
    return "".join(pieces)


def cited_symbols(html: str) -> set[str]:
    """The symbols linked in HTML made here."""
    return {unquote(quoted) for quoted in _SYMBOL_LINK.findall(html)}


def link_held(html: str, held: dict[str, str]) -> str:
    """``html`` with the links of the symbols in ``held`` ({symbol: page here}) pointing here."""
    if not held:
        return html

    def here(match):
        url = held.get(unquote(match.group(1)))
        return f'<a class="{SYMBOL_CLASS}" href="{escape(url)}"' if url else match.group(0)

    return _SYMBOL_LINK.sub(here, html)


class _SymbolLinks(Treeprocessor):
    """Links the symbols of a Markdown text, outside links and code."""

    SKIP = {"a", "code", "pre"}

    def run(self, root):
        self._visit(root)

    def _visit(self, element):
        if element.tag in self.SKIP:
            return
        for child in list(element):
            self._visit(child)
        for child in list(element):
            if child.tail:
                child.tail, links = self._split(child.tail)
                position = list(element).index(child) + 1
                for offset, link in enumerate(links):
                    element.insert(position + offset, link)
        if element.text:
            element.text, links = self._split(element.text)
            for offset, link in enumerate(links):
                element.insert(offset, link)

    @staticmethod
    def _split(text):
        """The text before the first symbol, and a link element per symbol (the text that follows
        each as its tail)."""
        citations = find_citations(text)
        if not citations:
            return text, []
        links = []
        for index, citation in enumerate(citations):
            link = etree.Element("a")
            link.set("class", SYMBOL_CLASS)
            link.set("href", un_document_url(citation.symbol))
            link.text = text[citation.start : citation.end]
            following = citations[index + 1].start if index + 1 < len(citations) else len(text)
            link.tail = text[citation.end : following]
            links.append(link)
        return text[: citations[0].start], links


class _SymbolLinksExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        # After the inline patterns (20), so that links and code are elements by then.
        md.treeprocessors.register(_SymbolLinks(md), "document_symbols", 15)


def render_markdown(text: str) -> str:
    """HTML with no script, no style and no event handlers; links open safely; document symbols
    linked to the UN's page (see link_held)."""
    html = markdown_lib.markdown(text or "", extensions=[*EXTENSIONS, _SymbolLinksExtension()])
    return nh3.clean(html, link_rel="noopener noreferrer nofollow", allowed_classes={"a": {SYMBOL_CLASS}})
