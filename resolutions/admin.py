from django.contrib import admin

from resolutions.models import (
    Assessment,
    Country,
    CountryVote,
    Entity,
    Footnote,
    ImplementationNote,
    NoteSource,
    Paragraph,
    ParagraphText,
    Reference,
    Resolution,
    ResolutionText,
    Series,
    Subject,
    Theme,
)

admin.site.site_header = "Resolution Tracker"
admin.site.site_title = "Resolution Tracker admin"
admin.site.index_title = "Resolutions and implementation"


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
    verbose_name_plural = "Language versions (as imported)"


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Resolution)
class ResolutionAdmin(admin.ModelAdmin):
    list_display = ["symbol", "title", "body", "session", "adopted_on", "adoption_method", "language_list"]
    list_filter = ["body", "session", "adoption_method", "series", "texts__language", "subjects__scheme"]
    search_fields = ["symbol", "title"]
    date_hierarchy = "adopted_on"
    inlines = [ResolutionTextInline, ParagraphInline, FootnoteInline]
    readonly_fields = ["language_list", "created_at", "updated_at"]
    autocomplete_fields = ["subjects"]
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
            "Adoption",
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
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("texts")

    @admin.display(description="Languages")
    def language_list(self, resolution):
        return ", ".join(resolution.languages)


class AssessmentInline(admin.TabularInline):
    model = Assessment
    fields = ["as_of", "status", "rationale", "author"]
    extra = 0
    autocomplete_fields = ["author"]


class ParagraphTextInline(admin.TabularInline):
    model = ParagraphText
    fields = ["language", "lead_phrase", "text"]
    extra = 0


@admin.register(Paragraph)
class ParagraphAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "lead_phrase", "short_text"]
    list_filter = ["kind", "resolution__body", "lead_phrase"]
    list_select_related = ["resolution", "parent__resolution"]
    search_fields = ["resolution__symbol", "number", "lead_phrase", "text"]
    autocomplete_fields = ["resolution", "parent"]
    inlines = [ParagraphTextInline, AssessmentInline]

    @admin.display(description="Text")
    def short_text(self, paragraph):
        return paragraph.text[:120]


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


@admin.register(ImplementationNote)
class ImplementationNoteAdmin(admin.ModelAdmin):
    list_display = ["title", "start_date", "kind", "state", "is_demo", "author"]
    list_filter = ["state", "kind", "is_demo", "paragraphs__resolution", "countries", "themes", "entities"]
    list_select_related = ["author"]
    search_fields = ["title", "body"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["paragraphs", "countries", "entities", "themes", "author"]
    inlines = [NoteSourceInline]
    fieldsets = [
        (None, {"fields": ["title", "kind", ("start_date", "end_date"), "body"]}),
        ("What it implements", {"fields": ["paragraphs", "countries", "entities", "themes"]}),
        ("Editorial", {"fields": ["state", "author", "is_demo"]}),
    ]

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["paragraph", "status", "as_of", "author"]
    list_filter = ["status", "paragraph__resolution"]
    list_select_related = ["paragraph__resolution", "paragraph__parent", "author"]
    search_fields = ["paragraph__resolution__symbol", "rationale"]
    autocomplete_fields = ["paragraph", "author"]

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)


@admin.register(NoteSource)
class NoteSourceAdmin(admin.ModelAdmin):
    list_display = ["title", "document_symbol", "url", "note"]
    list_select_related = ["note"]
    search_fields = ["title", "document_symbol", "url", "note__title"]
    autocomplete_fields = ["note"]


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
