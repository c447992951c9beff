"""The implementation report (page, DOCX) and the implementation data (CSV, JSON, Akoma Ntoso XML):
everything published, nothing else."""

import csv
import datetime
import html
import io
import json
import re
import shutil
import subprocess

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree

from resolutions.akn_export import AKN_NAMESPACE
from resolutions.implementation import body_paragraphs, paragraph_eid
from resolutions.importer import parse, parse_file
from resolutions.importer.loader import load
from resolutions.models import (
    FOOTNOTE_MARKER,
    Assessment,
    AssessmentStatus,
    Country,
    ImplementationNote,
    NoteSource,
    NoteState,
    Paragraph,
    ParagraphKind,
    Resolution,
)
from resolutions.report_pdf import static_only_fetcher
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


def report_queries(client, symbol, **query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("resolution-report", symbol), query)
        assert response.status_code == 200
    return len(queries), html.unescape(response.text)


def dated_note(paragraph, day):
    """A published note on ``paragraph`` dated ``day`` days into 2024, with two countries and a source."""
    return dated_notes(paragraph, [day])[0]


def dated_notes(paragraph, days):
    """dated_note for each of ``days``, made in bulk (no signals: the page cache and the stored counters
    are put right after, as an import does)."""
    from resolutions.cache import bump_public_content
    from resolutions.counters import recount_all

    notes = [
        ImplementationNote(
            title=f"Note of day {day} on op {paragraph.number}",
            body=f"Met the Governments on day {day}.",
            start_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=day),
            state=NoteState.PUBLISHED,
        )
        for day in days
    ]
    for note in notes:
        note.fill_derived_fields()
    notes = ImplementationNote.objects.bulk_create(notes)
    countries = list(Country.objects.filter(alpha3__in=["KGZ", "TJK"]))
    ImplementationNote.paragraphs.through.objects.bulk_create(
        ImplementationNote.paragraphs.through(implementationnote=note, paragraph=paragraph) for note in notes
    )
    ImplementationNote.countries.through.objects.bulk_create(
        ImplementationNote.countries.through(implementationnote=note, country=country)
        for note in notes
        for country in countries
    )
    NoteSource.objects.bulk_create(
        NoteSource(note=note, title=f"Source of day {day}", url=f"https://example.org/{day}")
        for note, day in zip(notes, days, strict=True)
    )
    recount_all()
    bump_public_content()
    return notes


def test_report_page_costs_the_same_queries_with_1_or_100_notes_per_paragraph(client):
    resolution = ResolutionFactory(symbol="A/RES/79/1")
    paragraphs = [
        ParagraphFactory(resolution=resolution, kind=ParagraphKind.OPERATIVE, number=str(n), order=n)
        for n in (1, 2)
    ]
    AssessmentFactory(paragraph=paragraphs[0])
    for paragraph in paragraphs:
        dated_note(paragraph, 0)
    one, text = report_queries(client, resolution.symbol)
    assert "Note of day 0 on op 1" in text and "Note of day 0 on op 2" in text
    assert "newest" not in text and "All 1 note" not in text
    for paragraph in paragraphs:
        dated_notes(paragraph, range(1, 100))
    AssessmentFactory(paragraph=paragraphs[1], status=AssessmentStatus.IMPLEMENTED)

    hundred, text = report_queries(client, resolution.symbol)

    # the resolution, its paragraphs, the ranking of their links, the notes, their 5 kinds of links and
    # their translations in the reader's language
    assert one == hundred == 10
    for paragraph in paragraphs:
        section = text.split(f'id="op{paragraph.number}"')[1].split("</section>")[0]
        shown = re.findall(r"Note of day (\d+) on op", section)
        assert shown == [str(day) for day in range(90, 100)]  # the newest 10, oldest of them first
        assert "The newest 10 of 100 published notes, oldest first:" in section
        link = f"/notes/?resolution=A/RES/79/1&paragraph={paragraph.number}"
        assert f'href="http://testserver{link}">All 100 notes on this paragraph</a>' in section
    summary = text.split('class="report-summary"')[1].split("</section>")[0]
    assert re.findall(r"<td>(\d+)</td></tr>", summary) == ["100", "100"]  # every note counted
    assert "the Word and PDF downloads and the CSV hold every note" in text


