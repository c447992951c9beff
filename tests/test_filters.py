import datetime

import pytest

from resolutions.filters import NoteFilter, ResolutionFilter
from resolutions.models import ImplementationNote, NoteState, Paragraph, Resolution
from tests.factories import NoteFactory, ResolutionFactory

pytestmark = pytest.mark.django_db


def notes(**params):
    filterset = NoteFilter(params, queryset=ImplementationNote.objects.published())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("title", flat=True))


def test_notes_by_country_in_any_case_resolution_paragraph_and_dates(seeded):
    op1 = Paragraph.objects.operative().get(resolution=seeded, number="1")
    NoteFactory(
        title="Bishkek visit", paragraphs=[op1], countries=["KGZ"], start_date=datetime.date(2024, 3, 5)
    )
    NoteFactory(title="Draft", paragraphs=[op1], countries=["KGZ"], state=NoteState.DRAFT)

    assert notes(country="kgz", date_from="2024-01-01") == {"Bishkek visit"}
    assert "Bishkek visit" in notes(resolution="A/RES/77/273", paragraph="1")
    assert "Bishkek visit" not in notes(resolution="A/RES/77/273", paragraph="2")
    assert notes(date_to="2022-03-31") == {
        "Tashkent conference on ten years of the Joint Plan of Action against terrorism in Central Asia (demo)"
    }
    assert all("demo" in title for title in notes(theme="counter-terrorism"))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"country": "XXX"}, "country"),
        ({"date_from": "yesterday"}, "date_from"),
        ({"theme": "nope"}, "theme"),
    ],
)
def test_invalid_values_are_form_errors_naming_the_field(db, params, field):
    filterset = NoteFilter(params, queryset=ImplementationNote.objects.all())

    assert not filterset.is_valid()
    assert field in filterset.errors


def test_resolutions_tracked_and_by_year(seeded):
    ResolutionFactory(symbol="A/RES/76/1", adopted_on=datetime.date(2021, 10, 1))

    tracked = ResolutionFilter({"tracked": "true"}, queryset=Resolution.objects.all()).qs
    untracked = ResolutionFilter({"tracked": "false"}, queryset=Resolution.objects.all()).qs
    by_year = ResolutionFilter({"year": "2021"}, queryset=Resolution.objects.all()).qs

    assert [r.symbol for r in tracked] == ["A/RES/77/273"]
    assert [r.symbol for r in untracked] == ["A/RES/76/1"]
    assert [r.symbol for r in by_year] == ["A/RES/76/1"]


def test_sdg_goals_and_unbis_terms_from_the_xml_are_filterable_tags(db):
    from io import StringIO

    from django.core.management import call_command

    call_command("import_resolution", "tests/fixtures/akn/ga_without_vote.xml", stdout=StringIO())
    resolution = Resolution.objects.get()
    unbis = resolution.subjects.filter(scheme="unbis").first()

    assert set(resolution.subjects.filter(scheme="sdg").values_list("code", flat=True)) == {"6", "16"}
    assert unbis is not None
    assert list(ResolutionFilter({"sdg": "16"}, queryset=Resolution.objects.all()).qs) == [resolution]
    assert list(ResolutionFilter({"sdg": "3"}, queryset=Resolution.objects.all()).qs) == []
    assert list(ResolutionFilter({"subject": unbis.slug}, queryset=Resolution.objects.all()).qs) == [
        resolution
    ]
