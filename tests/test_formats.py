"""Dates and times as the UN writes them (tracker/formats/en/formats.py), in the time zone of the
environment (DJANGO_TIME_ZONE), in the admin and on the public site."""

import datetime
import os
import subprocess
import sys

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.urls import reverse

from resolutions.models import ImplementationNote
from resolutions.templatetags.tracker import written_in
from resolutions.workflow import ROLE_GROUPS
from tests.conftest import REPO
from tests.factories import NoteFactory, ParagraphFactory, UserFactory

# 13:34 in London on 24 February 2023 (UTC+0 in winter); 19:34 in Almaty (UTC+6, no summer time).
SAVED_AT = datetime.datetime(2023, 2, 24, 13, 34, tzinfo=datetime.UTC)
US_STYLE = ("Feb. 24", "p.m.", "a.m.", "1:34")


@pytest.fixture
def reviewer(client, db):
    user = UserFactory(username="rita")
    user.groups.add(Group.objects.get(name=ROLE_GROUPS["reviewer"]))
    client.force_login(user)
    return user


@pytest.fixture
def note(db):
    paragraph = ParagraphFactory(number="1")
    note = NoteFactory(
        title="Consultations on water", start_date=datetime.date(2023, 2, 24), paragraphs=[paragraph]
    )
    ImplementationNote.objects.filter(pk=note.pk).update(updated_at=SAVED_AT)
    note.history.update(history_date=SAVED_AT)
    return note


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_notes_change_list_shows_dates_and_times_as_the_un_writes_them(client, reviewer, note):
    text = page(client, reverse("admin:resolutions_implementationnote_changelist"))

    assert "24 February 2023" in text  # the start date
    assert "24 February 2023, 13:34 UTC" in text  # updated at, with its time zone
    assert not [style for style in US_STYLE if style in text]


def test_the_history_shows_times_in_the_time_zone_of_the_settings(client, reviewer, note, settings):
    settings.TIME_ZONE = "Asia/Almaty"

    text = page(client, reverse("admin:resolutions_implementationnote_history", args=[note.pk]))

    assert "24 February 2023, 19:34 +06" in text
    assert "13:34" not in text
    assert not [style for style in US_STYLE if style in text]


def test_the_public_pages_write_dates_as_the_un_does(client, note):
    paragraph = note.paragraphs.get()
    note_page = page(client, note.get_absolute_url())
    resolution_page = page(client, paragraph.resolution.get_absolute_url())

    assert '<time datetime="2023-02-24">24 February 2023</time>' in note_page
    assert "24 February 2023" in resolution_page  # adopted on (the factory's date)
    assert "Feb. 24" not in note_page + resolution_page


def test_written_in_still_writes_each_language_its_own_way():
    day = datetime.date(2023, 2, 24)

    assert written_in(day, "en") == "24 February 2023"
    assert written_in(day, "fr") == "24 février 2023"
    assert written_in(day, "zh") == "2023年2月24日"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("2023-03-02", datetime.date(2023, 3, 2)),
        ("02/03/2023", datetime.date(2023, 3, 2)),  # day first, as the UN writes: 2 March, not 3 February
        ("2 March 2023", datetime.date(2023, 3, 2)),
    ],
)
def test_a_date_typed_in_a_form_is_read_day_first(typed, meant):
    assert forms.DateField().clean(typed) == meant


def test_a_month_first_date_is_refused_rather_than_misread():
    with pytest.raises(forms.ValidationError):
        forms.DateField().clean("02/24/2023")


def run(code, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=REPO,
        env={
            **base,
            "TRACKER_ENV_FILE": "",
            "DJANGO_SECRET_KEY": "s" * 50,
            "DJANGO_ALLOWED_HOSTS": "x",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


SHOW_TIME = (
    "import datetime; from django.conf import settings; from django.utils import formats, timezone; "
    "t = datetime.datetime(2023, 2, 24, 13, 34, tzinfo=datetime.UTC); "
    "print(settings.TIME_ZONE, '|', formats.date_format(timezone.localtime(t), 'DATETIME_FORMAT'))"
)


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        (None, "UTC | 24 February 2023, 13:34 UTC"),
        ("Asia/Ashgabat", "Asia/Ashgabat | 24 February 2023, 18:34 +05"),
        ("Europe/Zurich", "Europe/Zurich | 24 February 2023, 14:34 CET"),
    ],
)
def test_the_time_zone_comes_from_the_environment_and_defaults_to_utc(zone, shown):
    result = run(SHOW_TIME, **({"DJANGO_TIME_ZONE": zone} if zone else {}))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == shown


def test_an_unknown_time_zone_stops_start_up_with_one_line():
    result = run("print('started')", DJANGO_TIME_ZONE="Central/Asia")

    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "Configuration error: DJANGO_TIME_ZONE=Central/Asia is not a time zone "
        "(use a name such as UTC or Asia/Ashgabat)."
    ]
