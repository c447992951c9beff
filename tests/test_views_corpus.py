"""Every public page renders with the whole shared XML corpus imported (reads ../shared/data)."""

import contextlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from resolutions.models import Country, Paragraph, Resolution

pytestmark = [pytest.mark.django_db, pytest.mark.corpus]


def test_every_page_renders_with_the_whole_corpus(client, shared_data_dir):
    # A file that fails to import is test_corpus.py's business; the pages render what was imported.
    with contextlib.suppress(CommandError):
        call_command(
            "import_resolution",
            str(shared_data_dir / "unxml"),
            "--no-progress",
            stdout=StringIO(),
            stderr=StringIO(),
        )
    call_command("load_bundled_data", stdout=StringIO())
    assert Resolution.objects.count() > 100

    failures = []

    def get(url, **params):
        response = client.get(url, params)
        if response.status_code != 200:
            failures.append((url, params, response.status_code))
        return response

    listed = {page: get(reverse(f"resolutions:{page}")) for page in ("home", "resolution-list", "note-list")}
    pages = listed["resolution-list"].context["paginator"].num_pages
    get(reverse("resolutions:resolution-list"), page=pages)
    for params in ({"body": "SC"}, {"session": "76", "ordering": "-symbol"}, {"year": "2022"}, {"sdg": "16"}):
        get(reverse("resolutions:resolution-list"), **params)
    for query in ("Central Asia", "A/RES/77/273", "climate change", "terrorism"):
        assert "<mark>" in get(reverse("resolutions:search"), q=query).text, query

    for resolution in Resolution.objects.prefetch_related("texts"):
        for language in resolution.languages:
            get(resolution.get_absolute_url(), lang=language)
    # One operative paragraph in five resolutions: the page is the same shape for all.
    for paragraph in list(Paragraph.objects.operative().filter(number="1").select_related("resolution"))[::5]:
        get(paragraph.get_absolute_url())
    for country in Country.objects.filter(votes__isnull=False).distinct()[:20]:
        get(country.get_absolute_url())

    assert failures == []
