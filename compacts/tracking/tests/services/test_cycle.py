"""The review cycle: registrations, submissions, Progress Declaration commitments."""

import pytest

from compacts.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from compacts.tracking.models import Commitment, ImrfEdition
from compacts.tracking.services import cycle as services
from compacts.tracking.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return ImrfEdition.objects.create(year=2022, title="IMRF 2022")


@pytest.fixture
def secretariat():
    return f.secretariat_user()


class CommitmentTests:
    def test_para_70_is_tracked_to_done(self, edition, secretariat):
        """Para 70 (indicator proposal) needs an owner before work starts; the owner's member
        moves it on; dropping needs a reason."""
        desa = f.organisation("UN DESA", "un-entity")
        commitment = services.commitment_create(
            edition=edition,
            paragraph="70",
            title="Limited set of indicators",
            text="...",
            actor=secretariat,
        )
        with pytest.raises(ConflictError):
            services.commitment_transition(
                commitment=commitment, to="in-progress", actor=secretariat
            )
        services.commitment_assign(commitment=commitment, owner=desa, actor=secretariat)
        member = f.user(roles=[("puno-focal-point", desa)])
        services.commitment_transition(commitment=commitment, to="in-progress", actor=member)
        services.commitment_transition(commitment=commitment, to="done", actor=member)
        commitment.refresh_from_db()
        assert commitment.state == "done"

    def test_drop_needs_reason_and_secretariat(self, edition, secretariat):
        commitment = services.commitment_create(
            edition=edition, paragraph="76", title="Missing migrants", text="...", actor=secretariat
        )
        with pytest.raises(ApplicationError):
            services.commitment_transition(commitment=commitment, to="dropped", actor=secretariat)
        outsider = f.user()
        with pytest.raises(PermissionDeniedError):
            services.commitment_transition(
                commitment=commitment, to="dropped", actor=outsider, note="x"
            )
        assert Commitment.objects.get().state == "open"

    def test_duplicate_paragraph(self, edition, secretariat):
        services.commitment_create(
            edition=edition, paragraph="70", title="a", text="b", actor=secretariat
        )
        with pytest.raises(ApplicationError):
            services.commitment_create(
                edition=edition, paragraph="70", title="a", text="b", actor=secretariat
            )


class StakeholderTests:
    def test_registration_and_submission(self, edition, secretariat):
        ngo = f.organisation("Migrant Voices", "migrant-diaspora")
        contributor = f.user(roles=[("stakeholder-contributor", ngo)])
        registration = services.registration_create(
            organisation=ngo, participant_name="A. Person", imrf_edition=edition, actor=contributor
        )
        services.registration_decide(registration=registration, accept=True, actor=secretariat)
        with pytest.raises(ApplicationError):
            services.registration_decide(registration=registration, accept=False, actor=secretariat)
        submission = services.submission_create(
            organisation=ngo,
            title="Our input",
            text="Text.",
            imrf_edition=edition,
            actor=contributor,
            objectives=[f.objective(15)],
        )
        with pytest.raises(PermissionDeniedError):
            services.submission_publish(submission=submission, actor=contributor)
        services.submission_publish(submission=submission, actor=secretariat)
        submission.refresh_from_db()
        assert submission.status == "published"

    def test_cannot_register_for_someone_else(self, edition):
        ngo = f.organisation("Migrant Voices", "migrant-diaspora")
        with pytest.raises(PermissionDeniedError):
            services.registration_create(
                organisation=ngo, participant_name="X", imrf_edition=edition, actor=f.user()
            )
