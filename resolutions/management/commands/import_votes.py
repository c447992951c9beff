import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from resolutions.countries import match_country
from resolutions.models import AdoptionMethod, Country, CountryVote, Resolution, VoteCast

LISTS = {"MS_in_favour": VoteCast.YES, "MS_against": VoteCast.NO, "MS_abstaining": VoteCast.ABSTAIN}
COUNTS = {
    "MS_in_favour_count": "votes_yes",
    "MS_against_count": "votes_no",
    "MS_abstaining_count": "votes_abstain",
}


class Command(BaseCommand):
    help = (
        "Attach how each Member State voted to the resolutions held, from the UN's data_extract JSON "
        "(one JSON object a line, e.g. GAresolutions/data_extract/77.json). Names are matched to ISO "
        "3166 countries; unmatched names are kept as written and reported."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="JSON")

    def handle(self, *args, paths, **options):
        countries = dict(Country.objects.values_list("alpha3", "pk"))
        attached: set[int] = set()
        absent: set[str] = set()
        unmatched: dict[str, set[str]] = {}
        for path in paths:
            for record in self._records(path):
                recorded = {key: record.get(key) or [] for key in LISTS}
                if not any(recorded.values()):
                    continue  # adopted without a vote: nothing to attach
                symbol = (record.get("symbol") or "").strip()
                resolution = Resolution.objects.filter(symbol=symbol).first()
                if resolution is None:
                    absent.add(symbol)
                    continue
                rows = []
                for key, cast in LISTS.items():
                    for name in dict.fromkeys(name.strip() for name in recorded[key] if name.strip()):
                        code = match_country(name)
                        if code is None:
                            unmatched.setdefault(name, set()).add(resolution.symbol)
                        rows.append(
                            CountryVote(
                                resolution=resolution, country_id=countries.get(code), name=name, vote=cast
                            )
                        )
                with transaction.atomic():
                    resolution.country_votes.all().delete()
                    CountryVote.objects.bulk_create(rows, ignore_conflicts=True)
                    if not resolution.adoption_method:
                        resolution.adoption_method = AdoptionMethod.RECORDED_VOTE
                    for key, field in COUNTS.items():
                        if getattr(resolution, field) is None and str(record.get(key, "")).isdigit():
                            setattr(resolution, field, int(record[key]))
                    resolution.save()
                attached.add(resolution.pk)
        # What was stored, not what was read: a source may repeat a resolution (the later record
        # replaces the earlier) or name a State twice, and the database keeps one vote per State.
        votes = CountryVote.objects.filter(resolution__in=attached).count()
        self.stdout.write(
            f"Recorded votes attached to {len(attached)} resolution(s) ({votes} votes); "
            f"{len(absent)} recorded vote(s) concern resolutions not held here."
        )
        if unmatched:
            self.stderr.write(f"{len(unmatched)} name(s) matched no ISO 3166 country; kept as written:")
            for name, symbols in sorted(unmatched.items()):
                self.stderr.write(f"  {name!r} in {', '.join(sorted(symbols))}")

    def _records(self, path):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: cannot read it ({error})") from error
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise CommandError(f"{path}, line {number}: not JSON ({error.msg})") from error
            if not isinstance(record, dict):
                raise CommandError(f"{path}, line {number}: expected a JSON object")
            yield record
