"""Editorial workflow of implementation notes: roles, states and who may move a note where.

Interface (for the admin, the REST API and the spreadsheet import alike):

    note.allowed_transitions(user) -> set[str]
        The states `user` may move this note to now (NoteState values).
    note.transition(to_state, user, comment="")
        Moves the note and saves it (only its state). Raises
        django.core.exceptions.PermissionDenied when the user's role may not make this move, and
        django.core.exceptions.ValidationError when the move does not exist from the current state
        or breaks the four-eyes rule (the author or the submitter of a note cannot publish it).
        Who moved it and when is the note's history row (history_user, history_date, the new
        state; history_change_reason says which move): see note.transitions().
    note.mark_edited_by(user) -> bool
        Call it after saving an edit, in the same transaction. A published note edited by someone
        without the publish permission goes back to review (recorded as a transition); returns
        True when it did.
    note.changes_since(version) -> list[str]
        Optimistic concurrency: every save increments note.version. A writer that loaded version
        N and finds note.version != N must refuse the write; this says what changed meanwhile.
    ImplementationNote.restore_deleted(pk, user)
        Brings a deleted note back as a draft, with its paragraphs, vocabularies and sources.

States and moves (TRANSITIONS below; the publish permission is "resolutions.publish_implementationnote"):

    draft ──submit──▶ in_review ──publish──▶ published ──withdraw──▶ withdrawn
      ▲                   │                      │                      │
      └──send back────────┴──────────────────────┴────────reopen────────┘

Editors may only submit (they hold change_implementationnote); Reviewers and Administrators hold
the publish permission and may make every move. New notes, including imported ones, are drafts.

Roles are Django groups with exactly the permissions of ROLE_PERMISSIONS. A data migration creates
them; `manage.py sync_roles` (and `createstaff`, before it adds anyone) puts them back in step with
this list, e.g. after someone edited a group by hand. A change to the list ships with a data
migration that calls ensure_roles(), as the first one does.
"""

from django.apps import apps as global_apps

EDITORS = "Editors"
REVIEWERS = "Reviewers"
ADMINISTRATORS = "Administrators"

PUBLISH_PERMISSION = "resolutions.publish_implementationnote"
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
    "view_countryvote",
    "view_resolutiontext",
    "view_paragraphtext",
    "add_implementationnote",
    "change_implementationnote",
    "view_implementationnote",
    "add_notesource",
    "change_notesource",
    "delete_notesource",
    "view_notesource",
    "add_assessment",
    "change_assessment",
    "view_assessment",
]
_EVERY_ACTION = ["add", "change", "delete", "view"]

# Group name -> codenames of permissions of the resolutions app (and "auth." ones for users).
ROLE_PERMISSIONS = {
    EDITORS: _NOTE_WORK,
    REVIEWERS: [*_NOTE_WORK, "publish_implementationnote", "delete_implementationnote"],
    ADMINISTRATORS: [
        *(
            f"{action}_{model}"
            for model in [
                "resolution",
                "resolutiontext",
                "paragraph",
                "paragraphtext",
                "footnote",
                "reference",
                "country",
                "countryvote",
                "entity",
                "theme",
                "subject",
                "series",
                "implementationnote",
                "notesource",
                "assessment",
            ]
            for action in _EVERY_ACTION
        ),
        "publish_implementationnote",
        "restore_implementationnote",
        "import_resolution",
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "auth.view_group",
    ],
}


def ensure_roles(apps=global_apps, using="default"):
    """Create the three groups and give each exactly the permissions of ROLE_PERMISSIONS."""
    from django.contrib.auth.management import create_permissions

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Permissions are made after migrate; a data migration runs before, so make them now.
    for app_label in ("auth", "resolutions"):
        create_permissions(global_apps.get_app_config(app_label), verbosity=0, apps=apps, using=using)
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        wanted = []
        for codename in codenames:
            app_label, _, code = codename.rpartition(".")
            wanted.append(
                Permission.objects.using(using).get(
                    content_type__app_label=app_label or "resolutions", codename=code
                )
            )
        group.permissions.set(wanted)
