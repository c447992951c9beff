"""What the API shows of each model. Every serializer lists its fields; nothing is written here.

Querysets come prefetched from the viewsets (resolutions/api/views.py); serializers only read
what was fetched, so a list of 100 rows costs the queries a list of 1 costs.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from resolutions.models import (
    AdoptionMethod,
    AssessmentStatus,
    Body,
    Country,
    Entity,
    EntityKind,
    ImplementationNote,
    Mandate,
    NoteKind,
    NoteState,
    Paragraph,
    ParagraphAlignment,
    ParagraphChange,
    ParagraphKind,
    Resolution,
    Series,
    SubjectScheme,
    Theme,
    VoteCast,
)
from resolutions.routes import fast_reverse


def absolute(context, path):
    request = context.get("request")
    if request is None:
        return path
    # The scheme and host, worked out once per request rather than once per link.
    origin = getattr(request, "_tracker_origin", None)
    if origin is None:
        origin = request._tracker_origin = request.build_absolute_uri("/").removesuffix("/")
    return origin + path


def api_url(context, name, **kwargs):
    return absolute(context, fast_reverse(f"api:{name}", **kwargs))


class LinksMixin:
    """``url`` (the API's own detail) and ``web_url`` (the public page) of the object serialised."""

    api_view = ""  # the API route's name, e.g. "country-detail"
    api_lookup = ("pk", "pk")  # (URL keyword, attribute of the object)

    def get_url(self, obj) -> str:
        keyword, attribute = self.api_lookup
        return api_url(self.context, self.api_view, **{keyword: getattr(obj, attribute)})

    def get_web_url(self, obj) -> str:
        return absolute(self.context, obj.get_absolute_url())


class ErrorSerializer(serializers.Serializer):
    """The body of a 404, 406 or 429: one sentence."""

    detail = serializers.CharField()


# ---- vocabularies --------------------------------------------------------------------------------


class CountrySerializer(LinksMixin, serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Country
        fields = ["alpha3", "alpha2", "name", "official_name", "published_note_count", "url", "web_url"]

    api_view = "country-detail"
    api_lookup = ("alpha3", "alpha3")


class ThemeSerializer(LinksMixin, serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Theme
        fields = ["slug", "name", "description", "published_note_count", "url", "web_url"]

    api_view = "theme-detail"
    api_lookup = ("slug", "slug")


class EntitySerializer(LinksMixin, serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=EntityKind.choices)
    website = serializers.URLField(source="url", allow_blank=True)
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Entity
        fields = [
            "slug",
            "name",
            "short_name",
            "kind",
            "website",
            "description",
            "published_note_count",
            "url",
            "web_url",
        ]

    api_view = "entity-detail"
    api_lookup = ("slug", "slug")


# ---- paragraphs ----------------------------------------------------------------------------------


def localised(paragraph):
    """(language, lead phrase, text, heading) in the language asked for when held, else the primary text."""
    texts = getattr(paragraph, "lang_texts", None)
    if texts:
        return texts[0].language, texts[0].lead_phrase, texts[0].text, texts[0].heading
    return paragraph.resolution.language, paragraph.lead_phrase, paragraph.text, paragraph.heading


class ParagraphFieldsMixin(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ParagraphKind.choices)
    label = serializers.CharField(help_text='How people cite it: "op 1", "op II.3", "op 1 (a)", "pp 3".')
    address = serializers.CharField(
        help_text='Its number with its section where it has one ("II.3"): unique in the resolution, '
        "as in its web page's address."
    )
    language = serializers.SerializerMethodField()
    lead_phrase = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField(
        help_text="The rest of the paragraph; footnote markers are [^1]."
    )
    heading = serializers.SerializerMethodField(
        help_text="The heading printed just before the paragraph (a section's or an annex's title, "
        '"II. Follow-up"), in the same language as its text; blank where none.'
    )
    current_status = serializers.ChoiceField(
        choices=AssessmentStatus.choices,
        allow_null=True,
        help_text="Newest assessment of an operative paragraph; null when none.",
    )
    current_status_as_of = serializers.DateField(allow_null=True)
    published_note_count = serializers.IntegerField()

    def get_language(self, obj) -> str:
        return localised(obj)[0]

    def get_lead_phrase(self, obj) -> str:
        return localised(obj)[1]

    def get_text(self, obj) -> str:
        return localised(obj)[2]

    def get_heading(self, obj) -> str:
        return localised(obj)[3]


class ResolutionParagraphSerializer(LinksMixin, ParagraphFieldsMixin, serializers.ModelSerializer):
    """A paragraph inside a resolution's detail, its sub-paragraphs nested."""

    subparagraphs = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Paragraph
        fields = [
            "id",
            "kind",
            "order",
            "number",
            "section",
            "address",
            "label",
            "annex",
            "heading",
            "language",
            "lead_phrase",
            "text",
            "current_status",
            "current_status_as_of",
            "published_note_count",
            "subparagraphs",
            "url",
        ]

    @extend_schema_field(
        {"type": "array", "items": {"$ref": "#/components/schemas/ResolutionParagraph"}, "readOnly": True}
    )
    def get_subparagraphs(self, obj):
        children = self.context["children"].get(obj.pk, [])
        return ResolutionParagraphSerializer(children, many=True, context=self.context).data

    api_view = "paragraph-detail"


class NoteSummarySerializer(LinksMixin, serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=NoteKind.choices)
    url = serializers.SerializerMethodField()

    class Meta:
        model = ImplementationNote
        fields = ["id", "title", "kind", "start_date", "end_date", "url"]

    api_view = "note-detail"


class MandateSerializer(serializers.ModelSerializer):
    """What an operative paragraph asks, of whom and by when (resolutions.mandates)."""

    addressees = serializers.ListField(
        source="addressee_keys",
        child=serializers.CharField(),
        help_text="Who is asked to act: secretary-general, regional-centre, member-states, ...",
    )
    addressee_entities = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="slug",
        help_text="The slugs of the entities held here that it addresses (unrcca): /api/v1/entities/<slug>/.",
    )

    class Meta:
        model = Mandate
        fields = [
            "request",
            "addressees",
            "addressee_entities",
            "addressee_text",
            "report_session",
            "report_due",
            "recurring",
            "origin",
        ]


class ParagraphSerializer(LinksMixin, ParagraphFieldsMixin, serializers.ModelSerializer):
    resolution = serializers.CharField(source="resolution.symbol", help_text="The resolution's symbol.")
    parent = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="Id of the paragraph it is part of."
    )
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    mandate = serializers.SerializerMethodField()

    class Meta:
        model = Paragraph
        fields = [
            "id",
            "resolution",
            "kind",
            "order",
            "number",
            "section",
            "address",
            "parent",
            "label",
            "annex",
            "heading",
            "language",
            "lead_phrase",
            "text",
            "current_status",
            "current_status_as_of",
            "published_note_count",
            "mandate",
            "url",
            "web_url",
        ]

    api_view = "paragraph-detail"

    @extend_schema_field(MandateSerializer(allow_null=True))
    def get_mandate(self, obj):
        """Its mandate facts; null for a paragraph that has none (preambular, sub-paragraph)."""
        try:
            mandate = obj.mandate
        except Mandate.DoesNotExist:
            return None
        return MandateSerializer(mandate).data


class ParagraphDetailSerializer(ParagraphSerializer):
    subparagraphs = serializers.SerializerMethodField()
    notes = NoteSummarySerializer(
        source="published_notes",
        many=True,
        help_text="Its newest 100 published notes (published_note_count says how many there are; "
        "/api/v1/notes/?resolution=...&paragraph=... lists them all).",
    )

    class Meta(ParagraphSerializer.Meta):
        fields = [*ParagraphSerializer.Meta.fields, "subparagraphs", "notes"]

    @extend_schema_field(ResolutionParagraphSerializer(many=True))
    def get_subparagraphs(self, obj):
        children = {}
        for paragraph in obj.descendants:
            children.setdefault(paragraph.parent_id, []).append(paragraph)
        context = {**self.context, "children": children}
        return ResolutionParagraphSerializer(children.get(obj.pk, []), many=True, context=context).data


# ---- resolutions ---------------------------------------------------------------------------------


class ResolutionSerializer(LinksMixin, serializers.ModelSerializer):
    body = serializers.ChoiceField(choices=Body.choices)
    adoption_method = serializers.ChoiceField(choices=AdoptionMethod.choices, allow_blank=True)
    languages = serializers.ListField(
        child=serializers.CharField(), help_text="Languages its text is held in, primary first."
    )
    published_note_count = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Resolution
        fields = [
            "symbol",
            "body",
            "session",
            "number",
            "title",
            "adopted_on",
            "distributed_on",
            "adoption_method",
            "languages",
            "published_note_count",
            "url",
            "web_url",
        ]

    api_view = "resolution-detail"
    api_lookup = ("symbol", "symbol")


class SubjectSerializer(serializers.Serializer):
    scheme = serializers.ChoiceField(choices=SubjectScheme.choices)
    code = serializers.CharField()
    name = serializers.CharField()
    slug = serializers.CharField()


class CountryVoteSerializer(serializers.Serializer):
    country = serializers.CharField(
        source="country.alpha3", allow_null=True, help_text="ISO alpha-3; null if the name is unmatched."
    )
    name = serializers.CharField(help_text="The Member State as the UN's record names it.")
    vote = serializers.ChoiceField(choices=VoteCast.choices)


class VotesSerializer(serializers.Serializer):
    method = serializers.ChoiceField(
        source="adoption_method", choices=AdoptionMethod.choices, allow_blank=True
    )
    yes = serializers.IntegerField(source="votes_yes", allow_null=True)
    no = serializers.IntegerField(source="votes_no", allow_null=True)
    abstain = serializers.IntegerField(source="votes_abstain", allow_null=True)
    countries = CountryVoteSerializer(source="country_votes.all", many=True)


class FootnoteSerializer(serializers.Serializer):
    marker = serializers.CharField(help_text="Cited in paragraph texts as [^marker].")
    language = serializers.CharField()
    text = serializers.CharField()


class CitedSerializer(serializers.Serializer):
    symbol = serializers.CharField(help_text="The cited document's symbol, normalised.")
    paragraph = serializers.SerializerMethodField(help_text="Label of the paragraph that cites it, if any.")
    un_url = serializers.URLField()
    resolution_url = serializers.SerializerMethodField(
        help_text="This API's page of the cited resolution, when it is held here."
    )

    def get_paragraph(self, obj) -> str | None:
        paragraph = self.context["paragraphs"].get(obj.paragraph_id)
        return paragraph.label if paragraph else None

    def get_resolution_url(self, obj) -> str | None:
        return api_url(self.context, "resolution-detail", symbol=obj.target.symbol) if obj.target else None


class CitingSerializer(serializers.Serializer):
    symbol = serializers.CharField()
    title = serializers.CharField()
    url = serializers.URLField()


class ResolutionDetailSerializer(ResolutionSerializer):
    language = serializers.SerializerMethodField(
        help_text="The language of the title, paragraphs and footnotes shown."
    )
    title = serializers.SerializerMethodField()
    series = serializers.CharField(source="series.name", allow_null=True)
    subjects = SubjectSerializer(source="subjects.all", many=True)
    votes = VotesSerializer(source="*")
    paragraphs = serializers.SerializerMethodField()
    footnotes = serializers.SerializerMethodField()
    references = serializers.SerializerMethodField()
    cited_by = serializers.SerializerMethodField()

    class Meta(ResolutionSerializer.Meta):
        fields = [
            "symbol",
            "body",
            "session",
            "number",
            "language",
            "title",
            "agenda_items",
            "adopted_on",
            "distributed_on",
            "meeting",
            "draft_symbol",
            "committee_report",
            "enacting_formula",
            "languages",
            "series",
            "sponsors",
            "subjects",
            "votes",
            "published_note_count",
            "paragraphs",
            "footnotes",
            "references",
            "cited_by",
            "url",
            "web_url",
            "updated_at",
        ]

    def to_representation(self, obj):
        by_id = {paragraph.pk: paragraph for paragraph in obj.paragraphs.all()}
        children = {}
        for paragraph in by_id.values():
            paragraph.resolution = obj
            if paragraph.parent_id:
                paragraph.parent = by_id[paragraph.parent_id]  # labels without a query each
            children.setdefault(paragraph.parent_id, []).append(paragraph)
        self.context.update(children=children, paragraphs=by_id)
        return super().to_representation(obj)

    def get_language(self, obj) -> str:
        return self.context.get("lang") or obj.language

    def get_title(self, obj) -> str:
        language = self.get_language(obj)
        titles = [text.title for text in obj.texts.all() if text.language == language and text.title]
        return titles[0] if titles else obj.title

    @extend_schema_field(ResolutionParagraphSerializer(many=True))
    def get_paragraphs(self, obj):
        return ResolutionParagraphSerializer(
            self.context["children"].get(None, []), many=True, context=self.context
        ).data

    @extend_schema_field(FootnoteSerializer(many=True))
    def get_footnotes(self, obj):
        language = self.get_language(obj)
        footnotes = [footnote for footnote in obj.footnotes.all() if footnote.language == language]
        return FootnoteSerializer(footnotes, many=True).data

    @extend_schema_field(CitedSerializer(many=True))
    def get_references(self, obj):
        return CitedSerializer(obj.references.all(), many=True, context=self.context).data

    @extend_schema_field(CitingSerializer(many=True))
    def get_cited_by(self, obj):
        citing = {ref.resolution.symbol: ref.resolution for ref in obj.cited_by.all()}
        return [
            {
                "symbol": resolution.symbol,
                "title": resolution.title,
                "url": api_url(self.context, "resolution-detail", symbol=resolution.symbol),
            }
            for resolution in sorted(citing.values(), key=lambda resolution: resolution.sort_key)
        ]


# ---- notes ---------------------------------------------------------------------------------------


class NoteParagraphSerializer(LinksMixin, serializers.Serializer):
    citation = serializers.CharField(source="__str__", help_text='e.g. "A/RES/77/273 op 1".')
    resolution = serializers.CharField(source="resolution.symbol")
    number = serializers.CharField()
    url = serializers.SerializerMethodField()

    api_view = "paragraph-detail"


class NoteSourceSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField(source="href", help_text="A link, or the UN's link for its symbol.")
    document_symbol = serializers.CharField()


class NoteTranslationSerializer(serializers.Serializer):
    language = serializers.CharField(help_text="The language it is translated into: ru, fr, ...")
    title = serializers.CharField()
    body = serializers.CharField(help_text="Markdown.")
    body_html = serializers.CharField(help_text="The Markdown body as sanitised HTML.")


@extend_schema_field(OpenApiTypes.STR)  # a code or slug, read from the note's prefetched list
class CodeField(serializers.SlugRelatedField):
    pass


class NoteSerializer(LinksMixin, serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=NoteKind.choices)
    body_html = serializers.CharField(read_only=True, help_text="The Markdown body as sanitised HTML.")
    paragraphs = NoteParagraphSerializer(source="paragraph_list", many=True)
    countries = CodeField(source="country_list", slug_field="alpha3", many=True, read_only=True)
    themes = CodeField(source="theme_list", slug_field="slug", many=True, read_only=True)
    entities = CodeField(source="entity_list", slug_field="slug", many=True, read_only=True)
    sources = NoteSourceSerializer(source="source_list", many=True)
    translations = NoteTranslationSerializer(
        source="translation_list",
        many=True,
        read_only=True,
        help_text="Its published translations: its title and body in other languages than its own.",
    )
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = ImplementationNote
        fields = [
            "id",
            "title",
            "kind",
            "start_date",
            "end_date",
            "paragraphs",
            "countries",
            "themes",
            "entities",
            "body",
            "body_html",
            "sources",
            "is_demo",
            "language",
            "translations",
            "updated_at",
            "url",
            "web_url",
        ]

    api_view = "note-detail"


# ---- writes (staff tokens) -----------------------------------------------------------------------


class StaffNoteSerializer(NoteSerializer):
    """A note as its staff writer sees it after a write: with its editorial state and version."""

    state = serializers.ChoiceField(choices=NoteState.choices, read_only=True)
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta(NoteSerializer.Meta):
        fields = [*NoteSerializer.Meta.fields, "state", "version", "author"]


# What the schema states of the ids and codes a note is written with: the shape the server requires
# (at least one paragraph, ids from 1, alpha-3 codes in capitals, Django's slugs); each must also name
# a row that exists. The example paragraph, 25, is op 1 of the bundled A/RES/77/273 (docs/api.md).
@extend_schema_field(
    {"type": "array", "items": {"type": "integer", "minimum": 1, "example": 25}, "minItems": 1}
)
class ParagraphIdsField(serializers.ManyRelatedField):
    pass


@extend_schema_field({"type": "string", "pattern": "^[A-Z]{3}$", "example": "KGZ"})
class CountryCodeField(serializers.SlugRelatedField):
    pass


@extend_schema_field({"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"})
class SlugField(serializers.SlugRelatedField):
    @classmethod
    def of(cls, model, what):
        """The optional list of a model's slugs a note is linked to."""
        return cls(
            slug_field="slug",
            many=True,
            queryset=model.objects.all(),
            required=False,
            help_text=f"Slugs of {what}.",
        )


class NoteWriteSerializer(serializers.ModelSerializer):
    """What a staff integration may send. The editorial state moves only through the model's rules."""

    title = serializers.CharField(
        max_length=300,
        # Only states the rule for the schema: a blank title (spaces too) is refused before validators run.
        validators=[RegexValidator(r"\S", "A title needs at least one character that is not a space.")],
    )
    paragraphs = ParagraphIdsField(
        child_relation=serializers.PrimaryKeyRelatedField(queryset=Paragraph.objects.operative()),
        allow_empty=False,
        error_messages={"empty": "A note must implement at least one operative paragraph."},
        help_text="Ids of the operative paragraphs it implements, at least one "
        "(see /api/v1/paragraphs/?kind=operative).",
    )
    countries = CountryCodeField(
        slug_field="alpha3",
        many=True,
        queryset=Country.objects.all(),
        required=False,
        help_text="ISO 3166-1 alpha-3 codes, in capitals (see /api/v1/countries/).",
    )
    themes = SlugField.of(Theme, "themes (see /api/v1/themes/)")
    entities = SlugField.of(Entity, "UN entities and partners (see /api/v1/entities/)")
    kind = serializers.ChoiceField(choices=NoteKind.choices, required=False)
    state = serializers.ChoiceField(
        choices=NoteState.choices,
        required=False,
        write_only=True,
        help_text="Move it to this editorial state after the write, as the admin would: "
        "editors may only submit (in_review); reviewers publish, send back and withdraw.",
    )
    version = serializers.IntegerField(
        required=False,
        write_only=True,
        help_text="The version you loaded, required on every change (or an If-Match header with the "
        "ETag of your GET): without either the change is refused (428); if the note was saved since, "
        "it is refused too (409; 412 for an If-Match).",
    )

    class Meta:
        model = ImplementationNote
        fields = [
            "title",
            "body",
            "start_date",
            "end_date",
            "kind",
            "language",
            "paragraphs",
            "countries",
            "themes",
            "entities",
            "state",
            "version",
        ]
        extra_kwargs = {"language": {"help_text": "The language it is written in (en by default)."}}

    def validate(self, attrs):
        language = attrs.get("language")
        if (
            language
            and self.instance is not None
            and self.instance.translations.filter(language=language).exists()
        ):
            raise serializers.ValidationError(
                {"language": ["The note has a translation into this language: it cannot be its own."]}
            )
        fields = {key: value for key, value in attrs.items() if key in ("start_date", "end_date")}
        if fields:
            probe = ImplementationNote(
                start_date=fields.get("start_date", getattr(self.instance, "start_date", None)),
                end_date=fields.get("end_date", getattr(self.instance, "end_date", None)),
            )
            try:
                probe.clean()
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.message_dict) from error
        return attrs


