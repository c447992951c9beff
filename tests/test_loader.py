import copy
from pathlib import Path

import pytest

from resolutions.importer import parse
from resolutions.importer.loader import IMPORTED, KEPT, UNCHANGED, UPDATED, LoadRefused, load
from resolutions.models import (
    Assessment,
    Footnote,
    ImplementationNote,
    Paragraph,
    ParagraphText,
    Reference,
    Resolution,
    ResolutionText,
)
from tests.factories import AssessmentFactory, NoteFactory

pytestmark = pytest.mark.django_db


def edited(parsed):
    """A copy of a parsed document, as if parsed from a corrected file (the loader knows a file by its text)."""
    copy_ = copy.deepcopy(parsed)
    copy_.source_text += "\n<!-- corrected -->"
    return copy_


def snapshot():
    """Everything the loader writes, as plain values, to compare before and after."""
    return {
        "resolutions": list(Resolution.objects.values()),
        "paragraphs": list(Paragraph.objects.order_by("pk").values()),
        "footnotes": list(Footnote.objects.order_by("pk").values()),
        "references": list(Reference.objects.order_by("pk").values()),
    }


def test_seed_loads_28_paragraphs_7_footnotes_and_references(seed_text):
    result = load(parse(seed_text))

    resolution = Resolution.objects.get(symbol="A/RES/77/273")
    assert result.outcome == IMPORTED
    assert resolution.paragraphs.count() == 28
    assert resolution.paragraphs.filter(kind="preambular").count() == 24
    assert list(resolution.paragraphs.operative().values_list("number", "lead_phrase")) == [
        ("1", "Encourages"),
        ("2", "Also encourages"),
        ("3", "Welcomes"),
        ("4", "Encourages"),
    ]
    assert resolution.footnotes.count() == 7
    assert resolution.adopted_on.isoformat() == "2023-02-24"
    assert resolution.draft_symbol == "A/77/L.53"
    assert resolution.meeting == "60th plenary meeting"
    symbols = set(resolution.references.values_list("symbol", flat=True))
    assert {"A/RES/72/7", "A/RES/75/272", "A/RES/76/299", "A/RES/60/288", "S/2007/279", "A/76/920"} <= symbols


def test_footnotes_are_linked_to_the_paragraphs_that_cite_them(seed_text):
    load(parse(seed_text))

    footnote = Footnote.objects.get(resolution__symbol="A/RES/77/273", marker="1")
    (paragraph,) = footnote.paragraphs.all()
    assert paragraph.lead_phrase == "Recalling also"
    assert "[^1]" in paragraph.text
    assert footnote.references.filter(symbol="S/2007/279").exists()


def test_importing_the_same_text_twice_changes_nothing(seed_text):
    load(parse(seed_text))
    before = snapshot()

    result = load(parse(seed_text))

    assert result.outcome == UNCHANGED
    assert snapshot() == before


def test_a_corrected_text_updates_paragraphs_in_place_and_keeps_notes(seed_text):
    load(parse(seed_text))
    op1 = Paragraph.objects.operative().get(resolution__symbol="A/RES/77/273", number="1")
    note = NoteFactory(paragraphs=[op1])
    assessment = AssessmentFactory(paragraph=op1)
    ids_before = set(Paragraph.objects.values_list("pk", flat=True))

    corrected = seed_text.replace("to play a proactive role", "to play a more proactive role")
    result = load(parse(corrected))

    assert result.outcome == UPDATED
    op1.refresh_from_db()
    assert "a more proactive role" in op1.text
    assert set(Paragraph.objects.values_list("pk", flat=True)) == ids_before
    assert list(ImplementationNote.objects.get(pk=note.pk).paragraphs.all()) == [op1]
    assert Assessment.objects.get(pk=assessment.pk).paragraph == op1


def test_a_new_paragraph_in_a_corrected_text_is_added_after_the_others(seed_text):
    parsed = parse(seed_text)
    load(parsed)
    longer = edited(parsed)
    fifth = copy.deepcopy(longer.operative[-1])
    fifth.number, fifth.lead_phrase, fifth.text = "5", "Decides", "to remain seized of the matter."
    longer.operative.append(fifth)

    load(longer)

    numbers = list(Paragraph.objects.operative().values_list("number", flat=True))
    assert numbers == ["1", "2", "3", "4", "5"]


