import pytest

from compacts.actors import roles
from compacts.actors.testing import organisation_for_tests, user_with_role, user_without_role
from compacts.network.tests import factories


@pytest.fixture
def secretariat(db):
    return user_with_role(roles.NETWORK_SECRETARIAT, username="secretariat")


@pytest.fixture
def submitter(db):
    return user_with_role(roles.STAKEHOLDER_CONTRIBUTOR, username="submitter")


@pytest.fixture
def outsider(db):
    return user_without_role(username="outsider")


@pytest.fixture
def un_entity(db):
    return organisation_for_tests(name="Test UN entity")


@pytest.fixture
def hub_refs(db):
    """The framework rows a complete practice points to."""
    region = factories.RegionFactory(m49="002", name="Africa")
    country = factories.CountryFactory(
        iso2="KE", iso3="KEN", m49="404", name="Kenya", region=region
    )
    other = factories.CountryFactory(iso2="EC", iso3="ECU", m49="218", name="Ecuador")
    return {
        "region": region,
        "country": country,
        "other_country": other,
        "objective": factories.ObjectiveFactory(number=15),
        "objective_2": factories.ObjectiveFactory(number=1),
        "principle": factories.PrincipleFactory(letter="c"),
        "theme": factories.TermFactory(vocabulary="theme", code="health", name="Health"),
    }


def complete_data(refs, **overrides):
    data = {
        "title": "Mobile clinics for migrants",
        "summary": "Health services on the move.",
        "description": "Clinics reach migrants along the route.",
        "results": "12,000 consultations.",
        "innovation": "Shared records across borders.",
        "replicability": "Any corridor with partners.",
        "starts_on": __import__("datetime").date(2020, 3, 1),
        "countries": [refs["country"].pk],
        "objectives": [refs["objective"].pk],
        "principles": [refs["principle"].pk],
        "themes": [refs["theme"].pk],
    }
    data.update(overrides)
    return data
