"""The dashboards' figures as JSON: /api/v1/dashboard/ and /api/v1/resolutions/<symbol>/dashboard/.

The same figures as the pages (resolutions.dashboard, from the same cache), filtered by the notes
list's parameters (NoteFilter) and ``idle``; a bad value is a 400 naming the parameter.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from resolutions import dashboard
from resolutions.api.views import SYMBOL_PARAMETER
from resolutions.filters import NoteFilter
from resolutions.models import AssessmentStatus, ImplementationNote, Resolution

STATUS_CHOICES = [*AssessmentStatus.values, ""]


class StatusCountSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=STATUS_CHOICES, help_text='"" for paragraphs not assessed.')
    label = serializers.CharField()
    count = serializers.IntegerField()


class MonthCountSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="The first day of the month.")
    count = serializers.IntegerField()


class RankedSerializer(serializers.Serializer):
    name = serializers.CharField()
    key = serializers.CharField(help_text="The code or slug the notes list filters by.")
    count = serializers.IntegerField()
    short = serializers.CharField(required=False, allow_blank=True, help_text="A partner's acronym, if any.")


class RecentNoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    start_date = serializers.DateField()
    published_at = serializers.DateTimeField(help_text="When it was published (its last change).")
    url = serializers.CharField(help_text="Its page on the website.")


class IdleParagraphSerializer(serializers.Serializer):
    resolution = serializers.CharField()
    paragraph = serializers.CharField()
    url = serializers.CharField()
    status = serializers.ChoiceField(choices=STATUS_CHOICES)
    last_activity = serializers.DateField(allow_null=True)


class IdleSerializer(serializers.Serializer):
    months = serializers.IntegerField()
    since = serializers.DateField()
    count = serializers.IntegerField(help_text="How many paragraphs had no activity since then.")
    paragraphs = IdleParagraphSerializer(
        many=True, help_text=f"The first {dashboard.IDLE_SHOWN}, idle longest first."
    )


class DashboardSerializer(serializers.Serializer):
    note_count = serializers.IntegerField()
    paragraph_count = serializers.IntegerField()
    statuses = StatusCountSerializer(many=True)
    months = MonthCountSerializer(
        many=True, help_text=f"The latest {dashboard.MONTHS_SHOWN} months from the first with notes."
    )
    earlier_notes = serializers.IntegerField(help_text="Notes older than the months given.")
    countries = RankedSerializer(many=True)
    themes = RankedSerializer(many=True)
    partners = RankedSerializer(many=True)
    recent = RecentNoteSerializer(many=True)
    idle = IdleSerializer()

    def to_representation(self, instance):
        months = sorted(instance["months"].items())
        return super().to_representation(
            {**instance, "months": [{"month": month, "count": count} for month, count in months]}
        )


class EventSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["note", "assessment"])
    date = serializers.DateField()
    label = serializers.CharField(help_text="A note's title, an assessment's status.")
    status = serializers.ChoiceField(choices=STATUS_CHOICES, required=False)
    url = serializers.CharField(allow_blank=True)


class ParagraphProgressSerializer(serializers.Serializer):
    paragraph = serializers.CharField()
    url = serializers.CharField()
    lead_phrase = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=STATUS_CHOICES)
    status_as_of = serializers.DateField(allow_null=True)
    last_activity = serializers.DateField(allow_null=True)
    note_count = serializers.IntegerField()
    events = EventSerializer(
        many=True,
        help_text=f"Its newest {dashboard.EVENTS_PER_PARAGRAPH} notes and assessments, oldest first.",
    )


class ResolutionDashboardSerializer(DashboardSerializer):
    resolution = serializers.CharField()
    paragraphs = ParagraphProgressSerializer(many=True)


IDLE_PARAMETER = OpenApiParameter(
    "idle",
    OpenApiTypes.INT,
    description="No activity for: the period, in months, of the idle paragraphs.",
    enum=list(dashboard.IDLE_PERIODS),
)


class DashboardView(generics.GenericAPIView):
    filterset_class = NoteFilter  # for the schema's parameters; filtered in get()
    renderer_classes = [JSONRenderer]
    serializer_class = DashboardSerializer
    pagination_class = None

    def get_queryset(self):
        return ImplementationNote.objects.published()

    def figures(self, data, resolution=None):
        filterset = NoteFilter(data, queryset=self.get_queryset())
        idle = dashboard.IdlePeriodForm(data)
        errors = {
            **(filterset.errors if not filterset.is_valid() else {}),
            **(idle.errors if not idle.is_valid() else {}),
        }
        if errors:
            raise ValidationError(errors)
        paragraphs = dashboard.scope(
            filterset.form.cleaned_data.get("resolution") or "",
            filterset.form.cleaned_data.get("paragraph") or "",
        )
        used = {name: data.get(name, "") for name in filterset.form.fields}
        return dashboard.figures(filterset.qs, paragraphs, idle.months(), used, resolution)

    @extend_schema(
        summary="Progress at a glance, over every tracked resolution",
        description="Operative paragraphs by status, published notes by month, country, theme and partner, "
        "the notes published most recently and the paragraphs without activity: the figures of /dashboard/, filtered by "
        "the notes list's parameters.",
        filters=True,
        parameters=[IDLE_PARAMETER],
    )
    def get(self, request):
        return Response(DashboardSerializer(self.figures(request.query_params)).data)


class ResolutionDashboardView(DashboardView):
    serializer_class = ResolutionDashboardSerializer

    @extend_schema(
        summary="Progress of one resolution, paragraph by paragraph",
        description="The overall figures for this resolution's notes, and each operative paragraph's status, "
        "last activity, number of published notes and newest notes and assessments.",
        filters=True,
        parameters=[SYMBOL_PARAMETER, IDLE_PARAMETER],
    )
    def get(self, request, symbol):
        resolution = get_object_or_404(Resolution.objects.only("symbol"), symbol=symbol)
        data = request.query_params.copy()
        data["resolution"] = resolution.symbol
        figures = {**self.figures(data, resolution), "resolution": resolution.symbol}
        return Response(ResolutionDashboardSerializer(figures).data)
