"""The coverage check: every word of a document's body in exactly one stored place (issue 11)."""

import copy
from pathlib import Path

import pytest

from resolutions.importer import akn, parse, parse_all
from resolutions.importer.coverage import measure
from resolutions.importer.loader import load
from resolutions.models import Paragraph, ParagraphText
from tests.conftest import SEED

FIXTURES = Path(__file__).parent / "fixtures" / "akn"


def parse_fixture(name):
    return akn.parse((FIXTURES / name).read_text(encoding="utf-8"))


def test_every_word_of_a_resolution_with_tables_and_printed_notes_is_placed():
    coverage = measure(parse_fixture("ga_tables.xml"))

    assert coverage.complete
    assert coverage.percent == 100
    assert coverage.source_words == 81
    assert coverage.describe() == "coverage 100 %"


def test_a_first_paragraph_misprinted_with_the_letter_l_is_paragraph_1_and_its_word_is_placed():
    """As in A/RES/76/256: <num>l.</num> for 1. The importer stores paragraph 1; the source's "l" is
    the word that number stands for, so nothing is left unplaced."""
    source = (FIXTURES / "ga_annex.xml").read_text(encoding="utf-8")
    misprinted = source.replace("<num>1.</num>", "<num>l.</num>", 1)
    assert misprinted != source

    parsed = akn.parse(misprinted)
    coverage = measure(parsed)

    assert parsed.operative[0].number == "1" and parsed.operative[0].number_as_printed == "l"
    assert coverage.complete, coverage.describe()
    assert coverage.source_words == measure(akn.parse(source)).source_words


def test_an_element_the_importer_does_not_read_is_named_with_its_first_words():
    coverage = measure(parse_fixture("ga_unknown_element.xml"))

    assert not coverage.complete
    assert [gap.where for gap in coverage.unplaced] == ['<blockContainer eId="blockContainer_4">']
    assert coverage.unplaced_words == 8
    assert coverage.describe() == (
        "coverage 75.8 %: 8 word(s) of the source left unplaced: "
        '<blockContainer eId="blockContainer_4">: “springs fed by glaciers shall be mapped first” (8 words)'
    )


def test_a_dropped_footnote_is_reported_where_the_source_holds_it():
    parsed = parse_fixture("ga_tables.xml")
    parsed.footnotes = [note for note in parsed.footnotes if note.marker != "1"]

    coverage = measure(parsed)

    assert [gap.where for gap in coverage.unplaced] == ['<authorialNote eId="authorialNote_1">']
    assert " ".join(coverage.unplaced[0].words) == "1 a 79 6 sect 99"


def test_a_dropped_annex_heading_is_reported():
    parsed = parse_fixture("ga_tables.xml")
    parsed.annexes[0].heading = ""

    assert " ".join(measure(parsed).unplaced[0].words) == "staffing table for 2025"


def test_words_stored_twice_lower_coverage_and_name_the_place():
    parsed = parse_fixture("ga_labels.xml")
    parsed.operative[1].text += " " + parsed.operative[1].text

    coverage = measure(parsed)

    assert not coverage.complete and not coverage.unplaced
    assert coverage.repeated_words == 8  # "that springs used for drinking water are exempt"
    assert coverage.repeated[0].where == "text of op 2 1"
    assert coverage.percent < 100


def test_a_title_the_importer_gives_an_untitled_attachment_is_not_a_word_of_the_source():
    parsed = parse_fixture("ga_tables.xml")
    assert parsed.annexes[0].title_in_source is False

    parsed.annexes[0].title_in_source = True  # as if the source had printed "Annex"

    assert [gap.words for gap in measure(parsed).repeated] == [["annex"]]


def test_a_part_of_a_document_collection_is_measured_against_its_own_statement():
    for parsed in akn.parse_all((FIXTURES / "ga_parts.xml").read_text(encoding="utf-8")):
        assert measure(parsed).complete, (parsed.symbol, measure(parsed).describe())


# --- PDF text and Markdown ----------------------------------------------------------------

TEXT_FIXTURES = Path(__file__).parent / "fixtures" / "pdftext"
MARKDOWN_FIXTURES = Path(__file__).parent / "fixtures" / "markdown"


def text_fixture(name):
    return (TEXT_FIXTURES / name).read_text(encoding="utf-8")


def measure_text(text):
    """The coverage of every document in a text, measured as the import measures it."""
    documents = parse_all(text)
    return [measure(parsed, documents) for parsed in documents]


@pytest.mark.parametrize(
    "path",
    [*sorted(TEXT_FIXTURES.glob("*.txt")), *sorted(MARKDOWN_FIXTURES.glob("*.md")), SEED],
    ids=lambda path: path.name,
)
def test_every_word_of_our_pdf_text_and_markdown_fixtures_is_placed(path):
    for coverage in measure_text(path.read_text(encoding="utf-8")):
        assert coverage.measured
        assert coverage.describe() == "coverage 100 %", coverage.describe()
        assert coverage.source_words > 20


