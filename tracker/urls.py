from django.contrib import admin
from django.contrib.auth.views import PasswordResetConfirmView
from django.urls import include, path, reverse_lazy
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from resolutions.health import healthz

urlpatterns = [
    # The one-time link `manage.py createstaff` prints: a new staff member sets a password, then signs in.
    path(
        "admin/password-set/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(success_url=reverse_lazy("admin:login")),
        name="admin_password_set",
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", include("resolutions.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file (?script), not inline: see the CSP.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    path("healthz", healthz, name="healthz"),
    path("", include("resolutions.urls")),
]
