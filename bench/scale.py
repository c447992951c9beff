#!/usr/bin/env python
"""Scale benchmark (issue 9): build a database at a chosen scale, then time every public page and
API list/detail against Datasette serving the same SQLite file and against the raw floor.

Set up once (Datasette lives in the benchmark's own environment, not in requirements.txt):

    python3 -m venv bench/.venv && bench/.venv/bin/pip install -r bench/requirements.txt

Build (run with the app's interpreter; databases live outside the repo, under /tmp/bench):

    .venv/bin/python bench/scale.py build --scale corpus                         # /tmp/bench/corpus.sqlite3
    .venv/bin/python bench/scale.py build --scale generated                      # /tmp/bench/generated.sqlite3
    .venv/bin/python bench/scale.py build --scale corpus --database postgres     # bench_corpus
    .venv/bin/python bench/scale.py build --scale generated --database postgres  # bench_generated

Measure (gunicorn, 1 sync worker, debug off, throttle off; Datasette on a copy of the file):

    .venv/bin/python bench/scale.py measure --path /tmp/bench/corpus.sqlite3 [--write]
    .venv/bin/python bench/scale.py measure --database postgres --url postgres://postgres@127.0.0.1:5432/bench_corpus

Load (N concurrent clients, gunicorn with 3 sync workers, then Datasette): see bench/load.py.

    .venv/bin/python bench/load.py --path /tmp/bench/corpus.sqlite3 [--write]

Every request goes to 127.0.0.1 only. Generated notes are published, marked is_demo=True and
titled "[generated] ..." so that nobody mistakes them for real records.
"""

import argparse
import csv
import datetime
import html
import io
import json
import math
import os
import platform
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CODE = REPO  # the app code that is run and measured: the working tree, or an exported commit (--code)
BENCH_VENV = REPO / "bench" / ".venv"
WORK = Path(os.environ.get("BENCH_DIR", "/tmp/bench"))
PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
CENTRAL_ASIA = ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
SEED_SYMBOL = "A/RES/77/273"
PAGE_SIZE = 50
PARAGRAPH_NOTES = 100  # the API's paragraph detail lists its newest 100 published notes
HTML_PAGE_SIZE = 25  # the website's lists show 25 rows a page (paginate_by); the API is asked for 50
# The implementation report's page (resolutions.implementation): its first 10 operative paragraphs,
# each with its newest 10 published notes; its JSON is paged as the API's lists.
REPORT_PARAGRAPHS = 10
REPORT_NOTES = 10
DOC_MARKER = "<!-- scale benchmark results -->"
LOAD_MARKER = "<!-- load benchmark results -->"


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def corpus_folder() -> Path:
    data = Path(os.environ.get("TRACKER_SHARED_DATA") or REPO.parent / "shared" / "data")
    folder = data / "unxml"
    if not folder.is_dir():
        sys.exit(f"{folder} is absent: the benchmark needs the UN's published XML (set TRACKER_SHARED_DATA)")
    return folder


def app_env(database_url: str) -> dict[str, str]:
    """The environment the app runs in for the benchmark: debug off, throttle off, loopback hosts."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or "bench-only-not-a-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "API_ANON_THROTTLE_RATE": "",
        "DJANGO_LOG_LEVEL": "WARNING",
        "TRACKER_ENV_FILE": "",  # a developer's .env (make setup writes one) never reaches the benchmark
    }


def database_url_of(options) -> str:
    if options.database == "postgres":
        return options.url
    return f"sqlite:///{Path(options.path).resolve()}"


def setup_django(database_url: str) -> None:
    os.environ.update(app_env(database_url))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    sys.path.insert(0, str(CODE))
    import django

    django.setup()


# ---- build ---------------------------------------------------------------------------------------


def reset_database(options) -> None:
    if options.database == "sqlite":
        path = Path(options.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = urllib.parse.urlparse(options.url).path.lstrip("/")
    if not name.startswith("bench_"):
        sys.exit(f"Refusing to drop {name!r}: benchmark databases are named bench_...")
    with psycopg.connect(f"{PG_ADMIN_URL}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def build(options) -> None:
    started = time.perf_counter()
    reset_database(options)
    database_url = database_url_of(options)
    setup_django(database_url)
    from django.core.management import call_command, get_commands

    folder = corpus_folder()
    steps = {}

    def step(name, function, *args, **kwargs):
        say(f"{name} ...")
        began = time.perf_counter()
        result = function(*args, **kwargs)
        steps[name] = time.perf_counter() - began
        say(f"{name}: {steps[name]:.1f} s")
        return result

    step("migrate", call_command, "migrate", verbosity=0)
    try:
        step("import corpus", call_command, "import_resolution", str(folder), progress=False, verbosity=0)
    except SystemExit as exit_:  # exit status 1 when some file failed: the others are in
        say(f"import_resolution exited with {exit_.code}; continuing with what loaded")
    step("load_bundled_data", call_command, "load_bundled_data", verbosity=0)
    votes = sorted((folder / "GAresolutions" / "data_extract").glob("*.json"))
    if votes:
        step("import_votes", call_command, "import_votes", *map(str, votes), verbosity=0)
    if options.scale == "generated":
        step("clone resolutions", clone_resolutions, options.resolutions, options.paragraphs)
    step("generated notes", generate_notes, options.notes, options.seed)
    commands = get_commands()
    for name in ("optimize_db", "rebuild_search_index"):
        if name in commands:
            step(name, call_command, name)
        else:
            say(f"{name}: no such command yet, skipped")
    total = time.perf_counter() - started
    say(f"built {database_url} in {total:.0f} s: " + ", ".join(f"{k} {v:.0f} s" for k, v in steps.items()))
    print(json.dumps(database_counts(), indent=1))


def database_counts() -> dict[str, int]:
    from resolutions.models import ImplementationNote, Paragraph, Resolution

    return {
        "resolutions": Resolution.objects.count(),
        "paragraphs": Paragraph.objects.count(),
        "operative paragraphs": Paragraph.objects.operative().exclude(number="").count(),
        "published notes": ImplementationNote.objects.published().count(),
    }


def cloned_models():
    """Resolution and every model that hangs off it (texts, paragraphs, footnotes, references, votes,
    subjects, assessments and whatever joins them), parents first. Notes are not cloned."""
    from django.apps import apps

    from resolutions.models import ImplementationNote, NoteSource, Resolution

    candidates = [
        model
        for model in apps.get_app_config("resolutions").get_models(include_auto_created=True)
        if model is not Resolution
    ]
    excluded = {ImplementationNote, NoteSource}
    chosen = [Resolution]
    changed = True
    while changed:
        changed = False
        for model in candidates:
            if model in chosen or model in excluded:
                continue
            targets = [f.related_model for f in model._meta.concrete_fields if f.is_relation]
            if any(target in excluded for target in targets):
                excluded.add(model)
                continue
            if any(target in chosen for target in targets):
                chosen.append(model)
                changed = True
    ordered = [Resolution]  # parents before children
    while len(ordered) < len(chosen):
        for model in chosen:
            parents = {f.related_model for f in model._meta.concrete_fields if f.is_relation} & set(chosen)
            if model not in ordered and parents - {model} <= set(ordered):
                ordered.append(model)
    return ordered


def clone_symbol(symbol: str, session: str, k: int) -> tuple[str, str]:
    new_session = str(1000 * k + int(session)) if session.isdigit() else f"{session}G{k}"
    if session and f"/{session}/" in symbol:
        return symbol.replace(f"/{session}/", f"/{new_session}/", 1), new_session
    if session and f"({session})" in symbol:
        return symbol.replace(f"({session})", f"({new_session})", 1), new_session
    return f"{symbol} G{k}", new_session


def clone_resolutions(target: int, paragraph_target: int) -> None:
    """Copy the corpus's resolutions, with everything hanging off them, until there are `target`
    and about `paragraph_target` paragraphs. Clone k of a row gets id + k * OFFSET and new symbols
    (session 77 -> 1077, 2077, ...), in set-based INSERT ... SELECT statements, so that 25,000
    resolutions build in minutes. The corpus averages ~44 paragraphs a resolution; to meet the
    issue's 25,000 / 500,000 the clones are drawn from its shorter resolutions (the shortest ones
    whose mean length gives the paragraph target)."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.db.models import Count

    from resolutions.models import Paragraph, Resolution

    models = cloned_models()
    everything = list(Resolution.objects.order_by("id").values())
    if not everything:
        sys.exit("No resolution to clone: the corpus import loaded nothing.")
    lengths = dict(
        Paragraph.objects.order_by()
        .values_list("resolution_id")
        .annotate(n=Count("id"))
        .values_list("resolution_id", "n")
    )
    wanted_mean = max(1.0, (paragraph_target - sum(lengths.values())) / max(1, target - len(everything)))
    by_length = sorted(everything, key=lambda row: (lengths.get(row["id"], 0), row["id"]))
    pool, total = [], 0
    for row in by_length:
        length = lengths.get(row["id"], 0)
        if pool and (total + length) / (len(pool) + 1) > wanted_mean:
            break
        pool.append(row)
        total += length
    originals = sorted(pool, key=lambda row: row["id"])
    biggest = 0
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"SELECT MAX({model._meta.pk.column}) FROM {model._meta.db_table}")
            biggest = max(biggest, cursor.fetchone()[0] or 0)
    offset = 10 ** len(str(biggest))
    clones = math.ceil((target - len(everything)) / len(originals))
    say(
        f"cloning {len(originals)} of {len(everything)} resolutions ({total / len(originals):.1f} paragraphs "
        f"on average) {clones} times (id offset {offset}) for {target} in all"
    )
    symbols = set(Resolution.objects.values_list("symbol", flat=True))
    made = len(everything)
    for k in range(1, clones + 1):
        count = min(len(originals), target - made)
        if count <= 0:
            break
        ids = ", ".join(str(row["id"]) for row in originals[:count])
        with transaction.atomic():
            rows = []
            for original in originals[:count]:
                symbol, session = clone_symbol(original["symbol"], original["session"], k)
                if symbol in symbols:
                    symbol = f"{symbol} G{k}"
                symbols.add(symbol)
                rows.append(
                    Resolution(
                        **{
                            **original,
                            "id": original["id"] + k * offset,
                            "symbol": symbol,
                            "session": session,
                            "series_id": None,
                        }
                    )
                )
            Resolution.objects.bulk_create(rows, batch_size=2000)
            with connection.cursor() as cursor:
                for model in models[1:]:
                    cursor.execute(clone_sql(model, models, k * offset, offset, ids, count < len(everything)))
        made += count
        say(f"  clone {k}: {made} resolutions")
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def clone_sql(model, models, shift: int, offset: int, ids: str, partial: bool) -> str:
    """INSERT ... SELECT copying the original rows of `model` (ids below `offset`) shifted by `shift`."""
    from resolutions.models import Resolution

    quote = lambda name: f'"{name}"'  # noqa: E731 - both SQLite and PostgreSQL quote so
    meta = model._meta

    def belongs(target, column):
        """SQL: the row `column` points to (a row of `target`) is cloned in this round."""
        if target is Resolution:
            return f"{column} IN ({ids})" if partial else "1 = 1"
        inner = primary_fk(target)
        return (
            f"{column} IN (SELECT {quote(target._meta.pk.column)} FROM {quote(target._meta.db_table)} "
            f"WHERE {belongs(inner.related_model, quote(inner.column))})"
        )

    def primary_fk(model_):
        fks = [f for f in model_._meta.concrete_fields if f.is_relation and f.related_model in models]
        fks.sort(key=lambda f: (f.null, f.related_model is model_))
        return fks[0]

    columns, expressions = [], []
    for f in meta.concrete_fields:
        column = quote(f.column)
        columns.append(column)
        if f.primary_key:
            expressions.append(f"{column} + {shift}")
        elif f.is_relation and f.related_model in models:
            if partial and f.null and f is not primary_fk(model):
                expressions.append(
                    f"CASE WHEN {belongs(f.related_model, column)} THEN {column} + {shift} ELSE NULL END"
                )
            else:
                expressions.append(f"{column} + {shift}")
        else:
            expressions.append(column)
    main = primary_fk(model)
    where = f"{quote(meta.pk.column)} < {offset}"
    if partial:
        where += f" AND {belongs(main.related_model, quote(main.column))}"
    table = quote(meta.db_table)
    return f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(expressions)} FROM {table} WHERE {where}"


