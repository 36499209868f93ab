"""The tracking API's write endpoints for every life-cycle service: GCM pledge moves, status
updates and the fund link; GCR pledge edits, moves and stage updates; plan versions, actions,
moves and progress; national review attachments and moves; indicator targets and data imports;
registration decisions, published submissions; Progress Declaration commitments.

Each endpoint: it works for the right person; a wrong role is refused (403) and a bad request is
refused (400, or 409 for a clash with the record's state) with a message naming the field or
row; in both cases nothing is changed."""

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from compacts.core.models import AuditRecord
from compacts.tracking.models import (
    Attachment,
    Commitment,
    GcrPledge,
    GcrPledgeStage,
    GcrPledgeUpdate,
    ImrfEdition,
    Indicator,
    NationalReview,
    Observation,
    PlanAction,
    PlanProgressUpdate,
    PlanVersion,
    Pledge,
    PledgeStatusUpdate,
    StakeholderRegistration,
    WrittenSubmission,
)
from compacts.tracking.services import cycle, indicators, plans, pledges
from compacts.tracking.tests import factories as f

pytestmark = pytest.mark.django_db
API = "/api/v1/tracking"


@pytest.fixture
def w():
    morocco = f.country()
    nigeria = f.country("566", "NG", "Nigeria")
    f.objective(15)
    f.principle("f")
    f.gcr_objective(1)
    f.gcr_area()
    state = f.organisation("Kingdom of Morocco", country_obj=morocco)
    other_state = f.organisation("Federal Republic of Nigeria", country_obj=nigeria)
    ngo = f.organisation("Migrant Voices", "migrant-diaspora")
    return {
        "morocco": morocco,
        "state": state,
        "ngo": ngo,
        "focal": f.user(roles=[("government-focal-point", state)]),
        "stranger": f.user(roles=[("government-focal-point", other_state)]),
        "ngo_user": f.user(roles=[("stakeholder-contributor", ngo)]),
        "secretariat": f.secretariat_user(),
    }


def call(user, method: str, path: str, body: dict | None = None):
    client = Client()
    if user is not None:
        client.force_login(user)
    send = getattr(client, method)
    return send(f"{API}{path}", json.dumps(body or {}), content_type="application/json")


def post(user, path, body=None):
    return call(user, "post", path, body)


def put(user, path, body=None):
    return call(user, "put", path, body)


def refused(response, status: int, field: str | None = None) -> dict:
    """The error body, after checking its status and, if given, the field it names."""
    assert response.status_code == status, response.content
    body = response.json()
    assert body["message"]
    if field is not None:
        assert body["extra"]["field"] == field, body
    return body


# --- GCM pledges ----------------------------------------------------------------------------


def _submitted_pledge(w, **overrides) -> Pledge:
    pledge = f.pledge(w["state"], w["focal"], **overrides)
    return pledges.pledge_submit(pledge=pledge, actor=w["focal"])


def _published_pledge(w, **overrides) -> Pledge:
    pledge = _submitted_pledge(w, **overrides)
    return pledges.pledge_publish(pledge=pledge, actor=w["secretariat"])


class PledgeTransitionApiTests:
    def test_submit_return_and_publish(self, w):
        pledge = f.pledge(w["state"], w["focal"])
        response = post(w["focal"], f"/pledges/{pledge.pk}/transition", {"to": "submitted"})
        assert response.status_code == 200
        assert response.json()["state"] == "submitted"
        response = post(
            w["secretariat"],
            f"/pledges/{pledge.pk}/transition",
            {"to": "returned", "note": "Add a timeline."},
        )
        assert response.json()["state"] == "returned"
        post(w["focal"], f"/pledges/{pledge.pk}/transition", {"to": "submitted"})
        response = post(w["secretariat"], f"/pledges/{pledge.pk}/transition", {"to": "published"})
        assert response.json()["state"] == "published"

    def test_pledger_cannot_publish_own_pledge(self, w):
        pledge = _submitted_pledge(w)
        response = post(w["focal"], f"/pledges/{pledge.pk}/transition", {"to": "published"})
        refused(response, 403)
        pledge.refresh_from_db()
        assert pledge.state == "submitted"

    def test_return_without_a_note_is_refused(self, w):
        """Returning a pledge says what should change (field ``note``)."""
        pledge = _submitted_pledge(w)
        response = post(w["secretariat"], f"/pledges/{pledge.pk}/transition", {"to": "returned"})
        refused(response, 400, "note")
        pledge.refresh_from_db()
        assert pledge.state == "submitted"

    def test_illegal_move_is_a_conflict(self, w):
        pledge = f.pledge(w["state"], w["focal"])
        response = post(w["secretariat"], f"/pledges/{pledge.pk}/transition", {"to": "fulfilled"})
        body = refused(response, 409)
        assert body["extra"]["allowed"] == ["submitted", "withdrawn"]
        pledge.refresh_from_db()
        assert pledge.state == "draft"


