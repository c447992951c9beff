import datetime

import pytest

from resolutions.importer.text import (
    find_references,
    normalise_symbol,
    parse_un_date,
    split_lead_phrase,
    squash,
)


@pytest.mark.parametrize(
    ("paragraph", "lead", "rest"),
    [
        ("Guided by the Charter of the United Nations,", "Guided", "by the Charter of the United Nations,"),
        ("Recalling also the exchange of letters", "Recalling also", "the exchange of letters"),
        (
            "Recalling, in this regard, the Ashgabat Declaration",
            "Recalling",
            ", in this regard, the Ashgabat Declaration",
        ),
        ("Also encourages the Regional Centre", "Also encourages", "the Regional Centre"),
        ("Takes note with appreciation of the report", "Takes note with appreciation", "of the report"),
        ("Bearing in mind that", "Bearing in mind", "that"),
        ("Calls upon all States", "Calls upon", "all States"),
        ("Expressing its deep concern at", "Expressing its deep concern", "at"),
        ("Deeply concerned about", "Deeply concerned", "about"),
        ("Having considered chapter V", "Having considered", "chapter V"),
        ("Decides to remain seized of the matter.", "Decides", "to remain seized of the matter."),
        ("Acting under Chapter VII of the Charter,", "Acting", "under Chapter VII of the Charter,"),
        ("Re-emphasizes the need;", "Re-emphasizes", "the need;"),
        ("Taking note of the report", "Taking note", "of the report"),
        ("Encourages further efforts to", "Encourages", "further efforts to"),
        ("Decides further that", "Decides further", "that"),
        ("Welcoming also the readiness", "Welcoming also", "the readiness"),
    ],
)
def test_lead_phrases_are_found_without_italics(paragraph, lead, rest):
    assert split_lead_phrase(paragraph) == (lead, rest)


def test_references_in_order_with_bare_numbers_read_in_context():
    text = (
        "Recalling its resolutions 72/7 of 17 November 2017 and 75/272 of 16 April 2021, its decision 76/555, "
        "the letters S/2007/279 and A/71/982-S/2017/600, and Security Council resolution 2504 (2020)"
    )

    assert find_references(text) == [
        "A/RES/72/7",
        "A/RES/75/272",
        "S/2007/279",
        "A/71/982",
        "S/2017/600",
        "S/RES/2504 (2020)",
    ]


def test_symbols_are_normalised():
    assert normalise_symbol("a/res/77/273.") == "A/RES/77/273"
    assert normalise_symbol("S/RES/2504(2020)") == "S/RES/2504 (2020)"


def test_dates_and_white_space():
    assert parse_un_date("Resolution adopted on 24 February 2023") == datetime.date(2023, 2, 24)
    assert parse_un_date("no date here") is None
    assert squash("  a\u00a0 b\n c ") == "a b c"
