from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from resolutions.markup import link_citations, link_held, render_markdown
from resolutions.models import AssessmentStatus

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
    label = AssessmentStatus(status).label if status else "Not assessed"
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
