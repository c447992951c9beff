"""manage.py send_alerts against a real SMTP server on the loopback interface (tests/conftest.py
smtp_server): what is mailed, once, and what never is."""

import datetime
import re
from io import StringIO

import pytest
from django.core.mail.backends.smtp import EmailBackend
from django.core.management import CommandError, call_command
from django.utils import timezone

from resolutions.models import Delivery, NoteState, Subscription
from tests.factories import (
    AssessmentFactory,
    NoteFactory,
    ParagraphFactory,
    ResolutionFactory,
    SubscriptionFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def send(*args):
    out, err = StringIO(), StringIO()
    call_command("send_alerts", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_an_immediate_alert_mails_a_note_published_after_confirmation_once(smtp_server):
    subscription = SubscriptionFactory(email="ann@example.net")
    paragraph = ParagraphFactory(number="3")
    note = NoteFactory(
        title="Water talks in Almaty", paragraphs=[paragraph], body="Talks on **sharing** the rivers."
    )

    output = send()

    [message] = smtp_server.messages
    assert message.recipients == ["ann@example.net"]
    assert "Water talks in Almaty" in message["Subject"]
    text, html = smtp_server.text(message), smtp_server.html(message)
    assert f"https://tracker.example.org{note.get_absolute_url()}" in text
    assert f'href="https://tracker.example.org{note.get_absolute_url()}"' in html
    assert "op 3" in text
    assert "Talks on sharing the rivers." in text  # the body's words, not its Markdown
    unsubscribe = message["List-Unsubscribe"].strip().strip("<>")
    assert unsubscribe.startswith("https://tracker.example.org/alerts/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in text and unsubscribe in html
    assert "1 message(s) sent" in output
    delivery = Delivery.objects.get()
    assert (delivery.subscription, delivery.note, delivery.sent_at is not None) == (subscription, note, True)

    assert "0 message(s) sent" in send()
    assert len(smtp_server.messages) == 1


def test_notes_published_before_confirmation_are_not_mailed(smtp_server):
    NoteFactory(title="Old news")
    SubscriptionFactory(confirmed_at=timezone.now())
    send()
    assert smtp_server.messages == []


def test_unconfirmed_and_unsubscribed_addresses_get_nothing(smtp_server):
    SubscriptionFactory(email="pending@example.net", confirmed_at=None)
    SubscriptionFactory(email="left@example.net", unsubscribed_at=timezone.now())
    NoteFactory()
    send()
    assert smtp_server.messages == []


@pytest.mark.parametrize("state", [NoteState.DRAFT, NoteState.IN_REVIEW, NoteState.WITHDRAWN])
def test_notes_the_public_cannot_see_are_never_mailed(smtp_server, state):
    SubscriptionFactory()
    NoteFactory(title="Not public", state=state)
    send()
    assert smtp_server.messages == []


def test_a_note_withdrawn_after_publication_and_before_sending_is_not_mailed(smtp_server):
    SubscriptionFactory()
    note = NoteFactory(title="Published, then withdrawn")
    NoteFactory(title="Still published")
    note.state = NoteState.WITHDRAWN
    note.save()

    send()

    [message] = smtp_server.messages
    assert "Still published" in smtp_server.text(message)
    assert "withdrawn" not in smtp_server.text(message)


def test_a_subscription_gets_only_the_notes_its_filters_match(smtp_server):
    water = ThemeFactory(slug="water", name="Water")
    resolution = ResolutionFactory(symbol="A/RES/77/273", session="77", number="273")
    third = ParagraphFactory(resolution=resolution, number="3")
    SubscriptionFactory(email="kaz@example.net", query="country=kaz")
    SubscriptionFactory(email="water@example.net", query="theme=water")
    SubscriptionFactory(email="op3@example.net", query="paragraph=3&resolution=A%2FRES%2F77%2F273")
    in_kazakhstan = NoteFactory(title="In Kazakhstan", countries=["KAZ"])
    on_water = NoteFactory(title="On water")
    on_water.themes.add(water)
    NoteFactory(title="On paragraph 3", paragraphs=[third])

    send()

    subjects = {message.recipients[0]: message["Subject"] for message in smtp_server.messages}
    assert "In Kazakhstan" in subjects["kaz@example.net"]
    assert "On water" in subjects["water@example.net"]
    assert "On paragraph 3" in subjects["op3@example.net"]
    assert len(smtp_server.messages) == 3
    assert in_kazakhstan.pk != on_water.pk


def test_filters_that_no_longer_apply_match_nothing_rather_than_everything(smtp_server):
    theme = ThemeFactory(slug="gone")
    SubscriptionFactory(query="theme=gone")
    theme.delete()
    NoteFactory()

    output = send()

    assert smtp_server.messages == []
    assert "its filters no longer apply" in output


def test_a_weekly_digest_waits_a_week_then_lists_everything_new_in_one_message(smtp_server):
    subscription = SubscriptionFactory(
        frequency="weekly",
        email="weekly@example.net",
        confirmed_at=timezone.now() - datetime.timedelta(days=2),
    )
    NoteFactory(title="First of the week")
    NoteFactory(title="Second of the week")

    send()
    assert smtp_server.messages == []  # not a week since confirmation

    Subscription.objects.filter(pk=subscription.pk).update(
        confirmed_at=timezone.now() - datetime.timedelta(days=8)
    )
    # Published eight days ago was before confirmation: only what came since counts, and it still does.
    send()

    [digest] = smtp_server.messages
    assert digest["Subject"].strip().startswith("Weekly digest: 2 new implementation notes")
    text = smtp_server.text(digest)
    assert "First of the week" in text and "Second of the week" in text
    assert "Weekly digest" in smtp_server.html(digest)

    NoteFactory(title="Next week's")
    send()
    assert len(smtp_server.messages) == 1  # the next digest is a week after this one


def test_rerunning_sends_nothing_twice(smtp_server):
    for number in range(3):
        SubscriptionFactory(email=f"r{number}@example.net")
    NoteFactory()
    send()
    send()
    send()
    assert sorted(message.recipients[0] for message in smtp_server.messages) == [
        "r0@example.net",
        "r1@example.net",
        "r2@example.net",
    ]


def test_an_interrupted_run_rerun_sends_the_rest_without_duplicates(smtp_server, monkeypatch):
    for number in range(4):
        SubscriptionFactory(email=f"s{number}@example.net")
    NoteFactory(title="Interrupted")
    real_send = EmailBackend.send_messages
    calls = []

    def crash_after_two(backend, messages):
        calls.append(messages)
        if len(calls) > 2:
            raise RuntimeError("the process was killed")
        return real_send(backend, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", crash_after_two)
    with pytest.raises(RuntimeError):
        send()
    assert len(smtp_server.messages) == 2
    assert Delivery.objects.filter(sent_at__isnull=True).count() == 0  # the failed one's claim released

    monkeypatch.setattr(EmailBackend, "send_messages", real_send)
    send()
    send()

    recipients = sorted(message.recipients[0] for message in smtp_server.messages)
    assert recipients == [f"s{number}@example.net" for number in range(4)]


def test_a_claim_left_by_a_killed_run_is_never_sent_again(smtp_server):
    subscription = SubscriptionFactory()
    note = NoteFactory()
    Delivery.objects.create(subscription=subscription, note=note)  # claimed, then the process died

    output = send()

    assert smtp_server.messages == []
    assert "not sent again" in output


def test_a_refused_address_fails_alone_and_is_retried_next_run(smtp_server):
    SubscriptionFactory(email="full@example.net")
    SubscriptionFactory(email="fine@example.net")
    NoteFactory()
    smtp_server.refused.add("full@example.net")

    with pytest.raises(CommandError, match="1 message"):
        send()
    assert [message.recipients for message in smtp_server.messages] == [["fine@example.net"]]

    smtp_server.refused.clear()
    send()
    assert sorted(message.recipients[0] for message in smtp_server.messages) == [
        "fine@example.net",
        "full@example.net",
    ]


def test_dry_run_sends_and_records_nothing(smtp_server):
    SubscriptionFactory()
    NoteFactory()
    output = send("--dry-run")
    assert "would send 1 item(s)" in output
    assert smtp_server.messages == []
    assert not Delivery.objects.exists()


def test_newly_imported_resolutions_and_published_status_changes_are_mailed(smtp_server):
    SubscriptionFactory(email="res@example.net", topic="resolutions", query="session=77")
    SubscriptionFactory(email="status@example.net", topic="status", query="resolution=A%2FRES%2F77%2F273")
    resolution = ResolutionFactory(symbol="A/RES/77/273", session="77", number="273", title="Central Asia")
    ResolutionFactory(symbol="A/RES/78/1", session="78", number="1")
    paragraph = ParagraphFactory(resolution=resolution, number="2")
    AssessmentFactory(paragraph=paragraph, status="implemented")
    AssessmentFactory(paragraph=paragraph, status="ongoing", state=NoteState.DRAFT)

    send()

    by_address = {message.recipients[0]: message for message in smtp_server.messages}
    assert "A/RES/77/273" in smtp_server.text(by_address["res@example.net"])
    assert "A/RES/78/1" not in smtp_server.text(by_address["res@example.net"])
    status = smtp_server.text(by_address["status@example.net"])
    assert "A/RES/77/273 op 2: Implemented" in status
    assert "Ongoing" not in status


def test_a_message_is_written_in_the_subscribers_language(smtp_server):
    SubscriptionFactory(language="fr")
    NoteFactory()
    send()
    assert '<html lang="fr">' in smtp_server.html(smtp_server.messages[0])


def test_a_long_message_lists_the_first_items_and_links_to_the_rest(smtp_server, monkeypatch):
    from resolutions import alerts

    monkeypatch.setattr(alerts, "LISTED_ITEMS", 2)
    SubscriptionFactory(query="country=kaz")
    for number in range(5):
        NoteFactory(title=f"Note {number}", countries=["KAZ"])

    send()

    [message] = smtp_server.messages
    text = smtp_server.text(message)
    assert message["Subject"].strip().startswith("5 new implementation notes")
    assert text.count("https://tracker.example.org/notes/") == 3  # two notes and the list
    assert "And 3 more: https://tracker.example.org/notes/?country=kaz" in text
    assert Delivery.objects.count() == 5  # all five told about: none mailed again


def test_a_russian_subscriptions_message_links_to_the_russian_pages(smtp_server, settings):
    # The interface in Russian (no catalogue is needed for its addresses): the subscription was made
    # there, so its messages are written in Russian and every link is under /ru/, whoever sends them.
    settings.LANGUAGES = [("en", "English"), ("ru", "Русский")]
    SubscriptionFactory(language="ru", query="country=kaz")
    note = NoteFactory(title="Water talks in Almaty", countries=["KAZ"])

    send()

    [message] = smtp_server.messages
    text, html = smtp_server.text(message), smtp_server.html(message)
    site = "https://tracker.example.org"
    assert '<html lang="ru">' in html
    assert f"{site}/ru{note.get_absolute_url()}" in text
    assert f'href="{site}/ru{note.get_absolute_url()}"' in html
    assert f"{site}/ru/notes/?country=kaz" in text
    assert message["List-Unsubscribe"].strip().startswith(f"<{site}/ru/alerts/unsubscribe/")
    assert f"{site}/ru/alerts/manage/" in text
    # No link leads to an English page.
    assert not [
        url for url in re.findall(rf"{re.escape(site)}/[^\s\"<>]*", text) if not url.startswith(f"{site}/ru/")
    ]


def test_a_subscription_in_a_language_no_longer_offered_links_to_the_default_pages(smtp_server, settings):
    settings.LANGUAGES = [("en", "English")]
    SubscriptionFactory(language="ru")
    note = NoteFactory()

    send()

    text = smtp_server.text(smtp_server.messages[0])
    assert f"https://tracker.example.org{note.get_absolute_url()}" in text
    assert "https://tracker.example.org/ru/" not in text
