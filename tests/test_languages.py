"""A resolution read in one of its languages (issue 12, item 8): the language is carried across its pages,
<html lang dir> follow the text shown, and its dates are written as that language writes them. The real
browser's side (layout, italics) is in tests/test_browser_languages.py."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from lxml import html

from resolutions.models import Footnote, Paragraph, ParagraphText, ResolutionText
from resolutions.templatetags.tracker import written_in
from tests.factories import ParagraphFactory
from tests.test_views import EXPECTED_QUERIES

pytestmark = pytest.mark.django_db

# Words of the UN's Arabic text of A/RES/77/273 (A_RES_77_273-A.xml).
ARABIC_TITLE = "دور مركز الأمم المتحدة الإقليمي للدبلوماسية الوقائية لمنطقة وسط آسيا"
ARABIC_MEETING = "الجلسة العامة 60"


def op(resolution, number):
    return Paragraph.objects.operative().get(resolution=resolution, number=number)


@pytest.fixture
def in_arabic(seeded):
    """The seed resolution (English, tracked) with an Arabic text of its first two operative paragraphs."""
    ResolutionText.objects.create(
        resolution=seeded, language="ar", title=ARABIC_TITLE, meeting=ARABIC_MEETING
    )
    ParagraphText.objects.create(paragraph=op(seeded, "1"), language="ar", lead_phrase="تشجع", text="المركز")
    ParagraphText.objects.create(
        paragraph=op(seeded, "2"), language="ar", lead_phrase="تشجع أيضا", text="المركز الإقليمي"
    )
    return seeded


def links(html, prefix):
    """The page's links under `prefix`, but the interface's language switch (each of its links names
    its language: lang="…"), which keeps the page's query as it is."""
    return re.findall(rf'href="({re.escape(prefix)}[^"]*)"(?! lang=")', html)


def test_the_resolution_page_in_arabic_is_an_arabic_page_with_an_english_interface(client, in_arabic):
    html = client.get(in_arabic.get_absolute_url(), {"lang": "ar"}).text

    assert '<html lang="ar" dir="rtl">' in html
    for chrome in (
        '<header class="site-header"',
        '<main id="main" tabindex="-1"',
        '<footer class="site-footer"',
    ):
        assert f'{chrome} lang="en" dir="ltr">' in html
    assert f'lang="ar" dir="rtl">{ARABIC_TITLE}</h1>' in html
    assert f"<title>{in_arabic.symbol} · {ARABIC_TITLE.split()[0]}" in html

    english = client.get(in_arabic.get_absolute_url()).text
    assert '<html lang="en" dir="ltr">' in english
    assert '<header class="site-header">' in english and '<main id="main" tabindex="-1">' in english


def test_every_other_page_follows_the_interface(client, seeded):
    html = client.get(reverse("resolutions:note-list")).text

    assert '<html lang="en" dir="ltr">' in html
    assert '<header class="site-header">' in html


def test_links_between_a_resolution_and_its_paragraph_pages_keep_the_language(client, in_arabic):
    symbol = in_arabic.symbol
    resolution = client.get(in_arabic.get_absolute_url(), {"lang": "ar"}).text

    to_paragraphs = links(resolution, f"/resolutions/{symbol}/op/")
    assert to_paragraphs and all(link.endswith("?lang=ar") for link in to_paragraphs)
    # The table of contents and the footnotes link within the page, which keeps its ?lang=.
    assert all(link.startswith("#") for link in re.findall(r'class="backref" href="([^"]*)"', resolution))

    paragraph = client.get(op(in_arabic, "1").get_absolute_url(), {"lang": "ar"}).text
    assert '<html lang="ar" dir="rtl">' in paragraph
    to_resolution = re.findall(rf'href="(/resolutions/{symbol}/(?:[?#][^"]*)?)"', paragraph)
    assert to_resolution == [f"/resolutions/{symbol}/?lang=ar#op1"] * 2  # the breadcrumb, "Read it in full"
    assert f'href="/resolutions/{symbol}/op/2/?lang=ar" rel="next"' in paragraph
    assert 'cite="/resolutions/A/RES/77/273/?lang=ar#op1" lang="ar" dir="rtl"' in paragraph
    assert "<em>تشجع</em> المركز" in paragraph
    assert f'<p class="meta" lang="ar" dir="rtl">{ARABIC_TITLE}</p>' in paragraph
    # With the switch: the other languages of the same paragraph.
    assert '<a href="?lang=en" lang="en" hreflang="en">English</a>' in paragraph
    assert '<a href="?lang=ar" lang="ar" hreflang="ar" aria-current="true">العربية</a>' in paragraph

    following = client.get(reverse("resolutions:paragraph-detail", args=[symbol, "2"]), {"lang": "ar"}).text
    assert "<em>تشجع أيضا</em> المركز الإقليمي" in following
    assert f'href="/resolutions/{symbol}/op/1/?lang=ar" rel="prev"' in following


