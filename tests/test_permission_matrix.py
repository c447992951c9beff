"""The editorial rule and the roles, as one matrix: every path × every role × every state.

Each row does one thing the way a user does it (an admin POST, an API call, a spreadsheet upload, a
model method from the shell) and then checks what a user sees: the response, the rows in the
database, and whether the public site shows the note or assessment. The expected outcome of a row
comes from the rule as the issue states it (EXPECT below), not from the code under test:

- staff (editors, reviewers, administrators, superusers) change notes; anybody else is refused;
- whoever is the author, the submitter or the last editor of a note's content cannot publish it;
- any change to a published note's content (fields, links, sources), by anyone, sends it back to review;
- assessments follow the same rule; sources are edited only with their note;
- only superusers grant superuser status, groups and permissions; Administrators issue tokens.

The reproductions of issue 10 are rows too (REPRODUCTIONS).
"""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from resolutions.models import Assessment, ImplementationNote, NoteSource, NoteState
from resolutions.workflow import ROLE_GROUPS
from tests.factories import AssessmentFactory, NoteFactory, ParagraphFactory, ResolutionFactory, UserFactory

pytestmark = pytest.mark.django_db

D, R, P, W = NoteState.DRAFT, NoteState.IN_REVIEW, NoteState.PUBLISHED, NoteState.WITHDRAWN
STATES = [D, R, P, W]
ROLES = ["anonymous", "plain", "editor", "reviewer", "administrator", "superuser"]
WRITERS = {"editor", "reviewer", "administrator", "superuser"}
PUBLISHERS = {"reviewer", "administrator", "superuser"}
RELATIONS = ["author", "submitter", "last_editor"]  # the actor's part in the note, beside "stranger"

FIRST_TITLE, CURRENT_TITLE = "Consultations in Almaty", "Consultations in Almaty and Bishkek"
BODY, NEW_BODY = "Staff met the Governments of the region.", "Unreviewed words."
SOURCE_URL, PHISHING_URL = "https://www.un.org/press", "https://phishing.example/login"
RATIONALE, NEW_RATIONALE = "Meetings are held every year.", "Unreviewed judgement."


# ---- the small world each row starts from ---------------------------------------------------------


def person(role, username):
    if role == "anonymous":
        return None
    user = UserFactory(username=username, is_staff=role != "plain", is_superuser=role == "superuser")
    if role in ROLE_GROUPS:
        user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    return user


@pytest.fixture
def paragraph():
    return ParagraphFactory(resolution=ResolutionFactory(session="77", number="273"), order=1, number="1")


def make_note(paragraph, state, actor, relation):
    """A note in `state`: written by an editor, its content last changed by a second editor, submitted
    by a third, published by a reviewer; the actor takes one of those parts when `relation` says."""
    author = actor if relation == "author" else person("editor", "author")
    note = NoteFactory(state=D, title=FIRST_TITLE, body=BODY, author=author, paragraphs=[paragraph])
    NoteSource.objects.create(note=note, title="Press release", url=SOURCE_URL)
    note.title = CURRENT_TITLE
    note.save()
    if actor is None or not actor.is_staff:
        # Outsiders are refused before anyone asks who did what: the note need only be in `state`.
        note.seal_content()
        ImplementationNote.objects.filter(pk=note.pk).update(state=state)
        return ImplementationNote.objects.get(pk=note.pk)
    note.record_edit(actor if relation == "last_editor" else person("editor", "last_editor"))
    submitter = actor if relation == "submitter" else person("editor", "submitter")
    move_to(note, state, submitter, person("reviewer", "publisher"))
    return note


def make_assessment(paragraph, state, actor, relation):
    author = actor if relation == "author" else person("editor", "author")
    assessment = AssessmentFactory(paragraph=paragraph, state=D, author=author, rationale=RATIONALE)
    assessment.rationale += " "  # a second editor's touch, so that the author's part stands alone
    assessment.save()
    assessment.record_edit(person("editor", "last_editor"))
    move_to(assessment, state, person("editor", "submitter"), person("reviewer", "publisher"))
    return assessment


def move_to(item, state, submitter, publisher):
    if state != D:
        item.transition(R, submitter)
    if state in (P, W):
        item.transition(P, publisher)
    if state == W:
        item.transition(W, publisher)


def signed_in(actor):
    client = Client()
    if actor is not None:
        client.force_login(actor)
    return client


