"""The editorial rule of everything the public reads that staff write: implementation notes, their
translations and assessments. One rule, kept here and on the models that inherit Reviewed; every path that writes
(admin forms, inlines, history revert, bulk actions, the API, spreadsheet import, the shell) calls it.

The rule:

- Whoever last changed an item's public content (its reviewed_content(): for a note its title, body,
  dates, kind, paragraphs, countries, entities, themes and sources) cannot publish it; nor can its
  author, nor whoever submitted it for review ("four eyes").
- Any change to the public content of a published item, by anyone, sends it back to review.
- A note implements at least one operative paragraph before it can be submitted or published.
- What follows an item's content (its `followers`: a note's translations, resolutions/note_translations.py)
  goes back to review, when published, as soon as that content changes: it follows the old content.

Interface (for the admin, the REST API, the spreadsheet import and the shell alike):

    item.record_edit(user) -> bool
        Call after writing its content (fields, links, sources), in the same transaction. Compares
        the content with its stored fingerprint: when it changed, `user` becomes its last editor and
        a published item goes back to review (recorded as a transition; returns True when it did), and
        so do its published followers (recorded as `user`'s move too).
        Writing the same content again is no edit. The API and the admin call it after every write.
    item.allowed_transitions(user) -> set[str]
        The states `user` may move it to now (EditorialState values).
    item.transition(to_state, user, comment="")
        Moves it and saves it (only its state). Raises django.core.exceptions.PermissionDenied when
        the user's role may not make this move, and ValidationError when the move does not exist from
        the current state or breaks the rule above (author, submitter or last editor publishing; a
        content change that was never recorded; a note without an operative paragraph).
        Who moved it and when is its history row (history_user, history_date, the new state;
        history_change_reason says which move): see item.transitions().
    note.edit(user, sources=None, **changes)
        The shell's way to change a note: sets fields and links, replaces its sources, validates,
        saves and records the edit, in one transaction.
    note.changes_since(version) -> list[str]
        Optimistic concurrency: every save increments note.version. A writer that loaded version
        N and finds note.version != N must refuse the write; this says what changed meanwhile.
    ImplementationNote.restore_deleted(pk, user)
        Brings a deleted note back as a draft, with its paragraphs, vocabularies and sources.
    attach_arrivals(with_arrival(queryset))
        item.last_moved_to(item.state) for a whole list in two queries (the staff home's queues): who
        moved each item into its present state, when, with what comment, and from which state.

States and moves (MOVES below; "publish" needs the model's publish permission,
resolutions.publish_implementationnote, resolutions.publish_notetranslation or
resolutions.publish_assessment; "change" its change one):

    draft ──submit──▶ in_review ──publish──▶ published ──withdraw──▶ withdrawn
      ▲                   │                      │                      │
      └──send back────────┴──────────────────────┴────────reopen────────┘

Editors may only submit (they hold change_implementationnote, change_notetranslation and
change_assessment); Reviewers and
Administrators hold the publish permissions and may make every move. New notes and assessments,
including imported ones, are drafts. Sources are part of a note: they are edited only with it.

Roles are Django groups with exactly the permissions of ROLE_PERMISSIONS. A data migration creates
them; `manage.py sync_roles` (and `createstaff`, before it adds anyone) puts them back in step with
this list, e.g. after someone edited a group by hand. A change to the list ships with a data
migration that calls ensure_roles(), as the first one does. Only superusers change superuser
status, groups and permissions; Administrators give staff one of the three roles (admin.py).
"""

import hashlib
import json

from django.apps import apps as global_apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from resolutions import logs

EDITORS = "Editors"
REVIEWERS = "Reviewers"
ADMINISTRATORS = "Administrators"

PUBLISH_PERMISSION = "resolutions.publish_implementationnote"
PUBLISH_ASSESSMENT_PERMISSION = "resolutions.publish_assessment"
RESTORE_PERMISSION = "resolutions.restore_implementationnote"

# The role names `createstaff --role` takes.
ROLE_GROUPS = {"editor": EDITORS, "reviewer": REVIEWERS, "administrator": ADMINISTRATORS}

