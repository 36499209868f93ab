"""The services enforce permissions themselves, say for which organisation the person acted,
announce public changes, and take the allocation an expenditure is reported against."""

from django.test import TestCase

from compacts.actors import roles
from compacts.actors.testing import superuser, user_with_role, user_without_role
from compacts.core.changes import versions
from compacts.core.exceptions import ApplicationError, PermissionDeniedError
from compacts.core.models import AuditRecord
from compacts.fund import services
from compacts.fund.models import Allocation, ExchangeRate, Fund, Posting, PostingLine
from compacts.fund.selectors import allocation_spent, expenditure_by_allocation
from compacts.fund.services import Authority
from compacts.fund.tests import factories
from compacts.fund.tests.factories import DAY, D


class ServicePermissionTests(TestCase):
    def setUp(self):
        self.fund, self.orgs, self.donor, self.commitment, self.allocations = factories.funded(
            "1000.00"
        )
        self.agent = user_with_role(roles.ADMINISTRATIVE_AGENT, self.fund.administrative_agent)
        self.stranger = user_with_role(roles.ADMINISTRATIVE_AGENT)  # another fund's agent

    def assertRefused(self, call):
        """``call`` raises ``PermissionDeniedError`` and writes nothing."""
        counts = (Posting.objects.count(), PostingLine.objects.count(), AuditRecord.objects.count())
        with self.assertRaisesMessage(PermissionDeniedError, "You do not have permission"):
            call()
        self.assertEqual(
            (Posting.objects.count(), PostingLine.objects.count(), AuditRecord.objects.count()),
            counts,
        )

    def test_every_writing_service_checks_its_actor(self):
        """Another fund's agent, a person without a role and the Management Unit are refused by
        each service itself, whoever calls it."""
        mu = user_with_role(roles.MANAGEMENT_UNIT_OFFICER)
        fund, alloc, org = self.fund, self.allocations[0], self.orgs[0]
        calls = {
            "participant_add": lambda a: services.participant_add(
                fund=fund, organisation=factories.organisation(), actor=a
            ),
            "pledge_create": lambda a: services.pledge_create(
                fund=fund, donor=self.donor, amount="1", currency="USD", announced_on=DAY, actor=a
            ),
            "commitment_create": lambda a: services.commitment_create(
                fund=fund, donor=self.donor, amount="1", currency="USD", signed_on=DAY, actor=a
            ),
            "deposit_create": lambda a: services.deposit_create(
                commitment=self.commitment,
                amount="1",
                currency="USD",
                value_date=DAY,
                actor=a,
                idempotency_key="x",
            ),
            "allocation_create": lambda a: services.allocation_create(
                fund=fund, organisation=org, amount="1", purpose="p", decided_on=DAY, actor=a
            ),
            "transfer_create": lambda a: services.transfer_create(
                allocation=alloc, amount="1", value_date=DAY, actor=a, idempotency_key="y"
            ),
            "refund_record": lambda a: services.refund_record(
                allocation=alloc, amount="1", value_date=DAY, actor=a
            ),
            "interest_record": lambda a: services.interest_record(
                fund=fund, amount="1", value_date=DAY, actor=a
            ),
            "direct_cost_record": lambda a: services.direct_cost_record(
                fund=fund, amount="1", value_date=DAY, actor=a
            ),
            "bank_charge_record": lambda a: services.bank_charge_record(
                fund=fund, amount="1", value_date=DAY, actor=a
            ),
            "expenditure_report": lambda a: services.expenditure_report(
                fund=fund, organisation=org, amount="1", value_date=DAY, actor=a
            ),
            "posting_reverse": lambda a: services.posting_reverse(
                posting=self.commitment.posting, actor=a, reason="r"
            ),
            "fund_rates_update": lambda a: services.fund_rates_update(
                fund=fund,
                fee_rate="0.01",
                indirect_support_cost_rate="0.07",
                confirmed=True,
                actor=a,
            ),
            "fund_create": lambda a: services.fund_create(
                code="NEW", name="New", administrative_agent=org, actor=a
            ),
            "exchange_rate_set": lambda a: services.exchange_rate_set(
                currency="EUR", effective_on=DAY, rate="0.9", source="UN", actor=a
            ),
            "exchange_rates_load_csv": lambda a: services.exchange_rates_load_csv(
                text="currency,effective_on,rate\nEUR,2025-03-01,0.9\n", source="UN", actor=a
            ),
        }
        for name, call in calls.items():
            for actor in (self.stranger, user_without_role(), mu):
                if name.startswith("exchange_rate") and actor is self.stranger:
                    continue  # any agent loads rates: they are not per fund
                if name == "expenditure_report" and actor is mu:
                    continue  # the Management Unit accepts reports (DELEGATIONS), tested below
                with self.subTest(service=name, actor=actor.username):
                    self.assertRefused(lambda call=call, actor=actor: call(actor))
        self.assertFalse(ExchangeRate.objects.exists())
        self.assertFalse(Fund.objects.filter(code="NEW").exists())

    def test_the_agent_and_administrators_pass(self):
        posting = services.interest_record(
            fund=self.fund, amount="2.00", value_date=DAY, actor=self.agent
        )
        self.assertEqual(posting.created_by, self.agent)
        services.bank_charge_record(
            fund=self.fund, amount="1.00", value_date=DAY, actor=superuser()
        )
        focal = user_with_role(roles.PUNO_FOCAL_POINT, self.orgs[0])
        services.transfer_create(
            allocation=self.allocations[0],
            amount="10.00",
            value_date=DAY,
            actor=self.agent,
            idempotency_key="t",
        )
        services.expenditure_report(
            fund=self.fund, organisation=self.orgs[0], amount="5.00", value_date=DAY, actor=focal
        )
        self.assertRefused(
            lambda: services.expenditure_report(
                fund=self.fund,
                organisation=self.orgs[1],
                amount="5.00",
                value_date=DAY,
                actor=focal,
            )
        )

    def test_calling_apps_act_under_their_delegated_permission(self):
        """The Management Unit accepting a report posts expenditure, and the chair's recorded
        decision creates an allocation (``DELEGATIONS``); the audit names the permission used.
        A permission that is not delegated is a programming error."""
        mu = user_with_role(roles.MANAGEMENT_UNIT_OFFICER)
        services.transfer_create(
            allocation=self.allocations[0],
            amount="10.00",
            value_date=DAY,
            actor=None,
            idempotency_key="t",
        )
        services.expenditure_report(
            fund=self.fund,
            organisation=self.orgs[0],
            amount="4.00",
            value_date=DAY,
            actor=mu,
            authority=Authority("results.report.submitted.accepted"),
        )
        record = AuditRecord.objects.filter(action="fund.expenditure.report").latest("seq")
        self.assertEqual(record.after["authorised_by"], "results.report.submitted.accepted")
        self.assertEqual(record.organisation_id, self.orgs[0].pk)
        chair = user_with_role(roles.STEERING_COMMITTEE_CHAIR)

        def allocate(**kwargs):
            return services.allocation_create(
                fund=self.fund,
                organisation=self.orgs[1],
                amount="5.00",
                purpose="Programme",
                decided_on=DAY,
                actor=chair,  # callers that pass no Authority: the delegated rules still apply
                **kwargs,
            )

        self.assertRefused(allocate)  # not from the programme cycle
        allocation = allocate(source_type="programmes.programme", source_id="7")
        record = AuditRecord.objects.filter(action="fund.allocation.create").latest("seq")
        self.assertEqual(record.after["authorised_by"], "programmes.decision.record")
        # Any agent transfers a programme's tranche (programmes.tranche.transfer), not others.
        services.transfer_create(
            allocation=allocation,
            amount="5.00",
            value_date=DAY,
            actor=self.stranger,
            idempotency_key="tranche",
            authority=Authority("programmes.tranche.transfer", None),
        )
        with self.assertRaisesMessage(ValueError, "does not authorise"):
            services.transfer_create(
                allocation=self.allocations[1],
                amount="1.00",
                value_date=DAY,
                actor=chair,
                idempotency_key="z",
                authority=Authority("fund.view"),
            )
        self.assertRefused(
            lambda: services.transfer_create(
                allocation=self.allocations[1],
                amount="1.00",
                value_date=DAY,
                actor=chair,
                idempotency_key="z",
            )
        )

    def test_audit_records_say_for_which_organisation(self):
        deposit = services.deposit_create(
            commitment=services.commitment_create(
                fund=self.fund,
                donor=self.donor,
                amount="10",
                currency="USD",
                signed_on=DAY,
                actor=self.agent,
            ),
            amount="10",
            currency="USD",
            value_date=DAY,
            actor=self.agent,
            idempotency_key="d",
        )
        record = AuditRecord.objects.get(action="fund.deposit.create", object_id=str(deposit.pk))
        self.assertEqual(record.organisation_id, self.fund.administrative_agent_id)
        self.assertEqual(record.organisation_label, str(self.fund.administrative_agent))
        self.assertEqual(record.actor, self.agent)


