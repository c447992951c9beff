"""Fixtures for browser tests (Playwright driving Debian's Chromium). Loaded with -p tests.browser_fixtures.

Use them with pytest-django's ``live_server`` and a transactional database (the server thread must see
the test's rows), and mark the test ``browser``. The flush after each transactional test empties every
table, the countries a migration loads included: put back what the test needs (``sync_countries``,
``sync_roles``) in its own fixture::

    @pytest.mark.browser
    @pytest.mark.django_db(transaction=True)
    def test_something(page, live_server):
        page.goto(live_server.url + "/")

``page`` is a fresh page in a fresh browser context (no cookies, no storage) at desktop size; requests
to any host but the test server are refused and listed in ``page.external_requests``. Playwright's own
browsers are never downloaded: ``make test`` installs Debian's Chromium (see the Makefile).
"""

import os
import shutil
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("TRACKER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


@pytest.fixture(scope="session")
def playwright_driver():
    if not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)):
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: run `make chromium` (Debian: apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on the main thread, where Django's ORM then refuses
    # to run; the tests' database work is plain synchronous code, so allow it (as Playwright advises).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver):
    """One headless Chromium for the session. Playwright gives it a fresh, temporary user-data-dir
    of its own (and removes it at the end), so no profile on the machine is read or written."""
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _refuse_external(context, blocked):
    def route(route):
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", route)


@pytest.fixture
def browser_context(browser):
    """A fresh context (cookies, storage) at desktop size, offline but for the test server."""
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    context.external_requests = []
    _refuse_external(context, context.external_requests)
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    page.external_requests = browser_context.external_requests
    yield page
    page.close()


@pytest.fixture
def page_without_javascript(browser):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    context.external_requests = []
    _refuse_external(context, context.external_requests)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.external_requests = context.external_requests
    yield page
    context.close()