class PledgeStatusUpdateApiTests:
    def test_pledger_reports_progress(self, w):
        pledge = _published_pledge(w)
        response = post(
            w["focal"],
            f"/pledges/{pledge.pk}/updates",
            {"progress": "in-progress", "narrative": "Law drafted.", "reported_on": "2026-03-01"},
        )
        assert response.status_code == 201, response.content
        assert response.json()["reported_on"] == "2026-03-01"
        assert PledgeStatusUpdate.objects.get(pledge=pledge).narrative == "Law drafted."

    def test_other_government_cannot_report(self, w):
        pledge = _published_pledge(w)
        response = post(
            w["stranger"],
            f"/pledges/{pledge.pk}/updates",
            {"progress": "completed", "narrative": "Done."},
        )
        refused(response, 403)
        assert not PledgeStatusUpdate.objects.exists()

    def test_blank_narrative_and_unpublished_pledge_are_refused(self, w):
        pledge = _published_pledge(w)
        response = post(
            w["focal"], f"/pledges/{pledge.pk}/updates", {"progress": "completed", "narrative": " "}
        )
        refused(response, 400, "narrative")
        draft = f.pledge(w["state"], w["focal"])
        response = post(
            w["focal"], f"/pledges/{draft.pk}/updates", {"progress": "completed", "narrative": "x"}
        )
        refused(response, 403)
        response = post(
            w["focal"], f"/pledges/{pledge.pk}/updates", {"progress": "halfway", "narrative": "x"}
        )
        body = refused(response, 422)
        assert body["extra"]["errors"][0]["loc"][-1] == "progress"
        assert not PledgeStatusUpdate.objects.exists()


class PledgeFundLinkApiTests:
    def test_secretariat_links_a_financial_pledge(self, w):
        pledge = _published_pledge(w, pledge_type="financial", amount=1000, currency="USD")
        response = post(
            w["secretariat"], f"/pledges/{pledge.pk}/fund-contribution", {"contribution_id": 42}
        )
        assert response.status_code == 200
        assert response.json()["fund_contribution_id"] == 42

    def test_pledger_cannot_link(self, w):
        pledge = _published_pledge(w, pledge_type="financial", amount=1000, currency="USD")
        response = post(
            w["focal"], f"/pledges/{pledge.pk}/fund-contribution", {"contribution_id": 42}
        )
        refused(response, 403)
        pledge.refresh_from_db()
        assert pledge.fund_contribution_id is None

    def test_non_financial_pledge_is_refused(self, w):
        pledge = _published_pledge(w)
        response = post(
            w["secretariat"], f"/pledges/{pledge.pk}/fund-contribution", {"contribution_id": 42}
        )
        refused(response, 400, "fund_contribution_id")
        pledge.refresh_from_db()
        assert pledge.fund_contribution_id is None


# --- GCR pledges -----------------------------------------------------------------------------


def gcr_body(w, **changes) -> dict:
    body = {
        "organisation": w["ngo"].pk,
        "title": "Language classes for refugees",
        "pledge_type": "technical",
        "description": "Free classes in three cities.",
        "forum_year": 2023,
        "gcr_objective": 1,
        "areas": ["B-2.3"],
    }
    body.update(changes)
    return body


def _gcr(w, *moves) -> GcrPledge:
    response = post(w["ngo_user"], "/gcr-pledges", gcr_body(w))
    assert response.status_code == 201, response.content
    pledge = GcrPledge.objects.get(pk=response.json()["id"])
    actors = {"submitted": w["ngo_user"], "published": w["secretariat"]}
    actors |= {"returned": w["secretariat"], "withdrawn": w["ngo_user"]}
    for to in moves:
        pledges.gcr_pledge_transition(pledge=pledge, to=to, actor=actors[to])
    return pledge


