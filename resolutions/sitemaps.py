"""Sitemaps: /sitemap.xml is an index of one sitemap per section (resolutions, operative paragraphs,
published notes, countries, themes, partners), each cut into pages of PAGE_SIZE addresses
(/sitemap-paragraphs.xml?p=2). The corpus holds 100,000+ operative paragraphs, a generated scale
500,000; a page is read as plain tuples (values_list), in chunks from the database cursor, never as
one model object per address, and written by resolutions.views.crawlers.sitemap_section; the index is
django.contrib.sitemaps' own view. lastmod where the rows know when they changed. Published notes
only (published()). Served through the public page cache like every public page
(resolutions/middleware.py), which any public change empties.
"""

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Page, Paginator
from django.db.models import Exists, Max, OuterRef, Q

from resolutions.models import Country, CountryVote, Entity, ImplementationNote, Paragraph, Resolution, Theme
from resolutions.routes import fast_reverse

# Search engines take 50,000 addresses a sitemap; fewer keep each page quick to make and to cache.
PAGE_SIZE = 10_000
CHUNK = 2_000


class ChunkedPaginator(Paginator):
    """Pages whose rows are read from the database cursor in chunks as the sitemap writes them."""

    def _get_page(self, object_list, number, paginator):
        return Page(object_list.iterator(chunk_size=CHUNK), number, paginator)


class RowsSitemap(Sitemap):
    """A section read as tuples of `fields`, in primary-key order (stable pages); `location` and
    `lastmod` read a tuple."""

    limit = PAGE_SIZE
    fields = ()

    def rows(self):
        raise NotImplementedError

    def items(self):
        return self.rows().order_by("pk").values_list(*self.fields)

    @property
    def paginator(self):
        return ChunkedPaginator(self.items(), self.limit)

    def latest_change(self):
        """When the section last changed, for the index (one aggregate query); None if unknown."""
        return None

    def get_latest_lastmod(self):
        return self.latest_change()


class ResolutionSitemap(RowsSitemap):
    fields = ("symbol", "updated_at")

    def rows(self):
        return Resolution.objects.all()

    def location(self, row):
        return fast_reverse("resolutions:resolution-detail", symbol=row[0])

    def lastmod(self, row):
        return row[1]

    def latest_change(self):
        return Resolution.objects.aggregate(latest=Max("updated_at"))["latest"]


class ParagraphSitemap(RowsSitemap):
    """Operative paragraphs with a page of their own (Paragraph.is_trackable); they change with their
    resolution, which an import rewrites."""

    fields = ("resolution__symbol", "section", "number", "resolution__updated_at")

    def rows(self):
        return Paragraph.objects.operative().exclude(number="")

    def location(self, row):
        symbol, section, number, _ = row
        address = f"{section}.{number}" if section else number
        return fast_reverse("resolutions:paragraph-detail", symbol=symbol, number=address)

    def lastmod(self, row):
        return row[3]

    def latest_change(self):
        return Resolution.objects.aggregate(latest=Max("updated_at"))["latest"]


class NoteSitemap(RowsSitemap):
    fields = ("pk", "updated_at")

    def rows(self):
        return ImplementationNote.objects.published()

    def location(self, row):
        return fast_reverse("resolutions:note-detail", pk=row[0])

    def lastmod(self, row):
        return row[1]

    def latest_change(self):
        return self.rows().aggregate(latest=Max("updated_at"))["latest"]


class CountrySitemap(RowsSitemap):
    """Countries whose page shows something: published notes or recorded votes."""

    fields = ("alpha3",)

    def rows(self):
        return Country.objects.filter(
            Q(published_note_count__gt=0) | Exists(CountryVote.objects.filter(country=OuterRef("pk")))
        )

    def location(self, row):
        return fast_reverse("resolutions:country-detail", iso=row[0].lower())


class ThemeSitemap(RowsSitemap):
    fields = ("slug",)

    def rows(self):
        return Theme.objects.all()

    def location(self, row):
        return fast_reverse("resolutions:theme-detail", slug=row[0])


class EntitySitemap(RowsSitemap):
    fields = ("slug",)

    def rows(self):
        return Entity.objects.all()

    def location(self, row):
        return fast_reverse("resolutions:entity-detail", slug=row[0])


SITEMAPS = {
    "resolutions": ResolutionSitemap,
    "paragraphs": ParagraphSitemap,
    "notes": NoteSitemap,
    "countries": CountrySitemap,
    "themes": ThemeSitemap,
    "partners": EntitySitemap,
}
