"""Countries, themes and partners: each one's published notes, and a country's votes."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.http import Http404
from django.urls import reverse
from django.views.generic import DetailView

from resolutions.filters import linked
from resolutions.models import (
    Country,
    CountryVote,
    Entity,
    ImplementationNote,
    Resolution,
    Theme,
    VoteCast,
)
from resolutions.views.common import csv_response, operative_with_status, published_notes
from resolutions.views.mandates import mandated_paragraphs

# A country's votes, newest first: the order of the index resolution_newest.
VOTES_NEWEST = ("-adopted_on", "sort_key")


class VocabularyDetailView(DetailView):
    """A country, theme or partner: its latest published notes, and the paragraphs and resolutions
    those notes implement. Bounded: the notes list (linked) holds the rest."""

    note_lookup = None  # the ImplementationNote field that points at the object
    paginate_notes = 25

    def get_context_data(self, **kwargs):
        notes = published_notes().filter(linked(ImplementationNote, self.note_lookup, self.object))
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
        # The page's votes in two steps: the resolutions walked newest first along their index, each
        # asked whether the country voted on it (a lookup in the index on resolution and country),
        # until the page is full; then the country's votes on those. Sorting every vote of the
        # country by its resolution's date instead cost a lookup per vote (6,705 for KAZ at the
        # generated scale: 27-83 ms against 0.4 ms).
        voted_on = (
            Resolution.objects.filter(
                Exists(CountryVote.objects.filter(resolution=OuterRef("pk"), country=self.object))
            )
            .order_by(*VOTES_NEWEST)
            .values_list("pk", flat=True)
        )
        paginator = Paginator(voted_on, self.votes_per_page)
        paginator.count = sum(cast.values())
        page = paginator.get_page(self.request.GET.get("page"))
        ids = list(page.object_list)
        shown = votes.filter(resolution__in=ids).select_related("resolution")
        order = {pk: position for position, pk in enumerate(ids)}
        page.object_list = sorted(shown, key=lambda vote: (order[vote.resolution_id], vote.name))
        return super().get_context_data(
            votes=page,
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
        .order_by(
            *(
                f"-resolution__{field[1:]}" if field[0] == "-" else f"resolution__{field}"
                for field in VOTES_NEWEST
            ),
            "name",
        )
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
