"""Bulk import and export of implementation notes in the admin (resolutions/spreadsheets.py)."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from resolutions.models import Country, ImplementationNote, NoteState
from resolutions.workflow import ROLE_GROUPS
from tests.factories import (
    EntityFactory,
    NoteFactory,
    ParagraphFactory,
    ResolutionFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HEADER = [
    "title",
    "kind",
    "start_date",
    "end_date",
    "body",
    "resolution",
    "paragraphs",
    "countries",
    "entities",
    "themes",
    "state",
]
CSV_FORMAT, XLSX_FORMAT = "0", "1"  # their places in ImplementationNoteAdmin.formats


@pytest.fixture
def editor(client):
    user = UserFactory(username="edna")
    user.groups.add(Group.objects.get(name=ROLE_GROUPS["editor"]))
    client.force_login(user)
    return user


@pytest.fixture
def vocabulary():
    resolution = ResolutionFactory(session="77", number="273")
    for number in (1, 2, 3):
        ParagraphFactory(resolution=resolution, order=number, number=str(number))
    Country.objects.get_or_create(alpha3="KAZ", defaults={"alpha2": "KZ", "name": "Kazakhstan"})
    Country.objects.get_or_create(alpha3="KGZ", defaults={"alpha2": "KG", "name": "Kyrgyzstan"})
    EntityFactory(name="Regional Centre for Preventive Diplomacy for Central Asia", short_name="UNRCCA")
    ThemeFactory(name="Water and energy")
    return resolution


GOOD = {
    "title": "Consultations on water",
    "kind": "consultation",
    "start_date": "2024-04-02",
    "end_date": "2024-04-03",
    "body": "Experts of the five States met.",
    "resolution": "A/RES/77/273",
    "paragraphs": "1; 3",
    "countries": "kazakhstan; KGZ",
    "entities": "UNRCCA",
    "themes": "Water and energy",
    "state": "published",
}


def csv_file(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, HEADER)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("notes.csv", out.getvalue().encode(), content_type="text/csv")


def xlsx_file(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append([row.get(column, "") for column in HEADER])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("notes.xlsx", out.getvalue())


def preview(client, upload, file_format):
    return client.post(
        reverse("admin:resolutions_implementationnote_import"), {"import_file": upload, "format": file_format}
    )


def confirm(client, response):
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}
    return client.post(reverse("admin:resolutions_implementationnote_process_import"), data)


def test_a_good_csv_is_previewed_then_imported_as_drafts_by_the_importer(client, editor, vocabulary):
    response = preview(
        client, csv_file([GOOD, {**GOOD, "title": "Second visit", "paragraphs": "2"}]), CSV_FORMAT
    )

    assert response.status_code == 200
    assert "Consultations on water" in response.content.decode()
    assert not ImplementationNote.objects.exists()  # the preview writes nothing
    assert confirm(client, response).status_code == 302

    note = ImplementationNote.objects.get(title="Consultations on water")
    assert note.state == NoteState.DRAFT  # the state column is never imported
    assert note.author == editor
    assert sorted(p.number for p in note.paragraphs.all()) == ["1", "3"]
    assert set(note.countries.values_list("alpha3", flat=True)) == {"KAZ", "KGZ"}
    assert note.entities.get().short_name == "UNRCCA"
    assert note.themes.get().name == "Water and energy"
    assert note.history.first().history_user == editor
    assert ImplementationNote.objects.published().count() == 0


def test_an_xlsx_with_real_dates_imports_too(client, editor, vocabulary):
    import datetime

    row = {**GOOD, "start_date": datetime.datetime(2024, 4, 2), "end_date": None}
    response = preview(client, xlsx_file([row]), XLSX_FORMAT)
    assert confirm(client, response).status_code == 302

    note = ImplementationNote.objects.get()
    assert (note.start_date, note.end_date, note.state) == (datetime.date(2024, 4, 2), None, NoteState.DRAFT)


def test_bad_rows_are_shown_with_their_errors_and_nothing_is_imported(client, editor, vocabulary):
    bad = [
        {**GOOD, "title": "No such paragraph", "paragraphs": "9"},
        {**GOOD, "title": "No such country", "countries": "Atlantis"},
        {**GOOD, "title": "No date", "start_date": ""},
        {**GOOD, "title": "Unknown resolution", "resolution": "A/RES/1/1"},
    ]
    response = preview(client, csv_file([GOOD, *bad]), CSV_FORMAT)

    text = response.content.decode()
    assert response.status_code == 200
    assert "A/RES/77/273 has no operative paragraph 9" in text
    assert "Unknown country: Atlantis" in text
    assert "A/RES/1/1 has no operative paragraph" in text
    assert "start_date" in text or "This field cannot be null" in text
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert not ImplementationNote.objects.exists()


def test_an_export_follows_the_change_list_filters(client, editor, vocabulary):
    paragraph = vocabulary.paragraphs.get(number="2")
    NoteFactory(title="Published one", state=NoteState.PUBLISHED, paragraphs=[paragraph], countries=["KAZ"])
    NoteFactory(title="Draft one", state=NoteState.DRAFT, paragraphs=[paragraph])

    response = client.post(
        reverse("admin:resolutions_implementationnote_export") + "?state__exact=published",
        {"format": CSV_FORMAT, **{f"noteresource_{name}": "on" for name in HEADER + ["id", "author"]}},
    )

    assert response.status_code == 200, response.content.decode()[:2000]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(row["title"], row["resolution"], row["paragraphs"], row["countries"]) for row in rows] == [
        ("Published one", "A/RES/77/273", "2", "Kazakhstan")
    ]


@pytest.mark.parametrize(
    ("tampered", "message"),
    [
        ({"import_file_name": "0123456789abcdef0123456789abcdef"}, "no longer waiting to be confirmed"),
        ({"import_file_name": "../../etc/passwd"}, "no longer waiting to be confirmed"),
        ({"import_file_name": ""}, "no longer waiting to be confirmed"),
        ({"format": "7"}, "file format that is not offered"),
        ({"format": "csv"}, "file format that is not offered"),
        ({"resource": "9"}, "kind of row that is not offered"),
    ],
    ids=["unknown name", "path", "empty name", "format 7", "format csv", "resource 9"],
)
def test_a_tampered_confirmation_is_refused_with_a_message_and_nothing_imported(
    client, editor, vocabulary, tampered, message
):
    response = preview(client, csv_file([GOOD]), CSV_FORMAT)
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}

    refused = client.post(
        reverse("admin:resolutions_implementationnote_process_import"), {**data, **tampered}, follow=True
    )

    assert refused.status_code == 200
    assert refused.redirect_chain[-1][0] == reverse("admin:resolutions_implementationnote_import")
    assert message in refused.content.decode()
    assert not ImplementationNote.objects.exists()
    # The genuine confirmation still goes through afterwards.
    assert confirm(client, response).status_code == 302
    assert ImplementationNote.objects.filter(title=GOOD["title"]).exists()


def test_a_confirmation_sent_twice_imports_once(client, editor, vocabulary):
    response = preview(client, csv_file([GOOD]), CSV_FORMAT)
    assert confirm(client, response).status_code == 302

    again = client.post(
        reverse("admin:resolutions_implementationnote_process_import"),
        {
            name: response.context["confirm_form"].initial.get(name, field.initial)
            for name, field in response.context["confirm_form"].fields.items()
        },
        follow=True,
    )

    assert "no longer waiting to be confirmed" in again.content.decode()
    assert ImplementationNote.objects.filter(title=GOOD["title"]).count() == 1
