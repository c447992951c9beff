"""What a resolution cites and what cites it (resolutions/citations.py), and the graph laid out from them."""

import datetime

import pytest

from resolutions.citations import (
    COLUMN_WIDTH,
    LABEL_CHARACTERS,
    citation_graph,
    cited_documents,
    citing_resolutions,
)
from resolutions.models import Resolution
from tests.factories import ParagraphFactory, ResolutionFactory, cites

pytestmark = pytest.mark.django_db


def graph_of(resolution, shown=10):
    documents, citing = cited_documents(resolution), citing_resolutions(resolution)
    return citation_graph(
        resolution,
        list(documents[:shown]),
        documents.count(),
        list(citing[:shown]),
        citing.count(),
        cites_more_url="#cites",
        cited_by_more_url="#cited-by",
    )


def test_cited_documents_are_one_per_symbol_in_the_order_first_cited_with_the_held_ones_linked():
    cited = ResolutionFactory(symbol="A/RES/75/272")
    resolution = ResolutionFactory()
    first, second = ParagraphFactory(resolution=resolution), ParagraphFactory(resolution=resolution)
    cites(resolution, "S/2007/279", cited, paragraph=first)
    cites(resolution, cited, "A/76/920", paragraph=second)  # 75/272 again, in another paragraph

    rows = list(cited_documents(resolution))

    assert [row.symbol for row in rows] == ["S/2007/279", "A/RES/75/272", "A/76/920"]
    assert [row.target for row in rows] == [None, cited, None]


def test_citing_resolutions_are_those_held_here_newest_first_each_once():
    resolution = ResolutionFactory(symbol="A/RES/75/272")
    older = ResolutionFactory(adopted_on=datetime.date(2021, 3, 1))
    newer = ResolutionFactory(adopted_on=datetime.date(2023, 2, 24))
    cites(older, resolution, resolution)  # twice: counted once
    cites(newer, resolution)
    ResolutionFactory()  # cites nothing

    assert list(citing_resolutions(resolution)) == [newer, older]


def test_most_cited_ranks_by_how_many_resolutions_cite_each_not_by_references():
    popular, quoted_often, uncited = (
        ResolutionFactory(session="75"),
        ResolutionFactory(session="75"),
        ResolutionFactory(session="75"),
    )
    other_session = ResolutionFactory(session="76")
    for _ in range(3):
        cites(ResolutionFactory(session="77"), popular, other_session)
    cites(ResolutionFactory(session="77"), quoted_often, quoted_often, quoted_often)
    cites(quoted_often, quoted_often)  # itself (the importer records none such; the admin could): not counted

    ranked = Resolution.objects.filter(session="75").most_cited()

    assert [(row, row.cited_by_count) for row in ranked] == [(popular, 3), (quoted_often, 1)]
    assert uncited not in Resolution.objects.most_cited()


def test_the_graph_puts_what_it_cites_left_what_cites_it_right_and_itself_between():
    resolution = ResolutionFactory(symbol="A/RES/77/273", title="Role of the Regional Centre")
    held = ResolutionFactory(symbol="A/RES/75/272")
    cites(resolution, held, "S/2007/279")
    citing = ResolutionFactory(symbol="A/RES/79/300")
    cites(citing, resolution)

    whole = graph_of(resolution)
    graph = whole.wide

    assert [(node.label, node.href, node.held) for node in graph.cites] == [
        ("A/RES/75/272", "/resolutions/A/RES/75/272/", True),
        ("S/2007/279", "https://undocs.org/en/S/2007/279", False),
    ]
    assert [(node.label, node.href) for node in graph.cited_by] == [
        ("A/RES/79/300", "/resolutions/A/RES/79/300/")
    ]
    assert graph.cites[0].x < graph.centre.x < graph.cited_by[0].x
    # One arrow per citation: from the resolution to what it cites, from each citing one to it.
    assert len(graph.edges) == 3
    assert graph.edges[0].x1 == graph.centre.x and graph.edges[0].x2 == graph.cites[0].x + COLUMN_WIDTH
    assert graph.edges[2].x1 == graph.cited_by[0].x and graph.edges[2].x2 == graph.centre.x + COLUMN_WIDTH
    assert whole.description == (
        "A/RES/77/273 cites 2 documents; the graph shows all, 1 of them held here: A/RES/75/272, S/2007/279. "
        "1 resolution held here cites it; the graph shows all: A/RES/79/300."
    )


