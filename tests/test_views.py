import pytest
from django.urls import reverse

from resolutions.models import NoteState, Paragraph
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db


def test_home_lists_the_seed_resolution_and_its_operative_paragraphs(client, seeded):
    response = client.get(reverse("resolutions:home"))

    assert response.status_code == 200
    assert "A/RES/77/273" in response.text
    assert "Role of the United Nations Regional Centre" in response.text
    assert (
        reverse("resolutions:paragraph-detail", kwargs={"symbol": "A/RES/77/273", "number": "1"})
        in response.text
    )


def test_home_says_so_when_nothing_is_imported(client, db):
    response = client.get(reverse("resolutions:home"))

    assert response.status_code == 200
    assert "No resolution has been imported yet" in response.text


def test_resolution_page_shows_paragraphs_with_anchors_and_footnotes(client, seeded):
    response = client.get(seeded.get_absolute_url())

    assert response.status_code == 200
    assert 'id="op1"' in response.text
    assert 'id="pp3"' in response.text
    assert "<em>Recalling also</em>" in response.text
    assert 'href="#fn1"' in response.text and 'id="fn1"' in response.text


def test_draft_notes_never_reach_public_pages(client, seeded):
    op1 = Paragraph.objects.operative().get(resolution=seeded, number="1")
    NoteFactory(title="Secret draft about op 1", state=NoteState.DRAFT, paragraphs=[op1], countries=["KGZ"])
    hidden = NoteFactory(title="Withdrawn note", state=NoteState.WITHDRAWN, paragraphs=[op1])

    pages = [
        reverse("resolutions:home"),
        reverse("resolutions:note-list"),
        op1.get_absolute_url(),
        reverse("resolutions:country-detail", kwargs={"iso": "kgz"}),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Secret draft" not in response.text, url
        assert "Withdrawn note" not in response.text, url
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_unknown_symbol_is_a_friendly_404(client, db):
    response = client.get("/resolutions/A/RES/1/1/")

    assert response.status_code == 404
    assert "Page not found" in response.text
