"""A resolution's implementation report (printable page, DOCX, PDF) and its implementation data (CSV,
JSON, Akoma Ntoso XML); the report of a filtered notes list (page, DOCX, PDF): published content only,
read by resolutions.implementation.

The page is bounded (a page of paragraphs, the newest notes of each) and so is the JSON (a page of rows,
as the API's lists); the DOCX, the PDF, the CSV and the XML are complete downloads, the CSV streamed."""

import csv
import re
from itertools import chain

from django.core.paginator import InvalidPage, Paginator
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.views.generic import DetailView
from rest_framework.utils.urls import remove_query_param, replace_query_param

from resolutions.akn_export import implementation_akn
from resolutions.api.pagination import PageNumberPagination
from resolutions.implementation import (
    COLUMNS,
    NOTES_REPORT_CAP,
    REPORT_NOTES_PER_PARAGRAPH,
    REPORT_PARAGRAPHS_PER_PAGE,
    ImplementationRows,
    capped_message,
    implementation_report,
    implementation_report_page,
    implementation_rows,
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
    """The implementation report as a page made for reading on screen and printing: a summary of every
    operative paragraph, then a page of paragraphs, each with its newest published notes and a link to
    all of them. Whole, every note of every paragraph, for the PDF (``complete``)."""

    model = Resolution
    slug_field = "symbol"
    slug_url_kwarg = "symbol"
    template_name = "resolutions/resolution_report.html"
    paragraphs_per_page = REPORT_PARAGRAPHS_PER_PAGE
    notes_per_paragraph = REPORT_NOTES_PER_PARAGRAPH
    complete = False

    def get_context_data(self, **kwargs):
        if self.complete:
            report, page = implementation_report(self.object), None
            shown = report.paragraphs
        else:
            report, page = implementation_report_page(
                self.object, self.request.GET.get("page"), self.paragraphs_per_page, self.notes_per_paragraph
            )
            shown = page.object_list
        return super().get_context_data(
            report=report,
            shown=shown,
            notes_per_paragraph=self.notes_per_paragraph,
            notes_left_out=any(item.more_notes for item in shown),
            page_obj=page,
            paginator=page.paginator if page else None,
            is_paginated=bool(page and page.has_other_pages()),
            **stamp(self.request, self.object),
            **kwargs,
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
    page = ResolutionReportView.as_view(complete=True)(request, symbol=symbol).render()
    return pdf_of(request, page, f"{file_stem(symbol)}_implementation_report.pdf")


class Echo:
    """A file that hands back what is written to it: csv.writer's lines, for a streamed response."""

    def write(self, value):
        return value


def resolution_implementation_csv(request, symbol):
    """One row per operative paragraph and published note, as in the JSON: every row, streamed as the
    notes are read, so that neither memory nor the time to the first byte grows with them."""
    resolution = get_object_or_404(Resolution, symbol=symbol)
    writer = csv.DictWriter(Echo(), fieldnames=COLUMNS)
    lines = chain([writer.writeheader()], map(writer.writerow, implementation_rows(resolution)))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_stem(symbol)}_implementation.csv"'
    return response


def page_size(request):
    """?page_size= as the API reads it (resolutions.api.pagination): 1 or more, at most its maximum;
    None when it is not a whole number."""
    value = request.GET.get("page_size")
    if value is None:
        return PageNumberPagination.page_size
    if not (value.isascii() and value.isdigit() and int(value) > 0):
        return None
    return min(int(value), PageNumberPagination.max_page_size)


def resolution_implementation_json(request, symbol):
    """The CSV's rows as JSON objects, with where and when they were read, a page at a time as the API's
    lists (?page=, ?page_size=; ``next`` links the following page, null on the last)."""
    resolution = get_object_or_404(Resolution, symbol=symbol)
    size = page_size(request)
    if size is None:
        return JsonResponse({"page_size": [gettext("A whole number from 1 to 100.")]}, status=400)
    paginator = Paginator(ImplementationRows(resolution), size)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        return JsonResponse({"detail": gettext("Invalid page.")}, status=404)
    url = request.build_absolute_uri()
    previous = None
    if page.has_previous():
        number = page.previous_page_number()
        previous = replace_query_param(url, "page", number) if number > 1 else remove_query_param(url, "page")
    made = stamp(request, resolution)
    return JsonResponse(
        {
            "resolution": resolution.symbol,
            "source": made["tracker_url"],
            "generated_at": made["generated_at"].isoformat(),
            "columns": list(COLUMNS),
            "count": paginator.count,
            "next": replace_query_param(url, "page", page.next_page_number()) if page.has_next() else None,
            "previous": previous,
            "rows": list(page.object_list),
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
        context = super().get_context_data(
            report=report,
            capped_message=capped_message(report) if report and report.capped else "",
            **self.made(),
            **kwargs,
        )
        # The filters in words, for the sentences that name them.
        chips = [(chip["label"], chip["value"]) for chip in context["active_filters"]]
        context["filters_text"] = "; ".join(f"{label}: {value}" for label, value in chips)
        context["filters_html"] = format_html_join("; ", "{}: <strong>{}</strong>", chips)
        return context

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
        gettext("Some filters could not be used: %(errors)s") % {"errors": errors},
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def notes_report_docx_view(request):
    view = NotesReportView(request=request, kwargs={}, args=())
    report = view.report()
    if report is None:
        return filter_errors(view)
    made = view.made()
    filters = [f"{chip['label']}: {chip['value']}" for chip in view.active_filters()]
    content = notes_report_docx(
        report,
        gettext("published notes"),
        filters,
        made["tracker_url"],
        made["generated_at"],
        made["site_url"],
    )
    return download(content, DOCX_TYPE, "implementation_report.docx")


def notes_report_pdf(request):
    response = NotesReportView.as_view()(request)
    if response.status_code != 200:
        return filter_errors(response.context_data["view"])
    return pdf_of(request, response.render(), "implementation_report.pdf")
