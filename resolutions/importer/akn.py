"""Parse a resolution published as Akoma Ntoso XML in the UN's AKN4UN profile.

The UN's machine-readable resolutions (General Assembly and Security Council) carry the
structure the other formats have to guess: preambular paragraphs are
``preamble/container`` elements, operative ones ``mainBody/paragraph`` with a ``num``,
the italicised lead phrase is a ``span class="italic"``, footnotes are ``authorialNote``
elements where they are cited, and ``meta`` holds the adoption date, draft, sponsors,
vote and subject keywords.

The published files are not uniform, so the walker accepts every shape the corpus uses:
sub-paragraphs as ``list/point`` (nested with ``sublist``), as sibling paragraphs
numbered "(a)", or as unnumbered paragraphs whose text starts with "(a)"; headings as
``subheading``/``heading`` elements or as short heading-styled paragraphs; sections and
parts; annexes as ``attachments`` or under an "Annex" heading; texts adopted in the body
("Adopts the following declaration:"), kept as annexes; and a ``documentCollection``
holding parts A, B, ... of one resolution (see ``parse_all``).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from io import BytesIO
from urllib.parse import unquote, urlsplit

from django.utils.translation import gettext, gettext_lazy
from lxml import etree

from resolutions.importer import text as un_text
from resolutions.importer.parsed import (
    AgendaItem,
    Annex,
    Footnote,
    NotAResolution,
    Paragraph,
    ParsedResolution,
    ParseError,
    Subparagraph,
    Vote,
)

FORMAT = "akn"
# The tracker's own export (resolutions.akn_export) marks itself in <meta><proprietary> with this
# element; read back, it is held as that format, which never replaces a source (importer.loader).
EXPORT_FORMAT = "akn-export"
EXPORT_NAMESPACE = "urn:resolution-tracker:akn-export"
EXPORT_MARK = "trackerExport"

_SAFE = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}
_LANGUAGES = {
    "eng": "en", "fra": "fr", "fre": "fr", "spa": "es", "rus": "ru", "zho": "zh", "chi": "zh", "ara": "ar",
}  # fmt: skip
_AUTHORS = {"ga": "GA", "sc": "SC", "hrc": "HRC", "ecosoc": "ECOSOC"}
_BODY_NAMES = {"general assembly": "GA", "security council": "SC", "human rights council": "HRC"}
_SYMBOL_BODIES = (("A/HRC/", "HRC"), ("E/", "ECOSOC"), ("S/", "SC"), ("A/", "GA"))

# Paragraph styles the UN's converter gives to headings.
_HEADING_STYLES = {"H1", "H23", "H4", "HCh", "BLUEHeadingH2"}
# Elements that group paragraphs without being paragraphs.
_GROUPS = {"section", "part", "title", "chapter", "subsection", "division", "hcontainer", "tblock"}
# Elements that begin a new line when flattened to text.
_BLOCKS = {
    "p", "point", "content", "intro", "list", "sublist", "item", "mod", "quotedStructure", "wrapUp", "num",
}  # fmt: skip
_BULLETS = {"•", "–", "-", "—", "*", "·"}

# How paragraphs are numbered, in a <num>: "1.", "1 -" (Arabic), "1.1"; "(a)", "a.", "v)", "(aa)", "(1)";
# and sections: "I.", "A".
_NUM_NUMBER = re.compile(r"(\d{1,3}(?:\.\d{1,2})?)\s*[.\-–]?")
_NUM_LABEL = re.compile(r"\(?([a-z]{1,3}|[ivxl]{4,6}|\d{1,2})[).]?")  # (viii) and (xiii) too
_NUM_SECTION = re.compile(r"([A-Z]|[IVXLC]{1,6})\.?")
# ... and in the text, where the converter left no <num>: "1 - تعلن", "6.\u200e Reaffirms", "(a)\tTo cooperate";
# "3 Calls upon" or "232 .Recognizes" only where that number is the one expected next.
_TEXT_NUMBER = re.compile(r"(\d{1,3})(?:\.|\s*[-–])[\u200e\u200f]*\s+(?=\S)")
_TEXT_LABEL = re.compile(r"\(([a-z]{1,3}|[ivxl]{4,6}|\d{1,2})\)\s*(?=\S)")
_BARE_NUMBER = re.compile(r"(\d{1,3})\s*\.?\s*(?=[^\d\s.])")
# Any of those written before the italics: "1 -\t<span>تعلن</span>".
_PREFIX_LABEL = re.compile(r"(\d{1,3})(?:\s*[.\-–])?|\(([a-z]{1,3}|[ivxl]{4,6}|\d{1,2})\)")
_ANNEX_TITLE = re.compile(
    r"(Annex|Annexe|Anexo|Appendix|Приложение|附件|المرفق)(?:\s+([IVXLC]{1,5}|[A-Z]|\d{1,2}))?\b\.?"
    r"(?:\s*[–—-]\s*(.+))?",
    re.IGNORECASE,
)
_PRINTED_MARKER = re.compile(r"(\*{1,3}|[a-z]|\d{1,2})\s+(?=\S)")
_MEETING = re.compile(r"\d+(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?(?:plenary\s+)?meeting")
_VOTE_FIGURES = re.compile(r"(\d+)-(\d+)-(\d+)")
_TRAILING_MARKER = re.compile(r"\s*\[\^[^\]]+\]\s*$")
_PART_LETTERS = re.compile(r"\s+[A-Z](?:\s*-\s*[A-Z])?$")
_RES_SYMBOL = re.compile(r"/RES/(?:(ES-\d+|S-\d+|\d+)/)?(\d+)(?: ([A-Z](?:-[A-Z])?))?(?: \((\d{4})\))?$")
# A section's label opening its heading: "II", "B", "IV. Budget", "A. Pension Administration".
_SECTION_HEADING = re.compile(r"([IVXLC]{1,6}|[A-Z])(?:\.\s+\S|\.?$)")
# English lead phrases of preambular paragraphs that are not participles ("Recalling", "Having considered").
_PREAMBULAR_WORDS = {
    "mindful", "aware", "conscious", "concerned", "convinced", "alarmed", "determined", "desirous",
    "guided", "cognizant", "encouraged", "gratified", "disturbed", "appalled", "outraged", "committed",
}  # fmt: skip
_ROMANS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv"]

# Member State names with "and" in them, so that "Antigua and Barbuda and Belize" splits right.
_NAMES_WITH_AND = {
    "antigua and barbuda",
    "bosnia and herzegovina",
    "saint kitts and nevis",
    "saint vincent and the grenadines",
    "sao tome and principe",
    "trinidad and tobago",
    "united kingdom of great britain and northern ireland",
}


# A document type declaration can define entities that read local files or the network (XXE) or
# expand without bound; no UN file carries one, so the importer refuses any.
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)\b", re.IGNORECASE)
DOCTYPE_REFUSED = gettext_lazy(
    "refused: the XML carries a document type declaration (<!DOCTYPE> or <!ENTITY>), which can make a "
    "parser read local files or the network; the UN's Akoma Ntoso files have none, so remove it"
)


def declares_doctype(text: str | bytes) -> bool:
    """Whether an XML text carries a DOCTYPE or an entity declaration."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and bool(_DOCTYPE.search(data))


