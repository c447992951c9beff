from urllib.parse import urlencode

from django import template
from django.urls import reverse

from resolutions.alerts import NOT_FOLLOWED

register = template.Library()


@register.simple_tag
def alert_subscribe_url(topic, query=None):
    """The subscribe page for `topic` with a list's filters (`query`: a QueryDict, e.g. request.GET),
    without what only says how the list is shown (its page, its order)."""
    pairs = [("topic", topic)]
    if query:
        pairs += [
            (name, value)
            for name, values in query.lists()
            if name not in NOT_FOLLOWED
            for value in values
            if value
        ]
    return reverse("resolutions:alert-subscribe") + "?" + urlencode(pairs)
