import getpass

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from resolutions.workflow import ROLE_GROUPS, ensure_roles


class Command(BaseCommand):
    help = (
        "Make a staff account in one step: EMAIL becomes the user name, the role its group "
        "(editor, reviewer or administrator). The password is asked for twice, or with --no-input a "
        "one-time link to set it is printed (valid for PASSWORD_RESET_TIMEOUT, 3 days by default). "
        "Run it again to change someone's role."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--role", required=True, choices=sorted(ROLE_GROUPS))
        parser.add_argument("--name", default="", help="Full name, e.g. \u201cAida Bekova\u201d.")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Ask nothing: print a one-time set-password link instead (for scripts).",
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="The site's address for the link, e.g. https://tracker.example.org (default: a path only).",
        )

    def handle(self, *args, email, role, name, interactive, base_url, **options):
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"{email!r} is not an e-mail address.") from error
        User = get_user_model()
        with transaction.atomic():
            ensure_roles()
            user, created = User.objects.get_or_create(username=email, defaults={"email": email})
            user.email = email
            user.is_staff = True
            if name:
                user.first_name, _, user.last_name = name.partition(" ")
            password = self._ask_password(user) if interactive else None
            if password:
                user.set_password(password)
            elif created:
                user.set_unusable_password()
            user.save()
            user.groups.remove(*Group.objects.filter(name__in=ROLE_GROUPS.values()))
            user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
        self.stdout.write(
            f"{'Created' if created else 'Updated'} {email} as {ROLE_GROUPS[role][:-1].lower()}."
        )
        if not password:
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            token = default_token_generator.make_token(user)
            link = reverse("admin_password_set", kwargs={"uidb64": uid, "token": token})
            self.stdout.write(f"One-time link to set the password: {base_url.rstrip('/')}{link}")

    def _ask_password(self, user):
        for _attempt in range(3):
            password = getpass.getpass("Password (empty for a one-time link instead): ")
            if not password:
                return None
            if password != getpass.getpass("Password again: "):
                self.stderr.write("The two passwords differ.")
                continue
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            return password
        raise CommandError("No password set after three tries; nothing was saved.")
