"""The Secretariat's pages for Progress Declaration commitments: track one, edit it, move it
through its follow-up (``workflows/commitment.py``). Each is checked for who may use it, what it
stores and audits, and that a refused form keeps what was typed, names the problem and changes
nothing."""

import pytest
from django.test import Client

from compacts.core.models import AuditRecord
from compacts.tracking.models import Commitment, ImrfEdition, WorkflowTransition
from compacts.tracking.services import cycle as cycle_services
from compacts.tracking.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return ImrfEdition.objects.create(year=2022, title="IMRF 2022")


@pytest.fixture
def secretariat():
    return f.secretariat_user()


@pytest.fixture
def desa():
    return f.organisation("UN DESA", "un-entity")


@pytest.fixture
def commitment(edition, secretariat):
    return cycle_services.commitment_create(
        edition=edition, paragraph="70", title="Limited set of indicators",
        text="A limited set of indicators.", actor=secretariat,
    )  # fmt: skip


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail_url(commitment) -> str:
    return f"/tracking/review-cycle/commitments/{commitment.pk}/"


NEW = {
    "edition": "", "paragraph": "76", "title": "Missing migrants",
    "text": "Recommendations on missing migrants.", "owner": "",
    "owner_label": "UN Secretary-General", "due_on": "2024-05-20", "source_note": "para 76",
}  # fmt: skip


class CyclePageTests:
    def test_links_for_the_secretariat_only(self, commitment, secretariat):
        """Everyone follows a commitment to its page; only the secretariat sees the links to
        track a new one and to edit."""
        public = Client().get("/tracking/review-cycle/").content.decode()
        assert f'href="{detail_url(commitment)}"' in public
        assert "/tracking/review-cycle/commitments/new/" not in public
        assert f"{detail_url(commitment)}edit/" not in public
        page = client_for(secretariat).get("/tracking/review-cycle/").content.decode()
        assert "/tracking/review-cycle/commitments/new/" in page
        assert f"{detail_url(commitment)}edit/" in page


class CommitmentDetailTests:
    def test_public_page_without_controls(self, commitment):
        """The page is public; a visitor gets no status control and no edit link."""
        response = Client().get(detail_url(commitment))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Limited set of indicators" in page
        assert 'name="move-to"' not in page
        assert f"{detail_url(commitment)}edit/" not in page

    def test_secretariat_sees_the_allowed_next_statuses(self, commitment, secretariat):
        """The select offers the machine's targets from "open" for the secretariat."""
        page = client_for(secretariat).get(detail_url(commitment)).content.decode()
        assert '<option value="in-progress">In progress</option>' in page
        assert '<option value="dropped">Dropped</option>' in page
        assert '<option value="done"' not in page

    def test_owner_member_may_not_drop(self, commitment, secretariat, desa):
        """A member of the owner organisation is offered "in progress" only (dropping is the
        secretariat's), and no edit link."""
        cycle_services.commitment_assign(commitment=commitment, owner=desa, actor=secretariat)
        member = f.user(roles=[("puno-focal-point", desa)])
        page = client_for(member).get(detail_url(commitment)).content.decode()
        assert '<option value="in-progress">In progress</option>' in page
        assert 'value="dropped"' not in page
        assert f"{detail_url(commitment)}edit/" not in page

    def test_unknown_commitment(self):
        assert Client().get("/tracking/review-cycle/commitments/999/").status_code == 404


