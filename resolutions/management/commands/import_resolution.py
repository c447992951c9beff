import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from resolutions.importer import FORMATS, NotAResolution, ParseError, parse_all, read_text
from resolutions.importer.coverage import measure
from resolutions.importer.loader import LoadRefused, already_loaded, load
from resolutions.statistics import refresh_statistics

SUFFIXES = {".md", ".markdown", ".txt", ".xml"}
OUTCOMES = ("imported", "updated", "unchanged", "skipped", "failed")


class Command(BaseCommand):
    help = (
        "Import UN resolutions from files (Akoma Ntoso XML, text from the official PDF, or Markdown) "
        "or from every such file in a folder. Each document is its own transaction; a file that fails "
        "writes nothing and the others go on. Each document's coverage (every word of its body in "
        "exactly one stored place) is reported; one below 100 % imports with a warning, or fails with "
        "--strict. Exit status 1 if any file failed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", type=Path, metavar="PATH", help="A file, or a folder to walk."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Write nothing; print the parsed document(s) as JSON."
        )
        parser.add_argument(
            "--format",
            default="auto",
            choices=("auto", *FORMATS),
            help="Force a format instead of detecting it.",
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            default=None,
            help="Show a progress bar (default: when several files are imported on a terminal).",
        )
        parser.add_argument("--no-progress", action="store_false", dest="progress")
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Refuse a document whose coverage is below 100 %% (some of its text would not be stored).",
        )

    def handle(self, *args, paths, dry_run, format, progress, verbosity, strict=False, **options):
        files = list(self._files(paths))
        if progress is None:
            progress = len(files) > 1 and self.stderr.isatty()
        self.bar = tqdm(
            total=len(files), unit="file", file=self.stderr._out, disable=not progress, leave=False
        )
        self.quiet = verbosity == 0 or (progress and verbosity < 2)  # with a bar, say only what went wrong
        outcomes = dict.fromkeys(OUTCOMES, 0)
        incomplete: list[str] = []  # documents below 100 % coverage
        parsed_documents = []
        for index, (path, walked) in enumerate(files, start=1):
            prefix = f"[{index}/{len(files)}] {path}" if len(files) > 1 else str(path)
            try:
                text = read_text(path)
                unchanged = [] if dry_run else already_loaded(text)
                if unchanged:
                    outcomes["unchanged"] += len(unchanged)
                    self._say(
                        f"{prefix}: unchanged {', '.join(unchanged)} (already imported from this very text)"
                    )
                    continue
                documents = parse_all(text, format)
            except NotAResolution as error:
                # Inside a folder, a UN document that is not a resolution is passed over; named, it fails.
                outcome = "skipped" if walked else "failed"
                outcomes[outcome] += 1
                self._say(f"{prefix}: {outcome} \u2013 {error}", error=not walked)
                continue
            except ParseError as error:
                outcomes["failed"] += 1
                self._say(f"{prefix}: failed \u2013 {error}", error=True)
                continue
            finally:
                self.bar.update()
            for parsed in documents:
                coverage = measure(parsed, documents)
                if not coverage.complete:
                    incomplete.append(
                        f"{parsed.symbol} [{parsed.language}] {min(coverage.percent, 99.9):.1f} %"
                    )
                    if strict and not dry_run:
                        outcomes["failed"] += 1
                        self._say(
                            f"{prefix}: failed \u2013 {parsed.symbol}: refused by --strict, "
                            f"{coverage.describe()}",
                            error=True,
                        )
                        continue
                    self._warn(
                        f"{prefix}: warning \u2013 {parsed.symbol} [{parsed.language}]: {coverage.describe()}"
                    )
                if dry_run:
                    parsed_documents.append(
                        {**parsed.as_json(), "contents": parsed.contents(), "coverage": coverage.as_json()}
                    )
                    self._say(
                        f"{prefix}: parsed {parsed.symbol} (dry run, nothing written); {coverage.describe(gaps=0)}",
                        to_stderr=True,
                    )
                    continue
                try:
                    result = load(parsed)
                except LoadRefused as error:
                    outcomes["failed"] += 1
                    self._say(f"{prefix}: failed \u2013 {parsed.symbol}: {error}", error=True)
                    continue
                except DatabaseError as error:
                    # The document's transaction was rolled back; report it and go on with the others.
                    outcomes["failed"] += 1
                    self._say(
                        f"{prefix}: failed \u2013 {parsed.symbol}: the database refused it ({error})",
                        error=True,
                    )
                    continue
                outcomes[result.outcome] += 1
                self._say(
                    f"{prefix}: {result.outcome} {parsed.symbol} [{parsed.language}] "
                    f"({len(parsed.preambular)} preambular, {len(parsed.operative)} operative paragraphs; "
                    f"{coverage.describe(gaps=0)})"
                )
        self.bar.close()
        if outcomes["imported"] or outcomes["updated"]:
            refresh_statistics()
        if dry_run and parsed_documents:
            document = parsed_documents[0] if len(parsed_documents) == 1 else parsed_documents
            self.stdout.write(json.dumps(document, indent=2, ensure_ascii=False))
        summary = ", ".join(f"{count} {outcome}" for outcome, count in outcomes.items())
        if incomplete:
            self.stderr.write(
                self.style.WARNING(f"Below 100 % coverage ({len(incomplete)}): {', '.join(incomplete)}")
            )
        if len(files) > 1 or outcomes["failed"] or incomplete or any(path.is_dir() for path in paths):
            self.stderr.write(f"Summary: {summary}")
        if outcomes["failed"]:
            raise CommandError(f"{outcomes['failed']} of {len(files)} file(s) failed to import")

    def _say(self, message, error=False, to_stderr=False):
        if self.quiet and not error:
            return
        stream = self.stderr if error or to_stderr else self.stdout
        text = self.style.ERROR(message) if error else message
        if self.bar.disable:
            stream.write(text)
        else:
            self.bar.write(text, file=stream._out)

    def _warn(self, message):
        """Said even with a progress bar or --verbosity 0: text that will not be stored."""
        text = self.style.WARNING(message)
        if self.bar.disable:
            self.stderr.write(text)
        else:
            self.bar.write(text, file=self.stderr._out)

    def _files(self, paths):
        """(path, found by walking a folder) for every file to import."""
        for path in paths:
            if not path.is_dir():
                yield path, False
                continue
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.upper().startswith("README")
            )
            if not found:
                self.stderr.write(f"{path}: no .xml, .txt or .md file in this folder")
            for file in found:
                yield file, True
