import datetime
import re
from io import StringIO
from urllib.parse import unquote

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resolutions import filters
from resolutions.filters import NoteFilter, ResolutionFilter
from resolutions.models import Country, ImplementationNote, NoteState, Paragraph, Resolution, natural_key
from tests.factories import EntityFactory, NoteFactory, ResolutionFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def notes(**params):
    filterset = NoteFilter(params, queryset=ImplementationNote.objects.published())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("title", flat=True))


def test_notes_by_country_in_any_case_resolution_paragraph_and_dates(seeded):
    op1 = Paragraph.objects.operative().get(resolution=seeded, number="1")
    NoteFactory(
        title="Bishkek visit", paragraphs=[op1], countries=["KGZ"], start_date=datetime.date(2024, 3, 5)
    )
    NoteFactory(title="Draft", paragraphs=[op1], countries=["KGZ"], state=NoteState.DRAFT)

    assert notes(country="kgz", date_from="2024-01-01") == {"Bishkek visit"}
    assert "Bishkek visit" in notes(resolution="A/RES/77/273", paragraph="1")
    assert "Bishkek visit" not in notes(resolution="A/RES/77/273", paragraph="2")
    assert notes(date_to="2022-03-31") == {
        "Tashkent conference on ten years of the Joint Plan of Action against terrorism in Central Asia (demo)"
    }
    assert all("demo" in title for title in notes(theme="counter-terrorism"))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"country": "XXX"}, "country"),
        ({"date_from": "yesterday"}, "date_from"),
        ({"theme": "nope"}, "theme"),
    ],
)
def test_invalid_values_are_form_errors_naming_the_field(db, params, field):
    filterset = NoteFilter(params, queryset=ImplementationNote.objects.all())

    assert not filterset.is_valid()
    assert field in filterset.errors


def test_resolutions_tracked_and_by_year(seeded):
    ResolutionFactory(symbol="A/RES/76/1", adopted_on=datetime.date(2021, 10, 1))

    tracked = ResolutionFilter({"tracked": "true"}, queryset=Resolution.objects.all()).qs
    untracked = ResolutionFilter({"tracked": "false"}, queryset=Resolution.objects.all()).qs
    by_year = ResolutionFilter({"year": "2021"}, queryset=Resolution.objects.all()).qs

    assert [r.symbol for r in tracked] == ["A/RES/77/273"]
    assert [r.symbol for r in untracked] == ["A/RES/76/1"]
    assert [r.symbol for r in by_year] == ["A/RES/76/1"]


def test_sdg_goals_and_unbis_terms_from_the_xml_are_filterable_tags(db):
    call_command("import_resolution", "tests/fixtures/akn/ga_without_vote.xml", stdout=StringIO())
    resolution = Resolution.objects.get()
    unbis = resolution.subjects.filter(scheme="unbis").first()

    assert set(resolution.subjects.filter(scheme="sdg").values_list("code", flat=True)) == {"6", "16"}
    assert unbis is not None
    assert list(ResolutionFilter({"sdg": "16"}, queryset=Resolution.objects.all()).qs) == [resolution]
    assert list(ResolutionFilter({"sdg": "3"}, queryset=Resolution.objects.all()).qs) == []
    assert list(ResolutionFilter({"subject": unbis.slug}, queryset=Resolution.objects.all()).qs) == [
        resolution
    ]


# ---- natural order of symbols and sessions (issue 12, item 2) -------------------------------------

NATURAL = [
    ("A/RES/ES-11/6", "ES-11"),
    ("A/RES/9/300", "9"),
    ("A/RES/10/1", "10"),
    ("A/RES/77/2", "77"),
    ("A/RES/77/10", "77"),
    ("A/RES/77/100", "77"),
    ("A/RES/77/273", "77"),
    ("S/RES/999 (1995)", "1995"),
    ("S/RES/2504 (2020)", "2020"),
]


@pytest.fixture
def naturally_ordered(db):
    # Created out of order, all on one day, so that only the symbol decides.
    for symbol, session in sorted(NATURAL, key=lambda pair: pair[0], reverse=True):
        ResolutionFactory(symbol=symbol, session=session, body="SC" if symbol[0] == "S" else "GA")
    return [symbol for symbol, _ in NATURAL]


