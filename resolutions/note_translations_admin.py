"""Translations of notes in the admin (resolutions/note_translations.py): written beside the note, on its
page (an inline), and reviewed on their own page, with the moves of every reviewed item (ReviewedAdmin).

Each path records its write with Reviewed.record_edit, as the note's do: a change to a published
translation sends it back to review, and its translator cannot publish it. Imported at the end of
resolutions/admin.py, which adds the inline to the note's admin.
"""

from django import forms
from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from resolutions.admin import ReviewedAdmin
from resolutions.forms import MarkdownWidget
from resolutions.note_translations import NoteTranslation
from resolutions.workflow import EditorialState


class RecordedTranslations(BaseInlineFormSet):
    """The inline's forms: a new translation is its translator's; every one written is recorded."""

    request = None  # set by NoteTranslationInline.get_formset

    def save_new(self, form, commit=True):
        form.instance.author = self.request.user
        return super().save_new(form, commit)

    def save(self, commit=True):
        saved = super().save(commit)
        for each in saved:
            if each.record_edit(self.request.user):
                messages.warning(
                    self.request,
                    gettext(
                        "The translation “%(translation)s” was published; this change sends it back to "
                        "review until another person publishes it."
                    )
                    % {"translation": each},
                )
        return saved


class NoteTranslationInline(admin.StackedInline):
    model = NoteTranslation
    formset = RecordedTranslations
    fields = ["language", "title", "body", "state"]
    readonly_fields = ["state"]
    extra = 0
    show_change_link = True  # its own page: where it is submitted, published, sent back or withdrawn
    verbose_name_plural = _("Translations (each changed and reviewed on its own page: “View”)")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request = request  # a class made for this request by inlineformset_factory
        return formset

    def has_change_permission(self, request, obj=None):
        """Written beside the note only when new: a translation held is read here and changed on its own
        page ("View" leads there). The note's form guards the note's version alone, so a stale note
        form would otherwise write back an older text over a correction made on that page since."""
        return False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # A plain textarea: the live preview (MarkdownWidget) is drawn once, on the rows the page opens
        # with, not on those "Add another" makes. The translation's own page has it.
        if db_field.name == "body":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 8, "class": "vLargeTextField"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(NoteTranslation)
class NoteTranslationAdmin(ReviewedAdmin):
    item_name = "translation"
    list_display = ["title", "language", "note", "state", "author", "updated_at"]
    list_filter = ["state", "language"]
    list_select_related = ["note", "author"]
    search_fields = ["title", "body", "note__title"]
    autocomplete_fields = ["note"]
    fields = ["note", "language", "title", "body", "original", "state", "author", "last_edited_by"]
    readonly_fields = ["original", "state", "author", "last_edited_by"]
    history_list_display = ["state"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = MarkdownWidget
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("The note as written"))
    def original(self, translation):
        """What the reviewer compares the translation with: the note's own title and body."""
        if translation.note_id is None:
            return "—"
        note = translation.note
        state = "" if note.state == EditorialState.PUBLISHED else f" ({note.get_state_display().lower()})"
        return format_html(
            '<div lang="{}"><strong>{}</strong>{}<div class="note-body">{}</div></div>',
            note.language,
            note.title,
            state,
            mark_safe(note.body_html),  # sanitised when the note was saved
        )
