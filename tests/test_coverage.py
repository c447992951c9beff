"""The coverage check: every word of a document's body in exactly one stored place (issue 11)."""

import copy
from pathlib import Path

import pytest

from resolutions.importer import akn, parse
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


def test_formats_without_a_word_count_say_so():
    coverage = measure(parse(SEED.read_text(encoding="utf-8")))

    assert not coverage.measured and coverage.complete
    assert coverage.describe() == "coverage not measured for this format"


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
