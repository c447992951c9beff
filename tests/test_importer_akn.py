"""The Akoma Ntoso (AKN4UN) parser: hand-written fixtures first, then the UN's published XML files."""

import collections
import datetime
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from resolutions.importer import akn, text
from resolutions.importer.parsed import ParseError

FIXTURES = Path(__file__).parent / "fixtures" / "akn"
SHARED_DATA = Path(
    os.environ.get("TRACKER_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data"
)
UNXML = SHARED_DATA / "unxml"
LANGUAGES = {
    "English": "en",
    "French": "fr",
    "Spanish": "es",
    "Russian": "ru",
    "Chinese": "zh",
    "Arabic": "ar",
}


def parse_fixture(name):
    return akn.parse((FIXTURES / name).read_text(encoding="utf-8"))


def published(pattern):
    """The text of the one published file matching ``pattern`` under unxml/."""
    if not UNXML.is_dir():
        pytest.skip(f"../shared/data is absent: no {UNXML} to read the UN's XML files from")
    matches = sorted(UNXML.glob(pattern))
    assert len(matches) == 1, f"{pattern} matches {matches}"
    return matches[0].read_text(encoding="utf-8")


# --- A General Assembly resolution adopted without a vote ----------------------------


def test_general_assembly_metadata():
    resolution = parse_fixture("ga_without_vote.xml")

    assert resolution.symbol == "A/RES/79/301"
    assert resolution.body == "GA"
    assert resolution.title == "Mountain springs and the people who keep them"
    assert (resolution.language, resolution.session, resolution.number) == ("en", "79", "301")
    assert resolution.adopted_on == datetime.date(2025, 3, 14)
    assert resolution.distributed_on == datetime.date(2025, 3, 20)
    assert [(item.number, item.title) for item in resolution.agenda_items] == [
        ("19", "Sustainable development")
    ]
    assert resolution.draft_symbol == "A/79/L.61"
    assert resolution.committee_report == ""
    assert resolution.meeting == "71st plenary meeting"
    assert resolution.enacting_formula == "The General Assembly,"
    assert resolution.vote.method == "without_vote"
    assert resolution.vote.yes is None
    assert resolution.sponsors == [
        "Andorra",
        "Bhutan",
        "Nepal",
        "Trinidad and Tobago",
        "Chile",
        "Switzerland",
    ]
    assert resolution.source_format == "akn"


def test_subject_keywords():
    resolution = parse_fixture("ga_without_vote.xml")

    assert resolution.sdg_goals == ["6", "16"]
    assert resolution.unbis_terms == ["water management", "MOUNTAIN AREAS"]
    assert resolution.eurovoc_terms == ["water management"]


def test_lead_phrases_are_the_italics():
    resolution = parse_fixture("ga_without_vote.xml")

    assert [p.lead_phrase for p in resolution.preambular] == [
        "Recalling",
        "Recalling also",
        "Noting with concern",
    ]
    assert [p.eid for p in resolution.preambular] == ["container_2", "container_3", "container_4"]
    assert (
        resolution.preambular[0].text
        == "its resolutions 77/12 of 5 December 2022 and 78/4 of 1 December 2023,"
    )
    assert resolution.preambular[2].text == ", in this regard, that many springs are drying up,[^2]"
    assert [(p.number, p.lead_phrase) for p in resolution.operative] == [
        ("1", "Encourages"),
        ("2", "Also encourages"),
        ("3", "Decides"),
    ]
    assert [p.eid for p in resolution.operative] == ["para_5", "para_6", "para_8"]
    assert resolution.operative[0].text == "Member States to map their mountain springs;"


def test_footnotes_stay_where_they_are_cited():
    resolution = parse_fixture("ga_without_vote.xml")

    assert [(note.marker, note.text) for note in resolution.footnotes] == [
        ("1", "See A/79/530, annex."),
        ("2", "Resolution 76/299."),
    ]
    assert resolution.preambular[1].text.endswith("held in Thimphu,[^1]")
    assert "annex" not in resolution.preambular[1].text


def test_references_from_links_text_and_footnotes_in_order():
    resolution = parse_fixture("ga_without_vote.xml")

    assert resolution.references == ["A/RES/77/12", "A/RES/78/4", "A/79/530", "A/RES/76/299"]


def test_source_text_is_kept_verbatim_and_bytes_are_accepted():
    source = (FIXTURES / "ga_without_vote.xml").read_text(encoding="utf-8")

    from_text = akn.parse(source)
    from_bytes = akn.parse(source.encode("utf-8"))

    assert from_text.source_text == source
    assert from_bytes.as_json() == from_text.as_json()


# --- A recorded vote on the report of a Main Committee -------------------------------


def test_recorded_vote_on_a_committee_report():
    resolution = parse_fixture("ga_recorded_vote.xml")

    assert (resolution.vote.method, resolution.vote.yes, resolution.vote.no, resolution.vote.abstain) == (
        "recorded_vote",
        120,
        10,
        30,
    )
    assert resolution.committee_report == "A/79/456"
    assert resolution.draft_symbol == "A/C.3/79/L.20"
    assert resolution.meeting == "53rd plenary meeting"
    assert [(item.number, item.title) for item in resolution.agenda_items] == [
        ("13", "Integrated and coordinated follow-up to the outcomes of the major conferences"),
        ("117", "Follow-up to the outcome of the Millennium Summit"),
    ]
    # A group's name is one sponsor, "and" inside its brackets notwithstanding.
    assert resolution.sponsors == [
        "Guyana (on behalf of the States Members of the United Nations that are members of the Group of 77 and China)"
    ]


def test_a_link_split_in_two_is_one_reference():
    resolution = parse_fixture("ga_recorded_vote.xml")

    assert resolution.preambular[0].text == "its resolution 78/10 of 15 November 2023,"
    assert resolution.references == ["A/RES/78/10", "A/79/300"]


def test_without_italics_the_container_names_the_lead_phrase():
    resolution = parse_fixture("ga_recorded_vote.xml")

    assert resolution.preambular[1].lead_phrase == "Taking note"
    assert resolution.preambular[1].text == "of the report of the Secretary-General,[^1]"


def test_list_points_become_nested_subparagraphs():
    paragraph = parse_fixture("ga_recorded_vote.xml").operative[0]

    assert (paragraph.number, paragraph.lead_phrase, paragraph.text) == ("1", "Calls upon", "all States:")
    assert [sub.label for sub in paragraph.subparagraphs] == ["a", "b"]
    assert paragraph.subparagraphs[0].text == "To build roads where people ask for them;"
    assert paragraph.subparagraphs[0].eid == "para_4_list_point_a"
    nested = paragraph.subparagraphs[1].subparagraphs
    assert [(sub.label, sub.eid) for sub in nested] == [
        ("i", "para_4_list_point_b_sublist_point_i"),
        ("ii", "para_4_list_point_b_sublist_point_ii"),
    ]
    # The words after the list read on from its last item.
    assert nested[1].text == "Those who walk; and urges them to report;"


def test_subparagraphs_lettered_in_the_text():
    paragraph = parse_fixture("ga_recorded_vote.xml").operative[1]

    assert (paragraph.number, paragraph.lead_phrase) == ("2", "Requests")
    assert [(sub.label, sub.text, sub.eid) for sub in paragraph.subparagraphs] == [
        ("a", "Distances to the nearest road, in the light of resolution 2200 A (XXI);", "para_10"),
        ("b", "Costs of travel.", "para_11"),
    ]


# --- A Security Council resolution under Chapter VII --------------------------------


def test_security_council_metadata():
    resolution = parse_fixture("sc_chapter_vii.xml")

    assert resolution.symbol == "S/RES/2741 (2024)"
    assert resolution.body == "SC"
    assert (resolution.session, resolution.number) == ("2024", "2741")
    assert resolution.title == "Security Council resolution 2741 (2024) [on the Example Region]"
    assert resolution.meeting == "9999th meeting"
    assert resolution.adopted_on == datetime.date(2024, 6, 28)
    assert (resolution.vote.method, resolution.vote.yes, resolution.vote.no, resolution.vote.abstain) == (
        "vote",
        13,
        0,
        2,
    )
    assert resolution.draft_symbol == "S/2024/500"
    assert resolution.sponsors == ["France", "Sierra Leone"]
    assert [(item.number, item.title) for item in resolution.agenda_items] == [
        ("", "The situation in the Example Region")
    ]
    assert resolution.enacting_formula == "The Security Council,"
    assert resolution.references == ["S/RES/2640 (2022)", "S/RES/2700 (2023)", "S/2024/400"]


def test_acting_under_chapter_vii_and_remaining_seized():
    resolution = parse_fixture("sc_chapter_vii.xml")

    assert resolution.preambular[-1].lead_phrase == "Acting"
    assert resolution.preambular[-1].text == "under Chapter VII of the Charter of the United Nations,"
    assert [p.number for p in resolution.operative] == ["1", "2", "3", "4"]
    assert (resolution.operative[-1].lead_phrase, resolution.operative[-1].text) == (
        "Decides",
        "to remain seized of the matter.",
    )


def test_headings_go_to_the_next_paragraph():
    resolution = parse_fixture("sc_chapter_vii.xml")

    assert [p.heading for p in resolution.operative] == ["Mandate of the Mission", "", "Reporting", ""]


def test_security_council_lists_nest_and_keep_their_footnotes():
    paragraph = parse_fixture("sc_chapter_vii.xml").operative[1]

    protection, elections = paragraph.subparagraphs
    # An item wholly in italics is a title, not a lead phrase.
    assert (protection.label, protection.lead_phrase, protection.text) == ("a", "", "Protection of civilians")
    assert [sub.label for sub in protection.subparagraphs] == ["i", "ii"]
    assert protection.subparagraphs[1].text == "to support the return of displaced persons[^1];"
    assert (elections.label, elections.lead_phrase, elections.text) == ("b", "Support", "for elections;")
    assert [(note.marker, note.text) for note in parse_fixture("sc_chapter_vii.xml").footnotes] == [
        ("1", "As defined in S/2024/400.")
    ]


def test_lettered_paragraphs_nest_roman_ones():
    paragraph = parse_fixture("sc_chapter_vii.xml").operative[2]

    assert [sub.label for sub in paragraph.subparagraphs] == ["a", "b"]
    assert [(sub.label, sub.text) for sub in paragraph.subparagraphs[0].subparagraphs] == [
        ("i", "in the capital;"),
        ("ii", "in the provinces;"),
    ]
    assert paragraph.subparagraphs[1].eid == "para_17"


# --- Annexes ------------------------------------------------------------------------


def test_annexes_keep_their_own_paragraphs():
    resolution = parse_fixture("ga_annex.xml")

    assert [p.number for p in resolution.operative] == ["1", "2"]
    assert [(annex.title, annex.heading) for annex in resolution.annexes] == [
        ("Annex I", "Rules of procedure of the example conference"),
        ("Annex II", "Timetable"),
    ]
    rules, timetable = resolution.annexes
    assert [(p.number, p.heading) for p in rules.paragraphs] == [("1", "Participation"), ("2", "")]
    assert rules.paragraphs[0].text == "Each State may send a delegation.[^1]"
    assert [(sub.label, sub.text) for sub in rules.paragraphs[1].subparagraphs] == [
        ("a", "A head of delegation;"),
        ("b", "Advisers."),
    ]
    assert [(p.number, p.lead_phrase) for p in timetable.paragraphs] == [("", ""), ("", "")]
    assert timetable.paragraphs[1].text == "Each day has two meetings."
    assert resolution.footnotes[0].text == "See resolution 78/2."
    assert resolution.references == ["A/RES/78/2"]
    assert resolution.sponsors == ["The President of the General Assembly"]


def test_a_text_adopted_in_the_body_is_kept_as_an_annex():
    resolution = parse_fixture("ga_adopts_declaration.xml")

    assert [(p.number, p.lead_phrase, p.text) for p in resolution.operative] == [
        ("", "Adopts", "the following declaration:")
    ]
    [declaration] = resolution.annexes
    assert declaration.title == "Declaration on example springs"
    assert [p.number for p in declaration.paragraphs] == ["1", "2"]
    assert declaration.paragraphs[0].lead_phrase == ""


# --- A document holding resolutions A and B -----------------------------------------


def test_parts_of_a_collection_are_separate_resolutions():
    source = (FIXTURES / "ga_parts.xml").read_text(encoding="utf-8")

    first, second = akn.parse_all(source)

    assert (first.symbol, first.number, first.title) == ("A/RES/79/90 A", "90 A", "Information for everyone")
    assert (second.symbol, second.number, second.title) == (
        "A/RES/79/90 B",
        "90 B",
        "Global communications policies",
    )
    for part in (first, second):
        assert part.committee_report == "A/79/420"
        assert part.agenda_items[0].number == "56"
        assert part.meeting == "49th plenary meeting"
        assert part.vote.method == "without_vote"
        assert part.sponsors == ["The Committee on Information"]
    assert [(p.number, p.lead_phrase) for p in first.operative] == [("", "Urges")]
    assert first.footnotes[0].text == "A/79/21."
    assert second.operative[0].heading == "I. Introduction"


def test_parse_asks_for_parse_all_on_a_collection():
    with pytest.raises(ParseError, match=r"A/RES/79/90 A, A/RES/79/90 B.*parse_all"):
        akn.parse((FIXTURES / "ga_parts.xml").read_text(encoding="utf-8"))


# --- Input that is not a resolution -------------------------------------------------

MINIMAL = """<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><statement name="resolution">
<coverPage><p><docNumber refersTo="#symbol">{symbol}</docNumber></p></coverPage>
<preamble><container name="Noting" eId="container_1"><p><span class="italic">Noting</span> a fact,</p></container></preamble>
<mainBody>{body}</mainBody></statement></akomaNtoso>"""


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("", "empty input"),
        ("   \n", "empty input"),
        ("# A/RES/77/273\n\nRecalling its resolution", "not XML"),
        ("<akomaNtoso><statement>", "malformed XML"),
        ("<html><body><p>Recalling</p></body></html>", "not Akoma Ntoso"),
        ("<akomaNtoso/>", "empty"),
        (MINIMAL.format(symbol="A/RES/79/1", body=""), "A/RES/79/1 has no operative part"),
        (MINIMAL.format(symbol="S/PRST/2020/11", body="<p>The Council recalls.</p>"), "not a resolution"),
        (MINIMAL.replace("{symbol}", "").format(body=""), "no document symbol"),
    ],
)
def test_bad_input_raises_a_clear_parse_error(source, message):
    with pytest.raises(ParseError, match=message):
        akn.parse(source)


