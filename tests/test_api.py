import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from resolutions.filters import NoteFilter
from resolutions.models import (
    AssessmentStatus,
    Country,
    CountryVote,
    Footnote,
    ImplementationNote,
    NoteSource,
    NoteState,
    Paragraph,
    ParagraphText,
    Reference,
    ResolutionText,
    VoteCast,
)
from tests.factories import (
    AssessmentFactory,
    EntityFactory,
    NoteFactory,
    ParagraphFactory,
    ResolutionFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

SEED = "/api/v1/resolutions/A/RES/77/273/"
HIDDEN_STATES = [NoteState.DRAFT, NoteState.IN_REVIEW, NoteState.WITHDRAWN]


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # throttling counts requests per address in the cache
    yield
    cache.clear()


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(body(response).decode())))


def walk(paragraphs):
    for paragraph in paragraphs:
        yield paragraph
        yield from walk(paragraph["subparagraphs"])


# ---- resolutions ---------------------------------------------------------------------------------


def test_resolution_detail_holds_paragraphs_footnotes_references_status_and_counts(client, seeded):
    op1 = Paragraph.objects.operative().get(resolution=seeded, number="1")
    AssessmentFactory(paragraph=op1, status=AssessmentStatus.ONGOING, as_of=datetime.date(2025, 6, 1))
    NoteFactory(paragraphs=[op1], title="Published on op 1")

    response = client.get(SEED)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["symbol"] == "A/RES/77/273"
    assert data["languages"] == ["en"]
    assert data["votes"]["method"] == seeded.adoption_method
    paragraphs = {p["label"]: p for p in walk(data["paragraphs"])}
    assert paragraphs["pp 3"]["lead_phrase"] == "Recalling also"
    assert paragraphs["op 1"]["lead_phrase"] == "Encourages"
    assert paragraphs["op 1"]["current_status"] == "ongoing"
    assert paragraphs["op 1"]["current_status_as_of"] == "2025-06-01"
    assert paragraphs["op 1"]["published_note_count"] == op1.notes.published().count()
    assert any("[^1]" in p["text"] for p in paragraphs.values())
    assert data["footnotes"][0]["marker"] == "1" and data["footnotes"][0]["text"]
    cited = {ref["symbol"] for ref in data["references"]}
    assert {"A/RES/72/7", "A/RES/75/272"} <= cited
    assert data["published_note_count"] == ImplementationNote.objects.published().count()


def test_subparagraphs_are_nested_under_their_paragraph(client, db):
    resolution = ResolutionFactory()
    op1 = ParagraphFactory(resolution=resolution, order=1, number="1", lead_phrase="Decides", text="to:")
    a = ParagraphFactory(resolution=resolution, order=2, number="a", parent=op1, lead_phrase="", text="one;")
    ParagraphFactory(resolution=resolution, order=3, number="i", parent=a, lead_phrase="", text="first;")

    data = client.get(reverse("api:resolution-detail", kwargs={"symbol": resolution.symbol})).json()

    assert [p["label"] for p in data["paragraphs"]] == ["op 1"]
    (sub,) = data["paragraphs"][0]["subparagraphs"]
    assert sub["label"] == "op 1 (a)"
    assert sub["subparagraphs"][0]["label"] == "op 1 (a) (i)"


def test_citing_resolutions_link_to_the_held_resolution(client, seeded):
    later = ResolutionFactory(symbol="A/RES/79/1", session="79", number="1")
    Reference.objects.create(resolution=later, symbol="A/RES/77/273", target=seeded)

    cited_by = client.get(SEED).json()["cited_by"]
    reference = client.get("/api/v1/resolutions/A/RES/79/1/").json()["references"][0]

    assert [item["symbol"] for item in cited_by] == ["A/RES/79/1"]
    assert reference["resolution_url"] == "http://testserver" + SEED
    assert reference["un_url"] == "https://undocs.org/en/A/RES/77/273"


def test_symbols_with_spaces_and_parentheses_are_found(client, db):
    ResolutionFactory(symbol="S/RES/2504 (2020)", session="2020", number="2504")

    response = client.get("/api/v1/resolutions/S/RES/2504 (2020)/")

    assert response.status_code == 200
    assert response.json()["symbol"] == "S/RES/2504 (2020)"
    assert response.json()["url"].endswith("/api/v1/resolutions/S/RES/2504%20(2020)/")


