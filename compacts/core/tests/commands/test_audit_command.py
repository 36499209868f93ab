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

    def test_the_installed_command_exits_non_zero(self, tmp_path):
        """The real `compacts` console script returns a non-zero exit status on a broken chain."""
        import os
        import subprocess
        import sys

        env = {
            **os.environ,
            "COMPACTS_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "compacts.config.settings.local",
        }
        env.pop("DATABASE_URL", None)
        run = lambda *args: subprocess.run(  # noqa: E731
            [sys.executable, "-m", "compacts", *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert run("migrate", "--verbosity", "0").returncode == 0
        script = (
            "from compacts.core.models import User;"
            "from compacts.core.services import audit_record;"
            "u=User.objects.create_user(username='a', password='x');"
            "[audit_record(actor=u, action='t', obj=u) for _ in range(2)]"
        )
        assert run("shell", "-c", script).returncode == 0
        assert run("audit", "verify").returncode == 0
        import sqlite3

        with sqlite3.connect(tmp_path / "compacts.sqlite3") as db:
            db.execute("UPDATE core_auditrecord SET object_repr = 'forged' WHERE seq = 1")
        result = run("audit", "verify")
        assert result.returncode != 0
        assert "#1" in result.stderr
