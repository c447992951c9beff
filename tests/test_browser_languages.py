"""A resolution read in Arabic and in Chinese in a real browser (issue 12, item 8): the page follows the
text's language and direction, the paragraph pages keep it, and no script is slanted that has no italics."""

import os
import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser_fixtures import DESKTOP, PHONE
from tests.test_browser import SCREENSHOTS

# transaction: the live server thread must see the rows. corpus: the UN's Arabic and Chinese files.
pytestmark = [pytest.mark.browser, pytest.mark.corpus, pytest.mark.django_db(transaction=True)]

RESOLUTION = "/resolutions/A/RES/77/273/"


@pytest.fixture
def site(live_server, transactional_db, shared_data_dir):
    """The seed resolution with its notes (tracked), and its Arabic and Chinese texts as the UN
    publishes them."""
    from resolutions.countries import sync_countries
    from resolutions.models import Country

    sync_countries(Country)
    call_command("load_bundled_data", stdout=StringIO())
    folder = shared_data_dir / "unxml" / "GAresolutions" / "77session"
    files = [str(folder / "Arabic" / "A_RES_77_273-A.xml"), str(folder / "Chinese" / "A_RES_77_273-C.xml")]
    call_command("import_resolution", *files, "--no-progress", stdout=StringIO(), stderr=StringIO())
    return live_server.url


def html_attributes(page):
    return page.evaluate("[document.documentElement.lang, document.documentElement.dir]")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_arabic_reads_right_to_left_across_its_pages_and_makes_screenshots(page, site, viewport, tmp_path):
    """With TRACKER_SCREENSHOTS=1 the screenshots are written to docs/screenshots/ (commit them)."""
    page.set_viewport_size(viewport)
    page.goto(site + RESOLUTION)
    page.locator("nav.languages").get_by_role("link", name="العربية").click()

    expect(page).to_have_url(re.compile(r"\?lang=ar$"))
    assert html_attributes(page) == ["ar", "rtl"]
    text = page.locator(".resolution-text")
    expect(text).to_have_attribute("dir", "rtl")
    # The interface stays English and left to right around it.
    for chrome in (".site-header", "main", ".site-footer"):
        expect(page.locator(chrome)).to_have_attribute("lang", "en")
        expect(page.locator(chrome)).to_have_attribute("dir", "ltr")
    assert (
        page.locator(".resolution-header dt").first.evaluate("dt => getComputedStyle(dt).direction") == "ltr"
    )
    # Arabic reads from the right: the lead phrase starts the line at the right edge of the text.
    lead = page.locator("#op1 em").bounding_box()
    box = text.bounding_box()
    assert lead["x"] + lead["width"] > box["x"] + box["width"] * 0.6, (lead, box)
    expect(page.locator("#op1 em")).to_have_text("تشجع")
    # The closing lines as Arabic prints them, the date read right to left from the day.
    closing = page.locator(".meeting")
    expect(closing).to_contain_text("الجلسة العامة 60")
    expect(closing.locator("time")).to_have_text("24 شباط/فبراير 2023")
    expect(closing.locator("time")).to_have_attribute("datetime", "2023-02-24")
    assert closing.evaluate("p => getComputedStyle(p).textAlign") in ("end", "left")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    folder = SCREENSHOTS if os.environ.get("TRACKER_SCREENSHOTS") == "1" else tmp_path
    name = "phone" if viewport == PHONE else "desktop"
    page.screenshot(
        path=folder / f"resolution-arabic-{name}.png", animations="disabled", caret="hide", scale="css"
    )

    # To the paragraph page and on to the next: Arabic all the way, with the switch there too.
    page.locator("#op1 .tracking a").click()
    expect(page).to_have_url(re.compile(r"/resolutions/A/RES/77/273/op/1/\?lang=ar$"))
    assert html_attributes(page) == ["ar", "rtl"]
    quote = page.locator(".paragraph-quote")
    expect(quote).to_have_attribute("dir", "rtl")
    expect(quote).to_contain_text("تشجع مركز الأمم المتحدة الإقليمي للدبلوماسية الوقائية")
    switch = page.get_by_role("navigation", name="Languages of the text")
    expect(switch.get_by_role("link", name="العربية")).to_have_attribute("aria-current", "true")
    page.locator("nav.pager").get_by_role(
        "link", name="op 2"
    ).click()  # its arrow is hidden from screen readers
    expect(page).to_have_url(re.compile(r"/op/2/\?lang=ar$"))
    expect(page.locator(".paragraph-quote")).to_contain_text("تشجع أيضا")

    switch.get_by_role("link", name="English").click()  # the switch on a paragraph page
    expect(page).to_have_url(re.compile(r"/op/2/\?lang=en$"))
    assert html_attributes(page) == ["en", "ltr"]
    expect(page.locator(".paragraph-quote")).to_contain_text("Also encourages")

    page.goto(site + "/resolutions/A/RES/77/273/op/2/?lang=ar")
    page.get_by_role("link", name="Read it in the full resolution").click()
    expect(page).to_have_url(re.compile(r"/resolutions/A/RES/77/273/\?lang=ar#op2$"))
    assert html_attributes(page) == ["ar", "rtl"]


def test_arabic_footnote_back_links_read_from_the_right(page, site):
    page.goto(site + RESOLUTION + "?lang=ar")

    backref = page.locator("#fn1 a.backref").first
    expect(backref).to_have_text(re.compile(r"^↪ (pp|op) \d+$"))
    # The arrow comes first in reading order, so on the right of the paragraph's label.
    arrow, label = backref.evaluate(
        """link => {
            const range = document.createRange();
            range.setStart(link.firstChild, 0); range.setEnd(link.firstChild, 1);
            return [range.getBoundingClientRect().x, link.querySelector('bdi').getBoundingClientRect().x];
        }"""
    )
    assert arrow > label
    backref.click()
    expect(page).to_have_url(re.compile(r"\?lang=ar#fnref1-"))
    assert html_attributes(page) == ["ar", "rtl"]


def test_chinese_lead_phrases_are_upright_and_bold_never_slanted(page, site):
    page.goto(site + RESOLUTION + "?lang=zh")

    assert html_attributes(page) == ["zh", "ltr"]
    lead = page.locator("#op1 em")
    expect(lead).to_have_text("鼓励")
    style = lead.evaluate(
        "em => { const s = getComputedStyle(em); return [s.fontStyle, s.fontWeight, s.fontSynthesisStyle]; }"
    )
    assert style == ["normal", "700", "none"]
    # Latin and Cyrillic texts keep the UN's italics.
    page.goto(site + RESOLUTION)
    assert page.locator("#op1 em").evaluate("em => getComputedStyle(em).fontStyle") == "italic"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_serious_or_critical_violations_in_arabic_and_chinese(page, site, viewport):
    from tests.test_accessibility import serious

    page.set_viewport_size(viewport)
    found = {}
    for path in (RESOLUTION + "?lang=ar", RESOLUTION + "op/1/?lang=ar", RESOLUTION + "?lang=zh"):
        page.goto(site + path)
        page.evaluate("document.querySelectorAll('details').forEach(panel => { panel.open = true; })")
        problems = serious(page)
        if problems:
            found[path] = problems
    assert found == {}
    assert page.external_requests == []
