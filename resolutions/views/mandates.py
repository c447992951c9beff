"""Mandates: the operative paragraphs by what they ask, of whom and by when (resolutions.mandates),
filtered with the API's ParagraphFilter."""

from django.db.models import Prefetch
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resolutions.filters import ParagraphFilter
from resolutions.models import Entity, Paragraph
from resolutions.views.common import FilteredListView


def mandated_paragraphs():
    """The paragraphs with mandate facts (each resolution's own operative paragraphs), with what a
    row of the mandates page shows, in a fixed number of queries."""
    return (
        Paragraph.objects.filter(mandate__isnull=False)
        .select_related("resolution", "mandate")
        .prefetch_related(
            Prefetch(
                "mandate__addressee_entities", queryset=Entity.objects.only("name", "short_name", "slug")
            )
        )
        .order_by("resolution__sort_key", "order")
    )


class MandateListView(FilteredListView):
    template_name = "resolutions/mandate_list.html"
    results_template_name = "includes/_mandate_results.html"
    filterset_class = ParagraphFilter
    context_object_name = "paragraphs"
    paginate_by = 25
    date_fields = ("report_due_from", "report_due_to")
    # Every row is an operative paragraph with its mandate (what the API is told with mandated=true).
    hidden = ("kind", "number", "lead_phrase", "mandated")
    labels = {
        "resolution": gettext_lazy("Resolution"),
        "request": gettext_lazy("What is asked"),
        "addressee": gettext_lazy("Addressed to"),
        "addressee_entity": gettext_lazy("Addressed to the entity"),
        "report_session": gettext_lazy("Report due at session"),
        "report_due_from": gettext_lazy("Report due from"),
        "report_due_to": gettext_lazy("Report due by"),
        "recurring": gettext_lazy("Recurring"),
        "q": gettext_lazy("Words"),
    }
    help_texts = {
        "resolution": gettext_lazy("Its symbol, e.g. A/RES/77/273"),
        "addressee": "",
        "addressee_entity": "",
        "report_session": gettext_lazy("e.g. 79"),
        "report_due_from": "",
        "report_due_to": "",
        "recurring": "",
        "q": "",
    }

    def get_base_queryset(self):
        return mandated_paragraphs()

    @cached_property
    def filterset(self):
        filterset = super().filterset
        # The menu offers the entities some mandate addresses; any entity's slug is still understood.
        addressed = (
            Entity.objects.filter(mandates__isnull=False).distinct().only("name", "short_name", "slug")
        )
        filterset.form.fields["addressee_entity"].widget.choices = [
            ("", _("Any")),
            *((entity.slug, str(entity)) for entity in addressed),
        ]
        return filterset
