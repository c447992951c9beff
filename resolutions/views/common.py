"""What every public page shares: the list view driven by a shared FilterSet, the published
notes and operative paragraphs pages read, the language a text is shown in, small CSV downloads."""

import csv
import datetime

from django import forms
from django.conf import settings
from django.db import models
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import translate_url
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import ListView

from resolutions.models import ImplementationNote, Paragraph

# The six official languages of the United Nations, named in their own language.
LANGUAGE_NAMES = dict(settings.UN_LANGUAGES)
RTL_LANGUAGES = {"ar", "fa", "he", "ur"}


def interface_text_language():
    """The interface's language as the texts' code ("ru"; "zh" for Chinese, whatever its variant)."""
    return (translation.get_language() or "").split("-")[0].lower()


# The same, named in the interface's language: "This resolution is not held in Russian".
LANGUAGE_NAMES_TRANSLATED = {
    "ar": gettext_lazy("Arabic"),
    "zh": gettext_lazy("Chinese"),
    "en": gettext_lazy("English"),
    "fr": gettext_lazy("French"),
    "ru": gettext_lazy("Russian"),
    "es": gettext_lazy("Spanish"),
}


def language_name(code):
    """A UN language's name in the interface's language ("Russian"; "русский" in Russian)."""
    return str(LANGUAGE_NAMES_TRANSLATED.get(code, LANGUAGE_NAMES.get(code, code)))


def text_language(resolution, languages, requested, interface=""):
    """How a resolution's pages show its text: in the language asked for (?lang=) where it is held,
    else in the interface's language (`interface`) where held, else in its primary language. Gives
    the code and direction, the language switch, the query that carries the language on links between
    the resolution's pages (none for the language shown without ?lang=), the page's language and
    direction (<html lang dir>, base.html): those of the text shown, and `text_language_note` when the
    language wanted (asked for, else the interface's) is not held: {"wanted", "wanted_name", "shown",
    "shown_name"} (names in the interface's language), for "This resolution is not held in Russian;
    shown in English"."""
    primary = resolution.language if resolution.language in languages else languages[0]
    default = interface if interface in languages else primary
    language = requested if requested in languages else default
    direction = "rtl" if language in RTL_LANGUAGES else "ltr"
    wanted = requested if requested in LANGUAGE_NAMES else interface
    note = None
    if wanted in LANGUAGE_NAMES and wanted != language:
        note = {
            "wanted": wanted,
            "wanted_name": language_name(wanted),
            "shown": language,
            "shown_name": language_name(language),
        }
    return {
        "language": language,
        "language_dir": direction,
        "languages": [(code, LANGUAGE_NAMES.get(code, code)) for code in languages],
        "lang_query": "" if language == default else f"?lang={language}",
        "page_language": language,
        "page_dir": direction,
        "text_language_note": note,
    }


@never_cache
def choose_language(request, code):
    """The language switch's links: remembers the reader's choice (the language cookie, which the
    home page follows: resolutions.middleware.RememberedLanguageMiddleware) and goes on to the page
    asked for (`next`, an address of this site) in that language."""
    if code not in dict(settings.LANGUAGES):
        raise Http404("No such language of the interface")
    page = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(page, allowed_hosts={request.get_host()}, require_https=False):
        page = "/"
    # The address resolves in its own language (its prefix, none for English).
    with translation.override(translation.get_language_from_path(page) or settings.LANGUAGE_CODE):
        response = HttpResponseRedirect(translate_url(page, code))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    return response


