"""Services that change what the public sees announce "tracking" (compacts.core.changes), so
cached figures and pages follow at once; refused changes announce nothing."""

from datetime import date

import pytest

from compacts.core.changes import versions
from compacts.core.exceptions import ApplicationError
from compacts.tracking.services import cycle, indicators, pledges
from compacts.tracking.tests import factories as f
from compacts.tracking.tests import scenario

pytestmark = pytest.mark.django_db


def tracking_version() -> int:
    return versions("tracking")["tracking"]


class AnnounceTests:
    def test_public_changes_raise_the_tracking_version(self, django_capture_on_commit_callbacks):
        data = scenario.build()
        steps = [
            lambda: pledges.pledge_status_update_create(
                pledge=data.health_pledges[0], progress="in-progress", narrative="Half paid.",
                actor=data.focal,
            ),
            lambda: pledges.pledge_transition(
                pledge=data.other_pledge, to="withdrawn", actor=data.secretariat, note="Ended."
            ),
            lambda: pledges.pledge_link_fund_contribution(
                pledge=data.health_pledges[0], contribution_id=7, actor=data.secretariat
            ),
            lambda: indicators.indicator_set_target(
                indicator=data.indicator, target_value=90, target_year=2030,
                actor=data.secretariat,
            ),
            lambda: indicators.health_inclusion_record(
                country=data.nigeria, assessed_on=date(2025, 2, 1), health_plan="no",
                vaccination_plan="no", source="Survey", actor=data.secretariat,
            ),
        ]  # fmt: skip
        for step in steps:
            before = tracking_version()
            with django_capture_on_commit_callbacks(execute=True):
                step()
            assert tracking_version() == before + 1

    def test_a_refused_change_announces_nothing(self, django_capture_on_commit_callbacks):
        data = scenario.build()
        before = tracking_version()
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApplicationError):
            pledges.pledge_transition(pledge=data.draft, to="published", actor=data.secretariat)
        assert tracking_version() == before

    def test_publishing_a_submission(self, django_capture_on_commit_callbacks):
        secretariat = f.secretariat_user()
        from compacts.tracking.models import ImrfEdition

        edition = ImrfEdition.objects.create(year=2026, title="IMRF 2026")
        org = f.organisation("Migrant Voices", "migrant-diaspora")
        author = f.user(roles=[("stakeholder-contributor", org)])
        submission = cycle.submission_create(
            organisation=org, title="Input", text="Text", actor=author, imrf_edition=edition
        )
        before = tracking_version()
        with django_capture_on_commit_callbacks(execute=True):
            cycle.submission_publish(submission=submission, actor=secretariat)
        assert tracking_version() == before + 1
