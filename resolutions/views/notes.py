"""Implementation notes: the filterable list and one note."""

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
    labels = {"paragraph": "Operative paragraph", "date_from": "From", "date_to": "To", "q": "Words"}
    help_texts = {
        "resolution": "Its symbol, e.g. A/RES/77/273",
        "paragraph": "Its number, e.g. 3",
        "country": "",
        "theme": "",
        "entity": "",
        "date_from": "",
        "date_to": "",
        "q": "",
    }
    counted = {"country": Country, "theme": Theme, "entity": Entity}
    ordering_labels = {
        "date": "Oldest first",
        "-date": "Newest first by date",
        "title": "Title, A to Z",
        "-title": "Title, Z to A",
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