WORDS = (  # noqa: SIM905 - a sentence reads better than a list of 40 strings
    "regional cooperation preventive diplomacy water energy resources transboundary rivers dialogue "
    "border management counter-terrorism strategy drugs trafficking women youth peace security "
    "Afghanistan climate resilience early warning capacity building consultations experts workshop "
    "joint action plan ministers deputy envoys mediation trust confidence Aral Sea glaciers"
).split()
KIND_TITLES = {
    "meeting": "Meeting",
    "consultation": "Consultation",
    "conference": "Conference",
    "training": "Training",
    "visit": "Visit",
    "statement": "Statement",
    "report": "Report",
    "programme": "Programme",
    "other": "Activity",
}


def note_body(rng: random.Random, country: str, theme: str) -> str:
    sentences = []
    for _ in range(rng.randint(2, 5)):
        words = rng.sample(WORDS, rng.randint(8, 16))
        sentences.append(" ".join(words).capitalize() + ".")
    bullets = "\n".join(f"- {' '.join(rng.sample(WORDS, 4))}" for _ in range(rng.randint(0, 3)))
    return (
        f"**{country}**, {theme.lower()}: {' '.join(sentences)}\n\n{bullets}\n\n"
        f"Generated for the scale benchmark; see [the resolution](https://undocs.org/en/{SEED_SYMBOL})."
    ).strip()


def generate_notes(total: int, seed: int) -> None:
    """`total` published notes spread over the operative paragraphs (3% on the seed's series, the
    tracker's own focus), weighted toward Central Asia; bulk-created with their links."""
    from django.db import transaction

    from resolutions.models import (
        Country,
        Entity,
        ImplementationNote,
        NoteKind,
        NoteSource,
        NoteState,
        Paragraph,
        Resolution,
        Theme,
    )

    rng = random.Random(seed)
    operative = list(
        Paragraph.objects.operative()
        .exclude(number="")
        .order_by("id")
        .values_list("id", "resolution_id", "resolution__symbol")
    )
    if not operative:
        sys.exit("No operative paragraph to attach notes to.")
    seed_ids = set(Resolution.objects.filter(series__isnull=False).values_list("id", flat=True)) | set(
        Resolution.objects.filter(symbol=SEED_SYMBOL).values_list("id", flat=True)
    )
    focus = [row for row in operative if row[1] in seed_ids] or operative
    countries = list(Country.objects.order_by("alpha3").values_list("id", "alpha3", "name"))
    central = [row for row in countries if row[1] in CENTRAL_ASIA]
    themes = list(Theme.objects.order_by("slug").values_list("id", "name"))
    entities = list(Entity.objects.order_by("slug").values_list("id", flat=True))
    if not themes or not countries:
        sys.exit("Themes and countries are missing: load_bundled_data must run first.")
    kinds = list(NoteKind.values)
    first_day = datetime.date(2017, 1, 1).toordinal()
    last_day = datetime.date(2026, 10, 31).toordinal()
    through = {
        name: getattr(ImplementationNote, name).through
        for name in ("paragraphs", "countries", "themes", "entities")
    }
    fill = getattr(ImplementationNote, "fill_derived_fields", None)
    batch = 5000
    made = 0
    while made < total:
        size = min(batch, total - made)
        notes, links = [], []
        for i in range(made, made + size):
            paragraph_count = 1 if rng.random() < 0.85 else 2
            pool = focus if rng.random() < 0.03 else operative
            paragraphs = {rng.choice(pool) for _ in range(paragraph_count)}
            chosen_countries = {
                rng.choice(central) if rng.random() < 0.6 else rng.choice(countries)
                for _ in range(rng.choice((1, 1, 1, 2, 3)))
            }
            chosen_themes = set(rng.sample(themes, rng.choice((1, 1, 2))))
            chosen_entities = set(rng.sample(entities, rng.choice((0, 1, 1, 2)))) if entities else set()
            kind = rng.choice(kinds)
            start = first_day + rng.randrange(last_day - first_day)
            country_names = sorted(row[2] for row in chosen_countries)
            theme_name = sorted(row[1] for row in chosen_themes)[0]
            note = ImplementationNote(
                title=f"[generated] {KIND_TITLES.get(kind, 'Activity')} on {theme_name.lower()}, "
                f"{', '.join(country_names)} #{i + 1}",
                body=note_body(rng, country_names[0], theme_name),
                start_date=datetime.date.fromordinal(start),
                end_date=datetime.date.fromordinal(start + rng.randint(1, 5)) if rng.random() < 0.3 else None,
                kind=kind,
                state=NoteState.PUBLISHED,
                is_demo=True,
            )
            if fill:
                note.fill_derived_fields()
            notes.append(note)
            links.append((paragraphs, chosen_countries, chosen_themes, chosen_entities))
        with transaction.atomic():
            ImplementationNote.objects.bulk_create(notes, batch_size=1000)
            rows = {name: [] for name in through}
            sources = []
            for note, (paragraphs, chosen_countries, chosen_themes, chosen_entities) in zip(
                notes, links, strict=True
            ):
                rows["paragraphs"] += [
                    through["paragraphs"](implementationnote_id=note.pk, paragraph_id=p[0])
                    for p in paragraphs
                ]
                rows["countries"] += [
                    through["countries"](implementationnote_id=note.pk, country_id=c[0])
                    for c in chosen_countries
                ]
                rows["themes"] += [
                    through["themes"](implementationnote_id=note.pk, theme_id=t[0]) for t in chosen_themes
                ]
                rows["entities"] += [
                    through["entities"](implementationnote_id=note.pk, entity_id=e) for e in chosen_entities
                ]
                symbol = next(iter(paragraphs))[2]
                sources.append(
                    NoteSource(
                        note_id=note.pk,
                        title=f"[generated] Source for note {note.pk}",
                        url=f"https://undocs.org/en/{symbol}",
                        document_symbol=symbol,
                    )
                )
            for name, model in through.items():
                model.objects.bulk_create(rows[name], batch_size=5000)
            NoteSource.objects.bulk_create(sources, batch_size=5000)
        made += size
        say(f"  notes: {made}/{total}")


