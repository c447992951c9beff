"""CSV for every list, streamed row by row.

A small renderer on the standard csv module rather than djangorestframework-csv: that package
has not been released since 2020 and renders the whole response in memory, while an export must
stream (the list view hands StreamingHttpResponse an iterator over the queryset).
"""

import csv

from rest_framework.renderers import BaseRenderer


class _Echo:
    """A file-like object whose write() returns what it was given, for csv.writer."""

    def write(self, value):
        return value


def flatten(value):
    """One cell: lists joined with "; ", nested objects by their most human key, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        for key in ("citation", "symbol", "alpha3", "slug", "label", "title", "name", "id"):
            if key in value:
                return flatten(value[key])
        return "; ".join(f"{key}={flatten(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return "; ".join(flatten(item) for item in value)
    return str(value)


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        """A non-streamed body: error payloads (400, 404, 429) and anything not a list."""
        rows = data.get("results", data) if isinstance(data, dict) else data
        if isinstance(rows, dict):
            rows = [rows]
        rows = list(rows or [])
        header = list(rows[0]) if rows else []
        return "".join(stream_rows(header, rows)).encode(self.charset)


def stream_rows(header, rows):
    """Yield CSV lines: the header, then one line per serialized row (dicts with the header's keys)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([flatten(row.get(key)) for key in header])
