"""Translations of implementation notes: a note's title and body in another of the UN's six languages,
each reviewed like the note itself, and what the public reads of them.

- A note is written in one language (ImplementationNote.language); a NoteTranslation gives its title
  and body in another, one per language. A translation is Reviewed (resolutions/workflow.py) on its
  own: its translator (its author), whoever last changed it and whoever submitted it cannot publish
  it, and a change to a published translation sends it back to review. It does not send the note
  back: the note's public content is its own text.
- A translation follows its note (ImplementationNote.followers): when the note's reviewed content
  changes, its published translations go back to review, since they translate the old text; their
  history records the move, by whoever changed the note.
- The public reads a translation only while it and its note are both published
  (NoteTranslationQuerySet.published(), the one rule every page and the API go through). A page
  shows a note in the interface's language where such a translation exists (note.shown: ShownNote),
  saying so and linking to the original (?original=1); else the note's own text, marked with its
  language where that is not the page's.

Imported by resolutions/models.py, so that Django finds the model in the app's models module.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from resolutions.markup import render_markdown
from resolutions.models import (
    HISTORY_APP,
    NOTE_BODY_MAX_LENGTH,
    ImplementationNote,
    ImplementationNoteQuerySet,
    LengthLimit,
)
from resolutions.workflow import EditorialState, Reviewed

# "Translated from …" in each language a note may be written in: a whole sentence each, so that a
# translator can decline the language's name as their grammar needs ("Переведено с английского").
TRANSLATED_FROM = {
    "ar": _("Translated from Arabic"),
    "zh": _("Translated from Chinese"),
    "en": _("Translated from English"),
    "fr": _("Translated from French"),
    "ru": _("Translated from Russian"),
    "es": _("Translated from Spanish"),
}


def interface_language():
    """The interface's language as a note's language is written: "zh" for Django's "zh-hans"."""
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()


def is_right_to_left(language):
    return language in settings.LANGUAGES_BIDI


def lang_attributes(language, interface):
    """` lang="…"` (and `dir`, where the direction differs) for words in `language` on a page whose
    interface is in `interface`; nothing where they are the same. Used by notes shown here and by
    the template tag text_lang (a resolution's words, search hits)."""
    if not language or language == interface:
        return ""
    direction = is_right_to_left(language)
    if direction == is_right_to_left(interface):
        return format_html(' lang="{}"', language)
    return format_html(' lang="{}" dir="{}"', language, "rtl" if direction else "ltr")


class NoteTranslationQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: published translations of published notes."""
        return self.filter(
            ImplementationNoteQuerySet.visible(prefix="note__"), state=EditorialState.PUBLISHED
        )


def translations_prefetch(everyone=False):
    """The Prefetch of a list of notes' published translations (ImplementationNote.with_links): every one
    (note.translation_list), or only those into the interface's language (what note.shown reads)."""
    translations = NoteTranslation.objects.published().only(
        "id", "note_id", "language", "title", "body", "body_html", "updated_at"
    )
    if everyone:
        return Prefetch("translations", queryset=translations, to_attr="_translation_list")
    return Prefetch(
        "translations",
        queryset=translations.filter(language=interface_language()),
        to_attr="_shown_translations",
    )


class NoteTranslation(Reviewed):
    """A note's title and body in another language (reviewed: resolutions/workflow.py)."""

    note = models.ForeignKey(
        ImplementationNote, on_delete=models.CASCADE, related_name="translations", verbose_name=_("note")
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.UN_LANGUAGES,
        help_text=_("The language it is translated into: one translation a language, not the note's own."),
    )
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(
        _("body"),
        blank=True,
        validators=[LengthLimit(NOTE_BODY_MAX_LENGTH)],
        help_text=_("Markdown, as the note's body. Rendered sanitised on public pages."),
    )
    body_html = models.TextField(
        blank=True, editable=False, help_text="The body as sanitised HTML, made from the Markdown on save."
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="note_translations",
        verbose_name=_("translator"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NoteTranslationQuerySet.as_manager()
    history = HistoricalRecords(app=HISTORY_APP, excluded_fields=["body_html", "content_fingerprint"])

    class Meta:
        ordering = ["note", "language"]
        verbose_name = _("note translation")
        verbose_name_plural = _("note translations")
        constraints = [
            models.UniqueConstraint(fields=["note", "language"], name="one_translation_a_language"),
        ]
        permissions = [("publish_notetranslation", "Can publish, send back and withdraw note translations")]

    def __str__(self):
        return f"{self.title} ({self.language})"

    def save(self, *args, **kwargs):
        # Derived fields only: the rendered body is made here once rather than on every request.
        self.body_html = render_markdown(self.body)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.note.get_absolute_url()

    def clean(self):
        try:
            note = self.note
        except ObjectDoesNotExist:  # the form names no note yet: its own error says so
            return
        if self.language and self.language == note.language:
            raise ValidationError(
                {"language": _("The note itself is written in this language: translate it into another.")}
            )
        if note.body.strip() and not self.body.strip():
            raise ValidationError({"body": _("Translate the note's body too: the public reads both.")})

    # The editorial rule is Reviewed's (resolutions/workflow.py); what a translation adds to it:

    reviewed_name = _("a translation")

    def reviewed_content(self):
        return [self.note_id, self.language, self.title, self.body]


class ShownNote:
    """What a page shows of a note in the interface's language: the title and body of its published
    translation into that language when there is one (and the page did not ask for the original), else
    its own. `lang` is the attributes (lang, and dir where it differs) for the elements that hold the
    text, empty when it is in the interface's language."""

    def __init__(self, note, language):
        self.interface_language = language
        self.note_pk = note.pk
        self.original_language = note.language
        wanted = language != note.language and not note.show_original
        self.translation = published_translation(note, language) if wanted else None
        shown = self.translation or note
        self.title, self.body_html, self.language = shown.title, shown.body_html, shown.language
        # The page asked for the original where a translation exists: it offers the translation back.
        self.translation_offered = (
            note.show_original
            and language != note.language
            and published_translation(note, language) is not None
        )

    @classmethod
    def of(cls, note):
        """The note's ShownNote, made once a note and a language (a page reads it several times)."""
        language = interface_language()
        cached = note.__dict__.get("_shown")
        if cached is None or cached.interface_language != language:
            cached = note.__dict__["_shown"] = cls(note, language)
        return cached

    @property
    def notice(self):
        """The line under a note's title on its page: "Translated from English — show the original" (a
        link to ?original=1), or back from the original to the translation; empty for a note shown in
        its own language with no translation to offer."""
        if self.translation is not None:
            return format_html(
                '{} — <a href="?original=1">{}</a>',
                TRANSLATED_FROM.get(self.original_language, ""),
                _("show the original"),
            )
        if self.translation_offered:
            return format_html(
                '{} — <a href="{}">{}</a>',
                _("The original text"),
                reverse("resolutions:note-detail", args=[self.note_pk]),
                _("show the translation"),
            )
        return ""

    @property
    def lang(self):
        return lang_attributes(self.language, self.interface_language)


def published_translation(note, language):
    """The note's published translation into `language`, from a list's prefetch, else read now."""
    for prefetched in ("_shown_translations", "_translation_list"):
        if prefetched in note.__dict__:
            return next((each for each in note.__dict__[prefetched] if each.language == language), None)
    return NoteTranslation.objects.published().filter(note=note, language=language).first()
