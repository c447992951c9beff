"""axe-core (shipped inside axe-playwright-python, injected from disk: no network) on each main page."""

import datetime
from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from tests.browser_fixtures import PHONE

# transaction: the live server thread must see the rows.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/resolutions/",
    "/resolutions/?year=last",  # with a form error
    "/resolutions/A/RES/77/273/",
    "/resolutions/A/RES/77/273/op/1/",
    "/notes/",
    "/notes/?country=kaz&kind=meeting",
    "/notes/1/",
    "/countries/kaz/",
    "/themes/counter-terrorism/",
    "/entities/unrcca/",
    "/mandates/",
    "/mandates/?addressee=regional-centre&report_session=soon",  # with a form error
    "/notes/report/?country=kaz",
    "/search/?q=regional+centre",
    "/search/?q=centre&kind=paragraphs&page=2&body=GA",  # one kind, paged, narrowed (issue 12)
    "/search/?q=Kyrgystan",  # did you mean
    "/no/such/page/",
    "/resolutions/A/RES/77/600/",  # untracked (issue 12): no status lines; subjects by scheme; a vote
    "/resolutions/A/RES/77/600/op/1/",  # also: the paragraph it continues in 75/600, with its changes
    "/resolutions/A/RES/77/273/citations/",  # the citation graph (issue 16)
    "/resolutions/most-cited/?session=77",
    "/dashboard/",  # issue 14: progress at a glance
    "/dashboard/?idle=5&country=kaz",  # with an error in the period
    "/resolutions/A/RES/77/273/dashboard/",
    "/alerts/subscribe/?topic=notes&country=kaz",  # e-mail alerts (issue 15): the form, my alerts
    "/alerts/",
    "/resolutions/A/RES/77/600/changes/",  # what changed since 75/600 (lineage)
    "/resolutions/A/RES/77/273/changes/",  # no predecessor held
    "/series/a-res-75-600/",
]
# WCAG 2.1 A and AA rules, and axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.fixture
def site(live_server, transactional_db):
    from resolutions.countries import sync_countries
    from resolutions.models import Country, ImplementationNote

    # The countries a migration loads, in case an earlier transactional test's flush removed them.
    sync_countries(Country)
    call_command("load_bundled_data", stdout=StringIO())
    reading_pages()

    first = ImplementationNote.objects.published().order_by("pk").first()
    return live_server.url, [path.replace("/notes/1/", first.get_absolute_url()) for path in PAGES]


def reading_pages():
    """What the reading pages of issue 12 need beyond the seed: a resolution nobody tracks, with
    subjects of every scheme."""
    from resolutions.lineage import link_series
    from resolutions.models import Resolution
    from tests.factories import ParagraphFactory, ResolutionFactory, cites, recorded_vote, subjects_of

    untracked = ResolutionFactory(symbol="A/RES/77/600", title="A resolution nobody tracks")
    # It cites the seed: the seed's citation graph has a side of each kind (issue 16).
    cites(untracked, Resolution.objects.get(symbol="A/RES/77/273"))
    for number in range(1, 4):
        ParagraphFactory(resolution=untracked, order=number, number=str(number))
    subjects_of(untracked, ("sdg", "7"), ("sdg", "16"), ("unbis", "CENTRAL ASIA"), ("eurovoc", "water"))
    # Its predecessor, worded a little differently: a series, a changes page, an earlier mandate.
    earlier = ResolutionFactory(
        symbol="A/RES/75/600", session="75", title=untracked.title, adopted_on=datetime.date(2021, 2, 24)
    )
    for number in range(1, 5):
        ParagraphFactory(
            resolution=earlier, order=number, number=str(number), text=f"the Centre to act, {number};"
        )
    link_series()
    # A recorded vote: its block on the resolution, and a table of votes on /countries/kaz/.
    recorded_vote(
        untracked, {"COTE D'IVOIRE": "yes", "KAZAKHSTAN": "yes", "ISRAEL": "no", "BRAZIL": "abstain"}
    )


def serious(page):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_no_serious_or_critical_violations_on_the_main_pages(page, site):
    url, paths = site
    found = {}
    for path in paths:
        page.goto(url + path)
        problems = serious(page)
        if problems:
            found[path] = problems
    assert found == {}
    assert page.external_requests == []


def test_no_serious_or_critical_violations_on_a_phone(page, site):
    url, paths = site
    page.set_viewport_size(PHONE)
    found = {}
    for path in paths[:6]:
        page.goto(url + path)
        problems = serious(page)
        if problems:
            found[path] = problems
    assert found == {}


@pytest.mark.parametrize("viewport", [PHONE, None], ids=["phone", "desktop"])
def test_no_serious_or_critical_violations_in_what_folds_away(page, site, viewport):
    """Folded panels (filters, subjects, EuroVoc terms, each Member State's vote) opened: axe skips
    what is hidden."""
    url, _ = site
    if viewport:
        page.set_viewport_size(viewport)
    found = {}
    for path in ("/resolutions/A/RES/77/600/", "/notes/?country=kaz"):
        page.goto(url + path)
        page.evaluate("document.querySelectorAll('details').forEach(panel => { panel.open = true; })")
        problems = serious(page)
        if problems:
            found[path] = problems
    assert found == {}


def test_axe_really_reports_a_serious_violation(page, site):
    """The check can fail: an image without alt text and an unlabelled field are reported."""
    url, _ = site
    page.goto(url + "/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend',"
        ' \'<img src="/static/css/tracker.css"><input type="text">\')'
    )

    problems = serious(page)

    assert any(problem.startswith(("image-alt", "label")) for problem in problems)
