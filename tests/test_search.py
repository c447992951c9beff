import re

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
    # (notes only), one for their rows and one for each kind of link they show (countries, partners,
    # themes). PostgreSQL: also the query's stemmed forms, looked up once, and, as no resolution holds
    # the word, a second try of resolutions by trigrams (a misspelling?).
    expected = 7 + (2 if connection.vendor == "postgresql" else 0)
    op1 = Paragraph.objects.operative().get(resolution=seeded, number="1")
    NoteFactory(title="Orchard 0", paragraphs=[op1])
    with django_assert_num_queries(expected):
        search(client, "orchard")
    for number in range(1, 60):
        NoteFactory(title=f"Orchard {number}", paragraphs=[op1])
    with django_assert_num_queries(expected):
        text = search(client, "orchard")
    assert 'Implementation notes <span class="count">(60)</span>' in text
    assert section(text, "notes").count('<li class="hit">') == 10
    assert 'href="?q=orchard&amp;kind=notes">All 60 implementation notes, page by page' in text
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


# --- Issue 12, item 1: search that finds everything ------------------------------------------------


def hits(text, kind):
    return section(text, kind).count('<li class="hit">')


@pytest.mark.django_db
def test_every_group_pages_through_all_its_matches_with_its_total(client, seeded):
    op1 = Paragraph.objects.operative().get(resolution=seeded, number="1")
    for number in range(45):
        NoteFactory(title=f"Quince harvest {number}", paragraphs=[op1])

    overview = search(client, "quince")
    assert hits(overview, "notes") == 10
    assert "All 45 implementation notes, page by page" in overview

    first = client.get(reverse(SEARCH), {"q": "quince", "kind": "notes"}).text
    assert hits(first, "notes") == 20 and '<section aria-labelledby="paragraphs"' not in first
    assert "Implementation notes 1–20 of 45, best match first." in first
    assert "Page 1 of 3" in first and 'href="?q=quince&amp;kind=notes&amp;page=2" rel="next"' in first
    last = client.get(reverse(SEARCH), {"q": "quince", "kind": "notes", "page": 3}).text
    assert hits(last, "notes") == 5 and '<ol class="hits" start="41">' in last
    assert "Implementation notes 41–45 of 45" in last and 'rel="next"' not in last
    # Every note once over the three pages.
    pages = [client.get(reverse(SEARCH), {"q": "quince", "kind": "notes", "page": n}).text for n in (1, 2, 3)]
    titles = {title for page in pages for title in re.findall(r"<mark>Quince</mark> harvest (\d+)", page)}
    assert titles == {str(n) for n in range(45)}
    # A page beyond the last shows the last; a page that is not a number, the first.
    assert hits(client.get(reverse(SEARCH), {"q": "quince", "kind": "notes", "page": 99}).text, "notes") == 5
    assert (
        hits(client.get(reverse(SEARCH), {"q": "quince", "kind": "notes", "page": "x"}).text, "notes") == 20
    )


@pytest.mark.django_db
def test_notes_are_found_by_their_countries_partners_themes_and_sources(client, seeded):
    from resolutions.models import Country, Entity, NoteSource, Theme

    op1 = Paragraph.objects.operative().get(resolution=seeded, number="1")
    bishkek = NoteFactory(title="Visit to the capital", body="A visit.", paragraphs=[op1], countries=["KGZ"])
    NoteFactory(title="Unpublished visit", paragraphs=[op1], countries=["KGZ"], state=NoteState.DRAFT)
    partner = Entity.objects.create(name="Organization for Quiet Diplomacy", short_name="OQD", slug="oqd")
    with_partner = NoteFactory(title="Joint seminar", body="A seminar.", paragraphs=[op1])
    with_partner.entities.add(partner)
    theme = Theme.objects.create(name="Transboundary glaciers", slug="glaciers")
    themed = NoteFactory(title="Expert meeting", body="Experts met.", paragraphs=[op1])
    themed.themes.add(theme)
    sourced = NoteFactory(title="Annual statement", body="A statement.", paragraphs=[op1])
    NoteSource.objects.create(note=sourced, title="Report of the Secretary-General on zephyrs", url="")

    def found(query):
        return section(search(client, query), "notes")

    kyrgyzstan = found("Kyrgyzstan")
    assert "Visit to the capital" in kyrgyzstan and "Unpublished visit" not in kyrgyzstan
    assert "<mark>Kyrgyzstan</mark>" in kyrgyzstan  # the hit says why it was found
    assert "Joint seminar" in found("OQD") and "Joint seminar" in found("quiet diplomacy")
    assert "Expert meeting" in found("glaciers")
    assert "Annual statement" in found("zephyrs")
    # Kept in step: a renamed theme is found by its new name, a new link at once.
    theme.name = "Mountain lakes"
    theme.save()
    assert "Expert meeting" in found("mountain lakes") and "Expert meeting" not in found("glaciers")
    bishkek.countries.add(Country.objects.get(alpha3="TJK"))
    assert "Visit to the capital" in found("Tajikistan")
    # The notes list's q= is the same search.
    assert "Visit to the capital" in client.get(reverse("resolutions:note-list"), {"q": "Kyrgyzstan"}).text


@pytest.mark.django_db
def test_a_misspelt_word_gets_a_did_you_mean(client, seeded):
    op1 = Paragraph.objects.operative().get(resolution=seeded, number="1")
    NoteFactory(title="Mission to Kabul", paragraphs=[op1], countries=["AFG"])

    text = search(client, "Afganistan")

    assert 'Did you mean <a href="?q=Afghanistan"><strong>Afghanistan</strong></a>?' in text
    assert "Mission to Kabul" in section(search(client, "Afghanistan"), "notes")
    # A word the tracker holds is not corrected, nor a query that finds something.
    assert "Did you mean" not in search(client, "Afghanistan")
    assert "Did you mean" not in search(client, "diplomacy")
    assert "Did you mean" not in search(client, "qwzxv")  # nothing close enough


@pytest.mark.django_db
def test_paragraph_hits_name_their_resolution(client, seeded):
    text = section(search(client, "proactive"), "paragraphs")

    assert f'<p class="context">{seeded.title}</p>' in text
    assert "A/RES/77/273 op" in text


@pytest.mark.django_db
def test_the_search_narrows_to_a_body_a_session_and_a_kind(client, db):
    from tests.factories import ParagraphFactory, ResolutionFactory

    general = ResolutionFactory(session="77", title="Marmots of the steppe")
    council = ResolutionFactory(body="SC", session="2022", symbol="S/RES/2999 (2022)", title="Marmots at sea")
    for resolution in (general, council):
        NoteFactory(
            title=f"Marmot census {resolution.symbol}", paragraphs=[ParagraphFactory(resolution=resolution)]
        )

    def get(**params):
        return client.get(reverse(SEARCH), {"q": "marmots", **params}).text

    council_only = get(body="SC")
    assert "S/RES/2999" in section(council_only, "resolutions")
    assert general.symbol not in council_only
    assert "census S/RES/2999 (2022)" in section(council_only, "notes")
    assert council.symbol not in get(session="77") and general.symbol in get(session="77")
    only_notes = get(kind="notes")
    assert '<section aria-labelledby="resolutions"' not in only_notes and hits(only_notes, "notes") == 2
    # A choice that does not exist says so on the form; nothing breaks.
    response = client.get(reverse(SEARCH), {"q": "marmots", "body": "XX", "kind": "everything"})
    assert response.status_code == 200
    assert response.text.count('class="error" role="alert"') == 2 and "<mark>" not in response.text
