"""Recording a note in the admin (issue 13, item 2): defaults, paragraph choices named and found by their
text, the paragraph's text beside the form, one button per next step and a message saying where the
note went. The browser side (actions counted, widths, axe) is tests/test_note_form_browser.py."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from resolutions.models import Entity, ImplementationNote, NoteKind, NoteState, Paragraph, ParagraphKind
from tests.factories import NoteFactory, ParagraphFactory, ResolutionFactory, UserFactory
from tests.test_staff_admin import add_url, changelist_url, member, note_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return member("editor", "edna")


@pytest.fixture
def reviewer():
    return member("reviewer", "rita")


def choices(client, term):
    """What the note form's paragraph autocomplete offers for `term`."""
    response = client.get(
        reverse("admin:resolutions_paragraph_choices"),
        {
            "app_label": "resolutions",
            "model_name": "implementationnote",
            "field_name": "paragraphs",
            "term": term,
        },
    )
    assert response.status_code == 200, response.content
    return response.json()["results"]


def entity(name):
    return Entity.objects.create(name=name, short_name=name, slug=name.lower())


# Defaults


def test_a_new_note_proposes_today_a_named_kind_and_the_authors_usual_partners(client, editor):
    unrcca, unodc = entity("UNRCCA"), entity("UNODC")
    older = NoteFactory(author=editor, kind=NoteKind.TRAINING, paragraphs=[ParagraphFactory()])
    older.entities.set([unrcca, unodc])
    # Their latest note is of no named kind and names no partner: the defaults come from the one before.
    NoteFactory(author=editor, kind=NoteKind.OTHER, paragraphs=[ParagraphFactory()])
    someone_else = NoteFactory(author=UserFactory(), kind=NoteKind.VISIT)
    someone_else.entities.set([entity("CARICC")])
    client.force_login(editor)

    form = client.get(add_url()).context["adminform"].form

    assert form.initial["kind"] == NoteKind.TRAINING
    assert form.initial["start_date"] == timezone.localdate()
    assert sorted(form.initial["entities"]) == sorted([unrcca.pk, unodc.pk])


def test_a_first_note_is_a_meeting_of_today_with_no_partner(client, editor):
    client.force_login(editor)

    form = client.get(add_url()).context["adminform"].form

    assert form.initial["kind"] == NoteKind.MEETING != NoteKind.OTHER
    assert form.initial["start_date"] == timezone.localdate()
    assert form.initial["entities"] == []


def test_the_usual_partners_cost_two_queries_whatever_the_number_of_notes(editor, django_assert_num_queries):
    partner = entity("UNRCCA")
    for day in range(1, 6):
        note = NoteFactory(author=editor, start_date=datetime.date(2024, 1, day))
        note.entities.set([partner])

    with django_assert_num_queries(2):
        assert ImplementationNote.objects.usual_for(editor) == (None, [partner.pk])  # no note of a named kind


def test_a_paragraph_address_that_is_no_id_is_ignored(client, editor):
    client.force_login(editor)

    response = client.get(add_url() + "?paragraphs=12abc")

    assert response.status_code == 200
    assert response.context["adminform"].form.initial["paragraphs"] == []


# The paragraph field: its choices named and found by their text


def test_paragraph_choices_show_symbol_number_and_the_first_words(client, editor, seeded):
    client.force_login(editor)
    op1 = Paragraph.objects.operative().get(resolution=seeded, number="1")

    [choice] = choices(client, "77/273 op 1")

    assert choice == {
        "id": str(op1.pk),
        "text": "A/RES/77/273 op 1 \u2014 Encourages the United Nations Regional Centre for Preventive "
        "Diplomacy for Central Asia \u2026",
        "paragraph": op1.full_text(),
        "url": "/resolutions/A/RES/77/273/op/1/",
    }


def test_paragraph_choices_find_paragraphs_by_the_words_of_their_text(client, editor, seeded):
    client.force_login(editor)
    other = ResolutionFactory(symbol="A/RES/78/100")
    found = ParagraphFactory(resolution=other, number="4", text="the States to take a proactive approach;")
    ParagraphFactory(resolution=other, number="5", text="the States to report on water;")
    ParagraphFactory(resolution=other, kind=ParagraphKind.PREAMBULAR, number="", text="a proactive preamble,")
    ParagraphFactory(resolution=other, number="a", parent=found, text="proactive sub-paragraph;")

    labels = [choice["text"] for choice in choices(client, "proactive")]

    # The seed's op 1 ("to play a proactive role") and the new op 4; never a preambular paragraph
    # nor a sub-paragraph (notes are recorded against numbered operative paragraphs).
    assert sorted(labels) == [
        "A/RES/77/273 op 1 \u2014 Encourages the United Nations Regional Centre for Preventive Diplomacy "
        "for Central Asia to play a proactive role and to continue \u2026",
        "A/RES/78/100 op 4 \u2014 Encourages the States to take a proactive approach;",
    ]