def test_dropping_a_paragraph_that_has_notes_is_refused_and_writes_nothing(seed_text):
    parsed = parse(seed_text)
    load(parsed)
    op4 = Paragraph.objects.operative().get(number="4")
    NoteFactory(paragraphs=[op4])
    before = snapshot()
    shorter = edited(parsed)
    shorter.operative.pop()
    shorter.title = "A changed title that must not be saved"

    with pytest.raises(LoadRefused, match="op 4"):
        load(shorter)

    assert snapshot() == before


def test_dropping_a_paragraph_without_notes_deletes_it(seed_text):
    parsed = parse(seed_text)
    load(parsed)
    shorter = edited(parsed)
    shorter.operative.pop()

    load(shorter)

    assert list(Paragraph.objects.operative().values_list("number", flat=True)) == ["1", "2", "3"]


def test_citations_are_linked_both_ways_whatever_the_order_of_import(seed_text):
    cited = edited(parse(seed_text))
    cited.symbol, cited.number = "A/RES/75/272", "272"
    cited.title = "An earlier resolution of the series"
    load(parse(seed_text))
    reference = Reference.objects.get(resolution__symbol="A/RES/77/273", symbol="A/RES/75/272")
    assert reference.target is None

    load(cited)

    reference.refresh_from_db()
    earlier = Resolution.objects.get(symbol="A/RES/75/272")
    assert reference.target == earlier
    assert earlier.cited_by.filter(resolution__symbol="A/RES/77/273").exists()


def test_operative_numbers_that_restart_in_each_section_are_kept_apart(seed_text):
    parsed = parse(seed_text)
    for paragraph, number in zip(parsed.operative, ["1", "2", "1", "2"], strict=True):
        paragraph.number = number
    parsed.operative[2].heading = "II. Second section"
    load(parsed)
    second_section_1 = Paragraph.objects.operative().get(heading="II. Second section")
    NoteFactory(paragraphs=[second_section_1])
    corrected = edited(parsed)
    corrected.operative[3].text = "the Regional Centre to report back."

    load(corrected)

    assert Paragraph.objects.operative().count() == 4
    assert Paragraph.objects.get(pk=second_section_1.pk).notes.count() == 1
    assert Paragraph.objects.operative().last().text == "the Regional Centre to report back."


def translated(parsed, language):
    """The same resolution in another language: same structure, other words."""
    version = edited(parsed)
    version.language = language
    version.title = f"[{language}] {parsed.title}"
    for paragraph in [*version.preambular, *version.operative]:
        paragraph.lead_phrase = f"[{language}] {paragraph.lead_phrase}"
        paragraph.text = f"[{language}] {paragraph.text}"
    return version


def test_another_language_attaches_its_text_to_the_same_paragraphs(seed_text):
    english = parse(seed_text)
    load(english)
    ids = list(Paragraph.objects.values_list("pk", flat=True))

    result = load(translated(english, "fr"))

    resolution = result.resolution
    assert result.outcome == UPDATED
    assert resolution.languages == ["en", "fr"]
    assert list(Paragraph.objects.values_list("pk", flat=True)) == ids
    op2 = Paragraph.objects.operative().get(number="2")
    texts = {text.language: text.lead_phrase for text in op2.texts.all()}
    assert texts == {"en": "Also encourages", "fr": "[fr] Also encourages"}
    assert op2.lead_phrase == "Also encourages"  # the primary language stays English
    assert resolution.footnotes.filter(language="fr").count() == 7


def test_a_language_version_whose_structure_differs_is_refused_and_writes_nothing(seed_text):
    english = parse(seed_text)
    load(english)
    before = snapshot()
    french = translated(english, "fr")
    french.operative.pop()

    with pytest.raises(LoadRefused, match="does not match"):
        load(french)

    assert snapshot() == before
    assert not ParagraphText.objects.filter(language="fr").exists()


