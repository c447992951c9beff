"""Staff in the admin: editorial moves, history, no lost update, fast entry, resolution import, sign-in."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from resolutions.importer import parse_all
from resolutions.models import ImplementationNote, NoteState, Paragraph, Resolution
from resolutions.workflow import ROLE_GROUPS
from tests.conftest import SEED
from tests.factories import NoteFactory, ParagraphFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-7"


def member(role, username):
    user = UserFactory(username=username)
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    return user


@pytest.fixture
def editor():
    return member("editor", "edna")


@pytest.fixture
def reviewer():
    return member("reviewer", "rita")


@pytest.fixture
def administrator():
    return member("administrator", "adam")


def signed_in(client, user):
    client.force_login(user)
    return client


def note_form(note=None, **changes):
    """The POST data of the note change form, as the browser sends it."""
    data = {
        "title": note.title if note else "Visit to Bishkek",
        "kind": note.kind if note else "visit",
        "start_date": str(note.start_date) if note else "2024-03-05",
        "body": note.body if note else "The Head of the Centre met officials.",
        "paragraphs": [p.pk for p in note.paragraphs.all()] if note else [],
        "loaded_version": note.version if note else "",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
        "language": note.language if note else "en",
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def add_url():
    return reverse("admin:resolutions_implementationnote_add")


def change_url(note):
    return reverse("admin:resolutions_implementationnote_change", args=[note.pk])


def changelist_url():
    return reverse("admin:resolutions_implementationnote_changelist")


# Editorial moves through the admin


def test_an_editor_records_a_note_and_submits_it_in_one_click(client, editor):
    paragraph = ParagraphFactory()
    response = signed_in(client, editor).post(
        add_url(), note_form(paragraphs=[paragraph.pk], _transition="in_review")
    )

    assert response.status_code == 302
    note = ImplementationNote.objects.get(title="Visit to Bishkek")
    assert note.state == NoteState.IN_REVIEW
    assert note.author == editor
    assert [(r.state, r.history_user) for r in note.transitions()] == [
        (NoteState.DRAFT, editor),
        (NoteState.IN_REVIEW, editor),
    ]


def test_the_change_form_offers_only_the_moves_the_user_may_make(client, editor, reviewer):
    note = NoteFactory(state=NoteState.IN_REVIEW, paragraphs=[ParagraphFactory()], author=editor)

    as_editor = signed_in(client, editor).get(change_url(note)).content.decode()
    assert "Save and publish" not in as_editor
    as_reviewer = signed_in(client, reviewer).get(change_url(note)).content.decode()
    assert "Save and publish" in as_reviewer
    assert "Save and send back to draft" in as_reviewer


def test_an_editor_cannot_publish_through_the_admin_form(client, editor):
    note = NoteFactory(state=NoteState.IN_REVIEW, paragraphs=[ParagraphFactory()], author=editor)

    response = signed_in(client, editor).post(
        change_url(note), note_form(note, _transition="published", state="published"), follow=True
    )

    assert "Saved, but not moved" in response.content.decode()
    note.refresh_from_db()
    assert note.state == NoteState.IN_REVIEW


def test_an_editor_cannot_publish_through_an_admin_action(client, editor):
    note = NoteFactory(state=NoteState.IN_REVIEW, paragraphs=[ParagraphFactory()])
    client = signed_in(client, editor)

    page = client.get(changelist_url()).content.decode()
    assert 'value="submit_for_review"' in page
    assert 'value="publish"' not in page and 'value="withdraw"' not in page
    client.post(changelist_url(), {"action": "publish", "_selected_action": [note.pk]})

    note.refresh_from_db()
    assert note.state == NoteState.IN_REVIEW


def test_a_reviewer_publishes_and_withdraws_in_bulk_and_refusals_are_reported(client, editor, reviewer):
    ready = NoteFactory.create_batch(
        2, state=NoteState.IN_REVIEW, paragraphs=[ParagraphFactory()], author=editor
    )
    own = NoteFactory(state=NoteState.IN_REVIEW, paragraphs=[ParagraphFactory()], author=reviewer)
    client = signed_in(client, reviewer)

    response = client.post(
        changelist_url(),
        {"action": "publish", "_selected_action": [n.pk for n in [*ready, own]]},
        follow=True,
    )

    text = response.content.decode()
    assert "2 note(s) moved to" in text
    assert "its author cannot publish it" in text
    assert set(ImplementationNote.objects.published().values_list("pk", flat=True)) == {n.pk for n in ready}
    client.post(changelist_url(), {"action": "withdraw", "_selected_action": [ready[0].pk]})
    ready[0].refresh_from_db()
    assert ready[0].state == NoteState.WITHDRAWN


def test_a_published_note_edited_in_the_admin_goes_back_to_review(client, editor, reviewer):
    note = NoteFactory(state=NoteState.PUBLISHED, paragraphs=[ParagraphFactory()])

    response = signed_in(client, editor).post(change_url(note), note_form(note, title="Fixed"), follow=True)

    assert "sends it back to review" in response.content.decode()
    note.refresh_from_db()
    assert (note.title, note.state) == ("Fixed", NoteState.IN_REVIEW)

    # A reviewer's change too: and then another person must publish it.
    note = NoteFactory(state=NoteState.PUBLISHED, paragraphs=[ParagraphFactory()])
    signed_in(client, reviewer).post(change_url(note), note_form(note, title="Fixed by a reviewer"))
    note.refresh_from_db()
    assert (note.title, note.state, note.last_edited_by) == (
        "Fixed by a reviewer",
        NoteState.IN_REVIEW,
        reviewer,
    )


# History


def test_admin_edits_are_in_the_history_with_who_when_and_a_readable_diff(client, editor):
    note = NoteFactory(state=NoteState.DRAFT, paragraphs=[ParagraphFactory()], title="Old title")
    client = signed_in(client, editor)
    client.post(change_url(note), note_form(note, title="New title"))

    latest = note.history.filter(title="New title").first()
    assert latest.history_user == editor
    history_page = client.get(reverse("admin:resolutions_implementationnote_history", args=[note.pk]))
    text = history_page.content.decode()
    assert history_page.status_code == 200
    assert "edna" in text and "Old title" in text and "New title" in text


def test_assessments_and_paragraph_edits_in_the_admin_are_in_the_history(client, editor, administrator):
    paragraph = ParagraphFactory()
    url = reverse("admin:resolutions_paragraph_change", args=[paragraph.pk])
    client = signed_in(client, administrator)
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        {
            "text": "the Centre to report;",
            "texts-TOTAL_FORMS": "0",
            "texts-INITIAL_FORMS": "0",
            "mandate-TOTAL_FORMS": "0",
            "mandate-INITIAL_FORMS": "0",
            "assessments-TOTAL_FORMS": "1",
            "assessments-INITIAL_FORMS": "0",
            "assessments-0-as_of": "2024-06-01",
            "assessments-0-status": "ongoing",
            "assessments-0-rationale": "Meetings are held every year.",
        }
    )
    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    paragraph.refresh_from_db()
    assert paragraph.history.first().history_user == administrator
    assessment = paragraph.assessments.get()
    assert (assessment.status, assessment.author, assessment.state) == ("ongoing", administrator, "draft")
    assert paragraph.current_assessment() is None  # public once another person publishes it
    assert assessment.history.first().history_user == administrator


def test_an_assessment_needs_a_date_and_a_rationale(client, administrator):
    paragraph = ParagraphFactory()
    url = reverse("admin:resolutions_paragraph_change", args=[paragraph.pk])
    client = signed_in(client, administrator)
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        {
            "texts-TOTAL_FORMS": "0",
            "texts-INITIAL_FORMS": "0",
            "mandate-TOTAL_FORMS": "0",
            "mandate-INITIAL_FORMS": "0",
            "assessments-TOTAL_FORMS": "1",
            "assessments-INITIAL_FORMS": "0",
            "assessments-0-status": "ongoing",
        }
    )
    response = client.post(url, data)

    assert response.status_code == 200
    (assessments,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "assessments"
    ]
    assert assessments.errors[0].keys() >= {"as_of", "rationale"}
    assert not paragraph.assessments.exists()


def test_an_administrator_restores_a_deleted_note_from_the_admin(client, editor, administrator):
    note = NoteFactory(state=NoteState.PUBLISHED, paragraphs=[ParagraphFactory()], title="Deleted by mistake")
    pk = note.pk
    note.delete()
    deleted_url = reverse("admin:resolutions_implementationnote_deleted")

    assert signed_in(client, editor).get(deleted_url).status_code == 403
    client = signed_in(client, administrator)
    assert "Deleted by mistake" in client.get(deleted_url).content.decode()
    response = client.post(deleted_url, {"note": pk})

    assert response.status_code == 302
    restored = ImplementationNote.objects.get(pk=pk)
    assert restored.state == NoteState.DRAFT
    assert restored.history.first().history_user == administrator


# No lost update


def test_the_second_of_two_concurrent_saves_is_refused_and_says_what_changed(client, editor, reviewer):
    note = NoteFactory(state=NoteState.DRAFT, paragraphs=[ParagraphFactory()], title="Start")
    first, second = note_form(note, title="Edna's title"), note_form(note, body="Rita's body")

    assert signed_in(client, editor).post(change_url(note), first).status_code == 302
    response = signed_in(client, reviewer).post(change_url(note), second)

    text = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this note while you were editing it" in text
    assert "title (by edna" in text
    assert "Rita&#x27;s body" in text or "Rita's body" in text  # her edit is still in the form
    note.refresh_from_db()
    assert (note.title, note.body) == ("Edna's title", "Staff met the Governments of the region.")

    # Having looked, she saves again (the form now carries the version she has seen): both edits are kept.
    again = {**second, "title": "Edna's title", "loaded_version": note.version}
    assert client.post(change_url(note), again).status_code == 302
    note.refresh_from_db()
    assert (note.title, note.body) == ("Edna's title", "Rita's body")


# Fast data entry


def test_the_paragraph_admin_page_starts_a_note_pre_filled_with_the_paragraph(client, editor, administrator):
    paragraph = ParagraphFactory()
    page = signed_in(client, administrator).get(
        reverse("admin:resolutions_paragraph_change", args=[paragraph.pk])
    )
    link = re.search(r'href="([^"]+\?paragraphs=\d+)"', page.content.decode())[1]

    form = signed_in(client, editor).get(link).context["adminform"].form
    assert [str(pk) for pk in form.initial["paragraphs"]] == [str(paragraph.pk)]


@pytest.mark.parametrize("term", ["77/273 op 2", "A/RES/77/273 op. 2", "a/res/77/273 paragraph 2"])
def test_paragraph_autocomplete_understands_a_citation(client, editor, seeded, term):
    response = signed_in(client, editor).get(
        reverse("admin:autocomplete"),
        {
            "app_label": "resolutions",
            "model_name": "implementationnote",
            "field_name": "paragraphs",
            "term": term,
        },
    )

    assert [item["text"] for item in response.json()["results"]] == ["A/RES/77/273 op 2"]


def test_the_markdown_preview_is_sanitised(client, editor):
    response = signed_in(client, editor).post(
        reverse("admin:resolutions_implementationnote_preview"), {"text": "**Met** <script>alert(1)</script>"}
    )

    assert "<strong>Met</strong>" in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_the_change_list_filters_by_state_paragraph_country_theme_author_and_date(client, reviewer):
    from resolutions.models import Country

    Country.objects.get_or_create(alpha3="KAZ", defaults={"alpha2": "KZ", "name": "Kazakhstan"})
    for _ in range(2):  # a filter shows when there is a choice to make
        note = NoteFactory(paragraphs=[ParagraphFactory()], countries=["KAZ"], author=reviewer)
        note.themes.add(ThemeFactory())
    page = signed_in(client, reviewer).get(changelist_url()).content.decode()
    for heading in ["state", "resolution", "paragraphs", "countries", "themes", "author", "start date"]:
        assert f"By {heading}" in page, heading


# Import a resolution from the admin


def test_an_administrator_imports_a_resolution_after_seeing_what_was_parsed(client, administrator):
    url = reverse("admin:resolutions_resolution_import")
    client = signed_in(client, administrator)
    with SEED.open("rb") as upload:
        preview = client.post(url, {"file": upload, "format": "auto"})

    text = preview.content.decode()
    assert "A/RES/77/273" in text and "operative paragraphs" in text
    assert not Resolution.objects.exists()  # nothing written before confirmation
    confirm = preview.context["confirm_form"]
    response = client.post(url, {"confirm": "1", "text": confirm.initial["text"], "format": "auto"})

    resolution = Resolution.objects.get(symbol="A/RES/77/273")
    assert response.status_code == 302
    parsed = parse_all(SEED.read_text(encoding="utf-8"))[0]
    assert Paragraph.objects.operative().filter(resolution=resolution).count() == len(parsed.operative) > 0


def confirm_as_a_browser_does(client, preview):
    """Post the preview's confirmation form as a browser would: its enctype, its line breaks as CR LF."""
    html = preview.content.decode()
    form = re.search(r'<form method="post" enctype="([^"]+)">[^<]*<input type="hidden" name="csrf', html)
    assert form and form.group(1) == "multipart/form-data"  # a URL-encoded form would triple non-ASCII
    confirm = preview.context["confirm_form"]
    text = confirm.initial["text"].replace("\n", "\r\n")
    return client.post(
        reverse("admin:resolutions_resolution_import"), {"confirm": "1", "text": text, "format": "auto"}
    )