def api_client(actor):
    if actor is None:
        return Client()
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=actor).key}")


def note_content(note):
    note = ImplementationNote.objects.get(pk=note.pk)
    return note.title, note.body, list(note.sources.values_list("url", flat=True))


def publicly_visible(note):
    """Whether the public sees the note: on its page, in the notes feed and in the sitemap alike."""
    client, address = Client(), note.get_absolute_url()
    on_page = client.get(address).status_code == 200
    in_feed = f"{address}</id>" in client.get(reverse("resolutions:feed-notes")).text
    in_sitemap = f"{address}</loc>" in client.get(reverse("resolutions:sitemap-section", args=["notes"])).text
    assert on_page == in_feed == in_sitemap, (on_page, in_feed, in_sitemap)
    return on_page


# ---- outcomes as a user sees them -------------------------------------------------------------------


def admin_outcome(response):
    if response.status_code == 302:
        return "login" if "/admin/login/" in response["Location"] else "ok"
    return {200: "invalid", 403: "denied"}[response.status_code]


def api_outcome(response):
    return {200: "ok", 201: "ok", 400: "invalid", 401: "login", 403: "denied", 428: "precondition"}[
        response.status_code
    ]


def model_outcome(call):
    try:
        call()
    except PermissionDenied:
        return "denied"
    except ValidationError:
        return "invalid"
    return "ok"


