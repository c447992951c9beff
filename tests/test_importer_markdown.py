"""The Markdown parser: the seed resolution 77/273, hand-written fixtures, and bad input."""

import contextlib
import datetime
import json
import os
import random
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from resolutions.importer import markdown
from resolutions.importer.parsed import AgendaItem, Footnote, ParseError
from resolutions.importer.text import squash

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "resolutions" / "data" / "A_RES_77_273.md"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "markdown"
SHARED_DATA = Path(
    os.environ.get("TRACKER_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data"
)
AKN = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"


@pytest.fixture(scope="module")
def seed_text():
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text):
    return markdown.parse(seed_text)


def _fixture(name):
    return (FIXTURES / name).read_text(encoding="utf-8")


def _resolution(*paragraphs, session="**Eightieth session**", heading="### **80/1. A resolution for tests**"):
    """A small General Assembly resolution in the seed's Markdown shape, around ``paragraphs``."""
    return "\n\n".join(["# General Assembly", session, heading, "*The General Assembly,*", *paragraphs])


def _texts(resolution):
    """Every stored paragraph and sub-paragraph text, at any depth, annexes included."""

    def walk(node):
        yield node.text
        yield node.lead_phrase
        for subparagraph in node.subparagraphs:
            yield from walk(subparagraph)

    annexed = [paragraph for annex in resolution.annexes for paragraph in annex.paragraphs]
    for paragraph in resolution.preambular + resolution.operative + annexed:
        yield from walk(paragraph)


# --- The seed: General Assembly resolution 77/273 ----------------------------------


def test_seed_header(seed, seed_text):
    assert seed.symbol == "A/RES/77/273"
    assert seed.body == "GA"
    assert (seed.session, seed.number) == ("77", "273")
    assert (
        seed.title == "Role of the United Nations Regional Centre for Preventive Diplomacy for Central Asia"
    )
    assert seed.language == "en"
    assert seed.adopted_on == datetime.date(2023, 2, 24)
    assert seed.distributed_on == datetime.date(2023, 3, 2)
    assert seed.agenda_items == [AgendaItem(number="58", title="Peacebuilding and sustaining peace")]
    assert seed.draft_symbol == "A/77/L.53"
    assert seed.committee_report == ""
    assert seed.meeting == "60th plenary meeting"
    assert seed.enacting_formula == "The General Assembly,"
    assert seed.source_format == "markdown"
    assert seed.source_text == seed_text


def test_seed_preambular_lead_phrases(seed):
    assert [paragraph.lead_phrase for paragraph in seed.preambular] == [
        "Guided", "Recalling", "Recalling also", "Noting", "Welcoming", "Noting", "Reaffirming",
        "Acknowledging", "Recognizing", "Recalling", "Welcoming", "Reaffirming", "Welcoming", "Recalling",
        "Recalling also", "Underlining", "Welcoming", "Welcoming also", "Welcoming further", "Welcoming",
        "Recognizing", "Underlining", "Noting", "Welcoming",
    ]  # fmt: skip
    assert all(paragraph.number == "" for paragraph in seed.preambular)


def test_seed_preambular_text_starts_after_the_lead_phrase(seed):
    # Wholly italic in the Markdown, so the lead phrase comes from text.split_lead_phrase.
    assert seed.preambular[0].text == "by the Charter of the United Nations,"
    assert seed.preambular[1].text == "its resolutions 72/7 of 17 November 2017 and 75/272 of 16 April 2021,"
    assert seed.preambular[2].text.endswith("for Central Asia in Ashgabat,[^1]")
    # Only the lead phrase is italic: "*Recalling*, in this regard, ..."
    assert seed.preambular[13].text.startswith(", in this regard, the Ashgabat Declaration")
    assert "Counter-Terrorism Strategy[^4] in Central Asia, adopted on 13 June 2017,[^5] and" in (
        seed.preambular[13].text
    )
    assert seed.preambular[18].text.startswith(
        "the initiatives of the Central Asian countries related to water and combating climate change, "
        "in particular the International Decade for Action, \u201cWater for Sustainable Development\u201d"
    )


