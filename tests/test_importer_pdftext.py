"""The PDF-text parser: the eight real session-80 texts, hand-written fixtures, and bad input."""

import datetime
import functools
import json
import os
import re
from pathlib import Path

import pytest

from resolutions.importer import pdftext
from resolutions.importer.parsed import AgendaItem, Footnote, ParseError
from resolutions.importer.text import parse_un_date, squash

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pdftext"
SHARED_DATA = Path(
    os.environ.get("TRACKER_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data"
)
PDFTEXT = SHARED_DATA / "pdftext"


def _fixture(name):
    return (FIXTURES / name).read_text(encoding="utf-8")


@functools.cache
def _sample_text(name):
    if not PDFTEXT.is_dir():
        pytest.skip(f"../shared/data is absent: {PDFTEXT} holds the real PDF texts these tests read")
    return (PDFTEXT / f"{name}.txt").read_text(encoding="utf-8")


@functools.cache
def _sample(name):
    return pdftext.parse(_sample_text(name))


def _walk(node):
    yield node
    for subparagraph in node.subparagraphs:
        yield from _walk(subparagraph)


def _nodes(resolution):
    """Every paragraph and sub-paragraph, at any depth, annexes included."""
    annexed = [paragraph for annex in resolution.annexes for paragraph in annex.paragraphs]
    for paragraph in resolution.preambular + resolution.operative + annexed:
        yield from _walk(paragraph)


def _labels(paragraph, prefix=""):
    """Sub-paragraph labels in order, nested ones as "b.i"."""
    labels = []
    for subparagraph in paragraph.subparagraphs:
        labels.append(prefix + subparagraph.label)
        labels.extend(_labels(subparagraph, f"{prefix}{subparagraph.label}."))
    return labels


def _markers(resolution):
    """Each footnote marker and the word it is glued to: {"1": "session,"}."""
    found = {}
    for node in _nodes(resolution):
        for word, number in re.findall(r"(\S+?)\[\^(\d+)\]", node.text):
            assert number not in found, f"marker {number} is cited twice"
            found[number] = word
    return found


def _printed(paragraph):
    """A paragraph as printed: its lead phrase (which text.split_lead_phrase decides) and the rest."""
    assert paragraph.lead_phrase, paragraph
    separator = "" if paragraph.text.startswith((",", ";", ":")) else " "
    return f"{paragraph.lead_phrase}{separator}{paragraph.text}"


def _letters(count):
    return [chr(ord("a") + index) for index in range(count)]


# --- The real texts: as a careful reader counts them ----------------------------------
#
# Counted by reading each text: preambular paragraphs are the blocks between "The General
# Assembly," and "1." that open with a lead word (a page break never starts one); operative
# and annexed paragraphs are the printed numbers; markers were checked one by one against the
# footnotes at the foot of the same page.

SAMPLES = {
    "A_RES_80_2": {
        "adopted_on": datetime.date(2025, 10, 14),
        "meeting": "18th plenary meeting",
        "agenda": ["140"],
        "committee_report": "A/80/401",
        "draft_symbol": "",
        "preambular": 2,
        "operative": [str(n) for n in range(1, 7)],
        "subparagraphs": {},
        "markers": {"1": "session,"},
    },
    "A_RES_80_5": {
        "adopted_on": datetime.date(2025, 11, 4),
        "meeting": "28th plenary meeting",
        "agenda": ["25 (b)"],
        "committee_report": "",
        "draft_symbol": "A/80/L.5",
        "preambular": 0,
        "operative": [""],  # "Adopts the Doha Political Declaration ...", unnumbered
        "subparagraphs": {},
        "annex": [str(n) for n in range(1, 45)],
        "annex_subparagraphs": {
            "18": _letters(9),
            "29": _letters(15),
            "30": _letters(20),
            "31": _letters(14),
            "32": _letters(8),
            "33": _letters(10),
            "34": _letters(5),
            "35": _letters(6),
            "37": _letters(3),
            "38": _letters(6),
            "40": _letters(6),
            "41": _letters(2),
            "42": _letters(9),
            "43": _letters(9),
        },
        "markers": {
            "1": "Development",
            "2": "Development.",
            "3": "session,",
            "4": "2023,",
            "5": "annexes.",
            "6": "Development",
            "7": "Commitment,",
            "8": "Change",
            "9": "Agreement",
            "10": "Development,",
            "11": "Countries,",
            "12": "2024\u20132034",
            "13": "States,",
            "14": "Disabilities,",
            "15": "2015\u20132030;",
        },
    },
    "A_RES_80_6": {
        "adopted_on": datetime.date(2025, 11, 11),
        "meeting": "35th plenary meeting",
        "agenda": ["74"],
        "committee_report": "",
        "draft_symbol": "A/80/L.9",
        "preambular": 14,
        "operative": [str(n) for n in range(1, 33)],
        "subparagraphs": {},
        "markers": {
            "1": "Court",
            "2": "Court,",
            "3": "Agreement,",
            "4": "2024/25;",
            "5": "Court,",
            "6": "mandate,",
            "7": "Court,",
            "8": "Agreement;",
            "9": "2013,",
            "10": "Organization;",
        },
    },
    "A_RES_80_7": {
        "adopted_on": datetime.date(2025, 11, 14),
        "meeting": "40th plenary meeting",
        "agenda": ["89"],
        "committee_report": "",
        "draft_symbol": "A/80/L.7",
        "preambular": 4,
        "operative": [str(n) for n in range(1, 6)],
        "subparagraphs": {},
        "markers": {"1": "2024,", "2": "2025;", "3": "Governors\u201d;"},
    },
    "A_RES_80_8": {
        "adopted_on": datetime.date(2025, 11, 19),
        "meeting": "46th plenary meeting",
        "agenda": ["11"],
        "committee_report": "",
        "draft_symbol": "A/80/L.10",
        "preambular": 32,
        "operative": [str(n) for n in range(1, 10)],
        "subparagraphs": {},
        "markers": {
            "1": "Outcome,",
            "2": "Declaration",
            "3": "Development,",
            "4": "Child,",
            "5": "children\u201d,",
            "6": "Disabilities,",
        },
    },
    "A_RES_80_9": {
        "adopted_on": datetime.date(2025, 11, 24),
        "meeting": "48th plenary meeting",
        "agenda": ["107"],
        "committee_report": "",
        "draft_symbol": "A/80/L.8",
        "preambular": 0,
        "operative": [""],  # "Adopts the 2025 Political Declaration ...", unnumbered
        "subparagraphs": {},
        "annex": [str(n) for n in range(1, 32)],
        "annex_subparagraphs": {"18": _letters(6), "26": _letters(2), "28": _letters(5)},
        "markers": {
            "1": "Persons,",
            "2": "2017",
            "3": "2021,",
            "4": "Development,",
            "5": "Crime",
            "6": "Crime,",
            "7": "Child",
            "8": "persons.",
            "9": "Migration,",
            "10": "Refugees,",
            "11": "migration.",
            "12": "Persons.",
            "13": "Principles.",
            "14": "Crimes;",
            "15": "Rights.",
        },
    },
    "A_RES_80_10": {
        "adopted_on": datetime.date(2025, 11, 26),
        "meeting": "51st plenary meeting",
        "agenda": ["13"],
        "committee_report": "",
        "draft_symbol": "A/80/L.11",
        "preambular": 11,
        "operative": ["1", "2", "3"],
        "subparagraphs": {},
        "markers": {
            "1": "Rights,",
            "2": "Rights,",
            "3": "Discrimination,",
            "4": "Child",
            "5": "Women,",
            "6": "Rights,",
            "7": "Peoples,",
            "8": "Action,",
            "9": "Action",
            "10": "Development,",
            "11": "Development",
            "12": "girls",
            "13": "respectively,",
        },
    },
    # Another extractor's layout: no page furniture, a paragraph per line, footnotes between
    # paragraphs, and the labels (a) to (d) and (i) of paragraph 1, and (a) to (d) of
    # paragraph 2, lost; the printed "(ii)" and "(e)" tell which list each one belongs to.
    "A_RES_80_11": {
        "adopted_on": datetime.date(2025, 11, 26),
        "meeting": "51st plenary meeting",
        "agenda": ["62"],
        "committee_report": "",
        "draft_symbol": "A/80/L.15",
        "preambular": 16,
        "operative": [str(n) for n in range(1, 31)],
        "subparagraphs": {
            "1": ["a", "b", "b.i", "b.ii", "c", "d", "e", "f", "g", "h", "i"],
            "2": ["a", "b", "c", "d"],
        },
        "markers": {"1": "peace,", "2": "2024", "3": "2024", "4": "2024,"},
    },
}


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_real_texts_are_read_as_a_careful_reader_counts_them(name):
    expected = SAMPLES[name]
    resolution = _sample(name)
    session, number = name.split("_")[2:]

    assert resolution.symbol == f"A/RES/{session}/{number}"
    assert (resolution.body, resolution.session, resolution.number) == ("GA", session, number)
    assert resolution.adopted_on == expected["adopted_on"]
    assert resolution.meeting == expected["meeting"]
    assert [item.number for item in resolution.agenda_items] == expected["agenda"]
    assert resolution.committee_report == expected["committee_report"]
    assert resolution.draft_symbol == expected["draft_symbol"]
    assert len(resolution.preambular) == expected["preambular"]
    assert [paragraph.number for paragraph in resolution.operative] == expected["operative"]
    assert {
        paragraph.number: _labels(paragraph) for paragraph in resolution.operative if paragraph.subparagraphs
    } == expected["subparagraphs"]
    annexed = [paragraph for annex in resolution.annexes for paragraph in annex.paragraphs]
    assert [paragraph.number for paragraph in annexed] == expected.get("annex", [])
    assert {
        paragraph.number: _labels(paragraph) for paragraph in annexed if paragraph.subparagraphs
    } == expected.get("annex_subparagraphs", {})
    assert [note.marker for note in resolution.footnotes] == [
        str(n) for n in range(1, len(expected["markers"]) + 1)
    ]
    assert _markers(resolution) == expected["markers"]
    assert all(paragraph.lead_phrase for paragraph in resolution.preambular + resolution.operative)
    assert resolution.source_format == "text"
    assert resolution.source_text == _sample_text(name)


_JOB_NUMBER = re.compile(r"\b\d{2}-\d{5}\b")
_BAR_CODE = re.compile(r"\*\d{7}\*")


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_no_page_furniture_in_paragraphs_or_footnotes(name):
    resolution = _sample(name)
    page_numbers = set(re.findall(r"^\s*(\d{1,3}/\d{1,3})\s*$", _sample_text(name), re.MULTILINE))
    texts = [node.text for node in _nodes(resolution)]
    texts += [node.lead_phrase for node in _nodes(resolution)]
    texts += [note.text for note in resolution.footnotes]
    texts += [paragraph.heading for paragraph in _nodes(resolution) if hasattr(paragraph, "heading")]
    texts += [resolution.title] + [item.title for item in resolution.agenda_items]
    texts += [annex.heading for annex in resolution.annexes]
    for text in texts:
        assert not _JOB_NUMBER.search(text), text
        assert not _BAR_CODE.search(text), text
        assert "A/RES/80/" not in text, text  # none of these texts cites a session-80 resolution
        assert "_____" not in text and "Distr." not in text and "\x01" not in text, text
        for page in page_numbers:
            assert not re.search(rf"(?<![\w/.\-]){re.escape(page)}(?![\w/])", text), (page, text)
    for note in resolution.footnotes:
        assert not re.match(r"\d", note.text) and "[^" not in note.text, note.text


@pytest.mark.corpus
def test_paragraphs_cut_by_page_breaks_are_joined_and_numbers_are_kept():
    ga_2, ga_6, ga_7, ga_8 = (_sample(f"A_RES_80_{n}") for n in (2, 6, 7, 8))
    ga_5, ga_9, ga_10, ga_11 = (_sample(f"A_RES_80_{n}") for n in (5, 9, 10, 11))

    assert ga_2.operative[1].text == "its resolution 54/237 C of 23 December 1999;"
    assert ga_6.preambular[7].text.endswith(
        "and regional organizations remain essential for the International "
        "Criminal Court to carry out its activities,"
    )
    assert ga_6.preambular[9].text.startswith(
        "the Relationship Agreement as approved by the General Assembly in "
        "its resolution 58/318 of 13 September 2004, including paragraph 3 of"
    )
    assert "post-conflict societies" in ga_6.preambular[4].text
    assert (
        "safeguards agreement between the Agency and the Democratic People\u2019s Republic"
        in ga_7.operative[1].text
    )
    assert ga_8.preambular[14].text.endswith(
        "Winter Games, as a defining feature of Milano-Cortina 2026, in order to "
        "promote a strong sense of local ownership, community dialogue and "
        "identity, social integration, cohesion and the safeguarding of "
        "cultural heritage,"
    )
    assert ga_8.operative[8].text.endswith(
        "to consider the sub-item before the Games of the XXXIV Olympiad and the "
        "XVIII Paralympic Games, to be held in Los Angeles in 2028."
    )
    assert ga_10.preambular[3].text.startswith("the 2030 Agenda for Sustainable Development[^11] and that")
    assert "paragraphs 1 to 10 of the annex thereto" in ga_10.preambular[4].text
    assert "paragraphs 13 and 14" in ga_10.preambular[4].text
    assert "Political Declarations of 2017[^2] and 2021,[^3] and evince" in ga_9.annexes[0].paragraphs[0].text
    assert "the Decade 2024\u20132034[^12] and the Antigua" in ga_5.annexes[0].paragraphs[19].text
    assert "whole-of-government" in ga_5.annexes[0].paragraphs[23].text
    cut_by_footnote = ga_11.operative[0].subparagraphs[5].text
    assert cut_by_footnote.endswith(
        "the full, equal, meaningful and safe participation of women, and promoting the full, effective, "
        "safe and meaningful participation of youth in peacebuilding and sustaining peace;"
    )
    assert "country-specific" in ga_11.operative[0].subparagraphs[0].text
    assert ga_11.preambular[14].text.endswith(
        "further acknowledging the inputs from the group of independent eminent persons through its letter "
        "dated 21 November 2024,[^4]"
    )


@pytest.mark.corpus
def test_headers_headings_and_annexes_of_the_real_texts():
    ga_2, ga_5, ga_9, ga_11 = (_sample(f"A_RES_80_{n}") for n in (2, 5, 9, 11))

    assert ga_2.title == (
        "Scale of assessments for the apportionment of the expenses of the United Nations: requests under "
        "Article 19 of the Charter"
    )
    assert ga_2.agenda_items == [
        AgendaItem("140", "Scale of assessments for the apportionment of the expenses of the United Nations")
    ]
    assert ga_2.distributed_on == datetime.date(2025, 10, 15)
    assert ga_2.enacting_formula == "The General Assembly,"
    assert ga_2.footnotes == [
        Footnote(
            "1", "Official Records of the General Assembly, Eightieth Session, Supplement No. 11 (A/80/11)."
        )
    ]
    assert ga_2.references == ["A/80/11", "A/RES/54/237 C"]
    assert [paragraph.lead_phrase for paragraph in ga_2.preambular] == ["Having considered", "Reaffirming"]

    assert ga_5.enacting_formula == "The General Assembly"
    assert ga_5.operative[0].lead_phrase == "Adopts"
    assert [(annex.title, annex.heading) for annex in ga_5.annexes] == [
        (
            "Annex",
            "Doha Political Declaration of the \u201cWorld Social Summit\u201d under the title "
            "\u201cthe Second World Summit for Social Development\u201d",
        )
    ]
    headed = {
        paragraph.number: paragraph.heading for paragraph in ga_5.annexes[0].paragraphs if paragraph.heading
    }
    assert headed == {"28": "A call to action", "43": "Follow-up"}
    assert all(paragraph.lead_phrase == "" for paragraph in ga_5.annexes[0].paragraphs)
    assert ga_9.annexes[0].heading.startswith("2025 Political Declaration on the Implementation")

    headed = {paragraph.number: paragraph.heading for paragraph in ga_11.operative if paragraph.heading}
    assert headed == {
        "1": "Peacebuilding Commission",
        "13": "Peacebuilding financing",
        "24": "Department of Political and Peacebuilding Affairs/Peacebuilding Support Office",
    }
    assert ga_11.title == "2025 review of the United Nations peacebuilding architecture"
    assert ga_11.distributed_on == datetime.date(2025, 12, 1)
    assert ga_11.footnotes[0].text.endswith("Assembly resolution 75/201 and Council resolution 2558 (2020).")
    assert ga_11.operative[0].subparagraphs[1].subparagraphs[0].text.startswith("Assisting Member States")


@pytest.mark.corpus
def test_headers_agree_with_the_official_metadata_of_session_80():
    # No XML of these resolutions is in shared data, but the UN's data extract for session 80
    # gives their header fields (all but 80/2's).
    extract = SHARED_DATA / "unxml" / "GAresolutions" / "data_extract" / "80.json"
    if not extract.is_file():
        pytest.skip(f"../shared/data is absent: {extract} gives the official header fields")
    metadata = {}
    for line in extract.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        metadata[record["symbol"]] = record
    compared = 0
    for name in sorted(SAMPLES):
        resolution = _sample(name)
        record = metadata.get(resolution.symbol)
        if record is None:
            continue
        compared += 1
        assert resolution.title == squash(record["title"])
        assert resolution.adopted_on == parse_un_date(record["adoption_date"])
        assert resolution.meeting == record["adoption_meeting"]
        assert [(item.number, item.title) for item in resolution.agenda_items] == [
            (record["agenda_item"].removeprefix("Agenda item "), squash(record["agenda_item_name"]))
        ]
        assert record["originating_document"] in (resolution.draft_symbol, resolution.committee_report)
    assert compared == 7


# --- Hand-written fixtures --------------------------------------------------------------


def test_security_council_resolution():
    resolution = pdftext.parse(_fixture("security_council.txt"))

    assert (resolution.symbol, resolution.body, resolution.session, resolution.number) == (
        "S/RES/2504 (2020)",
        "SC",
        "2020",
        "2504",
    )
    assert resolution.title == "Resolution 2504 (2020)"
    assert resolution.meeting == "8711th meeting"
    assert resolution.adopted_on == resolution.distributed_on == datetime.date(2020, 1, 10)
    assert resolution.enacting_formula == "The Security Council,"
    assert [_printed(paragraph).split(" ")[0] for paragraph in resolution.preambular] == [
        "Recalling",
        "Reaffirming",
        "Welcoming",
        "Acting",
    ]
    assert (
        _printed(resolution.preambular[3]) == "Acting under Chapter VII of the Charter of the United Nations,"
    )
    assert resolution.preambular[1].text.endswith("of all States of the region,[^1]")
    assert [paragraph.number for paragraph in resolution.operative] == ["1", "2", "3", "4"]
    assert _labels(resolution.operative[1]) == ["a", "b"]
    assert [(s.label, s.text) for s in resolution.operative[2].subparagraphs] == [
        ("\u2013", "support the national authorities in the delivery of assistance;"),
        ("\u2013", "report to the Council on any obstruction;"),
    ]
    assert (
        resolution.operative[1].subparagraphs[1].text
        == "The number of people reached in each of the 2 regions;"
    )
    assert _printed(resolution.operative[3]) == "Decides to remain seized of the matter."
    assert resolution.footnotes == [Footnote("1", "See S/2019/820, annex.")]
    assert resolution.references == ["S/RES/2449 (2018)", "S/2019/820", "S/2019/949", "S/RES/2165 (2014)"]


def test_nested_subparagraphs_and_a_letter_i_after_h():
    resolution = pdftext.parse(_fixture("nested_subparagraphs.txt"))

    first, second, third = resolution.operative
    assert _labels(first) == ["a", "a.i", "a.ii", "a.iii", "b", "c"]
    assert first.text == "that the review shall consist of:"
    assert first.subparagraphs[0].text == "An opening plenary meeting, which shall:"
    assert first.subparagraphs[0].subparagraphs[0].text == (
        "Open with statements by the President of the General Assembly and the Secretary-General;"
    )
    assert _labels(second) == _letters(9)  # "(i)" after "(h);" is the ninth letter, not a roman one
    assert third.subparagraphs == []
    assert resolution.agenda_items == [
        AgendaItem(
            "14",
            "Integrated and coordinated implementation of and follow-up to the outcomes of the major "
            "United Nations conferences",
        ),
        AgendaItem("120", "Strengthening of the United Nations system"),
    ]
    assert resolution.draft_symbol == "A/79/L.99"
    assert resolution.title == "Modalities of the review of regional cooperation in water management"
    assert (resolution.session, resolution.meeting) == ("79", "99th plenary meeting")


def test_headings_inside_the_operative_part():
    resolution = pdftext.parse(_fixture("operative_headings.txt"))

    assert [paragraph.heading for paragraph in resolution.operative] == [
        "I. Regional cooperation",
        "",
        "Follow-up",
        "",
    ]
    assert [_printed(paragraph) for paragraph in resolution.preambular] == [
        "Guided by the purposes and principles of the Charter of the United Nations,",
        "Deeply concerned about the persistence of conflicts in several regions,",
    ]
    assert resolution.operative[3].text.endswith(
        "the item entitled \u201cPrevention of armed conflict\u201d."
    )


def test_annexes_are_kept_apart_from_the_operative_part():
    resolution = pdftext.parse(_fixture("annex.txt"))

    assert [paragraph.number for paragraph in resolution.operative] == ["1", "2"]
    assert _printed(resolution.operative[1]) == (
        "Takes note of the terms of reference contained in annex II to the present resolution."
    )
    assert resolution.meeting == "102nd plenary meeting"
    assert resolution.committee_report == "A/79/480/Add.2"
    assert [(annex.title, annex.heading) for annex in resolution.annexes] == [
        ("Annex I", "Guidelines on community water councils"),
        ("Annex II", "Terms of reference"),
    ]
    first, second = resolution.annexes
    assert [(p.number, p.heading, p.lead_phrase) for p in first.paragraphs] == [
        ("1", "I. General principles", ""),
        ("2", "", ""),
    ]
    assert _labels(first.paragraphs[1]) == ["a", "b"]
    assert [p.text for p in second.paragraphs] == [
        "The review shall be conducted by an independent expert.",
        "The expert shall report to the General Assembly at its eighty-first session.",
    ]


def test_a_resolution_in_parts_gives_one_resolution_per_part():
    # As the UN's XML gives them: "A/RES/79/260 A" and "A/RES/79/260 B", each with its own preamble.
    first, second = pdftext.parse_all(_fixture("parts.txt"))

    assert [(first.symbol, first.number, first.title), (second.symbol, second.number, second.title)] == [
        ("A/RES/79/260 A", "260 A", "Strategic heritage plan"),
        ("A/RES/79/260 B", "260 B", "Cybersecurity"),
    ]
    assert [_printed(p).split(" ")[0] for p in first.preambular + first.operative] == [
        "Recalling",
        "Takes",
        "Decides",
    ]
    assert [_printed(p).split(" ")[0] for p in second.preambular + second.operative] == [
        "Having",
        "Approves",
        "Requests",
    ]
    assert [p.number for p in first.operative] == [p.number for p in second.operative] == ["1", "2"]
    assert (first.footnotes, second.footnotes) == ([], [Footnote("1", "A/79/602.")])
    assert (first.references, second.references) == (["A/RES/78/253"], ["A/79/602"])
    assert first.meeting == second.meeting == "51st plenary meeting"
    assert first.committee_report == second.committee_report == "A/79/650/Add.1"
    with pytest.raises(ParseError, match="parse_all"):
        pdftext.parse(_fixture("parts.txt"))


def test_sections_with_their_own_preamble_and_numbering():
    resolution = pdftext.parse(_fixture("sections.txt"))

    assert resolution.title == "Special subjects relating to the proposed programme budget for 2025"
    assert [(p.heading, _printed(p).split(" ")[0]) for p in resolution.preambular] == [
        ("I. Strategic heritage plan", "Recalling"),
        ("II. Cybersecurity", "Having"),
        ("", "Noting"),
    ]
    assert [p.number for p in resolution.operative] == ["1", "2", "1", "2"]
    assert [_printed(p).split(" ")[0] for p in resolution.operative] == [
        "Takes",
        "Decides",
        "Approves",
        "Requests",
    ]
    assert resolution.preambular[1].text.endswith("on cybersecurity,[^1]")


def test_a_footnote_in_the_middle_of_a_paragraph_cut_by_a_page_break():
    resolution = pdftext.parse(_fixture("footnote_across_pages.txt"))

    assert len(resolution.preambular) == 3
    assert resolution.preambular[1].text == (
        "the Ashgabat Declaration on implementing the United Nations Global Counter-Terrorism Strategy[^2] "
        "in Central Asia, adopted on 13 June 2017, and the Joint Plan of Action for the Implementation of "
        "the United Nations Global Counter-Terrorism Strategy in Central Asia, adopted on 30 November 2011, "
        "as referred to in paragraph 3 of the annex to resolution 54/237, and the outcome documents of "
        "2017[^3] and 2021,"
    )
    assert resolution.preambular[0].text.endswith("and the 2030 Agenda for Sustainable Development,[^1]")
    assert resolution.preambular[2].text.startswith(
        "the joint statement of the consultative meeting of Heads of State,[^4] and"
    )
    assert resolution.footnotes == [
        Footnote("1", "Resolution 70/1."),
        Footnote("2", "Resolution 60/288."),
        Footnote("3", "A/72/123, annex."),
        Footnote("4", "A/76/920, annex."),
    ]
    assert resolution.references == [
        "A/RES/72/7",
        "A/RES/75/272",
        "A/RES/70/1",
        "A/RES/54/237",
        "A/RES/60/288",
        "A/72/123",
        "A/76/920",
    ]
    assert _labels(resolution.operative[0]) == ["a", "b", "b.i", "b.ii", "c"]


def test_the_same_resolution_laid_out_by_another_extractor_reads_the_same():
    # The second layout keeps no page furniture, puts each paragraph on one line, the
    # footnotes between paragraphs, and loses the labels (a), (b) and (i).
    paged = pdftext.parse(_fixture("footnote_across_pages.txt"))
    flowing = pdftext.parse(_fixture("footnote_across_pages_flowing.txt"))

    assert _without_given(flowing.as_json()) == _without_given(paged.as_json())
    # What differs is only that the labels the second layout lost are marked as the importer's.
    given = [
        sub.label for p in flowing.operative for sub in _walk(p) if not getattr(sub, "label_in_source", 1)
    ]
    assert given == ["a", "b", "i"]
    assert all(sub.label_in_source for p in paged.operative for sub in _walk(p) if hasattr(sub, "label"))


def _without_given(data):
    """A document's JSON without the marks that say whether a number or label was printed."""
    if isinstance(data, dict):
        return {
            key: _without_given(value)
            for key, value in data.items()
            if key not in ("label_in_source", "number_in_source")
        }
    if isinstance(data, list):
        return [_without_given(value) for value in data]
    return data


@pytest.mark.parametrize(
    ("words", "heading", "session"),
    [
        ("First session", "1/340.", "1"),
        ("Twentieth session", "20/340.", "20"),
        ("Seventy-ninth session", "79/340.", "79"),
        ("Ninety-ninth session", "99/340.", "99"),
        ("Tenth emergency special session", "ES-10/340.", "ES-10"),
    ],
)
def test_the_session_is_read_from_words(words, heading, session):
    text = _fixture("annex.txt").replace("Seventy-ninth session", words).replace("79/340.", heading)
    text = text.replace("A/RES/79/340", f"A/RES/{heading.rstrip('.')}")

    resolution = pdftext.parse(text)

    assert resolution.session == session
    assert resolution.symbol == f"A/RES/{heading.rstrip('.')}"


def _one_page(paragraph, footnotes):
    """A one-page resolution with one preambular paragraph (lines as printed) and the page's footnotes."""
    lines = [
        "",
        "United Nations ",
        "A/RES/80/99",
        " ",
        "General Assembly ",
        "Distr.: General ",
        "2 December 2025 ",
        "25-99999 (E) ",
        "*2599999* ",
        " ",
        "Eightieth session ",
        "Agenda item 1 ",
        "Items for tests ",
        " ",
        " Resolution adopted by the General Assembly ",
        "on 1 December 2025 ",
        " ",
        "[without reference to a Main Committee (A/80/L.99)] ",
        " ",
        "80/99. A resolution for tests ",
        " ",
        "The General Assembly, ",
        " ",
        *paragraph.split("\n"),
        " ",
        "1. ",
        "Decides to remain seized of the matter. ",
        " ",
        "99th plenary meeting ",
        "1 December 2025 ",
        " ",
        "__________________ ",
        " ",
        *[f"{number} {text} \n " for number, text in enumerate(footnotes, start=1)],
    ]
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("paragraph", "footnotes", "expected"),
    [
        (
            "Recalling paragraph 3 of resolution 54/237 and the 2030 Agenda,1",
            ["Resolution 70/1."],
            "paragraph 3 of resolution 54/237 and the 2030 Agenda,[^1]",
        ),
        (
            "Noting that 1 billion people live in the G20 countries,1 and that\nCOVID-19 measures2 continue,",
            ["A/80/1.", "A/80/2."],
            "that 1 billion people live in the G20 countries,[^1] and that COVID-19 measures[^2] continue,",
        ),
        (
            "Recalling its resolutions 1 to 10, the Agenda 1 and Goal 2 of it, and the\n"
            "Declaration2 on peace,",
            ["A/80/1.", "A/80/2."],
            "its resolutions 1 to 10, the Agenda[^1] and Goal 2 of it, and the Declaration[^2] on peace,",
        ),
        (
            "Recalling the Declarations of 20171 and 2021,2 and the Decade 2024\u20132034 3 in the "
            "3 regions,",
            ["A/72/1.", "A/76/1.", "A/79/1."],
            "the Declarations of 2017[^1] and 2021,[^2] and the Decade 2024\u20132034[^3] in the 3 regions,",
        ),
        (
            "Recalling the Principles. 1 and those of 12 June 2020, 2  and, on\n1 January 2021, the Treaty,",
            ["A/80/1.", "A/80/2."],
            "the Principles.[^1] and those of 12 June 2020,[^2] and, on 1 January 2021, the Treaty,",
        ),
        ("Recalling the 3 regions and the Convention,", ["A/80/1."], "the 3 regions and the Convention,"),
        (
            "Recalling its resolutions 1 (I) and 59/3001 and other relevant resolutions 2 on peace,",
            ["A/80/1.", "A/80/2."],
            "its resolutions 1 (I) and 59/300[^1] and other relevant resolutions[^2] on peace,",
        ),
        (
            "Recalling FAO resolution 5/2021 and decision WT/L/508/Add.1 and the decision 1 that,",
            ["A/80/1."],
            "FAO resolution 5/2021 and decision WT/L/508/Add.1 and the decision[^1] that,",
        ),
        (
            "Recalling HIV/AIDS1 and Protocol I2 and 6 from Africa, 5 from Asia and Agenda 21 3 and the\n"
            "declarations of 2011 4 and 2018 and the meeting held in 2021.5",
            ["A/80/1.", "A/80/2.", "A/80/3.", "A/80/4.", "A/80/5."],
            "HIV/AIDS[^1] and Protocol I[^2] and 6 from Africa, 5 from Asia and Agenda 21[^3] and the "
            "declarations of 2011[^4] and 2018 and the meeting held in 2021.[^5]",
        ),
    ],
)
def test_a_number_is_a_footnote_marker_only_where_a_reader_would_see_one(paragraph, footnotes, expected):
    resolution = pdftext.parse(_one_page(paragraph, footnotes))

    assert [paragraph.text for paragraph in resolution.preambular] == [expected]
    assert [note.text for note in resolution.footnotes] == footnotes  # kept, even when not cited


