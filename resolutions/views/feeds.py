"""Atom feeds: follow newly published notes, newly imported resolutions and status changes.

Each feed takes the query string of the list it follows and reads it through that list's FilterSet
(resolutions.filters), so /feeds/notes/?country=kaz holds what /notes/?country=kaz lists; a
resolution's, paragraph's, country's, theme's or partner's page links the notes feed filtered to it
(resolutions.templatetags.tracker.page_feeds). A query the FilterSet refuses is answered 400 with
its message. Published content only (published() on the QuerySets), the latest FEED_LENGTH entries,
newest first; each entry's id is its page's absolute URL, which never changes. Anonymous requests are
answered from the public page cache (resolutions/middleware.py), which a publish or withdrawal
empties: a withdrawn note leaves every feed at once.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.db import models
from django.http import HttpResponseBadRequest, QueryDict
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.constants import EMPTY_VALUES

from resolutions.alerts import status_page
from resolutions.filters import AssessmentFilter, NoteFilter, ResolutionFilter
from resolutions.models import Assessment, ImplementationNote, Resolution
from resolutions.symbols import un_document_url
from resolutions.templatetags.tracker import meaningful_params
from resolutions.views.common import published_notes
from resolutions.workflow import with_arrival

FEED_LENGTH = 50
SITE_NAME = gettext_lazy("Resolution Tracker")


class AtomWithLinks(Atom1Feed):
    """Atom 1.0 whose entries also carry links beyond their page: the paragraphs a note implements
    (rel="related") and the public documents it rests on (rel="via")."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for rel, href, title in item.get("links", ()):
            handler.addQuickElement("link", "", {"rel": rel, "href": href, "title": title})


class InvalidQuery(Exception):
    pass


@dataclass
class FeedQuery:
    """One request's feed: its FilterSet, the query string it was asked with, and the site's address."""

    filterset: object
    query: str
    base: str  # https://host, to make a page's path absolute

    def absolute(self, path):
        return self.base + path

    @property
    def chosen(self):
        """The filters' cleaned values ({} when none is used)."""
        return self.filterset.form.cleaned_data if self.filterset.is_bound else {}

    def described(self):
        """The filters in use, in words: "Country: Kazakhstan; From: 2024-01-01" ("" when none)."""
        form = self.filterset.form
        parts = []
        for name, value in self.chosen.items():
            if name == "ordering" or value in EMPTY_VALUES:
                continue
            if isinstance(value, datetime.date):
                value = value.isoformat()
            elif not isinstance(value, models.Model) and getattr(form.fields[name], "choices", None):
                value = dict(form.fields[name].choices).get(value, value)
            parts.append(_("%(filter)s: %(value)s") % {"filter": form.fields[name].label, "value": value})
        return "; ".join(parts)


class FilteredFeed(Feed):
    """A feed of the rows of `filterset_class` over `base_queryset()`, newest first by `newest`."""

    feed_type = AtomWithLinks
    filterset_class = None
    list_url_name = None  # the page listing the same rows with the same query string
    feed_url_name = None
    newest = ()
    what = ""  # "Implementation notes"

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except InvalidQuery as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")

    def base_queryset(self):
        raise NotImplementedError

    def get_object(self, request):
        # Only the parameters a list reads: its page and order do not change which rows are newest.
        query = urlencode(meaningful_params(request.GET, drop={"page", "ordering"}))
        filterset = self.filterset_class(QueryDict(query) if query else None, queryset=self.base_queryset())
        if filterset.is_bound and not filterset.is_valid():
            problems = "; ".join(
                f"{name}: {' '.join(errors)}" for name, errors in filterset.form.errors.items()
            )
            raise InvalidQuery(
                _("This feed cannot be made from its query string. %(problems)s") % {"problems": problems}
            )
        return FeedQuery(filterset, query, request.build_absolute_uri("/").rstrip("/"))

    def items(self, obj):
        rows = list(obj.filterset.qs.order_by(*self.newest)[:FEED_LENGTH])
        for row in rows:
            row.feed = obj  # for the links an entry makes absolute
        return rows

    def title(self, obj):
        described = obj.described()
        what = str(self.what)
        return _("%(what)s – %(filters)s") % {"what": what, "filters": described} if described else what

    def subtitle(self, obj):
        return _("%(site)s: the latest %(count)s at most, newest first. Published content only.") % {
            "site": SITE_NAME,
            "count": FEED_LENGTH,
        }

    def author_name(self):
        return str(SITE_NAME)

    def link(self, obj):
        return reverse(self.list_url_name) + (f"?{obj.query}" if obj.query else "")

    def feed_url(self, obj):
        return reverse(self.feed_url_name) + (f"?{obj.query}" if obj.query else "")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "base": kwargs["obj"].base}


