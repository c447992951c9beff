"""Content-Security-Policy: every page sends it, and no page breaks it (Debian's Chromium through Playwright).

The policy (tracker/settings.py) allows no inline script or style, so a page that still had one would
show a violation in the browser's console and in a `securitypolicyviolation` event; both are collected.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.factories import UserFactory

PASSWORD = "a-long-browser-password-7"
# The event every browser fires when it refuses something under the CSP; Playwright injects this
# listener itself, so it is not subject to the policy.
LISTEN = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


def test_the_policy_is_strict_and_on_every_kind_of_answer(client, db):
    for path in ["/", "/api/v1/resolutions/", "/api/docs/", "/admin/login/", "/no-such-page/", "/healthz"]:
        policy = client.get(path).headers.get("Content-Security-Policy", "")

        assert "default-src 'self'" in policy, path
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, path
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy, path


def test_a_page_served_from_the_page_cache_keeps_the_policy(client, db):
    first = client.get("/resolutions/")
    second = client.get("/resolutions/")

    assert first.status_code == second.status_code == 200
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]


INLINE = re.compile(r"<style|\sstyle=|<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+=", re.I)


def inline_code(html):
    return [html[max(0, match.start() - 60) : match.end() + 60] for match in INLINE.finditer(html)]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["superuser", "editor"])
def test_no_admin_list_or_form_holds_inline_style_or_script(client, seeded, role):
    """Every change list and add page, as a superuser and as an editor (read-only lists, fewer actions)."""
    from django.contrib import admin
    from django.contrib.auth.models import Group
    from django.urls import NoReverseMatch, reverse

    from resolutions.workflow import ROLE_GROUPS

    user = UserFactory(username=role, is_superuser=role == "superuser")
    if role == "editor":
        user.groups.add(Group.objects.get(name=ROLE_GROUPS["editor"]))
    client.force_login(user)
    pages = 0
    for model in admin.site._registry:
        for view in ("changelist", "add"):
            try:
                url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")
            except NoReverseMatch:
                continue
            response = client.get(url)
            if response.status_code == 403:
                continue
            assert response.status_code == 200, url
            assert inline_code(response.text) == [], url
            pages += 1
    assert pages > 10


def test_the_server_error_page_needs_no_inline_style(client, db, settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setattr(
        "resolutions.views.documents.HomeView.get_context_data", lambda *args, **kwargs: 1 / 0
    )
    client.raise_request_exception = False

    response = client.get("/")

    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert inline_code(response.text) == []
    assert '<link rel="stylesheet" href="/static/css/error.css">' in response.text
    assert client.get("/static/css/error.css").status_code == 200


@pytest.fixture
def site(live_server, transactional_db):
    from resolutions.countries import sync_countries
    from resolutions.models import Country, Entity, ImplementationNote, Resolution, Theme

    sync_countries(Country)  # a flush by an earlier transactional test empties the migration's rows
    call_command("load_bundled_data", stdout=StringIO())
    admin = UserFactory(username="csp-admin", is_superuser=True)
    admin.set_password(PASSWORD)
    admin.save()
    note = ImplementationNote.objects.published().order_by("pk").first()
    theme = Theme.objects.filter(notes__in=[note]).first() or Theme.objects.first()
    entity = Entity.objects.filter(notes__in=[note]).first() or Entity.objects.first()
    resolution = Resolution.objects.get(symbol="A/RES/77/273")
    public = {
        "home": "/",
        "resolutions": "/resolutions/",
        "resolution": resolution.get_absolute_url(),
        "paragraph": "/resolutions/A/RES/77/273/op/1/",
        "notes": "/notes/?country=UZB",
        "note": note.get_absolute_url(),
        "country": "/countries/kaz/",
        "theme": theme.get_absolute_url(),
        "entity": entity.get_absolute_url(),
        "search": "/search/?q=regional+centre",
        "not found": "/no-such-page/",
    }
    staff = {
        "admin index": "/admin/",
        "notes change list": "/admin/resolutions/implementationnote/",
        "note change page": f"/admin/resolutions/implementationnote/{note.pk}/change/",
        "note history": f"/admin/resolutions/implementationnote/{note.pk}/history/",
        "notes spreadsheet import": "/admin/resolutions/implementationnote/import/",
        "notes spreadsheet export": "/admin/resolutions/implementationnote/export/",
        "resolution change page": f"/admin/resolutions/resolution/{resolution.pk}/change/",
        "resolution import": "/admin/resolutions/resolution/import/",
    }
    return live_server.url, public, staff


def watch(page):
    """The page's console errors about the policy, collected as it loads."""
    console = []
    page.on(
        "console",
        lambda message: console.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.add_init_script(LISTEN)
    return console


def load(page, url):
    response = page.goto(url)
    assert response is not None
    page.wait_for_load_state("networkidle")
    return response


def violations(page, console):
    return [*console, *page.evaluate("window.cspViolations")]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_public_page_breaks_the_policy(page, site):
    url, public, _ = site
    console = watch(page)
    for name, path in public.items():
        response = load(page, url + path)

        assert response.status == (404 if name == "not found" else 200), name
        assert "script-src 'self'" in response.headers["content-security-policy"], name
        assert violations(page, console) == [], name

    # htmx, the one script of the public pages, still swaps the results in place under the policy.
    load(page, url + "/notes/")
    page.get_by_label("Country").select_option("kaz")
    expect(page).to_have_url(re.compile(r"country=kaz"))
    assert violations(page, console) == []
    assert page.external_requests == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_api_docs_work_under_the_policy(page, site):
    url, _, _ = site
    console = watch(page)
    response = load(page, url + "/api/docs/")

    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Resolution Tracker API")
    page.locator(".opblock-summary").first.click()  # open one operation: Swagger UI draws it
    expect(page.locator(".opblock-body").first).to_be_visible()
    assert violations(page, console) == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_admin_works_under_the_policy(page, site):
    url, _, staff = site
    console = watch(page)
    response = load(page, url + "/admin/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_label("Username").fill("csp-admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert violations(page, console) == []

    for name, path in staff.items():
        response = load(page, url + path)

        assert response.status == 200, name
        assert "script-src 'self'" in response.headers["content-security-policy"], name
        assert violations(page, console) == [], name

    # The note form's scripts run: the live Markdown preview and the admin's own widgets.
    load(page, url + staff["note change page"])
    page.locator("#id_body").fill("Met **twice**.")
    expect(page.locator(".markdown-preview strong")).to_have_text("twice")
    page.locator("#id_start_date").fill("2024-01-01")
    assert violations(page, console) == []