def test_a_paragraph_cut_by_a_page_break_before_a_word_like_housing():
    paragraph = (
        "Reaffirming the New Urban Agenda, adopted at the United Nations Conference on\n\n"
        "A/RES/80/99 \nA resolution for tests\n \n25-99999\n2/2 \n \n"
        "Housing and Sustainable Urban Development (Habitat III),"
    )

    resolution = pdftext.parse(_one_page(paragraph, []))

    assert [_printed(p) for p in resolution.preambular] == [
        "Reaffirming the New Urban Agenda, adopted at the United Nations Conference on Housing and "
        "Sustainable Urban Development (Habitat III),"
    ]
    assert [p.heading for p in resolution.operative] == [""]


def test_an_inline_footnote_whose_marker_cannot_be_seen_is_still_a_footnote():
    text = _fixture("footnote_across_pages_flowing.txt").replace("Development,1", "Development,")

    resolution = pdftext.parse(text)

    assert [note.marker for note in resolution.footnotes] == ["1", "2", "3", "4"]
    assert len(resolution.preambular) == 3
    assert resolution.preambular[0].text.endswith("the 2030 Agenda for Sustainable Development,")
    assert "[^2]" in resolution.preambular[1].text and "[^4]" in resolution.preambular[2].text


def test_words_cut_at_a_hyphen_are_put_back_together():
    paragraph = (
        "Recalling the post-\nconflict and pre- and post-election periods, the system- wide plan and\n"
        "the 2015\u2013\n2030 period,"
    )

    resolution = pdftext.parse(_one_page(paragraph, []))

    assert resolution.preambular[0].text == (
        "the post-conflict and pre- and post-election periods, the system-wide plan and "
        "the 2015\u20132030 period,"
    )


