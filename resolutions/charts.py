"""Charts drawn on the server as SVG, each with the table of its data: pure functions over plain data
(no database, no request), so that a page shows them without JavaScript and tests read them as text.

Every chart is a Chart: an SVG with role="img", labelled by its <title> and described by its <desc>, text labels on
what it draws (never colour alone), and the same figures as `columns` and `rows` for the table that
templates/includes/_chart.html puts under it. The SVG scales to its box (viewBox, no fixed size) and
carries its colours as attributes: the Content-Security-Policy allows no inline style.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# The colours of the status badges (static/css/tracker.css), each readable on white (WCAG AA).
STATUS_COLOURS = {
    "not_started": "#8a1c1c",
    "in_progress": "#7a4b00",
    "ongoing": "#0b4f8a",
    "implemented": "#1d6b32",
    "": "#555e69",
}
BAR = "#0b5cad"
INK = "#1b1f24"
MUTED = "#4a5360"
LINE = "#d5dbe3"
FONT = 'font-family="system-ui, sans-serif"'


@dataclass
class Cell:
    text: str
    href: str = ""


@dataclass
class Chart:
    id: str  # unique on the page: the SVG's <title> and <desc> ids derive from it
    title: str
    description: str  # what the chart says, in a sentence: the <desc>
    svg: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)

    def __str__(self):
        return self.svg


def _label(text, limit):
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _svg(chart_id, title, description, width, height, body):
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" {FONT}>'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>{"".join(body)}</svg>'
    )


def _number(value):
    """A whole number as the interface's language groups it: "1,234" in English."""
    return number_format(value, force_grouping=True)


def _count(value, unit):
    if unit == "note":
        return ngettext("%(count)s note", "%(count)s notes", value) % {"count": _number(value)}
    return f"{_number(value)} {unit if value == 1 else unit + 's'}"


def _units(unit):
    """A table's heading for the counts: "Notes"."""
    return _("Notes") if unit == "note" else f"{unit.capitalize()}s"


def _day(value):
    """A date as the interface's language writes it: "1 March 2023" (tracker/formats/en/formats.py)."""
    return date_format(value)


def _month(value):
    """A month as the interface's language writes it: "March 2023"."""
    return date_format(value, "YEAR_MONTH_FORMAT")


def _short_month(value):
    """A month's short name: "Mar"."""
    return date_format(value, "M")


def bar_list(chart_id, title, items, unit="note", label_column="", label_width=175, width=440):
    """Horizontal bars, longest first as given: `items` are (label, value) or (label, value, href), or
    (label, value, href, short label): the short one (an acronym) is drawn, the label in the table."""
    shorts = [item[3] if len(item) > 3 else "" for item in items]
    items = [(item[0], item[1], item[2] if len(item) > 2 else "") for item in items]
    row_height, top = 24, 4
    height = top + row_height * max(len(items), 1) + 4
    largest = max((value for _label, value, _href in items), default=0) or 1
    room = width - label_width - 60
    body = []
    for index, ((label, value, _href), short) in enumerate(zip(items, shorts, strict=True)):
        y = top + index * row_height
        length = max(round(room * value / largest), 1 if value else 0)
        body.append(
            f'<text x="{label_width - 6}" y="{y + 16}" text-anchor="end" font-size="12" fill="{INK}">'
            f"{escape(_label(short or label, 22))}</text>"
            f'<rect x="{label_width}" y="{y + 4}" width="{length}" height="16" fill="{BAR}"/>'
            f'<text x="{label_width + length + 5}" y="{y + 16}" font-size="12" fill="{INK}">'
            f"{_number(value)}</text>"
        )
    if not items:
        body.append(f'<text x="0" y="18" font-size="12" fill="{MUTED}">{escape(_("None."))}</text>')
    description = (
        "; ".join(
            _("%(label)s: %(count)s") % {"label": label, "count": _count(value, unit)}
            for label, value, _href in items
        )
        + "."
        if items
        else _("Nothing to show.")
    )
    return Chart(
        chart_id,
        title,
        description,
        _svg(chart_id, title, description, width, height, body),
        columns=[label_column, _units(unit)],
        rows=[[Cell(str(label), href), Cell(_number(value))] for label, value, href in items],
    )


