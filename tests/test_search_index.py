"""The search index stays in step with every write (migration 0007_search_index, resolutions/search.py).

Run on both databases: SQLite (FTS5 tables kept by triggers) and PostgreSQL (search_vector kept by
triggers, GIN indexes), with DATABASE_URL=postgres://.../tracker_search.
"""

import sqlite3
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resolutions import search
from resolutions.models import (
    ImplementationNote,
    NoteState,
    Paragraph,
    ParagraphText,
    Resolution,
    ResolutionText,
)
from resolutions.search import matching, search_all
from resolutions.workflow import ROLE_GROUPS
from tests.conftest import REPO
from tests.factories import NoteFactory, ParagraphFactory, ResolutionFactory, UserFactory

pytestmark = pytest.mark.django_db

FIXTURE = "tests/fixtures/markdown/ga_subparagraphs.md"
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 index")


def found(model, query):
    return set(model.objects.filter(matching(model, query)).values_list("pk", flat=True))


def totals(query):
    return {group.kind: group.total for group in search_all(query)}


def test_the_sqlite_library_has_fts5():
    sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")


# --- Create, update, delete ---------------------------------------------------------------------------


def test_a_resolution_is_found_by_its_symbol_and_its_title_in_every_language():
    resolution = ResolutionFactory(symbol="A/RES/80/12", title="Glaciers of the Pamir")
    ResolutionText.objects.create(resolution=resolution, language="fr", title="Les glaciers du Pamir")

    assert found(Resolution, "A/RES/80/12") == {resolution.pk}
    assert found(Resolution, "80/12") == {resolution.pk}
    assert found(Resolution, "glacier pamir") == {resolution.pk}
    assert found(Resolution, "les glaciers du") == {resolution.pk}
    assert totals("glaciers")["resolutions"] == 1


def test_a_paragraph_is_found_as_soon_as_it_is_written_and_forgotten_when_it_changes():
    paragraph = ParagraphFactory(lead_phrase="Welcomes", text="the new hydrometeorological stations;")
    assert found(Paragraph, "hydrometeorological") == {paragraph.pk}
    assert found(Paragraph, "welcome") == {paragraph.pk}  # the lead phrase, stemmed

    paragraph.text = "the new seismological network;"
    paragraph.save()
    assert found(Paragraph, "hydrometeorological") == set()
    assert found(Paragraph, "seismological") == {paragraph.pk}

    Paragraph.objects.filter(pk=paragraph.pk).update(text="the avalanche warnings;")
    assert found(Paragraph, "seismological") == set()
    paragraph.refresh_from_db()
    paragraph.lead_phrase = "Deplores"
    Paragraph.objects.bulk_update([paragraph], ["lead_phrase"])
    assert found(Paragraph, "avalanche deplores") == {paragraph.pk}
    assert totals("avalanche")["paragraphs"] == 1


def test_bulk_and_raw_writes_are_indexed_too():
    resolution = ResolutionFactory()
    Paragraph.objects.bulk_create(
        Paragraph(resolution=resolution, kind="operative", order=n, number=str(n), text=f"Tulip {n}")
        for n in range(1, 4)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            'INSERT INTO resolutions_paragraph (resolution_id, kind, "order", number, lead_phrase, text, '
            "heading, annex, eid) VALUES (%s, 'operative', 9, '9', '', 'Tulip loaded raw', '', '', '')",
            [resolution.pk],
        )

    assert len(found(Paragraph, "tulip")) == 4
    assert totals("tulip")["paragraphs"] == 4


def test_deleted_rows_leave_the_index():
    paragraph = ParagraphFactory(text="the orchard project;")
    note = NoteFactory(title="Orchard visit", paragraphs=[paragraph])
    assert totals("orchard") == {"resolutions": 0, "paragraphs": 1, "notes": 1}

    note.delete()
    paragraph.resolution.delete()  # the paragraphs go by cascade

    assert totals("orchard") == {"resolutions": 0, "paragraphs": 0, "notes": 0}
    assert found(Paragraph, "orchard") == found(ImplementationNote, "orchard") == set()


def test_paragraph_texts_in_other_languages_find_their_paragraph():
    paragraph = ParagraphFactory(text="regional cooperation on water;")
    text = ParagraphText.objects.create(
        paragraph=paragraph,
        language="fr",
        lead_phrase="Encourage",
        text="la coopération régionale concernant l'eau;",
    )

    assert found(Paragraph, "coopération concernant") == {paragraph.pk}
    assert totals("concernant")["paragraphs"] == 1
    assert totals("water")["paragraphs"] == 1  # found in two languages, counted once

    text.delete()
    assert found(Paragraph, "concernant") == set()


