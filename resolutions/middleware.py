"""Public pages and API reads for anonymous visitors, from the shared cache, with the headers a CDN needs.

Anonymous GET and HEAD requests to the website (namespace "resolutions", htmx partials included)
and the API (namespace "api") are answered from the default cache while the public-content
generation they were stored under is current (resolutions/cache.py bumps it on every public
change). Their answers say `Cache-Control: public, max-age=PUBLIC_CACHE_SECONDS` and carry an ETag,
so that a browser, proxy or CDN keeps them too and revalidates with If-None-Match (answered 304).

A request that may get a page made for it alone (a staff session, an API token, pending messages)
neither reads nor fills the cache, and its answer says `private, no-store`. A view that sets its own
Cache-Control (e.g. with @never_cache) is left to decide for itself.
"""

import hashlib

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, translate_url
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)

from resolutions import cache as public_content
from resolutions.api.throttling import anonymous_refusal
from resolutions.importer import accepted_language

WEBSITE, API = "resolutions", "api"
# What else an answer depends on, beside its address: first who asks (a staff session's cookie, a
# token), then htmx asking for the results only (the website) or the format asked for (the API).
VARY = {WEBSITE: ["Cookie", "HX-Request"], API: ["Authorization", "Accept", "Accept-Language"]}


def public_part(request):
    """WEBSITE or API if the request reads a public page, else None."""
    if request.method not in ("GET", "HEAD"):
        return None
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return None
    namespace = match.namespaces[0] if match.namespaces else None
    return namespace if namespace in VARY else None


def personal(request):
    """The request may get a page made for it alone: it signs in (session or token) or has messages."""
    return (
        "Authorization" in request.headers
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or CookieStorage.cookie_name in request.COOKIES
    )


def page_key(request, part):
    """The address, and the headers the answer varies on; Cookie and Authorization never reach here."""
    variant = [request.scheme, request.get_host(), request.get_full_path()]
    variant += [request.headers.get(header, "") for header in VARY[part][1:] if header != "Accept-Language"]
    if part == API:  # the language the texts come in, not the header's many spellings of it
        variant.append(accepted_language(request.headers.get("Accept-Language", "")))
    return "public-page:" + hashlib.sha256("\n".join(variant).encode()).hexdigest()


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        part = public_part(request)
        if part is None:
            return self.get_response(request)
        if personal(request):
            response = self.get_response(request)
            if "Cache-Control" not in response:
                patch_cache_control(response, private=True, no_store=True)
            return response

        key = page_key(request, part)
        generation, stored = public_content.read(key)
        if stored is not None:
            if part == API and (refusal := anonymous_refusal(request)) is not None:
                return refusal
            content, headers = stored
            return self.conditional(request, HttpResponse(content, headers=headers))

        response = self.get_response(request)
        if response.status_code not in (200, 304) or "Cache-Control" in response:
            return response
        seconds = settings.PUBLIC_CACHE_SECONDS
        if seconds > 0:
            patch_cache_control(response, public=True, max_age=seconds)
        else:
            patch_cache_control(response, public=True, no_cache=True)
        patch_vary_headers(response, VARY[part])
        if response.status_code != 200 or response.streaming:
            return response
        if "ETag" not in response:
            set_response_etag(response)
        if request.method == "GET" and not response.cookies and settings.PAGE_CACHE_SECONDS > 0:
            public_content.store(
                key, generation, (response.content, dict(response.items())), settings.PAGE_CACHE_SECONDS
            )
        return self.conditional(request, response)

    @staticmethod
    def conditional(request, response):
        """304 Not Modified when the caller already holds this very page (If-None-Match)."""
        return get_conditional_response(request, etag=response.get("ETag"), response=response)


class RememberedLanguageMiddleware:
    """The home page in the language a reader chose with the switch (its cookie, set by
    views.common.choose_language): `/` sends them on to `/ru/`. Only the home page, where a reader
    arrives by typing the site's address: a link to an English page stays English. The English home
    page varies on the cookie, so that no cache gives it to a reader who chose another language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/" and request.method in ("GET", "HEAD"):
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
            if chosen != settings.LANGUAGE_CODE and chosen in dict(settings.LANGUAGES):
                query = request.META.get("QUERY_STRING", "")
                response = HttpResponseRedirect(translate_url("/", chosen) + (f"?{query}" if query else ""))
                patch_vary_headers(response, ["Cookie"])
                patch_cache_control(response, private=True)
                return response
        response = self.get_response(request)
        if request.path_info == "/":
            patch_vary_headers(response, ["Cookie"])
        return response