# ---- the questions -------------------------------------------------------------------------------

R, P, N = "resolutions_resolution", "resolutions_paragraph", "resolutions_implementationnote"
NP, NC = "resolutions_implementationnote_paragraphs", "resolutions_implementationnote_countries"
NT, NE = "resolutions_implementationnote_themes", "resolutions_implementationnote_entities"
C, T, E = "resolutions_country", "resolutions_theme", "resolutions_entity"
A, S, RT = "resolutions_assessment", "resolutions_notesource", "resolutions_resolutiontext"
PT = "resolutions_paragraphtext"
OPERATIVE = "p.kind = 'operative' AND p.parent_id IS NULL AND p.annex = ''"


@dataclass
class Dialect:
    name: str  # sqlite | postgres

    def agg(self, expression: str) -> str:
        if self.name == "postgres":
            return f"string_agg(({expression})::text, ',')"
        return f"group_concat({expression}, ',')"

    @property
    def like(self) -> str:
        return "ILIKE" if self.name == "postgres" else "LIKE"

    def finish(self, sql: str) -> str:
        """Hand-written SQL as a careful person writes it for this database. Without statistics SQLite
        takes the index on state (every generated note is published) as selective and drives whole
        joins from it; a unary + keeps it to the id lookups the query means."""
        if self.name == "sqlite":
            return sql.replace("n.state = 'published'", "+n.state = 'published'")
        return sql


def note_columns(d: Dialect, api: bool) -> str:
    columns = [
        "n.id",
        "n.title",
        "n.kind",
        "n.start_date",
        "n.end_date",
        "n.is_demo",
        f"(SELECT {d.agg('c.alpha3')} FROM {NC} x JOIN {C} c ON c.id = x.country_id "
        "WHERE x.implementationnote_id = n.id) AS countries",
        f"(SELECT {d.agg('t.slug')} FROM {NT} x JOIN {T} t ON t.id = x.theme_id "
        "WHERE x.implementationnote_id = n.id) AS themes",
        f"(SELECT {d.agg('e.slug')} FROM {NE} x JOIN {E} e ON e.id = x.entity_id "
        "WHERE x.implementationnote_id = n.id) AS entities",
        f"(SELECT {d.agg(chr(39) + 'op ' + chr(39) + ' || p.number || ' + chr(39) + ' of ' + chr(39) + ' || r.symbol')} "
        f"FROM {NP} x JOIN {P} p ON p.id = x.paragraph_id JOIN {R} r ON r.id = p.resolution_id "
        "WHERE x.implementationnote_id = n.id) AS paragraphs",
    ]
    if api:
        columns += [
            "n.body",
            "n.updated_at",
            f"(SELECT {d.agg('s.url')} FROM {S} s WHERE s.note_id = n.id) AS sources",
        ]
    return ", ".join(columns)


def notes_sql(d: Dialect, where: str, limit: int | None, api: bool = True, count: bool = True) -> str:
    total = ", COUNT(*) OVER () AS total" if count else ""
    return (
        f"SELECT {note_columns(d, api)}{total} FROM {N} n WHERE n.state = 'published'{where} "
        f"ORDER BY n.start_date DESC, n.id DESC" + (f" LIMIT {limit}" if limit else "")
    )


def note_has(table: str, column: str, vocabulary: str, field_: str, value: str) -> str:
    return (
        f" AND EXISTS (SELECT 1 FROM {table} x JOIN {vocabulary} v ON v.id = x.{column} "
        f"WHERE x.implementationnote_id = n.id AND v.{field_} = '{value}')"
    )


def on_paragraph(paragraph_id: int) -> str:
    return f" AND EXISTS (SELECT 1 FROM {NP} x WHERE x.implementationnote_id = n.id AND x.paragraph_id = {paragraph_id})"


def paragraph_columns() -> str:
    newest = f"FROM {A} a WHERE a.paragraph_id = p.id ORDER BY a.as_of DESC, a.id DESC LIMIT 1"
    return (
        'p.id, r.symbol AS resolution, p.kind, p."order", p.number, p.parent_id, p.annex, p.heading, '
        f"p.lead_phrase, p.text, (SELECT a.status {newest}) AS current_status, "
        f"(SELECT a.as_of {newest}) AS current_status_as_of, "
        f"(SELECT COUNT(*) FROM {NP} x JOIN {N} n ON n.id = x.implementationnote_id "
        "WHERE x.paragraph_id = p.id AND n.state = 'published') AS published_note_count"
    )


def paragraphs_sql(where: str, limit: int | None, count: bool = True) -> str:
    total = ", COUNT(*) OVER () AS total" if count else ""
    return (
        f"SELECT {paragraph_columns()}{total} FROM {P} p JOIN {R} r ON r.id = p.resolution_id "
        f'WHERE {where} ORDER BY r.adopted_on DESC, r.sort_key, p."order"'
        + (f" LIMIT {limit}" if limit else "")
    )


POOL = 1000  # resolutions.search.POOL: the newest matches of each index that a text query ranks
TS_CONFIGS = ("english", "french", "spanish", "russian", "arabic", "simple")  # resolutions.search


def ranked_sql(d: Dialect, word: str, sources: list[tuple[str, str, str]]) -> str:
    """The matches of one word as the app ranks them (resolutions.search): each source (an indexed
    table, the SQL of the result's id from its row ``s``, a join that needs) hands over its newest
    POOL matches with their scores (bm25 through FTS5 on SQLite, ts_rank on PostgreSQL, where a
    resolution's title also matches by trigrams); each result keeps its best score.
    Selects (id, score); lower scores rank first."""
    pieces = []
    for table, key, join in sources:
        # A match through a link table (a country's name) reaches any number of notes: the newest POOL.
        fans_out = key.startswith("l.")
        if d.name == "sqlite":
            match = f"SELECT rowid, rank AS score FROM {table}_fts('\"{word}\"*') ORDER BY rowid DESC LIMIT {POOL}"
            newest = f" ORDER BY {key} DESC LIMIT {POOL}" if fans_out else ""
            pieces.append(
                f"SELECT {key} AS id, f.score FROM ({match}) f JOIN {table} s ON s.id = f.rowid {join}{newest}"
            )
            continue
        query = "(" + " || ".join(f"to_tsquery('{config}', '{word}:*')" for config in TS_CONFIGS) + ")"
        where = f"s.search_vector @@ {query}"
        if table == R and len(word) >= 5:
            where = f"({where} OR '{word}' <% s.title)"
        pieces.append(
            f"SELECT m.id, -ts_rank(m.search_vector, {query}) AS score FROM (SELECT {key} AS id, s.search_vector "
            f"FROM {table} s {join} WHERE {where} ORDER BY {key if fans_out else 's.id'} DESC LIMIT {POOL}) m"
        )
    union = " UNION ALL ".join(f"SELECT * FROM ({piece}) AS source{i}" for i, piece in enumerate(pieces))
    return f"SELECT id, MIN(score) AS score FROM ({union}) AS found GROUP BY id"


