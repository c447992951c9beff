"""Recording a note in a real browser (issue 13, item 2): an editor records and submits a note from the
public paragraph page in a counted handful of actions; the form and the notes list fit a desk and a phone;
the paragraph autocomplete finds text; axe finds nothing serious. With TRACKER_SCREENSHOTS=1 the form's
screenshots are written to docs/screenshots/ (commit them), otherwise to a temporary folder."""

import datetime
import os
import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from resolutions.workflow import ROLE_GROUPS
from tests.browser_fixtures import DESKTOP, PHONE
from tests.factories import NoteFactory, UserFactory
from tests.test_accessibility import serious
from tests.test_browser import SCREENSHOTS

# transaction: the live server thread must see the rows. The rows migrations make that these pages
# need (countries, roles) are put back by the site fixture: a serialized rollback after another
# transactional test's flush clashes with the content types that flush made again.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-browser-password-5"
PARAGRAPH_PAGE = "/resolutions/A/RES/77/273/op/1/"
MOST_ACTIONS = 8


@pytest.fixture
def site(live_server, transactional_db):
    from resolutions.countries import sync_countries
    from resolutions.models import Country

    sync_countries(Country)
    """The seed resolution; an editor whose earlier note was a consultation with UNRCCA."""
    from resolutions.models import Entity, NoteKind, NoteState, Paragraph

    call_command("load_bundled_data", stdout=StringIO())
    call_command("sync_roles", stdout=StringIO())
    editor = UserFactory(username="edna")
    editor.set_password(PASSWORD)
    editor.save()
    editor.groups.add(Group.objects.get(name=ROLE_GROUPS["editor"]))
    earlier = NoteFactory(
        title="Consultations in Tashkent",
        author=editor,
        kind=NoteKind.CONSULTATION,
        state=NoteState.DRAFT,
        start_date=datetime.date(2024, 4, 2),
        paragraphs=[Paragraph.objects.operative().get(resolution__symbol="A/RES/77/273", number="2")],
    )
    earlier.entities.set([Entity.objects.get(short_name="UNRCCA")])
    return live_server.url


