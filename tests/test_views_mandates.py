"""The mandates page (resolutions.views.mandates): operative paragraphs by their mandate facts, through
the API's ParagraphFilter; addressees linked to entities at extraction, kept once staff edit them, and
listed on the entity's page."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse

from resolutions.importer import parse
from resolutions.importer.loader import load
from resolutions.models import Entity, Mandate, MandateOrigin, Paragraph
from tests.factories import EntityFactory, ParagraphFactory, ResolutionFactory

URL = reverse("resolutions:mandate-list")


def mandated(number_of_rows, **facts):
    """`number_of_rows` operative paragraphs of one resolution, their mandates read from the text
    (the factory's: "Encourages the Regional Centre ...") and then given `facts`."""
    resolution = ResolutionFactory()
    paragraphs = [ParagraphFactory(resolution=resolution) for _ in range(number_of_rows)]
    Mandate.objects.refill(paragraphs)
    if facts:
        Mandate.objects.filter(paragraph__in=paragraphs).update(**facts)
    return paragraphs


def row_links(html):
    return re.findall(r'<h2><a href="([^"]+)">', html)


def test_the_page_filters_by_each_mandate_fact_as_the_api_does(client, seeded):
    op1 = Paragraph.objects.operative().get(resolution=seeded, number="1")
    Mandate.objects.filter(pk=op1.pk).update(
        report_session=80, report_due=datetime.date(2025, 6, 30), recurring=True
    )
    cases = [
        ({}, {"1", "2", "3", "4"}),
        ({"addressee": "regional-centre"}, {"1", "2", "4"}),
        ({"addressee_entity": "unrcca"}, {"1", "2", "4"}),
        ({"request": "welcomes"}, {"3"}),
        ({"report_session": "80"}, {"1"}),
        ({"report_due_from": "2025-01-01", "report_due_to": "2025-12-31"}, {"1"}),
        ({"report_due_from": "2026-01-01"}, set()),
        ({"recurring": "true"}, {"1"}),
        ({"resolution": "A/RES/77/273", "q": "initiatives"}, {"3"}),
    ]
    for query, numbers in cases:
        page = client.get(URL, query).text
        expected = {Paragraph.objects.operative().get(resolution=seeded, number=n) for n in numbers}
        assert set(row_links(page)) == {p.get_absolute_url() for p in expected}, query
        assert f"<strong>{len(numbers)}</strong> operative paragraph" in page, query
        # The same query in the API gives the same rows.
        api = (
            re.search(r'href="(/api/v1/paragraphs/\?[^"]*format=json)"', page).group(1).replace("&amp;", "&")
        )
        assert {row["id"] for row in client.get(api).json()["results"]} == {p.pk for p in expected}, query
        download = client.get(api.replace("format=json", "format=csv"))
        rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode())))
        assert {int(row["id"]) for row in rows} == {p.pk for p in expected}, query


def test_a_row_shows_the_facts_and_the_addressed_entity(client, seeded):
    Mandate.objects.filter(paragraph__resolution=seeded, paragraph__number="1").update(report_session=80)
    page = client.get(URL, {"report_session": "80"}).text
    assert "Encourages" in page and "The Regional Centre (UNRCCA)" in page
    assert "at session 80" in page
    assert f'href="{Entity.objects.get(slug="unrcca").get_absolute_url()}"' in page


def test_empty_results_and_bad_input_say_so_without_an_error(client, seeded):
    page = client.get(URL, {"request": "demands"})
    assert page.status_code == 200
    assert "No operative paragraph matches these filters" in page.text and "Clear all filters" in page.text
    bad = client.get(URL, {"report_session": "soon", "addressee_entity": "nobody", "report_due_to": "June"})
    assert bad.status_code == 200
    assert "Some filters could not be used" in bad.text
    assert bad.text.count('class="error" role="alert"') == 3
    assert row_links(bad.text) == []


def test_the_empty_database_has_a_plain_empty_state(client, db):
    assert "No resolution has been imported yet" in client.get(URL).text


@pytest.mark.parametrize("rows", [1, 30])
def test_the_page_costs_the_same_queries_for_one_row_or_a_full_page(
    client, db, rows, django_assert_num_queries
):
    EntityFactory(short_name="UNRCCA", slug="unrcca")
    paragraphs = mandated(rows)
    # count, the page's rows (with mandates), their entities, the entity menu; session and cache reads none
    with django_assert_num_queries(4):
        page = client.get(URL, {"addressee": "regional-centre"}).text
    assert len(row_links(page)) == min(rows, 25)
    if rows > 25:
        assert 'rel="next"' in page and "Page 1 of 2" in page
        assert len(row_links(client.get(URL, {"addressee": "regional-centre", "page": 2}).text)) == rows - 25
    assert row_links(page)[0] == paragraphs[0].get_absolute_url()


