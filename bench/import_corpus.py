#!/usr/bin/env python
"""Benchmark: import the whole shared corpus of UN Akoma Ntoso XML, on SQLite and on PostgreSQL.

    .venv/bin/python bench/import_corpus.py                 # both databases
    .venv/bin/python bench/import_corpus.py --database sqlite
    .venv/bin/python bench/import_corpus.py --write         # also record the figures in docs/performance.md

Each run starts from an empty, migrated database and imports with the command staff use
(`manage.py import_resolution <folder>`), in a child process whose wall time and peak memory are
measured; then it imports the same folder again (everything unchanged). Target: the whole corpus
in under 60 s on SQLite on the project's 2-core machine.
"""

import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 60
PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def corpus() -> Path:
    data = Path(os.environ.get("TRACKER_SHARED_DATA") or REPO.parent / "shared" / "data")
    folder = data / "unxml"
    if not folder.is_dir():
        sys.exit(f"{folder} is absent: the benchmark needs the UN's published XML (set TRACKER_SHARED_DATA)")
    return folder


def manage(database_url: str, *args: str) -> tuple[float, int, str]:
    """Run a manage.py command in a child process: (seconds, peak resident KB of that child, stderr)."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "1"}
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as errors:
        child = subprocess.Popen(
            [sys.executable, "manage.py", *args], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=errors
        )
        _, status, usage = os.wait4(child.pid, 0)  # this child's own peak memory, not the largest so far
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        errors.seek(0)
        stderr = errors.read()
    if child.returncode not in (0, 1):
        sys.exit(f"manage.py {' '.join(args)} failed:\n{stderr[-3000:]}")
    return seconds, usage.ru_maxrss, stderr


def summary_of(stderr: str) -> dict[str, int]:
    line = next((line for line in reversed(stderr.splitlines()) if line.startswith("Summary:")), "")
    return {word: int(count) for count, word in re.findall(r"(\d+) (\w+)", line)}


def bench(name: str, database_url: str, folder: Path) -> dict:
    manage(database_url, "migrate", "-v", "0")
    seconds, peak_kb, stderr = manage(
        database_url, "import_resolution", str(folder), "--no-progress", "-v", "0"
    )
    first = summary_of(stderr)
    again_seconds, _, again_stderr = manage(
        database_url, "import_resolution", str(folder), "--no-progress", "-v", "0"
    )
    again = summary_of(again_stderr)
    documents = first.get("imported", 0) + first.get("updated", 0)
    return {
        "database": name,
        "files": sum(1 for _ in folder.rglob("*.xml")),
        "documents": documents,
        "failed": first.get("failed", 0),
        "seconds": seconds,
        "per_second": documents / seconds,
        "peak_mb": peak_kb / 1024,
        "again_seconds": again_seconds,
        "again_unchanged": again.get("unchanged", 0),
    }


def sqlite_url(folder: str) -> str:
    return f"sqlite:///{folder}/bench.sqlite3"


def postgres_url() -> str:
    name = "tracker_bench"
    admin = f"{PG_ADMIN_URL}/postgres"
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", admin, "-qc", sql], check=True, capture_output=True)
    return f"{PG_ADMIN_URL}/{name}"


def table(results: list[dict]) -> str:
    lines = [
        "| database | XML files | resolutions loaded | failed | time | documents/s | peak memory | re-run (all unchanged) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r['database']} | {r['files']} | {r['documents']} | {r['failed']} | {r['seconds']:.1f} s "
            f"| {r['per_second']:.0f} | {r['peak_mb']:.0f} MB | {r['again_seconds']:.1f} s "
            f"({r['again_unchanged']} unchanged) |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--write", action="store_true", help="Record the figures in docs/performance.md.")
    options = parser.parse_args()
    folder = corpus()
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        if options.database in ("sqlite", "both"):
            results.append(bench("SQLite", sqlite_url(scratch), folder))
        if options.database in ("postgres", "both"):
            results.append(bench("PostgreSQL", postgres_url(), folder))
    report = table(results)
    print(report)
    sqlite = next((r for r in results if r["database"] == "SQLite"), None)
    if sqlite:
        verdict = "meets" if sqlite["seconds"] < TARGET_SECONDS else "MISSES"
        print(f"\nSQLite: {sqlite['seconds']:.1f} s {verdict} the target of {TARGET_SECONDS} s.")
    if options.write:
        record(report, results)


def record(report: str, results: list[dict]) -> None:
    path = REPO / "docs" / "performance.md"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    marker = "<!-- import_corpus results -->"
    stamp = (
        f"Measured {datetime.date.today().isoformat()} with `bench/import_corpus.py` on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}."
    )
    block = f"{marker}\n{stamp}\n\n{report}\n{marker}"
    if marker in text:
        start, end = text.index(marker), text.rindex(marker) + len(marker)
        text = text[:start] + block + text[end:]
    else:
        text += f"\n{block}\n"
    path.write_text(text, encoding="utf-8")
    print(f"Recorded in {path.relative_to(REPO)}")


if __name__ == "__main__":
    main()
