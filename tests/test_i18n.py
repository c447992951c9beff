"""The interface's languages: English unprefixed, every other UN language with a catalogue under its
prefix (/ru/…), a switch on every page that keeps the page and its query."""

from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import translation

from resolutions.models import Resolution
from tracker import settings as tracker_settings

TWO = [("en", "English"), ("ru", "Русский")]
THREE = [("ar", "العربية"), ("en", "English"), ("ru", "Русский")]


def test_a_language_is_offered_only_once_the_project_holds_its_catalogue(tmp_path, monkeypatch):
    monkeypatch.setattr(tracker_settings, "BASE_DIR", tmp_path)
    assert tracker_settings.interface_languages() == [("en", "English")]
    catalogue = tmp_path / "locale" / "ru" / "LC_MESSAGES" / "django.po"
    catalogue.parent.mkdir(parents=True)
    catalogue.write_text("")
    assert tracker_settings.interface_languages() == [("en", "English"), ("ru", "Русский")]


@pytest.mark.django_db
def test_with_english_alone_there_is_no_switch_and_no_prefixed_address(client, settings):
    settings.LANGUAGES = [("en", "English")]
    page = client.get("/")
    assert page.status_code == 200
    assert b"Language of the interface" not in page.content
    assert b'hreflang="' not in page.content
    assert client.get("/ru/").status_code == 404


@pytest.mark.django_db
def test_each_language_has_its_prefix_and_english_none(client, settings):
    settings.LANGUAGES = THREE
    english = client.get("/notes/")
    russian = client.get("/ru/notes/")
    arabic = client.get("/ar/notes/")
    assert (english.status_code, russian.status_code, arabic.status_code) == (200, 200, 200)
    assert b'<html lang="en" dir="ltr">' in english.content
    assert b'<html lang="ru" dir="ltr">' in russian.content
    assert b'<html lang="ar" dir="rtl">' in arabic.content
    # Links on a page stay in its language; the API has no prefix.
    assert b'href="/ru/resolutions/"' in russian.content
    assert b'href="/resolutions/"' in english.content
    assert client.get("/ru/api/v1/notes/").status_code == 404
    assert client.get("/api/v1/notes/").status_code == 200


@pytest.mark.django_db
def test_the_switch_keeps_the_page_and_its_query(client, settings, seeded):
    settings.LANGUAGES = TWO
    resolution = Resolution.objects.get(symbol="A/RES/77/273")
    with translation.override("ru"):
        russian_address = reverse("resolutions:resolution-detail", args=[resolution.symbol])
    with translation.override("en"):
        english_address = reverse("resolutions:resolution-detail", args=[resolution.symbol])
    assert russian_address.startswith("/ru/resolutions/")
    page = client.get(russian_address + "?lang=en")
    html = page.content.decode()
    assert page.status_code == 200
    switch = html[html.index('class="interface-languages"') :]
    switch = switch[: switch.index("</nav>")]
    # Each link remembers the choice on its way to this page in that language (with its query).
    here = quote(russian_address + "?lang=en", safe="")
    assert f'href="/language/en/?next={here}" lang="en" hreflang="en"' in switch
    assert f'href="/language/ru/?next={here}" lang="ru" hreflang="ru" aria-current="true"' in switch
    to_english = client.get(f"/language/en/?next={here}")
    assert (to_english.status_code, to_english["Location"]) == (302, english_address + "?lang=en")
    # And the alternates a search engine reads.
    assert f'<link rel="alternate" hreflang="en" href="http://testserver{english_address}?lang=en">' in html


@pytest.mark.django_db
def test_each_language_is_a_page_of_its_own_in_the_page_cache(client, settings):
    settings.LANGUAGES = TWO
    assert b'lang="ru"' in client.get("/ru/").content
    assert b'lang="en"' in client.get("/").content
    assert b'lang="ru"' in client.get("/ru/").content


@pytest.mark.django_db
def test_the_admin_has_the_prefix_too(client, settings):
    settings.LANGUAGES = TWO
    assert client.get("/ru/admin/login/").status_code == 200
    assert b'lang="ru"' in client.get("/ru/admin/login/").content


@pytest.mark.django_db
def test_the_admin_reads_right_to_left_in_arabic_with_our_words_translated(admin_client, settings):
    from django.utils import translation

    settings.LANGUAGES = THREE
    page = admin_client.get("/ar/admin/")
    assert page.status_code == 200
    assert b'<html lang="ar" dir="rtl">' in page.content
    with translation.override("ar"):
        ours = translation.gettext("Staff home")
    assert ours != "Staff home" and ours in page.text


@pytest.mark.django_db
def test_the_choice_is_remembered_and_the_home_page_follows_it(client, settings):
    settings.LANGUAGES = TWO
    chosen = client.get("/language/ru/", {"next": "/notes/?ordering=start_date"})
    assert (chosen.status_code, chosen["Location"]) == (302, "/ru/notes/?ordering=start_date")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"

    assert "no-cache" in chosen["Cache-Control"]  # never kept by a cache: it sets the reader's cookie
    home = client.get("/")
    assert (home.status_code, home["Location"]) == (302, "/ru/")
    assert "Cookie" in home["Vary"]
    assert client.get("/", {"utm_source": "mail"})["Location"] == "/ru/?utm_source=mail"
    # A link to an English page stays English: only the home page follows the choice.
    assert b'<html lang="en"' in client.get("/notes/").content

    client.get("/language/en/", {"next": "/"})
    english = client.get("/")
    assert english.status_code == 200 and "Cookie" in english["Vary"]


@pytest.mark.django_db
def test_the_switch_refuses_an_unknown_language_and_another_sites_address(client, settings):
    settings.LANGUAGES = TWO
    assert client.get("/language/xx/", {"next": "/notes/"}).status_code == 404
    elsewhere = client.get("/language/ru/", {"next": "https://example.com/notes/"})
    assert elsewhere["Location"] == "/ru/"
    assert settings.LANGUAGE_COOKIE_NAME not in client.get("/language/xx/").cookies


@pytest.mark.django_db
def test_the_admin_and_djangos_own_words_are_chinese_under_zh_too(client):
    """Django ships its words as zh_Hans, which it never reads for the UN's code zh: `make` merges them
    into zh's catalogue, after ours."""
    page = client.get("/zh/admin/login/")
    assert page.status_code == 200
    with translation.override("zh"):
        assert translation.gettext("Log in") != "Log in"  # Django's admin
        assert translation.gettext("Enter a valid date.") != "Enter a valid date."  # Django's forms
        ours = translation.gettext("Resolution Tracker")
    assert ours != "Resolution Tracker"
    assert "登录" in page.text
