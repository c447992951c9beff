"""The staff home (the admin's index) and the review screen: each role's work, and reviewing with
everything in view.

- Whoever writes notes (editors, reviewers, administrators): their notes sent back with the reviewer's
  comment, their drafts, their notes waiting for review, and the paragraphs of tracked resolutions with
  no note in the last STALE_MONTHS months.
- Reviewers: notes and assessments awaiting review, oldest first, with who submitted them and when; the
  notes published in the last RECENT_DAYS days.
- Administrators: the rarely used tables too, apart, as "Reference data" (TrackerAdminSite.get_app_list).

Each queue costs a fixed number of queries however long it is (tests/test_staff_home.py pins them). Who
may move what is the workflow's rule (resolutions/workflow.py): the review screen offers the moves
Reviewed.allowed_transitions() allows, says why publishing is refused with Reviewed.review_problem(),
and moves with Reviewed.transition(); it re-implements none of it.
"""

import calendar
import datetime
import difflib
import re
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from resolutions.filters import published_notes_on
from resolutions.models import (
    Assessment,
    Country,
    Entity,
    ImplementationNote,
    NoteSource,
    Paragraph,
    Theme,
)
from resolutions.workflow import (
    ADMINISTRATORS,
    EditorialState,
    attach_arrivals,
    with_arrival,
)

SHOWN = 20  # rows of each queue on the home; its count and a link to the full list say the rest
STALE_MONTHS = 6
RECENT_DAYS = 30

# The tables staff use every day, in this order; the app's other tables are "Reference data".
EVERYDAY = ["implementationnote", "notetranslation", "assessment", "resolution", "paragraph"]


@dataclass
class Queue:
    key: str
    title: str
    items: list
    count: int
    more_url: str = ""
    empty: str = ""


def is_administrator(user):
    """Superusers and the Administrators role (read once a request: every admin page's menu asks)."""
    if not hasattr(user, "_is_administrator"):
        user._is_administrator = user.is_superuser or user.groups.filter(name=ADMINISTRATORS).exists()
    return user._is_administrator


def months_before(day, months):
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def changelist(model, **filters):
    url = reverse(f"admin:resolutions_{model._meta.model_name}_changelist")
    return url + ("?" + "&".join(f"{key}={value}" for key, value in filters.items()) if filters else "")


def with_paragraphs(notes):
    """The paragraphs each note implements, for its labels, in one query for the whole list."""
    paragraphs = Paragraph.objects.select_related("resolution", "parent")
    return notes.select_related("author").prefetch_related(
        Prefetch("paragraphs", queryset=paragraphs, to_attr="_paragraph_list")
    )


def queue(key, title, queryset, empty, more_url="", arrivals=True):
    """The first SHOWN rows and the count: two queries, one for the moves, one for each prefetch."""
    rows = list(queryset[:SHOWN])
    return Queue(
        key=key,
        title=title,
        items=attach_arrivals(rows) if arrivals else rows,
        count=queryset.count(),
        more_url=more_url,
        empty=empty,
    )


def writer_queues(user, today):
    mine = ImplementationNote.objects.filter(author=user)
    drafts = with_arrival(with_paragraphs(mine.filter(state=EditorialState.DRAFT)))
    in_review = with_arrival(with_paragraphs(mine.filter(state=EditorialState.IN_REVIEW)))
    return [
        queue(
            "sent-back",
            gettext("Sent back to you"),
            drafts.filter(departure_id__isnull=False).order_by("-arrival_at", "-arrival_id"),
            gettext("No note of yours was sent back."),
            changelist(ImplementationNote, state__exact="draft", author__id__exact=user.pk),
        ),
        queue(
            "drafts",
            gettext("Your drafts"),
            drafts.filter(departure_id__isnull=True).order_by("-updated_at", "-pk"),
            gettext("You have no drafts."),
            changelist(ImplementationNote, state__exact="draft", author__id__exact=user.pk),
        ),
        queue(
            "yours-in-review",
            gettext("Yours, waiting for review"),
            in_review.order_by("arrival_at", "arrival_id"),
            gettext("None of your notes is waiting for review."),
            changelist(ImplementationNote, state__exact="in_review", author__id__exact=user.pk),
        ),
        stale_paragraphs(today),
    ]