class NoteFeed(FilteredFeed):
    """Published implementation notes, the latest published first (a published note changes only by
    going back to review, so its last change is its publication)."""

    filterset_class = NoteFilter
    list_url_name = "resolutions:note-list"
    feed_url_name = "resolutions:feed-notes"
    newest = ("-updated_at", "-pk")
    what = gettext_lazy("Implementation notes")
    description_template = "resolutions/implementationnote_feed_entry.html"

    def base_queryset(self):
        return published_notes(sources=True)

    def item_title(self, note: ImplementationNote):
        return note.title

    def item_updateddate(self, note: ImplementationNote):
        return note.updated_at

    def item_categories(self, note: ImplementationNote):
        return [row.name for row in (*note.theme_list, *note.country_list)] + [
            str(entity) for entity in note.entity_list
        ]

    def item_extra_kwargs(self, note: ImplementationNote):
        links = [
            ("related", note.feed.absolute(paragraph.get_absolute_url()), paragraph.citation)
            for paragraph in note.paragraph_list
        ]
        links += [("via", source.href, source.title) for source in note.source_list if source.href]
        return {"links": links}


class ResolutionFeed(FilteredFeed):
    """Resolutions as they are imported here, the latest first."""

    filterset_class = ResolutionFilter
    list_url_name = "resolutions:resolution-list"
    feed_url_name = "resolutions:feed-resolutions"
    newest = ("-created_at", "-pk")
    what = gettext_lazy("Resolutions newly imported")
    description_template = "resolutions/resolution_feed_entry.html"

    def base_queryset(self):
        return Resolution.objects.all()

    def item_title(self, resolution: Resolution):
        return f"{resolution.symbol}: {resolution.title}"

    def item_pubdate(self, resolution: Resolution):
        return resolution.created_at

    def item_updateddate(self, resolution: Resolution):
        return resolution.updated_at

    def item_categories(self, resolution: Resolution):
        return [
            resolution.get_body_display(),
            *([_("Session %(session)s") % {"session": resolution.session}] if resolution.session else []),
        ]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "un_url": un_document_url(kwargs["item"].symbol)}

    def item_extra_kwargs(self, resolution: Resolution):
        return {
            "links": [
                (
                    "via",
                    un_document_url(resolution.symbol),
                    _("%(symbol)s (UN)") % {"symbol": resolution.symbol},
                )
            ]
        }


class StatusFeed(FilteredFeed):
    """Status changes: assessments of operative paragraphs as they are published, the latest first."""

    filterset_class = AssessmentFilter
    list_url_name = "resolutions:resolution-list"
    feed_url_name = "resolutions:feed-status"
    newest = ("-arrival_at", "-pk")
    what = gettext_lazy("Status changes")
    description_template = "resolutions/assessment_feed_entry.html"

    def base_queryset(self):
        return with_arrival(
            Assessment.objects.published().select_related("paragraph__resolution", "paragraph__parent")
        )

    def link(self, obj):
        """The page of the paragraph or resolution followed, else the resolutions."""
        symbol, number = obj.chosen.get("resolution"), obj.chosen.get("paragraph")
        return (symbol and status_page(symbol, number or "")) or super().link(obj)

    def item_title(self, assessment: Assessment):
        return _("%(paragraph)s: %(status)s as of %(date)s") % {
            "paragraph": assessment.paragraph.citation,
            "status": assessment.get_status_display(),
            "date": date_format(assessment.as_of),
        }

    def item_link(self, assessment: Assessment):
        return f"{assessment.paragraph.get_absolute_url()}#assessment-{assessment.pk}"

    def item_updateddate(self, assessment: Assessment):
        return assessment.arrival_at or assessment.created_at

    def item_categories(self, assessment: Assessment):
        return [assessment.get_status_display()]

    def item_extra_kwargs(self, assessment: Assessment):
        paragraph = assessment.paragraph
        return {
            "links": [("related", assessment.feed.absolute(paragraph.get_absolute_url()), paragraph.citation)]
        }
