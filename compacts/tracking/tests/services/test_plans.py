"""National plans (versions, actions, progress) and voluntary national reviews."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from compacts.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from compacts.tracking.models import ImrfEdition, PlanVersion
from compacts.tracking.services import plans as services
from compacts.tracking.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def morocco():
    return f.country()


@pytest.fixture
def government(morocco):
    org = f.organisation("Government of Morocco", country_obj=morocco)
    return f.user(roles=[("government-focal-point", org)])


@pytest.fixture
def secretariat():
    return f.secretariat_user()


def new_version(plan, actor, **kw):
    return services.plan_version_create(
        plan=plan,
        data=services.PlanVersionInput(period_start=2022, period_end=2026, **kw),
        actor=actor,
    )


class PlanTests:
    def test_versions_actions_and_progress(self, morocco, government, secretariat):
        """Draft v1 with an action, submit, publish; open v2 (actions copied), publish it:
        v1 is superseded; progress on an action of the published plan updates its status."""
        plan = services.national_plan_create(
            country=morocco, title="National GCM plan", actor=government
        )
        v1 = new_version(plan, government, includes_migrant_health=True)
        with pytest.raises(ConflictError):
            services.plan_version_transition(version=v1, to="submitted", actor=government)
        action = services.plan_action_create(
            version=v1,
            data=services.PlanActionInput(
                title="Health insurance for migrants",
                lead_ministry="Ministry of Health",
                objectives=[f.objective(15)],
                principles=[f.principle("f")],
                gcm_actions=[f.action("15e")],
            ),
            actor=government,
        )
        services.plan_version_transition(version=v1, to="submitted", actor=government)
        with pytest.raises(PermissionDeniedError):
            services.plan_version_transition(version=v1, to="published", actor=government)
        services.plan_version_transition(version=v1, to="published", actor=secretariat)
        update = services.plan_progress_update_create(
            action=action,
            status="ongoing",
            narrative="Decree drafted.",
            progress_percent=40,
            actor=government,
        )
        action.refresh_from_db()
        assert (action.status, update.progress_percent) == ("ongoing", 40)
        v2 = new_version(plan, government)
        assert v2.number == 2
        assert [a.title for a in v2.actions.all()] == ["Health insurance for migrants"]
        services.plan_version_transition(version=v2, to="submitted", actor=government)
        services.plan_version_transition(version=v2, to="published", actor=secretariat)
        assert dict(PlanVersion.objects.values_list("number", "state")) == {
            1: "superseded",
            2: "published",
        }

    def test_another_government_cannot_touch_the_plan(self, morocco, government):
        plan = services.national_plan_create(country=morocco, title="Plan", actor=government)
        other_org = f.organisation(
            "Government of Nigeria", country_obj=f.country("566", "NG", "Nigeria")
        )
        other = f.user(roles=[("government-focal-point", other_org)])
        with pytest.raises(PermissionDeniedError):
            new_version(plan, other)
        with pytest.raises(PermissionDeniedError):
            services.national_plan_create(country=morocco, title="Plan B", actor=other)

    def test_bad_period_and_percent(self, morocco, government):
        plan = services.national_plan_create(country=morocco, title="Plan", actor=government)
        with pytest.raises(ApplicationError) as caught:
            services.plan_version_create(
                plan=plan,
                data=services.PlanVersionInput(period_start=2026, period_end=2022),
                actor=government,
            )
        assert caught.value.extra == {"field": "period_end"}
        assert not PlanVersion.objects.exists()

    def test_one_version_in_preparation_at_a_time(self, morocco, government):
        plan = services.national_plan_create(country=morocco, title="Plan", actor=government)
        new_version(plan, government)
        with pytest.raises(ConflictError):
            new_version(plan, government)


class NationalReviewTests:
    def test_review_with_attachment_submitted_and_published(self, morocco, government, secretariat):
        edition = ImrfEdition.objects.create(year=2026, title="IMRF 2026")
        review = services.national_review_create(
            country=morocco,
            title="Voluntary national review",
            imrf_edition=edition,
            actor=government,
        )
        attachment = services.national_review_attach(
            review=review,
            title="Report",
            upload=SimpleUploadedFile("vnr.pdf", b"%PDF"),
            actor=government,
        )
        assert attachment.size == 4
        services.national_review_transition(review=review, to="submitted", actor=government)
        services.national_review_transition(review=review, to="published", actor=secretariat)
        review.refresh_from_db()
        assert review.state == "published"
        assert review.submitted_on is not None

    def test_review_goes_to_exactly_one_forum(self, morocco, government):
        with pytest.raises(ApplicationError) as caught:
            services.national_review_create(country=morocco, title="VNR", actor=government)
        assert caught.value.extra == {"field": "forum"}
