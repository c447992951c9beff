from django.urls import path, register_converter

from resolutions import report_views, views


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
    path("", views.HomeView.as_view(), name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("resolutions/", views.ResolutionListView.as_view(), name="resolution-list"),
    path(
        "resolutions/<symbol:symbol>/op/<str:number>/",
        views.ParagraphDetailView.as_view(),
        name="paragraph-detail",
    ),
    path(
        "resolutions/<symbol:symbol>/report/",
        report_views.ResolutionReportView.as_view(),
        name="resolution-report",
    ),
    path(
        "resolutions/<symbol:symbol>/report.docx",
        report_views.resolution_report_docx,
        name="resolution-report-docx",
    ),
    path(
        "resolutions/<symbol:symbol>/report.pdf",
        report_views.resolution_report_pdf,
        name="resolution-report-pdf",
    ),
    path(
        "resolutions/<symbol:symbol>/implementation.csv",
        report_views.resolution_implementation_csv,
        name="resolution-implementation-csv",
    ),
    path(
        "resolutions/<symbol:symbol>/implementation.json",
        report_views.resolution_implementation_json,
        name="resolution-implementation-json",
    ),
    path("resolutions/<symbol:symbol>/akn.xml", report_views.resolution_akn, name="resolution-akn"),
    path("resolutions/<symbol:symbol>/votes.csv", views.resolution_votes_csv, name="resolution-votes-csv"),
    path("resolutions/<symbol:symbol>/", views.ResolutionDetailView.as_view(), name="resolution-detail"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("notes/", views.NoteListView.as_view(), name="note-list"),
    path("notes/<int:pk>/", views.NoteDetailView.as_view(), name="note-detail"),
    path("countries/<str:iso>/", views.CountryDetailView.as_view(), name="country-detail"),
    path("countries/<str:iso>/votes.csv", views.country_votes_csv, name="country-votes-csv"),
    path("themes/<slug:slug>/", views.ThemeDetailView.as_view(), name="theme-detail"),
    path("entities/<slug:slug>/", views.EntityDetailView.as_view(), name="entity-detail"),
]
