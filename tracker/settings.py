"""Settings for Resolution Tracker.

Every deployment value comes from an environment variable (documented in .env.example)
with a safe default: debug off, SQLite in the project folder. A `.env` file in the project
folder (`make setup` writes one for local use) supplies what the environment does not set.
"""

import contextlib
import os
import socket
import sys
import zoneinfo
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from dotenv import load_dotenv

from tracker.email_url import SMTP, email_settings

BASE_DIR = Path(__file__).resolve().parent.parent

# NAME=value lines, taken literally (no ${...} expansion: a secret key may hold a "$"); a variable set
# in the environment wins. TRACKER_ENV_FILE names another file; empty reads none (the tests do so,
# so that a developer's .env never reaches them).
ENV_FILE = os.environ.get("TRACKER_ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE:
    if "TRACKER_ENV_FILE" in os.environ and not Path(ENV_FILE).is_file():
        sys.exit(f"Configuration error: TRACKER_ENV_FILE names {ENV_FILE}, which is not a file.")
    load_dotenv(ENV_FILE, override=False, interpolate=False)


def env(name, default=""):
    return os.environ.get(name, default)


def env_flag(name, default=False):
    value = env(name, "1" if default else "0").strip().lower()
    return value in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_flag("DJANGO_DEBUG")


def required(name):
    """A setting production cannot do without: stop start-up with one clear line if it is missing."""
    value = env(name)
    if not value and not DEBUG:
        sys.exit(f"Configuration error: {name} must be set when DJANGO_DEBUG is off (see .env.example).")
    return value


def machine_hosts():
    """This machine's host names and IP addresses: what a browser on the network may call it."""
    names = {socket.gethostname(), socket.getfqdn()} - {""}
    addresses = set()
    for name in names:
        with contextlib.suppress(OSError):
            addresses.update(info[4][0] for info in socket.getaddrinfo(name, None))
    # The address of the interface the default route leaves by (connecting a UDP socket sends nothing).
    for family, probe in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
        with contextlib.suppress(OSError), socket.socket(family, socket.SOCK_DGRAM) as probe_socket:
            probe_socket.connect((probe, 9))
            addresses.add(probe_socket.getsockname()[0])
    # Django compares IPv6 hosts in brackets; a link-local address with a zone (%eth0) is never a Host.
    return sorted(names) + sorted(f"[{a}]" if ":" in a else a for a in addresses if "%" not in a)


SECRET_KEY = required("DJANGO_SECRET_KEY") or "django-insecure-local-development-only"
required("DJANGO_ALLOWED_HOSTS")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or ["localhost", "127.0.0.1", "[::1]"]
# `HOST=0.0.0.0 make run` serves every address of the machine: answer to its own names and addresses.
if env_flag("DJANGO_ALLOW_MACHINE_HOSTS"):
    ALLOWED_HOSTS += [host for host in machine_hosts() if host not in ALLOWED_HOSTS]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "resolutions.apps.TrackerAdminConfig",  # django.contrib.admin, on resolutions/admin_site.py
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "resolutions",
    "resolutions.history",
]
# A history row's reason holds a reviewer's comment when a note is sent back (resolutions/workflow.py):
# text of any length, not django-simple-history's 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache, so that a page served from the cache gets the header too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # One JSON line per request (static files apart), once every layer below has answered.
    "resolutions.logs.RequestLogMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # JSON for every error under /api/, an oversized body refused before anything reads it.
    "resolutions.api.errors.JsonErrorsMiddleware",
    # Anonymous visitors' public pages from the shared cache: inside CORS (whose headers depend on
    # the caller), outside everything that reads the session or renders a page.
    # The interface's language, from the address's prefix (/ru/…; none is English), before the page
    # cache: the cache resolves the address, which needs the prefix's language active.
    "django.middleware.locale.LocaleMiddleware",
    # The home page in the language the reader chose (its cookie), before the cache answers `/`.
    "resolutions.middleware.RememberedLanguageMiddleware",
    "resolutions.middleware.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the signed-in user on history rows written during a request (admin and API alike).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "tracker.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write-ahead logging lets readers and one writer work at once; NORMAL sync is safe with WAL.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache for every app server when REDIS_URL is set (redis://host:6379/0); this process's memory
# otherwise. It holds API throttle counts and anonymous visitors' public pages (resolutions/cache.py).
# CACHE_KEY_PREFIX keeps several sites apart in one Redis.
REDIS_URL = env("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache"
        if REDIS_URL
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": REDIS_URL or "tracker",
        "KEY_PREFIX": env("CACHE_KEY_PREFIX") or "tracker",
    }
}
# Browsers, proxies and CDNs may keep a public page this long (0: they revalidate every time).
PUBLIC_CACHE_SECONDS = int(env("PUBLIC_CACHE_SECONDS") or 60)
# The app keeps a public page until public content changes: up to a day in Redis; in local memory,
# which a publish in another worker process cannot reach, no longer than PUBLIC_CACHE_SECONDS.
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS") or (24 * 60 * 60 if REDIS_URL else PUBLIC_CACHE_SECONDS))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes counts failed sign-ins and refuses them after AXES_FAILURE_LIMIT, whatever the backend.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "1"))  # hours
# Lock the account name per address, so one address cannot lock everyone out by guessing names.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# No start-up banner in the logs of every process and command; sign-in events are logged (resolutions/logs.py).
AXES_VERBOSE = False
# The address a sign-in attempt comes from, as the API throttle sees it (see NUM_PROXIES).
AXES_CLIENT_IP_CALLABLE = "resolutions.addresses.client_address"
# Staff sessions end this many seconds after sign-in (default 8 hours) and when the browser closes.
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True


