import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resolutions.models import (
    Country,
    Entity,
    Footnote,
    Mandate,
    NoteState,
    Paragraph,
    ParagraphKind,
    ParagraphText,
    Reference,
    Resolution,
    ResolutionText,
    Theme,
)
from tests.factories import AssessmentFactory, NoteFactory, ParagraphFactory, ResolutionFactory, subjects_of

pytestmark = pytest.mark.django_db

SYMBOL = "A/RES/77/273"


def op(resolution, number):
    return Paragraph.objects.operative().get(resolution=resolution, number=number)


def anchors(html):
    return set(re.findall(r'id="([^"]+)"', html))


# --- Overview ------------------------------------------------------------------------------------


def test_home_lists_the_seed_resolution_and_its_operative_paragraphs(client, seeded):
    response = client.get(reverse("resolutions:home"))

    assert response.status_code == 200
    assert "A/RES/77/273" in response.text
    assert "Role of the United Nations Regional Centre" in response.text
    assert (
        reverse("resolutions:paragraph-detail", kwargs={"symbol": "A/RES/77/273", "number": "1"})
        in response.text
    )


def test_home_shows_figures_status_and_published_note_counts(client, seeded):
    op1 = op(seeded, "1")
    AssessmentFactory(paragraph=op1, status="ongoing")
    NoteFactory(title="Hidden draft", state=NoteState.DRAFT, paragraphs=[op1])
    published_on_op1 = op1.notes.published().count()

    response = client.get(reverse("resolutions:home"))

    text = response.text
    assert "status-ongoing" in text
    item = re.search(r'<li><a href="[^"]+/op/1/">op 1</a>.*?</li>', text, re.S).group()
    assert f"{published_on_op1} note" in item
    assert "Hidden draft" not in text
    assert re.search(r"<strong>1</strong> resolution\b", text)


def test_home_says_so_when_nothing_is_imported(client, db):
    response = client.get(reverse("resolutions:home"))

    assert response.status_code == 200
    assert "No resolution has been imported yet" in response.text


# --- Resolution list --------------------------------------------------------------------------------


def test_resolution_list_filters_counts_and_keeps_the_query_in_pagination(client, db):
    for number in range(30):
        ResolutionFactory(
            symbol=f"A/RES/76/{number + 1}", session="76", adopted_on=datetime.date(2021, 12, 1)
        )
    ResolutionFactory(symbol="A/RES/77/9", session="77")

    response = client.get(reverse("resolutions:resolution-list"), {"session": "76", "ordering": "symbol"})

    assert response.status_code == 200
    assert "<strong>30</strong> resolutions" in response.text
    assert "A/RES/77/9" not in response.text
    next_link = re.search(r'href="([^"]+)" rel="next"', response.text).group(1)
    assert "session=76" in next_link and "ordering=symbol" in next_link and "page=2" in next_link
    page_two = client.get(reverse("resolutions:resolution-list") + next_link.replace("&amp;", "&"))
    assert "<strong>30</strong> resolutions" in page_two.text
    assert "A/RES/77/9" not in page_two.text


def test_resolution_list_bad_values_are_form_errors_not_500(client, seeded):
    response = client.get(reverse("resolutions:resolution-list"), {"year": "last", "body": "XX"})

    assert response.status_code == 200
    assert "Some filters could not be used" in response.text
    assert 'class="error"' in response.text
    assert "A/RES/77/273</a>" not in response.text


def test_resolution_list_empty_result_offers_to_clear_filters(client, seeded):
    response = client.get(reverse("resolutions:resolution-list"), {"q": "no such words anywhere"})

    assert "No resolution matches these filters" in response.text
    assert f'href="{reverse("resolutions:resolution-list")}">Clear all filters' in response.text


def test_resolution_list_text_and_tracked_filters(client, seeded):
    ResolutionFactory(symbol="A/RES/70/1", title="Transforming our world")

    tracked = client.get(reverse("resolutions:resolution-list"), {"tracked": "true"}).text
    assert SYMBOL in tracked and "A/RES/70/1" not in tracked
    found = client.get(reverse("resolutions:resolution-list"), {"q": "transforming"}).text
    assert "A/RES/70/1" in found and SYMBOL not in found


