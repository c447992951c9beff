from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Bring the database up to date and load what ships with the tracker: migrate, then "
        "load_bundled_data, in one process (make setup); with --serve, then serve the site from that same "
        "process (make run). A second run changes nothing and takes a second."
    )
    # The system checks run once: here with --serve (runserver makes them), else by `make check`.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Skip the demonstration notes.")
        parser.add_argument(
            "--serve",
            metavar="ADDRESS:PORT",
            help="Then serve the site at this address, in this process (runserver without the reloader: "
            "Django starts once, so a second make run is ready in a few seconds).",
        )

    def handle(self, *args, no_demo=False, verbosity=1, serve=None, **options):
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0), stdout=self.stdout)
        call_command("load_bundled_data", no_demo=no_demo, verbosity=verbosity, stdout=self.stdout)
        if serve:
            call_command("runserver", serve, use_reloader=False)
