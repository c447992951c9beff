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


# --- A .env file besides the environment (issue 18) ---------------------------------------------

SHOW = "from django.conf import settings as s; print(s.ALLOWED_HOSTS, s.TIME_ZONE, s.SECRET_KEY)"


def show_settings(**env):
    """ALLOWED_HOSTS, TIME_ZONE and SECRET_KEY as a process of its own reads them with these variables."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", SHOW],
        cwd=REPO,
        env={**base, "DATABASE_URL": "sqlite://:memory:", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_dot_env_file_supplies_what_the_environment_does_not_set_and_the_environment_wins(tmp_path):
    dot_env = tmp_path / "tracker.env"
    dot_env.write_text(
        "# made by hand\n"
        "DJANGO_SECRET_KEY='abc$HOME#not-a-comment'\n"
        "DJANGO_ALLOWED_HOSTS=tracker.example.org\n"
        "DJANGO_TIME_ZONE=Asia/Bishkek\n"
    )

    result = show_settings(TRACKER_ENV_FILE=str(dot_env), DJANGO_TIME_ZONE="UTC")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "['tracker.example.org'] UTC abc$HOME#not-a-comment"


def test_a_named_env_file_that_is_missing_stops_start_up_with_one_line(tmp_path):
    result = show_settings(TRACKER_ENV_FILE=str(tmp_path / "nowhere.env"))

    assert result.returncode != 0
    assert result.stderr.strip() == (
        f"Configuration error: TRACKER_ENV_FILE names {tmp_path / 'nowhere.env'}, which is not a file."
    )


def test_tests_never_read_a_developers_env_file():
    from django.conf import settings

    assert os.environ["TRACKER_ENV_FILE"] == "" and settings.ENV_FILE == ""


def test_the_local_env_file_keeps_the_key_of_an_earlier_secret_key_file(tmp_path, capsys):
    from dotenv import dotenv_values

    from tracker import local_env

    (tmp_path / ".secret_key").write_text("kept-key-from-before_0123456789\n")
    assert local_env.main(["local_env", str(tmp_path / ".env")]) == 0
    assert "the secret key of .secret_key" in capsys.readouterr().out
    kept = dotenv_values(tmp_path / ".env", interpolate=False)

    assert kept == {
        "DJANGO_SECRET_KEY": "kept-key-from-before_0123456789",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_LOG_FORMAT": "text",
    }
    assert (tmp_path / ".env").stat().st_mode & 0o077 == 0  # readable by its owner only


def test_the_local_env_file_has_a_new_key_of_its_own_and_is_never_overwritten(tmp_path):
    from dotenv import dotenv_values

    from tracker import local_env

    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    for folder in (first, second):
        local_env.main(["local_env", str(folder / ".env")])
    keys = [dotenv_values(folder / ".env")["DJANGO_SECRET_KEY"] for folder in (first, second)]

    assert len(keys[0]) >= 50 and keys[0] != keys[1]
    (first / ".env").write_text("DJANGO_ALLOWED_HOSTS=mine.example.org\n")
    local_env.main(["local_env", str(first / ".env")])
    assert (first / ".env").read_text() == "DJANGO_ALLOWED_HOSTS=mine.example.org\n"


def test_a_quoted_key_is_read_back_as_it_was(tmp_path):
    from dotenv import dotenv_values

    from tracker import local_env

    odd = "it's a \\ key with # and $HOME"
    (tmp_path / ".secret_key").write_text(odd)
    local_env.main(["local_env", str(tmp_path / ".env")])

    assert dotenv_values(tmp_path / ".env", interpolate=False)["DJANGO_SECRET_KEY"] == odd


def test_serving_every_address_allows_the_machines_own_names_and_addresses():
    import socket

    keys = {"DJANGO_SECRET_KEY": "s" * 50, "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    local = show_settings(**keys)
    everywhere = show_settings(**keys, DJANGO_ALLOW_MACHINE_HOSTS="1")

    assert local.stdout.startswith("['127.0.0.1', 'localhost'] ")
    assert everywhere.returncode == 0, everywhere.stderr
    hosts = everywhere.stdout.split("]")[0]
    assert f"'{socket.gethostname()}'" in hosts
    assert f"'{socket.gethostbyname(socket.gethostname())}'" in hosts


COMMANDS = [
    (["check"], "System check identified no issues (0 silenced)."),
    (["makemigrations", "--check", "--dry-run"], "No changes detected"),
    (["showmigrations", "resolutions"], "resolutions\n [ ] 0001_initial"),
    (["help", "import_resolution"], "usage: manage.py import_resolution"),
    (["help"], "Type 'manage.py help <subcommand>' for help on a specific subcommand."),
]


@pytest.mark.parametrize(("command", "starts"), COMMANDS, ids=[" ".join(c) for c, _ in COMMANDS])
def test_a_command_prints_its_own_output_and_no_library_banner(command, starts, tmp_path):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=REPO,
        env={
            **base,
            "TRACKER_ENV_FILE": "",
            "DJANGO_SECRET_KEY": "s" * 50,
            "DJANGO_ALLOWED_HOSTS": "example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    # django-axes says "AXES: BEGIN version ..." on every command unless AXES_VERBOSE is off.
    assert "AXES" not in result.stdout + result.stderr
    assert result.stderr == ""
    output = result.stdout.strip()
    assert output.startswith(starts), output[:300]
