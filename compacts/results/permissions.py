"""Who may change results and reports (docs/results.md).

The results framework is part of the joint programme document: its submitters and focal points
and the Management Unit edit it (as ``programmes.document.edit``). Indicator updates and reports
follow their state machines: submitters and focal points act for their own programmes only; the
Management Unit approves, accepts and returns.
"""

from compacts.actors.selectors import user_has_role
from compacts.core.permissions import allowed, rule
from compacts.programmes.permissions import acts_for
from compacts.results.workflows import indicator_update, report


@rule("results.framework.edit")
def can_edit_framework(user, programme) -> bool:
    return allowed(user, "programmes.document.edit", programme)


def _machine_rule(role_codes, submitters):
    object_level = set(role_codes) & set(submitters)
    global_roles = set(role_codes) - object_level

    def check(user, programme) -> bool:
        if not user.is_authenticated:
            return False
        if user.is_superuser:
            return True
        if any(user_has_role(user, code) for code in sorted(global_roles)):
            return True
        return bool(object_level) and acts_for(user, programme, sorted(object_level))

    return check


for _module, _prefix in ((indicator_update, "results.update"), (report, "results.report")):
    for (_source, _target), _rule in _module.MACHINE.transitions.items():
        rule(f"{_prefix}.{_source}.{_target}")(_machine_rule(_rule.roles, _module.SUBMITTERS))


@rule("results.update.create")
def can_submit_update(user, programme) -> bool:
    """A first value of an indicator (its later moves are ``results.update.<from>.<to>``)."""
    if not user.is_authenticated or programme is None:
        return False
    return user.is_superuser or acts_for(user, programme)
