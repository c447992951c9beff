"""Staff forms of the admin: the note form (Markdown preview, no lost update) and resolution import."""

from django import forms
from django.urls import reverse_lazy

from resolutions.importer import FORMATS
from resolutions.models import ImplementationNote

MAX_IMPORT_BYTES = 20 * 1024 * 1024


class MarkdownWidget(forms.Textarea):
    """A textarea with a Preview button that shows the body as the public will see it (sanitised)."""

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


class NoteAdminForm(forms.ModelForm):
    """Refuses a save made from an older version of the note, saying what changed meanwhile."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ImplementationNote
        fields = [
            "title",
            "kind",
            "start_date",
            "end_date",
            "body",
            "paragraphs",
            "countries",
            "entities",
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
                "Someone else saved this note while you were editing it, so your changes are not saved yet. "
                f"Changed meanwhile: {changed}. Your edits are still in the form below: compare them with "
                "the note's History, then save again to keep yours.",
                code="stale",
            )
        return cleaned


class ResolutionImportForm(forms.Form):
    file = forms.FileField(
        help_text="Akoma Ntoso XML, the text of the official PDF, or Markdown, in UTF-8 (at most 20 MB)."
    )
    format = forms.ChoiceField(
        choices=[("auto", "Detect"), *((fmt, fmt) for fmt in FORMATS)], initial="auto", required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("The file is larger than 20 MB.")
        data = upload.read()
        if not data.strip():
            raise forms.ValidationError("The file is empty.")
        if b"\x00" in data[:4096]:
            raise forms.ValidationError(
                "The file is binary, not text: upload XML, Markdown or the PDF's text."
            )
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(f"The file is not UTF-8 text (byte {error.start}).") from error


class ResolutionImportConfirmForm(forms.Form):
    """The text shown in the preview, sent back on confirmation (nothing is kept on the server)."""

    text = forms.CharField(widget=forms.HiddenInput, strip=False)
    format = forms.CharField(widget=forms.HiddenInput, required=False)
