"""The interface in each of the six UN languages, in a real browser (issue 17): the home page, a
resolution and the notes list in each, with the interface's lang and dir, no serious or critical axe
finding, nothing running off a phone, and the language chosen kept from page to page. Russian and
Arabic are drawn for docs/screenshots/ (with TRACKER_SCREENSHOTS=1; a temporary folder otherwise)."""

import os
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import expect

from tests.browser_fixtures import DESKTOP, PHONE
from tests.test_accessibility import serious
from tests.test_browser import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {"home": "/", "resolution": "/resolutions/A/RES/77/273/", "notes": "/notes/"}
LANGUAGES = ["ar", "zh", "en", "fr", "ru", "es"]
DRAWN = {"ru", "ar"}
CHROME = """["header.site-header", "main", "footer.site-footer"].map(selector => {
  const element = document.querySelector(selector);
  return [element.closest("[lang]").lang, getComputedStyle(element).direction];
})"""


@pytest.fixture
def site(live_server, transactional_db):
    from resolutions.countries import sync_countries
    from resolutions.models import Country

    sync_countries(Country)
    call_command("load_bundled_data", stdout=StringIO())
    return live_server.url


def prefixed(language, path):
    return path if language == "en" else f"/{language}{path}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_reads_in_its_own_words_and_direction_without_a_serious_axe_finding(
    page, site, language, tmp_path
):
    folder = SCREENSHOTS if os.environ.get("TRACKER_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    direction = "rtl" if language == "ar" else "ltr"
    with translation.override(language):
        menu = translation.pgettext("main navigation", "Main")
        notes_link = translation.gettext("Implementation notes")
    found = {}
    for viewport, size in (("desktop", DESKTOP), ("phone", PHONE)):
        if viewport == "phone" and language not in DRAWN:
            continue
        page.set_viewport_size(size)
        for name, path in PAGES.items():
            page.goto(site + prefixed(language, path))
            assert page.evaluate(CHROME) == [[language, direction]] * 3, (name, viewport)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {size['width']}px"
            if problems := serious(page):
                found[f"{name} {viewport}"] = problems
            if language in DRAWN:
                page.screenshot(
                    path=folder / f"{language}-{name}-{viewport}.png",
                    animations="disabled",
                    caret="hide",
                    scale="css",
                )
    assert found == {}
    # The main menu leads on in the same language.
    page.get_by_role("navigation", name=menu, exact=True).get_by_role("link", name=notes_link).click()
    expect(page).to_have_url(site + prefixed(language, "/notes/"))
    assert page.external_requests == []


def test_the_switch_moves_to_the_same_page_in_russian_and_back(page, site):
    page.goto(site + "/notes/?ordering=start_date")
    page.get_by_role("navigation", name="Language of the interface").get_by_role(
        "link", name="Русский"
    ).click()
    expect(page).to_have_url(site + "/ru/notes/?ordering=start_date")
    assert page.evaluate("document.documentElement.lang") == "ru"
    with translation.override("ru"):
        switch = translation.gettext("Language of the interface")
    page.get_by_role("navigation", name=switch).get_by_role("link", name="English").click()
    expect(page).to_have_url(site + "/notes/?ordering=start_date")
