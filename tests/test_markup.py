"""resolutions.markup: document symbols linked in any text (issue 12, item 7), and Markdown sanitised."""

from resolutions.markup import cited_symbols, link_citations, link_held, render_markdown


def test_a_plain_text_links_each_symbol_to_the_uns_page_and_stays_escaped():
    html = link_citations("Recalling resolutions 72/7 and 75/272, S/RES/2504 (2020) & <A/76/920>")

    assert '<a class="document-symbol" href="https://undocs.org/en/A/RES/72/7">72/7</a>' in html
    assert '<a class="document-symbol" href="https://undocs.org/en/A/RES/75/272">75/272</a>' in html
    assert (
        '<a class="document-symbol" href="https://undocs.org/en/S/RES/2504%20(2020)">S/RES/2504 (2020)</a>'
        in html
    )
    assert (
        '&amp; &lt;<a class="document-symbol" href="https://undocs.org/en/A/76/920">A/76/920</a>&gt;' in html
    )
    assert cited_symbols(html) == {"A/RES/72/7", "A/RES/75/272", "S/RES/2504 (2020)", "A/76/920"}


def test_a_decision_number_is_not_taken_for_a_resolution():
    assert "<a" not in link_citations("its decision 76/555 of 2021")


def test_a_joint_symbol_is_two_links():
    html = link_citations("the letter A/71/982-S/2017/600")

    assert html == (
        'the letter <a class="document-symbol" href="https://undocs.org/en/A/71/982">A/71/982</a>-'
        '<a class="document-symbol" href="https://undocs.org/en/S/2017/600">S/2017/600</a>'
    )


def test_held_symbols_point_here_and_the_others_stay_with_the_un():
    html = link_citations("resolutions 72/7 and 75/272")

    linked = link_held(html, {"A/RES/75/272": "/resolutions/A/RES/75/272/"})

    assert '<a class="document-symbol" href="/resolutions/A/RES/75/272/">75/272</a>' in linked
    assert '<a class="document-symbol" href="https://undocs.org/en/A/RES/72/7">72/7</a>' in linked


def test_markdown_links_symbols_in_its_text_but_not_inside_links_or_code():
    html = render_markdown(
        "Follows **resolution 76/299**; see [A/RES/72/7](https://example.org/x) and `A/77/1`.\n\n"
        "- citing resolutions 72/7 and 75/272"
    )

    assert cited_symbols(html) == {"A/RES/76/299", "A/RES/72/7", "A/RES/75/272"}
    assert '<a href="https://example.org/x" rel="noopener noreferrer nofollow">A/RES/72/7</a>' in html
    assert "<code>A/77/1</code>" in html
    assert html.count('class="document-symbol"') == 3


def test_markdown_stays_sanitised_and_keeps_no_other_class():
    html = render_markdown(
        '<a class="evil document-symbol" href="javascript:alert(1)">x</a> <p class="x" onclick="y">A/76/920</p>'
    )

    assert "javascript:" not in html and "onclick" not in html and "evil" not in html
    assert 'class="x"' not in html
