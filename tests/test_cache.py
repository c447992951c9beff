"""The shared cache: anonymous public pages from it, invalidated on every public change; headers for
CDNs; API throttle counts shared by every server (resolutions/cache.py, resolutions/middleware.py).

Run with REDIS_URL=redis://127.0.0.1:6379/15 too (as .ci/run does): then the cache is Redis and
the tests that need a second server sharing it run in a second process.
"""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as live_settings
from django.contrib.auth.models import Group
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factory.django import mute_signals
from rest_framework.authtoken.models import Token

from resolutions.api.throttling import AnonymousRateThrottle
from resolutions.models import ImplementationNote, NoteState, Paragraph, Resolution, Theme
from resolutions.workflow import REVIEWERS
from tests.factories import NoteFactory, ParagraphFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "resolutions" / "data" / "A_RES_77_273.md"
ON_REDIS = bool(os.environ.get("REDIS_URL"))


@pytest.fixture
def paragraph():
    return ParagraphFactory(number="1", order=1)


@pytest.fixture
def reviewer():
    user = UserFactory(username="rita")
    user.groups.add(Group.objects.get(name=REVIEWERS))
    return user


def public_pages(paragraph):
    return {
        "notes": reverse("resolutions:note-list"),
        "paragraph": reverse(
            "resolutions:paragraph-detail",
            kwargs={"symbol": paragraph.resolution.symbol, "number": paragraph.number},
        ),
        "api notes": reverse("api:note-list"),
    }


