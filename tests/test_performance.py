"""What keeps pages fast at scale, checked by what a test can see: query counts that do not grow
with the data, no DISTINCT, bounded pages, statistics refreshed after imports, Markdown rendered
once per save. Timings are the benchmark's business (bench/scale.py), never a test's."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resolutions.cache import bump_public_content
from resolutions.models import (
    Country,
    ImplementationNote,
    NoteState,
    Paragraph,
    ParagraphKind,
    Resolution,
    Theme,
)
from tests.conftest import SEED
from tests.factories import NoteFactory, ParagraphFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def bulk_corpus(resolutions, paragraphs_each, notes, start=0):
    """Rows written the way the benchmark writes them (bulk inserts), in a second or two."""
    made = Resolution.objects.bulk_create(
        Resolution(
            symbol=f"A/RES/90/{start + number}",
            session="90",
            number=str(start + number),
            title=f"Bulk resolution {start + number} on water and peace",
            adopted_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=number % 900),
        )
        for number in range(resolutions)
    )
    rows = Paragraph.objects.bulk_create(
        Paragraph(
            resolution=resolution,
            kind=ParagraphKind.OPERATIVE,
            order=order,
            number=str(order),
            lead_phrase="Encourages",
            text="the Member States to share water and keep the peace;",
        )
        for resolution in made
        for order in range(1, paragraphs_each + 1)
    )
    theme = Theme.objects.first() or ThemeFactory()
    kaz = Country.objects.get(alpha3="KAZ")
    bulk = [
        ImplementationNote(
            title=f"Bulk note {start + number} on water",
            body="A *meeting* on water.",
            start_date=datetime.date(2022, 1, 1) + datetime.timedelta(days=number % 700),
            state=NoteState.PUBLISHED if number % 10 else NoteState.DRAFT,
        )
        for number in range(notes)
    ]
    for note in bulk:
        note.fill_derived_fields()
    ImplementationNote.objects.bulk_create(bulk)
    links = ImplementationNote.paragraphs.through
    links.objects.bulk_create(
        links(implementationnote=note, paragraph=rows[number % len(rows)]) for number, note in enumerate(bulk)
    )
    ImplementationNote.countries.through.objects.bulk_create(
        ImplementationNote.countries.through(implementationnote=note, country=kaz) for note in bulk
    )
    ImplementationNote.themes.through.objects.bulk_create(
        ImplementationNote.themes.through(implementationnote=note, theme=theme) for note in bulk
    )
    bump_public_content()  # bulk inserts send no signal: say that public content changed, as imports do
    return theme


PAGES = {
    "home": lambda theme: reverse("resolutions:home"),
    "search": lambda theme: reverse("resolutions:search") + "?q=water",
    "notes for a country": lambda theme: reverse("resolutions:note-list") + "?country=kaz",
    "country": lambda theme: reverse("resolutions:country-detail", kwargs={"iso": "kaz"}),
    "theme": lambda theme: theme.get_absolute_url(),
    "api notes with a theme": lambda theme: f"/api/v1/notes/?country=kaz&theme={theme.slug}",
    "api themes": lambda theme: "/api/v1/themes/",
    "api resolutions of a session": lambda theme: "/api/v1/resolutions/?session=90",
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_pages_cost_the_same_queries_at_a_larger_scale(client, page):
    """The home page, search and the lists: the same number of queries with 3 resolutions and 10
    notes as with 600 resolutions, 3,000 paragraphs and 2,000 notes, and a page of bounded size."""
    call_command("load_bundled_data", stdout=StringIO())
    theme = bulk_corpus(3, 5, 10)
    url = PAGES[page](theme)
    with CaptureQueriesContext(connection) as small:
        first = client.get(url)
    assert first.status_code == 200

    bulk_corpus(600, 5, 2000, start=1000)
    with CaptureQueriesContext(connection) as large:
        second = client.get(url)

    assert second.status_code == 200
    assert len(large) == len(small), [query["sql"] for query in large]
    # Bounded: 200 times the rows, not 200 times the page (home, search and lists show a page at most).
    assert len(second.content) < 3 * len(first.content) + 20_000


def test_filtered_lists_need_no_distinct_and_repeat_no_row(client):
    call_command("load_bundled_data", stdout=StringIO())
    theme = ThemeFactory()
    paragraphs = [ParagraphFactory(), ParagraphFactory()]
    note = NoteFactory(paragraphs=paragraphs, countries=["KAZ", "KGZ"])
    note.themes.add(theme, ThemeFactory())

    with CaptureQueriesContext(connection) as queries:
        api = client.get("/api/v1/notes/", {"country": "kaz", "theme": theme.slug}).json()
        page = client.get(reverse("resolutions:note-list"), {"country": "kaz", "theme": theme.slug})

    assert [row["id"] for row in api["results"]].count(note.pk) == 1
    assert api["count"] == 1
    assert page.text.count(note.get_absolute_url()) == 1
    assert not [query["sql"] for query in queries if "DISTINCT" in query["sql"].upper()]


def table_statistics(table):
    """The row count the planner believes `table` has, or None without statistics."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            if "sqlite_stat1" not in connection.introspection.table_names(cursor):
                return None
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s AND idx IS NOT NULL", [table])
            row = cursor.fetchone()
            return int(row[0].split()[0]) if row else None
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        (reltuples,) = cursor.fetchone()
        return int(reltuples) if reltuples >= 0 else None


# Inside the test's transaction: SQLite's statistics roll back with it and are checked; PostgreSQL
# writes none there (ANALYZE's figures would outlive the rollback), and that is checked too.


def test_an_import_refreshes_the_planner_statistics():
    assert table_statistics("resolutions_paragraph") in (None, 0)
    before = table_statistics("resolutions_paragraph")

    call_command("import_resolution", str(SEED), stdout=StringIO())

    rows = Paragraph.objects.count()
    assert rows > 0
    assert table_statistics("resolutions_paragraph") == (rows if connection.vendor == "sqlite" else before)


def test_optimize_db_refreshes_statistics_after_rows_loaded_by_other_means():
    before = table_statistics("resolutions_paragraph")
    bulk_corpus(20, 3, 0)

    call_command("optimize_db", stdout=StringIO())

    assert table_statistics("resolutions_paragraph") == (60 if connection.vendor == "sqlite" else before)


def test_markdown_is_rendered_when_a_note_is_saved_not_when_it_is_shown(client):
    note = NoteFactory(body="Met **partners**.\n\n<script>alert(1)</script>")
    assert "<p>Met <strong>partners</strong>.</p>" in note.body_html
    assert "<script" not in note.body_html

    # The page and the API show what the save made: change the stored HTML behind the model's back.
    ImplementationNote.objects.filter(pk=note.pk).update(body_html="<p>Stored once.</p>")
    assert "<p>Stored once.</p>" in client.get(note.get_absolute_url()).text
    assert client.get(f"/api/v1/notes/{note.pk}/").json()["body_html"] == "<p>Stored once.</p>"

    note.refresh_from_db()
    note.body = "Now *edited*."
    note.save()
    assert note.body_html.strip() == "<p>Now <em>edited</em>.</p>"
