"""A resolution's implementation report (printable page, DOCX, PDF) and its implementation data (CSV,
JSON, Akoma Ntoso XML); the report of a filtered notes list (page, DOCX, PDF): published content only,
read once by resolutions.implementation."""

import csv
import re

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView

from resolutions.akn_export import implementation_akn
from resolutions.implementation import (
    COLUMNS,
    NOTES_REPORT_CAP,
    capped_message,
    implementation_report,
    notes_report,
)
from resolutions.models import Resolution
from resolutions.report_docx import notes_report_docx, report_docx
from resolutions.report_pdf import PDFUnavailable, html_to_pdf
from resolutions.views.common import published_notes
from resolutions.views.notes import NoteListView

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


def pdf_of(request, page, filename):
    """A printable page as PDF, laid out with the print stylesheet."""
    try:
        content = html_to_pdf(page.content.decode("utf-8"), base_url=request.build_absolute_uri())
    except PDFUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    return download(content, "application/pdf", filename)


def resolution_report_pdf(request, symbol):
    page = ResolutionReportView.as_view()(request, symbol=symbol).render()
    return pdf_of(request, page, f"{file_stem(symbol)}_implementation_report.pdf")


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


class NotesReportView(NoteListView):
    """The implementation report of the notes list with the same filters (NoteFilter): the newest
    NOTES_REPORT_CAP published notes it matches, grouped by resolution and operative paragraph. Filters
    it cannot use are a 400 page that says which."""

    template_name = "resolutions/notes_report.html"
    paginate_by = None
    counted = {}  # no filter menus: the report names its filters, the list offers them
    cap = NOTES_REPORT_CAP

    def get_base_queryset(self):
        return published_notes(sources=True)

    @property
    def partial(self):
        return False

    def report(self):
        if self.filterset.is_bound and not self.filterset.is_valid():
            return None
        return notes_report(self.filterset.qs, cap=self.cap)

    def made(self):
        query = self.request.GET.urlencode()
        list_url = reverse("resolutions:note-list") + (f"?{query}" if query else "")
        return {
            "tracker_url": self.request.build_absolute_uri(list_url),
            "site_url": self.request.build_absolute_uri("/"),
            "site_root": self.request.build_absolute_uri("/").rstrip("/"),
            "generated_at": timezone.localtime(),
            "list_url": list_url,
            "report_query": f"?{query}" if query else "",
        }

    def get_queryset(self):
        return []  # the report reads the notes itself (notes_report)

    def get_context_data(self, **kwargs):
        report = self.report()
        return super().get_context_data(
            report=report,
            capped_message=capped_message(report) if report and report.capped else "",
            **self.made(),
            **kwargs,
        )

    def render_to_response(self, context, **response_kwargs):
        if context["report"] is None:
            response_kwargs["status"] = 400
        return super().render_to_response(context, **response_kwargs)


def filter_errors(view):
    """The filters a report cannot use, in words, as a 400 for a download."""
    errors = "; ".join(
        f"{view.filterset.form.fields[name].label}: {' '.join(messages)}"
        for name, messages in view.filterset.form.errors.items()
    )
    return HttpResponse(
        f"Some filters could not be used: {errors}", status=400, content_type="text/plain; charset=utf-8"
    )


def notes_report_docx_view(request):
    view = NotesReportView(request=request, kwargs={}, args=())
    report = view.report()
    if report is None:
        return filter_errors(view)
    made = view.made()
    filters = [f"{chip['label']}: {chip['value']}" for chip in view.active_filters()]
    content = notes_report_docx(
        report, "published notes", filters, made["tracker_url"], made["generated_at"], made["site_url"]
    )
    return download(content, DOCX_TYPE, "implementation_report.docx")


def notes_report_pdf(request):
    response = NotesReportView.as_view()(request)
    if response.status_code != 200:
        return filter_errors(response.context_data["view"])
    return pdf_of(request, response.render(), "implementation_report.pdf")
