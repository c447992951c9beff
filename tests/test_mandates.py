"""Mandate facts (resolutions.mandates): tricky phrases, a hand-checked corpus sample, the filters on
the API, and staff's edits kept through re-import."""

import datetime
import json
from pathlib import Path

import pytest
from django.urls import reverse

from resolutions import mandates
from resolutions.importer import parse, parse_all
from resolutions.importer.loader import load
from resolutions.models import Mandate, MandateOrigin, Paragraph

SAMPLE = Path(__file__).parent / "fixtures" / "mandate_sample.json"


@pytest.mark.parametrize(
    "lead, text, asked, addressees",
    [
        (
            "Also strongly encourages",
            "Member States and the Regional Centre to cooperate;",
            "encourages",
            ["regional-centre", "member-states"],
        ),
        (
            "Calls upon",
            "the countries of the region to support the Centre;",
            "calls_upon",
            ["countries-of-region"],
        ),
        ("Reiterates its call for", "the achievement of a lasting peace;", "calls_upon", []),
        ("Reiterates", "its support for the Centre;", "reaffirms", []),
        ("Takes note with appreciation", "of the report;", "notes", []),
        (
            "Welcomes",
            "the report, and requests the Secretary-General to continue;",
            "welcomes",
            ["secretary-general"],
        ),
        ("Decides", "that the Secretary-General shall report to it;", "decides", ["secretary-general"]),
        ("Decides", "that the income shall be credited to the Fund;", "decides", []),
        ("Appropriations", "totalling 3 dollars are hereby approved;", "decides", []),
        (
            "The",
            "Secretary-General shall be authorized to transfer credits;",
            "authorizes",
            ["secretary-general"],
        ),
        ("Invites", "Member States, and calls upon them, therefore, to act;", "invites", ["member-states"]),
        ("Urges", "the Conference on Disarmament to agree on a programme of work;", "urges", ["other"]),
        (
            "Encourages",
            "the parties to the Convention to apply the framework;",
            "encourages",
            ["states-parties"],
        ),
        (
            "Also recalls",
            "the offer, and invites the States members of the Zone to participate;",
            "reaffirms",
            ["states"],
        ),
    ],  # fmt: skip
)
def test_request_and_addressees_of_tricky_phrases(lead, text, asked, addressees):
    facts = mandates.extract(lead, text)
    assert (facts.request, facts.addressees) == (asked, addressees)


@pytest.mark.parametrize(
    "text, session, due, recurring",
    [
        (
            "the Secretary-General to submit to the General Assembly at its seventy-ninth session a report",
            79,
            None,
            False,
        ),
        ("the Centre to report thereon at the eightieth session of the General Assembly", 80, None, False),
        ("the Secretary-General to report biennially on its work", None, None, True),
        (
            "the Secretary-General to keep the Council informed, with written reports every 90 days, the next "
            "report due by 31 August 2025",
            None,
            datetime.date(2025, 8, 31),
            True,
        ),
        ("the Secretary-General to submit a report by June 2024", None, datetime.date(2024, 6, 30), False),
        ("to include in the provisional agenda of its seventy-ninth session the item", None, None, False),
    ],  # fmt: skip
)
def test_reporting_requirements(text, session, due, recurring):
    facts = mandates.extract("Requests", text)
    assert (facts.report_session, facts.report_due, facts.recurring) == (session, due, recurring)


@pytest.mark.corpus
def test_hand_checked_sample_of_the_corpus(shared_data_dir):
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))["paragraphs"]
    assert len(sample) >= 100
    parsed = {}
    requests = addressees = 0
    wrong = []
    for expected in sample:
        path = shared_data_dir / "unxml" / expected["file"]
        if path not in parsed:
            parsed[path] = parse_all(path.read_text(encoding="utf-8"))
        resolution = next(r for r in parsed[path] if r.symbol == expected["symbol"])
        paragraph = next(
            p
            for p in resolution.operative
            if (f"{p.section}.{p.number}" if p.section else p.number) == expected["paragraph"]
        )
        facts = mandates.extract(paragraph.lead_phrase, paragraph.text)
        requests += facts.request == expected["request"]
        addressees += sorted(facts.addressees) == expected["addressees"]
        if facts.request != expected["request"] or sorted(facts.addressees) != expected["addressees"]:
            wrong.append((expected["symbol"], expected["paragraph"], facts.request, facts.addressees))
    request_rate, addressee_rate = requests / len(sample), addressees / len(sample)
    print(
        f"\nmandate sample: {len(sample)} paragraphs, request class {request_rate:.1%}, addressees {addressee_rate:.1%}"
    )
    for row in wrong:
        print("  differs:", *row)
    assert request_rate >= 0.95
    assert addressee_rate >= 0.90


def test_the_loader_fills_the_facts_and_the_api_filters_by_them(seeded, client):
    mandate = Mandate.objects.get(paragraph__resolution=seeded, paragraph__number="1", paragraph__parent=None)
    assert mandate.origin == MandateOrigin.EXTRACTED
    Mandate.objects.filter(pk=mandate.pk).update(
        report_session=80
    )  # as staff would, before any page is cached
    url = reverse("api:paragraph-list")
    rows = client.get(url, {"addressee": "regional-centre"}).json()["results"]
    assert rows and all("regional-centre" in row["mandate"]["addressees"] for row in rows)
    assert {row["id"] for row in rows} == set(
        Paragraph.objects.filter(mandate__addressees__contains=" regional-centre ").values_list(
            "pk", flat=True
        )
    )
    # 77/273: op 1, 2 and 4 encourage, op 3 welcomes; none asks for a report.
    encouraging = client.get(url, {"request": "encourages"}).json()["results"]
    assert sorted(row["number"] for row in encouraging) == ["1", "2", "4"]
    due = client.get(url, {"report_session": 80}).json()["results"]
    assert [row["id"] for row in due] == [mandate.pk]
    assert client.get(url, {"report_session": 79}).json()["results"] == []


def test_bad_mandate_filters_are_400_with_field_errors(db, client):
    response = client.get(reverse("api:paragraph-list"), {"addressee": "nobody", "report_session": "soon"})
    assert response.status_code == 400
    body = json.dumps(response.json())
    assert "addressee" in body and "report_session" in body


def test_the_paragraph_page_shows_its_mandate(seeded, client):
    paragraph = Paragraph.objects.operative().filter(resolution=seeded, mandate__request="encourages").first()
    response = client.get(paragraph.get_absolute_url())
    assert b'id="mandate-heading"' in response.content
    assert b"Encourages" in response.content and b"The Regional Centre (UNRCCA)" in response.content


def test_a_staff_edit_survives_reimport_and_an_extracted_fact_is_read_again(seeded, seed_text):
    edited, extracted = Mandate.objects.filter(paragraph__resolution=seeded)[:2]
    edited.request, edited.addressees, edited.origin = "other", " donors ", MandateOrigin.EDITED
    edited.save()
    truth = (extracted.request, extracted.addressees)
    extracted.request, extracted.addressees = "other", " donors "
    extracted.save()
    seeded.texts.update(import_digest="")  # as if the text changed: the loader writes again
    load(parse(seed_text))
    edited.refresh_from_db()
    extracted.refresh_from_db()
    assert (edited.request, edited.addressees, edited.origin) == ("other", " donors ", MandateOrigin.EDITED)
    assert (extracted.request, extracted.addressees) == truth
