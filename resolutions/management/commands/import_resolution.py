import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from resolutions.importer import FORMATS, NotAResolution, ParseError, parse_all, read_text
from resolutions.importer.coverage import measure
from resolutions.importer.loader import KEPT, LoadRefused, already_loaded, load
from resolutions.lineage import linking_deferred
from resolutions.statistics import refresh_statistics

SUFFIXES = {".md", ".markdown", ".txt", ".xml"}
OUTCOMES = ("imported", "updated", "unchanged", "kept", "skipped", "failed")
DRY_RUN_OUTCOMES = ("parsed", "skipped", "failed")


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
        self.verbosity = verbosity
        self.quiet = verbosity == 0 or (progress and verbosity < 2)  # with a bar, say only what went wrong
        # A dry run writes nothing: it counts the documents it parsed, not imports that did not happen.
        outcomes = dict.fromkeys(DRY_RUN_OUTCOMES if dry_run else OUTCOMES, 0)
        incomplete: list[str] = []  # documents below 100 % coverage
        kept: list[str] = []  # documents a richer source of the same language outranks
        parsed_documents = []
        # Series are linked once for the whole run, after the last file (resolutions.lineage).
        with linking_deferred():
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
                    # Either way it is named, progress bar or not.
                    outcome = "skipped" if walked else "failed"
                    outcomes[outcome] += 1
                    self._say(f"{prefix}: {outcome} \u2013 {error}", error=not walked, notice=True)
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
                        outcomes["parsed"] += 1
                        parsed_documents.append(
                            {
                                **parsed.as_json(),
                                "contents": parsed.contents(),
                                "coverage": coverage.as_json(),
                            }
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
                    if result.outcome == KEPT:  # a richer source of this language is held: nothing written
                        kept.append(result.reason)
                        self._say(f"{prefix}: kept \u2013 {result.reason}")
                        continue
                    self._say(
                        f"{prefix}: {result.outcome} {parsed.symbol} [{parsed.language}] "
                        f"({len(parsed.preambular)} preambular, {len(parsed.operative)} operative paragraphs; "
                        f"{coverage.describe(gaps=0)})"
                    )
        self.bar.close()
        if outcomes.get("imported") or outcomes.get("updated"):
            refresh_statistics()
        if dry_run and parsed_documents:
            document = parsed_documents[0] if len(parsed_documents) == 1 else parsed_documents
            self.stdout.write(json.dumps(document, indent=2, ensure_ascii=False))
        # "kept" is said only when it happened: most imports never meet a richer source already held.
        summary = ", ".join(
            f"{count} {outcome}" for outcome, count in outcomes.items() if count or outcome != KEPT
        )
        if incomplete:
            self._write(
                self.stderr,
                f"Below 100 % coverage ({len(incomplete)}): {', '.join(incomplete)}",
                self.style.WARNING,
            )
        if len(files) > 1 or outcomes["failed"] or incomplete or any(path.is_dir() for path in paths):
            if kept:
                self._write(
                    self.stderr, f"Kept, a richer source being held ({len(kept)}): {'; '.join(kept)}", str
                )
            # Coloured by outcome (on a terminal): red only when something failed.
            style = self.style.SUCCESS
            if outcomes["failed"]:
                style = self.style.ERROR
            elif incomplete:
                style = self.style.WARNING
            label = "Summary (dry run, nothing written)" if dry_run else "Summary"
            self._write(self.stderr, f"{label}: {summary}", style)
        if outcomes["failed"]:
            raise CommandError(f"{outcomes['failed']} of {len(files)} file(s) failed to import")

    def _say(self, message, error=False, to_stderr=False, notice=False):
        """A line about one file. Details are left out with a progress bar; a notice only with -v 0."""
        if not error and (self.verbosity == 0 or (self.quiet and not notice)):
            return
        stream = self.stderr if error or to_stderr else self.stdout
        self._write(stream, message, self.style.ERROR if error else str)

    def _warn(self, message):
        """Said even with a progress bar or --verbosity 0: text that will not be stored."""
        self._write(self.stderr, message, self.style.WARNING)

    def _write(self, stream, message, style):
        """One line, in the given style only (on a terminal Django would otherwise colour all of stderr red)."""
        if self.bar.disable:
            stream.write(style(message), style_func=str)
        else:
            self.bar.write(style(message), file=stream._out)

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
                message = f"{path}: no .xml, .txt or .md file in this folder"
                self.stderr.write(self.style.WARNING(message), style_func=str)
            for file in found:
                yield file, True