def time_zone(name):
    """The time zone staff read times in (an IANA name, e.g. Asia/Ashgabat); stored times stay UTC."""
    value = env(name).strip() or "UTC"
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        sys.exit(
            f"Configuration error: {name}={value} is not a time zone (use a name such as UTC or Asia/Ashgabat)."
        )
    return value


LANGUAGE_CODE = "en"
# The six official languages of the United Nations, each named in its own language, in the UN's order.
UN_LANGUAGES = [
    ("ar", "العربية"),
    ("zh", "中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language a reader chose with the switch, kept a year; the home page follows it (resolutions.middleware).
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"


def interface_languages():
    """The interface's languages: English (the words of the code) and every UN language whose catalogue
    the project holds (locale/<code>/LC_MESSAGES/django.po; `make` compiles it). A language without
    one is not offered at all: a Russian address with an English interface would mislead."""
    return [
        (code, name)
        for code, name in UN_LANGUAGES
        if code == LANGUAGE_CODE or (BASE_DIR / "locale" / code / "LC_MESSAGES" / "django.po").exists()
    ]


# English addresses carry no prefix (/notes/); the other languages' do (/ru/notes/): tracker/urls.py.
LANGUAGES = interface_languages()
TIME_ZONE = time_zone("DJANGO_TIME_ZONE")
USE_I18N = True
USE_TZ = True
# Dates and times as the UN writes them, "24 February 2023, 13:34 UTC" (tracker/formats/en/formats.py).
FORMAT_MODULE_PATH = ["tracker.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Without collectstatic (tests, a quick local run) WhiteNoise finds files where they are.
WHITENOISE_USE_FINDERS = True

# Behind a TLS-terminating proxy in production, switch these on with DJANGO_HTTPS=1.
if env_flag("DJANGO_HTTPS"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", "3600"))
    # HSTS for the site's own subdomains too (its host name's, e.g. *.tracker.example.org): on unless a
    # subdomain must still answer over plain HTTP.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
    # Asking browsers to preload HSTS binds the whole registered domain for months (it also needs
    # DJANGO_HSTS_SECONDS of a year and a submission to the preload list): the domain owner's call, off
    # by default. Either choice made here is deliberate, so `check --deploy` is not to warn about it.
    SECURE_HSTS_PRELOAD = env_flag("DJANGO_HSTS_PRELOAD")
    SILENCED_SYSTEM_CHECKS = [
        *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
        *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
    ]
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy on every answer (django-csp): scripts, styles, fonts and images from this
# site only, nothing inline (no 'unsafe-inline', no 'unsafe-eval', no nonce), no frames, no plugins.
# Swagger UI draws its icons as data: images; Django's admin and the API docs need nothing more.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# How many proxies of our own (load balancer, nginx) stand in front of the app servers, each appending
# the address it saw to X-Forwarded-For. 0: the header is ignored and the connection's address is the
# caller's. The API throttle, the sign-in lockout and the logs all use resolutions/addresses.py.
NUM_PROXIES = int(env("DJANGO_NUM_PROXIES") or 0)

# A spreadsheet waiting for its import to be confirmed is kept in the cache (shared by every app
# server with REDIS_URL), not in a local temporary folder that another server cannot see.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"

REST_FRAMEWORK = {
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # Staff integrations write with a token (one per staff user, made and revoked in the admin).
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "resolutions.api.pagination.PageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "resolutions.api.schema.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["resolutions.api.throttling.AnonymousRateThrottle"],
    # Generous by default: a dashboard refreshing every few seconds stays well inside it.
    "DEFAULT_THROTTLE_RATES": {"anon": env("API_ANON_THROTTLE_RATE", "10000/hour") or None},
    "PAGE_SIZE": 25,
    "NUM_PROXIES": NUM_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Resolution Tracker API",
    "DESCRIPTION": "UN resolutions paragraph by paragraph, and the published notes on their implementation.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Links from lists to their items and from a created note to it (resolutions/api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "resolutions.api.schema.add_links",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "NoteKindEnum": "resolutions.models.NoteKind",
        "EntityKindEnum": "resolutions.models.EntityKind",
        "ParagraphKindEnum": "resolutions.models.ParagraphKind",
        "AdoptionMethodEnum": "resolutions.models.AdoptionMethod",
    },
}
# Browser dashboards on any origin may read the API; API_CORS_ALLOWED_ORIGINS narrows it to a list.
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOWED_ORIGINS = env_list("API_CORS_ALLOWED_ORIGINS")
CORS_ALLOW_ALL_ORIGINS = not CORS_ALLOWED_ORIGINS
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

# Logs go to stdout, one JSON object a line (resolutions/logs.py): every request ("tracker.requests")
# and security events ("tracker.security": sign-ins, failures, lockouts, editorial moves of notes).
# DJANGO_LOG_FORMAT=text gives plain lines for reading in a terminal.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "resolutions.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "text" if env("DJANGO_LOG_FORMAT") == "text" else "json",
        },
        "null": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own request warnings ("Not Found: /x") repeat what tracker.requests says.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "ERROR"},
        # A refused Host header is one WARNING line of tracker.requests, not an error with a traceback.
        "django.security.DisallowedHost": {"handlers": ["null"], "propagate": False},
    },
}

