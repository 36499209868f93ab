"""GCM and GCR pledges: the life cycle, the official form's rules and bad input."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from compacts.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from compacts.core.models import AuditRecord
from compacts.tracking.models import Pledge, PledgeStatusUpdate, WorkflowTransition
from compacts.tracking.services import pledges as services
from compacts.tracking.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def state_org():
    return f.organisation("Kingdom of Morocco", country_obj=f.country())


@pytest.fixture
def focal_point(state_org):
    return f.user(roles=[("government-focal-point", state_org)])


@pytest.fixture
def secretariat():
    return f.secretariat_user()


class PledgeLifeCycleTests:
    def test_walks_draft_to_fulfilled_with_log_and_audit(self, state_org, focal_point, secretariat):
        """A focal point drafts and submits, the secretariat returns then publishes, the pledger
        reports progress and marks it fulfilled; every move is logged and audited."""
        pledge = f.pledge(state_org, focal_point, objectives=[f.objective(15)])
        assert pledge.state == "draft"
        assert pledge.reference == f"GCM-P-{pledge.pk:05d}"
        assert pledge.is_health is True
        services.pledge_submit(pledge=pledge, actor=focal_point)
        services.pledge_return(pledge=pledge, actor=secretariat, note="Add a timeline.")
        services.pledge_update(
            pledge=pledge,
            data=f.pledge_input(state_org, title="Health for all, by 2026"),
            actor=focal_point,
        )
        services.pledge_submit(pledge=pledge, actor=focal_point)
        services.pledge_publish(pledge=pledge, actor=secretariat)
        update = services.pledge_status_update_create(
            pledge=pledge, progress="in-progress", narrative="Law drafted.", actor=focal_point
        )
        services.pledge_transition(pledge=pledge, to="fulfilled", actor=focal_point)
        pledge.refresh_from_db()
        assert pledge.state == "fulfilled"
        assert pledge.title == "Health for all, by 2026"
        assert pledge.published_at is not None
        moves = list(
            WorkflowTransition.objects.filter(machine="pledge", object_id=pledge.pk).values_list(
                "from_state", "to_state"
            )
        )
        assert moves == [
            ("draft", "submitted"),
            ("submitted", "returned"),
            ("returned", "submitted"),
            ("submitted", "published"),
            ("published", "fulfilled"),
        ]
        actions = list(
            AuditRecord.objects.filter(
                object_id=str(pledge.pk), action__startswith="tracking.pledge"
            ).values_list("action", flat=True)
        )
        assert actions.count("tracking.pledge.transition") == 5
        assert "tracking.pledge.create" in actions
        assert "tracking.pledge.report" in actions
        assert update.progress == "in-progress"

    def test_pledger_cannot_publish_own_pledge(self, state_org, focal_point):
        """Publishing is the secretariat's move: the pledger is refused and nothing changes."""
        pledge = f.pledge(state_org, focal_point)
        services.pledge_submit(pledge=pledge, actor=focal_point)
        with pytest.raises(PermissionDeniedError):
            services.pledge_publish(pledge=pledge, actor=focal_point)
        pledge.refresh_from_db()
        assert pledge.state == "submitted"

    def test_illegal_move_is_a_conflict(self, state_org, focal_point):
        """A draft cannot be fulfilled: ConflictError lists the allowed moves."""
        pledge = f.pledge(state_org, focal_point)
        with pytest.raises(ConflictError) as caught:
            services.pledge_transition(pledge=pledge, to="fulfilled", actor=focal_point)
        assert set(caught.value.extra["allowed"]) == {"submitted", "withdrawn"}

    def test_other_organisation_cannot_create_or_edit(self, state_org, focal_point):
        """A focal point of another organisation can neither pledge for it nor edit its pledge."""
        other = f.user(roles=[("stakeholder-contributor", f.organisation("NGO", "civil-society"))])
        with pytest.raises(PermissionDeniedError):
            f.pledge(state_org, other)
        pledge = f.pledge(state_org, focal_point)
        with pytest.raises(PermissionDeniedError):
            services.pledge_update(pledge=pledge, data=f.pledge_input(state_org), actor=other)

    def test_status_update_only_on_published(self, state_org, focal_point):
        """Progress is reported on published pledges only."""
        pledge = f.pledge(state_org, focal_point)
        with pytest.raises(PermissionDeniedError):
            services.pledge_status_update_create(
                pledge=pledge, progress="in-progress", narrative="x", actor=focal_point
            )
        assert not PledgeStatusUpdate.objects.exists()