def test_the_primary_language_keeps_plain_links_and_an_unknown_one_falls_back_to_it(client, in_arabic):
    for query in ({}, {"lang": "en"}, {"lang": "xx"}):
        paragraph = client.get(op(in_arabic, "1").get_absolute_url(), query).text
        assert '<html lang="en" dir="ltr">' in paragraph
        assert "?lang=" not in "".join(links(paragraph, "/resolutions/"))
        assert "<em>Encourages</em>" in paragraph
        resolution = client.get(in_arabic.get_absolute_url(), query).text
        assert "?lang=" not in "".join(links(resolution, f"/resolutions/{in_arabic.symbol}/op/"))


def test_a_paragraph_page_shows_its_sub_paragraphs_in_the_language_read(client, in_arabic):
    parent = op(in_arabic, "1")
    sub = ParagraphFactory(resolution=in_arabic, parent=parent, kind=parent.kind, order=1000, number="a")
    ParagraphText.objects.create(paragraph=sub, language="ar", lead_phrase="", text="البند الفرعي")

    assert "البند الفرعي" in client.get(parent.get_absolute_url(), {"lang": "ar"}).text
    assert "البند الفرعي" not in client.get(parent.get_absolute_url()).text


def queries_for(client, url, query):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, query).status_code == 200
    return len(captured)


def test_a_paragraph_page_in_another_language_costs_what_it_is_pinned_to(client, in_arabic):
    """Its words, its sub-paragraphs' and the languages held come with the rows it reads anyway."""
    parent = op(in_arabic, "1")
    sub = ParagraphFactory(resolution=in_arabic, parent=parent, kind=parent.kind, order=1000, number="a")
    ParagraphText.objects.create(paragraph=sub, language="ar", lead_phrase="", text="البند الفرعي")
    childless = op(in_arabic, "2").get_absolute_url()

    assert queries_for(client, childless, {"lang": "ar"}) == EXPECTED_QUERIES["paragraph-detail"]
    assert queries_for(client, childless, {}) == EXPECTED_QUERIES["paragraph-detail"]
    assert queries_for(client, parent.get_absolute_url(), {"lang": "ar"}) == queries_for(
        client, parent.get_absolute_url(), {}
    )


def test_a_resolution_page_in_another_language_costs_what_it_does_in_its_own(client, in_arabic):
    url = in_arabic.get_absolute_url()
    # Fewer where the language has no footnotes: none to find the citations of.
    assert queries_for(client, url, {"lang": "ar"}) <= queries_for(client, url, {})
    Footnote.objects.create(resolution=in_arabic, language="ar", marker="1", text="A/76/920")
    assert queries_for(client, url, {"lang": "ar"}) == queries_for(client, url, {})


@pytest.mark.parametrize(
    "language, written",
    [
        ("en", "24 February 2023"),
        ("fr", "24 février 2023"),
        ("es", "24 de febrero de 2023"),
        ("ru", "24 февраля 2023 года"),
        ("zh", "2023年2月24日"),
        ("ar", "24 شباط/فبراير 2023"),
    ],
)
def test_a_date_is_written_as_its_language_writes_it(language, written):
    assert written_in(datetime.date(2023, 2, 24), language) == written
    assert written_in(None, language) == ""


def test_the_closing_lines_are_in_the_language_read(client, in_arabic):
    arabic = client.get(in_arabic.get_absolute_url(), {"lang": "ar"}).text
    closing = re.search(r'<p class="meeting">(.*?)</p>', arabic).group(1)
    assert closing == (f'<em>{ARABIC_MEETING}<br><time datetime="2023-02-24">24 شباط/فبراير 2023</time></em>')

    english = client.get(in_arabic.get_absolute_url()).text
    assert '60th plenary meeting<br><time datetime="2023-02-24">24 February 2023</time>' in english