def looks_like(text: str | bytes) -> bool:
    """Whether ``text`` is an XML document whose root is an Akoma Ntoso ``akomaNtoso`` element."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return False
    if declares_doctype(data):
        return True  # so that parsing refuses it, saying why
    try:
        for _, element in etree.iterparse(BytesIO(data), events=("start",), **_SAFE):
            return _local(element) == "akomaNtoso"
    except etree.XMLSyntaxError:
        return False
    return False


def parse(text: str | bytes) -> ParsedResolution:
    """The resolution in an AKN document. A document holding parts A, B, ... needs ``parse_all``."""
    resolutions = parse_all(text)
    if len(resolutions) > 1:
        symbols = ", ".join(resolution.symbol for resolution in resolutions)
        raise ParseError(f"the document holds {len(resolutions)} resolutions ({symbols}); use parse_all()")
    return resolutions[0]


def parse_all(text: str | bytes) -> list[ParsedResolution]:
    """Every resolution in an AKN document: the one, or each part of a ``documentCollection``."""
    root = _read_xml(text)
    source_text = text if isinstance(text, str) else text.decode("utf-8", errors="replace")
    document = next(iter(root), None)
    if document is None:
        raise ParseError(gettext("the akomaNtoso element is empty"))
    if document.tag != "documentCollection":
        return [_Resolution([document], source_text).build()]
    parts = []
    for component in root.iter("component"):
        statement = next((child for child in component if child.tag in ("statement", "doc")), None)
        if statement is not None:
            parts.append(_Resolution([statement, document], source_text, part=True).build())
    if not parts:
        raise ParseError(gettext("the documentCollection holds no resolutions"))
    return parts


# --- Reading the XML ---------------------------------------------------------------


def _read_xml(text: str | bytes) -> etree._Element:
    if isinstance(text, str):
        data = text.encode("utf-8")
    elif isinstance(text, bytes):
        data = text
    else:
        raise ParseError(f"expected XML text, got {type(text).__name__}")
    if not data.strip():
        raise ParseError(gettext("empty input: no XML"))
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise ParseError(gettext("not XML: the text does not start with '<'"))
    if declares_doctype(data):
        raise ParseError(DOCTYPE_REFUSED)
    parser = etree.XMLParser(remove_comments=True, remove_pis=True, **_SAFE)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise ParseError(gettext("malformed XML: %(error)s") % {"error": error}) from None
    if root.getroottree().docinfo.doctype:  # a declaration the pattern above did not see
        raise ParseError(DOCTYPE_REFUSED)
    if _local(root) != "akomaNtoso":
        raise ParseError(
            gettext("not Akoma Ntoso: the root element is <%(element)s>, not <akomaNtoso>")
            % {"element": _local(root)}
        )
    # Local names only: the AKN namespace changed between versions and AKN4UN mixes in its own.
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = _local(element)
    return root


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _plain(element) -> str:
    """The squashed text of an element, without its footnotes."""
    if element is None:
        return ""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag != "authorialNote":  # not an unresolved &entity;
            parts.append(f" {_plain(child)} " if child.tag in _BLOCKS else _plain(child))
        parts.append(child.tail or "")
    return un_text.squash("".join(parts))


def _guess_lead_phrase(text: str) -> tuple[str, str]:
    """The English rules, for paragraphs the converter left without italics."""
    return un_text.split_lead_phrase(text)


# --- One resolution ----------------------------------------------------------------


@dataclass
class _Cited:
    """What flattening some text met: links and footnotes, whose symbols are cited after the text's."""

    hrefs: list[str] = field(default_factory=list)
    notes: list[_Note] = field(default_factory=list)


@dataclass
class _Note:
    text: str
    cited: _Cited


@dataclass
class _Text:
    """A paragraph's text split after its lead phrase; ``label`` is a "1 -" or "(a)" written before it."""

    lead: str
    text: str
    cited: _Cited
    label: str = ""