# ---- lineage -------------------------------------------------------------------------------------


class SeriesResolutionSerializer(LinksMixin, serializers.ModelSerializer):
    predecessor = serializers.SerializerMethodField(help_text="The symbol of the resolution it follows.")
    link_origin = serializers.SerializerMethodField(
        help_text="found (automatically), confirmed or corrected (by staff); empty for the first."
    )
    link_reason = serializers.SerializerMethodField()
    changes_url = serializers.SerializerMethodField(help_text="What changed since its predecessor (page).")
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Resolution
        fields = [
            "symbol",
            "title",
            "adopted_on",
            "predecessor",
            "link_origin",
            "link_reason",
            "changes_url",
            "url",
            "web_url",
        ]

    api_view = "resolution-detail"
    api_lookup = ("symbol", "symbol")

    def _link(self, obj):
        link = getattr(obj, "predecessor_link", None)  # none: its DoesNotExist is an AttributeError
        return link if link is not None and link.predecessor_id else None

    def get_predecessor(self, obj) -> str | None:
        link = self._link(obj)
        return link.predecessor.symbol if link else None

    def get_link_origin(self, obj) -> str:
        link = self._link(obj)
        return link.origin if link else ""

    def get_link_reason(self, obj) -> str:
        link = self._link(obj)
        return link.reason if link else ""

    def get_changes_url(self, obj) -> str | None:
        if not self._link(obj):
            return None
        return absolute(self.context, fast_reverse("resolutions:resolution-changes", symbol=obj.symbol))