def note_form(note, **changes):
    """The note's change form as the browser posts it, its one source included."""
    source = note.sources.get()
    data = {
        "title": note.title,
        "kind": note.kind,
        "start_date": str(note.start_date),
        "end_date": "",
        "body": note.body,
        "paragraphs": [p.pk for p in note.paragraphs.all()],
        "loaded_version": ImplementationNote.objects.get(pk=note.pk).version,
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "1",
        "sources-0-id": source.pk,
        "sources-0-note": note.pk,
        "sources-0-title": source.title,
        "sources-0-url": source.url,
        "sources-0-document_symbol": "",
        "language": note.language,
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def change_url(note):
    return reverse("admin:resolutions_implementationnote_change", args=[note.pk])


# ---- the paths to a note ------------------------------------------------------------------------------


def admin_edit(note, actor):
    return admin_outcome(signed_in(actor).post(change_url(note), note_form(note, body=NEW_BODY)))


def admin_inline_source(note, actor):
    data = note_form(note, **{"sources-0-url": PHISHING_URL})
    return admin_outcome(signed_in(actor).post(change_url(note), data))


def admin_publish_button(note, actor):
    return admin_outcome(signed_in(actor).post(change_url(note), note_form(note, _transition=P)))


def admin_edit_and_publish(note, actor):
    data = note_form(note, body=NEW_BODY, _transition=P)
    return admin_outcome(signed_in(actor).post(change_url(note), data))


def history_revert(note, actor):
    first = note.history.filter(title=FIRST_TITLE).order_by("history_id").first()
    url = reverse("admin:resolutions_implementationnote_simple_history", args=[note.pk, first.pk])
    return admin_outcome(signed_in(actor).post(url, note_form(note, title=FIRST_TITLE)))


def notesource_admin(note, actor):
    source = note.sources.get()
    url = reverse("admin:resolutions_notesource_change", args=[source.pk])
    data = {"note": note.pk, "title": source.title, "url": PHISHING_URL, "document_symbol": ""}
    return admin_outcome(signed_in(actor).post(url, data))


def bulk_publish(note, actor):
    url = reverse("admin:resolutions_implementationnote_changelist")
    return admin_outcome(signed_in(actor).post(url, {"action": "publish", "_selected_action": [note.pk]}))


def review_screen(note, actor, **data):
    """The review screen's buttons (resolutions/staff_home.py), posted with the content the actor saw."""
    url = reverse("admin:review", args=["note", note.pk])
    seen = ImplementationNote.objects.get(pk=note.pk).content_fingerprint
    return admin_outcome(signed_in(actor).post(url, {"seen": seen, **data}))


def review_screen_publish(note, actor):
    return review_screen(note, actor, move=P)


def review_screen_send_back(note, actor):
    return review_screen(note, actor, move=D, comment="Say who attended.")


def api_patch(note, actor, **data):
    url = reverse("api:note-detail", args=[note.pk])
    return api_outcome(api_client(actor).patch(url, data, content_type="application/json"))


def api_edit(note, actor):
    return api_patch(note, actor, body=NEW_BODY, version=note.version)


def api_edit_and_publish(note, actor):
    return api_patch(note, actor, body=NEW_BODY, state=P, version=note.version)


def api_publish(note, actor):
    return api_patch(note, actor, state=P, version=note.version)


def api_edit_without_version(note, actor):
    return api_patch(note, actor, body=NEW_BODY)


def model_edit(note, actor):
    return model_outcome(lambda: note.edit(actor or AnonymousUser(), body=NEW_BODY))


def model_publish(note, actor):
    return model_outcome(lambda: note.transition(P, actor or AnonymousUser()))


# ---- what the rule says each path does -----------------------------------------------------------------


def refused(role, state, on_admin=True, on_api=False):
    """How a path refuses an outsider: the admin sends to its sign-in page, the API says 401/403."""
    if on_api:
        return ("login" if role == "anonymous" else "denied"), state, False
    return ("login" if on_admin else "denied"), state, False


def back_to_review(state):
    return R if state == P else state


def may_publish(role, state, relation):
    return role in PUBLISHERS and state == R and relation == "stranger"


def edit(kind):
    def expect(role, state, relation):
        if role not in WRITERS:
            return refused(role, state, on_admin=kind == "admin", on_api=kind == "api")
        return "ok", back_to_review(state), True

    return expect


def admin_publish(role, state, relation):
    if role not in WRITERS:
        return refused(role, state)
    return "ok", P if may_publish(role, state, relation) else state, False


def api_publish_expect(role, state, relation):
    if role not in WRITERS:
        return refused(role, state, on_api=True)
    if state == P:
        return "ok", P, False  # nothing to move
    if may_publish(role, state, relation):
        return "ok", P, False
    return ("denied" if state == R and role not in PUBLISHERS else "invalid"), state, False


def api_edit_and_publish_expect(role, state, relation):
    if role not in WRITERS:
        return refused(role, state, on_api=True)
    # The edit makes the actor the last editor (and a published note goes back to review first), so
    # the publication is refused, and the whole request with it.
    if role not in PUBLISHERS and state in (R, P):
        return "denied", state, False
    return "invalid", state, False


def review_screen_publish_expect(role, state, relation):
    if role not in WRITERS:
        return refused(role, state)
    if state == R and role not in PUBLISHERS:
        return "denied", state, False  # an editor may not publish: 403
    return "ok", P if may_publish(role, state, relation) else state, False  # else refused with a message


def review_screen_send_back_expect(role, state, relation):
    if role not in WRITERS:
        return refused(role, state)
    if state == D:
        return "ok", D, False  # nothing to move
    if role not in PUBLISHERS:
        return "denied", state, False
    return "ok", D, False  # back to its author, whoever wrote it


def model_publish_expect(role, state, relation):
    if state != R:
        return "invalid", state, False  # no such move, whoever asks
    if role not in PUBLISHERS:
        return "denied", state, False
    return ("ok", P, False) if may_publish(role, state, relation) else ("invalid", state, False)


EXPECT = {
    admin_edit: edit("admin"),
    admin_inline_source: edit("admin"),
    admin_publish_button: admin_publish,
    admin_edit_and_publish: lambda role, state, relation: (
        refused(role, state) if role not in WRITERS else ("ok", back_to_review(state), True)
    ),
    history_revert: edit("admin"),
    notesource_admin: lambda role, state, relation: (
        refused(role, state) if role not in WRITERS else ("denied", state, False)
    ),
    bulk_publish: admin_publish,  # an editor is not offered the action: nothing moves
    api_edit: edit("api"),
    api_edit_and_publish: api_edit_and_publish_expect,
    api_publish: api_publish_expect,
    api_edit_without_version: lambda role, state, relation: (
        refused(role, state, on_api=True) if role not in WRITERS else ("precondition", state, False)
    ),
    model_edit: lambda role, state, relation: (
        ("denied", state, False) if role not in WRITERS else ("ok", back_to_review(state), True)
    ),
    model_publish: model_publish_expect,
    review_screen_publish: review_screen_publish_expect,
    review_screen_send_back: review_screen_send_back_expect,
}
PUBLISH_PATHS = [admin_publish_button, bulk_publish, api_publish, model_publish, review_screen_publish]


def matrix_rows(expect, publish_paths):
    """Every path of `expect` x role x state by a stranger, then every publishing path x publisher x
    relation to the last change on a note (or translation) in review."""
    return [
        pytest.param(path, role, state, "stranger", id=f"{path.__name__}-{role}-{state}")
        for path in expect
        for role in ROLES
        for state in STATES
    ] + [
        pytest.param(path, role, R, relation, id=f"{path.__name__}-{role}-{R}-{relation}")
        for path in publish_paths
        for role in sorted(PUBLISHERS)
        for relation in RELATIONS
    ]


NOTE_ROWS = matrix_rows(EXPECT, PUBLISH_PATHS)


@pytest.mark.parametrize(("path", "role", "state", "relation"), NOTE_ROWS)
def test_note_paths(paragraph, path, role, state, relation):
    actor = person(role, "actor")
    note = make_note(paragraph, state, actor, relation)
    before = note_content(note)
    outcome, final_state, changed = EXPECT[path](role, state, relation)

    assert path(note, actor) == outcome
    note = ImplementationNote.objects.get(pk=note.pk)
    assert note.state == final_state
    assert (note_content(note) != before) is changed
    if changed:
        assert note.last_edited_by == actor
    if P in (state, final_state):  # the public page where it was or is public (else published() says)
        assert publicly_visible(note) is (final_state == P)
    assert ImplementationNote.objects.published().filter(pk=note.pk).exists() is (final_state == P)


# ---- spreadsheet import and API creation: new notes -----------------------------------------------------

IMPORT_HEADER = "title,kind,start_date,body,resolution,paragraphs,state\n"


def upload(client, text):
    response = client.post(
        reverse("admin:resolutions_implementationnote_import"),
        {"import_file": SimpleUploadedFile("notes.csv", text.encode()), "format": "0"},
    )
    if response.status_code != 200 or "confirm_form" not in (response.context or {}):
        return response
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}
    return client.post(reverse("admin:resolutions_implementationnote_process_import"), data)