class GcrPledgeEditApiTests:
    def test_pledger_edits_a_draft(self, w):
        pledge = _gcr(w)
        response = put(
            w["ngo_user"],
            f"/gcr-pledges/{pledge.pk}",
            gcr_body(w, title="Language and job classes", areas=[], forum_year=2027),
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["title"], body["areas"], body["forum_year"]) == (
            "Language and job classes",
            [],
            2027,
        )
        assert body["reference"] == pledge.reference
        assert AuditRecord.objects.filter(action="tracking.gcr_pledge.update").count() == 1

    def test_secretariat_edits_a_returned_pledge(self, w):
        pledge = _gcr(w, "submitted", "returned")
        response = put(w["secretariat"], f"/gcr-pledges/{pledge.pk}", gcr_body(w, title="Fixed"))
        assert response.status_code == 200
        assert response.json()["title"] == "Fixed"

    @pytest.mark.parametrize("moves", [("submitted",), ("submitted", "published")])
    def test_not_editable_once_submitted(self, w, moves):
        pledge = _gcr(w, *moves)
        response = put(w["ngo_user"], f"/gcr-pledges/{pledge.pk}", gcr_body(w, title="Changed"))
        refused(response, 403)
        pledge.refresh_from_db()
        assert pledge.title == "Language classes for refugees"

    def test_other_organisation_cannot_edit(self, w):
        """A draft of another organisation is not even visible (404); a published one is
        visible and not editable (403)."""
        draft = _gcr(w)
        response = put(w["focal"], f"/gcr-pledges/{draft.pk}", gcr_body(w, title="Changed"))
        refused(response, 404)
        published = _gcr(w, "submitted", "published")
        response = put(w["focal"], f"/gcr-pledges/{published.pk}", gcr_body(w, title="Changed"))
        refused(response, 403)
        assert set(GcrPledge.objects.values_list("title", flat=True)) == {
            "Language classes for refugees"
        }

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"amount": "1000"}, "currency"),
            ({"areas": ["Z-9"]}, "areas"),
            ({"country": "MA"}, "country"),
            ({"pledge_type": "resettlement"}, "resettlement_places"),
            ({"organisation": "__state__"}, "organisation"),
            ({"description": "   "}, "description"),
        ],
    )
    def test_bad_input_names_the_field(self, w, changes, field):
        pledge = _gcr(w)
        if changes.get("organisation") == "__state__":
            changes = {"organisation": w["state"].pk}
        response = put(w["secretariat"], f"/gcr-pledges/{pledge.pk}", gcr_body(w, **changes))
        refused(response, 400, field)
        pledge.refresh_from_db()
        assert (pledge.pledge_type, pledge.organisation) == ("technical", w["ngo"])
        assert list(pledge.areas.values_list("code", flat=True)) == ["B-2.3"]

    def test_secretariat_records_on_a_pledgers_behalf(self, w):
        """As on the form page, the secretariat may record a pledge for any pledger."""
        response = post(w["secretariat"], "/gcr-pledges", gcr_body(w))
        assert response.status_code == 201
        assert response.json()["organisation"] == w["ngo"].pk
        response = post(w["focal"], "/gcr-pledges", gcr_body(w))  # not the focal's organisation
        refused(response, 403)
        assert GcrPledge.objects.count() == 1


class GcrPledgeTransitionApiTests:
    def test_submit_and_publish(self, w):
        pledge = _gcr(w)
        response = post(w["ngo_user"], f"/gcr-pledges/{pledge.pk}/transition", {"to": "submitted"})
        assert response.json()["state"] == "submitted"
        response = post(
            w["secretariat"], f"/gcr-pledges/{pledge.pk}/transition", {"to": "published"}
        )
        assert response.json()["state"] == "published"

    def test_pledger_cannot_publish_and_illegal_move_is_a_conflict(self, w):
        pledge = _gcr(w, "submitted")
        response = post(w["ngo_user"], f"/gcr-pledges/{pledge.pk}/transition", {"to": "published"})
        refused(response, 403)
        response = post(w["secretariat"], f"/gcr-pledges/{pledge.pk}/transition", {"to": "draft"})
        refused(response, 409)
        pledge.refresh_from_db()
        assert pledge.state == "submitted"


class GcrPledgeStageApiTests:
    def test_pledger_reports_the_stage(self, w):
        stage = GcrPledgeStage.objects.create(code="in-progress", name="In progress")
        pledge = _gcr(w, "submitted", "published")
        response = post(
            w["ngo_user"],
            f"/gcr-pledges/{pledge.pk}/updates",
            {"stage": "in-progress", "narrative": "Classes started."},
        )
        assert response.status_code == 201
        pledge.refresh_from_db()
        assert pledge.stage == stage
        assert client_get(f"/gcr-pledges/{pledge.pk}")["stage"] == "in-progress"

    def test_wrong_role_unknown_stage_and_blank_narrative(self, w):
        GcrPledgeStage.objects.create(code="in-progress", name="In progress")
        pledge = _gcr(w, "submitted", "published")
        body = {"stage": "in-progress", "narrative": "Done."}
        refused(post(w["focal"], f"/gcr-pledges/{pledge.pk}/updates", body), 403)
        body = {"stage": "finished", "narrative": "Done."}
        refused(post(w["ngo_user"], f"/gcr-pledges/{pledge.pk}/updates", body), 400, "stage")
        body = {"stage": "in-progress", "narrative": "  "}
        refused(post(w["ngo_user"], f"/gcr-pledges/{pledge.pk}/updates", body), 400, "narrative")
        assert not GcrPledgeUpdate.objects.exists()
        pledge.refresh_from_db()
        assert pledge.stage is None


