"""resolutions/alerts.py: what a subscription follows, its signed links, claims and abuse limits."""

import re

import pytest
from django.http import QueryDict

from resolutions import alerts
from resolutions.models import Delivery
from tests.factories import NoteFactory, SubscriptionFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_a_query_is_kept_as_the_topics_filters_only_sorted_and_non_empty():
    query = QueryDict("theme=&page=3&ordering=title&utm_source=x&kind=meeting&country=kaz")
    assert alerts.normalize("notes", query) == ("notes", "country=kaz&kind=meeting")


def test_a_subscription_is_described_in_the_lists_words():
    ThemeFactory(slug="water", name="Water and energy")
    assert alerts.describe("notes", "") == "All implementation notes"
    assert alerts.describe("notes", "country=kaz&theme=water") == (
        "Implementation notes — Country: Kazakhstan; Theme: Water and energy"
    )
    assert alerts.describe("status", "resolution=A%2FRES%2F77%2F273&paragraph=3") == (
        "Status of operative paragraphs — Resolution: A/RES/77/273; Operative paragraph: 3"
    )


def test_each_link_works_for_its_own_purpose_only():
    subscription = SubscriptionFactory()
    unsubscribe = alerts.unsubscribe_token(subscription)
    assert alerts.subscription_from("unsubscribe", unsubscribe) == subscription
    assert alerts.subscription_from("confirm", unsubscribe) is None
    assert alerts.email_from(unsubscribe) is None


def test_a_link_for_an_alert_since_deleted_does_not_reach_a_newer_one_with_its_number():
    subscription = SubscriptionFactory(email="old@example.net")
    token = alerts.unsubscribe_token(subscription)
    pk = subscription.pk
    subscription.delete()
    SubscriptionFactory(pk=pk, email="new@example.net")
    assert alerts.subscription_from("unsubscribe", token) is None


def test_items_claimed_by_another_run_are_not_claimed_again():
    subscription = SubscriptionFactory()
    note = NoteFactory()
    assert len(alerts.claim(subscription, [note])) == 1
    assert alerts.claim(subscription, [note]) == []
    assert Delivery.objects.count() == 1


def test_the_limit_counts_per_address_in_any_case(settings):
    results = [
        alerts.within_limit("test", who, 2, 60) for who in ["A@x.org", "a@x.org", "a@X.org", "b@x.org"]
    ]
    assert results == [True, True, False, True]


@pytest.mark.django_db
def test_a_list_links_its_alerts_with_its_filters_not_its_order(client):
    html = client.get("/notes/?country=kaz&ordering=-date").content.decode()
    line = re.search(r'<p class="follow follow-mail"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert 'href="/alerts/subscribe/?topic=notes&amp;country=kaz"' in line
    assert ">these notes</a>" in line
