import pytest
from django.db import connection
from django.urls import reverse

from resolutions.models import NoteState, Paragraph
from resolutions.search import highlight, terms
from tests.factories import NoteFactory

SEARCH = "resolutions:search"


def search(client, q):
    response = client.get(reverse(SEARCH), {"q": q})
    assert response.status_code == 200
    return response.text


def section(text, kind):
    start = text.index(f'<section aria-labelledby="{kind}"')
    return text[start : text.index("</section>", start)]


def test_highlight_escapes_everything_and_marks_each_word_in_any_case():
    html = highlight('<b>Regional</b> centre & "REGIONAL" office', ["regional", "office"])

    assert html == (
        "&lt;b&gt;<mark>Regional</mark>&lt;/b&gt; centre &amp; &quot;<mark>REGIONAL</mark>&quot; <mark>office</mark>"
    )


def test_highlight_cuts_an_excerpt_around_the_first_match_without_footnote_markers():
    text = "word " * 100 + "the Centre[^1] is here " + "tail " * 100

    html = highlight(text, ["centre"], excerpt=120)

    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>Centre</mark> is here" in html
    assert "[^1]" not in html
    assert len(html) < 200


def test_terms_ignore_punctuation_alone():
    assert terms(' "Regional"  - centre ') == ["Regional", "centre"]


@pytest.mark.django_db
def test_search_groups_results_by_kind_with_highlights(client, seeded):
    text = search(client, "preventive diplomacy")

    for kind in ("resolutions", "paragraphs", "notes"):
        assert f'<h2 id="{kind}">' in text
    assert "<mark>Preventive</mark> <mark>Diplomacy</mark>" in section(text, "resolutions")
    assert 'href="/resolutions/A/RES/77/273/op/1/"' in section(text, "paragraphs")
    assert "Preventive <mark>Diplomacy</mark> Academy" in section(text, "notes") or (
        "<mark>Preventive</mark> <mark>Diplomacy</mark> Academy" in section(text, "notes")
    )
    assert "Source of the resolution texts: United Nations" in text


@pytest.mark.django_db
def test_search_finds_a_resolution_by_its_symbol(client, seeded):
    text = search(client, "A/RES/77/273")

    assert 'href="/resolutions/A/RES/77/273/"' in section(text, "resolutions")


@pytest.mark.django_db
def test_search_escapes_stored_text_and_the_query(client, seeded):
    op1 = Paragraph.objects.operative().get(resolution=seeded, number="1")
    NoteFactory(
        title="Xylophone <script>alert('t')</script>",
        body="A xylophone <img src=x onerror=alert(1)> concert.",
        paragraphs=[op1],
    )

    text = search(client, "xylophone concert")

    assert "<script>alert" not in text and "<img src=x" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "<mark>Xylophone</mark>" in section(text, "notes")
    typed = search(client, "xylophone <script>alert(2)</script>")
    assert "<script>alert(2)" not in typed
    assert 'value="xylophone &lt;script&gt;alert(2)&lt;/script&gt;"' in typed


@pytest.mark.django_db
@pytest.mark.parametrize("state", [NoteState.DRAFT, NoteState.IN_REVIEW, NoteState.WITHDRAWN])
def test_search_never_finds_unpublished_notes(client, seeded, state):
    NoteFactory(title="Quixotic plan", body="quixotic", state=state)

    text = search(client, "quixotic")

    assert "Quixotic plan" not in text
    assert 'Implementation notes <span class="count">(0)</span>' in text


@pytest.mark.django_db
def test_search_with_too_long_or_empty_queries_says_so(client, db):
    assert "at most 200 characters" in search(client, "x" * 201)
    assert "at least one word" in search(client, "- ?")
    assert "Type a word" in search(client, "")


@pytest.mark.django_db
def test_search_query_count_is_fixed(client, seeded, django_assert_num_queries):
    # One ranked query per kind (its matches and their total); then, for each kind with hits
    # (notes only), one for their rows. PostgreSQL: also the query's stemmed forms, looked up once,
    # and, as no resolution holds the word, a second try of resolutions by trigrams (a misspelling?).
    expected = 4 + (2 if connection.vendor == "postgresql" else 0)
    op1 = Paragraph.objects.operative().get(resolution=seeded, number="1")
    NoteFactory(title="Orchard 0", paragraphs=[op1])
    with django_assert_num_queries(expected):
        search(client, "orchard")
    for number in range(1, 60):
        NoteFactory(title=f"Orchard {number}", paragraphs=[op1])
    with django_assert_num_queries(expected):
        text = search(client, "orchard")
    assert "Showing the first 20 of 60" in text
    assert 'href="/notes/?q=orchard"' in text


def test_highlight_marks_what_the_stemmed_index_found():
    html = highlight("Encourages the Centre to cooperate", ["encouraging", "cooperation"])

    assert html == "<mark>Encourages</mark> the Centre to <mark>cooperate</mark>"


@pytest.mark.django_db
def test_search_is_stemmed(client, seeded):
    # "encouraging" finds "Encourages" through the English stemmer (porter on SQLite, english on PostgreSQL).
    text = search(client, "encouraging regional cooperation")

    assert 'href="/resolutions/A/RES/77/273/op/' in section(text, "paragraphs")
    assert "<mark>Encourages</mark>" in section(text, "paragraphs")


@pytest.mark.django_db
def test_search_needs_every_word_in_any_case(client, seeded):
    text = search(client, "REGIONAL zebra")

    assert 'Paragraphs <span class="count">(0)</span>' in text
    assert "<mark>" not in text
    assert "<mark>Regional</mark>" in section(search(client, "REGIONAL centre"), "paragraphs")
