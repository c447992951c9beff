"""Series links in the admin: staff confirm the predecessor found automatically, correct it (choose
another) or split a resolution from its series; and carry an assessment forward to a successor.

A link staff decided (confirmed, corrected, split) is never changed by a later import or
`manage.py link_series` (resolutions.lineage)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from resolutions.cache import bump_public_content
from resolutions.lineage import align, assign_series, carry_forward
from resolutions.models import Paragraph, ParagraphAlignment, SeriesLink, SeriesLinkOrigin


def relink(links, origin, predecessor=None):
    """Record staff's decision on ``links``, then align and regroup what it changed."""
    with transaction.atomic():
        for link in links:
            link.origin = origin
            if origin == SeriesLinkOrigin.SPLIT:
                link.predecessor = None
            elif predecessor is not None:
                link.predecessor = predecessor
            link.full_clean()
            link.save()
            align(link.successor_id)
        assign_series([link.successor_id for link in links])
        bump_public_content()  # the pages showing these links, cached for the public, go stale


@admin.register(SeriesLink)
class SeriesLinkAdmin(admin.ModelAdmin):
    list_display = ["successor", "predecessor", "origin", "score", "reason"]
    list_filter = ["origin", "successor__body"]
    list_select_related = ["successor", "predecessor"]
    search_fields = ["successor__symbol", "predecessor__symbol", "successor__title"]
    autocomplete_fields = ["successor", "predecessor"]
    fields = ["successor", "predecessor", "origin", "score", "reason"]
    readonly_fields = ["origin", "score", "reason"]
    actions = ["confirm", "split"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "successor"] if obj else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        # Splitting is the way apart: it realigns the paragraphs, refills the series and is kept by
        # later runs; a deleted link would leave its alignments and series behind (and be found again).
        return False

    def save_model(self, request, obj, form, change):
        """Choosing a predecessor here is a correction: kept whatever later runs find."""
        origin = SeriesLinkOrigin.CORRECTED if obj.predecessor_id else SeriesLinkOrigin.SPLIT
        if change and "predecessor" not in form.changed_data:
            origin = obj.origin
        relink([obj], origin)

    @admin.action(
        description=_("Confirm the predecessor of the selected resolutions"), permissions=["change"]
    )
    def confirm(self, request, queryset):
        links = list(queryset.exclude(predecessor=None))
        relink(links, SeriesLinkOrigin.CONFIRMED)
        confirmed = ngettext(
            "%(count)d link confirmed: later runs keep it.",
            "%(count)d links confirmed: later runs keep them.",
            len(links),
        )
        self.message_user(request, confirmed % {"count": len(links)}, messages.SUCCESS)

    @admin.action(description=_("Split the selected resolutions from their series"), permissions=["change"])
    def split(self, request, queryset):
        links = list(queryset)
        relink(links, SeriesLinkOrigin.SPLIT)
        split = ngettext(
            "%(count)d resolution split from its predecessor: later runs keep them apart.",
            "%(count)d resolutions split from their predecessor: later runs keep them apart.",
            len(links),
        )
        self.message_user(request, split % {"count": len(links)}, messages.SUCCESS)

    def get_urls(self):
        return [
            path(
                "carry-forward/<int:paragraph>/",
                self.admin_site.admin_view(require_POST(self.carry_forward_view)),
                name="resolutions_assessment_carry_forward",
            ),
            *super().get_urls(),
        ]

    def carry_forward_view(self, request, paragraph):
        if not request.user.has_perm("resolutions.add_assessment"):
            raise PermissionDenied
        paragraph = get_object_or_404(Paragraph.objects.select_related("resolution"), pk=paragraph)
        if not paragraph.is_trackable:
            raise Http404(gettext("Only a numbered operative paragraph is assessed."))
        try:
            assessment = carry_forward(paragraph, request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(
                reverse("admin:resolutions_assessment_changelist") + f"?paragraph__resolution__id__exact="
                f"{paragraph.resolution_id}"
            )
        self.message_user(
            request,
            gettext(
                "A draft assessment of %(paragraph)s now says what the earlier mandate's did. "
                "Check its date and rationale, then submit it for review: it is public once published."
            )
            % {"paragraph": paragraph.citation},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:resolutions_assessment_change", args=[assessment.pk]))


@admin.register(ParagraphAlignment)
class ParagraphAlignmentAdmin(admin.ModelAdmin):
    """Read only: alignments are made from the texts whenever a link is made or corrected."""

    list_display = ["resolution", "order", "paragraph", "predecessor_paragraph", "change", "similarity"]
    list_filter = ["change"]
    list_select_related = ["resolution", "paragraph__parent", "predecessor_paragraph__parent"]
    search_fields = ["resolution__symbol"]
    fields = ["resolution", "order", "paragraph", "predecessor_paragraph", "change", "similarity", "diff"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
