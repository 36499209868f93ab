"""State machines of the network app, stored as data.

Each module holds a ``State`` enum, its ``INITIAL`` state, its ``TERMINAL`` states and a
``TRANSITIONS`` table ``{(from, to): Rule(roles, guard, note_required)}``. The roles are relations
of a person to the record (``secretariat``, ``submitter``, ``co-lead``, ``assignee``,
``registrant``), resolved by ``network.permissions.actor_relations``; a guard receives the record
and returns an error message when the move is not possible yet. ``services.<entity>_transition`` is
the only code that moves a record (styleguide §3).
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
        return [to for (frm, to) in self.transitions if frm == source]


ROLES = frozenset({"secretariat", "submitter", "co-lead", "assignee", "registrant", "focal-point"})
