"""Recorded votes as a reader sees them: totals, and how each Member State voted, those that did not
vote included."""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from resolutions.models import Body, Country, CountryVote, VoteCast

NON_VOTING = "non_voting"
# In the order a reader expects them, not the alphabetical order of their labels.
VOTE_LABELS = {**dict(VoteCast.choices), NON_VOTING: "Non-voting"}

MEMBER_STATES = frozenset(
    line.strip()
    for line in (Path(__file__).parent / "data" / "un_member_states.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
)
MEMBERS_SINCE = datetime.date(2011, 7, 14)  # South Sudan admitted: the list above holds from then on


@dataclass
class StateVote:
    name: str
    vote: str
    country: Country | None = None

    @property
    def vote_label(self):
        return VOTE_LABELS[self.vote]


@dataclass
class RecordedVote:
    """One resolution's recorded vote: `totals` (vote, label, count) in the UN's order, with the
    non-voting Member States when the membership of the day is known, and `states` by name."""

    states: list[StateVote]
    totals: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def members(self):
        return sum(count for _, _, count in self.totals)

    def segments(self):
        """(vote, label, count, offset) of each part of the bar, left to right."""
        offset, parts = 0, []
        for key, label, count in self.totals:
            parts.append((key, label, count, offset))
            offset += count
        return parts

    def summary(self):
        """ "185 in favour, 2 against, 2 abstaining, 4 non-voting": the bar's text alternative."""
        return ", ".join(f"{count} {label.lower()}" for _, label, count in self.totals)


def display_name(country: Country) -> str:
    """A country's name in its normal reading form: ISO's few inverted names put right
    ("Congo, The Democratic Republic of the" is "Democratic Republic of the Congo")."""
    name = country.name
    if ", " in name:
        head, tail = name.split(", ", 1)
        name = f"{tail.removeprefix('The ')} {head}"
    return name


def recorded_vote(resolution, by_vote=False) -> RecordedVote | None:
    """How each Member State voted on `resolution`, or None without a recorded vote: the States by
    name, or `by_vote` (in favour, against, abstaining, non-voting; by name within each). Two
    queries: the votes with their countries, and (for the General Assembly since 2011) the Member
    States."""
    votes = list(CountryVote.objects.filter(resolution=resolution).select_related("country"))
    if not votes:
        return None
    states = [
        StateVote(display_name(vote.country) if vote.country else vote.name.title(), vote.vote, vote.country)
        for vote in votes
    ]
    known_members = resolution.body == Body.GENERAL_ASSEMBLY and (
        resolution.adopted_on is None or resolution.adopted_on >= MEMBERS_SINCE
    )
    if known_members:
        voted = {vote.country_id for vote in votes}
        states += [
            StateVote(display_name(country), NON_VOTING, country)
            for country in Country.objects.filter(alpha3__in=MEMBER_STATES)
            if country.pk not in voted
        ]
    order = list(VOTE_LABELS)
    states.sort(key=lambda state: (order.index(state.vote) if by_vote else 0, state.name.casefold()))
    counted = dict.fromkeys(VOTE_LABELS, 0)
    for state in states:
        counted[state.vote] += 1
    # The UN's recorded totals where it gives them; a count of the names otherwise.
    recorded = {
        VoteCast.YES: resolution.votes_yes,
        VoteCast.NO: resolution.votes_no,
        VoteCast.ABSTAIN: resolution.votes_abstain,
    }
    totals = [
        (key, label, counted[key] if recorded.get(key) is None else recorded[key])
        for key, label in VOTE_LABELS.items()
        if key != NON_VOTING or known_members
    ]
    if known_members:
        cast = sum(count for key, _, count in totals if key != NON_VOTING)
        totals[-1] = (NON_VOTING, VOTE_LABELS[NON_VOTING], max(len(MEMBER_STATES) - cast, 0))
    return RecordedVote(states=states, totals=totals)
