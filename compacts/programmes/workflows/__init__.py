"""State machines stored as data (styleguide §3).

A machine has its states (a ``TextChoices``), the initial state, the terminal states and a
transition table ``{(from, to): Rule(roles, guard, note_required)}``. ``roles`` are role codes of
``compacts.actors.roles``; object-level limits (a submitter acts only for her own organisation's
programmes) are applied by the app's ``permissions.py``. A guard receives the record and returns a
message saying why the move is not possible yet, or ``None``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Guard = Callable[[Any], str | None]


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    guard: Guard | None = None
    note_required: bool = False


def rule(*roles: str, guard: Guard | None = None, note_required: bool = False) -> Rule:
    return Rule(roles=frozenset(roles), guard=guard, note_required=note_required)


@dataclass(frozen=True)
class Machine:
    name: str
    states: Any
    initial: str
    terminal: frozenset[str]
    transitions: dict[tuple[str, str], Rule] = field(default_factory=dict)

    def rule_for(self, source: str, target: str) -> Rule | None:
        return self.transitions.get((source, target))

    def targets(self, source: str) -> list[str]:
        """The states reachable in one move from ``source``, in table order."""
        return [to for (frm, to) in self.transitions if frm == source]

    def reachable(self) -> set[str]:
        seen, todo = {self.initial}, [self.initial]
        while todo:
            current = todo.pop()
            for target in self.targets(current):
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        return seen
