import pytest
from django.db import connection

from compacts.core.audit import GENESIS_HASH
from compacts.core.models import AuditHead, AuditRecord, User
from compacts.core.services import ActingFor, audit_record, model_values


@pytest.fixture
def alice(db):
    return User.objects.create_user(username="alice", password="x")


class AuditRecordTests:
    def test_records_chain_to_each_other(self, alice):
        """Each record points at the previous one's hash; the first at the genesis hash."""
        first = audit_record(actor=alice, action="test.one", obj=alice, after={"a": 1})
        second = audit_record(
            actor=alice, action="test.two", obj=alice, before={"a": 1}, after={"a": 2}
        )
        assert (first.seq, second.seq) == (1, 2)
        assert first.prev_hash == GENESIS_HASH
        assert second.prev_hash == first.hash
        head = AuditHead.objects.get()
        assert (head.seq, head.hash) == (2, second.hash)

    def test_records_who_for_whom_what_and_values(self, alice):
        """The record keeps actor, organisation, action, object and JSON-normalised values."""
        from decimal import Decimal

        record = audit_record(
            actor=alice,
            action="fund.deposit.record",
            obj=alice,
            before=None,
            after={"amount": Decimal("10.50")},
            acting_for=ActingFor(id=7, label="IOM"),
        )
        record.refresh_from_db()
        assert record.actor == alice
        assert record.actor_label == "alice"
        assert (record.organisation_id, record.organisation_label) == (7, "IOM")
        assert record.object_id == str(alice.pk)
        assert record.after == {"amount": "10.50"}

    def test_system_changes_are_labelled_system(self, alice):
        record = audit_record(actor=None, action="framework.load", obj=alice)
        assert record.actor is None
        assert record.actor_label == "system"

    def test_records_cannot_be_updated_or_deleted_through_the_orm(self, alice):
        """The trail is append-only: saving an existing record or deleting raises."""
        record = audit_record(actor=alice, action="test.one", obj=alice)
        record.action = "test.changed"
        with pytest.raises(TypeError, match="append-only"):
            record.save()
        with pytest.raises(TypeError, match="append-only"):
            record.delete()
        with pytest.raises(TypeError, match="append-only"):
            AuditRecord.objects.filter(pk=record.pk).update(action="x")
        with pytest.raises(TypeError, match="append-only"):
            AuditRecord.objects.all().delete()
        assert AuditRecord.objects.get(pk=record.pk).action == "test.one"

    def test_model_values_reads_attnames(self, alice):
        assert model_values(alice, ["username", "is_staff"]) == {
            "username": "alice",
            "is_staff": False,
        }

    def test_rolled_back_change_leaves_no_record(self, alice):
        """A record written inside a failed transaction disappears with it."""
        from django.db import transaction

        def failing_service():
            with transaction.atomic():
                audit_record(actor=alice, action="test.one", obj=alice)
                raise RuntimeError("service failed")

        with pytest.raises(RuntimeError):
            failing_service()
        assert AuditRecord.objects.count() == 0
        assert not AuditHead.objects.filter(seq__gt=0).exists()


def raw_update(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