class _Resolution:
    """Reads one resolution. ``scopes`` is its statement, then the collection it is a part of."""

    def __init__(self, scopes: list, source_text: str, part: bool = False):
        self.scopes = scopes
        self.statement = scopes[0]
        self.collection = scopes[-1]  # where the cover page is
        self.part = part
        self.source_text = source_text
        self.footnotes: list[Footnote] = []
        self.references: dict[str, None] = {}
        self.language = "en"
        self.body = "GA"

    def build(self) -> ParsedResolution:
        symbol = self._symbol()
        if "/RES/" not in symbol:
            raise NotAResolution(
                gettext("%(symbol)s is not a resolution: its symbol has no /RES/") % {"symbol": symbol}
            )
        self.body = self._body(symbol)
        self.language = self._language()
        session, number = _session_and_number(symbol)
        resolution = ParsedResolution(
            symbol=symbol,
            body=self.body,
            title=self._title(),
            language=self.language,
            session=session,
            number=number,
            adopted_on=self._adopted_on(),
            distributed_on=self._distributed_on(),
            agenda_items=self._agenda_items(),
            sponsors=self._sponsors(),
            vote=self._vote(),
            meeting=self._meeting(),
            sdg_goals=self._keywords({"SDGO"}, attribute="value"),
            unbis_terms=self._keywords({"UNBIS", "UNBIS Thesaurus"}),
            eurovoc_terms=self._keywords({"EuroVoc"}),
            source_format=EXPORT_FORMAT if self._is_tracker_export() else FORMAT,
            source_text=self.source_text,
        )
        resolution.draft_symbol, resolution.committee_report = self._origin()
        body = _Body(self, resolution)
        # In order: a converter may split the preamble around a mainBody, and sections have their own.
        for child in self.statement:
            if child.tag == "preamble":
                self._read_preamble(child, body)
            elif child.tag == "mainBody":
                body.walk(child)
        body.end_section()
        for attachment in self.statement.iter("attachment"):
            for document in attachment:
                body.walk_attachment(document)
        if not resolution.operative:
            if resolution.annexes:
                problem = gettext("%(symbol)s has no operative part: only an annex")
            else:
                problem = gettext("%(symbol)s has no operative part: no paragraphs in mainBody")
            raise ParseError(problem % {"symbol": symbol})
        resolution.footnotes = self.footnotes
        resolution.references = list(self.references)
        return resolution

    # -- metadata

    def _is_tracker_export(self) -> bool:
        return any(scope.find(f"meta/proprietary/{EXPORT_MARK}") is not None for scope in self.scopes)

    def _meta(self, path: str) -> list:
        """Elements at ``path`` in the resolution's own meta, else in its collection's."""
        for scope in self.scopes:
            found = scope.findall(f"meta/{path}")
            if found:
                return found
        return []

    def _symbol(self) -> str:
        numbers = self.collection.findall("coverPage//docNumber")
        number = next((n for n in numbers if n.get("refersTo") == "#symbol"), numbers[0] if numbers else None)
        symbol = un_text.normalise_symbol(_plain(number))
        if not symbol:
            raise ParseError(gettext("no document symbol: the coverPage has no docNumber"))
        if self.part:
            letter = _plain(self.statement.find("preface//docNumber")).strip(". ")
            if not re.fullmatch(r"[A-Z]", letter):
                raise ParseError(
                    gettext("a part of %(symbol)s has no letter in its preface docNumber")
                    % {"symbol": symbol}
                )
            symbol = f"{_PART_LETTERS.sub('', symbol)} {letter}"
        return symbol

    def _body(self, symbol: str) -> str:
        # The symbol first: the Security Council's S/PRST/2020/11 names "ga" as its FRBRauthor.
        for prefix, body in _SYMBOL_BODIES:
            if symbol.startswith(prefix):
                return body
        for author in self._meta("identification/FRBRWork/FRBRauthor"):
            key = (author.get("href") or "").lstrip("#").lower()
            if key in _AUTHORS:
                return _AUTHORS[key]
        for authority in self.collection.iter("docAuthority"):
            if _plain(authority).lower() in _BODY_NAMES:
                return _BODY_NAMES[_plain(authority).lower()]
        return "GA"

    def _language(self) -> str:
        element = next(iter(self._meta("identification/FRBRExpression/FRBRlanguage")), None)
        code = (element.get("language") if element is not None else "") or "eng"
        if code in _LANGUAGES:
            return _LANGUAGES[code]
        if len(code) == 2:
            return code.lower()
        import pycountry  # only for languages beyond the UN's six

        language = pycountry.languages.get(alpha_3=code) or pycountry.languages.get(bibliographic=code)
        return getattr(language, "alpha_2", "") or code

    def _title(self) -> str:
        for scope in self.scopes:
            for note in scope.findall("preface//authorialNote"):
                self.cite("", _Cited(notes=[self.read_note(note)]))
            title = _plain(scope.find("preface//docTitle")).lstrip("-–— ")  # Arabic: "75/272. - دور ..."
            if title:
                return title
        keyword = next((k for k in self.collection.iter("keyword") if k.get("refersTo") == "title"), None)
        if keyword is not None:  # the Security Council's "Security Council resolution 2504 (2020) [on ...]"
            return un_text.squash(keyword.get("showAs") or keyword.get("value") or "")
        return _plain(self.collection.find("coverPage//docTitle"))

    def _adopted_on(self) -> datetime.date | None:
        for scope in self.scopes:
            for date in scope.findall("meta/identification/FRBRWork/FRBRdate"):
                if date.get("name") == "adoption" and _iso_date(date.get("date")):
                    return _iso_date(date.get("date"))
            for date in scope.iter("docDate"):
                if date.get("refersTo") == "#adoptionDate" and _iso_date(date.get("date")):
                    return _iso_date(date.get("date"))
        return None

    def _distributed_on(self) -> datetime.date | None:
        for date in self.collection.findall("coverPage//docDate"):
            if date.get("refersTo") != "#adoptionDate" and _iso_date(date.get("date")):
                return _iso_date(date.get("date"))
        for date in self._meta("identification/FRBRExpression/FRBRdate"):
            if date.get("name") == "publication" and _iso_date(date.get("date")):
                return _iso_date(date.get("date"))
        return None

    def _agenda_items(self) -> list[AgendaItem]:
        inlines = list(self.collection.findall("coverPage//inline"))
        written = [_plain(i) for i in inlines if i.get("name") == "agenda item"]
        names = [_plain(i).rstrip(".") for i in inlines if i.get("name") == "agenda item name"]
        # "Agenda item 69 (a)", "Agenda items 13 and 117", "Point 58 de l'ordre du jour"
        numbers = [number for item in written for number in re.findall(r"\d+(?:\s*\([a-z]\))?", item)]
        if numbers:
            titles = names if len(names) == len(numbers) else names[:1] + [""] * (len(numbers) - 1)
            return [
                AgendaItem(number=number, title=title) for number, title in zip(numbers, titles, strict=False)
            ]
        items: dict[tuple[str, str], AgendaItem] = {}
        for keyword in self.collection.iter("keyword"):
            if keyword.get("refersTo") != "agenda":
                continue
            value = keyword.get("value") or ""
            title = un_text.squash(keyword.get("showAs") or "").rstrip(".")
            match = re.fullmatch(r"(\d+)([a-z]?)", value)
            if match:
                number = match.group(1) + (f" ({match.group(2)})" if match.group(2) else "")
                items.setdefault((number, title), AgendaItem(number=number, title=title))
            elif title and not value.startswith("["):  # the Security Council's "The situation in ..."
                items.setdefault(("", title), AgendaItem(number="", title=title))
        return list(items.values())

    def _steps(self, outcome: str) -> list:
        return [step for step in self._meta("workflow/step") if step.get("outcome") == outcome]

    def _origin(self) -> tuple[str, str]:
        """The draft resolution's symbol, and the Main Committee report it was adopted on."""
        draft = next(
            (found[0] for step in self._steps("draftResolution") if (found := self.symbols(step.get("as")))),
            "",
        )
        proponent = self.collection.find("coverPage//docProponent")
        if proponent is None:
            return draft, ""
        originating = next(
            (_plain(i) for i in proponent.iter("inline") if i.get("name") == "originating document"), ""
        )
        symbols = self.symbols(originating)
        if (proponent.get("refersTo") or "#noMainCommittee") == "#noMainCommittee":
            if not draft and symbols and "/L." in symbols[0]:
                draft = symbols[0]
            return draft, ""
        report = symbols[0] if symbols else ""
        if not report:
            report = next((s.get("as") for s in self._steps("recommendedForAdoption") if s.get("as")), "")
        return draft, un_text.normalise_symbol(report)

    def symbols(self, text: str | None) -> list[str]:
        return un_text.find_references(text or "", self.body)

    def _sponsors(self) -> list[str]:
        sponsors = []
        for outcome in ("draftResolution", "draftResolutionAdditionalSponsors"):
            for step in self._steps(outcome):
                sponsors += _split_sponsors(step.get("by") or "")
        return list(dict.fromkeys(sponsors))

    def _vote(self) -> Vote:
        for scope in self.scopes:
            voting = scope.find("meta/analysis/parliamentary/voting")
            if voting is not None:
                vote = _read_vote(voting, self.body, self._adoption_note(scope))
                if vote.method:
                    return vote
        return Vote()

    def _adoption_note(self, scope) -> str:
        """The Security Council's "Adopted 11-0-4, 8700th meeting" on the adoption step."""
        step = next((s for s in scope.findall("meta/workflow/step") if s.get("outcome") == "adopted"), None)
        return (step.get("by") or "") if step is not None else ""

    def _meeting(self) -> str:
        for scope in self.scopes:
            for element in scope.iter("inline", "location"):
                names = (element.get("name") or "") + (element.get("refersTo") or "")
                if "adoptionMeeting" in names and _plain(element):
                    return _plain(element)
        for scope in self.scopes:
            match = _MEETING.search(self._adoption_note(scope))
            if match:
                return match.group(0)
        return ""

    def _keywords(self, dictionaries: set[str], attribute: str = "showAs") -> list[str]:
        terms: dict[str, str] = {}
        for keyword in self._meta("classification/keyword"):
            if keyword.get("dictionary") in dictionaries:
                term = un_text.squash(
                    (keyword.get(attribute) or keyword.get("value") or "").replace("_", " ")
                )
                if term:
                    terms.setdefault(term.lower(), term)
        return list(terms.values())

    # -- text, footnotes and references

    def flatten(self, element, cited: _Cited) -> str:
        """The text of ``element``, each footnote replaced by its ``[^marker]``."""
        parts = [element.text or ""]
        for child in element:
            parts.append(self.render(child, cited))
            parts.append(child.tail or "")
        return "".join(parts)

    def render(self, element, cited: _Cited) -> str:
        tag = element.tag
        if not isinstance(tag, str):
            return ""  # an entity left unresolved
        if tag == "authorialNote":
            cited.notes.append(self.read_note(element))
            return f"[^{self.footnotes[-1].marker}]"
        if tag == "sup" and (element.text or "").strip() in ("(", ")"):
            return ""  # the Arabic text writes a footnote marker as (1), the brackets apart
        if tag in ("eol", "br"):
            return " "
        if tag in ("img", "decoration", "table"):
            return ""
        if tag == "a" and element.get("href"):
            cited.hrefs.append(element.get("href"))
        text = self.flatten(element, cited)
        return f" {text} " if tag in _BLOCKS else text

    def read_note(self, note) -> _Note:
        cited = _Cited()
        text = un_text.squash(self.flatten(note, cited))
        text = re.sub(r"^\(\s*\)\s*", "", text)  # the Arabic notes start with an empty "()"
        self._add_footnote(note.get("marker") or str(len(self.footnotes) + 1), text)
        return _Note(text=text, cited=cited)

    def printed_note(self, paragraph) -> None:
        """A note the converter left as a paragraph ("FootnoteText"): "* Dependency allowances ...", or
        under a table "a See A/75/383."; kept as a footnote, its marker the one printed before it."""
        cited = _Cited()
        text = un_text.squash(self.flatten(paragraph, cited))
        printed = _PRINTED_MARKER.match(text)
        marker = printed.group(1) if printed else "*"
        text = text[printed.end() :] if printed else text
        if text:
            self._add_footnote(marker, text)
            self.cite(text, cited)

    def _add_footnote(self, marker: str, text: str) -> None:
        # A marker printed again on a later page ("*" each time) must still name one footnote.
        used = {footnote.marker for footnote in self.footnotes}
        while marker in used:
            marker += marker[-1] if not marker[-1].isdigit() else "'"
        self.footnotes.append(Footnote(marker=marker, text=text))

    def inline_text(self, elements) -> str:
        """The text of headings and the like, footnote markers kept, references cited."""
        cited = _Cited()
        text = un_text.squash(" ".join(self.flatten(element, cited) for element in elements))
        self.cite(text, cited)
        return text

    def cite(self, text: str, cited: _Cited) -> None:
        """Record the symbols cited in a text, then its links', then its footnotes'."""
        symbols = self.symbols(text) + [symbol for href in cited.hrefs for symbol in _href_symbols(href)]
        for symbol in symbols:
            self.references.setdefault(symbol, None)
        for note in cited.notes:
            self.cite(note.text, note.cited)

    def paragraph_text(self, blocks: list, styled_lead: bool = True) -> _Text:
        """Lead phrase and text of a run of ``p`` elements: the lead is the leading italics."""
        result = _Text(lead="", text="", cited=_Cited())
        rest = []
        for index, block in enumerate(blocks):
            if index == 0 and styled_lead:
                result.label, result.lead, first = self._split_styled(block, result.cited)
                rest.append(first)
            else:
                rest.append(self.flatten(block, result.cited))
        result.text = un_text.squash(" ".join(rest))
        return result

    def _split_styled(self, p, cited: _Cited) -> tuple[str, str, str]:
        runs = [(p.text or "", False)]
        for child in p:
            runs.append((self.render(child, cited), child.tag == "span" and self.is_lead_style(child)))
            runs.append((child.tail or "", False))
        whole = "".join(text for text, _ in runs)
        first = next((i for i, (_, styled) in enumerate(runs) if styled), None)
        if first is None:
            return "", "", whole
        end = first + 1
        # "<i>Calls</i> <i>upon</i>": italics apart only by white space are one lead phrase.
        while end < len(runs) and (runs[end][1] or (not runs[end][0].strip() and _styled_at(runs, end + 1))):
            end += 1
        raw_prefix = "".join(text for text, _ in runs[:first])
        prefix = un_text.squash(raw_prefix.replace("\u200e", "").replace("\u200f", ""))
        lead = "".join(text for text, _ in runs[first:end])
        rest = "".join(text for text, _ in runs[end:])
        if "[^" in lead:  # a footnote cited inside the italics stays in the text
            lead, _, note = lead.partition("[^")
            rest = f"[^{note}{rest}"
        word_goes_on = re.match(r"[^\W\d_]+", rest) if self.language != "zh" else None
        if word_goes_on and lead[-1:].isalpha():  # "<i>Encourage</i>s": the italics stopped a letter early
            lead, rest = lead + word_goes_on.group(0), rest[word_goes_on.end() :]
        if lead.rstrip()[-1:] in (",", ";", ":"):  # "<i>Notes,</i>": the comma belongs to the text
            lead, rest = lead.rstrip()[:-1], lead.rstrip()[-1] + rest
        if not re.sub(r"\[\^[^\]]*\]|\W", "", rest):
            return "", "", whole  # wholly in italics: a title ("Quick impact projects"), not a lead phrase
        if not prefix:
            return "", un_text.squash(lead), rest
        label = _PREFIX_LABEL.fullmatch(prefix)
        if label:
            return label.group(1) or label.group(2), un_text.squash(lead), rest
        if len(prefix) <= 12 and prefix[-1] in ",，、;；:：":
            return "", un_text.squash(prefix + lead), rest  # "在这方面，回顾": the words before the italics
        if " " not in prefix and len(prefix) <= 3 and raw_prefix[-1:].isalpha() and lead[:1].isalpha():
            return "", un_text.squash(prefix + lead), rest  # "S<i>oulignant</i>": italics begun a letter late
        return "", "", whole

    def is_lead_style(self, span) -> bool:
        classes = (span.get("class") or "").split()
        return "italic" in classes or (self.language == "zh" and "bold" in classes)

    def fallback_lead(self, text: str, name: str | None = None) -> tuple[str, str]:
        """Without italics: the container's name if the text starts with it, else the English rules."""
        name = un_text.squash(name or "")
        if name and text.startswith(name) and not text[len(name) : len(name) + 1].isalnum():
            return name, text[len(name) :].lstrip()
        if self.language == "en" and text:
            return _guess_lead_phrase(text)
        return "", text

    # -- preamble

    def _read_preamble(self, preamble, body: _Body) -> None:
        resolution = body.resolution
        for child in preamble:
            if child.tag == "formula":
                resolution.enacting_formula = resolution.enacting_formula or _plain(child)
            elif child.tag == "container":
                paragraph = self._preambular(child)
                if paragraph is not None:
                    body.add_preambular(paragraph)
            elif child.tag == "blockList" and resolution.preambular:
                resolution.preambular[-1].subparagraphs += self._block_list(child)
            elif child.tag == "p" and child.find("decoration") is None and _plain(child):
                body.add_preambular(self._preambular_paragraph([child], eid=""))

    def _preambular(self, container) -> Paragraph | None:
        eid = container.get("eId") or ""
        block_list = container.find("blockList")
        if block_list is not None:
            introduction = block_list.findall("listIntroduction")
            paragraph = self._preambular_paragraph(introduction, eid, container.get("name"))
            paragraph.subparagraphs = self._block_list(block_list)
            return paragraph
        blocks = [p for p in container.findall("p") if p.find("decoration") is None]
        if not blocks or not any(_plain(p) for p in blocks):
            return None
        return self._preambular_paragraph(blocks, eid, container.get("name"))

    def _preambular_paragraph(self, blocks: list, eid: str, name: str | None = None) -> Paragraph:
        found = self.paragraph_text(blocks) if blocks else _Text("", "", _Cited())
        lead, text = (found.lead, found.text) if found.lead else self.fallback_lead(found.text, name)
        self.cite(text, found.cited)
        return Paragraph(lead_phrase=lead, text=text, eid=eid)

    def _block_list(self, block_list) -> list[Subparagraph]:
        subparagraphs = []
        for item in block_list.findall("item"):
            found = self.paragraph_text(item.findall("p"))
            self.cite(found.text, found.cited)
            label = _label(_plain(item.find("num")))
            if not label and subparagraphs and found.text[:1].islower():
                # "and in the commitments ...": words after the list, reading on from its last item.
                last = _last_leaf(subparagraphs[-1])
                last.text = f"{last.text} {found.text}".strip()
                continue
            subparagraphs.append(
                Subparagraph(label=label, text=found.text, lead_phrase=found.lead, eid=item.get("eId") or "")
            )
        return subparagraphs