def test_a_file_at_the_stated_limit_passes_the_preview_and_the_confirmation(client, administrator, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from resolutions.forms import max_import_bytes

    client = signed_in(client, administrator)
    seed = SEED.read_text(encoding="utf-8")
    # Blank lines: each weighs two bytes once the browser sends it back as CR LF.
    padding = (max_import_bytes() - len(seed.encode()) - len(seed.splitlines()) - 1000) // 2
    upload = SimpleUploadedFile("big.md", (seed + "\n" * padding).encode())
    preview = client.post(reverse("admin:resolutions_resolution_import"), {"file": upload, "format": "auto"})
    assert "What the file holds" in preview.content.decode()

    response = confirm_as_a_browser_does(client, preview)

    assert response.status_code == 302, response.content[:500]
    assert Resolution.objects.filter(symbol="A/RES/77/273").exists()


@pytest.mark.parametrize(
    "padding",
    [3_200_000, 1_400_000],
    ids=["3.2 MB file", "1.4 MB file whose confirmation would weigh 2.8 MB"],
)
def test_a_file_the_confirmation_could_not_carry_is_refused_at_the_preview(client, administrator, padding):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("big.md", (SEED.read_text(encoding="utf-8") + "\n" * padding).encode())
    response = signed_in(client, administrator).post(
        reverse("admin:resolutions_resolution_import"), {"file": upload, "format": "auto"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "The file is too large to import here" in page and "at most 2.5\xa0MB" in page
    assert "manage.py import_resolution" in page
    assert "Confirm the import" not in page
    assert not Resolution.objects.exists()


def test_the_upload_form_states_the_limit_it_enforces(client, administrator):
    page = (
        signed_in(client, administrator).get(reverse("admin:resolutions_resolution_import")).content.decode()
    )

    assert "(at most 2.5\xa0MB)" in page and "20 MB" not in page


def test_a_file_that_is_not_a_resolution_is_refused_with_a_message_and_nothing_written(client, administrator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = signed_in(client, administrator).post(
        reverse("admin:resolutions_resolution_import"),
        {"file": SimpleUploadedFile("notes.txt", b"A shopping list\n\nmilk\n"), "format": "auto"},
    )

    assert response.status_code == 200
    assert "It cannot be imported" in response.content.decode()
    assert not Resolution.objects.exists()


def test_an_editor_may_not_import_resolutions(client, editor):
    assert signed_in(client, editor).get(reverse("admin:resolutions_resolution_import")).status_code == 403


# Sign-in protection


def test_repeated_failed_sign_ins_lock_the_account_out(client, editor, settings):
    login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": "edna", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")

    response = client.post(login, {"username": "edna", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_behind_a_trusted_proxy_the_lockout_is_of_the_callers_address_not_the_proxys(
    client, editor, settings
):
    settings.NUM_PROXIES = 1
    login = reverse("admin:login")
    behind_proxy = {"REMOTE_ADDR": "10.1.1.1"}
    for n in range(settings.AXES_FAILURE_LIMIT):
        # The attacker rotates what it writes in X-Forwarded-For; the proxy appends its real address.
        client.post(
            login,
            {"username": "edna", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.66",
            **behind_proxy,
        )
    attacker = client.post(
        login, {"username": "edna", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.66", **behind_proxy
    )
    edna = client.post(
        login,
        {"username": "edna", "password": PASSWORD, "next": "/admin/"},
        HTTP_X_FORWARDED_FOR="203.0.113.7",
        **behind_proxy,
    )

    assert attacker.status_code == 429
    assert edna.status_code == 302  # the same proxy, another address: not locked out


def test_a_correct_password_signs_in_before_the_limit(client, editor):
    client.post(reverse("admin:login"), {"username": "edna", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    response = client.post(
        reverse("admin:login"),
        {"username": "edna", "password": PASSWORD, "next": "/admin/"},
        REMOTE_ADDR="10.0.0.9",
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_staff_sessions_expire(settings):
    assert 0 < settings.SESSION_COOKIE_AGE <= 24 * 60 * 60


def test_reverting_to_a_published_version_from_the_history_does_not_publish(client, editor):
    note = NoteFactory(state=NoteState.PUBLISHED, paragraphs=[ParagraphFactory()], title="As published")
    published_version = note.history.first()
    note.transition(NoteState.DRAFT, UserFactory(is_superuser=True))
    client = signed_in(client, editor)
    url = reverse("admin:resolutions_implementationnote_simple_history", args=[note.pk, published_version.pk])
    form = client.get(url).context["adminform"].form

    response = client.post(url, {**note_form(note), "loaded_version": form["loaded_version"].value()})

    assert response.status_code == 302
    note.refresh_from_db()
    assert note.state == NoteState.DRAFT
    assert note.history.first().history_user == editor


def test_an_editor_cannot_bring_back_a_deleted_note_through_the_history(client, editor):
    note = NoteFactory(state=NoteState.PUBLISHED, paragraphs=[ParagraphFactory()])
    pk, last, data = note.pk, note.history.first(), note_form(note)
    note.delete()
    url = reverse("admin:resolutions_implementationnote_simple_history", args=[pk, last.pk])

    response = signed_in(client, editor).post(url, data)

    assert response.status_code == 403
    assert not ImplementationNote.objects.filter(pk=pk).exists()


def test_a_note_links_to_its_public_page_from_the_admin(client, reviewer):
    note = NoteFactory(state=NoteState.PUBLISHED, paragraphs=[ParagraphFactory()])
    page = signed_in(client, reviewer).get(change_url(note)).content.decode()

    assert "View on site" in page


def test_the_notes_change_list_costs_the_same_with_20_rows_as_with_1(
    client, reviewer, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def note():
        made = NoteFactory(paragraphs=[ParagraphFactory()], countries=["KAZ"], author=UserFactory())
        made.themes.add(ThemeFactory())

    note()
    client = signed_in(client, reviewer)
    client.get(changelist_url())
    with CaptureQueriesContext(connection) as one_row:
        client.get(changelist_url())
    for _ in range(19):
        note()

    with django_assert_num_queries(len(one_row)):
        response = client.get(changelist_url())
    assert response.context["cl"].result_count == 20


def test_signed_in_staff_start_a_note_from_the_public_paragraph_page(client, django_user_model, seeded):
    from resolutions.models import Paragraph

    op1 = Paragraph.objects.operative().get(resolution=seeded, number="1")
    link = f"/admin/resolutions/implementationnote/add/?paragraphs={op1.pk}"
    assert link not in client.get(op1.get_absolute_url()).text  # the public sees no staff link

    client.force_login(django_user_model.objects.create_user("ed", "ed@example.org", "x" * 12, is_staff=True))

    assert link in client.get(op1.get_absolute_url()).text


def test_a_body_over_the_limit_is_a_form_error_and_nothing_is_saved(client, editor):
    note = NoteFactory(state=NoteState.DRAFT, paragraphs=[ParagraphFactory()], author=editor)

    response = signed_in(client, editor).post(change_url(note), note_form(note, body="x" * 20_001))

    assert response.status_code == 200
    assert "at most 20000 characters, and it has 20001" in response.content.decode()
    note.refresh_from_db()
    assert note.body == "Staff met the Governments of the region."


def test_who_may_only_view_a_paragraph_cannot_revert_it_from_its_history(client, editor):
    paragraph = ParagraphFactory(text="the original words;")
    old = paragraph.history.first()
    paragraph.text = "the corrected words;"
    paragraph.save()
    url = reverse("admin:resolutions_paragraph_simple_history", args=[paragraph.pk, old.pk])

    response = signed_in(client, editor).post(url, {"text": "the original words;", "kind": "operative"})

    assert response.status_code == 403
    paragraph.refresh_from_db()
    assert paragraph.text == "the corrected words;"
