"""Reads of the core app: the audit trail and its verification."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models

from compacts.core.audit import GENESIS_HASH, hashed_fields, record_hash
from compacts.core.models import AuditHead, AuditRecord


def audit_list_for_object(*, obj: models.Model) -> models.QuerySet[AuditRecord]:
    """The trail of one object, oldest first."""
    object_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return AuditRecord.objects.filter(
        object_type=object_type, object_id=str(obj.pk)
    ).select_related("actor", "object_type")


def audit_list(*, action_prefix: str = "") -> models.QuerySet[AuditRecord]:
    queryset = AuditRecord.objects.select_related("actor", "object_type").order_by("-seq")
    if action_prefix:
        queryset = queryset.filter(action__startswith=action_prefix)
    return queryset


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_seq is None


def audit_chain_verify(*, chunk_size: int = 2000) -> ChainReport:
    """Recompute every hash in order and compare links, sequence numbers and the head.

    Returns the first broken record: one whose content no longer matches its hash, whose link
    does not point at its predecessor, or a gap where records were removed.
    """
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for record in AuditRecord.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if record.seq != expected_seq:
            return ChainReport(
                checked, expected_seq, f"record #{expected_seq} is missing (next is #{record.seq})"
            )
        if record.prev_hash != prev_hash:
            return ChainReport(
                checked, record.seq, f"record #{record.seq} does not link to #{record.seq - 1}"
            )
        if record_hash(fields=hashed_fields(record), prev_hash=record.prev_hash) != record.hash:
            return ChainReport(
                checked, record.seq, f"record #{record.seq} was changed after it was written"
            )
        prev_hash = record.hash
        expected_seq += 1
        checked += 1
    head = AuditHead.objects.filter(id=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if head_seq != checked or head_hash != prev_hash:
        return ChainReport(
            checked,
            checked + 1,
            f"the chain ends at #{checked} but its head records #{head_seq}: "
            "newer records were removed",
        )
    return ChainReport(checked)
