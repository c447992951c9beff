"""The citations page and the most cited in a real browser, on the UN's own files: the graph that fits
the screen, its links, no sideways scrolling, axe; screenshots for docs/screenshots/ with
TRACKER_SCREENSHOTS=1."""

import os
from io import StringIO

import pytest
from django.core.management import call_command

from tests.browser_fixtures import DESKTOP, PHONE
from tests.test_accessibility import serious
from tests.test_browser import SCREENSHOTS
from tests.test_citation_views import CORPUS_FILES

pytestmark = [pytest.mark.browser, pytest.mark.corpus, pytest.mark.django_db(transaction=True)]

CITATIONS = "/resolutions/A/RES/77/273/citations/"
MOST_CITED = "/resolutions/most-cited/?session=77"


@pytest.fixture
def neighbourhood(live_server, transactional_db, shared_data_dir):
    """A/RES/77/273 with what it cites and what cites it among the UN's files (../shared/data)."""
    folder = shared_data_dir / "unxml" / "GAresolutions"
    for name in CORPUS_FILES:
        call_command(
            "import_resolution", str(folder / name), "--no-progress", stdout=StringIO(), stderr=StringIO()
        )
    return live_server.url


def screenshots(tmp_path):
    folder = SCREENSHOTS if os.environ.get("TRACKER_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_graph_that_fits_the_screen_shows_and_leads_to_a_citing_resolution(
    page, neighbourhood, viewport, tmp_path
):
    page.set_viewport_size(viewport)
    page.goto(neighbourhood + CITATIONS)

    shown, hidden = (".citation-drawing.stacked", ".citation-drawing.wide")
    if viewport != PHONE:
        shown, hidden = hidden, shown
    assert page.locator(shown).is_visible() and not page.locator(hidden).is_visible()
    graph = page.locator(shown)
    box = graph.bounding_box()
    assert box["width"] <= viewport["width"] and box["height"] > 200
    # Its labels are readable: at least 12 CSS pixels high, phone included.
    label_height = graph.locator("g.node.held text").first.bounding_box()["height"]
    assert label_height >= 12, f"graph labels are {label_height}px high at {viewport['width']}px"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {viewport['width']}px"
    name = "phone" if viewport == PHONE else "desktop"
    page.screenshot(
        path=screenshots(tmp_path) / f"citations-{name}.png",
        full_page=True,
        animations="disabled",
        caret="hide",
    )

    graph.locator('svg.links a[href="/resolutions/A/RES/79/274/"]').click()
    page.wait_for_url("**/resolutions/A/RES/79/274/")
    assert page.get_by_role("heading", level=1).inner_text() == "Permanent neutrality of Turkmenistan"
    assert page.external_requests == []


def test_the_resolution_page_leads_to_its_citations_and_on_to_the_most_cited(page, neighbourhood, tmp_path):
    page.goto(neighbourhood + "/resolutions/A/RES/77/273/")
    page.get_by_role("link", name="Citation graph and every citation of A/RES/77/273").click()
    page.wait_for_url("**" + CITATIONS)
    assert page.get_by_role("heading", name="Cited by 3").is_visible()
    # The graph's image is named and described for a screen reader.
    image = page.get_by_role("img", name="Citation graph of A/RES/77/273")
    assert image.count() == 1  # the other layout is hidden from assistive technology too

    page.get_by_role("link", name="Most cited resolutions of the same session").click()
    page.wait_for_url("**/resolutions/most-cited/?session=77&body=GA")
    first = page.locator("table.most-cited tbody tr").first
    assert first.locator("td").nth(1).inner_text().startswith("A/RES/77/273")
    assert first.locator("td").nth(2).inner_text() == "3"
    page.screenshot(
        path=screenshots(tmp_path) / "citations-most-cited-desktop.png",
        full_page=True,
        animations="disabled",
        caret="hide",
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_citation_pages_have_no_serious_or_critical_accessibility_violation(
    page, neighbourhood, viewport
):
    page.set_viewport_size(viewport)
    found = {}
    for path in (CITATIONS, MOST_CITED):
        page.goto(neighbourhood + path)
        problems = serious(page)
        if problems:
            found[path] = problems
    assert found == {}
