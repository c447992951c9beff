import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "resolutions" / "data" / "A_RES_77_273.md"


def shared_data() -> Path:
    """The UN's published files: ../shared/data beside the repo, or TRACKER_SHARED_DATA."""
    return Path(os.environ.get("TRACKER_SHARED_DATA") or REPO.parent / "shared" / "data")


@pytest.fixture
def shared_data_dir():
    path = shared_data()
    if not path.is_dir():
        pytest.skip(
            f"{path} is absent: the UN's published files are needed for this test (CI always has them)"
        )
    return path


@pytest.fixture(autouse=True)
def _fast_test_settings(request):
    try:
        settings = request.getfixturevalue("settings")
    except pytest.FixtureLookupError:
        return  # pure tests run without pytest-django (-p no:django)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests run without collectstatic: serve static files by name.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _interface_language_reset():
    """Each test starts in the default language: a page under /ru/ (LocaleMiddleware) or a
    translation.activate() leaves its language active in the thread, which would make the next
    test's reverse() give /ru/ addresses."""
    yield
    try:
        from django.utils import translation
    except ImportError:
        return
    translation.deactivate()


@pytest.fixture
def seed_text():
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def seeded(db):
    """The seed resolution, vocabularies and demo notes, loaded by the command users run."""
    call_command("load_bundled_data", stdout=StringIO())
    from resolutions.models import Resolution

    return Resolution.objects.get(symbol="A/RES/77/273")


@pytest.fixture(autouse=True)
def _empty_cache(request):
    """Each test starts with an empty cache: no page cached and no API request counted by another.

    With REDIS_URL this empties the Redis database it names: give tests one of their own
    (.ci/run uses redis://127.0.0.1:6379/15), never a running site's.
    """
    try:
        request.getfixturevalue("settings")
    except pytest.FixtureLookupError:
        return  # pure tests run without pytest-django (-p no:django)
    from django.core.cache import cache

    cache.clear()


class Inbox:
    """What a real SMTP server on the loopback interface received: parsed messages, in order."""

    def __init__(self):
        self.messages = []
        self.refused = set()  # addresses the server refuses, as a full mailbox would

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import email
        import email.policy

        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message.recipients = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address):
        return [message for message in self.messages if address in message.recipients]

    @staticmethod
    def text(message):
        return message.get_body(("plain",)).get_content()

    @staticmethod
    def html(message):
        return message.get_body(("html",)).get_content()


@pytest.fixture
def smtp_server(settings):
    """An aiosmtpd server on a free loopback port, with Django's SMTP backend pointed at it."""
    import logging
    import socket

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.SITE_URL = "https://tracker.example.org"
    yield inbox
    controller.stop()
