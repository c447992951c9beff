"""/healthz (resolutions/health.py): 200 while the database answers, 503 when it does not."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_healthz_says_ok_when_the_database_answers_and_is_never_cached(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_only_for_the_site_s_own_hosts(client):
    assert client.get("/healthz", headers={"host": "attacker.example"}).status_code == 400


# A real app process whose database cannot be reached: a SQLite file in a folder that does not exist,
# or a PostgreSQL server address where nothing listens.
UNREACHABLE = {
    "sqlite": "sqlite:////nonexistent-folder/tracker.sqlite3",
    "postgresql": "postgres://postgres:secret-password@127.0.0.1:1/tracker",
}
REQUEST = """
import json
from django.test import Client
response = Client().get("/healthz", headers={"host": "localhost"})
print(json.dumps([response.status_code, response.json(), response["Cache-Control"]]))
"""


def test_healthz_says_503_and_nothing_more_when_the_database_is_unreachable():
    backend = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    env = {**os.environ, "DATABASE_URL": UNREACHABLE[backend], "DJANGO_SECRET_KEY": "x"}
    env["DJANGO_ALLOWED_HOSTS"] = "localhost"
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", REQUEST],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    status, body, cache_control = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == 503
    assert body == {"status": "error", "database": "unreachable"}
    assert "no-store" in cache_control
