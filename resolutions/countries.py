"""Countries come from ISO 3166-1 as pycountry maintains it, never from a hand-typed list."""

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


def lookup(name_or_code):
    """The ISO 3166-1 alpha-3 code for a country name or code, or None (fuzzy names allowed)."""
    value = (name_or_code or "").strip()
    if not value:
        return None
    try:
        return pycountry.countries.lookup(value).alpha_3
    except LookupError:
        pass
    try:
        return pycountry.countries.search_fuzzy(value)[0].alpha_3
    except LookupError:
        return None
