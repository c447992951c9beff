"""Published-note counters kept on the rows notes link to: paragraphs, countries, themes, entities.

Each of those rows has a ``published_note_count`` column, so that a country's page, the countries
of the API or a resolution's paragraphs show their counts without counting at request time (at
200,000 notes a count over one country's links took seconds).

The counters are kept in step by signals, whatever path changes a note (the admin and its
inlines, History revert, bulk actions, the API, spreadsheet import, the shell):

- a note saved while published, or saved out of the published state (publish, withdraw, an edit
  that sends it back to review): the rows it links to are recounted;
- a link added, removed or cleared (from either end) on a published note: the rows concerned are
  recounted;
- a published note deleted: the rows it linked to are recounted once its links are gone.

A recount is exact (a correlated count over the link table, the same expression as
``published_note_count``), so the counters cannot drift by a missed increment, and its cost is the
number of links of the rows concerned: paid on write, never on read. Rows loaded by other means
(bulk_create, raw SQL, ``loaddata``) are put right by ``recount_all()``, which ``manage.py
optimize_db`` runs.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from resolutions.models import ImplementationNote, NoteState, published_note_count

# The note's many-to-many relations whose targets keep a published_note_count.
COUNTED = ("paragraphs", "countries", "themes", "entities")

_UNKNOWN = object()


def _relation(name):
    field = ImplementationNote._meta.get_field(name)
    return field.remote_field.through, field.related_model, field.m2m_reverse_field_name()


def recount(name, ids):
    """Recount the published notes of the targets ``ids`` of the relation ``name``."""
    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return
    _, model, _ = _relation(name)
    model.objects.filter(pk__in=ids).update(published_note_count=published_note_count(name))


def recount_all(using="default"):
    """Recount every target of every counted relation, writing only the counters that were wrong:
    one UPDATE a relation. Returns how many were corrected."""
    corrected = 0
    for name in COUNTED:
        _, model, _ = _relation(name)
        count = published_note_count(name)
        corrected += (
            model.objects.using(using).exclude(published_note_count=count).update(published_note_count=count)
        )
    return corrected


def linked_ids(note):
    """{relation: ids of the rows the note links to}, read from the link tables."""
    linked = {}
    for name in COUNTED:
        through, _, target = _relation(name)
        linked[name] = list(
            through.objects.filter(implementationnote_id=note.pk).values_list(f"{target}_id", flat=True)
        )
    return linked


def remember_state(note):
    """Note the state the row has in the database (after loading or saving it)."""
    note._counted_state = note.__dict__.get("state", _UNKNOWN)


def _note_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return  # loaddata: recount_all() after
    before = None if created else getattr(instance, "_counted_state", _UNKNOWN)
    if NoteState.PUBLISHED in (before, instance.state) or before is _UNKNOWN:
        for name, ids in linked_ids(instance).items():
            recount(name, ids)
    remember_state(instance)


def _links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    name = _THROUGH.get(sender)
    if name is None or action not in ("post_add", "post_remove", "pre_clear", "post_clear"):
        return
    if reverse:
        # country.notes.add(note, ...): this one row's count may change.
        if action != "pre_clear":
            recount(name, [instance.pk])
        return
    if instance.state != NoteState.PUBLISHED:
        return
    if action == "pre_clear":
        instance._cleared_links = linked_ids(instance)[name]
    elif action == "post_clear":
        recount(name, getattr(instance, "_cleared_links", []))
    else:
        recount(name, pk_set or ())


def _note_deleting(sender, instance, **kwargs):
    if instance.__dict__.get("state", NoteState.PUBLISHED) == NoteState.PUBLISHED:
        instance._deleted_links = linked_ids(instance)


def _note_deleted(sender, instance, **kwargs):
    for name, ids in getattr(instance, "_deleted_links", {}).items():
        recount(name, ids)


_THROUGH = {}


def connect_signals():
    for name in COUNTED:
        through, _, _ = _relation(name)
        _THROUGH[through] = name
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"count-notes-{name}")
    post_save.connect(_note_saved, sender=ImplementationNote, dispatch_uid="count-notes-save")
    pre_delete.connect(_note_deleting, sender=ImplementationNote, dispatch_uid="count-notes-deleting")
    post_delete.connect(_note_deleted, sender=ImplementationNote, dispatch_uid="count-notes-deleted")
