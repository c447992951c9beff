"""The admin's imports in a real browser (Debian's Chromium through Playwright): a spreadsheet of notes
with good and bad rows, from the template to the drafts; the import pages checked with axe-core and
for sideways scrolling, at desktop and phone width."""

import csv
import io
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from resolutions.models import ImplementationNote, NoteState
from resolutions.workflow import ROLE_GROUPS
from tests.browser_fixtures import PHONE
from tests.conftest import SEED
from tests.factories import UserFactory
from tests.test_accessibility import serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-browser-password-6"
NOTES_IMPORT = "/admin/resolutions/implementationnote/import/"
RESOLUTION_IMPORT = "/admin/resolutions/resolution/import/"


@pytest.fixture
def site(live_server, transactional_db):
    from resolutions.countries import sync_countries
    from resolutions.models import Country

    sync_countries(Country)
    call_command("load_bundled_data", stdout=StringIO())
    call_command("sync_roles", stdout=StringIO())
    for username, role in [("edna", "editor"), ("adam", "administrator")]:
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


def no_sideways_scrolling(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def filled_template(page):
    """The CSV template as downloaded, its example row turned into one good row and two bad ones."""
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV template (.csv)").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    (example,) = rows
    assert example["title"].startswith("EXAMPLE")
    out = io.StringIO()
    writer = csv.DictWriter(out, list(example))
    writer.writeheader()
    writer.writerow(
        {**example, "title": "Briefing of the Member States on water", "start_date": "2024-03-05"}
    )
    writer.writerow({**example, "title": "A date that does not exist", "start_date": "31/02/2023"})
    writer.writerow({**example, "title": "A paragraph that does not exist", "paragraphs": "99"})
    return example, out.getvalue().encode()


def test_an_editor_imports_the_good_rows_of_a_spreadsheet_and_sees_what_to_fix_in_the_bad(page, site):
    sign_in(page, site, "edna")
    page.goto(site + NOTES_IMPORT)
    example, data = filled_template(page)

    page.get_by_label("File to import").set_input_files(
        {"name": "notes.csv", "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_label("Format").select_option(label="csv")
    page.get_by_role("button", name="Check the file").click()

    errors = page.locator(".row-errors li")
    expect(errors).to_have_text(
        [
            "Row 3, start_date: \u201c31/02/2023\u201d is not a date (February 2023 has 28 days); use 2023-02-28.",
            f"Row 4, paragraphs: {example['resolution']} has no operative paragraph 99 in the tracker; "
            "give the numbers of its operative paragraphs, e.g. 1; 3.",
        ]
    )
    good = page.locator(".import-good tbody tr")
    expect(good).to_have_count(1)
    expect(good.first).to_contain_text("Briefing of the Member States on water")
    expect(good.first.locator("td").nth(5)).to_have_text(example["resolution"])  # the Resolution column
    expect(page.get_by_role("heading", name="Or put the file right and upload it again")).to_be_visible()
    assert no_sideways_scrolling(page)
    assert serious(page) == []

    page.get_by_role("button", name="Import the 1 good row as drafts").click()

    expect(page.locator(".messagelist")).to_contain_text(
        "1 note imported as drafts: they reach the public only once reviewed and published. "
        "Left out, with errors: rows 3, 4."
    )
    expect(page.get_by_role("link", name="Briefing of the Member States on water")).to_be_visible()
    note = ImplementationNote.objects.get(title="Briefing of the Member States on water")
    assert (note.state, note.author.username) == (NoteState.DRAFT, "edna")
    assert not ImplementationNote.objects.filter(title__startswith="A ").exists()
    assert page.external_requests == []


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_the_import_pages_pass_axe_and_fit_the_screen(page, site, viewport):
    if viewport:
        page.set_viewport_size(viewport)
    sign_in(page, site, "adam")
    found = {}

    def check(name):
        problems = serious(page) + ([] if no_sideways_scrolling(page) else ["scrolls sideways"])
        if problems:
            found[name] = problems

    page.goto(site + NOTES_IMPORT)
    check("notes import")
    page.goto(site + RESOLUTION_IMPORT)
    check("resolution import")
    page.get_by_label("File of the resolution").set_input_files(str(SEED))
    page.get_by_role("button", name="Read the file").click()
    expect(page.get_by_text("Format: Markdown")).to_be_visible()
    check("resolution preview")
    page.get_by_role("button", name="Confirm the import").click()
    expect(page.get_by_role("heading", name="From the document")).to_be_visible()
    check("landing page")
    if viewport is None:
        page.screenshot(path="/tmp/staffio-landing-desktop.png", full_page=True)
    else:
        page.screenshot(path="/tmp/staffio-landing-phone.png", full_page=True)

    assert found == {}
