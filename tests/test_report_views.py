"""The implementation report (page, DOCX): everything published, nothing else."""

import datetime
import html
import io

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resolutions.models import (
    FOOTNOTE_MARKER,
    AssessmentStatus,
    ImplementationNote,
    NoteSource,
    NoteState,
    Paragraph,
    ParagraphKind,
)
from tests.factories import AssessmentFactory, NoteFactory, ParagraphFactory, ResolutionFactory

pytestmark = pytest.mark.django_db

SYMBOL = "A/RES/77/273"
UN_XML = "unxml/GAresolutions/77session/English/A_RES_77_273-E.xml"


def url(name, symbol=SYMBOL):
    return reverse(f"resolutions:{name}", kwargs={"symbol": symbol})


def operative(resolution):
    return list(Paragraph.objects.operative().filter(resolution=resolution).order_by("order"))


def words(paragraph):
    """The words of a paragraph as a report prints them: lead phrase and text, without footnote markers."""
    return FOOTNOTE_MARKER.sub("", paragraph.text).strip()


@pytest.fixture
def hidden(seeded):
    """What must never show: a draft note, a note in review, a withdrawn one, and a draft assessment
    newer than any published one (it would be the current status if drafts counted)."""
    op1 = operative(seeded)[0]
    notes = [
        NoteFactory(
            title=f"Zanzibarian {state} note", body=f"Hidden {state} body.", state=state, paragraphs=[op1]
        )
        for state in (NoteState.DRAFT, NoteState.IN_REVIEW, NoteState.WITHDRAWN)
    ]
    NoteSource.objects.create(note=notes[0], title="Zanzibarian source", url="https://example.org/secret")
    AssessmentFactory(
        paragraph=op1,
        status=AssessmentStatus.IMPLEMENTED,
        as_of=datetime.date(2099, 1, 1),
        rationale="Zanzibarian draft rationale.",
        state=NoteState.DRAFT,
    )
    return notes


@pytest.fixture
def assessed(seeded):
    """A published assessment of op 2, so that a status and rationale are in every output."""
    return AssessmentFactory(
        paragraph=operative(seeded)[1],
        status=AssessmentStatus.ONGOING,
        as_of=datetime.date(2024, 6, 30),
        rationale="Contacts with regional organizations continue.",
    )


def published_notes(resolution):
    return list(ImplementationNote.objects.published().filter(paragraphs__resolution=resolution).distinct())


SECRETS = ("Zanzibarian", "Hidden draft", "2099")


def assert_no_secrets(text):
    for secret in SECRETS:
        assert secret not in text


# --- The printable report ------------------------------------------------------------------------


def test_report_page_holds_every_operative_paragraph_status_and_published_note(
    client, seeded, hidden, assessed
):
    response = client.get(url("resolution-report"))

    assert response.status_code == 200
    text = html.unescape(response.text)
    for paragraph in operative(seeded):
        assert words(paragraph) in text
        assert f'id="op{paragraph.number}"' in text
    notes = published_notes(seeded)
    assert notes, "the seed's demo notes are published"
    for note in notes:
        assert note.title in text
        for source in note.sources.all():
            assert source.title in text
    assert "Ongoing" in text and "Contacts with regional organizations continue." in text
    assert "http://testserver/resolutions/A/RES/77/273/" in text  # stamped with the tracker's URL
    assert_no_secrets(text)


def report_queries(client, symbol):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("resolution-report", symbol)).status_code == 200
    return len(queries)


def test_report_page_costs_the_same_queries_with_1_or_50_notes(client):
    resolution = ResolutionFactory(symbol="A/RES/79/1")
    paragraphs = [
        ParagraphFactory(resolution=resolution, kind=ParagraphKind.OPERATIVE, number=str(n), order=n)
        for n in (1, 2)
    ]
    AssessmentFactory(paragraph=paragraphs[0])
    note = NoteFactory(paragraphs=paragraphs, countries=["KAZ"])
    NoteSource.objects.create(note=note, title="Press release", url="https://example.org/1")
    one = report_queries(client, resolution.symbol)
    for n in range(49):
        note = NoteFactory(paragraphs=[paragraphs[n % 2]], countries=["KGZ", "TJK"])
        NoteSource.objects.create(note=note, title=f"Source {n}", url=f"https://example.org/{n}")
    AssessmentFactory(paragraph=paragraphs[1], status=AssessmentStatus.IMPLEMENTED)

    fifty = report_queries(client, resolution.symbol)

    assert one == fifty == 8  # the resolution, its paragraphs, the notes and their 5 kinds of links


def test_report_page_of_an_unknown_resolution_is_404(client, db):
    assert client.get(url("resolution-report", "A/RES/1/999")).status_code == 404


def test_resolution_page_links_the_report_and_exports_when_tracked(client, seeded):
    text = client.get(seeded.get_absolute_url()).text
    for name in ("resolution-report", "resolution-report-docx"):
        assert url(name) in text

    untracked = ResolutionFactory(symbol="A/RES/79/2")
    ParagraphFactory(resolution=untracked, kind=ParagraphKind.OPERATIVE, number="1", order=1)
    assert url("resolution-report", untracked.symbol) not in client.get(untracked.get_absolute_url()).text


# --- DOCX ----------------------------------------------------------------------------------------


def test_report_docx_opens_and_holds_every_operative_paragraph_and_published_note_only(
    client, seeded, hidden, assessed
):
    response = client.get(url("resolution-report-docx"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="A_RES_77_273_implementation_report.docx"' in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    text += "\n" + "\n".join(p.text for p in document.sections[0].footer.paragraphs)
    for paragraph in operative(seeded):
        assert words(paragraph) in text
        assert f"Operative paragraph {paragraph.number}" in text
    for note in published_notes(seeded):
        assert note.title in text
        for source in note.sources.all():
            assert source.title in text
    assert "Status: Ongoing (as of 30 June 2024)" in text
    assert "Contacts with regional organizations continue." in text
    assert "http://testserver/resolutions/A/RES/77/273/" in text
    assert_no_secrets(text)
