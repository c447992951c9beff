"""Every failure under /api/ answers JSON, `{"detail": "..."}`, as the API's own errors do.

DRF renders the errors its views raise. What happens outside them did not: Django's HTML 404 for an
address no route matches (/api/schema/x), the 405 of the docs page, the 400 Django answers when a body
is over DATA_UPLOAD_MAX_MEMORY_SIZE, the 500 page. This middleware refuses an oversized body before
anything reads it (413, saying the limit), and gives any other error answer under /api/ that is not
already in one of the API's formats (JSON, or CSV when asked for) a JSON body instead, keeping its
status and headers (Allow, Retry-After, Vary, CORS).
"""

from http import HTTPStatus

from django.conf import settings
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat

API_PREFIX = "/api/"
API_FORMATS = ("application/json", "text/csv")
KEPT_HEADERS_EXCEPT = {"content-type", "content-length", "content-language"}


class JsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and body_length(request) > limit:
            return JsonResponse(
                {"detail": f"The request body is larger than the {filesizeformat(limit)} the API accepts."},
                status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            )
        response = self.get_response(request)
        if response.status_code < 400 or response.get("Content-Type", "").startswith(API_FORMATS):
            return response
        if response.status_code >= 500 and settings.DEBUG:
            return response  # Django's debug page, for the developer
        return as_json(response)


def body_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def as_json(response):
    status = HTTPStatus(response.status_code)
    detail = {
        HTTPStatus.NOT_FOUND: "No such address in the API; see /api/docs/.",
        HTTPStatus.METHOD_NOT_ALLOWED: f"This method is not allowed here; allowed: {response.get('Allow', 'none')}.",
        HTTPStatus.INTERNAL_SERVER_ERROR: "Server error: it has been logged.",
    }.get(status, f"{status.phrase}.")
    answer = JsonResponse({"detail": detail}, status=status)
    for header, value in response.items():
        if header.lower() not in KEPT_HEADERS_EXCEPT:
            answer[header] = value
    answer.cookies = response.cookies
    return answer