def favicon(request):
    """Browsers and feed readers ask for /favicon.ico whatever a page names: the icon the pages name."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def published_notes(sources=False):
    """Published notes with what a note card shows, in a fixed number of queries."""
    return ImplementationNote.objects.published().with_links(sources=sources)


def operative_with_status():
    """Operative paragraphs with their current status (and, stored on each, how many published notes
    they have: published_note_count)."""
    return Paragraph.objects.operative().with_current_status()


class FilteredListView(ListView):
    """A list driven by one of the shared FilterSets. Invalid values become form errors shown on
    the page (with no rows), never a server error. htmx requests get the results only.

    The form is dressed for people here, not in the FilterSet (whose labels and help the API's schema
    shows): `labels` and `help_texts` replace a field's; `counted` menus offer only the vocabulary
    rows with published notes, with how many (their stored counters: no count over the notes)."""

    filterset_class = None
    results_template_name = None
    date_fields = ()
    labels = {}
    help_texts = {}
    counted = {}  # field name -> vocabulary model with a published_note_count
    ordering_labels = {}
    lower_case_codes = ()  # fields whose codes are written in lower case in links (country=kaz)
    hidden = ()  # fields the page does not offer, kept (as hidden inputs) when a link gives them

    def get_base_queryset(self):
        raise NotImplementedError

    def filter_data(self):
        if not self.request.GET:
            return None
        data = self.request.GET.copy()
        for name in self.lower_case_codes:
            if name in data:
                data[name] = data[name].strip().lower()
        return data

    @cached_property
    def filterset(self):
        filterset = self.filterset_class(self.filter_data(), queryset=self.get_base_queryset())
        for name in self.date_fields:
            filterset.form.fields[name].widget.input_type = "date"
        for name, field in filterset.form.fields.items():
            field.label = self.labels.get(name, field.label)
            field.help_text = self.help_texts.get(name, field.help_text)
            # One "Any" choice, never a row of dashes as well.
            if isinstance(field, forms.ModelChoiceField):
                field.empty_label = _("Any")
            elif isinstance(field, forms.NullBooleanField):
                field.widget = forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))])
            elif isinstance(field, forms.ChoiceField):
                # With a text query, the list is ranked unless an order is chosen.
                newest = _("Best match first") if self.request.GET.get("q", "").strip() else _("Newest first")
                empty = newest if name == "ordering" else _("Any")
                choices = [
                    (key, self.ordering_labels.get(key, label) if name == "ordering" else label)
                    for key, label in field.choices
                    if key != ""
                ]
                if hasattr(field, "empty_label"):  # django-filter's fields add their own blank choice
                    field.empty_label = empty
                    field.choices = choices
                else:
                    field.choices = [("", empty), *choices]
        for name, model in self.counted.items():
            self.offer_counted(filterset.form, name, model)
        for name in self.hidden:
            filterset.form.fields[name].widget = forms.HiddenInput()
        return filterset

    def offer_counted(self, form, name, model):
        """The menu of `name`: "Any", then the rows with published notes, "Kazakhstan (4)"; the one
        chosen stays there even if it has none (one query, on the stored counters)."""
        field = form.fields[name]
        key = field.to_field_name or "pk"
        offered = list(model.objects.filter(published_note_count__gt=0))
        chosen = form.data.get(name, "") if form.is_bound else ""

        def code(row):
            value = str(getattr(row, key))
            return value.lower() if name in self.lower_case_codes else value

        choices = [(code(row), f"{row} ({row.published_note_count})") for row in offered]
        if chosen and chosen not in {value for value, _ in choices} and form.is_valid():
            row = form.cleaned_data.get(name)
            if row is not None:
                choices.append((code(row), f"{row} ({row.published_note_count})"))
        field.widget.choices = [("", _("Any")), *choices]

    def get_queryset(self):
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    @cached_property
    def partial(self):
        """An htmx request: the results only (and, out of band, the form's count of filters in use)."""
        return bool(self.request.headers.get("HX-Request") and not self.request.headers.get("HX-Boosted"))

    def get_template_names(self):
        return [self.results_template_name] if self.partial else super().get_template_names()

    def active_filters(self):
        """The filters in use, as chips: what is chosen, in words, and the list's link without it."""
        form = self.filterset.form
        cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
        chips = []
        for name, field in form.fields.items():
            raw = self.request.GET.get(name, "").strip()
            if not raw or name == "ordering":
                continue
            value = cleaned.get(name, raw)
            if isinstance(value, models.Model):
                value = str(value)
            elif isinstance(value, datetime.date):
                value = date_format(value)
            elif isinstance(value, bool):
                value = _("Yes") if value else _("No")
            elif getattr(field.widget, "choices", None):  # a menu: its label, "General Assembly"
                value = {str(key): label for key, label in field.widget.choices}.get(str(value), value)
            params = self.request.GET.copy()
            params.pop(name)
            params.pop("page", None)
            query = params.urlencode()
            chips.append(
                {
                    "label": field.label,
                    "value": value,
                    "remove_url": f"?{query}" if query else self.request.path,
                }
            )
        return chips

    def get_context_data(self, **kwargs):
        form = self.filterset.form
        return super().get_context_data(
            filter=self.filterset,
            form=form,
            active_filters=self.active_filters(),
            partial=self.partial,
            ranked=self.filterset.ranked,
            **kwargs,
        )


def csv_response(filename, header, rows):
    """A small CSV download (a vote's 193 rows, a country's few thousand votes), written at once."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
