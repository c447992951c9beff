"""What a parser produces: a resolution as plain dataclasses, with no database.

Every format (Markdown, PDF text, Akoma Ntoso XML) is parsed into these, and the
loader turns them into rows. Footnote markers stay in paragraph text as ``[^N]``.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field


class ParseError(ValueError):
    """The text is not a resolution we can read; the message says why."""


class NotAResolution(ParseError):
    """A well-formed UN document that is not a resolution (a presidential statement, a decision)."""


@dataclass
class AgendaItem:
    number: str
    title: str = ""


@dataclass
class Subparagraph:
    label: str  # "a", "b", "i", "ii" (without brackets)
    text: str
    lead_phrase: str = ""
    subparagraphs: list[Subparagraph] = field(default_factory=list)
    eid: str = ""  # Akoma Ntoso eId, where the source has one
    label_in_source: bool = True  # False where the importer gave the label (the extractor lost it)


@dataclass
class Paragraph:
    lead_phrase: str
    text: str  # the rest of the paragraph after the lead phrase
    number: str = ""  # operative (or numbered annex) paragraphs only
    subparagraphs: list[Subparagraph] = field(default_factory=list)
    heading: str = ""  # a heading printed just before this paragraph, if any
    eid: str = ""
    section: str = ""  # the section it belongs to: "II", "B", "I.A"; blank outside sections
    number_in_source: bool = True  # False where the importer numbered it (the extractor lost the number)
    number_as_printed: str = ""  # where the importer corrected a misprinted number: the source's ("l")


@dataclass
class Footnote:
    marker: str
    text: str


@dataclass
class Annex:
    title: str  # "Annex", "Annex I", ...
    heading: str = ""
    paragraphs: list[Paragraph] = field(default_factory=list)
    title_in_source: bool = True  # False where the importer named it (an attachment without a title)


@dataclass
class Vote:
    """How a resolution was adopted."""

    method: str = ""  # "without_vote", "recorded_vote", "vote", "" when unknown
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None


@dataclass
class ParsedResolution:
    symbol: str
    body: str  # "GA", "SC", "HRC", "ECOSOC"
    title: str
    language: str = "en"  # ISO 639-1
    session: str = ""  # "77"; for the Security Council the year
    number: str = ""  # number within the session: "273"
    adopted_on: datetime.date | None = None
    distributed_on: datetime.date | None = None
    agenda_items: list[AgendaItem] = field(default_factory=list)
    draft_symbol: str = ""
    committee_report: str = ""  # "A/77/449", when adopted on a Main Committee's report
    meeting: str = ""  # "60th plenary meeting"
    enacting_formula: str = ""  # "The General Assembly,"
    preambular: list[Paragraph] = field(default_factory=list)
    operative: list[Paragraph] = field(default_factory=list)
    annexes: list[Annex] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # normalised symbols
    sponsors: list[str] = field(default_factory=list)
    vote: Vote = field(default_factory=Vote)
    sdg_goals: list[str] = field(default_factory=list)  # "16"
    unbis_terms: list[str] = field(default_factory=list)
    eurovoc_terms: list[str] = field(default_factory=list)
    source_format: str = ""  # "markdown", "text", "akn"
    source_text: str = ""  # the verbatim text it was parsed from

    def contents(self) -> list[dict]:
        """The table of contents: each heading in reading order (the resolution's own preamble and
        operative part, then each section's), then each annex's title with the headings inside it one
        level down. Each entry names the paragraph the heading stands above."""
        entries = []
        sections = list(dict.fromkeys(p.section for p in [*self.operative, *self.preambular] if p.section))
        for section in ["", *sections]:
            for kind, paragraphs in (("pp", self.preambular), ("op", self.operative)):
                in_section = [paragraph for paragraph in paragraphs if paragraph.section == section]
                for position, paragraph in enumerate(in_section, start=1):
                    if paragraph.heading:
                        where = f"{kind} {section + '.' if section else ''}{paragraph.number or position}"
                        entries.append({"level": 1, "title": paragraph.heading, "paragraph": where})
        for position, annex in enumerate(self.annexes, start=1):
            entries.append({"level": 1, "title": annex.title, "paragraph": f"annex {position}"})
            if annex.heading:
                entries.append({"level": 2, "title": annex.heading, "paragraph": f"annex {position}"})
            for paragraph in annex.paragraphs:
                if paragraph.heading:
                    where = f"annex {position}, {paragraph.number or 'unnumbered'}"
                    entries.append({"level": 2, "title": paragraph.heading, "paragraph": where})
        return entries

    def as_json(self) -> dict:
        """The document as JSON-ready data (dates as ISO strings), without the source text."""
        data = dataclasses.asdict(self)
        data.pop("source_text")
        for key in ("adopted_on", "distributed_on"):
            if data[key] is not None:
                data[key] = data[key].isoformat()
        return data
