"""import_votes: how each Member State voted, from the UN's data_extract JSON lines."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from resolutions.models import CountryVote, Resolution

FIXTURE = "tests/fixtures/votes/session.json"
pytestmark = pytest.mark.django_db


def run(*paths):
    out, err = StringIO(), StringIO()
    call_command("import_votes", *map(str, paths), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_votes_attach_to_held_resolutions_matched_to_iso_countries(seeded):
    out, err = run(FIXTURE)

    votes = {
        vote.name: (vote.vote, vote.country.alpha3 if vote.country else None)
        for vote in seeded.country_votes.all()
    }
    assert votes == {
        "KAZAKHSTAN": ("yes", "KAZ"),
        "IRAN (ISLAMIC REPUBLIC OF)": ("yes", "IRN"),
        "TÜRKİYE": ("yes", "TUR"),
        "REPUBLIC OF KOREA": ("no", "KOR"),
        "ATLANTIS": ("abstain", None),
    }
    assert "attached to 1 resolution(s) (5 votes)" in out
    assert "1 recorded vote(s) concern resolutions not held here" in out
    assert "'ATLANTIS'" in err  # reported, not dropped


def test_importing_votes_twice_changes_nothing(seeded):
    run(FIXTURE)
    before = list(CountryVote.objects.values("resolution", "country", "name", "vote").order_by("name"))

    run(FIXTURE)

    assert (
        list(CountryVote.objects.values("resolution", "country", "name", "vote").order_by("name")) == before
    )


def test_a_line_that_is_not_json_fails_with_its_line_number(seeded, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"symbol": "A/RES/77/273"}\nnot json\n')

    with pytest.raises(CommandError, match="line 2"):
        run(bad)


@pytest.mark.corpus
def test_session_77_recorded_votes_are_all_recorded(shared_data_dir):
    """Acceptance: import_votes on 77.json records the recorded votes of session 77."""
    folder = shared_data_dir / "unxml" / "GAresolutions"
    call_command(
        "import_resolution", str(folder / "77session" / "English"), stdout=StringIO(), stderr=StringIO()
    )
    extract = folder / "data_extract" / "77.json"

    run(extract)

    records = [json.loads(line) for line in extract.read_text(encoding="utf-8").splitlines() if line.strip()]
    recorded = [
        r for r in records if r["MS_in_favour"] and Resolution.objects.filter(symbol=r["symbol"]).exists()
    ]
    assert len(recorded) >= 80
    for record in recorded:
        resolution = Resolution.objects.get(symbol=record["symbol"])
        for key, cast in (("MS_in_favour", "yes"), ("MS_against", "no"), ("MS_abstaining", "abstain")):
            expected = len({name.strip() for name in record[key]})
            assert resolution.country_votes.filter(vote=cast).count() == expected, (record["symbol"], key)
    assert not CountryVote.objects.filter(country__isnull=True).exists()


def test_the_summary_counts_what_was_stored_when_the_source_repeats_rows(seeded):
    """Issue 11, defect 7: a resolution listed twice, and a State named twice, are stored once."""
    out, _ = run("tests/fixtures/votes/repeated_rows.json")

    stored = CountryVote.objects.filter(resolution=seeded)
    # The last record for A/RES/77/273 replaces the earlier ones; KAZAKHSTAN, named in two lists, once.
    assert list(stored.values_list("name", flat=True)) == ["KAZAKHSTAN"]
    assert "attached to 1 resolution(s) (1 votes)" in out
    assert "1 recorded vote(s) concern resolutions not held here" in out
