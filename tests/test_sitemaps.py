"""Sitemaps and robots.txt (resolutions/sitemaps.py): every public page a crawler should find, published
notes only, in pages of a bounded size, at a fixed number of queries."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from resolutions import sitemaps
from resolutions.models import NoteState, Paragraph, ParagraphKind
from tests.factories import (
    EntityFactory,
    NoteFactory,
    ParagraphFactory,
    ResolutionFactory,
    ThemeFactory,
    recorded_vote,
)

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE = "http://testserver"


def locations(client, url, tag="url"):
    """The <loc> of each <url> (or <sitemap>) of the XML at `url`."""
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return [element.findtext("s:loc", namespaces=NS) for element in root.findall(f"s:{tag}", NS)]


def lastmods(client, url):
    root = ET.fromstring(client.get(url).content)
    return {
        element.findtext("s:loc", namespaces=NS): element.findtext("s:lastmod", namespaces=NS)
        for element in root.findall("s:url", NS)
    }


@pytest.fixture
def site():
    resolution = ResolutionFactory(symbol="A/RES/77/901")
    op1 = ParagraphFactory(resolution=resolution, number="1", order=1)
    ParagraphFactory(resolution=resolution, kind=ParagraphKind.PREAMBULAR, number="", order=2)
    ParagraphFactory(resolution=resolution, number="a", order=3, parent=op1)
    ParagraphFactory(resolution=resolution, number="3", order=4, section="II")
    published = NoteFactory(title="Published", paragraphs=[op1], countries=["KAZ"])
    draft = NoteFactory(title="Draft", paragraphs=[op1], state=NoteState.DRAFT, countries=["KGZ"])
    withdrawn = NoteFactory(title="Withdrawn", paragraphs=[op1], state=NoteState.WITHDRAWN)
    recorded_vote(resolution, {"BRAZIL": "yes"})
    ThemeFactory(slug="water")
    EntityFactory(slug="unrcca")
    return resolution, published, draft, withdrawn


def test_the_index_names_one_sitemap_per_section(client, site):
    index = locations(client, reverse("resolutions:sitemap"), tag="sitemap")
    assert index == [
        f"{SITE}/sitemap-{section}.xml"
        for section in ("resolutions", "paragraphs", "notes", "countries", "themes", "partners")
    ]


def test_each_section_lists_the_public_pages_and_published_notes_only(client, site):
    resolution, published, draft, withdrawn = site
    section = {name: locations(client, f"/sitemap-{name}.xml") for name in sitemaps.SITEMAPS}
    assert section["resolutions"] == [f"{SITE}/resolutions/A/RES/77/901/"]
    # Operative paragraphs with a page of their own: not the preamble, not a sub-paragraph.
    assert section["paragraphs"] == [
        f"{SITE}/resolutions/A/RES/77/901/op/1/",
        f"{SITE}/resolutions/A/RES/77/901/op/II.3/",
    ]
    assert section["notes"] == [SITE + published.get_absolute_url()]
    # Countries whose page shows something: a published note (Kazakhstan) or a vote (Brazil); not a
    # country named by a draft only (Kyrgyzstan).
    assert sorted(section["countries"]) == [f"{SITE}/countries/bra/", f"{SITE}/countries/kaz/"]
    assert section["themes"] == [f"{SITE}/themes/water/"]
    assert section["partners"] == [f"{SITE}/entities/unrcca/"]
    for urls in section.values():
        for url in urls:
            assert client.get(url.removeprefix(SITE)).status_code == 200, url


def test_pages_say_when_they_last_changed(client, site):
    resolution, published, *_ = site
    assert lastmods(client, "/sitemap-resolutions.xml") == {
        f"{SITE}/resolutions/A/RES/77/901/": resolution.updated_at.date().isoformat()
    }
    assert lastmods(client, "/sitemap-notes.xml") == {
        SITE + published.get_absolute_url(): published.updated_at.date().isoformat()
    }
    assert set(lastmods(client, "/sitemap-paragraphs.xml").values()) == {
        resolution.updated_at.date().isoformat()
    }


def test_a_withdrawn_note_leaves_the_sitemap(client, site):
    _, published, *_ = site
    assert locations(client, "/sitemap-notes.xml") == [SITE + published.get_absolute_url()]
    published.state = NoteState.WITHDRAWN
    published.save()
    assert locations(client, "/sitemap-notes.xml") == []


def test_a_large_section_is_cut_into_pages_listed_by_the_index(client, site, monkeypatch):
    monkeypatch.setattr(sitemaps.RowsSitemap, "limit", 2)
    resolution = site[0]
    for number in range(4, 9):
        ParagraphFactory(resolution=resolution, number=str(number), order=number + 10)
    index = locations(client, reverse("resolutions:sitemap"), tag="sitemap")
    paged = [url for url in index if "paragraphs" in url]
    assert paged == [
        f"{SITE}/sitemap-paragraphs.xml",
        f"{SITE}/sitemap-paragraphs.xml?p=2",
        f"{SITE}/sitemap-paragraphs.xml?p=3",
        f"{SITE}/sitemap-paragraphs.xml?p=4",
    ]
    pages = [locations(client, url.removeprefix(SITE)) for url in paged]
    assert [len(page) for page in pages] == [2, 2, 2, 1]
    every = [url for page in pages for url in page]
    assert len(set(every)) == Paragraph.objects.operative().count() == 7
    assert client.get("/sitemap-paragraphs.xml?p=5").status_code == 404
    assert client.get("/sitemap-paragraphs.xml?p=last").status_code == 404
    assert client.get("/sitemap-votes.xml").status_code == 404


def test_a_page_is_read_as_tuples_in_chunks_not_model_objects(site):
    page = sitemaps.ParagraphSitemap().paginator.page(1)
    assert not isinstance(page.object_list, list)  # an iterator over the cursor, not the page at once
    first = next(iter(page.object_list))
    assert first == ("A/RES/77/901", "", "1", site[0].updated_at)


@pytest.mark.parametrize("section, queries", [("paragraphs", 2), ("notes", 2), ("countries", 2)])
def test_a_section_costs_the_same_for_few_rows_and_many(
    client, site, section, queries, django_assert_num_queries
):
    client.get("/robots.txt")  # the cache generation, read once
    with django_assert_num_queries(queries):  # a count for the pager, then the page
        few = locations(client, f"/sitemap-{section}.xml?p=1")
    resolution = site[0]
    for number in range(10, 40):
        paragraph = ParagraphFactory(resolution=resolution, number=str(number), order=number + 10)
        NoteFactory(paragraphs=[paragraph], countries=[["UZB", "TJK", "TKM"][number % 3]])
    recorded_vote(resolution, {"CHILE": "no", "FRANCE": "yes"})
    with django_assert_num_queries(queries):
        many = locations(client, f"/sitemap-{section}.xml")
    assert len(many) > len(few)


def test_the_index_costs_a_fixed_number_of_queries(client, site, django_assert_num_queries):
    client.get("/robots.txt")
    # Per section a count; the latest change of resolutions (twice: their paragraphs change with them)
    # and of published notes.
    with django_assert_num_queries(9):
        locations(client, reverse("resolutions:sitemap"), tag="sitemap")


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_from_admin_api_and_search(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    assert {"Disallow: /admin/", "Disallow: /api/", "Disallow: /search/", "Disallow: /language/"} <= set(
        lines
    )
    # ... in every language of the interface too.
    assert {"Disallow: /ru/admin/", "Disallow: /ru/search/", "Disallow: /ar/search/"} <= set(lines)
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert not any(line == "Disallow: /" for line in lines)
