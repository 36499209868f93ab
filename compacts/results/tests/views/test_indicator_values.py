"""The indicator values screen: the programme's people report actuals against targets per
period, with evidence; the Management Unit approves or returns them. Bad input is named and
kept; evidence is checked and only ever downloaded."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from compacts.core.models import AuditRecord
from compacts.programmes.models import Programme
from compacts.programmes.tests import factories as f
from compacts.programmes.workflows.programme import State
from compacts.results import services
from compacts.results.models import IndicatorUpdate
from compacts.results.reference import load_reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    load_reference(stdout=io.StringIO())
    w = f.world()
    programme = f.concept_note(w)
    Programme.objects.filter(pk=programme.pk).update(
        state=State.ACTIVE, starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2027, 6, 30)
    )
    programme.refresh_from_db()
    outcome = services.outcome_add(
        programme=programme, code="1", statement="Better data", actor=w.submitter
    )
    indicator = services.indicator_add(
        programme=programme,
        outcome=outcome,
        code="1.1",
        name="Officials trained",
        unit="people",
        baseline_value="0",
        baseline_period="2025",
        dimensions=["sex"],
        actor=w.submitter,
    )
    services.target_set(indicator=indicator, period="2026", value="120", actor=w.submitter)
    return w, programme, indicator


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class IndicatorValuesScreenTests:
    def test_a_bad_value_is_named_and_the_input_kept(self, setup):
        w, programme, indicator = setup
        response = client_for(w.submitter).post(
            f"/results/programmes/{programme.pk}/values/",
            {
                "form": "report",
                "indicator": indicator.pk,
                "period": "2026",
                "dim-sex": "female",
                "value": "N/A",
                "note": "Attendance sheets",
            },
        )
        body = response.content.decode()
        assert response.status_code == 400
        assert "N/A is not a number." in body
        assert "Attendance sheets</textarea>" in body
        assert '<option value="female" selected>' in body
        assert not IndicatorUpdate.objects.exists()
        bad_period = client_for(w.submitter).post(
            f"/results/programmes/{programme.pk}/values/",
            {"form": "report", "indicator": indicator.pk, "period": "last year", "value": "3"},
        )
        assert "Give the period as a year" in bad_period.content.decode()

    def test_a_value_with_evidence_is_submitted_approved_and_shown_against_its_target(self, setup):
        w, programme, indicator = setup
        url = f"/results/programmes/{programme.pk}/values/"
        response = client_for(w.focal_points[0]).post(
            url,
            {
                "form": "report",
                "indicator": indicator.pk,
                "period": "2026",
                "value": "64",
                "note": "Attendance sheets",
                "evidence": SimpleUploadedFile("sheets.pdf", f.PDF, "application/pdf"),
            },
        )
        assert response.status_code == 302
        update = IndicatorUpdate.objects.get()
        assert (update.state, update.evidence_name) == ("submitted", "sheets.pdf")
        download = client_for(w.officer).get(f"/results/values/{update.pk}/evidence/")
        assert download["Content-Disposition"].startswith("attachment;")
        assert download["X-Content-Type-Options"] == "nosniff"
        assert (
            client_for(w.submitter)
            .post(url, {"form": "review", "update": update.pk, "to": "approved"})
            .status_code
            == 403
        )
        officer = client_for(w.officer)
        returned = officer.post(url, {"form": "review", "update": update.pk, "to": "returned"})
        assert "a note is required" in returned.content.decode()
        officer.post(url, {"form": "review", "update": update.pk, "to": "approved"})
        update.refresh_from_db()
        assert update.state == "approved"
        page = officer.get(url).content.decode()
        assert "120" in page
        assert "64" in page
        assert AuditRecord.objects.filter(action="results.update.submit").exists()

    def test_evidence_of_the_wrong_type_is_refused(self, setup):
        w, programme, indicator = setup
        response = client_for(w.submitter).post(
            f"/results/programmes/{programme.pk}/values/",
            {
                "form": "report",
                "indicator": indicator.pk,
                "period": "2026-Q2",
                "value": "10",
                "evidence": SimpleUploadedFile("x.pdf", b"MZ not a pdf", "application/pdf"),
            },
        )
        assert response.status_code == 400
        assert "The content of x.pdf is not a PDF file." in response.content.decode()
        assert not IndicatorUpdate.objects.exists()

    def test_people_of_other_organisations_cannot_report(self, setup):
        from compacts.actors import roles
        from compacts.actors.testing import user_with_role

        _w, programme, _indicator = setup
        outsider = user_with_role(roles.PUNO_FOCAL_POINT, f.un_entity())
        assert (
            client_for(outsider).get(f"/results/programmes/{programme.pk}/values/").status_code
            == 403
        )
