"""The dashboards (resolutions/views/dashboards.py) and the paragraph page's status timeline, as a reader
sees them: charts drawn without JavaScript, their tables, the notes list's filters, bounded pages."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resolutions.models import Country, ImplementationNote, NoteState, Paragraph, Theme
from resolutions.workflow import REVIEWERS
from tests.factories import AssessmentFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

SYMBOL = "A/RES/77/273"
OVERALL = "/dashboard/"
OF_77_273 = f"/resolutions/{SYMBOL}/dashboard/"


def op(resolution, number):
    return Paragraph.objects.operative().get(resolution=resolution, number=number)


def chart(html, chart_id):
    """The figure of one chart: its SVG and its table."""
    found = re.search(rf'<figure class="chart" id="chart-{chart_id}">(.*?)</figure>', html, re.S)
    assert found, f"no chart {chart_id}"
    return found.group(1)


def table_rows(block):
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", block.split("<tbody>")[1], re.S)
    ]


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def test_urls_are_the_designed_ones():
    assert reverse("resolutions:dashboard") == OVERALL
    assert reverse("resolutions:resolution-dashboard", kwargs={"symbol": SYMBOL}) == OF_77_273


def test_the_overall_dashboard_draws_the_bundled_notes_with_tables(client, seeded):
    html = client.get(OVERALL).text

    assert "<h1>Progress at a glance</h1>" in html
    assert "<strong>6</strong> published notes" in html
    countries = chart(html, "countries")
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in countries and 'role="img"' in countries
    assert table_rows(countries)[0] == ["Uzbekistan", "5"]  # the demo notes' most named country
    assert '<a href="/notes/?country=uzb">Uzbekistan</a>' in countries
    months = table_rows(chart(html, "months"))
    assert months[-1] == ["February 2023", "3"]
    assert sum(int(count) for _, count in months) == 6
    assert ["Not assessed", "4"] in table_rows(chart(html, "statuses"))
    assert table_rows(chart(html, "partners"))[0][0].startswith("United Nations Regional Centre")
    assert table_rows(chart(html, "themes"))
    assert "Joint efforts with UNODC and CARICC" in html  # the latest notes
    assert 'href="/api/v1/dashboard/"' in html


def test_the_resolution_dashboard_lists_every_operative_paragraph_with_status_activity_count_and_timeline(
    client, seeded
):
    op1, op3 = op(seeded, "1"), op(seeded, "3")
    AssessmentFactory(paragraph=op1, status="ongoing", as_of=datetime.date(2024, 6, 1), rationale="Going on.")
    AssessmentFactory(
        paragraph=op1, status="in_progress", as_of=datetime.date(2023, 6, 1), state=NoteState.DRAFT
    )

    html = client.get(OF_77_273).text

    assert "Progress of resolution 77/273" in html
    table = html.split('class="progress-table"')[1].split("</table>")[0]
    rows = table_rows(table)
    numbers = list(
        Paragraph.objects.operative()
        .filter(resolution=seeded)
        .order_by("order")
        .values_list("number", flat=True)
    )
    assert [row[0].split()[1] for row in rows] == numbers
    first = rows[0]
    assert "Ongoing" in first[1] and "1 June 2024" in first[1]
    assert "1 June 2024" in first[2]  # the assessment is its latest activity
    assert first[3].endswith(str(op1.published_note_count))
    assert "In progress" not in table  # a draft assessment is not public
    third = rows[numbers.index("3")]
    assert op3.published_note_count == 0 and third[2].endswith("None") and third[3].endswith("0")
    assert 'id="strip-0-title"' in table and "Assessed: Ongoing" not in table  # the strip, and its dates list
    assert "assessed Ongoing" in table
    assert f'href="/notes/?resolution={SYMBOL.replace("/", "%2F")}&amp;paragraph=1"' in table


def test_the_notes_list_filters_narrow_both_dashboards_with_the_same_query(client, seeded):
    query = "?country=kaz&kind=meeting"
    listed = client.get("/notes/" + query).text
    count = int(re.search(r"<strong>(\d+)</strong> published note", listed).group(1))

    assert 0 < count < 6
    for url in (OVERALL, OF_77_273):
        html = client.get(url + query).text
        assert f"<strong>{count}</strong> published note" in html
        assert table_rows(chart(html, "countries"))[0] == ["Kazakhstan", str(count)]
        assert 'aria-label="Remove the filter Country: Kazakhstan"' in html
        assert "country=kaz&amp;kind=meeting" in html.split("Read these notes")[0][-200:]


def test_the_resolution_dashboard_counts_that_resolutions_notes_only(client, seeded):
    other = Paragraph.objects.create(
        resolution=seeded.__class__.objects.create(symbol="A/RES/77/9", title="Other"),
        kind="operative",
        order=1,
        number="1",
        text="x",
    )
    NoteFactory(title="Elsewhere", paragraphs=[other], countries=["KAZ"])

    overall = client.get(OVERALL).text
    mine = client.get(OF_77_273 + "?resolution=A/RES/77/9").text  # the page's own resolution wins

    assert "<strong>7</strong> published notes" in overall and "Elsewhere" in overall
    assert "<strong>6</strong> published notes" in mine and "Elsewhere" not in mine


def test_bad_filters_get_a_clear_message_not_a_server_error(client, seeded):
    for url in (OVERALL, OF_77_273):
        response = client.get(url + "?date_from=yesterday&country=zzz")
        assert response.status_code == 200
        assert "Some filters could not be used" in response.text
        assert "Enter a valid date." in response.text
        assert "Select a valid choice" in response.text


def test_an_unknown_resolution_has_no_dashboard(client, seeded):
    assert client.get("/resolutions/A/RES/99/1/dashboard/").status_code == 404


def test_idle_paragraphs_for_a_chosen_period(client, seeded):
    today = datetime.date.today()
    op2 = op(seeded, "2")
    NoteFactory(title="Recent work", start_date=today - datetime.timedelta(days=60), paragraphs=[op2])

    six = client.get(OF_77_273).text
    three = client.get(OF_77_273 + "?idle=3").text
    bad = client.get(OF_77_273 + "?idle=5")

    section = lambda html: html.split('id="idle-heading"')[1]  # noqa: E731
    assert "op 2</a>" not in section(six) and "op 1</a>" in section(six)
    assert '<option value="6" selected>' in six
    assert "op 2</a>" not in section(three)
    assert "No activity for 3 months or more" in three
    assert bad.status_code == 200
    assert "Select a valid choice. 5 is not one of the available choices." in bad.text
    assert "No activity for 6 months or more" in bad.text


def test_the_period_is_kept_when_filters_change_and_filters_when_the_period_changes(client, seeded):
    html = client.get(OVERALL + "?idle=12&country=kaz").text

    filter_form = html.split('class="filters"')[1].split("</form>")[0]
    idle_form = html.split('class="idle-form"')[1].split("</form>")[0]
    assert '<input type="hidden" name="idle" value="12">' in filter_form
    assert '<input type="hidden" name="country" value="kaz">' in idle_form
    assert "ordering" not in filter_form  # the figures have no order


def test_publishing_and_withdrawing_a_note_or_an_assessment_shows_at_once(client, seeded):
    reviewer = UserFactory(username="rita")
    reviewer.groups.add(Group.objects.get(name=REVIEWERS))
    op1 = op(seeded, "1")
    pages = [OVERALL, OF_77_273, "/api/v1/dashboard/", f"/api/v1/resolutions/{SYMBOL}/dashboard/"]
    note = NoteFactory(title="Consultations in Khorog", state=NoteState.IN_REVIEW, paragraphs=[op1])
    assert not any("Khorog" in client.get(url).text for url in pages)

    note.transition(NoteState.PUBLISHED, reviewer)
    assert all("Khorog" in client.get(url).text for url in pages)

    note.transition(NoteState.WITHDRAWN, reviewer)
    assert not any("Khorog" in client.get(url).text for url in pages)

    assessment = AssessmentFactory(paragraph=op1, status="implemented", state=NoteState.IN_REVIEW)
    assert not any("Implemented: 1" in client.get(url).text for url in pages[:2])
    assessment.transition(NoteState.PUBLISHED, reviewer)
    assert all("Implemented: 1 " in client.get(url).text for url in pages[:2])


def test_query_counts_are_pinned_and_the_same_for_one_note_and_many(
    client, seeded, django_assert_num_queries
):
    few = {url: queries_for(client, url)[0] for url in (OVERALL, OF_77_273)}
    paragraphs = list(Paragraph.objects.operative().filter(resolution=seeded))
    for number in range(30):
        NoteFactory(
            title=f"Meeting {number}",
            start_date=datetime.date(2020 + number % 5, 1 + number % 12, 1),
            paragraphs=paragraphs[: 1 + number % len(paragraphs)],
            countries=["KAZ", "TJK"],
        )
        AssessmentFactory(
            paragraph=paragraphs[number % len(paragraphs)], as_of=datetime.date(2021, 1, 1 + number)
        )

    for url, count in few.items():
        with django_assert_num_queries(count):
            assert client.get(url + "?theme=").status_code == 200
    assert few == {OVERALL: 13, OF_77_273: 19}  # the resolution's: its notes' translations too


def many_notes(resolution, count):
    """`count` published notes over the paragraphs of `resolution`, a few countries and themes, made
    in bulk (no signals: the stored counters are put right after, as optimize_db does)."""
    from resolutions.cache import bump_public_content
    from resolutions.counters import recount_all

    paragraphs = list(Paragraph.objects.operative().filter(resolution=resolution))
    countries = list(Country.objects.filter(alpha3__in=["KAZ", "KGZ", "TJK", "TKM", "UZB"]))
    themes = list(Theme.objects.all()[:4])
    start = datetime.date(2015, 1, 1)
    notes = ImplementationNote.objects.bulk_create(
        ImplementationNote(
            title=f"Generated note {index}",
            body="Generated for a test of scale.",
            start_date=start + datetime.timedelta(days=index % 4000),
            state=NoteState.PUBLISHED,
        )
        for index in range(count)
    )
    links = [
        (ImplementationNote.paragraphs.through, "paragraph", paragraphs),
        (ImplementationNote.countries.through, "country", countries),
        (ImplementationNote.themes.through, "theme", themes),
    ]
    for through, name, targets in links:
        through.objects.bulk_create(
            [
                through(implementationnote_id=note.pk, **{f"{name}_id": targets[index % len(targets)].pk})
                for index, note in enumerate(notes)
            ],
            batch_size=5000,
        )
    recount_all()
    bump_public_content()  # as an import does: bulk writes send no signal


def test_both_dashboards_stay_bounded_with_20000_notes(client, seeded):
    few = {url: queries_for(client, url) for url in (OVERALL, OF_77_273)}
    many_notes(seeded, 20_000)

    for url, (count, small) in few.items():
        queries, response = queries_for(client, url + "?kind=")
        html = response.text
        assert queries == count
        assert (
            "<strong>20,006</strong> published notes" in html
            or "<strong>20006</strong> published notes" in html
        )
        assert len(html) < 150_000, f"{url} is {len(html)} characters"
        assert len(html) < 2 * len(small.text) + 40_000
        assert len(table_rows(chart(html, "months"))) <= 36
        assert len(table_rows(chart(html, "countries"))) <= 15
        assert html.count('class="idle-list"') <= 1 and html.count("op ") < 400


# --- The paragraph page's status timeline ---------------------------------------------------------------


def test_the_paragraph_page_puts_assessments_and_notes_on_one_time_axis(client, seeded):
    op1 = op(seeded, "1")
    AssessmentFactory(
        paragraph=op1, status="in_progress", as_of=datetime.date(2023, 6, 1), rationale="Begun."
    )
    AssessmentFactory(paragraph=op1, status="ongoing", as_of=datetime.date(2024, 6, 1), rationale="Going on.")
    AssessmentFactory(
        paragraph=op1, status="implemented", as_of=datetime.date(2025, 6, 1), state=NoteState.DRAFT
    )
    NoteFactory(title="Between the two", start_date=datetime.date(2024, 1, 10), paragraphs=[op1])

    html = client.get(op1.get_absolute_url()).text

    timeline = html.split('id="timeline-heading"')[1].split("</section>")[0]
    assert 'role="img"' in timeline and 'id="status-timeline-title"' in timeline
    events = re.findall(r'<li class="event-(\w+)[^"]*"[^>]*>(.*?)</li>', timeline, re.S)
    assert [kind for kind, _ in events] == ["assessment", "note", "assessment", "note"]
    assert "Going on." in events[0][1] and "(current)" in events[0][1] and "1 June 2024" in events[0][1]
    assert "Between the two" in events[1][1] and 'href="/notes/' in events[1][1]
    assert "Begun." in events[2][1] and "In progress" in events[2][1]
    assert "Implemented" not in timeline  # a draft
    assert "assessed In progress on 1 June 2023; assessed Ongoing on 1 June 2024" in timeline  # the desc


def test_a_paragraph_with_many_notes_shows_the_newest_on_its_axis_and_links_to_all(client, seeded):
    op4 = op(seeded, "4")
    for day in range(30):
        NoteFactory(
            title=f"Weekly call {day}",
            start_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=day),
            paragraphs=[op4],
        )

    html = client.get(op4.get_absolute_url()).text
    op4.refresh_from_db()

    timeline = html.split('id="timeline-heading"')[1].split("</section>")[0]
    assert timeline.count('class="event-note"') == 25
    assert "Weekly call 29" in timeline and "Weekly call 4<" not in timeline
    assert f"All {op4.published_note_count} notes on this paragraph" in timeline
    assert f"/notes/?resolution={SYMBOL}&amp;paragraph=4" in timeline


def test_a_paragraph_with_nothing_published_has_no_timeline(client, seeded):
    html = client.get(op(seeded, "3").get_absolute_url()).text

    assert 'id="timeline-heading"' not in html


# --- Where a reader finds them ---------------------------------------------------------------------------


def test_the_dashboards_are_linked_from_the_navigation_home_and_resolution_page(client, seeded):
    home = client.get("/").text
    resolution = client.get(seeded.get_absolute_url()).text

    assert f'<a href="{OVERALL}"' in home.split("</nav>")[0]  # the main navigation
    assert f'<a href="{OVERALL}">Progress at a glance</a>' in home
    assert f'<a href="{OF_77_273}">Progress of {SYMBOL} at a glance</a>' in home
    assert f'<a href="{OF_77_273}">' in resolution
    assert 'aria-current="page">Progress</a>' in client.get(OF_77_273).text