def test_english_becomes_the_primary_language_when_it_arrives_after_another(seed_text):
    english = parse(seed_text)
    load(translated(english, "ru"))

    load(english)

    resolution = Resolution.objects.get()
    assert resolution.language == "en"
    assert resolution.languages == ["en", "ru"]
    assert Paragraph.objects.operative().get(number="1").lead_phrase == "Encourages"
    assert set(resolution.references.values_list("symbol", flat=True)) >= {"A/RES/72/7", "S/2007/279"}


ANNEX_FIXTURE = "tests/fixtures/akn/ga_annex.xml"


def annex_version(language, code, annex_word):
    """The annex fixture as another language version: its annex titles in that language's words."""
    xml = Path(ANNEX_FIXTURE).read_text(encoding="utf-8")
    xml = xml.replace('language="eng"', f'language="{code}"')
    xml = xml.replace(">Annex I<", f">{annex_word} I<").replace(">Annex II<", f">{annex_word} II<")
    return parse(xml)


def test_annexes_are_matched_across_languages_by_position_never_by_title():
    """Issue 11, defect 2: "Annex" / "Annexe" / "Anexo" / "Приложение" / "المرفق" / "附件" are the same annex."""
    english = annex_version("en", "eng", "Annex")
    load(english)
    ids = list(Paragraph.objects.order_by("order").values_list("pk", flat=True))
    assert Paragraph.objects.exclude(annex="").values("annex").distinct().count() == 2

    for language, code, word in (
        ("fr", "fra", "Annexe"),
        ("es", "spa", "Anexo"),
        ("ru", "rus", "Приложение"),
        ("ar", "ara", "المرفق"),
        ("zh", "zho", "附件"),
    ):
        version = annex_version(language, code, word)
        assert [annex.title for annex in version.annexes] == [f"{word} I", f"{word} II"]
        assert load(version).outcome == UPDATED

    resolution = Resolution.objects.get()
    assert resolution.languages == ["en", "ar", "es", "fr", "ru", "zh"]
    assert list(Paragraph.objects.order_by("order").values_list("pk", flat=True)) == ids
    for paragraph in Paragraph.objects.all():
        assert sorted(paragraph.texts.values_list("language", flat=True)) == [
            "ar",
            "en",
            "es",
            "fr",
            "ru",
            "zh",
        ]
    # The English titles stay the stored ones.
    assert set(Paragraph.objects.exclude(annex="").values_list("annex", flat=True)) == {"Annex I", "Annex II"}


def test_sections_are_stored_in_reading_order_with_unique_addresses():
    """Issue 11: each section's preamble is stored before its operative part; numbers that restart in
    each section address their paragraphs uniquely ("II.1")."""
    parsed = parse(Path("tests/fixtures/akn/ga_sectioned.xml").read_text(encoding="utf-8"))

    load(parsed)

    rows = list(Paragraph.objects.order_by("order").values_list("kind", "section", "number", "lead_phrase"))
    assert rows == [
        ("preambular", "I", "1", "Recalling"),
        ("preambular", "I", "2", "Having considered"),
        ("operative", "I", "1", "Takes note"),
        ("operative", "I", "2", "Approves"),
        ("preambular", "II", "1", "Recalling"),
        ("operative", "II", "1", "Takes note"),
        ("operative", "II", "2", "Authorizes"),
        ("preambular", "III", "1", "Having considered"),
        ("operative", "III", "1", "Welcomes"),
        ("preambular", "IV", "1", "Recalling"),
        ("operative", "IV", "", "Approves"),
    ]
    addresses = [p.address for p in Paragraph.objects.operative().exclude(number="")]
    assert addresses == ["I.1", "I.2", "II.1", "II.2", "III.1"]
    assert Footnote.objects.count() == 2
    assert Paragraph.objects.get(section="II", kind="preambular").heading == "II. Placeholder subvention"


def test_a_split_preamble_is_stored_whole_and_reimport_keeps_notes():
    parsed = parse(Path("tests/fixtures/akn/ga_split_preamble.xml").read_text(encoding="utf-8"))
    load(parsed)
    assert Paragraph.objects.filter(kind="preambular").count() == 5
    assert Footnote.objects.count() == 3
    op3 = Paragraph.objects.operative().get(number="3")
    NoteFactory(paragraphs=[op3])

    assert load(edited(parsed)).outcome == UPDATED

    assert Paragraph.objects.get(pk=op3.pk).notes.count() == 1