def test_a_doctype_with_entities_is_refused_and_never_resolved(tmp_path):
    secret = tmp_path / "symbol.txt"
    secret.write_text("A/RES/79/999", encoding="utf-8")
    body = '<paragraph eId="para_2"><num>1.</num><content><p><span class="italic">Decides</span> x.</p></content></paragraph>'
    source = f'<!DOCTYPE akomaNtoso [<!ENTITY symbol SYSTEM "{secret.as_uri()}">]>' + MINIMAL.format(
        symbol="&symbol;", body=body
    )

    with pytest.raises(ParseError, match="document type declaration") as refused:
        akn.parse(source)
    assert "A/RES/79/999" not in str(refused.value)


def test_looks_like_recognises_akoma_ntoso():
    for path in FIXTURES.glob("*.xml"):
        assert akn.looks_like(path.read_text(encoding="utf-8")), path.name
    assert akn.looks_like((FIXTURES / "ga_annex.xml").read_bytes())
    assert not akn.looks_like("")
    assert not akn.looks_like("# A/RES/77/273\n\n*Recalling* its resolution 72/7,")
    assert not akn.looks_like("<html><body/></html>")
    assert akn.looks_like("<akomaNtoso>")  # truncated, but AKN: the parser will say what is wrong


# --- The UN's published files -------------------------------------------------------

