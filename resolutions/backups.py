"""Whole-database backup and restore, change history included (manage.py backup / restore).

`dumpdata`/`loaddata` cannot serve: the change history (app "history") has no models module of its
own, so `dumpdata` leaves it out, and without it the four-eyes rule no longer knows who submitted
a note. These copy the database itself, every table at once:

- SQLite: the online backup API (a consistent copy while the site keeps running) into one
  self-contained file; a restore copies it back the same way.
- PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists --no-owner`, with the
  connection settings of settings.DATABASES; the password goes through PGPASSWORD, never argv.
"""

import datetime
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import CommandError
from django.db import connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".dump"}


def target_path(path, vendor):
    """The file to write: `path`, or a dated file inside it when it is a directory (handy for cron).

    A path written with a trailing slash (`/var/backups/tracker/`) names a directory even before it
    exists: it is made, rather than a file of that name written.
    """
    if str(path).endswith(("/", os.sep)):
        Path(path).mkdir(parents=True, exist_ok=True)
    path = Path(path)
    if path.is_dir():
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        return path / f"tracker-{stamp}{SUFFIX.get(vendor, '.backup')}"
    return path


def backup(path, using="default"):
    """Copy the whole database to `path` (written under a temporary name, then moved into place)."""
    connection = connections[using]
    path = target_path(path, connection.vendor)
    partial = path.with_name(f".{path.name}.partial")
    try:
        if connection.vendor == "sqlite":
            _sqlite_backup(connection, partial)
        elif connection.vendor == "postgresql":
            _run(_pg_command("pg_dump", connection, "--format=custom", f"--file={partial}"), connection)
        else:
            raise CommandError(f"Backups of {connection.vendor} databases are not supported.")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def restore(path, using="default", force=False):
    """Replace the database's contents with the backup at `path`; refuse a database that has tables."""
    connection = connections[using]
    path = Path(path)
    _check_archive(path, connection.vendor)
    existing = connection.introspection.table_names()
    if existing and not force:
        raise CommandError(
            f"The database {_describe(connection)} already has {len(existing)} tables. A restore replaces "
            "everything in it: restore into an empty database, or pass --force to overwrite this one."
        )
    if connection.vendor == "sqlite":
        _sqlite_restore(connection, path)
    else:
        connection.close()  # pg_restore drops and recreates tables: hold no lock on them
        _run(
            _pg_command(
                "pg_restore",
                connection,
                "--clean",
                "--if-exists",
                "--no-owner",
                # Grants name roles of the server the backup came from, which this one may not have.
                "--no-privileges",
                "--single-transaction",
                str(path),
            ),
            connection,
        )


def table_counts(using="default"):
    """{table: number of rows} for every table of the database, history and search index included."""
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _describe(connection):
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"“{settings['NAME']}”"
    return f"“{settings['NAME']}” on {settings.get('HOST') or 'localhost'}:{settings.get('PORT') or 5432}"


def _check_archive(path, vendor):
    if not path.is_file():
        raise CommandError(f"No backup file at {path}.")
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    kind = "sqlite" if head == SQLITE_MAGIC else "postgresql" if head.startswith(PG_DUMP_MAGIC) else None
    if kind is None:
        raise CommandError(f"{path} is neither a SQLite backup nor a pg_dump archive (custom format).")
    if kind != vendor:
        made_by = "SQLite" if kind == "sqlite" else "PostgreSQL (pg_dump)"
        raise CommandError(
            f"{path} is a {made_by} backup, but this site's database is {vendor}: "
            "restore it into a site configured with the same kind of database."
        )


def _sqlite_backup(connection, path):
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        # One self-contained file: no -wal file beside it to forget when copying it elsewhere.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()


def _sqlite_restore(connection, path):
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        problem = source.execute("PRAGMA quick_check").fetchone()[0]
        if problem != "ok":
            raise CommandError(f"{path} is damaged ({problem}); nothing was restored.")
        connection.ensure_connection()
        source.backup(connection.connection)
    except sqlite3.Error as error:
        raise CommandError(f"Could not restore {path}: {error}") from error
    finally:
        source.close()
    connection.close()  # the next query opens the restored file afresh (and sets WAL mode on it again)


def _pg_command(program, connection, *arguments):
    executable = shutil.which(program)
    if executable is None:
        raise CommandError(
            f"{program} is not installed (or not on PATH): install the PostgreSQL client tools, "
            "e.g. `apt-get install postgresql-client`, in a version no older than the server."
        )
    settings = connection.settings_dict
    command = [executable, "--no-password", f"--dbname={settings['NAME']}"]
    if settings.get("HOST"):
        command.append(f"--host={settings['HOST']}")
    if settings.get("PORT"):
        command.append(f"--port={settings['PORT']}")
    if settings.get("USER"):
        command.append(f"--username={settings['USER']}")
    return [*command, *arguments]


def _run(command, connection):
    settings = connection.settings_dict
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if settings.get("OPTIONS", {}).get(option):
            env[variable] = str(settings["OPTIONS"][option])
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        program = Path(command[0]).name
        raise CommandError(f"{program} failed (exit {result.returncode}):\n{result.stderr.strip()}")
