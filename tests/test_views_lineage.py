"""The lineage pages (resolutions/views/lineage.py), the paragraph page's earlier mandate, the API's
series and alignments, and the admin's series links and carry-forward (resolutions/lineage_admin.py)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from resolutions.lineage import link_series
from resolutions.models import (
    Assessment,
    AssessmentStatus,
    NoteState,
    Resolution,
    SeriesLink,
    SeriesLinkOrigin,
)
from tests.factories import AssessmentFactory, NoteFactory, ParagraphFactory, ResolutionFactory, staff_member

pytestmark = pytest.mark.django_db

TITLE = "Cooperation between the United Nations and the Example Organization"


def series_of(count, paragraphs=2):
    """``count`` resolutions of one series, one a session from 70, each rewording op 1 a little."""
    made = []
    for index in range(count):
        resolution = ResolutionFactory(
            symbol=f"A/RES/{70 + index}/10",
            session=str(70 + index),
            title=TITLE,
            adopted_on=datetime.date(2015 + index, 11, 1),
        )
        for number in range(1, paragraphs + 1):
            ParagraphFactory(
                resolution=resolution,
                order=number,
                number=str(number),
                lead_phrase="Welcomes",
                text=f"the work of the Organization in its region number {number}, as of session {70 + index};",
            )
        made.append(resolution)
    link_series()
    return [Resolution.objects.get(pk=resolution.pk) for resolution in made]


def test_the_changes_page_marks_insertions_and_deletions_in_words_not_colour_alone(client):
    before, after = series_of(2)

    page = client.get(reverse("resolutions:resolution-changes", kwargs={"symbol": after.symbol}))

    assert page.status_code == 200
    html = page.text
    assert "<h1>What changed since 70/10" in html
    assert (
        '<del><span class="visually-hidden">[deleted: </span>70<span class="visually-hidden">]</span></del>'
        '<ins><span class="visually-hidden">[inserted: </span>71<span class="visually-hidden">]</span></ins>'
    ) in html
    assert (
        "2 changed · 0 new · 0 dropped · 0 unchanged"
        in " ".join(html.split()).replace('<p class="change-summary">', "")
        or "2 changed" in html
    )
    assert f'href="{after.paragraphs.get(number="1").get_absolute_url()}"' in html
    assert "/api/v1/alignments/?resolution=A%2FRES%2F71%2F10&amp;format=csv" in html


def test_the_changes_page_of_a_resolution_without_predecessor_says_so_and_an_unknown_one_is_404(client):
    first, _ = series_of(2)
    page = client.get(reverse("resolutions:resolution-changes", kwargs={"symbol": first.symbol}))
    assert page.status_code == 200
    assert "follows no earlier resolution held here" in page.text
    assert client.get("/resolutions/A/RES/99/99/changes/").status_code == 404


def test_the_changes_page_costs_the_same_for_2_paragraphs_as_for_120_and_pages_them(
    client, django_assert_num_queries
):
    _, small = series_of(2, paragraphs=2)
    url = reverse("resolutions:resolution-changes", kwargs={"symbol": small.symbol})
    with django_assert_num_queries(
        4
    ):  # the resolution with its link and series, the count, the rows, the summary
        client.get(url)
    ResolutionFactory.reset_sequence()
    Resolution.objects.all().delete()
    _, large = series_of(2, paragraphs=120)
    url = reverse("resolutions:resolution-changes", kwargs={"symbol": large.symbol})
    with django_assert_num_queries(4):
        page = client.get(url)
    assert page.text.count('<li class="change ') == 100
    assert "Page 1 of 2" in page.text
    assert client.get(url, {"page": 2}).text.count('<li class="change ') == 20


def test_the_series_page_lists_its_resolutions_in_order_with_what_changed(client, django_assert_num_queries):
    made = series_of(3)
    series = made[0].series
    url = series.get_absolute_url()
    with django_assert_num_queries(3):  # the series, the count, the page of resolutions with their links
        page = client.get(url)
    html = page.text
    assert [html.index(resolution.symbol) for resolution in made] == sorted(
        html.index(resolution.symbol) for resolution in made
    )
    assert "The first of the series held here." in html
    assert f'href="{reverse("resolutions:resolution-changes", kwargs={"symbol": "A/RES/72/10"})}"' in html
    assert "what changed since 71/10" in html
    assert client.get("/series/no-such-series/").status_code == 404
    # The resolution page names its series, what it follows and what follows it.
    detail = client.get(made[1].get_absolute_url()).text
    assert f'<a href="{url}">{series.name}</a>' in detail
    assert "what changed since 70/10" in detail
    assert 'Followed by</dt><dd><a href="/resolutions/A/RES/72/10/">A/RES/72/10</a>' in detail


def test_the_paragraph_page_shows_the_earlier_mandate_published_only(client):
    before, after = series_of(2)
    earlier = before.paragraphs.get(number="1")
    AssessmentFactory(paragraph=earlier, status=AssessmentStatus.ONGOING, as_of=datetime.date(2022, 5, 1))
    AssessmentFactory(
        paragraph=earlier,
        status=AssessmentStatus.IMPLEMENTED,
        state=NoteState.DRAFT,
        as_of=datetime.date(2023, 1, 1),
    )
    NoteFactory(title="Published meeting on the earlier mandate", paragraphs=[earlier])
    NoteFactory(title="Draft visit", paragraphs=[earlier], state=NoteState.DRAFT)

    html = client.get(after.paragraphs.get(number="1").get_absolute_url()).text

    assert "On the earlier mandate" in html
    assert (
        "This paragraph continues" in html
        and "operative paragraph 1 of 70/10</a>, with these changes" in html
    )
    assert "Ongoing" in html and "Implemented" not in html
    assert "Published meeting on the earlier mandate" in html and "Draft visit" not in html
    assert "Carry this assessment forward" not in html  # the public has no button


def test_one_click_in_the_admin_carries_an_assessment_forward_as_a_draft(client):
    before, after = series_of(2)
    AssessmentFactory(paragraph=before.paragraphs.get(number="1"), status=AssessmentStatus.ONGOING)
    paragraph = after.paragraphs.get(number="1")
    editor = staff_member("editor", username="edna")
    client.force_login(editor)
    assert "Carry this assessment forward" in client.get(paragraph.get_absolute_url()).text

    response = client.post(
        reverse("admin:resolutions_assessment_carry_forward", kwargs={"paragraph": paragraph.pk})
    )

    carried = Assessment.objects.get(paragraph=paragraph)
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:resolutions_assessment_change", args=[carried.pk]
    )
    assert (carried.state, carried.status, carried.author) == (
        NoteState.DRAFT,
        AssessmentStatus.ONGOING,
        editor,
    )
    client.logout()
    assert (
        "Ongoing"
        not in client.get(paragraph.get_absolute_url())
        .text.split("On the earlier mandate")[1]
        .split("</section>")[1]
    )
    carried.transition(NoteState.IN_REVIEW, editor)
    carried.transition(NoteState.PUBLISHED, staff_member("reviewer", username="rita"))
    status = client.get(paragraph.get_absolute_url()).text.split('id="status-heading"')[1]
    assert "Ongoing" in status and "(current)" in status


def test_carry_forward_refuses_a_get_and_says_why_when_there_is_nothing_to_carry(client):
    _, after = series_of(2)
    paragraph = after.paragraphs.get(number="1")
    client.force_login(staff_member("editor", username="edna"))
    url = reverse("admin:resolutions_assessment_carry_forward", kwargs={"paragraph": paragraph.pk})
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "continues no paragraph with a published assessment" in response.text
    assert not Assessment.objects.exists()


def test_staff_confirm_split_and_correct_links_in_the_admin_and_a_rerun_keeps_them(client):
    first, second, third = series_of(3)
    client.force_login(staff_member("administrator", username="ada"))
    changelist = reverse("admin:resolutions_serieslink_changelist")
    links = {link.successor.symbol: link for link in SeriesLink.objects.select_related("successor")}

    client.post(changelist, {"action": "confirm", "_selected_action": [links["A/RES/71/10"].pk]})
    client.post(changelist, {"action": "split", "_selected_action": [links["A/RES/72/10"].pk]})
    link_series()

    assert SeriesLink.objects.get(successor=second).origin == SeriesLinkOrigin.CONFIRMED
    split = SeriesLink.objects.get(successor=third)
    assert (split.origin, split.predecessor) == (SeriesLinkOrigin.SPLIT, None)
    third.refresh_from_db()
    assert third.series is None and not third.alignments.exists()

    change = reverse("admin:resolutions_serieslink_change", args=[split.pk])
    response = client.post(change, {"predecessor": first.pk})
    assert response.status_code == 302, response.context["adminform"].form.errors
    split.refresh_from_db()
    assert (split.origin, split.predecessor) == (SeriesLinkOrigin.CORRECTED, first)
    third.refresh_from_db()
    assert third.series == first.series and third.alignments.exists()


def test_a_link_is_split_in_the_admin_never_deleted(client):
    """A deleted link would leave its alignments and series behind: splitting is the way apart."""
    series_of(2)
    client.force_login(staff_member("administrator", username="ada"))
    link = SeriesLink.objects.get()
    assert client.get(reverse("admin:resolutions_serieslink_delete", args=[link.pk])).status_code == 403
    changelist = reverse("admin:resolutions_serieslink_changelist")
    client.post(changelist, {"action": "delete_selected", "_selected_action": [link.pk], "post": "yes"})
    assert SeriesLink.objects.filter(pk=link.pk).exists()


def test_the_api_lists_series_and_alignments_as_json_and_csv(client, django_assert_num_queries):
    made = series_of(3)
    series = made[0].series
    listed = client.get("/api/v1/series/").json()
    assert listed["results"] == [
        {
            "slug": series.slug,
            "name": TITLE,
            "description": "",
            "resolution_count": 3,
            "url": f"http://testserver/api/v1/series/{series.slug}/",
            "web_url": f"http://testserver/series/{series.slug}/",
        }
    ]
    assert client.get("/api/v1/series/", {"resolution": "A/RES/71/10"}).json()["count"] == 1
    detail = client.get(f"/api/v1/series/{series.slug}/").json()
    assert [(row["symbol"], row["predecessor"], row["link_origin"]) for row in detail["resolutions"]] == [
        ("A/RES/70/10", None, ""),
        ("A/RES/71/10", "A/RES/70/10", "found"),
        ("A/RES/72/10", "A/RES/71/10", "found"),
    ]

    with django_assert_num_queries(2):  # the count, the page
        rows = client.get("/api/v1/alignments/", {"resolution": "A/RES/72/10"}).json()["results"]
    assert [
        (row["paragraph"]["label"], row["predecessor_paragraph"]["citation"], row["change"]) for row in rows
    ] == [
        ("op 1", "A/RES/71/10, operative paragraph 1", "changed"),
        ("op 2", "A/RES/71/10, operative paragraph 2", "changed"),
    ]
    assert (rows[0]["deleted"], rows[0]["inserted"]) == ("71", "72")

    exported = client.get("/api/v1/alignments/", {"resolution": "A/RES/72/10", "format": "csv"})
    table = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert [(row["paragraph"], row["change"], row["deleted"], row["inserted"]) for row in table] == [
        ("A/RES/72/10, operative paragraph 1", "changed", "71", "72"),
        ("A/RES/72/10, operative paragraph 2", "changed", "71", "72"),
    ]
    assert client.get("/api/v1/alignments/", {"change": "sideways"}).status_code == 400


def test_a_split_in_the_admin_shows_at_once_on_the_pages_cached_for_the_public(client):
    from django.test import Client

    _, after = series_of(2)
    url = reverse("resolutions:resolution-changes", kwargs={"symbol": after.symbol})
    assert "What changed since 70/10" in client.get(url).text  # now cached for the public
    assert "What changed since 70/10" in client.get(url).text

    staff = Client()
    staff.force_login(staff_member("administrator", username="ada"))
    link = SeriesLink.objects.get(successor=after)
    staff.post(
        reverse("admin:resolutions_serieslink_changelist"), {"action": "split", "_selected_action": [link.pk]}
    )

    assert "follows no earlier resolution held here" in client.get(url).text