GUIDED_TO_WELCOMING = [
    "Guided", "Recalling", "Recalling also", "Noting", "Welcoming", "Noting", "Reaffirming", "Acknowledging",
    "Recognizing", "Recalling", "Welcoming", "Reaffirming", "Welcoming", "Recalling", "Recalling also",
    "Underlining", "Welcoming", "Welcoming also", "Welcoming further", "Welcoming", "Recognizing", "Underlining",
    "Noting", "Welcoming",
]  # fmt: skip


@pytest.mark.corpus
def test_resolution_77_273_in_english():
    resolution = akn.parse(published("GAresolutions/77session/English/A_RES_77_273-E.xml"))

    assert (resolution.symbol, resolution.body, resolution.language) == ("A/RES/77/273", "GA", "en")
    assert (
        resolution.title
        == "Role of the United Nations Regional Centre for Preventive Diplomacy for Central Asia"
    )
    assert [p.lead_phrase for p in resolution.preambular] == GUIDED_TO_WELCOMING
    assert [(p.number, p.lead_phrase) for p in resolution.operative] == [
        ("1", "Encourages"),
        ("2", "Also encourages"),
        ("3", "Welcomes"),
        ("4", "Encourages"),
    ]
    assert resolution.preambular[13].text.startswith(", in this regard, the Ashgabat Declaration")
    assert len(resolution.footnotes) == 7
    assert resolution.footnotes[0].text == "S/2007/279 and S/2007/280."
    assert resolution.preambular[2].text.endswith("in Ashgabat,[^1]")
    for symbol in ("A/RES/72/7", "A/RES/75/272", "A/RES/76/299", "A/RES/60/288", "S/2007/279", "A/76/920"):
        assert symbol in resolution.references
    assert resolution.adopted_on == datetime.date(2023, 2, 24)
    assert resolution.distributed_on == datetime.date(2023, 3, 2)
    assert resolution.draft_symbol == "A/77/L.53"
    assert resolution.meeting == "60th plenary meeting"
    assert resolution.vote.method == "without_vote"
    assert [(item.number, item.title) for item in resolution.agenda_items] == [
        ("58", "Peacebuilding and sustaining peace")
    ]
    assert "16" in resolution.sdg_goals
    assert "PREVENTIVE DIPLOMACY" in resolution.unbis_terms
    assert resolution.sponsors[:2] == ["Angola", "Equatorial Guinea"]
    assert "Bolivia (Plurinational State of)" in resolution.sponsors