def test_seed_operative_paragraphs(seed):
    assert [(paragraph.number, paragraph.lead_phrase) for paragraph in seed.operative] == [
        ("1", "Encourages"),
        ("2", "Also encourages"),
        ("3", "Welcomes"),
        ("4", "Encourages"),
    ]
    assert seed.operative[1].text == (
        "the Regional Centre to maintain contact with relevant regional organizations and to facilitate "
        "coordination and information exchange, with due regard to their specific mandates;"
    )
    assert seed.operative[3].text.endswith("through preventive diplomacy and dialogue.")
    assert all(not paragraph.subparagraphs for paragraph in seed.operative)
    assert seed.annexes == []


def test_seed_footnotes(seed):
    assert seed.footnotes == [
        Footnote(marker="1", text="S/2007/279 and S/2007/280."),
        Footnote(marker="2", text="Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan."),
        Footnote(marker="3", text="A/76/920, annex."),
        Footnote(marker="4", text="Resolution 60/288."),
        Footnote(marker="5", text="A/71/982-S/2017/600, annex."),
        Footnote(marker="6", text="See A/76/751, annex."),
        Footnote(marker="7", text="See A/77/621, annex."),
    ]


def test_seed_footnote_markers_stay_where_they_are_cited(seed):
    texts = [paragraph.text for paragraph in seed.preambular + seed.operative]
    cited = [
        (index, marker) for marker in "1234567" for index, text in enumerate(texts) if f"[^{marker}]" in text
    ]
    assert cited == [(2, "1"), (4, "2"), (11, "3"), (13, "4"), (13, "5"), (14, "6"), (15, "7")]
    assert "countries[^2] in the United Nations" in texts[4]


def test_seed_references(seed):
    required = [
        "A/RES/72/7", "A/RES/75/272", "A/RES/76/299", "A/RES/60/288", "S/2007/279", "S/2007/280",
        "A/76/920", "A/71/982", "S/2017/600", "A/76/751", "A/77/621",
    ]  # fmt: skip
    assert set(required) <= set(seed.references)
    # In reading order: a paragraph, then the footnotes it is first to cite.
    assert seed.references == [
        "A/RES/72/7", "A/RES/75/272", "S/2007/279", "S/2007/280", "A/RES/76/299", "A/76/920",
        "A/RES/60/288", "A/71/982", "S/2017/600", "A/76/751", "A/77/621",
    ]  # fmt: skip


@pytest.mark.parametrize("name", ["seed", "ga_subparagraphs.md", "sc_resolution.md"])
def test_paragraphs_hold_no_markdown_and_no_footnote_text(name, seed):
    resolution = seed if name == "seed" else markdown.parse(_fixture(name))
    texts = list(_texts(resolution))
    for text in texts:
        for leftover in ("---", "<sup>", "</sup>", "*", "](#)", "](", "#"):
            assert leftover not in text, (leftover, text)
    for footnote in resolution.footnotes:
        assert not any(footnote.text in text for text in texts), footnote
    assert all(text == squash(text) for text in texts)


@pytest.mark.parametrize("name", ["seed", "ga_subparagraphs.md", "sc_resolution.md"])
def test_json_round_trips(name, seed):
    data = (seed if name == "seed" else markdown.parse(_fixture(name))).as_json()
    assert json.loads(json.dumps(data)) == data
    assert "source_text" not in data
    assert data["source_format"] == "markdown"


