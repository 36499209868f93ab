"""The state machines checked as data, without the database: every state reachable, terminal
states without exits, others with one, and only known roles."""

import pytest

from compacts.network.workflows import (
    ROLES,
    activity,
    call,
    comment,
    country_network,
    deliverable,
    event,
    practice,
    registration,
    support_request,
)

MACHINES = [
    m.MACHINE
    for m in (
        activity,
        call,
        comment,
        country_network,
        deliverable,
        event,
        practice,
        registration,
        support_request,
    )
]


def _reachable(machine) -> set[str]:
    seen, frontier = {machine.initial}, [machine.initial]
    while frontier:
        state = frontier.pop()
        for target in machine.targets(state):
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    return seen


@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.name)
class TestMachine:
    def test_every_state_is_reachable_from_the_initial_state(self, machine):
        assert _reachable(machine) == set(machine.states.values)

    def test_terminal_states_have_no_exit_and_others_have_one(self, machine):
        for state in machine.states.values:
            if state in machine.terminal:
                assert machine.targets(state) == [], state
            else:
                assert machine.targets(state), f"{state} is a dead end but not terminal"

    def test_transitions_name_known_states_and_roles(self, machine):
        for (source, target), rule in machine.transitions.items():
            assert source in machine.states.values
            assert target in machine.states.values
            assert source != target
            assert rule.roles, (source, target)
            assert rule.roles <= ROLES, (source, target, rule.roles)


def test_the_hub_review_is_the_secretariats_and_submission_the_submitters():
    table = practice.MACHINE.transitions
    assert table[("draft", "submitted")].roles == {"submitter"}
    assert table[("in-review", "published")].roles == {"secretariat"}
    assert table[("in-review", "changes-requested")].note_required


def test_a_support_request_walks_received_matched_supported_closed():
    table = support_request.MACHINE.transitions
    for step in [("received", "matched"), ("matched", "supported"), ("supported", "closed")]:
        assert step in table
    assert ("received", "supported") not in table


def test_workplan_statuses_are_the_networks():
    assert activity.State.values == ["yet-to-start", "ongoing", "completed"]