@pytest.mark.parametrize("role", ROLES)
def test_spreadsheet_import_makes_drafts_the_importer_cannot_publish(paragraph, role):
    actor = person(role, "actor")
    client = signed_in(actor)
    row = f"Imported visit,visit,2024-05-02,{BODY},A/RES/77/273,1,published\n"

    outcome = admin_outcome(upload(client, IMPORT_HEADER + row))

    notes = ImplementationNote.objects.filter(title="Imported visit")
    if role not in WRITERS:
        assert (outcome, notes.exists()) == ("login", False)
        return
    note = notes.get()
    assert (outcome, note.state, note.author, note.last_edited_by) == ("ok", D, actor, actor)
    note.transition(R, actor)
    assert P not in note.allowed_transitions(actor)


@pytest.mark.parametrize(
    ("role", "text", "message"),
    [
        (
            "editor",
            "title,kind,start_date,body,resolution\nNo paragraph,visit,2024-05-02,x,A/RES/77/273\n",
            "at least one operative paragraph",
        ),
        (
            "editor",
            IMPORT_HEADER + "Empty,visit,2024-05-02,x,A/RES/77/273,,\n",
            "at least one operative paragraph",
        ),
        (
            "editor",
            IMPORT_HEADER + f"Long,visit,2024-05-02,{'x' * 20_001},A/RES/77/273,1,\n",
            "at most 20000 characters",
        ),
        (
            "editor",
            IMPORT_HEADER + f"{'T' * 301},visit,2024-05-02,x,A/RES/77/273,1,\n",
            "at most 300 characters",
        ),
    ],
    ids=["no-paragraphs-column", "empty-paragraphs", "body-too-long", "title-too-long"],
)
def test_spreadsheet_rows_without_a_paragraph_or_too_long_are_refused(paragraph, role, text, message):
    response = signed_in(person(role, "actor")).post(
        reverse("admin:resolutions_implementationnote_import"),
        {"import_file": SimpleUploadedFile("notes.csv", text.encode()), "format": "0"},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "confirm_form" not in response.context
    assert not ImplementationNote.objects.exists()


NEW_NOTE = {"title": "Visit to Dushanbe", "start_date": "2025-03-04", "kind": "visit"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("payload", "form_encoded", "field", "message"),
    [
        ({"paragraphs": []}, False, "paragraphs", "at least one operative paragraph"),
        ({"paragraphs": None}, True, "paragraphs", "at least one operative paragraph"),
        ({"body": "x" * 20_001}, False, "body", "at most 20000 characters"),
        ({"title": "T" * 301}, False, "title", "no more than 300 characters"),
    ],
    ids=["empty-paragraphs", "no-paragraphs-form", "body-too-long", "title-too-long"],
)
def test_api_creation_refuses_a_note_without_a_paragraph_or_too_long(
    paragraph, role, payload, form_encoded, field, message
):
    data = {**NEW_NOTE, "paragraphs": [paragraph.pk], **payload}
    client = api_client(person(role, "actor"))
    if form_encoded:
        del data["paragraphs"]  # a form that leaves the field out
        response = client.post(reverse("api:note-list"), data)
    else:
        response = client.post(reverse("api:note-list"), data, content_type="application/json")

    if role not in WRITERS:
        assert api_outcome(response) == ("login" if role == "anonymous" else "denied")
    else:
        assert (response.status_code, list(response.json())) == (400, [field])
        assert message in response.json()[field][0]
    assert not ImplementationNote.objects.exists()


# ---- assessments: the same rule before a paragraph's status is public ------------------------------------


def paragraph_page_shows(paragraph, text):
    return text in Client().get(paragraph.get_absolute_url()).content.decode()


def api_status(paragraph):
    return Client().get(reverse("api:paragraph-detail", args=[paragraph.pk])).json()["current_status"]


@pytest.mark.parametrize("role", ROLES)
def test_a_new_assessment_is_a_draft_nobody_sees(paragraph, role):
    actor = person(role, "actor")
    data = {
        "paragraph": paragraph.pk,
        "status": "implemented",
        "as_of": "2025-01-01",
        "rationale": NEW_RATIONALE,
    }

    outcome = admin_outcome(signed_in(actor).post(reverse("admin:resolutions_assessment_add"), data))

    created = Assessment.objects.filter(rationale=NEW_RATIONALE).first()
    assert (outcome, created is not None) == ("ok", True) if role in WRITERS else ("login", False)
    assert not paragraph_page_shows(paragraph, NEW_RATIONALE)
    assert api_status(paragraph) is None
    if created is not None:
        assert (created.state, created.author, created.last_edited_by) == (D, actor, actor)


def assessment_publish(assessment, actor):
    url = reverse("admin:resolutions_assessment_changelist")
    data = {"action": "publish", "_selected_action": [assessment.pk]}
    return admin_outcome(signed_in(actor).post(url, data))


def assessment_edit(assessment, actor):
    url = reverse("admin:resolutions_assessment_change", args=[assessment.pk])
    data = {"paragraph": assessment.paragraph_id, "status": "implemented", "as_of": "2024-01-01"}
    return admin_outcome(signed_in(actor).post(url, {**data, "rationale": NEW_RATIONALE}))


ASSESSMENT_EXPECT = {
    assessment_publish: admin_publish,
    assessment_edit: edit("admin"),
}


@pytest.mark.parametrize(
    ("path", "role", "state", "relation"),
    [
        pytest.param(path, role, state, "stranger", id=f"{path.__name__}-{role}-{state}")
        for path in ASSESSMENT_EXPECT
        for role in ROLES
        for state in STATES
    ]
    + [
        pytest.param(assessment_publish, role, R, "author", id=f"assessment_publish-{role}-{R}-author")
        for role in sorted(PUBLISHERS)
    ],
)
def test_assessment_paths(paragraph, path, role, state, relation):
    actor = person(role, "actor")
    assessment = make_assessment(paragraph, state, actor, relation)
    outcome, final_state, changed = ASSESSMENT_EXPECT[path](role, state, relation)

    assert path(assessment, actor) == outcome
    assessment.refresh_from_db()
    assert assessment.state == final_state
    assert (assessment.rationale == NEW_RATIONALE) is changed
    public = final_state == P
    assert paragraph_page_shows(paragraph, assessment.rationale) is public
    assert api_status(paragraph) == ("in_progress" if public else None)


# ---- roles cannot escalate ---------------------------------------------------------------------------


def user_change(client, target, **extra):
    data = {
        "username": target.username,
        "email": target.email,
        "is_active": "on",
        "is_staff": "on",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "09:00:00",
        "role": "Editors",
        **extra,
    }
    return client.post(reverse("admin:auth_user_change", args=[target.pk]), data)


@pytest.mark.parametrize("role", ROLES)
def test_only_a_superuser_grants_superuser_status_groups_and_permissions(role):
    actor = person(role, "actor")
    target = person("editor", "target")
    administrators = Group.objects.get(name=ROLE_GROUPS["administrator"])
    from django.contrib.auth.models import Permission

    power = Permission.objects.get(codename="delete_user")

    outcome = admin_outcome(
        user_change(
            signed_in(actor),
            target,
            is_superuser="on",
            groups=[administrators.pk],
            user_permissions=[power.pk],
        )
    )

    target.refresh_from_db()
    granted = (
        target.is_superuser,
        list(target.groups.values_list("name", flat=True)),
        target.has_perm("auth.delete_user"),
    )
    expected_outcome = {"anonymous": "login", "plain": "login", "editor": "denied", "reviewer": "denied"}
    assert outcome == expected_outcome.get(role, "ok")
    if role == "superuser":
        assert granted == (True, [administrators.name], True)
    else:
        assert granted == (False, [ROLE_GROUPS["editor"]], False)


@pytest.mark.parametrize("role", ROLES)
def test_administrators_give_roles_but_never_touch_a_superuser(role):
    actor = person(role, "actor")
    target, boss = person("editor", "target"), person("superuser", "boss")
    client = signed_in(actor)

    reviewers = Group.objects.get(name=ROLE_GROUPS["reviewer"])
    # The restricted form takes a role; a superuser's, Django's own, takes groups.
    outcome = admin_outcome(user_change(client, target, role=reviewers.name, groups=[reviewers.pk]))
    boss_change = admin_outcome(user_change(client, boss, first_name="Changed", is_superuser="on"))
    boss_password = admin_outcome(
        client.post(
            reverse("admin:auth_user_password_change", args=[boss.pk]),
            {"password1": "a-new-long-password-1", "password2": "a-new-long-password-1"},
        )
    )

    target.refresh_from_db()
    boss.refresh_from_db()
    roles = list(target.groups.values_list("name", flat=True))
    outsider = {"anonymous": "login", "plain": "login"}.get(role, "denied")
    if role in ("administrator", "superuser"):
        assert (outcome, roles) == ("ok", [ROLE_GROUPS["reviewer"]])
    else:
        assert (outcome, roles) == (outsider, [ROLE_GROUPS["editor"]])
    assert (boss_change, boss.first_name == "Changed") == (
        ("ok", True) if role == "superuser" else (outsider, False)
    )
    assert (boss_password, boss.check_password("a-new-long-password-1")) == (
        ("ok", True) if role == "superuser" else (outsider, False)
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("holder", ["editor", "superuser"])
def test_administrators_issue_api_tokens_but_not_a_superusers(role, holder):
    actor = person(role, "actor")
    owner = person(holder, "holder")

    outcome = admin_outcome(
        signed_in(actor).post(reverse("admin:authtoken_tokenproxy_add"), {"user": owner.pk})
    )

    issued = Token.objects.filter(user=owner).exists()
    if role == "superuser" or (role == "administrator" and holder == "editor"):
        assert (outcome, issued) == ("ok", True)
    else:
        expected = {"anonymous": "login", "plain": "login", "administrator": "invalid"}.get(role, "denied")
        assert (outcome, issued) == (expected, False)


# ---- concurrency: an API update names the version it changes (M5) ------------------------------------------


def test_if_match_with_the_etag_of_a_get_stands_for_the_version(paragraph):
    editor = person("editor", "actor")
    note = make_note(paragraph, D, editor, "stranger")
    client = api_client(editor)
    url = reverse("api:note-detail", args=[note.pk])
    etag = client.get(url)["ETag"]

    first = client.patch(url, {"body": "First"}, content_type="application/json", HTTP_IF_MATCH=etag)
    second = client.patch(url, {"body": "Second"}, content_type="application/json", HTTP_IF_MATCH=etag)
    star = client.patch(url, {"body": "Third"}, content_type="application/json", HTTP_IF_MATCH="*")

    assert (first.status_code, second.status_code, star.status_code) == (200, 412, 428)
    assert second.json()["detail"] and star.json()["detail"]
    assert ImplementationNote.objects.get(pk=note.pk).body == "First"
    stale = client.patch(url, {"body": "Fourth", "version": note.version}, content_type="application/json")
    assert stale.status_code == 409 and ImplementationNote.objects.get(pk=note.pk).body == "First"


# ---- the reproductions of issue 10 ---------------------------------------------------------------------

REPRODUCTIONS = {
    "H1": "test_note_paths[history_revert-editor-published]",
    "H2": "test_note_paths[notesource_admin-editor-published]",
    "H3": "test_only_a_superuser_grants_superuser_status_groups_and_permissions[administrator]",
    "M1 (one request)": "test_note_paths[api_edit_and_publish-reviewer-in_review]",
    "M1 (own note after publication)": "test_note_paths[api_edit-reviewer-published]",
    "M4": "test_a_new_assessment_is_a_draft_nobody_sees[editor]",
    "M5": "test_note_paths[api_edit_without_version-editor-draft]",
}


def test_every_reproduction_is_a_row_of_the_matrix():
    rows = {f"test_note_paths[{row.id}]" for row in NOTE_ROWS}
    rows |= {
        f"test_only_a_superuser_grants_superuser_status_groups_and_permissions[{role}]" for role in ROLES
    }
    rows |= {f"test_a_new_assessment_is_a_draft_nobody_sees[{role}]" for role in ROLES}
    assert set(REPRODUCTIONS.values()) <= rows, set(REPRODUCTIONS.values()) - rows


# ---- translations of a note: the same rule, on each path to a translation ----------------------------

RU_TITLE, RU_BODY, RU_NEW_BODY = (
    "Консультации в Алматы",
    "Сотрудники встретились с правительствами.",
    "Новые слова.",
)


def make_translation(paragraph, state, actor, relation):
    """A Russian translation of a published note, in `state`: written, last changed, submitted and
    published by different people, the actor taking one of those parts when `relation` says."""
    from resolutions.models import NoteTranslation

    note = NoteFactory(state=P, title=CURRENT_TITLE, body=BODY, paragraphs=[paragraph])
    note.seal_content()
    author = actor if relation == "author" else person("editor", "author")
    each = NoteTranslation.objects.create(
        note=note, language="ru", title=RU_TITLE, body=RU_BODY, author=author
    )
    if actor is None or not actor.is_staff:
        each.seal_content()
        NoteTranslation.objects.filter(pk=each.pk).update(state=state)
        return NoteTranslation.objects.get(pk=each.pk)
    each.record_edit(actor if relation == "last_editor" else person("editor", "last_editor"))
    submitter = actor if relation == "submitter" else person("editor", "submitter")
    move_to(each, state, submitter, person("reviewer", "publisher"))
    return each


def translation_page(each, actor, **changes):
    url = reverse("admin:resolutions_notetranslation_change", args=[each.pk])
    data = {
        "note": each.note_id,
        "language": each.language,
        "title": each.title,
        "body": each.body,
        **changes,
    }
    return admin_outcome(signed_in(actor).post(url, data))


def translation_admin_edit(each, actor):
    return translation_page(each, actor, body=RU_NEW_BODY)


def translation_admin_publish(each, actor):
    return translation_page(each, actor, _transition=P)


def translation_bulk_publish(each, actor):
    url = reverse("admin:resolutions_notetranslation_changelist")
    return admin_outcome(signed_in(actor).post(url, {"action": "publish", "_selected_action": [each.pk]}))


def translation_model_publish(each, actor):
    return model_outcome(lambda: each.transition(P, actor or AnonymousUser()))


TRANSLATION_EXPECT = {
    translation_admin_edit: edit("admin"),
    translation_admin_publish: admin_publish,
    translation_bulk_publish: admin_publish,
    translation_model_publish: model_publish_expect,
}
TRANSLATION_ROWS = matrix_rows(
    TRANSLATION_EXPECT, (translation_admin_publish, translation_bulk_publish, translation_model_publish)
)


@pytest.mark.parametrize(("path", "role", "state", "relation"), TRANSLATION_ROWS)
def test_translation_paths(paragraph, path, role, state, relation):
    """A translation follows the note's rule; the Russian reader sees it only once it is published."""
    from resolutions.models import NoteTranslation

    actor = person(role, "actor")
    each = make_translation(paragraph, state, actor, relation)
    outcome, final_state, changed = TRANSLATION_EXPECT[path](role, state, relation)

    assert path(each, actor) == outcome
    each = NoteTranslation.objects.get(pk=each.pk)
    assert each.state == final_state
    assert (each.body != RU_BODY) is changed
    if changed:
        assert each.last_edited_by == actor
    russian_page = Client().get(f"/ru/notes/{each.note_id}/").text
    assert (RU_TITLE in russian_page) is (final_state == P)
    assert NoteTranslation.objects.published().filter(pk=each.pk).exists() is (final_state == P)
