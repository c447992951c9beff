"""Schemathesis hooks for .ci/schemathesis (SCHEMATHESIS_HOOKS=tests.schemathesis_hooks).

The API's lists answer CSV too (resolutions/api/renderers.py), and the schema describes that CSV as
rows keyed by its header line, every cell text (resolutions/api/schema.py). This reads a CSV response
that way, so that schemathesis checks it against the schema like any JSON response.
"""

import csv
import io

import schemathesis

EXTRA = "(cells beyond the header)"


@schemathesis.deserializer("text/csv")
def csv_rows(ctx, response):
    text = response.content.decode("utf-8")
    if not text.strip():
        raise ValueError("an empty CSV body: even a list without rows has its header line")
    # A row with fewer cells than the header gets None (not text), one with more an EXTRA key: the
    # schema's "type: string" and "additionalProperties: false" then refuse it.
    return list(csv.DictReader(io.StringIO(text, newline=""), restkey=EXTRA, restval=None))
