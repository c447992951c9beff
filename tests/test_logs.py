"""Structured logs (resolutions/logs.py): JSON lines on stdout for requests and security events."""

import json
import logging
import os
import subprocess
import sys

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from resolutions.logs import JsonFormatter
from resolutions.models import NoteState
from tests.factories import NoteFactory, ParagraphFactory
from tests.test_settings import REPO
from tests.test_staff_admin import PASSWORD, member

pytestmark = pytest.mark.django_db


def events(caplog, name):
    return [record for record in caplog.records if getattr(record, "event", None) == name]


def as_lines(caplog):
    """Every captured record as the console handler writes it."""
    return [JsonFormatter().format(record) for record in caplog.records]


def in_a_process_of_its_own(code, tmp_path, **env):
    """`code` run by manage.py shell with the real configuration (settings.LOGGING) and these variables."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=REPO,
        env={
            **base,
            "DJANGO_SECRET_KEY": "logs-test-" * 6,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            # A fresh clone has no collected static files yet: WhiteNoise's warning about the missing
            # folder is Python's, not a log line, and would end up among the lines read here.
            "PYTHONWARNINGS": "ignore:No directory at:UserWarning",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_requests_are_json_lines_on_stdout(tmp_path):
    """The real configuration (settings.LOGGING), in a process of its own: what an operator's log sees."""
    code = (
        "from django.test import Client; "
        "Client().get('/healthz?who=me'); Client().get('/api/v1/no-such-list/')"
    )
    result = in_a_process_of_its_own(code, tmp_path, DJANGO_ALLOWED_HOSTS="testserver")

    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line.get("event") == "request"]
    assert [(line["method"], line["path"], line["status"]) for line in requests] == [
        ("GET", "/healthz", 200),
        ("GET", "/api/v1/no-such-list/", 404),
    ]
    first = requests[0]
    assert first["logger"] == "tracker.requests" and first["level"] == "INFO"
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] >= 0
    assert first["user_id"] is None and first["client"] == "127.0.0.1"
    assert first["time"].endswith("+00:00")
    assert "who=me" not in result.stdout  # no query strings


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_a_host_not_allowed_is_one_warning_line_without_a_traceback(tmp_path, log_format):
    """In a process of its own with the real configuration, as `HOST=0.0.0.0 make run` prints it."""
    code = (
        "from django.test import Client; "
        "print(Client().get('/notes/', HTTP_HOST='10.1.2.3:8000').status_code, flush=True)"
    )
    result = in_a_process_of_its_own(
        code, tmp_path, DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost", DJANGO_LOG_FORMAT=log_format
    )

    assert result.returncode == 0, result.stderr
    *logged, status = (result.stdout + result.stderr).strip().splitlines()
    assert status == "400"
    [line] = logged
    assert "Traceback" not in result.stdout + result.stderr
    message = "GET /notes/ 400: host '10.1.2.3:8000' is not in DJANGO_ALLOWED_HOSTS"
    if log_format == "text":
        assert line.endswith(f" WARNING tracker.requests {message}")
    else:
        fields = json.loads(line)
        assert (fields["level"], fields["event"], fields["status"]) == ("WARNING", "request", 400)
        assert fields["refused_host"] == "10.1.2.3:8000" and fields["message"] == message


def test_a_token_request_logs_the_user_id_and_never_the_token(client, caplog):
    caplog.set_level(logging.INFO)
    user = member("editor", "edna")
    token = Token.objects.create(user=user)

    client.get("/api/v1/notes/", HTTP_AUTHORIZATION=f"Token {token.key}")

    [line] = [record for record in events(caplog, "request") if record.path == "/api/v1/notes/"]
    assert line.user_id == user.pk and line.status == 200 and line.method == "GET"
    assert all(token.key not in text for text in as_lines(caplog))


def test_a_one_time_password_link_is_logged_without_its_secrets(client, caplog):
    caplog.set_level(logging.INFO)

    client.get(reverse("admin_password_set", args=["MTIz", "cbk1tz-0123456789abcdef0123456789abcdef"]))

    [line] = events(caplog, "request")
    assert line.path == "/admin/password-set/[redacted]/[redacted]/"
    assert all("0123456789abcdef" not in text and "MTIz" not in text for text in as_lines(caplog))


def test_sign_in_failures_and_the_lockout_are_security_events_without_the_password(client, caplog, settings):
    caplog.set_level(logging.INFO)
    member("editor", "edna")
    login = reverse("admin:login")

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": "edna", "password": "wrong-guess-42"}, REMOTE_ADDR="203.0.113.9")
    locked = client.post(login, {"username": "edna", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")

    assert locked.status_code == 429
    failures = events(caplog, "sign_in_failed")
    assert len(failures) >= settings.AXES_FAILURE_LIMIT
    assert {(record.username, record.client, record.levelname) for record in failures} == {
        ("edna", "203.0.113.9", "WARNING")
    }
    [lockout] = events(caplog, "locked_out")[:1]
    assert lockout.name == "tracker.security" and lockout.username == "edna"
    assert lockout.client == "203.0.113.9"
    assert all("wrong-guess-42" not in text and PASSWORD not in text for text in as_lines(caplog))


def test_a_sign_in_is_a_security_event(client, caplog):
    caplog.set_level(logging.INFO)
    user = member("editor", "edna")

    client.post(reverse("admin:login"), {"username": "edna", "password": PASSWORD, "next": "/admin/"})

    [sign_in] = events(caplog, "sign_in")
    assert sign_in.user_id == user.pk and sign_in.username == "edna"
    assert all(PASSWORD not in text for text in as_lines(caplog))


def test_publish_withdraw_and_send_back_are_logged_with_who_did_it(caplog):
    caplog.set_level(logging.INFO)
    editor, reviewer = member("editor", "edna"), member("reviewer", "rita")
    note = NoteFactory(state=NoteState.DRAFT, paragraphs=[ParagraphFactory()], author=editor)

    note.transition(NoteState.IN_REVIEW, editor)
    note.transition(NoteState.DRAFT, reviewer)  # sent back
    note.transition(NoteState.IN_REVIEW, editor)
    note.transition(NoteState.PUBLISHED, reviewer)
    note.transition(NoteState.WITHDRAWN, reviewer)

    moves = [
        (record.object_id, record.from_state, record.to_state, record.user_id, record.username)
        for record in events(caplog, "editorial_move")
    ]
    assert moves == [
        (note.pk, "draft", "in_review", editor.pk, "edna"),
        (note.pk, "in_review", "draft", reviewer.pk, "rita"),
        (note.pk, "draft", "in_review", editor.pk, "edna"),
        (note.pk, "in_review", "published", reviewer.pk, "rita"),
        (note.pk, "published", "withdrawn", reviewer.pk, "rita"),
    ]
    published = json.loads(JsonFormatter().format(events(caplog, "editorial_move")[3]))
    assert published["logger"] == "tracker.security"
    assert published["model"] == "implementationnote" and published["to_state"] == "published"


def test_a_refused_move_is_not_logged_as_made(caplog):
    caplog.set_level(logging.INFO)
    editor = member("editor", "edna")
    note = NoteFactory(state=NoteState.IN_REVIEW, paragraphs=[ParagraphFactory()])

    with pytest.raises(Exception, match="only reviewers"):
        note.transition(NoteState.PUBLISHED, editor)

    assert events(caplog, "editorial_move") == []
