import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from resolutions.models import (
    Assessment,
    AssessmentStatus,
    Country,
    Entity,
    ImplementationNote,
    NoteState,
    Paragraph,
    ParagraphKind,
    Reference,
    Resolution,
    Theme,
)
from resolutions.subscriptions import Subscription


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    is_staff = True


class ResolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resolution

    session = "77"
    number = factory.Sequence(lambda n: str(500 + n))
    symbol = factory.LazyAttribute(lambda r: f"A/RES/{r.session}/{r.number}")
    title = factory.Sequence(lambda n: f"Test resolution {n}")
    adopted_on = datetime.date(2023, 2, 24)


class ParagraphFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paragraph

    resolution = factory.SubFactory(ResolutionFactory)
    kind = ParagraphKind.OPERATIVE
    order = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda p: str(p.order))
    lead_phrase = "Encourages"
    text = "the Regional Centre to continue its work;"


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entity

    name = factory.Sequence(lambda n: f"Partner {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImplementationNote
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Regional meeting {n}")
    body = "Staff met the Governments of the region."
    start_date = datetime.date(2024, 5, 1)
    state = NoteState.PUBLISHED

    @factory.post_generation
    def paragraphs(self, create, extracted, **kwargs):
        if create and extracted:
            self.paragraphs.set(extracted)

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create and extracted:
            self.countries.set(Country.objects.filter(alpha3__in=extracted))

    @factory.post_generation
    def sealed(self, create, extracted, **kwargs):
        """Made as if reviewed: its content recorded, with no last editor (Reviewed.seal_content)."""
        if create:
            self.seal_content()


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    paragraph = factory.SubFactory(ParagraphFactory)
    status = AssessmentStatus.IN_PROGRESS
    as_of = datetime.date(2024, 1, 1)
    rationale = "Work has begun."
    state = NoteState.PUBLISHED

    @factory.post_generation
    def sealed(self, create, extracted, **kwargs):
        if create:
            self.seal_content()


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A confirmed e-mail alert, confirmed an hour ago (so items published now are new to it)."""

    class Meta:
        model = Subscription

    email = factory.Sequence(lambda n: f"reader{n}@example.net")
    topic = "notes"
    query = ""
    confirmed_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))


def subjects_of(resolution, *terms):
    """Attach subjects given as (scheme, name) or ("sdg", goal number), made when missing."""
    from django.utils.text import slugify

    from resolutions.models import Subject
    from resolutions.sdg import SDG_GOALS

    for scheme, value in terms:
        code, name = (value, SDG_GOALS[value]) if scheme == "sdg" else ("", value)
        slug = slugify(f"{scheme}-{name}") + ("-lower" if name.islower() else "")
        subject, _ = Subject.objects.get_or_create(
            scheme=scheme, name=name, defaults={"code": code, "slug": slug}
        )
        resolution.subjects.add(subject)


def recorded_vote(resolution, votes, **totals):
    """Record `votes` (the UN's name of a State -> yes/no/abstain) on `resolution`, matched to countries."""
    from resolutions.countries import match_country
    from resolutions.models import AdoptionMethod, CountryVote

    countries = dict(Country.objects.values_list("alpha3", "pk"))
    CountryVote.objects.bulk_create(
        CountryVote(
            resolution=resolution, name=name, vote=vote, country_id=countries.get(match_country(name))
        )
        for name, vote in votes.items()
    )
    Resolution.objects.filter(pk=resolution.pk).update(adoption_method=AdoptionMethod.RECORDED_VOTE, **totals)


def cites(resolution, *documents, paragraph=None):
    """References from ``resolution`` to ``documents`` (held resolutions, or symbols of documents not
    held here), as the importer records them."""
    return Reference.objects.bulk_create(
        Reference(
            resolution=resolution,
            paragraph=paragraph,
            symbol=getattr(document, "symbol", document),
            target=document if isinstance(document, Resolution) else None,
        )
        for document in documents
    )


def staff_member(role, **fields):
    """A staff user in one of the roles ("editor", "reviewer", "administrator")."""
    from django.contrib.auth.models import Group

    from resolutions.workflow import ROLE_GROUPS

    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    return user
