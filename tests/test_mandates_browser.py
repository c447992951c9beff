"""The mandates page and the report of a filtered notes list in a real browser: they fit a phone and a
desk, the mandates filters update the list in place, axe finds nothing serious. With
TRACKER_SCREENSHOTS=1 the screenshots go to docs/screenshots/ (commit them)."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import DESKTOP, PHONE
from tests.test_accessibility import serious
from tests.test_browser import SCREENSHOTS, site  # noqa: F401 (the live server with the seed)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "mandates": "/mandates/",
    "mandates-filtered": "/mandates/?addressee_entity=unrcca&request=encourages",
    "notes-report": "/notes/report/?country=kaz",
}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_pages_fit_the_screen_and_have_no_serious_violation(page, site, viewport, tmp_path):  # noqa: F811
    url, _ = site
    folder = SCREENSHOTS if os.environ.get("TRACKER_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(viewport)
    name = "phone" if viewport == PHONE else "desktop"
    for key, path in PAGES.items():
        page.goto(url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{key} scrolls sideways by {overflow}px at {viewport['width']}px"
        assert serious(page) == [], key
        page.screenshot(path=folder / f"{key}-{name}.png", animations="disabled", caret="hide", scale="css")
    assert page.external_requests == []


def test_choosing_a_filter_updates_the_mandates_in_place(page, site):  # noqa: F811
    url, _ = site
    page.set_viewport_size(DESKTOP)
    page.goto(url + "/mandates/")
    expect(page.locator(".result-count")).to_contain_text("4 operative paragraphs")

    page.get_by_label("What is asked").select_option("welcomes")

    expect(page).to_have_url(re.compile(r"request=welcomes"))
    expect(page.locator(".result-count")).to_contain_text("1 operative paragraph match")
    expect(page.locator(".mandate-card h2 a")).to_have_text(["77/273 op 3"])
    page.locator(".mandate-card h2 a").click()
    expect(page.get_by_role("heading", name="Mandate")).to_be_visible()