# --- Publish and withdraw -----------------------------------------------------------------------------


def member(role):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    return user


def test_a_note_is_found_only_while_published():
    note = NoteFactory(
        title="Quokka workshop",
        body="On quokkas.",
        state=NoteState.IN_REVIEW,
        paragraphs=[ParagraphFactory()],
    )
    public = ImplementationNote.objects.published()
    assert totals("quokka")["notes"] == 0
    assert not public.filter(matching(ImplementationNote, "quokka")).exists()
    # Every note is indexed; only the published ones are shown.
    assert found(ImplementationNote, "quokka") == {note.pk}

    note.transition(NoteState.PUBLISHED, member("reviewer"))
    groups = {group.kind: group for group in search_all("quokka")}
    assert groups["notes"].total == 1
    assert [hit.url for hit in groups["notes"].results] == [note.get_absolute_url()]
    assert set(public.filter(matching(ImplementationNote, "quokka")).values_list("pk", flat=True)) == {
        note.pk
    }

    note.transition(NoteState.WITHDRAWN, member("reviewer"))
    groups = {group.kind: group for group in search_all("quokka")}
    assert groups["notes"].total == 0 and groups["notes"].results == []
    assert not public.filter(matching(ImplementationNote, "quokka")).exists()


def test_the_notes_api_and_page_filter_through_the_index(client):
    NoteFactory(title="Narwhal census", paragraphs=[ParagraphFactory()])
    NoteFactory(title="Narwhal draft", state=NoteState.DRAFT, paragraphs=[ParagraphFactory()])

    api = client.get("/api/v1/notes/", {"q": "narwhal"}).json()
    page = client.get("/notes/", {"q": "narwhal"}).text

    assert [note["title"] for note in api["results"]] == ["Narwhal census"]
    assert "Narwhal census" in page and "Narwhal draft" not in page


# --- Import -------------------------------------------------------------------------------------------


def test_import_and_reimport_keep_the_index_in_step(tmp_path):
    source = (REPO / FIXTURE).read_text(encoding="utf-8")
    call_command("import_resolution", FIXTURE, stdout=StringIO())
    resolution = Resolution.objects.get()
    glacier = found(Paragraph, "glacier melt")
    assert len(glacier) == 1
    assert found(Resolution, "mountain water data") == {resolution.pk}
    count = resolution.paragraphs.count()

    changed = tmp_path / "changed.md"
    changed.write_text(source.replace("glacier melt", "permafrost thaw"), encoding="utf-8")
    call_command("import_resolution", str(changed), stdout=StringIO())

    assert resolution.paragraphs.count() == count
    assert found(Paragraph, "glacier melt") == set()
    assert found(Paragraph, "permafrost thaw") == glacier  # the same paragraph, updated in place
    assert totals("permafrost")["paragraphs"] == 1


# --- Results: ranked, counted from the index, in a fixed number of queries ------------------------------


def test_results_are_ranked_a_title_before_a_body():
    paragraph = ParagraphFactory()
    in_body = NoteFactory(title="Meeting", body="The wombat programme was discussed.", paragraphs=[paragraph])
    in_title = NoteFactory(title="Wombat programme", body="Launched.", paragraphs=[paragraph])

    notes = {group.kind: group for group in search_all("wombat")}["notes"]

    assert [hit.url for hit in notes.results] == [in_title.get_absolute_url(), in_body.get_absolute_url()]
    assert "<mark>Wombat</mark>" in notes.results[0].title


def test_search_counts_and_rows_come_from_the_index_in_a_fixed_number_of_queries(django_assert_num_queries):
    def add(number):
        resolution = ResolutionFactory(title=f"Ibex protection {number}")
        paragraph = ParagraphFactory(resolution=resolution, text=f"the ibex herds {number};")
        NoteFactory(title=f"Ibex count {number}", paragraphs=[paragraph])

    add(0)
    # Per kind: the ranked matches with their total, then their rows (notes: and their countries,
    # partners and themes); PostgreSQL: first the query's stemmed forms, looked up once.
    expected = 9 + (1 if connection.vendor == "postgresql" else 0)
    with django_assert_num_queries(expected):
        search_all("ibex")
    for number in range(1, 30):
        add(number)
    with CaptureQueriesContext(connection) as queries:
        groups = search_all("ibex")

    assert len(queries) == expected
    assert [group.total for group in groups] == [30, 30, 30]
    assert not any(group.more for group in groups)
    assert [len(group.results) for group in groups] == [20, 20, 20]
    sql = " ".join(query["sql"] for query in queries).upper()
    assert "LIKE" not in sql
    assert ("_FTS(" if connection.vendor == "sqlite" else "@@") in sql


