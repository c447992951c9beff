"""The staff home (each role's work queues) and the review screen (resolutions/staff_home.py)."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from resolutions.models import NoteState
from resolutions.workflow import ROLE_GROUPS
from tests.factories import AssessmentFactory, NoteFactory, ParagraphFactory, ResolutionFactory, UserFactory

pytestmark = pytest.mark.django_db

D, R, P = NoteState.DRAFT, NoteState.IN_REVIEW, NoteState.PUBLISHED
HOME = "/admin/"


def member(role, username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    return user


@pytest.fixture
def editor():
    return member("editor", "edna")


@pytest.fixture
def reviewer():
    return member("reviewer", "rita")


def draft(author, title, paragraph=None, **fields):
    """A note as an author makes it: a draft, its content recorded as theirs."""
    note = NoteFactory(
        state=D, author=author, title=title, paragraphs=[paragraph or ParagraphFactory()], **fields
    )
    note.record_edit(author)
    return note


def submitted(author, title, **fields):
    note = draft(author, title, **fields)
    note.transition(R, author)
    return note


def queue(response, key):
    """The queue `key` of the staff home, as the template got it."""
    found = [
        each
        for each in response.context["reviewer_queues"] + response.context["writer_queues"]
        if each.key == key
    ]
    assert found, f"no queue {key}"
    return found[0]


def as_user(client, user, url=HOME):
    client.force_login(user)
    return client.get(url)


def titles(each):
    return [item.title for item in each.items]


def review_url(note):
    return reverse("admin:review", args=["note", note.pk])


# The queues


def test_an_editor_sees_only_their_own_drafts_with_counts_and_no_review_queue(client, editor):
    other = member("editor", "eve")
    draft(editor, "Edna's first draft")
    draft(editor, "Edna's second draft")
    draft(other, "Eve's draft")
    submitted(editor, "Edna's note in review")
    submitted(other, "Eve's note in review")

    response = as_user(client, editor)

    assert response.status_code == 200
    assert sorted(titles(queue(response, "drafts"))) == ["Edna's first draft", "Edna's second draft"]
    assert queue(response, "drafts").count == 2
    assert titles(queue(response, "yours-in-review")) == ["Edna's note in review"]
    assert queue(response, "sent-back").count == 0
    assert response.context["reviewer_queues"] == []
    page = response.content.decode()
    assert "Eve's" not in page
    assert "Notes awaiting review" not in page


def test_drafts_and_notes_in_review_never_reach_the_public(client, editor):
    paragraph = ParagraphFactory()
    draft(editor, "A draft nobody may read", paragraph=paragraph)
    submitted(editor, "A note in review nobody may read", paragraph=paragraph)
    NoteFactory(title="A published note", paragraphs=[paragraph])

    pages = [
        client.get(url).content.decode()
        for url in ("/notes/", paragraph.get_absolute_url(), "/api/v1/notes/", "/search/?q=nobody")
    ]

    assert all("nobody may read" not in page for page in pages)
    assert "A published note" in pages[0]
    assert client.get(HOME).status_code == 302  # the staff home is for signed-in staff only


def test_a_reviewer_sees_notes_and_assessments_awaiting_review_oldest_first_with_who_and_when(
    client, editor, reviewer
):
    first = submitted(editor, "Submitted first")
    second = submitted(editor, "Submitted second")
    # Edited while in review after the other one was submitted: still the older submission.
    first.edit(editor, body="A longer account of the meeting.")
    assessment = AssessmentFactory(state=D, author=editor)
    assessment.record_edit(editor)
    assessment.transition(R, editor)
    draft(editor, "Still a draft")

    response = as_user(client, reviewer)

    notes = queue(response, "notes-to-review")
    assert titles(notes) == ["Submitted first", "Submitted second"]
    assert notes.count == 2
    assert [(item.arrival.history_user, item.author) for item in notes.items] == [(editor, editor)] * 2
    assert notes.items[0].arrival.history_date <= notes.items[1].arrival.history_date
    assert [item.pk for item in queue(response, "assessments-to-review").items] == [assessment.pk]
    page = response.content.decode()
    when = timezone.localtime(second.last_moved_to(R).history_date)
    assert f"submitted by edna, {when.day} {when:%B %Y} at {when:%H:%M}" in page
    assert "Still a draft" not in page
    assert f'href="{review_url(first)}"' in page


def test_recently_published_lists_the_notes_published_in_the_last_days(client, editor, reviewer):
    note = submitted(editor, "Published this week")
    note.transition(P, reviewer)
    old = submitted(editor, "Published long ago")
    old.transition(P, reviewer)
    old.history.filter(state=P).update(history_date=timezone.now() - datetime.timedelta(days=90))

    response = as_user(client, reviewer)

    published = queue(response, "published")
    assert titles(published) == ["Published this week"]
    assert published.items[0].arrival.history_user == reviewer


def test_paragraphs_of_tracked_resolutions_without_a_recent_note_are_listed(client, editor):
    today = timezone.localdate()
    tracked = ResolutionFactory(symbol="A/RES/77/900")
    covered, stale, old_only = (
        ParagraphFactory(resolution=tracked, order=n, number=str(n)) for n in (1, 2, 3)
    )
    NoteFactory(paragraphs=[covered], start_date=today)
    NoteFactory(paragraphs=[old_only], start_date=today - datetime.timedelta(days=400))
    ParagraphFactory(resolution=ResolutionFactory(symbol="A/RES/77/901"))  # nobody tracks it

    response = as_user(client, editor)

    stale_queue = queue(response, "stale")
    assert [str(paragraph) for paragraph in stale_queue.items] == ["A/RES/77/900 op 2", "A/RES/77/900 op 3"]
    assert stale_queue.count == 2
    add = reverse("admin:resolutions_implementationnote_add")
    assert f'href="{add}?paragraphs={stale.pk}"' in response.content.decode()


def test_rarely_used_tables_are_reference_data_for_administrators_only(client, editor):
    administrator = member("administrator", "adam")

    as_editor = as_user(client, editor)
    names = [app["name"] for app in as_editor.context["app_list"]]
    models = [model["object_name"] for app in as_editor.context["app_list"] for model in app["models"]]
    assert names == ["Resolutions and implementation"]
    assert models == ["ImplementationNote", "NoteTranslation", "Assessment", "Resolution", "Paragraph"]
    assert "Footnotes" not in as_editor.content.decode()

    as_administrator = as_user(client, administrator)
    apps = {app["name"]: app for app in as_administrator.context["app_list"]}
    assert list(apps)[:2] == ["Resolutions and implementation", "Reference data"]
    reference = {model["object_name"] for model in apps["Reference data"]["models"]}
    assert {"Footnote", "Reference", "ParagraphText", "Country", "Theme"} <= reference
    assert "ImplementationNote" not in reference


@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_the_staff_home_costs_the_same_queries_with_1_or_50_notes(client, role, editor):
    user = editor if role == "editor" else member("reviewer", "rita")
    other = member("editor", "eve")
    resolution = ResolutionFactory()
    NoteFactory(paragraphs=[ParagraphFactory(resolution=resolution)], start_date=datetime.date(2020, 1, 1))

    def notes(count):
        for n in range(count):
            draft(user, f"Draft {n}", paragraph=ParagraphFactory(resolution=resolution))
            submitted(other, f"In review {n}")
            sent_back = submitted(user, f"Sent back {n}")
            sent_back.transition(D, member("reviewer", "rex"), comment="Add a source.")
            published = submitted(other, f"Published {n}")
            published.transition(P, member("reviewer", "rex"))
            assessment = AssessmentFactory(state=D, author=other)
            assessment.record_edit(other)
            assessment.transition(R, other)

    notes(1)
    client.force_login(user)
    client.get(HOME)
    with CaptureQueriesContext(connection) as one:
        client.get(HOME)
    notes(49)

    with CaptureQueriesContext(connection) as fifty:
        response = client.get(HOME)

    assert len(fifty) == len(one), "\n".join(query["sql"] for query in fifty)
    assert queue(response, "drafts").count == 50
    assert queue(response, "sent-back").count == 50
    assert len(queue(response, "drafts").items) == 20
    if role == "editor":
        # Old notes (2024) on the tracked resolutions' paragraphs: the first note's, the drafts' and
        # the published notes' own resolutions.
        assert queue(response, "stale").count == 1 + 50 + 50
    else:
        assert queue(response, "notes-to-review").count == 50
        assert queue(response, "assessments-to-review").count == 50
        assert queue(response, "published").count == 50 + 1  # and the first note, made published


# The review screen


def test_the_review_screen_shows_the_paragraph_the_rendered_note_and_who_wrote_and_submitted(
    client, editor, reviewer
):
    paragraph = ParagraphFactory(lead_phrase="Encourages", text="the Centre to hold consultations on water;")
    note = submitted(editor, "Consultations in Almaty", paragraph=paragraph)
    note.edit(editor, body="Experts discussed **water**.<script>alert(1)</script>")

    page = as_user(client, reviewer, review_url(note)).content.decode()

    assert "the Centre to hold consultations on water;" in page
    assert "<strong>water</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "written by edna" in page and "submitted by edna" in page
    assert 'name="move" value="published"' in page
    assert "Send back to the author" in page


def test_publishing_from_the_review_screen_moves_it_through_the_workflow(client, editor, reviewer):
    note = submitted(editor, "Ready to publish")
    client.force_login(reviewer)

    response = client.post(review_url(note), {"move": P, "seen": note.content_fingerprint}, follow=True)

    note.refresh_from_db()
    assert note.state == P
    assert note.transitions()[-1].history_user == reviewer
    assert "is published" in response.content.decode()
    assert response.redirect_chain[-1][0] == HOME


def test_a_changed_note_shows_what_changed_since_it_was_published(client, editor, reviewer):
    note = submitted(editor, "Training in Dushanbe", body="Twenty officers were trained.")
    note.transition(P, reviewer)
    note.edit(editor, title="Training in Dushanbe and Bishkek", body="Thirty officers were trained.")
    assert note.state == R

    page = as_user(client, member("reviewer", "rex"), review_url(note)).content.decode()

    assert "Changes since it was published" in page
    assert "<del>Training in Dushanbe</del>" in page and "<ins>Training in Dushanbe and Bishkek</ins>" in page
    assert "<del>Twenty</del><ins>Thirty</ins> officers were trained." in page


def test_a_note_sent_back_with_a_comment_is_on_its_authors_home_with_the_comment(client, editor, reviewer):
    note = submitted(editor, "Needs a source")
    client.force_login(reviewer)

    client.post(
        review_url(note), {"move": D, "seen": note.content_fingerprint, "comment": "Link the report."}
    )

    note.refresh_from_db()
    assert note.state == D
    assert note.transitions()[-1].history_change_reason == "Link the report."
    home = as_user(client, editor)
    sent_back = queue(home, "sent-back")
    assert titles(sent_back) == ["Needs a source"]
    assert sent_back.items[0].arrival.history_user == reviewer
    assert "Link the report." in home.content.decode()
    assert titles(queue(home, "drafts")) == []


def test_a_long_comment_is_kept_whole_in_the_history(client, editor, reviewer):
    note = submitted(editor, "Needs work")
    comment = "Please cite the report of the Secretary-General and say who attended. " * 10
    client.force_login(reviewer)

    client.post(review_url(note), {"move": D, "seen": note.content_fingerprint, "comment": comment})

    assert note.last_moved_to(D).history_change_reason == comment.strip()


def test_sending_back_needs_a_comment(client, editor, reviewer):
    note = submitted(editor, "No comment")
    client.force_login(reviewer)

    response = client.post(review_url(note), {"move": D, "seen": note.content_fingerprint, "comment": " "})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    note.refresh_from_db()
    assert note.state == R


def test_an_editor_cannot_publish_from_the_review_screen(client, editor):
    note = submitted(member("editor", "eve"), "Somebody else's note")
    client.force_login(editor)

    page = client.get(review_url(note)).content.decode()
    response = client.post(review_url(note), {"move": P, "seen": note.content_fingerprint})

    assert 'value="published"' not in page and "Send back to the author" not in page
    assert response.status_code == 403
    note.refresh_from_db()
    assert note.state == R


def test_a_reviewer_cannot_publish_their_own_note_and_is_told_why(client, reviewer):
    note = submitted(reviewer, "My own note")
    client.force_login(reviewer)

    page = client.get(review_url(note)).content.decode()
    client.post(review_url(note), {"move": P, "seen": note.content_fingerprint})

    assert 'value="published"' not in page
    assert "its author cannot publish it" in page
    note.refresh_from_db()
    assert note.state == R


def test_a_note_changed_while_the_reviewer_read_it_is_not_published(client, editor, reviewer):
    note = submitted(editor, "Being edited")
    seen = note.content_fingerprint
    note.edit(editor, body="A change made meanwhile.")
    client.force_login(reviewer)

    response = client.post(review_url(note), {"move": P, "seen": seen}, follow=True)

    note.refresh_from_db()
    assert note.state == R
    assert "changed while you were reading it" in response.content.decode()


def test_an_assessment_is_reviewed_with_its_paragraph(client, editor, reviewer):
    assessment = AssessmentFactory(state=D, author=editor, rationale="Two of five meetings were held.")
    assessment.record_edit(editor)
    assessment.transition(R, editor)
    url = reverse("admin:review", args=["assessment", assessment.pk])
    client.force_login(reviewer)

    page = client.get(url).content.decode()
    client.post(url, {"move": P, "seen": assessment.content_fingerprint})

    assert assessment.paragraph.text in page and "Two of five meetings were held." in page
    assessment.refresh_from_db()
    assert assessment.state == P
    assert client.get(reverse("admin:review", args=["resolution", 1])).status_code == 404
    assert client.get(reverse("admin:review", args=["note", 999999])).status_code == 404
