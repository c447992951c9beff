"""Published-note counters (resolutions/counters.py): every path that changes a note keeps the stored
counts of its paragraphs, countries, themes and partners equal to a fresh count."""

import random
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from resolutions.models import Country, Entity, ImplementationNote, NoteState, Paragraph, Theme
from resolutions.workflow import REVIEWERS
from tests.factories import (
    EntityFactory,
    NoteFactory,
    ParagraphFactory,
    ResolutionFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

RELATIONS = {"paragraphs": Paragraph, "countries": Country, "themes": Theme, "entities": Entity}


def stored(obj):
    return type(obj).objects.get(pk=obj.pk).published_note_count


def assert_counters_true():
    """Every counter equals a count of the target's published notes made now."""
    for relation, model in RELATIONS.items():
        for obj in model.objects.all():
            real = ImplementationNote.objects.published().filter(**{relation: obj}).count()
            assert obj.published_note_count == real, (
                f"{model.__name__} {obj}: stored {obj.published_note_count}, real {real}"
            )


@pytest.fixture
def world():
    resolution = ResolutionFactory()
    paragraphs = [ParagraphFactory(resolution=resolution) for _ in range(3)]
    countries = list(Country.objects.filter(alpha3__in=["KAZ", "KGZ", "TJK"]).order_by("alpha3"))
    assert len(countries) == 3  # ISO 3166 is loaded by a migration
    return {
        "paragraphs": paragraphs,
        "countries": countries,
        "themes": [ThemeFactory() for _ in range(2)],
        "entities": [EntityFactory() for _ in range(2)],
    }


def linked_note(world, state=NoteState.PUBLISHED):
    note = NoteFactory(state=state, paragraphs=world["paragraphs"][:2])
    note.countries.set(world["countries"][:2])
    note.themes.set(world["themes"][:1])
    note.entities.set(world["entities"][:1])
    note.seal_content()  # made as if reviewed (the editorial rule's fixtures do the same)
    return note


def test_a_published_note_counts_on_every_row_it_links_to_and_a_draft_on_none(world):
    linked_note(world)
    linked_note(world, state=NoteState.DRAFT)
    assert stored(world["paragraphs"][0]) == 1
    assert stored(world["paragraphs"][2]) == 0
    assert stored(world["countries"][1]) == 1
    assert stored(world["themes"][0]) == 1
    assert stored(world["entities"][0]) == 1
    assert_counters_true()


def test_moves_in_and_out_of_published_change_the_counts(world):
    reviewer = UserFactory(username="counter-reviewer")
    reviewer.groups.add(Group.objects.get(name=REVIEWERS))
    note = linked_note(world, state=NoteState.IN_REVIEW)
    assert stored(world["countries"][0]) == 0
    note.transition(NoteState.PUBLISHED, reviewer)
    assert stored(world["countries"][0]) == 1
    note.transition(NoteState.WITHDRAWN, reviewer)
    assert stored(world["countries"][0]) == 0
    assert_counters_true()


def test_links_changed_on_a_published_note_are_counted(world):
    # From the note's end: django-simple-history, which records the note's links, fails on changes
    # made from the other end (theme.notes.add), so no path of the tracker makes them.
    note = linked_note(world)
    note.countries.remove(world["countries"][0])
    note.countries.add(world["countries"][2])
    note.themes.add(world["themes"][1])
    note.entities.remove(world["entities"][0])
    assert stored(world["countries"][0]) == 0
    assert stored(world["countries"][2]) == 1
    assert stored(world["themes"][1]) == 1
    assert stored(world["entities"][0]) == 0
    note.paragraphs.clear()
    note.countries.clear()
    assert stored(world["paragraphs"][0]) == 0
    assert stored(world["countries"][1]) == 0
    assert_counters_true()


def test_deleting_published_notes_one_or_many_uncounts_them(world):
    first, second, third = (linked_note(world) for _ in range(3))
    assert stored(world["paragraphs"][1]) == 3
    first.delete()
    assert stored(world["paragraphs"][1]) == 2
    ImplementationNote.objects.filter(pk__in=[second.pk, third.pk]).delete()
    assert stored(world["paragraphs"][1]) == 0
    assert_counters_true()


def test_a_deferred_load_still_counts_its_move(world):
    note = linked_note(world, state=NoteState.IN_REVIEW)
    deferred = ImplementationNote.objects.only("id", "title").get(pk=note.pk)
    deferred.state = NoteState.PUBLISHED
    deferred.save()
    assert stored(world["countries"][0]) == 1


def test_random_sequences_of_changes_keep_every_counter_true(world):
    chooser = random.Random(7)
    notes = [linked_note(world, state=chooser.choice(list(NoteState))) for _ in range(6)]
    for _ in range(60):
        note = chooser.choice(notes)
        relation = chooser.choice(list(RELATIONS))
        target = chooser.choice(world[relation])
        action = chooser.randrange(4)
        if action == 0:
            getattr(note, relation).add(target)
        elif action == 1:
            getattr(note, relation).remove(target)
        elif action == 2:
            note.refresh_from_db()
            note.state = chooser.choice(list(NoteState))
            note.save()
        elif action == 3:
            getattr(note, relation).set(
                chooser.sample(world[relation], k=chooser.randrange(len(world[relation]) + 1))
            )
    assert_counters_true()


def test_optimize_db_corrects_counters_written_by_other_means(world):
    linked_note(world)
    Country.objects.update(published_note_count=42)  # as a raw load might leave them
    out = StringIO()
    call_command("optimize_db", stdout=out)
    assert "corrected" in out.getvalue()
    assert_counters_true()
    out = StringIO()
    call_command("optimize_db", stdout=out)
    assert "(0 corrected)" in out.getvalue()


def test_country_page_and_api_show_the_stored_count(client, world):
    for _ in range(3):
        linked_note(world)
    country = world["countries"][0]
    page = client.get(country.get_absolute_url())
    assert 'Implementation notes <span class="count">(3)</span>' in page.text
    assert client.get(f"/api/v1/countries/{country.alpha3}/").json()["published_note_count"] == 3
    ordered = client.get("/api/v1/countries/", {"ordering": "-published_note_count"}).json()["results"]
    assert {row["alpha3"] for row in ordered[:2]} == {c.alpha3 for c in world["countries"][:2]}
    assert ordered[2]["published_note_count"] == 0


def test_a_notes_list_filtered_by_one_country_takes_its_total_from_the_counter(client, world):
    for _ in range(3):
        linked_note(world)
    linked_note(world, state=NoteState.DRAFT)
    country = world["countries"][0]
    api = client.get("/api/v1/notes/", {"country": country.alpha3}).json()
    assert api["count"] == len(api["results"]) == 3
    page = client.get("/notes/", {"country": country.alpha3})
    assert "<strong>3</strong> published notes match these filters" in page.text
    # The stored counter is what answers (no count query): a counter set by hand shows through...
    Country.objects.filter(pk=country.pk).update(published_note_count=5)
    assert client.get("/api/v1/notes/", {"country": country.alpha3, "page": 1}).json()["count"] == 5
    # ...while a list with a second filter, or drafts visible, is counted.
    kind = ImplementationNote.objects.first().kind
    assert client.get("/api/v1/notes/", {"country": country.alpha3, "kind": kind}).json()["count"] == 3
