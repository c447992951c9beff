"""Links everywhere (issue 12, item 7): cited symbols linked, each paragraph's permalink and citation,
published notes beside their paragraphs, downloads of the same filter, and metadata for sharing."""

import csv as csv_module
import datetime
import io
import re
from html import unescape

import pytest
from django.urls import reverse

from resolutions.models import Footnote, NoteState, Paragraph, ParagraphKind
from tests.factories import NoteFactory, ParagraphFactory, ResolutionFactory, ThemeFactory

pytestmark = pytest.mark.django_db

SYMBOL = "A/RES/77/273"


def op(resolution, number):
    return Paragraph.objects.operative().get(resolution=resolution, number=number)


def meta(html, key):
    """The content of <meta property|name="key">, or of <link rel="canonical"> for "canonical"."""
    if key == "canonical":
        match = re.search(r'<link rel="canonical" href="([^"]*)">', html)
    else:
        match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    return unescape(match.group(1)) if match else None


# --- Symbols in paragraphs, footnotes and notes ------------------------------------------------------


def test_a_symbol_held_here_links_to_its_page_and_one_not_held_to_the_uns(client, seeded):
    held = ResolutionFactory(symbol="A/RES/75/272", title="An earlier resolution of the series")

    page = client.get(seeded.get_absolute_url()).text

    # The seed's preamble: "Recalling its resolutions 72/7 of 17 November 2017 and 75/272 of 16 April 2021".
    assert f'<a class="document-symbol" href="{held.get_absolute_url()}">75/272</a>' in page
    assert '<a class="document-symbol" href="https://undocs.org/en/A/RES/72/7">72/7</a>' in page
    assert '<a class="document-symbol" href="https://undocs.org/en/A/RES/76/299">76/299</a>' in page


def test_a_footnotes_symbols_are_linked(client, seeded):
    footnote = Footnote.objects.filter(resolution=seeded, text__contains="A/").first()
    assert footnote is not None, "the seed's footnotes cite documents"
    symbol = re.search(r"[AS]/[\d/A-Z.]+\d", footnote.text).group()

    page = client.get(seeded.get_absolute_url()).text

    item = re.search(rf'<li id="fn{footnote.marker}".*?</li>', page, re.S).group()
    assert f'href="https://undocs.org/en/{symbol}">{symbol}</a>' in item


def test_a_notes_body_links_its_symbols_held_or_not(client, seeded):
    note = NoteFactory(
        body="Briefed on resolution 77/273 and on the report A/77/621.", paragraphs=[op(seeded, "1")]
    )

    page = client.get(note.get_absolute_url()).text

    body = re.search(r'<div class="note-body">.*?</div>', page, re.S).group()
    assert f'<a class="document-symbol" href="{seeded.get_absolute_url()}" rel=' in body
    assert '<a class="document-symbol" href="https://undocs.org/en/A/77/621" rel=' in body


def test_the_paragraph_page_links_symbols_too(client, db):
    cited = ResolutionFactory(symbol="A/RES/76/299", title="Zone of peace")
    resolution = ResolutionFactory(symbol="A/RES/77/901", title="A resolution citing another")
    ParagraphFactory(
        resolution=resolution, order=1, number="1", text="recalls its resolution 76/299 and S/2007/279;"
    )

    page = client.get(
        reverse("resolutions:paragraph-detail", kwargs={"symbol": resolution.symbol, "number": "1"})
    )

    assert f'<a class="document-symbol" href="{cited.get_absolute_url()}">76/299</a>' in page.text
    assert '<a class="document-symbol" href="https://undocs.org/en/S/2007/279">S/2007/279</a>' in page.text


def test_the_held_symbols_of_a_page_cost_one_query_whatever_their_number(client, db):
    resolution = ResolutionFactory(symbol="A/RES/77/902", title="Citing many")
    ParagraphFactory(resolution=resolution, order=1, number="1", text="recalls resolution 70/1;")

    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(resolution.get_absolute_url()).status_code == 200
        return len(captured)

    one = queries()
    for number in range(2, 40):
        ResolutionFactory(symbol=f"A/RES/70/{number}", title=f"Held {number}")
        ParagraphFactory(
            resolution=resolution, order=number, number=str(number), text=f"recalls resolution 70/{number};"
        )

    assert queries() == one


# --- Permalink and citation ----------------------------------------------------------------------------


def test_every_paragraph_has_a_permalink_and_a_citation(client, seeded):
    page = client.get(seeded.get_absolute_url()).text

    paragraphs = Paragraph.objects.filter(resolution=seeded).count()
    assert page.count('class="permalink"') == paragraphs
    assert 'data-citation="A/RES/77/273, operative paragraph 1"><a class="permalink" href="#op1"' in page
    assert 'data-citation="A/RES/77/273, preambular paragraph 1"><a class="permalink" href="#pp1"' in page
    assert '<script src="/static/js/cite.js" defer></script>' in page


