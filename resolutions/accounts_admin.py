"""Staff accounts and API tokens in the admin: nobody but a superuser gives more power than a role.

- Superusers see Django's own user form: superuser status, groups and permissions.
- Anyone else who may change users (the Administrators role) gets a restricted form: name, e-mail,
  active, staff, and one of the three roles (resolutions.workflow.ROLE_GROUPS); never superuser
  status, groups or permissions, and never a superuser's account (nor its password).
- Administrators issue and revoke API tokens (docs/api.md), for staff who are not superusers.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from resolutions.workflow import ADMINISTRATORS, EDITORS, REVIEWERS, ROLE_GROUPS

User = get_user_model()
ROLE_NAMES = list(ROLE_GROUPS.values())
# The roles as the form names them (the groups' names are stored, and stay English).
ROLE_LABELS = {EDITORS: _("Editors"), REVIEWERS: _("Reviewers"), ADMINISTRATORS: _("Administrators")}


class RoleUserForm(UserChangeForm):
    """A staff account as an Administrator edits it: its role instead of groups and permissions."""

    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", _("No role")), *((name, ROLE_LABELS.get(name, name)) for name in ROLE_NAMES)],
        required=False,
        help_text=_(
            "Editors record notes and assessments and submit them; Reviewers also publish them; "
            "Administrators also manage resolutions, staff accounts and API tokens."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            held = self.instance.groups.filter(name__in=ROLE_NAMES).values_list("name", flat=True)
            self.fields["role"].initial = next(iter(held), "")

    def save_role(self, user):
        roles = Group.objects.filter(name__in=ROLE_NAMES)
        user.groups.remove(*roles)
        if self.cleaned_data.get("role"):
            user.groups.add(roles.get(name=self.cleaned_data["role"]))


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    role_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "role")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    def restricted(self, request, obj):
        return obj is not None and not request.user.is_superuser

    def get_fieldsets(self, request, obj=None):
        if self.restricted(request, obj):
            return self.role_fieldsets
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if self.restricted(request, obj):
            return ["last_login", "date_joined"]
        return super().get_readonly_fields(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if self.restricted(request, obj):
            kwargs["form"] = RoleUserForm
        return super().get_form(request, obj, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False  # a superuser's account (and password) is a superuser's business
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if isinstance(form, RoleUserForm):
                form.save_role(obj)


admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class StaffTokenAdmin(TokenAdmin):
    """Tokens for active staff; a superuser's token only from a superuser."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            users = User.objects.filter(is_active=True, is_staff=True)
            if not request.user.is_superuser:
                users = users.filter(is_superuser=False)
            kwargs["queryset"] = users.order_by(User.USERNAME_FIELD)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        tokens = super().get_queryset(request)
        return tokens if request.user.is_superuser else tokens.filter(user__is_superuser=False)
