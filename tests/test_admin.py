from pathlib import Path

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from resolutions.models import (
    Delivery,
    ImplementationNote,
    Mandate,
    NoteSource,
    Paragraph,
    ParagraphAlignment,
    Subscription,
)
from tests.conftest import SEED

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "a-long-test-password")
    client.force_login(user)
    return client


def registered_models():
    return [model for model in admin.site._registry if model._meta.app_label == "resolutions"]


def test_every_model_of_the_app_is_in_the_admin():
    from django.apps import apps

    assert set(apps.get_app_config("resolutions").get_models()) == set(registered_models())


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m.__name__)
def test_change_list_and_add_pages_load(staff_client, seeded, model):
    meta = model._meta
    for view in ("changelist", "add"):
        response = staff_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}"))
        # Sources are added only with their note (its inline): their own admin is read only. Mandates
        # are made by the importer, one per operative paragraph: never added by hand. E-mail alerts are
        # the subscribers' own (their consent) and send_alerts' record: never added by staff; nor alignments.
        added_elsewhere = {(NoteSource, "add"), (Mandate, "add"), (Subscription, "add"), (Delivery, "add")}
        added_elsewhere.add((ParagraphAlignment, "add"))  # made by resolutions.lineage
        assert response.status_code == (403 if (model, view) in added_elsewhere else 200), view


def test_resolution_change_page_shows_its_paragraphs_inline(staff_client, seeded):
    response = staff_client.get(reverse("admin:resolutions_resolution_change", args=[seeded.pk]))

    assert response.status_code == 200
    assert b"Also encourages" in response.content
    assert b"Footnotes" in response.content


def test_paragraph_autocomplete_finds_operative_paragraphs_by_symbol(staff_client, seeded):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "resolutions",
            "model_name": "implementationnote",
            "field_name": "paragraphs",
            "term": "77/273",
        },
    )

    assert response.status_code == 200
    labels = [item["text"] for item in response.json()["results"]]
    assert "A/RES/77/273 op 1" in labels


def test_staff_can_add_a_note_against_a_paragraph(staff_client, seeded):
    op1 = Paragraph.objects.operative().get(resolution=seeded, number="1")

    response = staff_client.post(
        reverse("admin:resolutions_implementationnote_add"),
        {
            "title": "Visit to Bishkek",
            "kind": "visit",
            "start_date": "2024-03-05",
            "body": "The Head of the Centre met officials.",
            "paragraphs": [op1.pk],
            "state": "draft",
            "sources-TOTAL_FORMS": "0",
            "sources-INITIAL_FORMS": "0",
            "language": "en",
            "translations-TOTAL_FORMS": "0",
            "translations-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    note = ImplementationNote.objects.get(title="Visit to Bishkek")
    assert list(note.paragraphs.all()) == [op1]
    assert note.author.username == "admin"


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m.__name__)
@pytest.mark.parametrize("selected", ["None", "abc", ""])
def test_a_bulk_action_on_a_tampered_selection_is_refused_with_a_message(staff_client, model, selected):
    meta = model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    before = model.objects.count()
    staff_client.raise_request_exception = False

    response = staff_client.post(
        url, {"action": "delete_selected", "_selected_action": selected, "index": "0"}, follow=True
    )

    assert response.status_code == 200
    assert model.objects.count() == before
    if meta.pk.get_internal_type() in ("AutoField", "BigAutoField") or selected == "":
        assert "The selection sent with this action is not valid" in response.content.decode()


def test_an_editorial_action_on_a_tampered_selection_is_refused_with_a_message(staff_client, seeded):
    response = staff_client.post(
        reverse("admin:resolutions_implementationnote_changelist"),
        {"action": "publish", "_selected_action": ["None", "1"], "index": "0"},
        follow=True,
    )

    assert response.status_code == 200
    assert (
        "The selection sent with this action is not valid: nothing was changed" in response.content.decode()
    )


def test_importing_a_poorer_source_of_a_held_resolution_says_it_is_kept(staff_client, seeded):
    """Issue 18: staff see before confirming, and after, that the PDF text held outranks a Markdown file."""
    url = reverse("admin:resolutions_resolution_import")
    pdf_text = Path("tests/fixtures/pdftext/A_RES_77_273.txt").read_text(encoding="utf-8")
    staff_client.post(url, {"confirm": "1", "text": pdf_text, "format": "auto"})
    reason = "A/RES/77/273 [en] is held from its official PDF text, richer than this Markdown"

    preview = staff_client.post(
        url, {"file": SimpleUploadedFile("seed.md", SEED.read_bytes()), "format": "auto"}
    )
    assert f"{reason}: confirming changes nothing." in preview.content.decode()

    markdown = SEED.read_text(encoding="utf-8")
    done = staff_client.post(url, {"confirm": "1", "text": markdown, "format": "auto"}, follow=True)
    assert f"Kept \u2013 {reason}." in done.content.decode()
    assert seeded.texts.get().source_format == "text"