def stale_paragraphs(today):
    """Numbered operative paragraphs of tracked resolutions (with a published note on any paragraph)
    that no note (but a withdrawn one) covers in the last STALE_MONTHS months."""
    since = months_before(today, STALE_MONTHS)
    recent = (
        ImplementationNote.objects.exclude(state=EditorialState.WITHDRAWN)
        .filter(paragraphs=OuterRef("pk"))
        .filter(Q(start_date__gte=since) | Q(end_date__gte=since))
    )
    paragraphs = (
        Paragraph.objects.operative()
        .exclude(number="")
        .filter(Exists(published_notes_on(OuterRef("resolution"))))
        .exclude(Exists(recent))
        .select_related("resolution")
        .order_by("-resolution__adopted_on", "resolution__sort_key", "order")
    )
    return queue(
        "stale",
        ngettext(
            "Paragraphs with no note in the last %(months)d month",
            "Paragraphs with no note in the last %(months)d months",
            STALE_MONTHS,
        )
        % {"months": STALE_MONTHS},
        paragraphs,
        ngettext(
            "Every operative paragraph of the tracked resolutions has a note dated in the last %(months)d month.",
            "Every operative paragraph of the tracked resolutions has a note dated in the last %(months)d months.",
            STALE_MONTHS,
        )
        % {"months": STALE_MONTHS},
        arrivals=False,
    )


def reviewer_queues(now):
    in_review = EditorialState.IN_REVIEW
    since = now - datetime.timedelta(days=RECENT_DAYS)
    notes = with_arrival(with_paragraphs(ImplementationNote.objects.filter(state=in_review)))
    assessments = with_arrival(
        Assessment.objects.filter(state=in_review).select_related("paragraph__resolution", "author")
    )
    published = with_arrival(
        with_paragraphs(ImplementationNote.objects.filter(state=EditorialState.PUBLISHED))
    )
    return [
        queue(
            "notes-to-review",
            gettext("Notes awaiting review"),
            notes.order_by("arrival_at", "arrival_id"),
            gettext("No note is waiting for review."),
            changelist(ImplementationNote, state__exact="in_review"),
        ),
        queue(
            "assessments-to-review",
            gettext("Assessments awaiting review"),
            assessments.order_by("arrival_at", "arrival_id"),
            gettext("No assessment is waiting for review."),
            changelist(Assessment, state__exact="in_review"),
        ),
        queue(
            "published",
            ngettext("Published in the last %(days)d day", "Published in the last %(days)d days", RECENT_DAYS)
            % {"days": RECENT_DAYS},
            published.filter(arrival_at__gte=since).order_by("-arrival_at", "-arrival_id"),
            ngettext(
                "No note was published in the last %(days)d day.",
                "No note was published in the last %(days)d days.",
                RECENT_DAYS,
            )
            % {"days": RECENT_DAYS},
            changelist(ImplementationNote, state__exact="published"),
        ),
    ]


def home_context(request):
    user, now = request.user, timezone.now()
    writes = user.has_perm("resolutions.change_implementationnote")
    reviews = user.has_perm("resolutions.publish_implementationnote")
    queues = {
        "reviewer_queues": reviewer_queues(now) if reviews else [],
        "writer_queues": writer_queues(user, timezone.localdate(now)) if writes else [],
    }
    for each in [*queues["reviewer_queues"], *queues["writer_queues"]]:
        for item in each.items:
            if isinstance(item, (ImplementationNote, Assessment)):
                item.review_url = review_url(item)
    return {
        **queues,
        "title": gettext("Staff home"),
        "can_add_note": user.has_perm("resolutions.add_implementationnote"),
    }


