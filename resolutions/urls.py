from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter

from resolutions.sitemaps import SITEMAPS
from resolutions.views import (
    alerts,
    citations,
    common,
    crawlers,
    dashboards,
    documents,
    feeds,
    lineage,
    mandates,
    notes,
    reports,
    search,
    vocabularies,
)


class SymbolConverter:
    """A UN document symbol inside a URL path: A/RES/77/273, S/RES/2504 (2020)."""

    regex = r"[A-Z][-A-Za-z0-9./\(\) ]*?[A-Za-z0-9\)]"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(SymbolConverter, "symbol")

app_name = "resolutions"

urlpatterns = [
    path("", documents.HomeView.as_view(), name="home"),
    path("favicon.ico", common.favicon, name="favicon"),
    path("robots.txt", crawlers.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "resolutions:sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<slug:section>.xml", crawlers.sitemap_section, name="sitemap-section"),
    path("resolutions/", documents.ResolutionListView.as_view(), name="resolution-list"),
    path("resolutions/most-cited/", citations.MostCitedView.as_view(), name="most-cited"),
    path(
        "resolutions/<symbol:symbol>/citations/",
        citations.CitationsView.as_view(),
        name="resolution-citations",
    ),
    path(
        "resolutions/<symbol:symbol>/op/<str:number>/",
        documents.ParagraphDetailView.as_view(),
        name="paragraph-detail",
    ),
    path(
        "resolutions/<symbol:symbol>/report/",
        reports.ResolutionReportView.as_view(),
        name="resolution-report",
    ),
    path(
        "resolutions/<symbol:symbol>/report.docx",
        reports.resolution_report_docx,
        name="resolution-report-docx",
    ),
    path(
        "resolutions/<symbol:symbol>/report.pdf",
        reports.resolution_report_pdf,
        name="resolution-report-pdf",
    ),
    path(
        "resolutions/<symbol:symbol>/implementation.csv",
        reports.resolution_implementation_csv,
        name="resolution-implementation-csv",
    ),
    path(
        "resolutions/<symbol:symbol>/implementation.json",
        reports.resolution_implementation_json,
        name="resolution-implementation-json",
    ),
    path(
        "resolutions/<symbol:symbol>/changes/",
        lineage.ResolutionChangesView.as_view(),
        name="resolution-changes",
    ),
    path("series/<slug:slug>/", lineage.SeriesDetailView.as_view(), name="series-detail"),
    path("resolutions/<symbol:symbol>/akn.xml", reports.resolution_akn, name="resolution-akn"),
    path(
        "resolutions/<symbol:symbol>/votes.csv", documents.resolution_votes_csv, name="resolution-votes-csv"
    ),
    path(
        "resolutions/<symbol:symbol>/dashboard/",
        dashboards.ResolutionDashboardView.as_view(),
        name="resolution-dashboard",
    ),
    path("resolutions/<symbol:symbol>/", documents.ResolutionDetailView.as_view(), name="resolution-detail"),
    path("dashboard/", dashboards.OverallDashboardView.as_view(), name="dashboard"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("notes/", notes.NoteListView.as_view(), name="note-list"),
    path("mandates/", mandates.MandateListView.as_view(), name="mandate-list"),
    path("notes/report/", reports.NotesReportView.as_view(), name="notes-report"),
    path("notes/report.docx", reports.notes_report_docx_view, name="notes-report-docx"),
    path("notes/report.pdf", reports.notes_report_pdf, name="notes-report-pdf"),
    path("notes/<int:pk>/", notes.NoteDetailView.as_view(), name="note-detail"),
    path("countries/<str:iso>/", vocabularies.CountryDetailView.as_view(), name="country-detail"),
    path("countries/<str:iso>/votes.csv", vocabularies.country_votes_csv, name="country-votes-csv"),
    path("themes/<slug:slug>/", vocabularies.ThemeDetailView.as_view(), name="theme-detail"),
    path("entities/<slug:slug>/", vocabularies.EntityDetailView.as_view(), name="entity-detail"),
    path("feeds/notes/", feeds.NoteFeed(), name="feed-notes"),
    path("feeds/resolutions/", feeds.ResolutionFeed(), name="feed-resolutions"),
    path("feeds/status/", feeds.StatusFeed(), name="feed-status"),
    path("alerts/", alerts.manage_request, name="alert-manage-request"),
    path("alerts/sent/", alerts.manage_requested, name="alert-manage-requested"),
    path("alerts/subscribe/", alerts.subscribe, name="alert-subscribe"),
    path("alerts/subscribe/sent/", alerts.requested, name="alert-requested"),
    path("alerts/confirm/<str:token>/", alerts.confirm, name="alert-confirm"),
    path("alerts/unsubscribe/<str:token>/", alerts.unsubscribe, name="alert-unsubscribe"),
    path("alerts/resubscribe/<str:token>/", alerts.resubscribe, name="alert-resubscribe"),
    path("alerts/manage/<str:token>/", alerts.manage, name="alert-manage"),
]