def test_operative_paragraphs_without_printed_numbers():
    # A lone operative paragraph is not numbered; several always are, so lost numbers are restored.
    single = pdftext.parse(_one_page("Recalling its resolution 79/1,", []).replace("\n1. \n", "\n"))
    several = pdftext.parse(re.sub(r"^\d\. \n", "", _fixture("security_council.txt"), flags=re.MULTILINE))

    assert [(p.number, p.lead_phrase) for p in single.operative] == [("", "Decides")]
    assert [p.lead_phrase for p in single.preambular] == ["Recalling"]
    assert [(p.number, p.lead_phrase) for p in several.operative] == [
        ("1", "Decides"),
        ("2", "Requests"),
        ("3", "Requests"),
        ("4", "Decides"),
    ]
    assert len(several.preambular) == 4 and _labels(several.operative[1]) == ["a", "b"]


# --- Bad input and format detection --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n \n",
        bytes(range(256)).decode("latin-1") * 20,
        "\x00\x01\x02PDF-1.7 binary stream" * 50,
        "Hello world.\nThis is not a resolution at all.\n",
        "<akomaNtoso><act><preamble/></act></akomaNtoso>",
        None,
        b"The General Assembly,",
    ],
)
def test_bad_input_raises_parse_error(text):
    with pytest.raises(ParseError):
        pdftext.parse(text)


