from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Bring the database up to date and load what ships with the tracker: migrate, then "
        "load_bundled_data, in one process (make setup). A second run changes nothing and takes a second."
    )
    # `make run` starts runserver next, which runs the system checks; checking here too doubled the wait.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Skip the demonstration notes.")

    def handle(self, *args, no_demo=False, verbosity=1, **options):
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0), stdout=self.stdout)
        call_command("load_bundled_data", no_demo=no_demo, verbosity=verbosity, stdout=self.stdout)