@pytest.mark.corpus
def test_seed_agrees_with_the_akoma_ntoso_file(seed):
    """The UN's own XML of 77/273 gives the same lead phrases, texts and footnote places."""
    path = SHARED_DATA / "unxml" / "GAresolutions" / "77session" / "English" / "A_RES_77_273-E.xml"
    if not path.exists():
        pytest.skip(f"../shared/data is absent: {path} not found (set TRACKER_SHARED_DATA)")
    root = ET.parse(path).getroot()
    preamble = [_akn_paragraph(container.find(f"{AKN}p")) for container in root.iter(f"{AKN}container")]
    operative = [
        (paragraph.findtext(f"{AKN}num").rstrip("."), *_akn_paragraph(paragraph.find(f"{AKN}content/{AKN}p")))
        for paragraph in root.iter(f"{AKN}paragraph")
    ]
    assert [(p.lead_phrase, p.text) for p in seed.preambular] == preamble
    assert [(p.number, p.lead_phrase, p.text) for p in seed.operative] == operative


def _akn_paragraph(element):
    """Lead phrase and rest of an Akoma Ntoso <p>, footnotes written as [^N]."""
    lead, parts = "", [element.text or ""]
    for child in element:
        if child.tag == f"{AKN}span" and child.get("class") == "italic" and not lead:
            lead = "".join(child.itertext())
        elif child.tag == f"{AKN}authorialNote":
            parts.append(f"[^{child.get('marker')}]")
        else:
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return squash(lead), squash("".join(parts))


# --- Hand-written fixtures -----------------------------------------------------------


def test_security_council_resolution():
    resolution = markdown.parse(_fixture("sc_resolution.md"))
    assert resolution.body == "SC"
    assert resolution.symbol == "S/RES/2504 (2020)"
    assert (resolution.session, resolution.number) == ("2020", "2504")
    assert resolution.title == "Resolution 2504 (2020)"
    assert resolution.meeting == "8711th meeting"
    assert resolution.adopted_on == datetime.date(2020, 1, 10)
    assert resolution.enacting_formula == "The Security Council,"
    assert [p.lead_phrase for p in resolution.preambular] == [
        "Recalling",
        "Expressing its deep concern",
        "Stressing",
    ]
    assert [(p.number, p.lead_phrase) for p in resolution.operative] == [
        ("1", "Decides"),
        ("2", "Requests"),
        ("3", "Decides"),
    ]
    assert resolution.footnotes == [Footnote(marker="1", text="See S/2019/949.")]
    assert resolution.references == ["S/RES/2165 (2014)", "S/RES/2449 (2018)", "S/2019/949"]


def test_subparagraphs_nest_roman_numerals_under_letters():
    decides = markdown.parse(_fixture("ga_subparagraphs.md")).operative[0]
    assert decides.text == "to establish a shared register of water data, which shall:"
    assert [sub.label for sub in decides.subparagraphs] == ["a", "b", "c"]
    record = decides.subparagraphs[1]
    assert record.text == "Record, for each station:"
    assert [(sub.label, sub.text) for sub in record.subparagraphs] == [
        ("i", "Its position and height;"),
        ("ii", "The flows measured, as set out in the annex to the present resolution;[^2]"),
    ]
    assert decides.subparagraphs[2].text == "Be kept by the Regional Centre;"


def test_ga_resolution_on_a_committee_report_with_two_agenda_items():
    resolution = markdown.parse(_fixture("ga_subparagraphs.md"))
    assert resolution.symbol == "A/RES/86/190"
    assert resolution.committee_report == "A/86/449"
    assert resolution.draft_symbol == ""
    assert resolution.agenda_items == [
        AgendaItem(number="68", title="Water and climate in mountain regions"),
        AgendaItem(number="69 (b)", title="Sustainable development: disaster risk reduction"),
    ]
    assert resolution.meeting == "54th plenary meeting"
    # A link to a decision cites no resolution; the Council's resolution is found in a footnote.
    assert resolution.references == ["A/RES/72/7", "A/RES/75/272", "A/86/300", "S/RES/2504 (2020)"]


