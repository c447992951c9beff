"""The staff home and the review screen in a real browser (Debian's Chromium through Playwright): a
reviewer publishes from the home in three clicks at most, sends a note back with a comment its author
then reads on their home; axe on both pages; screenshots at a desk and on a phone."""

import datetime
import os
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from resolutions.workflow import ROLE_GROUPS
from tests.browser_fixtures import DESKTOP, PHONE
from tests.factories import UserFactory
from tests.test_accessibility import serious
from tests.test_browser import SCREENSHOTS
from tests.test_staff_browser import PASSWORD, sign_in

# transaction: the live server thread must see the rows. The rows migrations make that these pages
# need (countries, roles) are put back by the site fixture: a serialized rollback after another
# transactional test's flush clashes with the content types that flush made again.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TO_PUBLISH = "Consultations on water sharing in Almaty"
TO_SEND_BACK = "Briefing of the Security Council on the Centre's work"
COMMENT = "Please link the Secretary-General's report and say which States attended."
# The moves are dated here, so that the screenshots show the same dates on every run.
SUBMITTED = datetime.datetime(2025, 2, 24, 13, 34, tzinfo=datetime.UTC)


@pytest.fixture
def site(live_server, transactional_db):
    from resolutions.countries import sync_countries
    from resolutions.models import Country

    sync_countries(Country)
    call_command("load_bundled_data", stdout=StringIO())
    call_command("sync_roles", stdout=StringIO())
    users = {}
    for username, role in [("edna", "editor"), ("rita", "reviewer")]:
        user = UserFactory(username=username, first_name=username.capitalize())
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
        users[username] = user
    from resolutions.models import ImplementationNote, Paragraph

    op1 = Paragraph.objects.operative().get(resolution__symbol="A/RES/77/273", number="1")
    op3 = Paragraph.objects.operative().get(resolution__symbol="A/RES/77/273", number="3")
    # The demonstration notes arrived long ago: nothing was published in the last days.
    ImplementationNote.history.all().update(history_date=SUBMITTED - datetime.timedelta(days=700))
    for minutes, (title, paragraph, body) in enumerate(
        [
            (
                TO_PUBLISH,
                op1,
                "Experts of the five States discussed **water** and energy.\n\n- Almaty, two days",
            ),
            (TO_SEND_BACK, op3, "The Head of the Centre briefed the Council."),
        ]
    ):
        note = ImplementationNote.objects.create(
            title=title,
            start_date=datetime.date(2024, 5, 2),
            kind="consultation",
            body=body,
            author=users["edna"],
        )
        note.paragraphs.set([paragraph])
        note.record_edit(users["edna"])
        note.transition("in_review", users["edna"])
        note.history.all().update(history_date=SUBMITTED + datetime.timedelta(minutes=minutes * 31))
    return live_server.url


class Clicks:
    """Counts what the reviewer clicks."""

    def __init__(self):
        self.count = 0

    def __call__(self, locator):
        self.count += 1
        locator.click()


def fits(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def test_a_reviewer_publishes_from_the_staff_home_in_three_clicks_seeing_the_paragraph_and_the_note(
    page, site
):
    url = site
    click = Clicks()
    sign_in(page, url, "rita")  # signing in lands on the staff home

    awaiting = page.locator(".queue-notes-to-review")
    expect(awaiting.get_by_role("heading")).to_contain_text("Notes awaiting review 2")
    expect(awaiting.locator("li").first).to_contain_text("submitted by edna, 24 February 2025 at 13:34")
    click(awaiting.get_by_role("link", name=TO_PUBLISH))

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Review: {TO_PUBLISH}")
    paragraph = page.locator(".review-paragraph")
    expect(paragraph).to_contain_text("A/RES/77/273 op 1")
    expect(paragraph.locator("blockquote")).to_contain_text("Regional Centre")
    expect(page.locator(".review-body strong")).to_have_text("water")
    expect(page.locator(".review-body li")).to_have_text("Almaty, two days")
    expect(page.locator(".review-state")).to_contain_text("written by edna")
    click(page.get_by_role("button", name="Publish"))

    expect(page.locator(".messagelist")).to_contain_text(f"“{TO_PUBLISH}” is published")
    assert click.count <= 3
    expect(page.locator(".queue-notes-to-review").get_by_role("heading")).to_contain_text(
        "Notes awaiting review 1"
    )
    expect(page.locator(".queue-published")).to_contain_text(TO_PUBLISH)

    page.goto(url + "/resolutions/A/RES/77/273/op/1/")
    expect(page.get_by_role("article").get_by_text(TO_PUBLISH)).to_be_visible()
    assert page.external_requests == []


def test_a_note_sent_back_with_a_comment_is_on_its_authors_staff_home(page, site):
    url = site
    sign_in(page, url, "rita")
    page.locator(".queue-notes-to-review").get_by_role("link", name=TO_SEND_BACK).click()

    page.get_by_label("Comment for the author").fill(COMMENT)
    page.get_by_role("button", name="Send back to the author").click()
    expect(page.locator(".messagelist")).to_contain_text("is sent back to edna")
    page.get_by_role("button", name="Log out").click()

    sign_in(page, url, "edna")
    sent_back = page.locator(".queue-sent-back")
    expect(sent_back.get_by_role("heading")).to_contain_text("Sent back to you 1")
    expect(sent_back.locator("li")).to_contain_text(TO_SEND_BACK)
    expect(sent_back.locator("li")).to_contain_text("sent back by rita")
    expect(sent_back.locator("blockquote")).to_have_text(COMMENT)
    # The reference tables are out of an editor's way.
    expect(page.get_by_role("link", name="Footnotes")).to_have_count(0)
    expect(page.get_by_role("link", name="Implementation notes").first).to_be_visible()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_staff_home_and_the_review_screen_fit_pass_axe_and_make_screenshots(
    page, site, viewport, tmp_path
):
    """No sideways scrolling, no serious or critical axe finding. With TRACKER_SCREENSHOTS=1 the
    screenshots are written to docs/screenshots/ (commit them); otherwise to a temporary folder."""
    url = site
    folder = SCREENSHOTS if os.environ.get("TRACKER_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    name = "phone" if viewport == PHONE else "desktop"
    page.set_viewport_size(viewport)
    sign_in(page, url, "rita")

    found = {}
    for key, heading, go in [
        ("staff-home", "Staff home", lambda: page.goto(url + "/admin/")),
        (
            "review",
            "Review: ",
            lambda: page.locator(".queue-notes-to-review").get_by_role("link", name=TO_PUBLISH).click(),
        ),
    ]:
        go()
        # This page's heading, then its stylesheets loaded: measured before responsive.css applies,
        # the admin's #container is 980 px wide.
        expect(page.locator("#content h1")).to_contain_text(heading)
        page.wait_for_load_state("load")
        fits(page)
        problems = serious(page)
        if problems:
            found[key] = problems
        # Pinned: viewport, device scale factor and fonts (tests/browser_fixtures.py), the dates above.
        page.screenshot(
            path=folder / f"{key}-{name}.png",
            full_page=True,
            animations="disabled",
            caret="hide",
            scale="css",
        )
    assert found == {}
    assert page.external_requests == []
