"""EMAIL_URL and the EMAIL_* variables (tracker/email_url.py, tracker/settings.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.email_url import email_settings

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://mailer:s%40cret@mail.example.org",
            {
                "EMAIL_HOST": "mail.example.org",
                "EMAIL_PORT": 25,
                "EMAIL_HOST_USER": "mailer",
                "EMAIL_HOST_PASSWORD": "s@cret",
                "EMAIL_USE_TLS": False,
                "EMAIL_USE_SSL": False,
            },
        ),
        (
            "smtp+tls://u:p@mail.example.org",
            {"EMAIL_PORT": 587, "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False},
        ),
        ("smtps://u:p@mail.example.org", {"EMAIL_PORT": 465, "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": True}),
        (
            "smtp://relay.internal:2525",
            {"EMAIL_PORT": 2525, "EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": ""},
        ),
        ("file:///var/spool/tracker-mail", {"EMAIL_FILE_PATH": "/var/spool/tracker-mail"}),
        ("console://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
    ],
)
def test_an_email_url_gives_djangos_settings(url, expected):
    settings = email_settings(url)
    assert {name: settings[name] for name in expected} == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("imap://mail.example.org", "imap scheme"),
        ("smtp://", "needs a host name"),
        ("smtp://mail.example.org:port", "port is not a number"),
        ("file://", "needs a folder"),
    ],
)
def test_a_wrong_email_url_says_why(url, reason):
    with pytest.raises(ValueError, match=reason):
        email_settings(url)


def mail_settings(**env):
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({n: str(getattr(s, n, '')) for n in "
        "['EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_USE_TLS', 'EMAIL_FILE_PATH']}))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=REPO,
        env={**base, "DJANGO_DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_settings_read_email_url_then_the_email_variables_then_write_to_a_folder():
    from_url = json.loads(mail_settings(EMAIL_URL="smtp+tls://u:p@mail.example.org").stdout)
    from_variables = json.loads(mail_settings(EMAIL_HOST="relay.example.org", EMAIL_PORT="2525").stdout)
    default = json.loads(mail_settings().stdout)

    assert (from_url["EMAIL_HOST"], from_url["EMAIL_PORT"], from_url["EMAIL_USE_TLS"]) == (
        "mail.example.org",
        "587",
        "True",
    )
    assert (from_variables["EMAIL_HOST"], from_variables["EMAIL_PORT"]) == ("relay.example.org", "2525")
    assert default["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert default["EMAIL_FILE_PATH"] == str(REPO / "sent-mail")


def test_a_wrong_email_url_stops_start_up_with_one_line():
    result = mail_settings(EMAIL_URL="smtp://mail.example.org:port")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Configuration error: EMAIL_URL: the port is not a number (Port could not be cast to integer value as 'port')."
    ]
