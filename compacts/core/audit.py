"""The canonical form of an audit record and its hash; shared by writing and verifying."""

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

GENESIS_HASH = "0" * 64


def to_json_value(value: Any) -> Any:
    """Normalise a before/after payload to what the JSON column will give back when read."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def record_hash(*, fields: dict[str, Any], prev_hash: str) -> str:
    canonical = json.dumps(
        {**fields, "prev_hash": prev_hash},
        cls=DjangoJSONEncoder,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def hashed_fields(record) -> dict[str, Any]:
    """The fields that the hash covers, read from a saved or unsaved ``AuditRecord``."""
    return {
        "seq": record.seq,
        "at": record.at.isoformat(),
        "actor_id": record.actor_id,
        "actor_label": record.actor_label,
        "organisation_id": record.organisation_id,
        "organisation_label": record.organisation_label,
        "action": record.action,
        "object_type_id": record.object_type_id,
        "object_id": record.object_id,
        "object_repr": record.object_repr,
        "before": record.before,
        "after": record.after,
    }
