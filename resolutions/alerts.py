"""E-mail alerts: what a subscription is sent, and sending it once.

- `Follow`: a topic's list (its FilterSet from resolutions.filters, the public rows it filters, the
  Delivery field that records an item, its list page), so that a subscription's query means on the
  mail what it means on the page.
- Signed links (django.core.signing, one salt per purpose): confirm (expires), unsubscribe (never
  expires: it is in every message), my alerts (expires; mailed on request).
- `send_due(...)`: what `manage.py send_alerts` runs. Per subscription, in turn: the public items
  published since it was confirmed and not yet delivered; their Delivery rows are claimed (committed,
  unique per subscription and item) before the message goes, and marked sent once the mail server
  took it. A send that fails releases its claim (retried next run); a run killed between claim and
  send leaves a claim never sent again: a message may be lost in that instant, never sent twice.
- `within_limit(...)`: the forms' abuse limits, counted in the shared cache.
"""

import dataclasses
import hashlib
import html
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from resolutions.filters import AssessmentFilter, NoteFilter, ResolutionFilter
from resolutions.models import Assessment, ImplementationNote, Resolution
from resolutions.subscriptions import AlertFrequency, AlertTopic, Delivery, Subscription
from resolutions.workflow import with_arrival

CONFIRM_MAX_AGE = 3 * 24 * 60 * 60  # seconds a confirmation link works
MANAGE_MAX_AGE = 7 * 24 * 60 * 60  # seconds a "my alerts" link works
MAX_ITEMS = 200  # items one message claims; more wait for the next one
LISTED_ITEMS = 50  # items one message lists; it links to the list for the rest
SUMMARY_CHARS = 300


@dataclasses.dataclass(frozen=True)
class Follow:
    topic: str
    filterset: type
    field: str  # the Delivery field that records an item
    list_url: str
    everything: str  # what it follows with no filter, "All implementation notes"
    noun: Callable[[int], str]  # what a message counts, for a number: "implementation notes"

    def public_since(self, since):
        """The public items that became public at or after `since` (datetime)."""
        if self.topic == AlertTopic.NOTES:
            # A publish saves the note, so updated_at narrows the rows before their history is read.
            notes = ImplementationNote.objects.published().filter(updated_at__gte=since)
            return with_arrival(notes).filter(arrival_at__gte=since).with_links()
        if self.topic == AlertTopic.STATUS:
            assessments = Assessment.objects.published().select_related(
                "paragraph__resolution", "paragraph__parent"
            )
            return with_arrival(assessments).filter(arrival_at__gte=since)
        return Resolution.objects.filter(created_at__gte=since)

    def form(self, query, queryset=None):
        """The topic's FilterSet bound to `query` (a query string or QueryDict)."""
        data = QueryDict(query) if isinstance(query, str) else query
        return self.filterset(
            data, queryset=queryset if queryset is not None else self.filterset._meta.model.objects.none()
        )


FOLLOWS = {
    AlertTopic.NOTES: Follow(
        AlertTopic.NOTES,
        NoteFilter,
        "note",
        "resolutions:note-list",
        gettext_lazy("All implementation notes"),
        lambda count: ngettext("implementation note", "implementation notes", count),
    ),
    AlertTopic.RESOLUTIONS: Follow(
        AlertTopic.RESOLUTIONS,
        ResolutionFilter,
        "resolution",
        "resolutions:resolution-list",
        gettext_lazy("All newly imported resolutions"),
        lambda count: ngettext("resolution", "resolutions", count),
    ),
    AlertTopic.STATUS: Follow(
        AlertTopic.STATUS,
        AssessmentFilter,
        "assessment",
        "resolutions:resolution-list",
        gettext_lazy("All status of operative paragraphs"),
        lambda count: ngettext("status change", "status changes", count),
    ),
}
# Parameters of a list page that say how it is shown, not what it holds.
NOT_FOLLOWED = {"page", "ordering", "format", "print", "per_page"}


class NotFollowable(ValueError):
    """A topic or query that cannot be followed; the message says why, for the reader."""


def normalize(topic, query):
    """(topic, the query string stored: the topic's filters only, sorted, non-empty) or NotFollowable.
    `query` is a QueryDict or a query string."""
    if topic not in FOLLOWS:
        raise NotFollowable(_("There are no alerts for “%(topic)s”.") % {"topic": topic})
    follow = FOLLOWS[topic]
    data = QueryDict(query) if isinstance(query, str) else query
    names = set(follow.filterset.base_filters) - NOT_FOLLOWED
    pairs = sorted(
        (name, value.strip())
        for name, values in data.lists()
        if name in names
        for value in values
        if value.strip()
    )
    form = follow.form(urlencode(pairs)).form
    if not form.is_valid():
        problems = "; ".join(
            f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()
        )
        raise NotFollowable(_("These filters cannot be followed: %(problems)s") % {"problems": problems})
    query = urlencode(pairs)
    if len(query) > Subscription._meta.get_field("query").max_length:
        raise NotFollowable(_("These filters are too long to follow."))
    return topic, query


