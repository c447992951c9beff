"""Configuration comes from the environment; production refuses to start without its secrets."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def start(**env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "CRITICAL"],
        cwd=REPO,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "s" * 50}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_ALLOWED_HOSTS": "example.org"}, "DJANGO_SECRET_KEY"),
    ],
)
def test_without_debug_a_missing_secret_stops_start_up_with_one_line(env, missing):
    result = start(**env)

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert missing in lines[0]


def test_with_its_variables_set_production_starts():
    result = start(DJANGO_SECRET_KEY="s" * 50, DJANGO_ALLOWED_HOSTS="example.org")

    assert result.returncode == 0, result.stderr


def test_debug_is_off_unless_switched_on(settings):
    from django.conf import settings as live

    assert live.DEBUG is False


def test_database_url_selects_the_database():
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    env = {"DJANGO_DEBUG": "1"}
    sqlite = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=REPO,
        env={**os.environ, **env, "DATABASE_URL": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )
    postgres = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=REPO,
        env={**os.environ, **env, "DATABASE_URL": "postgres://u@127.0.0.1:5432/x"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert sqlite.stdout.strip().endswith("sqlite3")
    assert postgres.stdout.strip().endswith("postgresql")


HTTPS = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "example.org",
    "DJANGO_HTTPS": "1",
}


@pytest.mark.parametrize(
    "hsts",
    [
        {},
        {"DJANGO_HSTS_INCLUDE_SUBDOMAINS": "0"},
        {"DJANGO_HSTS_PRELOAD": "1", "DJANGO_HSTS_SECONDS": "31536000"},
    ],
    ids=["defaults", "no-subdomains", "preload"],
)
def test_check_deploy_behind_https_prints_no_warning(hsts):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env={**base, **HTTPS, **hsts},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def hsts_header(**env):
    """The Strict-Transport-Security header of a page asked for over HTTPS, with these variables."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    code = (
        "from django.test import Client; "
        "print(Client().get('/healthz', secure=True, HTTP_HOST='example.org').headers.get("
        "'Strict-Transport-Security', 'none'))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=REPO,
        env={**base, **HTTPS, "DATABASE_URL": "sqlite://:memory:", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_hsts_subdomains_and_preload_come_from_the_environment():
    assert hsts_header() == "max-age=3600; includeSubDomains"
    assert hsts_header(DJANGO_HSTS_INCLUDE_SUBDOMAINS="0") == "max-age=3600"
    assert (
        hsts_header(DJANGO_HSTS_SECONDS="31536000", DJANGO_HSTS_PRELOAD="1")
        == "max-age=31536000; includeSubDomains; preload"
    )