_NOTE_WORK = [
    "view_resolution",
    "view_paragraph",
    "view_footnote",
    "view_reference",
    "view_country",
    "view_entity",
    "view_theme",
    "view_subject",
    "view_series",
    "view_serieslink",
    "view_paragraphalignment",
    "view_countryvote",
    "view_resolutiontext",
    "view_paragraphtext",
    "view_mandate",
    "add_implementationnote",
    "change_implementationnote",
    "view_implementationnote",
    "add_notesource",
    "change_notesource",
    "delete_notesource",
    "view_notesource",
    "add_notetranslation",
    "change_notetranslation",
    "view_notetranslation",
    "add_assessment",
    "change_assessment",
    "view_assessment",
]
_EVERY_ACTION = ["add", "change", "delete", "view"]

# Group name -> codenames of permissions of the resolutions app (and "auth." ones for users).
ROLE_PERMISSIONS = {
    EDITORS: _NOTE_WORK,
    REVIEWERS: [
        *_NOTE_WORK,
        "publish_implementationnote",
        "delete_implementationnote",
        "publish_notetranslation",
        "delete_notetranslation",
        "publish_assessment",
    ],
    ADMINISTRATORS: [
        *(
            f"{action}_{model}"
            for model in [
                "resolution",
                "resolutiontext",
                "paragraph",
                "paragraphtext",
                "mandate",
                "footnote",
                "reference",
                "country",
                "countryvote",
                "entity",
                "theme",
                "subject",
                "series",
                "serieslink",
                "implementationnote",
                "notesource",
                "notetranslation",
                "assessment",
            ]
            for action in _EVERY_ACTION
        ),
        "publish_implementationnote",
        "publish_notetranslation",
        "restore_implementationnote",
        "publish_assessment",
        "import_resolution",
        "view_paragraphalignment",
        # Staff accounts within the three roles (admin.StaffUserAdmin keeps them from escalating).
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "auth.view_group",
        # API tokens for staff integrations (docs/api.md); never a superuser's (admin.StaffTokenAdmin).
        "authtoken.add_tokenproxy",
        "authtoken.view_tokenproxy",
        "authtoken.delete_tokenproxy",
    ],
}


def ensure_roles(apps=global_apps, using="default", strict=None):
    """Create the three groups and give each exactly the permissions of ROLE_PERMISSIONS.

    A data migration of an older state (0005) lacks the permissions later models add; it skips them,
    and the migration that adds them calls this again. Outside migrations (strict) none may be missing.
    """
    from django.contrib.auth.management import create_permissions

    strict = apps is global_apps if strict is None else strict
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Permissions are made after migrate; a data migration runs before, so make them now.
    for app_label in ("auth", "authtoken", "resolutions"):
        create_permissions(global_apps.get_app_config(app_label), verbosity=0, apps=apps, using=using)
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        wanted = []
        for codename in codenames:
            app_label, _, code = codename.rpartition(".")
            permission = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label or "resolutions", codename=code)
                .first()
            )
            if permission is None and strict:
                raise LookupError(f"There is no permission {codename} for the role {name}.")
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)


# ---- the editorial rule --------------------------------------------------------------------------


class EditorialState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("editorial state", "Draft")
    IN_REVIEW = "in_review", pgettext_lazy("editorial state", "In review")
    PUBLISHED = "published", pgettext_lazy("editorial state", "Published")
    WITHDRAWN = "withdrawn", pgettext_lazy("editorial state", "Withdrawn")


# (from, to) -> what the user must be allowed on the model: "change" or "publish".
MOVES = {
    (EditorialState.DRAFT, EditorialState.IN_REVIEW): "change",
    (EditorialState.IN_REVIEW, EditorialState.PUBLISHED): "publish",
    (EditorialState.IN_REVIEW, EditorialState.DRAFT): "publish",
    (EditorialState.PUBLISHED, EditorialState.WITHDRAWN): "publish",
    (EditorialState.PUBLISHED, EditorialState.DRAFT): "publish",
    (EditorialState.WITHDRAWN, EditorialState.DRAFT): "publish",
}
MOVE_NAMES = {
    EditorialState.IN_REVIEW: "Submitted for review",
    EditorialState.PUBLISHED: "Published",
    EditorialState.DRAFT: "Sent back to draft",
    EditorialState.WITHDRAWN: "Withdrawn",
}
EDITED = "Edited"
EDITED_BACK_TO_REVIEW = "Edited after publication: back to review"
FOLLOWED_CHANGED_BACK_TO_REVIEW = "What it follows was changed: back to review"


