"""Lineage (resolutions.lineage): predecessors found, paragraphs aligned, words diffed, tracking carried
forward; with 77/273 and 75/272 read from ../shared/data (skipped, saying so, where absent)."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from resolutions.lineage import (
    ResolutionFacts,
    align_paragraphs,
    carry_forward,
    find_predecessor,
    link_series,
    score_candidate,
    word_diff,
)
from resolutions.models import (
    AssessmentStatus,
    NoteState,
    ParagraphAlignment,
    ParagraphKind,
    Resolution,
    SeriesLink,
    SeriesLinkOrigin,
)
from tests.factories import AssessmentFactory, ParagraphFactory, ResolutionFactory, staff_member


def facts(symbol, title, when, body="GA", cites=(), agenda=()):
    return ResolutionFacts(symbol, body, (when, symbol), title, frozenset(agenda), frozenset(cites))


# ---- finding predecessors (pure) -----------------------------------------------------------------


def test_the_same_title_in_an_earlier_session_is_a_predecessor_and_the_latest_one_is_chosen():
    title = "Role of the United Nations Regional Centre for Preventive Diplomacy for Central Asia"
    later = facts("A/RES/77/273", title, "2023-04-20", cites={"A/RES/72/7", "A/RES/75/272"})
    found = find_predecessor(
        later,
        [
            facts("A/RES/72/7", title, "2017-11-17"),
            facts("A/RES/75/272", title.upper() + ".", "2021-04-16"),
            facts("A/RES/78/1", title, "2023-10-01"),  # later: never a predecessor
        ],
    )
    assert found.symbol == "A/RES/75/272"
    assert found.reason == "same title, cites A/RES/75/272"


def test_a_near_title_needs_a_citation_and_the_security_council_always_does():
    near = facts("A/RES/76/2", "Cooperation between the United Nations and the OSCE", "2021-10-01")
    earlier = facts(
        "A/RES/75/5", "Cooperation between the United Nations and the OSCE in Europe", "2020-10-01"
    )
    assert score_candidate(near, earlier) is None
    cited = facts("A/RES/76/2", near.title, "2021-10-01", cites={"A/RES/75/5"})
    assert score_candidate(cited, earlier).reason.startswith("similar title")

    libya = facts("S/RES/2600 (2021)", "The situation in Libya", "2021-10-29", body="SC")
    other = facts("S/RES/2570 (2021)", "The situation in Libya", "2021-04-16", body="SC")
    assert score_candidate(libya, other) is None
    renewal = facts(
        "S/RES/2600 (2021)", "The situation in Libya", "2021-10-29", body="SC", cites={other.symbol}
    )
    assert score_candidate(renewal, other).symbol == other.symbol


def test_another_resolution_of_the_same_session_is_no_predecessor_outside_the_security_council():
    part_b = facts("A/RES/75/250 B", "Financing of UNIFIL", "2021-06-30", cites={"A/RES/75/250"})
    assert score_candidate(part_b, facts("A/RES/75/250", "Financing of UNIFIL", "2020-12-31")) is None


def test_unrelated_titles_are_no_predecessor_even_when_cited():
    later = facts("A/RES/77/2", "Oceans and the law of the sea", "2022-12-09", cites={"A/RES/76/1"})
    assert find_predecessor(later, [facts("A/RES/76/1", "Scale of assessments", "2021-12-01")]) is None


# ---- aligning and diffing (pure) -----------------------------------------------------------------


def test_alignment_pairs_kept_and_reworded_paragraphs_and_marks_new_and_dropped_in_place():
    old = [
        "Recalling its resolution 72/7 of 17 November 2017,",
        "Noting the need to mitigate the impacts of the COVID-19 pandemic in the region,",
        "Welcoming the close interaction of the Regional Centre with United Nations country teams,",
    ]
    new = [
        "Recalling its resolutions 72/7 of 17 November 2017 and 75/272 of 16 April 2021,",
        "Noting the fifteenth anniversary of the establishment of the Regional Centre,",
        "Welcoming the close interaction of the Regional Centre with United Nations country teams,",
    ]
    pairs = [(pair.old, pair.new) for pair in align_paragraphs(old, new)]
    assert pairs == [(0, 0), (1, None), (None, 1), (2, 2)]  # what went, then what came in its place


def test_a_paragraph_moved_out_of_order_is_still_matched():
    old = ["Alpha beta gamma delta epsilon zeta eta theta.", "One two three four five six seven eight."]
    new = ["One two three four five six seven eight.", "Alpha beta gamma delta epsilon zeta eta theta."]
    assert {(pair.old, pair.new) for pair in align_paragraphs(old, new)} == {(1, 0), (0, 1)}


def test_word_diff_marks_exactly_the_words_that_changed():
    diff = word_diff(
        "Recalling its resolution 72/7 of 17 November 2017,",
        "Recalling its resolutions 72/7 of 17 November 2017 and 75/272 of 16 April 2021,",
    )
    assert diff == [
        ["=", "Recalling its "],
        ["-", "resolution "],
        ["+", "resolutions "],
        ["=", "72/7 of 17 November 2017 "],
        ["+", "and 75/272 of 16 April 2021"],
        ["=", ","],
    ]
    assert word_diff("to peace and in the region,", "to peace,") == [
        ["=", "to peace"],
        ["-", " and in the region"],
        ["=", ","],
    ]


# ---- the writes ----------------------------------------------------------------------------------


def pair():
    title = "Cooperation between the United Nations and the Example Organization"
    before = ResolutionFactory(
        symbol="A/RES/75/10", session="75", title=title, adopted_on=datetime.date(2020, 11, 1)
    )
    after = ResolutionFactory(
        symbol="A/RES/77/10", session="77", title=title, adopted_on=datetime.date(2022, 11, 1)
    )
    ParagraphFactory(
        resolution=before, order=1, number="1", lead_phrase="Welcomes", text="the work of the Organization;"
    )
    ParagraphFactory(
        resolution=before,
        order=2,
        number="2",
        lead_phrase="Requests",
        text="a report at its seventy-seventh session.",
    )
    ParagraphFactory(
        resolution=after,
        order=1,
        number="1",
        lead_phrase="Welcomes",
        text="the continued work of the Organization;",
    )
    ParagraphFactory(
        resolution=after,
        order=2,
        number="2",
        lead_phrase="Decides",
        text="to include the item in the provisional agenda.",
    )
    return before, after


@pytest.mark.django_db
def test_link_series_links_aligns_and_groups_and_never_overrides_staff():
    before, after = pair()
    other = ResolutionFactory(
        symbol="A/RES/76/10", session="76", title="Something else", adopted_on=datetime.date(2021, 11, 1)
    )

    summary = link_series()

    link = SeriesLink.objects.get(successor=after)
    assert (link.predecessor, link.origin, link.reason) == (before, SeriesLinkOrigin.FOUND, "same title")
    assert summary.linked == 1
    rows = [
        (
            row.paragraph and row.paragraph.label,
            row.predecessor_paragraph and row.predecessor_paragraph.label,
            row.change,
        )
        for row in ParagraphAlignment.objects.filter(resolution=after)
    ]
    assert rows == [
        ("op 1", "op 1", "changed"),
        (None, "op 2", "dropped"),
        ("op 2", None, "new"),
    ] or rows == [
        ("op 1", "op 1", "changed"),
        ("op 2", None, "new"),
        (None, "op 2", "dropped"),
    ]
    after.refresh_from_db()
    before.refresh_from_db()
    assert after.series is not None and after.series == before.series
    assert after.series.get_absolute_url() == f"/series/{after.series.slug}/"

    # Staff correct it (another predecessor): a later run keeps their choice.
    link.predecessor, link.origin = other, SeriesLinkOrigin.CORRECTED
    link.save()
    link_series()
    assert SeriesLink.objects.get(successor=after).predecessor == other
    # Staff split it: no predecessor, and a later run does not link it again.
    SeriesLink.objects.filter(successor=after).update(predecessor=None, origin=SeriesLinkOrigin.SPLIT)
    summary = link_series()
    assert SeriesLink.objects.get(successor=after).predecessor is None
    assert summary.kept == 1


@pytest.mark.django_db
def test_carry_forward_makes_a_draft_that_is_public_only_once_reviewed():
    before, after = pair()
    link_series()
    earlier = AssessmentFactory(paragraph=before.paragraphs.get(number="1"), status=AssessmentStatus.ONGOING)
    editor, reviewer = staff_member("reviewer", username="rita"), staff_member("reviewer", username="rex")
    paragraph = after.paragraphs.get(number="1")

    assessment = carry_forward(paragraph, editor)

    assert (assessment.state, assessment.status, assessment.author) == (
        NoteState.DRAFT,
        earlier.status,
        editor,
    )
    assert "Carried forward from A/RES/75/10, operative paragraph 1" in assessment.rationale
    assert paragraph.current_assessment() is None
    with pytest.raises(ValidationError):
        assessment.transition(NoteState.PUBLISHED, reviewer)  # a draft is submitted first
    assessment.transition(NoteState.IN_REVIEW, editor)
    with pytest.raises(ValidationError):
        assessment.transition(NoteState.PUBLISHED, editor)  # four eyes: not who carried it forward
    assessment.transition(NoteState.PUBLISHED, reviewer)
    assert paragraph.current_assessment() == assessment
    # A paragraph that continues nothing assessed has nothing to carry.
    with pytest.raises(ValidationError):
        carry_forward(after.paragraphs.get(number="2"), editor)


# ---- 77/273 and 75/272, as the UN published them -------------------------------------------------

# Checked by hand against the two texts: each paragraph of 77/273 and the one of 75/272 it continues
# (None: new), and the paragraphs of 75/272 it dropped, in the page's order.
EXPECTED_77_273 = [
    ("pp 1", "pp 1", "unchanged"),
    ("pp 2", "pp 2", "changed"),  # "resolutions 72/7 ... and 75/272 of 16 April 2021"
    ("pp 3", "pp 3", "unchanged"),
    ("pp 4", "pp 4", "unchanged"),
    ("pp 5", None, "new"),  # thirtieth anniversary of membership
    ("pp 6", None, "new"),  # fifteenth anniversary of the Centre
    ("pp 7", "pp 5", "changed"),  # "States" -> "countries"; "and in supporting sustainable development" out
    ("pp 8", None, "new"),
    ("pp 9", "pp 6", "unchanged"),
    (None, "pp 7", "dropped"),  # a Central Asian zone of peace (now pp 10 recalls 76/299 instead)
    (None, "pp 8", "dropped"),  # the focus on counter-terrorism
    ("pp 10", None, "new"),
    ("pp 11", None, "new"),
    ("pp 12", None, "new"),
    ("pp 13", None, "new"),
    ("pp 14", "pp 9", "changed"),  # "Recalling, in this regard, the Ashgabat Declaration"
    ("pp 15", None, "new"),
    ("pp 16", None, "new"),
    ("pp 17", "pp 10", "changed"),  # the Centre's efforts on Central Asia and Afghanistan, grown
    ("pp 18", "pp 11", "changed"),  # "agreements or arrangements"
    ("pp 19", None, "new"),
    ("pp 20", "pp 12", "changed"),  # "Welcoming further" -> "Welcoming"
    ("pp 21", "pp 13", "unchanged"),
    ("pp 22", "pp 14", "unchanged"),
    ("pp 23", "pp 15", "changed"),
    ("pp 24", "pp 16", "unchanged"),
    ("op 1", "op 1", "changed"),  # "to play a proactive role and"; "its mandate"
    ("op 2", None, "new"),  # contact with regional organizations
    ("op 3", "op 2", "unchanged"),
    (None, "op 3", "dropped"),  # COVID-19
    ("op 4", "op 4", "changed"),  # "peace and stability", no longer "sustainable development"
]


def import_pair(folder, languages=("English",)):
    for language in languages:
        for pattern, session in (("*77_273*", "77session"), ("*75_272*", "75session")):
            call_command(
                "import_resolution",
                *map(str, (folder / session / language).glob(pattern)),
                stdout=StringIO(),
                stderr=StringIO(),
            )


@pytest.mark.django_db
def test_77_273_and_75_272_in_six_languages_are_one_series_with_every_paragraph_aligned(shared_data_dir):
    folder = shared_data_dir / "unxml" / "GAresolutions"
    # The successor first: its predecessor is found when that arrives.
    import_pair(folder, ("English", "Arabic", "Chinese", "French", "Russian", "Spanish"))

    later, earlier = (
        Resolution.objects.get(symbol="A/RES/77/273"),
        Resolution.objects.get(symbol="A/RES/75/272"),
    )
    assert sorted(later.languages) == sorted(earlier.languages) == ["ar", "en", "es", "fr", "ru", "zh"]
    assert later.series is not None and later.series == earlier.series
    link = later.predecessor_link
    assert (link.predecessor, link.origin) == (earlier, SeriesLinkOrigin.FOUND)
    assert link.reason == "same title, cites A/RES/75/272"
    assert not SeriesLink.objects.filter(successor=earlier).exclude(predecessor=None).exists()

    rows = ParagraphAlignment.objects.filter(resolution=later).select_related(
        "paragraph", "predecessor_paragraph"
    )
    assert [
        (
            row.paragraph and row.paragraph.label,
            row.predecessor_paragraph and row.predecessor_paragraph.label,
            row.change,
        )
        for row in rows
    ] == EXPECTED_77_273
    # Every paragraph of both is in it once.
    assert sorted(row.paragraph_id for row in rows if row.paragraph_id) == sorted(
        later.paragraphs.values_list("pk", flat=True)
    )
    assert sorted(row.predecessor_paragraph_id for row in rows if row.predecessor_paragraph_id) == sorted(
        earlier.paragraphs.values_list("pk", flat=True)
    )
    # Exactly the words that changed in the operative part.
    changed = {
        row.paragraph.label: row.diff
        for row in rows
        if row.change == "changed" and row.paragraph.kind == ParagraphKind.OPERATIVE
    }
    assert changed == {
        "op 1": [
            ["=", "Encourages the United Nations Regional Centre for Preventive Diplomacy for Central Asia "],
            ["+", "to play a proactive role and "],
            [
                "=",
                "to continue to liaise with the Governments of the region and, with their concurrence, with other "
                "parties concerned on issues relevant to ",
            ],
            ["-", "preventive diplomacy"],
            ["+", "its mandate"],
            ["=", ";"],
        ],
        "op 4": [
            [
                "=",
                "Encourages the Regional Centre to continue close cooperation with the Governments of the region to "
                "strengthen the capacity of the region to overcome challenges to peace ",
            ],
            ["-", ", "],
            ["+", "and "],
            ["=", "stability "],
            ["-", "and sustainable development "],
            ["=", "through preventive diplomacy and dialogue."],
        ],
    }
