"""setup_database: what `make setup` runs, migrate and the bundled data in one process."""

from io import StringIO

import pytest
from django.core.management import call_command

from resolutions.models import ImplementationNote, Paragraph, Resolution

pytestmark = pytest.mark.django_db


def setup_database():
    out = StringIO()
    call_command("setup_database", stdout=out)
    return out.getvalue()


def test_the_first_run_loads_the_seed_and_the_second_says_unchanged_and_writes_nothing():
    first = setup_database()
    counts = [model.objects.count() for model in (Resolution, Paragraph, ImplementationNote)]
    second = setup_database()

    assert "A_RES_77_273.md: imported A/RES/77/273" in first
    assert "A_RES_77_273.md: unchanged A/RES/77/273" in second
    assert "Demo notes: 0 created, 6 already there" in second
    assert [model.objects.count() for model in (Resolution, Paragraph, ImplementationNote)] == counts
    assert counts[0] == 1 and counts[2] == 6