def fingerprint(content):
    """A digest of reviewed content (JSON-able: strings, numbers, dates, lists)."""
    text = json.dumps(content, default=str, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


class Reviewed(models.Model):
    """Content the public sees only once a second person has reviewed it (see the module's docstring).

    A subclass defines reviewed_content() and has `author` and a simple-history `history`.
    """

    state = models.CharField(max_length=16, choices=EditorialState.choices, default=EditorialState.DRAFT)
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text="Who last changed its public content: they cannot publish it.",
    )
    content_fingerprint = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Digest of its public content when its last edit was recorded.",
    )

    reviewed_name = _("an item")  # in messages: "a note", "an assessment"
    # Related names of the Reviewed items made from its content (a note's "translations"): when its content
    # changes, their published ones go back to review (record_edit).
    followers = ()
    # Fields only the workflow writes: a form (or a history revert) never sets them.
    EDITORIAL_FIELDS = ("state", "last_edited_by", "content_fingerprint")

    class Meta:
        abstract = True

    def reviewed_content(self):
        """Its public content, read from the database, as JSON-able data."""
        raise NotImplementedError

    def incomplete(self):
        """Why it may not go to review yet ("" when it may)."""
        return ""

    def permission(self, action):
        return f"{self._meta.app_label}.{action}_{self._meta.model_name}"

    def content_changed(self):
        return fingerprint(self.reviewed_content()) != self.content_fingerprint

    def record_edit(self, user):
        """Record that `user` wrote its content (call after the write, in its transaction).

        Returns True when a published item went back to review. No-op when the content is unchanged.
        """
        digest = fingerprint(self.reviewed_content())
        if digest == self.content_fingerprint:
            return False
        problem = self.incomplete()
        if problem:
            raise ValidationError(problem)
        back = self.state == EditorialState.PUBLISHED
        with transaction.atomic():
            self.content_fingerprint = digest
            self.last_edited_by = user if user is not None and user.is_authenticated else None
            if back:
                self.state = EditorialState.IN_REVIEW
            self._save_editorial(user, EDITED_BACK_TO_REVIEW if back else EDITED)
            followers = self._send_followers_back(user)
        if back:
            logs.editorial_move(self, EditorialState.PUBLISHED, self.state, user, EDITED_BACK_TO_REVIEW)
        for follower in followers:
            logs.editorial_move(
                follower, EditorialState.PUBLISHED, follower.state, user, FOLLOWED_CHANGED_BACK_TO_REVIEW
            )
        return back

    def _send_followers_back(self, user):
        """Its published followers back to review, whatever its own state: a withdrawn note's published
        translation would otherwise show the old text again once the note is published again."""
        moved = []
        for name in self.followers:
            for follower in getattr(self, name).filter(state=EditorialState.PUBLISHED):
                follower.state = EditorialState.IN_REVIEW
                follower._save_editorial(user, FOLLOWED_CHANGED_BACK_TO_REVIEW)
                moved.append(follower)
        return moved

    def seal_content(self):
        """Take its present content as recorded, with no editor: only for data that arrives already
        reviewed (the bundled demonstration notes, the migration of existing rows), never a user's write."""
        self.content_fingerprint = fingerprint(self.reviewed_content())
        type(self).objects.filter(pk=self.pk).update(content_fingerprint=self.content_fingerprint)

    def allowed_transitions(self, user):
        """The states `user` may move it to now."""
        return {
            to_state
            for (from_state, to_state), action in MOVES.items()
            if from_state == self.state
            and user.has_perm(self.permission(action))
            and not self.review_problem(to_state, user)
        }

    def transition(self, to_state, user, comment=""):
        """Move it to `to_state` as `user`, recording who and when in its history."""
        if to_state not in EditorialState.values:
            raise ValidationError(gettext("“%(state)s” is not an editorial state.") % {"state": to_state})
        to_state = EditorialState(to_state)
        action = MOVES.get((self.state, to_state))
        if action is None:
            raise ValidationError(
                gettext("%(item)s cannot go from %(from)s to %(to)s.")
                % {
                    "item": capfirst(self._meta.verbose_name),
                    "from": str(EditorialState(self.state).label).lower(),
                    "to": str(to_state.label).lower(),
                }
            )
        if not user.has_perm(self.permission(action)):
            raise PermissionDenied(
                gettext(
                    "You may not move %(item)s from %(from)s to %(to)s: only reviewers may publish, send back "
                    "or withdraw."
                )
                % {
                    "item": self._meta.verbose_name,
                    "from": str(EditorialState(self.state).label).lower(),
                    "to": str(to_state.label).lower(),
                }
            )
        problem = self.review_problem(to_state, user)
        if problem:
            raise ValidationError(problem)
        from_state = self.state
        with transaction.atomic():
            self.state = to_state
            self._save_editorial(user, comment or MOVE_NAMES[to_state])
        logs.editorial_move(self, from_state, to_state, user, comment or MOVE_NAMES[to_state])

    def review_problem(self, to_state, user):
        """Why `user` may not move it to `to_state` under the rule ("" when they may)."""
        if to_state not in (EditorialState.IN_REVIEW, EditorialState.PUBLISHED):
            return ""
        if self.content_changed():
            return gettext(
                "Its content was changed without the change being recorded: save the %(item)s again (the "
                "change is then yours) before it goes on."
            ) % {"item": self._meta.verbose_name}
        problem = self.incomplete()
        if problem or to_state != EditorialState.PUBLISHED:
            return problem
        item = {"item": self.reviewed_name}
        if self.author_id is not None and self.author_id == user.pk:
            return gettext("A second person must review %(item)s: its author cannot publish it.") % item
        if self.last_edited_by_id is not None and self.last_edited_by_id == user.pk:
            return (
                gettext(
                    "A second person must review %(item)s: whoever last changed its content cannot publish it."
                )
                % item
            )
        submission = self.last_moved_to(EditorialState.IN_REVIEW)
        if submission is not None and submission.history_user_id == user.pk:
            return (
                gettext("A second person must review %(item)s: whoever submitted it cannot publish it.")
                % item
            )
        return ""

    def _save_editorial(self, user, reason):
        self._history_user = user
        self._change_reason = reason
        self.save(update_fields=list(self.EDITORIAL_FIELDS))
        del self._change_reason

    def transitions(self):
        """The history rows in which its state changed, oldest first: who moved it where, and when."""
        moves, previous = [], None
        for record in self.history.order_by("history_date", "history_id").select_related("history_user"):
            if record.state != previous:
                moves.append(record)
            previous = record.state
        return moves

    def last_moved_to(self, state):
        """The history row of the latest move into `state`, or None."""
        moves = [record for record in self.transitions() if record.state == state] if self.pk else []
        return moves[-1] if moves else None


