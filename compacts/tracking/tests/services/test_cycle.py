"""The review cycle: registrations, submissions, Progress Declaration commitments."""

from datetime import date

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


class CommitmentUpdateTests:
    """``commitment_update``: the secretariat corrects a commitment's content and owner."""

    @pytest.fixture
    def commitment(self, edition, secretariat):
        return services.commitment_create(
            edition=edition, paragraph="70", title="Indicators", text="...", actor=secretariat
        )

    def test_content_and_owner_are_changed_and_audited(self, commitment, secretariat):
        """Content changes are one audit record (before and after), the owner goes through
        ``commitment_assign`` (its own record); the state does not change."""
        from compacts.core.models import AuditRecord

        desa = f.organisation("UN DESA", "un-entity")
        services.commitment_update(
            commitment=commitment, paragraph=" 70 ", title="A limited set of indicators",
            text="Proposed in the biennial report.", owner=desa, owner_label="",
            due_on=date(2024, 12, 31), source_note="WMR24", actor=secretariat,
        )  # fmt: skip
        commitment.refresh_from_db()
        assert (commitment.paragraph, commitment.title, commitment.owner, commitment.due_on) == (
            "70", "A limited set of indicators", desa, date(2024, 12, 31)
        )  # fmt: skip
        assert commitment.state == "open"
        update = AuditRecord.objects.get(action="tracking.commitment.update")
        assert update.before["title"] == "Indicators"
        assert update.after["title"] == "A limited set of indicators"
        assert AuditRecord.objects.filter(action="tracking.commitment.assign").count() == 1

    def test_nothing_changed_writes_no_record(self, commitment, secretariat):
        """Saving the same values again records nothing."""
        from compacts.core.models import AuditRecord

        services.commitment_update(
            commitment=commitment, paragraph="70", title="Indicators", text="...",
            actor=secretariat,
        )  # fmt: skip
        assert not AuditRecord.objects.filter(
            action__in=["tracking.commitment.update", "tracking.commitment.assign"]
        ).exists()

    def test_only_the_secretariat(self, commitment):
        """A member of the owner organisation may move the commitment, not rewrite it."""
        desa = f.organisation("UN DESA", "un-entity")
        member = f.user(roles=[("puno-focal-point", desa)])
        with pytest.raises(PermissionDeniedError):
            services.commitment_update(
                commitment=commitment, paragraph="70", title="Mine now", text="...",
                owner=desa, actor=member,
            )  # fmt: skip
        commitment.refresh_from_db()
        assert (commitment.title, commitment.owner) == ("Indicators", None)

    def test_bad_input_changes_nothing(self, commitment, edition, secretariat):
        """An empty title, or the paragraph of another tracked commitment, is refused with the
        field named; nothing is stored, not even the owner."""
        services.commitment_create(
            edition=edition, paragraph="76", title="Missing migrants", text="...",
            actor=secretariat,
        )  # fmt: skip
        with pytest.raises(ApplicationError, match="title") as refused:
            services.commitment_update(
                commitment=commitment, paragraph="70", title="  ", text="...",
                owner_label="UN Secretary-General", actor=secretariat,
            )  # fmt: skip
        assert refused.value.extra == {"field": "title"}
        with pytest.raises(ConflictError, match="76") as refused:
            services.commitment_update(
                commitment=commitment, paragraph="76", title="Indicators", text="...",
                owner_label="UN Secretary-General", actor=secretariat,
            )  # fmt: skip
        assert refused.value.extra == {"field": "paragraph"}
        commitment.refresh_from_db()
        assert (commitment.paragraph, commitment.title, commitment.owner_label) == (
            "70", "Indicators", ""
        )  # fmt: skip


class CommitmentEditionTests:
    """``commitment_update(edition=...)``: the secretariat moves a commitment to another IMRF's
    Progress Declaration; its state stays; the paragraph must be free there."""

    @pytest.fixture
    def later(self):
        return ImrfEdition.objects.create(year=2026, title="IMRF 2026")

    @pytest.fixture
    def commitment(self, edition, secretariat):
        return services.commitment_create(
            edition=edition, paragraph="70", title="Indicators", text="...", actor=secretariat
        )

    def test_moved_and_audited(self, commitment, later, edition, secretariat):
        from compacts.core.models import AuditRecord

        services.commitment_update(
            commitment=commitment, edition=later, paragraph="70", title="Indicators",
            text="...", actor=secretariat,
        )  # fmt: skip
        commitment.refresh_from_db()
        assert (commitment.edition, commitment.state) == (later, "open")
        update = AuditRecord.objects.get(action="tracking.commitment.update")
        assert (update.before["edition"], update.after["edition"]) == (edition.pk, later.pk)

    def test_no_edition_keeps_it(self, commitment, edition, secretariat):
        services.commitment_update(
            commitment=commitment, paragraph="70", title="Indicators (para 70)", text="...",
            actor=secretariat,
        )  # fmt: skip
        commitment.refresh_from_db()
        assert (commitment.edition, commitment.title) == (edition, "Indicators (para 70)")

    def test_paragraph_taken_in_the_other_imrf(self, commitment, later, edition, secretariat):
        """Paragraph 70 already tracked for 2026: 409 naming the paragraph, nothing moves."""
        from compacts.core.models import AuditRecord

        services.commitment_create(
            edition=later, paragraph="70", title="Other", text="...", actor=secretariat
        )
        with pytest.raises(ConflictError, match="70") as refused:
            services.commitment_update(
                commitment=commitment, edition=later, paragraph="70", title="Moved",
                text="...", actor=secretariat,
            )  # fmt: skip
        assert refused.value.extra == {"field": "paragraph"}
        commitment.refresh_from_db()
        assert (commitment.edition, commitment.title) == (edition, "Indicators")
        assert not AuditRecord.objects.filter(action="tracking.commitment.update").exists()

    def test_only_the_secretariat(self, commitment, later, edition):
        with pytest.raises(PermissionDeniedError):
            services.commitment_update(
                commitment=commitment, edition=later, paragraph="70", title="Indicators",
                text="...", actor=f.user(),
            )  # fmt: skip
        commitment.refresh_from_db()
        assert commitment.edition == edition