def split_app_list(app_list, administrator):
    """The resolutions app's everyday tables first; its others apart as "Reference data", and only for
    administrators, as are the other apps' tables (staff accounts, API tokens)."""
    everyday, reference, others = [], [], []
    for app in app_list:
        if app["app_label"] != "resolutions":
            others.append(app)
            continue
        daily = [model for model in app["models"] if model["object_name"].lower() in EVERYDAY]
        daily.sort(key=lambda model: EVERYDAY.index(model["object_name"].lower()))
        rest = [model for model in app["models"] if model["object_name"].lower() not in EVERYDAY]
        if daily:
            everyday.append({**app, "models": daily})
        if rest:
            reference.append(
                {**app, "name": gettext("Reference data"), "app_label": "reference-data", "models": rest}
            )
    return everyday + (reference + others if administrator else [])


# ---- the review screen ---------------------------------------------------------------------------

REVIEWED_MODELS = {"note": ImplementationNote, "assessment": Assessment}


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the author"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "What to change before it is submitted again. The author sees it on their staff home; "
            "it is kept in the history."
        ),
    )


def review_url(item):
    kind = "note" if isinstance(item, ImplementationNote) else "assessment"
    return reverse("admin:review", args=[kind, item.pk])


def word_diff(old, new):
    """The words of `new` against `old`, escaped, with <del> and <ins> around what changed."""
    before, after = re.findall(r"\S+|\s+", old or ""), re.findall(r"\S+|\s+", new or "")
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(before[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(after[j1:j2]))}</ins>")
        if op == "equal":
            parts.append(escape("".join(after[j1:j2])))
    return mark_safe("".join(parts))


LINKED = {"paragraphs": Paragraph, "countries": Country, "entities": Entity, "themes": Theme}


def field_changes(published, item, names):
    """(label, was, now) for each of the fields `names` that differ between the history row and the item."""
    changes = []
    for name in names:
        field = item._meta.get_field(name)
        was, now = getattr(published, name), getattr(item, name)
        if was != now:
            choices = dict(field.choices or ())
            changes.append(
                (field.verbose_name.capitalize(), shown(choices.get(was, was)), shown(choices.get(now, now)))
            )
    return changes


def shown(value):
    """A value as the review screen writes it: "24 February 2023" for a date, "—" for none."""
    if isinstance(value, datetime.date):
        return date_format(value, "j E Y")
    return value if value not in (None, "") else "—"


def note_changes(note, published):
    """What changed in `note` since `published` (the history row of its last publication): each
    changed field as (label, was, now) with the body as a word diff; links and sources as lists."""
    changes = field_changes(published, note, ["title", "kind", "start_date", "end_date"])
    if published.body != note.body:
        changes.append((pgettext("text of a note", "Body"), None, word_diff(published.body, note.body)))
    for name, model in LINKED.items():
        column = f"{model._meta.model_name}_id"
        was = set(getattr(published, name).values_list(column, flat=True))
        now = {item.pk for item in getattr(note, name).all()}
        if was != now:
            named = model.objects.in_bulk(was | now)
            label = ImplementationNote._meta.get_field(name).verbose_name.capitalize()
            changes.append(
                (
                    label,
                    ", ".join(str(named[pk]) for pk in sorted(was - now) if pk in named) or "—",
                    ", ".join(str(named[pk]) for pk in sorted(now - was) if pk in named) or "—",
                )
            )
    was_sources = {
        (source.title, source.url, source.document_symbol)
        for source in NoteSource.history.as_of(published.history_date).filter(note_id=note.pk)
    }
    now_sources = {(source.title, source.url, source.document_symbol) for source in note.sources.all()}
    if was_sources != now_sources:
        changes.append(
            (
                gettext("Sources"),
                "; ".join(title for title, _, _ in sorted(was_sources - now_sources)) or "—",
                "; ".join(title for title, _, _ in sorted(now_sources - was_sources)) or "—",
            )
        )
    return changes


def assessment_changes(assessment, published):
    changes = field_changes(published, assessment, ["status", "as_of"])
    if published.rationale != assessment.rationale:
        changes.append((gettext("Rationale"), None, word_diff(published.rationale, assessment.rationale)))
    return changes