def page_symbols(client, **params):
    response = client.get(reverse("resolutions:resolution-list"), params)
    assert response.status_code == 200
    results = response.text[response.text.index('id="results"') :]
    return [unquote(path) for path in re.findall(r'<a href="/resolutions/([^"]+)/"', results)]


def api_symbols(client, **params):
    response = client.get("/api/v1/resolutions/", params)
    assert response.status_code == 200
    return [row["symbol"] for row in response.json()["results"]]


@pytest.mark.parametrize("symbols", [page_symbols, api_symbols])
def test_symbols_sort_naturally_both_ways_on_the_page_and_in_the_api(client, naturally_ordered, symbols):
    assert symbols(client, ordering="symbol") == naturally_ordered
    # Newest session first, its highest number first (not ES-11/6, then 77/99 ...).
    assert symbols(client, ordering="-symbol") == naturally_ordered[::-1]
    assert symbols(client, ordering="-symbol")[:2] == ["S/RES/2504 (2020)", "S/RES/999 (1995)"]
    assert symbols(client, body="GA", ordering="-symbol")[:3] == [
        "A/RES/77/273",
        "A/RES/77/100",
        "A/RES/77/10",
    ]


@pytest.mark.parametrize("symbols", [page_symbols, api_symbols])
def test_sessions_sort_by_number_then_symbol(client, naturally_ordered, symbols):
    assert symbols(client, ordering="session") == naturally_ordered
    assert symbols(client, ordering="-session") == naturally_ordered[::-1]
    # A tie on the date is broken by the symbol in natural order.
    assert symbols(client, ordering="date") == naturally_ordered


def test_the_default_list_breaks_ties_on_a_date_in_natural_order(client, naturally_ordered):
    assert api_symbols(client) == naturally_ordered


def test_keys_are_kept_in_step_on_save_and_put_right_after_bulk_loads(db):
    resolution = ResolutionFactory(symbol="A/RES/77/2", session="77")
    resolution.symbol = "A/RES/77/20"
    resolution.save(update_fields=["symbol"])
    resolution.refresh_from_db()
    assert resolution.sort_key == natural_key("A/RES/77/20")

    Resolution.objects.bulk_create([Resolution(symbol="A/RES/77/3", session="77", title="Bulk")])
    Resolution.objects.filter(pk=resolution.pk).update(sort_key="")
    out = StringIO()
    call_command("optimize_db", stdout=out)

    assert "Natural-order keys filled (2 corrected)" in out.getvalue()
    assert list(Resolution.objects.order_by("sort_key").values_list("symbol", flat=True)) == [
        "A/RES/77/3",
        "A/RES/77/20",
    ]


def test_natural_key_sorts_numbers_by_value_under_any_collation():
    keys = [natural_key(symbol) for symbol, _ in NATURAL]
    assert keys == sorted(keys)
    assert natural_key("a/res/77/2") == natural_key("A/RES/77/2")
    # Letters and digits only: a collation that ignores punctuation orders it the same.
    assert all(key.isalnum() and key == key.upper() for key in keys)


def test_ordering_by_symbol_reads_the_index_not_a_sort(db):
    queryset = ResolutionFilter({"ordering": "-symbol"}, queryset=Resolution.objects.all()).qs[:25]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "resolution_natural" in plan
    assert "TEMP B-TREE" not in plan.upper() and "Sort Key" not in plan


