"""Bulk import and export of implementation notes in the admin (resolutions/spreadsheets.py)."""

import csv
import html
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from resolutions.models import Country, ImplementationNote, NoteState, Theme
from resolutions.spreadsheets import DateWidget, NoteResource, date_advice
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


def csv_file(rows, header=HEADER):
    out = io.StringIO()
    writer = csv.DictWriter(out, header)
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


BAD_ROWS = [
    {**GOOD, "title": "No such paragraph", "paragraphs": "9"},
    {**GOOD, "title": "No such country", "countries": "Atlantis"},
    {**GOOD, "title": "", "start_date": ""},
    {**GOOD, "title": "Impossible date", "start_date": "31/02/2023"},
    {**GOOD, "title": "Ambiguous date", "start_date": "02/03/2023"},
    {**GOOD, "title": "Unknown resolution", "resolution": "A/RES/1/1"},
]
# Each bad row's errors as listed: the spreadsheet's row (the header is row 1), the column, the fix.
BAD_ROW_ERRORS = [
    (
        3,
        "paragraphs",
        "A/RES/77/273 has no operative paragraph 9 in the tracker; give the numbers of its "
        "operative paragraphs, e.g. 1; 3.",
    ),
    (
        4,
        "countries",
        "Unknown country: Atlantis; use the names the tracker has for its countries, "
        "separated by \u201c;\u201d.",
    ),
    (5, "title", "is empty; give the note's title, e.g. Consultations on water management."),
    (5, "start_date", "is empty; give the date it took place or began, year-month-day, e.g. 2023-02-24."),
    (6, "start_date", "\u201c31/02/2023\u201d is not a date (February 2023 has 28 days); use 2023-02-28."),
    (
        7,
        "start_date",
        "\u201c02/03/2023\u201d could be 2 March or 3 February; write 2023-03-02 or 2023-02-03 "
        "(year-month-day).",
    ),
    (
        8,
        "resolution",
        "\u201cA/RES/1/1\u201d is not a resolution in the tracker; check the symbol "
        "(e.g. A/RES/77/273), or import the resolution first.",
    ),
]
SECOND = {**GOOD, "title": "Second visit", "paragraphs": "2", "start_date": "2024-05-06", "end_date": ""}


def test_each_bad_row_is_listed_by_row_and_column_with_the_fix_and_the_good_rows_are_previewed(
    client, editor, vocabulary
):
    response = preview(client, csv_file([GOOD, *BAD_ROWS, SECOND]), CSV_FORMAT)

    assert response.status_code == 200
    assert response.context["row_errors"] == BAD_ROW_ERRORS
    text = html.unescape(re.sub(r"<[^>]+>", "", response.content.decode()))
    for row, column, message in BAD_ROW_ERRORS:
        assert f"Row {row}, {column}: {message}" in text
    assert "6 rows cannot be imported as they are" in text
    # The good rows, previewed with every column the import reads, the resolution included.
    assert response.context["good_rows"] == [
        (
            2,
            [
                "Consultations on water",
                "consultation",
                "2024-04-02",
                "2024-04-03",
                "Experts of the five States met.",
                "A/RES/77/273",
                "1; 3",
                "Kazakhstan; Kyrgyzstan",
                "Regional Centre for Preventive Diplomacy for Central Asia (UNRCCA)",
                "Water and energy",
            ],
        ),
        (
            9,
            [
                "Second visit",
                "consultation",
                "2024-05-06",
                "",
                "Experts of the five States met.",
                "A/RES/77/273",
                "2",
                "Kazakhstan; Kyrgyzstan",
                "Regional Centre for Preventive Diplomacy for Central Asia (UNRCCA)",
                "Water and energy",
            ],
        ),
    ]
    # The choice: import the good rows, or put the file right and upload it again.
    assert 'value="Import the 2 good rows as drafts"' in response.content.decode()
    assert "Or put the file right and upload it again" in text
    assert not ImplementationNote.objects.exists()  # the preview writes nothing


