"""The public-content generation: the one number every cached public page is stored under.

Pages cached for anonymous visitors (resolutions/middleware.py) are stored with the generation
they were made in and served only while it is still current. Anything that changes what the
public sees bumps it, so every cached page goes stale at once, on every server sharing the cache:
a save or delete of a public model and a change to its links (receivers connected in
ResolutionsConfig.ready()), and an import, whose bulk writes send no signals (importer/loader.py).

Every change to a note bumps it, drafts too: telling a draft's edit from a withdrawal would need the
row's state before the save, and a few extra cache misses cost less than one stale page.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION_KEY = "public-content-generation"


def _fresh_generation():
    # Not 1: if the key is evicted, a restart from 1 could match pages stored under an old 1, 2, ...
    return time.time_ns() // 1000


def current_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def read(key):
    """(the current generation, what was stored under `key` in it or None), in one round trip."""
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY) or current_generation()
    stored = found.get(key)
    if stored is None or stored[0] != generation:
        return generation, None
    return generation, stored[1]


def store(key, generation, value, timeout):
    """Keep `value` under `key` for as long as `generation` is current (and `timeout` seconds at most)."""
    cache.set(key, (generation, value), timeout)


def remember(key, compute):
    """``compute()``, kept in the shared cache until public content changes: for figures that
    would otherwise cost a scan of every note on each request (counts per country, theme, partner).
    Kept as long as pages are (PAGE_CACHE_SECONDS, or PUBLIC_CACHE_SECONDS when pages are not kept);
    0 for both computes every time."""
    timeout = settings.PAGE_CACHE_SECONDS or settings.PUBLIC_CACHE_SECONDS
    if timeout <= 0:
        return compute()
    generation, value = read(f"remembered:{key}")
    if value is None:
        value = compute()
        store(f"remembered:{key}", generation, value, timeout)
    return value


def _bump():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # never set, or evicted
        cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)


def bump_public_content():
    """Make every cached public page stale, now and again when the current transaction commits.

    Now, so that this request and tests see the change; at commit, because a page rendered by
    another request between the two still shows the uncommitted past and was stored as current.
    """
    _bump()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(func is _bump for _, func, _ in connection.run_on_commit):
        transaction.on_commit(_bump)


def _changed(sender, **kwargs):
    bump_public_content()


def _links_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        bump_public_content()


def connect_signals():
    """Bump the generation whenever a row the public can see is saved, deleted or relinked."""
    from resolutions import models

    # Rows the public sees. Their children without a history (texts, footnotes, references, votes)
    # get no delete receiver: a receiver would stop Django deleting them in bulk with their
    # resolution, whose own delete bumps; the importer, which replaces them, bumps itself.
    deleted_alone = [
        models.Resolution,
        models.Paragraph,
        models.Series,
        models.Subject,
        models.Country,
        models.Entity,
        models.Theme,
        models.ImplementationNote,
        models.NoteSource,
        models.NoteTranslation,
        models.Assessment,
    ]
    children = [
        models.ResolutionText,
        models.ParagraphText,
        models.Footnote,
        models.Reference,
        models.CountryVote,
        models.Mandate,  # staff's corrections show on the mandates page and each paragraph's
        models.SeriesLink,  # staff's decisions show on the series, changes and resolution pages
    ]
    for model in deleted_alone + children:
        post_save.connect(_changed, sender=model, dispatch_uid=f"public-content-saved-{model.__name__}")
    for model in deleted_alone:
        post_delete.connect(_changed, sender=model, dispatch_uid=f"public-content-deleted-{model.__name__}")
    links = [
        models.ImplementationNote.paragraphs,
        models.ImplementationNote.countries,
        models.ImplementationNote.entities,
        models.ImplementationNote.themes,
        models.Resolution.subjects,
        models.Footnote.paragraphs,
        models.Mandate.addressee_entities,
    ]
    for link in links:
        m2m_changed.connect(
            _links_changed, sender=link.through, dispatch_uid=f"public-content-linked-{link.through.__name__}"
        )