def test_citations_name_sub_paragraphs_sections_and_annexes_in_words(db):
    resolution = ResolutionFactory(symbol="A/RES/77/903", title="Cited in words")
    first = ParagraphFactory(resolution=resolution, order=1, number="1")
    sub = ParagraphFactory(resolution=resolution, order=2, number="a", parent=first)
    sectioned = ParagraphFactory(resolution=resolution, order=3, number="3", section="II")
    annexed = ParagraphFactory(resolution=resolution, order=4, number="2", annex="I")
    preambular = ParagraphFactory(resolution=resolution, order=5, number="", kind=ParagraphKind.PREAMBULAR)

    assert sub.citation == "A/RES/77/903, operative paragraph 1 (a)"
    assert sectioned.citation == "A/RES/77/903, operative paragraph II.3"
    assert annexed.citation == "A/RES/77/903, annex I, paragraph 2"
    assert preambular.citation == "A/RES/77/903, preambular paragraph 5"


def test_the_paragraph_page_has_its_permalink_and_says_how_to_cite_it(client, seeded):
    url = op(seeded, "1").get_absolute_url()

    page = client.get(url).text

    assert f'<a class="permalink" href="{url}"' in page
    assert "Cite as: <q>A/RES/77/273, operative paragraph 1</q>" in page


# --- Published notes beside their paragraphs -----------------------------------------------------------


def test_the_newest_published_notes_sit_beside_their_paragraph_and_only_those(client, seeded):
    op2 = op(seeded, "2")
    for day in range(1, 6):
        NoteFactory(title=f"Published on day {day}", start_date=datetime.date(2025, 1, day), paragraphs=[op2])
    NoteFactory(
        title="A draft nobody may see",
        start_date=datetime.date(2025, 2, 1),
        paragraphs=[op2],
        state=NoteState.DRAFT,
    )
    NoteFactory(
        title="Withdrawn", start_date=datetime.date(2025, 2, 2), paragraphs=[op2], state=NoteState.WITHDRAWN
    )
    total = op2.notes.published().count()

    page = client.get(seeded.get_absolute_url()).text

    block = re.search(r'<div class="paragraph paragraph-operative" id="op2">.*?</aside>', page, re.S).group()
    assert re.findall(r"Published on day \d", block) == [
        "Published on day 5",
        "Published on day 4",
        "Published on day 3",
    ]
    assert "draft" not in block.lower() and "Withdrawn" not in block
    assert f'<a href="{op2.get_absolute_url()}">All {total} notes on op 2</a>' in block
    assert "A draft nobody may see" not in page


def test_notes_beside_paragraphs_cost_the_same_queries_whatever_their_number(
    client, db, django_assert_num_queries
):
    resolution = ResolutionFactory(symbol="A/RES/77/904", title="Much implemented")
    paragraphs = [ParagraphFactory(resolution=resolution, order=n, number=str(n)) for n in range(1, 4)]
    NoteFactory(paragraphs=paragraphs[:1])

    # The resolution and its texts and subjects, paragraphs with their status and texts, footnotes,
    # their paragraphs, references, citing resolutions, the vote, the notes beside (one query), and the
    # resolutions that follow it (lineage, one).
    with django_assert_num_queries(11):
        page = client.get(resolution.get_absolute_url()).text
    assert page.count('class="beside"') == 3

    for number in range(4, 60):
        paragraphs.append(ParagraphFactory(resolution=resolution, order=number, number=str(number)))
    for number in range(120):
        NoteFactory(title=f"Note {number}", paragraphs=paragraphs[number % 50 : number % 50 + 2])

    with django_assert_num_queries(11):
        page = client.get(resolution.get_absolute_url()).text
    assert page.count('class="beside"') == 59
    assert page.count('class="beside-notes"') == 51


def test_an_untracked_resolution_has_no_notes_beside_and_no_query_for_them(client, db):
    resolution = ResolutionFactory(symbol="A/RES/77/905", title="Untracked")
    ParagraphFactory(resolution=resolution, order=1, number="1")

    page = client.get(resolution.get_absolute_url()).text

    assert 'class="beside' not in page
    assert 'class="permalink"' in page


# --- Downloads ------------------------------------------------------------------------------------------


def test_list_pages_offer_their_rows_as_csv_and_json_with_the_same_filter(client, seeded):
    theme = ThemeFactory(name="Water")
    notes = client.get(
        reverse("resolutions:note-list") + f"?country=kaz&theme={theme.slug}&page=1&utm_source=x"
    ).text
    resolutions = client.get(reverse("resolutions:resolution-list") + "?body=GA&session=77").text

    assert (
        f'href="/api/v1/notes/?country=kaz&amp;theme={theme.slug}&amp;format=csv" download>CSV</a>' in notes
    )
    assert f'href="/api/v1/notes/?country=kaz&amp;theme={theme.slug}&amp;format=json"' in notes
    assert 'href="/api/v1/resolutions/?body=GA&amp;session=77&amp;format=csv" download>CSV</a>' in resolutions


