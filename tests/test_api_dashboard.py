"""The dashboards' figures in the API (resolutions/api/dashboard.py): the pages' figures as JSON, filtered
by the notes list's parameters, declared in the OpenAPI schema."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from resolutions.models import NoteState, Paragraph
from tests.factories import AssessmentFactory, NoteFactory

pytestmark = pytest.mark.django_db

SYMBOL = "A/RES/77/273"
OVERALL = "/api/v1/dashboard/"
OF_77_273 = f"/api/v1/resolutions/{SYMBOL}/dashboard/"


def test_urls():
    assert reverse("api:dashboard") == OVERALL
    assert reverse("api:resolution-dashboard", kwargs={"symbol": SYMBOL}) == OF_77_273


def test_the_overall_figures_as_json(client, seeded):
    figures = client.get(OVERALL).json()

    assert figures["note_count"] == 6
    assert figures["countries"][0] == {"name": "Uzbekistan", "key": "UZB", "count": 5}
    assert sum(month["count"] for month in figures["months"]) == 6
    assert figures["months"][-1] == {"month": "2023-02-01", "count": 3}
    assert {row["label"]: row["count"] for row in figures["statuses"]}["Not assessed"] == figures[
        "paragraph_count"
    ]
    assert [partner["short"] for partner in figures["partners"]][0] == "UNRCCA"
    assert figures["recent"][0]["url"].startswith("/notes/")
    published = [row["published_at"] for row in figures["recent"]]
    assert published == sorted(published, reverse=True)  # the most recently published first
    assert figures["idle"]["months"] == 6 and figures["idle"]["count"] == len(figures["idle"]["paragraphs"])


def test_the_resolution_figures_give_each_operative_paragraph(client, seeded):
    op1 = Paragraph.objects.operative().get(resolution=seeded, number="1")
    AssessmentFactory(paragraph=op1, status="ongoing", as_of=datetime.date(2024, 6, 1))
    AssessmentFactory(
        paragraph=op1, status="implemented", as_of=datetime.date(2025, 6, 1), state=NoteState.DRAFT
    )

    figures = client.get(OF_77_273).json()

    assert figures["resolution"] == SYMBOL
    first = figures["paragraphs"][0]
    assert first["paragraph"] == "1" and first["url"] == op1.get_absolute_url()
    assert first["status"] == "ongoing" and first["status_as_of"] == "2024-06-01"
    assert first["last_activity"] == "2024-06-01"
    assert first["note_count"] == op1.published_note_count
    assert [event["kind"] for event in first["events"]][-1] == "assessment"
    assert [event["date"] for event in first["events"]] == sorted(event["date"] for event in first["events"])
    assert len(figures["paragraphs"]) == Paragraph.objects.operative().filter(resolution=seeded).count()


def test_the_notes_list_parameters_filter_the_figures_as_on_the_pages(client, seeded):
    listed = client.get("/api/v1/notes/?country=kaz&kind=meeting").json()["count"]
    NoteFactory(
        title="Only in Kazakhstan, elsewhere", countries=["KAZ"], kind="meeting"
    )  # no paragraph of 77/273

    assert client.get(OVERALL + "?country=kaz&kind=meeting").json()["note_count"] == listed + 1
    assert client.get(OF_77_273 + "?country=kaz&kind=meeting").json()["note_count"] == listed


def test_bad_parameters_are_a_400_naming_them(client, seeded):
    response = client.get(OVERALL + "?idle=5&date_from=yesterday&country=zzz")

    assert response.status_code == 400
    assert set(response.json()) == {"idle", "date_from", "country"}
    assert client.get("/api/v1/resolutions/A/RES/99/1/dashboard/").status_code == 404
    assert client.get("/api/v1/resolutions/A/RES/99/1/dashboard/").json()["detail"]


def test_the_idle_period_is_chosen_in_months(client, seeded):
    op2 = Paragraph.objects.operative().get(resolution=seeded, number="2")
    NoteFactory(start_date=datetime.date.today() - datetime.timedelta(days=60), paragraphs=[op2])

    three = client.get(OF_77_273 + "?idle=3").json()["idle"]
    twelve = client.get(OF_77_273 + "?idle=12").json()["idle"]

    assert three["months"] == 3 and twelve["months"] == 12
    assert "2" not in [row["paragraph"] for row in three["paragraphs"]]
    assert "1" in [row["paragraph"] for row in three["paragraphs"]]


def test_the_schema_declares_both_operations_with_their_parameters(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    for path in ("/api/v1/dashboard/", "/api/v1/resolutions/{symbol}/dashboard/"):
        operation = schema["paths"][path]["get"]
        names = {parameter["name"] for parameter in operation["parameters"]}
        assert {"country", "theme", "entity", "kind", "date_from", "date_to", "q", "idle"} <= names
        assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert "400" in operation["responses"]
    assert "paragraphs" in schema["components"]["schemas"]["ResolutionDashboard"]["properties"]


def test_schema_still_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))

    assert "/api/v1/resolutions/{symbol}/dashboard/" in (tmp_path / "schema.yml").read_text()