class Actions:
    """The clicks and fields filled, counted: what the editor does, not what the browser loads."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def click(self, locator):
        self.count += 1
        locator.click()

    def fill(self, locator, value):
        self.count += 1
        locator.fill(value)


def sign_in(page, url):
    page.goto(url + "/admin/login/")
    page.get_by_label("Username").fill("edna")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_an_editor_records_and_submits_a_note_from_the_paragraph_page_in_a_few_actions(page, site):
    from resolutions.models import Entity, ImplementationNote, NoteState, Paragraph

    sign_in(page, site)
    page.goto(site + PARAGRAPH_PAGE)
    act = Actions(page)

    act.click(page.get_by_role("link", name="Record a note on this paragraph"))
    # The paragraph's text is in view, the defaults are filled in.
    expect(page.locator(".paragraphs-in-view")).to_contain_text("to play a proactive role")
    expect(page.locator("#id_kind")).to_have_value("consultation")
    expect(page.locator("#id_start_date")).to_have_value(timezone.localdate().isoformat())
    expect(page.locator("#id_entities option:checked")).to_have_text(re.compile("UNRCCA"))
    act.fill(page.locator("#id_title"), "Briefing of the Member States in Ashgabat")
    act.fill(page.locator("#id_body"), "The Head of the Centre briefed **the five States**.")
    expect(page.locator(".markdown-preview strong")).to_have_text("the five States")
    act.click(page.get_by_role("button", name="Submit for review"))

    expect(page.locator(".messagelist")).to_contain_text(
        "Submitted for review: \u201cBriefing of the Member States in Ashgabat\u201d. A reviewer will publish "
        "it or send it back to you with a comment; until then you will see it under your notes in review"
    )
    expect(page.locator("#result_list")).to_contain_text("Briefing of the Member States in Ashgabat")
    assert act.count <= MOST_ACTIONS, f"{act.count} actions"

    note = ImplementationNote.objects.get(title="Briefing of the Member States in Ashgabat")
    op1 = Paragraph.objects.operative().get(resolution__symbol="A/RES/77/273", number="1")
    assert note.state == NoteState.IN_REVIEW
    assert list(note.paragraphs.all()) == [op1]
    assert (note.kind, note.start_date, note.author.username) == (
        "consultation",
        timezone.localdate(),
        "edna",
    )
    assert list(note.entities.all()) == [Entity.objects.get(short_name="UNRCCA")]
    assert [(move.state, move.history_user.username) for move in note.transitions()][-1] == (
        "in_review",
        "edna",
    )
    assert page.external_requests == []


def test_the_paragraph_autocomplete_finds_text_and_brings_the_paragraph_into_view(page, site):
    sign_in(page, site)
    page.goto(site + "/admin/resolutions/implementationnote/add/")
    expect(page.locator(".paragraphs-in-view-empty")).to_be_visible()

    page.locator(".field-paragraphs .select2-selection").click()
    page.locator(".field-paragraphs .select2-search__field").fill("proactive")
    option = page.locator(".select2-results__option", has_text="proactive role")
    expect(option).to_have_text(re.compile(r"^A/RES/77/273 op 1 \u2014 Encourages the United Nations"))
    option.click()

    expect(page.locator(".paragraph-in-view h3")).to_have_text("A/RES/77/273 op 1")
    expect(page.locator(".paragraph-in-view p")).to_contain_text("to play a proactive role")
    expect(page.locator(".paragraphs-in-view-empty")).to_be_hidden()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_note_form_and_the_notes_list_fit_the_screen_and_make_screenshots(page, site, viewport, tmp_path):
    from resolutions.models import Paragraph

    folder = SCREENSHOTS if os.environ.get("TRACKER_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    name = "phone" if viewport == PHONE else "desktop"
    page.set_viewport_size(viewport)
    sign_in(page, site)
    op1 = Paragraph.objects.operative().get(resolution__symbol="A/RES/77/273", number="1")

    page.goto(f"{site}/admin/resolutions/implementationnote/add/?paragraphs={op1.pk}")
    # A note being written, with fixed words and date, so that the screenshot changes only with the form.
    page.locator("#id_title").fill("Briefing of the Member States in Ashgabat")
    page.locator("#id_start_date").fill("2024-05-02")
    page.locator("#id_body").fill("The Head of the Centre briefed **the five States** on water and energy.")
    expect(page.locator(".markdown-preview strong")).to_have_text("the five States")
    assert overflow(page) <= 0, f"the note form scrolls sideways by {overflow(page)}px"
    if viewport == DESKTOP:  # the paragraph beside the form, not under it
        form, aside = (
            page.locator("#implementationnote_form > div").bounding_box(),
            page.locator(".paragraphs-in-view").bounding_box(),
        )
        assert aside["x"] >= form["x"] + form["width"] and aside["y"] < form["y"] + 200
    # The whole form, buttons included: the window made as tall as the page and the page drawn as it is
    # (a full-page capture resizes the window while drawing, and select2 measures itself again).
    page.locator("#id_title").focus()
    page.set_viewport_size({**viewport, "height": page.evaluate("document.documentElement.scrollHeight")})
    page.wait_for_load_state("networkidle")
    page.screenshot(path=folder / f"note-form-{name}.png", animations="disabled", caret="hide", scale="css")
    page.set_viewport_size(viewport)

    page.goto(site + "/admin/resolutions/implementationnote/")
    assert overflow(page) <= 0, f"the notes list scrolls sideways by {overflow(page)}px"
    hidden = page.evaluate("(box => box.scrollWidth - box.clientWidth)(document.querySelector('.results'))")
    assert hidden <= 0, f"the table of notes scrolls sideways by {hidden}px within the page"
    state = page.locator("#result_list th.column-state").bounding_box()
    assert state["x"] + state["width"] <= viewport["width"], "the State column is off-screen"
    title = page.locator("#result_list th.column-title").bounding_box()
    assert title["width"] >= (120 if viewport == PHONE else 160)
    assert page.external_requests == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_serious_or_critical_violations_on_the_note_form(page, site, viewport):
    from resolutions.models import Paragraph

    page.set_viewport_size(viewport)
    sign_in(page, site)
    op1 = Paragraph.objects.operative().get(resolution__symbol="A/RES/77/273", number="1")
    page.goto(f"{site}/admin/resolutions/implementationnote/add/?paragraphs={op1.pk}")
    page.locator("#id_body").fill("Met **twice**.")
    expect(page.locator(".markdown-preview strong")).to_have_text("twice")
    page.evaluate("document.querySelectorAll('details').forEach(panel => { panel.open = true; })")

    problems = serious(page)
    assert problems == [], "\n".join(problems)
    page.goto(site + "/admin/resolutions/implementationnote/")
    problems = serious(page)
    assert problems == [], "\n".join(problems)
