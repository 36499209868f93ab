"""Applying a state machine's table to one record (styleguide §3).

Each machine has its own ``<entity>_transition`` service (in ``pledges.py``, ``plans.py`` and
``cycle.py``); they all lock the row, then call ``apply_transition``.
"""

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compacts.core.changes import announce
from compacts.core.exceptions import ConflictError, PermissionDeniedError
from compacts.core.services import audit_record
from compacts.tracking.models import WorkflowTransition
from compacts.tracking.permissions import record_relations
from compacts.tracking.workflows import Machine


@transaction.atomic
def apply_transition(
    *,
    machine: Machine,
    obj: models.Model,
    to: str,
    actor,
    note: str = "",
    action_prefix: str,
    extra_fields: dict | None = None,
) -> WorkflowTransition:
    """Move a locked record ``obj`` to state ``to`` if the table allows it for ``actor``.

    Raises ``ConflictError`` for a move the table lacks or a failed guard, and
    ``PermissionDeniedError`` when the actor's relation to the record is not in the rule.
    ``extra_fields`` are set and saved with the state (e.g. ``published_at``).
    """
    from_state = str(obj.state)
    to = str(to)
    move = machine.rule(from_state, to)
    if move is None:
        raise ConflictError(
            _("A record in state %(from)s cannot move to %(to)s.") % {"from": from_state, "to": to},
            {"from": from_state, "to": to, "allowed": machine.targets(from_state)},
        )
    if not (move.relations & record_relations(actor, obj)):
        raise PermissionDeniedError(
            _("You do not have permission to do this."),
            {"operation": f"{action_prefix}.transition", "to": to},
        )
    problem = move.guard(obj)
    if problem:
        raise ConflictError(problem, {"from": from_state, "to": to})
    obj.state = to
    fields = ["state", "updated_at"]
    for name, value in (extra_fields or {}).items():
        setattr(obj, name, value)
        fields.append(name)
    obj.save(update_fields=fields)
    transition = WorkflowTransition.objects.create(
        machine=machine.name,
        object_id=obj.pk,
        from_state=from_state,
        to_state=to,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        at=timezone.now(),
        note=note,
    )
    audit_record(
        actor=actor,
        action=f"{action_prefix}.transition",
        obj=obj,
        before={"state": from_state},
        after={"state": to, "note": note},
    )
    # A move into or out of a public state changes what the public sees.
    announce("tracking", machine=machine.name, id=obj.pk, state=to)
    return transition


def lock(model: type[models.Model], pk: int) -> models.Model:
    """The row, locked for the rest of the transaction (``select_for_update``)."""
    return model.objects.select_for_update().get(pk=pk)
