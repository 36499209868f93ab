"""The programme workflow as data, without a database (styleguide §3)."""

from compacts.actors.roles import ROLE_CODES
from compacts.programmes.workflows.programme import MACHINE, State


class ProgrammeWorkflowTableTests:
    def test_every_state_is_reachable_from_the_draft(self):
        assert MACHINE.reachable() == set(State.values)

    def test_terminal_states_have_no_way_out_and_the_others_have_one(self):
        assert MACHINE.terminal == {State.INELIGIBLE, State.NOT_ENDORSED, State.FINANCIALLY_CLOSED}
        for state in State.values:
            if state in MACHINE.terminal:
                assert MACHINE.targets(state) == [], state
            else:
                assert MACHINE.targets(state), f"{state} is a dead end but not terminal"

    def test_every_transition_names_known_roles(self):
        for (source, target), rule in MACHINE.transitions.items():
            assert rule.roles, f"{source} -> {target} has no roles"
            assert rule.roles <= set(ROLE_CODES), (source, target, rule.roles)

    def test_the_main_path_runs_from_draft_to_financial_closure(self):
        path = [
            State.DRAFT,
            State.SUBMITTED,
            State.ELIGIBLE,
            State.COMMITTEE_REVIEW,
            State.ENDORSED,
            State.INVITED,
            State.DOCUMENT_SUBMITTED,
            State.TECHNICAL_REVIEW,
            State.APPROVED,
            State.ACTIVE,
            State.OPERATIONALLY_CLOSED,
            State.FINANCIALLY_CLOSED,
        ]
        for source, target in zip(path, path[1:], strict=False):
            assert MACHINE.rule_for(source, target) is not None, (source, target)

    def test_screening_has_three_outcomes_and_refusals_need_reasons(self):
        assert set(MACHINE.targets(State.SUBMITTED)) == {
            State.ELIGIBLE,
            State.INELIGIBLE,
            State.REVISION_REQUESTED,
        }
        assert MACHINE.rule_for(State.SUBMITTED, State.INELIGIBLE).note_required
        assert MACHINE.rule_for(State.SUBMITTED, State.REVISION_REQUESTED).note_required
        assert MACHINE.rule_for(State.COMMITTEE_REVIEW, State.NOT_ENDORSED).note_required

    def test_committee_outcomes_are_guarded_by_a_recorded_decision(self):
        for target in (State.ENDORSED, State.NOT_ENDORSED):
            assert MACHINE.rule_for(State.COMMITTEE_REVIEW, target).guard is not None
        assert MACHINE.rule_for(State.TECHNICAL_REVIEW, State.APPROVED).guard is not None

    def test_submitters_cannot_screen_or_decide(self):
        submitters = {"rco-submitter", "puno-focal-point"}
        for (source, target), rule in MACHINE.transitions.items():
            if source in {State.SUBMITTED, State.COMMITTEE_REVIEW, State.TECHNICAL_REVIEW}:
                assert not rule.roles & submitters, (source, target)

    def test_active_has_no_self_loop_revisions_and_extensions_are_events(self):
        assert MACHINE.rule_for(State.ACTIVE, State.ACTIVE) is None
        assert MACHINE.targets(State.ACTIVE) == [State.OPERATIONALLY_CLOSED]
