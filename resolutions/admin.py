import re
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import display_for_field
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin as BaseHistoryAdmin

from resolutions import (
    accounts_admin,  # noqa: F401  (registers the staff account and token admins)
    alerts_admin,  # noqa: F401  (registers the e-mail alert subscriptions' admins)
    lineage_admin,  # noqa: F401  (registers the series links and the carry-forward)
    search,
)
from resolutions.forms import (
    ChoicesWithoutClearAll,
    NoteAdminForm,
    ParagraphAutocomplete,
    ParagraphChoiceField,
    ResolutionImportConfirmForm,
    ResolutionImportForm,
    paragraph_label,
    paragraph_text,
)
from resolutions.importer import FORMAT_NAMES, OFFICIAL_LANGUAGES, NotAResolution, ParseError, parse_all
from resolutions.importer.loader import LoadRefused, already_loaded, load, outranked
from resolutions.mandates import ADDRESSEE_CHOICES
from resolutions.markup import render_markdown
from resolutions.models import (
    FOOTNOTE_MARKER,
    Assessment,
    Country,
    CountryVote,
    Entity,
    Footnote,
    ImplementationNote,
    Mandate,
    MandateOrigin,
    NoteKind,
    NoteSource,
    NoteState,
    Paragraph,
    ParagraphKind,
    ParagraphText,
    Reference,
    Resolution,
    ResolutionText,
    Series,
    Subject,
    Theme,
)
from resolutions.spreadsheets import NoteResource
from resolutions.spreadsheets_admin import NoteSpreadsheetMixin
from resolutions.workflow import RESTORE_PERMISSION

admin.site.site_header = _("Resolution Tracker")
admin.site.site_title = _("Resolution Tracker admin")
admin.site.index_title = _("Resolutions and implementation")

PREVIEW_CHARACTERS = 160


def cut_at_word(text, limit=PREVIEW_CHARACTERS):
    """The text's first `limit` characters or fewer, ending at a whole word, with "…" if cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[: limit + 1] else text[:limit]
    return cut.rstrip(" ,;:") + "\u2026"


def agenda_item(item):
    """An agenda item as the landing page lists it: "item 138: Title", or what of it there is."""
    number, title = item.get("number", ""), item.get("title", "")
    if title:
        return gettext("item %(number)s: %(title)s") % {"number": number, "title": title}
    return (gettext("item %(number)s") % {"number": number}).strip()


class SimpleHistoryAdmin(BaseHistoryAdmin):
    """History pages for anyone who may view; a "Revert" only for those who may change the row
    (django-simple-history saves a revert for anyone who may see the history)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    fields = ["order", "kind", "number", "lead_phrase", "text", "annex"]
    extra = 0
    show_change_link = True
    fk_name = "resolution"
    classes = ["collapse"]


class FootnoteInline(admin.TabularInline):
    model = Footnote
    fields = ["language", "marker", "text"]
    extra = 0


