"""Links everywhere in a real browser (issue 12, item 7): each paragraph's permalink, "Copy link" and
"Cite", and the published notes beside their paragraph, on a desk and on a phone."""

import os
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser_fixtures import DESKTOP, PHONE

# transaction: the live server thread must see the rows.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
RESOLUTION = "/resolutions/A/RES/77/273/"
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


@pytest.fixture
def site(live_server, transactional_db):
    """The live server with the seed resolution and its demonstration notes."""
    from resolutions.countries import sync_countries
    from resolutions.models import Country

    sync_countries(Country)  # in case an earlier transactional test's flush removed them
    call_command("load_bundled_data", stdout=StringIO())
    return live_server.url


@VIEWPORTS
def test_copy_link_and_cite_put_the_paragraphs_address_and_citation_on_the_clipboard(page, site, viewport):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page.set_viewport_size(viewport)
    page.goto(site + RESOLUTION)
    tools = page.locator("#op1 .paragraph-tools")

    tools.get_by_role("button", name="Copy link").click()

    expect(tools.get_by_role("status")).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == site + RESOLUTION + "#op1"

    tools.get_by_role("button", name="Cite").click()

    expect(tools.get_by_role("status")).to_have_text("Copied: A/RES/77/273, operative paragraph 1")
    assert page.evaluate("navigator.clipboard.readText()") == "A/RES/77/273, operative paragraph 1"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


@VIEWPORTS
def test_the_paragraph_page_copies_its_own_address(page, site, viewport):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page.set_viewport_size(viewport)
    page.goto(site + RESOLUTION + "op/1/")
    tools = page.locator(".cite-as")

    expect(tools).to_contain_text("Cite as: A/RES/77/273, operative paragraph 1")
    tools.get_by_role("button", name="Copy link").click()

    expect(tools.get_by_role("status")).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == site + RESOLUTION + "op/1/"


def test_the_permalink_is_a_plain_link_without_javascript(page_without_javascript, site):
    page = page_without_javascript
    page.goto(site + RESOLUTION)
    expect(page.get_by_role("button", name="Copy link")).to_have_count(0)

    page.locator("#op3 .permalink").click()

    expect(page).to_have_url(re.compile(r"/resolutions/A/RES/77/273/#op3$"))
    expect(page.locator("#op3 .permalink")).to_have_attribute(
        "title", "Permanent link to A/RES/77/273, operative paragraph 3"
    )
    # Without JavaScript nothing is folded: the notes beside a paragraph are shown.
    expect(page.locator("#op2 .beside-notes li").first).to_be_visible()


def test_notes_sit_beside_their_paragraph_on_a_desk(page, site):
    page.set_viewport_size(DESKTOP)
    page.goto(site + RESOLUTION)
    text = page.locator("#op2 > p").first.bounding_box()
    beside = page.locator("#op2 .beside").bounding_box()

    assert beside["x"] >= text["x"] + text["width"], "the notes are in the margin, right of the text"
    assert abs(beside["y"] - text["y"]) < 40, "level with the paragraph"
    expect(page.locator("#op2 .beside-notes summary")).to_be_hidden()
    notes = page.locator("#op2 .beside-notes li")
    expect(notes).to_have_count(3)
    expect(notes.first).to_be_visible()

    notes.first.get_by_role("link").click()

    expect(page).to_have_url(re.compile(r"/notes/\d+/$"))


def test_notes_fold_under_their_paragraph_on_a_phone_and_open_on_a_tap(page, site):
    page.set_viewport_size(PHONE)
    page.goto(site + RESOLUTION)
    text = page.locator("#op2 > p").first.bounding_box()
    beside = page.locator("#op2 .beside")
    notes = beside.locator(".beside-notes li")

    assert beside.bounding_box()["y"] >= text["y"] + text["height"] - 1, "below the text"
    expect(beside.locator(".tracking")).to_contain_text("3 published notes")
    expect(notes.first).to_be_hidden()

    beside.locator("summary").click()

    expect(notes.first).to_be_visible()
    expect(notes).to_have_count(3)


@VIEWPORTS
def test_notes_beside_paragraphs_screenshot(page, site, viewport, tmp_path):
    """With TRACKER_SCREENSHOTS=1 written to docs/screenshots/ (commit them), as the main pages are."""
    folder = SCREENSHOTS if os.environ.get("TRACKER_SCREENSHOTS") == "1" else tmp_path
    name = "phone" if viewport == PHONE else "desktop"
    page.set_viewport_size(viewport)
    page.goto(site + RESOLUTION)
    if viewport == PHONE:
        page.locator("#op2 .beside summary").click()  # one paragraph's notes opened, the others folded
    page.evaluate("document.getElementById('op1').scrollIntoView()")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.screenshot(
        path=folder / f"notes-beside-{name}.png", animations="disabled", caret="hide", scale="css"
    )
    assert page.external_requests == []
