"""Forms: the public search form; the staff forms of the admin (the note form, with a live Markdown
preview, paragraphs named by their text, and no lost update; resolution import)."""

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.template.defaultfilters import filesizeformat
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from resolutions import search
from resolutions.importer import FORMAT_NAMES, FORMATS
from resolutions.models import FOOTNOTE_MARKER, Body, ImplementationNote

# Room for the confirmation form's other fields (CSRF token, format, button) and its multipart framing.
CONFIRM_FORM_OVERHEAD = 16 * 1024


class SearchForm(forms.Form):
    """The search page's question: words, and optionally the kind of result and where to look."""

    q = forms.CharField(
        label=_("Words to find in resolutions, paragraphs and published implementation notes"),
        required=False,
        # Longer input is refused with a message, not cut: maxlength is the browser's hint only.
        widget=forms.TextInput(attrs={"type": "search", "maxlength": search.MAX_QUERY_LENGTH}),
    )
    kind = forms.ChoiceField(
        label=_("Show"), required=False, choices=[("", _("Everything")), *search.KINDS.items()]
    )
    body = forms.ChoiceField(
        label=pgettext_lazy("UN organ", "Body"), required=False, choices=[("", _("Any")), *Body.choices]
    )
    session = forms.CharField(
        label=_("Session"),
        required=False,
        max_length=20,
        help_text=_("e.g. 77; for the Security Council, a year."),
    )

    def clean_q(self):
        query = self.cleaned_data["q"].strip()
        if len(query) > search.MAX_QUERY_LENGTH:
            raise forms.ValidationError(
                _("Please search with at most %(limit)d characters."),
                code="max_length",
                params={"limit": search.MAX_QUERY_LENGTH},
            )
        if query and not search.terms(query):
            raise forms.ValidationError(_("Please search with at least one word or number."), code="no_terms")
        return query

    def clean_session(self):
        return self.cleaned_data["session"].strip()


def max_import_bytes():
    """The largest file the admin imports: what its confirmation step can send back.

    The text travels in the confirmation form (nothing is kept on the server between the two
    steps), and Django refuses a request whose form fields are over DATA_UPLOAD_MAX_MEMORY_SIZE, so
    this one limit is checked at the upload, before the preview: a file that passes it confirms.
    A larger file imports with `manage.py import_resolution`.
    """
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE - CONFIRM_FORM_OVERHEAD


