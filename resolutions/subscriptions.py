"""E-mail alerts: who follows what (Subscription) and what each was sent (Delivery).

A subscription follows one topic, narrowed by a query string of the list it came from: the notes
list's (NoteFilter), the resolutions list's (ResolutionFilter) or paragraphs' status changes
(AssessmentFilter). It is inactive until its address confirms it (double opt-in) and after it is
unsubscribed; nothing is ever mailed about an item published before its confirmation. A Delivery per
(subscription, item), unique, is claimed before a message is sent: resolutions/alerts.py.

Imported by resolutions/models.py, so that Django finds these models in the app's models module.
"""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DIGEST_INTERVAL = datetime.timedelta(days=7)


class AlertTopic(models.TextChoices):
    NOTES = "notes", _("Implementation notes")
    RESOLUTIONS = "resolutions", _("Newly imported resolutions")
    STATUS = "status", _("Status of operative paragraphs")


class AlertFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("As soon as published")
    WEEKLY = "weekly", _("A weekly digest")


class SubscriptionQuerySet(models.QuerySet):
    def active(self):
        """Confirmed and not unsubscribed: the subscriptions send_alerts mails."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class Subscription(models.Model):
    email = models.EmailField(max_length=254, help_text="Where the alerts go; given by the subscriber.")
    topic = models.CharField(max_length=16, choices=AlertTopic.choices)
    query = models.CharField(
        max_length=1000,
        blank=True,
        help_text="The list's filters it follows, as a query string (empty: everything of its topic).",
    )
    frequency = models.CharField(
        max_length=16, choices=AlertFrequency.choices, default=AlertFrequency.IMMEDIATE
    )
    language = models.CharField(
        max_length=8, default="en", help_text="The language its messages are written in."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When its address confirmed it; only items published since are mailed.",
    )
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When its last alert was sent; a weekly digest is due a week after."
    )

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["email", "topic", "query"]
        constraints = [
            models.UniqueConstraint(fields=["email", "topic", "query"], name="subscription_unique_follow")
        ]
        indexes = [models.Index(fields=["confirmed_at", "unsubscribed_at"], name="subscription_active")]

    def __str__(self):
        return f"{self.get_topic_display()}{f' ({self.query})' if self.query else ''}"

    @property
    def is_active(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None

    def digest_due(self, now=None):
        """Whether an alert may go now: at once for immediate ones, a week after the last for digests."""
        if self.frequency != AlertFrequency.WEEKLY:
            return True
        since = self.last_sent_at or self.confirmed_at
        return since is None or (now or timezone.now()) >= since + DIGEST_INTERVAL


class Delivery(models.Model):
    """One item mailed (or being mailed) to one subscription: claimed before the message is sent, marked
    sent once the mail server accepted it. Unique per subscription and item, so nothing goes twice."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    note = models.ForeignKey(
        "resolutions.ImplementationNote", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    assessment = models.ForeignKey(
        "resolutions.Assessment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    resolution = models.ForeignKey(
        "resolutions.Resolution", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    claimed_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty: a run was stopped while sending it; it is never sent again."
    )

    class Meta:
        ordering = ["-claimed_at", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", field],
                condition=models.Q(**{f"{field}__isnull": False}),
                name=f"delivery_once_{field}",
            )
            for field in ("note", "assessment", "resolution")
        ] + [
            models.CheckConstraint(
                condition=models.Q(note__isnull=False, assessment__isnull=True, resolution__isnull=True)
                | models.Q(note__isnull=True, assessment__isnull=False, resolution__isnull=True)
                | models.Q(note__isnull=True, assessment__isnull=True, resolution__isnull=False),
                name="delivery_one_item",
            )
        ]

    def __str__(self):
        return f"{self.subscription_id}: {self.item}"

    @property
    def item(self):
        return self.note or self.assessment or self.resolution
