"""Notes in several languages (resolutions/note_translations.py): each translation reviewed like the note
itself, shown to readers of its language while it and its note are published, and in the API."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from resolutions import routes
from resolutions.models import ImplementationNote, NoteState, NoteTranslation
from resolutions.workflow import EDITORS, FOLLOWED_CHANGED_BACK_TO_REVIEW, REVIEWERS
from tests.factories import NoteFactory, ParagraphFactory, staff_member

pytestmark = pytest.mark.django_db

D, R, P, W = NoteState.DRAFT, NoteState.IN_REVIEW, NoteState.PUBLISHED, NoteState.WITHDRAWN
TWO = [("en", "English"), ("ru", "Русский")]
THREE = [("ar", "العربية"), ("en", "English"), ("ru", "Русский")]

TITLE, BODY = "Consultations in Almaty", "Staff met the Governments of the region."
RU_TITLE, RU_BODY = "Консультации в Алматы", "Сотрудники встретились с правительствами стран региона."


@pytest.fixture(autouse=True)
def _links_made_afresh():
    """resolutions.routes keeps each route's path once made: made under /ru/ here, it would give later
    tests Russian links (until it keeps one a language)."""
    yield
    routes._template.cache_clear()


@pytest.fixture
def languages(settings):
    settings.LANGUAGES = TWO


@pytest.fixture
def editor():
    return staff_member("editor", username="edna")


@pytest.fixture
def reviewer():
    return staff_member("reviewer", username="rita")


def a_note(state=P, **fields):
    return NoteFactory(
        state=state, paragraphs=[ParagraphFactory()], **{"title": TITLE, "body": BODY, **fields}
    )


def translated(note=None, state=P, language="ru", title=RU_TITLE, body=RU_BODY):
    """A translation as if reviewed already (its content recorded, no editor), in `state`."""
    note = note or a_note()
    each = NoteTranslation.objects.create(note=note, language=language, title=title, body=body, state=state)
    each.seal_content()
    return each


def address(name, language, *args):
    with translation.override(language):
        return reverse(name, args=args)


def note_page(note, language):
    return address("resolutions:note-detail", language, note.pk)


# ---- what the public reads ----------------------------------------------------------------------------


def test_a_reader_of_russian_reads_the_published_russian_translation_and_a_reader_of_english_the_original(
    client, languages
):
    note = translated().note

    russian = client.get(note_page(note, "ru")).content.decode()
    english = client.get(note_page(note, "en")).content.decode()
    original = client.get(note_page(note, "ru") + "?original=1").content.decode()

    # The page is in Russian, and so is the text: no lang of its own.
    assert f"<h1>{RU_TITLE}</h1>" in russian
    assert f'<div class="note-body"><p>{RU_BODY}</p></div>' in russian
    assert f"<title>{RU_TITLE} · " in russian
    with translation.override("ru"):
        notice = (
            f'{gettext("Translated from English")} — <a href="?original=1">{gettext("show the original")}</a>'
        )
    assert notice in russian and "Translated from English" not in russian
    assert TITLE not in russian
    # The English page is the original, as it was before notes had translations.
    assert f"<h1>{TITLE}</h1>" in english
    assert f'<div class="note-body"><p>{BODY}</p></div>' in english
    assert RU_TITLE not in english and "Translated from" not in english
    # The original asked for on the Russian page: in English, marked so, with the way back.
    assert f'<h1 lang="en">{TITLE}</h1>' in original
    assert f'<div class="note-body" lang="en"><p>{BODY}</p></div>' in original
    with translation.override("ru"):
        back = f'{gettext("The original text")} — <a href="{note_page(note, "ru")}">{gettext("show the translation")}</a>'
    assert back in original
    assert RU_TITLE not in original


def test_the_original_shown_on_a_page_in_another_language_carries_its_language_and_direction(
    client, settings
):
    settings.LANGUAGES = THREE
    note = a_note()
    russian_note = a_note(language="ru", title=RU_TITLE, body=RU_BODY)
    translated(russian_note, language="en", title="Consultations in Almaty, in English", body="Translated.")

    arabic = client.get(note_page(note, "ar")).content.decode()
    russian = client.get(note_page(note, "ru")).content.decode()
    english = client.get(note_page(russian_note, "en")).content.decode()
    arabic_of_russian = client.get(note_page(russian_note, "ar")).content.decode()

    assert f'<h1 lang="en" dir="ltr">{TITLE}</h1>' in arabic
    assert f'<h1 lang="en">{TITLE}</h1>' in russian
    assert "translation-notice" not in arabic + russian  # nothing translated, nothing to offer
    assert "<h1>Consultations in Almaty, in English</h1>" in english
    assert 'Translated from Russian — <a href="?original=1">show the original</a>' in english
    assert f'<h1 lang="ru" dir="ltr">{RU_TITLE}</h1>' in arabic_of_russian


def test_lists_show_each_note_in_the_readers_language(client, languages):
    note = translated().note
    other = a_note(title="Training in Dushanbe")

    for page in ("resolutions:note-list", "resolutions:home"):
        russian = client.get(address(page, "ru")).content.decode()
        english = client.get(address(page, "en")).content.decode()
        assert f'/{note.pk}/">{RU_TITLE}</a></h3>' in russian, page
        assert f'/{other.pk}/" lang="en">Training in Dushanbe</a></h3>' in russian, page
        assert f'/{note.pk}/">{TITLE}</a></h3>' in english, page
        assert RU_TITLE not in english, page


@pytest.mark.parametrize("state", [D, R, W])
def test_a_translation_not_published_is_shown_on_no_page_and_in_no_api_answer(client, languages, state):
    note = translated(state=state).note
    pages = [
        note_page(note, "ru"),
        address("resolutions:note-list", "ru"),
        address("resolutions:home", "ru"),
        reverse("api:note-detail", args=[note.pk]),
        reverse("api:note-list"),
        reverse("api:note-list") + "?format=csv",
    ]

    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert RU_TITLE not in content.decode(), page
    assert client.get(reverse("api:note-detail", args=[note.pk])).json()["translations"] == []


@pytest.mark.parametrize("note_state", [D, R, W])
def test_a_published_translation_of_a_note_not_published_is_not_public(client, languages, note_state):
    note = translated(a_note(state=note_state)).note

    assert client.get(note_page(note, "ru")).status_code == 404
    assert RU_TITLE not in client.get(address("resolutions:note-list", "ru")).content.decode()
    assert client.get(reverse("api:note-detail", args=[note.pk])).status_code == 404
    assert not NoteTranslation.objects.published().exists()


def test_the_api_gives_a_notes_language_and_its_published_translations(client):
    note = translated().note
    translated(note, state=D, language="fr", title="Consultations à Almaty", body="Brouillon.")

    detail = client.get(reverse("api:note-detail", args=[note.pk])).json()
    [row] = client.get(reverse("api:note-list")).json()["results"]

    expected = [{"language": "ru", "title": RU_TITLE, "body": RU_BODY, "body_html": f"<p>{RU_BODY}</p>"}]
    assert detail["language"] == row["language"] == "en"
    assert detail["translations"] == row["translations"] == expected
    assert detail["title"] == TITLE  # the note's own words, whatever language the request prefers
    russian = client.get(reverse("api:note-detail", args=[note.pk]), HTTP_ACCEPT_LANGUAGE="ru").json()
    assert russian["title"] == TITLE


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_list_costs_the_same_queries_with_1_or_20_translated_notes(client, languages):
    translated()
    pages = [address("resolutions:note-list", "ru"), address("resolutions:note-list", "en")]
    pages.append(reverse("api:note-list"))
    # Pages are cached: count them made, not served.
    one = {page: queries(client, page + "?page=1&fresh=1") for page in pages}
    for _ in range(19):
        translated(translated().note, language="ar", title="مشاورات", body="نص")

    many = {page: queries(client, page + "?page=1&fresh=2") for page in pages}

    assert many == one


def test_publishing_a_translation_makes_the_cached_pages_stale(client, languages, settings, reviewer):
    settings.PAGE_CACHE_SECONDS = 300
    each = translated(state=R)
    page = note_page(each.note, "ru")
    assert RU_TITLE not in client.get(page).content.decode()

    each.transition(P, reviewer)

    assert f"<h1>{RU_TITLE}</h1>" in client.get(page).content.decode()


# ---- the editorial rule, on translations ----------------------------------------------------------------


def written_by(translator, note=None, **fields):
    """A translation made as staff make one: written, its edit recorded, submitted by its translator."""
    each = NoteTranslation(
        note=note or a_note(), language="ru", title=RU_TITLE, body=RU_BODY, author=translator, **fields
    )
    each.full_clean()
    each._history_user = translator  # as the admin's request does
    each.save()
    each.record_edit(translator)
    each.transition(R, translator)
    return each


def test_the_translator_cannot_publish_their_own_translation_nor_an_editor_any(editor, reviewer):
    other_reviewer = staff_member("reviewer", username="rob")
    own = written_by(reviewer)

    with pytest.raises(ValidationError, match="its author cannot publish it"):
        own.transition(P, reviewer)
    assert P not in own.allowed_transitions(reviewer)
    with pytest.raises(PermissionDenied):
        own.transition(P, editor)

    own.transition(P, other_reviewer)
    assert NoteTranslation.objects.published().get() == own


def test_whoever_last_changed_a_translation_cannot_publish_it(editor, reviewer):
    each = written_by(editor)
    each.title = "Консультации в Алматы и Бишкеке"
    each.save()
    each.record_edit(reviewer)

    with pytest.raises(ValidationError, match="whoever last changed its content"):
        each.transition(P, reviewer)


def test_a_change_to_a_published_translation_sends_it_back_to_review(editor, reviewer):
    each = written_by(editor)
    each.transition(P, reviewer)

    each.body = "Другие слова."
    each.save()
    assert each.record_edit(editor) is True

    each.refresh_from_db()
    assert each.state == R
    assert not NoteTranslation.objects.published().exists()
    # The note itself stays published: its own content did not change.
    assert ImplementationNote.objects.get(pk=each.note_id).state == P


def test_editing_the_note_sends_its_published_translations_back_to_review_and_records_it(reviewer):
    note = a_note()
    note.seal_content()
    russian = translated(note)
    french = translated(note, state=D, language="fr", title="Consultations à Almaty", body="Le personnel.")

    note.edit(reviewer, body="Staff met the Governments of the region and its civil society.")

    russian.refresh_from_db()
    french.refresh_from_db()
    assert (russian.state, french.state) == (R, D)
    move = russian.transitions()[-1]
    assert (move.state, move.history_user, move.history_change_reason) == (
        R,
        reviewer,
        FOLLOWED_CHANGED_BACK_TO_REVIEW,
    )
    assert not NoteTranslation.objects.published().exists()
    # Whoever changed the note sent the translation back: another person publishes it again.
    with pytest.raises(ValidationError, match="whoever submitted it"):
        russian.transition(P, reviewer)
    russian.transition(P, staff_member("reviewer", username="rob"))


def test_saving_the_note_unchanged_leaves_its_translations_published(editor):
    note = a_note()
    note.seal_content()
    russian = translated(note)

    note.edit(editor, title=note.title)

    russian.refresh_from_db()
    assert russian.state == P


def test_a_change_of_the_notes_language_is_a_change_of_its_content(editor):
    note = a_note()
    note.seal_content()
    english_digest = note.content_fingerprint

    assert note.edit(editor, language="ru") is True
    assert note.content_fingerprint != english_digest
    assert ImplementationNote.objects.get(pk=note.pk).state == R


def test_the_history_records_each_move_of_a_translation(editor, reviewer):
    each = written_by(editor)
    each.transition(P, reviewer)
    each.transition(W, reviewer, comment="Outdated")

    moves = [(m.state, m.history_user.username, m.history_change_reason) for m in each.transitions()]
    assert moves == [
        (D, "edna", None),
        (R, "edna", "Submitted for review"),
        (P, "rita", "Published"),
        (W, "rita", "Outdated"),
    ]


def test_a_translation_is_into_another_language_than_the_notes_and_one_a_language():
    note = a_note()
    translated(note)

    with pytest.raises(ValidationError) as own_language:
        NoteTranslation(note=note, language="en", title="Same", body="Same").full_clean()
    assert "language" in own_language.value.message_dict
    with pytest.raises(ValidationError) as second:
        NoteTranslation(note=note, language="ru", title="Ещё", body="Ещё").full_clean()
    assert "__all__" in second.value.message_dict
    with pytest.raises(ValidationError) as no_body:
        NoteTranslation(note=note, language="fr", title="Sans corps", body="").full_clean()
    assert "body" in no_body.value.message_dict


def test_editors_translate_and_reviewers_publish_translations():
    editors = set(Group.objects.get(name=EDITORS).permissions.values_list("codename", flat=True))
    reviewers = set(Group.objects.get(name=REVIEWERS).permissions.values_list("codename", flat=True))

    assert {"add_notetranslation", "change_notetranslation", "view_notetranslation"} <= editors
    assert not {"publish_notetranslation", "delete_notetranslation"} & editors
    assert {"publish_notetranslation", "delete_notetranslation"} <= reviewers


# ---- the admin ----------------------------------------------------------------------------------------


def note_form(note, *translations, **changes):
    """The note's change form as the browser posts it, with its translations' inline."""
    data = {
        "title": note.title,
        "kind": note.kind,
        "language": note.language,
        "start_date": str(note.start_date),
        "body": note.body,
        "paragraphs": [p.pk for p in note.paragraphs.all()],
        "loaded_version": ImplementationNote.objects.get(pk=note.pk).version,
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
        "translations-TOTAL_FORMS": str(len(translations)),
        "translations-INITIAL_FORMS": str(sum(1 for each in translations if each.get("id"))),
    }
    for index, each in enumerate(translations):
        data.update({f"translations-{index}-{name}": value for name, value in each.items()})
        data[f"translations-{index}-note"] = note.pk
    data.update(changes)
    return data


def test_a_translation_written_on_the_notes_page_is_its_translators_draft(client, editor):
    note = a_note(author=editor)
    note.seal_content()
    client.force_login(editor)
    url = reverse("admin:resolutions_implementationnote_change", args=[note.pk])
    assert 'id="translations-group"' in client.get(url).content.decode()

    response = client.post(url, note_form(note, {"language": "ru", "title": RU_TITLE, "body": RU_BODY}))

    assert response.status_code == 302, response.content.decode()[:3000]
    each = NoteTranslation.objects.get()
    assert (each.author, each.last_edited_by, each.state) == (editor, editor, D)
    assert each.body_html == f"<p>{RU_BODY}</p>"
    assert not each.content_changed()
    assert ImplementationNote.objects.get(pk=note.pk).state == P  # the note's own content is unchanged


def test_a_translation_held_is_read_only_on_the_notes_page_so_a_stale_note_form_cannot_write_it_back(
    client, editor
):
    """The note's form guards the note's version alone: a translation corrected on its own page since
    the note's form was opened must not be overwritten by it. On the note's page a translation held
    is shown, with a link to its own page, where it is changed and reviewed."""
    each = translated()
    note = each.note
    note.seal_content()
    client.force_login(editor)
    url = reverse("admin:resolutions_implementationnote_change", args=[note.pk])
    page = client.get(url).content.decode()
    assert reverse("admin:resolutions_notetranslation_change", args=[each.pk]) in page
    assert 'name="translations-0-title"' not in page
    stale = {"id": each.pk, "language": "ru", "title": "An older wording of the translation", "body": RU_BODY}

    client.post(url, note_form(note, stale), follow=True)

    each.refresh_from_db()
    assert (each.state, each.title) == (P, RU_TITLE)


def test_a_translation_is_submitted_and_published_on_its_own_page_by_two_people(client, editor, reviewer):
    each = NoteTranslation.objects.create(note=a_note(), language="ru", title=RU_TITLE, body=RU_BODY)
    each.author = editor
    each.save()
    each.record_edit(editor)
    url = reverse("admin:resolutions_notetranslation_change", args=[each.pk])
    form = {"note": each.note_id, "language": "ru", "title": RU_TITLE, "body": RU_BODY}

    client.force_login(editor)
    page = client.get(url).content.decode()
    assert 'value="in_review"' in page and 'value="published"' not in page
    assert TITLE in page  # the note as written, beside its translation
    client.post(url, {**form, "_transition": "in_review"})
    each.refresh_from_db()
    assert each.state == R
    assert 'value="published"' not in client.get(url).content.decode()

    client.force_login(reviewer)
    assert 'value="published"' in client.get(url).content.decode()
    client.post(url, {**form, "_transition": "published"})
    each.refresh_from_db()
    assert each.state == P


def test_a_note_cannot_take_the_language_of_one_of_its_translations(editor):
    each = translated()
    note = each.note

    with pytest.raises(ValidationError) as refused:
        note.edit(editor, language="ru")

    assert "language" in refused.value.message_dict
    note.refresh_from_db()
    each.refresh_from_db()
    assert (note.language, note.state, each.state) == ("en", P, P)  # nothing written
    note.edit(editor, language="fr")  # a language it has no translation into
    assert ImplementationNote.objects.get(pk=note.pk).language == "fr"