def test_a_meeting_held_in_the_primary_language_only_is_marked_as_such(client, in_arabic):
    """An Arabic text imported before each language kept its meeting: the English one, marked English."""
    ResolutionText.objects.filter(language="ar").update(meeting="")

    arabic = client.get(in_arabic.get_absolute_url(), {"lang": "ar"}).text

    assert '<span lang="en" dir="auto">60th plenary meeting</span>' in arabic


def test_footnote_back_links_point_back_the_way_the_text_reads(client, in_arabic):
    footnote = Footnote.objects.create(resolution=in_arabic, language="ar", marker="1", text="A/76/920")
    footnote.paragraphs.add(op(in_arabic, "1"))

    arabic = client.get(in_arabic.get_absolute_url(), {"lang": "ar"}).text
    english = client.get(in_arabic.get_absolute_url()).text

    assert 'aria-label="Back to op 1">↪ <bdi>op 1</bdi></a>' in arabic
    assert re.search(r'aria-label="Back to pp \d+">↩ <bdi>pp \d+</bdi></a>', english)  # the seed's
    assert "↪" not in english


@pytest.mark.corpus
def test_each_language_keeps_the_meeting_as_it_prints_it(shared_data_dir):
    folder = shared_data_dir / "unxml" / "GAresolutions" / "77session"
    files = [folder / "English" / "A_RES_77_273-E.xml", folder / "Arabic" / "A_RES_77_273-A.xml"]
    files += [folder / "Chinese" / "A_RES_77_273-C.xml"]
    call_command("import_resolution", *map(str, files), "--no-progress", stdout=StringIO(), stderr=StringIO())

    meetings = dict(ResolutionText.objects.values_list("language", "meeting"))

    assert meetings == {"en": "60th plenary meeting", "ar": ARABIC_MEETING, "zh": "第60次全体会议"}


# Content follows the interface (issue 17, item 4): without ?lang=, a resolution is read in the
# interface's language where it holds that version, else in its own, and the page is told so.

RUSSIAN_TITLE = (
    "Роль Регионального центра Организации Объединенных Наций по превентивной дипломатии для Центральной Азии"
)
ENGLISH_AND_RUSSIAN = [("en", "English"), ("ru", "Русский")]


@pytest.fixture
def in_russian(seeded, settings):
    """The seed resolution with a Russian text of its first two operative paragraphs, and an interface in
    Russian (its addresses need no catalogue)."""
    settings.LANGUAGES = ENGLISH_AND_RUSSIAN
    ResolutionText.objects.create(resolution=seeded, language="ru", title=RUSSIAN_TITLE)
    ParagraphText.objects.create(
        paragraph=op(seeded, "1"), language="ru", lead_phrase="рекомендует", text="Региональному центру"
    )
    ParagraphText.objects.create(
        paragraph=op(seeded, "2"), language="ru", lead_phrase="рекомендует также", text="Центру"
    )
    return seeded


def russian(url_of):
    with translation.override("ru"):
        return url_of()


def test_the_interfaces_language_chooses_the_text_where_the_resolution_holds_it(client, in_russian):
    resolution_url = russian(in_russian.get_absolute_url)
    paragraph_url = russian(op(in_russian, "1").get_absolute_url)
    assert resolution_url == "/ru/resolutions/A/RES/77/273/"

    page = client.get(resolution_url)
    assert (page.context["language"], page.context["text_language_note"]) == ("ru", None)
    assert '<html lang="ru" dir="ltr">' in page.text
    assert f">{RUSSIAN_TITLE}</h1>" in page.text
    assert "<em>рекомендует</em> Региональному центру" in page.text
    # Its links to its paragraphs need no ?lang=: their pages follow the interface too.
    assert paragraph_url in links(page.text, "/ru/resolutions/")
    assert "?lang=" not in "".join(links(page.text, "/ru/resolutions/A/RES/77/273/op/"))

    paragraph = client.get(paragraph_url)
    assert (paragraph.context["language"], paragraph.context["text_language_note"]) == ("ru", None)
    assert "<em>рекомендует</em> Региональному центру" in paragraph.text
    assert RUSSIAN_TITLE in paragraph.text