# --- One source wins (issue 18): Akoma Ntoso XML over PDF text over Markdown, per language -------

PDF_TEXT_77_273 = Path("tests/fixtures/pdftext/A_RES_77_273.txt")
XML_77_273 = Path("unxml/GAresolutions/77session/{language}/A_RES_77_273-{code}.xml")


def official_xml(shared_data_dir, language="English", code="E"):
    return parse((shared_data_dir / str(XML_77_273).format(language=language, code=code)).read_text("utf-8"))


def test_a_richer_source_replaces_a_poorer_one_and_keeps_notes(seed_text):
    load(parse(seed_text))
    op1 = Paragraph.objects.operative().get(number="1")
    NoteFactory(paragraphs=[op1])

    result = load(parse(PDF_TEXT_77_273.read_text(encoding="utf-8")))

    assert result.outcome == UPDATED
    assert Resolution.objects.get().texts.get().source_format == "text"
    assert Paragraph.objects.get(pk=op1.pk).notes.count() == 1


def test_a_poorer_source_of_the_same_language_is_kept_out_and_writes_nothing(seed_text):
    pdf_text = PDF_TEXT_77_273.read_text(encoding="utf-8")
    load(parse(pdf_text))
    before = snapshot()
    held = ResolutionText.objects.values("source_format", "source_text", "import_digest").get()

    result = load(parse(seed_text))

    assert result.outcome == KEPT
    assert result.reason == (
        "A/RES/77/273 [en] is held from its official PDF text, richer than this Markdown"
    )
    assert result.describe() == f"kept \u2013 {result.reason}"
    assert snapshot() == before
    assert ResolutionText.objects.values("source_format", "source_text", "import_digest").get() == held
    # And the richer source itself, offered again, is recognised: no flip-flop.
    assert load(parse(pdf_text)).outcome == UNCHANGED


def test_another_language_in_a_poorer_source_is_no_downgrade(seed_text):
    """Ranks compare versions of one language: a French Markdown beside an English PDF text attaches."""
    load(parse(PDF_TEXT_77_273.read_text(encoding="utf-8")))
    french = translated(parse(seed_text), "fr")

    assert load(french).outcome == UPDATED
    assert load(french).outcome == UNCHANGED
    resolution = Resolution.objects.get()
    assert resolution.languages == ["en", "fr"]
    assert dict(resolution.texts.values_list("language", "source_format")) == {"en": "text", "fr": "markdown"}
    assert resolution.language == "en"


@pytest.mark.corpus
def test_the_official_xml_is_kept_against_pdf_text_and_markdown_in_any_order(shared_data_dir, seed_text):
    xml = official_xml(shared_data_dir)
    pdf_text = parse(PDF_TEXT_77_273.read_text(encoding="utf-8"))

    outcomes = [
        load(document).outcome for document in (parse(seed_text), xml, pdf_text, parse(seed_text), xml)
    ]

    assert outcomes == [IMPORTED, UPDATED, KEPT, KEPT, UNCHANGED]
    version = ResolutionText.objects.get()
    assert version.source_format == "akn"
    assert Resolution.objects.get().sponsors  # only the XML names the sponsors


@pytest.mark.corpus
def test_english_and_french_official_xml_are_not_downgrades_of_each_other(shared_data_dir, seed_text):
    english, french = official_xml(shared_data_dir), official_xml(shared_data_dir, "French", "F")

    assert [load(document).outcome for document in (english, french, english, french)] == [
        IMPORTED,
        UPDATED,
        UNCHANGED,
        UNCHANGED,
    ]
    assert load(parse(seed_text)).outcome == KEPT  # the English Markdown, after both
    resolution = Resolution.objects.get()
    assert dict(resolution.texts.values_list("language", "source_format")) == {"en": "akn", "fr": "akn"}
    assert resolution.meeting == "60th plenary meeting"  # English stays the primary language
