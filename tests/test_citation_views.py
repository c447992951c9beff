"""The citations page of a resolution and the most cited resolutions (resolutions/views/citations.py)."""

import datetime
import xml.etree.ElementTree as ET
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse
from factory.django import mute_signals

from resolutions.models import Resolution
from tests.factories import ResolutionFactory, cites

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def citations_url(resolution, **query):
    url = reverse("resolutions:resolution-citations", kwargs={"symbol": resolution.symbol})
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def drawings_of(response):
    """The graph's two layouts, {"wide": (picture, links), "stacked": (...)}, each SVG parsed as the
    XML it must be."""
    html = response.content.decode()
    found, start = [], html.find("<svg")
    while start != -1:
        end = html.index("</svg>", start) + len("</svg>")
        found.append(ET.fromstring(html[start:end]))
        start = html.find("<svg", end)
    wide_picture, wide_links, stacked_picture, stacked_links = found
    return {"wide": (wide_picture, wide_links), "stacked": (stacked_picture, stacked_links)}


def node_labels(picture):
    return [
        "".join(text.itertext())
        for text in picture.iter(f"{SVG}text")
        if text.get("class") != "column-heading"
    ]


def links_in(links):
    """(href, the label of the node it lies over) of each link of a links layer."""
    return [(link.get("href"), link.find(f"{SVG}rect/{SVG}desc").text) for link in links.iter(f"{SVG}a")]


def graph_links(response, layout="wide"):
    return links_in(drawings_of(response)[layout][1])


@pytest.fixture
def cited_and_citing():
    resolution = ResolutionFactory(symbol="A/RES/77/273", title="Role of the Regional Centre", session="77")
    earlier = ResolutionFactory(symbol="A/RES/75/272", title="The previous one", session="75")
    cites(resolution, earlier, "S/2007/279")
    citing = ResolutionFactory(symbol="A/RES/79/300", title="A later one", session="79")
    cites(citing, resolution)
    return resolution


def test_the_page_draws_the_graph_as_well_formed_accessible_svg_with_its_labels_and_links(
    client, cited_and_citing
):
    response = client.get(citations_url(cited_and_citing))

    assert response.status_code == 200
    drawings = drawings_of(response)
    for layout, (picture, links) in drawings.items():
        # The picture: an image, named and described, its nodes labelled in text.
        assert picture.get("role") == "img"
        assert picture.get("aria-labelledby") == f"graph-title-{layout} graph-desc-{layout}"
        assert (
            picture.find(f"{SVG}title").text == "Citation graph of A/RES/77/273: Role of the Regional Centre"
        )
        assert "A/RES/77/273 cites 2 documents" in picture.find(f"{SVG}desc").text
        assert not list(picture.iter(f"{SVG}a"))  # no control inside an image
        # Over it, a link on each node, hidden from assistive technology and out of the tab order
        # (the lists below hold the same links).
        assert links.get("aria-hidden") == "true" and links.get("viewBox") == picture.get("viewBox")
        assert sorted(links_in(links)) == [
            ("/resolutions/A/RES/75/272/", "A/RES/75/272"),
            ("/resolutions/A/RES/77/273/", "A/RES/77/273"),
            ("/resolutions/A/RES/79/300/", "A/RES/79/300"),
            ("https://undocs.org/en/S/2007/279", "S/2007/279"),
        ]
        assert [label for _, label in links_in(links)] == node_labels(picture)
        assert {link.get("tabindex") for link in links.iter(f"{SVG}a")} == {"-1"}
    # Arrows: one per citation wide, one per side stacked.
    assert len(drawings["wide"][0].find(f"{SVG}g").findall(f"{SVG}path")) == 3
    assert len(drawings["stacked"][0].find(f"{SVG}g").findall(f"{SVG}path")) == 2


def test_the_lists_beside_the_graph_hold_the_same_links_with_titles(client, cited_and_citing):
    response = client.get(citations_url(cited_and_citing))

    html = response.content.decode()
    lists = html[html.index('class="citation-lists"') :]
    assert (
        '<a href="/resolutions/A/RES/75/272/">A/RES/75/272</a> <span class="title">The previous one</span>'
        in lists
    )
    assert '<a href="https://undocs.org/en/S/2007/279" rel="external">S/2007/279</a>' in lists
    assert (
        '<a href="/resolutions/A/RES/79/300/">A/RES/79/300</a> <span class="title">A later one</span>'
        in lists
    )
    assert "2 documents cited · cited by 1 resolution held here" in html


def test_the_resolution_page_links_to_its_citations(client, cited_and_citing):
    response = client.get(cited_and_citing.get_absolute_url())

    assert f'href="{citations_url(cited_and_citing)}"' in response.content.decode()


