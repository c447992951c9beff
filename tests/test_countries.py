import pytest

from resolutions.countries import match_country


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("KAZAKHSTAN", "KAZ"),
        ("kgz", "KGZ"),
        ("IRAN (ISLAMIC REPUBLIC OF)", "IRN"),
        ("BOLIVIA (PLURINATIONAL STATE OF)", "BOL"),
        ("Republic of Korea", "KOR"),
        ("DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA", "PRK"),
        ("DEMOCRATIC REPUBLIC OF THE CONGO", "COD"),
        ("CONGO", "COG"),
        ("THE NIGER", "NER"),
        ("NIGERIA", "NGA"),
        ("LAO PEOPLE\u2019S DEMOCRATIC REPUBLIC", "LAO"),
        ("TÜRKİYE", "TUR"),
        ("TURKEY", "TUR"),
        ("UNITED KINGDOM", "GBR"),
        ("UNITED STATES", "USA"),
        ("State of Palestine", "PSE"),
        ("NETHERLANDS", "NLD"),
    ],
)
def test_un_names_match_iso_countries(name, code):
    assert match_country(name) == code


@pytest.mark.parametrize("name", ["", "ATLANTIS", "SUBMITTED BY THE CHAIR", "NAMBIA"])
def test_what_is_no_country_matches_nothing(name):
    assert match_country(name) is None