def test_a_resolution_without_operative_part_raises_parse_error():
    text = _fixture("operative_headings.txt").split("I \nRegional cooperation")[0]

    with pytest.raises(ParseError, match="operative"):
        pdftext.parse(text)


def test_a_text_without_resolution_heading_raises_parse_error():
    text = _fixture("operative_headings.txt").replace("79/330. ", "")

    with pytest.raises(ParseError, match="heading"):
        pdftext.parse(text)


def test_the_markdown_form_is_not_read_as_pdf_text():
    markdown = (REPO / "resolutions" / "data" / "A_RES_77_273.md").read_text(encoding="utf-8")

    assert not pdftext.looks_like(markdown)
    with pytest.raises(ParseError):
        pdftext.parse(markdown)


@pytest.mark.parametrize("name", sorted(path.name for path in FIXTURES.glob("*.txt")))
def test_fixtures_look_like_pdf_text(name):
    assert pdftext.looks_like(_fixture(name))


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_real_texts_look_like_pdf_text(name):
    assert pdftext.looks_like(_sample_text(name))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "<?xml version='1.0'?><akomaNtoso/>",
        "Hello world.",
        "# General Assembly\n\n*The General Assembly,*",
        None,
    ],
)
def test_other_texts_do_not_look_like_pdf_text(text):
    assert not pdftext.looks_like(text)


