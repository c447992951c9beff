"""Writes through the API: staff tokens, the model's editorial workflow, and the notes' history."""

import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from rest_framework.authtoken.models import Token

from resolutions.models import ImplementationNote, NoteState, Paragraph
from resolutions.workflow import ROLE_GROUPS
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

NOTES = "/api/v1/notes/"


def member(role, username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    return user


def auth(user):
    token, _ = Token.objects.get_or_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {token.key}"}


@pytest.fixture
def editor():
    return member("editor", "edna")


@pytest.fixture
def reviewer():
    return member("reviewer", "rita")


@pytest.fixture
def op1(seeded):
    return Paragraph.objects.operative().get(resolution=seeded, number="1")


def new_note(op1, **fields):
    return {
        "title": "Consultation in Bishkek",
        "start_date": "2025-03-04",
        "kind": "consultation",
        "paragraphs": [op1.pk],
        "countries": ["KGZ"],
        "themes": ["preventive-diplomacy"],
        **fields,
    }


def test_anonymous_callers_cannot_write(client, op1):
    note = NoteFactory(paragraphs=[op1])

    created = client.post(NOTES, new_note(op1), content_type="application/json")
    changed = client.patch(f"{NOTES}{note.pk}/", {"title": "Hacked"}, content_type="application/json")
    bad_token = client.post(
        NOTES, new_note(op1), content_type="application/json", HTTP_AUTHORIZATION="Token not-a-token"
    )

    assert created.status_code == changed.status_code == bad_token.status_code == 401
    assert "detail" in created.json()
    assert not ImplementationNote.objects.filter(title__in=["Consultation in Bishkek", "Hacked"]).exists()


def test_a_token_of_a_user_who_is_not_staff_cannot_write(client, op1):
    outsider = UserFactory(username="outsider", is_staff=False)

    response = client.post(NOTES, new_note(op1), content_type="application/json", **auth(outsider))

    assert response.status_code == 403


def test_an_editor_creates_a_draft_authored_by_them_and_recorded_in_history(client, editor, op1):
    response = client.post(NOTES, new_note(op1), content_type="application/json", **auth(editor))

    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["state"], data["author"], data["countries"]) == ("draft", "edna", ["KGZ"])
    note = ImplementationNote.objects.get(pk=data["id"])
    assert note.author == editor and list(note.paragraphs.all()) == [op1]
    assert note.history.latest().history_user == editor
    # A draft is nobody's business but staff's: a token reads it, the public gets a 404.
    assert client.get(f"{NOTES}{note.pk}/").status_code == 404
    assert client.get(f"{NOTES}{note.pk}/", **auth(editor)).json()["state"] == "draft"
    assert note.pk not in {n["id"] for n in client.get(NOTES, **auth(editor)).json()["results"]}


def test_an_editor_may_submit_but_never_publish(client, editor, op1):
    submitted = client.post(
        NOTES, new_note(op1, state="in_review"), content_type="application/json", **auth(editor)
    )
    published = client.post(
        NOTES,
        new_note(op1, title="Published by an editor?", state="published"),
        content_type="application/json",
        **auth(editor),
    )

    assert submitted.status_code == 201 and submitted.json()["state"] == "in_review"
    assert published.status_code == 400  # there is no draft -> published move
    note = ImplementationNote.objects.get(pk=submitted.json()["id"])
    response = client.patch(
        f"{NOTES}{note.pk}/",
        {"state": "published", "version": note.version},
        content_type="application/json",
        **auth(editor),
    )
    assert response.status_code == 403
    assert "only reviewers may publish" in response.json()["detail"]
    note.refresh_from_db()
    assert note.state == NoteState.IN_REVIEW
    assert not ImplementationNote.objects.filter(title="Published by an editor?").exists()


def test_a_reviewer_publishes_what_an_editor_submitted_and_the_public_sees_it(client, editor, reviewer, op1):
    created = client.post(
        NOTES, new_note(op1, state="in_review"), content_type="application/json", **auth(editor)
    ).json()
    note_id = created["id"]

    response = client.patch(
        f"{NOTES}{note_id}/",
        {"state": "published", "version": created["version"]},
        content_type="application/json",
        **auth(reviewer),
    )

    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "published"
    assert client.get(f"{NOTES}{note_id}/").json()["title"] == "Consultation in Bishkek"
    moves = [
        (record.state, record.history_user.username)
        for record in ImplementationNote.objects.get(pk=note_id).transitions()
    ]
    assert moves == [("draft", "edna"), ("in_review", "edna"), ("published", "rita")]


def test_the_author_cannot_publish_their_own_note_even_as_reviewer(client, reviewer, op1):
    created = client.post(
        NOTES, new_note(op1, state="in_review"), content_type="application/json", **auth(reviewer)
    ).json()

    response = client.patch(
        f"{NOTES}{created['id']}/",
        {"state": "published", "version": created["version"]},
        content_type="application/json",
        **auth(reviewer),
    )

    assert response.status_code == 400
    assert "second person" in response.json()["state"][0]


