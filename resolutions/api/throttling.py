from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """Anonymous callers, per IP address, at API_ANON_THROTTLE_RATE (settings.py; empty means no limit).

    DRF's own class reads the rate once at import; this one reads it per request, so a changed
    setting takes effect without a restart of the class (and tests can set it).
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
