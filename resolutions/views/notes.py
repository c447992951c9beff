"""Implementation notes: the filterable list and one note."""

from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import DetailView

from resolutions.filters import NoteFilter
from resolutions.markup import cited_symbols
from resolutions.models import (
    Country,
    Entity,
    Resolution,
    Theme,
)
from resolutions.views.common import FilteredListView, published_notes


class NoteListView(FilteredListView):
    template_name = "resolutions/note_list.html"
    results_template_name = "includes/_note_results.html"
    filterset_class = NoteFilter
    context_object_name = "notes"
    paginate_by = 25
    date_fields = ("date_from", "date_to")
    labels = {
        "paragraph": gettext_lazy("Operative paragraph"),
        "date_from": pgettext_lazy("start of a period", "From"),
        "date_to": pgettext_lazy("end of a period", "To"),
        "q": gettext_lazy("Words"),
    }
    help_texts = {
        "resolution": gettext_lazy("Its symbol, e.g. A/RES/77/273"),
        "paragraph": gettext_lazy("Its number, e.g. 3"),
        "country": "",
        "theme": "",
        "entity": "",
        "date_from": "",
        "date_to": "",
        "q": "",
    }
    counted = {"country": Country, "theme": Theme, "entity": Entity}
    ordering_labels = {
        "date": gettext_lazy("Oldest first"),
        "-date": gettext_lazy("Newest first by date"),
        "title": gettext_lazy("Title, A to Z"),
        "-title": gettext_lazy("Title, Z to A"),
    }
    lower_case_codes = ("country",)

    def get_base_queryset(self):
        return published_notes()


class NoteDetailView(DetailView):
    template_name = "resolutions/note_detail.html"
    context_object_name = "note"

    def get_queryset(self):
        return published_notes(sources=True)

    def get_object(self, queryset=None):
        note = super().get_object(queryset)
        note.show_original = "original" in self.request.GET  # its own text, not a translation
        return note

    def get_context_data(self, **kwargs):
        held = Resolution.objects.pages_by_symbol(cited_symbols(self.object.shown.body_html))
        return super().get_context_data(held=held, **kwargs)
