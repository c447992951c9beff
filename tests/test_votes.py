"""Recorded votes as readers see them (issue 12, item 5): the block on a resolution's page and the
table on a country's page."""

import json
import re
from html import unescape
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resolutions.countries import match_country
from resolutions.models import AdoptionMethod, Country, CountryVote, VoteCast
from resolutions.votes import MEMBER_STATES
from tests.factories import ParagraphFactory, ResolutionFactory

pytestmark = pytest.mark.django_db

EXTRACTS = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "unxml" / "GAresolutions" / "data_extract"
)


def voted(symbol, votes, **fields):
    """A resolution adopted by recorded vote: `votes` maps the UN's name of a State to its vote."""
    resolution = ResolutionFactory(symbol=symbol, adoption_method=AdoptionMethod.RECORDED_VOTE, **fields)
    ParagraphFactory(resolution=resolution, order=1, number="1")
    countries = dict(Country.objects.values_list("alpha3", "pk"))
    CountryVote.objects.bulk_create(
        CountryVote(
            resolution=resolution, name=name, vote=vote, country_id=countries.get(match_country(name))
        )
        for name, vote in votes.items()
    )
    return resolution


def rows(html):
    table = html[html.index("<table>") : html.index("</table>")]
    return [
        (unescape(re.sub(r"<[^>]+>", "", state)).strip(), re.sub(r"<[^>]+>", "", vote).strip())
        for state, vote in re.findall(r'<th scope="row">(.*?)</th><td[^>]*>(.*?)</td>', table)
    ]


def test_a_recorded_vote_shows_near_the_top_with_totals_a_bar_and_every_member_state(client):
    resolution = voted(
        "A/RES/77/700",
        {
            "COTE D'IVOIRE": VoteCast.YES,
            "KAZAKHSTAN": VoteCast.YES,
            "ISRAEL": VoteCast.NO,
            "BRAZIL": VoteCast.ABSTAIN,
            "ATLANTIS": VoteCast.ABSTAIN,
        },
        votes_yes=2,
        votes_no=1,
        votes_abstain=2,
    )

    html = client.get(resolution.get_absolute_url()).text

    assert html.index('id="vote-heading"') < html.index('id="text-heading"')  # before the text
    assert "recorded vote (2 in favour, 1 against, 2 abstentions)" in html
    totals = re.findall(
        r'<li class="vote-(\w+)"><span class="swatch" aria-hidden="true"></span><strong>(\d+)</strong> ([\w -]+)</li>',
        html,
    )
    assert totals == [
        ("yes", "2", "in favour"),
        ("no", "1", "against"),
        ("abstain", "2", "abstaining"),
        ("non_voting", "188", "non-voting"),  # of 193 Member States, 5 voted (the UN's totals)
    ]
    assert 'aria-label="Recorded vote: 2 in favour, 1 against, 2 abstaining, 188 non-voting"' in html
    states = dict(rows(html))
    assert states["Côte d'Ivoire"] == "In favour" and states["Israel"] == "Against"
    assert states["Atlantis"] == "Abstaining"  # matched to no country: kept, in its normal case
    assert states["Uzbekistan"] == "Non-voting"
    # Atlantis, named by no ISO code, is no Member State: the 189 members not named are listed.
    assert sum(vote == "Non-voting" for vote in states.values()) == 189
    assert len(states) == 194 and list(states) == sorted(states, key=str.casefold)
    assert "COTE D" not in html
    assert '<a href="/countries/civ/">Côte d&#x27;Ivoire</a>' in html


def test_a_resolution_without_a_recorded_vote_has_no_vote_block(client):
    resolution = ResolutionFactory(symbol="A/RES/77/701")

    assert 'id="vote-heading"' not in client.get(resolution.get_absolute_url()).text


def test_before_2011_no_member_is_called_non_voting(client):
    resolution = voted("A/RES/60/1", {"FRANCE": VoteCast.YES}, session="60", adopted_on="2005-10-24")

    html = client.get(resolution.get_absolute_url()).text

    assert rows(html) == [("France", "In favour")]
    assert "non-voting" not in html.lower()


def test_the_vote_block_costs_the_same_queries_for_3_states_as_for_190(client):
    names = list(Country.objects.filter(alpha3__in=MEMBER_STATES).values_list("name", flat=True))
    few = voted("A/RES/77/702", dict.fromkeys(names[:3], VoteCast.YES))
    many = voted("A/RES/77/703", dict.fromkeys(names[:190], VoteCast.NO))

    with CaptureQueriesContext(connection) as small:
        client.get(few.get_absolute_url())
    with CaptureQueriesContext(connection) as large:
        assert client.get(many.get_absolute_url()).text.count(">Against<") == 190
    assert len(large) == len(small)