def month_span(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first days of every month from `first`'s to `last`'s, both included."""
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(datetime.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_columns(chart_id, title, counts, unit="note", width=420):
    """One column a month, months without any shown as empty: `counts` is {first day of month: n}."""
    months = month_span(min(counts), max(counts)) if counts else []
    height, bottom, left, top = 180, 140, 36, 14
    largest = max(counts.values(), default=0) or 1
    step = (width - left - 4) / max(len(months), 1)
    body = [
        f'<line x1="{left}" y1="{bottom}" x2="{width - 2}" y2="{bottom}" stroke="{MUTED}"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" font-size="11" fill="{MUTED}">'
        f"{_number(largest)}</text>",
        f'<text x="{left - 4}" y="{bottom}" text-anchor="end" font-size="11" fill="{MUTED}">0</text>',
    ]
    every = max(1, round(len(months) / 8))
    for index, month in enumerate(months):
        value = counts.get(month, 0)
        x = left + index * step
        column = (bottom - top) * value / largest
        if value:
            body.append(
                f'<rect x="{x + step * 0.1:.1f}" y="{bottom - column:.1f}" width="{max(step * 0.8, 1):.1f}" '
                f'height="{column:.1f}" fill="{BAR}"/>'
            )
        if index % every == 0 or index == len(months) - 1 and len(months) < 3:
            body.append(
                f'<text x="{x + step / 2:.1f}" y="{bottom + 16}" text-anchor="middle" font-size="11" '
                f'fill="{INK}">{escape(_short_month(month))}</text>'
                f'<text x="{x + step / 2:.1f}" y="{bottom + 30}" text-anchor="middle" font-size="11" '
                f'fill="{MUTED}">{month:%Y}</text>'
            )
    if months:
        busiest = max(months, key=lambda month: counts.get(month, 0))
        description = _("%(count)s from %(first)s to %(last)s; the most in %(busiest)s (%(most)s).") % {
            "count": _count(sum(counts.values()), unit),
            "first": _month(months[0]),
            "last": _month(months[-1]),
            "busiest": _month(busiest),
            "most": _number(counts[busiest]),
        }
    else:
        description = _("Nothing to show.")
        body.append(
            f'<text x="{left}" y="{bottom - 10}" font-size="12" fill="{MUTED}">{escape(_("None."))}</text>'
        )
    return Chart(
        chart_id,
        title,
        description,
        _svg(chart_id, title, description, width, height, body),
        columns=[_("Month"), _units(unit)],
        rows=[[Cell(_month(month)), Cell(_number(counts[month]))] for month in months if counts.get(month)],
    )


def status_bar(chart_id, title, counts, width=420):
    """One bar cut in parts, a part a status: `counts` are (status key, label, n) in the order shown.
    Each part is named in the legend under it, with its count."""
    total = sum(n for _key, _label, n in counts)
    shown = [(key, label, n) for key, label, n in counts if n]
    height = 34 + 20 * len(counts)
    body, x = [], 0.0
    for key, _label, n in shown:
        part = width * n / total
        body.append(
            f'<rect x="{x:.1f}" y="2" width="{part:.1f}" height="24" fill="{STATUS_COLOURS.get(key, MUTED)}" '
            f'stroke="#fff"/>'
        )
        x += part
    for index, (key, label, n) in enumerate(counts):
        y = 44 + 20 * index
        share = f" ({round(100 * n / total)}%)" if total else ""
        body.append(
            f'<rect x="0" y="{y - 11}" width="12" height="12" fill="{STATUS_COLOURS.get(key, MUTED)}"/>'
            f'<text x="18" y="{y}" font-size="12" fill="{INK}">{escape(label)}: {_number(n)}{share}</text>'
        )
    # English says "paragraphs" for one too, as it always has; other languages choose their plural form.
    description = (
        ngettext(
            "%(count)s operative paragraphs: %(statuses)s.",
            "%(count)s operative paragraphs: %(statuses)s.",
            total,
        )
        % {
            "count": _number(total),
            "statuses": "; ".join(f"{label} {_number(n)}" for _key, label, n in counts),
        }
        if total
        else _("No operative paragraph.")
    )
    return Chart(
        chart_id,
        title,
        description,
        _svg(chart_id, title, description, width, height, body),
        columns=[_("Status"), _("Paragraphs")],
        rows=[[Cell(label), Cell(_number(n))] for _key, label, n in counts],
    )


@dataclass
class Event:
    """A dated thing on a timeline: a published note, or an assessment (with its status)."""

    date: datetime.date
    kind: str  # "note" or "assessment"
    label: str
    status: str = ""  # an assessment's status key
    status_label: str = ""
    href: str = ""


def timeline_strip(chart_id, title, events, start=None, end=None, width=600, compact=False):
    """Events on one time axis from `start` to `end` (by default the first and last event): notes as
    circles on the line, assessments as squares above it in their status's colour, lettered with the
    status's initial so that colour is not the only sign; years marked under the axis."""
    dates = [event.date for event in events]
    start = min([start, *dates] if start else dates, default=None)
    end = max([end, *dates] if end else dates, default=None)
    height = 30 if compact else 64
    axis = 18 if compact else 38
    body = [f'<line x1="4" y1="{axis}" x2="{width - 4}" y2="{axis}" stroke="{MUTED}"/>']
    if start and end:
        days = max((end - start).days, 1)

        def x_of(date):
            return 8 + (width - 16) * (date - start).days / days

        if not compact:
            for year in range(start.year + 1, end.year + 1):
                x = x_of(datetime.date(year, 1, 1))
                body.append(
                    f'<line x1="{x:.1f}" y1="{axis - 4}" x2="{x:.1f}" y2="{axis + 4}" stroke="{MUTED}"/>'
                    f'<text x="{x:.1f}" y="{axis + 18}" text-anchor="middle" font-size="13" fill="{MUTED}">'
                    f"{year}</text>"
                )
            body.append(
                f'<text x="4" y="{axis + 18}" font-size="11" fill="{MUTED}">'
                f"{escape(date_format(start, 'M Y'))}</text>"
                if start.year == end.year
                else ""
            )
        for event in sorted(events, key=lambda event: (event.kind == "assessment", event.date)):
            x = x_of(event.date)
            if event.kind == "assessment":
                colour = STATUS_COLOURS.get(event.status, MUTED)
                size = 9 if compact else 14
                y = axis - size - (2 if compact else 6)
                body.append(
                    f'<rect x="{x - size / 2:.1f}" y="{y}" width="{size}" height="{size}" fill="{colour}"/>'
                )
                if not compact:
                    body.append(
                        f'<text x="{x:.1f}" y="{y + 11}" text-anchor="middle" font-size="10" fill="#fff">'
                        f"{escape(event.status_label[:1])}</text>"
                    )
            else:
                body.append(
                    f'<circle cx="{x:.1f}" cy="{axis}" r="{3 if compact else 4}" fill="{BAR}" '
                    f'fill-opacity="0.6" stroke="{BAR}"/>'
                )
    notes = [event for event in events if event.kind == "note"]
    assessments = [event for event in events if event.kind == "assessment"]
    parts = []
    if notes:
        parts.append(
            _("%(count)s from %(first)s to %(last)s")
            % {
                "count": _count(len(notes), "note"),
                "first": _day(min(n.date for n in notes)),
                "last": _day(max(n.date for n in notes)),
            }
        )
    for event in sorted(assessments, key=lambda event: event.date):
        parts.append(
            _("assessed %(status)s on %(date)s") % {"status": event.status_label, "date": _day(event.date)}
        )
    description = "; ".join(parts) + "." if parts else _("No published note or assessment.")
    description = description[:1].upper() + description[1:]
    return Chart(
        chart_id,
        title,
        description,
        _svg(chart_id, title, description, width, height, body),
        columns=[_("Date"), _("What")],
        rows=[
            [
                Cell(_day(event.date)),
                Cell(
                    _("Assessed: %(status)s") % {"status": event.status_label}
                    if event.kind == "assessment"
                    else event.label,
                    event.href,
                ),
            ]
            for event in sorted(events, key=lambda event: event.date)
        ],
    )
