"""Read-only viewsets of the public API, on the FilterSets the website uses (resolutions/filters.py).

Every queryset declares what it prefetches; tests/test_api.py pins the query counts.
Notes are ImplementationNote.objects.published() everywhere: in lists, details, counts and CSV.
"""

import hashlib
import re
from collections.abc import Mapping
from contextlib import contextmanager
from itertools import islice

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import StreamingHttpResponse
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import parse_etags, quote_etag
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, filters, mixins, permissions, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from resolutions.api import serializers
from resolutions.api.renderers import CSVRenderer, stream_rows
from resolutions.filters import AlignmentFilter, NoteFilter, ParagraphFilter, ResolutionFilter, SeriesFilter
from resolutions.importer import OFFICIAL_LANGUAGES, accepted_language
from resolutions.models import (
    Country,
    Entity,
    Footnote,
    ImplementationNote,
    Paragraph,
    ParagraphAlignment,
    ParagraphText,
    Reference,
    Resolution,
    ResolutionText,
    Series,
    Theme,
    published_note_count,
)
from resolutions.urls import SymbolConverter

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")

# Only the UN's six official languages are ever imported (resolutions/importer), so the schema lists them.
LANG_PARAMETER = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    description="Show the texts in another imported language (ISO 639-1: en, fr, es, ru, zh, ar). "
    "A language the resolution is not held in is a 400. Without it, the first official language "
    "the Accept-Language header names is used where a text is held in it.",
    enum=sorted(OFFICIAL_LANGUAGES),
)

SYMBOL_PARAMETER = OpenApiParameter(
    "symbol",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The resolution's UN document symbol, as its `symbol` in the list.",
    pattern=f"^{SymbolConverter.regex}$",
    examples=[OpenApiExample("The bundled resolution", value="A/RES/77/273")],
)

IF_MATCH_PARAMETER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The ETag of your GET of the note (with your token), instead of "version" in the body. '
    "A stale one is a 412; `*` does not count.",
)

# Bodies a client may send as they are, in the bundled data (paragraph 25 is op 1 of A/RES/77/273).
NEW_NOTE_EXAMPLE = OpenApiExample(
    "A consultation, submitted for review",
    request_only=True,
    value={
        "title": "Consultation in Bishkek",
        "start_date": "2025-03-04",
        "kind": "consultation",
        "paragraphs": [25],
        "countries": ["KGZ"],
        "themes": ["preventive-diplomacy"],
        "entities": ["unrcca"],
        "state": "in_review",
    },
)
CHANGE_EXAMPLE = OpenApiExample(
    "A new title, on the version loaded",
    request_only=True,
    value={"title": "Consultations in Bishkek", "version": 1},
)


def paragraphs_with_status(language=None):
    """Paragraphs with their current status, published note count and, if asked, their text in a language."""
    paragraphs = Paragraph.objects.with_current_status()
    if language:
        paragraphs = paragraphs.prefetch_related(
            Prefetch("texts", queryset=ParagraphText.objects.filter(language=language), to_attr="lang_texts")
        )
    return paragraphs


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The note was saved since you loaded it."


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        'Say which version you are changing: send the "version" you loaded (see GET with your token), '
        "or an If-Match header with the ETag of that GET. Without it, changes by others would be lost."
    )
    default_code = "version_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The note was saved since you loaded it: its ETag no longer matches If-Match."
    default_code = "stale"


@contextmanager
def editorial_rules():
    """The model's workflow errors as API errors: 403 for a move the user may not make, 400 otherwise."""
    try:
        yield
    except DjangoPermissionDenied as error:
        raise exceptions.PermissionDenied(str(error)) from error
    except DjangoValidationError as error:
        raise ValidationError({"state": error.messages}) from error


def resolution_texts():
    """The language versions without their (long) source text: enough for titles and `languages`."""
    return Prefetch("texts", queryset=ResolutionText.objects.only("id", "resolution_id", "language", "title"))