def test_htmx_request_gets_only_the_results(client, seeded):
    response = client.get(
        reverse("resolutions:note-list"), {"country": "uzb"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="results"')
    assert "<html" not in response.text


# --- One resolution -----------------------------------------------------------------------------------


def test_resolution_page_shows_paragraphs_with_anchors_and_footnotes(client, seeded):
    response = client.get(seeded.get_absolute_url())

    assert response.status_code == 200
    assert 'id="op1"' in response.text
    assert 'id="pp3"' in response.text
    assert "<em>Recalling also</em>" in response.text
    assert 'href="#fn1"' in response.text and 'id="fn1"' in response.text


def test_resolution_page_header_and_footnotes_link_both_ways(client, seeded):
    text = client.get(seeded.get_absolute_url()).text

    assert "A/77/L.53" in text
    assert "24 February 2023" in text
    assert "Agenda item 58" in text
    footnote = Footnote.objects.filter(resolution=seeded, marker="1").first()
    cited = footnote.paragraphs.first()
    # The marker in the text links down to the footnote, and the footnote links back up to it.
    assert f'<sup id="fnref1-{cited.anchor}"><a href="#fn1">1</a></sup>' in text
    assert f'href="#fnref1-{cited.anchor}"' in text
    assert f"fnref1-{cited.anchor}" in anchors(text)


def test_resolution_page_links_cited_documents_inside_or_to_the_un(client, seeded):
    cited = ResolutionFactory(symbol="A/RES/75/272", title="Earlier resolution")
    Reference.objects.filter(resolution=seeded, symbol="A/RES/75/272").update(target=cited)
    Reference.objects.get_or_create(resolution=seeded, symbol="S/2007/279")

    text = client.get(seeded.get_absolute_url()).text

    assert f'<a href="{cited.get_absolute_url()}">A/RES/75/272</a>' in text
    assert '<a href="https://undocs.org/en/S/2007/279" rel="external">S/2007/279</a>' in text
    cited_page = client.get(cited.get_absolute_url()).text
    assert f'<a href="{seeded.get_absolute_url()}">{SYMBOL}</a>' in cited_page


def test_resolution_page_shows_status_and_published_note_count_per_operative_paragraph(client, seeded):
    op1 = op(seeded, "1")
    AssessmentFactory(paragraph=op1, status="implemented", as_of=datetime.date(2024, 6, 1))
    AssessmentFactory(paragraph=op1, status="not_started", as_of=datetime.date(2023, 6, 1))
    NoteFactory(state=NoteState.DRAFT, paragraphs=[op1])
    NoteFactory(state=NoteState.IN_REVIEW, paragraphs=[op1])
    published = op1.notes.published().count()

    text = client.get(seeded.get_absolute_url()).text

    block = re.search(r'id="op1">.*?class="tracking".*?</p>', text, re.S).group()
    assert "status-implemented" in block
    assert f"{published} published note" in block
    assert f'href="{op1.get_absolute_url()}"' in block


def test_language_switch_shows_that_language_with_lang_and_rtl(client, seeded):
    op1 = op(seeded, "1")
    ResolutionText.objects.create(resolution=seeded, language="ar", title="دور مركز الأمم المتحدة الإقليمي")
    ParagraphText.objects.create(paragraph=op1, language="ar", lead_phrase="تشجع", text="مركز الأمم المتحدة")
    ResolutionText.objects.create(resolution=seeded, language="fr", title="Rôle du Centre régional")
    ParagraphText.objects.create(
        paragraph=op1, language="fr", lead_phrase="Encourage", text="le Centre régional"
    )

    english = client.get(seeded.get_absolute_url()).text
    assert 'hreflang="ar"' in english and 'hreflang="fr"' in english
    arabic = client.get(seeded.get_absolute_url(), {"lang": "ar"}).text
    assert 'lang="ar" dir="rtl"' in arabic
    assert "<em>تشجع</em> مركز الأمم المتحدة" in arabic
    french = client.get(seeded.get_absolute_url(), {"lang": "fr"}).text
    assert "Rôle du Centre régional" in french
    assert 'lang="fr" dir="ltr"' in french
    assert "<em>Encourage</em> le Centre régional" in french
    # An unknown language falls back to the primary text rather than failing.
    assert client.get(seeded.get_absolute_url(), {"lang": "xx"}).status_code == 200


def test_resolution_page_shows_annexes_headings_and_subparagraphs(client, db):
    resolution = ResolutionFactory(symbol="A/RES/77/600")
    ParagraphFactory(resolution=resolution, order=1, number="1", heading="Section one")
    parent = ParagraphFactory(resolution=resolution, order=2, number="2", text="the following:")
    ParagraphFactory(resolution=resolution, order=3, number="a", parent=parent, lead_phrase="", text="first;")
    ParagraphFactory(resolution=resolution, order=4, number="1", annex="I", text="annexed text;")

    text = client.get(resolution.get_absolute_url()).text

    assert '<h3 class="paragraph-heading" id="heading-op1">Section one</h3>' in text
    assert 'id="op2a"' in text and "(a)" in text
    assert "Annex I</h2>" in text and "annexed text;" in text


def test_annex_headings_read_as_printed_whatever_the_importer_stored(client, db):
    # The XML importer stores the annex's own title: "Annex", "Annex II" or a name.
    resolution = ResolutionFactory(symbol="A/RES/77/601")
    ParagraphFactory(resolution=resolution, order=1, number="1", text="main text;")
    ParagraphFactory(resolution=resolution, order=2, number="1", annex="Annex II", text="second annex;")
    ParagraphFactory(
        resolution=resolution, order=3, number="1", annex="The Pact for the Future", text="pact;"
    )

    text = client.get(resolution.get_absolute_url()).text

    assert "Annex Annex" not in text
    assert ">Annex II</h2>" in text
    assert ">Annex: The Pact for the Future</h2>" in text


def test_resolution_page_acknowledges_the_un_as_source(client, seeded):
    text = client.get(seeded.get_absolute_url()).text

    assert "Source of the resolution texts: United Nations" in text


def test_unknown_symbol_is_a_friendly_404(client, db):
    response = client.get("/resolutions/A/RES/1/1/")

    assert response.status_code == 404
    assert "Page not found" in response.text
    assert 'name="q"' in response.text


def untracked_resolution():
    resolution = ResolutionFactory(symbol="A/RES/77/600", title="A resolution nobody tracks")
    for number in range(1, 4):
        ParagraphFactory(resolution=resolution, order=number, number=str(number))
    return resolution


def test_an_untracked_resolution_reads_quietly_without_status_or_note_counts(client, db):
    """Issue 12, item 6: no "Not assessed · 0 published notes" under every paragraph."""
    resolution = untracked_resolution()
    NoteFactory(paragraphs=[op(resolution, "1")], state=NoteState.DRAFT)  # staff's draft: not public
    AssessmentFactory(paragraph=op(resolution, "2"), state=NoteState.IN_REVIEW)

    page = client.get(resolution.get_absolute_url()).text
    paragraph = client.get(op(resolution, "1").get_absolute_url()).text

    assert 'class="tracking"' not in page and "Not assessed" not in page
    assert not re.search(r"\d+ published note", page) and "Published notes on this resolution" not in page
    assert "not tracked here" in paragraph
    assert "Not assessed" not in paragraph and "What was done" not in paragraph


@pytest.mark.parametrize("tracked_by", ["note", "assessment"])
def test_a_resolution_tracked_by_a_note_or_an_assessment_shows_every_operative_paragraphs_status(
    client, db, tracked_by
):
    resolution = untracked_resolution()
    if tracked_by == "note":
        NoteFactory(paragraphs=[op(resolution, "1")])
    else:
        AssessmentFactory(paragraph=op(resolution, "1"))

    page = client.get(resolution.get_absolute_url()).text
    untouched = client.get(op(resolution, "3").get_absolute_url()).text

    assert page.count('class="tracking"') == 3
    assert "0 published notes" in page and "Published notes on this resolution" in page
    assert "not tracked here" not in untouched
    assert "have not assessed this paragraph yet" in untouched and "What was done" in untouched


SUBJECTS = [
    ("eurovoc", "water"),
    ("unbis", "CIVIL SOCIETY"),
    ("eurovoc", "civil society"),  # the same term as the UNBIS one: shown once
    ("unbis", "civil society"),  # the same in lower case
    ("sdg", "16"),
    ("unbis", "ADMINISTRATION OF JUSTICE"),
    ("unbis", "WOMEN'S RIGHTS"),
    ("sdg", "2"),
    ("eurovoc", "Climate change"),
]


def test_subjects_are_grouped_by_scheme_sdg_goals_first_without_repeats(client, db):
    """Issue 12, item 4."""
    resolution = untracked_resolution()
    subjects_of(resolution, *SUBJECTS)

    html = client.get(resolution.get_absolute_url()).text
    block = html[html.index('class="subjects-panel"') : html.index("</details>\n</dd>")]
    texts = [re.sub(r"<[^>]+>", " ", item).split() for item in re.findall(r"<li>(.*?)</li>", block)]

    assert [" ".join(words) for words in texts] == [
        "2 Zero hunger",
        "16 Peace, justice and strong institutions",
        "Administration of Justice",
        "Civil Society",
        "Women&#x27;s Rights",  # not Women'S
        "Climate change",
        "water",
    ]
    assert block.index("UNBIS Thesaurus") < block.index("<summary>EuroVoc terms (2)</summary>")
    assert "<summary>2 goals, 3 UNBIS terms, 2 EuroVoc terms</summary>" in block
    assert 'class="sdg sdg-16" href="/resolutions/?sdg=16"' in block


def test_a_resolution_without_subjects_has_no_subjects_line(client, db):
    assert "Subjects" not in client.get(untracked_resolution().get_absolute_url()).text


# --- One operative paragraph ------------------------------------------------------------------------


def test_paragraph_page_shows_text_assessment_history_and_note_timeline(client, seeded):
    op1 = op(seeded, "1")
    AssessmentFactory(
        paragraph=op1, status="in_progress", as_of=datetime.date(2023, 6, 1), rationale="Begun."
    )
    AssessmentFactory(paragraph=op1, status="ongoing", as_of=datetime.date(2024, 6, 1), rationale="Going on.")
    NoteFactory(title="Newer note", start_date=datetime.date(2025, 1, 1), paragraphs=[op1])
    NoteFactory(title="Review note", state=NoteState.IN_REVIEW, paragraphs=[op1])

    text = client.get(op1.get_absolute_url()).text

    assert "Encourages" in text and "proactive role" in text
    assert text.index("Going on.") < text.index("Begun.")  # newest first, the current one marked
    assert "(current)" in text
    assert text.index("Newer note") < text.index("Consultative meeting of the Central Asian Heads of State")
    assert "Review note" not in text
    assert f'href="{seeded.get_absolute_url()}#op1"' in text


def test_unknown_paragraph_is_a_404(client, seeded):
    response = client.get(reverse("resolutions:paragraph-detail", kwargs={"symbol": SYMBOL, "number": "99"}))

    assert response.status_code == 404


# --- Notes ---------------------------------------------------------------------------------------------


def test_note_list_filters_by_country_in_any_case_with_a_count(client, seeded):
    everything = client.get(reverse("resolutions:note-list")).text
    uzbekistan = client.get(reverse("resolutions:note-list"), {"country": "uzb"}).text

    assert "Dushanbe High-level Conference" in everything
    assert "Dushanbe High-level Conference" not in uzbekistan
    assert "Tashkent conference" in uzbekistan
    count = Country.objects.get(alpha3="UZB").notes.published().count()
    assert f"<strong>{count}</strong> published notes match these filters" in uzbekistan


def test_note_list_bad_values_are_form_errors_not_500(client, seeded):
    response = client.get(
        reverse("resolutions:note-list"), {"country": "XXX", "date_from": "yesterday", "theme": "nope"}
    )

    assert response.status_code == 200
    assert response.text.count('class="error"') == 3
    assert 'aria-invalid="true"' in response.text


def test_note_list_empty_state_offers_to_clear_filters(client, seeded):
    response = client.get(reverse("resolutions:note-list"), {"q": "nothing matches this"})

    assert "No published note matches these filters" in response.text
    assert "Clear all filters" in response.text


def test_note_list_pagination_keeps_the_filters(client, seeded):
    op1 = op(seeded, "1")
    for number in range(30):
        NoteFactory(title=f"Kyrgyz visit {number}", paragraphs=[op1], countries=["KGZ"])

    text = client.get(reverse("resolutions:note-list"), {"country": "kgz", "kind": "other"}).text

    next_link = re.search(r'href="([^"]+)" rel="next"', text).group(1).replace("&amp;", "&")
    assert "country=kgz" in next_link and "kind=other" in next_link and "page=2" in next_link
    page_two = client.get(reverse("resolutions:note-list") + next_link).text
    assert "Page 2 of 2" in page_two
    assert "Kyrgyz visit" in page_two


class Menus(HTMLParser):
    """The page's <select> menus: name -> [(value, label, selected)]; and its inputs' types."""

    def __init__(self, html):
        super().__init__()
        self.menus, self.inputs, self._menu, self._option = {}, {}, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self._menu = self.menus.setdefault(attrs["name"], [])
        elif tag == "option" and self._menu is not None:
            self._option = [attrs.get("value", ""), "", "selected" in attrs]
            self._menu.append(self._option)
        elif tag == "input" and "name" in attrs:
            self.inputs[attrs["name"]] = attrs.get("type", "text")

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data

    def handle_endtag(self, tag):
        if tag == "option":
            self._option = None
        elif tag == "select":
            self._menu = None


@pytest.mark.parametrize("list_name", ["resolutions:resolution-list", "resolutions:note-list"])
def test_filter_menus_have_one_any_choice_and_no_developer_hints(client, seeded, list_name):
    """Issue 12, item 3."""
    html = client.get(reverse(list_name)).text
    menus = Menus(html).menus

    assert "---------" not in html
    for name, options in menus.items():
        blanks = [label for value, label, _ in options if value == ""]
        assert len(blanks) == 1, (name, blanks)
    assert "ISO 3166" not in html and "slug" not in html.lower()


def test_note_filters_offer_only_what_has_published_notes_with_counts(client, seeded):
    op1 = op(seeded, "1")
    NoteFactory(title="Draft in France", paragraphs=[op1], countries=["FRA"], state=NoteState.DRAFT)
    NoteFactory(title="Published in Mongolia", paragraphs=[op1], countries=["MNG"])

    page = Menus(client.get(reverse("resolutions:note-list")).text)
    countries = {value: label for value, label, _ in page.menus["country"] if value}

    published = {
        country.alpha3.lower(): f"{country.name} ({country.notes.published().count()})"
        for country in Country.objects.filter(notes__state=NoteState.PUBLISHED).distinct()
    }
    assert countries == published
    assert countries["mng"] == "Mongolia (1)" and "fra" not in countries
    themes = {value for value, _, _ in page.menus["theme"] if value}
    assert themes == {theme.slug for theme in Theme.objects.filter(notes__state=NoteState.PUBLISHED)}
    assert page.inputs["date_from"] == "date" and page.inputs["date_to"] == "date"

    # A country chosen without published notes stays chosen, in any case, and the page says so.
    france = Menus(client.get(reverse("resolutions:note-list"), {"country": "FRA"}).text)
    assert ["fra", "France (0)", True] in france.menus["country"]


def test_sdg_goals_are_named_in_the_resolution_filters(client, seeded):
    menu = Menus(client.get(reverse("resolutions:resolution-list")).text).menus["sdg"]

    assert ["16", "16. Peace, justice and strong institutions", False] in menu
    assert len(menu) == 18


def test_active_filters_are_chips_that_each_remove_their_own_filter(client, seeded):
    html = client.get(
        reverse("resolutions:note-list"), {"country": "kaz", "theme": "counter-terrorism", "page": "1"}
    ).text

    chips = dict(re.findall(r'<a class="chip" href="([^"]+)"[^>]*>([^<]+): <strong>', html))
    assert chips == {"?theme=counter-terrorism": "Country", "?country=kaz": "Theme"}
    assert "<strong>Kazakhstan</strong>" in html and "<strong>Counter-terrorism</strong>" in html
    assert "(2 in use)" in html
    only = client.get(reverse("resolutions:note-list"), {"country": "kaz"}).text
    assert '<a class="chip" href="/notes/"' in only  # the last one removed: the list unfiltered
    assert 'class="chip"' not in client.get(reverse("resolutions:note-list")).text


def test_the_api_schema_keeps_the_precise_descriptions_the_pages_leave_out(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/notes/"]["get"]["parameters"]}

    assert "ISO 3166 alpha-3" in parameters["country"]["description"]


def test_note_page_renders_sanitised_markdown_and_its_facts(client, seeded):
    note = NoteFactory(
        title="Visit",
        body="**Met** officials.<script>alert(1)</script>",
        paragraphs=[op(seeded, "2")],
        countries=["TJK"],
    )

    text = client.get(note.get_absolute_url()).text

    assert "<strong>Met</strong>" in text
    assert "<script>alert(1)" not in text
    assert "Tajikistan" in text and "op 2" in text


@pytest.mark.parametrize("state", [NoteState.DRAFT, NoteState.IN_REVIEW, NoteState.WITHDRAWN])
def test_unpublished_notes_never_reach_any_public_page(client, seeded, state):
    op1 = op(seeded, "1")
    theme, entity = Theme.objects.first(), Entity.objects.first()
    hidden = NoteFactory(title="Zanzibarian secret", state=state, paragraphs=[op1], countries=["KGZ"])
    hidden.themes.add(theme)
    hidden.entities.add(entity)
    before = {url: client.get(url).text for url in [reverse("resolutions:home")]}

    pages = [
        reverse("resolutions:home"),
        reverse("resolutions:note-list"),
        reverse("resolutions:note-list") + "?q=zanzibarian",
        reverse("resolutions:resolution-list") + "?tracked=true",
        seeded.get_absolute_url(),
        op1.get_absolute_url(),
        reverse("resolutions:country-detail", kwargs={"iso": "kgz"}),
        theme.get_absolute_url(),
        entity.get_absolute_url(),
        reverse("resolutions:search") + "?q=zanzibarian",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Zanzibarian" not in response.text, url
    assert client.get(hidden.get_absolute_url()).status_code == 404
    # Counts ignore it too: the overview is exactly what it was.
    assert client.get(reverse("resolutions:home")).text == before[reverse("resolutions:home")]
    search = client.get(reverse("resolutions:search"), {"q": "zanzibarian"}).text
    assert 'Implementation notes <span class="count">(0)</span>' in search


# --- Countries, themes, entities ----------------------------------------------------------------------


def test_country_theme_and_entity_pages_show_notes_paragraphs_and_resolutions(client, seeded):
    for url in [
        reverse("resolutions:country-detail", kwargs={"iso": "KAZ"}),
        reverse("resolutions:theme-detail", kwargs={"slug": "women-and-youth"}),
        reverse("resolutions:entity-detail", kwargs={"slug": "unrcca"}),
    ]:
        text = client.get(url).text
        assert "Preventive Diplomacy Academy" in text, url
        assert f'href="{op(seeded, "4").get_absolute_url()}"' in text, url
        assert f'href="{seeded.get_absolute_url()}"' in text, url


def test_unknown_country_theme_entity_are_404(client, db):
    assert client.get(reverse("resolutions:country-detail", kwargs={"iso": "zzz"})).status_code == 404
    assert client.get(reverse("resolutions:theme-detail", kwargs={"slug": "nope"})).status_code == 404
    assert client.get(reverse("resolutions:entity-detail", kwargs={"slug": "nope"})).status_code == 404


# --- Every page: header search, landmarks --------------------------------------------------------------


def test_every_page_has_the_search_box_landmarks_and_skip_link(client, seeded):
    pages = [
        reverse("resolutions:home"),
        reverse("resolutions:resolution-list"),
        seeded.get_absolute_url(),
        op(seeded, "1").get_absolute_url(),
        reverse("resolutions:note-list"),
        reverse("resolutions:search") + "?q=centre",
        reverse("resolutions:country-detail", kwargs={"iso": "kaz"}),
    ]
    for url in pages:
        text = client.get(url).text
        assert 'role="search"' in text and 'id="site-search-q"' in text, url
        assert '<a class="skip-link" href="#main">' in text and '<main id="main"' in text, url
        assert "<header" in text and "<footer" in text and 'aria-label="Main"' in text, url
        assert "https://cdn" not in text and "//unpkg" not in text, url


def test_a_server_error_renders_the_friendly_500_page(client, db, settings, monkeypatch):
    settings.DEBUG = False

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("resolutions.views.documents.HomeView.get_context_data", broken)
    client.raise_request_exception = False

    response = client.get(reverse("resolutions:home"))

    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "boom" not in response.text and "Traceback" not in response.text


# --- Query counts: 100 rows cost what 1 row costs --------------------------------------------------------


def queries_for(client, url):
    from django.db import connection

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def many_notes(resolution, count):
    paragraphs = list(Paragraph.objects.operative().filter(resolution=resolution))
    theme, entity = Theme.objects.first(), Entity.objects.first()
    for number in range(count):
        note = NoteFactory(
            title=f"Extra {number}", paragraphs=paragraphs[: 1 + number % 3], countries=["KAZ", "KGZ"]
        )
        note.themes.add(theme)
        note.entities.add(entity)
        AssessmentFactory(paragraph=paragraphs[number % len(paragraphs)])
    return theme, entity


LIST_PAGES = {
    "home": lambda resolution, theme, entity: reverse("resolutions:home"),
    "resolution-list": lambda resolution, theme, entity: reverse("resolutions:resolution-list"),
    "resolution-list-filtered": lambda resolution, theme, entity: (
        reverse("resolutions:resolution-list") + "?tracked=true&q=extra"
    ),
    "note-list": lambda resolution, theme, entity: reverse("resolutions:note-list"),
    "note-list-filtered": lambda resolution, theme, entity: (
        reverse("resolutions:note-list") + "?country=kaz&theme=" + theme.slug
    ),
    "resolution-detail": lambda resolution, theme, entity: resolution.get_absolute_url(),
    "paragraph-detail": lambda resolution, theme, entity: op(resolution, "1").get_absolute_url(),
    "country": lambda resolution, theme, entity: reverse("resolutions:country-detail", kwargs={"iso": "kaz"}),
    "theme": lambda resolution, theme, entity: theme.get_absolute_url(),
    "entity": lambda resolution, theme, entity: entity.get_absolute_url(),
    "search": lambda resolution, theme, entity: reverse("resolutions:search") + "?q=extra",
    "mandate-list": lambda resolution, theme, entity: reverse("resolutions:mandate-list"),
    "mandate-list-filtered": lambda resolution, theme, entity: (
        reverse("resolutions:mandate-list") + "?addressee=regional-centre&request=encourages"
    ),
}

# Pinned: what each page costs, whatever the number of rows. A page of note cards reads the notes'
# translations into the interface's language with them (one query: ImplementationNote.with_links).
EXPECTED_QUERIES = {
    "home": 13,
    "resolution-list": 3,
    "resolution-list-filtered": 4,  # q=: the ranked matches, which of them the filters keep, the page
    "note-list": 10,
    "note-list-filtered": 12,
    "resolution-detail": 11,  # with the newest notes beside every paragraph (one query), its successors (one)
    "paragraph-detail": 12,  # the paragraph it continues in a predecessor (one), its mandate's entities (one)
    "country": 9,  # without votes: their totals (one query); with votes, the page of them too (tests/test_votes.py)
    "theme": 8,
    "entity": 9,  # with the paragraphs addressed to it
    "mandate-list": 4,  # count, the page of paragraphs with their mandates, their entities, the entity menu
    "mandate-list-filtered": 4,
    "search": 8,  # three ranked kinds, then the rows of each with hits (notes: and their three kinds of link)
}
# PostgreSQL looks up a text query's stemmed forms once per request (resolutions.search._tsqueries).
if connection.vendor == "postgresql":
    EXPECTED_QUERIES["resolution-list-filtered"] += 1
    EXPECTED_QUERIES["search"] += 1


def test_list_pages_cost_the_same_with_100_rows_as_with_1(client, seeded):
    """Every page of LIST_PAGES costs its pinned number of queries with one row of each kind and
    with a hundred (the rows built once for all the pages)."""
    resolution = ResolutionFactory(symbol="A/RES/77/700", title="Extra resolution")
    for number in range(1, 4):
        ParagraphFactory(resolution=resolution, order=number, number=str(number))
    Mandate.objects.refill(list(resolution.paragraphs.all()))  # as the loader does
    theme, entity = many_notes(resolution, 1)
    urls = {page: url(resolution, theme, entity) for page, url in LIST_PAGES.items()}

    def costs():
        found = {}
        for page, url in urls.items():
            cache.clear()  # each page as its first visitor finds it: nothing remembered by another
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            found[page] = len(queries)
        return found

    assert costs() == EXPECTED_QUERIES

    many_notes(resolution, 99)
    for number in range(99):
        extra = ResolutionFactory(symbol=f"A/RES/77/{800 + number}", title=f"Extra {number}")
        ParagraphFactory(resolution=extra, order=1, number="1")
        Reference.objects.create(resolution=extra, symbol=resolution.symbol, target=resolution)
        Reference.objects.create(resolution=resolution, symbol=extra.symbol, target=extra)
    for number in range(4, 104):
        ParagraphFactory(
            resolution=resolution,
            order=number,
            number=str(number),
            kind=ParagraphKind.OPERATIVE if number % 2 else ParagraphKind.PREAMBULAR,
        )
    Mandate.objects.refill(list(Paragraph.objects.all()))

    assert costs() == EXPECTED_QUERIES


def test_every_page_renders_with_a_resolution_without_texts_or_dates(client, db):
    bare = Resolution.objects.create(symbol="S/RES/2504 (2020)", body="SC", title="A bare resolution")
    ParagraphFactory(resolution=bare, order=1, number="1")

    for url in [
        reverse("resolutions:home"),
        reverse("resolutions:resolution-list"),
        bare.get_absolute_url(),
        reverse("resolutions:paragraph-detail", kwargs={"symbol": bare.symbol, "number": "1"}),
        reverse("resolutions:search") + "?q=bare",
    ]:
        assert client.get(url).status_code == 200, url


def test_static_assets_are_served_locally_with_htmx_vendored_and_a_print_stylesheet(client, db):
    home = client.get(reverse("resolutions:home")).text
    assert re.search(r'<link rel="stylesheet" href="/static/css/print.css" media="print">', home)
    assert '<script src="/static/js/htmx.min.js" defer></script>' in home

    htmx = b"".join(client.get("/static/js/htmx.min.js").streaming_content)
    assert htmx.startswith(b"/*! htmx 2.0.11") and b"0BSD" in htmx[:400]
    printed = b"".join(client.get("/static/css/print.css").streaming_content)
    assert b".site-header" in printed and b"display: none" in printed


def test_a_sectioned_resolution_shows_its_sections_and_addresses_paragraphs_by_section(client, db):
    """Issue 11: headings are structure on the page; /op/II.1/ is paragraph 1 of section II."""
    from resolutions.importer import parse
    from resolutions.importer.loader import load

    load(parse(Path("tests/fixtures/akn/ga_sectioned.xml").read_text(encoding="utf-8")))

    page = client.get(reverse("resolutions:resolution-detail", kwargs={"symbol": "A/RES/80/902"}))
    html = page.content.decode()
    assert re.search(
        r'<h3 class="paragraph-heading" id="heading-pp\d+">II. Placeholder subvention</h3>', html
    )
    assert html.index("II. Placeholder subvention") < html.index("section II of its placeholder resolution")
    assert html.index("section II of its placeholder resolution") < html.index(
        "of the second placeholder report"
    )
    assert 'id="opII.1"' in html
    assert "Regular placeholder process" in html and "<em>Regular</em>" not in html

    second = client.get(
        reverse("resolutions:paragraph-detail", kwargs={"symbol": "A/RES/80/902", "number": "II.1"})
    )
    assert second.status_code == 200
    assert "of the second placeholder report" in second.content.decode()
    assert "/op/II.2/" in second.content.decode()  # the next paragraph, by its address
    first = client.get(
        reverse("resolutions:paragraph-detail", kwargs={"symbol": "A/RES/80/902", "number": "I.1"})
    )
    assert "of the placeholder report;" in first.content.decode()
    assert client.get("/resolutions/A/RES/80/902/op/V.1/").status_code == 404


# --- Favicon and API docs (issue 12, item 7) ----------------------------------------------------------


def test_every_page_names_a_favicon_that_is_served_and_favicon_ico_leads_to_it(client, db):
    home = client.get(reverse("resolutions:home")).text
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', home).group(1)

    served = client.get(icon)
    assert served.status_code == 200
    assert b"<svg" in b"".join(served.streaming_content)
    legacy = client.get("/favicon.ico")
    assert legacy.status_code == 301 and legacy["Location"] == icon


def test_the_footer_links_to_the_api_docs(client, db):
    for url in (reverse("resolutions:home"), reverse("resolutions:note-list")):
        footer = client.get(url).text.split('<footer class="site-footer">')[1]
        assert '<a href="/api/docs/">API documentation</a>' in footer
    assert client.get("/api/docs/").status_code == 200


# --- Table of contents (issue 11) ----------------------------------------------------------------


def contents_of(html):
    """The table of contents as a reader follows it: (level, link text, target), and the nav's HTML."""
    match = re.search(r'<nav class="contents".*?</nav>', html, re.DOTALL)
    if not match:
        return [], ""
    entries = re.findall(r'<li class="level-(\d)"><a href="#([^"]+)">([^<]+)</a></li>', match.group(0))
    return [(int(level), title, anchor) for level, anchor, title in entries], match.group(0)


def test_the_table_of_contents_links_each_section_and_annex_heading_to_its_place(client, db):
    from resolutions.importer import parse
    from resolutions.importer.loader import load

    load(parse(Path("tests/fixtures/pdftext/annex.txt").read_text(encoding="utf-8")))

    html = client.get(reverse("resolutions:resolution-detail", kwargs={"symbol": "A/RES/79/340"})).text
    contents, nav = contents_of(html)

    assert [(level, title) for level, title, _ in contents] == [
        (1, "Annex I"),
        (2, "Guidelines on community water councils — I. General principles"),
        (1, "Annex II"),
        (2, "Terms of reference"),
    ]
    ids = anchors(html)
    assert all(anchor in ids for _, _, anchor in contents)
    # Each link leads to the heading it names, and the contents come before the text.
    for _, title, anchor in contents:
        assert re.search(rf'id="{re.escape(anchor)}"[^>]*>{re.escape(title)}<', html), title
    assert html.index(nav) < html.index('id="text-heading"')
    # Folded until the page opens it where there is room: on a phone the text comes first.
    assert '<details id="contents">' in nav and "contents.js" in html


def test_the_table_of_contents_shows_the_headings_of_the_language_read(client, db):
    import copy

    from resolutions.importer import parse
    from resolutions.importer.loader import load

    english = parse(Path("tests/fixtures/akn/ga_sectioned.xml").read_text(encoding="utf-8"))
    load(english)
    french = copy.deepcopy(english)
    french.language, french.source_text = "fr", english.source_text + "<!-- fr -->"
    for paragraph in french.preambular + french.operative:
        paragraph.heading = paragraph.heading.replace("Placeholder", "Espace réservé")
    load(french)
    url = reverse("resolutions:resolution-detail", kwargs={"symbol": "A/RES/80/902"})

    english_titles = [title for _, title, _ in contents_of(client.get(url).text)[0]]
    french_page = client.get(url, {"lang": "fr"}).text
    french_titles = [title for _, title, _ in contents_of(french_page)[0]]

    assert "II. Placeholder subvention" in english_titles
    assert "II. Espace réservé subvention" in french_titles
    assert len(french_titles) == len(english_titles) >= 2
    assert re.search(
        r'<h3 class="paragraph-heading" id="heading-pp\d+">II. Espace réservé subvention</h3>', french_page
    )


def test_a_resolution_without_headings_or_annexes_has_no_table_of_contents(client, seeded):
    html = client.get(seeded.get_absolute_url()).text

    assert contents_of(html) == ([], "")
    assert "contents.js" not in html
