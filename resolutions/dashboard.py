"""Progress at a glance: the figures of the dashboards (one per resolution, one overall) and of their API.

Every figure is read from published notes as the notes list filters them (resolutions.filters.NoteFilter
applied to published() notes: the caller passes the filtered QuerySet) and published assessments, with
GROUP BY queries whose number does not depend on how many notes there are. What comes back is plain
data (dicts, lists, dates), so that it can be kept in the shared cache (resolutions.cache.remember)
until public content changes, and drawn (resolutions.charts) or serialized (the API) from there.

Which operative paragraphs a dashboard counts (its "scope"): a resolution's (its dashboard, or the
filter ``resolution``); else those of every tracked resolution (one with a published note or
assessment); narrowed by the filter ``paragraph``. A paragraph's status is its own (its newest
published assessment), whatever notes are filtered; its activity is its filtered notes and its
assessments.
"""

from __future__ import annotations

import datetime
import hashlib
from urllib.parse import urlencode

from django import forms
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce, Greatest, RowNumber, TruncMonth
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from resolutions.cache import remember
from resolutions.models import (
    Assessment,
    AssessmentStatus,
    ImplementationNote,
    ImplementationNoteQuerySet,
    Paragraph,
    Resolution,
)

IDLE_PERIODS = {3: _("3 months"), 6: _("6 months"), 12: _("12 months"), 24: _("2 years")}
DEFAULT_IDLE_MONTHS = 6
MONTHS_SHOWN = 36  # notes over time: the latest three years of months with notes
TOP = 15  # countries, themes, partners: the ones with the most notes
RECENT = 8  # the newest notes
IDLE_SHOWN = 25  # paragraphs without activity, longest idle first; the count says how many in all
EVENTS_PER_PARAGRAPH = 12  # a paragraph's small timeline: its newest notes, and newest assessments


class IdlePeriodForm(forms.Form):
    """ "No activity for": a GET parameter, ``idle``, in months."""

    idle = forms.TypedChoiceField(
        label=_("No activity for"),
        choices=[(str(months), label) for months, label in IDLE_PERIODS.items()],
        coerce=int,
        required=False,
        empty_value=DEFAULT_IDLE_MONTHS,
        help_text=_("Paragraphs with no published note or assessment in this period."),
    )

    def __init__(self, data=None, **kwargs):
        # Always bound: without ?idle= the default period is the one chosen (and shown chosen).
        super().__init__({"idle": (data or {}).get("idle") or str(DEFAULT_IDLE_MONTHS)}, **kwargs)

    def months(self):
        """The period chosen, or the default one if what was asked for is not offered."""
        return self.cleaned_data["idle"] if self.is_valid() else DEFAULT_IDLE_MONTHS