@pytest.mark.parametrize(
    "separator", ["---", "----------", "\u2014\u2014\u2014", "\u2500\u2500\u2500\u2500", "_____"]
)
def test_a_footnote_separator_of_any_kind_is_recognised(separator):
    """Issue 11, defect 5: with "---" the dashes went into the text and the next preambular paragraph
    was merged into the one before."""
    underscored = _fixture("footnote_across_pages.txt")
    assert "__________________" in underscored

    resolution = pdftext.parse(underscored.replace("__________________", separator))

    assert resolution.as_json() == pdftext.parse(underscored).as_json()
    assert len(resolution.preambular) == 3
    assert not any("---" in p.text or "\u2014\u2014" in p.text for p in resolution.preambular)


def test_a_roman_numeral_alone_on_its_line_in_an_annex_is_a_heading_and_paragraphs_stay_apart():
    """Issue 11, defect 5: "I." on its own line, its title on the next and the paragraphs without blank
    lines between them collapsed into one paragraph."""
    text = _fixture("annex.txt").replace(
        "I. General principles \n \n1. \nCouncils should be open to all members of the community. \n \n2. \n",
        "I. \nGeneral principles \n1. Councils should be open to all members of the community. \n"
        "II. \nPlaceholder second heading \n2. \n",
    )
    assert "I. \nGeneral principles \n1. Councils" in text

    annex = pdftext.parse(text).annexes[0]

    assert [(p.number, p.heading) for p in annex.paragraphs] == [
        ("1", "I. General principles"),
        ("2", "II. Placeholder second heading"),
    ]
    assert annex.paragraphs[0].text == "Councils should be open to all members of the community."
    assert [s.label for s in annex.paragraphs[1].subparagraphs] == ["a", "b"]


def test_a_running_header_wrapped_around_the_job_number_is_furniture():
    # The fixture is A_RES_77_273.txt with its second page's running header cut into three lines,
    # a blank line and the job number between them, as some extractors lay it out.
    wrapped = pdftext.parse(_fixture("running_header_wrapped.txt")).as_json()
    plain = pdftext.parse(_fixture("A_RES_77_273.txt")).as_json()

    assert "Central Asia efforts" not in json.dumps(wrapped)
    assert wrapped == plain


def test_numeric_labels_are_sub_paragraphs_under_a_letter_or_on_their_own():
    # The fixture is nested_subparagraphs.txt with items (1), (2), (3) under (b), and under paragraph 3.
    resolution = pdftext.parse(_fixture("numeric_labels.txt"))

    first, _, third, _ = resolution.operative
    assert _labels(first) == ["a", "a.i", "a.ii", "a.iii", "b", "b.1", "b.2", "b.3", "c"]
    assert [sub.text for sub in first.subparagraphs[1].subparagraphs] == [
        "Water and energy;",
        "Water and climate;",
        "Water and health;",
    ]
    assert _labels(third) == ["1", "2", "3"]
    assert third.subparagraphs[0].text == "The statements;"


def test_an_appendix_after_the_meeting_line_is_an_annex_not_dropped():
    # Found by the coverage check: every word after the meeting line but an "Annex" heading was lost.
    text = _fixture("annex.txt").replace("Annex I \n", "Appendix \n")
    assert "\nAppendix \nGuidelines on community water councils" in text

    resolution = pdftext.parse(text)

    assert [annex.title for annex in resolution.annexes] == ["Appendix", "Annex II"]
    assert resolution.annexes[0].heading == "Guidelines on community water councils"
    assert [p.number for p in resolution.annexes[0].paragraphs] == ["1", "2"]