# E-mail (the alerts readers subscribe to: resolutions/alerts.py). EMAIL_URL says it all in one address
# (tracker/email_url.py: smtp://, smtp+tls://, smtps://, file://, console://); else the usual EMAIL_HOST,
# EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL; with neither, messages
# are written to files in sent-mail/ in the project folder (development: nothing leaves the machine).
if env("EMAIL_URL"):
    try:
        globals().update(email_settings(env("EMAIL_URL")))
    except ValueError as error:
        sys.exit(f"Configuration error: EMAIL_URL: {error}.")
elif env("EMAIL_HOST"):
    EMAIL_BACKEND = SMTP
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = int(env("EMAIL_PORT") or 25)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
    EMAIL_USE_SSL = env_flag("EMAIL_USE_SSL")
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env("EMAIL_FILE_PATH") or str(BASE_DIR / "sent-mail")
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT") or 30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL") or "Resolution Tracker <alerts@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's address as subscribers reach it, for the links in messages send_alerts writes (no request
# to read it from): https://tracker.example.org.
SITE_URL = (env("SITE_URL") or "http://localhost:8000").rstrip("/")
# Abuse limits of the subscription forms: confirmation and "my alerts" messages to one address a day,
# and form submissions from one network address an hour.
ALERTS_MAILS_PER_ADDRESS_PER_DAY = int(env("ALERTS_MAILS_PER_ADDRESS_PER_DAY") or 3)
ALERTS_REQUESTS_PER_IP_PER_HOUR = int(env("ALERTS_REQUESTS_PER_IP_PER_HOUR") or 20)