def made_afresh(client, url):
    """Whether answering `url` took the database (it was not in the cache)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries) > 0


def test_settings_pick_redis_when_redis_url_is_set():
    backend = live_settings.CACHES["default"]["BACKEND"]
    if ON_REDIS:
        assert backend == "django.core.cache.backends.redis.RedisCache"
        cache.set("reachable", 1)  # an unreachable Redis fails here, never skips
        assert cache.get("reachable") == 1
    else:
        assert backend == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.parametrize(
    "name",
    ["resolutions:home", "resolutions:note-list", "resolutions:resolution-list", "api:paragraph-list"],
)
def test_an_anonymous_page_comes_from_the_cache_the_second_time(client, django_assert_num_queries, name):
    ParagraphFactory(text="the words as first read;")
    url = reverse(name)
    first = client.get(url)

    with django_assert_num_queries(0):
        again = client.get(url)

    assert first.status_code == again.status_code == 200
    assert again.content == first.content


def test_a_change_that_sends_no_signal_is_not_seen_until_something_is_published(client, paragraph, reviewer):
    url = public_pages(paragraph)["paragraph"]
    assert "first read" not in client.get(url).content.decode()
    Paragraph.objects.filter(pk=paragraph.pk).update(text="the words as first read;")  # no signal

    assert "first read" not in client.get(url).content.decode()  # the cached page
    NoteFactory(state=NoteState.IN_REVIEW, paragraphs=[paragraph]).transition(NoteState.PUBLISHED, reviewer)
    assert "first read" in client.get(url).content.decode()


def test_htmx_results_and_the_full_page_are_cached_apart(client, paragraph):
    NoteFactory(title="Border talks", paragraphs=[paragraph])
    url = reverse("resolutions:note-list")

    for _ in range(2):
        page = client.get(url)
        results = client.get(url, HTTP_HX_REQUEST="true")

        assert b"<html" in page.content and b"<html" not in results.content
        assert b"Border talks" in results.content


def test_publishing_shows_a_note_at_once_and_withdrawing_hides_it(client, paragraph, reviewer):
    note = NoteFactory(title="Consultations in Dushanbe", state=NoteState.IN_REVIEW, paragraphs=[paragraph])
    pages = public_pages(paragraph)
    assert not any("Dushanbe" in client.get(url).content.decode() for url in pages.values())

    note.transition(NoteState.PUBLISHED, reviewer)
    assert all("Dushanbe" in client.get(url).content.decode() for url in pages.values())

    note.transition(NoteState.WITHDRAWN, reviewer)
    assert not any("Dushanbe" in client.get(url).content.decode() for url in pages.values())


def test_editing_a_published_note_or_its_links_shows_at_once(client, paragraph):
    note = NoteFactory(title="Water talks", paragraphs=[paragraph])
    theme = ThemeFactory(slug="water")
    url = reverse("api:note-detail", kwargs={"pk": note.pk})
    assert client.get(url).json()["themes"] == []

    note.themes.add(theme)
    assert client.get(url).json()["themes"] == ["water"]

    Theme.objects.filter(pk=theme.pk).update(slug="water-energy")  # no signal: the cached answer stays
    assert client.get(url).json()["themes"] == ["water"]
    note.title = "Water and energy talks"
    note.save()
    answer = client.get(url).json()
    assert answer["title"] == "Water and energy talks" and answer["themes"] == ["water-energy"]

    note.delete()
    assert client.get(url).status_code == 404


def test_an_import_shows_at_once_though_its_bulk_writes_send_no_signals(client):
    url = reverse("resolutions:resolution-list")
    assert "A/RES/77/273" not in client.get(url).content.decode()

    with mute_signals(post_save, post_delete, m2m_changed):  # only the importer's own bump is left
        call_command("import_resolution", str(SEED), stdout=StringIO())

    assert Resolution.objects.filter(symbol="A/RES/77/273").exists()
    assert "A/RES/77/273" in client.get(url).content.decode()


def test_staff_never_get_nor_fill_the_cached_pages(client, paragraph):
    url = public_pages(paragraph)["paragraph"]
    anonymous = client.get(url)
    client.force_login(UserFactory(is_superuser=True))

    signed_in = client.get(url)

    assert "Record a note" not in anonymous.content.decode()
    assert "Record a note" in signed_in.content.decode()
    assert "private" in signed_in["Cache-Control"] and "no-store" in signed_in["Cache-Control"]
    cache.clear()
    client.get(url)
    client.logout()
    assert made_afresh(client, url)  # the staff visit stored nothing
    assert not made_afresh(client, url)


def test_an_api_token_reads_afresh_and_privately(client, paragraph):
    note = NoteFactory(title="Draft talks", state=NoteState.DRAFT, paragraphs=[paragraph])
    url = reverse("api:note-detail", kwargs={"pk": note.pk})
    token = Token.objects.create(user=UserFactory(is_superuser=True))
    assert client.get(url).status_code == 404

    staff = client.get(url, HTTP_AUTHORIZATION=f"Token {token.key}")

    assert staff.status_code == 200 and staff.json()["title"] == "Draft talks"
    assert "private" in staff["Cache-Control"]
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "vary"),
    [("resolutions:note-list", {"cookie", "hx-request"}), ("api:note-list", {"accept", "authorization"})],
)
def test_public_answers_say_how_long_to_keep_them_and_revalidate_with_their_etag(client, db, name, vary):
    url = reverse(name)
    fresh = client.get(url)
    cached = client.get(url)

    assert fresh["Cache-Control"] == "public, max-age=60" == cached["Cache-Control"]
    assert fresh["ETag"] and fresh["ETag"] == cached["ETag"]
    assert vary <= {header.strip().lower() for header in fresh["Vary"].split(",")}
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=fresh["ETag"])
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == fresh["ETag"] and not_modified["Cache-Control"] == "public, max-age=60"
    cache.clear()
    assert client.get(url, HTTP_IF_NONE_MATCH=fresh["ETag"]).status_code == 304  # made afresh, same page
    assert client.get(url, HTTP_IF_NONE_MATCH='"another"').status_code == 200


def test_public_cache_seconds_zero_makes_every_cache_revalidate(client, settings, db):
    settings.PUBLIC_CACHE_SECONDS = 0

    response = client.get(reverse("resolutions:note-list"))

    assert response["Cache-Control"] == "public, no-cache" and response["ETag"]


def test_page_cache_seconds_zero_keeps_no_page(client, settings, db):
    settings.PAGE_CACHE_SECONDS = 0
    url = reverse("resolutions:note-list")
    client.get(url)

    assert made_afresh(client, url)


def test_cached_api_answers_count_against_the_throttle(client, settings, db):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}}
    url = reverse("api:theme-list")

    statuses = [client.get(url).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    refused = client.get(url)
    assert "throttled" in refused.json()["detail"] and refused["Retry-After"]


def test_throttle_counts_are_shared_through_separate_cache_connections(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}}
    request = RequestFactory().get("/api/v1/themes/", REMOTE_ADDR="10.1.2.3")
    request.user = None
    first, second = AnonymousRateThrottle(), AnonymousRateThrottle()
    first.cache, second.cache = caches.create_connection("default"), caches.create_connection("default")

    assert [first.allow_request(request, None), second.allow_request(request, None)] == [True, True]
    assert not first.allow_request(request, None)


def another_server(code, **env):
    """Run `code` in a second Django process on the same settings: another app server."""
    setup = "import django; django.setup()\n"
    result = subprocess.run(
        [sys.executable, "-c", setup + code],
        cwd=REPO,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tracker.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


needs_redis = pytest.mark.skipif(not ON_REDIS, reason="two servers share only a Redis cache (REDIS_URL)")


@needs_redis
def test_a_publish_on_another_server_empties_this_servers_pages(client, db):
    url = reverse("resolutions:note-list")
    client.get(url)
    assert not made_afresh(client, url)

    another_server("from resolutions.cache import bump_public_content; bump_public_content()")

    assert made_afresh(client, url)


@needs_redis
def test_another_server_sees_this_servers_throttle_count(client, settings, db):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}}
    url = reverse("api:theme-list")
    assert [client.get(url, REMOTE_ADDR="10.1.2.3").status_code for _ in range(2)] == [200, 200]

    status = another_server(
        "from django.test import RequestFactory\n"
        "from resolutions.api.throttling import anonymous_refusal\n"
        f"refusal = anonymous_refusal(RequestFactory().get({url!r}, REMOTE_ADDR='10.1.2.3'))\n"
        "print(refusal.status_code if refusal else 200)",
        API_ANON_THROTTLE_RATE="2/minute",
    )

    assert status == "429"


def test_a_note_sent_back_to_draft_leaves_the_cached_list_at_once(client, paragraph, reviewer):
    note = NoteFactory(title="Youth forum", paragraphs=[paragraph])
    url = reverse("resolutions:note-list")
    assert "Youth forum" in client.get(url).content.decode()

    note.transition(NoteState.DRAFT, reviewer)

    assert ImplementationNote.objects.get(pk=note.pk).state == NoteState.DRAFT
    assert "Youth forum" not in client.get(url).content.decode()
