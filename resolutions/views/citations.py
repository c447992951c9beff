"""Citations: what a resolution cites and what cites it (a graph and the full lists), and the
resolutions most cited, in a session or overall."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import TemplateView

from resolutions.citations import citation_graph, cited_documents, citing_resolutions
from resolutions.filters import MostCitedFilter
from resolutions.models import Resolution
from resolutions.views.common import FilteredListView


class CitationsView(TemplateView):
    """A resolution's citations: the graph (the first few each way) and, beside it, the full lists,
    each paginated on its own (?cites_page=, ?cited_by_page=)."""

    template_name = "resolutions/resolution_citations.html"
    graph_shown = 10  # nodes in each column; "and N more" links to the list
    per_page = 50

    def page(self, rows, param, anchor):
        """The page of ``rows`` that ?``param``= asks for (the last for a number past it, the first for
        anything else), with links to its neighbours that keep the other list's page."""
        page = Paginator(rows, self.per_page).get_page(self.request.GET.get(param))

        def link(number):
            query = self.request.GET.copy()
            query[param] = number
            return f"?{query.urlencode()}#{anchor}"

        page.previous_url = link(page.previous_page_number()) if page.has_previous() else ""
        page.next_url = link(page.next_page_number()) if page.has_next() else ""
        return page

    def get_context_data(self, **kwargs):
        resolution = get_object_or_404(
            Resolution.objects.only("symbol", "title", "body", "session"), symbol=kwargs["symbol"]
        )
        cites = self.page(cited_documents(resolution), "cites_page", "cites-heading")
        cited_by = self.page(citing_resolutions(resolution), "cited_by_page", "cited-by-heading")
        # The graph shows the start of each list: the rows of the first page when it is the one shown.
        graph_cites = (cites if cites.number == 1 else cited_documents(resolution))[: self.graph_shown]
        graph_cited_by = (cited_by if cited_by.number == 1 else citing_resolutions(resolution))[
            : self.graph_shown
        ]
        graph = citation_graph(
            resolution,
            list(graph_cites),
            cites.paginator.count,
            list(graph_cited_by),
            cited_by.paginator.count,
            cites_more_url="#cites-heading",
            cited_by_more_url="#cited-by-heading",
        )
        return super().get_context_data(
            resolution=resolution,
            graph=graph,
            cites=cites,
            cited_by=cited_by,
            api_url=reverse("api:resolution-citations", kwargs={"symbol": resolution.symbol}),
            **kwargs,
        )


class MostCitedView(FilteredListView):
    """Resolutions ranked by how many resolutions held here cite them, in a session or overall."""

    template_name = "resolutions/most_cited.html"
    results_template_name = "includes/_most_cited_results.html"
    filterset_class = MostCitedFilter
    paginate_by = 25
    labels = {"session": gettext_lazy("Session"), "body": pgettext_lazy("UN organ", "Body")}
    help_texts = {"session": gettext_lazy("e.g. 77; for the Security Council, a year")}

    def get_base_queryset(self):
        return Resolution.objects.most_cited().only("symbol", "title", "body", "session", "adopted_on")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context["first_rank"] = page.start_index() if page else 1
        context["api_url"] = reverse("api:most-cited")
        return context
