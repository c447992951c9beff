"""A resolution's implementation report (printable page, DOCX): published content only, read once by
resolutions.implementation."""

import re

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import DetailView

from resolutions.implementation import implementation_report
from resolutions.models import Resolution
from resolutions.report_docx import report_docx

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def file_stem(symbol):
    """A/RES/77/273 -> A_RES_77_273."""
    return re.sub(r"[^A-Za-z0-9]+", "_", symbol).strip("_")


def stamp(request, resolution):
    """Where and when a report was made: the resolution's page here, and the time now."""
    return {
        "tracker_url": request.build_absolute_uri(resolution.get_absolute_url()),
        "site_url": request.build_absolute_uri("/"),
        "site_root": request.build_absolute_uri("/").rstrip("/"),
        "generated_at": timezone.localtime(),
    }


def download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ResolutionReportView(DetailView):
    """The implementation report as a page made for printing (and for reading on screen)."""

    model = Resolution
    slug_field = "symbol"
    slug_url_kwarg = "symbol"
    template_name = "resolutions/resolution_report.html"

    def get_context_data(self, **kwargs):
        report = implementation_report(self.object)
        return super().get_context_data(
            report=report, notes=report.notes, **stamp(self.request, self.object), **kwargs
        )


def resolution_report_docx(request, symbol):
    resolution = get_object_or_404(Resolution, symbol=symbol)
    made = stamp(request, resolution)
    content = report_docx(
        implementation_report(resolution), made["tracker_url"], made["generated_at"], made["site_url"]
    )
    return download(content, DOCX_TYPE, f"{file_stem(symbol)}_implementation_report.docx")
