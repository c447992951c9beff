"""Issue 17: every public page in each of the six UN languages, with no interface string left in
English where the catalogue translates it, in the right lang and dir; and catalogues that are whole
(no untranslated, no fuzzy entry)."""

import re
from functools import cache
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from lxml import html

from resolutions import alerts
from resolutions.models import Country, Entity, ImplementationNote, Series, Theme
from tests.factories import SubscriptionFactory

LOCALE = Path(settings.BASE_DIR) / "locale"
OTHER_LANGUAGES = ["ar", "zh", "fr", "ru", "es"]
RIGHT_TO_LEFT = {"ar"}

# Elements whose whole text is one interface sentence (a translation may put inline elements in it).
SENTENCES = "|".join(
    f"//{tag}"
    for tag in [
        "p",
        "li",
        "a",
        "button",
        "label",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "th",
        "td",
        "dt",
        "dd",
        "legend",
        "option",
        "summary",
        "caption",
        "title",
    ]
)
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


@cache
def catalogue(language):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


@cache
def untranslated_forms(language):
    """English sentences the catalogue translates into something else, as patterns a page's text may
    show when they were left untranslated ({placeholders} match any words)."""
    patterns = []
    for entry in catalogue(language):
        if entry.msgid_plural or entry.obsolete or not entry.msgstr or entry.msgstr == entry.msgid:
            continue
        english = " ".join(entry.msgid.split())
        if not re.search(r"[A-Za-z]{3}", re.sub(r"%\(\w+\)[sd]|\{\w+\}", "", english)):
            continue  # no word to translate ("%(count)s", "API", "CSV")
        pattern = re.escape(english)
        pattern = re.sub(r"%\\\(\w+\\\)[sd]|\\\{\w+\\\}", ".{1,60}?", pattern)
        patterns.append(re.compile(pattern))
    return patterns


@cache
def translations(language):
    """Every translation the catalogue holds, as a page shows it."""
    found = set()
    for entry in catalogue(language):
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            found.add(" ".join(text.split()))
    return found


def interface_language(element):
    """The language an element's words are in: its own lang or its nearest ancestor's."""
    for node in element.iterancestors() if not element.get("lang") else ():
        if node.get("lang"):
            return node.get("lang")
    return element.get("lang")


def own_text(element, language):
    """The pieces of text inside `element` that are in the interface's language: a descendant marked
    with another language (a language's own name in the switch, a resolution's English words) is
    left out, its tail kept."""
    pieces = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):  # a comment
            pieces.append(child.tail or "")
            continue
        if child.get("lang") and child.get("lang") != language:
            pieces.append(child.tail or "")
            continue
        pieces += own_text(child, language)
        pieces.append(child.tail or "")
    return pieces


def english_left(page, language):
    """Interface words of `page` (an lxml tree) still in English though the catalogue translates them:
    [(what, text)]. Text in another language (a resolution's English words, marked lang="en") is
    content, not interface, and is not looked at."""
    forms = untranslated_forms(language)
    translated = translations(language)
    found = []

    def check(what, text):
        text = " ".join(text.split())
        # (A translation may spell another English string: French "Cite" is "Cites".)
        if text and text not in translated and any(form.fullmatch(text) for form in forms):
            found.append((what, text))

    for element in page.xpath(SENTENCES):
        if interface_language(element) == language:
            pieces = own_text(element, language)
            check(element.tag, "".join(pieces))
            for piece in pieces:
                check(element.tag + " text", piece)
    for name in ATTRIBUTES:
        for element in page.xpath(f"//*[@{name}]"):
            if interface_language(element) == language:
                check(name, element.get(name))
    return found


