"""The lineage pages in a real browser (Chromium through Playwright): 77/273 and 75/272 as the UN
published them (../shared/data; skipped, saying so, where absent), on a desk and a phone. With
TRACKER_SCREENSHOTS=1 the screenshots series-*.png and changes-*.png go to docs/screenshots/."""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser_fixtures import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


@pytest.fixture
def pair(live_server, transactional_db, shared_data_dir):
    from resolutions.countries import sync_countries
    from resolutions.models import Country

    sync_countries(Country)
    folder = shared_data_dir / "unxml" / "GAresolutions"
    files = [
        *(folder / "75session" / "English").glob("*75_272*"),
        *(folder / "77session" / "English").glob("*77_273*"),
    ]
    call_command("load_bundled_data", "--no-demo", stdout=StringIO())  # the "unrcca" series they join
    call_command("import_resolution", *map(str, files), "--no-progress", stdout=StringIO(), stderr=StringIO())
    return live_server.url


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_series_changes_and_earlier_mandate_fit_the_screen_and_make_screenshots(
    page, pair, viewport, tmp_path
):
    folder = SCREENSHOTS if os.environ.get("TRACKER_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    name = "phone" if viewport == PHONE else "desktop"
    page.set_viewport_size(viewport)
    pages = {
        "series": "/series/unrcca/",
        "changes": "/resolutions/A/RES/77/273/changes/",
        "changes-paragraph": "/resolutions/A/RES/77/273/op/4/",
    }
    for key, path in pages.items():
        page.goto(pair + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{key} scrolls sideways by {overflow}px at {viewport['width']}px"
        page.screenshot(
            path=folder / f"{key}-{name}.png",
            animations="disabled",
            caret="hide",
            scale="css",
            full_page=key != "changes",
        )
    assert page.external_requests == []


def test_a_reader_goes_from_the_series_to_what_changed_and_to_a_paragraph(page, pair):
    page.set_viewport_size(DESKTOP)
    page.goto(pair + "/resolutions/A/RES/77/273/")
    page.get_by_role(
        "link", name="Role of the United Nations Regional Centre for Preventive Diplomacy for Central Asia"
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Role of the United Nations Regional Centre")
    page.get_by_role("link", name="what changed since 75/272").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("What changed since 75/272")
    # Inserted words are told in words too: what a screen reader reads.
    inserted = page.locator(".change-changed ins").first
    expect(inserted).to_contain_text("inserted:")
    assert inserted.evaluate("node => getComputedStyle(node).textDecorationLine") == "underline"
    page.get_by_role("link", name="op 4", exact=True).click()
    expect(page.get_by_role("heading", name="On the earlier mandate")).to_be_visible()
    expect(page.locator(".earlier-mandate")).to_contain_text(
        "This paragraph continues operative paragraph 4 of 75/272"
    )
