"""EMAIL_URL: the whole e-mail configuration in one variable, as DATABASE_URL is for the database.

    smtp://user:password@mail.example.org:25        plain SMTP (port 25 by default)
    smtp+tls://user:password@mail.example.org:587   SMTP with STARTTLS (587 by default; also submission://)
    smtps://user:password@mail.example.org:465      SMTP over TLS (465 by default)
    file:///var/spool/tracker-mail                  one file a message in that folder (development)
    console://                                      messages printed on stdout

The user name and password are percent-encoded in the URL (an "@" in a user name is %40). Parsed here
rather than with a package: the six lines of dj-email-url's job are not worth a dependency.
"""

from urllib.parse import unquote, urlsplit

SMTP = "django.core.mail.backends.smtp.EmailBackend"
SCHEMES = {"smtp": (25, False, False), "smtp+tls": (587, True, False), "submission": (587, True, False)}
SCHEMES["smtps"] = (465, False, True)


def email_settings(url):
    """The Django EMAIL_* settings that `url` describes; ValueError with a readable reason if none."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "file":
        if not parts.path or parts.path == "/":
            raise ValueError("a file:// address needs a folder, e.g. file:///var/spool/tracker-mail")
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": parts.path,
        }
    if scheme not in SCHEMES:
        raise ValueError(
            f"{scheme or 'no'} scheme: use smtp://, smtp+tls://, smtps://, file:// or console://"
        )
    if not parts.hostname:
        raise ValueError("an smtp address needs a host name, e.g. smtp://mail.example.org")
    default_port, use_tls, use_ssl = SCHEMES[scheme]
    try:
        port = parts.port or default_port
    except ValueError as error:
        raise ValueError(f"the port is not a number ({error})") from None
    return {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }
