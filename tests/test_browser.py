"""What a reader does in a real browser (Debian's Chromium through Playwright), with the seed data."""

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
MAIN_PAGES = {
    "home": "/",
    "resolutions": "/resolutions/",
    "resolution": "/resolutions/A/RES/77/273/",
    "paragraph": "/resolutions/A/RES/77/273/op/1/",
    "notes": "/notes/",
    "note": None,  # the first published note, found at run time
    "country": "/countries/kaz/",
    "search": "/search/?q=regional+centre",
}


@pytest.fixture
def site(live_server, transactional_db):
    """The live server with the seed resolution and its demonstration notes."""
    from resolutions.countries import sync_countries
    from resolutions.models import Country, ImplementationNote

    # The countries a migration loads, in case an earlier transactional test's flush removed them.
    sync_countries(Country)
    call_command("load_bundled_data", stdout=StringIO())

    first = ImplementationNote.objects.published().order_by("pk").first()
    pages = {**MAIN_PAGES, "note": first.get_absolute_url()}
    return live_server.url, pages


def in_uzbekistan():
    from resolutions.models import ImplementationNote

    count = ImplementationNote.objects.published().filter(countries__alpha3="UZB").count()
    assert 0 < count < ImplementationNote.objects.published().count()
    return count


def test_overview_shows_the_resolution_and_leads_to_it(page, site):
    url, _ = site
    page.goto(url + "/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Resolution Tracker")
    page.get_by_role("link", name="A/RES/77/273").first.click()

    expect(page).to_have_url(re.compile(r"/resolutions/A/RES/77/273/$"))
    expect(page.locator("#op1")).to_contain_text("Encourages")
    assert page.external_requests == []


def test_filtering_notes_by_country_updates_the_list_without_a_reload(page, site):
    url, _ = site
    page.goto(url + "/notes/")
    expect(page.locator(".result-count")).to_contain_text("6 published notes")
    expect(page.get_by_text("Dushanbe High-level Conference")).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_label("Country").select_option("uzb")

    expect(page.locator(".result-count")).to_contain_text(
        f"{in_uzbekistan()} published notes match these filters"
    )
    expect(page.get_by_text("Dushanbe High-level Conference")).to_have_count(0)
    expect(page.get_by_text("Tashkent conference")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/notes/\?.*country=uzb"))  # bookmarkable
    assert page.evaluate("window.stillTheSamePage") is True  # htmx swapped the list in place

    page.reload()
    expect(page.locator(".result-count")).to_contain_text(
        f"{in_uzbekistan()} published notes match these filters"
    )
    # The chips and the form's count of filters in use follow the in-place update too.
    expect(page.get_by_role("link", name="Remove the filter Country: Uzbekistan")).to_be_visible()
    expect(page.locator(".filter-panel summary")).to_have_text("Filter and sort (1 in use)")
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Kind").select_option("conference")
    expect(page.locator(".filter-panel summary")).to_have_text("Filter and sort (2 in use)")
    expect(page.locator(".chip")).to_have_count(2)
    assert page.evaluate("window.stillTheSamePage") is True


def test_filtering_works_without_javascript(page_without_javascript, site):
    page = page_without_javascript
    url, _ = site
    page.goto(url + "/notes/")

    page.get_by_label("Country").select_option("uzb")
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"country=uzb"))
    expect(page.locator(".result-count")).to_contain_text(
        f"{in_uzbekistan()} published notes match these filters"
    )
    page.get_by_role("link", name="Clear all filters").first.click()
    expect(page.locator(".result-count")).to_contain_text("6 published notes")


def test_a_bad_filter_value_shows_a_form_error(page, site):
    url, _ = site
    page.goto(url + "/notes/?country=XXX")

    expect(page.locator(".field-error .error")).to_be_visible()
    expect(page.get_by_text("Some filters could not be used")).to_be_visible()


def test_resolution_page_leads_to_a_paragraph_and_back_to_its_anchor(page, site):
    url, _ = site
    page.goto(url + "/resolutions/A/RES/77/273/")

    page.locator("#op1 .tracking a").click()

    expect(page).to_have_url(re.compile(r"/resolutions/A/RES/77/273/op/1/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Operative paragraph 1")
    expect(
        page.get_by_role("article").get_by_text("Consultative meeting of the Central Asian Heads of State")
    ).to_be_visible()
    page.get_by_role("link", name="Read it in the full resolution").click()
    expect(page).to_have_url(re.compile(r"/resolutions/A/RES/77/273/#op1$"))


def test_footnote_links_go_down_and_back_up(page, site):
    url, _ = site
    page.goto(url + "/resolutions/A/RES/77/273/")

    page.locator('sup a[href="#fn1"]').first.click()
    expect(page).to_have_url(re.compile("#fn1$"))
    page.locator("#fn1 a.backref").first.click()
    expect(page).to_have_url(re.compile("#fnref1-"))


def test_search_from_the_header_highlights_a_hit(page, site):
    url, _ = site
    page.goto(url + "/notes/")

    page.get_by_role("searchbox", name="Search resolutions, paragraphs and notes").fill("Cholpon-Ata")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q=Cholpon-Ata"))
    hit = page.locator("#notes ~ .hits .hit").first
    expect(hit.locator("mark").first).to_have_text(re.compile("Cholpon", re.I))


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page, site):
    url, _ = site
    page.goto(url + "/")

    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_main_pages_fit_the_screen_and_make_screenshots(page, site, untracked, viewport, tmp_path):
    """No sideways scrolling on a phone or a desk. With TRACKER_SCREENSHOTS=1 the screenshots are
    written to docs/screenshots/ (commit them); otherwise to a temporary folder."""
    url, pages = site
    folder = SCREENSHOTS if os.environ.get("TRACKER_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    name = "phone" if viewport == PHONE else "desktop"
    page.set_viewport_size(viewport)
    pages = {**pages, "vote": untracked.get_absolute_url()}  # a recorded vote, subjects (issue 12)
    for key in ("home", "resolutions", "resolution", "paragraph", "notes", "search", "vote"):
        page.goto(url + pages[key])
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{key} scrolls sideways by {overflow}px at {viewport['width']}px"
        # Pinned: the viewport above, device scale factor 1 and fonts (tests/browser_fixtures.py);
        # animations finished, caret hidden, CSS pixels. The pages show only the seed data: fixed dates
        # and counts, so the PNGs change only when the pages do.
        page.screenshot(path=folder / f"{key}-{name}.png", animations="disabled", caret="hide", scale="css")
    assert page.external_requests == []


def test_every_text_is_drawn_in_the_pinned_fonts_whatever_the_machine_has(page, site):
    """The screenshots are reproducible only if Chromium draws with the fonts `make chromium` installs
    (DejaVu), never one that happens to be on the machine (with fonts-liberation installed, the
    resolution's serif text, "Georgia, 'Times New Roman', ..., serif", was Liberation Serif). The
    interface's stack (system-ui, ..., "Noto Sans", sans-serif) resolves to DejaVu Sans, the
    resolution's text to DejaVu Serif; bold and italic are the fonts' own faces, not synthesized."""
    url, pages = site
    page.goto(url + pages["resolution"])
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]

    def faces(selector):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        assert node, f"no {selector} on the page"
        return {
            font["postScriptName"]
            for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        }

    interface = ["h1", ".site-header .brand", "nav a", "footer", "input", "button"]
    assert {selector: faces(selector) for selector in interface} == {
        "h1": {"DejaVuSans-Bold"},
        ".site-header .brand": {"DejaVuSans-Bold"},
        "nav a": {"DejaVuSans"},
        "footer": {"DejaVuSans"},
        "input": {"DejaVuSans"},
        "button": {"DejaVuSans"},
    }
    assert faces(".resolution-text p em") == {"DejaVuSerif-Italic"}  # a lead phrase
    assert faces(".resolution-text p") <= {"DejaVuSerif", "DejaVuSerif-Italic", "DejaVuSerif-Bold"}


# ---- the reading experience (issue 12) ------------------------------------------------------------


@pytest.fixture
def untracked(site):
    """A resolution nobody tracks, with subjects of the three schemes and a recorded vote, beside the
    seed resolution."""
    from tests.factories import ParagraphFactory, ResolutionFactory, recorded_vote, subjects_of

    resolution = ResolutionFactory(symbol="A/RES/77/600", title="A resolution nobody tracks")
    for number in range(1, 4):
        ParagraphFactory(resolution=resolution, order=number, number=str(number))
    subjects_of(
        resolution,
        ("sdg", "6"),
        ("sdg", "16"),
        ("unbis", "WATER RESOURCES DEVELOPMENT"),
        ("unbis", "CENTRAL ASIA"),
        ("eurovoc", "water"),
        ("eurovoc", "central asia"),
    )
    recorded_vote(
        resolution,
        {"COTE D'IVOIRE": "yes", "KAZAKHSTAN": "yes", "ISRAEL": "no", "BRAZIL": "abstain"},
        votes_yes=2,
        votes_no=1,
        votes_abstain=1,
    )
    return resolution


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_untracked_resolution_reads_without_status_lines(page, site, untracked, viewport):
    url, _ = site
    page.set_viewport_size(viewport)
    page.goto(url + untracked.get_absolute_url())

    expect(page.locator(".paragraph-operative")).to_have_count(3)
    expect(page.locator(".tracking")).to_have_count(0)
    expect(page.get_by_text("Not assessed")).to_have_count(0)

    page.goto(url + "/resolutions/A/RES/77/273/")  # tracked: every operative paragraph says its status
    expect(page.locator("#op1 .tracking")).to_be_visible()


def test_the_filter_form_folds_on_a_phone_and_chips_remove_filters(page, site):
    url, _ = site
    page.set_viewport_size(PHONE)
    page.goto(url + "/notes/?country=uzb&kind=conference")

    # Folded to one line on a phone, saying how many filters are in use; the chips say which.
    expect(page.get_by_label("Country", exact=True)).to_be_hidden()
    expect(page.locator(".filter-panel summary")).to_have_text("Filter and sort (2 in use)")
    chip = page.get_by_role("link", name="Remove the filter Kind: Conference")
    expect(chip).to_be_visible()
    chip.click()

    expect(page).to_have_url(re.compile(r"/notes/\?country=uzb$"))
    expect(page.locator(".result-count")).to_contain_text(
        f"{in_uzbekistan()} published notes match these filters"
    )
    page.locator(".filter-panel summary").click()
    expect(page.get_by_label("Country", exact=True)).to_have_value("uzb")
    expect(page.get_by_label("From")).to_have_attribute("type", "date")
    assert page.locator(".filter-fields").bounding_box()["width"] <= PHONE["width"]


def test_the_filter_form_is_open_on_a_desk_with_one_any_and_counts(page, site):
    url, _ = site
    page.goto(url + "/notes/")

    country = page.get_by_label("Country")
    expect(country).to_be_visible()
    options = country.locator("option").all_inner_texts()
    assert options[0] == "Any" and "---------" not in options
    assert f"Uzbekistan ({in_uzbekistan()})" in options and len(options) == 6


