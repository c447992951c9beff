"""The implementation report as PDF: the printable page laid out by WeasyPrint with the site's print
stylesheet. WeasyPrint needs Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0); it is imported when a
PDF is asked for, so that the rest of the site runs without it."""

import mimetypes
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.utils.translation import gettext


class PDFUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs are missing."""


def static_only_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """The site's own static files (stylesheets, icons), read from disk; nothing else is fetched,
        so that making a PDF never calls the network, this server or any address a note names."""

        def fetch(self, url, headers=None):
            path = urlsplit(url).path
            if not path.startswith(settings.STATIC_URL):
                raise ValueError(f"not fetched for a PDF: {url}")
            name = path.removeprefix(settings.STATIC_URL)
            # Collected (hashed names, debug off) or not yet (tests, debug on).
            try:
                found = (
                    staticfiles_storage.path(name) if staticfiles_storage.exists(name) else finders.find(name)
                )
            except SuspiciousFileOperation as error:  # ../ out of the static folders
                raise ValueError(str(error)) from error
            if not found:
                raise ValueError(f"no such static file: {path}")
            with open(found, "rb") as file:
                body = file.read()
            content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticOnlyFetcher()


def html_to_pdf(html: str, base_url: str) -> bytes:
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: Pango is missing
        message = gettext("PDF output needs WeasyPrint and Pango: %(error)s") % {"error": error}
        raise PDFUnavailable(message) from error
    return weasyprint.HTML(string=html, base_url=base_url, url_fetcher=static_only_fetcher()).write_pdf()