PARAGRAPH_SOURCES = [(P, "s.id", ""), (PT, "s.paragraph_id", "")]
RESOLUTION_SOURCES = [(R, "s.id", ""), (RT, "s.resolution_id", "")]
# A note is also found by what it links to (resolutions.search.SOURCES): a country, an entity or a
# theme named in the query, and its sources' titles.
NOTE_SOURCES = [
    (N, "s.id", ""),
    (C, "l.implementationnote_id", f"JOIN {NC} l ON l.country_id = s.id"),
    (E, "l.implementationnote_id", f"JOIN {NE} l ON l.entity_id = s.id"),
    (T, "l.implementationnote_id", f"JOIN {NT} l ON l.theme_id = s.id"),
    (S, "s.note_id", ""),
]


def ranked_paragraphs_sql(d: Dialect, word: str, limit: int) -> str:
    """A paragraphs list's text query as the app answers it (resolutions.search.rank): the best of
    the newest matches, best first, with their number."""
    return (
        f"WITH m AS ({ranked_sql(d, word, PARAGRAPH_SOURCES)}) "
        f"SELECT {paragraph_columns()}, (SELECT COUNT(*) FROM m) AS total "
        f"FROM m JOIN {P} p ON p.id = m.id JOIN {R} r ON r.id = p.resolution_id ORDER BY m.score, m.id LIMIT {limit}"
    )


def resolutions_sql(d: Dialect, where: str, limit: int, api: bool) -> str:
    if api:
        extra = (
            f"(SELECT {d.agg('t.language')} FROM {RT} t WHERE t.resolution_id = r.id) AS languages, "
            f"(SELECT COUNT(DISTINCT x.implementationnote_id) FROM {NP} x JOIN {P} p ON p.id = x.paragraph_id "
            f"JOIN {N} n ON n.id = x.implementationnote_id WHERE p.resolution_id = r.id "
            "AND n.state = 'published') AS published_note_count"
        )
    else:
        extra = f"(SELECT COUNT(*) FROM {P} p WHERE p.resolution_id = r.id) AS paragraph_count"
    return (
        "SELECT r.id, r.symbol, r.body, r.session, r.number, r.title, r.adopted_on, r.distributed_on, "
        f"r.adoption_method, {extra}, COUNT(*) OVER () AS total FROM {R} r WHERE {where} "
        f"ORDER BY r.adopted_on DESC, r.sort_key LIMIT {limit}"
    )


def vocabulary_sql(table: str, through: str, column: str, keys: str, order: str) -> str:
    return (
        f"SELECT {keys}, (SELECT COUNT(DISTINCT x.implementationnote_id) FROM {through} x "
        f"JOIN {N} n ON n.id = x.implementationnote_id WHERE x.{column} = v.id AND n.state = 'published') "
        f"AS published_note_count, COUNT(*) OVER () AS total FROM {table} v ORDER BY {order} LIMIT {PAGE_SIZE}"
    )


def home_sql(d: Dialect) -> str:
    """The overview as the app defines it since it is bounded (resolutions/views/documents.py HomeView): the five
    resolutions with the newest published notes (among the 200 newest note links) or assessments, their
    first 24 operative paragraphs with status and note count, the figures, and the five newest notes."""
    newest = f"FROM {A} a WHERE a.paragraph_id = p.id ORDER BY a.as_of DESC, a.id DESC LIMIT 1"
    # The app's order: note links by (date, note) newest first, then assessments by (date, id), sorted by
    # date alone (a stable sort), each resolution where it first appears.
    recent = (
        f"SELECT q.resolution_id AS rid, n.start_date AS day, 0 AS src, n.id AS xid FROM {NP} x "
        f"JOIN {N} n ON n.id = x.implementationnote_id JOIN {P} q ON q.id = x.paragraph_id "
        "WHERE n.state = 'published' ORDER BY n.start_date DESC, n.id DESC LIMIT 200"
    )
    assessed = (
        f"SELECT q.resolution_id AS rid, a.as_of AS day, 1 AS src, a.id AS xid FROM {A} a "
        f"JOIN {P} q ON q.id = a.paragraph_id WHERE a.state = 'published' ORDER BY a.as_of DESC, a.id DESC LIMIT 200"
    )
    ordered = (
        "SELECT rid, day, ROW_NUMBER() OVER (ORDER BY day DESC, src, xid DESC) AS pos "
        f"FROM (SELECT * FROM ({recent}) AS n UNION ALL SELECT * FROM ({assessed}) AS a) AS d"
    )
    tracked = f"SELECT rid, MAX(day) AS day, MIN(pos) AS pos FROM ({ordered}) AS o GROUP BY rid ORDER BY MIN(pos) LIMIT 5"
    return (
        f"SELECT r.symbol, r.title, p.number, (SELECT a.status {newest}) AS current_status, "
        f"(SELECT COUNT(*) FROM {NP} x JOIN {N} n ON n.id = x.implementationnote_id "
        "WHERE x.paragraph_id = p.id AND n.state = 'published') AS published_notes, "
        f"(SELECT COUNT(*) FROM {R}) AS resolutions, "
        f"(SELECT COUNT(*) FROM {N} WHERE state = 'published') AS published_notes_in_all, "
        f"(SELECT COUNT(*) FROM {P} q WHERE q.resolution_id = r.id AND q.kind = 'operative' AND q.parent_id IS NULL "
        f'AND q.annex = \'\' AND q."order" < p."order") AS position '
        f"FROM ({tracked}) t JOIN {R} r ON r.id = t.rid JOIN {P} p ON p.resolution_id = r.id WHERE {OPERATIVE} "
        f"AND (SELECT COUNT(*) FROM {P} q WHERE q.resolution_id = r.id AND q.kind = 'operative' "
        f'AND q.parent_id IS NULL AND q.annex = \'\' AND q."order" < p."order") < 24 '
        'ORDER BY t.pos, p."order"'
    )


def search_sql(d: Dialect, word: str, kinds: tuple[str, ...] = (), page: int = 1) -> str:
    """The search page as the app answers it (resolutions.search.search_all): per kind, the best 10 of
    the newest matches of its indexes (published notes only), with their number; with `kinds`, those
    kinds only, on their `page` of 20."""
    groups = [
        ("resolution", RESOLUTION_SOURCES, f"JOIN {R} r ON r.id = m.id", "r.symbol", "r.title", ""),
        (
            "paragraph",
            PARAGRAPH_SOURCES,
            f"JOIN {P} p ON p.id = m.id JOIN {R} r ON r.id = p.resolution_id",
            "r.symbol",
            "p.text",
            "",
        ),
        (
            "note",
            NOTE_SOURCES,
            f"JOIN {N} n ON n.id = m.id",
            "n.title",
            "n.body",
            "WHERE n.state = 'published'",
        ),
    ]
    size = 20 if kinds else 10  # SearchView.per_page, per_group
    selects = []
    for kind, sources, join, hit, text, where in groups:
        if kinds and kind not in kinds:
            continue
        visible = f"SELECT m.id, m.score FROM ({ranked_sql(d, word, sources)}) m {join} {where}"
        selects.append(
            f"SELECT * FROM (SELECT '{kind}' AS kind, {hit} AS hit, {text} AS text, COUNT(*) OVER () AS total "
            f"FROM ({visible}) m {join} ORDER BY m.score, m.id LIMIT {size} OFFSET {size * (page - 1)}) AS {kind}s"
        )
    return " UNION ALL ".join(selects)


