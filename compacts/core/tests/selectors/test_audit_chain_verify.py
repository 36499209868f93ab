import pytest
from django.db import connection

from compacts.core.models import User
from compacts.core.selectors import audit_chain_verify, audit_list_for_object
from compacts.core.services import audit_record


@pytest.fixture
def trail(db):
    alice = User.objects.create_user(username="alice", password="x")
    bob = User.objects.create_user(username="bob", password="x")
    records = [
        audit_record(
            actor=alice, action=f"test.step{i}", obj=alice if i % 2 else bob, after={"i": i}
        )
        for i in range(1, 6)
    ]
    return alice, bob, records


def execute(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


class AuditChainVerifyTests:
    def test_an_untouched_chain_is_intact(self, trail):
        report = audit_chain_verify(chunk_size=2)
        assert report.intact
        assert report.checked == 5

    def test_an_empty_chain_is_intact(self, db):
        assert audit_chain_verify().intact

    def test_a_changed_value_is_named(self, trail):
        """Editing a record's payload in the database directly breaks exactly that record."""
        execute("UPDATE core_auditrecord SET after = %s WHERE seq = 3", ['{"i": 999}'])
        report = audit_chain_verify()
        assert not report.intact
        assert report.broken_seq == 3
        assert "changed" in report.reason
        assert report.checked == 2

    def test_a_changed_actor_label_is_named(self, trail):
        execute("UPDATE core_auditrecord SET actor_label = %s WHERE seq = 4", ["mallory"])
        assert audit_chain_verify().broken_seq == 4

    def test_a_recomputed_hash_is_caught_by_the_next_link(self, trail):
        """A forger who also rewrites the hash breaks the next record's link."""
        execute("UPDATE core_auditrecord SET hash = %s WHERE seq = 2", ["f" * 64])
        report = audit_chain_verify()
        assert report.broken_seq == 2

    def test_a_deleted_record_is_named(self, trail):
        execute("DELETE FROM core_auditrecord WHERE seq = 3", [])
        report = audit_chain_verify()
        assert report.broken_seq == 3
        assert "missing" in report.reason

    def test_removing_the_newest_records_is_detected(self, trail):
        execute("DELETE FROM core_auditrecord WHERE seq >= 4", [])
        report = audit_chain_verify()
        assert report.broken_seq == 4
        assert "removed" in report.reason

    def test_the_trail_of_one_object(self, trail):
        alice, bob, _records = trail
        assert [r.action for r in audit_list_for_object(obj=alice)] == [
            "test.step1",
            "test.step3",
            "test.step5",
        ]
        assert [r.action for r in audit_list_for_object(obj=bob)] == ["test.step2", "test.step4"]