def describe(topic, query):
    """What a subscription follows, in words: "Implementation notes — Country: Kazakhstan; Theme: Water"."""
    follow = FOLLOWS.get(topic)
    if follow is None:
        return topic
    what = str(AlertTopic(topic).label)
    if not query:
        return str(follow.everything)
    form = follow.form(query).form
    if not form.is_valid():
        return f"{what} — {query}"
    chosen = [
        f"{form.fields[name].label}: {value}"
        for name, value in form.cleaned_data.items()
        if value not in (None, "", [])
    ]
    return f"{what} — {'; '.join(chosen)}"


def matching(subscription):
    """The public items `subscription` is to be told about and has not been (None: its stored filters no
    longer apply, e.g. a theme was removed; it matches nothing rather than everything)."""
    follow = FOLLOWS[subscription.topic]
    candidates = follow.public_since(subscription.confirmed_at)
    delivered = Delivery.objects.filter(subscription=subscription, **{f"{follow.field}__isnull": False})
    candidates = candidates.exclude(pk__in=delivered.values(follow.field))
    filterset = follow.form(subscription.query, candidates)
    if not filterset.is_valid():
        return None
    return filterset.qs


def status_page(symbol, number=""):
    """The address of the paragraph (or resolution) whose status changes are followed, or "" when the
    query's values make no address (they are plain text nobody checked: never a link that fails)."""
    try:
        if number:
            return reverse(
                "resolutions:paragraph-detail", kwargs={"symbol": symbol, "number": number.strip()}
            )
        return reverse("resolutions:resolution-detail", kwargs={"symbol": symbol})
    except NoReverseMatch:
        return ""


def list_url(subscription):
    """The page that lists what the subscription follows."""
    follow = FOLLOWS[subscription.topic]
    query = QueryDict(subscription.query)
    if subscription.topic == AlertTopic.STATUS and query.get("resolution"):
        page = status_page(query["resolution"], query.get("paragraph", ""))
        if page:
            return page
    return reverse(follow.list_url) + (f"?{subscription.query}" if subscription.query else "")


def as_entry(topic, item):
    """One item as a message lists it: title, path, date, summary, where."""
    if topic == AlertTopic.NOTES:
        where = ", ".join(str(paragraph) for paragraph in item.paragraph_list)
        # The rendered body as plain words (no Markdown marks), cut at a word.
        summary = Truncator(" ".join(html.unescape(strip_tags(item.body_html)).split())).chars(SUMMARY_CHARS)
        return {
            "title": item.title,
            "path": item.get_absolute_url(),
            "date": item.start_date,
            "summary": summary,
            "where": where,
        }
    if topic == AlertTopic.STATUS:
        return {
            "title": f"{item.paragraph}: {item.get_status_display()}",
            "path": item.paragraph.get_absolute_url(),
            "date": item.as_of,
            "summary": Truncator(item.rationale).chars(SUMMARY_CHARS),
            "where": str(item.paragraph),
        }
    return {
        "title": str(item),
        "path": item.get_absolute_url(),
        "date": item.adopted_on,
        "summary": "",
        "where": "",
    }


# Signed links.

SALT = "resolutions.alerts."


def sign(purpose, value):
    return signing.TimestampSigner(salt=SALT + purpose).sign_object(value)


def unsign(purpose, token, max_age=None):
    """The value signed for `purpose`; signing.BadSignature (or its SignatureExpired) if not."""
    return signing.TimestampSigner(salt=SALT + purpose).unsign_object(token, max_age=max_age)


def link(base, name, token):
    return base + reverse(f"resolutions:{name}", kwargs={"token": token})


def confirm_token(subscription):
    return sign("confirm", {"s": subscription.pk, "e": subscription.email})


def unsubscribe_token(subscription):
    return sign("unsubscribe", {"s": subscription.pk, "e": subscription.email})


def manage_token(email):
    return sign("manage", {"e": email.lower()})


def subscription_from(purpose, token, max_age=None):
    """The subscription a confirm or unsubscribe token names, or None (bad, expired or gone)."""
    try:
        value = unsign(purpose, token, max_age=max_age)
        return Subscription.objects.filter(pk=value["s"], email=value["e"]).first()
    except (signing.BadSignature, KeyError, TypeError):
        return None


def email_from(token):
    try:
        return unsign("manage", token, max_age=MANAGE_MAX_AGE)["e"]
    except (signing.BadSignature, KeyError, TypeError):
        return None


# Messages.


def linked_language(language):
    """The language a message's links are in: `language` where the interface offers it (/ru/…), else
    the default (unprefixed), never an address that answers 404."""
    offered = {code for code, _name in settings.LANGUAGES}
    return language if language in offered else settings.LANGUAGE_CODE