def test_paragraph_cut_by_a_page_break_is_joined_again():
    resolution = markdown.parse(_fixture("ga_subparagraphs.md"))
    assert len(resolution.preambular) == 3
    noting = resolution.preambular[2]
    assert noting.lead_phrase == "Noting with concern"
    assert noting.text == (
        "that the records of glacier melt kept in the region are incomplete and that "
        "many of the stations measuring river flow are out of service,"
    )
    assert [footnote.marker for footnote in resolution.footnotes] == ["1", "2"]


def test_section_headings_and_annex():
    resolution = markdown.parse(_fixture("ga_subparagraphs.md"))
    assert [p.heading for p in resolution.operative] == ["I. Register of water data", "II. Follow-up", ""]
    assert len(resolution.annexes) == 1
    annex = resolution.annexes[0]
    assert (annex.title, annex.heading) == ("Annex", "Rules for the register of water data")
    assert [(p.number, p.lead_phrase, p.text) for p in annex.paragraphs] == [
        ("1", "", "Each station has one record, kept in the language of the State that runs it."),
        ("2", "", "Records are kept for ten years."),
    ]


def test_an_appendix_is_an_annex_not_dropped():
    # Found by the coverage check: after the meeting line, words under any heading but "Annex" were lost.
    text = _fixture("ga_subparagraphs.md").replace("## Annex\n", "## Appendix\n")

    resolution = markdown.parse(text)

    assert [(annex.title, annex.heading) for annex in resolution.annexes] == [
        ("Appendix", "Rules for the register of water data")
    ]
    assert [p.number for p in resolution.annexes[0].paragraphs] == ["1", "2"]


# --- Smaller points, on made-up texts ------------------------------------------------


def test_letter_i_after_h_is_a_letter_not_a_roman_numeral():
    letters = "abcdefghij"
    text = _resolution(
        "1. *Decides* that the register shall:",
        *(f"({letter}) Do thing {letter};" for letter in letters),
    )
    decides = markdown.parse(text).operative[0]
    assert [sub.label for sub in decides.subparagraphs] == list(letters)
    assert all(not sub.subparagraphs for sub in decides.subparagraphs)


def test_link_target_gives_the_symbol_and_bare_link_text_is_a_resolution():
    text = _resolution(
        "*Noting* the report ([its annex](https://undocs.org/en/A/77/100)) and [72/7](#),",
        "1. *Decides* to act.",
    )
    assert markdown.parse(text).references == ["A/77/100", "A/RES/72/7"]


def test_emergency_special_session():
    text = _resolution(
        "1. *Demands* a halt.",
        session="**Tenth emergency special session**",
        heading="### **ES-10/21. A resolution for tests**",
    )
    resolution = markdown.parse(text)
    assert (resolution.symbol, resolution.session, resolution.number) == ("A/RES/ES-10/21", "ES-10", "21")


@pytest.mark.parametrize(
    ("words", "number"),
    [
        ("first", 1),
        ("Ninth", 9),
        ("tenth", 10),
        ("Twelfth", 12),
        ("nineteenth", 19),
        ("Twentieth", 20),
        ("Twenty-first", 21),
        ("Forty-second", 42),
        ("Seventy-seventh", 77),
        ("seventy seventh", 77),
        ("Eightieth", 80),
        ("Ninety-ninth", 99),
        ("hundredth", None),
        ("seventy", None),
        ("session", None),
    ],
)
def test_ordinal_to_number(words, number):
    assert markdown.ordinal_to_number(words) == number


# --- Bad input ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n\t  "])
def test_empty_text_is_an_error(text):
    with pytest.raises(ParseError, match="empty"):
        markdown.parse(text)


def test_text_without_a_number_heading_is_an_error(seed_text):
    without_heading = seed_text.replace("### **77/273. Role of", "Role of")
    with pytest.raises(ParseError, match="no resolution number heading"):
        markdown.parse(without_heading)


def test_text_without_operative_paragraphs_is_an_error(seed_text):
    cut = seed_text[: seed_text.index("1. *Encourages*")]
    with pytest.raises(ParseError, match="no operative paragraph"):
        markdown.parse(cut)