class StaffWritePermission(permissions.DjangoModelPermissionsOrAnonReadOnly):
    """Anyone reads; a write needs an active staff user's token and the add or change permission."""

    def has_permission(self, request, view):
        unsupported = view.action is None or request.method.lower() not in view.http_method_names
        if request.method in permissions.SAFE_METHODS or unsupported:
            return True  # reading; or a method the view does not take, which is then a 405
        user = request.user
        return bool(user and user.is_authenticated and user.is_staff) and super().has_permission(
            request, view
        )


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """JSON everywhere; CSV for lists, streamed; ETags on details; errors always JSON."""

    permission_classes = [StaffWritePermission]
    csv_chunk_size = 500

    def filter_queryset(self, queryset):
        """A list's filters apply to lists: one row, asked for by its key, is not filtered (building
        the FilterSet and its form would be a fifth of the time such a request takes)."""
        if self.action in ("list", None):
            return super().filter_queryset(queryset)
        return queryset

    def get_renderers(self):
        if self.action in ("list", None):  # None: a method it does not take, a 405 whatever the format
            return [JSONRenderer(), CSVRenderer()]
        return [JSONRenderer()]

    def requested_language(self):
        """?lang= when given (a text not held in it is then a 400: language_required), else the first
        official language Accept-Language asks for (a text not held in it comes in its own language)."""
        language = self.request.query_params.get("lang", "").strip()
        if not language:
            return accepted_language(self.request.headers.get("Accept-Language", ""))
        if not LANGUAGE_CODE.match(language):
            raise ValidationError({"lang": [f"'{language}' is not a language code such as en, fr or ru."]})
        return language

    def language_required(self):
        return bool(self.request.query_params.get("lang", "").strip())

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == "csv":
            return self.stream_csv(self.filter_queryset(self.get_queryset()))
        return super().list(request, *args, **kwargs)

    def stream_csv(self, queryset):
        """Every matching row (no pages), serialized a chunk at a time while the response is sent."""
        serializer_class = self.get_serializer_class()
        context = self.get_serializer_context()
        header = list(serializer_class(context=context).fields)
        rows = queryset.iterator(chunk_size=self.csv_chunk_size)

        def serialized():
            while batch := list(islice(rows, self.csv_chunk_size)):
                yield from serializer_class(batch, many=True, context=context).data

        response = StreamingHttpResponse(
            stream_rows(header, serialized()), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.csv_filename()}"'
        return response

    def csv_filename(self):
        return f"{self.basename}s.csv"

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400 and getattr(request, "accepted_renderer", None) is not None:
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.action == "retrieve" and response.status_code == 200 and request.method in ("GET", "HEAD"):
            response.render()
            set_response_etag(response)
            return get_conditional_response(request, etag=response["ETag"], response=response)
        return response


@extend_schema_view(
    list=extend_schema(summary="Resolutions", parameters=[LANG_PARAMETER]),
    retrieve=extend_schema(
        summary="One resolution, paragraph by paragraph",
        parameters=[SYMBOL_PARAMETER, LANG_PARAMETER],
        description="Its paragraphs (sub-paragraphs nested), footnotes, references cited and citing, "
        "votes, subjects and the current status of each operative paragraph.",
    ),
)
class ResolutionViewSet(ReadOnlyViewSet):
    filterset_class = ResolutionFilter
    lookup_field = "symbol"
    lookup_value_regex = SymbolConverter.regex

    def get_queryset(self):
        resolutions = Resolution.objects.prefetch_related(resolution_texts()).annotate(
            published_note_count=published_note_count("paragraphs__resolution")
        )
        if self.action != "retrieve":
            return resolutions
        return resolutions.select_related("series").prefetch_related(
            Prefetch("paragraphs", queryset=paragraphs_with_status(self.requested_language())),
            Prefetch("footnotes", queryset=Footnote.objects.order_by("id")),
            Prefetch("references", queryset=Reference.objects.select_related("target")),
            Prefetch("cited_by", queryset=Reference.objects.select_related("resolution")),
            "subjects",
            "country_votes__country",
        )

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.ResolutionDetailSerializer
        return serializers.ResolutionSerializer

    def get_object(self):
        resolution = super().get_object()
        language = self.requested_language()
        if language and language not in resolution.languages:
            if self.language_required():
                held = ", ".join(resolution.languages)
                raise ValidationError(
                    {"lang": [f"{resolution.symbol} is not held in '{language}'; it is in: {held}."]}
                )
            self.shown_language = ""  # Accept-Language named one it is not held in: its own language
        return resolution

    def get_serializer_context(self):
        language = getattr(self, "shown_language", None)
        return {
            **super().get_serializer_context(),
            "lang": self.requested_language() if language is None else language,
        }


