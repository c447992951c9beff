"""Mail every confirmed subscription what it is due: run it from cron (README, "E-mail alerts")."""

import datetime
import smtplib

from django.conf import settings
from django.core.mail import get_connection
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from resolutions import alerts
from resolutions.subscriptions import Delivery, Subscription

UNSURE_FOR = datetime.timedelta(days=1)


class Command(BaseCommand):
    help = (
        "Send e-mail alerts: each confirmed subscription gets one message with the published items it has "
        "not been sent (a weekly digest once a week). Safe to run again at any time, also after an "
        "interrupted run: an item is never sent twice to one subscription."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be sent; send and record nothing."
        )
        parser.add_argument(
            "--site-url", default=settings.SITE_URL, help="The site's address for links (default: SITE_URL)."
        )

    def handle(self, *args, dry_run=False, site_url="", **options):
        base = site_url.rstrip("/")
        # Claims of the last day never marked sent: a run stopped between claiming and sending (or one
        # running now). Said each run for a day, then left to the admin's Deliveries.
        unsure = Delivery.objects.filter(sent_at__isnull=True, claimed_at__gte=timezone.now() - UNSURE_FOR)
        if count := unsure.count():
            self.stderr.write(
                f"{count} item(s) were claimed in the last day and not marked sent: a run stopped while "
                "sending them, or another is sending them now. They are not sent again (see Deliveries "
                "in the admin)."
            )
        subscriptions = Subscription.objects.active().order_by("pk")
        sent = failed = 0
        connection = None if dry_run else get_connection()
        try:
            for subscription in subscriptions.iterator(chunk_size=500):
                try:
                    outcome = alerts.send_to(subscription, connection, base, dry_run=dry_run)
                except (smtplib.SMTPException, OSError) as error:
                    failed += 1
                    self.stderr.write(f"subscription {subscription.pk}: not sent, retried next run ({error})")
                    continue
                if outcome.sent:
                    sent += 1
                    self.stdout.write(f"subscription {subscription.pk}: sent {outcome.items} item(s)")
                elif dry_run and outcome.items:
                    sent += 1
                    self.stdout.write(f"subscription {subscription.pk}: would send {outcome.items} item(s)")
                elif outcome.skipped == "its filters no longer apply":
                    self.stderr.write(
                        f"subscription {subscription.pk}: skipped, {outcome.skipped} ({subscription.query})"
                    )
        finally:
            if connection is not None:
                connection.close()
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(f"{sent} message(s) {verb}" + (f", {failed} failed" if failed else "") + ".")
        if failed:
            raise CommandError(f"{failed} message(s) could not be sent; the next run tries them again.")