def test_a_paragraphs_notes_with_a_country_theme_or_partner_are_the_same_rows_checked_note_by_note(
    client, seeded
):
    """A list narrowed to one resolution or paragraph checks its other links note by note (has_link);
    the rows, their order and the count are those of the plain semi-joins, on the page and in the API."""
    op1, op2 = (Paragraph.objects.operative().get(resolution=seeded, number=n) for n in ("1", "2"))
    water, drugs = ThemeFactory(), ThemeFactory()
    unodc = EntityFactory()
    wanted = []
    for day in range(1, 6):
        note = NoteFactory(
            title=f"Water talks {day}",
            paragraphs=[op1],
            countries=["KAZ"],
            start_date=datetime.date(2024, 1, day),
        )
        note.themes.add(water)
        note.entities.add(unodc)
        wanted.append(note)
    NoteFactory(title="Other theme", paragraphs=[op1], countries=["KAZ"]).themes.add(drugs)
    NoteFactory(title="Other paragraph", paragraphs=[op2], countries=["KAZ"]).themes.add(water)
    NoteFactory(title="Unpublished", paragraphs=[op1], state=NoteState.DRAFT).themes.add(water)
    newest_first = [note.pk for note in reversed(wanted)]

    for params in (
        {"resolution": "A/RES/77/273", "paragraph": "1", "theme": water.slug},
        {"paragraph": "1", "theme": water.slug, "country": "kaz", "entity": unodc.slug},
        {"resolution": "A/RES/77/273", "theme": water.slug, "entity": unodc.slug},
    ):
        api = client.get("/api/v1/notes/", params).json()
        assert [row["id"] for row in api["results"]] == newest_first, params
        assert api["count"] == 5
        page = client.get(reverse("resolutions:note-list"), params)
        assert (
            list(dict.fromkeys(int(pk) for pk in re.findall(r'href="/notes/(\d+)/"', page.text)))
            == newest_first
        )

    assert notes(resolution="A/RES/77/273", paragraph="1", theme=drugs.slug) == {"Other theme"}
    assert notes(resolution="A/RES/77/273", paragraph="2", theme=water.slug) == {"Other paragraph"}
    assert notes(resolution="A/RES/77/273", paragraph="3", theme=water.slug) == set()


def test_a_paragraphs_notes_with_a_theme_are_not_found_by_listing_every_note_of_the_theme(client, seeded):
    """The list of op 1's notes with a theme reads op 1's links and asks each note for the theme
    (EXISTS), never the list of every note with that theme, whose length grows with the database; the
    resolution's other paragraphs are not read either. Same queries with 1 note or 40."""
    op1 = Paragraph.objects.operative().get(resolution=seeded, number="1")
    theme = ThemeFactory()
    url = f"/api/v1/notes/?resolution=A/RES/77/273&paragraph=1&theme={theme.slug}"

    def ask():
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(url).json()
        return answer, [query["sql"] for query in queries]

    NoteFactory(paragraphs=[op1]).themes.add(theme)
    small, small_sql = ask()
    for _ in range(39):
        NoteFactory(paragraphs=[op1]).themes.add(theme)
    large, large_sql = ask()

    assert (small["count"], large["count"]) == (1, 40)
    assert len(large_sql) == len(small_sql)
    listed = [
        sql for sql in large_sql if "ORDER BY" in sql and 'FROM "resolutions_implementationnote" ' in sql
    ]
    assert listed, large_sql
    for sql in listed:
        assert "EXISTS" in sql
        assert not re.search(r'IN \(SELECT [^()]*FROM "resolutions_implementationnote_themes"', sql), sql
        assert sql.count('FROM "resolutions_implementationnote_paragraphs"') == 1, sql


