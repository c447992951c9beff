"""Citations in the API: what a resolution cites and what cites it, and the most cited resolutions;
JSON by pages, or every row as CSV (?format=csv), on the same queries as the citations pages."""

import re
from itertools import chain

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from resolutions.api.serializers import ResolutionSerializer, absolute, api_url
from resolutions.api.views import SYMBOL_PARAMETER, ReadOnlyViewSet
from resolutions.citations import cited_documents, citing_resolutions
from resolutions.filters import MostCitedFilter
from resolutions.models import Resolution
from resolutions.symbols import un_document_url

DIRECTIONS = {"cites": "A document it cites", "cited_by": "A resolution held here that cites it"}


class CitationSerializer(serializers.Serializer):
    """One citation of a resolution's, either way; ``row`` is a Reference (cites) or a Resolution
    (cited_by)."""

    direction = serializers.ChoiceField(choices=list(DIRECTIONS.items()))
    symbol = serializers.CharField()
    held = serializers.BooleanField(help_text="Whether the document is a resolution held here.")
    title = serializers.CharField(help_text="Blank for a document not held here.")
    adopted_on = serializers.DateField(allow_null=True)
    url = serializers.CharField(allow_null=True, help_text="The API's own resolution; null if not held here.")
    web_url = serializers.CharField(help_text="Its page here, else the United Nations' document link.")

    def to_representation(self, row):
        direction, row = row
        resolution = row.target if direction == "cites" else row
        held = resolution is not None
        return {
            "direction": direction,
            "symbol": row.symbol,
            "held": held,
            "title": resolution.title if held else "",
            "adopted_on": resolution.adopted_on.isoformat() if held and resolution.adopted_on else None,
            "url": api_url(self.context, "resolution-detail", symbol=row.symbol) if held else None,
            "web_url": absolute(self.context, resolution.get_absolute_url())
            if held
            else un_document_url(row.symbol),
        }


class Citations:
    """The documents a resolution cites, then the resolutions citing it, as one sequence a paginator
    slices: each page reads only the rows it shows (at most a query for each direction)."""

    def __init__(self, parts):
        self.parts = parts  # [(direction, queryset)]

    def count(self):
        if not hasattr(self, "counts"):
            self.counts = [rows.count() for _, rows in self.parts]
        return sum(self.counts)

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        start, stop = window.start or 0, window.stop
        self.count()
        found, offset = [], 0
        for (direction, rows), count in zip(self.parts, self.counts, strict=True):
            low, high = max(start - offset, 0), min(stop - offset, count)
            if low < high:
                found += [(direction, row) for row in rows[low:high]]
            offset += count
        return found

    def iterator(self, chunk_size):
        """Every row, for a CSV export, read a chunk at a time."""
        return chain.from_iterable(
            ((direction, row) for row in rows.iterator(chunk_size=chunk_size))
            for direction, rows in self.parts
        )


@extend_schema_view(
    list=extend_schema(
        summary="What a resolution cites and what cites it",
        description="The documents it cites (in the order first cited; `held` when the document is a "
        "resolution held here), then the resolutions held here that cite it (newest first). `direction` "
        "narrows the list to one of the two.",
        parameters=[
            SYMBOL_PARAMETER,
            OpenApiParameter(
                "direction", OpenApiTypes.STR, enum=list(DIRECTIONS), description="cites or cited_by only."
            ),
        ],
    )
)
class CitationViewSet(ReadOnlyViewSet):
    serializer_class = CitationSerializer
    filter_backends = []

    def get_queryset(self):
        resolution = get_object_or_404(Resolution.objects.only("pk", "symbol"), symbol=self.kwargs["symbol"])
        direction = self.request.query_params.get("direction", "")
        if direction and direction not in DIRECTIONS:
            raise ValidationError({"direction": [f"'{direction}' is neither cites nor cited_by."]})
        parts = [("cites", cited_documents(resolution)), ("cited_by", citing_resolutions(resolution))]
        return Citations([part for part in parts if direction in ("", part[0])])

    def csv_filename(self):
        return re.sub(r"[^A-Za-z0-9]+", "_", self.kwargs["symbol"]).strip("_") + "_citations.csv"


class MostCitedSerializer(ResolutionSerializer):
    cited_by_count = serializers.IntegerField(help_text="How many resolutions held here cite it.")

    class Meta(ResolutionSerializer.Meta):
        fields = [
            "symbol",
            "body",
            "session",
            "number",
            "title",
            "adopted_on",
            "cited_by_count",
            "url",
            "web_url",
        ]


@extend_schema_view(
    list=extend_schema(
        summary="The most cited resolutions",
        description="Resolutions held here ranked by how many resolutions held here cite them, most cited "
        "first; `session` (and `body`) narrow it to the resolutions of one session.",
    )
)
class MostCitedViewSet(ReadOnlyViewSet):
    serializer_class = MostCitedSerializer
    filterset_class = MostCitedFilter

    def get_queryset(self):
        return Resolution.objects.most_cited().only(
            "symbol", "body", "session", "number", "title", "adopted_on"
        )

    def csv_filename(self):
        return "most_cited.csv"
