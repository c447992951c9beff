import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from resolutions.importer import FORMATS, ParseError, parse_file
from resolutions.importer.loader import LoadRefused, load

SUFFIXES = {".md", ".markdown", ".txt", ".xml"}


class Command(BaseCommand):
    help = (
        "Import UN resolutions from files (Akoma Ntoso XML, text from the official PDF, or Markdown) "
        "or from every such file in a folder. Each document is its own transaction."
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

    def handle(self, *args, paths, dry_run, format, **options):
        files = list(self._files(paths))
        outcomes = {"imported": 0, "updated": 0, "unchanged": 0, "failed": 0}
        parsed_documents = []
        for index, path in enumerate(files, start=1):
            prefix = f"[{index}/{len(files)}] {path}" if len(files) > 1 else str(path)
            try:
                documents = parse_file(path, format)
            except ParseError as error:
                outcomes["failed"] += 1
                self.stderr.write(self.style.ERROR(f"{prefix}: failed \u2013 {error}"))
                continue
            for parsed in documents:
                if dry_run:
                    parsed_documents.append(parsed.as_json())
                    self.stderr.write(f"{prefix}: parsed {parsed.symbol} (dry run, nothing written)")
                    continue
                try:
                    result = load(parsed)
                except LoadRefused as error:
                    outcomes["failed"] += 1
                    self.stderr.write(self.style.ERROR(f"{prefix}: failed \u2013 {parsed.symbol}: {error}"))
                    continue
                outcomes[result.outcome] += 1
                self.stdout.write(
                    f"{prefix}: {result.outcome} {parsed.symbol} "
                    f"({len(parsed.preambular)} preambular, {len(parsed.operative)} operative paragraphs)"
                )
        if dry_run and parsed_documents:
            document = parsed_documents[0] if len(parsed_documents) == 1 else parsed_documents
            self.stdout.write(json.dumps(document, indent=2, ensure_ascii=False))
        summary = ", ".join(f"{count} {outcome}" for outcome, count in outcomes.items())
        if len(files) > 1 or outcomes["failed"]:
            self.stderr.write(f"Summary: {summary}")
        if outcomes["failed"]:
            raise CommandError(f"{outcomes['failed']} of {len(files)} file(s) failed to import")

    def _files(self, paths):
        for path in paths:
            if path.is_dir():
                found = sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in SUFFIXES
                    and not p.name.upper().startswith("README")
                )
                if not found:
                    self.stderr.write(f"{path}: no .xml, .txt or .md file in this folder")
                yield from found
            else:
                yield path
