"""Fails when the interface has a string that some catalogue does not translate (`make check`).

Runs Django's makemessages over a copy of locale/, as a developer would before committing, and reads
what it made with polib (a development requirement): a string marked for translation in the code or the
templates and missing from a catalogue comes out untranslated; one whose English changed comes out
fuzzy. Either is listed and the command exits with an error. The project's own catalogues are left
as they are.
"""

import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

# Not copied: what holds no interface string of ours, and the big folders.
COPY_IGNORED = [
    ".venv",
    ".git",
    "staticfiles",
    "bench",
    "docs",
    "tests",
    "node_modules",
    "*.mo",
    "*.sqlite3*",
    "__pycache__",
]
# Folders that hold no interface string of ours.
IGNORED = [".venv", ".venv/*", "bench/*", "staticfiles/*", "docs/*", "tests/*", "node_modules/*", ".git/*"]


def catalogues(locale_dir):
    return sorted(Path(locale_dir).glob("*/LC_MESSAGES/django.po"))


class Command(BaseCommand):
    help = "Fail when a string marked for translation is untranslated or fuzzy in a catalogue (locale/)."

    def handle(self, *args, **options):
        try:
            import polib
        except ImportError as missing:
            raise CommandError(
                "polib is missing: it comes with requirements-dev.txt (make check)."
            ) from missing
        if shutil.which("msgmerge") is None:
            raise CommandError("GNU gettext is missing (msgmerge): `make messages` installs it.")
        project = Path(settings.BASE_DIR)
        found = catalogues(project / "locale")
        if not found:
            raise CommandError("locale/ holds no catalogue.")
        problems = []
        with tempfile.TemporaryDirectory() as scratch:
            # makemessages writes into the locale/ folder beside the files it reads: it runs in a copy
            # of the project's sources and catalogues, so that the project's own are left as they are.
            tree = Path(scratch) / "project"
            shutil.copytree(project, tree, ignore=shutil.ignore_patterns(*COPY_IGNORED), symlinks=True)
            copy = tree / "locale"
            here = os.getcwd()
            os.chdir(tree)  # makemessages reads the folder it runs in
            try:
                with override_settings(LOCALE_PATHS=[str(copy)]):
                    call_command(
                        "makemessages",
                        locale=[po.parts[-3] for po in found],
                        ignore_patterns=IGNORED,
                        no_obsolete=True,
                        verbosity=0,
                    )
            finally:
                os.chdir(here)
            for po in catalogues(copy):
                language = po.parts[-3]
                catalogue = polib.pofile(str(po))
                problems += [
                    f"{language}: untranslated: {e.msgid!r}" for e in catalogue.untranslated_entries()
                ]
                problems += [f"{language}: fuzzy: {e.msgid!r}" for e in catalogue.fuzzy_entries()]
        if problems:
            listed = "\n".join(problems[:200])
            raise CommandError(
                f"{len(problems)} interface strings lack a translation; run `manage.py makemessages -a` "
                f"and translate them in locale/*/LC_MESSAGES/django.po:\n{listed}"
            )
        self.stdout.write(f"Every marked string is translated in {len(found)} catalogues.")
