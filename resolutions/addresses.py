"""The caller's network address, the one the API throttle, the sign-in lockout and the logs count by.

Without a trusted proxy (NUM_PROXIES = 0, the default) it is the connection's address, REMOTE_ADDR, and
X-Forwarded-For is ignored: anyone can write that header. Behind N proxies that each append the
address they saw to X-Forwarded-For (nginx's $proxy_add_x_forwarded_for, a cloud load balancer), it is
the Nth address from the right, the one the outermost trusted proxy saw; whatever the caller put
further left is never read. A value that is not an IP address falls back to REMOTE_ADDR.
"""

import ipaddress

from django.conf import settings


def client_address(request):
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NUM_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if proxies <= 0 or not forwarded:
        return remote
    candidate = forwarded[-min(proxies, len(forwarded))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