def message(to, template, context, language, connection=None, headers=None):
    """A plain-text message with its HTML alternative, from templates/alerts/<template>.txt|.html and
    <template>_subject.txt, written in `language` (where the interface has it)."""
    context = {**context, "language": language}
    with translation.override(language):
        subject = " ".join(render_to_string(f"alerts/{template}_subject.txt", context).split())
        text = render_to_string(f"alerts/{template}.txt", context)
        html_body = render_to_string(f"alerts/{template}.html", context)
    mail = EmailMultiAlternatives(subject, text, to=[to], connection=connection, headers=headers or {})
    mail.attach_alternative(html_body, "text/html")
    return mail


def unsubscribe_headers(url):
    # RFC 2369 and RFC 8058: mail programs offer a one-click "unsubscribe" that POSTs to the link.
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }


# Each message is made in the subscriber's language: its words, and its links under that language's
# prefix (reverse() adds it), whoever sends it (a request in another language, send_alerts).


def confirmation(subscription, base):
    with translation.override(linked_language(subscription.language)):
        context = {
            "description": describe(subscription.topic, subscription.query),
            "subscription": subscription,
            "confirm_url": link(base, "alert-confirm", confirm_token(subscription)),
            "days": CONFIRM_MAX_AGE // 86400,
            "site_url": base,
        }
    return message(subscription.email, "confirm", context, subscription.language)


def manage_message(email, language, base):
    with translation.override(linked_language(language)):
        context = {
            "manage_url": link(base, "alert-manage", manage_token(email)),
            "days": MANAGE_MAX_AGE // 86400,
            "site_url": base,
        }
    return message(email, "manage", context, language)


def alert_message(subscription, items, total, base, connection=None):
    follow = FOLLOWS[subscription.topic]
    with translation.override(linked_language(subscription.language)):
        unsubscribe_url = link(base, "alert-unsubscribe", unsubscribe_token(subscription))
        entries = [as_entry(subscription.topic, item) for item in items[:LISTED_ITEMS]]
        for entry in entries:
            entry["url"] = base + entry["path"]
        context = {
            "subscription": subscription,
            "description": describe(subscription.topic, subscription.query),
            "entries": entries,
            "total": total,
            "more": total - len(entries),
            "noun": follow.noun(total),
            "weekly": subscription.frequency == AlertFrequency.WEEKLY,
            "list_url": base + list_url(subscription),
            "unsubscribe_url": unsubscribe_url,
            "manage_url": link(base, "alert-manage", manage_token(subscription.email)),
            "site_url": base,
        }
    return message(
        subscription.email,
        "alert",
        context,
        subscription.language,
        connection,
        unsubscribe_headers(unsubscribe_url),
    )


# Sending.


@dataclasses.dataclass
class Outcome:
    subscription: Subscription
    items: int = 0
    sent: bool = False
    skipped: str = ""  # why nothing was sent
    error: str = ""


def claim(subscription, items):
    """Record that `items` go to `subscription` (committed); [] if another run claimed any of them first."""
    field = FOLLOWS[subscription.topic].field
    try:
        with transaction.atomic():
            return Delivery.objects.bulk_create(
                [Delivery(subscription=subscription, **{field: item}) for item in items]
            )
    except IntegrityError:
        return []


def send_to(subscription, connection, base, dry_run=False, now=None):
    """Send `subscription` what it is due (one message) and return what happened."""
    outcome = Outcome(subscription)
    if not subscription.digest_due(now):
        outcome.skipped = "digest not due"
        return outcome
    pending = matching(subscription)
    if pending is None:
        outcome.skipped = "its filters no longer apply"
        return outcome
    items = list(pending[:MAX_ITEMS])
    outcome.items = len(items)
    if not items:
        outcome.skipped = "nothing new"
        return outcome
    if dry_run:
        return outcome
    claimed = claim(subscription, items)
    if not claimed:
        outcome.skipped = "claimed by another run"
        return outcome
    claims = Delivery.objects.filter(pk__in=[delivery.pk for delivery in claimed])
    try:
        alert_message(subscription, items, len(items), base, connection).send()
    except BaseException as error:
        # Not sent: the claim goes, so the next run sends these items.
        claims.delete()
        outcome.error = f"{type(error).__name__}: {error}"
        raise
    sent_at = timezone.now()
    claims.update(sent_at=sent_at)
    Subscription.objects.filter(pk=subscription.pk).update(last_sent_at=sent_at)
    outcome.sent = True
    return outcome


# Abuse limits.


def within_limit(scope, who, limit, seconds):
    """Count one more request by `who` in `scope`; False once there have been more than `limit` within
    `seconds` (the window starts at the first). In the shared cache, so every app server counts alike."""
    if limit <= 0:
        return True
    key = f"alerts-limit:{scope}:{hashlib.sha256(who.lower().encode()).hexdigest()}"
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, seconds)
        count = 1
    return count <= limit


def mails_to_address_allowed(email):
    return within_limit("address", email, settings.ALERTS_MAILS_PER_ADDRESS_PER_DAY, 24 * 60 * 60)


def requests_from_address_allowed(ip):
    return within_limit("ip", ip or "unknown", settings.ALERTS_REQUESTS_PER_IP_PER_HOUR, 60 * 60)
