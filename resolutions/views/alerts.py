"""E-mail alerts, as a reader manages them without an account: subscribe (double opt-in), confirm,
unsubscribe in one click (and undo it), and "my alerts" through a link mailed on request.

Every page here is personal (never in the public page cache) and says the same whether or not an
address is known. Abuse limits: form submissions per network address, messages per address a day,
and a honeypot field that people never see (a bot that fills it is told "sent" and nothing is).
"""

from django import forms
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from resolutions import alerts
from resolutions.addresses import client_address
from resolutions.subscriptions import AlertFrequency, AlertTopic, Subscription

MANAGE_PAGE_SIZE = 50


class HoneypotForm(forms.Form):
    # Hidden from people (tracker.css .honeypot, aria-hidden, out of the tab order); bots fill it in.
    website = forms.CharField(required=False, label=gettext_lazy("Leave this empty"))

    def is_bot(self):
        return bool(self.data.get("website"))


class SubscribeForm(HoneypotForm):
    email = forms.EmailField(label=gettext_lazy("Your e-mail address"), max_length=254)
    frequency = forms.ChoiceField(
        choices=AlertFrequency.choices,
        initial=AlertFrequency.IMMEDIATE,
        widget=forms.RadioSelect,
        label=gettext_lazy("How often"),
    )
    topic = forms.ChoiceField(choices=AlertTopic.choices, widget=forms.HiddenInput)
    query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=1000)


class ManageRequestForm(HoneypotForm):
    email = forms.EmailField(label=gettext_lazy("Your e-mail address"), max_length=254)


def base_url(request):
    return request.build_absolute_uri("/").rstrip("/")


def notice(request, title, text, status=200, **context):
    return render(
        request, "resolutions/alert_notice.html", {"title": title, "text": text, **context}, status=status
    )


def too_many(request):
    return notice(
        request,
        _("Too many requests"),
        _("This network address has sent the alert forms too often. Please try again in an hour."),
        status=429,
    )


def check_your_inbox(request, text):
    return notice(request, _("Check your inbox"), text)


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    data = request.POST if request.method == "POST" else request.GET
    topic = data.get("topic") or AlertTopic.NOTES
    query = data.get("query", "") if request.method == "POST" else request.GET.copy()
    if request.method == "GET":
        query.pop("topic", None)
    try:
        topic, query = alerts.normalize(topic, query)
    except alerts.NotFollowable as problem:
        return notice(request, _("These alerts cannot be set up"), str(problem), status=400)
    description = alerts.describe(topic, query)
    if request.method == "GET":
        form = SubscribeForm(initial={"topic": topic, "query": query})
        return render(request, "resolutions/alert_subscribe.html", {"form": form, "followed": description})

    if not alerts.requests_from_address_allowed(client_address(request)):
        return too_many(request)
    form = SubscribeForm(request.POST)
    if form.is_bot():
        return redirect("resolutions:alert-requested")
    if not form.is_valid():
        return render(
            request,
            "resolutions/alert_subscribe.html",
            {"form": form, "followed": description},
            status=400,
        )
    email = form.cleaned_data["email"].strip().lower()
    with transaction.atomic():
        subscription, _created = Subscription.objects.select_for_update().get_or_create(
            email=email, topic=topic, query=query
        )
        if not subscription.is_active:
            subscription.frequency = form.cleaned_data["frequency"]
            subscription.language = translation.get_language() or "en"
            subscription.confirmed_at = subscription.unsubscribed_at = None
            subscription.save()
    # An active subscription is left as it is and nothing is mailed; the page says the same either way.
    if not subscription.is_active and alerts.mails_to_address_allowed(email):
        alerts.confirmation(subscription, base_url(request)).send()
    return redirect("resolutions:alert-requested")


@never_cache
def requested(request):
    return check_your_inbox(
        request,
        _(
            "If the address can receive mail, a message with a link to confirm the alert is on its way. "
            "It may take a few minutes; look in the spam folder too."
        ),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    subscription = alerts.subscription_from("confirm", token, max_age=alerts.CONFIRM_MAX_AGE)
    if subscription is None:
        days = alerts.CONFIRM_MAX_AGE // 86400
        return notice(
            request,
            _("This link does not work"),
            ngettext(
                "The confirmation link is wrong or more than %(days)s day old. "
                "Subscribe again from the page you wanted to follow.",
                "The confirmation link is wrong or more than %(days)s days old. "
                "Subscribe again from the page you wanted to follow.",
                days,
            )
            % {"days": days},
            status=400,
        )
    description = alerts.describe(subscription.topic, subscription.query)
    if request.method == "POST" and not subscription.is_active:
        Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now(), unsubscribed_at=None
        )
        subscription.refresh_from_db()
    if subscription.is_active:
        return notice(
            request,
            _("Alert confirmed"),
            _("%(frequency)s, this address will be told about: %(followed)s.")
            % {"frequency": subscription.get_frequency_display(), "followed": description},
            manage_url=reverse(
                "resolutions:alert-manage", kwargs={"token": alerts.manage_token(subscription.email)}
            ),
        )
    # A button, not the link itself: mail scanners open links, and only a person confirms.
    return render(
        request, "resolutions/alert_confirm.html", {"subscription": subscription, "followed": description}
    )


