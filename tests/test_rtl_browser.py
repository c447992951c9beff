"""The interface laid out right to left (issue 17): under /ar/ the whole frame mirrors the English one, the
header starting at the right edge, the navigation, the filters and the lists beside it as in a mirror, and
nothing runs off a phone's screen on either side. The project's catalogues are set aside: the words stay
English, which lets a box on one page be compared with the same box on the other. The screenshots (in the test's
tmp_path, under /tmp) are for a person to look at."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from tests.browser_fixtures import DESKTOP
from tests.test_accessibility import serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {"home": "/", "resolution": "/resolutions/A/RES/77/273/", "notes": "/notes/"}
OTHER_PAGES = [
    "/resolutions/",
    "/resolutions/A/RES/77/273/op/1/",
    "/resolutions/A/RES/77/273/report/",
    "/dashboard/",
    "/search/?q=water",
    "/alerts/subscribe/?topic=notes",  # its honeypot field is off the screen, on the side that does not scroll
]
SMALL_PHONE = {"width": 375, "height": 812}
# Boxes that mirror: on the Arabic page each one's distance from the right edge is its distance from the
# left on the English page. (The resolution's text and the boxes inside it keep the text's direction.)
MIRRORED = {
    "home": [".site-header .brand", ".site-header nav", ".site-search", "main h1", ".figures li"],
    "resolution": [".site-header .brand", ".site-header nav", ".resolution-header .facts dt", ".facts dd"],
    "notes": [
        ".site-header .brand",
        ".site-header nav",
        ".filter-panel > summary",
        ".filter-fields .field",
        ".filter-actions button",
        ".result-count",
        ".note-card h3",
    ],
}
CHROME_DIRECTION = """["header.site-header", "main", "footer.site-footer"].map(
  selector => getComputedStyle(document.querySelector(selector)).direction)"""
# Everything drawn on the page but what is hidden on purpose: off the page (the skip link until it has
# the focus), clipped to nothing (text for screen readers only) or shut in a closed <details>.
OUT_OF_BOUNDS = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.body.querySelectorAll("*")]
    .filter(element => !element.closest(".skip-link, .visually-hidden, .honeypot, details:not([open]) > :not(summary)"))
    .map(element => [element, element.getBoundingClientRect()])
    .filter(([element, box]) => box.width > 0 && (box.left < -1 || box.right > width + 1))
    .map(([element, box]) => `${element.tagName.toLowerCase()}.${element.className} ${Math.round(box.left)}..${Math.round(box.right)}`);
}"""


@pytest.fixture
def site(live_server, transactional_db, settings):
    """The seed resolution and its demonstration notes, with Arabic among the interface's languages."""
    from resolutions.countries import sync_countries
    from resolutions.models import Country

    settings.LANGUAGES = [("ar", "العربية"), ("en", "English")]
    # The frame alone: without the project's catalogue the words stay English on both pages, so a box
    # on one can be compared with the same box on the other (tests/test_interface_languages_browser.py
    # reads the Arabic words).
    settings.LOCALE_PATHS = []
    sync_countries(Country)
    call_command("load_bundled_data", stdout=StringIO())
    return live_server.url


def box(page, selector):
    found = page.locator(selector).first.bounding_box()
    assert found, f"{selector} is not on {page.url}"
    return found


def right_edge(found):
    return found["x"] + found["width"]


