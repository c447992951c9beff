"""The notes' spreadsheet import in the admin, as a person can put it right (resolutions/spreadsheets.py
reads the rows).

django-import-export previews a file and confirms it; here, on top of it:

- a template to download (CSV or XLSX) with the columns the import reads and an example row;
- every error listed in words, by the spreadsheet's row number and its column;
- a file with good and bad rows offers the choice: import the good rows now (in one transaction, the
  bad ones left out and listed) or put the file right and upload it again. Without that choice,
  a row found bad at confirmation imports nothing.
"""

import csv
import io

import openpyxl
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.forms import ConfirmImportForm
from import_export.results import RowResult
from import_export.signals import post_import

from resolutions.spreadsheets import NoteResource, example_row

# The first data row of a spreadsheet is its row 2, under the header: errors name the row as it is seen.
HEADER_ROWS = 1

# What each column holds, for the import page and the template. The column names (and the kinds'
# values) are what the import reads: they stay as they are in every language.
REQUIRED, OPTIONAL = _("required"), _("optional")
COLUMN_HELP = {
    "title": (REQUIRED, _("What was done, in a line.")),
    "kind": (OPTIONAL, _("meeting, consultation, training, visit, statement, report, … (other if empty).")),
    "start_date": (REQUIRED, _("The date it took place or began, year-month-day: 2023-02-24.")),
    "end_date": (OPTIONAL, _("The last day of a period, year-month-day.")),
    "body": (OPTIONAL, _("What was done, by whom, with what result (Markdown).")),
    "resolution": (REQUIRED, _("The resolution's symbol: A/RES/77/273 (or 77/273).")),
    "paragraphs": (REQUIRED, _("Its operative paragraph numbers: 1 or 1; 3.")),
    "countries": (OPTIONAL, _("Names or ISO codes, separated by “;”: Kazakhstan; KGZ.")),
    "entities": (OPTIONAL, _("Partner entities' short or full names: UNRCCA; UNODC.")),
    "themes": (OPTIONAL, _("Theme names, separated by “;”.")),
}


class ConfirmNotesImportForm(ConfirmImportForm):
    """The confirmation, saying whether the user chose to import the good rows and leave out the bad."""

    leave_out_bad_rows = forms.BooleanField(widget=forms.HiddenInput, required=False, initial=False)


def row_errors(result):
    """(row as the spreadsheet numbers it, column or "", message) of every bad row, in order."""
    listed = []
    for row in result.invalid_rows:
        number = row.number + HEADER_ROWS
        for column, errors in row.field_specific_errors.items():
            listed += [(number, column, error) for error in errors]
        listed += [(number, "", error) for error in row.non_field_specific_errors]
    for number, errors in result.row_errors():
        listed += [(number + HEADER_ROWS, "", str(error.error)) for error in errors]
    return listed


def good_rows(result):
    """(row as the spreadsheet numbers it, the note's values) of every row ready to import."""
    return [
        (row.number + HEADER_ROWS, row.diff)
        for row in result.valid_rows()
        if row.import_type == RowResult.IMPORT_TYPE_NEW
    ]


class NoteSpreadsheetMixin(ImportExportMixin):
    import_template_name = "admin/resolutions/implementationnote/import.html"

    def get_confirm_form_class(self, request):
        return ConfirmNotesImportForm

    def get_urls(self):
        return [
            path(
                "import/template.<str:file_format>",
                self.admin_site.admin_view(self.import_template_view),
                name="resolutions_implementationnote_import_template",
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request, file_format):
        """The columns the import reads and one example row, marked as an example."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        columns = NoteResource.import_columns()
        example = example_row()
        if file_format == "csv":
            out = io.StringIO()
            writer = csv.DictWriter(out, columns)
            writer.writeheader()
            writer.writerow(example)
            response = HttpResponse(
                out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
            )
        elif file_format == "xlsx":
            book = openpyxl.Workbook()
            sheet = book.active
            sheet.title = gettext("Notes")
            sheet.append(columns)
            sheet.append([example[column] for column in columns])
            help_sheet = book.create_sheet(gettext("How to fill it"))
            help_sheet.append([gettext("column"), gettext("required?"), gettext("what to write")])
            for column in columns:
                help_sheet.append([column, *map(str, COLUMN_HELP[column])])
            out = io.BytesIO()
            book.save(out)
            response = HttpResponse(
                out.getvalue(),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            raise Http404(gettext("The template is offered as .csv or .xlsx."))
        response["Content-Disposition"] = (
            f'attachment; filename="implementation-notes-template.{file_format}"'
        )
        return response

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        if context is None:
            return response
        context["title"] = gettext("Import implementation notes from a spreadsheet")
        context["columns"] = [(column, *COLUMN_HELP[column]) for column in NoteResource.import_columns()]
        result = context.get("result")
        if result is not None:
            context["row_errors"] = row_errors(result)
            context["good_rows"] = good_rows(result)
            if result.has_validation_errors() and not result.has_errors() and context["good_rows"]:
                # Good rows and bad: the user may import the good ones now (process_dataset).
                confirm = self.create_confirm_form(request, import_form=context["form"])
                confirm.initial["leave_out_bad_rows"] = True
                context["confirm_form"] = confirm
        return response

    def process_dataset(self, dataset, form, request, **kwargs):
        # A bad row rolls back the whole import unless the user chose to leave the bad rows out.
        leave_out = form.cleaned_data.get("leave_out_bad_rows", False)
        result = super().process_dataset(
            dataset, form, request, rollback_on_validation_errors=not leave_out, **kwargs
        )
        result.leave_out_bad_rows = leave_out
        return result

    def process_result(self, result, request):
        back = reverse("admin:resolutions_implementationnote_import")
        problems = row_errors(result)
        imported = result.totals[RowResult.IMPORT_TYPE_NEW]
        if result.has_errors() or (problems and not getattr(result, "leave_out_bad_rows", False)):
            listed = "; ".join(
                (
                    gettext("row %(row)s, %(column)s: %(error)s")
                    if column
                    else gettext("row %(row)s: %(error)s")
                )
                % {"row": row, "column": column, "error": text}
                for row, column, text in problems
            )
            messages.error(
                request,
                gettext("Nothing was imported: %(errors)s Put the file right and upload it again.")
                % {"errors": listed},
            )
            return HttpResponseRedirect(back)
        self.generate_log_entries(result, request)
        left_out = sorted({row for row, *_ in problems})
        message = ngettext(
            "%(count)d note imported as drafts: they reach the public only once reviewed and published.",
            "%(count)d notes imported as drafts: they reach the public only once reviewed and published.",
            imported,
        ) % {"count": imported}
        if left_out:
            rows = ngettext(
                "Left out, with errors: row %(rows)s.", "Left out, with errors: rows %(rows)s.", len(left_out)
            ) % {"rows": ", ".join(map(str, left_out))}
            message = f"{message} {rows}"
        messages.success(request, message)
        post_import.send(sender=None, model=self.model)
        return HttpResponseRedirect(
            reverse("admin:resolutions_implementationnote_changelist") + "?state__exact=draft"
        )
