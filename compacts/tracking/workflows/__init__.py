"""State machines of the tracking app, stored as data (styleguide §3).

Each module ``<entity>.py`` defines a ``TextChoices`` of states and a ``MACHINE``: a table
``{(from, to): Rule(relations, guard)}``. ``relations`` names who may make the move, as the
actor's relation to the record: ``owner`` (a member of the organisation that owns the record, in
a role that may act for it) or ``secretariat`` (the Network secretariat, or a platform
administrator). ``permissions.record_relations`` computes them. A guard returns an error message
when the record is not ready for the move, or ``""``.

One service per machine, ``<entity>_transition``, applies the table (``services/workflow.py``).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

OWNER = "owner"
SECRETARIAT = "secretariat"

Guard = Callable[[Any], str]


def no_guard(obj: Any) -> str:
    return ""


@dataclass(frozen=True)
class Rule:
    relations: frozenset[str]
    guard: Guard = no_guard


@dataclass(frozen=True)
class Machine:
    """A state machine as data: its name, states, initial state and transition table."""

    name: str
    states: type
    initial: str
    transitions: dict[tuple[str, str], Rule] = field(default_factory=dict)

    def rule(self, from_state: str, to_state: str) -> Rule | None:
        return self.transitions.get((str(from_state), str(to_state)))

    def targets(self, from_state: str) -> list[str]:
        return [to for (frm, to) in self.transitions if frm == str(from_state)]

    @property
    def terminal_states(self) -> set[str]:
        sources = {frm for frm, _to in self.transitions}
        return {str(state) for state in self.states.values} - sources

    def reachable(self) -> set[str]:
        seen, todo = {self.initial}, [self.initial]
        while todo:
            current = todo.pop()
            for target in self.targets(current):
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        return seen


def rule(*relations: str, guard: Guard = no_guard) -> Rule:
    return Rule(frozenset(relations), guard)
