from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.views.generic import DetailView, ListView, TemplateView

from resolutions.models import (
    Country,
    Entity,
    ImplementationNote,
    Paragraph,
    Resolution,
    Theme,
)


def published_notes():
    return ImplementationNote.objects.published().prefetch_related(
        "paragraphs__resolution", "countries", "entities", "themes"
    )


def operative_with_status():
    """Operative paragraphs with their current status and how many published notes they have."""
    return (
        Paragraph.objects.operative()
        .with_current_status()
        .annotate(published_notes=Count("notes", filter=Q(notes__state="published"), distinct=True))
    )


class HomeView(TemplateView):
    template_name = "resolutions/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["resolutions"] = Resolution.objects.annotate(
            paragraph_count=Count("paragraphs")
        ).prefetch_related(
            Prefetch("paragraphs", queryset=operative_with_status(), to_attr="operative_paragraphs")
        )
        context["latest_notes"] = published_notes()[:5]
        return context


class ResolutionListView(ListView):
    model = Resolution
    paginate_by = 50

    def get_queryset(self):
        return Resolution.objects.annotate(paragraph_count=Count("paragraphs"))


class ResolutionDetailView(DetailView):
    model = Resolution
    slug_field = "symbol"
    slug_url_kwarg = "symbol"

    def get_queryset(self):
        return Resolution.objects.prefetch_related(
            Prefetch(
                "paragraphs",
                queryset=Paragraph.objects.with_current_status().annotate(
                    published_notes=Count("notes", filter=Q(notes__state="published"), distinct=True)
                ),
            ),
            "footnotes",
            "references__target",
            "cited_by__resolution",
        )


class ParagraphDetailView(DetailView):
    template_name = "resolutions/paragraph_detail.html"
    context_object_name = "paragraph"

    def get_object(self, queryset=None):
        # Resolutions in several sections restart their numbering: "op 1" is the first one.
        paragraph = (
            Paragraph.objects.operative()
            .select_related("resolution")
            .prefetch_related("subparagraphs")
            .filter(resolution__symbol=self.kwargs["symbol"], number=self.kwargs["number"])
            .first()
        )
        if paragraph is None:
            raise Http404("No such operative paragraph.")
        return paragraph

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assessments"] = self.object.assessments.all()
        context["notes"] = published_notes().filter(paragraphs=self.object)
        return context


class NoteListView(ListView):
    template_name = "resolutions/note_list.html"
    context_object_name = "notes"
    paginate_by = 25

    def get_queryset(self):
        return published_notes()


class NoteDetailView(DetailView):
    template_name = "resolutions/note_detail.html"
    context_object_name = "note"

    def get_queryset(self):
        return published_notes().prefetch_related("sources")


class CountryDetailView(DetailView):
    model = Country

    def get_object(self, queryset=None):
        country = Country.objects.filter(alpha3__iexact=self.kwargs["iso"]).first()
        if country is None:
            raise Http404("No country with that ISO 3166 code.")
        return country

    def get_context_data(self, **kwargs):
        return super().get_context_data(notes=published_notes().filter(countries=self.object), **kwargs)


class ThemeDetailView(DetailView):
    model = Theme

    def get_context_data(self, **kwargs):
        return super().get_context_data(notes=published_notes().filter(themes=self.object), **kwargs)


class EntityDetailView(DetailView):
    model = Entity

    def get_context_data(self, **kwargs):
        return super().get_context_data(notes=published_notes().filter(entities=self.object), **kwargs)
