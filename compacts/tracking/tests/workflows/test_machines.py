"""The state machines as data: checked without a database."""

import pytest

from compacts.tracking.workflows import (
    OWNER,
    SECRETARIAT,
    commitment,
    gcr_pledge,
    national_review,
    plan_version,
    pledge,
)

MACHINES = [
    pledge.MACHINE,
    gcr_pledge.MACHINE,
    plan_version.MACHINE,
    national_review.MACHINE,
    commitment.MACHINE,
]


@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.name)
class MachineTableTests:
    def test_every_state_is_reachable(self, machine):
        """No state is dead: each one can be reached from the initial state."""
        assert machine.reachable() == {str(s) for s in machine.states.values}

    def test_transitions_use_known_states_and_relations(self, machine):
        states = {str(s) for s in machine.states.values}
        for (frm, to), rule in machine.transitions.items():
            assert frm in states
            assert to in states
            assert frm != to
            assert rule.relations
            assert rule.relations <= {OWNER, SECRETARIAT}

    def test_has_terminal_state(self, machine):
        assert machine.terminal_states


def test_pledge_terminal_states_and_review_roles():
    """Pledges end fulfilled or withdrawn; only the secretariat publishes or returns."""
    S = pledge.PledgeState
    assert pledge.MACHINE.terminal_states == {S.FULFILLED, S.WITHDRAWN}
    assert pledge.MACHINE.rule(S.SUBMITTED, S.PUBLISHED).relations == {SECRETARIAT}
    assert pledge.MACHINE.rule(S.SUBMITTED, S.RETURNED).relations == {SECRETARIAT}
    assert pledge.MACHINE.rule(S.DRAFT, S.PUBLISHED) is None


def test_plan_version_guard_and_terminal_state():
    S = plan_version.PlanVersionState
    assert plan_version.MACHINE.terminal_states == {S.SUPERSEDED}
    assert plan_version.MACHINE.rule(S.DRAFT, S.SUBMITTED).guard is plan_version.has_actions


def test_commitment_drop_is_secretariat_only():
    S = commitment.CommitmentState
    assert commitment.MACHINE.rule(S.OPEN, S.DROPPED).relations == {SECRETARIAT}
    assert commitment.MACHINE.terminal_states == {S.DONE, S.DROPPED}