def test_unknown_symbol_is_a_json_404(client, db):
    response = client.get("/api/v1/resolutions/A/RES/1/1/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_votes_per_country(client, db):
    resolution = ResolutionFactory(adoption_method="recorded_vote", votes_yes=1, votes_no=0, votes_abstain=1)
    CountryVote.objects.create(
        resolution=resolution, country=Country.objects.get(alpha3="KAZ"), name="Kazakhstan", vote=VoteCast.YES
    )
    CountryVote.objects.create(resolution=resolution, name="Atlantis", vote=VoteCast.ABSTAIN)

    votes = client.get(reverse("api:resolution-detail", kwargs={"symbol": resolution.symbol})).json()["votes"]

    assert (votes["method"], votes["yes"], votes["no"], votes["abstain"]) == ("recorded_vote", 1, 0, 1)
    assert {(v["country"], v["name"], v["vote"]) for v in votes["countries"]} == {
        ("KAZ", "Kazakhstan", "yes"),
        (None, "Atlantis", "abstain"),
    }


@pytest.fixture
def bilingual(db):
    resolution = ResolutionFactory(title="Role of the Centre")
    ResolutionText.objects.create(resolution=resolution, language="en", title="Role of the Centre")
    ResolutionText.objects.create(resolution=resolution, language="ru", title="Роль Центра")
    paragraph = ParagraphFactory(
        resolution=resolution, lead_phrase="Encourages", text="the Centre[^1];", heading="I. Cooperation"
    )
    ParagraphText.objects.create(
        paragraph=paragraph,
        language="en",
        lead_phrase="Encourages",
        text="the Centre[^1];",
        heading="I. Cooperation",
    )
    ParagraphText.objects.create(
        paragraph=paragraph,
        language="ru",
        lead_phrase="рекомендует",
        text="Центру[^1];",
        heading="I. Сотрудничество",
    )
    Footnote.objects.create(resolution=resolution, language="en", marker="1", text="See A/77/1.")
    Footnote.objects.create(resolution=resolution, language="ru", marker="1", text="См. A/77/1.")
    return resolution


def test_lang_gives_the_texts_in_another_imported_language(client, bilingual):
    url = reverse("api:resolution-detail", kwargs={"symbol": bilingual.symbol})

    english = client.get(url).json()
    russian = client.get(url, {"lang": "ru"}).json()

    assert english["paragraphs"][0]["text"] == "the Centre[^1];"
    assert (russian["language"], russian["title"]) == ("ru", "Роль Центра")
    assert russian["languages"] == ["en", "ru"]
    assert russian["paragraphs"][0]["lead_phrase"] == "рекомендует"
    assert russian["paragraphs"][0]["text"] == "Центру[^1];"
    assert [f["text"] for f in russian["footnotes"]] == ["См. A/77/1."]
    paragraph = client.get("/api/v1/paragraphs/", {"lang": "ru", "resolution": bilingual.symbol}).json()
    assert paragraph["results"][0]["text"] == "Центру[^1];"


def test_each_paragraph_s_heading_is_shown_in_the_language_asked_for(client, bilingual):
    """ParagraphText.heading (issue 11): a section's heading in the language of the text beside it."""
    detail = reverse("api:resolution-detail", kwargs={"symbol": bilingual.symbol})
    paragraph = bilingual.paragraphs.get()
    one = reverse("api:paragraph-detail", kwargs={"pk": paragraph.pk})

    assert client.get(detail).json()["paragraphs"][0]["heading"] == "I. Cooperation"
    assert client.get(detail, {"lang": "ru"}).json()["paragraphs"][0]["heading"] == "I. Сотрудничество"
    listed = client.get("/api/v1/paragraphs/", {"lang": "ru", "resolution": bilingual.symbol}).json()
    assert listed["results"][0]["heading"] == "I. Сотрудничество"
    assert client.get(one, {"lang": "ru"}).json()["heading"] == "I. Сотрудничество"
    assert client.get(one).json()["heading"] == "I. Cooperation"


def test_the_schema_documents_the_heading_of_a_paragraph(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    for name in ("ResolutionParagraph", "Paragraph", "ParagraphDetail"):
        heading = schema["components"]["schemas"][name]["properties"]["heading"]
        assert heading["type"] == "string" and heading["readOnly"] is True
        assert "in the same language as its text" in heading["description"]


@pytest.mark.parametrize("lang", ["fr", "xx", "r u", "english"])
def test_a_language_not_held_is_a_400_saying_so(client, bilingual, lang):
    response = client.get(
        reverse("api:resolution-detail", kwargs={"symbol": bilingual.symbol}), {"lang": lang}
    )

    assert response.status_code == 400
    assert "lang" in response.json()


# ---- vocabularies --------------------------------------------------------------------------------


def test_country_by_code_in_any_case_and_vocabularies_by_slug(client, db):
    theme, entity = ThemeFactory(slug="water"), EntityFactory(slug="unrcca")

    assert client.get("/api/v1/countries/kaz/").json()["name"] == "Kazakhstan"
    assert client.get("/api/v1/countries/KAZ/").json()["alpha3"] == "KAZ"
    assert client.get("/api/v1/countries/XXX/").status_code == 404
    assert client.get("/api/v1/themes/water/").json()["name"] == theme.name
    assert client.get("/api/v1/entities/unrcca/").json()["name"] == entity.name
    assert client.get("/api/v1/entities/nope/").status_code == 404


# ---- published only ------------------------------------------------------------------------------


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_unpublished_notes_never_reach_anonymous_callers(client, seeded, state):
    op1 = Paragraph.objects.operative().get(resolution=seeded, number="1")
    theme = ThemeFactory(slug="secret-theme")
    hidden = NoteFactory(title="Hidden note", state=state, paragraphs=[op1], countries=["KGZ"])
    hidden.themes.add(theme)
    published = ImplementationNote.objects.published()

    notes = client.get("/api/v1/notes/", {"page_size": 100}).json()
    assert notes["count"] == published.count()
    assert "Hidden note" not in {note["title"] for note in notes["results"]}
    assert client.get(f"/api/v1/notes/{hidden.pk}/").status_code == 404
    assert "Hidden note" not in body(client.get("/api/v1/notes/", {"format": "csv"})).decode()
    detail = client.get(SEED).json()
    assert detail["published_note_count"] == published.count()
    op1_data = next(p for p in detail["paragraphs"] if p["label"] == "op 1")
    assert op1_data["published_note_count"] == published.filter(paragraphs=op1).count()
    paragraph = client.get(f"/api/v1/paragraphs/{op1.pk}/").json()
    assert (
        paragraph["published_note_count"]
        == len(paragraph["notes"])
        == published.filter(paragraphs=op1).count()
    )
    assert "Hidden note" not in {note["title"] for note in paragraph["notes"]}
    assert (
        client.get("/api/v1/countries/KGZ/").json()["published_note_count"]
        == published.filter(countries__alpha3="KGZ").count()
    )
    assert client.get("/api/v1/themes/secret-theme/").json()["published_note_count"] == 0
    assert client.get("/api/v1/resolutions/", {"theme": "secret-theme"}).json()["count"] == 0


# ---- filters, ordering, pagination ---------------------------------------------------------------


def test_note_filters_match_the_shared_filterset(client, seeded):
    op1 = Paragraph.objects.operative().get(resolution=seeded, number="1")
    NoteFactory(
        title="Bishkek visit", paragraphs=[op1], countries=["KGZ"], start_date=datetime.date(2024, 3, 5)
    )
    query = {"resolution": "A/RES/77/273", "paragraph": "1", "country": "kgz", "date_from": "2024-01-01"}

    data = client.get("/api/v1/notes/", query).json()
    expected = NoteFilter(query, queryset=ImplementationNote.objects.published()).qs

    assert {note["id"] for note in data["results"]} == set(expected.values_list("pk", flat=True))
    assert [note["title"] for note in data["results"]] == ["Bishkek visit"]


def test_invalid_filter_values_are_a_400_naming_each_field(client, db):
    response = client.get("/api/v1/notes/", {"country": "XXX", "date_from": "yesterday", "kind": "party"})

    assert response.status_code == 400
    assert set(response.json()) == {"country", "date_from", "kind"}
    response = client.get("/api/v1/resolutions/", {"year": "nineteen", "format": "csv"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "year" in response.json()


def test_ordering_and_page_size_capped_with_count_and_links(client, db):
    for day in range(1, 31):
        NoteFactory(title=f"Note {day:02d}", start_date=datetime.date(2024, 1, day))
    NoteFactory.create_batch(100, start_date=datetime.date(2023, 1, 1))

    first = client.get("/api/v1/notes/", {"ordering": "-date", "page_size": 10}).json()
    capped = client.get("/api/v1/notes/", {"page_size": 500}).json()
    oldest_titles = client.get("/api/v1/notes/", {"ordering": "title", "page_size": 2}).json()

    assert first["count"] == 130
    assert [n["title"] for n in first["results"][:2]] == ["Note 30", "Note 29"]
    assert first["previous"] is None and "page=2" in first["next"]
    assert len(capped["results"]) == 100
    assert [n["title"] for n in oldest_titles["results"]] == ["Note 01", "Note 02"]
    second = client.get(first["next"]).json()
    assert second["previous"] and second["results"][0]["title"] == "Note 20"
    assert client.get("/api/v1/notes/", {"page": 99}).status_code == 404


def test_vocabularies_order_by_name_or_code(client, db):
    names = [c["alpha3"] for c in client.get("/api/v1/countries/", {"ordering": "-alpha3"}).json()["results"]]

    assert names[0] == "ZWE"


# ---- CSV -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "endpoint", ["resolutions", "paragraphs", "notes", "countries", "themes", "entities"]
)
def test_every_list_exports_csv_streamed(client, seeded, endpoint):
    by_query = client.get(f"/api/v1/{endpoint}/", {"format": "csv"})
    by_accept = client.get(f"/api/v1/{endpoint}/", HTTP_ACCEPT="text/csv")

    assert by_query.status_code == by_accept.status_code == 200
    assert by_query.streaming and by_accept.streaming
    assert by_query["Content-Type"].startswith("text/csv")
    rows = csv_rows(by_query)
    assert rows == csv_rows(by_accept)
    assert len(rows) == client.get(f"/api/v1/{endpoint}/").json()["count"]


def test_csv_takes_the_same_filters_and_all_pages(client, seeded):
    op1 = Paragraph.objects.operative().get(resolution=seeded, number="1")
    NoteFactory.create_batch(120, paragraphs=[op1], countries=["KGZ"], start_date=datetime.date(2025, 1, 1))
    NoteFactory(title="Draft", state=NoteState.DRAFT, countries=["KGZ"])

    rows = csv_rows(
        client.get("/api/v1/notes/", {"format": "csv", "country": "KGZ", "date_from": "2025-01-01"})
    )

    assert len(rows) == 120
    assert rows[0]["countries"] == "KGZ"
    assert rows[0]["paragraphs"] == "A/RES/77/273 op 1"


# ---- edges: throttling, ETag, CORS ---------------------------------------------------------------


def test_anonymous_callers_are_throttled_at_the_configured_rate(client, settings, db):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"}}

    statuses = [client.get("/api/v1/themes/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/themes/")
    assert "detail" in response.json() and response["Retry-After"]


def test_rotating_x_forwarded_for_does_not_escape_the_limit_without_a_trusted_proxy(client, settings, db):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"}}
    assert settings.NUM_PROXIES == 0  # the default: X-Forwarded-For is anyone's to write

    statuses = [
        client.get(f"/api/v1/themes/?page={n}", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(1, 5)
    ]

    assert statuses == [200, 404, 404, 429]  # pages 2 and 3 do not exist, and count all the same


def test_behind_one_trusted_proxy_each_caller_is_counted_by_the_address_the_proxy_saw(client, settings, db):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"}}
    settings.NUM_PROXIES = 1

    def get(n, caller):
        # The caller writes what it likes on the left; the proxy appends the address it saw.
        return client.get(
            f"/api/v1/themes/?n={n}",
            REMOTE_ADDR="10.1.1.1",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, {caller}",
        ).status_code

    first = [get(n, "203.0.113.5") for n in range(4)]
    second = [get(n, "203.0.113.6") for n in range(4, 6)]

    assert first == [200, 200, 200, 429]
    assert second == [200, 200]  # same proxy, another caller: its own count


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/nothing/", 404),
        ("get", "/api/schema/more/", 404),
        ("get", "/api/v1/no-such-list/", 404),
        ("get", "/api/v1/resolutions/A/RES/1/1/", 404),
        ("put", "/api/v1/notes/", 405),
        ("delete", "/api/v1/themes/", 405),
        ("post", "/api/schema/", 405),
        ("post", "/api/docs/", 405),
        ("patch", "/api/v1/resolutions/A/RES/77/273/", 405),
    ],
)
def test_every_api_failure_answers_json(client, db, method, path, status):
    response = getattr(client, method)(path)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
    if status == 405:
        assert "GET" in response["Allow"]


def test_an_api_server_error_answers_json_and_says_nothing_of_the_cause(client, db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret cause")

    monkeypatch.setattr("resolutions.api.views.ThemeViewSet.list", broken)
    client.raise_request_exception = False

    response = client.get("/api/v1/themes/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Server error: it has been logged."}


def test_detail_answers_304_to_a_matching_etag(client, seeded):
    first = client.get(SEED)
    again = client.get(SEED, HTTP_IF_NONE_MATCH=first["ETag"])
    other = client.get(SEED, HTTP_IF_NONE_MATCH='"something-else"')

    assert first.status_code == 200 and first["ETag"]
    assert again.status_code == 304 and again.content == b""
    assert other.status_code == 200
    NoteFactory(paragraphs=[Paragraph.objects.operative().get(resolution=seeded, number="1")])
    assert client.get(SEED, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_detail_is_not_filtered_by_a_list_s_parameters(client, seeded):
    """One row asked for by its key: the list's filters (and their form) are not built for it."""
    note = NoteFactory(paragraphs=[Paragraph.objects.operative().get(resolution=seeded, number="1")])
    plain = client.get(f"/api/v1/notes/{note.pk}/")

    for query in ("country=KAZ", "country=not-a-country", "q=nothing+matches+this"):
        answer = client.get(f"/api/v1/notes/{note.pk}/?{query}")
        assert answer.status_code == 200, query
        assert answer.json() == plain.json()


def test_cors_lets_any_origin_read_but_not_write(client, db):
    read = client.get("/api/v1/themes/", HTTP_ORIGIN="https://dashboard.example.org")
    preflight = client.options(
        "/api/v1/notes/",
        HTTP_ORIGIN="https://dashboard.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )

    assert read["Access-Control-Allow-Origin"] == "*"
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in client.get("/notes/", HTTP_ORIGIN="https://x.example.org")


def test_cors_allow_list_is_configurable(client, settings, db):
    settings.CORS_ALLOW_ALL_ORIGINS = False
    settings.CORS_ALLOWED_ORIGINS = ["https://dashboard.example.org"]

    allowed = client.get("/api/v1/themes/", HTTP_ORIGIN="https://dashboard.example.org")
    other = client.get("/api/v1/themes/", HTTP_ORIGIN="https://elsewhere.example.org")

    assert allowed["Access-Control-Allow-Origin"] == "https://dashboard.example.org"
    assert "Access-Control-Allow-Origin" not in other


# ---- query counts: 100 rows cost what 1 row costs ------------------------------------------------


def make_rows(count):
    resolution = ResolutionFactory()
    ResolutionText.objects.create(resolution=resolution, language="en", title=resolution.title)
    theme, entity = ThemeFactory(), EntityFactory()
    for n in range(count):
        paragraph = ParagraphFactory(resolution=resolution)
        ParagraphFactory(resolution=resolution, parent=paragraph, number="a", kind="operative")
        AssessmentFactory(paragraph=paragraph)
        note = NoteFactory(paragraphs=[paragraph], countries=["KAZ", "KGZ"])
        note.themes.add(theme)
        note.entities.add(entity)
        NoteSource.objects.create(note=note, title="Report", document_symbol=f"A/77/{n}")
        extra = ResolutionFactory()
        ResolutionText.objects.create(resolution=extra, language="en", title=extra.title)
        ThemeFactory()
        EntityFactory()
        Footnote.objects.create(resolution=resolution, marker=str(n + 1), text="A note.")
        Reference.objects.create(
            resolution=resolution, paragraph=paragraph, symbol=extra.symbol, target=extra
        )
        Reference.objects.create(resolution=extra, symbol=resolution.symbol, target=resolution)
        CountryVote.objects.create(resolution=resolution, name=f"State {n}", vote=VoteCast.YES)
    return resolution


LISTS = {
    "/api/v1/resolutions/": 3,
    "/api/v1/paragraphs/": 2,
    "/api/v1/notes/": 8,  # with their published translations
    # A vocabulary's note counts are stored on its rows (resolutions.counters): count and page only.
    "/api/v1/countries/": 2,
    "/api/v1/themes/": 2,
    "/api/v1/entities/": 2,
}


@pytest.mark.parametrize("rows", [1, 100])
@pytest.mark.parametrize(("url", "queries"), LISTS.items())
def test_list_query_counts_do_not_grow_with_rows(client, django_assert_num_queries, url, queries, rows):
    make_rows(rows)

    with django_assert_num_queries(queries):
        response = client.get(url, {"page_size": 100})

    assert response.status_code == 200
    assert len(response.json()["results"]) >= rows


@pytest.mark.parametrize("rows", [1, 100])
def test_resolution_detail_query_count_does_not_grow_with_paragraphs(client, django_assert_num_queries, rows):
    resolution = make_rows(rows)

    with django_assert_num_queries(8):
        response = client.get(reverse("api:resolution-detail", kwargs={"symbol": resolution.symbol}))

    assert len(response.json()["paragraphs"]) == rows
    assert len(response.json()["cited_by"]) == rows


@pytest.mark.parametrize("rows", [1, 100])
def test_paragraph_detail_query_count_does_not_grow_with_notes(client, django_assert_num_queries, rows):
    resolution = make_rows(1)
    paragraph = resolution.paragraphs.filter(parent=None).get()
    NoteFactory.create_batch(rows, paragraphs=[paragraph])

    with django_assert_num_queries(3):
        response = client.get(reverse("api:paragraph-detail", kwargs={"pk": paragraph.pk}))

    # The newest 100 are listed; the count says how many there are.
    assert len(response.json()["notes"]) == min(rows + 1, 100)
    assert response.json()["published_note_count"] == rows + 1
    assert len(response.json()["subparagraphs"]) == 1


@pytest.mark.parametrize("rows", [1, 100])
def test_csv_export_query_count_does_not_grow_with_rows(client, django_assert_num_queries, rows):
    make_rows(rows)

    with django_assert_num_queries(7):
        response = client.get("/api/v1/notes/", {"format": "csv"})
        rows_out = csv_rows(response)

    assert len(rows_out) == rows


# ---- OpenAPI and docs ----------------------------------------------------------------------------


def test_schema_validates_as_openapi_3_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))

    schema = (tmp_path / "schema.yml").read_text()
    assert schema.startswith("openapi: 3")
    for name in ["/api/v1/notes/", "date_from", "NoteKindEnum", "'400'", "'404'", "'429'", "text/csv"]:
        assert name in schema


def test_schema_endpoint_serves_it(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert "/api/v1/resolutions/{symbol}/" in response.json()["paths"]


def test_schema_documents_the_write_errors_the_api_answers(client, db):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]

    create = paths["/api/v1/notes/"]["post"]["responses"]
    update = paths["/api/v1/notes/{id}/"]["patch"]["responses"]
    assert {"400", "401", "403", "413"} <= set(create) and "428" not in create
    assert {"400", "401", "403", "404", "409", "412", "413", "428"} <= set(update)
    assert "304" not in create and "304" in paths["/api/v1/notes/{id}/"]["get"]["responses"]
    assert update["200"] and create["201"]["links"]["v1_notes_partial_update"] == {
        "operationId": "v1_notes_partial_update",
        "parameters": {"id": "$response.body#/id"},
    }
    to_detail = paths["/api/v1/resolutions/"]["get"]["responses"]["200"]["links"]["v1_resolutions_retrieve"]
    assert to_detail["parameters"] == {"symbol": "$response.body#/results/0/symbol"}
    listing = paths["/api/v1/notes/"]["get"]["parameters"]
    page_size = next(parameter for parameter in listing if parameter["name"] == "page_size")
    assert (page_size["schema"]["minimum"], page_size["schema"]["maximum"]) == (1, 100)


def test_schema_states_the_shape_of_a_note_write_and_gives_examples(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    write = schema["components"]["schemas"]["NoteWrite"]["properties"]

    assert write["paragraphs"]["minItems"] == 1 and write["paragraphs"]["items"]["minimum"] == 1
    assert write["title"]["pattern"] == r"\S" and write["title"]["maxLength"] == 300
    assert write["countries"]["items"]["pattern"] == "^[A-Z]{3}$"
    assert write["themes"]["items"]["pattern"] == write["entities"]["items"]["pattern"] == "^[-a-zA-Z0-9_]+$"
    paths = schema["paths"]
    create = paths["/api/v1/notes/"]["post"]["requestBody"]["content"]["application/json"]
    assert [example["value"]["paragraphs"] for example in create["examples"].values()] == [[25]]
    update = paths["/api/v1/notes/{id}/"]["patch"]
    assert "If-Match" in [parameter["name"] for parameter in update["parameters"]]
    (symbol,) = [p for p in paths["/api/v1/resolutions/{symbol}/"]["get"]["parameters"] if p["in"] == "path"]
    assert [example["value"] for example in symbol["examples"].values()] == ["A/RES/77/273"]
    assert re.fullmatch(symbol["schema"]["pattern"].strip("^$"), "A/RES/77/273")


def test_docs_page_loads_everything_from_our_own_static_files(client, db):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.text
    assert "swagger-ui" in html
    hosts = {url.split("/")[2] for url in re.findall(r"(?:src|href)=\"(https?://[^\"]+)", html)}
    assert hosts <= {"testserver"}, hosts
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert (
        client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js").status_code == 200
    )


# ---- the same query string on the website and in the API -----------------------------------------


def linked_note_ids(html):
    return {int(pk) for pk in re.findall(r'<h3><a href="/notes/(\d+)/">', html)}


@pytest.mark.parametrize(
    "query",
    [
        "country=kgz&date_from=2024-01-01",
        "resolution=A/RES/77/273&paragraph=1",
        "theme=counter-terrorism&ordering=-date",
        "entity=unrcca&kind=meeting",
        "q=Tashkent",
    ],
)
def test_a_query_string_gives_the_same_notes_on_the_page_and_in_the_api(client, seeded, query):
    op1 = Paragraph.objects.operative().get(resolution=seeded, number="1")
    NoteFactory(
        title="Bishkek visit", paragraphs=[op1], countries=["KGZ"], start_date=datetime.date(2024, 3, 5)
    )
    NoteFactory(title="Draft in Bishkek", paragraphs=[op1], countries=["KGZ"], state=NoteState.DRAFT)

    page = client.get(f"/notes/?{query}")
    api = client.get(f"/api/v1/notes/?{query}&page_size=100").json()

    assert page.status_code == 200
    assert api["count"] < 25  # one page of the website
    assert linked_note_ids(page.text) == {note["id"] for note in api["results"]}


@pytest.mark.parametrize(
    "query", ["tracked=true", "tracked=false", "year=2021", "cites=A/RES/75/272", "q=Centre"]
)
def test_a_query_string_gives_the_same_resolutions_on_the_page_and_in_the_api(client, seeded, query):
    ResolutionFactory(symbol="A/RES/76/1", session="76", number="1", adopted_on=datetime.date(2021, 10, 1))

    page = client.get(f"/resolutions/?{query}").text
    symbols = {r["symbol"] for r in client.get(f"/api/v1/resolutions/?{query}").json()["results"]}

    linked = set(re.findall(r'href="/resolutions/([A-Z][^"#?]*?)/"', page))
    assert linked == symbols


def test_every_resolution_citing_a_symbol(client, seeded):
    citing = client.get("/api/v1/resolutions/", {"cites": "A/RES/75/272"}).json()

    assert [r["symbol"] for r in citing["results"]] == ["A/RES/77/273"]
    assert client.get("/api/v1/resolutions/", {"cites": "A/RES/1/1"}).json()["count"] == 0


def test_sections_and_addresses_are_in_the_api(client, db):
    """Issue 11: the API says which section a paragraph is in, and its unique address."""
    from resolutions.importer import parse
    from resolutions.importer.loader import load

    load(parse(Path("tests/fixtures/akn/ga_sectioned.xml").read_text(encoding="utf-8")))

    data = client.get(reverse("api:resolution-detail", kwargs={"symbol": "A/RES/80/902"})).json()
    rows = [(p["kind"], p["section"], p["address"], p["label"]) for p in data["paragraphs"]][:5]
    assert rows == [
        ("preambular", "I", "I.1", "pp I.1"),
        ("preambular", "I", "I.2", "pp I.2"),
        ("operative", "I", "I.1", "op I.1"),
        ("operative", "I", "I.2", "op I.2"),
        ("preambular", "II", "II.1", "pp II.1"),
    ]
    assert data["paragraphs"][4]["heading"] == "II. Placeholder subvention"


@pytest.mark.parametrize(
    "endpoint", ["resolutions", "paragraphs", "notes", "countries", "themes", "entities"]
)
def test_the_schema_describes_each_lists_csv_as_the_rows_it_holds(client, seeded, endpoint):
    """Issue 18: the CSV answer was described as the paginated JSON page; it is every row, all text."""
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    described = paths[f"/api/v1/{endpoint}/"]["get"]["responses"]["200"]["content"]["text/csv"]["schema"]

    response = client.get(f"/api/v1/{endpoint}/", {"format": "csv"})
    header, *rows = list(csv.reader(io.StringIO(body(response).decode())))

    assert described["type"] == "array"
    assert list(described["items"]["properties"]) == header
    assert described["items"]["required"] == header
    assert all(schema == {"type": "string"} for schema in described["items"]["properties"].values())
    assert rows and all(len(row) == len(header) for row in rows)


def test_accept_language_chooses_the_texts_where_no_lang_is_given(client, bilingual):
    detail = reverse("api:resolution-detail", kwargs={"symbol": bilingual.symbol})

    russian = client.get(detail, HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9,en;q=0.8").json()
    assert (russian["language"], russian["title"]) == ("ru", "Роль Центра")
    assert russian["paragraphs"][0]["text"] == "Центру[^1];"
    assert [f["text"] for f in russian["footnotes"]] == ["См. A/77/1."]
    listed = client.get("/api/v1/paragraphs/", {"resolution": bilingual.symbol}, HTTP_ACCEPT_LANGUAGE="ru")
    assert listed.json()["results"][0]["text"] == "Центру[^1];"
    # ?lang= wins over the header.
    assert (
        client.get(detail, {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="ru").json()["title"] == "Role of the Centre"
    )


def test_accept_language_naming_a_language_not_held_gives_the_texts_in_their_own(client, bilingual):
    """Unlike ?lang=, the header is a preference: French is not held, so English, not a 400."""
    detail = reverse("api:resolution-detail", kwargs={"symbol": bilingual.symbol})
    paragraph = bilingual.paragraphs.get()

    response = client.get(detail, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert response.status_code == 200
    assert (response.json()["language"], response.json()["title"]) == ("en", "Role of the Centre")
    assert [f["text"] for f in response.json()["footnotes"]] == ["See A/77/1."]
    one = client.get(reverse("api:paragraph-detail", kwargs={"pk": paragraph.pk}), HTTP_ACCEPT_LANGUAGE="fr")
    assert (one.status_code, one.json()["text"]) == (200, "the Centre[^1];")
    listed = client.get("/api/v1/paragraphs/", HTTP_ACCEPT_LANGUAGE="fr")
    assert listed.status_code == 200


def test_the_cache_keeps_one_answer_per_language_asked_for(client, bilingual):
    detail = reverse("api:resolution-detail", kwargs={"symbol": bilingual.symbol})

    assert client.get(detail, HTTP_ACCEPT_LANGUAGE="ru").json()["title"] == "Роль Центра"
    english = client.get(detail, HTTP_ACCEPT_LANGUAGE="en-GB")
    assert english.json()["title"] == "Role of the Centre"
    assert "Accept-Language" in english["Vary"]
    assert client.get(detail, HTTP_ACCEPT_LANGUAGE="ru-RU").json()["title"] == "Роль Центра"
