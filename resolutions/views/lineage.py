"""A resolution's lineage: the series it belongs to, and what changed since its predecessor."""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from resolutions.models import ParagraphAlignment, ParagraphChange, Resolution, Series, SeriesLink


def predecessor_link(resolution):
    """Its SeriesLink (select_related "predecessor_link__predecessor" first), or None."""
    try:
        return resolution.predecessor_link
    except SeriesLink.DoesNotExist:
        return None


def alignments_of(resolution):
    """Its paragraphs aligned with its predecessor's, in order, with what their labels need."""
    return (
        ParagraphAlignment.objects.filter(resolution=resolution)
        .select_related(
            "paragraph__parent__parent",
            "predecessor_paragraph__parent__parent",
            "predecessor_paragraph__resolution",
        )
        .order_by("order")
    )


class ResolutionChangesView(ListView):
    """ "What changed since 75/272": each paragraph of a resolution beside its counterpart in its
    predecessor, word by word."""

    template_name = "resolutions/resolution_changes.html"
    context_object_name = "alignments"
    paginate_by = 100

    def get_queryset(self):
        self.resolution = get_object_or_404(
            Resolution.objects.select_related("series", "predecessor_link__predecessor"),
            symbol=self.kwargs["symbol"],
        )
        return alignments_of(self.resolution)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for row in context["alignments"]:
            if row.paragraph_id:
                row.paragraph.resolution = self.resolution  # its link costs no query
        counts = dict(
            ParagraphAlignment.objects.filter(resolution=self.resolution)
            .values_list("change")
            .annotate(n=Count("pk"))
            .values_list("change", "n")
        )
        link = predecessor_link(self.resolution)
        return {
            **context,
            "resolution": self.resolution,
            "link": link,
            "predecessor": link.predecessor if link else None,
            "counts": [(label, counts.get(value, 0)) for value, label in ParagraphChange.choices],
        }


class SeriesDetailView(ListView):
    """A series: its resolutions in the order they were adopted, each with what it follows."""

    template_name = "resolutions/series_detail.html"
    context_object_name = "resolutions"
    paginate_by = 50

    def get_queryset(self):
        self.series = get_object_or_404(Series, slug=self.kwargs["slug"])
        return self.series.resolutions.select_related("predecessor_link__predecessor").order_by(
            "adopted_on", "sort_key"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for resolution in context["resolutions"]:
            resolution.link = predecessor_link(resolution)
        return {**context, "series": self.series}
