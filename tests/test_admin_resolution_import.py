"""Importing a resolution in the admin, in staff's words: formats by name, previews cut at a word with
"…", and a landing page that shows what was imported, read-only (ResolutionAdmin.import_view)."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.formats import date_format

from resolutions.admin import cut_at_word
from resolutions.importer import parse_all
from resolutions.models import Resolution
from resolutions.workflow import ROLE_GROUPS
from tests.conftest import SEED
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client):
    user = UserFactory(username="adam")
    user.groups.add(Group.objects.get(name=ROLE_GROUPS["administrator"]))
    client.force_login(user)
    return user


def upload(client):
    with SEED.open("rb") as file:
        return client.post(reverse("admin:resolutions_resolution_import"), {"file": file, "format": "auto"})


def test_the_upload_form_names_the_formats_in_staffs_words(client, administrator):
    page = client.get(reverse("admin:resolutions_resolution_import")).content.decode()

    options = re.findall(r'<option value="(\w+)"[^>]*>([^<]+)</option>', page)
    assert options == [
        ("auto", "Recognise it from the file"),
        ("markdown", "Markdown"),
        ("text", "PDF text (copied or extracted from the official PDF)"),
        ("akn", "UN XML (Akoma Ntoso)"),
    ]
    assert "akn" not in re.sub(r'value="akn"', "", page)


def test_the_preview_names_the_format_and_cuts_its_lines_at_a_word_with_an_ellipsis(client, administrator):
    parsed = parse_all(SEED.read_text(encoding="utf-8"))[0]
    page = upload(client)
    text = page.content.decode()
    document = page.context["documents"][0]

    assert "Format: Markdown" in text
    assert f"Adopted: {date_format(parsed.adopted_on)}" in text
    full = [f"{p.number}. {p.lead_phrase} {p.text}" for p in parsed.operative[:5]]
    cut = [line for line in document["first_operative"] if line.endswith("\u2026")]
    assert cut, "the seed's first operative paragraphs are longer than a preview line"
    for line, whole in zip(document["first_operative"], full, strict=True):
        whole = " ".join(whole.split())
        if line.endswith("\u2026"):
            kept = line[:-1]
            assert whole.startswith(kept) and len(kept) <= 160
            assert whole[len(kept)] in " ,;:"  # the next character ends a word: none is cut in two
        else:
            assert line == whole
    assert all(line in text for line in document["first_operative"])


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Encourages the Centre", "Encourages the Centre"),
        ("word " * 40, ("word " * 32).strip() + "\u2026"),
        (
            "Recalling its resolutions 72/7, 75/272 " + "x" * 200,
            "Recalling its resolutions 72/7, 75/272\u2026",
        ),
        ("y" * 200, "y" * 160 + "\u2026"),  # one word longer than the line: cut where it must be
    ],
)
def test_cut_at_word(text, shown):
    assert cut_at_word(text) == shown


def test_after_the_import_a_landing_page_shows_the_resolution_read_only(client, administrator):
    preview = upload(client)
    confirm = preview.context["confirm_form"]

    response = client.post(
        reverse("admin:resolutions_resolution_import"),
        {"confirm": "1", "text": confirm.initial["text"], "format": "auto"},
        follow=True,
    )

    resolution = Resolution.objects.get(symbol="A/RES/77/273")
    assert response.redirect_chain == [
        (reverse("admin:resolutions_resolution_imported", args=[resolution.pk]), 302)
    ]
    page = response.content.decode()
    assert "Imported A/RES/77/273." in page  # the message says what happened
    rows = dict(response.context["document_rows"])
    assert rows["Symbol"] == "A/RES/77/273" and rows["Session"] == "77"
    assert rows["Adopted on"] == date_format(resolution.adopted_on)
    # Read-only: what the document states is shown, not offered for editing.
    assert not re.search(r"<(input|select|textarea)[^>]+name=\"(symbol|session|number|title|body)\"", page)
    assert "<form" not in page.split('id="content-main"')[1]
    assert resolution.get_absolute_url() in page
    assert reverse("admin:resolutions_resolution_change", args=[resolution.pk]) in page
    assert "English (imported " in page


def test_the_landing_page_is_for_staff_who_may_see_resolutions(client, db, seeded):
    url = reverse("admin:resolutions_resolution_imported", args=[seeded.pk])
    client.force_login(UserFactory(username="nobody"))  # staff, in no group

    assert client.get(url).status_code == 403


def test_the_landing_page_of_no_resolution_is_not_found(client, administrator):
    assert client.get(reverse("admin:resolutions_resolution_imported", args=[999999])).status_code == 404
