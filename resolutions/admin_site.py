"""The admin site: Django's, refusing a tampered staff POST with a message instead of a server error.

Django's change list runs a bulk action on `pk__in=<the posted ids>` without checking them, so an id
that is not one (`_selected_action=None`) is a 500 in every model's list; django-import-export's
confirmation step indexes its formats and resources and opens its pending file with what was posted
(`format=7`, a made-up `import_file_name`). Each view is checked here, once for every model admin,
before it runs: a bad value sends the user back to the page with a message saying what was wrong.
"""

import os
from functools import wraps

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext

from resolutions import staff_home


class TrackerAdminSite(admin.AdminSite):
    """The index is the staff home (resolutions/staff_home.py): each role's work queues, then the tables,
    the rarely used ones apart and for administrators only; review/<note|assessment>/<id>/ is the review
    screen."""

    index_template = "admin/staff_home.html"

    def get_urls(self):
        return [
            path("review/<str:kind>/<int:pk>/", self.admin_view(self.review), name="review"),
            *super().get_urls(),
        ]

    def get_app_list(self, request, app_label=None):
        return staff_home.split_app_list(
            super().get_app_list(request, app_label), staff_home.is_administrator(request.user)
        )

    def index(self, request, extra_context=None):
        return super().index(request, {**staff_home.home_context(request), **(extra_context or {})})

    def review(self, request, kind, pk):
        return staff_home.review_view(request, kind, pk, self.each_context(request))

    def admin_view(self, view, cacheable=False):
        checked = super().admin_view(view, cacheable)
        model_admin = getattr(view, "__self__", None)
        check = CHECKS.get(getattr(view, "__name__", ""))
        if check is None or not isinstance(model_admin, admin.ModelAdmin):
            return checked

        @wraps(checked)
        def guarded(request, *args, **kwargs):
            if request.method == "POST" and self.has_permission(request):
                problem, back_to = check(model_admin, request)
                if problem:
                    messages.error(request, problem)
                    return HttpResponseRedirect(back_to)
            return checked(request, *args, **kwargs)

        return guarded


def bulk_action_problem(model_admin, request):
    """The ids a bulk action was posted for must be ids of the model (unless it acts on all of them)."""
    if "action" not in request.POST or request.POST.get("select_across") == "1":
        return "", ""
    pk = model_admin.model._meta.pk
    try:
        for value in request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME):
            pk.to_python(value)
            if value in ("", None):
                raise ValidationError("empty")
    except ValidationError:
        return (
            gettext(
                "The selection sent with this action is not valid: nothing was changed. Tick the rows again."
            ),
            (request.get_full_path()),
        )
    return "", ""


def spreadsheet_confirmation_problem(model_admin, request):
    """The format and resource must be among those offered, and the file one still pending import."""
    back_to = reverse(f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_import")
    formats = model_admin.get_import_formats()
    resources = model_admin.get_import_resource_classes(request)
    if not index_in(request.POST.get("format"), formats):
        return gettext("This import names a file format that is not offered: nothing was imported."), back_to
    if request.POST.get("resource") not in ("", None) and not index_in(request.POST["resource"], resources):
        return gettext("This import names a kind of row that is not offered: nothing was imported."), back_to
    storage = model_admin.get_tmp_storage_class()(
        name=os.path.basename(request.POST.get("import_file_name", "")) or None,
        **model_admin.get_tmp_storage_class_kwargs(),
    )
    try:
        pending = storage.name is not None and storage.read() is not None
    except OSError:
        pending = False
    if not pending:
        return (
            gettext(
                "This import's file is no longer waiting to be confirmed (it was imported already, or it "
                "expired): nothing was imported. Upload it again."
            ),
            back_to,
        )
    return "", ""


def index_in(value, choices):
    try:
        return 0 <= int(value) < len(choices)
    except (TypeError, ValueError):
        return False


CHECKS = {"changelist_view": bulk_action_problem, "process_import": spreadsheet_confirmation_problem}