class ResolutionTextInline(admin.StackedInline):
    model = ResolutionText
    fields = ["language", "title", "source_format", "imported_at", "source_text"]
    readonly_fields = ["source_format", "imported_at", "source_text"]
    extra = 0
    classes = ["collapse"]
    verbose_name_plural = _("Language versions (as imported)")


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Resolution)
class ResolutionAdmin(SimpleHistoryAdmin):
    list_display = [
        "symbol_column",
        "title",
        "body",
        "session_column",
        "adopted_on",
        "adoption_method",
        "language_list",
    ]
    list_filter = ["body", "session", "adoption_method", "series", "texts__language", "subjects__scheme"]
    search_fields = ["symbol", "title"]
    date_hierarchy = "adopted_on"
    inlines = [ResolutionTextInline, ParagraphInline, FootnoteInline]
    readonly_fields = ["language_list", "created_at", "updated_at"]
    autocomplete_fields = ["subjects"]
    ordering = ["-adopted_on", "sort_key"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "symbol",
                    "body",
                    "session",
                    "number",
                    "title",
                    "series",
                    "language",
                    "language_list",
                ]
            },
        ),
        (
            _("Adoption"),
            {
                "fields": [
                    "agenda_items",
                    "adopted_on",
                    "distributed_on",
                    "meeting",
                    "draft_symbol",
                    "committee_report",
                    "adoption_method",
                    ("votes_yes", "votes_no", "votes_abstain"),
                    "enacting_formula",
                    "sponsors",
                    "subjects",
                ]
            },
        ),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("texts")

    # Sorted in natural order (77/2 before 77/10) by the stored keys.
    @admin.display(description=_("Symbol"), ordering="sort_key")
    def symbol_column(self, resolution):
        return resolution.symbol

    @admin.display(description=_("Session"), ordering="session_key")
    def session_column(self, resolution):
        return resolution.session

    @admin.display(description=_("Languages"))
    def language_list(self, resolution):
        return ", ".join(resolution.languages)

    # Import from a file: upload, see what was parsed, confirm. The text travels in the confirmation
    # form, so nothing is kept on the server between the two steps.

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="resolutions_resolution_import",
            ),
            path(
                "<path:object_id>/imported/",
                self.admin_site.admin_view(self.imported_view),
                name="resolutions_resolution_imported",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import": request.user.has_perm("resolutions.import_resolution"),
        }
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not request.user.has_perm("resolutions.import_resolution"):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import a resolution"),
        }
        if request.method == "POST" and "confirm" in request.POST:
            confirm = ResolutionImportConfirmForm(request.POST)
            if confirm.is_valid():
                return self._import_confirmed(request, confirm.cleaned_data, context)
            form = ResolutionImportForm()
        elif request.method == "POST":
            form = ResolutionImportForm(request.POST, request.FILES)
            if form.is_valid():
                text, fmt = form.cleaned_data["file"], form.cleaned_data["format"] or "auto"
                try:
                    documents = parse_all(text, fmt)
                except ParseError as error:
                    form.add_error("file", gettext("It cannot be imported: %(error)s.") % {"error": error})
                else:
                    context["documents"] = [self._preview(parsed, text) for parsed in documents]
                    context["confirm_form"] = ResolutionImportConfirmForm(
                        initial={"text": text, "format": fmt}
                    )
        else:
            form = ResolutionImportForm()
        context["form"] = form
        return TemplateResponse(request, "admin/resolutions/resolution/import.html", context)

    def _import_confirmed(self, request, data, context):
        try:
            documents = parse_all(data["text"], data["format"] or "auto")
            with transaction.atomic():
                results = [load(parsed) for parsed in documents]
        except (ParseError, LoadRefused, DatabaseError) as error:
            if isinstance(error, NotAResolution):
                refusal = gettext("Nothing was imported (not a resolution): %(error)s")
            else:
                refusal = gettext("Nothing was imported (refused): %(error)s")
            context["form"] = ResolutionImportForm()
            context["import_error"] = refusal % {"error": error}
            return TemplateResponse(request, "admin/resolutions/resolution/import.html", context)
        for result in results:
            self.log_change(request, result.resolution, f"Imported from a file ({result.outcome}).")
            messages.success(request, result.sentence())
        landing = reverse("admin:resolutions_resolution_imported", args=[results[0].resolution.pk])
        others = sorted({result.resolution.pk for result in results[1:]} - {results[0].resolution.pk})
        return HttpResponseRedirect(landing + (f"?with={','.join(map(str, others))}" if others else ""))

    # What the document states: shown on the landing page, changed only by importing a corrected document.
    DOCUMENT_FIELDS = [
        "symbol",
        "body",
        "session",
        "number",
        "title",
        "adopted_on",
        "meeting",
        "draft_symbol",
        "committee_report",
        "adoption_method",
        "distributed_on",
        "enacting_formula",
    ]

    def imported_view(self, request, object_id):
        """The landing page after an import: the resolution as the document gave it, read-only."""
        resolution = self.get_object(request, object_id)
        if resolution is None:
            raise Http404(gettext("No such resolution."))
        if not self.has_view_permission(request, resolution):
            raise PermissionDenied
        rows = []
        for name in self.DOCUMENT_FIELDS:
            field = Resolution._meta.get_field(name)
            value = getattr(resolution, name)
            if value in ("", None):
                continue
            shown = display_for_field(value, field, "")
            rows.append((field.verbose_name.capitalize(), shown))
        if resolution.votes_yes is not None:
            votes = gettext("%(yes)s in favour, %(no)s against, %(abstain)s abstentions") % {
                "yes": resolution.votes_yes,
                "no": resolution.votes_no or 0,
                "abstain": resolution.votes_abstain or 0,
            }
            rows.append((gettext("Votes"), votes))
        agenda = "; ".join(agenda_item(item) for item in resolution.agenda_items or [])
        if agenda:
            rows.append((gettext("Agenda items"), agenda))
        others = [
            other
            for other in Resolution.objects.filter(pk__in=re.findall(r"\d+", request.GET.get("with", "")))
            if other.pk != resolution.pk
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("%(symbol)s is in the tracker") % {"symbol": resolution.symbol},
            "resolution": resolution,
            "document_rows": rows,
            "texts": [
                (OFFICIAL_LANGUAGES.get(text.language, text.language), text.imported_at)
                for text in resolution.texts.order_by("language")
            ],
            "preambular": resolution.paragraphs.filter(
                kind=ParagraphKind.PREAMBULAR, parent__isnull=True, annex=""
            ).count(),
            "operative": resolution.paragraphs.operative().count(),
            "others": others,
            "can_change": self.has_change_permission(request, resolution),
            "can_import": request.user.has_perm("resolutions.import_resolution"),
        }
        return TemplateResponse(request, "admin/resolutions/resolution/imported.html", context)

    @staticmethod
    def _preview(parsed, text):
        """What staff check before confirming: counts, first lines and what looks wrong."""
        warnings = []
        existing = Resolution.objects.filter(symbol=parsed.symbol).first()
        held = existing and existing.texts.filter(language=parsed.language).first()
        if parsed.symbol in already_loaded(text):
            warnings.append(gettext("This very text is already imported: confirming changes nothing."))
        elif held and (reason := outranked(parsed, held)):
            warnings.append(gettext("%(reason)s: confirming changes nothing.") % {"reason": reason})
        elif existing:
            warnings.append(
                gettext("%(symbol)s is already in the tracker: confirming updates it (notes are kept).")
                % {"symbol": parsed.symbol}
            )
        if not parsed.adopted_on:
            warnings.append(gettext("No adoption date was found."))
        if not parsed.title:
            warnings.append(gettext("No title was found."))
        numbers = [paragraph.number for paragraph in parsed.operative]
        if numbers != [str(n) for n in range(1, len(numbers) + 1)]:
            warnings.append(
                gettext("Operative paragraphs are not numbered 1 to %(count)s: %(numbers)s.")
                % {"count": len(numbers), "numbers": ", ".join(numbers[:20])}
            )
        cited = {
            marker
            for paragraph in parsed.preambular + parsed.operative
            for marker in FOOTNOTE_MARKER.findall(paragraph.text)
        }
        missing = sorted(cited - {footnote.marker for footnote in parsed.footnotes})
        if missing:
            warnings.append(
                gettext("Footnote markers without a footnote: %(markers)s.") % {"markers": ", ".join(missing)}
            )
        return {
            "parsed": parsed,
            "existing": existing,
            "subparagraphs": sum(len(paragraph.subparagraphs) for paragraph in parsed.operative),
            "annex_paragraphs": sum(len(annex.paragraphs) for annex in parsed.annexes),
            "format_name": FORMAT_NAMES.get(parsed.source_format, gettext("recognised from the file")),
            "first_preambular": [cut_at_word(f"{p.lead_phrase} {p.text}") for p in parsed.preambular[:3]],
            "first_operative": [
                cut_at_word(f"{p.number}. {p.lead_phrase} {p.text}") for p in parsed.operative[:5]
            ],
            "warnings": warnings,
        }


