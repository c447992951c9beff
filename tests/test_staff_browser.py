"""The editorial workflow in a real browser (Debian's Chromium through Playwright): editor, reviewer, public."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from resolutions.workflow import ROLE_GROUPS
from tests.factories import UserFactory

# transaction: the live server thread must see the rows. The rows migrations make that these pages
# need (countries, roles) are put back by the site fixture: a serialized rollback after another
# transactional test's flush clashes with the content types that flush made again.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-browser-password-5"
TITLE = "Consultations on water sharing in Almaty"


@pytest.fixture
def site(live_server, transactional_db):
    from resolutions.countries import sync_countries
    from resolutions.models import Country

    sync_countries(Country)
    call_command("load_bundled_data", stdout=StringIO())
    # The roles as `migrate` made them, even if an earlier transactional test emptied the database.
    call_command("sync_roles", stdout=StringIO())
    for username, role in [("edna", "editor"), ("rita", "reviewer")]:
        user = UserFactory(username=username)
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    return live_server.url


def sign_in(page, url, username):
    page.goto(url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def api_titles(page, url):
    response = page.request.get(url + "/api/v1/notes/?page_size=100")
    assert response.ok
    return [note["title"] for note in response.json()["results"]]


def test_an_editor_records_and_submits_a_note_a_reviewer_publishes_it_then_the_public_sees_it(page, site):
    url = site
    public_paragraph = url + "/resolutions/A/RES/77/273/op/1/"
    from resolutions.models import Paragraph

    op1 = Paragraph.objects.operative().get(resolution__symbol="A/RES/77/273", number="1")

    # The editor starts from the paragraph's admin page: one click, the paragraph already chosen.
    sign_in(page, url, "edna")
    page.goto(f"{url}/admin/resolutions/paragraph/{op1.pk}/change/")
    page.get_by_role("link", name="Record a note on this paragraph").click()
    expect(page.locator("#id_paragraphs option:checked")).to_contain_text(
        "A/RES/77/273 op 1 \u2014 Encourages"
    )
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_kind").select_option("consultation")
    page.locator("#id_start_date").fill("2024-05-02")
    page.locator("#id_body").fill("Experts of the five States discussed **water** and energy.")
    expect(page.locator(".markdown-preview strong")).to_have_text("water")  # live, as the editor types
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messagelist")).to_contain_text(f"Submitted for review: \u201c{TITLE}\u201d")
    assert not page.get_by_role("option", name="Publish selected notes").count()  # editors cannot publish

    # In review: not public yet, neither on the paragraph page nor in the API.
    page.goto(public_paragraph)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text(TITLE)).to_have_count(0)
    assert TITLE not in api_titles(page, url)

    page.goto(url + "/admin/")
    page.get_by_role("button", name="Log out").click()

    # The reviewer finds it among the notes in review and publishes it.
    sign_in(page, url, "rita")
    page.goto(url + "/admin/resolutions/implementationnote/?state__exact=in_review")
    row = page.locator("#result_list tr", has_text=TITLE)
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option("publish")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("1 note(s) moved to \u201cpublished\u201d")

    page.goto(public_paragraph)
    expect(page.get_by_role("article").get_by_text(TITLE)).to_be_visible()
    assert TITLE in api_titles(page, url)
    assert page.external_requests == []

    from resolutions.models import ImplementationNote

    note = ImplementationNote.objects.get(title=TITLE)
    assert [(move.state, move.history_user.username) for move in note.transitions()][-2:] == [
        ("in_review", "edna"),
        ("published", "rita"),
    ]
    assert re.search(r"/notes/\d+/$", note.get_absolute_url())
