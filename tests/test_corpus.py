"""The UN's own published files, imported whole (reads ../shared/data; skipped, saying so, where absent)."""

import re
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command

from resolutions.models import Footnote, Paragraph, ParagraphText, Reference, Resolution, ResolutionText

pytestmark = [pytest.mark.django_db, pytest.mark.corpus]


def import_folder(folder):
    out, err = StringIO(), StringIO()
    call_command("import_resolution", str(folder), "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def counts():
    return [
        m.objects.count() for m in (Resolution, Paragraph, ParagraphText, Footnote, Reference, ResolutionText)
    ]


def test_every_xml_file_imports_and_a_second_run_changes_nothing(shared_data_dir):
    folder = shared_data_dir / "unxml"
    files = list(folder.rglob("*.xml"))

    out, err = import_folder(folder)

    summary = err.strip().splitlines()[-1]
    assert summary.endswith("0 failed"), err[-3000:]
    # The one file that is not a resolution (a presidential statement) is passed over, and says so.
    assert "1 skipped" in summary
    assert "S/PRST/2020/11 is not a resolution" in out
    assert Resolution.objects.count() >= len(files) - 1 - 6 * 3  # six languages of three resolutions
    assert (
        not Paragraph.objects.filter(kind="operative", annex="", parent=None)
        .exclude(resolution__in=Resolution.objects.filter(paragraphs__kind="operative"))
        .exists()
    )
    before = counts()

    _, err = import_folder(folder)

    assert "0 imported, 0 updated" in err.strip().splitlines()[-1]
    assert counts() == before


def test_77_273_in_six_languages_is_one_resolution_with_six_texts_a_paragraph(shared_data_dir):
    folder = shared_data_dir / "unxml" / "GAresolutions" / "77session"
    for language in ("Arabic", "Chinese", "English", "French", "Russian", "Spanish"):
        call_command(
            "import_resolution",
            *map(str, (folder / language).glob("*77_273*")),
            stdout=StringIO(),
            stderr=StringIO(),
        )

    resolution = Resolution.objects.get(symbol="A/RES/77/273")
    assert resolution.languages == ["en", "ar", "es", "fr", "ru", "zh"]
    assert resolution.paragraphs.count() == 28
    for paragraph in resolution.paragraphs.all():
        texts = list(paragraph.texts.all())
        assert sorted(t.language for t in texts) == ["ar", "en", "es", "fr", "ru", "zh"]
        assert all(t.lead_phrase and t.text for t in texts), paragraph
    assert resolution.footnotes.filter(language="ru").count() == 7


def test_citations_link_both_ways_whatever_the_order(shared_data_dir):
    folder = shared_data_dir / "unxml" / "GAresolutions"
    call_command(
        "import_resolution", *map(str, (folder / "77session" / "English").glob("*77_273*")), stdout=StringIO()
    )
    citation = Reference.objects.get(
        resolution__symbol="A/RES/77/273", symbol="A/RES/75/272", paragraph__isnull=False
    )
    assert citation.target is None

    call_command(
        "import_resolution", *map(str, (folder / "75session" / "English").glob("*75_272*")), stdout=StringIO()
    )

    citation.refresh_from_db()
    assert citation.target.symbol == "A/RES/75/272"
    assert (
        Resolution.objects.get(symbol="A/RES/75/272")
        .cited_by.filter(resolution__symbol="A/RES/77/273")
        .exists()
    )


def language_versions(folder):
    """{work: [files]} for every resolution the corpus holds in more than one language; a work is
    the language-free FRBRthis of the file's Akoma Ntoso metadata (its first one)."""

    work = re.compile(r'FRBRthis value="([^"]+)"')
    language = re.compile(r'FRBRlanguage language="([a-z]{3})"')
    found = defaultdict(dict)
    for path in sorted(folder.rglob("*.xml")):
        head = path.read_text(encoding="utf-8", errors="replace")[:20_000]
        if (this := work.search(head)) and (code := language.search(head)):
            found[this.group(1)][code.group(1)] = path
    return {key: sorted(files.values()) for key, files in found.items() if len(files) > 1}


def test_every_resolution_held_in_several_languages_attaches_every_language_to_every_paragraph(
    shared_data_dir,
):
    """Issue 11: the six-language import of every shared resolution (those with an annex among them)
    attaches every language's text to every paragraph and annex paragraph, and every language's
    footnotes."""
    groups = language_versions(shared_data_dir / "unxml")
    assert len(groups) >= 4  # 72/7's successors 75/272, 77/273 and 76/299 in six languages; 75/274 in two

    annexed = 0
    for files in groups.values():
        out, err = StringIO(), StringIO()
        call_command("import_resolution", *map(str, files), "--no-progress", stdout=out, stderr=err)
        assert "0 failed" in err.getvalue(), err.getvalue()
        symbols = set(re.findall(r": (?:imported|updated) (.+?) \[\w+\]", out.getvalue()))
        assert len(symbols) == 1, out.getvalue()
        resolution = Resolution.objects.get(symbol=symbols.pop())
        languages = sorted(resolution.languages)
        assert len(languages) == len(files), (resolution.symbol, languages)
        annexed += resolution.paragraphs.exclude(annex="").exists()
        for paragraph in resolution.paragraphs.all():
            texts = {text.language: text for text in paragraph.texts.all()}
            assert sorted(texts) == languages, (resolution.symbol, paragraph.label)
            assert all(text.text for text in texts.values()), (resolution.symbol, paragraph.label)
        notes = {language: resolution.footnotes.filter(language=language).count() for language in languages}
        assert len(set(notes.values())) == 1, (resolution.symbol, notes)
    print(f"\n{len(groups)} resolutions held in several languages, {annexed} of them with an annex")