def test_report_page_holds_ten_operative_paragraphs_a_page_and_its_summary_all_of_them(client):
    resolution = ResolutionFactory(symbol="A/RES/79/1")
    paragraphs = [
        ParagraphFactory(resolution=resolution, kind=ParagraphKind.OPERATIVE, number=str(n), order=n)
        for n in range(1, 13)
    ]
    dated_note(paragraphs[0], 1)
    dated_note(paragraphs[11], 2)
    queries, first = report_queries(client, resolution.symbol)
    later_queries, second = report_queries(client, resolution.symbol, page="2")

    def sections(text):
        return re.findall(r'<section class="report-paragraph" id="op(\d+)"', text)

    assert sections(first) == [str(n) for n in range(1, 11)]
    assert sections(second) == ["11", "12"]
    assert "Note of day 1 on op 1" in first and "Note of day 2 on op 12" not in first
    assert "Note of day 2 on op 12" in second and "Note of day 1 on op 1" not in second
    # The summary lists every paragraph on every page, linked to the page that holds it.
    assert 'href="#op1"' in first and 'href="?page=2#op12"' in first
    assert 'href="?page=1#op1"' in second and 'href="#op12"' in second
    assert 'rel="next"' in first and 'rel="prev"' in second
    assert "page 2 of 2 · Resolution Tracker</title>" in second
    assert queries == later_queries
    assert sections(report_queries(client, resolution.symbol, page="99")[1]) == ["11", "12"]  # the last


def test_report_page_of_an_unknown_resolution_is_404(client, db):
    assert client.get(url("resolution-report", "A/RES/1/999")).status_code == 404


def test_resolution_page_links_the_report_and_exports_when_tracked(client, seeded):
    text = client.get(seeded.get_absolute_url()).text
    for name in ("resolution-report", "resolution-report-docx", "resolution-report-pdf", "resolution-akn"):
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