def test_a_resolution_cited_by_many_shows_the_newest_in_the_graph_and_pages_through_all(client):
    resolution = ResolutionFactory(symbol="A/RES/70/1")
    for number in range(1, 61):
        citing = ResolutionFactory(
            symbol=f"A/RES/71/{number}",
            adopted_on=datetime.date(2017, 1, 1) + datetime.timedelta(days=number),
        )
        cites(citing, resolution)

    response = client.get(citations_url(resolution))

    labels = [label for _, label in graph_links(response)]
    assert labels[-11:] == [*(f"A/RES/71/{number}" for number in range(60, 50, -1)), "and 50 more"]
    html = response.content.decode()
    assert "Page 1 of 2" in html and 'href="?cited_by_page=2#cited-by-heading"' in html
    assert "A/RES/71/11<" in html and "A/RES/71/10<" not in html  # 50 a page

    second = client.get(citations_url(resolution, cited_by_page=2)).content.decode()
    assert (
        '<ol start="51">' in second
        and "A/RES/71/10<" in second
        and "A/RES/71/11<" not in second.split("</figure>")[1]
    )
    # The graph still shows the newest ten on the second page of the list.
    assert labels == [
        label for _, label in graph_links(client.get(citations_url(resolution, cited_by_page=2)))
    ]


@pytest.mark.parametrize("page", ["2", "last", "0", "x" * 300])
def test_a_page_number_out_of_range_or_not_a_number_shows_a_page_not_an_error(client, cited_and_citing, page):
    response = client.get(citations_url(cited_and_citing, cites_page=page, cited_by_page=page))

    assert response.status_code == 200
    assert "A/RES/75/272" in response.content.decode()


def test_an_unknown_resolution_is_a_404(client):
    response = client.get(reverse("resolutions:resolution-citations", kwargs={"symbol": "A/RES/99/999"}))

    assert response.status_code == 404


@pytest.mark.parametrize("citing", [1, 30])
def test_the_citations_page_costs_the_same_queries_for_one_citation_or_many(
    client, django_assert_num_queries, citing
):
    resolution = ResolutionFactory()
    for _ in range(citing):
        cites(resolution, ResolutionFactory(), "S/2007/279")
        cites(ResolutionFactory(), resolution)

    # The resolution; the count and page of each list (the graph reuses the first pages).
    with django_assert_num_queries(5):
        response = client.get(citations_url(resolution))
    assert response.status_code == 200


def most_cited(client, **query):
    return client.get(reverse("resolutions:most-cited"), query)


def test_most_cited_ranks_a_sessions_resolutions_by_how_many_cite_them(client):
    first, second = (
        ResolutionFactory(symbol="A/RES/75/1", session="75"),
        ResolutionFactory(symbol="A/RES/75/2", session="75"),
    )
    elsewhere = ResolutionFactory(symbol="A/RES/76/1", session="76")
    for _ in range(3):
        cites(ResolutionFactory(session="77"), second, elsewhere)
    cites(ResolutionFactory(session="77"), first)

    html = most_cited(client, session="75").content.decode()

    assert html.index("A/RES/75/2<") < html.index("A/RES/75/1<")
    assert "A/RES/76/1<" not in html
    assert "<strong>2</strong> resolutions cited by others held here, matching these filters" in html
    rows = html[html.index("<tbody>") : html.index("</tbody>")]
    assert '<td class="number">1</td><td><a href="/resolutions/A/RES/75/2/">' in rows
    assert 'aria-label="Cited by 3 resolutions: its citations">3</a>' in rows
    assert 'aria-label="Cited by 1 resolution: its citations">1</a>' in rows
    assert 'href="/api/v1/resolutions/most-cited/?session=75&amp;format=csv"' in html


def test_most_cited_ranks_continue_on_the_next_page(client):
    for _ in range(27):
        cited = ResolutionFactory(session="75")
        cites(ResolutionFactory(), cited)

    html = most_cited(client, page=2).content.decode()

    assert '<td class="number">26</td>' in html and '<td class="number">27</td>' in html
    assert "Page 2 of 2" in html


def test_most_cited_with_a_bad_filter_says_so_without_an_error(client):
    response = most_cited(client, body="XX", session="1" * 40)

    assert response.status_code == 200
    assert "Some filters could not be used" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 25])
def test_most_cited_costs_the_same_queries_for_one_row_or_a_page(client, django_assert_num_queries, rows):
    for _ in range(rows):
        cites(ResolutionFactory(), ResolutionFactory(session="75"))

    # The count and the page.
    with django_assert_num_queries(2):
        response = most_cited(client, session="75")
    assert response.status_code == 200