@dataclass
class Question:
    name: str
    app: str  # path and query on the app
    sql: object  # Dialect -> SQL
    check: object  # (app body, rows) -> problem or ""
    seven: bool = False  # one of the seven questions the author measured
    skip_check_on_postgres: str = ""  # why the rows cannot match there
    samples: dict = field(default_factory=dict)


def page_text(body: bytes) -> str:
    text = re.sub(r"<[^>]+>", " ", body.decode("utf-8", "replace"))
    return " ".join(html.unescape(text).split())


def needle(text: str, words: int = 6) -> str:
    return " ".join(re.split(r"\[\^", text or "")[0].split()[:words])


def same_list(app_keys, sql_keys) -> str:
    app_keys, sql_keys = [str(k) for k in app_keys], [str(k) for k in sql_keys]
    if app_keys == sql_keys:
        return ""
    if sorted(app_keys) == sorted(sql_keys):
        return f"same {len(app_keys)} rows in another order"
    return f"rows differ: app {len(app_keys)} {app_keys[:3]}..., SQL {len(sql_keys)} {sql_keys[:3]}..."


def api_list(key: str):
    def check(body, rows):
        data = json.loads(body)
        problem = same_list([item[key] for item in data["results"]], [row[key] for row in rows])
        total = rows[0]["total"] if rows else 0
        if not problem and data["count"] != total:
            problem = f"count: app {data['count']}, SQL {total}"
        return problem

    return check


def html_has(column: str, transform=lambda value: str(value)):
    def check(body, rows):
        text = page_text(body)
        wanted = [transform(row[column]) for row in rows if row[column]]
        missing = [value for value in dict.fromkeys(wanted) if value and value not in text]
        if not rows:
            return "no rows to compare"
        return (
            f"{len(missing)} of {len(set(wanted))} rows missing from the page, e.g. {missing[0]!r}"
            if missing
            else ""
        )

    return check


def flatten(paragraphs):
    for paragraph in paragraphs:
        yield paragraph
        yield from flatten(paragraph.get("subparagraphs") or [])


def resolution_detail_check(body, rows):
    data = json.loads(body)
    return same_list(sorted(p["id"] for p in flatten(data["paragraphs"])), sorted(row["id"] for row in rows))


def paragraph_detail_check(body, rows):
    data = json.loads(body)
    return same_list([note["id"] for note in data["notes"]], [row["id"] for row in rows])


def note_detail_check(body, rows):
    data = json.loads(body)
    if len(rows) != 1 or data["id"] != rows[0]["id"] or data["title"] != rows[0]["title"]:
        return "not the same note"
    return same_list(sorted(data["countries"]), sorted(filter(None, (rows[0]["countries"] or "").split(","))))


def ranked_countries_sql(d: Dialect, where: str = "") -> str:
    """The dashboards' "notes by country" (resolutions/dashboard.py): the 15 countries named by the most
    published notes (matching `where` on the note n), most first, then by name."""
    return (
        f"SELECT c.alpha3, c.name, COUNT(*) AS count FROM {NC} x JOIN {N} n ON n.id = x.implementationnote_id "
        f"JOIN {C} c ON c.id = x.country_id WHERE n.state = 'published'{where} "
        "GROUP BY c.alpha3, c.name ORDER BY count DESC, c.name LIMIT 15"
    )


def dashboard_check(body, rows):
    data = json.loads(body)
    return same_list(
        [(item["key"], item["count"]) for item in data["countries"]],
        [(row["alpha3"], row["count"]) for row in rows],
    )


def resolution_dashboard_sql(symbol: str) -> str:
    """The resolution dashboard's rows: every operative paragraph of `symbol` and its published notes."""
    return (
        f"SELECT p.number, (SELECT COUNT(*) FROM {NP} x JOIN {N} n ON n.id = x.implementationnote_id "
        f"WHERE x.paragraph_id = p.id AND n.state = 'published') AS count FROM {P} p JOIN {R} r ON r.id = p.resolution_id "
        f"WHERE r.symbol = '{symbol}' AND {OPERATIVE} ORDER BY p.\"order\""
    )


def report_note_ids(body: bytes, kind: str) -> list:
    """The note ids a resolution's implementation data holds (the CSV, or a page of the JSON), each once."""
    if kind == "json":
        rows = json.loads(body)["rows"]
    else:
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    return list(dict.fromkeys(str(row["note_id"]) for row in rows if str(row["note_id"])))


def report_check(kind: str):
    """The same notes (a row without an id is a paragraph without notes); for a page of the JSON, the
    same total of rows too."""

    def check(body, rows):
        wanted = list(dict.fromkeys(str(row["id"]) for row in rows if row["id"] is not None))
        problem = same_list(sorted(report_note_ids(body, kind)), sorted(wanted))
        if not problem and kind == "json" and rows and json.loads(body)["count"] != rows[0]["total"]:
            problem = f"count: app {json.loads(body)['count']}, SQL {rows[0]['total']}"
        return problem

    return check


def report_paragraphs_sql(symbol: str, limit: int | None = None) -> str:
    """The report's paragraphs (resolutions.implementation.operative_items): the resolution's own
    numbered operative paragraphs, in reading order."""
    return (
        f"SELECT p.id FROM {P} p JOIN {R} r ON r.id = p.resolution_id WHERE r.symbol = '{symbol}' "
        f"AND {OPERATIVE} AND p.number <> '' ORDER BY p.\"order\", p.id"
        + (f" LIMIT {limit}" if limit else "")
    )


def report_page_sql(symbol: str) -> str:
    """The notes on the report's first page: the newest REPORT_NOTES published notes of each of its
    first REPORT_PARAGRAPHS paragraphs."""
    ranked = (
        "SELECT x.implementationnote_id AS id, ROW_NUMBER() OVER (PARTITION BY x.paragraph_id "
        f"ORDER BY n.start_date DESC, n.id DESC) AS newest FROM {NP} x JOIN {N} n ON n.id = x.implementationnote_id "
        f"WHERE n.state = 'published' AND x.paragraph_id IN ({report_paragraphs_sql(symbol, REPORT_PARAGRAPHS)})"
    )
    return (
        f"SELECT n.id, n.title FROM {N} n WHERE n.id IN (SELECT k.id FROM ({ranked}) k "
        f"WHERE k.newest <= {REPORT_NOTES}) ORDER BY n.start_date DESC, n.id DESC"
    )


def report_rows_sql(symbol: str, limit: int) -> str:
    """The first ``limit`` rows of the report's data (its JSON's first page): each paragraph's published
    notes oldest first, or one row without a note; with the number of all rows."""
    return (
        f"SELECT k.id, COUNT(*) OVER () AS total FROM {P} p LEFT JOIN (SELECT x.paragraph_id, n.id, n.start_date "
        f"FROM {NP} x JOIN {N} n ON n.id = x.implementationnote_id WHERE n.state = 'published') k "
        f"ON k.paragraph_id = p.id WHERE p.id IN ({report_paragraphs_sql(symbol)}) "
        f'ORDER BY p."order", p.id, k.start_date, k.id LIMIT {limit}'
    )


