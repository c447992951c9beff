from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth.views import PasswordResetConfirmView
from django.urls import include, path, reverse_lazy
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from resolutions.health import healthz
from resolutions.views.common import choose_language

# The API, its schema and the health check answer the same in every language (the API reads ?lang= and
# Accept-Language for texts); the website and the admin are in the interface's language, English
# unprefixed and the others under /ar/ /zh/ /fr/ /ru/ /es/ (settings.LANGUAGES: those with a catalogue).
urlpatterns = [
    path("api/v1/", include("resolutions.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file (?script), not inline: see the CSP.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    path("healthz", healthz, name="healthz"),
    # The language switch: remembers the choice, then the same page in that language.
    path("language/<str:code>/", choose_language, name="choose-language"),
] + i18n_patterns(
    # The one-time link `manage.py createstaff` prints: a new staff member sets a password, then signs in.
    path(
        "admin/password-set/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(success_url=reverse_lazy("admin:login")),
        name="admin_password_set",
    ),
    path("admin/", admin.site.urls),
    path("", include("resolutions.urls")),
    prefix_default_language=False,
)