def _styled_at(runs, index) -> bool:
    return index < len(runs) and runs[index][1]


# --- The operative part and annexes --------------------------------------------------


class _Body:
    """Walks ``mainBody`` and attachments in order, filling the operative part and the annexes.

    ``target`` is the list new paragraphs go to: the operative part, then an annex's
    paragraphs; None inside an attachment whose annex is not opened yet.
    """

    def __init__(self, reader: _Resolution, resolution: ParsedResolution):
        self.reader = reader
        self.resolution = resolution
        self.target: list[Paragraph] | None = resolution.operative
        self.annex: Annex | None = None
        self.attachment_title = "Annex"
        self.headings: list[str] = []
        # Sections of the operative part ("I", "II", or "A", "B" under "I"), each with its own numbering
        # and often its own preamble: unnumbered paragraphs before its paragraph 1.
        self.section_path: list[str] = []
        self.section_start = 0  # where the section's paragraphs begin in the operative part
        self.section_numbered = False  # whether a numbered paragraph was met in it

    @property
    def section(self) -> str:
        return ".".join(self.section_path)

    def walk(self, container) -> None:
        for child in container:
            tag = child.tag
            if tag == "paragraph":
                self.paragraph(child)
            elif tag == "preamble":  # a section's own preamble
                self.reader._read_preamble(child, self)
            elif tag in _GROUPS:
                self.walk(child)
            elif tag in ("num", "heading", "subheading"):
                self.heading(self.reader.inline_text([child]))
            elif tag == "crossHeading" and child.get("refersTo") == "#preamble":
                # A section's own preambular paragraph, marked so: "Recalling its resolution 44/198, ...".
                self.add_preambular(self.reader._preambular_paragraph([child], eid=child.get("eId") or ""))
            elif tag == "crossHeading":
                self.unnumbered([child], eid=child.get("eId") or "")
            elif tag == "container" and child.find(".//table") is not None:
                self.table(child)
            elif tag in ("p", "alinea", "container"):
                blocks = [child] if tag == "p" else child.findall("p") or child.findall("content/p")
                blocks = [block for block in blocks if block.find("decoration") is None]
                if blocks:
                    self.unnumbered(blocks, eid=child.get("eId") or "")

    def table(self, container) -> None:
        """A table, as text: a line per row, its cells apart by " | ". It belongs to the paragraph
        that introduces it ("... are approved as follows:"), or stands as a paragraph of its own
        where none comes before it in this part (under a heading, at the top of an annex)."""
        lines = []
        for element in container.iter("p", "tr"):
            if element.tag == "tr":
                cells = [self.reader.inline_text([cell]) for cell in element if cell.tag in ("td", "th")]
                lines.append(" | ".join(cell for cell in cells if cell))
            elif next(element.iterancestors("table"), None) is None:  # a caption beside the table
                lines.append(self.reader.inline_text([element]))
        text = "\n".join(line for line in lines if line)
        if not text:
            return
        if self.target is None:
            self.start_annex(self.attachment_title, named=True)
        if self.target and not self.headings:
            last = self.target[-1]
            leaf = _last_leaf(last.subparagraphs[-1]) if last.subparagraphs else last
            leaf.text = f"{leaf.text}\n{text}".strip()
        else:
            self.add(Paragraph(lead_phrase="", text=text, eid=container.get("eId") or ""), number="")

    def walk_attachment(self, document) -> None:
        self.end_section()
        self.target, self.annex, self.headings = None, None, []
        self.attachment_title = (document.get("name") or "annex").capitalize()
        for main_body in document.iter("mainBody"):
            self.walk(main_body)

    def paragraph(self, element) -> None:
        if element.get("class") == "FootnoteText":
            self.reader.printed_note(element)
            return
        num = _plain(element.find("num"))
        eid = element.get("eId") or ""
        headings = [child for child in element if child.tag in ("heading", "subheading")]
        parts = [
            child for child in element if child.tag in ("content", "list", "alinea", "p", "point", "intro")
        ]
        # <content><p><subheading>Annex</subheading></p></content> is a heading too.
        headings += [
            p for part in parts if part.tag == "content" for p in part.findall("p") if _only_subheading(p)
        ]
        parts = [
            part for part in parts if _plain(part) and not (part.tag == "content" and _all_subheadings(part))
        ]
        heading_texts = [self.reader.inline_text([heading]) for heading in headings]
        if not parts:
            if _NUM_SECTION.fullmatch(num) and heading_texts and not heading_texts[0].startswith(num):
                heading_texts[0] = f"{num.rstrip('.')}. {heading_texts[0]}"
            elif num and heading_texts and not heading_texts[0].startswith(num):
                heading_texts[0] = f"{num} {heading_texts[0]}"  # "(i) Exemptions, advance approvals ..."
            elif num and not heading_texts:
                heading_texts = [num]
            if element.find("heading") is not None and self._adopts_text(element):
                self.start_annex(" ".join(heading_texts), adopted=True)
                return
            for text in heading_texts:
                self.heading(text)
            return
        for text in heading_texts:
            self.heading(text)
        misprint = ""
        if num == "l." and self.target is self.resolution.operative and not self.target:
            num, misprint = "1.", "l"  # a first paragraph numbered with the letter l: a misprint of 1
        number = _NUM_NUMBER.fullmatch(num)
        if number and num[:1].isdigit():
            paragraph = self.build(parts, eid)
            paragraph.number_as_printed = misprint  # so the coverage check finds the source's word
            self.add(paragraph, number=number.group(1))
        elif num in _BULLETS or _NUM_LABEL.fullmatch(num):
            self.add_sub(self.build_sub(parts, _label(num), eid))
        elif _NUM_SECTION.fullmatch(num):
            if element.get("class") in _HEADING_STYLES or _looks_like_heading(_plain_parts(parts)):
                self.heading(
                    f"{num.rstrip('.')}. {self.reader.inline_text(parts)}"
                )  # "A. Pension Administration"
            else:
                self.add(self.build(parts, eid), number=num.rstrip("."))
        elif all(part.tag in ("content", "alinea", "p") for part in parts):
            blocks = [block for part in parts for block in ([part] if part.tag == "p" else part.findall("p"))]
            self.unnumbered(blocks or parts, eid=eid, style=element.get("class") or "")
        else:
            self.add(self.build(parts, eid), number="")

    def unnumbered(self, blocks: list, eid: str, style: str = "") -> None:
        """A paragraph without ``num``: one numbered or lettered in its text, a heading, a
        paragraph of its own, or the continuation of the paragraph before."""
        plain = un_text.squash(" ".join(_plain(block) for block in blocks))
        if not plain or set(plain) <= {"*", " "}:
            return
        number, label = _TEXT_NUMBER.match(plain) or self._next_number(plain), _TEXT_LABEL.match(plain)
        styled = any(self.reader.is_lead_style(span) for span in blocks[0] if span.tag == "span")
        if not number and not label:
            if _ANNEX_TITLE.fullmatch(plain) and len(plain) <= 120:
                self.start_annex(self.reader.inline_text(blocks))
                return
            if len(blocks) > 1 and self._split_annex_title(blocks):
                return
            if len(plain) <= 300 and _wholly_bold(blocks) and plain[-1] not in ".;:,":
                self.heading(self.reader.inline_text(blocks))  # a long section title, printed in bold
                return
            if not styled and (style in _HEADING_STYLES and len(plain) <= 300 or _looks_like_heading(plain)):
                self.heading(self.reader.inline_text(blocks))
                return
        found = self.reader.paragraph_text(blocks)
        text = found.text
        if found.label:  # "1 -\t<span>تعلن</span>": the number was before the italics
            number_text, label_text = (found.label, "") if found.label.isdigit() else ("", found.label)
        else:
            number_text, label_text = number.group(1) if number else "", label.group(1) if label else ""
            written = (number or label).re.match(text) if number or label else None
            text = text[written.end() :] if written else text
        self.reader.cite(text, found.cited)
        if label_text:
            self.add_sub(Subparagraph(label=label_text, text=text, lead_phrase=found.lead, eid=eid))
            return
        previous = self.target[-1] if self.target else None
        if (
            not (number_text or found.lead)
            and previous is not None
            and self.annex is None
            and not self.headings
        ):
            _append_text(previous, text)  # "and its request that ...", a quoted rule
            return
        lead, text = self._lead(found.lead, text)
        self.add(Paragraph(lead_phrase=lead, text=text, eid=eid), number=number_text)

    def _split_annex_title(self, blocks: list) -> bool:
        """ "Designation" and "Annex" in one paragraph: headings, the annex's title among them."""
        texts = [_plain(block) for block in blocks]
        titles = [i for i, text in enumerate(texts) if _ANNEX_TITLE.fullmatch(text) and len(text) <= 120]
        if not titles or not all(_looks_like_heading(text) for text in texts if text):
            return False
        for index, block in enumerate(blocks):
            if texts[index]:
                text = self.reader.inline_text([block])
                self.start_annex(text) if index == titles[0] else self.heading(text)
        return True

    def _next_number(self, plain: str):
        """ "3 Calls upon ..." written without a dot, where paragraph 3 is the one expected next."""
        match = _BARE_NUMBER.match(plain)
        numbers = [p.number for p in self.target or [] if p.number.isdigit()]
        if match and numbers and int(match.group(1)) == int(numbers[-1]) + 1:
            return match
        return None

    # -- building paragraphs

    def build(self, parts: list, eid: str, guess_lead: bool = True) -> Paragraph:
        paragraph = Paragraph(lead_phrase="", text="", eid=eid)
        texts: list[str] = []
        for part in parts:
            if part.tag in ("content", "alinea", "p", "intro"):
                self._add_text(paragraph, texts, part)
            elif part.tag == "point":
                paragraph.subparagraphs.append(self.point(part))
            elif part.tag == "list":
                for child in part:
                    if child.tag == "intro":
                        self._add_text(paragraph, texts, child)
                    elif child.tag == "point":
                        paragraph.subparagraphs.append(self.point(child))
                    elif child.tag == "sublist":
                        self._sublist(paragraph.subparagraphs, child)
                    elif child.tag == "wrapUp":
                        # The words after the list ("and urges the Panel ...") read on from its last item.
                        wrap_up = self.reader.inline_text(child.findall("p"))
                        if paragraph.subparagraphs:
                            _append_text(paragraph, wrap_up)
                        else:
                            texts.append(wrap_up)
        paragraph.text = un_text.squash(" ".join(texts))
        if guess_lead and not paragraph.lead_phrase:
            paragraph.lead_phrase, paragraph.text = self._lead("", paragraph.text)
        return paragraph

    def _add_text(self, paragraph: Paragraph, texts: list[str], part) -> None:
        blocks = [part] if part.tag == "p" else part.findall("p") or [part]
        found = self.reader.paragraph_text(blocks, styled_lead=not texts and not paragraph.lead_phrase)
        paragraph.lead_phrase = paragraph.lead_phrase or found.lead
        texts.append(found.text)
        self.reader.cite(found.text, found.cited)

    def build_sub(self, parts: list, label: str, eid: str) -> Subparagraph:
        built = self.build(parts, eid, guess_lead=False)
        return Subparagraph(
            label=label,
            text=built.text,
            lead_phrase=built.lead_phrase,
            subparagraphs=built.subparagraphs,
            eid=eid,
        )

    def point(self, element) -> Subparagraph:
        sub = Subparagraph(label=_label(_plain(element.find("num"))), text="", eid=element.get("eId") or "")
        texts: list[str] = []
        for child in element:
            if child.tag in ("content", "intro", "alinea"):
                found = self.reader.paragraph_text(child.findall("p") or [child], styled_lead=not texts)
                sub.lead_phrase = sub.lead_phrase or found.lead
                texts.append(found.text)
                self.reader.cite(found.text, found.cited)
            elif child.tag in ("subheading", "heading"):
                texts.append(self.reader.inline_text([child]))  # "Rule of law:" before the item's text
            elif child.tag == "sublist":
                self._sublist(sub.subparagraphs, child, inside_point=True)
            elif child.tag == "list":
                sub.subparagraphs += [self.point(point) for point in child.findall("point")]
        sub.text = un_text.squash(" ".join(texts))
        return sub

    def _sublist(self, siblings: list[Subparagraph], sublist, inside_point: bool = False) -> None:
        """A sublist holds the items of the point before it (or, inside a point, of that point)."""
        owner = siblings[-1] if siblings and not inside_point else None
        children = owner.subparagraphs if owner is not None else siblings
        for child in sublist:
            if child.tag == "point":
                children.append(self.point(child))
            elif child.tag == "sublist":
                self._sublist(children, child)
            elif child.tag == "intro" and owner is not None:
                owner.text = f"{owner.text} {self.reader.inline_text([child])}".strip()

    def _lead(self, lead: str, text: str) -> tuple[str, str]:
        if lead or self.annex is not None or self.target is None:
            return lead, text  # annexes (declarations, lists) keep only the lead phrases in italics
        return self.reader.fallback_lead(text)

    # -- placing paragraphs

    def add(self, paragraph: Paragraph, number: str) -> None:
        if not (paragraph.text or paragraph.lead_phrase or paragraph.subparagraphs):
            return
        if self.target is None:
            self.start_annex(self.attachment_title, named=True)
        operative = self.target is self.resolution.operative
        # The Security Council's designation annexes: a heading, then entries numbered from 1 again.
        if (
            operative
            and number == "1"
            and self.headings
            and self.reader.body == "SC"
            and any(p.number == "1" and p.section == self.section for p in self.target)
        ):
            self.start_annex("Annex")
            operative = False
        if operative and number:
            if number == "1" and self.section and not self.section_numbered:
                self._to_preamble(len(self.target) - self.section_start)  # the section's own preamble
            self.section_numbered = True
        paragraph.number = number
        if operative:
            paragraph.section = self.section
        if self.headings:
            paragraph.heading = " — ".join(self.headings)
            self.headings = []
        self.target.append(paragraph)

    def add_preambular(self, paragraph: Paragraph) -> None:
        """A paragraph of a ``preamble`` element: the resolution's, or a later one for a section."""
        if self.annex is None and not self.section_numbered:
            # Unnumbered paragraphs of a mainBody that a later preamble follows belong to the preamble.
            self._to_preamble(len(self.resolution.operative) - self.section_start)
        if self.headings:
            paragraph.heading = " — ".join(self.headings)
            self.headings = []
        paragraph.section = self.section
        self.resolution.preambular.append(paragraph)

    def _to_preamble(self, count: int) -> None:
        """Move the section's first ``count`` paragraphs from the operative part to the preamble."""
        if count <= 0:
            return
        start = self.section_start
        moved = self.resolution.operative[start : start + count]
        del self.resolution.operative[start : start + count]
        for paragraph in moved:
            paragraph.section = self.section
        self.resolution.preambular += moved

    def enter_section(self, label: str) -> None:
        self.end_section()
        letters = [part for part in self.section_path if not re.fullmatch(r"[IVXLC]+", part)]
        previous_letter = letters[-1] if letters else ""
        is_letter = len(label) == 1 and (
            label == "A"
            or (previous_letter and ord(label) == ord(previous_letter[-1]) + 1)
            or not re.fullmatch(r"[IVXLC]+", label)
        )
        if is_letter and self.section_path and re.fullmatch(r"[IVXLC]+", self.section_path[0]):
            self.section_path = [self.section_path[0], label]
        else:
            self.section_path = [label]
        self.section_start = len(self.resolution.operative)
        self.section_numbered = False

    def end_section(self) -> None:
        """A section without numbered paragraphs: its leading preambular-worded ones are its preamble
        (English only: other languages have no such rule here, and keep them operative)."""
        if not self.section or self.section_numbered or self.reader.language != "en":
            return
        pending = self.resolution.operative[self.section_start :]
        leading = 0
        while leading < len(pending) - 1 and _preambular_lead(pending[leading].lead_phrase):
            leading += 1
        self._to_preamble(leading)

    def add_sub(self, sub: Subparagraph) -> None:
        if not self.target:
            self.add(Paragraph(lead_phrase="", text="", subparagraphs=[sub]), number="")
        else:
            _place_sub(self.target[-1].subparagraphs, sub)

    def heading(self, text: str) -> None:
        if not text:
            return
        if _ANNEX_TITLE.fullmatch(text) and len(text) <= 120:
            self.start_annex(text)
            return
        if self.target is None:
            self.start_annex(self.attachment_title, named=True)
        section = _SECTION_HEADING.match(text)
        if section and self.annex is None:
            self.enter_section(section.group(1))
        if (
            self.annex is not None
            and not self.annex.heading
            and not self.annex.paragraphs
            and not self.headings
        ):
            self.annex.heading = text
        elif self.headings and re.fullmatch(r"[A-Z]|[IVXLC]{1,6}", self.headings[-1]):
            self.headings[-1] = f"{self.headings[-1]}. {text}"  # "I", then "Introduction"
        else:
            self.headings.append(text)

    def start_annex(self, text: str, adopted: bool = False, named: bool = False) -> None:
        """Open an annex titled ``text``; ``named`` when the title is the importer's, not the source's."""
        title, heading = text, ""
        match = None if adopted else _ANNEX_TITLE.fullmatch(text)
        if match and match.group(3):  # "Annex A – Items subject to ..."
            title, heading = text[: match.start(3)].rstrip(" –—-"), match.group(3)
        # Headings printed before the annex's title ("Designation", then "Annex") stay with it.
        heading = " — ".join([*self.headings, heading] if heading else self.headings)
        self.end_section()
        self.annex = Annex(title=title, heading=heading, title_in_source=not named)
        self.resolution.annexes.append(self.annex)
        self.target = self.annex.paragraphs
        self.headings = []

    def _adopts_text(self, heading) -> bool:
        """Whether ``heading`` titles a text the resolution adopts: the operative paragraph before
        ends "Adopts the following declaration:" and the numbering starts again after it."""
        if self.annex is not None or not self.resolution.operative:
            return False
        last = self.resolution.operative[-1]
        text = _last_leaf(last.subparagraphs[-1]).text if last.subparagraphs else last.text
        if not _TRAILING_MARKER.sub("", text).rstrip().endswith(":"):
            return False
        for sibling in heading.itersiblings():
            for paragraph in sibling.iter("paragraph"):
                number = _NUM_NUMBER.fullmatch(_plain(paragraph.find("num")))
                if number and number.group(1)[:1].isdigit():
                    return number.group(1) == "1"
        return True


