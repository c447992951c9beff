"""The alert pages a reader uses without an account (resolutions/views/alerts.py), with confirmation
and "my alerts" messages sent to a real SMTP server on the loopback interface."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from resolutions import alerts
from resolutions.models import Subscription
from tests.factories import NoteFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

SUBSCRIBE = reverse("resolutions:alert-subscribe")


def link_in(message, kind):
    return re.search(
        rf"http://testserver(/alerts/{kind}/[^\s\"<>]+/)", message.get_body(("plain",)).get_content()
    )[1]


def subscribe(client, email="ann@example.net", query="country=kaz", frequency="immediate", **extra):
    data = {"email": email, "frequency": frequency, "topic": "notes", "query": query, "website": "", **extra}
    return client.post(SUBSCRIBE, data)


def test_the_subscribe_page_says_what_is_followed_without_the_lists_page_or_order(client):
    response = client.get(SUBSCRIBE, {"topic": "notes", "country": "kaz", "page": "2", "ordering": "title"})
    assert response.status_code == 200
    assert "Implementation notes — Country: Kazakhstan" in response.text
    assert 'name="query" value="country=kaz"' in response.text
    assert "no-store" in response["Cache-Control"]  # personal: never in the public page cache


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"topic": "notes", "country": "zzz"},
            "These filters cannot be followed: Country: Select a valid choice.",
        ),
        ({"topic": "weather"}, "There are no alerts for “weather”."),
        (
            {"topic": "resolutions", "year": "last"},
            "These filters cannot be followed: Year adopted: Enter a number.",
        ),
    ],
)
def test_filters_that_cannot_be_followed_are_refused_with_a_reason(client, query, message):
    response = client.get(SUBSCRIBE, query)
    assert response.status_code == 400
    assert message in response.text


def test_double_opt_in_confirm_then_alert_then_leave_in_one_click(client, smtp_server):
    response = subscribe(client)
    assert response.status_code == 302
    assert client.get(response["Location"]).text.count("Check your inbox") >= 1
    [confirmation] = smtp_server.messages
    assert confirmation.recipients == ["ann@example.net"]
    assert "Implementation notes — Country: Kazakhstan" in confirmation.get_body(("plain",)).get_content()
    assert confirmation.get_body(("html",)) is not None

    NoteFactory(title="Before confirmation", countries=["KAZ"])
    call_command("send_alerts", stdout=StringIO(), stderr=StringIO())
    assert len(smtp_server.messages) == 1  # nothing is sent before confirmation

    confirm = link_in(confirmation, "confirm")
    page = client.get(confirm)
    assert "Confirm the alert" in page.text
    assert Subscription.objects.get().confirmed_at is None  # opening the link (a mail scanner) is not consent
    assert "Alert confirmed" in client.post(confirm).text
    assert Subscription.objects.get().is_active

    NoteFactory(title="After confirmation", countries=["KAZ"])
    NoteFactory(title="Elsewhere", countries=["UZB"])
    call_command("send_alerts", stdout=StringIO(), stderr=StringIO())
    alert = smtp_server.messages[-1]
    assert len(smtp_server.messages) == 2
    assert "After confirmation" in alert["Subject"]
    text = alert.get_body(("plain",)).get_content()
    assert "Before confirmation" not in text and "Elsewhere" not in text

    unsubscribe = re.search(r"https://tracker\.example\.org(/alerts/unsubscribe/\S+/)", text)[1]
    page = client.get(unsubscribe)
    assert "You are unsubscribed" in page.text
    assert not Subscription.objects.get().is_active
    NoteFactory(title="After leaving", countries=["KAZ"])
    call_command("send_alerts", stdout=StringIO(), stderr=StringIO())
    assert len(smtp_server.messages) == 2


def test_mail_programs_unsubscribe_with_one_post_and_no_form_token(smtp_server):
    subscription = SubscriptionFactory()
    client = Client(enforce_csrf_checks=True)
    url = reverse("resolutions:alert-unsubscribe", kwargs={"token": alerts.unsubscribe_token(subscription)})
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None


def test_leaving_by_mistake_is_undone_with_one_button(client):
    subscription = SubscriptionFactory()
    token = alerts.unsubscribe_token(subscription)
    client.get(reverse("resolutions:alert-unsubscribe", kwargs={"token": token}))
    response = client.post(reverse("resolutions:alert-resubscribe", kwargs={"token": token}))
    assert "Subscribed again" in response.text
    subscription.refresh_from_db()
    assert subscription.is_active


@pytest.mark.parametrize("name", ["alert-confirm", "alert-unsubscribe", "alert-manage"])
def test_a_tampered_link_gets_a_clear_message_not_an_error(client, name):
    token = alerts.unsubscribe_token(SubscriptionFactory())[:-2] + "xx"
    response = client.get(reverse(f"resolutions:{name}", kwargs={"token": token}))
    assert response.status_code == 400
    assert "This link does not work" in response.text


def test_a_confirmation_link_expires(client, monkeypatch):
    subscription = SubscriptionFactory(confirmed_at=None)
    monkeypatch.setattr(alerts, "CONFIRM_MAX_AGE", -1)
    response = client.post(
        reverse("resolutions:alert-confirm", kwargs={"token": alerts.confirm_token(subscription)})
    )
    assert response.status_code == 400
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


def test_a_filled_honeypot_is_told_the_same_and_nothing_is_saved_or_sent(client, smtp_server):
    response = subscribe(client, website="https://spam.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("resolutions:alert-requested")
    assert not Subscription.objects.exists()
    assert smtp_server.messages == []


def test_one_address_gets_at_most_three_confirmations_a_day_and_is_told_the_same(client, smtp_server):
    responses = [subscribe(client, query=f"country={code}") for code in ("kaz", "kgz", "tjk", "tkm", "uzb")]
    assert {response["Location"] for response in responses} == {reverse("resolutions:alert-requested")}
    assert len(smtp_server.to("ann@example.net")) == 3


def test_too_many_submissions_from_one_network_address_are_refused(client, settings, smtp_server):
    settings.ALERTS_REQUESTS_PER_IP_PER_HOUR = 2
    subscribe(client, email="a@example.net")
    subscribe(client, email="b@example.net")
    response = subscribe(client, email="c@example.net")
    assert response.status_code == 429
    assert "Please try again in an hour" in response.text
    assert len(smtp_server.messages) == 2


def test_a_bad_address_is_a_form_error(client, smtp_server):
    response = subscribe(client, email="not an address")
    assert response.status_code == 400
    assert "Enter a valid email address." in response.text
    assert smtp_server.messages == []


def test_subscribing_again_to_an_active_alert_mails_nothing(client, smtp_server):
    SubscriptionFactory(email="ann@example.net", query="country=kaz")
    response = subscribe(client)
    assert response["Location"] == reverse("resolutions:alert-requested")
    assert smtp_server.messages == []


def test_my_alerts_link_is_mailed_only_to_a_known_address_and_the_page_says_the_same(client, smtp_server):
    SubscriptionFactory(email="ann@example.net", query="country=kaz")
    url = reverse("resolutions:alert-manage-request")
    known = client.post(url, {"email": "ann@example.net", "website": ""})
    unknown = client.post(url, {"email": "nobody@example.net", "website": ""})
    assert known["Location"] == unknown["Location"]
    [message] = smtp_server.messages
    assert message.recipients == ["ann@example.net"]

    page = client.get(link_in(message, "manage"))
    assert "Implementation notes — Country: Kazakhstan" in page.text
    assert "ann@example.net" in page.text


def test_my_alerts_page_changes_how_often(client):
    subscription = SubscriptionFactory(email="ann@example.net")
    other = SubscriptionFactory(email="bob@example.net")
    url = reverse("resolutions:alert-manage", kwargs={"token": alerts.manage_token("ann@example.net")})
    client.post(url, {"subscription": subscription.pk, "frequency": "weekly"})
    client.post(url, {"subscription": other.pk, "frequency": "weekly"})  # not this address's: ignored
    subscription.refresh_from_db()
    other.refresh_from_db()
    assert (subscription.frequency, other.frequency) == ("weekly", "immediate")
    assert client.post(url, {"subscription": subscription.pk, "frequency": "hourly"}).status_code == 400


@pytest.mark.parametrize("count", [1, 12])
def test_my_alerts_page_costs_the_same_for_one_alert_or_many(client, django_assert_num_queries, count):
    for number in range(count):
        SubscriptionFactory(email="ann@example.net", query=f"kind=meeting&date_from=2024-01-{number + 1:02d}")
    url = reverse("resolutions:alert-manage", kwargs={"token": alerts.manage_token("ann@example.net")})
    with django_assert_num_queries(2):  # the count for the pager, the page of alerts
        response = client.get(url)
    assert response.text.count('class="alert-row"') == count


def test_the_notes_list_links_to_alerts_for_its_filters(client):
    response = client.get(reverse("resolutions:note-list"), {"country": "kaz", "page": "1"})
    assert f'href="{SUBSCRIBE}?topic=notes&amp;country=kaz"' in response.text


def test_my_alerts_page_lists_an_alert_whose_values_make_no_address(client):
    SubscriptionFactory(email="ann@example.net", topic="status", query="resolution=foo&paragraph=1/2")
    SubscriptionFactory(
        email="ann@example.net", topic="status", query="resolution=A/RES/77/273&paragraph=II.3"
    )
    url = reverse("resolutions:alert-manage", kwargs={"token": alerts.manage_token("ann@example.net")})
    response = client.get(url)
    assert response.status_code == 200
    assert response.text.count('class="alert-row"') == 2
    assert 'href="/resolutions/A/RES/77/273/op/II.3/"' in response.text


def test_a_subscription_keeps_the_language_it_was_made_in_and_its_confirmation_is_in_it(
    client, smtp_server, settings
):
    settings.LANGUAGES = [("en", "English"), ("ru", "Русский")]
    data = {"email": "ann@example.net", "frequency": "immediate", "topic": "notes", "query": "country=kaz"}
    response = client.post("/ru" + SUBSCRIBE, {**data, "website": ""})

    assert response.status_code == 302
    assert Subscription.objects.get().language == "ru"
    [confirmation] = smtp_server.messages
    text = confirmation.get_body(("plain",)).get_content()
    assert re.search(r"http://testserver/ru/alerts/confirm/[^\s]+/", text)
    assert "http://testserver/alerts/" not in text