def test_a_column_with_more_than_it_shows_ends_with_and_n_more_linking_to_the_list():
    resolution = ResolutionFactory()
    for day in range(1, 16):
        cites(ResolutionFactory(adopted_on=datetime.date(2024, 1, day)), resolution)

    whole = graph_of(resolution, shown=10)
    graph = whole.wide

    labels = [node.label for node in graph.cited_by]
    assert len(labels) == 11 and labels[-1] == "and 5 more"
    assert graph.cited_by[-1].href == "#cited-by" and graph.cited_by[-1].more
    assert len(graph.edges) == 10  # none to "and 5 more"
    assert graph.height >= graph.cited_by[-1].y + graph.cited_by[-1].height
    # The newest ten: adopted on 15 January down to the 6th.
    assert graph.cited_by[0].title.startswith(Resolution.objects.get(adopted_on="2024-01-15").symbol)
    assert "the graph shows the newest 10" in whole.description
    # Centred against the taller column.
    assert graph.cited_by[0].y < graph.centre.y < graph.cited_by[-1].y


def test_a_resolution_with_no_citations_is_a_single_node_and_says_so():
    resolution = ResolutionFactory(symbol="A/RES/77/600")

    whole = graph_of(resolution)

    for graph in (whole.wide, whole.stacked):
        assert graph.cites == graph.cited_by == graph.edges == []
        assert graph.height >= graph.centre.y + graph.centre.height
    assert (
        whole.description == "A/RES/77/600 cites no document recorded here. No resolution held here cites it."
    )


def test_a_long_symbol_is_shortened_on_its_node_and_whole_in_its_tooltip():
    resolution = ResolutionFactory()
    symbol = "A/HRC/RES/52/1/Add.1/Corr.2/Rev.3"
    cites(resolution, symbol)

    node = graph_of(resolution).wide.cites[0]

    assert len(node.label) == LABEL_CHARACTERS and node.label.endswith("\u2026")
    assert node.title.startswith(symbol)


def test_on_a_phone_what_cites_it_stands_above_it_and_what_it_cites_below_two_a_row():
    resolution = ResolutionFactory()
    cites(resolution, *(f"S/2007/{number}" for number in range(1, 6)))
    for day in range(1, 13):
        cites(ResolutionFactory(adopted_on=datetime.date(2024, 1, day)), resolution)

    graph = graph_of(resolution).stacked

    assert [heading.text for heading in graph.headings] == ["Cited by", "It cites"]
    above, centre, below = graph.cited_by, graph.centre, graph.cites
    assert max(node.y + node.height for node in above) < centre.y < min(node.y for node in below)
    # Two a row: 10 citing in five rows, then "and 2 more" on a row of its own, the full width.
    assert {node.y for node in above[:10]} == {above[2 * row].y for row in range(5)}
    assert above[-1].label == "and 2 more" and above[-1].width == graph.width and above[-1].y > above[9].y
    assert [node.x for node in below] == [0, below[1].x, 0, below[1].x, 0] and below[1].x > below[0].width
    # Arrows point down: from what cites it to it, and from it to what it cites.
    assert [(edge.y1 < edge.y2, edge.y2 <= centre.y) for edge in graph.edges] == [(True, True), (True, False)]
    assert all(node.x + node.width <= graph.width for node in [*above, centre, *below])
    assert graph.height >= below[-1].y + below[-1].height