def _preambular_lead(lead: str) -> bool:
    """Whether an English lead phrase opens a preambular paragraph: "Recalling", "Deeply concerned"."""
    words = [
        word for word in lead.lower().split() if not word.endswith("ly") and word not in ("also", "further")
    ]
    return bool(words) and (words[0].endswith("ing") or words[0] in _PREAMBULAR_WORDS)


def _wholly_bold(blocks: list) -> bool:
    """Whether every letter of the blocks is inside a bold span."""
    whole = re.sub(r"\s", "", "".join(_plain(block) for block in blocks))
    bold = "".join(
        _plain(span)
        for block in blocks
        for span in block.iter("span")
        if "bold" in (span.get("class") or "").split()
        and not any("bold" in (up.get("class") or "").split() for up in span.iterancestors("span"))
    )
    return bool(whole) and re.sub(r"\s", "", bold) == whole


def _plain_parts(parts: list) -> str:
    return un_text.squash(" ".join(_plain(part) for part in parts))


def _only_subheading(p) -> bool:
    children = list(p)
    return (
        bool(children) and all(child.tag == "subheading" for child in children) and not (p.text or "").strip()
    )


def _all_subheadings(content) -> bool:
    blocks = content.findall("p")
    return bool(blocks) and all(_only_subheading(p) for p in blocks)