class AssessmentInline(admin.TabularInline):
    """The paragraph's status history, newest first; the newest is its current status everywhere."""

    model = Assessment
    fields = ["as_of", "status", "rationale", "state", "author", "last_edited_by"]
    readonly_fields = ["state", "author", "last_edited_by"]
    extra = 0
    verbose_name_plural = _(
        "Status history (assessments, newest first: the newest published one is the current status; "
        "new and changed ones go to review in Assessments)"
    )


class ParagraphTextInline(admin.TabularInline):
    model = ParagraphText
    fields = ["language", "lead_phrase", "text"]
    extra = 0


# "77/273 op 2", "A/RES/77/273 op. 2", "S/RES/2504 (2020) para 1": a symbol, then a paragraph number.
PARAGRAPH_CITATION = re.compile(r"^(?P<symbol>.*?\S)\s+(?:op\.?|para(?:graph)?\.?)\s*(?P<number>\w+)$", re.I)


def of_symbol(symbol):
    """Rows of the resolution `symbol` names, in full or by its end ("77/273")."""
    symbol = re.sub(r"\s+", " ", symbol.strip())
    return Q(resolution__symbol__iexact=symbol) | Q(resolution__symbol__iendswith=f"/{symbol}")


def cited_paragraphs(queryset, term):
    """The paragraph a citation such as "77/273 op 2" names, or None when `term` names none."""
    match = PARAGRAPH_CITATION.match(term.strip())
    if match:
        cited = queryset.filter(
            of_symbol(match["symbol"]), number__iexact=match["number"], parent__isnull=True
        )
        if cited.exists():
            return cited
    return None


