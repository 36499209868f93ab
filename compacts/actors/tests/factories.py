"""factory_boy factories of the actors app (and the framework rows they need)."""

import factory
from django.contrib.auth import get_user_model
from faker import Faker

from compacts.actors.models import Membership, Organisation, Role, StakeholderCategory
from compacts.actors.roles import ROLES

faker = Faker()


class CountryFactory(factory.django.DjangoModelFactory):
    """A framework.Country; tests pick distinct codes with ``iso2=``/``m49=`` when they matter."""

    class Meta:
        model = "framework.Country"
        django_get_or_create = ("iso2",)

    iso2 = factory.Sequence(lambda n: f"{chr(65 + (n // 26) % 26)}{chr(65 + n % 26)}")
    iso3 = factory.LazyAttribute(lambda o: f"{o.iso2}X")
    m49 = factory.Sequence(lambda n: f"{(n % 900) + 100}")
    name = factory.LazyAttribute(lambda o: f"Country {o.iso2}")
    names = factory.LazyAttribute(lambda o: {"fr": f"Pays {o.iso2}", "ar": f"بلد {o.iso2}"})
    in_m49 = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user-{n}")
    first_name = factory.LazyFunction(faker.first_name)
    last_name = factory.LazyFunction(faker.last_name)
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    short_name = factory.Sequence(lambda n: f"ORG{n}")
    category = StakeholderCategory.CIVIL_SOCIETY
    iati_type = "21"


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role
        django_get_or_create = ("code",)

    code = factory.Iterator([spec.code for spec in ROLES])
    name = factory.LazyAttribute(lambda o: o.code.replace("-", " ").capitalize())


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = factory.SubFactory(RoleFactory)