def with_arrival(queryset):
    """Annotate each item of `queryset` (of one Reviewed model) with the move into its present state, as
    last_moved_to(item.state) finds it, in the same query: arrival_id (its history row's id), arrival_at
    (when) and departure_id (the history row just before, in another state: None for an item that has
    never left the state it was made in). History ids count up, so the latest row in another state is the
    one just before the move. Read the rows themselves with attach_arrivals()."""
    rows = queryset.model.history.model.objects.filter(id=OuterRef("pk")).order_by()
    departure = rows.exclude(state=OuterRef("state")).order_by("-history_id").values("history_id")[:1]
    arrival = rows.filter(state=OuterRef("state"), history_id__gt=Coalesce(OuterRef("departure_id"), 0))
    arrival = arrival.order_by("history_id")
    return queryset.annotate(departure_id=Subquery(departure)).annotate(
        arrival_id=Subquery(arrival.values("history_id")[:1]),
        arrival_at=Subquery(arrival.values("history_date")[:1]),
    )


def attach_arrivals(items):
    """For items read through with_arrival(): item.arrival, the history row of the move into its present
    state (with history_user: who, history_date: when, history_change_reason: the move or the reviewer's
    comment), and item.arrived_from, the state it left (None for a new item). One query for all."""
    items = list(items)
    if not items:
        return items
    ids = {item.arrival_id for item in items} | {item.departure_id for item in items}
    model = type(items[0]).history.model
    rows = model.objects.filter(history_id__in=ids - {None}).select_related("history_user").in_bulk()
    for item in items:
        item.arrival = rows.get(item.arrival_id)
        departure = rows.get(item.departure_id)
        item.arrived_from = departure.state if departure else None
    return items