def test_extraction_links_addressees_to_entities_and_a_staff_link_survives_reimport(seeded, seed_text):
    unrcca = Entity.objects.get(slug="unrcca")
    sg = Entity.objects.get(slug="secretary-general")
    mandates = Mandate.objects.filter(paragraph__resolution=seeded).order_by("paragraph__order")
    assert [list(m.addressee_entities.all()) for m in mandates] == [[unrcca], [unrcca], [], [unrcca]]
    edited, extracted = mandates[0], mandates[1]
    edited.addressee_entities.set([sg])
    Mandate.objects.filter(pk=edited.pk).update(origin=MandateOrigin.EDITED)
    extracted.addressee_entities.clear()
    seeded.texts.update(import_digest="")  # as if the text changed: the loader writes again
    load(parse(seed_text))
    assert list(edited.addressee_entities.all()) == [sg]
    assert list(extracted.addressee_entities.all()) == [unrcca]


def test_the_api_gives_each_mandates_entities_in_a_fixed_number_of_queries(
    client, seeded, django_assert_num_queries
):
    # the count, the page of paragraphs with their mandates, the mandates' entities
    with django_assert_num_queries(3):
        rows = client.get(reverse("api:paragraph-list"), {"mandated": "true"}).json()["results"]
    assert [row["mandate"]["addressee_entities"] for row in rows] == [["unrcca"], ["unrcca"], [], ["unrcca"]]
    one = client.get(reverse("api:paragraph-detail", kwargs={"pk": rows[0]["id"]})).json()
    assert one["mandate"]["addressee_entities"] == ["unrcca"]


def test_staff_link_an_entity_in_the_admin_and_the_mandate_becomes_edited(admin_client, seeded):
    mandate = Mandate.objects.filter(paragraph__resolution=seeded, paragraph__number="3").get()
    sg = Entity.objects.get(slug="secretary-general")
    url = reverse("admin:resolutions_mandate_change", args=[mandate.pk])
    form = admin_client.get(url)
    assert form.status_code == 200 and 'name="addressee_entities"' in form.text
    response = admin_client.post(
        url,
        {
            "request": mandate.request,
            "addressees": mandate.addressee_keys,
            "addressee_text": mandate.addressee_text,
            "report_session": "",
            "report_due": "",
            "addressee_entities": [sg.pk],
            "origin": mandate.origin,
        },
    )
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.origin == MandateOrigin.EDITED and list(mandate.addressee_entities.all()) == [sg]


def test_the_entity_page_lists_the_paragraphs_addressed_to_it(client, seeded):
    page = client.get(reverse("resolutions:entity-detail", kwargs={"slug": "unrcca"})).text
    section = page.split('id="addressed-heading"')[1].split("</section>")[0]
    for number in ("1", "2", "4"):
        paragraph = Paragraph.objects.operative().get(resolution=seeded, number=number)
        assert f'href="{paragraph.get_absolute_url()}"' in section
    assert f'href="{URL}?addressee_entity=unrcca"' in section
    assert (
        'id="addressed-heading"'
        not in client.get(reverse("resolutions:entity-detail", kwargs={"slug": "pbf"})).text
    )


def test_the_entity_page_is_bounded(client, db):
    EntityFactory(short_name="UNRCCA", slug="unrcca")
    mandated(12)
    page = client.get(reverse("resolutions:entity-detail", kwargs={"slug": "unrcca"})).text
    section = page.split('id="addressed-heading"')[1].split("</section>")[0]
    assert section.count("<li>") == 10 and "Every paragraph addressed to it" in section


def test_a_staff_correction_shows_at_once_on_the_cached_page(admin_client, client, seeded):
    """The anonymous page cache (resolutions.middleware) is made stale by a mandate's change and by a
    change of its entities, as by any public row's."""
    mandate = Mandate.objects.filter(paragraph__resolution=seeded, paragraph__number="3").get()
    url = f"{URL}?addressee_entity=secretary-general"
    assert "77/273 op 3" not in client.get(url).text  # now cached
    mandate.addressee_entities.add(Entity.objects.get(slug="secretary-general"))
    assert "77/273 op 3" in client.get(url).text
    mandate.report_session = 81
    mandate.save()
    assert "77/273 op 3" in client.get(URL, {"report_session": "81"}).text
    cached = client.get(URL, {"report_session": "81"}).text
    mandate.report_session = None
    mandate.save()
    assert client.get(URL, {"report_session": "81"}).text != cached