class AnnounceTests(TestCase):
    def test_a_deposit_raises_the_fund_version_on_commit(self):
        fund, _orgs = factories.fund()
        commitment = services.commitment_create(
            fund=fund,
            donor=factories.donor(),
            amount="50",
            currency="USD",
            signed_on=DAY,
            actor=None,
        )
        before = versions("fund")["fund"]
        with self.captureOnCommitCallbacks(execute=True):
            services.deposit_create(
                commitment=commitment,
                amount="50",
                currency="USD",
                value_date=DAY,
                actor=None,
                idempotency_key="v",
            )
        self.assertEqual(versions("fund")["fund"], before + 1)

    def test_a_refused_deposit_announces_nothing(self):
        fund, _orgs = factories.fund()
        commitment = services.commitment_create(
            fund=fund,
            donor=factories.donor(),
            amount="50",
            currency="USD",
            signed_on=DAY,
            actor=None,
        )
        before = versions("fund")["fund"]
        with (
            self.captureOnCommitCallbacks(execute=True) as callbacks,
            self.assertRaises(ApplicationError),
        ):
            services.deposit_create(
                commitment=commitment,
                amount="60",
                currency="USD",
                value_date=DAY,
                actor=None,
                idempotency_key="v",
            )
        self.assertEqual(callbacks, [])
        self.assertEqual(versions("fund")["fund"], before)

    def test_every_public_change_announces_once(self):
        fund, orgs, donor, commitment, allocations = factories.funded("100.00")
        steps = [
            lambda: services.transfer_create(
                allocation=allocations[0],
                amount="10",
                value_date=DAY,
                actor=None,
                idempotency_key="a",
            ),
            lambda: services.refund_record(
                allocation=allocations[0], amount="1", value_date=DAY, actor=None
            ),
            lambda: services.interest_record(fund=fund, amount="1", value_date=DAY, actor=None),
            lambda: services.bank_charge_record(fund=fund, amount="1", value_date=DAY, actor=None),
            lambda: services.direct_cost_record(fund=fund, amount="1", value_date=DAY, actor=None),
            lambda: services.expenditure_report(
                fund=fund, organisation=orgs[0], amount="1", value_date=DAY, actor=None
            ),
            lambda: services.commitment_create(
                fund=fund, donor=donor, amount="5", currency="USD", signed_on=DAY, actor=None
            ),
            lambda: services.posting_reverse(
                posting=Posting.objects.filter(kind="interest").get(), actor=None, reason="typo"
            ),
            lambda: services.exchange_rates_load_csv(
                text="currency,effective_on,rate\nEUR,2025-03-01,0.9\nSEK,2025-03-01,10\n",
                source="UN",
                actor=None,
            ),
            lambda: services.fund_rates_update(
                fund=fund,
                fee_rate="0.02",
                indirect_support_cost_rate="0.07",
                confirmed=False,
                actor=None,
            ),
        ]
        for number, step in enumerate(steps):
            with self.subTest(step=number):
                before = versions("fund")["fund"]
                with self.captureOnCommitCallbacks(execute=True):
                    step()
                self.assertEqual(versions("fund")["fund"], before + 1)


