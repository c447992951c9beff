"""Countries come from ISO 3166-1 as pycountry maintains it, never from a hand-typed list.

The UN writes Member States' names its own way ("IRAN (ISLAMIC REPUBLIC OF)", "Republic of
Korea", "TÜRKİYE"); ``match_country`` reads those against the ISO names.
"""

import functools
import re
import unicodedata

import pycountry


def sync_countries(country_model):
    """Create or update one row per ISO 3166-1 country. Returns how many rows were created."""
    existing = {c.alpha3: c for c in country_model.objects.all()}
    created = []
    changed = []
    for entry in pycountry.countries:
        name = getattr(entry, "common_name", None) or entry.name
        official = getattr(entry, "official_name", "")
        row = existing.get(entry.alpha_3)
        if row is None:
            created.append(
                country_model(alpha3=entry.alpha_3, alpha2=entry.alpha_2, name=name, official_name=official)
            )
        elif (row.alpha2, row.name, row.official_name) != (entry.alpha_2, name, official):
            row.alpha2, row.name, row.official_name = entry.alpha_2, name, official
            changed.append(row)
    country_model.objects.bulk_create(created)
    country_model.objects.bulk_update(changed, ["alpha2", "name", "official_name"])
    return len(created)


def _fold(name: str) -> str:
    """Case, accents, apostrophes and spacing made alike: "TÜRKİYE" and "Türkiye" fold the same."""
    name = unicodedata.normalize("NFKD", name.replace("\u2019", "'"))
    name = "".join(char for char in name if not unicodedata.combining(char)).casefold()
    return re.sub(r"\s+", " ", name).strip()


def _variants(name: str):
    """ "Korea, Republic of" is also "Republic of Korea"; "Iran (Islamic Republic of)" is "Iran, Islamic ..."."""
    yield name
    if name.lower().startswith("the "):
        yield name[4:]  # "The Niger", "the Philippines"
    bracketed = re.fullmatch(r"(.+?) \((.+)\)", name)
    if bracketed:
        name = f"{bracketed.group(1)}, {bracketed.group(2)}"
        yield name
    if ", " in name:
        head, tail = name.split(", ", 1)
        yield re.sub(r"^the ", "", f"{tail} {head}", flags=re.IGNORECASE)
        yield head


# Names that Member States bore until recently and that older UN records still use (folded).
FORMER_NAMES = {
    "turkey": "TUR",
    "swaziland": "SWZ",
    "czech republic": "CZE",
    "the former yugoslav republic of macedonia": "MKD",
    "turkyye": "TUR",  # "TÜRKÝYE", a misspelling in the UN's voting records
}


@functools.cache
def _index() -> dict[str, str]:
    index: dict[str, str] = dict(FORMER_NAMES)
    # Exact names first, so that a short form ("Congo") never shadows a country's own name.
    for entry in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(entry, attribute, None)
            if value:
                index.setdefault(_fold(value), entry.alpha_3)
    for entry in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(entry, attribute, None)
            for variant in _variants(value) if value else ():
                index.setdefault(_fold(variant), entry.alpha_3)
    return index


def match_country(name: str) -> str | None:
    """The ISO 3166-1 alpha-3 code of a country named the UN's or ISO's way, or an ISO code; else None."""
    value = (name or "").strip()
    if not value:
        return None
    if re.fullmatch(r"[A-Za-z]{2,3}", value):
        entry = pycountry.countries.get(**{"alpha_3" if len(value) == 3 else "alpha_2": value.upper()})
        if entry:
            return entry.alpha_3
    index = _index()
    for variant in _variants(value):
        code = index.get(_fold(variant))
        if code:
            return code
    return None
