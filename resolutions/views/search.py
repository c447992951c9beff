"""The search page: resolutions, paragraphs and notes found by their words."""

from django.views.generic import TemplateView

from resolutions import search
from resolutions.forms import SearchForm


class SearchView(TemplateView):
    template_name = "resolutions/search.html"
    per_group = 10  # hits of each kind when every kind is shown
    per_page = 20  # hits on a page of one kind

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET)
        context = {"form": form, "query": "", "groups": [], "suggestion": "", "kind": ""}
        if form.is_valid() and form.cleaned_data["q"]:
            data = form.cleaned_data
            kind = data["kind"]
            groups = search.search_all(
                data["q"],
                limit=self.per_page if kind else self.per_group,
                kinds=[kind] if kind else None,
                page=self.request.GET.get("page", 1),
                body=data["body"],
                session=data["session"],
            )
            # Nothing found by the words themselves: perhaps a misspelling.
            if all(group.total == 0 or group.fuzzy for group in groups):
                context["suggestion"] = search.suggest(data["q"])
            context.update(
                query=data["q"], groups=groups, kind=kind, narrowed=data["body"] or data["session"]
            )
        elif form.is_bound and "q" in form.errors:
            context["query"] = self.request.GET.get("q", "")
        return super().get_context_data(**context, **kwargs)