def test_any_change_to_a_published_note_sends_it_back_to_review(client, editor, reviewer, op1):
    note = NoteFactory(paragraphs=[op1], title="Published note")
    token = auth(editor)

    response = client.patch(
        f"{NOTES}{note.pk}/",
        {"title": "Edited", "version": note.version},
        content_type="application/json",
        **token,
    )

    assert response.status_code == 200
    assert response.json()["state"] == "in_review"
    assert client.get(f"{NOTES}{note.pk}/").status_code == 404  # off the public site until reviewed
    by_reviewer = NoteFactory(paragraphs=[op1], title="Another")
    client.patch(
        f"{NOTES}{by_reviewer.pk}/",
        {"title": "Fixed typo", "version": by_reviewer.version},
        content_type="application/json",
        **auth(reviewer),
    )
    by_reviewer.refresh_from_db()
    assert (by_reviewer.title, by_reviewer.state) == ("Fixed typo", NoteState.IN_REVIEW)
    assert by_reviewer.last_edited_by == reviewer


def test_a_write_from_an_old_version_is_refused_with_what_changed(client, editor, op1):
    note = NoteFactory(paragraphs=[op1], state=NoteState.DRAFT)
    token = auth(editor)
    loaded = note.version
    client.patch(
        f"{NOTES}{note.pk}/", {"title": "First", "version": loaded}, content_type="application/json", **token
    )

    response = client.patch(
        f"{NOTES}{note.pk}/", {"title": "Second", "version": loaded}, content_type="application/json", **token
    )

    assert response.status_code == 409
    assert response.json()["changed"]
    note.refresh_from_db()
    assert note.title == "First"


def test_invalid_writes_are_400_naming_the_fields(client, editor, op1):
    response = client.post(
        NOTES,
        new_note(op1, countries=["XXX"], end_date="2025-01-01", kind="party", state="limbo"),
        content_type="application/json",
        **auth(editor),
    )

    assert response.status_code == 400
    assert {"countries", "kind", "state"} <= set(response.json())
    assert client.post(
        NOTES, new_note(op1, end_date="2025-01-01"), content_type="application/json", **auth(editor)
    ).json() == {"end_date": ["The period cannot end before it starts."]}


def test_put_and_delete_are_not_offered(client, reviewer, op1):
    note = NoteFactory(paragraphs=[op1])
    token = auth(reviewer)

    assert (
        client.put(f"{NOTES}{note.pk}/", new_note(op1), content_type="application/json", **token).status_code
        == 405
    )
    assert client.delete(f"{NOTES}{note.pk}/", **token).status_code == 405


def test_tokens_are_created_and_revoked_in_the_admin(client, django_user_model, editor):
    admin_user = django_user_model.objects.create_superuser(
        "boss", "boss@example.org", "a-long-test-password"
    )
    client.force_login(admin_user)

    client.post(reverse("admin:authtoken_tokenproxy_add"), {"user": editor.pk})
    token = Token.objects.get(user=editor)
    assert token.key  # the admin shows it once, for the integration's configuration
    # The admin addresses a token by its user (rest_framework.authtoken.models.TokenProxy).
    client.post(reverse("admin:authtoken_tokenproxy_delete", args=[editor.pk]), {"post": "yes"})

    assert not Token.objects.filter(user=editor).exists()


@pytest.mark.parametrize("encoding", ["json", "form"])
def test_a_10_mb_body_is_a_json_413_naming_the_limit_and_nothing_is_written(client, editor, op1, encoding):
    fields = new_note(op1, body="x" * (10 * 1024 * 1024))
    if encoding == "json":
        response = client.post(NOTES, json.dumps(fields), content_type="application/json", **auth(editor))
    else:
        response = client.post(NOTES, fields, **auth(editor))

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "larger than the 2.5\xa0MB the API accepts" in response.json()["detail"]
    assert not ImplementationNote.objects.filter(title=fields["title"]).exists()


def test_a_body_within_the_limit_is_read_as_usual(client, editor, op1):
    response = client.post(
        NOTES, json.dumps(new_note(op1, body="y" * 10_000)), content_type="application/json", **auth(editor)
    )

    assert response.status_code == 201, response.content


@pytest.mark.parametrize("body", ["null", "[]", "1", '"text"'])
def test_a_body_that_is_not_a_json_object_is_a_4xx_never_a_500(client, editor, op1, body):
    note = NoteFactory(paragraphs=[op1])
    etag = client.get(f"{NOTES}{note.pk}/", **auth(editor))["ETag"]

    without_version = client.patch(
        f"{NOTES}{note.pk}/", body, content_type="application/json", **auth(editor)
    )
    with_if_match = client.patch(
        f"{NOTES}{note.pk}/", body, content_type="application/json", HTTP_IF_MATCH=etag, **auth(editor)
    )
    created = client.post(NOTES, body, content_type="application/json", **auth(editor))

    assert without_version.status_code == 428
    assert with_if_match.status_code == 400 and with_if_match.json()
    assert created.status_code == 400 and created.json()


def test_a_note_is_written_in_a_language_and_cannot_take_one_it_has_a_translation_into(client, editor, op1):
    from resolutions.models import NoteTranslation

    created = client.post(
        NOTES, new_note(op1, language="ru"), content_type="application/json", **auth(editor)
    )
    assert created.status_code == 201
    note = ImplementationNote.objects.get(pk=created.json()["id"])
    assert note.language == "ru"
    assert (
        client.post(
            NOTES, new_note(op1, language="xx"), content_type="application/json", **auth(editor)
        ).status_code
        == 400
    )

    NoteTranslation.objects.create(note=note, language="en", title="Consultation", body="")
    refused = client.patch(
        f"{NOTES}{note.pk}/",
        {"language": "en", "version": note.version},
        content_type="application/json",
        **auth(editor),
    )
    assert refused.status_code == 400 and "language" in refused.json()
    note.refresh_from_db()
    assert note.language == "ru"
