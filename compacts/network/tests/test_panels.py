"""The network's panels on the framework's objective and country pages."""

import pytest
from django.utils import timezone

from compacts.core.panels import render_panels
from compacts.network.panels import REPORT_SIZE, objective_context, report_objective_context
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
    """The network's panel returns no context (other apps' panels are theirs to test)."""
    objective = factories.ObjectiveFactory(number=3)
    assert objective_context(request=rf.get("/"), obj=objective) is None
    assert report_objective_context(request=rf.get("/"), obj=objective) is None


class TestTrackingReportPanels:
    """The tracking reports (HTML and PDF) show published practices for the objective or the
    country, with absolute links (the PDF has no page address to resolve them against)."""

    def test_objective_report_lists_published_practices(self, rf):
        objective = factories.ObjectiveFactory(number=15)
        other = factories.ObjectiveFactory(number=16)
        published = factories.PracticeFactory(
            title="Clinics on the route", state="published", published_at=timezone.now()
        )
        published.objectives.set([objective])
        draft = factories.PracticeFactory(title="A draft", state="draft")
        draft.objectives.set([objective])
        elsewhere = factories.PracticeFactory(
            title="Other objective", state="published", published_at=timezone.now()
        )
        elsewhere.objectives.set([other])
        html = render_panels("tracking-report-objective", objective, request=rf.get("/"))
        assert "Clinics on the route" in html
        assert "A draft" not in html
        assert "Other objective" not in html
        assert f'href="http://testserver/network/hub/practices/{published.pk}/"' in html
        assert "/network/hub/?objective=15" in html

    def test_country_report_lists_published_practices_without_a_request(self):
        practice = factories.PracticeFactory(
            title="Nurses' skills", state="published", published_at=timezone.now()
        )
        country = factories.CountryFactory(iso2="KE", name="Kenya")
        practice.countries.set([country])
        html = render_panels("tracking-report-country", country, request=None)
        assert "Nurses&#x27; skills" in html
        assert "(Kenya)" in html
        assert "?country=KE" in html

    def test_a_long_list_is_cut_and_says_so(self, rf):
        objective = factories.ObjectiveFactory(number=15)
        for n in range(REPORT_SIZE + 2):
            p = factories.PracticeFactory(
                title=f"Practice {n}", state="published", published_at=timezone.now()
            )
            p.objectives.set([objective])
        context = report_objective_context(request=rf.get("/"), obj=objective)
        assert context["practice_count"] == REPORT_SIZE + 2
        assert len(context["practices"]) == REPORT_SIZE
        html = render_panels("tracking-report-objective", objective, request=rf.get("/"))
        assert f"The {REPORT_SIZE} most recent are listed." in html