@extend_schema_view(
    list=extend_schema(summary="Paragraphs of every resolution", parameters=[LANG_PARAMETER]),
    retrieve=extend_schema(
        summary="One paragraph, its sub-paragraphs and published notes", parameters=[LANG_PARAMETER]
    ),
)
class ParagraphViewSet(ReadOnlyViewSet):
    filterset_class = ParagraphFilter
    notes_shown = 100  # the newest; /api/v1/notes/?resolution=...&paragraph=... lists them all

    def get_queryset(self):
        # A mandate's entities: one query for the page, none where no paragraph of it has a mandate.
        entities = Prefetch("mandate__addressee_entities", queryset=Entity.objects.only("id", "slug"))
        return (
            paragraphs_with_status(self.requested_language())
            .select_related("resolution", "parent__parent", "mandate")
            .prefetch_related(entities)
        )

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.ParagraphDetailSerializer
        return serializers.ParagraphSerializer

    def list(self, request, *args, **kwargs):
        language = self.requested_language()
        if (
            language
            and self.language_required()
            and not ParagraphText.objects.filter(language=language).exists()
        ):
            raise ValidationError({"lang": [f"No paragraph is held in '{language}'."]})
        return super().list(request, *args, **kwargs)

    def get_object(self):
        paragraph = super().get_object()
        language = self.requested_language()
        if language and self.language_required() and not paragraph.lang_texts:
            raise ValidationError({"lang": [f"{paragraph} is not held in '{language}'."]})
        # Children and grandchildren: the paragraphs whose parent is it or one of its children, one
        # semi-join through the index on parent (a join to the parent's parent, or an OR of two
        # conditions, would read every paragraph).
        parents = Paragraph.objects.filter(Q(pk=paragraph.pk) | Q(parent=paragraph)).values("pk")
        paragraph.descendants = list(paragraphs_with_status(language).filter(parent__in=parents))
        by_id = {paragraph.pk: paragraph, **{child.pk: child for child in paragraph.descendants}}
        for child in paragraph.descendants:
            child.resolution, child.parent = paragraph.resolution, by_id[child.parent_id]
        notes = ImplementationNote.objects.published().filter(paragraphs=paragraph)
        notes = notes.only("id", "title", "kind", "start_date", "end_date")  # what the summary shows
        paragraph.published_notes = list(notes.order_by("-start_date", "-pk")[: self.notes_shown])
        return paragraph


