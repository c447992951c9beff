from django.utils.cache import patch_vary_headers
from rest_framework.exceptions import Throttled
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from resolutions.addresses import client_address


class AnonymousRateThrottle(AnonRateThrottle):
    """Anonymous callers, per IP address, at API_ANON_THROTTLE_RATE (settings.py; empty means no limit).

    DRF's own class reads the rate once at import; this one reads it per request, so a changed
    setting takes effect without a restart of the class (and tests can set it).
    The address is the caller's as resolutions/addresses.py finds it: X-Forwarded-For only behind
    the trusted proxies of DJANGO_NUM_PROXIES.
    Counts are kept in the default cache: shared by every server when REDIS_URL is set.
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_address(request)


def anonymous_refusal(request):
    """Count an anonymous API request no view will see; the API's 429 if it is over the rate, else None.

    The page cache (resolutions/middleware.py) serves cached API answers without calling a view,
    so it asks here first: a cached answer counts against the rate as a fresh one does.
    """
    from rest_framework.views import exception_handler  # not at the top: APIView imports this module

    anonymous = Request(request)  # no authenticators: an AnonymousUser, as the API's own views see it
    waits = [
        throttle.wait()
        for throttle in (throttle_class() for throttle_class in api_settings.DEFAULT_THROTTLE_CLASSES)
        if not throttle.allow_request(anonymous, None)
    ]
    if not waits:
        return None
    # As APIView.check_throttles and handle_exception answer: the longest wait, as JSON with Retry-After.
    response = exception_handler(
        Throttled(wait=max((wait for wait in waits if wait is not None), default=None)), {}
    )
    response.accepted_renderer, response.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
    response.renderer_context = {}
    patch_vary_headers(response, ["Accept"])
    return response.render()