def test_session_line_contradicting_the_number_is_an_error():
    text = _resolution("1. *Decides* to act.", session="**Seventy-ninth session**")
    with pytest.raises(ParseError, match="session 79"):
        markdown.parse(text)


@pytest.mark.parametrize(
    "garbage",
    [
        bytes(range(256)).decode("latin-1") * 4,
        random.Random(273).randbytes(4000).decode("utf-8", errors="replace"),
        "# General Assembly\x00\x00\x00*Recalling*",
    ],
    ids=["control-characters", "random-bytes", "nul-bytes"],
)
def test_binary_garbage_is_an_error(garbage):
    with pytest.raises(ParseError, match="binary"):
        markdown.parse(garbage)


def test_bytes_instead_of_text_is_an_error(seed_text):
    with pytest.raises(ParseError, match="expected Markdown text"):
        markdown.parse(seed_text.encode())


def test_plain_text_is_not_the_markdown_form():
    with pytest.raises(ParseError, match="not the Markdown form"):
        markdown.parse("77/273. Role of the Centre\n\nThe General Assembly,\n\n1. Encourages the Centre.")


# --- Format detection -------------------------------------------------------------------


def test_looks_like_the_markdown_form(seed_text):
    assert markdown.looks_like(seed_text)
    assert markdown.looks_like(_fixture("ga_subparagraphs.md"))
    assert markdown.looks_like(_fixture("sc_resolution.md"))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "The General Assembly,\n\nRecalling its resolution 72/7,\n\n1. Encourages the Regional Centre.",
        '<?xml version="1.0"?>\n<akomaNtoso><statement name="resolution"># General Assembly</statement>'
        "</akomaNtoso>",
        "# Notes\n\nSome *emphasis* in a document that is not a resolution.",
    ],
    ids=["empty", "plain-text", "xml", "other-markdown"],
)
def test_does_not_look_like_the_markdown_form(text):
    assert not markdown.looks_like(text)


@pytest.mark.corpus
def test_pdf_text_layers_are_neither_detected_nor_parsed_as_markdown():
    folder = SHARED_DATA / "pdftext"
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        pytest.skip(f"../shared/data is absent: no PDF text layers under {folder} (set TRACKER_SHARED_DATA)")
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert not markdown.looks_like(text), path.name
        with pytest.raises(ParseError):
            markdown.parse(text)


def test_windows_line_endings_and_byte_order_mark_change_nothing(seed, seed_text):
    resolution = markdown.parse("\ufeff" + seed_text.replace("\n", "\r\n"))
    assert resolution.as_json() == seed.as_json()


def test_damaged_texts_raise_only_parse_errors(seed_text):
    """Cut or scrambled Markdown either parses or raises ParseError, never anything else."""
    rng = random.Random(77273)
    lines = seed_text.split("\n")
    damaged = [seed_text[:end] for end in range(0, len(seed_text), 97)]
    for _ in range(200):
        copy = lines[:]
        index = rng.randrange(len(copy))
        cut = rng.randrange(len(copy[index]) + 1)
        noise = rng.choice(
            ["*", "**", "<sup>", "</sup>", "[", "](#", "#", "\\", "---", "(i) ", "1. ", "[^1]:"]
        )
        copy[index] = copy[index][:cut] + noise + copy[index][cut:]
        del copy[rng.randrange(len(copy))]
        damaged.append("\n".join(copy))
    for text in damaged:
        with contextlib.suppress(ParseError):
            markdown.parse(text)


def test_footnote_marked_with_an_asterisk():
    text = _resolution(
        "*Noting* the report of the Secretary-General,<sup>*</sup>",
        "1. *Decides* to act.",
        "<sup>*</sup> [A/80/100](#).",
    )
    resolution = markdown.parse(text)
    assert resolution.preambular[0].text == "the report of the Secretary-General,[^*]"
    assert resolution.footnotes == [Footnote(marker="*", text="A/80/100.")]
    assert resolution.references == ["A/80/100"]