class PledgeBadInputTests:
    @pytest.mark.parametrize("length", [299, 3001])
    def test_description_outside_300_to_3000_is_refused(self, state_org, focal_point, length):
        """A description of 299 or 3,001 characters is refused, naming the field; nothing stored."""
        with pytest.raises(ApplicationError) as caught:
            f.pledge(state_org, focal_point, description="x" * length)
        assert caught.value.extra == {"field": "description"}
        assert f"has {length} characters" in caught.value.message
        assert not Pledge.objects.exists()

    @pytest.mark.parametrize("length", [300, 3000])
    def test_description_at_the_limits_is_accepted(self, state_org, focal_point, length):
        pledge = f.pledge(state_org, focal_point, description="y" * length)
        assert len(pledge.description) == length

    def test_common_pledge_names_partners(self, state_org, focal_point):
        """A common pledge without partners is refused."""
        with pytest.raises(ApplicationError) as caught:
            f.pledge(state_org, focal_point, kind="common")
        assert caught.value.extra == {"field": "partners"}

    def test_financial_pledge_needs_amount_and_currency(self, state_org, focal_point):
        with pytest.raises(ApplicationError) as caught:
            f.pledge(state_org, focal_point, pledge_type="financial")
        assert caught.value.extra == {"field": "amount"}
        with pytest.raises(ApplicationError) as caught:
            f.pledge(state_org, focal_point, pledge_type="financial", amount=Decimal("10"))
        assert caught.value.extra == {"field": "currency"}

    def test_pledge_serves_something(self, state_org, focal_point):
        with pytest.raises(ApplicationError) as caught:
            f.pledge(state_org, focal_point, objectives=[])
        assert caught.value.extra == {"field": "objectives"}

    def test_attachment_type_and_size(self, state_org, focal_point):
        """Only the form's file types, at most 25 MB."""
        exe = SimpleUploadedFile("run.exe", b"MZ")
        with pytest.raises(ApplicationError) as caught:
            services.pledge_create(
                data=f.pledge_input(state_org), actor=focal_point, attachment=exe
            )
        assert caught.value.extra == {"field": "attachment"}
        big = SimpleUploadedFile("big.pdf", b"0")
        big.size = services.ATTACHMENT_MAX_BYTES + 1
        with pytest.raises(ApplicationError):
            services.pledge_create(
                data=f.pledge_input(state_org), actor=focal_point, attachment=big
            )
        ok = SimpleUploadedFile("plan.pdf", b"%PDF-1.4")
        pledge = services.pledge_create(
            data=f.pledge_input(state_org), actor=focal_point, attachment=ok
        )
        assert pledge.attachment.name.endswith(".pdf")

    def test_matching_pledge_links(self, state_org, focal_point):
        first = f.pledge(state_org, focal_point)
        second = f.pledge(state_org, focal_point, matching_pledge=first)
        assert second.matching_pledge == first
        assert list(first.matched_by.all()) == [second]


class FundLinkTests:
    def test_secretariat_links_financial_pledge(self, state_org, focal_point, secretariat):
        """A financial pledge keeps the id of the fund's contribution record."""
        pledge = f.pledge(
            state_org,
            focal_point,
            pledge_type="financial",
            amount=Decimal("250000"),
            currency="usd",
        )
        assert pledge.currency == "USD"
        services.pledge_link_fund_contribution(pledge=pledge, contribution_id=42, actor=secretariat)
        pledge.refresh_from_db()
        assert pledge.fund_contribution_id == 42
        with pytest.raises(PermissionDeniedError):
            services.pledge_link_fund_contribution(
                pledge=pledge, contribution_id=7, actor=focal_point
            )

    def test_non_financial_pledge_cannot_link(self, state_org, focal_point, secretariat):
        pledge = f.pledge(state_org, focal_point)
        with pytest.raises(ApplicationError):
            services.pledge_link_fund_contribution(
                pledge=pledge, contribution_id=1, actor=secretariat
            )
        pledge.refresh_from_db()
        assert pledge.fund_contribution_id is None


class GcrPledgeTests:
    def test_life_cycle_and_stage_updates(self, state_org, focal_point, secretariat):
        """A GRF pledge is drafted, published, and its stage of progress updated."""
        from compacts.tracking.models import GcrPledgeStage

        stage = GcrPledgeStage.objects.create(code="in-progress", name="In progress")
        data = services.GcrPledgeInput(
            title="Include refugees in the national health system",
            pledge_type="policy-change",
            description="Refugees get the same primary care as nationals.",
            forum_year=2023,
            organisation=state_org,
            gcr_objective=f.gcr_objective(1),
            areas=[f.gcr_area()],
        )
        pledge = services.gcr_pledge_create(data=data, actor=focal_point)
        assert pledge.reference == f"GRF-2023-{pledge.pk:05d}"
        assert pledge.is_health
        services.gcr_pledge_transition(pledge=pledge, to="submitted", actor=focal_point)
        services.gcr_pledge_transition(pledge=pledge, to="published", actor=secretariat)
        services.gcr_pledge_update_create(
            pledge=pledge, stage=stage, narrative="Decree adopted.", actor=focal_point
        )
        pledge.refresh_from_db()
        assert (pledge.state, pledge.stage) == ("published", stage)

    def test_resettlement_pledge_states_places(self, state_org, focal_point):
        data = services.GcrPledgeInput(
            title="Resettlement",
            pledge_type="resettlement",
            description="Places.",
            forum_year=2023,
            organisation=state_org,
            gcr_objective=f.gcr_objective(3),
        )
        with pytest.raises(ApplicationError) as caught:
            services.gcr_pledge_create(data=data, actor=focal_point)
        assert caught.value.extra == {"field": "resettlement_places"}


