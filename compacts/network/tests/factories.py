"""factory_boy factories of the network app (and the framework rows it needs)."""

import datetime

import factory
from django.utils import timezone

from compacts.actors.tests.factories import CountryFactory, OrganisationFactory, UserFactory
from compacts.framework.models import GcmObjective, GuidingPrinciple, Region
from compacts.network import models

__all__ = ["CountryFactory", "OrganisationFactory", "UserFactory"]


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("m49",)

    m49 = factory.Sequence(lambda n: f"9{n % 100:02d}")
    level = "region"
    name = factory.Sequence(lambda n: f"Region {n}")


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GcmObjective
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: n % 23 + 1)
    title = factory.LazyAttribute(lambda o: f"Objective {o.number}")
    short_label = factory.LazyAttribute(lambda o: f"Label {o.number}")
    commitment = "Commitment."
    paragraph = factory.LazyAttribute(lambda o: 16 + o.number)


class PrincipleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuidingPrinciple
        django_get_or_create = ("letter",)

    letter = factory.Sequence(lambda n: "abcdefghij"[n % 10])
    slug = factory.LazyAttribute(lambda o: f"principle-{o.letter}")
    name = factory.LazyAttribute(lambda o: f"Principle {o.letter}")


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Term
        django_get_or_create = ("vocabulary", "code")

    vocabulary = "theme"
    code = factory.Sequence(lambda n: f"term-{n}")
    name = factory.LazyAttribute(lambda o: o.code.replace("-", " ").title())


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.WorkingGroup

    code = factory.Sequence(lambda n: f"T{n}")
    name = factory.Sequence(lambda n: f"Working group {n}")
    kind = "thematic"


class ChampionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ChampionCountry

    country = factory.SubFactory(CountryFactory)


class CountryNetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CountryNetwork

    kind = "country"
    country = factory.SubFactory(CountryFactory)
    name = factory.LazyAttribute(lambda o: f"UN Network on Migration in {o.country.name}")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Event

    title = factory.Sequence(lambda n: f"Webinar {n}")
    event_type = factory.SubFactory(TermFactory, vocabulary="event-type", code="webinar")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    registration_deadline = factory.LazyAttribute(
        lambda o: o.starts_at - datetime.timedelta(days=1)
    )
    capacity = 20
    state = "open"


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CallForPractices

    title = factory.Sequence(lambda n: f"Call for practices {n}")
    theme = "Migration data"
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5))
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    state = "announced"


class PracticeFactory(factory.django.DjangoModelFactory):
    """A practice row; tests that search call ``search.index_practices`` (the services do)."""

    class Meta:
        model = models.Practice

    title = factory.Sequence(lambda n: f"Practice {n}")
    description = "A description."
    results = "Results."
    innovation = "Innovative."
    replicability = "Replicable."
    starts_on = datetime.date(2020, 1, 1)
    submitted_by = factory.SubFactory(UserFactory)


class SupportRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SupportRequest

    title = factory.Sequence(lambda n: f"Request {n}")
    country = factory.SubFactory(CountryFactory)
    description = "We ask for support."
