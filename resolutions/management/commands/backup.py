from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS

from resolutions.backups import backup


class Command(BaseCommand):
    help = (
        "Back up the whole database, change history included, to PATH: a SQLite file (online backup, "
        "safe while the site runs) or a pg_dump archive (custom format) on PostgreSQL. When PATH is a "
        "directory, a dated file is written inside it. Bring it back with `manage.py restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file to write, or a directory to write a dated file in.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to back up.")

    def handle(self, *args, path, database, **options):
        written = backup(path, using=database)
        size = written.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backup written to {written} ({_size(size)}, {size} bytes)."))


def _size(size):
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
