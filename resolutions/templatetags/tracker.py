from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from resolutions.markup import link_citations, link_held, render_markdown
from resolutions.models import AssessmentStatus
from resolutions.note_translations import lang_attributes

register = template.Library()


@register.filter
def markdown(text):
    """Staff-written Markdown as HTML, sanitised: no script, no style, no event handlers."""
    return mark_safe(render_markdown(text))


@register.filter
def symbols_linked(text):
    """Plain text, escaped, with its document symbols linked to the UN's page for each."""
    return mark_safe(link_citations(text or ""))


@register.filter
def held_here(html, held):
    """HTML made by resolutions.markup with the links of the symbols held here ({symbol: page},
    found for the whole page in one query) pointing at their pages here."""
    return mark_safe(link_held(str(html), held or {}))


@register.inclusion_tag("includes/_status.html")
def status_badge(status):
    label = AssessmentStatus(status).label if status else _("Not assessed")
    return {"status": status or "none", "label": label}


# Django's locale for a language code of the texts, where the two differ.
LOCALES = {"zh": "zh-hans"}


@register.filter
def written_in(value, language):
    """A date as `language` writes it, in the formats for that language: "24 février 2023",
    "2023年2月24日", "24 فبراير، 2023"; English as the UN writes it, "24 February 2023"
    (tracker/formats/en/formats.py)."""
    if not value:
        return ""
    with translation.override(LOCALES.get(language, language)):
        return date_format(value)


def _direction(bidi):
    return "rtl" if bidi else "ltr"


@register.simple_tag(takes_context=True)
def page_language(context):
    """<html>'s lang and dir: those of the text a page shows (page_language, page_dir in its context),
    else those of the interface."""
    return format_html(
        'lang="{}" dir="{}"',
        context.get("page_language") or translation.get_language(),
        context.get("page_dir") or _direction(translation.get_language_bidi()),
    )


# Query parameters that change nothing a page shows: a pager's first page, a print view, the order of a
# vote's table, and the tags that sharing sites and campaigns add.
NOISE = {"print", "votes", "fbclid", "gclid", "msclkid", "mc_cid", "mc_eid"}


def meaningful_params(query, drop=()):
    """(name, value) of a query string that make a page what it is, in a stable order."""
    return sorted(
        (name, value)
        for name, values in query.lists()
        for value in values
        if value.strip()
        and name not in NOISE
        and name not in drop
        and not name.startswith("utm_")
        and not (name == "page" and value == "1")
    )


@register.simple_tag(takes_context=True)
def interface_language(context):
    """lang and dir for the interface's own words (the header, the footer, main's labels) on a page
    whose text is in another language: the text's own elements carry that language."""
    page = context.get("page_language")
    interface = translation.get_language()
    if not page or page == interface:
        return ""
    return format_html(' lang="{}" dir="{}"', interface, _direction(translation.get_language_bidi()))


@register.simple_tag
def text_lang(code):
    """lang and dir for words in language `code` (a resolution's text, a note) where it is not the
    interface's: screen readers and the page's direction follow them. Nothing where it is."""
    return lang_attributes(code, translation.get_language())


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's one address, absolute, without the parameters that change nothing."""
    request = context["request"]
    query = urlencode(meaningful_params(request.GET))
    return request.build_absolute_uri(request.path) + (f"?{query}" if query else "")


@register.simple_tag(takes_context=True)
def api_list_url(context, resource, fmt, same_filter=False, **params):
    """The API's list of `resource` (/api/v1/notes/) as `fmt` (csv or json): with this list page's
    filters when `same_filter` (not its page: the CSV holds every row), else with `params`."""
    pairs = meaningful_params(context["request"].GET, drop={"page", *params}) if same_filter else []
    pairs += [(name, str(value)) for name, value in params.items() if value not in ("", None)]
    return reverse(f"api:{resource}-list") + "?" + urlencode([*pairs, ("format", fmt)])


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        context[self.name] = self.nodelist.render(context)
        return ""


@register.tag
def capture(parser, token):
    """{% capture as name %}...{% endcapture %}: what is inside, rendered once into `name`, so that a
    block a page fills (its description) can be written in more than one place (two meta tags)."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Use {% capture as name %}...{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.simple_tag(takes_context=True)
def interface_languages(context):
    """This page in each language of the interface, its query kept: [{code, name, url, choose,
    current}]: `url` the page's address in that language (hreflang alternates), `choose` the switch's
    link, which remembers the choice on the way (views.common.choose_language). Empty while the
    interface has one language (settings.LANGUAGES: those with a catalogue)."""
    if len(settings.LANGUAGES) < 2:
        return []
    request = context["request"]
    here = request.get_full_path()
    current = translation.get_language()
    return [
        {
            "code": code,
            "name": name,
            "url": translate_url(here, code),
            "choose": reverse("choose-language", args=[code]) + "?" + urlencode({"next": here}),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


def _feed(name, label, query="", **params):
    """A feed, and the e-mail alerts of the same topic and query (resolutions/views/alerts.py)."""
    query = query or urlencode([(key, value) for key, value in params.items() if value])
    return {
        "url": reverse(f"resolutions:feed-{name}") + (f"?{query}" if query else ""),
        "alerts": reverse("resolutions:alert-subscribe") + f"?topic={name}" + (f"&{query}" if query else ""),
        "label": label,
    }


@register.simple_tag(takes_context=True)
def page_feeds(context):
    """The Atom feeds (resolutions/views/feeds.py) that follow what this page lists, each as
    {"url", "label"}: linked in the page's head (<link rel="alternate">) and in its "Follow" line."""
    request = context["request"]
    match = request.resolver_match
    name, kwargs = (match.url_name, match.kwargs) if match else ("", {})
    same = urlencode(meaningful_params(request.GET, drop={"page", "ordering"}))
    form = context.get("form")
    if getattr(form, "is_bound", False) and form.errors:
        return []  # the list refuses its filters: so would its feed
    if name == "home":
        return [
            _feed("notes", _("new implementation notes")),
            _feed("resolutions", _("new resolutions")),
            _feed("status", _("status changes")),
        ]
    if name == "note-list":
        return [_feed("notes", _("these notes") if same else _("new implementation notes"), same)]
    if name == "resolution-list":
        return [
            _feed(
                "resolutions",
                _("these resolutions as they are imported") if same else _("new resolutions"),
                same,
            )
        ]
    if name == "search" and request.GET.get("q", "").strip():
        return [_feed("notes", _("notes matching these words"), q=request.GET["q"].strip())]
    if name == "resolution-detail":
        return [
            _feed("notes", _("its implementation notes"), resolution=kwargs["symbol"]),
            _feed("status", _("its status changes"), resolution=kwargs["symbol"]),
        ]
    if name == "paragraph-detail" and context.get("paragraph"):
        symbol, number = kwargs["symbol"], context["paragraph"].address
        return [
            _feed("notes", _("its implementation notes"), resolution=symbol, paragraph=number),
            _feed("status", _("its status changes"), resolution=symbol, paragraph=number),
        ]
    vocabularies = {"country-detail": ("country", "iso"), "theme-detail": ("theme", "slug")}
    vocabularies["entity-detail"] = ("entity", "slug")
    if name in vocabularies:
        param, key = vocabularies[name]
        return [_feed("notes", _("its implementation notes"), **{param: kwargs[key].lower()})]
    return []
