"""Subscriptions in the admin (resolutions/alerts_admin.py): staff look, administrators alone read
addresses, nobody edits consent."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from resolutions.workflow import ROLE_GROUPS
from tests.factories import NoteFactory, SubscriptionFactory, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(client, role):
    user = UserFactory(username=role)
    user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "sees_address"), [("editor", False), ("reviewer", False), ("administrator", True)]
)
def test_staff_see_subscriptions_and_only_administrators_read_addresses(client, role, sees_address):
    subscription = SubscriptionFactory(email="ann.reader@example.net", query="country=kaz")
    client = signed_in(client, role)

    listing = client.get(reverse("admin:resolutions_subscription_changelist"))
    detail = client.get(reverse("admin:resolutions_subscription_change", args=[subscription.pk]))

    assert listing.status_code == detail.status_code == 200
    assert "country=kaz" in listing.text
    assert ("ann.reader@example.net" in listing.text + detail.text) is sees_address
    assert "a\u2026@example.net" in listing.text or sees_address


@pytest.mark.parametrize("role", ["editor", "administrator"])
def test_nobody_adds_or_edits_a_subscription_in_the_admin(client, role):
    subscription = SubscriptionFactory(email="ann@example.net")
    client = signed_in(client, role)
    assert client.get(reverse("admin:resolutions_subscription_add")).status_code == 403
    response = client.post(
        reverse("admin:resolutions_subscription_change", args=[subscription.pk]),
        {"email": "someone@else.example", "confirmed_at": ""},
    )
    assert response.status_code == 403
    subscription.refresh_from_db()
    assert (subscription.email, subscription.is_active) == ("ann@example.net", True)


def test_deliveries_say_what_was_sent_and_what_a_stopped_run_left(client):
    from resolutions.models import Delivery

    subscription = SubscriptionFactory()
    Delivery.objects.create(subscription=subscription, note=NoteFactory(title="Left unsent"))
    client = signed_in(client, "reviewer")
    response = client.get(reverse("admin:resolutions_delivery_changelist"))
    assert response.status_code == 200
    assert "Left unsent" in response.text
