from django.http import JsonResponse
from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt
from rest_framework.routers import DefaultRouter

from resolutions.api import views

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


urlpatterns = [*router.urls, re_path(r"^(?P<path>.*)$", not_found)]