def questions(params: dict) -> list[Question]:
    symbol, op1, theme, note = params["symbol"], params["op1"], params["theme"], params["note"]
    quoted = urllib.parse.quote(symbol, safe="/")
    seed_paragraph = f"r.symbol = '{symbol}'"
    # The implementation report's notes: every published note on one of the resolution's paragraphs.
    on_seed = (
        f" AND EXISTS (SELECT 1 FROM {NP} x JOIN {P} p ON p.id = x.paragraph_id JOIN {R} r ON r.id = p.resolution_id "
        f"WHERE x.implementationnote_id = n.id AND r.symbol = '{symbol}')"
    )
    size = f"page_size={PAGE_SIZE}"
    return [
        Question(
            "resolutions of session 77 (API)",
            f"/api/v1/resolutions/?session=77&{size}",
            lambda d: resolutions_sql(d, "r.session = '77'", PAGE_SIZE, api=True),
            api_list("symbol"),
            seven=True,
        ),
        Question(
            f"paragraphs of {symbol} (API)",
            f"/api/v1/paragraphs/?resolution={quoted}&{size}",
            lambda d: paragraphs_sql(seed_paragraph, PAGE_SIZE),
            api_list("id"),
            seven=True,
        ),
        Question(
            "published notes for KAZ, newest first (API)",
            f"/api/v1/notes/?country=kaz&{size}",
            lambda d: notes_sql(d, note_has(NC, "country_id", C, "alpha3", "KAZ"), PAGE_SIZE),
            api_list("id"),
            seven=True,
        ),
        Question(
            f"notes on {symbol} op 1 with theme {theme} (API)",
            f"/api/v1/notes/?resolution={quoted}&paragraph=1&theme={theme}&{size}",
            lambda d: notes_sql(d, on_paragraph(op1) + note_has(NT, "theme_id", T, "slug", theme), PAGE_SIZE),
            api_list("id"),
            seven=True,
        ),
        Question(
            f"HTML page of {symbol}",
            f"/resolutions/{quoted}/",
            lambda d: paragraphs_sql(seed_paragraph, None, count=False),
            html_has("text", needle),
            seven=True,
        ),
        Question(
            'paragraph text search "water" (API q=)',
            f"/api/v1/paragraphs/?q=water&{size}",
            lambda d: ranked_paragraphs_sql(d, "water", PAGE_SIZE),
            api_list("id"),
            seven=True,
        ),
        Question(
            "HTML notes list for KAZ",
            "/notes/?country=kaz",
            lambda d: notes_sql(d, note_has(NC, "country_id", C, "alpha3", "KAZ"), HTML_PAGE_SIZE, api=False),
            html_has("title"),
            seven=True,
        ),
        Question("home page /", "/", home_sql, html_has("symbol")),
        Question(
            "HTML resolutions list",
            "/resolutions/",
            lambda d: resolutions_sql(d, "1 = 1", HTML_PAGE_SIZE, api=False),
            html_has("symbol"),
        ),
        Question(
            "HTML resolutions of session 77",
            "/resolutions/?session=77",
            lambda d: resolutions_sql(d, "r.session = '77'", HTML_PAGE_SIZE, api=False),
            html_has("symbol"),
        ),
        Question(
            f"HTML page of {symbol} op 1",
            f"/resolutions/{quoted}/op/1/",
            lambda d: notes_sql(d, on_paragraph(op1), HTML_PAGE_SIZE, api=False),
            html_has("title"),
        ),
        Question(
            "HTML notes list",
            "/notes/",
            lambda d: notes_sql(d, "", HTML_PAGE_SIZE, api=False),
            html_has("title"),
        ),
        Question(
            f"HTML note {note}",
            f"/notes/{note}/",
            lambda d: notes_sql(d, f" AND n.id = {note}", None),
            html_has("title"),
        ),
        Question(
            "HTML country page KAZ",
            "/countries/kaz/",
            lambda d: notes_sql(d, note_has(NC, "country_id", C, "alpha3", "KAZ"), HTML_PAGE_SIZE, api=False),
            html_has("title"),
        ),
        Question(
            f"HTML theme page {params['theme_page']}",
            f"/themes/{params['theme_page']}/",
            lambda d: notes_sql(
                d, note_has(NT, "theme_id", T, "slug", params["theme_page"]), HTML_PAGE_SIZE, api=False
            ),
            html_has("title"),
        ),
        Question(
            f"HTML entity page {params['entity_page']}",
            f"/entities/{params['entity_page']}/",
            lambda d: notes_sql(
                d, note_has(NE, "entity_id", E, "slug", params["entity_page"]), HTML_PAGE_SIZE, api=False
            ),
            html_has("title"),
        ),
        Question(
            'HTML search "peace"',
            "/search/?q=peace",
            lambda d: search_sql(d, "peace"),
            html_has("hit"),
        ),
        Question(
            'HTML search "peace", paragraphs, page 2',
            "/search/?q=peace&kind=paragraphs&page=2",
            lambda d: search_sql(d, "peace", kinds=("paragraph",), page=2),
            html_has("hit"),
        ),
        Question(
            f"HTML implementation report of {symbol}",
            f"/resolutions/{quoted}/report/",
            lambda d: report_page_sql(symbol),
            html_has("title"),
        ),
        Question(
            f"implementation CSV of {symbol}",
            f"/resolutions/{quoted}/implementation.csv",
            lambda d: notes_sql(d, on_seed, None, api=False, count=False),
            report_check("csv"),
        ),
        Question(
            f"implementation JSON of {symbol}",
            f"/resolutions/{quoted}/implementation.json?{size}",
            lambda d: report_rows_sql(symbol, PAGE_SIZE),
            report_check("json"),
        ),
        Question(
            f"resolution detail {symbol} (API)",
            f"/api/v1/resolutions/{quoted}/",
            lambda d: paragraphs_sql(seed_paragraph, None, count=False),
            resolution_detail_check,
        ),
        Question(
            f"paragraph detail {symbol} op 1 (API)",
            f"/api/v1/paragraphs/{op1}/",
            lambda d: notes_sql(d, on_paragraph(op1), PARAGRAPH_NOTES, api=False),
            paragraph_detail_check,
        ),
        Question(
            f"note detail {note} (API)",
            f"/api/v1/notes/{note}/",
            lambda d: notes_sql(d, f" AND n.id = {note}", None),
            note_detail_check,
        ),
        Question(
            "dashboard: notes by country (API)",
            "/api/v1/dashboard/",
            lambda d: ranked_countries_sql(d),
            dashboard_check,
        ),
        Question(
            "HTML overall dashboard",
            "/dashboard/",
            lambda d: ranked_countries_sql(d),
            html_has("name"),
        ),
        Question(
            f"HTML dashboard of {symbol}",
            f"/resolutions/{quoted}/dashboard/",
            lambda d: resolution_dashboard_sql(symbol),
            html_has("number", lambda number: f"op {number}"),
        ),
        Question(
            "countries (API)",
            f"/api/v1/countries/?{size}",
            lambda d: vocabulary_sql(
                C, NC, "country_id", "v.alpha3, v.alpha2, v.name, v.official_name", "v.name"
            ),
            api_list("alpha3"),
        ),
        Question(
            "themes (API)",
            f"/api/v1/themes/?{size}",
            lambda d: vocabulary_sql(T, NT, "theme_id", "v.slug, v.name, v.description", "v.name"),
            api_list("slug"),
        ),
        Question(
            "entities (API)",
            f"/api/v1/entities/?{size}",
            lambda d: vocabulary_sql(
                E, NE, "entity_id", "v.slug, v.name, v.short_name, v.kind, v.url, v.description", "v.name"
            ),
            api_list("slug"),
        ),
    ]