def test_the_download_links_give_the_rows_the_page_lists(client, seeded):
    page = client.get(reverse("resolutions:note-list") + "?country=uzb").text
    csv_url = unescape(re.search(r'href="([^"]*format=csv)"', page).group(1))
    listed = int(re.search(r"<strong>(\d+)</strong> published note", page).group(1))

    csv = client.get(csv_url)

    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    rows = list(csv_module.reader(io.StringIO(b"".join(csv.streaming_content).decode())))
    assert len(rows) == listed + 1 and rows[0][:2] == ["id", "title"]


@pytest.mark.parametrize("kind", ["country", "theme", "entity"])
def test_vocabulary_pages_offer_their_notes_as_csv_and_json(client, seeded, kind):
    from resolutions.models import Country, Entity, Theme

    row = {
        "country": Country.objects.get(alpha3="KAZ"),
        "theme": Theme.objects.filter(published_note_count__gt=0).first(),
        "entity": Entity.objects.filter(published_note_count__gt=0).first(),
    }[kind]
    value = "kaz" if kind == "country" else row.slug

    page = client.get(row.get_absolute_url()).text

    assert f'href="/api/v1/notes/?{kind}={value}&amp;format=csv" download>CSV</a>' in page
    assert f'href="/api/v1/notes/?{kind}={value}&amp;format=json"' in page


def test_a_resolution_page_offers_the_official_document_its_data_and_a_print_view(client, seeded):
    page = client.get(seeded.get_absolute_url()).text

    assert (
        '<a href="https://undocs.org/en/A/RES/77/273" rel="external">undocs.org/en/A/RES/77/273</a>' in page
    )
    assert 'href="/api/v1/resolutions/A/RES/77/273/" type="application/json">JSON</a>' in page
    assert 'href="/api/v1/paragraphs/?resolution=A%2FRES%2F77%2F273&amp;format=csv" download>' in page
    assert '<a class="print-link" href="?print=1">Print</a>' in page
    assert 'href="/static/css/print.css" media="print"' in page

    printable = client.get(seeded.get_absolute_url() + "?print=1").text
    assert 'href="/static/css/print.css" media="all"' in printable


# --- Metadata for sharing -------------------------------------------------------------------------------


def test_every_page_has_a_canonical_url_and_sharing_metadata(client, seeded):
    note = NoteFactory(
        title="Consultations in Almaty", body="Staff met **five** Governments.", paragraphs=[op(seeded, "1")]
    )
    pages = {
        "/": ("Resolution Tracker", "United Nations resolutions paragraph by paragraph"),
        seeded.get_absolute_url(): (
            "A/RES/77/273: Role of the United Nations Regional Centre for Preventive Diplomacy for Central Asia",
            "General Assembly resolution A/RES/77/273, adopted on",
        ),
        op(seeded, "1").get_absolute_url(): (
            "A/RES/77/273, operative paragraph 1",
            op(seeded, "1").lead_phrase,
        ),
        note.get_absolute_url(): ("Consultations in Almaty", "Staff met five Governments."),
        reverse("resolutions:note-list"): ("Implementation notes", "What was done"),
        reverse("resolutions:resolution-list"): ("Resolutions", "United Nations resolutions held"),
        "/countries/kaz/": (
            "Kazakhstan: implementation of United Nations resolutions",
            "published implementation note",
        ),
    }
    for path, (title, description) in pages.items():
        html = client.get(path).text
        assert meta(html, "canonical") == "http://testserver" + path, path
        assert meta(html, "og:url") == "http://testserver" + path, path
        assert meta(html, "og:title") == title, path
        assert description in meta(html, "og:description"), path
        assert meta(html, "description") == meta(html, "og:description"), path
        assert meta(html, "twitter:card") == "summary", path


def test_the_canonical_url_keeps_what_makes_the_page_and_drops_the_noise(client, seeded):
    html = client.get(
        reverse("resolutions:note-list")
        + "?utm_source=mail&theme=&country=kaz&page=1&fbclid=x&ordering=-date"
    ).text

    assert meta(html, "canonical") == "http://testserver/notes/?country=kaz&ordering=-date"
    assert meta(html, "og:title") == "Implementation notes (Country: Kazakhstan)"

    print_view = client.get(seeded.get_absolute_url() + "?print=1&votes=by-vote").text
    assert meta(print_view, "canonical") == "http://testserver" + seeded.get_absolute_url()
