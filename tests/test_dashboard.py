"""The dashboards' figures (resolutions/dashboard.py), read from the database with fixed queries."""

import datetime

import pytest
from django.http import QueryDict

from resolutions import dashboard
from resolutions.models import ImplementationNote, NoteState, Paragraph
from tests.factories import AssessmentFactory, NoteFactory, ParagraphFactory, ResolutionFactory


def test_months_before_keeps_the_day_within_any_month():
    assert dashboard.months_before(datetime.date(2026, 12, 2), 6) == datetime.date(2026, 6, 2)
    assert dashboard.months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert dashboard.months_before(datetime.date(2026, 1, 15), 24) == datetime.date(2024, 1, 15)


def test_the_period_form_defaults_to_six_months_and_refuses_other_periods():
    default = dashboard.IdlePeriodForm(QueryDict(""))
    assert default.is_valid() and default.months() == 6
    assert 'value="6" selected' in str(default["idle"])
    assert dashboard.IdlePeriodForm(QueryDict("idle=12")).is_valid()
    assert dashboard.IdlePeriodForm(QueryDict("idle=12")).months() == 12
    wrong = dashboard.IdlePeriodForm(QueryDict("idle=5"))
    assert not wrong.is_valid() and "idle" in wrong.errors


@pytest.fixture
def resolution(db):
    resolution = ResolutionFactory(symbol="A/RES/77/700")
    for number in range(1, 4):
        ParagraphFactory(resolution=resolution, order=number, number=str(number))
    ParagraphFactory(resolution=resolution, order=9, number="1", kind="preambular")
    return resolution


def paragraphs_of(resolution):
    return list(Paragraph.objects.operative().filter(resolution=resolution).order_by("order"))


def test_status_counts_take_each_paragraphs_newest_published_assessment(resolution):
    op1, op2, _ = paragraphs_of(resolution)
    AssessmentFactory(paragraph=op1, status="in_progress", as_of=datetime.date(2023, 1, 1))
    AssessmentFactory(paragraph=op1, status="implemented", as_of=datetime.date(2024, 1, 1))
    AssessmentFactory(paragraph=op2, status="ongoing", as_of=datetime.date(2024, 1, 1))
    AssessmentFactory(
        paragraph=op2, status="implemented", as_of=datetime.date(2025, 1, 1), state=NoteState.DRAFT
    )

    counts = dashboard.status_counts(dashboard.scope(resolution.symbol))

    assert {row["status"]: row["count"] for row in counts} == {
        "not_started": 0,
        "in_progress": 0,
        "ongoing": 1,
        "implemented": 1,
        "": 1,
    }


def test_the_scope_is_the_tracked_resolutions_operative_paragraphs(resolution):
    untracked = ResolutionFactory(symbol="A/RES/77/701")
    ParagraphFactory(resolution=untracked, order=1, number="1")
    assert dashboard.scope().count() == 0

    NoteFactory(paragraphs=paragraphs_of(resolution)[:1])

    assert dashboard.scope().count() == 3  # not the preambular one, nor the untracked resolution's
    assert dashboard.scope(paragraph_number="2").count() == 1


def test_notes_by_month_keep_the_latest_36_months_and_count_the_rest(resolution):
    op1 = paragraphs_of(resolution)[0]
    for year, month in [(2018, 5), (2018, 5), (2021, 6), (2024, 5), (2024, 5), (2024, 5)]:
        NoteFactory(start_date=datetime.date(year, month, 3), paragraphs=[op1])
    NoteFactory(start_date=datetime.date(2024, 6, 1), paragraphs=[op1], state=NoteState.DRAFT)

    months, earlier = dashboard.notes_by_month(ImplementationNote.objects.published())

    assert months == {datetime.date(2021, 6, 1): 1, datetime.date(2024, 5, 1): 3}
    assert earlier == 2


def test_last_activity_is_the_later_of_the_newest_note_and_assessment(resolution):
    op1, op2, op3 = paragraphs_of(resolution)
    NoteFactory(start_date=datetime.date(2024, 3, 1), paragraphs=[op1, op2])
    AssessmentFactory(paragraph=op1, as_of=datetime.date(2024, 9, 1))
    AssessmentFactory(paragraph=op2, as_of=datetime.date(2023, 9, 1))

    found = {
        paragraph.number: paragraph.last_activity
        for paragraph in dashboard.last_activity(
            dashboard.scope(resolution.symbol), ImplementationNote.objects.published()
        )
    }

    assert found == {"1": datetime.date(2024, 9, 1), "2": datetime.date(2024, 3, 1), "3": None}


def test_idle_paragraphs_never_active_first_then_longest_idle(resolution):
    op1, op2, op3 = paragraphs_of(resolution)
    NoteFactory(start_date=datetime.date(2024, 1, 1), paragraphs=[op1])
    NoteFactory(start_date=datetime.date(2025, 11, 1), paragraphs=[op2])

    idle = dashboard.idle_paragraphs(
        dashboard.scope(resolution.symbol),
        ImplementationNote.objects.published(),
        6,
        datetime.date(2026, 1, 1),
    )

    assert idle["since"] == datetime.date(2025, 7, 1) and idle["count"] == 2
    assert [row["paragraph"] for row in idle["paragraphs"]] == ["3", "1"]
    assert idle["paragraphs"][1]["last_activity"] == datetime.date(2024, 1, 1)


def test_ranked_vocabularies_count_the_filtered_notes_only(resolution):
    op1 = paragraphs_of(resolution)[0]
    NoteFactory(paragraphs=[op1], countries=["KAZ", "UZB"])
    NoteFactory(paragraphs=[op1], countries=["KAZ"])
    NoteFactory(paragraphs=[op1], countries=["KAZ", "UZB"], state=NoteState.IN_REVIEW)

    ranked = dashboard.overview(
        ImplementationNote.objects.published(),
        dashboard.scope(resolution.symbol),
        today=datetime.date(2026, 1, 1),
    )["countries"]

    assert [(row["key"], row["count"]) for row in ranked] == [("KAZ", 2), ("UZB", 1)]


def test_paragraph_progress_costs_the_same_queries_for_any_number_of_notes(
    resolution, django_assert_num_queries
):
    paragraphs = paragraphs_of(resolution)
    NoteFactory(paragraphs=paragraphs[:1])
    with django_assert_num_queries(4):
        dashboard.paragraph_progress(
            resolution, dashboard.scope(resolution.symbol), ImplementationNote.objects.published()
        )
    for day in range(1, 29):
        NoteFactory(start_date=datetime.date(2024, 2, day), paragraphs=paragraphs)
        AssessmentFactory(paragraph=paragraphs[day % 3], as_of=datetime.date(2024, 3, day))

    with django_assert_num_queries(4):
        progress = dashboard.paragraph_progress(
            resolution, dashboard.scope(resolution.symbol), ImplementationNote.objects.published()
        )

    assert [row["note_count"] for row in progress] == [29, 28, 28]
    assert all(
        len([e for e in row["events"] if e["kind"] == "note"]) == dashboard.EVENTS_PER_PARAGRAPH
        for row in progress
    )
    assert all(len(row["events"]) <= 2 * dashboard.EVENTS_PER_PARAGRAPH for row in progress)
