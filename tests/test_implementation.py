"""resolutions.implementation: the report read whole, a page of it, and its rows streamed or sliced all
hold the same published content in the same order."""

import datetime

import pytest

from resolutions.implementation import (
    ImplementationRows,
    implementation_report,
    implementation_report_page,
    implementation_rows,
)
from resolutions.models import NoteState, ParagraphKind
from tests.factories import AssessmentFactory, NoteFactory, ParagraphFactory, ResolutionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolution(db):
    """Five operative paragraphs (op 3 with a sub-paragraph): op 1 with six notes, op 2 none, op 3 three
    (one of them also on op 5, one a draft), op 4 none, op 5 one. A note on the sub-paragraph."""
    made = ResolutionFactory(symbol="A/RES/79/1")
    ops = [
        ParagraphFactory(resolution=made, kind=ParagraphKind.OPERATIVE, number=str(n), order=n * 10)
        for n in range(1, 6)
    ]
    sub = ParagraphFactory(resolution=made, kind=ParagraphKind.OPERATIVE, number="a", order=31, parent=ops[2])
    day = datetime.date(2024, 1, 1)

    def note(title, days, *paragraphs, **kwargs):
        return NoteFactory(
            title=title, start_date=day + datetime.timedelta(days=days), paragraphs=list(paragraphs), **kwargs
        )

    for n in range(6):
        note(f"op 1, day {n}", 6 - n, ops[0])  # made newest first: the order is by date, not by key
    note("op 3 and op 5", 2, ops[2], ops[4])
    note("op 3 alone", 1, ops[2])
    note("op 3, draft", 3, ops[2], state=NoteState.DRAFT)
    note("op 3 (a)", 1, sub)
    AssessmentFactory(paragraph=ops[1])
    return made


def test_streamed_rows_are_the_whole_reports_rows_whatever_the_chunk(resolution):
    whole = implementation_report(resolution).rows()
    assert [(row["paragraph"], row["note_title"]) for row in whole] == [
        *(("1", f"op 1, day {n}") for n in reversed(range(6))),
        ("2", ""),
        ("3", "op 3 alone"),
        ("3", "op 3 and op 5"),
        ("4", ""),
        ("5", "op 3 and op 5"),
    ]
    for chunk_size in (1, 2, 5, 500):
        assert list(implementation_rows(resolution, chunk_size=chunk_size)) == whole


def test_every_slice_of_the_rows_is_the_same_slice_of_the_whole_reports_rows(resolution):
    whole = implementation_report(resolution).rows()
    rows = ImplementationRows(resolution)
    assert len(rows) == len(whole) == 11
    for start in range(len(whole) + 1):
        for stop in range(start, len(whole) + 2):
            assert rows[start:stop] == whole[start:stop], (start, stop)
    assert rows[4] == whole[4]


def test_a_page_holds_its_paragraphs_newest_notes_and_counts_them_all(resolution):
    whole = implementation_report(resolution)
    report, page = implementation_report_page(resolution, 1, per_page=3, notes_shown=2)

    assert [item.paragraph.number for item in page.object_list] == ["1", "2", "3"]
    assert [item.note_count for item in report.paragraphs] == [6, 0, 2, 0, 1]
    assert [item.page for item in report.paragraphs] == [1, 1, 1, 2, 2]
    for item, complete in zip(page.object_list, whole.paragraphs, strict=False):
        assert item.notes == complete.notes[-2:]  # the newest two, oldest of them first
    assert [item.more_notes for item in report.paragraphs] == [True, False, False, False, True]
    assert report.paragraphs[4].notes == []  # on the other page: counted, not read

    report, page = implementation_report_page(resolution, "2", per_page=3, notes_shown=2)
    assert [item.paragraph.number for item in page.object_list] == ["4", "5"]
    assert [note.title for note in report.paragraphs[4].notes] == ["op 3 and op 5"]