# ---- servers and clients -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(port: int, path: str, timeout: float = 300) -> tuple[int, bytes, float]:
    """GET http://127.0.0.1:<port><path> on a new connection: (status, body, seconds)."""
    import http.client

    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", "Accept": "*/*"})
        response = connection.getresponse()
        body = response.read()
        return response.status, body, time.perf_counter() - started
    finally:
        connection.close()


class Server:
    """A child process serving on a loopback port; stopped by its own process group id."""

    def __init__(self, name: str, command: list[str], port: int, env=None, log: Path | None = None):
        self.name, self.port = name, port
        self.log = open(log or os.devnull, "w")  # noqa: SIM115 - open while the server runs
        self.process = subprocess.Popen(
            command, cwd=CODE, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"{name} stopped at start-up (exit {self.process.returncode}); see {log}")
            try:
                fetch(port, "/robots.txt" if name == "app" else "/-/versions.json", timeout=5)
                return
            except OSError:
                time.sleep(0.5)
        self.stop()
        sys.exit(f"{name} did not answer on 127.0.0.1:{port} within 120 s; see {log}")

    def wait_ready(self, seconds: float = 600) -> None:
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                fetch(self.port, "/robots.txt" if self.name == "app" else "/-/versions.json", timeout=5)
                return
            except OSError:
                time.sleep(1)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def collect_static(database_url: str) -> None:
    """Debug off serves hashed static names from the manifest collectstatic writes (git-ignored)."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=CODE,
        env=app_env(database_url),
        check=True,
    )


def start_app(database_url: str, workers: int, log: Path, timeout: float = 60) -> Server:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    port = free_port()
    command = [
        str(gunicorn),
        "tracker.wsgi:application",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",  # a worker stuck longer than the client waits is replaced
        str(int(timeout) + 2),
        "--log-level",
        "warning",
    ]
    return Server("app", command, port, env=app_env(database_url), log=log)


def datasette_copy(sqlite_path: Path) -> Path:
    """A consistent copy of the app's SQLite file (WAL included) for Datasette."""
    folder = WORK / "datasette"
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / "tracker.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    target = sqlite3.connect(copy)
    with target:
        source.backup(target)
    source.close()
    target.close()
    return copy


def start_datasette(copy: Path, log: Path, timeout: float = 60) -> Server:
    datasette = BENCH_VENV / "bin" / "datasette"
    if not datasette.exists():
        sys.exit(
            "Datasette is not installed: python3 -m venv bench/.venv && "
            "bench/.venv/bin/pip install -r bench/requirements.txt"
        )
    port = free_port()
    command = [
        str(datasette),
        "serve",
        str(copy),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--setting",
        "sql_time_limit_ms",
        str(int(timeout * 1000)),
        "--setting",
        "max_returned_rows",
        "100000",
    ]
    return Server("Datasette", command, port, log=log)


def datasette_path(sql: str) -> str:
    return "/tracker.json?" + urllib.parse.urlencode({"sql": sql, "_shape": "array", "_size": PAGE_SIZE})


class Floor:
    """The raw floor: the same SQL run in-process on the same database, plus json.dumps."""

    def __init__(self, options):
        self.dialect = Dialect(options.database)
        if options.database == "postgres":
            import psycopg

            self.connection = psycopg.connect(options.url, autocommit=True)
            self.connection.execute(f"SET statement_timeout = {int(TIMEOUT * 1000)}")
        else:
            self.connection = sqlite3.connect(f"file:{Path(options.path).resolve()}?mode=ro", uri=True)

    def rows(self, sql: str) -> list[dict]:
        if self.dialect.name == "sqlite":
            deadline = time.perf_counter() + TIMEOUT
            self.connection.set_progress_handler(lambda: time.perf_counter() > deadline, 100000)
        cursor = self.connection.cursor()
        cursor.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def run(self, sql: str) -> tuple[bytes, float]:
        started = time.perf_counter()
        body = json.dumps(self.rows(sql), default=str).encode()
        return body, time.perf_counter() - started

    def scalar(self, sql: str):
        rows = self.rows(sql)
        return next(iter(rows[0].values())) if rows else None


def parameters(floor: Floor) -> dict:
    """The rows the questions ask about, found in the database itself."""
    symbol = SEED_SYMBOL
    op1 = floor.scalar(
        f"SELECT p.id FROM {P} p JOIN {R} r ON r.id = p.resolution_id WHERE r.symbol = '{symbol}' "
        f"AND p.number = '1' AND {OPERATIVE} ORDER BY p.\"order\" LIMIT 1"
    )
    if op1 is None:
        sys.exit(f"{symbol} op 1 is not in the database: build it with bench/scale.py build")
    theme = floor.scalar(
        f"SELECT t.slug FROM {NT} x JOIN {T} t ON t.id = x.theme_id JOIN {NP} y "
        f"ON y.implementationnote_id = x.implementationnote_id JOIN {N} n ON n.id = x.implementationnote_id "
        f"WHERE y.paragraph_id = {op1} AND n.state = 'published' GROUP BY t.slug "
        "ORDER BY COUNT(*) DESC, t.slug LIMIT 1"
    )
    note = floor.scalar(
        f"SELECT n.id FROM {N} n JOIN {NP} y ON y.implementationnote_id = n.id WHERE y.paragraph_id = {op1} "
        "AND n.state = 'published' ORDER BY n.start_date DESC, n.id DESC LIMIT 1"
    )
    slugs = {
        table: floor.scalar(
            f"SELECT v.slug FROM {table} v JOIN {through} x ON x.{column} = v.id GROUP BY v.slug "
            f"ORDER BY CASE WHEN v.slug = '{preferred}' THEN 0 ELSE 1 END, COUNT(*) DESC LIMIT 1"
        )
        for table, through, column, preferred in (
            (T, NT, "theme_id", "water-and-energy"),
            (E, NE, "entity_id", "unrcca"),
        )
    }
    return {
        "symbol": symbol,
        "op1": op1,
        "theme": theme or "water-and-energy",
        "note": note,
        "theme_page": slugs[T] or "water-and-energy",
        "entity_page": slugs[E] or "unrcca",
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * share
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def machine() -> dict:
    load = os.getloadavg()
    return {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores (nproc), Python {platform.python_version()}",
        "load": f"{load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}",
        "commit": CODE_LABEL,
    }


def counts_of(floor: Floor) -> dict:
    return {
        "resolutions": floor.scalar(f"SELECT COUNT(*) FROM {R}"),
        "paragraphs": floor.scalar(f"SELECT COUNT(*) FROM {P}"),
        "published notes": floor.scalar(f"SELECT COUNT(*) FROM {N} WHERE state = 'published'"),
    }


def measure(options) -> None:
    database_url = database_url_of(options)
    if options.database == "sqlite" and not Path(options.path).exists():
        sys.exit(f"{options.path} does not exist: build it first (bench/scale.py build)")
    logs = WORK / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    floor = Floor(options)
    params = parameters(floor)
    asked = questions(params)
    if options.only:
        asked = [q for q in asked if any(word.lower() in q.name.lower() for word in options.only)]
    before = machine()
    counts = counts_of(floor)
    say(f"{database_url}: {counts}; parameters {params}")
    collect_static(database_url)
    servers = {}
    try:
        servers["app"] = start_app(database_url, 1, logs / "gunicorn-measure.log", options.timeout)
        if options.database == "sqlite":
            say("copying the SQLite file for Datasette ...")
            servers["Datasette"] = start_datasette(
                datasette_copy(Path(options.path)), logs / "datasette.log", options.timeout
            )
        say("servers up: " + ", ".join(f"{name} on 127.0.0.1:{s.port}" for name, s in servers.items()))
        targets = list(servers) + ["floor"]

        given_up = set()  # (question, target) that timed out once: not asked again

        def ask(target, question):
            dialect = Dialect("sqlite") if target == "Datasette" else floor.dialect
            sql = dialect.finish(question.sql(dialect))
            if target == "floor":
                try:
                    body, seconds = floor.run(sql)
                except Exception:  # noqa: BLE001 - sqlite3 interrupted or psycopg's statement timeout
                    given_up.add((question.name, target))
                    say(f"floor took over {options.timeout:.0f} s on {question.name}: not asked again")
                    return "timeout", b"", float("nan")
                return 200, body, seconds
            path = question.app if target == "app" else datasette_path(sql)
            try:
                return fetch(servers[target].port, path, timeout=options.timeout)
            except TimeoutError:
                given_up.add((question.name, target))
                say(f"{target} took over {options.timeout:.0f} s on {question.name}: not asked again")
                servers[target].wait_ready()  # gunicorn replaces the worker it times out
                return "timeout", b"", float("nan")

        # The same rows both ways first.
        checks = {}
        for question in asked:
            floor_status, floor_body, _ = ask("floor", question)
            rows = json.loads(floor_body) if floor_status == 200 else []
            status, body, seconds = ask("app", question)
            if status != 200:
                checks[question.name] = f"app answered {status}"
            elif options.database == "postgres" and question.skip_check_on_postgres:
                checks[question.name] = f"not compared: {question.skip_check_on_postgres}"
            elif floor_status != 200:
                checks[question.name] = "floor timed out"
            else:
                checks[question.name] = question.check(body, rows) or f"same ({len(rows)} rows)"
            if "Datasette" in servers:
                status, body, _ = ask("Datasette", question)
                if status != 200:
                    checks[question.name] += f"; Datasette answered {status}: {body[:200]!r}"
                else:
                    theirs = json.loads(body)
                    mine = json.loads(json.dumps(rows, default=str))
                    if theirs != mine:
                        checks[question.name] += f"; Datasette rows differ ({len(theirs)} vs {len(mine)})"
            say(f"check {question.name}: {checks[question.name]} (app {seconds * 1000:.0f} ms)")

        rng = random.Random(options.seed)
        timings = {q.name: {t: [] for t in targets} for q in asked}
        errors = {q.name: dict.fromkeys(targets, 0) for q in asked}
        deadline = time.time() + options.max_seconds
        rounds = 0
        for round_ in range(options.warmup + options.rounds):
            if round_ >= options.warmup and time.time() > deadline:
                say(f"time budget of {options.max_seconds:.0f} s spent after {rounds} rounds")
                break
            for question in asked:
                order = targets[:]
                rng.shuffle(order)  # interleaved: the three answer the same question in turn
                for target in order:
                    if (question.name, target) in given_up:
                        continue
                    try:
                        status, _, seconds = ask(target, question)
                    except OSError:
                        status, seconds = 0, float("nan")
                    if round_ < options.warmup:
                        continue
                    if status != 200:
                        errors[question.name][target] += 1
                    else:
                        timings[question.name][target].append(seconds)
            if round_ >= options.warmup:
                rounds += 1
                if rounds % 5 == 0:
                    say(f"  {rounds}/{options.rounds} rounds")
    finally:
        for server in servers.values():
            server.stop()
    after = machine()
    label = f"{options.label or Path(options.path).stem if options.database == 'sqlite' else options.label or urllib.parse.urlparse(options.url).path.lstrip('/')}"
    report = results_table(asked, timings, errors, checks, "Datasette" in servers, given_up, options.timeout)
    header = (
        f"Scale **{label}** on **{'SQLite' if options.database == 'sqlite' else 'PostgreSQL'}**: "
        + ", ".join(f"{value:,} {name}" for name, value in counts.items())
        + f". {rounds} interleaved rounds after {options.warmup} warm-up; times in ms, client side, "
        "a new connection per request; floor = the same SQL in-process + json.dumps.\n"
        f"Measured {before['date']} on {before['machine']}; load average before {before['load']}, "
        f"after {after['load']}; code at {before['commit']}."
    )
    if options.database == "postgres":
        header += " Datasette serves SQLite only: on PostgreSQL the app is compared with the raw floor."
    print()
    print(header)
    print()
    print(report)
    if options.write:
        record(f"{label} {options.database}", f"{header}\n\n{report}")


TIMEOUT = 60


def ms(value: float) -> str:
    if value == math.inf:
        return f"> {TIMEOUT:.0f} s"
    return "–" if value != value else f"{value * 1000:.1f}"  # NaN: no sample


def ratio(mine: float, theirs: float, digits: int) -> str:
    if mine != mine or theirs != theirs:
        return "–"
    if mine == math.inf:
        return f"> {TIMEOUT / theirs:.{digits}f}" if theirs != math.inf else "–"
    return f"{mine / theirs:.{digits}f}"


def results_table(asked, timings, errors, checks, with_datasette, given_up=(), timeout=60) -> str:
    columns = ["question", "app p50", "app p95"]
    if with_datasette:
        columns += ["Datasette p50", "Datasette p95"]
    columns += ["floor p50", "floor p95"]
    if with_datasette:
        columns += ["app/Datasette p95"]
    columns += ["app/floor p95", "errors", "same rows"]
    lines = ["| " + " | ".join(columns) + " |", "| --- |" + " ---: |" * (len(columns) - 2) + " --- |"]
    for question in asked:
        times = timings[question.name]
        p = {
            t: (math.inf, math.inf)
            if (question.name, t) in given_up
            else (percentile(v, 0.5), percentile(v, 0.95))
            for t, v in times.items()
        }
        cells = [
            ("**" + question.name + "**") if question.seven else question.name,
            ms(p["app"][0]),
            ms(p["app"][1]),
        ]
        if with_datasette:
            cells += [ms(p["Datasette"][0]), ms(p["Datasette"][1])]
        cells += [ms(p["floor"][0]), ms(p["floor"][1])]
        if with_datasette:
            cells.append(ratio(p["app"][1], p["Datasette"][1], 2))
        cells.append(ratio(p["app"][1], p["floor"][1], 1))
        timed_out = sum(1 for target in times if (question.name, target) in given_up)
        cells.append(str(sum(errors[question.name].values()) + timed_out))
        cells.append(checks.get(question.name, "").replace("|", "\\|"))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def record(label: str, block: str, marker_kind: str = "scale benchmark") -> None:
    path = REPO / "docs" / "performance.md"
    text = path.read_text(encoding="utf-8")
    marker = f"<!-- {marker_kind}: {label} -->"
    block = f"{marker}\n{block}\n{marker}"
    if marker in text:
        start, end = text.index(marker), text.rindex(marker) + len(marker)
        text = text[:start] + block + text[end:]
    else:
        anchor = f"<!-- {marker_kind} results go here -->"
        text = (
            text.replace(anchor, f"{block}\n\n{anchor}")
            if anchor in text
            else f"{text.rstrip()}\n\n{block}\n"
        )
    path.write_text(text, encoding="utf-8")
    say(f"recorded in {path.relative_to(REPO)} ({marker})")


# ---- command line --------------------------------------------------------------------------------


def use_code(revision: str | None) -> None:
    """Run the app from the working tree (default) or from a commit exported with git archive into
    /tmp/bench/code-<sha> (e.g. --code HEAD for the committed code while others edit the tree)."""
    global CODE, CODE_LABEL
    if not revision:
        CODE_LABEL = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        return
    sha = subprocess.run(
        ["git", "rev-parse", "--short", revision], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    target = WORK / f"code-{sha}"
    if not (target / "manage.py").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", sha], cwd=REPO, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    CODE, CODE_LABEL = target, f"{sha} (committed code, exported to {target})"


CODE_LABEL = ""


def default_path(scale: str) -> str:
    return str(WORK / f"{scale}.sqlite3")


def default_url(scale: str) -> str:
    return f"{PG_ADMIN_URL}/bench_{scale}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="Make a database at a chosen scale.")
    build_parser.add_argument("--scale", choices=("corpus", "generated"), default="corpus")
    build_parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    build_parser.add_argument("--path", help="SQLite file (default /tmp/bench/<scale>.sqlite3).")
    build_parser.add_argument("--url", help="PostgreSQL URL (default .../bench_<scale>).")
    build_parser.add_argument("--notes", type=int, help="Generated notes (20000 corpus, 200000 generated).")
    build_parser.add_argument("--resolutions", type=int, default=25000, help="Resolutions (generated scale).")
    build_parser.add_argument(
        "--paragraphs", type=int, default=500000, help="About this many paragraphs (generated scale)."
    )
    build_parser.add_argument("--seed", type=int, default=9)
    measure_parser = commands.add_parser("measure", help="Time app, Datasette and the raw floor.")
    measure_parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    measure_parser.add_argument("--path", default=default_path("corpus"), help="SQLite file.")
    measure_parser.add_argument("--url", default=default_url("corpus"), help="PostgreSQL URL.")
    measure_parser.add_argument(
        "--rounds", type=int, default=30, help="Timed rounds (each asks every question)."
    )
    measure_parser.add_argument("--warmup", type=int, default=2)
    measure_parser.add_argument(
        "--max-seconds", type=float, default=900, help="Stop starting rounds after this."
    )
    measure_parser.add_argument(
        "--only", nargs="*", help="Only the questions whose name holds one of these words."
    )
    measure_parser.add_argument(
        "--label", help="Name of the scale in the report (default: the file or database)."
    )
    measure_parser.add_argument("--seed", type=int, default=9)
    measure_parser.add_argument("--timeout", type=float, default=60, help="Give up on a request after this.")
    measure_parser.add_argument(
        "--write", action="store_true", help="Record the table in docs/performance.md."
    )
    for sub in (build_parser, measure_parser):
        sub.add_argument("--code", help="A git revision to run instead of the working tree (e.g. HEAD).")
    options = parser.parse_args()
    use_code(options.code)
    if options.command == "measure":
        global TIMEOUT
        TIMEOUT = options.timeout
        measure(options)
    if options.command == "build":
        options.path = options.path or default_path(options.scale)
        options.url = options.url or default_url(options.scale)
        if options.notes is None:
            options.notes = 20000 if options.scale == "corpus" else 200000
        build(options)


if __name__ == "__main__":
    main()