@pytest.mark.corpus
@pytest.mark.parametrize(("session", "number"), [("77", "273"), ("75", "272")])
def test_the_six_languages_share_paragraphs_and_eids(session, number):
    versions = {
        language: akn.parse(published(f"GAresolutions/{session}session/{folder}/*_{number}[-_]*.xml"))
        for folder, language in LANGUAGES.items()
    }

    english = versions["en"]
    for language, resolution in versions.items():
        assert resolution.language == language
        assert resolution.symbol == f"A/RES/{session}/{number}"
        assert [p.eid for p in resolution.preambular] == [p.eid for p in english.preambular], language
        assert [(p.eid, p.number) for p in resolution.operative] == [
            (p.eid, p.number) for p in english.operative
        ], language
        assert len(resolution.footnotes) == len(english.footnotes), language
        assert all(p.lead_phrase for p in resolution.preambular + resolution.operative), language
        assert resolution.adopted_on == english.adopted_on
    assert versions["fr"].operative[1].lead_phrase == (
        "Encourage également" if number == "273" else "Se félicite"
    )


@dataclass
class Corpus:
    files: list
    resolutions: dict  # path -> the resolutions parsed from it
    errors: dict  # path -> ParseError message
    guessed: set  # (lead, text) pairs the English rules produced, for paragraphs without italics
    seconds: float