@extend_schema_view(
    list=extend_schema(summary="Published implementation notes"),
    retrieve=extend_schema(summary="One published implementation note"),
    create=extend_schema(
        summary="Record a note (staff token)",
        description="Creates a draft authored by the token's user; `state` then moves it as the admin would.",
        responses={201: serializers.StaffNoteSerializer},
        examples=[NEW_NOTE_EXAMPLE],
    ),
    partial_update=extend_schema(
        summary="Change a note (staff token)",
        description="Send the `version` you loaded (or `If-Match` with the ETag of your GET): without it "
        "the change is refused (428). A change to a published note's content sends it back to review, "
        "and whoever changed the content cannot publish it (not in the same request either).",
        parameters=[IF_MATCH_PARAMETER],
        responses={200: serializers.StaffNoteSerializer},
        examples=[CHANGE_EXAMPLE],
    ),
)
class NoteViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyViewSet):
    """Anyone reads published notes. Staff tokens create and change notes through the model's
    editorial rule (Reviewed.record_edit / transition, resolutions/workflow.py): nobody publishes
    what they wrote, submitted or last changed, and any change to a published note sends it back."""

    filterset_class = NoteFilter
    http_method_names = ["get", "head", "options", "post", "patch"]

    def staff_reading(self):
        """A staff token reads any one note (its own drafts too); lists stay published only."""
        user = self.request.user
        return (
            self.action == "retrieve"
            and user.is_staff
            and user.has_perm("resolutions.view_implementationnote")
        )

    def get_queryset(self):
        writing = self.action in ("create", "partial_update") or self.staff_reading()
        notes = ImplementationNote.objects.all() if writing else ImplementationNote.objects.published()
        return notes.with_links(sources=True, translations=True)

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return serializers.NoteWriteSerializer
        if self.staff_reading():
            return serializers.StaffNoteSerializer
        return serializers.NoteSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        to_state = serializer.validated_data.pop("state", None)
        serializer.validated_data.pop("version", None)
        with transaction.atomic(), editorial_rules():
            note = serializer.save(author=request.user)
            note.record_edit(request.user)
            if to_state and to_state != note.state:
                note.transition(to_state, request.user)
        return Response(self.staff_view(note.pk), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        note = self.get_object()
        if_match = [tag.removeprefix("W/") for tag in parse_etags(request.headers.get("If-Match", ""))]
        # The body may be any JSON (null, a list): only an object can hold "version".
        sent_version = isinstance(request.data, Mapping) and "version" in request.data
        if not sent_version and not [tag for tag in if_match if tag != "*"]:
            raise PreconditionRequired()
        serializer = self.get_serializer(note, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        to_state = serializer.validated_data.pop("state", None)
        version = serializer.validated_data.pop("version", None)
        with transaction.atomic(), editorial_rules():
            note = ImplementationNote.objects.select_for_update().get(pk=note.pk)
            if version is not None and version != note.version:
                raise Conflict(
                    {
                        "detail": "The note was saved since you loaded it.",
                        "changed": note.changes_since(version),
                    }
                )
            if version is None and self.staff_etag(note.pk) not in if_match:
                raise PreconditionFailed()
            if serializer.validated_data:
                serializer.instance = note
                note = serializer.save()
            # The model's rule: a content change makes this user its last editor (who then cannot
            # publish it) and sends a published note back to review; the move below obeys it.
            note.record_edit(request.user)
            if to_state and to_state != note.state:
                note.transition(to_state, request.user)
        return Response(self.staff_view(note.pk))

    def staff_etag(self, pk):
        """The ETag a GET of this note with the caller's token has now (ReadOnlyViewSet's, on the same JSON)."""
        content = JSONRenderer().render(self.staff_view(pk), "application/json")
        return quote_etag(hashlib.md5(content, usedforsecurity=False).hexdigest())

    def staff_view(self, pk):
        note = self.get_queryset().get(pk=pk)
        return serializers.StaffNoteSerializer(note, context=self.get_serializer_context()).data


class VocabularyViewSet(ReadOnlyViewSet):
    """Countries, themes, partners: each row carries its published_note_count (a stored counter)."""

    filter_backends = [filters.OrderingFilter]
    ordering_fields = ["name", "published_note_count"]


@extend_schema_view(
    list=extend_schema(summary="Countries (ISO 3166-1)"),
    retrieve=extend_schema(summary="One country, by its alpha-3 code in any case"),
)
class CountryViewSet(VocabularyViewSet):
    queryset = Country.objects.all()
    serializer_class = serializers.CountrySerializer
    lookup_field = "alpha3"
    lookup_value_regex = "[A-Za-z]{3}"
    ordering_fields = ["name", "alpha3", "published_note_count"]

    def get_object(self):
        self.kwargs["alpha3"] = self.kwargs["alpha3"].upper()
        return super().get_object()


@extend_schema_view(list=extend_schema(summary="Themes"), retrieve=extend_schema(summary="One theme"))
class ThemeViewSet(VocabularyViewSet):
    queryset = Theme.objects.all()
    serializer_class = serializers.ThemeSerializer
    lookup_field = "slug"


@extend_schema_view(
    list=extend_schema(summary="UN entities and partners"), retrieve=extend_schema(summary="One entity")
)
class EntityViewSet(VocabularyViewSet):
    queryset = Entity.objects.all()
    serializer_class = serializers.EntitySerializer
    lookup_field = "slug"


@extend_schema_view(
    list=extend_schema(summary="Series of resolutions (one subject, adopted again and again)"),
    retrieve=extend_schema(summary="One series, its resolutions in the order they were adopted"),
)
class SeriesViewSet(ReadOnlyViewSet):
    filterset_class = SeriesFilter
    serializer_class = serializers.SeriesSerializer
    lookup_field = "slug"

    def get_queryset(self):
        series = Series.objects.annotate(resolution_count=Count("resolutions")).order_by("name")
        if self.action == "retrieve":
            return series.prefetch_related(
                Prefetch(
                    "resolutions",
                    queryset=Resolution.objects.select_related("predecessor_link__predecessor").order_by(
                        "adopted_on", "sort_key"
                    ),
                    to_attr="ordered_resolutions",
                )
            )
        return series

    def get_serializer_class(self):
        return (
            serializers.SeriesDetailSerializer if self.action == "retrieve" else serializers.SeriesSerializer
        )


@extend_schema_view(
    list=extend_schema(
        summary="Paragraphs aligned with the predecessor's",
        description="Each paragraph of a resolution matched to its counterpart in the resolution it follows "
        "(or new), the predecessor's paragraphs it dropped, and the words deleted and inserted. Filter by "
        "?resolution=A/RES/77/273; ?format=csv for a spreadsheet.",
    ),
    retrieve=extend_schema(summary="One aligned pair"),
)
class AlignmentViewSet(ReadOnlyViewSet):
    filterset_class = AlignmentFilter
    serializer_class = serializers.AlignmentSerializer

    def get_queryset(self):
        return ParagraphAlignment.objects.select_related(
            "resolution",
            "paragraph__resolution",
            "paragraph__parent__parent",
            "predecessor_paragraph__resolution",
            "predecessor_paragraph__parent__parent",
        ).order_by("resolution__sort_key", "order")
