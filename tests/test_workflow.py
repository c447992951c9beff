"""The editorial workflow: roles, transitions, history and no lost update (resolutions/workflow.py, models)."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from resolutions.models import ImplementationNote, NoteSource, NoteState
from resolutions.workflow import ADMINISTRATORS, EDITORS, REVIEWERS, ROLE_GROUPS
from tests.factories import NoteFactory, ParagraphFactory, UserFactory

pytestmark = pytest.mark.django_db

D, R, P, W = NoteState.DRAFT, NoteState.IN_REVIEW, NoteState.PUBLISHED, NoteState.WITHDRAWN


def member(role, **fields):
    user = UserFactory(**fields)
    if role:
        user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    return user


@pytest.fixture
def editor():
    return member("editor", username="edna")


@pytest.fixture
def reviewer():
    return member("reviewer", username="rita")


def note_in(state, **fields):
    return NoteFactory(state=state, paragraphs=[ParagraphFactory()], **fields)


def test_the_migration_makes_the_three_roles_and_only_reviewers_and_administrators_publish():
    groups = {
        group.name: group for group in Group.objects.filter(name__in=[EDITORS, REVIEWERS, ADMINISTRATORS])
    }
    assert set(groups) == {EDITORS, REVIEWERS, ADMINISTRATORS}
    publishers = Group.objects.filter(permissions__codename="publish_implementationnote")
    assert set(publishers.values_list("name", flat=True)) == {REVIEWERS, ADMINISTRATORS}
    editors = set(groups[EDITORS].permissions.values_list("codename", flat=True))
    assert {"add_implementationnote", "change_implementationnote", "add_assessment"} <= editors
    assert "delete_implementationnote" not in editors
    assert "change_user" in set(groups[ADMINISTRATORS].permissions.values_list("codename", flat=True))


def test_sync_roles_puts_a_group_edited_by_hand_back_in_step():
    editors = Group.objects.get(name=EDITORS)
    editors.permissions.clear()
    Group.objects.get(name=REVIEWERS).delete()

    call_command("sync_roles", stdout=StringIO())

    assert editors.permissions.filter(codename="change_implementationnote").exists()
    assert (
        Group.objects.get(name=REVIEWERS).permissions.filter(codename="publish_implementationnote").exists()
    )


# Every (role, from, to): may the role make the move? Editors only submit; reviewers and administrators all.
MOVES = [(D, R), (R, P), (R, D), (P, W), (P, D), (W, D)]
IMPOSSIBLE = [(D, P), (D, W), (R, W), (W, P), (W, R), (P, R)]


@pytest.mark.parametrize("role", ["editor", "reviewer", "administrator", None])
@pytest.mark.parametrize(("from_state", "to_state"), MOVES + IMPOSSIBLE)
def test_transition_rules_for_every_role(role, from_state, to_state):
    user = member(role)
    note = note_in(from_state)
    may = (from_state, to_state) in MOVES and (
        role in ("reviewer", "administrator") or (role == "editor" and (from_state, to_state) == (D, R))
    )

    assert (to_state in note.allowed_transitions(user)) is may
    if may:
        note.transition(to_state, user)
        note.refresh_from_db()
        assert note.state == to_state
    else:
        expected = PermissionDenied if (from_state, to_state) in MOVES else ValidationError
        with pytest.raises(expected):
            note.transition(to_state, user)
        note.refresh_from_db()
        assert note.state == from_state


def test_a_refusal_says_why():
    with pytest.raises(PermissionDenied, match="only reviewers may publish"):
        note_in(R).transition(P, member("editor"))
    with pytest.raises(ValidationError, match="cannot go from draft to published"):
        note_in(D).transition(P, member("reviewer"))
    with pytest.raises(ValidationError, match="not an editorial state"):
        note_in(D).transition("gone", member("reviewer"))


def test_a_second_person_must_publish(editor, reviewer):
    own = note_in(D, author=reviewer)
    own.transition(R, reviewer)
    assert P not in own.allowed_transitions(reviewer)
    with pytest.raises(ValidationError, match="author cannot publish"):
        own.transition(P, reviewer)

    submitted = note_in(D, author=editor)
    submitted.transition(R, reviewer)
    with pytest.raises(ValidationError, match="submitted it cannot publish"):
        submitted.transition(P, reviewer)
    other = member("reviewer")
    submitted.transition(P, other)
    assert submitted.state == P


def test_who_moved_a_note_and_when_is_in_its_history(editor, reviewer):
    note = note_in(D, author=editor)
    note.transition(R, editor)
    note.transition(P, reviewer)

    moves = note.transitions()
    assert [(move.state, move.history_user) for move in moves[1:]] == [(R, editor), (P, reviewer)]
    assert [move.history_change_reason for move in moves[1:]] == ["Submitted for review", "Published"]
    assert all(move.history_date for move in moves)


@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_any_recorded_change_to_a_published_note_sends_it_back_to_review(role):
    user = member(role)
    note = note_in(P)
    note.title = "Corrected title"
    note.save()

    assert note.record_edit(user) is True
    note.refresh_from_db()
    assert (note.state, note.last_edited_by) == (R, user)
    assert ImplementationNote.objects.published().filter(pk=note.pk).count() == 0
    assert note.transitions()[-1].history_user == user
    if role == "reviewer":
        with pytest.raises(ValidationError, match="whoever last changed its content cannot publish"):
            note.transition(P, user)


def test_saving_the_same_content_again_is_no_edit(reviewer):
    note = note_in(P)
    note.save()

    assert note.record_edit(reviewer) is False
    note.refresh_from_db()
    assert (note.state, note.last_edited_by) == (P, None)


def test_a_change_nobody_recorded_cannot_go_to_review_or_be_published(reviewer):
    note = note_in(R)
    note.sources.create(title="Unrecorded", url="https://example.org/")

    with pytest.raises(ValidationError, match="without the change being recorded"):
        note.transition(P, reviewer)
    assert P not in note.allowed_transitions(reviewer)


def test_every_save_counts_a_version_and_changes_since_names_what_changed(editor):
    note = note_in(D)
    loaded = note.version
    note.title = "New title"
    note._history_user = editor
    note.save()

    assert note.version == loaded + 1
    (change,) = note.changes_since(loaded)
    # When, as the UN writes it, in the time zone of the settings (UTC in the tests).
    assert re.fullmatch(r"title \(by edna, \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC\)", change), change


def test_an_administrator_restores_a_deleted_note_as_a_draft_with_its_links(editor):
    note = note_in(P)
    NoteSource.objects.create(note=note, title="Press release", document_symbol="A/77/1")
    paragraphs = list(note.paragraphs.all())
    pk = note.pk
    note.delete()

    with pytest.raises(PermissionDenied):
        ImplementationNote.restore_deleted(pk, editor)
    restored = ImplementationNote.restore_deleted(pk, member("administrator"))

    assert restored.pk == pk
    assert restored.state == D
    assert list(restored.paragraphs.all()) == paragraphs
    assert list(restored.sources.values_list("title", flat=True)) == ["Press release"]
    with pytest.raises(ValidationError):
        ImplementationNote.restore_deleted(pk, member("administrator"))


# The management command


def test_createstaff_without_input_makes_a_staff_member_and_prints_a_working_link(client):
    out = StringIO()
    call_command("createstaff", "Aida@Example.org", "--role", "editor", "--no-input", stdout=out)

    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="aida@example.org")
    assert user.is_staff and not user.is_superuser and not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == [EDITORS]
    link = out.getvalue().split("One-time link to set the password: ")[1].strip()
    form_page = client.get(link, follow=True)
    assert b"new_password1" in form_page.content
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": "a-long-new-password-41", "new_password2": "a-long-new-password-41"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-long-new-password-41")


def test_createstaff_again_changes_the_role(monkeypatch):
    call_command("createstaff", "b@example.org", "--role", "editor", "--no-input", stdout=StringIO())
    passwords = iter(["a-long-new-password-41", "a-long-new-password-41"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(passwords))
    call_command("createstaff", "b@example.org", "--role", "reviewer", stdout=StringIO())

    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="b@example.org")
    assert list(user.groups.values_list("name", flat=True)) == [REVIEWERS]
    assert user.check_password("a-long-new-password-41")


def test_createstaff_refuses_a_weak_password_and_a_bad_address(monkeypatch):
    from django.core.management.base import CommandError

    monkeypatch.setattr("getpass.getpass", lambda prompt: "12345678")
    with pytest.raises(CommandError, match="No password set"):
        call_command("createstaff", "c@example.org", "--role", "editor", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="not an e-mail address"):
        call_command("createstaff", "not-an-address", "--role", "editor", "--no-input", stdout=StringIO())


def test_the_migration_records_each_note_as_the_rule_fingerprints_it():
    # Migration 0011 fingerprints every existing note in batches; a note so recorded must count as
    # unchanged for the rule, or every migrated note would be blocked from review.
    from resolutions.models import note_reviewed_content, note_reviewed_contents
    from resolutions.workflow import fingerprint

    first = NoteFactory(paragraphs=[ParagraphFactory(), ParagraphFactory()], countries=["KAZ", "UZB"])
    NoteSource.objects.create(note=first, title="Press release", document_symbol="A/77/1")
    NoteSource.objects.create(note=first, title="Report", url="https://example.org/report")
    second = NoteFactory(paragraphs=[ParagraphFactory()])
    batch = note_reviewed_contents(
        ImplementationNote, ImplementationNote.objects.filter(pk__in=[first.pk, second.pk])
    )
    for note in (first, second):
        assert fingerprint(batch[note.pk]) == fingerprint(note_reviewed_content(note))
    assert batch[first.pk]["sources"] and batch[first.pk]["countries"]


def test_with_arrival_reads_for_a_whole_list_what_last_moved_to_reads_for_one(editor, reviewer):
    from resolutions.models import ImplementationNote
    from resolutions.workflow import attach_arrivals, with_arrival

    new = note_in(D, author=editor)
    new.record_edit(editor)
    sent_back = note_in(D, author=editor)
    sent_back.record_edit(editor)
    sent_back.transition(R, editor)
    sent_back.edit(editor, body="Edited while in review.")
    sent_back.transition(D, reviewer, comment="Say who attended.")
    sent_back.edit(editor, body="Edited after it came back.")
    published = note_in(D, author=editor)
    published.record_edit(editor)
    published.transition(R, editor)
    published.transition(P, reviewer)

    notes = attach_arrivals(with_arrival(ImplementationNote.objects.order_by("pk")))

    assert [note.arrival for note in notes] == [note.last_moved_to(note.state) for note in notes]
    assert [note.arrived_from for note in notes] == [None, R, R]
    assert notes[1].arrival.history_change_reason == "Say who attended."
    assert notes[2].arrival.history_user == reviewer
