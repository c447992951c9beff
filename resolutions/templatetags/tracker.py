from urllib.parse import urlencode

from django import template
from django.urls import reverse
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
def canonical_url(context):
    """This page's one address, absolute, without the parameters that change nothing."""
    request = context["request"]
    query = urlencode(meaningful_params(request.GET))
    return request.build_absolute_uri(request.path) + (f"?{query}" if query else "")


@register.simple_tag(takes_context=True)
def api_list_url(context, resource, fmt, same_filter=False, **params):
    """The API's list of `resource` (/api/v1/notes/) as `fmt` (csv or json): with this list page's
    filters when `same_filter` (not its page: the CSV holds every row), else with `params`."""
    pairs = meaningful_params(context["request"].GET, drop={"page"}) if same_filter else []
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