@never_cache
@csrf_exempt  # RFC 8058: mail programs POST "List-Unsubscribe=One-Click" with no form of ours
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """One click leaves: opening the link (or the mail program's unsubscribe) ends the subscription.
    The page offers to undo it, in case a mail scanner or a stray click opened the link."""
    subscription = alerts.subscription_from("unsubscribe", token)
    if subscription is None:
        return notice(
            request,
            _("This link does not work"),
            _(
                "The unsubscribe link is wrong, or the alert no longer exists: nothing more will be sent for it."
            ),
            status=400,
        )
    Subscription.objects.filter(pk=subscription.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )
    return render(
        request,
        "resolutions/alert_unsubscribed.html",
        {
            "followed": alerts.describe(subscription.topic, subscription.query),
            "token": token,
            "was_confirmed": subscription.confirmed_at is not None,
            "manage_url": reverse(
                "resolutions:alert-manage", kwargs={"token": alerts.manage_token(subscription.email)}
            ),
        },
    )


@never_cache
@require_POST
def resubscribe(request, token):
    subscription = alerts.subscription_from("unsubscribe", token)
    if subscription is None or subscription.confirmed_at is None:
        return notice(
            request, _("This link does not work"), _("There is no confirmed alert to take back."), status=400
        )
    # Only what is published from now on: nothing is sent about the time it was off.
    Subscription.objects.filter(pk=subscription.pk, unsubscribed_at__isnull=False).update(
        unsubscribed_at=None, confirmed_at=timezone.now()
    )
    return notice(
        request,
        _("Subscribed again"),
        _("The alert is back on: %(followed)s.")
        % {"followed": alerts.describe(subscription.topic, subscription.query)},
        manage_url=reverse(
            "resolutions:alert-manage", kwargs={"token": alerts.manage_token(subscription.email)}
        ),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def manage_request(request):
    """Ask for a link to one's alerts, mailed to the address (so only its owner sees them)."""
    if request.method == "GET":
        return render(request, "resolutions/alert_manage_request.html", {"form": ManageRequestForm()})
    if not alerts.requests_from_address_allowed(client_address(request)):
        return too_many(request)
    form = ManageRequestForm(request.POST)
    if form.is_bot():
        return redirect("resolutions:alert-manage-requested")
    if not form.is_valid():
        return render(request, "resolutions/alert_manage_request.html", {"form": form}, status=400)
    email = form.cleaned_data["email"].strip().lower()
    if Subscription.objects.filter(email=email).exists() and alerts.mails_to_address_allowed(email):
        alerts.manage_message(email, translation.get_language() or "en", base_url(request)).send()
    return redirect("resolutions:alert-manage-requested")


@never_cache
def manage_requested(request):
    return check_your_inbox(
        request,
        _(
            "If the address can receive mail, a message with a link to your alerts is on its way. "
            "It may take a few minutes; look in the spam folder too."
        ),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token):
    email = alerts.email_from(token)
    if email is None:
        days = alerts.MANAGE_MAX_AGE // 86400
        return notice(
            request,
            _("This link does not work"),
            ngettext(
                "The link to your alerts is wrong or more than %(days)s day old.",
                "The link to your alerts is wrong or more than %(days)s days old.",
                days,
            )
            % {"days": days},
            status=400,
            manage_request=True,
        )
    subscriptions = Subscription.objects.filter(email=email)
    if request.method == "POST":
        frequency = request.POST.get("frequency")
        if frequency not in AlertFrequency.values:
            return notice(
                request, _("Nothing changed"), _("Choose how often the alert should come."), status=400
            )
        subscriptions.filter(pk=request.POST.get("subscription") or 0).update(frequency=frequency)
        return redirect(request.path)
    page = Paginator(subscriptions.order_by("-created_at", "-pk"), MANAGE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "subscription": subscription,
            "followed": alerts.describe(subscription.topic, subscription.query),
            "list_url": alerts.list_url(subscription),
            "unsubscribe_url": reverse(
                "resolutions:alert-unsubscribe", kwargs={"token": alerts.unsubscribe_token(subscription)}
            ),
        }
        for subscription in page
    ]
    return render(
        request,
        "resolutions/alert_manage.html",
        {"email": email, "rows": rows, "page_obj": page, "frequencies": AlertFrequency.choices},
    )