def _gcr_input(org, **overrides) -> services.GcrPledgeInput:
    data = services.GcrPledgeInput(
        title="Include refugees in the national health system",
        pledge_type="policy-change",
        description="Refugees get the same primary care as nationals.",
        forum_year=2023,
        organisation=org,
        gcr_objective=f.gcr_objective(1),
        areas=[f.gcr_area()],
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


class GcrPledgeEditTests:
    def test_pledger_edits_a_draft_and_a_returned_pledge(self, state_org, focal_point, secretariat):
        """Draft and returned pledges are edited with the creation's checks; the edit is
        audited with the values before and after, areas included."""
        pledge = services.gcr_pledge_create(data=_gcr_input(state_org), actor=focal_point)
        services.gcr_pledge_update(
            pledge=pledge,
            data=_gcr_input(
                state_org, title="Refugees in primary care", areas=[], forum_year=2027,
                pledge_type="financial", amount=Decimal("1000000"), currency="usd",
            ),
            actor=focal_point,
        )  # fmt: skip
        pledge.refresh_from_db()
        assert (pledge.title, pledge.forum_year, pledge.currency) == (
            "Refugees in primary care",
            2027,
            "USD",
        )
        assert pledge.reference.startswith("GRF-2023-")  # the reference does not change
        assert pledge.is_health is False
        assert not pledge.areas.exists()
        record = AuditRecord.objects.get(action="tracking.gcr_pledge.update")
        assert record.before["areas"] == ["B-2.3"]
        assert record.after["areas"] == []
        assert record.after["title"] == "Refugees in primary care"
        services.gcr_pledge_transition(pledge=pledge, to="submitted", actor=focal_point)
        services.gcr_pledge_transition(pledge=pledge, to="returned", actor=secretariat)
        services.gcr_pledge_update(
            pledge=pledge, data=_gcr_input(state_org, title="Second try"), actor=secretariat
        )
        pledge.refresh_from_db()
        assert pledge.title == "Second try"

    @pytest.mark.parametrize("state", ["submitted", "published", "withdrawn"])
    def test_not_editable_after_submission(self, state_org, focal_point, secretariat, state):
        """Submitted (under review), published (public record) and withdrawn pledges are not
        edited; nothing changes."""
        pledge = services.gcr_pledge_create(data=_gcr_input(state_org), actor=focal_point)
        moves = {
            "submitted": [("submitted", focal_point)],
            "published": [("submitted", focal_point), ("published", secretariat)],
            "withdrawn": [("withdrawn", focal_point)],
        }[state]
        for to, actor in moves:
            services.gcr_pledge_transition(pledge=pledge, to=to, actor=actor)
        for actor in (focal_point, secretariat):
            with pytest.raises(PermissionDeniedError):
                services.gcr_pledge_update(
                    pledge=pledge, data=_gcr_input(state_org, title="Changed"), actor=actor
                )
        pledge.refresh_from_db()
        assert pledge.title == "Include refugees in the national health system"
        assert not AuditRecord.objects.filter(action="tracking.gcr_pledge.update").exists()

    def test_other_organisation_cannot_edit(self, state_org, focal_point):
        pledge = services.gcr_pledge_create(data=_gcr_input(state_org), actor=focal_point)
        other = f.organisation("Migrant Voices", "migrant-diaspora")
        stranger = f.user(roles=[("stakeholder-contributor", other)])
        with pytest.raises(PermissionDeniedError):
            services.gcr_pledge_update(
                pledge=pledge, data=_gcr_input(state_org, title="Changed"), actor=stranger
            )

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"title": "  "}, "title"),
            ({"pledge_type": "loan"}, "pledge_type"),
            ({"description": ""}, "description"),
            ({"amount": Decimal("5"), "currency": ""}, "currency"),
            ({"amount": Decimal("-5"), "currency": "USD"}, "amount"),
            ({"pledge_type": "resettlement", "resettlement_places": None}, "resettlement_places"),
        ],
    )
    def test_bad_input_names_the_field_and_changes_nothing(
        self, state_org, focal_point, changes, field
    ):
        pledge = services.gcr_pledge_create(data=_gcr_input(state_org), actor=focal_point)
        with pytest.raises(ApplicationError) as caught:
            services.gcr_pledge_update(
                pledge=pledge, data=_gcr_input(state_org, **changes), actor=focal_point
            )
        assert caught.value.extra == {"field": field}
        pledge.refresh_from_db()
        assert pledge.title == "Include refugees in the national health system"
        assert pledge.pledge_type == "policy-change"

    def test_pledger_cannot_change(self, state_org, focal_point, secretariat):
        pledge = services.gcr_pledge_create(data=_gcr_input(state_org), actor=focal_point)
        other = f.organisation("Migrant Voices", "migrant-diaspora")
        with pytest.raises(ApplicationError) as caught:
            services.gcr_pledge_update(pledge=pledge, data=_gcr_input(other), actor=secretariat)
        assert caught.value.extra == {"field": "organisation"}
        pledge.refresh_from_db()
        assert pledge.organisation == state_org