def test_subjects_fold_to_one_line_on_a_phone_and_show_by_scheme_on_a_desk(page, site, untracked):
    url, _ = site
    page.set_viewport_size(PHONE)
    page.goto(url + untracked.get_absolute_url())

    summary = page.locator(".subjects-panel > summary")
    expect(summary).to_have_text("2 goals, 2 UNBIS terms, 1 EuroVoc term")
    expect(page.get_by_role("link", name="6 Clean water and sanitation")).to_be_hidden()
    assert summary.bounding_box()["height"] < 40  # one line
    summary.click()
    expect(page.get_by_role("link", name="6 Clean water and sanitation")).to_be_visible()

    page.set_viewport_size(DESKTOP)
    page.goto(url + untracked.get_absolute_url())
    expect(summary).to_be_hidden()  # nothing to fold on a desk
    goals = page.locator(".sdg-list a")
    expect(goals).to_have_text(["6 Clean water and sanitation", "16 Peace, justice and strong institutions"])
    swatch = goals.first.evaluate("link => getComputedStyle(link).borderInlineStartColor")
    assert swatch == "rgb(38, 189, 226)"  # the UN's colour of goal 6, beside its number and name
    expect(page.get_by_role("link", name="Central Asia")).to_be_visible()
    expect(page.get_by_role("link", name="water", exact=True)).to_be_hidden()  # EuroVoc: folded away
    page.get_by_text("EuroVoc terms (1)").click()
    expect(page.get_by_role("link", name="water", exact=True)).to_be_visible()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_recorded_vote_reads_near_the_top_and_on_the_country_page(page, site, untracked, viewport):
    url, _ = site
    page.set_viewport_size(viewport)
    page.goto(url + untracked.get_absolute_url())

    block = page.locator(".vote")
    expect(block.get_by_role("heading", name="Recorded vote")).to_be_visible()
    expect(block.locator(".vote-totals li")).to_have_text(
        ["2 in favour", "1 against", "1 abstaining", "189 non-voting"]
    )
    expect(block.get_by_role("img")).to_have_attribute(
        "aria-label", "Recorded vote: 2 in favour, 1 against, 1 abstaining, 189 non-voting"
    )
    # Above the text, and the whole block within the screen's width.
    assert block.bounding_box()["y"] < page.locator(".resolution-text").bounding_box()["y"]
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    table = block.get_by_role("table")
    expect(table).to_be_hidden()
    block.get_by_text("How each Member State voted (193)").click()
    expect(table.get_by_role("row", name="Côte d'Ivoire In favour")).to_be_visible()
    expect(table.get_by_role("row", name="Uzbekistan Non-voting")).to_be_visible()
    expect(table.get_by_role("row").nth(1)).to_have_accessible_name("Afghanistan Non-voting")
    table.get_by_role("link", name="Vote", exact=True).click()  # sorted by vote, still open
    expect(page).to_have_url(re.compile(r"\?votes=by-vote#vote-states$"))
    expect(table.get_by_role("row").nth(1)).to_have_accessible_name("Côte d'Ivoire In favour")
    expect(table.get_by_role("row").nth(3)).to_have_accessible_name("Israel Against")

    table.get_by_role("link", name="Kazakhstan").click()
    votes = page.locator("#votes")
    expect(votes.locator(".vote-totals li")).to_have_text(["1 in favour", "0 against", "0 abstaining"])
    row = votes.get_by_role("row").filter(has_text="77/600")
    expect(row).to_contain_text("A resolution nobody tracks")
    expect(row.locator(".vote-yes")).to_have_text("In favour")
    assert row.locator(".vote-yes").bounding_box()["x"] + 40 < viewport["width"]  # the vote on screen
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_no_request_of_a_page_fails_the_favicon_included(page, site):
    url, _ = site
    failed = []
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    page.goto(url + "/")
    icon = page.request.get(page.locator("link[rel=icon]").evaluate("link => link.href"))
    legacy = page.request.get(url + "/favicon.ico")  # what a browser asks for when a page names none

    assert (icon.status, legacy.status) == (200, 200)
    assert legacy.url == icon.url and icon.headers["content-type"].startswith("image/svg+xml")
    assert failed == []
    page.get_by_role("link", name="API documentation").click()
    expect(page).to_have_url(re.compile(r"/api/docs/$"))


@pytest.fixture
def annexed(live_server, transactional_db):
    """The live server with a resolution of ours that has two annexes and headings inside them."""
    from resolutions.importer import parse
    from resolutions.importer.loader import load

    fixture = Path(__file__).parent / "fixtures" / "pdftext" / "annex.txt"
    load(parse(fixture.read_text(encoding="utf-8")))
    return live_server.url + "/resolutions/A/RES/79/340/"


def screenshots(tmp_path):
    """docs/screenshots/ with TRACKER_SCREENSHOTS=1 (commit them), else a temporary folder."""
    return SCREENSHOTS if os.environ.get("TRACKER_SCREENSHOTS") == "1" else tmp_path


def test_the_table_of_contents_is_open_on_a_desk_and_leads_to_the_annex(page, annexed, tmp_path):
    page.set_viewport_size(DESKTOP)
    page.goto(annexed)

    contents = page.locator("nav.contents")
    expect(contents.locator("details")).to_have_attribute("open", "")
    page.screenshot(path=tmp_path / "contents-desktop.png", animations="disabled", caret="hide", scale="css")
    page.get_by_role("link", name="Annex II", exact=True).click()

    expect(page).to_have_url(re.compile("#annex-annex-ii$"))
    expect(page.get_by_role("heading", name="Annex II", exact=True)).to_be_in_viewport()


