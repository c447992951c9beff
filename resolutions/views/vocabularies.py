"""Countries, themes and partners: each one's published notes, and a country's votes."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.urls import reverse
from django.views.generic import DetailView

from resolutions.filters import linked_to
from resolutions.models import (
    Country,
    CountryVote,
    Entity,
    ImplementationNote,
    Theme,
    VoteCast,
)
from resolutions.views.common import csv_response, operative_with_status, published_notes
from resolutions.views.mandates import mandated_paragraphs


class VocabularyDetailView(DetailView):
    """A country, theme or partner: its latest published notes, and the paragraphs and resolutions
    those notes implement. Bounded: the notes list (linked) holds the rest."""

    note_lookup = None  # the ImplementationNote field that points at the object
    paginate_notes = 25

    def get_context_data(self, **kwargs):
        notes = published_notes().filter(linked_to(ImplementationNote, self.note_lookup, pk=self.object.pk))
        shown = list(notes[: self.paginate_notes])
        paragraph_ids = {paragraph.pk for note in shown for paragraph in note.paragraph_list}
        paragraphs = list(
            operative_with_status()
            .filter(pk__in=paragraph_ids)
            .select_related("resolution", "parent")
            .order_by("resolution__sort_key", "order")
        )
        resolutions = {paragraph.resolution_id: paragraph.resolution for paragraph in paragraphs}
        return super().get_context_data(
            notes=shown,
            note_count=self.object.published_note_count,  # kept in step by resolutions.counters
            paragraphs=paragraphs,
            related_resolutions=sorted(resolutions.values(), key=lambda resolution: resolution.sort_key),
            note_list_url=reverse("resolutions:note-list")
            + "?"
            + urlencode({self.note_filter_param: self.filter_value()}),
            note_csv_url=self.api_notes_url("csv"),
            note_json_url=self.api_notes_url("json"),
            **kwargs,
        )

    def api_notes_url(self, fmt):
        """Its published notes from the API, as the notes list filtered to it gives them."""
        query = urlencode({self.note_filter_param: self.filter_value(), "format": fmt})
        return f"{reverse('api:note-list')}?{query}"


class CountryDetailView(VocabularyDetailView):
    model = Country
    note_lookup = "countries"
    note_filter_param = "country"

    def get_object(self, queryset=None):
        country = Country.objects.filter(alpha3__iexact=self.kwargs["iso"]).first()
        if country is None:
            raise Http404("No country with that ISO 3166 code.")
        return country

    def filter_value(self):
        return self.object.alpha3.lower()

    votes_per_page = 25

    def get_context_data(self, **kwargs):
        votes = CountryVote.objects.filter(country=self.object)
        # Its totals, in the UN's order; their sum is the paginator's count (no second count).
        cast = dict(votes.order_by().values_list("vote").annotate(count=Count("pk")))
        totals = [(key, label, cast.get(key, 0)) for key, label in VoteCast.choices]
        newest = votes.select_related("resolution").order_by(
            "-resolution__adopted_on", "-resolution__sort_key"
        )
        paginator = Paginator(newest, self.votes_per_page)
        paginator.count = sum(cast.values())
        return super().get_context_data(
            votes=paginator.get_page(self.request.GET.get("page")),
            vote_totals=totals,
            vote_count=paginator.count,
            **kwargs,
        )


def country_votes_csv(request, iso):
    """Every recorded vote of a country, newest first, as in the table on its page."""
    country = Country.objects.filter(alpha3__iexact=iso).first()
    if country is None:
        raise Http404("No country with that ISO 3166 code.")
    votes = (
        CountryVote.objects.filter(country=country)
        .select_related("resolution")
        .order_by("-resolution__adopted_on", "-resolution__sort_key")
    )
    return csv_response(
        f"{country.alpha3.lower()}_votes.csv",
        ["symbol", "title", "adopted_on", "vote"],
        (
            [
                vote.resolution.symbol,
                vote.resolution.title,
                vote.resolution.adopted_on.isoformat() if vote.resolution.adopted_on else "",
                vote.get_vote_display(),
            ]
            for vote in votes.iterator(chunk_size=1000)
        ),
    )


class ThemeDetailView(VocabularyDetailView):
    model = Theme
    note_lookup = "themes"
    note_filter_param = "theme"

    def filter_value(self):
        return self.object.slug


class EntityDetailView(VocabularyDetailView):
    model = Entity
    note_lookup = "entities"
    note_filter_param = "entity"
    addressed_shown = 10  # the first, in resolution order; the mandates page lists them all

    def filter_value(self):
        return self.object.slug

    def get_context_data(self, **kwargs):
        """Also the operative paragraphs whose mandate addresses it."""
        addressed = (
            mandated_paragraphs().prefetch_related(None).filter(mandate__in=self.object.mandates.values("pk"))
        )
        shown = list(addressed[: self.addressed_shown + 1])
        query = urlencode({"addressee_entity": self.object.slug})
        return super().get_context_data(
            addressed=shown[: self.addressed_shown],
            addressed_more=len(shown) > self.addressed_shown,
            addressed_url=f"{reverse('resolutions:mandate-list')}?{query}",
            **kwargs,
        )
