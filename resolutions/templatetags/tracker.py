import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe

from resolutions.models import AssessmentStatus

register = template.Library()


@register.filter
def markdown(text):
    """Staff-written Markdown as HTML, sanitised: no script, no style, no event handlers."""
    html = markdown_lib.markdown(text or "", extensions=["extra", "sane_lists"])
    return mark_safe(nh3.clean(html, link_rel="noopener noreferrer nofollow"))


@register.inclusion_tag("includes/_status.html")
def status_badge(status):
    label = AssessmentStatus(status).label if status else "Not assessed"
    return {"status": status or "none", "label": label}