def test_the_country_page_lists_its_votes_with_titles_dates_totals_and_pages(client):
    for number in range(30):
        voted(
            f"A/RES/77/{800 + number}",
            {"KAZAKHSTAN": VoteCast.NO if number % 3 else VoteCast.YES, "FRANCE": VoteCast.YES},
            title=f"Voted resolution {number}",
            adopted_on=f"2023-01-{number + 1:02d}",
        )
    url = reverse("resolutions:country-detail", kwargs={"iso": "kaz"})

    first = client.get(url).text
    second = client.get(url, {"page": "2"}).text

    assert 'Recorded votes <span class="count">(30)</span>' in first
    assert "<strong>10</strong> in favour" in first and "<strong>20</strong> against" in first
    assert "<strong>0</strong> abstaining" in first
    table = re.findall(
        r'<th scope="row"><a href="[^"]+">([^<]+)</a></th><td class="vote-title">([^<]+)</td>'
        r'<td class="vote-cast"><time datetime="([\d-]+)">',
        first,
    )
    assert table[0] == ("77/829", "Voted resolution 29", "2023-01-30")  # newest first
    assert len(table) == 25 and "Page 1 of 2" in first
    assert second.count('<td class="vote-title">') == 5 and "77/800" in second


def test_the_country_page_costs_the_same_queries_for_1_vote_as_for_60(client):
    url = reverse("resolutions:country-detail", kwargs={"iso": "kaz"})
    voted("A/RES/77/900", {"KAZAKHSTAN": VoteCast.YES})
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for number in range(1, 60):
        voted(f"A/RES/77/{900 + number}", {"KAZAKHSTAN": VoteCast.YES})
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_the_member_states_are_the_193_states_of_the_uns_voting_records():
    assert len(MEMBER_STATES) == 193
    assert (
        set(Country.objects.filter(alpha3__in=MEMBER_STATES).values_list("alpha3", flat=True))
        == MEMBER_STATES
    )
    if not EXTRACTS.is_dir():
        pytest.skip(f"{EXTRACTS} is absent")
    named = set()
    for path in EXTRACTS.glob("*.json"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                for key in ("MS_in_favour", "MS_against", "MS_abstaining"):
                    named.update(match_country(name) for name in record.get(key) or [])
    assert named - {None} == MEMBER_STATES


def test_both_tables_download_as_csv(client):
    resolution = voted(
        "A/RES/77/704",
        {"COTE D'IVOIRE": VoteCast.YES, "ISRAEL": VoteCast.NO},
        title="Voted, with a comma",
        votes_yes=1,
        votes_no=1,
        votes_abstain=1,
    )
    page = client.get(resolution.get_absolute_url()).text
    assert "(1 in favour, 1 against, 1 abstention)" in page
    assert 'href="/resolutions/A/RES/77/704/votes.csv" download' in page

    response = client.get(reverse("resolutions:resolution-votes-csv", kwargs={"symbol": resolution.symbol}))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="A_RES_77_704_votes.csv"' in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    assert lines[0] == "member_state,iso3,vote"
    assert "Côte d'Ivoire,CIV,In favour" in lines and "Israel,ISR,Against" in lines
    assert "Uzbekistan,UZB,Non-voting" in lines and len(lines) == 1 + 193

    country = client.get(reverse("resolutions:country-votes-csv", kwargs={"iso": "civ"}))
    assert country.content.decode().splitlines() == [
        "symbol,title,adopted_on,vote",
        'A/RES/77/704,"Voted, with a comma",2023-02-24,In favour',
    ]
    assert 'href="/countries/civ/votes.csv" download' in client.get("/countries/civ/").text
    assert client.get("/resolutions/A/RES/77/705/votes.csv").status_code == 404


def test_the_member_states_sort_by_name_or_by_vote(client):
    resolution = voted(
        "A/RES/77/706",
        {
            "ZAMBIA": VoteCast.NO,
            "ALBANIA": VoteCast.ABSTAIN,
            "KAZAKHSTAN": VoteCast.YES,
            "BRAZIL": VoteCast.YES,
        },
    )

    by_name = rows(client.get(resolution.get_absolute_url()).text)
    by_vote = client.get(resolution.get_absolute_url(), {"votes": "by-vote", "lang": "en"}).text

    assert [state for state, _ in by_name][:3] == ["Afghanistan", "Albania", "Algeria"]
    assert rows(by_vote)[:5] == [
        ("Brazil", "In favour"),
        ("Kazakhstan", "In favour"),
        ("Zambia", "Against"),
        ("Albania", "Abstaining"),
        ("Afghanistan", "Non-voting"),
    ]
    # Opened where it was sorted; each heading sorts by its column and keeps the language chosen.
    assert '<details class="vote-states" id="vote-states" open>' in by_vote
    assert (
        '<th scope="col" aria-sort="ascending"><a href="?votes=by-vote&amp;lang=en#vote-states">Vote</a>'
        in by_vote
    )
    assert 'href="?votes=by-name&amp;lang=en#vote-states">Member State</a>' in by_vote
