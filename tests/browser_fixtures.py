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
from pathlib import Path
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
    # Pixels that do not depend on the machine: no hinting, no sub-pixel text, one colour profile.
    "--font-render-hinting=none",
    "--disable-lcd-text",
    "--force-color-profile=srgb",
]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
DEVICE_SCALE_FACTOR = 1
# Debian's fonts-dejavu-core and, for the italic lead phrases, fonts-dejavu-extra's obliques (both
# installed by `make chromium`): the only fonts Chromium is shown.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = [
    f"{family}{style}.ttf"
    for family in ("DejaVuSans", "DejaVuSansMono")
    for style in ("", "-Bold", "-Oblique", "-BoldOblique")
] + ["DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf", "DejaVuSerif-BoldItalic.ttf"]
FONTS_CONF = Path(__file__).resolve().parent / "fonts.conf"
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
def fontconfig_file(tmp_path_factory):
    """tests/fonts.conf beside a folder linking exactly the DejaVu fonts listed in FONTS, so that the
    pages are drawn with the same fonts on every machine (other fonts installed there are not seen)."""
    missing = [name for name in FONTS if not (FONT_DIR / name).is_file()]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} missing from {FONT_DIR}: run `make chromium` (Debian: apt-get install "
            "fonts-dejavu-core fonts-dejavu-extra)"
        )
    folder = tmp_path_factory.mktemp("fontconfig")
    (folder / "fonts").mkdir()
    for name in FONTS:
        (folder / "fonts" / name).symlink_to(FONT_DIR / name)
    shutil.copy(FONTS_CONF, folder / "fonts.conf")
    return folder / "fonts.conf"


@pytest.fixture(scope="session")
def browser(playwright_driver, fontconfig_file):
    """One headless Chromium for the session. Playwright gives it a fresh, temporary user-data-dir
    of its own (and removes it at the end), so no profile on the machine is read or written."""
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        env={**os.environ, "FONTCONFIG_FILE": str(fontconfig_file)},
    )
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
    context = browser.new_context(
        viewport=DESKTOP, device_scale_factor=DEVICE_SCALE_FACTOR, locale="en-GB", timezone_id="UTC"
    )
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
    context = browser.new_context(
        viewport=DESKTOP, device_scale_factor=DEVICE_SCALE_FACTOR, java_script_enabled=False
    )
    context.external_requests = []
    _refuse_external(context, context.external_requests)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.external_requests = context.external_requests
    yield page
    context.close()