def test_an_explicit_lang_still_wins_over_the_interface(client, in_russian):
    for url in (russian(in_russian.get_absolute_url), russian(op(in_russian, "1").get_absolute_url)):
        page = client.get(url, {"lang": "en"})
        assert page.context["language"] == "en"
        assert '<html lang="en" dir="ltr">' in page.text
        assert "<em>Encourages</em>" in page.text and "<em>рекомендует</em>" not in page.text
        # ... and is carried on the links between the resolution's pages.
        assert 'href="/ru/resolutions/A/RES/77/273/op/2/?lang=en"' in page.text


def test_the_english_interface_reads_as_before(client, in_russian):
    for url in (in_russian.get_absolute_url(), op(in_russian, "1").get_absolute_url()):
        page = client.get(url)
        assert (page.context["language"], page.context["text_language_note"]) == ("en", None)
        assert "<em>Encourages</em>" in page.text and "<em>рекомендует</em>" not in page.text


def test_a_version_not_held_is_shown_in_the_resolutions_own_and_the_page_is_told(client, seeded, settings):
    settings.LANGUAGES = ENGLISH_AND_RUSSIAN
    for url in (russian(seeded.get_absolute_url), russian(op(seeded, "1").get_absolute_url)):
        page = client.get(url)
        assert page.context["language"] == "en"
        note = page.context["text_language_note"]
        assert (note["wanted"], note["shown"]) == ("ru", "en")
        assert note["wanted_name"] and note["shown_name"]  # in the interface's words
        assert '<html lang="en" dir="ltr">' in page.text
        assert "<em>Encourages</em>" in page.text
        # The reader is told, and sent to the UN's own text in the language wanted.
        told = html.fromstring(page.content).xpath("//p[@class='text-language-note']")[0]
        assert note["wanted_name"] in told.text_content() and note["shown_name"] in told.text_content()
        assert told.xpath(".//a")[0].get("href") == "https://undocs.org/ru/A/RES/77/273"


def test_a_language_asked_for_and_not_held_falls_back_to_the_interfaces(client, in_russian):
    page = client.get(russian(op(in_russian, "1").get_absolute_url), {"lang": "ar"})
    assert page.context["language"] == "ru"
    assert page.context["text_language_note"]["wanted"] == "ar"
    assert "<em>рекомендует</em> Региональному центру" in page.text
    assert RUSSIAN_TITLE in page.text


def test_a_paragraph_page_read_in_the_interfaces_language_costs_what_it_is_pinned_to(client, in_russian):
    url = russian(op(in_russian, "2").get_absolute_url)
    assert queries_for(client, url, {}) == EXPECTED_QUERIES["paragraph-detail"]


def test_a_rows_link_is_in_the_language_active_when_it_is_made(in_russian):
    # Links are made from one template per route and language (resolutions/routes.py).
    assert russian(in_russian.get_absolute_url) == "/ru/resolutions/A/RES/77/273/"
    assert in_russian.get_absolute_url() == "/resolutions/A/RES/77/273/"
    assert russian(in_russian.get_absolute_url) == "/ru/resolutions/A/RES/77/273/"


@pytest.mark.corpus
def test_the_uns_russian_text_is_read_under_the_russian_interface(client, settings, shared_data_dir):
    settings.LANGUAGES = ENGLISH_AND_RUSSIAN
    folder = shared_data_dir / "unxml" / "GAresolutions" / "77session"
    files = [folder / "English" / "A_RES_77_273-E.xml", folder / "Russian" / "A_RES_77_273-R.xml"]
    call_command("import_resolution", *map(str, files), "--no-progress", stdout=StringIO(), stderr=StringIO())
    first = ParagraphText.objects.get(paragraph=op_of("A/RES/77/273", "1"), language="ru")

    page = client.get("/ru/resolutions/A/RES/77/273/")
    assert page.context["language"] == "ru"
    assert first.text[:40] in page.text
    paragraph = client.get("/ru/resolutions/A/RES/77/273/op/1/")
    assert paragraph.context["language"] == "ru"
    assert first.text[:40] in paragraph.text
    assert first.text[:40] not in client.get("/resolutions/A/RES/77/273/op/1/").text


def op_of(symbol, number):
    return Paragraph.objects.operative().get(resolution__symbol=symbol, number=number)
