#!/usr/bin/env python
"""Load benchmark (issue 9): N concurrent clients over a mixed workload of every public page and API
call of bench/scale.py, against the app under gunicorn (sync workers) and then against Datasette
serving a copy of the same SQLite file with the equivalent SQL.

    .venv/bin/python bench/load.py --path /tmp/bench/corpus.sqlite3            # 20 clients, 3 workers
    .venv/bin/python bench/load.py --clients 20 --requests 2000 --seconds 60 --write
    .venv/bin/python bench/load.py --database postgres --url postgres://postgres@127.0.0.1:5432/bench_corpus

Bounded: each target gets at most --requests requests and --seconds seconds; loopback only
(127.0.0.1); a new connection per request. The workload is one fixed, seeded sequence of
questions (every question equally likely), the same for the app and for Datasette.
Reports requests/s, p50/p95/p99 (ms, client side) and errors (non-200 answers or failures).
Datasette needs its own environment: see bench/requirements.txt.
"""

import argparse
import random
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import scale


def run(name: str, port: int, paths: list[str], clients: int, seconds: float) -> dict:
    """Send `paths` in order from `clients` threads until done or `seconds` pass."""
    lock = threading.Lock()
    position = 0
    latencies, failures = [], []
    deadline = time.perf_counter() + seconds

    def client():
        nonlocal position
        while time.perf_counter() < deadline:
            with lock:
                if position >= len(paths):
                    return
                path = paths[position]
                position += 1
            try:
                status, _, elapsed = scale.fetch(port, path, timeout=120)
            except OSError as error:
                status, elapsed = type(error).__name__, None
            with lock:
                if status == 200:
                    latencies.append(elapsed)
                else:
                    failures.append(status)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    done = len(latencies) + len(failures)
    return {
        "target": name,
        "requests": done,
        "seconds": elapsed,
        "per_second": done / elapsed if elapsed else 0.0,
        "p50": scale.percentile(latencies, 0.50),
        "p95": scale.percentile(latencies, 0.95),
        "p99": scale.percentile(latencies, 0.99),
        "errors": len(failures),
        "error_kinds": sorted({str(f) for f in failures}),
    }


def table(results: list[dict], clients: int) -> str:
    lines = [
        "| target | concurrent clients | requests | time | requests/s | p50 | p95 | p99 | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        errors = str(r["errors"]) + (f" ({', '.join(r['error_kinds'])})" if r["errors"] else "")
        lines.append(
            f"| {r['target']} | {clients} | {r['requests']} | {r['seconds']:.1f} s | {r['per_second']:.1f} "
            f"| {scale.ms(r['p50'])} ms | {scale.ms(r['p95'])} ms | {scale.ms(r['p99'])} ms | {errors} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--path", default=scale.default_path("corpus"), help="SQLite file.")
    parser.add_argument("--url", default=scale.default_url("corpus"), help="PostgreSQL URL.")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers for the app.")
    parser.add_argument("--requests", type=int, default=2000, help="At most this many requests per target.")
    parser.add_argument("--seconds", type=float, default=90, help="At most this long per target.")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--timeout", type=float, default=60, help="Give up on a request after this.")
    parser.add_argument("--code", help="A git revision to run instead of the working tree (e.g. HEAD).")
    parser.add_argument("--label", help="Name of the scale in the report (default: the file or database).")
    parser.add_argument("--write", action="store_true", help="Record the table in docs/performance.md.")
    options = parser.parse_args()
    if not 1 <= options.clients <= 200:
        sys.exit("--clients: from 1 to 200")
    scale.use_code(options.code)
    database_url = scale.database_url_of(options)
    if options.database == "sqlite" and not Path(options.path).exists():
        sys.exit(f"{options.path} does not exist: build it first (bench/scale.py build)")
    logs = scale.WORK / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    floor = scale.Floor(options)
    asked = scale.questions(scale.parameters(floor))
    before = scale.machine()
    counts = scale.counts_of(floor)
    scale.collect_static(database_url)
    results = []
    rng = random.Random(options.seed)

    excluded = []

    def against(name, server, path_of):
        try:
            for question in list(asked):  # warm up: every question once
                try:
                    status, _, _ = scale.fetch(server.port, path_of(question), timeout=options.timeout)
                except OSError as error:
                    status = type(error).__name__
                if status != 200 and not results:  # the app cannot answer it: out of both workloads
                    scale.say(f"{name}: {question.name} answered {status} in warm-up; left out")
                    excluded.append(f"{question.name} ({status})")
                    asked.remove(question)
                    server.wait_ready()
            paths = [path_of(question) for question in asked]
            sequence = [rng.randrange(len(asked)) for _ in range(options.requests)]
            scale.say(
                f"{name}: {options.clients} clients, up to {options.requests} requests / {options.seconds} s"
            )
            result = run(name, server.port, [paths[i] for i in sequence], options.clients, options.seconds)
            scale.say(f"{name}: {result['per_second']:.1f} requests/s, {result['errors']} errors")
            results.append(result)
        finally:
            server.stop()
        rng.seed(options.seed)

    app = scale.start_app(database_url, options.workers, logs / "gunicorn-load.log", options.timeout)
    against(f"app (gunicorn, {options.workers} sync workers)", app, lambda question: question.app)
    if options.database == "sqlite":
        copy = scale.datasette_copy(Path(options.path))
        datasette = scale.start_datasette(copy, logs / "datasette-load.log", options.timeout)
        against(
            "Datasette 0.65.5",
            datasette,
            lambda question: scale.datasette_path(
                scale.Dialect("sqlite").finish(question.sql(scale.Dialect("sqlite")))
            ),
        )
    after = scale.machine()
    label = options.label or (
        Path(options.path).stem
        if options.database == "sqlite"
        else urllib.parse.urlparse(options.url).path.lstrip("/")
    )
    header = (
        f"Load, scale **{label}** on **{'SQLite' if options.database == 'sqlite' else 'PostgreSQL'}** "
        f"({', '.join(f'{value:,} {name}' for name, value in counts.items())}): {len(asked)} questions "
        "of bench/scale.py in one seeded random sequence, equally likely, a new connection per request.\n"
        f"Measured {before['date']} on {before['machine']}; load average before {before['load']}, "
        f"after {after['load']}; code at {before['commit']}."
    )
    if options.database == "postgres":
        header += " Datasette serves SQLite only: not run on PostgreSQL."
    if excluded:
        header += f" Left out of both workloads (no answer from the app in warm-up): {'; '.join(excluded)}."
    report = table(results, options.clients)
    print()
    print(header)
    print()
    print(report)
    app_rate = results[0]["per_second"]
    if len(results) > 1:
        verdict = "at least" if app_rate >= results[1]["per_second"] else "BELOW"
        print(
            f"\nThe app serves {app_rate:.1f} requests/s, {verdict} Datasette's {results[1]['per_second']:.1f}."
        )
    if options.write:
        scale.record(f"{label} {options.database}", f"{header}\n\n{report}", marker_kind="load benchmark")


if __name__ == "__main__":
    main()