def client_get(path: str) -> dict:
    response = Client().get(f"{API}{path}")
    assert response.status_code == 200
    return response.json()


# --- National plans ---------------------------------------------------------------------------


def _version(w, *, state="draft", with_action=True) -> PlanVersion:
    version = plans.national_plan_with_version_create(
        country=w["morocco"],
        title="Morocco GCM plan",
        data=plans.PlanVersionInput(period_start=2024, period_end=2030),
        actor=w["focal"],
    )
    if with_action:
        plans.plan_action_create(
            version=version,
            data=plans.PlanActionInput(
                title="Health cards", lead_ministry="Health", objectives=[f.objective(15)]
            ),
            actor=w["focal"],
        )
    if state in {"submitted", "published"}:
        plans.plan_version_transition(version=version, to="submitted", actor=w["focal"])
    if state == "published":
        plans.plan_version_transition(version=version, to="published", actor=w["secretariat"])
    return version


class PlanVersionApiTests:
    def test_new_version_copies_the_actions(self, w):
        version = _version(w, state="published")
        response = post(
            w["focal"],
            f"/plans/{version.plan_id}/versions",
            {"period_start": 2026, "period_end": 2032, "amount": "1000", "currency": "MAD"},
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["number"], body["state"]) == (2, "draft")
        assert [a["title"] for a in body["actions"]] == ["Health cards"]

    def test_other_government_cannot_open_a_version(self, w):
        version = _version(w, state="published")
        body = {"period_start": 2026, "period_end": 2032}
        refused(post(w["stranger"], f"/plans/{version.plan_id}/versions", body), 403)
        assert PlanVersion.objects.count() == 1

    def test_reversed_period_and_version_in_preparation(self, w):
        version = _version(w, state="published")
        body = {"period_start": 2032, "period_end": 2026}
        refused(post(w["focal"], f"/plans/{version.plan_id}/versions", body), 400, "period_end")
        body = {"period_start": 2026, "period_end": 2032, "amount": "5"}
        refused(post(w["focal"], f"/plans/{version.plan_id}/versions", body), 400, "currency")
        body = {"period_start": 2026, "period_end": 2032}
        assert post(w["focal"], f"/plans/{version.plan_id}/versions", body).status_code == 201
        body = refused(post(w["focal"], f"/plans/{version.plan_id}/versions", body), 409)
        assert body["extra"] == {"plan": version.plan_id}
        assert PlanVersion.objects.count() == 2


class PlanActionApiTests:
    def body(self, **changes):
        return {
            "title": "Train health workers",
            "lead_ministry": "Ministry of Health",
            "objectives": [15],
            "principles": ["f"],
            **changes,
        }

    def test_focal_point_adds_an_action(self, w):
        version = _version(w, with_action=False)
        response = post(w["focal"], f"/plan-versions/{version.pk}/actions", self.body())
        assert response.status_code == 201, response.content
        assert response.json()["principles"] == ["f"]
        assert response.json()["objectives"] == [15]

    def test_published_version_and_other_government_are_refused(self, w):
        version = _version(w, state="published")
        refused(post(w["focal"], f"/plan-versions/{version.pk}/actions", self.body()), 403)
        refused(post(w["stranger"], f"/plan-versions/{version.pk}/actions", self.body()), 403)
        assert PlanAction.objects.count() == 1

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"objectives": [99]}, "objectives"),
            ({"objectives": []}, "objectives"),
            ({"principles": ["z"]}, "principles"),
            ({"actions": ["99z"]}, "actions"),
            ({"lead_ministry": "  "}, "lead_ministry"),
            ({"amount": "10"}, "currency"),
        ],
    )
    def test_bad_input_names_the_field(self, w, changes, field):
        version = _version(w, with_action=False)
        response = post(w["focal"], f"/plan-versions/{version.pk}/actions", self.body(**changes))
        refused(response, 400, field)
        assert not PlanAction.objects.exists()


class PlanVersionTransitionApiTests:
    def test_submit_then_publish(self, w):
        version = _version(w)
        response = post(w["focal"], f"/plan-versions/{version.pk}/transition", {"to": "submitted"})
        assert response.json()["state"] == "submitted"
        response = post(
            w["secretariat"], f"/plan-versions/{version.pk}/transition", {"to": "published"}
        )
        assert response.json()["state"] == "published"

    def test_government_cannot_publish_its_own_plan(self, w):
        version = _version(w, state="submitted")
        body = {"to": "published"}
        refused(post(w["focal"], f"/plan-versions/{version.pk}/transition", body), 403)
        version.refresh_from_db()
        assert version.state == "submitted"

    def test_empty_version_cannot_be_submitted(self, w):
        """The guard: a version is submitted with at least one action (409, nothing moves)."""
        version = _version(w, with_action=False)
        body = {"to": "submitted"}
        refused(post(w["focal"], f"/plan-versions/{version.pk}/transition", body), 409)
        version.refresh_from_db()
        assert version.state == "draft"


