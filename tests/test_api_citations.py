"""Citations in the API (resolutions/api/citations.py): a resolution's, and the most cited; JSON and CSV."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from tests.factories import ResolutionFactory, cites

pytestmark = pytest.mark.django_db


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(body(response).decode())))


def citations_url(symbol):
    return reverse("api:resolution-citations", kwargs={"symbol": symbol})


@pytest.fixture
def resolution():
    resolution = ResolutionFactory(symbol="A/RES/77/273", title="Role of the Regional Centre")
    earlier = ResolutionFactory(
        symbol="A/RES/75/272", title="The previous one", adopted_on=datetime.date(2021, 4, 16)
    )
    cites(resolution, "A/RES/72/7", earlier, "A/RES/72/7")
    for number, day in ((5, 24), (268, 4)):
        cites(
            ResolutionFactory(symbol=f"A/RES/79/{number}", adopted_on=datetime.date(2025, 3, day)), resolution
        )
    return resolution


def test_citations_list_what_it_cites_in_order_then_what_cites_it_newest_first(client, resolution):
    response = client.get(citations_url("A/RES/77/273"))

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 4
    assert [(row["direction"], row["symbol"], row["held"]) for row in data["results"]] == [
        ("cites", "A/RES/72/7", False),
        ("cites", "A/RES/75/272", True),
        ("cited_by", "A/RES/79/5", True),
        ("cited_by", "A/RES/79/268", True),
    ]
    not_held, held = data["results"][:2]
    assert not_held == {
        "direction": "cites",
        "symbol": "A/RES/72/7",
        "held": False,
        "title": "",
        "adopted_on": None,
        "url": None,
        "web_url": "https://undocs.org/en/A/RES/72/7",
    }
    assert held["title"] == "The previous one" and held["adopted_on"] == "2021-04-16"
    assert held["url"] == "http://testserver/api/v1/resolutions/A/RES/75/272/"
    assert held["web_url"] == "http://testserver/resolutions/A/RES/75/272/"


def test_citations_page_across_the_two_directions(client, resolution):
    pages = [
        client.get(citations_url("A/RES/77/273"), {"page_size": 3, "page": page}).json() for page in (1, 2)
    ]

    assert [row["symbol"] for row in pages[0]["results"]] == ["A/RES/72/7", "A/RES/75/272", "A/RES/79/5"]
    assert [row["symbol"] for row in pages[1]["results"]] == ["A/RES/79/268"]
    assert pages[0]["next"].endswith("page=2&page_size=3") and pages[1]["next"] is None


@pytest.mark.parametrize(
    ("direction", "symbols"),
    [("cites", ["A/RES/72/7", "A/RES/75/272"]), ("cited_by", ["A/RES/79/5", "A/RES/79/268"])],
)
def test_direction_narrows_the_citations_to_one_way(client, resolution, direction, symbols):
    data = client.get(citations_url("A/RES/77/273"), {"direction": direction}).json()

    assert [row["symbol"] for row in data["results"]] == symbols and data["count"] == 2


def test_citations_as_csv_hold_every_row(client, resolution):
    response = client.get(citations_url("A/RES/77/273"), {"format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="A_RES_77_273_citations.csv"' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert [(row["direction"], row["symbol"], row["held"]) for row in rows] == [
        ("cites", "A/RES/72/7", "false"),
        ("cites", "A/RES/75/272", "true"),
        ("cited_by", "A/RES/79/5", "true"),
        ("cited_by", "A/RES/79/268", "true"),
    ]


@pytest.mark.parametrize(
    ("query", "status", "key"),
    [
        ({"direction": "both"}, 400, "direction"),
        ({"direction": "both", "format": "csv"}, 400, "direction"),
        ({"page": "9"}, 404, "detail"),  # a CSV has no pages: it holds every row
        ({"page_size": "0"}, 400, "page_size"),
    ],
)
def test_bad_citation_queries_are_told_what_is_wrong_in_json(client, resolution, query, status, key):
    response = client.get(citations_url("A/RES/77/273"), query)

    assert response.status_code == status
    assert key in response.json()


def test_citations_of_an_unknown_resolution_are_a_json_404(client, db):
    response = client.get(citations_url("A/RES/99/999"))

    assert response.status_code == 404 and "detail" in response.json()


@pytest.mark.parametrize("rows", [1, 50])
def test_citations_cost_the_same_queries_for_one_row_or_many(client, django_assert_num_queries, rows):
    resolution = ResolutionFactory()
    for _ in range(rows):
        cites(resolution, ResolutionFactory())
        cites(ResolutionFactory(), resolution)

    # The resolution; a count and a page of each direction.
    with django_assert_num_queries(5):
        response = client.get(citations_url(resolution.symbol), {"page_size": 100})
    assert len(response.json()["results"]) == 2 * rows

    # CSV: the resolution; each direction read in chunks of 500.
    with django_assert_num_queries(3):
        assert len(csv_rows(client.get(citations_url(resolution.symbol), {"format": "csv"}))) == 2 * rows


@pytest.fixture
def ranked():
    popular = ResolutionFactory(symbol="A/RES/75/1", session="75", title="Popular")
    once = ResolutionFactory(symbol="A/RES/75/2", session="75", title="Once")
    other = ResolutionFactory(symbol="S/RES/2504 (2020)", body="SC", session="2020", title="A Council one")
    for _ in range(3):
        cites(ResolutionFactory(session="77"), popular, other)
    cites(ResolutionFactory(session="77"), once, once)
    return popular, once, other


def test_most_cited_ranks_by_citing_resolutions_and_filters_by_session_and_body(client, ranked):
    url = reverse("api:most-cited")

    everything = client.get(url).json()
    in_75 = client.get(url, {"session": "75"}).json()
    council = client.get(url, {"body": "SC"}).json()

    assert [(row["symbol"], row["cited_by_count"]) for row in everything["results"]] == [
        ("A/RES/75/1", 3),
        ("S/RES/2504 (2020)", 3),
        ("A/RES/75/2", 1),
    ]
    assert [row["symbol"] for row in in_75["results"]] == ["A/RES/75/1", "A/RES/75/2"]
    assert [row["symbol"] for row in council["results"]] == ["S/RES/2504 (2020)"]
    assert everything["results"][0]["url"] == "http://testserver/api/v1/resolutions/A/RES/75/1/"


def test_most_cited_as_csv(client, ranked):
    response = client.get(reverse("api:most-cited"), {"session": "75", "format": "csv"})

    assert 'filename="most_cited.csv"' in response["Content-Disposition"]
    assert [(row["symbol"], row["title"], row["cited_by_count"]) for row in csv_rows(response)] == [
        ("A/RES/75/1", "Popular", "3"),
        ("A/RES/75/2", "Once", "1"),
    ]


def test_most_cited_with_a_bad_body_is_a_400(client, db):
    response = client.get(reverse("api:most-cited"), {"body": "XX"})

    assert response.status_code == 400 and "body" in response.json()


@pytest.mark.parametrize("rows", [1, 50])
def test_most_cited_costs_the_same_queries_for_one_row_or_many(client, django_assert_num_queries, rows):
    for _ in range(rows):
        cites(ResolutionFactory(), ResolutionFactory(session="75"))

    with django_assert_num_queries(2):  # the count and the page
        response = client.get(reverse("api:most-cited"), {"session": "75", "page_size": 100})
    assert len(response.json()["results"]) == rows


def test_the_schema_documents_both_endpoints_with_their_csv(client, db):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]

    citations = paths["/api/v1/resolutions/{symbol}/citations/"]["get"]
    most_cited = paths["/api/v1/resolutions/most-cited/"]["get"]
    assert {parameter["name"] for parameter in citations["parameters"]} >= {
        "symbol",
        "direction",
        "page",
        "format",
    }
    assert {parameter["name"] for parameter in most_cited["parameters"]} >= {
        "session",
        "body",
        "page",
        "format",
    }
    for operation in (citations, most_cited):
        described = operation["responses"]["200"]["content"]["text/csv"]["schema"]
        assert described["type"] == "array"
    assert list(citations["responses"]["200"]["content"]["text/csv"]["schema"]["items"]["properties"]) == [
        "direction",
        "symbol",
        "held",
        "title",
        "adopted_on",
        "url",
        "web_url",
    ]