def test_the_good_rows_import_as_drafts_when_asked_and_the_bad_ones_are_left_out(client, editor, vocabulary):
    response = preview(client, csv_file([GOOD, *BAD_ROWS, SECOND]), CSV_FORMAT)

    done = confirm(client, response)

    assert done.status_code == 302
    assert sorted(ImplementationNote.objects.values_list("title", flat=True)) == [
        "Consultations on water",
        "Second visit",
    ]
    assert set(ImplementationNote.objects.values_list("state", "author")) == {(NoteState.DRAFT, editor.pk)}
    assert ImplementationNote.objects.published().count() == 0
    page = client.get(done.url).content.decode()
    assert "2 notes imported as drafts" in page
    assert "Left out, with errors: rows 3, 4, 5, 6, 7, 8." in page


def test_a_row_gone_bad_before_the_confirmation_imports_nothing_unless_bad_rows_were_to_be_left_out(
    client, editor, vocabulary
):
    response = preview(client, csv_file([GOOD, {**SECOND, "themes": ""}]), CSV_FORMAT)
    assert response.context["row_errors"] == []
    assert not response.context["confirm_form"].initial.get("leave_out_bad_rows")  # no row to leave out
    Theme.objects.filter(name="Water and energy").delete()  # someone else removes it meanwhile

    refused = confirm(client, response)

    assert not ImplementationNote.objects.exists()  # the good second row is not imported alone
    page = client.get(refused.url).content.decode()
    assert "Nothing was imported: row 2, themes: Unknown theme: Water and energy" in html.unescape(page)


def test_the_import_page_offers_only_the_columns_the_import_reads(client, editor, vocabulary):
    page = client.get(reverse("admin:resolutions_implementationnote_import")).content.decode()

    offered = re.findall(r'<th scope="row"><code>(\w+)</code></th>', page)
    assert offered == NoteResource.import_columns() == [column for column in HEADER if column != "state"]
    assert "This importer will import the following fields" not in page


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_template_has_the_columns_the_import_reads_and_an_example_row_marked_as_one(
    client, editor, vocabulary, file_format
):
    response = client.get(reverse("admin:resolutions_implementationnote_import_template", args=[file_format]))

    assert response.status_code == 200
    assert f"implementation-notes-template.{file_format}" in response["Content-Disposition"]
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
        rows = [
            ["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)
        ]
    header, example = rows
    assert header == NoteResource.import_columns()
    example = dict(zip(header, example, strict=True))
    assert example["title"].startswith("EXAMPLE")
    assert "not a real event" in example["body"]
    assert (example["resolution"], example["paragraphs"]) == ("A/RES/77/273", "1")

    # Uploaded as it is, the example row is refused; with a real title in it, the row imports.
    upload = SimpleUploadedFile(f"template.{file_format}", response.content)
    as_is = preview(client, upload, CSV_FORMAT if file_format == "csv" else XLSX_FORMAT)
    assert as_is.context["row_errors"] == [
        (2, "title", "this is the template's example row; delete it, or replace it with a real note.")
    ]
    filled = {**example, "title": "Briefing of the Member States"}
    imported = preview(client, csv_file([filled], header=header), CSV_FORMAT)
    assert imported.context["row_errors"] == []
    assert confirm(client, imported).status_code == 302
    assert ImplementationNote.objects.get().title == "Briefing of the Member States"


def test_a_column_the_import_does_not_read_is_named_in_plain_words(client, editor, vocabulary):
    response = preview(
        client, csv_file([{**GOOD, "start date": "2024-01-01"}], header=[*HEADER, "start date"]), CSV_FORMAT
    )

    text = html.unescape(response.content.decode())
    assert "The file has columns the import does not read: \u201cstart date\u201d." in text
    assert "Traceback" not in text and "confirm_form" not in response.context


@pytest.mark.parametrize(
    ("written", "advice"),
    [
        ("31/02/2023", "is not a date (February 2023 has 28 days); use 2023-02-28"),
        ("29/02/2024", "is not written year-month-day; use 2024-02-29"),
        ("24.02.2023", "is not written year-month-day; use 2023-02-24"),
        ("2023/02/24", "is not written year-month-day; use 2023-02-24"),
        ("02/03/2023", "could be 2 March or 3 February; write 2023-03-02 or 2023-02-03 (year-month-day)"),
        ("February", "is not a date; write it year-month-day, e.g. 2023-02-24"),
        ("45/45/2023", "is not a date; write it year-month-day, e.g. 2023-02-24"),
    ],
)
def test_a_date_written_another_way_is_refused_with_the_date_to_write(written, advice):
    assert date_advice(written) == advice
    with pytest.raises(ValueError, match=re.escape(advice)):
        DateWidget().clean(written)


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
