"""manage.py backup / restore keep every table, change history included (resolutions/backups.py).

The commands run in subprocesses against real databases of their own, since pytest's test database
cannot be restored into from outside (on SQLite it lives in memory): two SQLite files in tmp_path, or
two throwaway PostgreSQL databases when DATABASE_URL names PostgreSQL (the second `make test` pass).
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BACKEND = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"

WRITTEN_AND_SUBMITTED = "Written and submitted by an editor"
SUBMITTED_BY_REVIEWER = "Written by an editor, submitted by a reviewer"

# A note an editor wrote and submitted, one a reviewer submitted for her, and a row in every history table.
BUILD = f"""
import datetime
from django.contrib.auth.models import Group
from resolutions.models import (
    Assessment, AssessmentStatus, Country, Entity, ImplementationNote, NoteSource, NoteState, NoteTranslation,
    Paragraph, Theme,
)
from resolutions.workflow import ROLE_GROUPS
from tests.factories import UserFactory

def member(role, username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    return user

edna, rita, _ = member("editor", "edna"), member("reviewer", "rita"), member("reviewer", "rex")
paragraph = Paragraph.objects.operative().get(resolution__symbol="A/RES/77/273", number="1")
for title, submitter in [({WRITTEN_AND_SUBMITTED!r}, edna), ({SUBMITTED_BY_REVIEWER!r}, rita)]:
    note = ImplementationNote(title=title, body="Met the Governments.", start_date=datetime.date(2024, 5, 1), author=edna)
    note._history_user = edna
    note.save()
    note.paragraphs.set([paragraph])
    note.countries.set(Country.objects.filter(alpha3__in=["KAZ", "TJK"]))
    note.entities.set(Entity.objects.all()[:1])
    note.themes.set(Theme.objects.all()[:1])
    NoteSource.objects.create(note=note, title="Press release", url="https://unrcca.unmissions.org/")
    note.record_edit(edna)
    note.transition(NoteState.IN_REVIEW, submitter)
translation = NoteTranslation(note=note, language="ru", title="Встреча", body="Встреча с правительствами.", author=edna)
translation._history_user = edna
translation.save()
translation.record_edit(edna)
Assessment.objects.create(
    paragraph=paragraph, status=AssessmentStatus.ONGOING, as_of=datetime.date(2024, 6, 1),
    rationale="Meetings continue.", author=edna,
)
paragraph._history_user = edna
paragraph.save()

# Statistics refreshed as a restore refreshes them, so that SQLite's sqlite_stat1 compares too.
from resolutions.statistics import refresh_statistics
refresh_statistics()
"""

# Rows in every table the database has (introspected, not listed), as JSON on one line.
COUNT = """
import json
from django.db import connection
with connection.cursor() as cursor:
    counts = {}
    for table in connection.introspection.table_names(cursor):
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
print(json.dumps(counts))
"""

# After the restore: Edna, now promoted to reviewer, may not publish what she wrote; Rita may not publish
# what she submitted (the history alone says so); Rex, who did neither, may.
CHECK = f"""
import json
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from resolutions.models import ImplementationNote, NoteState
from resolutions.workflow import ROLE_GROUPS

def publish(title, username):
    note = ImplementationNote.objects.get(title=title)
    try:
        note.transition(NoteState.PUBLISHED, User.objects.get(username=username))
    except ValidationError as error:
        return "refused: " + " ".join(error.messages)
    return note.state

User.objects.get(username="edna").groups.add(Group.objects.get(name=ROLE_GROUPS["reviewer"]))
submission = ImplementationNote.objects.get(title={SUBMITTED_BY_REVIEWER!r}).last_moved_to(NoteState.IN_REVIEW)
print(json.dumps({{
    "submitted_by": submission.history_user.username,
    "edna": publish({WRITTEN_AND_SUBMITTED!r}, "edna"),
    "rita": publish({SUBMITTED_BY_REVIEWER!r}, "rita"),
    "rex": publish({SUBMITTED_BY_REVIEWER!r}, "rex"),
}}))
"""


def manage(database_url, *arguments, check=True):
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SECRET_KEY": "x"}
    env["DJANGO_ALLOWED_HOSTS"] = "localhost"
    env.pop("REDIS_URL", None)  # the tests' own Redis database is emptied by other tests meanwhile
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=REPO, env=env, capture_output=True, text=True
    )
    if check and result.returncode != 0:
        pytest.fail(f"manage.py {arguments[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result


def last_json_line(output):
    return json.loads(output.strip().splitlines()[-1])


def psql(*arguments):
    subprocess.run(
        ["psql", f"{PG_SERVER}/postgres", "-v", "ON_ERROR_STOP=1", "-qc", *arguments],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def empty_database(tmp_path):
    """Makes empty databases of the backend under test (a SQLite path, or a PostgreSQL database)."""
    created = []

    def make(role):
        if BACKEND == "sqlite":
            return f"sqlite:///{tmp_path / role}.sqlite3"
        name = f"tracker_backup_test_{uuid.uuid4().hex[:12]}_{role}"
        psql(f'CREATE DATABASE "{name}"')
        created.append(name)
        return f"{PG_SERVER}/{name}"

    yield make
    for name in created:
        psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restored_into_an_empty_database_keeps_every_row_and_the_four_eyes_rule(
    empty_database, tmp_path
):
    source, target = empty_database("source"), empty_database("target")
    manage(source, "migrate", "--no-input", "-v", "0")
    manage(source, "load_bundled_data")
    manage(source, "shell", "-c", BUILD)
    before = last_json_line(manage(source, "shell", "-c", COUNT).stdout)

    backup = tmp_path / "tracker.backup"
    written = manage(source, "backup", str(backup)).stdout
    assert str(backup) in written and f"{backup.stat().st_size} bytes" in written

    restored = manage(target, "restore", str(backup)).stdout
    assert "resolutions_implementationnote" in restored and "Restore complete." in restored
    after = last_json_line(manage(target, "shell", "-c", COUNT).stdout)

    assert after == before
    history = {table: count for table, count in after.items() if table.startswith("history_")}
    assert len(history) >= 9, history  # five models' histories and the note's four link tables
    assert all(history.values()), f"empty history tables: {history}"

    outcome = last_json_line(manage(target, "shell", "-c", CHECK).stdout)
    assert outcome["submitted_by"] == "rita"
    assert outcome["edna"] == "refused: A second person must review a note: its author cannot publish it."
    assert outcome["rita"] == (
        "refused: A second person must review a note: whoever submitted it cannot publish it."
    )
    assert outcome["rex"] == "published"

    again = manage(target, "restore", str(backup), check=False)
    assert again.returncode != 0
    assert "already has" in again.stderr and "--force" in again.stderr


def test_a_folder_written_with_a_trailing_slash_gets_a_dated_file_even_before_it_exists(tmp_path):
    """The cron line `backup /var/backups/tracker/` on a new server: a folder, not a file called tracker."""
    from resolutions.backups import target_path

    folder = tmp_path / "backups" / "tracker"

    path = target_path(f"{folder}/", "postgresql")

    assert folder.is_dir()
    assert path.parent == folder
    assert path.name.startswith("tracker-") and path.suffix == ".dump"
    assert target_path(tmp_path / "named.dump", "postgresql") == tmp_path / "named.dump"