def public_pages():
    """(name, address) of every public page, the seed loaded."""
    note = ImplementationNote.objects.published().first()
    paragraph = note.paragraphs.select_related("resolution").first()
    symbol = paragraph.resolution.symbol
    subscription = SubscriptionFactory()
    pages = {
        "home": reverse("resolutions:home"),
        "resolutions": reverse("resolutions:resolution-list"),
        "resolutions filtered": reverse("resolutions:resolution-list") + "?body=GA&ordering=-symbol",
        "most cited": reverse("resolutions:most-cited"),
        "resolution": reverse("resolutions:resolution-detail", args=[symbol]),
        "citations": reverse("resolutions:resolution-citations", args=[symbol]),
        "changes": reverse("resolutions:resolution-changes", args=[symbol]),
        "resolution dashboard": reverse("resolutions:resolution-dashboard", args=[symbol]),
        "report": reverse("resolutions:resolution-report", args=[symbol]),
        "paragraph": paragraph.get_absolute_url(),
        "dashboard": reverse("resolutions:dashboard"),
        "search": reverse("resolutions:search") + "?q=Central+Asia",
        "search, nothing found": reverse("resolutions:search") + "?q=zzzzqqq",
        "notes": reverse("resolutions:note-list"),
        "notes filtered": reverse("resolutions:note-list") + "?country=KAZ&ordering=start_date",
        "notes report": reverse("resolutions:notes-report"),
        "note": note.get_absolute_url(),
        "mandates": reverse("resolutions:mandate-list"),
        "country": Country.objects.filter(notes__isnull=False).first().get_absolute_url(),
        "theme": Theme.objects.first().get_absolute_url(),
        "entity": Entity.objects.first().get_absolute_url(),
        "alerts": reverse("resolutions:alert-manage-request"),
        "alerts sent": reverse("resolutions:alert-manage-requested"),
        "subscribe": reverse("resolutions:alert-subscribe") + "?topic=notes",
        "subscribe sent": reverse("resolutions:alert-requested"),
        "confirm": reverse("resolutions:alert-confirm", args=[alerts.confirm_token(subscription)]),
        "manage": reverse("resolutions:alert-manage", args=[alerts.manage_token(subscription.email)]),
        "unsubscribe": reverse(
            "resolutions:alert-unsubscribe", args=[alerts.unsubscribe_token(subscription)]
        ),
        "not found": "/resolutions/A/RES/1/999999/",
    }
    if series := Series.objects.filter(resolutions__isnull=False).first():
        pages["series"] = reverse("resolutions:series-detail", args=[series.slug])
    return pages


def in_language(address, language):
    return address if language == settings.LANGUAGE_CODE else f"/{language}{address}"


def test_every_language_of_the_un_has_a_whole_catalogue():
    for language in OTHER_LANGUAGES:
        entries = catalogue(language)
        assert len(entries) > 300, language
        assert [e.msgid for e in entries.untranslated_entries()] == [], language
        assert [e.msgid for e in entries.fuzzy_entries()] == [], language
        assert settings.LANGUAGES == settings.UN_LANGUAGES or language in dict(settings.LANGUAGES)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", *OTHER_LANGUAGES])
def test_every_public_page_speaks_the_interfaces_language(client, seeded, language):
    failures = []
    for name, address in public_pages().items():
        response = client.get(in_language(address, language))
        expected = 404 if name == "not found" else 200
        if response.status_code != expected:
            failures.append((name, "status", response.status_code))
            continue
        page = html.fromstring(response.content)
        header = page.xpath("//header[@class='site-header']")[0]
        if interface_language(header) != language:
            failures.append((name, "lang", interface_language(header)))
        direction = header.get("dir") or page.get("dir")
        if direction != ("rtl" if language in RIGHT_TO_LEFT else "ltr"):
            failures.append((name, "dir", direction))
        if language != "en":
            failures += [(name, what, text) for what, text in english_left(page, language)]
    assert failures == [], "\n".join(map(str, failures))


@pytest.mark.django_db
@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_the_feeds_speak_the_interfaces_language(client, seeded, language):
    with translation.override(language):
        expected = translation.gettext("Implementation notes")
    assert expected != "Implementation notes", language
    feed = client.get(in_language(reverse("resolutions:feed-notes"), language))
    assert feed.status_code == 200
    assert expected in feed.content.decode()


def test_the_walk_finds_an_interface_string_left_in_english_and_not_a_text_in_english():
    page = html.fromstring(
        '<html lang="ru"><body><main><h2>Implementation notes</h2>'
        '<p lang="en">Implementation notes</p><p>Записи <span lang="en">Implementation notes</span></p>'
        "</main></body></html>"
    )
    assert english_left(page, "ru") == [("h2", "Implementation notes"), ("h2 text", "Implementation notes")]


def test_check_messages_fails_on_a_string_no_catalogue_translates_and_leaves_the_catalogues_alone(
    tmp_path, settings
):
    """`make check`'s check, on a small project of its own: one string translated, one new."""
    from django.core.management import CommandError, call_command

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text(
        '{% load i18n %}{% translate "Implementation notes" %} {% translate "A string added today" %}'
    )
    po = tmp_path / "locale" / "ru" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Implementation notes"\nmsgstr "Записи об осуществлении"\n',
        encoding="utf-8",
    )
    before = po.read_text(encoding="utf-8")
    settings.BASE_DIR = tmp_path

    with pytest.raises(CommandError) as refused:
        call_command("check_messages")

    assert "ru: untranslated: 'A string added today'" in str(refused.value)
    assert "Implementation notes" not in str(refused.value)
    assert po.read_text(encoding="utf-8") == before