class ExpenditureByAllocationTests(TestCase):
    def setUp(self):
        self.fund, self.orgs, _donor, _c, self.allocations = factories.funded("1000.00")
        second = services.allocation_create(
            fund=self.fund,
            organisation=self.orgs[0],
            amount="200",
            purpose="Second programme",
            decided_on=DAY,
            actor=None,
            source_type="programmes.programme",
            source_id="42",
        )
        self.first, self.second = self.allocations[0], second
        for allocation, amount in ((self.first, "300"), (self.second, "100")):
            services.transfer_create(
                allocation=allocation,
                amount=amount,
                value_date=DAY,
                actor=None,
                idempotency_key=f"t{allocation.pk}",
            )

    def report(self, allocation, amount, **kwargs):
        return services.expenditure_report(
            fund=self.fund,
            organisation=kwargs.pop("organisation", self.orgs[0]),
            amount=amount,
            value_date=DAY,
            actor=None,
            allocation=allocation,
            **kwargs,
        )

    def test_expenditure_is_kept_per_allocation(self):
        posting = self.report(self.second, "60.00")
        self.assertEqual(posting.allocation, self.second)
        self.report(self.first, "100.00")
        self.report(None, "5.00")  # callers that name no allocation still work
        self.assertEqual(allocation_spent(allocation=self.second), D("60.00"))
        self.assertEqual(
            expenditure_by_allocation(fund=self.fund),
            {self.first.pk: D("100.00"), self.second.pk: D("60.00")},
        )
        self.assertEqual(
            expenditure_by_allocation(allocation_ids=[self.second.pk]), {self.second.pk: D("60.00")}
        )
        services.posting_reverse(posting=posting, actor=None, reason="wrong programme")
        self.assertEqual(expenditure_by_allocation(fund=self.fund)[self.second.pk], D("0.00"))

    def test_more_than_transferred_for_the_allocation_is_refused(self):
        """The organisation holds 400, but only 100 was transferred for the second allocation."""
        self.report(self.second, "70.00")
        count = Posting.objects.count()
        with self.assertRaisesMessage(ApplicationError, "more than the 30.00 transferred"):
            self.report(self.second, "30.01")
        with self.assertRaisesMessage(ApplicationError, "is not one of"):
            self.report(self.allocations[1], "1.00")
        other_fund, _orgs = factories.fund()
        foreign = Allocation(fund=other_fund, organisation=self.orgs[0], amount=1, decided_on=DAY)
        foreign.pk = 0
        with self.assertRaisesMessage(ApplicationError, "is not one of"):
            self.report(foreign, "1.00")
        self.assertEqual(Posting.objects.count(), count)


def test_delegations_name_registered_operations():
    """Every delegated permission is a rule of its app, for an operation the fund has."""
    from compacts.core.permissions import operations
    from compacts.fund.permissions import DELEGATIONS

    registered = set(operations())
    for fund_operation, delegated in DELEGATIONS.items():
        assert fund_operation in registered
        assert set(delegated) <= registered, delegated