class PlanProgressApiTests:
    def test_focal_point_reports_progress(self, w):
        action = _version(w, state="published").actions.get()
        body = {"status": "ongoing", "narrative": "Cards issued.", "progress_percent": 40}
        response = post(w["focal"], f"/plan-actions/{action.pk}/updates", body)
        assert response.status_code == 201
        action.refresh_from_db()
        assert action.status == "ongoing"

    def test_other_government_and_draft_plan_are_refused(self, w):
        action = _version(w, state="published").actions.get()
        body = {"status": "ongoing", "narrative": "Cards issued."}
        refused(post(w["stranger"], f"/plan-actions/{action.pk}/updates", body), 403)
        draft_action = _version_for_other_plan(w)
        refused(post(w["focal"], f"/plan-actions/{draft_action.pk}/updates", body), 403)
        assert not PlanProgressUpdate.objects.exists()

    def test_bad_input(self, w):
        action = _version(w, state="published").actions.get()
        body = {"status": "ongoing", "narrative": "  "}
        refused(post(w["focal"], f"/plan-actions/{action.pk}/updates", body), 400, "narrative")
        body = {"status": "ongoing", "narrative": "x", "progress_percent": 150}
        response = refused(post(w["focal"], f"/plan-actions/{action.pk}/updates", body), 422)
        assert response["extra"]["errors"][0]["loc"][-1] == "progress_percent"
        assert not PlanProgressUpdate.objects.exists()
        action.refresh_from_db()
        assert action.status == "planned"


def _version_for_other_plan(w) -> PlanAction:
    version = plans.national_plan_with_version_create(
        country=w["morocco"],
        title="Second plan",
        data=plans.PlanVersionInput(period_start=2024, period_end=2030),
        actor=w["focal"],
    )
    return plans.plan_action_create(
        version=version,
        data=plans.PlanActionInput(title="x", lead_ministry="y", objectives=[f.objective(15)]),
        actor=w["focal"],
    )


# --- National reviews -------------------------------------------------------------------------


def _review(w) -> NationalReview:
    edition = ImrfEdition.objects.create(year=2026, title="IMRF 2026")
    return plans.national_review_create(
        country=w["morocco"], title="Morocco VNR", imrf_edition=edition, actor=w["focal"]
    )


def attach(user, review, name="vnr.pdf", content=b"%PDF-1.4", title="Full report"):
    client = Client()
    client.force_login(user)
    return client.post(
        f"{API}/national-reviews/{review.pk}/attachments",
        {"file": SimpleUploadedFile(name, content), "title": title},
    )


class NationalReviewAttachApiTests:
    def test_focal_point_attaches_a_file(self, w):
        review = _review(w)
        response = attach(w["focal"], review)
        assert response.status_code == 201, response.content
        assert (response.json()["title"], response.json()["size"]) == ("Full report", 8)
        assert review.attachments.count() == 1
        assert AuditRecord.objects.filter(action="tracking.national_review.attach").count() == 1

    def test_submitted_review_and_other_government_are_refused(self, w):
        review = _review(w)
        refused(attach(w["stranger"], review), 404)  # a draft is not visible to others
        plans.national_review_transition(review=review, to="submitted", actor=w["focal"])
        refused(attach(w["focal"], review), 403)
        refused(attach(w["secretariat"], review), 403)
        assert not Attachment.objects.exists()

    def test_type_size_and_title_are_checked(self, w):
        review = _review(w)
        body = refused(attach(w["focal"], review, name="notes.exe", content=b"MZ"), 400)
        assert body["extra"]["field"] == "file"
        assert "exe" in body["message"]
        refused(attach(w["focal"], review, title="t" * 301), 400, "title")
        assert not Attachment.objects.exists()

    def test_file_over_25_mb_is_refused(self, w, monkeypatch):
        """The form's limit (25 MB), checked on the upload's size."""
        from compacts.tracking.services import pledges as pledge_services

        monkeypatch.setattr(pledge_services, "ATTACHMENT_MAX_BYTES", 4)
        review = _review(w)
        body = refused(attach(w["focal"], review, content=b"%PDF-1.4"), 400, "file")
        assert "MB" in body["message"]
        assert not Attachment.objects.exists()


