"""The UN's own published files, imported whole, and every public page rendered with them (reads
../shared/data; skipped, saying so, where absent)."""

import json
import re
from collections import Counter, defaultdict
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from resolutions.models import (
    Country,
    Footnote,
    Paragraph,
    ParagraphText,
    Reference,
    Resolution,
    ResolutionText,
    Series,
    SeriesLink,
)

pytestmark = [pytest.mark.django_db, pytest.mark.corpus]


def import_folder(folder):
    out, err = StringIO(), StringIO()
    call_command("import_resolution", str(folder), "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def counts():
    return [
        m.objects.count() for m in (Resolution, Paragraph, ParagraphText, Footnote, Reference, ResolutionText)
    ]


def test_every_xml_file_imports_every_page_renders_and_a_second_run_changes_nothing(client, shared_data_dir):
    """The whole shared corpus, imported once for three checks (one import of ~1,900 files is a
    minute and a half of the suite): every file imports; every public page renders with all of it
    held; importing it again changes nothing."""
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

    call_command("load_bundled_data", stdout=StringIO())  # the seed's vocabularies and demo notes too
    assert every_public_page_fails(client) == []
    series_found_and_the_hand_checked_sample_aligned()

    before = counts()
    _, err = import_folder(folder)

    assert "0 imported, 0 updated" in err.strip().splitlines()[-1]
    assert counts() == before


SERIES_SAMPLE = Path(__file__).parent / "fixtures" / "series_sample.json"


def paragraph_keys(resolution):
    """{paragraph pk: its label}, a label shown twice in the resolution followed by its order (as
    tests/fixtures/series_sample.json names them)."""
    paragraphs = list(resolution.paragraphs.select_related("parent__parent").order_by("order"))
    seen = Counter(paragraph.label for paragraph in paragraphs)
    return {p.pk: p.label if seen[p.label] == 1 else f"{p.label} [order {p.order}]" for p in paragraphs}


def series_found_and_the_hand_checked_sample_aligned():
    """Issue 16: the series the import found over the whole corpus (printed), and a sample of 33
    predecessor pairs checked by hand: each found as the pair, and at least 95 % of their
    paragraphs aligned as the reading has it (printed)."""
    links = SeriesLink.objects.exclude(predecessor=None)
    series = Series.objects.annotate(held=Count("resolutions")).filter(held__gte=2)
    sample = json.loads(SERIES_SAMPLE.read_text(encoding="utf-8"))["pairs"]
    right = total = 0
    wrong_pairs = []
    for pair in sample:
        successor = Resolution.objects.get(symbol=pair["successor"])
        link = SeriesLink.objects.filter(successor=successor).select_related("predecessor").first()
        if link is None or link.predecessor is None or link.predecessor.symbol != pair["predecessor"]:
            wrong_pairs.append(pair["successor"])
            continue
        new, old = paragraph_keys(successor), paragraph_keys(link.predecessor)
        found = {
            new[row.paragraph_id]: old.get(row.predecessor_paragraph_id)
            for row in successor.alignments.exclude(paragraph=None)
        }
        expected = pair["alignment"]
        # Each successor paragraph: the counterpart read; each predecessor paragraph: dropped or not.
        right += sum(found.get(label, "missing") == counterpart for label, counterpart in expected.items())
        total += len(expected)
        kept = {value for value in expected.values() if value}
        kept_found = {value for value in found.values() if value}
        right += sum((label in kept) == (label in kept_found) for label in old.values())
        total += len(old)
    accuracy = right / total
    print(
        f"\nSeries: {series.count()} series of 2 or more resolutions, {links.count()} predecessor links "
        f"({links.filter(successor__body='SC').count()} in the Security Council); hand-checked "
        f"sample: {len(sample) - len(wrong_pairs)} of {len(sample)} pairs found, {right} of {total} "
        f"paragraphs aligned as read ({accuracy:.1%})"
    )
    assert wrong_pairs == []
    assert accuracy >= 0.95
    assert len(sample) >= 30


def every_public_page_fails(client):
    """(url, params, status) of every public page that does not answer 200 with the corpus held: the
    lists (first and last page, typical filters), search, each resolution in each of its languages,
    one operative paragraph in five resolutions, and the pages of countries with votes."""
    failures = []

    def get(url, **params):
        response = client.get(url, params)
        if response.status_code != 200:
            failures.append((url, params, response.status_code))
        return response

    listed = {page: get(reverse(f"resolutions:{page}")) for page in ("home", "resolution-list", "note-list")}
    pages = listed["resolution-list"].context["paginator"].num_pages
    get(reverse("resolutions:resolution-list"), page=pages)
    for params in ({"body": "SC"}, {"session": "76", "ordering": "-symbol"}, {"year": "2022"}, {"sdg": "16"}):
        get(reverse("resolutions:resolution-list"), **params)
    for query in ("Central Asia", "A/RES/77/273", "climate change", "terrorism"):
        assert "<mark>" in get(reverse("resolutions:search"), q=query).text, query

    for resolution in Resolution.objects.prefetch_related("texts"):
        for language in resolution.languages:
            get(resolution.get_absolute_url(), lang=language)
    # One operative paragraph in five resolutions: the page is the same shape for all.
    for paragraph in list(Paragraph.objects.operative().filter(number="1").select_related("resolution"))[::5]:
        get(paragraph.get_absolute_url())
    for country in Country.objects.filter(votes__isnull=False).distinct()[:20]:
        get(country.get_absolute_url())
    return failures


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
