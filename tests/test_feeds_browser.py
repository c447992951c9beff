"""Following a page in a real browser (issue 15): the "Follow (Atom)" line of a country's page leads to
its feed, which a feed reader can parse and which holds that country's published notes."""

import os
from io import StringIO
from pathlib import Path

import feedparser
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser_fixtures import DESKTOP, PHONE

# transaction: the live server thread must see the rows.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


@pytest.fixture
def site(live_server, transactional_db):
    """The live server with the seed resolution and its demonstration notes."""
    from resolutions.countries import sync_countries
    from resolutions.models import Country

    sync_countries(Country)  # in case an earlier transactional test's flush removed them
    call_command("load_bundled_data", stdout=StringIO())
    return live_server.url


def test_a_country_page_follows_its_feed(page, site):
    from resolutions.models import ImplementationNote

    kazakh = set(
        ImplementationNote.objects.published().filter(countries__alpha3="KAZ").values_list("title", flat=True)
    )
    assert kazakh, "the demonstration notes name Kazakhstan"
    page.goto(site + "/countries/kaz/")
    follow = page.locator("p.follow").first
    expect(follow).to_contain_text("Follow (Atom):")
    link = follow.get_by_role("link", name="its implementation notes")
    href = link.get_attribute("href")
    assert (
        page.locator('head link[rel="alternate"][type="application/atom+xml"]').get_attribute("href") == href
    )

    # A browser offers an Atom document as a download (or shows it as XML): either way, what it gets.
    with page.expect_response(lambda response: response.url.endswith(href)) as answer:
        try:
            with page.expect_download(timeout=5000):
                link.click()
        except Exception:  # noqa: BLE001 - shown in the tab instead of downloaded
            pass
    response = answer.value
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.body())
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Implementation notes \u2013 Country: Kazakhstan"
    assert {entry.title for entry in parsed.entries} == kazakh
    assert all(entry.link.startswith(site + "/notes/") for entry in parsed.entries)
    assert page.external_requests == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_follow_line_screenshot(page, site, viewport, tmp_path):
    """The Follow line on a country's page, without sideways scrolling. With TRACKER_SCREENSHOTS=1
    written to docs/screenshots/ (commit them)."""
    folder = SCREENSHOTS if os.environ.get("TRACKER_SCREENSHOTS") == "1" else tmp_path
    name = "phone" if viewport == PHONE else "desktop"
    page.set_viewport_size(viewport)
    page.goto(site + "/countries/kaz/")
    follow = page.locator("p.follow").first
    follow.scroll_into_view_if_needed()
    expect(follow).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.evaluate("window.scrollBy(0, -200)")
    page.screenshot(path=folder / f"follow-{name}.png", animations="disabled", caret="hide", scale="css")
