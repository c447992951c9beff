"""Write the local settings file `.env` (run by `make setup` when there is none; never overwrites one).

It holds what a local `make run` and every `.venv/bin/python manage.py ...` need: a secret key made for
this copy (the one in `.secret_key` when an earlier `make run` made that file, so that sessions and
password links stay valid), the local host names, and plain log lines for a terminal. Everything else
keeps its default; `.env.example` lists every setting.

    .venv/bin/python -m tracker.local_env [PATH]      # default: .env in the project folder
"""

import re
import secrets
import sys
from datetime import date
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def secret_key(base_dir=BASE_DIR):
    old = base_dir / ".secret_key"
    key = old.read_text(encoding="utf-8").strip() if old.is_file() else ""
    return key or secrets.token_urlsafe(50)


def quoted(value):
    """A value as a .env line holds it: bare when it is plain, else in single quotes."""
    if re.fullmatch(r"[A-Za-z0-9_.,:/@+=-]+", value):
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def contents(base_dir=BASE_DIR):
    return (
        f"# Local settings, written by `make setup` on {date.today().isoformat()}; not in git. Edit freely:\n"
        "# a variable set in the environment wins over its line here. Every setting: .env.example.\n"
        f"DJANGO_SECRET_KEY={quoted(secret_key(base_dir))}\n"
        "DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost\n"
        "DJANGO_LOG_FORMAT=text\n"
    )


def main(argv):
    path = Path(argv[1]) if len(argv) > 1 else BASE_DIR / ".env"
    if path.exists():
        print(f"{path} exists; left as it is.")
        return 0
    folder = path.resolve().parent
    path.write_text(contents(folder), encoding="utf-8")
    path.chmod(0o600)
    key = "the secret key of .secret_key" if (folder / ".secret_key").is_file() else "a new secret key"
    print(f"Wrote {path}: {key} and local host names (edit it to change a setting).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
