"""What crawlers read: robots.txt and the sitemaps (resolutions/sitemaps.py).

/sitemap.xml, the index, is django.contrib.sitemaps' own view. A section's page is written here:
Django's view renders each address through a template and a dict (about a second per 10,000
addresses on one core), where the rows of a page are turned into XML lines as they come from the
database cursor, at a few microseconds each.
"""

import datetime
import functools
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.timezone import localtime

from resolutions.sitemaps import SITEMAPS

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)


# What crawlers may read: the pages, not the admin; not the API, which serves the same content as data
# to programs (and throttles them); not the search page, whose every query is another page (each
# result it finds is in the sitemap).
# The same in every language of the interface (/ru/admin/, /ru/search/); and not the language switch's
# links (/language/ru/?next=…), which only remember a reader's choice: each page names its versions
# in the other languages itself (hreflang).
ROBOTS = """User-agent: *
{disallowed}
Allow: /

Sitemap: {sitemap}
"""


def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("resolutions:sitemap"))
    prefixes = [""] + [f"/{code}" for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    disallowed = [f"Disallow: {prefix}/{path}/" for prefix in prefixes for path in ("admin", "search")]
    disallowed[1:1] = ["Disallow: /api/", "Disallow: /language/"]
    return HttpResponse(
        ROBOTS.format(disallowed="\n".join(disallowed), sitemap=sitemap),
        content_type="text/plain; charset=utf-8",
    )


@functools.lru_cache(maxsize=1024)  # a resolution's paragraphs share its time
def day(value):
    """A sitemap's lastmod: the day, in the site's time zone."""
    if isinstance(value, datetime.datetime):
        value = localtime(value).date()
    return value.isoformat()


def sitemap_section(request, section):
    """One page (?p=, from 1) of one section of the sitemap; 404 for a section or page that is not."""
    if section not in SITEMAPS:
        raise Http404(f"No sitemap section {section!r}.")
    sitemap = SITEMAPS[section]()
    try:
        page = sitemap.paginator.page(request.GET.get("p", 1))
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404(f"No such page of this sitemap: {error}") from error
    site = f"{request.scheme}://{request.get_host()}"
    dated = hasattr(sitemap, "lastmod")
    lines = [HEAD]
    for row in page.object_list:
        lastmod = sitemap.lastmod(row) if dated else None
        when = f"<lastmod>{day(lastmod)}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{escape(site + sitemap.location(row))}</loc>{when}</url>\n")
    lines.append("</urlset>\n")
    response = HttpResponse("".join(lines), content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"  # as django.contrib.sitemaps' own views say
    return response