def _looks_like_heading(text: str) -> bool:
    """A short line with no closing punctuation: "Renewal of UNIOGBIS's mandate", "II"."""
    return 0 < len(text) <= 100 and text[-1] not in ".;:,…”’)。；：，،؛" and not text[0].islower()


def _label(num: str) -> str:
    num = un_text.squash(num)
    return num if num in _BULLETS else num.strip("().").strip()


def _append_text(paragraph: Paragraph, text: str) -> None:
    """Text that reads on from a paragraph: after its last (nested) item, if it has items."""
    target = _last_leaf(paragraph.subparagraphs[-1]) if paragraph.subparagraphs else paragraph
    target.text = f"{target.text} {text}".strip()


def _last_leaf(sub: Subparagraph) -> Subparagraph:
    return _last_leaf(sub.subparagraphs[-1]) if sub.subparagraphs else sub


def _place_sub(siblings: list[Subparagraph], sub: Subparagraph) -> None:
    """Add a lettered item written as its own paragraph, nesting (i), (ii) under the letter before."""
    if siblings and _nests_under(siblings[-1], sub.label):
        siblings[-1].subparagraphs.append(sub)
    else:
        siblings.append(sub)


def _nests_under(last: Subparagraph, label: str) -> bool:
    if label == _next_letter(last.label):
        return False  # (h) then (i): the next letter, not a roman one
    if last.subparagraphs:
        nested = last.subparagraphs[-1].label
        following = _ROMANS[_ROMANS.index(nested) + 1] if nested in _ROMANS[:-1] else ""
        return label in (following, str(int(nested) + 1) if nested.isdigit() else "")
    return (label == "i" and last.label not in _ROMANS) or (label == "1" and not last.label.isdigit())


