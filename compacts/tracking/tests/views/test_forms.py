"""The recording pages: national plans, voluntary national reviews, GCR pledges, registrations and
written submissions. Each is checked for who may use it, what it stores (and audits), and that a
refused form keeps what was typed, names the problem and stores nothing."""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from compacts.core.models import AuditRecord
from compacts.tracking.models import (
    Attachment,
    GcrPledge,
    GcrPledgeStage,
    ImrfEdition,
    NationalPlan,
    NationalReview,
    PlanAction,
    PlanVersion,
    RegionalCommission,
    RegionalReview,
    StakeholderRegistration,
    WrittenSubmission,
)
from compacts.tracking.tests import factories as f

pytestmark = pytest.mark.django_db


@dataclass
class World:
    morocco: object
    state: object
    ngo: object
    focal: object
    ngo_user: object
    secretariat: object
    edition: ImrfEdition
    regional: RegionalReview
    stage: GcrPledgeStage


@pytest.fixture
def w() -> World:
    morocco = f.country()
    f.country("566", "NG", "Nigeria")
    for number in (15, 16):
        f.objective(number)
    f.principle("f")
    f.action("15e")
    f.gcr_objective(1)
    f.gcr_area()
    state = f.organisation("Kingdom of Morocco", country_obj=morocco)
    ngo = f.organisation("Migrant Voices", "migrant-diaspora")
    commission = RegionalCommission.objects.create(
        code="ECA", name="Economic Commission for Africa"
    )
    return World(
        morocco=morocco,
        state=state,
        ngo=ngo,
        focal=f.user("focal", roles=[("government-focal-point", state)]),
        ngo_user=f.user("ngo", roles=[("stakeholder-contributor", ngo)]),
        secretariat=f.secretariat_user(),
        edition=ImrfEdition.objects.create(year=2026, title="IMRF 2026"),
        regional=RegionalReview.objects.create(commission=commission, round=2, year=2024),
        stage=GcrPledgeStage.objects.create(code="in-progress", name="In progress"),
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


PLAN = {
    "country": "", "title": "National GCM plan", "period_start": "2025", "period_end": "2029",
    "amount": "2500000", "currency": "mad", "includes_migrant_health": "on",
    "summary": "Whole plan",
}  # fmt: skip


def _plan(w, client=None) -> PlanVersion:
    client = client or client_for(w.focal)
    response = client.post("/tracking/plans/new/", {**PLAN, "country": w.morocco.pk})
    assert response.status_code == 302
    return PlanVersion.objects.get()


def _action(w, version, client, **overrides):
    data = {"title": "Health cards for migrants", "lead_ministry": "Ministry of Health",
            "objectives": [f.objective(15).pk], "principles": [f.principle("f").pk],
            "gcm_actions": "15e", "amount": "300000", "currency": "MAD"}  # fmt: skip
    return client.post(f"/tracking/plans/{version.pk}/actions/", {**data, **overrides})


class PlanPagesTests:
    def test_focal_point_creates_a_plan_and_its_first_version(self, w):
        """The plan and version 1 are stored as a draft of Morocco, audited."""
        version = _plan(w)
        assert (version.number, version.state, version.currency) == (1, "draft", "MAD")
        assert version.plan.country == w.morocco
        assert version.includes_migrant_health
        assert AuditRecord.objects.filter(action="tracking.plan.create").count() == 1
        assert AuditRecord.objects.filter(action="tracking.plan.version_create").count() == 1

    def test_bad_period_keeps_the_input_and_stores_nothing(self, w):
        """A period that ends before it starts: 400, the message by the field, input kept."""
        response = client_for(w.focal).post(
            "/tracking/plans/new/", {**PLAN, "country": w.morocco.pk, "period_end": "2020"}
        )
        html = response.content.decode()
        assert response.status_code == 400
        assert "The plan period ends before it starts." in html
        assert 'value="National GCM plan"' in html
        assert "Nothing was saved" in html
        assert not NationalPlan.objects.exists()

    def test_only_government_focal_points_and_the_secretariat(self, w):
        assert client_for(w.ngo_user).get("/tracking/plans/new/").status_code == 403
        assert Client().get("/tracking/plans/new/").status_code == 302  # to sign in
        html = client_for(w.secretariat).get("/tracking/plans/new/").content.decode()
        assert "Nigeria" in html  # the secretariat records for any country
        html = client_for(w.focal).get("/tracking/plans/new/").content.decode()
        assert "Nigeria" not in html

    def test_a_country_of_another_government_is_refused(self, w):
        nigeria = f.country("566", "NG", "Nigeria")
        response = client_for(w.focal).post("/tracking/plans/new/", {**PLAN, "country": nigeria.pk})
        assert response.status_code == 400
        assert not NationalPlan.objects.exists()

    def test_actions_life_cycle_and_progress(self, w):
        """Add an action (a missing objective is refused, nothing added), submit, publish by
        the secretariat, report progress, open version 2 with a copy of the action."""
        focal = client_for(w.focal)
        version = _plan(w, focal)
        response = _action(w, version, focal, objectives=[])
        assert response.status_code == 400
        assert "Link the action to at least one GCM objective." in response.content.decode()
        assert 'value="Health cards for migrants"' in response.content.decode()
        assert not PlanAction.objects.exists()
        response = _action(w, version, focal, gcm_actions="15e, 99z")
        assert "Unknown GCM action code: 99z." in response.content.decode()
        assert _action(w, version, focal).status_code == 302
        action = PlanAction.objects.get()
        assert [a.code for a in action.gcm_actions.all()] == ["15e"]
        focal.post(f"/tracking/plans/{version.pk}/transition/", {"to": "submitted"})
        version.refresh_from_db()
        assert version.state == "submitted"
        # The government cannot publish its own plan: the machine refuses, shown as a message.
        focal.post(f"/tracking/plans/{version.pk}/transition/", {"to": "published"})
        version.refresh_from_db()
        assert version.state == "submitted"
        client_for(w.secretariat).post(
            f"/tracking/plans/{version.pk}/transition/", {"to": "published"}
        )
        version.refresh_from_db()
        assert version.state == "published"
        prefix = f"a{action.pk}"
        bad = focal.post(
            f"/tracking/plans/actions/{action.pk}/progress/",
            {f"{prefix}-status": "ongoing", f"{prefix}-progress_percent": "140",
             f"{prefix}-narrative": "Cards printed"},
        )  # fmt: skip
        assert bad.status_code == 400
        assert "Cards printed" in bad.content.decode()
        assert not action.updates.exists()
        focal.post(
            f"/tracking/plans/actions/{action.pk}/progress/",
            {f"{prefix}-status": "ongoing", f"{prefix}-progress_percent": "40",
             f"{prefix}-narrative": "Cards printed"},
        )  # fmt: skip
        action.refresh_from_db()
        assert action.status == "ongoing"
        assert action.updates.get().progress_percent == 40
        response = focal.post(
            f"/tracking/plans/{version.pk}/new-version/",
            {"period_start": "2027", "period_end": "2031", "currency": ""},
        )
        assert response.status_code == 302
        new = PlanVersion.objects.get(number=2)
        assert new.actions.get().title == "Health cards for migrants"

    def test_public_sees_published_plans_without_forms(self, w):
        version = _plan(w)
        assert Client().get(f"/tracking/plans/{version.pk}/").status_code == 404  # a draft
        html = client_for(w.focal).get(f"/tracking/plans/{version.pk}/").content.decode()
        assert "Add an action" in html
        assert client_for(w.ngo_user).post(
            f"/tracking/plans/{version.pk}/actions/", {"title": "x"}
        ).status_code in (403, 404)


class NationalReviewPagesTests:
    def _review(self, w, client) -> NationalReview:
        response = client.post(
            "/tracking/reviews/new/",
            {"country": w.morocco.pk, "title": "Morocco VNR 2024",
             "forum": f"regional-{w.regional.pk}", "summary": "Findings"},
        )  # fmt: skip
        assert response.status_code == 302
        return NationalReview.objects.get()

    def test_create_attach_and_submit(self, w):
        focal = client_for(w.focal)
        review = self._review(w, focal)
        assert review.regional_review == w.regional
        assert review.imrf_edition is None
        bad = focal.post(
            f"/tracking/reviews/{review.pk}/attachments/",
            {"title": "Script", "file": SimpleUploadedFile("x.exe", b"MZ")},
        )
        assert bad.status_code == 400
        assert "Files of type exe are not accepted" in bad.content.decode()
        assert not Attachment.objects.exists()
        good = focal.post(
            f"/tracking/reviews/{review.pk}/attachments/",
            {"title": "Full report", "file": SimpleUploadedFile("vnr.pdf", b"%PDF-1.4")},
            HTTP_HX_REQUEST="true",
        )
        html = good.content.decode()
        assert good.status_code == 200
        assert html.lstrip().startswith("<section")  # htmx gets the section only
        assert "Full report" in html
        assert AuditRecord.objects.filter(action="tracking.national_review.attach").count() == 1
        focal.post(f"/tracking/reviews/{review.pk}/transition/", {"to": "submitted"})
        review.refresh_from_db()
        assert review.state == "submitted"
        assert review.submitted_on is not None

    def test_forum_is_required(self, w):
        response = client_for(w.focal).post(
            "/tracking/reviews/new/", {"country": w.morocco.pk, "title": "VNR", "forum": ""}
        )
        assert response.status_code == 400
        assert 'value="VNR"' in response.content.decode()
        assert not NationalReview.objects.exists()

    def test_stakeholders_cannot_create_reviews(self, w):
        assert client_for(w.ngo_user).get("/tracking/reviews/new/").status_code == 403


class GcrPledgePagesTests:
    DATA = {
        "title": "Resettlement places 2024-2026", "pledge_type": "resettlement",
        "forum_year": "2023", "description": "Places for refugees from the region.",
        "currency": "",
    }  # fmt: skip

    def test_pledger_records_a_pledge_and_reports_its_stage(self, w):
        ngo = client_for(w.ngo_user)
        data = {**self.DATA, "organisation": w.ngo.pk, "gcr_objective": f.gcr_objective(1).pk}
        bad = ngo.post("/tracking/gcr-pledges/new/", data)
        assert bad.status_code == 400
        assert "A resettlement pledge states the number of places." in bad.content.decode()
        assert not GcrPledge.objects.exists()
        response = ngo.post(
            "/tracking/gcr-pledges/new/",
            {**data, "resettlement_places": "250", "areas": [f.gcr_area().pk]},
        )
        pledge = GcrPledge.objects.get()
        assert response["Location"] == f"/tracking/gcr-pledges/{pledge.pk}/"
        assert (pledge.state, pledge.resettlement_places, pledge.is_health) == ("draft", 250, True)
        assert Client().get(f"/tracking/gcr-pledges/{pledge.pk}/").status_code == 404
        ngo.post(f"/tracking/gcr-pledges/{pledge.pk}/transition/", {"to": "submitted"})
        client_for(w.secretariat).post(
            f"/tracking/gcr-pledges/{pledge.pk}/transition/", {"to": "published"}
        )
        pledge.refresh_from_db()
        assert pledge.state == "published"
        assert Client().get(f"/tracking/gcr-pledges/{pledge.pk}/").status_code == 200
        ngo.post(
            f"/tracking/gcr-pledges/{pledge.pk}/report/",
            {"stage": w.stage.pk, "narrative": "First 80 refugees arrived."},
        )
        pledge.refresh_from_db()
        assert pledge.stage == w.stage
        assert (
            "First 80 refugees arrived."
            in Client().get(f"/tracking/gcr-pledges/{pledge.pk}/").content.decode()
        )

    def test_secretariat_records_on_behalf_of_a_pledger(self, w):
        response = client_for(w.secretariat).post(
            "/tracking/gcr-pledges/new/",
            {**self.DATA, "pledge_type": "financial", "amount": "1000", "currency": "EUR",
             "organisation": w.state.pk, "gcr_objective": f.gcr_objective(1).pk},
        )  # fmt: skip
        assert response.status_code == 302
        assert GcrPledge.objects.get().organisation == w.state

    def test_a_pledger_cannot_pledge_for_another_organisation(self, w):
        response = client_for(w.ngo_user).post(
            "/tracking/gcr-pledges/new/",
            {**self.DATA, "resettlement_places": "5", "organisation": w.state.pk,
             "gcr_objective": f.gcr_objective(1).pk},
        )  # fmt: skip
        assert response.status_code == 400  # not among the choices
        assert not GcrPledge.objects.exists()


class GcrPledgeEditPageTests:
    def pledge(self, w) -> GcrPledge:
        client_for(w.ngo_user).post(
            "/tracking/gcr-pledges/new/",
            {**GcrPledgePagesTests.DATA, "resettlement_places": "250",
             "organisation": w.ngo.pk, "gcr_objective": f.gcr_objective(1).pk,
             "areas": [f.gcr_area().pk]},
        )  # fmt: skip
        return GcrPledge.objects.get()

    def form(self, w, **changes) -> dict:
        return {
            **GcrPledgePagesTests.DATA, "resettlement_places": "300", "organisation": w.ngo.pk,
            "gcr_objective": f.gcr_objective(1).pk, "areas": [f.gcr_area().pk], **changes,
        }  # fmt: skip

    def test_pledger_edits_from_the_pledge_page(self, w):
        """The pledge page links to the edit page, which is filled in with the pledge; saving
        stores and audits the change."""
        pledge = self.pledge(w)
        ngo = client_for(w.ngo_user)
        page = ngo.get(f"/tracking/gcr-pledges/{pledge.pk}/").content.decode()
        assert f'href="/tracking/gcr-pledges/{pledge.pk}/edit/"' in page
        form = ngo.get(f"/tracking/gcr-pledges/{pledge.pk}/edit/")
        assert form.status_code == 200
        html = form.content.decode()
        assert 'value="Resettlement places 2024-2026"' in html
        assert 'value="250"' in html
        response = ngo.post(
            f"/tracking/gcr-pledges/{pledge.pk}/edit/",
            self.form(w, title="Resettlement places 2025-2027"),
        )
        assert response["Location"] == f"/tracking/gcr-pledges/{pledge.pk}/"
        pledge.refresh_from_db()
        assert (pledge.title, pledge.resettlement_places) == ("Resettlement places 2025-2027", 300)
        assert AuditRecord.objects.filter(action="tracking.gcr_pledge.update").count() == 1

    def test_refused_edit_keeps_the_input_and_links_the_error(self, w):
        pledge = self.pledge(w)
        response = client_for(w.ngo_user).post(
            f"/tracking/gcr-pledges/{pledge.pk}/edit/",
            self.form(w, title="Money instead", pledge_type="financial", amount="1000"),
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert 'value="Money instead"' in html
        assert '<a href="#id_currency">' in html
        assert "An amount needs its three-letter currency code." in html
        assert 'aria-invalid="true"' in html
        pledge.refresh_from_db()
        assert (pledge.title, pledge.pledge_type) == (
            "Resettlement places 2024-2026",
            "resettlement",
        )

    def test_no_edit_after_submission_nor_for_others(self, w):
        pledge = self.pledge(w)
        ngo = client_for(w.ngo_user)
        assert (
            client_for(w.focal).get(f"/tracking/gcr-pledges/{pledge.pk}/edit/").status_code == 404
        )
        ngo.post(f"/tracking/gcr-pledges/{pledge.pk}/transition/", {"to": "submitted"})
        assert ngo.get(f"/tracking/gcr-pledges/{pledge.pk}/edit/").status_code == 403
        response = ngo.post(
            f"/tracking/gcr-pledges/{pledge.pk}/edit/", self.form(w, title="Changed")
        )
        assert response.status_code == 403
        assert "/edit/" not in ngo.get(f"/tracking/gcr-pledges/{pledge.pk}/").content.decode()
        pledge.refresh_from_db()
        assert pledge.title == "Resettlement places 2024-2026"


class ParticipationPagesTests:
    def test_register_submit_and_secretariat_decides(self, w):
        ngo = client_for(w.ngo_user)
        bad = ngo.post(
            "/tracking/review-cycle/register/",
            {"organisation": w.ngo.pk, "forum": f"imrf-{w.edition.pk}", "participant_name": " "},
        )
        assert bad.status_code == 400
        assert not StakeholderRegistration.objects.exists()
        ngo.post(
            "/tracking/review-cycle/register/",
            {"organisation": w.ngo.pk, "forum": f"imrf-{w.edition.pk}",
             "participant_name": "Amina Diallo"},
        )  # fmt: skip
        registration = StakeholderRegistration.objects.get()
        assert registration.imrf_edition == w.edition
        ngo.post(
            "/tracking/review-cycle/submit/",
            {"organisation": w.ngo.pk, "forum": f"regional-{w.regional.pk}",
             "title": "Access to services", "text": "Our findings.",
             "objectives": [f.objective(15).pk]},
        )  # fmt: skip
        submission = WrittenSubmission.objects.get()
        assert submission.regional_review == w.regional
        # Only the secretariat decides.
        forbidden = ngo.post(
            f"/tracking/review-cycle/registrations/{registration.pk}/decide/",
            {"decision": "accept"},
        )
        assert forbidden.status_code == 403
        secretariat = client_for(w.secretariat)
        page = secretariat.get("/tracking/review-cycle/participation/").content.decode()
        assert "Amina Diallo" in page
        assert "Access to services" in page
        secretariat.post(
            f"/tracking/review-cycle/registrations/{registration.pk}/decide/",
            {"decision": "accept"},
        )
        secretariat.post(f"/tracking/review-cycle/submissions/{submission.pk}/publish/")
        registration.refresh_from_db()
        submission.refresh_from_db()
        assert registration.status == "accepted"
        assert submission.status == "published"
        assert "Access to services" in Client().get("/tracking/review-cycle/").content.decode()

    def test_people_without_an_organisation_role_cannot_register(self, w):
        nobody = f.user()
        assert client_for(nobody).get("/tracking/review-cycle/register/").status_code == 403