def test_report_docx_and_akn_show_a_notes_body_as_text_without_markdown_marks(client, seeded):
    NoteFactory(
        title="Visit to Dushanbe",
        body="**Met** officials of [the Government](https://example.org/).\n\n- water\n- energy",
        paragraphs=[operative(seeded)[0]],
    )

    document = docx.Document(io.BytesIO(client.get(url("resolution-report-docx")).content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    akn_text = client.get(url("resolution-akn")).content.decode("utf-8")

    assert "Met officials of the Government." in texts
    assert {"water", "energy"} <= set(texts)
    assert "Met officials of the Government." in akn_text
    assert "**" not in "".join(texts) + akn_text


# --- PDF -----------------------------------------------------------------------------------------


def flat(text):
    """Text with its whitespace collapsed, and none after a hyphen or slash, where a PDF's lines may
    break ("Cholpon-\nAta", "A/RES/\n77/273") and the text read back has a space."""
    return re.sub(r"(?<=[-/])\s+", "", re.sub(r"\s+", " ", text)).strip()


def pdftotext(pdf):
    """The PDF's text as poppler's pdftotext reads it (Debian's poppler-utils; make chromium installs it)."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: run make chromium (as root) or apt-get install poppler-utils")
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_report_pdf_opens_and_holds_every_operative_paragraph_and_published_note_only(
    client, seeded, hidden, assessed
):
    response = client.get(url("resolution-report-pdf"))

    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    text = flat(pdftotext(response.content))
    paragraphs = operative(seeded)
    assert len(paragraphs) == 4
    for paragraph in paragraphs:
        assert flat(words(paragraph)) in text
    notes = published_notes(seeded)
    assert notes
    for note in notes:
        assert flat(note.title) in text
        for block in body_paragraphs(note):
            assert flat(block) in text
    assert "Contacts with regional organizations continue." in text
    assert "Resolution Tracker" not in text.split("Implementation of resolution")[0]  # no site header
    assert_no_secrets(text)


def test_the_pdf_reads_the_sites_static_files_from_disk_and_fetches_nothing_else(settings):
    fetcher = static_only_fetcher()

    css = fetcher(f"http://testserver{settings.STATIC_URL}css/print.css")
    assert b"@page" in css.read()
    for address in ("https://example.org/image.png", "http://testserver/admin/", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            fetcher(address)
    with pytest.raises(ValueError):
        fetcher(f"http://testserver{settings.STATIC_URL}../../manage.py")


# --- CSV and JSON ----------------------------------------------------------------------------------


def csv_rows(client, symbol=SYMBOL):
    response = client.get(url("resolution-implementation-csv", symbol))
    assert response.status_code == 200
    assert response.streaming  # written as the notes are read
    assert 'filename="' in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


def json_pages(client, symbol=SYMBOL, **query):
    """Every page of the JSON, following its ``next`` links."""
    pages = [client.get(url("resolution-implementation-json", symbol), query).json()]
    while pages[-1]["next"]:
        pages.append(client.get(pages[-1]["next"]).json())
    return pages


def test_csv_and_json_hold_the_same_rows_of_published_content(client, seeded, hidden, assessed):
    rows = csv_rows(client)
    assert_no_secrets(json.dumps(rows))
    (data,) = json_pages(client, page_size="100")

    assert_no_secrets(json.dumps(data))
    assert [{key: str(value) for key, value in row.items()} for row in data["rows"]] == rows
    assert data["count"] == len(rows) and data["previous"] is None
    assert list(rows[0]) == data["columns"]
    paragraphs = operative(seeded)
    assert {row["paragraph"] for row in rows} == {paragraph.number for paragraph in paragraphs}
    published = published_notes(seeded)
    pairs = {(row["paragraph"], row["note_id"]) for row in rows if row["note_id"]}
    expected = {
        (paragraph.number, str(note.pk))
        for note in published
        for paragraph in note.paragraphs.all()
        if paragraph.resolution_id == seeded.pk
    }
    assert pairs == expected
    op2 = [row for row in rows if row["paragraph"] == "2"]
    assert {row["status"] for row in op2} == {"ongoing"}
    assert {row["rationale"] for row in op2} == {"Contacts with regional organizations continue."}
    assert data["source"] == "http://testserver/resolutions/A/RES/77/273/"


def test_the_json_is_paged_as_the_apis_lists_and_its_pages_hold_the_csvs_rows(client, db):
    resolution = ResolutionFactory(symbol="A/RES/79/1")
    paragraphs = [
        ParagraphFactory(resolution=resolution, kind=ParagraphKind.OPERATIVE, number=str(n), order=n)
        for n in range(1, 5)
    ]
    dated_notes(paragraphs[0], range(30))
    dated_notes(paragraphs[2], range(30, 33))  # op 2 and op 4 have none: a blank row each
    rows = csv_rows(client, resolution.symbol)
    assert len(rows) == 30 + 1 + 3 + 1

    first = client.get(url("resolution-implementation-json", resolution.symbol)).json()
    assert (first["count"], len(first["rows"]), first["previous"]) == (35, 25, None)  # the API's 25
    assert first["next"] == "http://testserver/resolutions/A/RES/79/1/implementation.json?page=2"
    pages = json_pages(client, resolution.symbol, page_size="4")
    assert len(pages) == 9 and pages[1]["previous"].endswith("implementation.json?page_size=4")
    assert pages[2]["previous"].endswith("implementation.json?page=2&page_size=4")
    stringified = [{key: str(value) for key, value in row.items()} for page in pages for row in page["rows"]]
    assert stringified == rows
    assert [row["note_title"] for row in rows[:2]] == ["Note of day 0 on op 1", "Note of day 1 on op 1"]
    assert [(row["paragraph"], row["note_id"]) for row in rows[30:32]] == [
        ("2", ""),
        ("3", rows[31]["note_id"]),
    ]
    assert rows[-1]["paragraph"] == "4" and rows[-1]["note_id"] == ""

    json_url = url("resolution-implementation-json", resolution.symbol)
    assert client.get(json_url, {"page": "10", "page_size": "4"}).status_code == 404
    assert client.get(json_url, {"page_size": "0"}).status_code == 400
    assert len(client.get(json_url, {"page_size": "1000"}).json()["rows"]) == 35  # at most 100 a page


def test_a_page_of_the_json_costs_the_same_queries_with_3_or_300_notes(client, db):
    resolution = ResolutionFactory(symbol="A/RES/79/1")
    paragraphs = [
        ParagraphFactory(resolution=resolution, kind=ParagraphKind.OPERATIVE, number=str(n), order=n)
        for n in (1, 2, 3)
    ]

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url("resolution-implementation-json", resolution.symbol), {"page": "1"})
            assert response.status_code == 200
        return len(captured), len(response.json()["rows"])

    for paragraph in paragraphs:
        dated_notes(paragraph, [0])
    few = queries()
    for paragraph in paragraphs:
        dated_notes(paragraph, range(1, 100))

    # the resolution, its paragraphs, their notes counted, the page's links, its notes, 5 kinds of links
    # and their translations
    assert few == (11, 3) and queries() == (11, 25)


def test_the_downloads_hold_every_note_the_page_leaves_out(client, seeded, monkeypatch):
    from resolutions.views import reports

    monkeypatch.setattr(reports.ResolutionReportView, "paragraphs_per_page", 1)
    monkeypatch.setattr(reports.ResolutionReportView, "notes_per_paragraph", 1)
    monkeypatch.setattr(reports, "html_to_pdf", lambda page, base_url: page.encode())  # the HTML it lays out
    notes = published_notes(seeded)
    paragraphs = operative(seeded)
    assert len(notes) > 2

    page = html.unescape(client.get(url("resolution-report")).text)
    assert sum(note.title in page for note in notes) == 1
    assert words(paragraphs[1]) not in page and 'href="?page=2#op2"' in page

    docx_text = "\n".join(
        p.text
        for p in docx.Document(io.BytesIO(client.get(url("resolution-report-docx")).content)).paragraphs
    )
    pdf_html = html.unescape(client.get(url("resolution-report-pdf")).content.decode())
    csv_ids = {row["note_id"] for row in csv_rows(client)}
    for text in (docx_text, pdf_html):
        for paragraph in paragraphs:
            assert words(paragraph) in text
        for note in notes:
            assert note.title in text
    assert csv_ids - {""} == {str(note.pk) for note in notes}
    assert "newest" not in pdf_html and 'class="pagination"' not in pdf_html and "All " not in pdf_html


# --- Akoma Ntoso -----------------------------------------------------------------------------------


def akn(client, symbol=SYMBOL):
    response = client.get(url("resolution-akn", symbol))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/akn+xml")
    return response.content


def test_akn_export_is_well_formed_akn_with_eids_and_published_annotations(client, seeded, hidden, assessed):
    content = akn(client)

    root = etree.fromstring(content)  # raises if not well formed
    ns = {"akn": AKN_NAMESPACE}
    assert root.tag == f"{{{AKN_NAMESPACE}}}akomaNtoso"
    eids = [element.get("eId") for element in root.iterfind(".//akn:mainBody/akn:paragraph", ns)]
    assert eids == ["para_1", "para_2", "para_3", "para_4"]  # the seed is Markdown: made eIds
    notes = root.findall("akn:statement/akn:meta/akn:notes/akn:note", ns)
    assert {note.get("placementBase") for note in notes} <= set(eids)
    status = [note for note in notes if note.get("refersTo") == "#implementationStatus"]
    assert [(note.get("placementBase"), note.get("class")) for note in status] == [
        ("para_2", "implementationStatus ongoing")
    ]
    annotated = {
        (note.get("placementBase"), note.get("title"))
        for note in notes
        if note.get("refersTo") == "#implementationNote"
    }
    expected = {
        (f"para_{paragraph.number}", note.title)
        for note in published_notes(seeded)
        for paragraph in note.paragraphs.all()
    }
    assert annotated == expected
    assert len({element.get("eId") for element in root.iter() if element.get("eId")}) == len(
        [element for element in root.iter() if element.get("eId")]
    )  # eIds are unique
    assert_no_secrets(content.decode("utf-8"))


def paragraph_rows(resolution):
    return [
        (p.kind, p.number, p.lead_phrase, p.text, p.parent.number if p.parent_id else "")
        for p in Paragraph.objects.filter(resolution=resolution).select_related("parent").order_by("order")
    ]


def test_akn_export_reimports_to_the_same_paragraphs(client, seeded, assessed):
    before = paragraph_rows(seeded)
    ids = list(Paragraph.objects.filter(resolution=seeded).order_by("order").values_list("pk", flat=True))
    note_links = sorted(ImplementationNote.paragraphs.through.objects.values_list("pk", "paragraph_id"))
    held = seeded.texts.get(language="en")

    content = akn(client).decode("utf-8")
    parsed = parse(content)

    assert parsed.symbol == SYMBOL
    assert parsed.source_format == "akn-export"  # marked as the tracker's (meta/proprietary)
    assert parsed.title == seeded.title
    assert parsed.adopted_on == seeded.adopted_on
    assert [(p.number, p.lead_phrase, p.text) for p in parsed.operative] == [
        (p.number, p.lead_phrase, p.text) for p in operative(seeded)
    ]
    # Over the Markdown it was made from: kept out, the source of record and every row untouched.
    result = load(parsed)
    assert result.outcome == "kept" and "export from this tracker" in result.reason
    assert seeded.texts.get(language="en").source_text == held.source_text
    assert paragraph_rows(seeded) == before
    assert (
        list(Paragraph.objects.filter(resolution=seeded).order_by("order").values_list("pk", flat=True))
        == ids
    )
    assert (
        sorted(ImplementationNote.paragraphs.through.objects.values_list("pk", "paragraph_id")) == note_links
    )
    assert Assessment.objects.get(pk=assessed.pk).paragraph_id == assessed.paragraph_id
    # Into a database without it: the same paragraphs.
    seeded.delete()
    assert load(parse(content)).outcome == "imported"
    assert paragraph_rows(Resolution.objects.get(symbol=SYMBOL)) == before


def full_rows(resolution):
    """Every paragraph as stored: kind, section, annex, number, words, heading, parent, eId."""
    return [
        (
            p.kind,
            p.section,
            p.annex,
            p.number,
            p.lead_phrase,
            p.text,
            p.heading,
            p.parent.number if p.parent_id else "",
            p.eid,
        )
        for p in Paragraph.objects.filter(resolution=resolution).select_related("parent").order_by("order")
    ]


# Sections (op/II.3), annexes, a text adopted in the body, tables, a preamble with an item list.
ROUND_TRIP = [
    "unxml/GAresolutions/75session/English/75_237_E.xml",  # eight sections, each with its own preamble
    "unxml/GAresolutions/75session/English/75_212_E.xml",  # three annexes
    "unxml/GAresolutions/75session/English/75_249_E.xml",  # an annex that is a table
    "unxml/GAresolutions/77session/English/A_RES_77_177-2228796E.xml",  # preambular items (a), (b)
    "unxml/GAresolutions/75session/English/A_RES_S-32_1-2107229E.xml",  # a declaration, headed
    "unxml/GAresolutions/75session/English/75_1_E.xml",  # a declaration adopted in the body
]


@pytest.mark.parametrize("path", ROUND_TRIP)
def test_akn_export_carries_the_whole_document_and_reimports_unchanged(client, shared_data_dir, path):
    (parsed,) = parse_file(shared_data_dir / path)
    resolution = load(parsed).resolution
    before = full_rows(resolution)
    top = [
        p
        for p in Paragraph.objects.operative().filter(resolution=resolution).order_by("order")
        if p.is_trackable
    ]
    if top:  # a note on its last numbered operative paragraph (A/RES/S-32/1 adopts a declaration only)
        NoteFactory(title="Consultations in Ashgabat", paragraphs=[top[-1]])

    content = client.get(url("resolution-akn", resolution.symbol)).content
    root = etree.fromstring(content)  # well-formed
    assert root.tag == f"{{{AKN_NAMESPACE}}}akomaNtoso"
    eids = [element.get("eId") for element in root.iter() if element.get("eId")]
    assert len(eids) == len(set(eids))  # unique
    assert {row[-1] for row in before if row[-1]} <= set(eids)  # every eId of the source
    placed = [note.get("placementBase") for note in root.iterfind(f".//{{{AKN_NAMESPACE}}}note")]
    assert placed == ([paragraph_eid(top[-1])] if top else [])
    assert set(placed) <= set(eids)

    resolution.delete()  # a fresh database: the export alone
    again = load(parse(content.decode("utf-8"))).resolution
    assert full_rows(again) == before
    assert {p.section for p in again.paragraphs.all()} == {row[1] for row in before}
    assert {p.annex for p in again.paragraphs.all()} == {row[2] for row in before}


def test_reimporting_the_export_keeps_the_uns_xml_as_the_source_of_record(client, db, shared_data_dir):
    original = shared_data_dir / UN_XML
    (parsed,) = parse_file(original)
    resolution = load(parsed).resolution
    held = resolution.texts.get(language="en")
    before = full_rows(resolution)

    content = akn(client)
    mark = etree.fromstring(content).find(
        f".//{{{AKN_NAMESPACE}}}proprietary/{{urn:resolution-tracker:akn-export}}trackerExport"
    )
    assert mark is not None and mark.get("href") == "http://testserver/resolutions/A/RES/77/273/"
    result = load(parse(content.decode("utf-8")))

    assert result.outcome == "kept"
    assert (
        result.reason
        == f"{SYMBOL} [en] is held from its official XML (Akoma Ntoso), richer than this Akoma Ntoso export from this tracker"
    )
    text = resolution.texts.get(language="en")
    assert (text.source_format, text.source_text, text.import_digest) == (
        "akn",
        held.source_text,
        held.import_digest,
    )
    assert text.source_text == parsed.source_text
    assert full_rows(resolution) == before


def test_akn_export_keeps_the_un_eids_of_a_resolution_imported_from_un_xml(client, db, shared_data_dir):
    (parsed,) = parse_file(shared_data_dir / UN_XML)
    resolution = load(parsed).resolution
    NoteFactory(title="Consultations in Ashgabat", paragraphs=[operative(resolution)[2]])

    content = akn(client)
    root = etree.fromstring(content)
    ns = {"akn": AKN_NAMESPACE}
    eids = [element.get("eId") for element in root.iterfind(".//akn:mainBody/akn:paragraph", ns)]

    assert eids == ["para_26", "para_27", "para_29", "para_32"]  # the UN's own
    (note,) = root.findall(".//akn:meta/akn:notes/akn:note", ns)
    assert note.get("placementBase") == "para_29"
    again = parse(content.decode("utf-8"))
    assert [(p.number, p.lead_phrase, p.text, p.eid) for p in again.operative] == [
        (p.number, p.lead_phrase, p.text, p.eid) for p in parsed.operative
    ]
    assert [(p.lead_phrase, p.text) for p in again.preambular] == [
        (p.lead_phrase, p.text) for p in parsed.preambular
    ]


# --- The report of a filtered notes list ---------------------------------------------------------

NOTES_REPORT = reverse("resolutions:notes-report")


def kaz_notes():
    return list(ImplementationNote.objects.published().filter(countries__alpha3="KAZ").order_by("pk"))


@pytest.fixture
def hidden_kaz(seeded):
    """A draft and a withdrawn note on Kazakhstan: the filter matches them but the public never sees them."""
    return [
        NoteFactory(
            title=f"Zanzibarian {state} note on Kazakhstan",
            body="Hidden draft body.",
            state=state,
            paragraphs=[operative(seeded)[2]],
            countries=["KAZ"],
        )
        for state in (NoteState.DRAFT, NoteState.WITHDRAWN)
    ]


def test_the_notes_list_links_its_report_with_the_same_filters(client, seeded):
    page = client.get(reverse("resolutions:note-list"), {"country": "kaz", "page": "1"}).text
    for name in ("notes-report", "notes-report-docx", "notes-report-pdf"):
        assert f'href="{reverse(f"resolutions:{name}")}?country=kaz"' in page


def test_the_notes_report_groups_the_published_notes_of_the_filter_by_resolution_and_paragraph(
    client, seeded, hidden_kaz, assessed
):
    response = client.get(NOTES_REPORT, {"country": "kaz"})

    assert response.status_code == 200
    text = html.unescape(response.text)
    notes = kaz_notes()
    assert notes
    for note in notes:
        assert note.title in text
        for paragraph in note.paragraphs.all():
            # under its resolution's heading and its paragraph's section
            section = text.split(f'id="1-op{paragraph.number}"')[1].split("</section>")[0]
            assert note.title in section and words(paragraph) in section
    others = ImplementationNote.objects.published().exclude(countries__alpha3="KAZ")
    assert others and all(note.title not in text for note in others)
    assert "Country: <strong>Kazakhstan</strong>" in response.text
    assert "http://testserver/notes/?country=kaz" in text  # stamped with the list's URL
    for name in ("notes-report-docx", "notes-report-pdf"):
        assert f'href="{reverse(f"resolutions:{name}")}?country=kaz"' in response.text
    assert 'value="?country' not in response.text  # the site's search box stays empty
    assert_no_secrets(text)


def test_the_notes_report_docx_and_pdf_hold_the_same_notes_and_no_unpublished_one(client, seeded, hidden_kaz):
    notes = kaz_notes()
    response = client.get(reverse("resolutions:notes-report-docx"), {"country": "kaz"})
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Notes filtered by Country: Kazakhstan" in text and "Resolution A/RES/77/273" in text
    for note in notes:
        assert note.title in text
    assert_no_secrets(text)

    pdf = client.get(reverse("resolutions:notes-report-pdf"), {"country": "kaz"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = flat(pdftotext(pdf.content))
    for note in notes:
        assert flat(note.title) in text
    assert_no_secrets(text)


def test_a_notes_report_over_its_cap_says_so_and_holds_the_newest(client, seeded, monkeypatch):
    from resolutions.views.reports import NotesReportView

    monkeypatch.setattr(NotesReportView, "cap", 2)
    page = client.get(NOTES_REPORT).text
    published = ImplementationNote.objects.published().order_by("-start_date", "-pk")
    total = published.count()
    assert total > 2
    assert f"These filters match {total} published notes; this report holds the newest 2." in page
    assert [note.title in html.unescape(page) for note in published] == [True, True] + [False] * (total - 2)


def test_a_notes_report_with_filters_it_cannot_use_is_a_400_that_says_which(client, db):
    page = client.get(NOTES_REPORT, {"country": "zzz", "date_from": "soon"})
    assert page.status_code == 400
    assert "Some filters could not be used" in page.text and "Enter a valid date." in page.text
    for name in ("notes-report-docx", "notes-report-pdf"):
        download = client.get(reverse(f"resolutions:{name}"), {"country": "zzz"})
        assert download.status_code == 400 and "Country" in download.content.decode()


def test_a_notes_report_matching_nothing_says_so(client, seeded):
    page = client.get(NOTES_REPORT, {"date_from": "2090-01-01"})
    assert page.status_code == 200 and "No published implementation note matches these filters." in page.text


def test_the_notes_report_costs_the_same_queries_with_1_or_40_notes(client, db):
    resolution = ResolutionFactory(symbol="A/RES/79/1")
    paragraphs = [ParagraphFactory(resolution=resolution, number=str(n), order=n) for n in (1, 2)]
    ParagraphFactory(resolution=resolution, parent=paragraphs[0], number="a", order=3)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(NOTES_REPORT, {"country": "kaz"}).status_code == 200
        return len(captured)

    note = NoteFactory(paragraphs=paragraphs[:1], countries=["KAZ"])
    NoteSource.objects.create(note=note, title="Press release", url="https://example.org/1")
    one = queries()
    for n in range(39):
        note = NoteFactory(paragraphs=[paragraphs[n % 2]], countries=["KAZ", "TJK"])
        NoteSource.objects.create(note=note, title=f"Source {n}", url=f"https://example.org/{n}")
    # the country, the notes and their 5 kinds of links, their paragraphs, their sub-paragraphs
    assert one == queries() == 10  # with the notes' translations (ImplementationNote.with_links)
