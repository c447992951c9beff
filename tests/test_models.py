import datetime

import pytest
from django.core.exceptions import ValidationError

from resolutions.models import AssessmentStatus, ImplementationNote, NoteState, Paragraph
from tests.factories import AssessmentFactory, NoteFactory, ParagraphFactory

pytestmark = pytest.mark.django_db


def test_published_is_the_only_public_rule():
    shown = NoteFactory(state=NoteState.PUBLISHED)
    for state in (NoteState.DRAFT, NoteState.IN_REVIEW, NoteState.WITHDRAWN):
        NoteFactory(state=state)

    assert list(ImplementationNote.objects.published()) == [shown]


def test_the_newest_assessment_is_the_current_status():
    paragraph = ParagraphFactory()
    AssessmentFactory(
        paragraph=paragraph, status=AssessmentStatus.NOT_STARTED, as_of=datetime.date(2023, 1, 1)
    )
    newest = AssessmentFactory(
        paragraph=paragraph, status=AssessmentStatus.ONGOING, as_of=datetime.date(2024, 6, 1)
    )
    AssessmentFactory(
        paragraph=paragraph, status=AssessmentStatus.IN_PROGRESS, as_of=datetime.date(2023, 9, 1)
    )

    assert paragraph.current_assessment() == newest
    annotated = Paragraph.objects.with_current_status().get(pk=paragraph.pk)
    assert annotated.current_status == AssessmentStatus.ONGOING
    assert annotated.current_status_as_of == datetime.date(2024, 6, 1)


def test_a_paragraph_without_assessment_has_no_status():
    paragraph = ParagraphFactory()

    assert paragraph.current_assessment() is None
    assert Paragraph.objects.with_current_status().get(pk=paragraph.pk).current_status is None


def test_a_note_period_cannot_end_before_it_starts():
    note = NoteFactory.build(start_date=datetime.date(2024, 5, 2), end_date=datetime.date(2024, 5, 1))

    with pytest.raises(ValidationError) as error:
        note.full_clean(exclude=["paragraphs"])

    assert "end_date" in error.value.message_dict


def test_paragraph_labels_anchors_and_urls():
    op = ParagraphFactory(number="2", order=26)
    sub = ParagraphFactory(resolution=op.resolution, parent=op, number="a", order=27)
    pre = ParagraphFactory(resolution=op.resolution, kind="preambular", number="", order=3)

    assert (op.label, op.anchor) == ("op 2", "op2")
    assert (sub.label, sub.anchor) == ("op 2 (a)", "op2a")
    assert (pre.label, pre.anchor) == ("pp 3", "pp3")
    assert op.get_absolute_url() == f"/resolutions/{op.resolution.symbol}/op/2/"
    assert pre.get_absolute_url() == f"/resolutions/{op.resolution.symbol}/#pp3"


def test_footnote_markers_render_as_links_and_text_is_escaped():
    paragraph = ParagraphFactory(text="in Ashgabat <b>now</b>,[^1] and more")

    html = paragraph.text_html()

    assert '<a href="#fn1">1</a>' in html
    assert "&lt;b&gt;now&lt;/b&gt;" in html
