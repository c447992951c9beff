from django import template
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from resolutions.markup import render_markdown
from resolutions.models import AssessmentStatus

register = template.Library()


@register.filter
def markdown(text):
    """Staff-written Markdown as HTML, sanitised: no script, no style, no event handlers."""
    return mark_safe(render_markdown(text))


@register.inclusion_tag("includes/_status.html")
def status_badge(status):
    label = AssessmentStatus(status).label if status else "Not assessed"
    return {"status": status or "none", "label": label}


# Django's locale for a language code of the texts, where the two differ.
LOCALES = {"zh": "zh-hans"}


@register.filter
def written_in(value, language):
    """A date as `language` writes it, in Django's formats for that language: "24 février 2023",
    "2023年2月24日", "24 فبراير، 2023"; English as the UN writes it (Django's is "Feb. 24, 2023")."""
    if not value:
        return ""
    with translation.override(LOCALES.get(language, language)):
        return date_format(value, "j F Y" if language == "en" else "DATE_FORMAT")


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


@register.simple_tag(takes_context=True)
def interface_language(context):
    """lang and dir for the interface's own words (the header, the footer, main's labels) on a page
    whose text is in another language: the text's own elements carry that language."""
    page = context.get("page_language")
    interface = translation.get_language()
    if not page or page == interface:
        return ""
    return format_html(' lang="{}" dir="{}"', interface, _direction(translation.get_language_bidi()))
