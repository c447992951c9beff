"""E-mail alert subscriptions in the admin: staff see who follows what and what was sent, and nobody
edits them: consent is given and withdrawn by the subscriber alone (resolutions/views/alerts.py).
Addresses are personal data: only administrators (superusers and the Administrators role) read them;
other staff see them masked. Staff may look without a role permission of their own (read-only pages
that hold nothing the role's work changes); an administrator may delete a subscription on request."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from resolutions.subscriptions import Delivery, Subscription
from resolutions.workflow import ADMINISTRATORS


def reads_addresses(user):
    return user.is_superuser or user.groups.filter(name=ADMINISTRATORS).exists()


def masked(email):
    name, _, domain = email.partition("@")
    return f"{name[:1]}\u2026@{domain}"


class ReadOnlyForStaff(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return reads_addresses(request.user)


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyForStaff):
    list_display = ["topic", "query", "frequency", "confirmed_at", "unsubscribed_at", "last_sent_at"]
    list_filter = [
        "topic",
        "frequency",
        ("confirmed_at", admin.EmptyFieldListFilter),
        ("unsubscribed_at", admin.EmptyFieldListFilter),
    ]
    date_hierarchy = "created_at"
    list_per_page = 50
    fields = [
        "topic",
        "query",
        "frequency",
        "language",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
        "last_sent_at",
    ]

    def address_field(self, request):
        return "email" if reads_addresses(request.user) else "address"

    def get_list_display(self, request):
        return [self.address_field(request), *self.list_display]

    def get_search_fields(self, request):
        return ["email", "query"] if reads_addresses(request.user) else ["query"]

    def get_fields(self, request, obj=None):
        return [self.address_field(request), *self.fields]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description=_("Address"))
    def address(self, subscription):
        return masked(subscription.email)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyForStaff):
    list_display = ["subscription_id", "item", "claimed_at", "sent_at"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    list_select_related = ["subscription", "note", "assessment__paragraph__resolution", "resolution"]
    fields = ["subscription_id", "note", "assessment", "resolution", "claimed_at", "sent_at"]
    readonly_fields = fields
    list_per_page = 50