@pytest.mark.parametrize("viewport", [SMALL_PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_arabic_interface_mirrors_the_english_one(page, site, viewport, tmp_path):
    page.set_viewport_size(viewport)
    name = "phone" if viewport == SMALL_PHONE else "desktop"
    for key, path in PAGES.items():
        english = {}
        page.goto(site + path)
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["en", "ltr"]
        for selector in MIRRORED[key]:
            english[selector] = page.locator(selector).first.bounding_box()  # None where folded on a phone

        page.goto(site + "/ar" + path)
        # <html> has the language of the text a page shows (an English resolution's, on its page), the
        # interface's own parts that of the interface.
        html = page.evaluate("[document.documentElement.lang, document.documentElement.dir]")
        assert html == (["en", "ltr"] if key == "resolution" else ["ar", "rtl"])
        assert page.evaluate(CHROME_DIRECTION) == ["rtl", "rtl", "rtl"]
        page.screenshot(
            path=tmp_path / f"rtl-{key}-{name}.png", full_page=True, animations="disabled", caret="hide"
        )
        width = page.evaluate("document.documentElement.clientWidth")
        for selector, ltr in english.items():
            rtl = page.locator(selector).first.bounding_box()
            if ltr is None:
                assert rtl is None, (key, selector)
                continue
            where = (key, selector, ltr, rtl)
            assert abs(rtl["x"] - (width - ltr["x"] - ltr["width"])) <= 2, where
            assert abs(rtl["y"] - ltr["y"]) <= 2 and abs(rtl["width"] - ltr["width"]) <= 2, where

        # The header starts at the right edge: the brand there, the main navigation on its left.
        brand, navigation = box(page, ".site-header .brand"), box(page, ".site-header nav")
        assert width - right_edge(brand) <= 24, brand
        if viewport == DESKTOP:
            assert navigation["x"] + navigation["width"] <= brand["x"]
            first, second = (box(page, f".site-header nav li:nth-child({n})") for n in (1, 2))
            assert first["x"] > second["x"]  # "Resolutions" first, from the right
        else:
            assert navigation["y"] >= brand["y"] + brand["height"] - 1  # below it, flush right
            assert width - right_edge(navigation) <= 24

        # Nothing overflows a phone's screen on either side: to the left a right-to-left page would
        # scroll, to the right what sticks out could not be reached at all.
        assert (
            page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        )
        assert page.evaluate(OUT_OF_BOUNDS) == [], key
    assert page.external_requests == []


def test_the_filters_read_from_the_right(page, site):
    """On a desk the filters' heading, their fields and the button to apply them start at the right, on the
    right edge of the results below them."""
    page.goto(site + "/ar/notes/?country=kaz")
    results, panel, heading = (
        box(page, "#results"),
        box(page, ".filters"),
        box(page, ".filter-panel > summary"),
    )
    assert (
        abs(right_edge(panel) - right_edge(results)) <= 1
        and abs(right_edge(heading) - right_edge(results)) <= 1
    )
    fields = page.locator(".filter-fields .field")
    first, second = fields.nth(0).bounding_box(), fields.nth(1).bounding_box()
    assert first["x"] > second["x"] and first["y"] == second["y"]
    apply, clear = box(page, ".filter-actions button"), box(page, ".filter-actions a")
    assert apply["x"] > clear["x"]


def test_the_paragraph_page_mirrors_its_borders_and_keeps_its_drawing_left_to_right(page, site):
    page.goto(site + "/ar/resolutions/A/RES/77/273/op/1/")
    events = page.locator(".timeline-events")
    style = events.evaluate(
        "list => [getComputedStyle(list).borderRightWidth, getComputedStyle(list).borderLeftWidth]"
    )
    assert style == ["2px", "0px"]
    # The chart is drawn left to right in x and y on the server: its labels stay inside it.
    chart = box(page, "figure.status-timeline svg")
    for label in page.locator("figure.status-timeline svg text").all():
        text = label.bounding_box()
        assert chart["x"] - 1 <= text["x"] and text["x"] + text["width"] <= chart["x"] + chart["width"] + 1


def test_an_english_text_keeps_its_italics_in_the_arabic_interface(page, site):
    """Only Arabic and Chinese words lose their italics (they have none), not the English lead phrases of a
    text shown in the Arabic interface."""
    page.goto(site + "/ar" + PAGES["resolution"])
    lead = page.locator("#op1 em")
    assert lead.evaluate("em => [getComputedStyle(em).fontStyle, getComputedStyle(em).fontWeight]") == [
        "italic",
        "400",
    ]


def test_nothing_runs_off_a_phone_on_the_other_pages_either(page, site, tmp_path):
    page.set_viewport_size(SMALL_PHONE)
    for path in OTHER_PAGES:
        page.goto(site + "/ar" + path)
        page.screenshot(
            path=tmp_path / f"rtl{re.sub(r'[^a-z0-9]+', '-', path).rstrip('-')}.png", full_page=True
        )
        assert (
            page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        )
        assert page.evaluate(OUT_OF_BOUNDS) == [], path


@pytest.mark.parametrize("viewport", [SMALL_PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_serious_axe_finding_right_to_left(page, site, viewport):
    page.set_viewport_size(viewport)
    found = {}
    for path in PAGES.values():
        page.goto(site + "/ar" + path)
        page.evaluate("document.querySelectorAll('details').forEach(panel => { panel.open = true; })")
        problems = serious(page)
        if problems:
            found[path] = problems
    assert found == {}