def review_view(request, kind, pk, site_context):
    model = REVIEWED_MODELS.get(kind)
    if model is None:
        raise Http404(gettext("No such kind of reviewed item."))
    if not request.user.has_perm(f"resolutions.view_{model._meta.model_name}"):
        raise PermissionDenied
    item = get_object_or_404(model, pk=pk)
    send_back = SendBackForm(request.POST if request.POST.get("move") == EditorialState.DRAFT else None)
    if request.method == "POST":
        response = review_move(request, item, send_back)
        if response is not None:
            return response
    context = {**site_context, **review_context(request, item, send_back)}
    return TemplateResponse(request, "admin/resolutions/review.html", context)


MOVED = {
    EditorialState.PUBLISHED: _("“%(item)s” is published: the public sees it now."),
    EditorialState.DRAFT: _("“%(item)s” is sent back to %(author)s as a draft, with your comment."),
}


def review_move(request, item, send_back):
    """Publish or send back, as the workflow allows; None to show the screen again with the form's errors."""
    to_state = request.POST.get("move", "")
    if to_state not in MOVED:
        messages.error(request, gettext("Choose to publish it or to send it back."))
        return HttpResponseRedirect(request.path)
    if request.POST.get("seen") != item.content_fingerprint:
        messages.error(
            request,
            gettext(
                "It was changed while you were reading it: nothing was done. Read it again, then decide."
            ),
        )
        return HttpResponseRedirect(request.path)
    comment = ""
    if to_state == EditorialState.DRAFT:
        if not send_back.is_valid():
            return None
        comment = send_back.cleaned_data["comment"]
    try:
        item.transition(to_state, request.user, comment=comment)  # PermissionDenied: a 403
    except ValidationError as error:
        messages.error(
            request, gettext("Nothing was done: %(reasons)s") % {"reasons": "; ".join(error.messages)}
        )
        return HttpResponseRedirect(request.path)
    moved = MOVED[to_state]
    if to_state == EditorialState.DRAFT and not item.author:
        moved = gettext("“%(item)s” is sent back to its author as a draft, with your comment.")
    author = item.author.get_username() if item.author else ""
    messages.success(request, moved % {"item": item, "author": author})
    return HttpResponseRedirect(reverse("admin:index"))


def review_context(request, item, send_back):
    user = request.user
    note = item if isinstance(item, ImplementationNote) else None
    allowed = item.allowed_transitions(user)
    may_publish_role = user.has_perm(item.permission("publish"))
    published = (
        item.last_moved_to(EditorialState.PUBLISHED) if item.state != EditorialState.PUBLISHED else None
    )
    if published is not None:
        changes = note_changes(item, published) if note else assessment_changes(item, published)
    else:
        changes = []
    paragraphs = (
        list(item.paragraphs.select_related("resolution", "parent"))
        if note
        else [Paragraph.objects.select_related("resolution", "parent").get(pk=item.paragraph_id)]
    )
    return {
        "title": gettext("Review: %(item)s") % {"item": item},
        "item": item,
        "note": note,
        "opts": item._meta,
        "kind": "note" if note else "assessment",
        "paragraphs": paragraphs,
        "sources": list(item.sources.all()) if note else [],
        "submitted": item.last_moved_to(EditorialState.IN_REVIEW),
        "published": published,
        "changes": changes,
        "may_publish": EditorialState.PUBLISHED in allowed,
        "may_send_back": EditorialState.DRAFT in allowed and item.state == EditorialState.IN_REVIEW,
        "why_not": (
            item.review_problem(EditorialState.PUBLISHED, user)
            if may_publish_role and item.state == EditorialState.IN_REVIEW
            else ""
        ),
        "send_back": send_back,
        "change_url": reverse(f"admin:resolutions_{item._meta.model_name}_change", args=[item.pk]),
        "history_url": reverse(f"admin:resolutions_{item._meta.model_name}_history", args=[item.pk]),
    }
