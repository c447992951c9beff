from django.core.management.base import BaseCommand

from resolutions.workflow import ROLE_PERMISSIONS, ensure_roles


class Command(BaseCommand):
    help = "Put the staff groups (Editors, Reviewers, Administrators) back to the permissions resolutions.workflow lists."

    def handle(self, *args, **options):
        ensure_roles()
        self.stdout.write(f"Roles in step: {', '.join(ROLE_PERMISSIONS)}.")
