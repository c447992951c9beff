"""Atom feeds (resolutions/views/feeds.py): parsed back with feedparser, published content only,
bounded, cheap, linked from every page that lists what they follow."""

import datetime
import re
from urllib.parse import parse_qsl, urlsplit

import feedparser
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from resolutions.models import Country, NoteSource, NoteState
from resolutions.views.feeds import FEED_LENGTH
from resolutions.workflow import REVIEWERS
from tests.factories import (
    AssessmentFactory,
    EntityFactory,
    NoteFactory,
    ParagraphFactory,
    ResolutionFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOTES = reverse("resolutions:feed-notes")
RESOLUTIONS = reverse("resolutions:feed-resolutions")
STATUS = reverse("resolutions:feed-status")


@pytest.fixture
def paragraph():
    return ParagraphFactory(resolution=ResolutionFactory(symbol="A/RES/77/901"), number="3", order=3)


@pytest.fixture
def reviewer():
    user = UserFactory(username="rita")
    user.groups.add(Group.objects.get(name=REVIEWERS))
    return user


def atom(client, url):
    """The feed at `url`, parsed; it must be well-formed Atom 1.0."""
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    return parsed


def address(url):
    """A URL with its query's parameters in a fixed order, to compare two URLs."""
    parts = urlsplit(url)
    return parts.scheme, parts.netloc, parts.path, sorted(parse_qsl(parts.query, keep_blank_values=True))


def titles(parsed):
    return [entry.title for entry in parsed.entries]


# --- Notes -------------------------------------------------------------------------------------------


def test_a_note_entry_carries_its_id_date_paragraphs_sources_and_subjects(client, paragraph):
    theme, partner = ThemeFactory(name="Water and energy"), EntityFactory(name="UNRCCA")
    note = NoteFactory(
        title="Water talks in Almaty",
        body="Ministers met on **shared rivers**.",
        paragraphs=[paragraph],
        countries=["KAZ"],
    )
    note.themes.add(theme)
    note.entities.add(partner)
    NoteSource.objects.create(note=note, title="Press release", url="https://unrcca.unmissions.org/x")
    NoteSource.objects.create(note=note, title="Report", document_symbol="A/78/100")
    note.refresh_from_db()

    parsed = atom(client, NOTES)

    (entry,) = parsed.entries
    page = "http://testserver" + note.get_absolute_url()
    assert entry.id == page
    assert entry.link == page
    assert entry.updated_parsed[:6] == note.updated_at.utctimetuple()[:6]
    related = {link.href: link.title for link in entry.links if link.rel == "related"}
    assert related == {
        "http://testserver" + paragraph.get_absolute_url(): "A/RES/77/901, operative paragraph 3"
    }
    via = {link.href for link in entry.links if link.rel == "via"}
    assert via == {"https://unrcca.unmissions.org/x", "https://undocs.org/en/A/78/100"}
    assert {tag.term for tag in entry.tags} == {"Water and energy", "Kazakhstan", "UNRCCA"}
    assert "<strong>shared rivers</strong>" in entry.summary
    assert "A/RES/77/901, operative paragraph 3" in entry.summary
    assert parsed.feed.title == "Implementation notes"
    assert parsed.feed.id  # Atom requires one
    assert parsed.feed.author == "Resolution Tracker"


def test_only_published_notes_and_a_withdrawn_note_leaves_the_feed(client, paragraph, reviewer):
    NoteFactory(title="A draft", state=NoteState.DRAFT, paragraphs=[paragraph])
    NoteFactory(title="In review", state=NoteState.IN_REVIEW, paragraphs=[paragraph])
    NoteFactory(title="Withdrawn long ago", state=NoteState.WITHDRAWN, paragraphs=[paragraph])
    note = NoteFactory(title="Consultations in Dushanbe", paragraphs=[paragraph])
    feeds = [NOTES, f"{NOTES}?resolution=A/RES/77/901&paragraph=3", f"{STATUS}?resolution=A/RES/77/901"]
    assert titles(atom(client, feeds[0])) == ["Consultations in Dushanbe"]
    assert titles(atom(client, feeds[1])) == ["Consultations in Dushanbe"]

    # The page cache is on (PAGE_CACHE_SECONDS): the withdrawal must empty it.
    note.transition(NoteState.WITHDRAWN, reviewer)

    assert titles(atom(client, feeds[0])) == []
    assert titles(atom(client, feeds[1])) == []


def test_the_newest_published_first_and_at_most_fifty(client, paragraph):
    for number in range(FEED_LENGTH + 2):
        NoteFactory(title=f"Note {number}", paragraphs=[paragraph], start_date=datetime.date(2020, 1, 1))
    # An old event published last comes first: the feed follows publication, not the event's date.
    NoteFactory(
        title="Old event, just published", paragraphs=[paragraph], start_date=datetime.date(2001, 1, 1)
    )

    parsed = atom(client, NOTES)

    assert len(parsed.entries) == FEED_LENGTH
    assert parsed.entries[0].title == "Old event, just published"
    assert parsed.entries[1].title == f"Note {FEED_LENGTH + 1}"


@pytest.mark.parametrize("query", ["", "?country=kaz", "?theme=water&q=talks"])
def test_the_notes_feed_costs_the_same_for_one_note_and_many(
    client, paragraph, query, django_assert_num_queries
):
    theme = ThemeFactory(slug="water")

    def make(count):
        for _ in range(count):
            note = NoteFactory(title="Water talks", paragraphs=[paragraph], countries=["KAZ"])
            note.themes.add(theme)
            NoteSource.objects.create(note=note, title="Press release", url="https://example.org/x")

    # notes, their paragraphs, countries, themes, partners, sources and translations; a vocabulary row per
    # filter; the text query's ranking (and its count) on SQLite or PostgreSQL alike.
    expected = {"": 7, "?country=kaz": 8, "?theme=water&q=talks": None}[query]
    make(1)
    client.get(NOTES + query)  # the generation key, read once per process
    with django_assert_num_queries(expected) if expected else _counted() as one:
        atom(client, NOTES + query + "&one" if query else NOTES + "?one")
    make(30)
    with django_assert_num_queries(expected if expected else one.count):
        parsed = atom(client, NOTES + query + "&many" if query else NOTES + "?many")
    assert len(parsed.entries) == 31


class _counted:
    """Counts queries where the number depends on the database (the text query), to compare 1 and many."""

    def __enter__(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.context = CaptureQueriesContext(connection)
        self.context.__enter__()
        return self

    def __exit__(self, *exc):
        self.context.__exit__(*exc)
        self.count = len(self.context.captured_queries)


def test_the_notes_feed_holds_what_the_notes_list_holds_for_the_same_query(client, paragraph):
    other = ParagraphFactory(resolution=paragraph.resolution, number="4", order=4)
    theme = ThemeFactory(slug="water")
    NoteFactory(title="Kazakh water", paragraphs=[paragraph], countries=["KAZ"]).themes.add(theme)
    NoteFactory(title="Kyrgyz water", paragraphs=[other], countries=["KGZ"]).themes.add(theme)
    NoteFactory(title="Kazakh drugs", paragraphs=[other], countries=["KAZ"])
    cases = {
        "country=kaz": {"Kazakh water", "Kazakh drugs"},
        "country=KAZ&theme=water": {"Kazakh water"},
        "resolution=A/RES/77/901&paragraph=4": {"Kyrgyz water", "Kazakh drugs"},
        "q=Kyrgyz": {"Kyrgyz water"},
        "date_from=2024-01-01&kind=other": {"Kazakh water", "Kyrgyz water", "Kazakh drugs"},
    }
    for query, expected in cases.items():
        parsed = atom(client, f"{NOTES}?{query}")
        assert set(titles(parsed)) == expected, query
        listed = client.get(reverse("resolutions:note-list") + f"?{query}").text
        assert {title for title in expected if title in listed} == expected
        assert address(parsed.feed.link) == address(f"http://testserver/notes/?{query}")


def test_a_filtered_feed_says_what_it_follows(client, paragraph):
    parsed = atom(client, f"{NOTES}?country=kaz&date_from=2024-01-01")
    assert parsed.feed.title == "Implementation notes \u2013 Country: Kazakhstan; From: 2024-01-01"


@pytest.mark.parametrize(
    "query, message",
    [
        ("country=xyz", "country: Select a valid choice"),
        ("theme=no-such-theme", "theme: Select a valid choice"),
        ("date_from=yesterday", "date_from: Enter a valid date"),
        ("kind=party", "kind: Select a valid choice"),
    ],
)
def test_a_query_the_list_refuses_is_a_400_with_its_message(client, query, message):
    response = client.get(f"{NOTES}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert message in response.text


# --- Resolutions and status changes ---------------------------------------------------------------


def test_newly_imported_resolutions_newest_first_filtered_like_the_list(client):
    ResolutionFactory(symbol="A/RES/76/10", session="76", number="10", title="Older session")
    ResolutionFactory(symbol="A/RES/77/10", session="77", number="10", title="First of 77")
    ResolutionFactory(symbol="S/RES/2700 (2023)", body="SC", session="2023", number="2700", title="Council")
    ResolutionFactory(symbol="A/RES/77/11", session="77", number="11", title="Second of 77")

    everything = atom(client, RESOLUTIONS)
    assert titles(everything) == [
        "A/RES/77/11: Second of 77",
        "S/RES/2700 (2023): Council",
        "A/RES/77/10: First of 77",
        "A/RES/76/10: Older session",
    ]
    session = atom(client, f"{RESOLUTIONS}?body=GA&session=77")
    assert titles(session) == ["A/RES/77/11: Second of 77", "A/RES/77/10: First of 77"]
    assert session.feed.title == "Resolutions newly imported \u2013 Body: General Assembly; Session: 77"
    entry = session.entries[0]
    assert entry.id == "http://testserver" + reverse(
        "resolutions:resolution-detail", kwargs={"symbol": "A/RES/77/11"}
    )
    assert [link.href for link in entry.links if link.rel == "via"] == ["https://undocs.org/en/A/RES/77/11"]
    assert client.get(f"{RESOLUTIONS}?body=UN").status_code == 400


def test_the_resolutions_feed_costs_one_query_whatever_its_length(client, django_assert_num_queries):
    ResolutionFactory()
    client.get(RESOLUTIONS)
    with django_assert_num_queries(1):
        atom(client, RESOLUTIONS + "?one")
    ResolutionFactory.create_batch(30)
    with django_assert_num_queries(1):
        assert len(atom(client, RESOLUTIONS + "?many").entries) == 31


def test_status_changes_are_published_assessments_of_the_paragraph_followed(client, paragraph, reviewer):
    other = ParagraphFactory(resolution=paragraph.resolution, number="4", order=4)
    AssessmentFactory(paragraph=paragraph, status="in_progress", as_of=datetime.date(2024, 1, 1))
    AssessmentFactory(paragraph=other, status="ongoing", as_of=datetime.date(2024, 2, 1))
    AssessmentFactory(paragraph=paragraph, status="implemented", state=NoteState.DRAFT)
    latest = AssessmentFactory(paragraph=paragraph, status="implemented", state=NoteState.IN_REVIEW)
    latest.transition(NoteState.PUBLISHED, reviewer)

    parsed = atom(client, f"{STATUS}?resolution=A/RES/77/901&paragraph=3")

    assert titles(parsed) == [
        f"A/RES/77/901, operative paragraph 3: Implemented as of {latest.as_of:%-d %B %Y}".replace(" 0", " "),
        "A/RES/77/901, operative paragraph 3: In progress as of 1 January 2024",
    ]
    page = "http://testserver" + paragraph.get_absolute_url()
    assert parsed.entries[0].id == f"{page}#assessment-{latest.pk}"
    assert parsed.feed.link == page
    assert len(atom(client, f"{STATUS}?resolution=A/RES/77/901").entries) == 3
    paragraph_page = client.get(paragraph.get_absolute_url()).text
    assert f'id="assessment-{latest.pk}"' in paragraph_page


def test_the_status_feed_costs_one_query_whatever_its_length(client, paragraph, django_assert_num_queries):
    AssessmentFactory(paragraph=paragraph)
    client.get(STATUS)
    with django_assert_num_queries(1):
        atom(client, STATUS + "?one")
    AssessmentFactory.create_batch(20, paragraph=paragraph)
    with django_assert_num_queries(1):
        assert len(atom(client, STATUS + "?many").entries) == 21


# --- Pages link their feeds ----------------------------------------------------------------------


def feed_links(html):
    """The feeds a page names in its head and the ones its "Follow (Atom)" line links, as paths."""
    head = re.findall(
        r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]+)"', html
    )
    follow = re.search(r'<p class="follow"[^>]*>(.*?)</p>', html, re.S)
    visible = re.findall(r'href="([^"]+)"', follow.group(1)) if follow else []
    return [link.replace("&amp;", "&") for link in head], [link.replace("&amp;", "&") for link in visible]


def test_every_list_and_subject_page_links_a_valid_feed_of_what_it_shows(client, paragraph):
    theme, partner = ThemeFactory(slug="water"), EntityFactory(slug="unrcca")
    note = NoteFactory(title="Water talks", paragraphs=[paragraph], countries=["KAZ"])
    note.themes.add(theme)
    note.entities.add(partner)
    AssessmentFactory(paragraph=paragraph)
    symbol = "A/RES/77/901"
    pages = {
        reverse("resolutions:home"): [NOTES, RESOLUTIONS, STATUS],
        reverse("resolutions:note-list") + "?country=kaz&page=1&ordering=title": [f"{NOTES}?country=kaz"],
        reverse("resolutions:resolution-list") + "?session=77": [f"{RESOLUTIONS}?session=77"],
        reverse("resolutions:search") + "?q=water": [f"{NOTES}?q=water"],
        reverse("resolutions:resolution-detail", kwargs={"symbol": symbol}): [
            f"{NOTES}?resolution=A%2FRES%2F77%2F901",
            f"{STATUS}?resolution=A%2FRES%2F77%2F901",
        ],
        paragraph.get_absolute_url(): [
            f"{NOTES}?resolution=A%2FRES%2F77%2F901&paragraph=3",
            f"{STATUS}?resolution=A%2FRES%2F77%2F901&paragraph=3",
        ],
        Country.objects.get(alpha3="KAZ").get_absolute_url(): [f"{NOTES}?country=kaz"],
        theme.get_absolute_url(): [f"{NOTES}?theme=water"],
        partner.get_absolute_url(): [f"{NOTES}?entity=unrcca"],
    }
    for page, expected in pages.items():
        response = client.get(page)
        assert response.status_code == 200, page
        head, visible = feed_links(response.text)
        assert [address(url) for url in head] == [address(url) for url in expected], page
        assert visible == head, page
        assert "Follow (Atom):" in response.text
        for url in expected:
            parsed = atom(client, url)
            if url.startswith(NOTES) and page != reverse("resolutions:resolution-list") + "?session=77":
                assert "Water talks" in titles(parsed), (page, url)


def test_a_note_page_an_empty_search_and_a_list_with_wrong_filters_link_no_feed(client, paragraph):
    note = NoteFactory(paragraphs=[paragraph])
    pages = [
        note.get_absolute_url(),
        reverse("resolutions:search"),
        reverse("resolutions:note-list") + "?country=xyz",
        reverse("resolutions:resolution-list") + "?year=last",
    ]
    for page in pages:
        assert feed_links(client.get(page).text) == ([], [])


@pytest.mark.parametrize(
    "query", ["resolution=foo", "resolution=a%20b&paragraph=3", "resolution=A/RES/77/273&paragraph=1/2"]
)
def test_a_status_feed_of_something_not_held_is_a_feed_not_an_error(client, seeded, query):
    response = client.get(f"/feeds/status/?{query}")
    assert response.status_code == 200
    assert feedparser.parse(response.content).version == "atom10"
