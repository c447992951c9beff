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