def _next_letter(label: str) -> str:
    return chr(ord(label) + 1) if len(label) == 1 and "a" <= label < "z" else ""


# --- Small readers -----------------------------------------------------------------


def _iso_date(value: str | None) -> datetime.date | None:
    try:
        date = datetime.date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None
    return date if date.year > 1900 else None  # "0001-01-01" stands for no date


def _session_and_number(symbol: str) -> tuple[str, str]:
    """("77", "273") for A/RES/77/273, ("2020", "2504") for S/RES/2504 (2020), ("75", "290 A")."""
    match = _RES_SYMBOL.search(symbol)
    if not match:
        return "", ""
    session, number, part, year = match.groups()
    return (year or session or ""), f"{number} {part}" if part else number


def _read_vote(voting, body: str, adoption_note: str) -> Vote:
    outcome = (voting.get("outcome") or "").lower().replace(" ", "").replace("-", "")
    if "withoutvote" in outcome or "withoutavote" in outcome:
        return Vote(method="without_vote")
    counts = {}
    for count in voting.iter("count"):
        value = (count.get("value") or "").strip()
        if value.isdigit():
            counts[(count.get("refersTo") or "").lstrip("#")] = int(value)
    figures = _VOTE_FIGURES.search(voting.get("outcome") or "") or _VOTE_FIGURES.search(adoption_note)
    if not counts and figures:
        counts = dict(zip(("inFavour", "against", "abstaining"), map(int, figures.groups()), strict=True))
    if not counts:
        return Vote(method="recorded_vote" if "recordedvote" in outcome else "")
    # The Security Council votes by show of hands; the Assembly's counted votes are recorded ones.
    recorded = body != "SC" and ("recordedvote" in outcome or next(voting.iter("voters"), None) is not None)
    return Vote(
        method="recorded_vote" if recorded else "vote",
        yes=counts.get("inFavour", 0),
        no=counts.get("against", 0),
        abstain=counts.get("abstaining", 0),
    )


