"""Services that change what the public sees announce it (``compacts.core.changes``) after
their transaction commits: a transition, a budget, a Committee decision, a results value. A
refused change announces nothing."""

import datetime
import io

import pytest

from compacts.core.changes import versions
from compacts.core.exceptions import ApplicationError
from compacts.programmes import services
from compacts.programmes.models import Programme
from compacts.programmes.tests import factories as f
from compacts.programmes.workflows.programme import State
from compacts.results import services as results
from compacts.results.reference import load_reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return f.world()


def version(topic: str) -> int:
    return versions(topic)[topic]


def invited(w):
    programme = f.concept_note(w)
    Programme.objects.filter(pk=programme.pk).update(state=State.INVITED)
    programme.refresh_from_db()
    return programme


class AnnounceTests:
    def test_a_transition_announces_programmes(self, w, django_capture_on_commit_callbacks):
        programme = f.concept_note(w)
        before = version("programmes")
        with django_capture_on_commit_callbacks(execute=True):
            services.concept_note_submit(programme=programme, actor=w.submitter)
        assert version("programmes") == before + 1

    def test_a_refused_transition_announces_nothing(self, w, django_capture_on_commit_callbacks):
        programme = f.concept_note(w, complete=False)
        before = version("programmes")
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApplicationError):
            services.concept_note_submit(programme=programme, actor=w.submitter)
        assert version("programmes") == before

    def test_a_budget_announces_programmes(self, w, django_capture_on_commit_callbacks):
        programme = invited(w)
        before = version("programmes")
        with django_capture_on_commit_callbacks(execute=True):
            services.budget_set(
                programme=programme, lines=f.budget_lines(w), total="428000.00", actor=w.submitter
            )
        assert version("programmes") == before + 1

    def test_a_decision_announces_programmes(self, w, django_capture_on_commit_callbacks):
        programme = f.concept_note(w)
        Programme.objects.filter(pk=programme.pk).update(state=State.COMMITTEE_REVIEW)
        members = f.committee(w)
        meeting = f.meeting(w, members)
        item = services.agenda_item_add(meeting=meeting, programme=programme, actor=w.officer)
        before = version("programmes")
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            services.decision_record(agenda_item=item, outcome="endorse", actor=w.officer)
        # The decision and the move it makes each announce; versions rise once per commit call.
        assert version("programmes") == before + 2
        assert len(callbacks) >= 2

    def test_an_approved_value_announces_results(self, w, django_capture_on_commit_callbacks):
        load_reference(stdout=io.StringIO())
        programme = f.concept_note(w)
        Programme.objects.filter(pk=programme.pk).update(
            state=State.ACTIVE, starts_on=datetime.date(2026, 1, 1)
        )
        programme.refresh_from_db()
        outcome = results.outcome_add(
            programme=programme, code="1", statement="Data", actor=w.submitter
        )
        indicator = results.indicator_add(
            programme=programme,
            outcome=outcome,
            code="1.1",
            name="Plans",
            unit="plans",
            baseline_value="0",
            baseline_period="2025",
            actor=w.submitter,
        )
        update = results.indicator_update_submit(
            indicator=indicator, period="2026", value="2", actor=w.submitter
        )
        before = version("results")
        with django_capture_on_commit_callbacks(execute=True):
            results.indicator_update_approve(update=update, actor=w.officer)
        assert version("results") == before + 1
