"""The network's panels on the framework's objective and country pages."""

import pytest
from django.utils import timezone

from compacts.core.panels import render_panels
from compacts.network.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def rf(rf):
    from django.contrib.auth.models import AnonymousUser

    class Factory:
        def get(self, path):
            request = rf.get(path)
            request.user = AnonymousUser()
            return request

    return Factory()


def test_objective_panel_lists_published_practices_only(rf):
    objective = factories.ObjectiveFactory(number=15)
    published = factories.PracticeFactory(
        title="Clinics", state="published", published_at=timezone.now()
    )
    published.objectives.set([objective])
    draft = factories.PracticeFactory(title="Secret draft", state="draft")
    draft.objectives.set([objective])
    html = render_panels("gcm-objective", objective, request=rf.get("/"))
    assert "Clinics" in html
    assert "Secret draft" not in html
    assert "?objective=15" in html


def test_country_panel_shows_the_network(rf):
    network = factories.CountryNetworkFactory(name="Network in Kenya")
    html = render_panels("country", network.country, request=rf.get("/"))
    assert "Network in Kenya" in html


def test_nothing_to_show_renders_nothing(rf):
    objective = factories.ObjectiveFactory(number=3)
    assert "UN Network on Migration" not in render_panels(
        "gcm-objective", objective, request=rf.get("/")
    )
