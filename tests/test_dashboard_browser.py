"""The dashboards and the paragraph timeline in Chromium: charts and tables without JavaScript, no
sideways scrolling, axe-core finding nothing serious or critical on a desk and a phone. With
TRACKER_SCREENSHOTS=1 the screenshots are written to docs/screenshots/ (commit them)."""

import datetime
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser_fixtures import DESKTOP, PHONE
from tests.test_accessibility import serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
PAGES = {
    "dashboard": "/dashboard/",
    "dashboard-resolution": "/resolutions/A/RES/77/273/dashboard/",
    "timeline": "/resolutions/A/RES/77/273/op/1/",
}


@pytest.fixture
def site(live_server, transactional_db):
    from resolutions.countries import sync_countries
    from resolutions.models import Country, Paragraph
    from tests.factories import AssessmentFactory

    sync_countries(Country)
    call_command("load_bundled_data", stdout=StringIO())
    op1, op2 = (
        Paragraph.objects.operative().get(resolution__symbol="A/RES/77/273", number=number) for number in "12"
    )
    AssessmentFactory(
        paragraph=op1,
        status="in_progress",
        as_of=datetime.date(2023, 6, 1),
        rationale="Consultations with the Governments of the region have begun.",
    )
    AssessmentFactory(
        paragraph=op1,
        status="ongoing",
        as_of=datetime.date(2024, 6, 1),
        rationale="The Centre meets the Governments of the region every year.",
    )
    AssessmentFactory(paragraph=op2, status="implemented", as_of=datetime.date(2025, 6, 1), rationale="Done.")
    return live_server.url


def test_the_dashboards_show_charts_and_their_tables_without_javascript(page_without_javascript, site):
    page = page_without_javascript
    for path in (PAGES["dashboard"], PAGES["dashboard-resolution"]):
        page.goto(site + path)
        charts = page.locator("figure.chart svg[role=img]")
        assert charts.count() >= 5
        for index in range(5):
            box = charts.nth(index).bounding_box()
            assert box["width"] > 200 and box["height"] > 20
        figure = page.locator("#chart-countries")
        figure.locator("summary").click()  # <details> opens without JavaScript
        assert figure.locator("table tbody tr").first.inner_text().startswith("Uzbekistan")
    assert page.locator(".progress-table tbody tr").count() == 4
    assert page.locator(".progress-table svg[role=img]").count() == 3  # op 3 has nothing yet
    page.goto(site + PAGES["timeline"])
    assert page.locator("figure.status-timeline svg[role=img]").bounding_box()["width"] > 300
    assert page.locator(".timeline-events li").count() == 3


def test_the_filters_and_the_period_work_as_plain_forms_without_javascript(page_without_javascript, site):
    page = page_without_javascript
    page.goto(site + PAGES["dashboard"])
    page.get_by_label("Country", exact=True).select_option("kaz")
    page.get_by_role("button", name="Apply filters").click()
    assert "country=kaz" in page.url
    assert page.locator("#chart-countries tbody tr").first.text_content().strip().startswith("Kazakhstan")
    page.get_by_label("No activity for", exact=True).select_option("12")
    page.get_by_role("button", name="Show").click()
    assert "country=kaz" in page.url and "idle=12" in page.url
    assert page.get_by_role("heading", name="No activity for 12 months or more").is_visible()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_serious_axe_finding_no_sideways_scrolling_and_screenshots(page, site, viewport, tmp_path):
    folder = SCREENSHOTS if os.environ.get("TRACKER_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    name = "phone" if viewport == PHONE else "desktop"
    page.set_viewport_size(viewport)
    found = {}
    for key, path in PAGES.items():
        page.goto(site + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{key} scrolls sideways by {overflow}px at {viewport['width']}px"
        if key == "timeline":  # the paragraph's status and timeline, not its text above them
            page.evaluate("document.getElementById('status-heading').scrollIntoView()")
        page.screenshot(path=folder / f"{key}-{name}.png", animations="disabled", caret="hide", scale="css")
        page.evaluate("document.querySelectorAll('details').forEach(panel => { panel.open = true; })")
        problems = serious(page)
        if problems:
            found[path] = problems
    assert found == {}
    assert page.external_requests == []