def paragraphs_for_a_note(queryset, term):
    """The choices a note's paragraph field offers for `term`: the paragraph a citation names
    ("77/273 op 2"); a resolution's paragraphs, in order, for its symbol ("77/273"); otherwise the
    paragraphs whose text has the words, best first, through the search index (resolutions.search:
    its cost is bounded by search.POOL whatever the number of matches)."""
    term = term.strip()
    if not term:
        return queryset
    cited = cited_paragraphs(queryset, term)
    if cited is not None:
        return cited
    if "/" in term:
        of_resolution = queryset.filter(of_symbol(term))
        if of_resolution.exists():
            return of_resolution
    ranked = search.rank(queryset, term, filtered=False)
    return queryset.filter(pk__in=ranked.ids).order_by(search.rank_order(Paragraph, ranked.ids))


class ParagraphChoicesView(AutocompleteJsonView):
    """The note form's paragraph autocomplete: a resolution's own numbered operative paragraphs (those
    implementation is tracked against), found by citation, symbol or words of their text, each named
    by its citation and first words, with its whole text for the form to show beside it."""

    def process_request(self, request):
        term, model_admin, source_field, to_field_name = super().process_request(request)
        if model_admin.model is not Paragraph:
            raise PermissionDenied
        return term, model_admin, source_field, to_field_name

    def get_queryset(self):
        queryset = (
            self.model_admin.get_queryset(self.request)
            .complex_filter(self.source_field.get_limit_choices_to())
            .operative()
            .exclude(number="")
            .select_related("resolution")
        )
        return paragraphs_for_a_note(queryset, self.term)

    def serialize_result(self, paragraph, to_field_name):
        words = search.terms(self.term)
        return {
            "id": str(getattr(paragraph, to_field_name)),
            "text": paragraph_label(paragraph, max(words, key=len) if words else ""),
            "paragraph": paragraph_text(paragraph),
            "url": paragraph.get_absolute_url(),
        }


class MandateForm(forms.ModelForm):
    """Staff correct what the importer read; any change of a fact marks the mandate edited, so that a
    re-import keeps it (set the origin back to "extracted" to have it read from the text again)."""

    addressees = forms.MultipleChoiceField(
        choices=ADDRESSEE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Mandate
        fields = [*Mandate.FACTS, "addressee_entities", "origin"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["addressees"] = self.instance.addressee_keys

    def clean_addressees(self):
        return Mandate.addressee_field(self.cleaned_data["addressees"])

    def has_changed(self):
        return bool(self.changed_data)

    def save(self, commit=True):
        if set(self.changed_data) - {"origin"}:
            self.instance.origin = MandateOrigin.EDITED
        return super().save(commit)


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    """Every paragraph's mandate facts in one list, to filter and check; made by the importer (never
    added here) and corrected here or with their paragraph."""

    form = MandateForm
    list_display = [
        "paragraph",
        "request",
        "addressee_labels",
        "report_session",
        "report_due",
        "recurring",
        "origin",
    ]
    list_filter = ["request", "recurring", "origin"]
    search_fields = ["paragraph__resolution__symbol", "addressee_text"]
    list_select_related = ["paragraph__resolution", "paragraph__parent"]
    readonly_fields = ["paragraph"]
    autocomplete_fields = ["addressee_entities"]

    @admin.display(description=_("Addressees"))
    def addressee_labels(self, mandate):
        return ", ".join(label for _, label, _ in mandate.addressee_list())

    def has_add_permission(self, request):
        return False


class MandateInline(admin.StackedInline):
    model = Mandate
    form = MandateForm
    can_delete = False
    extra = 0
    autocomplete_fields = ["addressee_entities"]


@admin.register(Paragraph)
class ParagraphAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "lead_phrase", "short_text"]
    list_filter = ["kind", "resolution__body", "lead_phrase"]
    list_select_related = ["resolution", "parent__resolution"]
    search_fields = ["resolution__symbol", "number", "lead_phrase", "text"]
    search_help_text = _("A symbol and a paragraph, e.g. “77/273 op 2”, or any words of the text.")
    autocomplete_fields = ["resolution", "parent"]
    readonly_fields = ["add_note", "current_status"]
    inlines = [MandateInline, ParagraphTextInline, AssessmentInline]

    @admin.display(description=_("Text"))
    def short_text(self, paragraph):
        return paragraph.text[:120]

    @admin.display(description=_("Implementation"))
    def add_note(self, paragraph):
        if not paragraph.pk or not paragraph.is_trackable:
            return gettext("Notes are recorded against a resolution's own numbered operative paragraphs.")
        url = reverse("admin:resolutions_implementationnote_add")
        return format_html(
            '<a class="button" href="{}?paragraphs={}">{}</a>',
            url,
            paragraph.pk,
            gettext("Record a note on this paragraph"),
        )

    @admin.display(description=_("Current status"))
    def current_status(self, paragraph):
        assessment = paragraph.current_assessment() if paragraph.pk else None
        if assessment is None:
            return gettext("Not assessed")
        return gettext("%(status)s (as of %(date)s)") % {
            "status": assessment.get_status_display(),
            "date": date_format(assessment.as_of),
        }

    def get_urls(self):
        return [
            path(
                "choices/",
                self.admin_site.admin_view(ParagraphChoicesView.as_view(admin_site=self.admin_site)),
                name="resolutions_paragraph_choices",
            ),
            *super().get_urls(),
        ]

    def get_search_results(self, request, queryset, search_term):
        cited = cited_paragraphs(queryset, search_term)
        if cited is not None:
            return cited, False
        return super().get_search_results(request, queryset, search_term)

    def save_formset(self, request, form, formset, change):
        if formset.model is Assessment:
            for assessment in formset.save(commit=False):
                if assessment.author_id is None:
                    assessment.author = request.user
                assessment.save()
                if assessment.record_edit(request.user):
                    self.message_user(
                        request,
                        gettext(
                            "“%(item)s” was published; this change sends it back to review until another "
                            "person publishes it."
                        )
                        % {"item": assessment},
                        messages.WARNING,
                    )
            for assessment in formset.deleted_objects:
                assessment.delete()
            return
        super().save_formset(request, form, formset, change)


@admin.register(Footnote)
class FootnoteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "text"]
    list_select_related = ["resolution"]
    search_fields = ["resolution__symbol", "text"]
    autocomplete_fields = ["resolution", "paragraphs"]


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["symbol", "resolution", "target"]
    list_select_related = ["resolution", "target"]
    list_filter = [("target", admin.EmptyFieldListFilter)]
    search_fields = ["symbol", "resolution__symbol"]
    autocomplete_fields = ["resolution", "paragraph", "footnote", "target"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "alpha3", "alpha2"]
    search_fields = ["name", "official_name", "alpha3", "alpha2"]


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class NoteSourceInline(admin.TabularInline):
    model = NoteSource
    fields = ["title", "url", "document_symbol"]
    extra = 1

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # A table's row of fields has its column headings for labels, which assistive technology does not
        # tie to the fields: each is named for itself.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in self.fields:
            field.widget.attrs["aria-label"] = gettext("Source: %(field)s") % {"field": db_field.verbose_name}
        return field


