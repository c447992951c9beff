"""Reading UN resolutions: pick the format, parse to dataclasses (pure), load to rows (loader)."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from resolutions.importer.parsed import NotAResolution, ParsedResolution, ParseError

FORMATS = ("markdown", "text", "akn")
# Each format in the words staff use for it.
FORMAT_NAMES = {
    "akn": _("UN XML (Akoma Ntoso)"),
    "text": _("PDF text (copied or extracted from the official PDF)"),
    "markdown": _("Markdown"),
    "akn-export": _("Akoma Ntoso exported by this tracker (never replaces a source)"),
}
# The six official languages of the United Nations, the only ones its resolutions are issued in.
OFFICIAL_LANGUAGES = {
    "ar": _("Arabic"),
    "zh": _("Chinese"),
    "en": _("English"),
    "fr": _("French"),
    "ru": _("Russian"),
    "es": _("Spanish"),
}


def accepted_language(header: str) -> str:
    """The first of the six official languages an Accept-Language header asks for ("ru-RU,ru;q=0.9,
    en;q=0.8" -> "ru"), or "" when it asks for none of them."""
    from django.utils.translation.trans_real import parse_accept_lang_header

    for tag, _quality in parse_accept_lang_header(header or ""):
        code = tag.split("-")[0].lower()
        if code in OFFICIAL_LANGUAGES:
            return code
    return ""


def _parser(fmt: str):
    # Imported here so that each parser module loads only when its format is used.
    if fmt == "markdown":
        from resolutions.importer import markdown as module
    elif fmt == "text":
        from resolutions.importer import pdftext as module
    elif fmt == "akn":
        from resolutions.importer import akn as module
    else:
        raise ParseError(
            gettext("unknown format %(format)r; choose one of %(formats)s")
            % {"format": fmt, "formats": ", ".join(FORMATS)}
        )
    return module


def detect_format(text: str) -> str:
    """Which of FORMATS a text is in; ParseError if it looks like none of them."""
    from resolutions.importer import akn

    if akn.declares_doctype(text):
        raise ParseError(akn.DOCTYPE_REFUSED)
    for fmt in ("akn", "markdown", "text"):
        if _parser(fmt).looks_like(text):
            return fmt
    raise ParseError(
        gettext("not a resolution in any format the importer reads (Akoma Ntoso XML, Markdown, PDF text)")
    )


def read_text(path: Path) -> str:
    """The text of a file, or ParseError saying why it cannot be read as text."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ParseError(
            gettext("cannot read the file: %(reason)s") % {"reason": error.strerror or error}
        ) from error
    if not data.strip():
        raise ParseError(gettext("the file is empty"))
    if b"\x00" in data[:4096]:
        raise ParseError(gettext("the file is binary, not text"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ParseError(
            gettext("the file is not UTF-8 text (byte %(byte)s)") % {"byte": error.start}
        ) from error


def parse_all(text: str, fmt: str = "auto") -> list[ParsedResolution]:
    """Every resolution in a text (one document may hold parts A, B, ...), detecting the format."""
    if not text.strip():
        raise ParseError(gettext("the text is empty"))
    if fmt == "auto":
        fmt = detect_format(text)
    module = _parser(fmt)
    documents = module.parse_all(text) if hasattr(module, "parse_all") else [module.parse(text)]
    for parsed in documents:
        if parsed.language not in OFFICIAL_LANGUAGES:
            official = ", ".join(f"{name} ({code})" for code, name in OFFICIAL_LANGUAGES.items())
            raise ParseError(
                gettext(
                    "%(symbol)s: the text is in %(language)r, not an official language of the "
                    "United Nations; the tracker takes only the six: %(official)s"
                )
                % {"symbol": parsed.symbol, "language": parsed.language, "official": official}
            )
        if not parsed.operative:
            raise ParseError(
                gettext("%(symbol)s: no operative paragraph found; this does not look like a resolution")
                % {"symbol": parsed.symbol}
            )
    return documents


def parse(text: str, fmt: str = "auto") -> ParsedResolution:
    """The one resolution in a text; ParseError if it holds none or several."""
    documents = parse_all(text, fmt)
    if len(documents) != 1:
        symbols = ", ".join(parsed.symbol for parsed in documents)
        raise ParseError(
            ngettext(
                "the text holds %(count)d resolution (%(symbols)s)",
                "the text holds %(count)d resolutions (%(symbols)s)",
                len(documents),
            )
            % {"count": len(documents), "symbols": symbols}
        )
    return documents[0]


def parse_file(path: Path, fmt: str = "auto") -> list[ParsedResolution]:
    """Every resolution in a file."""
    return parse_all(read_text(Path(path)), fmt)


__all__ = [
    "FORMATS",
    "OFFICIAL_LANGUAGES",
    "NotAResolution",
    "ParseError",
    "ParsedResolution",
    "detect_format",
    "parse",
    "parse_all",
    "parse_file",
    "read_text",
]