@pytest.fixture(scope="module")
def corpus():
    """Every published XML file, parsed once."""
    if not UNXML.is_dir():
        pytest.skip(f"../shared/data is absent: no {UNXML} to read the UN's XML files from")
    files = sorted(UNXML.rglob("*.xml"))
    guessed = set()
    guess = akn._guess_lead_phrase

    def recording_guess(paragraph_text):
        result = guess(paragraph_text)
        guessed.add(result)
        return result

    resolutions, errors = {}, {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(akn, "_guess_lead_phrase", recording_guess)
        start = time.perf_counter()
        for path in files:
            try:
                resolutions[path] = akn.parse_all(path.read_text(encoding="utf-8"))
            except ParseError as error:
                errors[path] = str(error)
        seconds = time.perf_counter() - start
    print(f"\nparsed {len(files)} AKN files in {seconds:.1f} s ({len(files) / seconds:.0f} files/s)")
    return Corpus(files, resolutions, errors, guessed, seconds)


@pytest.mark.corpus
def test_every_published_file_parses(corpus):
    assert len(corpus.files) > 1800
    # The one file that is not a resolution: a statement by the President of the Security Council.
    assert {path.name: message for path, message in corpus.errors.items()} == {
        "S_PRST_2020_11.xml": "S/PRST/2020/11 is not a resolution: its symbol has no /RES/"
    }
    for path, resolutions in corpus.resolutions.items():
        for resolution in resolutions:
            assert resolution.operative, path.name
            assert resolution.symbol and resolution.body in ("GA", "SC"), path.name


@pytest.mark.corpus
def test_no_annex_paragraph_is_operative(corpus):
    with_attachments = 0
    for path, resolutions in corpus.resolutions.items():
        source = resolutions[0].source_text
        if "<attachments" not in source:
            continue
        with_attachments += 1
        root = etree.fromstring(
            source.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True)
        )
        attached = {
            element.get("eId")
            for attachment in root.iter("{*}attachment")
            for element in attachment.iter("{*}paragraph", "{*}point")
        }
        for resolution in resolutions:
            assert resolution.annexes, path.name
            operative = {p.eid for p in resolution.operative} | {
                sub.eid for p in resolution.operative for sub in p.subparagraphs
            }
            assert not operative & attached, path.name
    assert with_attachments > 50


