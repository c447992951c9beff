from io import StringIO

import pytest
from django.core.management import call_command

from resolutions.models import Entity, ImplementationNote, NoteSource, Paragraph, Resolution, Theme


def everything():
    return [
        list(model.objects.order_by("pk").values())
        for model in (Resolution, Paragraph, Entity, Theme, ImplementationNote, NoteSource)
    ]


def test_bundled_data_holds_the_seed_vocabularies_and_demo_notes(seeded):
    assert seeded.paragraphs.count() == 28
    assert seeded.series.slug == "unrcca"
    assert Entity.objects.filter(short_name__in=["UNRCCA", "UNAMA", "UNODC", "CARICC", "PBF"]).count() == 5
    themes = set(Theme.objects.values_list("name", flat=True))
    assert {
        "Preventive diplomacy",
        "Water and energy",
        "Counter-terrorism",
        "Border security",
        "Drugs",
    } <= themes
    assert {"Women and youth", "Afghanistan", "Climate", "COVID-19"} <= themes


def test_demo_notes_are_marked_published_and_cite_the_resolution(seeded):
    notes = ImplementationNote.objects.filter(is_demo=True)

    assert notes.count() >= 5
    for note in notes:
        assert "(demo)" in note.title
        assert note.sources.filter(document_symbol="A/RES/77/273").exists()
        assert note.paragraphs.filter(resolution=seeded).exists()
    cholpon_ata = notes.get(title__startswith="Consultative meeting")
    assert cholpon_ata.start_date.isoformat() == "2022-07-21"
    assert "Cholpon-Ata" in cholpon_ata.body


@pytest.mark.django_db
def test_demo_quotes_come_from_the_resolution_text(seeded):
    """Every quotation in a demo note is verbatim from the resolution: no invented facts."""
    import re

    text = " ".join(p.full_text() for p in seeded.paragraphs.all())
    plain = re.sub(r"\[\^\d+\]", "", text).replace("\u2019", "'")
    for note in ImplementationNote.objects.filter(is_demo=True):
        for quote in re.findall(r'"([^"]+)"', note.body):
            for piece in quote.replace("\u2019", "'").split(" ... "):
                assert piece in plain, f"{note.title}: {piece!r} is not in the resolution"


def test_loading_twice_changes_nothing(seeded):
    before = everything()

    call_command("load_bundled_data", stdout=StringIO())

    assert everything() == before


@pytest.mark.corpus
def test_bundled_markdown_never_downgrades_the_official_xml_staff_imported(seeded, shared_data_dir):
    """Issue 18: `make run` after importing the UN's XML of 77/273 kept putting the Markdown back,
    and importing the XML again said "updated", forever."""
    xml = shared_data_dir / "unxml/GAresolutions/77session/English/A_RES_77_273-E.xml"
    call_command("import_resolution", str(xml), stdout=StringIO(), stderr=StringIO())
    from_xml = everything()

    for _ in range(2):  # every `make run`
        out = StringIO()
        call_command("load_bundled_data", stdout=out)
        assert out.getvalue().splitlines()[0] == (
            "A_RES_77_273.md: kept \u2013 A/RES/77/273 [en] is held from its official XML (Akoma Ntoso), "
            "richer than this Markdown"
        )
        assert everything() == from_xml
    out = StringIO()
    call_command("import_resolution", str(xml), stdout=out, stderr=StringIO())
    assert "unchanged A/RES/77/273" in out.getvalue()
    assert seeded.texts.get().source_format == "akn"


@pytest.mark.django_db
def test_the_series_the_importer_found_first_becomes_the_bundled_one(shared_data_dir):
    """The UN's XML of 75/272 and 77/273 imported before `make run`: link_series puts them in a series
    named by their title, which the bundled data then names and describes (never a second one)."""
    from resolutions.models import Series

    folder = shared_data_dir / "unxml/GAresolutions"
    for xml in [folder / "75session/English/75_272_E.xml", folder / "77session/English/A_RES_77_273-E.xml"]:
        call_command("import_resolution", str(xml), stdout=StringIO(), stderr=StringIO())
    found = Series.objects.get()
    assert found.slug != "unrcca"

    call_command("load_bundled_data", stdout=StringIO())

    series = Series.objects.get()
    assert (series.pk, series.slug) == (found.pk, "unrcca")
    assert set(series.resolutions.values_list("symbol", flat=True)) == {"A/RES/75/272", "A/RES/77/273"}
