import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from compacts.core.models import User
from compacts.core.services import audit_record


class AuditVerifyCommandTests:
    def test_exits_zero_and_counts_when_intact(self, db, capsys):
        user = User.objects.create_user(username="alice", password="x")
        audit_record(actor=user, action="test.one", obj=user)
        call_command("audit", "verify")
        assert "intact: 1 records checked" in capsys.readouterr().out

    def test_names_the_first_broken_record_and_fails(self, db):
        """`compacts audit verify` exits non-zero (CommandError) naming the tampered record."""
        user = User.objects.create_user(username="alice", password="x")
        for i in range(3):
            audit_record(actor=user, action=f"test.{i}", obj=user)
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditrecord SET action = 'test.forged' WHERE seq = 2")
        with pytest.raises(CommandError, match=r"broken at record #2"):
            call_command("audit", "verify")

    def test_the_command_line_exits_non_zero(self, db, monkeypatch):
        """Run as `compacts audit verify`, a broken chain ends the process with status 1."""
        from django.core.management import ManagementUtility
        from django.db import connections

        # The command line closes every connection when it ends; the test's must stay open.
        monkeypatch.setattr(connections, "close_all", lambda: None)

        user = User.objects.create_user(username="alice", password="x")
        audit_record(actor=user, action="test.one", obj=user)
        ManagementUtility(["compacts", "audit", "verify"]).execute()  # intact: no exit
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditrecord SET object_repr = 'forged' WHERE seq = 1")
        with pytest.raises(SystemExit) as exit_info:
            ManagementUtility(["compacts", "audit", "verify"]).execute()
        assert exit_info.value.code == 1
