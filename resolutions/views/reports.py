"""A resolution's implementation report (printable page, DOCX) and its implementation data (CSV, JSON,
Akoma Ntoso XML): published content only, read once by resolutions.implementation."""

import csv
import re

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import DetailView

from resolutions.akn_export import implementation_akn
from resolutions.implementation import COLUMNS, implementation_report
from resolutions.models import Resolution
from resolutions.report_docx import report_docx
from resolutions.report_pdf import PDFUnavailable, html_to_pdf

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


def resolution_report_pdf(request, symbol):
    """The printable page as PDF, laid out with the print stylesheet."""
    page = ResolutionReportView.as_view()(request, symbol=symbol).render()
    try:
        content = html_to_pdf(page.content.decode("utf-8"), base_url=request.build_absolute_uri())
    except PDFUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    return download(content, "application/pdf", f"{file_stem(symbol)}_implementation_report.pdf")


def resolution_implementation_csv(request, symbol):
    """One row per operative paragraph and published note, as in the JSON."""
    resolution = get_object_or_404(Resolution, symbol=symbol)
    response = download("", "text/csv; charset=utf-8", f"{file_stem(symbol)}_implementation.csv")
    writer = csv.DictWriter(response, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(implementation_report(resolution).rows())
    return response


def resolution_implementation_json(request, symbol):
    """The CSV's rows as JSON objects, with where and when they were read."""
    resolution = get_object_or_404(Resolution, symbol=symbol)
    made = stamp(request, resolution)
    return JsonResponse(
        {
            "resolution": resolution.symbol,
            "source": made["tracker_url"],
            "generated_at": made["generated_at"].isoformat(),
            "columns": list(COLUMNS),
            "rows": implementation_report(resolution).rows(),
        },
        json_dumps_params={"ensure_ascii": False},
    )


def resolution_akn(request, symbol):
    """The resolution as Akoma Ntoso XML, its published status and notes as annotations."""
    resolution = get_object_or_404(Resolution, symbol=symbol)
    made = stamp(request, resolution)
    content = implementation_akn(
        implementation_report(resolution), made["tracker_url"], made["generated_at"], made["site_url"]
    )
    response = HttpResponse(content, content_type="application/akn+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{file_stem(symbol)}.akn.xml"'
    return response