class ParagraphListFilter(admin.RelatedOnlyFieldListFilter):
    """The paragraphs that have notes, named with their resolution in one query."""

    def field_choices(self, field, request, model_admin):
        used = model_admin.get_queryset(request).distinct().values_list(f"{self.field_path}__pk", flat=True)
        paragraphs = Paragraph.objects.filter(pk__in=used).select_related("resolution", "parent__resolution")
        return [(paragraph.pk, str(paragraph)) for paragraph in paragraphs]


TRANSITION_BUTTONS = {
    NoteState.IN_REVIEW: _("Save and submit for review"),
    NoteState.PUBLISHED: _("Save and publish"),
    NoteState.DRAFT: _("Save and send back to draft"),
    NoteState.WITHDRAWN: _("Save and withdraw"),
}


def error_text(error):
    return "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)


class ReviewedAdmin(SimpleHistoryAdmin):
    """The admin of reviewed content (notes, assessments). The rule is the model's
    (resolutions/workflow.py): every write, from the form, its inlines or a history "Revert", is
    recorded with Reviewed.record_edit, and every move goes through Reviewed.transition."""

    change_form_template = "admin/resolutions/reviewed_change_form.html"
    # What a bulk move says; ngettext_lazy picks the form by the "count" it is given.
    moved_message = ngettext_lazy(
        "%(count)d item(s) moved to “%(state)s”.", "%(count)d item(s) moved to “%(state)s”.", "count"
    )
    actions = ["submit_for_review", "publish", "send_back_to_draft", "withdraw"]
    # Never from a form: what the workflow writes (and the note's version, which only counts forward).
    kept_fields = {"state": NoteState.DRAFT, "last_edited_by_id": None, "content_fingerprint": ""}

    def has_publish_permission(self, request):
        return request.user.has_perm(f"{self.opts.app_label}.publish_{self.opts.model_name}")

    def _move(self, request, queryset, to_state):
        moved, refused = 0, []
        for item in queryset:
            try:
                item.transition(to_state, request.user)
                moved += 1
            except (PermissionDenied, ValidationError) as error:
                refused.append(gettext("“%(item)s”: %(error)s") % {"item": item, "error": error_text(error)})
        if moved:
            label = NoteState(to_state).label.lower()
            self.message_user(
                request, self.moved_message % {"count": moved, "state": label}, messages.SUCCESS
            )
        if refused:
            self.message_user(
                request, gettext("Not moved: %(refusals)s") % {"refusals": " ".join(refused)}, messages.ERROR
            )

    @admin.action(description=_("Submit selected for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._move(request, queryset, NoteState.IN_REVIEW)

    @admin.action(description=_("Publish selected"), permissions=["publish"])
    def publish(self, request, queryset):
        self._move(request, queryset, NoteState.PUBLISHED)

    @admin.action(description=_("Send selected back to draft"), permissions=["publish"])
    def send_back_to_draft(self, request, queryset):
        self._move(request, queryset, NoteState.DRAFT)

    @admin.action(description=_("Withdraw selected"), permissions=["publish"])
    def withdraw(self, request, queryset):
        self._move(request, queryset, NoteState.WITHDRAWN)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        item = obj or self.model(author=request.user)
        if item.pk:
            allowed = item.allowed_transitions(request.user)
        else:  # a new one is a draft by its author: they may at most submit it
            allowed = {NoteState.IN_REVIEW} if request.user.has_perm(item.permission("change")) else set()
        context["transition_buttons"] = [
            (state, label) for state, label in TRANSITION_BUTTONS.items() if state in allowed
        ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        # Whatever the form holds (a "Revert" from the history holds an old version), the workflow's
        # fields stay as they are: a revert cannot publish an old version, nor pick its last editor.
        current = self.model.objects.filter(pk=obj.pk).values(*self.kept_fields).first() if change else None
        if change and current is None and not request.user.has_perm(RESTORE_PERMISSION):
            raise PermissionDenied(gettext("Only administrators may restore a deleted note."))
        for name, value in (current or self.kept_fields).items():
            setattr(obj, name, value)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self._recorded(request, form.instance)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A revert writes the row, then its links (form.save_m2m): one transaction, then recorded.
        with transaction.atomic():
            response = super().history_form_view(request, object_id, version_id, extra_context)
            if request.method == "POST" and response.status_code == 302:
                self._recorded(request, self.model.objects.get(pk=object_id))
        return response

    def _recorded(self, request, item):
        """After every write: the model's rule records the edit; then the move the user asked for."""
        if item.record_edit(request.user):
            self.message_user(
                request,
                gettext(
                    "It was published; this change sends it back to review until another person publishes it."
                ),
                messages.WARNING,
            )
        to_state = request.POST.get("_transition")
        if to_state and to_state != item.state:
            try:
                item.transition(to_state, request.user)
            except (PermissionDenied, ValidationError) as error:
                self.message_user(
                    request,
                    gettext("Saved, but not moved: %(error)s") % {"error": error_text(error)},
                    messages.ERROR,
                )


# Where a note is after a save, what happens next, and the list that shows it (filtered, with
# the author's own for what waits on them). Said after every save of the note form.
WHERE_NOTES_ARE = {
    NoteState.DRAFT: (
        _(
            "Saved as a draft: “%(note)s”. Only staff can see it; nothing happens to it until you "
            "press “Submit for review”. You will find it under your drafts, listed here."
        ),
        True,
    ),
    NoteState.IN_REVIEW: (
        _(
            "Submitted for review: “%(note)s”. A reviewer will publish it or send it back to you "
            "with a comment; until then you will see it under your notes in review, listed here."
        ),
        True,
    ),
    NoteState.PUBLISHED: (_("Published: “%(note)s” is on the public site now."), False),
    NoteState.WITHDRAWN: (_("Withdrawn: “%(note)s” is no longer on the public site."), False),
}
# The note form's buttons in a person's words; the others are ReviewedAdmin's.
NOTE_BUTTONS = {NoteState.IN_REVIEW: _("Submit for review")}


@admin.register(ImplementationNote)
class ImplementationNoteAdmin(NoteSpreadsheetMixin, ReviewedAdmin):
    form = NoteAdminForm
    change_form_template = "admin/resolutions/implementationnote/change_form.html"
    change_list_template = "admin/resolutions/implementationnote/change_list.html"
    # The title and state first: what a person looks for, and all a phone shows (notes.css).
    list_display = ["title", "state", "start_date", "kind", "paragraph_list", "author", "updated_at"]
    list_filter = [
        "state",
        ("paragraphs__resolution", admin.RelatedOnlyFieldListFilter),
        ("paragraphs", ParagraphListFilter),
        ("countries", admin.RelatedOnlyFieldListFilter),
        ("themes", admin.RelatedOnlyFieldListFilter),
        ("entities", admin.RelatedOnlyFieldListFilter),
        ("author", admin.RelatedOnlyFieldListFilter),
        "start_date",
        "kind",
        "is_demo",
    ]
    list_select_related = ["author"]
    search_fields = ["title", "body"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["paragraphs", "countries", "entities", "themes"]
    readonly_fields = ["state", "author", "last_edited_by", "version", "updated_at"]
    inlines = [NoteSourceInline]
    # In the order a person fills them: the paragraph (often chosen already), what happened and when,
    # then with whom and where; the editorial record folded away.
    fieldsets = [
        (None, {"fields": ["paragraphs", "title", ("kind", "language"), ("start_date", "end_date"), "body"]}),
        (_("With whom and where"), {"fields": ["entities", "countries", "themes"]}),
        (
            _("Editorial"),
            {
                "classes": ["collapse"],
                "fields": [
                    "state",
                    ("author", "last_edited_by"),
                    "is_demo",
                    ("version", "updated_at"),
                    "loaded_version",
                ],
            },
        ),
    ]
    history_list_display = ["state", "version"]
    resource_classes = [NoteResource]
    formats = [CSV, XLSX]
    kept_fields = {**ReviewedAdmin.kept_fields, "version": 1}
    moved_message = ngettext_lazy(
        "%(count)d note(s) moved to “%(state)s”.", "%(count)d note(s) moved to “%(state)s”.", "count"
    )

    class Media:
        css = {"all": ["resolutions/admin/notes.css"]}
        js = ["resolutions/admin/note_form.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("paragraphs__resolution", "paragraphs__parent")

    @admin.display(description=_("Paragraphs"))
    def paragraph_list(self, note):
        return ", ".join(str(paragraph) for paragraph in note.paragraphs.all())

    # Recording a note: paragraphs named by their text, defaults from the author's own notes, the
    # paragraphs' text beside the form, one button per next step and a message saying where it went.

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "paragraphs":
            kwargs["widget"] = ParagraphAutocomplete(db_field, self.admin_site)
            kwargs["form_class"] = ParagraphChoiceField
            kwargs["queryset"] = Paragraph.objects.select_related("resolution", "parent__resolution")
        elif db_field.name in self.autocomplete_fields:
            kwargs["widget"] = ChoicesWithoutClearAll(db_field, self.admin_site)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "paragraphs" in initial:  # ?paragraphs=12 from a paragraph's page; what is no id is ignored
            initial["paragraphs"] = [pk for pk in initial["paragraphs"] if pk.strip().isdigit()]
        kind, entities = ImplementationNote.objects.usual_for(request.user)
        initial.setdefault("kind", kind or NoteKind.MEETING)
        initial.setdefault("start_date", timezone.localdate())
        initial.setdefault("entities", entities)
        return initial

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        chosen = [str(pk) for pk in context["adminform"].form["paragraphs"].value() or []]
        in_view = Paragraph.objects.filter(pk__in=[pk for pk in chosen if pk.isdigit()]).select_related(
            "resolution", "parent__resolution"
        )
        context["paragraphs_in_view"] = [(paragraph, paragraph_text(paragraph)) for paragraph in in_view]
        context["save_label"] = (
            gettext("Save draft") if obj is None or obj.state == NoteState.DRAFT else gettext("Save")
        )
        if add:
            context["title"] = gettext("Record an implementation note")
        response = super().render_change_form(request, context, add, change, form_url, obj)
        # ReviewedAdmin put the moves this user may make in the context the response renders.
        context["transition_buttons"] = [
            (state, NOTE_BUTTONS.get(state, label)) for state, label in context["transition_buttons"]
        ]
        return response

    def response_add(self, request, obj, post_url_continue=None):
        return self._where_it_is(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._where_it_is(request, obj) or super().response_change(request, obj)

    def _where_it_is(self, request, note):
        """After "Save draft", "Submit for review" and the other moves: say where the note is now and
        what happens next, and show the list where it is (None for Django's own answer: a popup,
        "Save and continue editing")."""
        if IS_POPUP_VAR in request.POST or {"_continue", "_addanother", "_saveasnew"} & set(request.POST):
            return None
        message, own = WHERE_NOTES_ARE[NoteState(note.state)]
        self.message_user(request, message % {"note": note}, messages.SUCCESS)
        shown = {"state__exact": note.state}
        if own and note.author_id == request.user.pk:
            shown["author__id__exact"] = request.user.pk
        return HttpResponseRedirect(
            f"{reverse('admin:resolutions_implementationnote_changelist')}?{urlencode(shown)}"
        )

    # Import creates drafts only (see resolutions/spreadsheets.py); export follows the change list's filters.

    def has_import_permission(self, request):
        return request.user.has_perm("resolutions.add_implementationnote")

    # Markdown preview and restoring deleted notes.

    def get_urls(self):
        return [
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name="resolutions_implementationnote_preview",
            ),
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name="resolutions_implementationnote_deleted",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request):
        if request.method != "POST" or not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return HttpResponse(render_markdown(request.POST.get("text", "")))

    def deleted_view(self, request):
        if not request.user.has_perm(RESTORE_PERMISSION):
            raise PermissionDenied
        if request.method == "POST":
            try:
                note = ImplementationNote.restore_deleted(int(request.POST.get("note", "0")), request.user)
            except (ValueError, ValidationError) as error:
                self.message_user(
                    request,
                    error_text(error) if isinstance(error, ValidationError) else gettext("No such note."),
                    messages.ERROR,
                )
                return HttpResponseRedirect(request.path)
            self.message_user(
                request, gettext("“%(note)s” is restored, as a draft.") % {"note": note}, messages.SUCCESS
            )
            return HttpResponseRedirect(
                reverse("admin:resolutions_implementationnote_change", args=[note.pk])
            )
        history = ImplementationNote.history.model
        deleted = (
            history.objects.filter(history_type="-")
            .exclude(id__in=ImplementationNote.objects.values("pk"))
            .select_related("history_user")
            .order_by("-history_date")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Deleted implementation notes"),
            "deleted": deleted[:200],
        }
        return TemplateResponse(request, "admin/resolutions/implementationnote/deleted.html", context)


@admin.register(Assessment)
class AssessmentAdmin(ReviewedAdmin):
    moved_message = ngettext_lazy(
        "%(count)d assessment(s) moved to “%(state)s”.",
        "%(count)d assessment(s) moved to “%(state)s”.",
        "count",
    )
    list_display = ["paragraph", "status", "as_of", "state", "author"]
    list_filter = ["state", "status", "paragraph__resolution"]
    list_select_related = ["paragraph__resolution", "paragraph__parent", "author"]
    search_fields = ["paragraph__resolution__symbol", "rationale"]
    autocomplete_fields = ["paragraph"]
    fields = ["paragraph", "status", "as_of", "rationale", "state", "author", "last_edited_by"]
    readonly_fields = ["state", "author", "last_edited_by"]


@admin.register(NoteSource)
class NoteSourceAdmin(admin.ModelAdmin):
    """Read only: a source is part of its note's reviewed content, edited only on the note's page
    (its inline), where a change to a published note sends it back to review."""

    list_display = ["title", "document_symbol", "url", "note"]
    list_select_related = ["note"]
    search_fields = ["title", "document_symbol", "url", "note__title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ResolutionText)
class ResolutionTextAdmin(admin.ModelAdmin):
    list_display = ["resolution", "language", "source_format", "imported_at"]
    list_filter = ["language", "source_format"]
    list_select_related = ["resolution"]
    search_fields = ["resolution__symbol", "title"]
    autocomplete_fields = ["resolution"]


@admin.register(ParagraphText)
class ParagraphTextAdmin(admin.ModelAdmin):
    list_display = ["paragraph", "language", "lead_phrase"]
    list_filter = ["language"]
    list_select_related = ["paragraph__resolution", "paragraph__parent"]
    search_fields = ["paragraph__resolution__symbol", "lead_phrase", "text"]
    autocomplete_fields = ["paragraph"]


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name", "scheme", "code"]
    list_filter = ["scheme"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CountryVote)
class CountryVoteAdmin(admin.ModelAdmin):
    list_display = ["resolution", "name", "country", "vote"]
    list_filter = ["vote", ("country", admin.EmptyFieldListFilter)]
    list_select_related = ["resolution", "country"]
    search_fields = ["resolution__symbol", "name"]
    autocomplete_fields = ["resolution", "country"]


# Translations of notes: their own admin, and their inline on the note's page (after the note's admin,
# whose ReviewedAdmin theirs extends).
from resolutions.note_translations_admin import NoteTranslationInline  # noqa: E402

ImplementationNoteAdmin.inlines = [*ImplementationNoteAdmin.inlines, NoteTranslationInline]