def test_a_broad_search_ranks_the_best_of_the_newest_matches_and_says_there_are_more(client, monkeypatch):
    monkeypatch.setattr(search, "POOL", 10)
    resolution = ResolutionFactory(title="Highland fauna")
    paragraphs = [
        ParagraphFactory(resolution=resolution, text=f"the ibex herds, number {n};") for n in range(30)
    ]
    # Among the newest ten, the one that says it three times ranks first; an older one saying it
    # five times is beyond the pool.
    Paragraph.objects.filter(pk=paragraphs[25].pk).update(text="ibex, ibex and ibex;")
    Paragraph.objects.filter(pk=paragraphs[3].pk).update(text="ibex ibex ibex ibex ibex;")
    newest = {paragraph.pk for paragraph in paragraphs[-10:]}

    group = next(group for group in search_all("ibex") if group.kind == "paragraphs")

    assert group.more and group.total == 10 and group.total_label == "10+"
    assert [hit.url for hit in group.results][0] == paragraphs[25].get_absolute_url()
    assert {hit.url for hit in group.results} == {p.get_absolute_url() for p in paragraphs if p.pk in newest}
    page = client.get("/search/", {"q": "ibex"}).text
    assert "Paragraphs: 10+" in page
    assert "All 10+ paragraphs, page by page" in page
    one_kind = client.get("/search/", {"q": "ibex", "kind": "paragraphs"}).text
    assert "There are more than 10 matches: these are the best of the newest." in one_kind

    monkeypatch.setattr(search, "POOL", 1000)
    group = next(group for group in search_all("ibex") if group.kind == "paragraphs")
    assert not group.more and group.total == 30
    assert group.results[0].url == paragraphs[3].get_absolute_url()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm on PostgreSQL")
def test_postgres_forgives_a_misspelt_resolution_title():
    resolution = ResolutionFactory(title="Regional Centre for Preventive Diplomacy for Central Asia")

    assert found(Resolution, "Preventve Diplomcy") == {resolution.pk}


# --- Repair ---------------------------------------------------------------------------------------------


@sqlite_only
def test_rebuild_restores_triggers_dropped_by_a_table_rebuild_and_the_rows_written_meanwhile():
    with connection.cursor() as cursor:  # what Django's SQLite AlterField does to a table's triggers
        cursor.execute("DROP TRIGGER resolutions_paragraph_fts_insert")
    paragraph = ParagraphFactory(text="the marmot survey;")
    assert found(Paragraph, "marmot") == set()

    out = StringIO()
    call_command("rebuild_search_index", stdout=out)

    assert "rebuilt" in out.getvalue()
    assert found(Paragraph, "marmot") == {paragraph.pk}
    ParagraphFactory(text="the second marmot survey;")
    assert len(found(Paragraph, "marmot")) == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL")
def test_rebuild_has_nothing_to_do_on_postgres():
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "Nothing to do" in out.getvalue()


def test_every_indexed_table_has_its_triggers_after_all_migrations():
    tables = ["resolution", "resolutiontext", "paragraph", "paragraphtext", "implementationnote"]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            expected = {
                f"resolutions_{t}_fts_{event}" for t in tables for event in ("insert", "update", "delete")
            }
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            expected = {f"resolutions_{t}_search_{event}" for t in tables for event in ("insert", "update")}
        assert expected <= {row[0] for row in cursor.fetchall()}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 prefix indexes are SQLite's")
def test_every_full_text_table_has_its_prefix_indexes_and_a_word_finds_the_longer_words_it_begins():
    """A query word is a prefix: with the prefix indexes (migration 0026) FTS5 reads one list for it
    instead of merging the lists of every word it begins (the benchmark measures the difference)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE '%\\_fts' ESCAPE '\\'"
        )
        found = dict(cursor.fetchall())
    assert len(found) >= 9, found
    assert all("prefix='3 4 5 6'" in sql for sql in found.values()), found
    paragraph = ParagraphFactory(text="the peacekeeping operations and peaceful settlement of disputes")
    ids = search.rank(Paragraph.objects.all(), "peace", filtered=False).ids
    assert paragraph.pk in ids
