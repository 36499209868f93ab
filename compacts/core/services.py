"""Writes of the core app: appending to the audit trail."""

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from compacts.core.audit import hashed_fields, record_hash, to_json_value
from compacts.core.models import AuditHead, AuditRecord


@dataclass(frozen=True)
class ActingFor:
    """The organisation on whose behalf a person acts (an ``actors.Organisation``, by id)."""

    id: int
    label: str


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    acting_for: ActingFor | None = None,
) -> AuditRecord:
    """Append one record to the audit trail, chained to the previous one.

    Call it inside the service's transaction, so the record and the change it describes are
    committed together or not at all. ``actor`` may be ``None`` for changes made by the system
    (reference-data loads, scheduled tasks); its label then says so.
    """
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        user = actor if getattr(actor, "is_authenticated", False) else None
        record = AuditRecord(
            seq=head.seq + 1,
            at=timezone.now(),
            actor=user,
            actor_label=user.get_username() if user else "system",
            organisation_id=acting_for.id if acting_for else None,
            organisation_label=acting_for.label if acting_for else "",
            action=action,
            object_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
            object_id=str(obj.pk),
            object_repr=str(obj)[:300],
            before=to_json_value(before),
            after=to_json_value(after),
            prev_hash=head.hash,
        )
        record.hash = record_hash(fields=hashed_fields(record), prev_hash=head.hash)
        record.save()
        head.seq, head.hash = record.seq, record.hash
        head.save(update_fields=["seq", "hash"])
    return record


def model_values(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of ``obj`` as a JSON-ready dict, for the before/after of an audit record."""
    values: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        values[name] = getattr(obj, field.attname)
    return to_json_value(values)


def administrator_create(*, username: str, email: str, password: str, actor=None):
    """Create a platform administrator, after Django's password validators accept the password."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from compacts.core.exceptions import ApplicationError

    user_model = get_user_model()
    username = username.strip()
    if not username:
        raise ApplicationError(_("A username is required."), {"field": "username"})
    if user_model.objects.filter(username=username).exists():
        raise ApplicationError(
            _("The username %(username)s is taken.") % {"username": username},
            {"field": "username"},
        )
    candidate = user_model(username=username, email=email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise ApplicationError(
            _("The password was refused."), {"password": list(error.messages)}
        ) from error
    with transaction.atomic():
        user = user_model.objects.create_superuser(
            username=username, email=email, password=password
        )
        audit_record(
            actor=actor,
            action="core.administrator.create",
            obj=user,
            after={"username": username, "email": email, "is_superuser": True},
        )
    return user
