"""Structured logs: one JSON object a line on stdout, for requests and security events.

    {"time": "2026-12-01T20:15:02.113Z", "level": "INFO", "logger": "tracker.requests", "event": "request",
     "method": "GET", "path": "/notes/", "status": 200, "duration_ms": 12.4, "user_id": null,
     "client": "203.0.113.5", "message": "GET /notes/ 200"}

Loggers: "tracker.requests" (every request but static files) and "tracker.security" (sign-ins,
sign-in failures, lockouts, and every editorial move of a note or an assessment: who moved it from
what to what, logged by resolutions/workflow.py where the move is made).
Never logged: passwords, API tokens, cookies, query strings, request bodies, and the secret parts of
a one-time link (its uid and token are replaced by "[redacted]").
"""

import json
import logging
import time
from datetime import UTC, datetime

from django.core.exceptions import DisallowedHost

from resolutions.addresses import client_address

requests_log = logging.getLogger("tracker.requests")
security_log = logging.getLogger("tracker.security")

# URL arguments that are secrets (the password-set link of `createstaff`).
SECRET_URL_ARGUMENTS = {"uidb64", "token", "key"}
# The attributes every LogRecord has: anything else was passed in `extra` and is a field of the line.
STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        line.update({key: value for key, value in vars(record).items() if key not in STANDARD})
        line["message"] = record.getMessage()
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def user_id(request):
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


def loggable_path(request):
    path = request.path
    match = getattr(request, "resolver_match", None)
    for name, value in match.kwargs.items() if match else ():
        if name in SECRET_URL_ARGUMENTS and value:
            path = path.replace(str(value), "[redacted]")
    return path


class RequestLogMiddleware:
    """One line per request, once the answer is made: method, path, status, duration, user, address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        duration = round((time.monotonic() - started) * 1000, 1)
        path = loggable_path(request)
        fields = {
            "event": "request",
            "method": request.method,
            "path": path,
            "status": response.status_code,
            "duration_ms": duration,
            "user_id": user_id(request),
            "client": client_address(request),
        }
        host = refused_host(request)
        if host is None:
            requests_log.info("%s %s %s", request.method, path, response.status_code, extra=fields)
        else:
            # Django answered 400; its own logger (silenced in settings.LOGGING) would add a traceback.
            requests_log.warning(
                "%s %s %s: host %r is not in DJANGO_ALLOWED_HOSTS",
                request.method,
                path,
                response.status_code,
                host,
                extra={**fields, "refused_host": host},
            )
        return response


def refused_host(request):
    """The Host header a request was refused for (not in ALLOWED_HOSTS), or None."""
    try:
        request.get_host()
    except DisallowedHost:
        return request.META.get("HTTP_HOST", "")[:200]
    return None


def editorial_move(item, from_state, to_state, user, reason):
    """A note (or other reviewed item) moved from one editorial state to another, and by whom."""
    security_log.info(
        "%s %s: %s -> %s by %s (%s)",
        item._meta.model_name,
        item.pk,
        from_state,
        to_state,
        user_id_of(user),
        reason,
        extra={
            "event": "editorial_move",
            "model": item._meta.model_name,
            "object_id": item.pk,
            "from_state": str(from_state),
            "to_state": str(to_state),
            "reason": reason,
            "user_id": user_id_of(user),
            "username": user.get_username() if user_id_of(user) else None,
        },
    )


def user_id_of(user):
    return user.pk if user is not None and user.is_authenticated else None


def sign_in(sender, request, user, **kwargs):
    security_log.info(
        "sign-in by user %s",
        user.pk,
        extra={"event": "sign_in", "user_id": user.pk, "username": user.get_username(), **where(request)},
    )


def sign_in_failed(sender, credentials, request=None, **kwargs):
    # Django hands over the credentials with the password already masked; only the name is kept.
    username = str(credentials.get("username", ""))[:150]
    security_log.warning(
        "sign-in failed for %r",
        username,
        extra={"event": "sign_in_failed", "username": username, **where(request)},
    )


def locked_out(sender, request, username, ip_address, **kwargs):
    security_log.warning(
        "sign-in locked out for %r",
        username,
        extra={"event": "locked_out", "username": username, **where(request)},
    )


def where(request):
    if request is None:
        return {"client": None, "path": None}
    return {"client": client_address(request), "path": loggable_path(request)}


def connect_signals():
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_login_failed

    user_logged_in.connect(sign_in, dispatch_uid="log_sign_in")
    user_login_failed.connect(sign_in_failed, dispatch_uid="log_sign_in_failed")
    user_locked_out.connect(locked_out, dispatch_uid="log_locked_out")
