"""A list's text query (``q=`` on the resolutions, paragraphs and notes lists, API and pages alike):
best matches first, bounded like the search page when the text is the only filter, every match when
other filters narrow the list (resolutions.search.rank, resolutions.filters.TextQuery).

Run on both databases (FTS5 on SQLite, tsvector on PostgreSQL)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resolutions import search
from resolutions.models import NoteState, ParagraphText
from tests.factories import NoteFactory, ParagraphFactory, ResolutionFactory

pytestmark = pytest.mark.django_db


def ids(response):
    return [row["id"] for row in response.json()["results"]]


def herd(count, resolution=None):
    resolution = resolution or ResolutionFactory(title="Highland fauna")
    return [
        ParagraphFactory(resolution=resolution, text=f"the ibex herds, number {n};") for n in range(count)
    ]


def test_paragraphs_are_listed_best_match_first_with_an_exact_count(client):
    paragraphs = herd(5)
    best = ParagraphFactory(text="ibex, ibex and ibex;")

    body = client.get("/api/v1/paragraphs/", {"q": "ibex"}).json()

    assert body["count"] == 6 and body["more_matches"] is False
    assert body["results"][0]["id"] == best.pk
    assert {row["id"] for row in body["results"]} == {p.pk for p in [*paragraphs, best]}


def test_a_text_query_costs_the_same_number_of_queries_for_1_and_40_matches(client):
    herd(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/paragraphs/", {"q": "ibex"}).json()["count"] == 1
    herd(39)
    with CaptureQueriesContext(connection) as forty:
        assert client.get("/api/v1/paragraphs/", {"q": "ibex"}).json()["count"] == 40
    assert len(one) == len(forty)
    # The rows are counted by the ranking, not by a second COUNT over the matches.
    assert not any("COUNT(" in query["sql"].upper() for query in forty)


def test_a_broad_text_alone_ranks_the_best_of_the_newest_matches_and_says_there_are_more(client, monkeypatch):
    monkeypatch.setattr(search, "POOL", 10)
    paragraphs = herd(30)
    newest = {paragraph.pk for paragraph in paragraphs[-10:]}

    body = client.get("/api/v1/paragraphs/", {"q": "ibex", "page_size": 100}).json()

    assert body["more_matches"] is True
    assert body["count"] == 10 and set(ids_of(body)) == newest


def ids_of(body):
    return [row["id"] for row in body["results"]]


def test_with_another_filter_every_match_is_listed_even_beyond_the_pool(client, monkeypatch):
    monkeypatch.setattr(search, "POOL", 10)
    old = ResolutionFactory(title="Older fauna")
    older = herd(3, resolution=old)  # created first: the pool of ten newest matches leaves them out
    herd(30)

    body = client.get("/api/v1/paragraphs/", {"q": "ibex", "resolution": old.symbol}).json()

    assert body["more_matches"] is False
    assert body["count"] == 3 and set(ids_of(body)) == {p.pk for p in older}


def test_a_resolution_is_found_through_its_paragraphs_and_their_other_languages(client):
    by_title = ResolutionFactory(title="Ibex conservation")
    by_paragraph = ParagraphFactory(text="the ibex herds;").resolution
    by_translation = ParagraphFactory(text="the goats;")
    ParagraphText.objects.create(paragraph=by_translation, language="fr", text="les bouquetins (ibex) ;")
    ResolutionFactory(title="Unrelated")

    body = client.get("/api/v1/resolutions/", {"q": "ibex"}).json()

    assert body["count"] == 3
    assert {row["symbol"] for row in body["results"]} == {
        by_title.symbol,
        by_paragraph.symbol,
        by_translation.resolution.symbol,
    }
    assert body["results"][0]["symbol"] == by_title.symbol  # a title ranks before a paragraph's text


def test_notes_text_query_lists_published_notes_only_and_an_order_chosen_replaces_the_ranking(client):
    paragraph = ParagraphFactory()
    zebra = NoteFactory(title="Zebra ibex survey", body="Ibex ibex ibex.", paragraphs=[paragraph])
    alpha = NoteFactory(title="Alpha count", body="An ibex was seen.", paragraphs=[paragraph])
    NoteFactory(title="Draft ibex", body="ibex", paragraphs=[paragraph], state=NoteState.DRAFT)

    ranked = client.get("/api/v1/notes/", {"q": "ibex"}).json()
    by_title = client.get("/api/v1/notes/", {"q": "ibex", "ordering": "title"}).json()

    assert ranked["count"] == 2 and ids(client.get("/api/v1/notes/", {"q": "ibex"}))[0] == zebra.pk
    assert [row["title"] for row in by_title["results"]] == [alpha.title, zebra.title]


def test_the_pages_say_best_match_first_and_when_there_are_more(client, monkeypatch):
    paragraph = ParagraphFactory()
    for n in range(12):
        NoteFactory(title=f"Ibex survey {n}", paragraphs=[paragraph])

    page = client.get("/notes/", {"q": "ibex"}).text
    assert "Best matches first." in page and "Best match first</option>" in page
    assert "more than can be ranked" not in page

    monkeypatch.setattr(search, "POOL", 5)
    page = client.get("/notes/", {"q": "ibex", "page": 1}).text  # another address than the cached one
    assert "<strong>5</strong> published notes" in page
    assert "The text matched more than can be ranked" in page