class CommitmentCreateTests:
    def test_secretariat_tracks_a_commitment(self, edition, secretariat):
        response = client_for(secretariat).post(
            "/tracking/review-cycle/commitments/new/", {**NEW, "edition": edition.pk}
        )
        commitment = Commitment.objects.get(paragraph="76")
        assert response.status_code == 302
        assert response["Location"] == detail_url(commitment)
        assert (commitment.owner_label, str(commitment.due_on), commitment.state) == (
            "UN Secretary-General", "2024-05-20", "open"
        )  # fmt: skip
        assert AuditRecord.objects.filter(action="tracking.commitment.create").count() == 1

    def test_others_are_refused(self, edition, desa):
        """A focal point gets 403 on the page and on a post; a visitor is sent to sign in."""
        member = f.user(roles=[("puno-focal-point", desa)])
        client = client_for(member)
        assert client.get("/tracking/review-cycle/commitments/new/").status_code == 403
        response = client.post(
            "/tracking/review-cycle/commitments/new/", {**NEW, "edition": edition.pk}
        )
        assert response.status_code == 403
        assert Client().get("/tracking/review-cycle/commitments/new/").status_code == 302
        assert not Commitment.objects.exists()

    def test_duplicate_paragraph_is_refused(self, commitment, edition, secretariat):
        """A paragraph already tracked: 400, the message next to the field, what was typed kept,
        nothing stored."""
        response = client_for(secretariat).post(
            "/tracking/review-cycle/commitments/new/",
            {**NEW, "edition": edition.pk, "paragraph": "70"},
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "Nothing was saved" in page
        assert 'href="#id_paragraph"' in page
        assert "Paragraph 70 is already tracked." in page
        assert 'aria-invalid="true"' in page
        assert 'value="Missing migrants"' in page
        assert Commitment.objects.count() == 1


class CommitmentEditTests:
    def test_secretariat_edits(self, commitment, edition, secretariat, desa):
        """The form is filled in; the edit changes content and owner (audited), not the
        status."""
        client = client_for(secretariat)
        page = client.get(f"{detail_url(commitment)}edit/").content.decode()
        assert 'value="Limited set of indicators"' in page
        assert f'<option value="{edition.pk}" selected>' in page
        response = client.post(
            f"{detail_url(commitment)}edit/",
            {
                "edition": edition.pk, "paragraph": "70",
                "title": "Indicators for national reviews",
                "text": "Proposed in the biennial report.", "owner": desa.pk, "owner_label": "",
                "due_on": "", "source_note": "WMR24",
            },
        )  # fmt: skip
        assert response.status_code == 302
        commitment.refresh_from_db()
        assert (commitment.title, commitment.owner, commitment.state) == (
            "Indicators for national reviews", desa, "open"
        )  # fmt: skip
        assert AuditRecord.objects.filter(action="tracking.commitment.update").count() == 1
        assert AuditRecord.objects.filter(action="tracking.commitment.assign").count() == 1

    def test_others_are_refused(self, commitment, secretariat, desa):
        """Even the owner's member cannot rewrite it: 403, nothing changed."""
        cycle_services.commitment_assign(commitment=commitment, owner=desa, actor=secretariat)
        member = client_for(f.user(roles=[("puno-focal-point", desa)]))
        assert member.get(f"{detail_url(commitment)}edit/").status_code == 403
        response = member.post(
            f"{detail_url(commitment)}edit/",
            {"paragraph": "70", "title": "Ours", "text": "x", "owner": desa.pk},
        )
        assert response.status_code == 403
        commitment.refresh_from_db()
        assert commitment.title == "Limited set of indicators"

    def test_bad_input_changes_nothing(self, commitment, edition, secretariat):
        """An empty title and a malformed date: 400, both named, nothing stored."""
        response = client_for(secretariat).post(
            f"{detail_url(commitment)}edit/",
            {"edition": edition.pk, "paragraph": "70", "title": "", "text": "Changed",
             "due_on": "31/12/2024"},
        )  # fmt: skip
        assert response.status_code == 400
        page = response.content.decode()
        assert 'href="#id_title"' in page
        assert 'href="#id_due_on"' in page
        assert "Changed</textarea>" in page
        commitment.refresh_from_db()
        assert commitment.text == "A limited set of indicators."

    def test_paragraph_of_another_commitment(self, commitment, edition, secretariat):
        """The service's refusal on the edit page: 400, next to the paragraph, nothing changed."""
        cycle_services.commitment_create(
            edition=edition, paragraph="76", title="Missing migrants", text="x", actor=secretariat
        )
        response = client_for(secretariat).post(
            f"{detail_url(commitment)}edit/",
            {"edition": edition.pk, "paragraph": "76", "title": "Renamed", "text": "x"},
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "Paragraph 76 is already tracked." in page
        assert 'value="Renamed"' in page
        commitment.refresh_from_db()
        assert (commitment.paragraph, commitment.title) == ("70", "Limited set of indicators")


class CommitmentEditionTests:
    """The edit page moves a commitment to another IMRF's Progress Declaration."""

    def test_moved_to_another_forum(self, commitment, edition, secretariat):
        later = ImrfEdition.objects.create(year=2026, title="IMRF 2026")
        response = client_for(secretariat).post(
            f"{detail_url(commitment)}edit/",
            {"edition": later.pk, "paragraph": "70", "title": "Limited set of indicators",
             "text": "A limited set of indicators."},
        )  # fmt: skip
        assert response.status_code == 302
        commitment.refresh_from_db()
        assert (commitment.edition, commitment.state) == (later, "open")
        record = AuditRecord.objects.get(action="tracking.commitment.update")
        assert (record.before["edition"], record.after["edition"]) == (edition.pk, later.pk)
        page = client_for(secretariat).get(detail_url(commitment)).content.decode()
        assert "IMRF 2026" in page

    def test_paragraph_taken_there(self, commitment, edition, secretariat):
        """Paragraph 70 already tracked for the other forum: 400 next to the paragraph, the
        chosen forum kept in the form, nothing moved."""
        later = ImrfEdition.objects.create(year=2026, title="IMRF 2026")
        cycle_services.commitment_create(
            edition=later, paragraph="70", title="Other", text="x", actor=secretariat
        )
        response = client_for(secretariat).post(
            f"{detail_url(commitment)}edit/",
            {"edition": later.pk, "paragraph": "70", "title": "Moved", "text": "x"},
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert 'href="#id_paragraph"' in page
        assert f'<option value="{later.pk}" selected>' in page
        commitment.refresh_from_db()
        assert (commitment.edition, commitment.title) == (edition, "Limited set of indicators")

    def test_unknown_forum_is_refused(self, commitment, edition, secretariat):
        response = client_for(secretariat).post(
            f"{detail_url(commitment)}edit/",
            {"edition": 999, "paragraph": "70", "title": "Moved", "text": "x"},
        )
        assert response.status_code == 400
        assert 'href="#id_edition"' in response.content.decode()
        commitment.refresh_from_db()
        assert commitment.edition == edition


class CommitmentMoveTests:
    def move(self, client, commitment, to, note=""):
        return client.post(
            f"{detail_url(commitment)}transition/", {"move-to": to, "move-note": note}
        )

    def test_secretariat_moves_it_along(self, commitment, secretariat):
        """open → in progress (once it has an owner) → done; each move is logged."""
        client = client_for(secretariat)
        cycle_services.commitment_assign(
            commitment=commitment, owner_label="UN Secretary-General", actor=secretariat
        )
        response = self.move(client, commitment, "in-progress")
        assert response.status_code == 302
        assert response["Location"] == detail_url(commitment)
        assert self.move(client, commitment, "done", "Report A/77/xxx").status_code == 302
        commitment.refresh_from_db()
        assert commitment.state == "done"
        assert list(
            WorkflowTransition.objects.filter(machine="commitment").values_list(
                "to_state", flat=True
            )
        ) == ["in-progress", "done"]
        page = client.get(detail_url(commitment)).content.decode()
        assert "Report A/77/xxx" in page
        assert 'name="move-to"' not in page  # done is final

    def test_illegal_move_lists_the_allowed_statuses(self, commitment, secretariat):
        """open → done is not in the table: 400, the message names the allowed statuses next to
        the field, nothing changes."""
        response = self.move(client_for(secretariat), commitment, "done")
        assert response.status_code == 400
        page = response.content.decode()
        assert (
            "A commitment that is “Open” cannot become “Done”. "
            "Allowed next statuses: In progress, Dropped."
        ) in page
        assert 'href="#id_move-to"' in page
        commitment.refresh_from_db()
        assert commitment.state == "open"
        assert not WorkflowTransition.objects.exists()

    def test_unknown_status_is_refused_the_same_way(self, commitment, secretariat):
        response = self.move(client_for(secretariat), commitment, "archived")
        assert response.status_code == 400
        assert "Allowed next statuses: In progress, Dropped." in response.content.decode()
        assert Commitment.objects.get().state == "open"

    def test_guard_and_note(self, commitment, secretariat):
        """Work cannot start without an owner; dropping needs a reason (named on the note)."""
        client = client_for(secretariat)
        response = self.move(client, commitment, "in-progress")
        assert response.status_code == 400
        assert "needs an owner before work on it starts" in response.content.decode()
        response = self.move(client, commitment, "dropped")
        assert response.status_code == 400
        page = response.content.decode()
        assert 'href="#id_move-note"' in page
        assert "Say why the commitment is dropped." in page
        assert Commitment.objects.get().state == "open"
        assert not WorkflowTransition.objects.exists()

    def test_permissions(self, commitment, secretariat, desa):
        """The owner's member moves it on but may not drop it (403); an outsider gets 403; a
        visitor is sent to sign in. Nothing changes on a refusal."""
        cycle_services.commitment_assign(commitment=commitment, owner=desa, actor=secretariat)
        member = client_for(f.user(roles=[("puno-focal-point", desa)]))
        assert self.move(member, commitment, "dropped", "Not ours").status_code == 403
        assert self.move(client_for(f.user()), commitment, "in-progress").status_code == 403
        assert self.move(Client(), commitment, "in-progress").status_code == 302
        assert Commitment.objects.get().state == "open"
        assert self.move(member, commitment, "in-progress").status_code == 302
        assert Commitment.objects.get().state == "in-progress"