class SeriesSerializer(LinksMixin, serializers.ModelSerializer):
    resolution_count = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Series
        fields = ["slug", "name", "description", "resolution_count", "url", "web_url"]

    api_view = "series-detail"
    api_lookup = ("slug", "slug")


class SeriesDetailSerializer(SeriesSerializer):
    resolutions = serializers.SerializerMethodField(help_text="In the order they were adopted.")

    class Meta(SeriesSerializer.Meta):
        fields = [*SeriesSerializer.Meta.fields, "resolutions"]

    @extend_schema_field(SeriesResolutionSerializer(many=True))
    def get_resolutions(self, obj):
        return SeriesResolutionSerializer(obj.ordered_resolutions, many=True, context=self.context).data


class AlignedParagraphSerializer(serializers.Serializer):
    label = serializers.CharField()
    citation = serializers.CharField()
    web_url = serializers.URLField()


class AlignmentSerializer(serializers.ModelSerializer):
    resolution = serializers.CharField(source="resolution.symbol")
    paragraph = serializers.SerializerMethodField(help_text="In the resolution; null when dropped.")
    predecessor_paragraph = serializers.SerializerMethodField(help_text="In its predecessor; null when new.")
    change = serializers.ChoiceField(choices=ParagraphChange.choices)
    deleted = serializers.SerializerMethodField(help_text="The words taken out, joined.")
    inserted = serializers.SerializerMethodField(help_text="The words put in, joined.")
    diff = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text='Word by word: [["=", "kept"], ["-", "deleted"], ["+", "inserted"], ...].',
    )

    class Meta:
        model = ParagraphAlignment
        fields = [
            "resolution",
            "order",
            "paragraph",
            "predecessor_paragraph",
            "change",
            "similarity",
            "deleted",
            "inserted",
            "diff",
        ]

    def _paragraph(self, paragraph):
        if paragraph is None:
            return None
        return {
            "label": paragraph.label,
            "citation": paragraph.citation,
            "web_url": absolute(self.context, paragraph.get_absolute_url()),
        }

    @extend_schema_field(AlignedParagraphSerializer(allow_null=True))
    def get_paragraph(self, obj):
        return self._paragraph(obj.paragraph)

    @extend_schema_field(AlignedParagraphSerializer(allow_null=True))
    def get_predecessor_paragraph(self, obj):
        return self._paragraph(obj.predecessor_paragraph)

    def get_deleted(self, obj) -> str:
        return " … ".join(text.strip() for op, text in obj.diff if op == "-")

    def get_inserted(self, obj) -> str:
        return " … ".join(text.strip() for op, text in obj.diff if op == "+")