def test_a_symbol_offers_the_resolutions_paragraphs_in_order(client, editor, seeded):
    client.force_login(editor)

    labels = [choice["text"].split(" \u2014 ")[0] for choice in choices(client, "77/273")]

    assert labels[:3] == ["A/RES/77/273 op 1", "A/RES/77/273 op 2", "A/RES/77/273 op 3"]


def test_paragraph_choices_cost_the_same_for_one_match_as_for_forty(
    client, editor, django_assert_num_queries
):
    client.force_login(editor)
    ParagraphFactory(text="the first proactive step;")
    choices(client, "proactive")  # the session and permissions, read once
    with CaptureQueriesContext(connection) as one_match:
        assert len(choices(client, "proactive")) == 1
    for _ in range(39):
        ParagraphFactory(text="a proactive step;")

    with django_assert_num_queries(len(one_match)):
        assert len(choices(client, "proactive")) == 20  # a page; the rest on asking for more
    # PostgreSQL looks the words' stemmed forms up once more (resolutions.search._tsqueries).
    assert len(one_match) <= 8 + (connection.vendor == "postgresql")


def test_the_choices_are_only_of_paragraphs_and_only_for_staff(client, editor):
    client.force_login(editor)
    url = reverse("admin:resolutions_paragraph_choices")
    query = {"app_label": "resolutions", "model_name": "implementationnote", "term": "a"}

    assert client.get(url, {**query, "field_name": "countries"}).status_code == 403
    client.logout()
    assert client.get(url, {**query, "field_name": "paragraphs"}).status_code == 302  # to sign in


# The form: the paragraph in view, the buttons, the message


def test_the_form_shows_the_paragraphs_text_and_one_button_per_next_step(client, editor, seeded):
    client.force_login(editor)
    op1 = Paragraph.objects.operative().get(resolution=seeded, number="1")

    page = client.get(f"{add_url()}?paragraphs={op1.pk}").content.decode()

    assert "What the resolution says" in page
    assert "to play a proactive role and to continue to liaise" in page
    assert 'value="Save draft"' in page
    assert ">Submit for review</button>" in page
    assert "Save and add another" not in page


def test_submit_for_review_says_where_the_note_went_and_shows_it_there(client, editor):
    paragraph = ParagraphFactory()
    client.force_login(editor)

    response = client.post(
        add_url(), note_form(paragraphs=[paragraph.pk], _transition="in_review"), follow=True
    )

    note = ImplementationNote.objects.get(title="Visit to Bishkek")
    assert note.state == NoteState.IN_REVIEW
    assert note.author == editor
    assert response.redirect_chain == [
        (f"{changelist_url()}?state__exact=in_review&author__id__exact={editor.pk}", 302)
    ]
    [message] = [str(message) for message in response.context["messages"]]
    assert message == (
        "Submitted for review: \u201cVisit to Bishkek\u201d. A reviewer will publish it or send it back to you "
        "with a comment; until then you will see it under your notes in review, listed here."
    )
    assert [row.title for row in response.context["cl"].result_list] == ["Visit to Bishkek"]


def test_save_draft_says_it_is_a_draft_and_what_to_do_next(client, editor):
    paragraph = ParagraphFactory()
    client.force_login(editor)

    response = client.post(
        add_url(),
        note_form(paragraphs=[paragraph.pk], title="Visit to Dushanbe", _save="Save draft"),
        follow=True,
    )

    assert ImplementationNote.objects.get(title="Visit to Dushanbe").state == NoteState.DRAFT
    assert response.redirect_chain[-1][0].endswith(f"?state__exact=draft&author__id__exact={editor.pk}")
    [message] = [str(message) for message in response.context["messages"]]
    assert message.startswith("Saved as a draft: \u201cVisit to Dushanbe\u201d. Only staff can see it")
    assert "\u201cSubmit for review\u201d" in message


def test_a_reviewer_who_publishes_is_told_it_is_public(client, editor, reviewer):
    note = NoteFactory(state=NoteState.DRAFT, paragraphs=[ParagraphFactory()], author=editor)
    note.transition(NoteState.IN_REVIEW, editor)
    client.force_login(reviewer)

    response = client.post(
        reverse("admin:resolutions_implementationnote_change", args=[note.pk]),
        note_form(note, _transition="published"),
        follow=True,
    )

    note.refresh_from_db()
    assert note.state == NoteState.PUBLISHED
    assert [str(m) for m in response.context["messages"]] == [
        f"Published: \u201c{note.title}\u201d is on the public site now."
    ]
    assert response.redirect_chain[-1][0].endswith("?state__exact=published")


def test_save_and_continue_editing_stays_on_the_form(client, editor):
    note = NoteFactory(state=NoteState.DRAFT, paragraphs=[ParagraphFactory()], author=editor)
    client.force_login(editor)
    url = reverse("admin:resolutions_implementationnote_change", args=[note.pk])

    response = client.post(url, note_form(note, title="Renamed", _continue="Save and continue editing"))

    assert response.status_code == 302
    assert response.url == url
