"""Progress at a glance: the overall dashboard and one per resolution, filtered like the notes list.

The figures come from resolutions.dashboard, kept in the shared cache under the filters' query until
public content changes; the charts are drawn from them here (resolutions.charts), as SVG with tables.
"""

from urllib.parse import urlencode

from django import forms
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resolutions import charts, dashboard
from resolutions.models import ImplementationNote, Resolution
from resolutions.views.notes import NoteListView


def draw(figures, notes_url, prefix=""):
    """The charts of the figures: SVG and tables; `notes_url(name, key)` links a row to its notes."""
    # Labels from the status keys, in the interface's language (the figures are cached for all of them).
    statuses = [
        (row["status"], dashboard.status_label(row["status"]), row["count"]) for row in figures["statuses"]
    ]
    drawn = {
        "statuses": charts.status_bar(f"{prefix}statuses", _("Operative paragraphs by status"), statuses),
        "months": charts.month_columns(f"{prefix}months", _("Published notes by month"), figures["months"]),
    }
    for name, title, column, parameter in RANKED:
        items = [
            (row["name"], row["count"], notes_url(parameter, row["key"].lower()), row.get("short", ""))
            for row in figures[name]
        ]
        drawn[name] = charts.bar_list(f"{prefix}{name}", str(title), items, label_column=str(column))
    return drawn


# The ranked figures: their chart's title, their table's first column, the notes list's parameter
# (whose codes and slugs links write in lower case).
RANKED = [
    ("countries", gettext_lazy("Notes by country"), gettext_lazy("Country"), "country"),
    ("themes", gettext_lazy("Notes by theme"), gettext_lazy("Theme"), "theme"),
    ("partners", gettext_lazy("Notes by partner"), gettext_lazy("Partner"), "entity"),
]


def paragraph_strip(row, index):
    events = []
    for event in row["events"]:
        # An assessment's label is its status's, in the interface's language (the figures are cached).
        status_label = dashboard.status_label(event["status"]) if event["kind"] == "assessment" else ""
        events.append(
            charts.Event(
                date=event["date"],
                kind=event["kind"],
                label=status_label or event["label"],
                status=event.get("status", ""),
                status_label=status_label,
                href=event["url"],
            )
        )
    return charts.timeline_strip(
        f"strip-{index}",
        _("Timeline of op %(paragraph)s") % {"paragraph": row["paragraph"]},
        events,
        width=240,
        compact=True,
    )


class OverallDashboardView(NoteListView):
    """Every tracked resolution's progress; the notes list's filters narrow it."""

    template_name = "resolutions/dashboard.html"
    results_template_name = "resolutions/dashboard.html"  # htmx keeps its #results
    paginate_by = None
    resolution = None

    def get_base_queryset(self):
        return ImplementationNote.objects.published()

    @cached_property
    def filterset(self):
        filterset = super().filterset
        # The figures have no order: the notes list's "Sort by" has nothing to do here.
        filterset.form.fields.pop("ordering", None)
        return filterset

    @cached_property
    def idle_form(self):
        return dashboard.IdlePeriodForm(self.request.GET)

    def idle_months(self):
        return self.idle_form.months()

    def filter_query(self, **changes):
        """The address's query with `changes` (a value of None removes), for links."""
        params = self.request.GET.copy()
        params.pop("page", None)
        for name, value in changes.items():
            params.pop(name, None)
            if value is not None:
                params[name] = value
        return params.urlencode()

    def notes_url(self, name=None, value=None):
        """The notes list with these filters (and one more: `name`=`value`)."""
        data = self.filterset.data or {}
        params = {key: data[key] for key in self.filterset.form.fields if data.get(key)}
        if name:
            params[name] = value
        query = urlencode(params)
        return reverse("resolutions:note-list") + (f"?{query}" if query else "")

    def api_url(self):
        query = self.filter_query()
        if self.resolution:
            address = reverse("api:resolution-dashboard", kwargs={"symbol": self.resolution.symbol})
        else:
            address = reverse("api:dashboard")
        return address + (f"?{query}" if query else "")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            return context
        data = self.filterset.data or {}
        idle = self.idle_months()
        used = {name: data.get(name, "") for name in self.filterset.form.fields}
        cleaned = self.filterset.form.cleaned_data if self.filterset.is_bound else {}
        paragraphs = dashboard.scope(cleaned.get("resolution") or "", cleaned.get("paragraph") or "")
        figures = dashboard.figures(self.object_list, paragraphs, idle, used, self.resolution)
        context.update(
            figures=figures,
            charts=draw(figures, self.notes_url),
            idle_form=self.idle_form,
            idle_hidden=[
                (name, value)
                for name, value in self.request.GET.items()
                if name not in ("idle", "page") and value
            ],
            notes_link=self.notes_url(),
            filter_hidden=[("idle", self.request.GET["idle"])] if self.request.GET.get("idle") else [],
            paragraph_rows=[
                {
                    **row,
                    "events": [
                        {**event, "label": dashboard.status_label(event["status"])}
                        if event["kind"] == "assessment"
                        else event
                        for event in row["events"]
                    ],
                    "strip": paragraph_strip(row, index),
                    "notes_url": self.notes_url("paragraph", row["number"]),
                }
                for index, row in enumerate(figures.get("paragraphs", []))
            ],
            top=dashboard.TOP,
            events_shown=dashboard.EVENTS_PER_PARAGRAPH,
            api_url=self.api_url(),
        )
        return context


class ResolutionDashboardView(OverallDashboardView):
    """One resolution's progress: every operative paragraph, and its notes' figures."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.resolution = get_object_or_404(
            Resolution.objects.only("symbol", "title"), symbol=kwargs["symbol"]
        )

    def filter_data(self):
        data = super().filter_data() or self.request.GET.copy()
        data["resolution"] = self.resolution.symbol
        return data

    @cached_property
    def filterset(self):
        filterset = super().filterset
        filterset.form.fields["resolution"].widget = forms.HiddenInput()
        return filterset

    def active_filters(self):
        return [
            chip
            for chip in super().active_filters()
            if chip["label"] != self.filterset.form.fields["resolution"].label
        ]