def months_before(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return datetime.date(year, month + 1, min(day.day, 28))


NOT_ASSESSED = _("Not assessed")
STATUSES = [(status.value, status.label) for status in AssessmentStatus] + [("", NOT_ASSESSED)]


def status_label(status):
    """A status's name in the active language ("Not assessed" for none). The figures are cached for
    every language: pages name a status from its key when they show it."""
    return str(AssessmentStatus(status).label if status else NOT_ASSESSED)


def tracked_resolutions():
    notes = ImplementationNote.paragraphs.through.objects.filter(
        ImplementationNoteQuerySet.visible(prefix="implementationnote__"),
        paragraph__resolution=OuterRef("pk"),
    )
    assessed = Assessment.objects.published().filter(paragraph__resolution=OuterRef("pk"))
    return Resolution.objects.filter(Exists(notes) | Exists(assessed))


def scope(symbol="", paragraph_number=""):
    """The operative paragraphs a dashboard counts (see the module's docstring): those of the
    resolution `symbol`, else of every tracked resolution; numbered `paragraph_number` if given."""
    paragraphs = Paragraph.objects.operative()
    if symbol:
        paragraphs = paragraphs.filter(resolution__symbol=symbol)
    else:
        paragraphs = paragraphs.filter(resolution__in=tracked_resolutions())
    if paragraph_number:
        paragraphs = paragraphs.at_address(paragraph_number)
    return paragraphs


def _note_ids(notes):
    return notes.order_by().values("pk")


def _ranked(relation, notes, fields):
    """{name, key, count} of the TOP rows of a note's `relation` with the most of `notes` (and `short`,
    from a third field if named): one GROUP BY."""
    field = ImplementationNote._meta.get_field(relation)
    target = field.m2m_reverse_field_name()
    rows = (
        field.remote_field.through.objects.filter(implementationnote__in=_note_ids(notes))
        .values(*(f"{target}__{name}" for name in fields))
        .annotate(count=Count("implementationnote"))
        .order_by("-count", f"{target}__{fields[0]}")[:TOP]
    )
    return [
        {
            "name": row[f"{target}__{fields[0]}"],
            "key": row[f"{target}__{fields[1]}"],
            "count": row["count"],
            **({"short": row[f"{target}__{fields[2]}"]} if len(fields) > 2 else {}),
        }
        for row in rows
    ]


def status_counts(paragraphs):
    """[{status, label, count}] in the order of AssessmentStatus, then "Not assessed": one GROUP BY."""
    counted = dict(
        paragraphs.with_current_status()
        .order_by()
        .values("current_status")
        .annotate(count=Count("pk"))
        .values_list("current_status", "count")
    )
    return [{"status": key, "label": label, "count": counted.get(key or None, 0)} for key, label in STATUSES]


def notes_by_month(notes):
    """{first day of month: number of notes starting in it}, the latest MONTHS_SHOWN months with notes,
    and how many notes are older than those."""
    rows = list(
        notes.order_by()
        .annotate(month=TruncMonth("start_date"))
        .values("month")
        .annotate(count=Count("pk"))
        .values_list("month", "count")
    )
    rows.sort()
    months = {_as_date(month): count for month, count in rows}
    if not months:
        return {}, 0
    latest = max(months)
    first = months_before(latest, MONTHS_SHOWN - 1).replace(day=1)
    shown = {month: count for month, count in months.items() if month >= first}
    return shown, sum(count for month, count in months.items() if month < first)


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def last_activity(paragraphs, notes):
    """Annotate `paragraphs` with their newest filtered note's date (last_note), newest published
    assessment's (current_status_as_of, with current_status) and the later of the two (last_activity)."""
    newest_note = notes.filter(paragraphs=OuterRef("pk")).order_by("-start_date").values("start_date")[:1]
    return (
        paragraphs.with_current_status()
        .annotate(last_note=Subquery(newest_note))
        .annotate(
            last_activity=Greatest(
                Coalesce("last_note", "current_status_as_of"), Coalesce("current_status_as_of", "last_note")
            )
        )
    )


def idle_paragraphs(paragraphs, notes, months, today):
    """The paragraphs in scope with no activity since `months` months before `today`, never active
    first: how many, and the first IDLE_SHOWN of them."""
    since = months_before(today, months)
    idle = last_activity(paragraphs, notes).filter(Q(last_activity__lt=since) | Q(last_activity__isnull=True))
    count = idle.count()
    shown = (
        idle.select_related("resolution")
        .only("resolution__symbol", "resolution__title", "kind", "number", "section", "annex", "parent")
        .order_by(F("last_activity").asc(nulls_first=True), "resolution__sort_key", "order")[:IDLE_SHOWN]
    )
    return {
        "months": months,
        "since": since,
        "count": count,
        "paragraphs": [
            {
                "resolution": paragraph.resolution.symbol,
                "paragraph": paragraph.address,
                "url": paragraph.get_absolute_url(),
                "status": paragraph.current_status or "",
                "last_activity": paragraph.last_activity,
            }
            for paragraph in shown
        ],
    }


def recent_notes(notes):
    """The notes published most recently: a published note's last change is its publication, since
    any edit sends it back to review (the index on state and updated_at serves the order)."""
    rows = notes.order_by("-updated_at", "-pk").values_list("pk", "title", "start_date", "updated_at")
    return [
        {
            "id": pk,
            "title": title,
            "start_date": start,
            "published_at": published,
            "url": ImplementationNote(pk=pk).get_absolute_url(),
        }
        for pk, title, start, published in rows[:RECENT]
    ]


def overview(notes, paragraphs, idle_months=DEFAULT_IDLE_MONTHS, today=None):
    """Every figure of the overall dashboard (the per-resolution one adds its paragraphs)."""
    today = today or timezone.localdate()
    months, earlier = notes_by_month(notes)
    return {
        "note_count": notes.order_by().count(),
        "paragraph_count": paragraphs.count(),
        "statuses": status_counts(paragraphs),
        "months": months,
        "earlier_notes": earlier,
        "countries": _ranked("countries", notes, ("name", "alpha3")),
        "themes": _ranked("themes", notes, ("name", "slug")),
        "partners": _ranked("entities", notes, ("name", "slug", "short_name")),
        "recent": recent_notes(notes),
        "idle": idle_paragraphs(paragraphs, notes, idle_months, today),
    }


def paragraph_progress(resolution, paragraphs, notes):
    """Each operative paragraph of `resolution` in scope, in reading order: its status, last activity,
    number of (filtered) published notes and its newest notes and assessments for a small timeline.
    Four queries, whatever the number of paragraphs and notes."""
    rows = list(last_activity(paragraphs, notes).order_by("order"))
    links = ImplementationNote.paragraphs.through.objects.filter(
        paragraph__in=[row.pk for row in rows], implementationnote__in=_note_ids(notes)
    )
    counts = dict(
        links.values("paragraph_id").annotate(count=Count("pk")).values_list("paragraph_id", "count")
    )
    newest = Window(
        RowNumber(),
        partition_by=F("paragraph_id"),
        order_by=[F("implementationnote__start_date").desc(), F("implementationnote_id").desc()],
    )
    events = {row.pk: [] for row in rows}
    for paragraph_id, pk, title, start in (
        links.annotate(newest=newest)
        .filter(newest__lte=EVENTS_PER_PARAGRAPH)
        .values_list(
            "paragraph_id",
            "implementationnote_id",
            "implementationnote__title",
            "implementationnote__start_date",
        )
    ):
        events[paragraph_id].append(
            {
                "kind": "note",
                "date": start,
                "label": title,
                "url": ImplementationNote(pk=pk).get_absolute_url(),
            }
        )
    newest_assessments = Window(
        RowNumber(), partition_by=F("paragraph_id"), order_by=[F("as_of").desc(), F("pk").desc()]
    )
    for paragraph_id, status, as_of in (
        Assessment.objects.published()
        .filter(paragraph__in=[row.pk for row in rows])
        .annotate(newest=newest_assessments)
        .filter(newest__lte=EVENTS_PER_PARAGRAPH)
        .values_list("paragraph_id", "status", "as_of")
    ):
        events[paragraph_id].append(
            {
                "kind": "assessment",
                "date": as_of,
                "status": status,
                "label": AssessmentStatus(status).label,
                "url": "",
            }
        )
    progress = []
    for row in rows:
        row.resolution = resolution
        progress.append(
            {
                "paragraph": row.address,
                "number": row.address,  # what the notes list's ?paragraph= reads ("3", "II.3"), as on the paragraph page
                "url": row.get_absolute_url(),
                "lead_phrase": row.lead_phrase,
                "status": row.current_status or "",
                "status_as_of": row.current_status_as_of,
                "last_activity": row.last_activity,
                "note_count": counts.get(row.pk, 0),
                "events": sorted(events[row.pk], key=lambda event: event["date"]),
            }
        )
    return progress


def cache_key(scope, data):
    """The filters in use, whatever their order in the address, as a short key."""
    pairs = sorted((name, str(value).strip()) for name, value in data.items() if str(value).strip())
    return f"dashboard:{scope}:" + hashlib.sha256(urlencode(pairs).encode()).hexdigest()


def figures(notes, paragraphs, idle_months, filters, resolution=None):
    """The figures of a dashboard (with its paragraphs for `resolution`'s), kept in the shared cache
    under the `filters` used (the raw values, by name) until public content changes."""

    def compute():
        found = overview(notes, paragraphs, idle_months)
        if resolution is not None:
            found["paragraphs"] = paragraph_progress(resolution, paragraphs, notes)
        return found

    # Today too: a paragraph becomes idle as days pass, without any change to the data. And the
    # language: the figures hold links to pages, which are under its prefix (/ru/…).
    filters = {
        **filters,
        "idle": idle_months,
        "today": timezone.localdate().isoformat(),
        "language": translation.get_language() or "",
    }
    key = cache_key(resolution.symbol if resolution else "all", filters)
    return remember(key, compute)