@pytest.mark.parametrize("walked", [True, False], ids=["common: walked", "rare: listed"])
def test_notes_of_a_common_country_theme_or_partner_are_walked_in_the_lists_order_with_the_same_rows(
    client, seeded, monkeypatch, walked
):
    """Notes of a country, theme or partner linked to many of the published notes are found by walking
    the notes in the list's order and asking each for the link (EXISTS), a page of them in a few
    lookups; those of a rare one by listing its notes (the semi-join). Which is chosen follows the
    stored counter against the published total (filters.common); the rows, their order and the count
    are the same either way, on the API, the notes list and the country, theme and partner pages."""
    # The thresholds made small (n > LISTED_AT_MOST and n x n > WALK_PAGE x total): these 14 notes
    # are common with 1, rare with 10,000.
    monkeypatch.setattr(filters, "LISTED_AT_MOST", 0)
    monkeypatch.setattr(filters, "WALK_PAGE", 1 if walked else 10_000)
    theme, partner = ThemeFactory(), EntityFactory()
    made = []
    for day in range(14):
        note = NoteFactory(
            title=f"Consultation {day}", countries=["KAZ"], start_date=datetime.date(2024, 3, 1 + day)
        )
        note.themes.add(theme)
        note.entities.add(partner)
        made.append(note)
    made[3].countries.set([])  # one fewer for KAZ
    other = NoteFactory(title="Kyrgyz talks", countries=["KGZ"], start_date=datetime.date(2024, 5, 1))
    other.themes.add(theme)
    NoteFactory(title="Draft", countries=["KAZ"], state=NoteState.DRAFT).themes.add(theme)
    kaz = Country.objects.get(alpha3="KAZ")
    theme.refresh_from_db()  # their counters, kept in step by resolutions.counters
    partner.refresh_from_db()

    def semi_joined(relation, target):
        """The published notes linked to `target`, newest first, by the plain semi-join."""
        found = ImplementationNote.objects.published().filter(
            filters.linked_to(ImplementationNote, relation, pk=target.pk)
        )
        return list(found.order_by("-start_date", "-pk").values_list("pk", flat=True))

    newest_first = {
        "country": semi_joined("countries", kaz),
        "theme": semi_joined("themes", theme),
        "entity": semi_joined("entities", partner),
    }
    assert len(newest_first["country"]) >= 13 and made[3].pk not in newest_first["country"]
    assert other.pk in newest_first["theme"] and len(newest_first["entity"]) == 14
    assert all(filters.common(target) == walked for target in (kaz, theme, partner))

    for name, value, page in (
        ("country", "kaz", reverse("resolutions:country-detail", kwargs={"iso": "kaz"})),
        ("theme", theme.slug, theme.get_absolute_url()),
        ("entity", partner.slug, partner.get_absolute_url()),
    ):
        with CaptureQueriesContext(connection) as queries:
            api = client.get("/api/v1/notes/", {name: value, "page_size": 50}).json()
        assert [row["id"] for row in api["results"]] == newest_first[name], name
        assert api["count"] == len(newest_first[name])
        listed = [q["sql"] for q in queries if 'FROM "resolutions_implementationnote" ' in q["sql"]]
        assert any(("EXISTS" in sql) == walked for sql in listed), listed
        shown = client.get(reverse("resolutions:note-list"), {name: value}).text
        assert [int(pk) for pk in dict.fromkeys(re.findall(r'href="/notes/(\d+)/"', shown))] == newest_first[
            name
        ]
        detail = client.get(page).text
        assert [int(pk) for pk in dict.fromkeys(re.findall(r'href="/notes/(\d+)/"', detail))][
            :5
        ] == newest_first[name][:5]


@pytest.mark.django_db
def test_a_paragraph_of_a_sectioned_resolution_is_followed_by_its_address(client):
    """In a resolution with sections, ?paragraph=II.3 is paragraph 3 of section II alone, on the notes
    list, its feed and its status changes; a bare "3" still finds every paragraph numbered 3."""
    from resolutions.models import Assessment, ParagraphKind
    from tests.factories import AssessmentFactory, ParagraphFactory

    resolution = ResolutionFactory(symbol="A/RES/75/237")
    first = ParagraphFactory(
        resolution=resolution, kind=ParagraphKind.OPERATIVE, section="I", number="3", order=1
    )
    second = ParagraphFactory(
        resolution=resolution, kind=ParagraphKind.OPERATIVE, section="II", number="3", order=2
    )
    NoteFactory(title="On the first", paragraphs=[first])
    NoteFactory(title="On the second", paragraphs=[second])
    AssessmentFactory(paragraph=first, rationale="First judged.")
    AssessmentFactory(paragraph=second, rationale="Second judged.")

    query = {"resolution": resolution.symbol, "paragraph": "II.3"}
    page = client.get(reverse("resolutions:note-list"), query).text
    assert "On the second" in page and "On the first" not in page
    feed = client.get(reverse("resolutions:feed-notes"), query).text
    assert "On the second" in feed and "On the first" not in feed
    status = client.get(reverse("resolutions:feed-status"), query).text
    assert "Second judged." in status and "First judged." not in status
    both = client.get(
        reverse("resolutions:note-list"), {"resolution": resolution.symbol, "paragraph": "3"}
    ).text
    assert "On the second" in both and "On the first" in both
    # The paragraph page follows itself by its address.
    paragraph_page = client.get(second.get_absolute_url()).text
    assert "paragraph=II.3" in paragraph_page and Assessment.objects.count() == 2
