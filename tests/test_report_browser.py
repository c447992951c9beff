"""The implementation report in a real browser: readable on a phone and a desk, and on paper."""

import datetime
import os

import pytest

from tests.browser_fixtures import DESKTOP, PHONE
from tests.test_accessibility import serious
from tests.test_browser import SCREENSHOTS, site  # noqa: F401 (the live server with the seed)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = "/resolutions/A/RES/77/273/report/"


@pytest.fixture
def assessed(site):  # noqa: F811
    from resolutions.models import AssessmentStatus, Paragraph
    from tests.factories import AssessmentFactory

    paragraph = Paragraph.objects.operative().get(resolution__symbol="A/RES/77/273", number="2")
    AssessmentFactory(
        paragraph=paragraph,
        status=AssessmentStatus.ONGOING,
        as_of=datetime.date(2024, 6, 30),
        rationale="Contacts with regional organizations continue.",
    )
    return site


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_report_fits_the_screen(page, assessed, viewport, tmp_path):
    """No sideways scrolling; with TRACKER_SCREENSHOTS=1 the screenshots go to docs/screenshots/."""
    url, _ = assessed
    folder = SCREENSHOTS if os.environ.get("TRACKER_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(viewport)
    page.goto(url + REPORT)

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the report scrolls sideways by {overflow}px at {viewport['width']}px"
    assert page.locator(".report-paragraph").count() == 4
    assert page.get_by_role("heading", name="Operative paragraph 2").is_visible()
    assert page.locator("#op2 .status").inner_text() == "Ongoing"
    name = "phone" if viewport == PHONE else "desktop"
    page.screenshot(path=folder / f"report-{name}.png", full_page=True, animations="disabled", caret="hide")
    page.locator(".report-summary").screenshot(
        path=folder / f"report-{name}-summary.png", animations="disabled"
    )
    assert page.external_requests == []


def test_report_prints_without_the_site_chrome_and_with_note_addresses(page, assessed, tmp_path):
    url, _ = assessed
    page.goto(url + REPORT)
    page.emulate_media(media="print")

    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".report-header .downloads").is_visible()
    printed_link = page.evaluate(
        "getComputedStyle(document.querySelector('.report-note h4 a.note-link'), '::after').content"
    )
    assert url in printed_link  # the note's full address, for a reader of the paper
    pdf = page.pdf(format="A4", path=tmp_path / "report.pdf")
    assert pdf.startswith(b"%PDF")
    folder = SCREENSHOTS if os.environ.get("TRACKER_SCREENSHOTS") == "1" else tmp_path
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.screenshot(path=folder / "report-print.png", animations="disabled", caret="hide")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_report_has_no_serious_or_critical_accessibility_violation(page, assessed, viewport):
    url, _ = assessed
    page.set_viewport_size(viewport)
    page.goto(url + REPORT)

    assert serious(page) == []