@pytest.mark.parametrize(
    "printed", ["A. Regional cooperation \n", "A. \nRegional cooperation \n", "A \nRegional cooperation \n"]
)
def test_lettered_headings_in_the_operative_part_are_headings(printed):
    """Issue 11, deliverable 4: a lettered heading ("A.", on its own line or before its title)
    is structure, never an operative paragraph."""
    text = _fixture("operative_headings.txt").replace("I \nRegional cooperation \n", printed)
    text = text.replace(" \n \n \nFollow-up \n", " \n \nB. Follow-up \n")
    assert "B. Follow-up" in text and printed in text

    resolution = pdftext.parse(text)

    assert [(p.number, p.heading) for p in resolution.operative] == [
        ("1", "A. Regional cooperation"),
        ("2", ""),
        ("3", "B. Follow-up"),
        ("4", ""),
    ]
    assert len(resolution.preambular) == 2


def test_lettered_headings_under_a_roman_one_in_an_annex_keep_the_paragraphs_apart():
    text = _fixture("annex.txt").replace(
        "I. General principles \n \n1. \nCouncils should be open to all members of the community. \n \n2. \n",
        "I. General principles \n \nA. Membership \n \n1. \nCouncils should be open to all members of the "
        "community. \n \nB. \nDuties of councils \n2. \n",
    )
    assert "\nB. \nDuties of councils \n2. \n" in text

    annex = pdftext.parse(text).annexes[0]

    assert [(p.number, p.heading) for p in annex.paragraphs] == [
        ("1", "I. General principles A. Membership"),
        ("2", "B. Duties of councils"),
    ]
    assert annex.paragraphs[0].text == "Councils should be open to all members of the community."
    assert [s.label for s in annex.paragraphs[1].subparagraphs] == ["a", "b"]
