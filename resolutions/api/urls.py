from django.http import JsonResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt
from rest_framework.routers import DefaultRouter

from resolutions.api import citations, dashboard, views
from resolutions.urls import SymbolConverter

app_name = "api"


class Router(DefaultRouter):
    # Symbols hold dots ("A/RES/ES-10/L.5"): a ".json" suffix route would split them. Use ?format=csv.
    include_format_suffixes = False


router = Router()
router.register("resolutions", views.ResolutionViewSet, basename="resolution")
router.register("paragraphs", views.ParagraphViewSet, basename="paragraph")
router.register("notes", views.NoteViewSet, basename="note")
router.register("countries", views.CountryViewSet, basename="country")
router.register("themes", views.ThemeViewSet, basename="theme")
router.register("entities", views.EntityViewSet, basename="entity")
router.register("series", views.SeriesViewSet, basename="series")
router.register("alignments", views.AlignmentViewSet, basename="alignment")


@csrf_exempt  # a JSON 404 for every method, as DRF's own views answer (they are exempt too)
def not_found(request, path):
    """Any other address under /api/v1/: a JSON 404 like the API's own, not the website's HTML page."""
    return JsonResponse({"detail": "No such address in the API; see /api/docs/."}, status=404)


# Before the router's: its resolution-detail pattern would take "A/RES/77/273/citations" for a symbol.
citation_urls = [
    path(
        "resolutions/most-cited/",
        citations.MostCitedViewSet.as_view({"get": "list"}, basename="most-cited"),
        name="most-cited",
    ),
    path(
        "resolutions/<symbol:symbol>/citations/",
        citations.CitationViewSet.as_view({"get": "list"}, basename="citation"),
        name="resolution-citations",
    ),
]

urlpatterns = [
    *citation_urls,
    path("dashboard/", dashboard.DashboardView.as_view(), name="dashboard"),
    # Before the router's: a symbol may hold slashes, so resolutions/<symbol>/ would take "…/dashboard" too.
    re_path(
        rf"^resolutions/(?P<symbol>{SymbolConverter.regex})/dashboard/$",
        dashboard.ResolutionDashboardView.as_view(),
        name="resolution-dashboard",
    ),
    *router.urls,
    re_path(r"^(?P<path>.*)$", not_found),
]