def _split_sponsors(by: str) -> list[str]:
    """ "Angola, Equatorial Guinea and Uzbekistan" -> the names; a description stays whole."""
    by = un_text.squash(by)
    if not by:
        return []
    if by[0].islower():  # "submitted by the Chair of the Committee following informal consultations"
        description = re.sub(r"^submitted by\s+", "", by)
        return [description[:1].upper() + description[1:]]
    names = []
    for name in _split_outside_brackets(by, ","):
        merged: list[str] = []
        for piece in _split_outside_brackets(name, " and "):
            piece = re.sub(r"^(?:and|the)\s+", "", piece)  # "..., and Viet Nam", "the Russian Federation"
            joined = f"{merged[-1]} and {piece}".lower() if merged else ""
            if joined and any(
                known == joined or known.startswith(joined + " and ") for known in _NAMES_WITH_AND
            ):
                merged[-1] = f"{merged[-1]} and {piece}"
            else:
                merged.append(piece)
        names += merged
    return [name for name in names if name]


def _split_outside_brackets(text: str, separator: str) -> list[str]:
    """Split at ``separator`` except inside brackets: "Guyana (on behalf of ... 77 and China)"."""
    pieces, depth, start, index = [], 0, 0, 0
    while index < len(text):
        char = text[index]
        depth += 1 if char == "(" else -1 if char == ")" else 0
        if depth == 0 and text.startswith(separator, index):
            pieces.append(text[start:index].strip())
            index += len(separator)
            start = index
            continue
        index += 1
    pieces.append(text[start:].strip())
    return pieces


def _href_symbols(href: str) -> list[str]:
    """The document symbol a link points at: https://undocs.org/en/A/RES/72/7 -> A/RES/72/7."""
    parts = urlsplit(href)
    if parts.scheme not in ("", "http", "https"):
        return []  # "C:/Users/.../file.pdf" left in by the converter
    if parts.netloc and parts.netloc.lower() not in ("undocs.org", "www.undocs.org", "docs.un.org"):
        return []
    segments = unquote(parts.path).strip("/").split("/")
    if segments and len(segments[0]) == 2 and segments[0].islower():
        segments = segments[1:]  # the language: en, fr, ch, ...
    symbol = un_text.squash("/".join(segments))
    if "/" not in symbol or not symbol[:1].isalpha():
        return []
    # Glued years and sessions: S/RES/716(1991), A/RES/1514(XV), A/RES/3201(S-VI); other brackets go: (Sect.29).
    session = re.compile(r"\s*\(((?:E?S-)?[IVXL]+|\d{4})\)", re.IGNORECASE)
    symbol = session.sub(lambda match: f" ({match.group(1).upper()})", symbol)
    symbol = re.sub(r"\s*\((?!(?:E?S-)?[IVXL]+\)|\d{4}\))[^)]*\)", "", symbol)
    head, _, tail = symbol.partition("/")
    symbol = f"{head.upper()}/{tail}"
    # A/RES/75/101a-b: parts A and B of an Assembly resolution.
    parts_of = re.fullmatch(r"(A/RES/(?:[\w-]+/)?\d+)\s*([a-zA-Z])(?:-([a-zA-Z]))?", symbol)
    if parts_of:
        first, last = parts_of.group(2).upper(), (parts_of.group(3) or parts_of.group(2)).upper()
        return [f"{parts_of.group(1)} {chr(code)}" for code in range(ord(first), ord(last) + 1)]
    return [un_text.normalise_symbol(symbol)]