def test_the_table_of_contents_is_folded_on_a_phone_so_the_text_comes_first(page, annexed, tmp_path):
    page.set_viewport_size(PHONE)
    page.goto(annexed)

    contents = page.locator("nav.contents")
    details = contents.locator("details")
    expect(details).not_to_have_attribute("open", "")
    assert contents.bounding_box()["height"] < 80  # one line, not a screenful of links
    formula = page.locator(".resolution-text .enacting").bounding_box()
    assert formula["y"] < PHONE["height"] * 2, formula
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    page.locator("nav.contents summary").click()
    expect(details).to_have_attribute("open", "")
    page.screenshot(path=tmp_path / "contents-phone.png", animations="disabled", caret="hide", scale="css")
    page.get_by_role("link", name="Annex II", exact=True).click()
    expect(page.get_by_role("heading", name="Annex II", exact=True)).to_be_in_viewport()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_search_pages_through_every_match_and_corrects_a_misspelling_with_screenshots(
    page, site, viewport, tmp_path
):
    """Issue 12: every group pages through all its matches; "did you mean" for a misspelt name."""
    url, _ = site
    folder = screenshots(tmp_path)
    name = "phone" if viewport == PHONE else "desktop"
    page.set_viewport_size(viewport)
    page.goto(url + "/search/?q=centre")
    expect(page.locator("#paragraphs")).to_contain_text("Paragraphs (25)")
    expect(page.locator("#paragraphs ~ .hits .hit")).to_have_count(10)

    page.get_by_role("link", name="All 25 paragraphs, page by page").click()
    expect(page.locator(".range")).to_have_text("Paragraphs 1–20 of 25, best match first.")
    page.get_by_role("link", name=re.compile("^Next")).click()
    expect(page).to_have_url(re.compile(r"kind=paragraphs&page=2"))
    expect(page.locator("#paragraphs ~ .hits .hit")).to_have_count(5)
    expect(page.locator(".hit .context").first).to_contain_text("Preventive Diplomacy for Central Asia")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(
        path=folder / f"search-pages-{name}.png", animations="disabled", caret="hide", scale="css"
    )

    page.goto(url + "/search/?q=Kyrgystan")
    page.get_by_role("link", name="Kyrgyzstan").click()
    expect(page).to_have_url(re.compile(r"q=Kyrgyzstan"))
    expect(page.locator("#notes")).not_to_contain_text("(0)")
    assert page.external_requests == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_sorting_by_symbol_puts_77_2_before_77_10(page, site, viewport):
    """Issue 12, item 2: natural order, chosen from the list's form as a reader would."""
    from tests.factories import ResolutionFactory

    for number in ("10", "2", "1", "100"):
        ResolutionFactory(session="77", number=number, title=f"Ordering example {number}")
    url, _ = site
    page.set_viewport_size(viewport)
    page.goto(url + "/resolutions/?q=ordering+example")
    page.locator(".filter-panel summary").click() if viewport == PHONE else None
    page.get_by_label("Sort by").select_option(value="symbol")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"ordering=symbol"))
    symbols = page.locator("#results .resolution-card h2 a").all_inner_texts()
    assert symbols == ["A/RES/77/1", "A/RES/77/2", "A/RES/77/10", "A/RES/77/100"], symbols


@pytest.mark.corpus
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_long_resolutions_table_of_contents_with_screenshots(
    page, live_server, shared_data_dir, viewport, tmp_path
):
    """The Pact for the Future (A/RES/79/1) as the UN publishes it: its chapters and annexes listed
    above the text, folded on a phone (screenshots for docs/screenshots/ with TRACKER_SCREENSHOTS=1)."""
    (source,) = (shared_data_dir / "unxml" / "GAresolutions" / "79session" / "English").glob(
        "A_RES_79_1-*.xml"
    )
    call_command("import_resolution", str(source), stdout=StringIO())
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/resolutions/A/RES/79/1/")

    entries = page.locator("nav.contents li")
    if viewport == PHONE:
        page.locator("nav.contents summary").click()
    expect(entries.first).to_be_visible()
    assert entries.count() >= 20
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    name = "phone" if viewport == PHONE else "desktop"
    page.screenshot(
        path=screenshots(tmp_path) / f"contents-{name}.png", animations="disabled", caret="hide", scale="css"
    )
    page.get_by_role("link", name="Annex I", exact=True).click()
    expect(page.get_by_role("heading", name="Annex I", exact=True)).to_be_in_viewport()
