"""E-mail alerts in Debian's Chromium: from the notes list to a confirmed alert, the reader's alerts
page and leaving; the pages fit a phone and a desk and pass axe. With TRACKER_SCREENSHOTS=1 the
screenshots are written to docs/screenshots/ (commit them); otherwise to a temporary folder."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import DESKTOP, PHONE
from tests.factories import NoteFactory
from tests.test_accessibility import serious
from tests.test_browser import SCREENSHOTS
from tests.test_staff_home_browser import fits

# transaction: the live server thread must see the rows.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, transactional_db, smtp_server):
    from resolutions.countries import sync_countries
    from resolutions.models import Country

    # The countries a migration loads, in case an earlier transactional test's flush removed them.
    sync_countries(Country)
    NoteFactory(title="Consultation in Astana", countries=["KAZ"])
    return live_server.url, smtp_server


def link_in(message, kind):
    text = message.get_body(("plain",)).get_content()
    return re.search(rf"http://\S+(/alerts/{kind}/[^\s\"<>]+/)", text)[1]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_reader_follows_a_filtered_list_confirms_manages_and_leaves(page, site, viewport, tmp_path):
    url, inbox = site
    folder = SCREENSHOTS if os.environ.get("TRACKER_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    name = "phone" if viewport == PHONE else "desktop"
    page.set_viewport_size(viewport)
    found = {}

    def check(key):
        fits(page)
        if problems := serious(page):
            found[key] = problems
        page.screenshot(
            path=folder / f"{key}-{name}.png",
            full_page=True,
            animations="disabled",
            caret="hide",
            scale="css",
        )

    page.goto(url + "/notes/?country=kaz")
    page.locator(".follow-mail").get_by_role("link", name="these notes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("E-mail alerts")
    expect(page.locator(".alert-topic")).to_have_text("Implementation notes — Country: Kazakhstan")
    # The heading is there as soon as the document is parsed; the layout needs its stylesheet (without
    # it the honeypot sits at the body's 8 px margin), which has loaded once the page's load event fired.
    page.wait_for_load_state("load")
    # The honeypot is off the screen and out of the accessibility tree: a person never fills it in.
    assert page.locator(".honeypot").bounding_box()["x"] < 0
    expect(page.get_by_role("textbox", name="Leave this empty")).to_have_count(0)
    check("alerts-subscribe")

    page.get_by_label("Your e-mail address").fill("ann@example.net")
    page.get_by_label("A weekly digest").check()
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")

    [confirmation] = inbox.messages
    page.goto(url + link_in(confirmation, "confirm"))
    check("alerts-confirm")
    page.get_by_role("button", name="Confirm the alert").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alert confirmed")

    page.get_by_role("link", name="All the alerts of this address").click()
    row = page.locator(".alert-row")
    expect(row.get_by_role("heading")).to_have_text("Implementation notes — Country: Kazakhstan")
    expect(row.get_by_label("How often")).to_have_value("weekly")
    check("alerts-manage")
    row.get_by_label("How often").select_option("immediate")
    row.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-row").get_by_label("How often")).to_have_value("immediate")

    page.locator(".alert-row").get_by_role("link", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    check("alerts-unsubscribed")
    page.get_by_role("button", name="Subscribe again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Subscribed again")

    assert found == {}
    assert page.external_requests == []