def confirmation_bytes(text):
    """What the text weighs in the confirmation: browsers send a form's line breaks as CR LF."""
    return len(text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8"))


def too_large(size):
    return forms.ValidationError(
        _(
            "The file is too large to import here (%(size)s; at most %(limit)s). "
            "Import it with `manage.py import_resolution`."
        ),
        code="too_large",
        params={"size": filesizeformat(size), "limit": filesizeformat(max_import_bytes())},
    )


class MarkdownWidget(forms.Textarea):
    """A textarea with a live preview beside it: the body as the public will see it (sanitised), redrawn
    as the user types (markdown_preview.js)."""

    class Media:
        js = ["resolutions/admin/markdown_preview.js"]

    def __init__(self, attrs=None):
        super().__init__(
            {
                "rows": 14,
                "class": "vLargeTextField markdown-body",
                "data-preview-url": reverse_lazy("admin:resolutions_implementationnote_preview"),
                **(attrs or {}),
            }
        )


LABEL_WORDS = 12  # the first words of a paragraph's text that name it in a list of choices


def _words(text):
    return FOOTNOTE_MARKER.sub("", text).split()


def paragraph_text(paragraph):
    """The paragraph as the UN prints it, its lead phrase included, without footnote markers."""
    return " ".join(_words(paragraph.full_text()))


def paragraph_label(paragraph, term=""):
    """How a paragraph is offered as a choice: its citation and the first words of its text
    ("A/RES/77/273 op 1 \u2014 Encourages the Regional Centre to \u2026"); when `term` (a searched word)
    appears only further on, the words up to it too, so that staff see why it was found."""
    words = _words(paragraph.full_text())
    shown = " ".join(words[:LABEL_WORDS])
    end = LABEL_WORDS
    needle = term.casefold().strip()
    hit = next((i for i, word in enumerate(words) if needle in word.casefold()), None) if needle else None
    if hit is not None and hit >= LABEL_WORDS:
        start, end = max(LABEL_WORDS, hit - 4), hit + 5
        shown += (" " if start == LABEL_WORDS else " \u2026 ") + " ".join(words[start:end])
    return f"{paragraph} \u2014 {shown}" + (" \u2026" if end < len(words) else "")


class ParagraphChoiceField(forms.ModelMultipleChoiceField):
    """The note's paragraphs, each named by paragraph_label (also the chosen ones the form shows)."""

    def label_from_instance(self, paragraph):
        return paragraph_label(paragraph)


class ChoicesWithoutClearAll(AutocompleteSelectMultiple):
    """The admin's autocomplete without its "clear all" button: select2 puts that button inside the
    list of chosen items, which is then no list to assistive technology (axe: "list"); each chosen item
    keeps its own ×."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        return {**super().build_attrs(base_attrs, extra_attrs), "data-allow-clear": "false"}


class ParagraphAutocomplete(ChoicesWithoutClearAll):
    """The admin's autocomplete, asking the paragraph admin's own view for choices that show the
    paragraph's text and search it (admin.ParagraphChoicesView)."""

    def get_url(self):
        return reverse("admin:resolutions_paragraph_choices")


class NoteAdminForm(forms.ModelForm):
    """Refuses a save made from an older version of the note, saying what changed meanwhile."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ImplementationNote
        # In the order a person fills them: what it implements, what happened, when, with whom.
        fields = [
            "paragraphs",
            "title",
            "kind",
            "start_date",
            "end_date",
            "body",
            "entities",
            "countries",
            "themes",
            "is_demo",
        ]
        widgets = {"body": MarkdownWidget}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # From the database, not the instance: the history's "Revert" form holds an old version.
            stored = ImplementationNote.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
            self.fields["loaded_version"].initial = stored.first()

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        loaded = cleaned.get("loaded_version")
        # Lock the row until this save commits (the admin's change view is one transaction),
        # so two saves at the same moment cannot both pass this check.
        current = (
            ImplementationNote.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if loaded is not None and current is not None and loaded != current:
            changed = "; ".join(self.instance.changes_since(loaded))
            # Keep the user's edits in the form and let the next save go through once they have looked.
            self.data = self.data.copy()
            self.data[self.add_prefix("loaded_version")] = current
            raise forms.ValidationError(
                _(
                    "Someone else saved this note while you were editing it, so your changes are not saved "
                    "yet. Changed meanwhile: %(changed)s. Your edits are still in the form below: compare "
                    "them with the note's History, then save again to keep yours."
                ),
                code="stale",
                params={"changed": changed},
            )
        return cleaned


class ResolutionImportForm(forms.Form):
    file = forms.FileField(label=_("File of the resolution"))
    format = forms.ChoiceField(
        label=_("Its format"),
        choices=[("auto", _("Recognise it from the file")), *((fmt, FORMAT_NAMES[fmt]) for fmt in FORMATS)],
        initial="auto",
        required=False,
        help_text=_("Leave it to be recognised unless the preview shows the wrong format."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "UN XML (Akoma Ntoso), the text of the official PDF, or Markdown, in UTF-8 (at most %(limit)s)."
        ) % {"limit": filesizeformat(max_import_bytes())}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_import_bytes():
            raise too_large(upload.size)
        data = upload.read()
        if not data.strip():
            raise forms.ValidationError(_("The file is empty."), code="empty")
        if b"\x00" in data[:4096]:
            raise forms.ValidationError(
                _("The file is binary, not text: upload XML, Markdown or the PDF's text."), code="binary"
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                _("The file is not UTF-8 text (byte %(position)d)."),
                code="encoding",
                params={"position": error.start},
            ) from error
        if confirmation_bytes(text) > max_import_bytes():
            raise too_large(confirmation_bytes(text))
        return text


class ResolutionImportConfirmForm(forms.Form):
    """The text shown in the preview, sent back on confirmation (nothing is kept on the server).

    Its template posts it as multipart/form-data: the text goes as it is, where a URL-encoded form
    would send every non-ASCII byte as three (a resolution in Arabic or Russian, three times its size).
    """

    text = forms.CharField(widget=forms.HiddenInput, strip=False)
    format = forms.CharField(widget=forms.HiddenInput, required=False)
