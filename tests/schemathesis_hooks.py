"""Schemathesis hooks for .ci/schemathesis (SCHEMATHESIS_HOOKS=tests.schemathesis_hooks).

The API's lists answer CSV too (resolutions/api/renderers.py), and the schema describes that CSV as
rows keyed by its header line, every cell text (resolutions/api/schema.py). This reads a CSV response
that way, so that schemathesis checks it against the schema like any JSON response.

A note is written with ids and codes that must name rows of the database, and changed with the
version its writer loaded; no schema can say which. .ci/schemathesis lists rows of its seeded
database in SCHEMATHESIS_KNOWN_VALUES (a JSON file), and about half of the valid drawn writes use
them, as a client would; the other half keep the drawn values, so unknown ids are still tried.
"""

import csv
import io
import json
import os
import zlib
from pathlib import Path

import requests
import schemathesis
from schemathesis import GenerationMode

EXTRA = "(cells beyond the header)"
NOTES = "/api/v1/notes/"
NOTE = "/api/v1/notes/{id}/"


@schemathesis.deserializer("text/csv")
def csv_rows(ctx, response):
    text = response.content.decode("utf-8")
    if not text.strip():
        raise ValueError("an empty CSV body: even a list without rows has its header line")
    # A row with fewer cells than the header gets None (not text), one with more an EXTRA key: the
    # schema's "type: string" and "additionalProperties: false" then refuse it.
    return list(csv.DictReader(io.StringIO(text, newline=""), restkey=EXTRA, restval=None))


def known_values():
    """{"paragraphs": [ids], "countries": [codes], "themes": [slugs], "entities": [slugs], "note": id}"""
    path = os.environ.get("SCHEMATHESIS_KNOWN_VALUES")
    return json.loads(Path(path).read_text()) if path else {}


KNOWN = known_values()


def pick(values, drawn):
    """One of the known values, chosen by the drawn one (so drawn lists keep their variety)."""
    return values[zlib.crc32(repr(drawn).encode("utf-8", "surrogatepass")) % len(values)]


def chosen(case):
    """About half of the draws, the same ones on every run."""
    drawn = repr((case.path_parameters, case.body)).encode("utf-8", "surrogatepass")
    return zlib.crc32(drawn) % 2 == 0


@schemathesis.hook
def map_case(ctx, case):
    writing = (case.method, case.operation.path) in (("POST", NOTES), ("PATCH", NOTE))
    positive = case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE
    if not (KNOWN and writing and positive and isinstance(case.body, dict) and chosen(case)):
        return case
    for field in ("paragraphs", "countries", "themes", "entities"):
        if isinstance(case.body.get(field), list):
            case.body[field] = [pick(KNOWN[field], drawn) for drawn in case.body[field]]
    if case.method == "PATCH":
        case.path_parameters["id"] = KNOWN["note"]
    return case


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    """A change of the known note sends the version it has now, loaded just before (as a client does)."""
    if not (KNOWN and case.method == "PATCH" and case.operation.path == NOTE):
        return
    if case.path_parameters.get("id") != KNOWN["note"] or not isinstance(case.body, dict):
        return
    if type(case.body.get("version")) is not int:  # absent (a 428) or of another type (a 400): as drawn
        return
    schema = case.operation.schema
    response = requests.get(
        f"{schema.get_base_url().rstrip('/')}{NOTES}{KNOWN['note']}/",
        headers=schema.config.headers_for(operation=case.operation),
        timeout=10,
    )
    response.raise_for_status()
    case.body["version"] = response.json()["version"]
