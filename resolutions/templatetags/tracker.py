from django import template
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