@pytest.mark.corpus
def test_texts_adopted_in_the_body_and_collections(corpus):
    by_symbol = {
        r.symbol: r for resolutions in corpus.resolutions.values() for r in resolutions if r.language == "en"
    }

    declaration = by_symbol["A/RES/75/1"]
    assert len(declaration.operative) == 1
    assert declaration.annexes[0].title.startswith("Declaration on the commemoration of the seventy-fifth")
    assert [p.number for p in declaration.annexes[0].paragraphs] == [str(n) for n in range(1, 22)]
    assert by_symbol["A/RES/76/84 A"].operative[0].lead_phrase == "Urges"
    assert by_symbol["A/RES/76/84 B"].operative[0].heading == "I. Introduction"


@pytest.mark.corpus
def test_votes_and_meetings_agree_with_the_uns_data_extract(corpus):
    extract = {}
    for path in (UNXML / "GAresolutions" / "data_extract").glob("*.json"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                extract[record["symbol"]] = record
    methods = {"Without a vote": "without_vote", "By a recorded vote": "recorded_vote"}
    compared = meetings = 0
    for resolutions in corpus.resolutions.values():
        for resolution in resolutions:
            record = extract.get(resolution.symbol)
            if record is None or resolution.language != "en" or resolution.body != "GA":
                continue
            compared += 1
            vote = resolution.vote
            assert vote.method == methods[record["adoption_type"]], resolution.symbol
            if vote.method == "recorded_vote":
                expected = [
                    int(record[f"MS_{side}_count"]) for side in ("in_favour", "against", "abstaining")
                ]
                assert [vote.yes, vote.no, vote.abstain] == expected, resolution.symbol
            meetings += resolution.meeting == record["adoption_meeting"]
    assert compared > 1600
    assert meetings / compared > 0.99


@pytest.mark.corpus
def test_lead_phrase_rules_agree_with_the_italics(corpus):
    """How often text.split_lead_phrase finds the words the UN italicised, in the English Assembly texts."""
    agree, disagreements = 0, collections.Counter()
    for path, resolutions in corpus.resolutions.items():
        if "GAresolutions" not in path.parts:
            continue
        for resolution in resolutions:
            if resolution.language != "en":
                continue
            for paragraph in resolution.preambular + resolution.operative:
                italics = paragraph.lead_phrase
                if not italics or (italics, paragraph.text) in corpus.guessed:
                    continue
                joiner = "" if paragraph.text[:1] in ",;:." else " "
                found, _ = text.split_lead_phrase(italics + joiner + paragraph.text)
                if found == italics:
                    agree += 1
                else:
                    disagreements[(italics, found)] += 1
    total = agree + sum(disagreements.values())
    # Measured 98.9% of 66,513 paragraphs; most misses are two verbs joined ("Welcomes and encourages").
    assert total > 60000
    assert agree / total > 0.985, (agree / total, disagreements.most_common(20))


# --- Issue 11: sections, split preambles, long headings, annexes in the main body ------------


def test_a_preamble_split_around_a_main_body_keeps_every_paragraph_and_footnote():
    """Defect 1: every <preamble> is read, and the preambular paragraph left in the mainBody between."""
    resolution = parse_fixture("ga_split_preamble.xml")

    assert [p.lead_phrase for p in resolution.preambular] == [
        "Recalling",
        "Noting",
        "Calling attention also",
        "Noting",
        "Recognizing",
    ]
    assert [f.text for f in resolution.footnotes] == [
        "Placeholder footnote one.",
        "Placeholder footnote two.",
        "Placeholder footnote three.",
    ]
    assert resolution.preambular[4].text == "a fourth placeholder fact,[^3]"
    # The headings I and II group a numbering that runs on: structure, never paragraphs.
    assert [(p.section, p.number, p.heading) for p in resolution.operative] == [
        ("I", "1", "I. Placeholder first heading"),
        ("I", "2", ""),
        ("II", "3", "II. Placeholder second heading"),
    ]


def test_each_section_keeps_its_own_preamble_and_restarts_its_numbering():
    """Defects 1 and 3: section preambles, in the mainBody or as later preamble elements, are preambular;
    a long bold section title is a heading, not an operative paragraph."""
    resolution = parse_fixture("ga_sectioned.xml")

    assert [(p.section, p.lead_phrase, p.heading) for p in resolution.preambular] == [
        ("I", "Recalling", "I. Placeholder estimates"),
        ("I", "Having considered", ""),
        ("II", "Recalling", "II. Placeholder subvention"),
        (
            "III",
            "Having considered",
            "III. Regular placeholder process for reporting on the placeholder state of the placeholder "
            "environment, including placeholder aspects",
        ),
        ("IV", "Recalling", "IV. Placeholder floor salary scale"),
    ]
    assert [(p.section, p.number, p.lead_phrase) for p in resolution.operative] == [
        ("I", "1", "Takes note"),
        ("I", "2", "Approves"),
        ("II", "1", "Takes note"),
        ("II", "2", "Authorizes"),
        ("III", "1", "Welcomes"),
        ("IV", "", "Approves"),
    ]
    assert [f.marker for f in resolution.footnotes] == ["1", "2"]
    assert not any(p.lead_phrase == "Regular" for p in resolution.operative)


def test_a_security_council_annex_opened_in_the_main_body_is_an_annex():
    """Defect 4: "Designation" and "Annex" headings in mainBody open the annex; its entries are not
    operative paragraphs 1 and 2 again."""
    resolution = parse_fixture("sc_designation_annex.xml")

    assert [p.number for p in resolution.operative] == ["1", "2"]
    assert [(a.title, a.heading) for a in resolution.annexes] == [("Annex", "Designation")]
    assert [(p.number, p.lead_phrase) for p in resolution.annexes[0].paragraphs] == [
        ("1", "Placeholder Person One"),
        ("2", "Placeholder Person Two"),
    ]


def test_a_security_council_numbering_restarting_after_a_heading_opens_an_annex():
    """Defect 4, whatever the heading says: entries numbered from 1 again never duplicate op 1."""
    xml = (FIXTURES / "sc_designation_annex.xml").read_text(encoding="utf-8")
    xml = xml.replace(
        '<p><span class="bold">Designation</span></p><p><span class="bold">Annex</span></p>',
        '<p><span class="bold">Placeholder list of designated persons</span></p>',
    )
    resolution = akn.parse(xml)

    assert [p.number for p in resolution.operative] == ["1", "2"]
    assert [(a.title, a.heading) for a in resolution.annexes] == [
        ("Annex", "Placeholder list of designated persons")
    ]
    assert len(resolution.annexes[0].paragraphs) == 2


# --- Tables, printed notes and labels: nothing of the body dropped (issue 11) ------------


def test_a_table_is_text_of_the_paragraph_that_introduces_it():
    parsed = parse_fixture("ga_tables.xml")

    first = parsed.operative[0]
    assert [p.number for p in parsed.operative] == ["1", "2"]
    assert first.text.splitlines() == [
        "that appropriations for 2025 are approved as follows:",
        "Section | Amount (United States dollars)a",
        "1. Policymaking organs | 1 234 500",
        "2. Spring surveys | 67 800",
    ]


def test_a_table_opening_an_untitled_annex_is_its_first_paragraph_under_the_annex_heading():
    annex = parse_fixture("ga_tables.xml").annexes[0]

    assert (annex.title, annex.heading, annex.title_in_source) == ("Annex", "Staffing table for 2025", False)
    assert [p.text for p in annex.paragraphs] == ["Category | Posts\nProfessional | 12\nGeneral Service | 7"]


def test_notes_printed_as_paragraphs_are_footnotes_with_their_printed_marker():
    parsed = parse_fixture("ga_tables.xml")

    assert [(f.marker, f.text) for f in parsed.footnotes] == [
        ("1", "A/79/6 (Sect. 99)."),
        ("a", "See A/79/7."),
        ("*", "Posts of the Professional and higher categories only."),
    ]
    assert "A/79/7" in parsed.references


def test_labels_lead_phrases_and_numbered_headings_keep_every_letter():
    parsed = parse_fixture("ga_labels.xml")

    first, second, _ = parsed.operative
    assert first.lead_phrase == "Encourages"  # the italics stopped before the "s"
    assert [sub.label for sub in first.subparagraphs] == ["vii", "viii"]
    assert second.heading == "(i) Exemptions and notifications"
    recalling = parsed.preambular[0]
    assert [sub.label for sub in recalling.subparagraphs] == ["a", "b"]
    assert recalling.subparagraphs[-1].text == "Sharing the data, and the commitments contained therein,"


def test_a_cross_heading_marked_preamble_is_its_sections_preambular_paragraph():
    parsed = parse_fixture("ga_labels.xml")

    marked = parsed.preambular[-1]
    assert (marked.section, marked.lead_phrase, marked.eid) == ("II", "Recalling", "preamble_8")
    assert [(p.section, p.number) for p in parsed.operative] == [("I", "1"), ("I", "2"), ("II", "1")]