def test_a_paragraph_the_pdf_parser_loses_is_named_by_its_line_and_first_words():
    text = text_fixture("annex.txt")
    parsed = parse(text)
    lost = parsed.annexes[0].paragraphs.pop(1)
    assert lost.number == "2"

    coverage = measure(parsed)

    assert not coverage.complete
    lines = text.split("\n")

    def line(start):
        return 1 + next(at for at, line in enumerate(lines) if line.startswith(start))

    assert [str(gap) for gap in coverage.unplaced[:3]] == [
        f"line {line('Councils should:') - 1}: “councils should” (2 words)",  # its block opens with "2."
        f"line {line('(a)')}: “a meet at least twice a year” (7 words)",
        f"line {line('(b)')}: “b publish their decisions” (4 words)",
    ]
    assert coverage.unplaced_words == 14  # and the number "2", counted where another "2" is


def test_page_furniture_is_no_word_of_the_body_but_a_running_header_kept_in_a_paragraph_is_repeated():
    parsed = parse(text_fixture("running_header_wrapped.txt"))
    assert measure(parsed).complete  # the header cut into three lines around the job number is furniture

    parsed.operative[1].text += " Role of the United Nations Regional Centre"

    coverage = measure(parsed)
    assert not coverage.unplaced
    assert coverage.repeated[0].where == "text of op 2 1"
    assert sorted(word for gap in coverage.repeated for word in gap.words) == sorted(
        ["role", "of", "the", "united", "nations", "regional", "centre"]
    )


def test_labels_the_importer_gives_where_the_extractor_lost_them_are_not_words_of_the_source():
    parsed = parse(text_fixture("footnote_across_pages_flowing.txt"))
    given = [sub for p in parsed.operative for sub in p.subparagraphs if not sub.label_in_source]
    assert [sub.label for sub in given] == ["a", "b"]
    assert measure(parsed).complete

    given[1].label_in_source = True  # as if the source had printed "(b)"

    assert [gap.words for gap in measure(parsed).repeated] == [["b"]]


def test_a_year_with_a_footnote_marker_glued_to_it_is_placed():
    text = text_fixture("footnote_across_pages.txt")
    assert "outcome documents of 20173 and 2021" in text
    parsed = parse(text)
    assert "20173" not in str(parsed.as_json()) and "[^3]" in str(parsed.as_json())

    assert measure(parsed).complete


def test_the_parts_of_a_pdf_text_are_measured_together_the_later_parts_heading_as_its_title():
    first, second = parse_all(text_fixture("parts.txt"))
    assert (second.symbol, second.title) == ("A/RES/79/260 B", "Cybersecurity")

    assert measure(second, [first, second]).complete
    assert not measure(second).complete  # alone, part B holds none of part A's words


def test_a_markdown_footnote_the_parser_loses_is_reported_and_link_targets_are_not_words():
    text = SEED.read_text(encoding="utf-8").replace("[72/7](#)", "[72/7](https://undocs.org/A/RES/72/7)")
    parsed = parse(text)
    assert measure(parsed).complete

    parsed.footnotes = [note for note in parsed.footnotes if note.marker != "2"]

    coverage = measure(parsed)
    assert [" ".join(gap.words) for gap in coverage.unplaced] == [
        "2 kazakhstan kyrgyzstan tajikistan turkmenistan and uzbekistan"
    ]
    assert coverage.unplaced[0].where.startswith("line ")


def test_a_format_without_a_reader_says_coverage_is_not_measured():
    parsed = parse(SEED.read_text(encoding="utf-8"))
    parsed.source_format = "docx"

    coverage = measure(parsed)

    assert not coverage.measured and coverage.complete
    assert coverage.describe() == "coverage not measured for this format"


@pytest.mark.corpus
def test_every_pdf_text_of_the_shared_corpus_is_placed_word_for_word(shared_data_dir):
    files = sorted((shared_data_dir / "pdftext").glob("*.txt"))
    assert len(files) >= 8
    words = placed = 0
    short = {}
    for path in files:
        for coverage in measure_text(path.read_text(encoding="utf-8")):
            words += coverage.source_words
            placed += coverage.source_words - coverage.unplaced_words
            if not coverage.complete:
                short[path.name] = coverage.describe()
    print(
        f"\nPDF text coverage: {placed} of {words} words placed over {len(files)} files, {len(short)} short"
    )

    assert short == {}
    assert words > 20_000


@pytest.mark.django_db
def test_the_annex_heading_is_stored_above_its_first_paragraph_in_every_language():
    parsed = parse_fixture("ga_tables.xml")
    load(parsed)
    french = copy.deepcopy(parsed)
    french.language, french.source_text = "fr", parsed.source_text + "<!-- fr -->"
    french.annexes[0].heading = "Tableau d’effectifs pour 2025"
    load(french)

    first = Paragraph.objects.get(resolution__symbol="A/RES/79/901", annex="Annex")
    assert first.heading == "Staffing table for 2025"
    assert (
        ParagraphText.objects.get(paragraph=first, language="fr").heading == "Tableau d’effectifs pour 2025"
    )