CORPUS_FILES = [
    "77session/English/A_RES_77_273-E.xml",
    "75session/English/75_272_E.xml",
    "76session/English/A_RES_76_299-2211873E.xml",
    "79session/English/A_RES_79_5-2419776E.xml",
    "79session/English/A_RES_79_268-2503664E.xml",
    "79session/English/A_RES_79_274-2504827E.xml",
]


@pytest.fixture
def corpus_neighbourhood(shared_data_dir):
    """A/RES/77/273 as the UN published it, with the resolutions it cites and those citing it that the
    shared corpus holds (read from ../shared/data; skipped, saying so, where absent)."""

    folder = shared_data_dir / "unxml" / "GAresolutions"
    for name in CORPUS_FILES:
        call_command(
            "import_resolution", str(folder / name), "--no-progress", stdout=StringIO(), stderr=StringIO()
        )

    return Resolution.objects.get(symbol="A/RES/77/273")


@pytest.mark.corpus
def test_the_graph_of_77_273_from_the_uns_files(client, corpus_neighbourhood):
    response = client.get(citations_url(corpus_neighbourhood))

    links = {label: href for href, label in graph_links(response)}
    # What its text cites, held here or at the UN: 72/7 is not among the files, 75/272 and 76/299 are.
    assert links["A/RES/75/272"] == "/resolutions/A/RES/75/272/"
    assert links["A/RES/76/299"] == "/resolutions/A/RES/76/299/"
    assert links["A/RES/72/7"] == "https://undocs.org/en/A/RES/72/7"
    assert links["S/2007/279"] == "https://undocs.org/en/S/2007/279"
    # Cited by the three later resolutions of the corpus, newest first.
    labels = [label for _, label in graph_links(response)]
    assert labels[-3:] == ["A/RES/79/274", "A/RES/79/268", "A/RES/79/5"]
    html = response.content.decode()
    assert "Permanent neutrality of Turkmenistan" in html
    assert "cited by 3 resolutions held here" in html


@pytest.mark.corpus
def test_most_cited_of_session_77_from_the_uns_files_counts_the_three_citing_77_273(
    client, corpus_neighbourhood
):
    html = most_cited(client, session="77").content.decode()

    assert 'aria-label="Cited by 3 resolutions: its citations">3</a>' in html
    assert html.index("A/RES/77/273<") < html.index("</tbody>")


def test_an_import_that_cites_a_resolution_shows_on_its_cached_citations_page_at_once(client):

    cited = ResolutionFactory(symbol="A/RES/75/272", session="75")
    url = citations_url(cited)
    assert "A/RES/77/273" not in client.get(url).content.decode()  # now in the anonymous page cache
    assert "A/RES/77/273" not in most_cited(client, session="75").content.decode()

    seed = Path(__file__).resolve().parents[1] / "resolutions" / "data" / "A_RES_77_273.md"
    with mute_signals(post_save, post_delete, m2m_changed):  # only the importer's own bump is left
        call_command("import_resolution", str(seed), stdout=StringIO())

    assert "A/RES/77/273" in client.get(url).content.decode()
    assert "A/RES/75/272<" in most_cited(client, session="75").content.decode()


def test_the_resolutions_list_leads_to_the_most_cited(client, db):
    html = client.get(reverse("resolutions:resolution-list")).content.decode()

    assert f'<a href="{reverse("resolutions:most-cited")}">the most cited resolutions</a>' in html


def test_most_cited_counts_once_while_public_content_stays_the_same(client, django_assert_num_queries):
    cites(ResolutionFactory(), ResolutionFactory(session="75"))
    assert most_cited(client, session="75", page=1).status_code == 200

    with django_assert_num_queries(
        1
    ):  # the page; the count is remembered (another address: not the page cache)
        html = most_cited(client, session="75", page="1 ").content.decode()
    assert "<strong>1</strong> resolution cited by others held here" in html

    cites(ResolutionFactory(), ResolutionFactory(session="75"))  # public content changes: counted afresh
    assert "<strong>2</strong> resolutions cited" in most_cited(client, session="75").content.decode()


def test_a_security_council_symbol_with_its_year_has_a_citations_page(client):
    council = ResolutionFactory(symbol="S/RES/2504 (2020)", body="SC", session="2020")
    cites(ResolutionFactory(symbol="A/RES/75/272"), council)

    response = client.get(citations_url(council))

    assert response.status_code == 200
    assert [label for _, label in graph_links(response)] == ["S/RES/2504 (2020)", "A/RES/75/272"]
    assert client.get(council.get_absolute_url()).content.decode().count(citations_url(council)) == 1