class NationalReviewTransitionApiTests:
    def test_submit_and_publish(self, w):
        review = _review(w)
        response = post(
            w["focal"], f"/national-reviews/{review.pk}/transition", {"to": "submitted"}
        )
        assert response.json()["state"] == "submitted"
        response = post(
            w["secretariat"], f"/national-reviews/{review.pk}/transition", {"to": "published"}
        )
        assert response.json()["state"] == "published"

    def test_wrong_role_and_illegal_move(self, w):
        review = _review(w)
        body = {"to": "published"}
        refused(post(w["focal"], f"/national-reviews/{review.pk}/transition", body), 409)
        plans.national_review_transition(review=review, to="submitted", actor=w["focal"])
        refused(post(w["focal"], f"/national-reviews/{review.pk}/transition", body), 403)
        review.refresh_from_db()
        assert review.state == "submitted"


# --- Indicators ------------------------------------------------------------------------------


def _indicator(w) -> Indicator:
    return indicators.indicator_create(
        data=indicators.IndicatorInput(kind="sdg", code="3.8.1", title="UHC"),
        actor=w["secretariat"],
    )


class IndicatorTargetApiTests:
    def test_secretariat_sets_and_clears_the_target(self, w):
        _indicator(w)
        response = put(
            w["secretariat"], "/indicators/3-8-1/target", {"target_value": 80, "target_year": 2030}
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert (Decimal(body["target_value"]), body["target_year"]) == (Decimal(80), 2030)
        response = put(w["secretariat"], "/indicators/3-8-1/target", {})
        assert response.json()["target_value"] is None

    def test_government_cannot_set_a_catalogue_target(self, w):
        _indicator(w)
        body = {"target_value": 80, "target_year": 2030}
        refused(put(w["focal"], "/indicators/3-8-1/target", body), 403)
        assert Indicator.objects.get().target_value is None

    def test_value_without_year_is_refused(self, w):
        _indicator(w)
        body = {"target_value": 80}
        refused(put(w["secretariat"], "/indicators/3-8-1/target", body), 400, "target_value")
        assert Indicator.objects.get().target_value is None


class IndicatorImportApiTests:
    def upload(self, user, content: bytes):
        client = Client()
        client.force_login(user)
        return client.post(
            f"{API}/indicators/3-8-1/data", {"file": SimpleUploadedFile("3-8-1.csv", content)}
        )

    def test_one_refused_row_loads_nothing(self, w):
        """The report names each row and column; the data already stored stays as it was."""
        _indicator(w)
        good = b"Year,GeoCode,Value\n2015,504,60\n2020,504,65\n"
        assert self.upload(w["secretariat"], good).status_code == 200
        bad = b"Year,GeoCode,Value\n2015,504,61\n2020,504,abc\n2021,999,70\n"
        response = self.upload(w["secretariat"], bad)
        assert response.status_code == 400
        rows = response.json()["rows"]
        assert [(r["row"], r["accepted"], r["column"]) for r in rows] == [
            (2, True, ""),
            (3, False, "Value"),
            (4, False, "GeoCode"),
        ]
        values = sorted(Observation.objects.values_list("year", "value"))
        assert [(year, int(value)) for year, value in values] == [(2015, 60), (2020, 65)]

    def test_missing_year_column_is_refused(self, w):
        _indicator(w)
        response = self.upload(w["secretariat"], b"GeoCode,Value\n504,60\n")
        assert response.status_code == 400
        first = response.json()["rows"][0]
        assert (first["row"], first["column"]) == (1, "Year")
        assert not Observation.objects.exists()


# --- The review cycle ----------------------------------------------------------------------


class RegistrationDecisionApiTests:
    def registration(self, w):
        edition = ImrfEdition.objects.create(year=2026, title="IMRF 2026")
        return cycle.registration_create(
            organisation=w["ngo"],
            participant_name="Amina Diallo",
            imrf_edition=edition,
            actor=w["ngo_user"],
        )

    def test_secretariat_accepts_then_cannot_decide_again(self, w):
        registration = self.registration(w)
        path = f"/registrations/{registration.pk}/decision"
        response = post(w["secretariat"], path, {"accept": True})
        assert response.json()["status"] == "accepted"
        body = refused(post(w["secretariat"], path, {"accept": False}), 409)
        assert body["extra"] == {"status": "accepted"}
        registration.refresh_from_db()
        assert registration.status == "accepted"

    def test_registrant_cannot_decide(self, w):
        registration = self.registration(w)
        path = f"/registrations/{registration.pk}/decision"
        refused(post(w["ngo_user"], path, {"accept": True}), 403)
        assert StakeholderRegistration.objects.get().status == "registered"


class SubmissionPublishApiTests:
    def submission(self, w):
        edition = ImrfEdition.objects.create(year=2026, title="IMRF 2026")
        return cycle.submission_create(
            organisation=w["ngo"],
            title="Migrants' voices",
            text="Our input.",
            objectives=[f.objective(15)],
            imrf_edition=edition,
            actor=w["ngo_user"],
        )

    def test_secretariat_publishes_once(self, w):
        submission = self.submission(w)
        response = post(w["secretariat"], f"/submissions/{submission.pk}/publish")
        assert response.json()["status"] == "published"
        assert client_get("/submissions")["count"] == 1
        refused(post(w["secretariat"], f"/submissions/{submission.pk}/publish"), 409)

    def test_author_cannot_publish(self, w):
        submission = self.submission(w)
        refused(post(w["ngo_user"], f"/submissions/{submission.pk}/publish"), 403)
        assert WrittenSubmission.objects.get().status == "submitted"


class CommitmentApiTests:
    def body(self, **changes):
        return {
            "edition": 2022,
            "paragraph": "70",
            "title": "Proposal of indicators",
            "text": "The Secretary-General proposes a limited set of indicators.",
            **changes,
        }

    @pytest.fixture
    def edition(self):
        return ImrfEdition.objects.create(year=2022, title="IMRF 2022")

    def test_secretariat_tracks_assigns_and_moves_a_commitment(self, w, edition):
        response = post(w["secretariat"], "/commitments", self.body(due_on="2026-05-01"))
        assert response.status_code == 201, response.content
        commitment_id = response.json()["id"]
        assert response.json()["state"] == "open"
        response = post(
            w["secretariat"],
            f"/commitments/{commitment_id}/owner",
            {"owner": w["ngo"].pk, "owner_label": "Working group"},
        )
        assert (response.json()["owner"], response.json()["owner_label"]) == (
            w["ngo"].pk,
            "Working group",
        )
        path = f"/commitments/{commitment_id}/transition"
        response = post(w["ngo_user"], path, {"to": "in-progress"})  # the owner moves it
        assert response.json()["state"] == "in-progress"
        response = post(w["secretariat"], path, {"to": "done"})
        assert response.json()["state"] == "done"

    def test_only_the_secretariat_creates_and_assigns(self, w, edition):
        refused(post(w["focal"], "/commitments", self.body()), 403)
        assert not Commitment.objects.exists()
        commitment = cycle.commitment_create(
            edition=edition, paragraph="70", title="x", text="y", actor=w["secretariat"]
        )
        body = {"owner": w["ngo"].pk}
        refused(post(w["ngo_user"], f"/commitments/{commitment.pk}/owner", body), 403)
        commitment.refresh_from_db()
        assert commitment.owner is None

    def test_bad_input_and_conflicts(self, w, edition):
        assert post(w["secretariat"], "/commitments", self.body()).status_code == 201
        body = refused(post(w["secretariat"], "/commitments", self.body()), 409, "paragraph")
        assert "70" in body["message"]
        refused(post(w["secretariat"], "/commitments", self.body(edition=2030)), 404, "edition")
        refused(post(w["secretariat"], "/commitments", self.body(paragraph=" ")), 400, "paragraph")
        refused(post(w["secretariat"], "/commitments", self.body(title="  ")), 400, "title")
        assert Commitment.objects.count() == 1

    def test_secretariat_corrects_a_commitment(self, w, edition):
        """PUT changes the content and the owner (audited), not the state; another role is
        refused (403) and a taken paragraph is a 409 naming it, both changing nothing."""
        commitment = cycle.commitment_create(
            edition=edition, paragraph="70", title="x", text="y", actor=w["secretariat"]
        )
        cycle.commitment_create(
            edition=edition, paragraph="76", title="z", text="y", actor=w["secretariat"]
        )
        body = {"paragraph": "70", "title": "Indicators", "text": "y", "owner": w["ngo"].pk}
        refused(put(w["ngo_user"], f"/commitments/{commitment.pk}", body), 403)
        refused(
            put(w["secretariat"], f"/commitments/{commitment.pk}", {**body, "paragraph": "76"}),
            409,
            "paragraph",
        )
        commitment.refresh_from_db()
        assert (commitment.title, commitment.owner) == ("x", None)
        response = put(w["secretariat"], f"/commitments/{commitment.pk}", body)
        assert response.status_code == 200, response.content
        assert (response.json()["title"], response.json()["owner"]) == ("Indicators", w["ngo"].pk)
        assert response.json()["state"] == "open"
        assert AuditRecord.objects.filter(action="tracking.commitment.update").count() == 1
        refused(put(w["secretariat"], "/commitments/999", body), 404)

    def test_secretariat_moves_a_commitment_to_another_imrf(self, w, edition):
        """PUT with ``edition`` (an IMRF year) moves it; an unknown year is a 404 naming the
        field; without ``edition`` it stays."""
        later = ImrfEdition.objects.create(year=2026, title="IMRF 2026")
        commitment = cycle.commitment_create(
            edition=edition, paragraph="70", title="x", text="y", actor=w["secretariat"]
        )
        body = {"paragraph": "70", "title": "x", "text": "y"}
        path = f"/commitments/{commitment.pk}"
        refused(put(w["secretariat"], path, {**body, "edition": 2030}), 404, "edition")
        commitment.refresh_from_db()
        assert commitment.edition == edition
        response = put(w["secretariat"], path, {**body, "edition": 2026})
        assert response.status_code == 200, response.content
        commitment.refresh_from_db()
        assert commitment.edition == later
        assert put(w["secretariat"], path, body).status_code == 200
        commitment.refresh_from_db()
        assert commitment.edition == later

    def test_transition_rules(self, w, edition):
        commitment = cycle.commitment_create(
            edition=edition, paragraph="70", title="x", text="y", actor=w["secretariat"]
        )
        path = f"/commitments/{commitment.pk}/transition"
        refused(post(w["secretariat"], path, {"to": "in-progress"}), 409)  # no owner yet
        refused(post(w["secretariat"], path, {"to": "dropped"}), 400, "note")
        cycle.commitment_assign(commitment=commitment, owner=w["ngo"], actor=w["secretariat"])
        refused(post(w["focal"], path, {"to": "in-progress"}), 403)  # not the owner
        refused(post(w["ngo_user"], path, {"to": "dropped", "note": "No longer needed."}), 403)
        commitment.refresh_from_db()
        assert commitment.state == "open"


# --- Records created through the API -------------------------------------------------------


class CreateApiTests:
    """The create endpoints of the other objects: right person, wrong role, bad input."""

    def test_plan(self, w):
        response = post(w["focal"], "/plans", {"country": "504", "title": "Morocco GCM plan"})
        assert response.status_code == 201
        assert response.json()["country"] == "504"
        refused(post(w["stranger"], "/plans", {"country": "504", "title": "x"}), 403)
        refused(post(w["focal"], "/plans", {"country": "MA", "title": "x"}), 400, "country")
        assert client_get("/plan-versions")["count"] == 0  # no version yet, nothing public

    def test_national_review(self, w):
        ImrfEdition.objects.create(year=2026, title="IMRF 2026")
        body = {"country": "504", "title": "Morocco VNR", "imrf_edition": 2026}
        response = post(w["focal"], "/national-reviews", body)
        assert response.status_code == 201
        assert (response.json()["state"], response.json()["imrf_edition"]) == ("draft", 2026)
        refused(post(w["stranger"], "/national-reviews", body), 403)
        refused(post(w["focal"], "/national-reviews", {**body, "imrf_edition": None}), 400, "forum")
        assert NationalReview.objects.count() == 1

    def test_indicator(self, w):
        body = {"kind": "national", "code": "MH-1", "title": "Migrants with a health card"}
        refused(post(w["secretariat"], "/indicators", body), 400, "country")
        response = post(w["focal"], "/indicators", {**body, "country": "504"})
        assert response.status_code == 201
        assert response.json()["slug"] == "ma-mh-1"
        sdg = {"kind": "sdg", "code": "3.8.1", "title": "UHC"}
        refused(post(w["focal"], "/indicators", sdg), 403)  # the catalogue: the secretariat
        assert post(w["secretariat"], "/indicators", sdg).status_code == 201
        refused(post(w["secretariat"], "/indicators", sdg), 400, "code")  # already there
        assert Indicator.objects.count() == 2

    def test_health_inclusion(self, w):
        body = {
            "country": "504",
            "assessed_on": "2025-06-30",
            "health_plan": "yes",
            "vaccination_plan": "partial",
            "source": "Ministry of Health circular",
        }
        assert post(w["focal"], "/health/inclusion", body).status_code == 201
        refused(post(w["stranger"], "/health/inclusion", body), 403)
        refused(post(w["focal"], "/health/inclusion", body), 400, "assessed_on")  # same date
        assert [row["vaccination_plan"] for row in client_get("/health/inclusion")] == ["partial"]

    def test_registration_and_submission(self, w):
        ImrfEdition.objects.create(year=2026, title="IMRF 2026")
        body = {"organisation": w["ngo"].pk, "participant_name": "Amina", "imrf_edition": 2026}
        assert post(w["ngo_user"], "/registrations", body).status_code == 201
        refused(post(w["focal"], "/registrations", body), 403)  # not her organisation
        refused(post(w["ngo_user"], "/registrations", {**body, "imrf_edition": 2030}), 404)
        text = {"organisation": w["ngo"].pk, "title": "Input", "text": "Our input."}
        assert (
            post(w["ngo_user"], "/submissions", {**text, "imrf_edition": 2026}).status_code == 201
        )
        refused(post(w["ngo_user"], "/submissions", text), 400, "forum")  # no forum
        assert StakeholderRegistration.objects.count() == 1
        assert WrittenSubmission.objects.count() == 1
